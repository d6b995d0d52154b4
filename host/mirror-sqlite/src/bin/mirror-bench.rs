//! Prints how fast the SQLite mirror stores pages and answers rediscovery searches on synthetic
//! data. Reports only; asserts nothing.
//!
//! Usage: `mirror-bench [CANDIDATES] [PATH] [--load-only | --search-only | --search-only-fts]`
//! (default 100000 candidates, a temporary file; `--search-only` reuses a file loaded before,
//! `--search-only-fts` without the search index), or `mirror-bench --query PATH SQL…` to time statements against an existing
//! file (each is run three times; the last time is printed with its row count).
//! One application per candidate is loaded as well, over 200 jobs.

use ats_mirror::{MirrorQueries, MirrorStore, PageWrite, SearchQuery, StreamLabel, StreamState};
use ats_mirror_sqlite::{SqliteMirror, choose_plan, search_sql};
use ats_model::{
    Address, Application, AtsRecord, Candidate, Email, NamedRef, Phone, RecordKind, Stage,
};
use std::time::{Duration, Instant};

const CONN: &str = "bench";
const PAGE: usize = 1000;
const NOW: i64 = 1_760_000_000;

const FIRST: &[&str] = &[
    "Ada", "Alan", "Grace", "Linus", "Barbara", "Ken", "Margaret", "Dennis", "Frances", "Edsger",
    "Radia", "Donald",
];
const LAST: &[&str] = &[
    "Lovelace", "Turing", "Hopper", "Torvalds", "Liskov", "Thompson", "Hamilton", "Ritchie",
    "Allen", "Dijkstra", "Perlman", "Knuth", "Smith", "Garcia", "Nguyen", "Kowalski",
];
const TITLES: &[&str] = &[
    "Software Engineer",
    "Rust Engineer",
    "Data Scientist",
    "Product Manager",
    "Nurse",
    "Account Executive",
    "Recruiter",
    "Mechanical Engineer",
    "Designer",
    "Accountant",
];
const SKILLS: &[&str] = &[
    "rust",
    "python",
    "sql",
    "kubernetes",
    "sales",
    "excel",
    "figma",
    "react",
    "java",
    "go",
    "nursing",
    "cad",
    "negotiation",
    "ml",
    "aws",
];
const CITIES: &[&str] = &[
    "Austin", "Boston", "Chicago", "Denver", "London", "Paris", "Berlin", "Toronto",
];
const STAGES: &[Stage] = &[
    Stage::New,
    Stage::Screening,
    Stage::Interview,
    Stage::Rejected,
    Stage::Hired,
];

/// Deterministic pseudo-random numbers (xorshift), so runs compare.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

fn candidate(i: usize, rng: &mut Rng) -> Candidate {
    let first = rng.pick(FIRST).to_string();
    let last = rng.pick(LAST).to_string();
    let skills = (0..4).map(|_| rng.pick(SKILLS).to_string()).collect();
    Candidate {
        id: format!("{:08}", i + 1),
        emails: vec![Email {
            address: format!(
                "{}.{}{}@example.com",
                first.to_lowercase(),
                last.to_lowercase(),
                i
            ),
            kind: None,
            primary: true,
        }],
        phones: vec![Phone {
            number: format!("(415) 555-{:04}", i % 10_000),
            kind: None,
        }],
        addresses: vec![Address {
            city: Some(rng.pick(CITIES).to_string()),
            country: Some("US".into()),
            ..Address::default()
        }],
        current_title: Some(rng.pick(TITLES).to_string()),
        current_company: Some(format!("Company {}", rng.next() % 5000)),
        skills,
        folder: Some(NamedRef {
            id: format!("f{}", rng.next() % 5),
            name: None,
        }),
        source: Some(
            ["LinkedIn", "Referral", "Indeed", "Career site"][(rng.next() % 4) as usize].into(),
        ),
        updated_at: Some(NOW - (rng.next() % (5 * 365 * 86_400)) as i64),
        created_at: Some(NOW - 6 * 365 * 86_400),
        raw: Some(format!(
            "{{\"id\":{},\"firstName\":\"{first}\",\"lastName\":\"{last}\",\"padding\":\"{}\"}}",
            i + 1,
            "x".repeat(400)
        )),
        first_name: Some(first),
        last_name: Some(last),
        ..Candidate::default()
    }
}

