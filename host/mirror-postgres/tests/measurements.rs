//! Figures, not checks (`--ignored --nocapture` prints them): pages of candidates written into
//! each backend, one quota admission, and a text search, on this machine.

use ats_mirror::testsuite::fixtures::*;
use ats_mirror::{LedgerStore, Mirror, SearchQuery};
use ats_mirror_postgres::PgMirror;
use ats_mirror_sqlite::SqliteMirror;
use ats_model::RecordKind;
use std::time::Instant;

const PAGES: usize = 40;
const PAGE: usize = 250;

async fn write_rate(m: &dyn Mirror) -> f64 {
    let started = Instant::now();
    for p in 0..PAGES {
        let people = (0..PAGE)
            .map(|i| {
                let n = p * PAGE + i;
                let mut c = candidate(
                    &n.to_string(),
                    "Ada",
                    &format!("Lovelace{n}"),
                    &format!("ada{n}@example.com"),
                );
                c.current_title =
                    Some(["Rust engineer", "Data scientist", "Recruiter"][n % 3].into());
                c.skills = vec!["rust".into(), "sql".into()];
                c
            })
            .collect();
        apply(
            m,
            RecordKind::Candidate,
            candidates(people),
            &p.to_string(),
            NOW,
        )
        .await;
    }
    (PAGES * PAGE) as f64 / started.elapsed().as_secs_f64()
}

async fn search_ms(m: &dyn Mirror) -> f64 {
    let q = SearchQuery {
        text: Some("rust engineer".into()),
        limit: 20,
        now: NOW,
        ..SearchQuery::default()
    };
    let started = Instant::now();
    for _ in 0..20 {
        m.search_candidates(CONN, &q).await.unwrap();
    }
    started.elapsed().as_secs_f64() * 1000.0 / 20.0
}

fn admission_us(m: &dyn LedgerStore) -> f64 {
    let value = format!("{{\"limit\":10000,\"pad\":\"{}\"}}", "x".repeat(160));
    let started = Instant::now();
    for _ in 0..2_000 {
        m.update_ledger("acme", &mut |_| Some(value.clone()))
            .unwrap();
    }
    started.elapsed().as_secs_f64() * 1e6 / 2_000.0
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "a measurement, not a check"]
async fn postgres_beside_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteMirror::open(dir.path().join("m.sqlite")).unwrap();
    let pg = PgMirror::connect(&ats_test_postgres::database())
        .await
        .unwrap();
    let (ws, wp) = (write_rate(&sqlite).await, write_rate(&pg).await);
    let (ss, sp) = (search_ms(&sqlite).await, search_ms(&pg).await);
    let (ls, lp) = (admission_us(&sqlite), admission_us(&pg));
    println!(
        "{} candidates in pages of {PAGE}: SQLite {ws:.0}/s, PostgreSQL {wp:.0}/s ({:.2}x)",
        PAGES * PAGE,
        wp / ws
    );
    println!("search `rust engineer`, limit 20: SQLite {ss:.1} ms, PostgreSQL {sp:.1} ms");
    println!("one quota admission: SQLite {ls:.0} µs, PostgreSQL {lp:.0} µs");
}
