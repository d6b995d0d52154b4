//! A word most candidates share makes a broad search, which ranks only the most recently added
//! matches (`search_plan.rs`, as SQLite's "newest" plan); a rare word is ranked in full. The
//! estimate comes from the statistics `ANALYZE` keeps, on a real PostgreSQL server.

use ats_mirror::testsuite::fixtures::*;
use ats_mirror::{MirrorQueries, MirrorStore, SearchQuery};
use ats_mirror_postgres::PgMirror;
use ats_model::RecordKind;

const PAGES: usize = 23;

#[tokio::test(flavor = "multi_thread")]
async fn a_word_most_candidates_share_ranks_the_newest_matches_and_a_rare_one_ranks_all() {
    let m = PgMirror::connect(&ats_test_postgres::database())
        .await
        .unwrap();
    m.upsert_connection(&connection_row()).await.unwrap();
    // Written first (the oldest): the best match of "boston", and the only "zanzibar".
    let mut oldest = candidate("0", "Boston", "Boston", "boston@boston.example");
    oldest.current_title = Some("Zanzibar Boston".into());
    apply(
        &m,
        RecordKind::Candidate,
        candidates(vec![oldest]),
        "c",
        NOW,
    )
    .await;
    for page in 0..PAGES {
        let crowd = (1..=1000)
            .map(|i| {
                let n = page * 1000 + i;
                let mut c = candidate(
                    &n.to_string(),
                    "Pat",
                    &format!("Lee{n}"),
                    &format!("p{n}@example.org"),
                );
                c.current_title = Some("Analyst in Boston".into());
                c
            })
            .collect();
        apply(&m, RecordKind::Candidate, candidates(crowd), "c", NOW).await;
    }
    sqlx::query("ANALYZE candidates")
        .execute(m.pool())
        .await
        .unwrap();
    let search = |words: &str| SearchQuery {
        text: text(words),
        limit: 5,
        now: NOW,
        ..SearchQuery::default()
    };

    let broad = m.search_candidates(CONN, &search("boston")).await.unwrap();
    assert_eq!(broad.hits.len(), 5);
    assert!(broad.more);
    let newest_ranked = PAGES * 1000 - 2_000;
    for hit in &broad.hits {
        let n: usize = hit.candidate_id.parse().unwrap();
        assert!(
            n > newest_ranked,
            "a broad search ranked {n}, older than the newest 2,000 matches"
        );
    }

    for rare in ["zanzibar", "boston zanzibar"] {
        let found = m.search_candidates(CONN, &search(rare)).await.unwrap();
        let ids: Vec<&str> = found.hits.iter().map(|h| h.candidate_id.as_str()).collect();
        assert_eq!(ids, ["0"], "{rare}");
    }
}