fn application(i: usize, rng: &mut Rng) -> Application {
    let stage = *rng.pick(STAGES);
    Application {
        id: format!("a{:08}", i + 1),
        candidate_id: format!("{:08}", i + 1),
        job_id: format!("j{}", rng.next() % 200),
        status: Some(NamedRef {
            id: format!("s-{}", stage.as_str()),
            name: Some(stage.as_str().into()),
        }),
        stage: Some(stage),
        applied_at: Some(NOW - (rng.next() % (3 * 365 * 86_400)) as i64),
        updated_at: Some(NOW - (rng.next() % (365 * 86_400)) as i64),
        ..Application::default()
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn load(
    m: &SqliteMirror,
    kind: RecordKind,
    n: usize,
    make: impl Fn(usize, &mut Rng) -> AtsRecord,
    label: &str,
) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ kind as u64);
    let mut page_times = Vec::new();
    let mut total = Duration::ZERO;
    let mut upserted = 0;
    for start in (0..n).step_by(PAGE) {
        let records: Vec<AtsRecord> = (start..(start + PAGE).min(n))
            .map(|i| make(i, &mut rng))
            .collect();
        let state = StreamState {
            label: StreamLabel::Syncing,
            cursor: Some(start.to_string()),
            ..StreamState::default()
        };
        let page = PageWrite {
            kind,
            records,
            gone: Vec::new(),
            record_errors: Vec::new(),
            fence: None,
        };
        let t = Instant::now();
        let out = m
            .apply_page(CONN, kind.as_str(), page, &state, NOW)
            .await
            .expect("apply_page");
        let d = t.elapsed();
        upserted += out.upserted() + out.unchanged;
        total += d;
        page_times.push(d);
    }
    page_times.sort();
    println!(
        "{label:<28} {n:>9} records  {:>8.0} records/s  page p50 {:>6.1} ms  p95 {:>6.1} ms  ({upserted} written)",
        n as f64 / total.as_secs_f64(),
        percentile(&page_times, 0.5).as_secs_f64() * 1e3,
        percentile(&page_times, 0.95).as_secs_f64() * 1e3,
    );
}

