//! The SQLite search's query plans: which indexes each plan reads, how the plan is chosen, and
//! that every plan finds the same candidates (the behaviour of search itself is the suite's
//! `search` area).

mod common;

use ats_mirror::{MirrorStore, SearchQuery};
use ats_mirror_sqlite::{SearchPlan, choose_plan, ranked_window, search_sql};
use ats_model::{AtsRecord, RecordKind, Stage};
use common::*;

#[tokio::test(flavor = "multi_thread")]
async fn search_plans_read_covering_indexes_and_indexed_application_lookups() {
    let t = search_mirror().await;
    let db = rusqlite::Connection::open(t.mirror.path()).unwrap();
    let explain = |q: SearchQuery, plan: SearchPlan| -> String {
        let s = search_sql(CONN, &q, plan, 50);
        let mut stmt = db
            .prepare(&format!("EXPLAIN QUERY PLAN {}", s.sql))
            .unwrap();
        let rows = stmt
            .query_map(rusqlite::params_from_iter(s.params.iter()), |r| {
                r.get::<_, String>(3)
            })
            .unwrap();
        rows.collect::<Result<Vec<_>, _>>().unwrap().join("\n")
    };
    let with_job = || SearchQuery {
        text: text("rust"),
        job_ids: vec!["j".into()],
        ..Default::default()
    };
    let ranked = explain(with_job(), SearchPlan::Ranked);
    assert!(ranked.contains("SCAN f VIRTUAL TABLE"), "{ranked}");
    assert!(
        ranked.contains("COVERING INDEX candidates_search"),
        "{ranked}"
    );
    assert!(ranked.contains("applications_by_job"), "{ranked}");
    let broad = explain(with_job(), SearchPlan::Newest);
    assert!(
        broad.contains("COVERING INDEX candidates_search"),
        "{broad}"
    );
    // FTS5 hands rowids out in descending order itself: no sort before the window.
    let inner = broad.split("SCAN h").next().unwrap_or_default();
    assert!(!inner.contains("TEMP B-TREE"), "{broad}");
    let recent = explain(SearchQuery::default(), SearchPlan::Recent);
    assert!(
        recent.contains("COVERING INDEX candidates_updated"),
        "{recent}"
    );
    // A source filter tests the source and its detail from the index, not the wide rows.
    let by_source = explain(
        SearchQuery {
            source: text("referral"),
            ..Default::default()
        },
        SearchPlan::Recent,
    );
    assert!(
        by_source.contains("COVERING INDEX candidates_updated"),
        "{by_source}"
    );
    let by_stage = explain(
        SearchQuery {
            stages: vec![Stage::Hired],
            ..Default::default()
        },
        SearchPlan::Recent,
    );
    assert!(by_stage.contains("applications_by_candidate"), "{by_stage}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_plan_follows_how_many_candidates_the_words_match() {
    let t = search_mirror().await;
    let db = rusqlite::Connection::open(t.mirror.path()).unwrap();
    let q = SearchQuery {
        text: text("rust"),
        ..Default::default()
    };
    // The fixture is small: every word is rare.
    assert_eq!(choose_plan(&db, CONN, &q).unwrap(), SearchPlan::Ranked);
    assert_eq!(
        choose_plan(&db, CONN, &SearchQuery::default()).unwrap(),
        SearchPlan::Recent
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn both_plans_find_the_same_matches() {
    let t = search_mirror().await;
    let db = rusqlite::Connection::open(t.mirror.path()).unwrap();
    let run = |q: &SearchQuery, plan: SearchPlan| -> Vec<String> {
        let s = search_sql(CONN, q, plan, 100);
        let mut stmt = db.prepare(&s.sql).unwrap();
        let rows = stmt
            .query_map(rusqlite::params_from_iter(s.params.iter()), |r| {
                r.get::<_, String>(0)
            })
            .unwrap();
        rows.collect::<Result<Vec<_>, _>>().unwrap()
    };
    let queries = [
        SearchQuery {
            text: text("rust"),
            ..Default::default()
        },
        SearchQuery {
            text: text("engineer"),
            rejected: Some(false),
            ..Default::default()
        },
        SearchQuery {
            text: text("rust"),
            job_ids: vec!["j-rust".into()],
            ..Default::default()
        },
        SearchQuery {
            text: text("ada"),
            updated_from: Some(NOW - 30 * 86_400),
            ..Default::default()
        },
        SearchQuery {
            text: text("example"),
            source: text("REFERRAL"),
            ..Default::default()
        },
    ];
    for q in &queries {
        let q = SearchQuery {
            now: NOW,
            ..q.clone()
        };
        let ranked = run(&q, SearchPlan::Ranked);
        assert!(!ranked.is_empty(), "{q:?}");
        assert_eq!(ranked, run(&q, SearchPlan::Newest), "{q:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_ranked_walk_keeps_the_window_scoring_every_match_keeps() {
    let t = search_mirror().await;
    // A crowd sharing a last name, whose relevance differs through the profile's length and
    // whose recency differs by years: more matches than one batch of the walk joins.
    let skills = [
        "rust",
        "go",
        "sql",
        "kubernetes",
        "python",
        "react",
        "terraform",
    ];
    let mut people = Vec::new();
    let mut apps = Vec::new();
    for i in 0..600usize {
        let id = format!("s{i:03}");
        let mut c = candidate(&id, "Pat", "Smith", &format!("pat{i}@example.com"));
        c.skills = skills.iter().take(i % 8).map(|s| s.to_string()).collect();
        c.current_title = (i % 3 == 0).then(|| "Smith and engineer".to_string());
        c.updated_at = (i % 11 != 0).then(|| NOW - (i as i64 % 37) * 40 * 86_400 - i as i64);
        people.push(c);
        if i % 4 == 0 {
            let status = if i % 8 == 0 { "s-int" } else { "s-rej" };
            apps.push(application(&format!("x{i:03}"), &id, "j-rust", status));
        }
    }
    apply(
        &t.mirror,
        RecordKind::Candidate,
        candidates(people),
        "crowd",
        NOW,
    )
    .await;
    apply(
        &t.mirror,
        RecordKind::Application,
        applications(apps),
        "crowd-apps",
        NOW,
    )
    .await;
    let db = rusqlite::Connection::open(t.mirror.path()).unwrap();
    let oracle = |q: &SearchQuery, window: usize| -> Vec<(String, f64)> {
        let s = search_sql(CONN, q, SearchPlan::Ranked, window);
        let mut stmt = db.prepare(&s.sql).unwrap();
        stmt.query_map(rusqlite::params_from_iter(s.params.iter()), |r| {
            Ok((r.get(0)?, r.get(9)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    };
    let smith = || SearchQuery {
        text: text("smith"),
        now: NOW,
        ..Default::default()
    };
    let queries = [
        smith(),
        SearchQuery {
            stages: vec![Stage::Interview],
            ..smith()
        },
        SearchQuery {
            rejected: Some(false),
            ..smith()
        },
        SearchQuery {
            updated_from: Some(NOW - 400 * 86_400),
            ..smith()
        },
        SearchQuery {
            text: text("smith engineer"),
            any_text: text("rust sql"),
            ..smith()
        },
        SearchQuery {
            job_ids: vec!["j-rust".into()],
            ..smith()
        },
    ];
    for q in &queries {
        for window in [1, 7, 50, 200, 1_000] {
            let walked: Vec<(String, f64)> = ranked_window(&db, CONN, q, window)
                .unwrap()
                .into_iter()
                .map(|h| (h.candidate_id, h.score))
                .collect();
            let expected = oracle(q, window);
            assert!(!expected.is_empty(), "{q:?}");
            assert_eq!(walked, expected, "window {window}, {q:?}");
        }
    }
}

/// The candidates a query finds under `plan`, sorted (plans order differently; the set must
/// not differ).
fn found_with(t: &TestMirror, q: &SearchQuery, plan: SearchPlan) -> Vec<String> {
    let db = rusqlite::Connection::open(t.mirror.path()).unwrap();
    let s = search_sql(CONN, q, plan, 1_000);
    let mut stmt = db.prepare(&s.sql).unwrap();
    let mut found: Vec<String> = stmt
        .query_map(rusqlite::params_from_iter(s.params.iter()), |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    found.sort();
    found
}

/// Checks every application filter under the plans that narrow by facets (selective without
/// text, ranked and newest with text) against the recency walk, which checks each candidate's
/// applications directly.
fn assert_plans_agree(t: &TestMirror, when: &str) {
    let filters: Vec<SearchQuery> = vec![
        SearchQuery {
            stages: vec![Stage::Interview],
            ..Default::default()
        },
        SearchQuery {
            stages: vec![Stage::Rejected, Stage::Screening],
            ..Default::default()
        },
        SearchQuery {
            stages: vec![Stage::Offer],
            ..Default::default()
        },
        SearchQuery {
            rejected: Some(true),
            ..Default::default()
        },
        SearchQuery {
            rejected: Some(false),
            ..Default::default()
        },
        SearchQuery {
            status_ids: vec!["s-int".into()],
            ..Default::default()
        },
        SearchQuery {
            job_ids: vec!["j-rust".into()],
            stages: vec![Stage::Interview],
            ..Default::default()
        },
    ];
    for f in filters {
        let q = SearchQuery { now: NOW, ..f };
        let oracle = found_with(t, &q, SearchPlan::Recent);
        for plan in [SearchPlan::Selective, SearchPlan::RecentNarrowed] {
            assert_eq!(
                found_with(t, &q, plan),
                oracle,
                "{when}: {plan:?} plan, {q:?}"
            );
        }
        let with_text = SearchQuery {
            text: text("example"),
            ..q.clone()
        };
        let oracle = found_with(t, &with_text, SearchPlan::Recent);
        for plan in [SearchPlan::Ranked, SearchPlan::Newest] {
            assert_eq!(
                found_with(t, &with_text, plan),
                oracle,
                "{when}: {plan:?} plan, {with_text:?}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn facets_follow_every_change_and_all_plans_find_the_same_candidates() {
    let t = search_mirror().await;
    assert_plans_agree(&t, "after the first load");
    let m = &t.mirror;
    let found = |q: SearchQuery| sorted_ids(m, q);
    let interview = || SearchQuery {
        stages: vec![Stage::Interview],
        ..Default::default()
    };
    assert_eq!(found(interview()).await, vec!["1", "4"]);

    // An application that arrives before its candidate; a second application of candidate 1.
    apply(
        m,
        RecordKind::Application,
        applications(vec![
            application("a6", "6", "j-rust", "s-int"),
            application("a7", "1", "j-compiler", "s-rej"),
        ]),
        "a2",
        NOW,
    )
    .await;
    apply(
        m,
        RecordKind::Candidate,
        candidates(vec![candidate(
            "6",
            "Edsger",
            "Dijkstra",
            "edsger@example.com",
        )]),
        "c2",
        NOW,
    )
    .await;
    assert_plans_agree(&t, "after a late candidate");
    assert_eq!(found(interview()).await, vec!["1", "4", "6"]);

    // An application moves to another status (candidate 1 then holds two applications in one
    // status: an update must not trip over the repeated facet); another gets a stage of its own.
    let mut a1 = application("a1", "1", "j-rust", "s-rej");
    a1.updated_at = Some(NOW);
    let mut a3 = application("a3", "4", "j-compiler", "s-int");
    a3.stage = Some(Stage::Screening);
    a3.updated_at = Some(NOW);
    apply(
        m,
        RecordKind::Application,
        applications(vec![a1, a3]),
        "a3",
        NOW,
    )
    .await;
    assert_plans_agree(&t, "after moves");
    assert_eq!(found(interview()).await, vec!["6"]);

    // A status's stage changes: applications without a stage of their own follow it.
    m.upsert_record(
        CONN,
        AtsRecord::Status(status("s-int", "Phone screen", Stage::Offer)),
        NOW,
    )
    .await
    .unwrap();
    assert_plans_agree(&t, "after a status changed stage");
    assert!(found(interview()).await.is_empty());

    // An application gone from the ATS no longer counts.
    m.mark_deleted(CONN, RecordKind::Application, "a2", NOW)
        .await
        .unwrap();
    assert_plans_agree(&t, "after a deleted application");
    assert!(
        !found(SearchQuery {
            rejected: Some(true),
            ..Default::default()
        })
        .await
        .contains(&"3".to_string())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_job_search_without_text_starts_from_the_jobs_applicants() {
    let t = search_mirror().await;
    let db = rusqlite::Connection::open(t.mirror.path()).unwrap();
    let q = SearchQuery {
        job_ids: vec!["j-rust".into()],
        ..Default::default()
    };
    assert_eq!(choose_plan(&db, CONN, &q).unwrap(), SearchPlan::Selective);
    let s = search_sql(CONN, &q, SearchPlan::Selective, 50);
    let plan: Vec<String> = db
        .prepare(&format!("EXPLAIN QUERY PLAN {}", s.sql))
        .unwrap()
        .query_map(rusqlite::params_from_iter(s.params.iter()), |r| r.get(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let plan = plan.join("\n");
    assert!(plan.contains("applications_by_job"), "{plan}");
    assert!(!plan.contains("candidates_updated"), "{plan}");
    assert_eq!(sorted_ids(&t.mirror, q).await, vec!["1", "3"]);
}

/// The ids a search finds through the mirror, sorted (the set, whatever the plan's order).
async fn sorted_ids(m: &ats_mirror_sqlite::SqliteMirror, q: SearchQuery) -> Vec<String> {
    let mut found = search_ids(m, q).await;
    found.sort();
    found
}

/// Adds `n` facet rows of `facet` for rowids no candidate of this connection holds (as another
/// connection's candidates would), so the facet's size alone moves the plan.
fn pad_facet(db: &rusqlite::Connection, facet: &str, from: i64, n: i64) {
    db.execute(
        "WITH RECURSIVE r(x) AS (SELECT ?2 UNION ALL SELECT x + 1 FROM r WHERE x < ?2 + ?3 - 1) \
         INSERT INTO candidate_facets (facet, rid) SELECT ?1, x FROM r",
        rusqlite::params![facet, from, n],
    )
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stage_a_few_thousand_hold_narrows_the_walk_by_recency_and_finds_the_same() {
    let t = search_mirror().await;
    let db = rusqlite::Connection::open(t.mirror.path()).unwrap();
    let q = SearchQuery {
        stages: vec![Stage::Interview],
        ..Default::default()
    };
    let expected = found_with(&t, &q, SearchPlan::Recent);
    assert!(!expected.is_empty());
    assert_eq!(choose_plan(&db, CONN, &q).unwrap(), SearchPlan::Selective);

    pad_facet(
        &db,
        "stage:interview",
        10_000_000,
        ats_mirror_sqlite::SELECTIVE_MAX + 1,
    );
    assert_eq!(
        choose_plan(&db, CONN, &q).unwrap(),
        SearchPlan::RecentNarrowed
    );
    assert_eq!(sorted_ids(&t.mirror, q.clone()).await, expected);

    pad_facet(
        &db,
        "stage:interview",
        20_000_000,
        ats_mirror_sqlite::NARROW_MAX,
    );
    assert_eq!(choose_plan(&db, CONN, &q).unwrap(), SearchPlan::Recent);
    assert_eq!(sorted_ids(&t.mirror, q).await, expected);
}