/// Times ad-hoc statements on an existing mirror file (query-plan experiments).
fn time_queries(path: &str, statements: impl Iterator<Item = String>) {
    let db = rusqlite::Connection::open(path).expect("open");
    for sql in statements {
        let mut rows = 0;
        let mut elapsed = Duration::ZERO;
        for _ in 0..3 {
            let t = Instant::now();
            let mut stmt = db.prepare(&sql).expect("prepare");
            rows = stmt.query_map([], |_| Ok(())).expect("query").count();
            elapsed = t.elapsed();
        }
        println!(
            "{:>8.1} ms {rows:>8} rows  {sql}",
            elapsed.as_secs_f64() * 1e3
        );
    }
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    if std::env::args().nth(1).as_deref() == Some("--query") {
        let path = args.nth(1).expect("--query PATH SQL…");
        return time_queries(&path, args);
    }
    let n: usize = args
        .next()
        .map(|a| a.parse().expect("CANDIDATES must be a number"))
        .unwrap_or(100_000);
    let dir = tempfile_dir();
    let path = args
        .next()
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.join("mirror-bench.db"));
    let mode = args.next();
    let fts_only = mode.as_deref() == Some("--search-only-fts");
    let search_only = fts_only || mode.as_deref() == Some("--search-only");
    if !search_only {
        let _ = std::fs::remove_file(&path);
        let _ = std::fs::remove_dir_all(ats_mirror_sqlite::index_dir(&path));
    }
    let m = if fts_only {
        SqliteMirror::without_search_index(&path)
    } else {
        SqliteMirror::open(&path)
    }
    .expect("open mirror");
    println!(
        "mirror-bench: {n} candidates and {n} applications in {}",
        path.display()
    );

    if !search_only {
        let cand = |i, rng: &mut Rng| AtsRecord::Candidate(candidate(i, rng));
        load(&m, RecordKind::Candidate, n, cand, "candidates, first load").await;
        load(&m, RecordKind::Candidate, n, cand, "candidates, unchanged").await;
        load(
            &m,
            RecordKind::Application,
            n,
            |i, rng| AtsRecord::Application(application(i, rng)),
            "applications, first load",
        )
        .await;
    }
    if mode.as_deref() == Some("--load-only") {
        return;
    }

    let queries: Vec<(&str, SearchQuery)> = vec![
        (
            "text: rare name",
            SearchQuery {
                text: Some("dijkstra radia".into()),
                ..SearchQuery::default()
            },
        ),
        (
            "text: common word",
            SearchQuery {
                text: Some("engineer".into()),
                ..SearchQuery::default()
            },
        ),
        (
            "text: two words",
            SearchQuery {
                text: Some("rust kubernetes".into()),
                ..SearchQuery::default()
            },
        ),
        (
            "text + job",
            SearchQuery {
                text: Some("python".into()),
                job_ids: vec!["j7".into()],
                ..SearchQuery::default()
            },
        ),
        (
            "text + rejected + applied",
            SearchQuery {
                text: Some("nurse boston".into()),
                rejected: Some(true),
                applied_from: Some(NOW - 365 * 86_400),
                ..SearchQuery::default()
            },
        ),
        (
            "job only",
            SearchQuery {
                job_ids: vec!["j42".into()],
                ..SearchQuery::default()
            },
        ),
        (
            "stage only",
            SearchQuery {
                stages: vec![Stage::Hired],
                ..SearchQuery::default()
            },
        ),
        (
            "folder + source",
            SearchQuery {
                folder_ids: vec!["f3".into()],
                source: Some("referral".into()),
                ..SearchQuery::default()
            },
        ),
        ("recent, no filter", SearchQuery::default()),
    ];
    let built = Instant::now();
    m.catch_up_search_index().await.expect("search index");
    println!(
        "search index up to date in {:.1} s ({:?} candidates in it)",
        built.elapsed().as_secs_f64(),
        m.search_index_docs()
    );
    let db = rusqlite::Connection::open(&path).expect("open for plans");
    let mut all = Vec::new();
    for (label, q) in &queries {
        let q = SearchQuery {
            now: NOW,
            limit: 20,
            ..q.clone()
        };
        let mut times = Vec::new();
        let mut hits = 0;
        for _ in 0..10 {
            let t = Instant::now();
            hits = m
                .search_candidates(CONN, &q)
                .await
                .expect("search")
                .hits
                .len();
            times.push(t.elapsed());
        }
        all.extend(times.iter().copied());
        times.sort();
        println!(
            "search {label:<28} p50 {:>7.1} ms  p95 {:>7.1} ms  ({hits} hits)",
            percentile(&times, 0.5).as_secs_f64() * 1e3,
            percentile(&times, 0.95).as_secs_f64() * 1e3,
        );
        let plan = choose_plan(&db, CONN, &q).expect("plan");
        let s = search_sql(CONN, &q, plan, 50);
        let mut stmt = db
            .prepare(&format!("EXPLAIN QUERY PLAN {}", s.sql))
            .expect("plan");
        let steps: Vec<String> = stmt
            .query_map(rusqlite::params_from_iter(s.params.iter()), |r| r.get(3))
            .expect("plan rows")
            .collect::<Result<_, _>>()
            .expect("plan rows");
        println!("       {plan:?}: {}", steps.join(" | "));
    }
    all.sort();
    println!(
        "search, all queries: p50 {:.1} ms  p95 {:.1} ms",
        percentile(&all, 0.5).as_secs_f64() * 1e3,
        percentile(&all, 0.95).as_secs_f64() * 1e3
    );
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!("file size {:.1} MiB", size as f64 / (1024.0 * 1024.0));
}

fn tempfile_dir() -> std::path::PathBuf {
    std::env::var_os("TMPDIR")
        .map(Into::into)
        .unwrap_or_else(std::env::temp_dir)
}
