//! Meters on one stored ledger (separately opened mirrors on one file, as separate processes
//! have) spend one budget: together they never admit more than the quota, and what each sent is
//! in the one ledger.

use ats_mirror::LedgerStore;
use ats_mirror_sqlite::SqliteMirror;
use ats_model::QuotaSpec;
use ats_sync::meter::{decode_ledger, import_ledger};
use ats_sync::quota::QuotaLedger;
use ats_sync::{Lane, QuotaMeter};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

fn spec(requests_per_day: u64) -> QuotaSpec {
    QuotaSpec {
        requests_per_day: Some(requests_per_day),
        limit_header: Some("x-ratelimit-limit".into()),
        remaining_header: Some("x-ratelimit-remaining".into()),
        reset_header: Some("x-ratelimit-reset".into()),
    }
}

fn stores(dir: &tempfile::TempDir, count: usize) -> Vec<Arc<SqliteMirror>> {
    (0..count)
        .map(|_| Arc::new(SqliteMirror::open(dir.path().join("mirror.sqlite")).unwrap()))
        .collect()
}

#[test]
fn meters_in_several_processes_never_admit_more_than_the_quota() {
    const QUOTA: u64 = 120;
    let dir = tempfile::tempdir().unwrap();
    let meters: Vec<Arc<QuotaMeter>> = stores(&dir, 3)
        .into_iter()
        .map(|store| Arc::new(QuotaMeter::shared(Some(&spec(QUOTA)), store, "acme")))
        .collect();
    let admitted = Arc::new(AtomicU64::new(0));
    let threads: Vec<_> = meters
        .iter()
        .flat_map(|m| [m.clone(), m.clone()])
        .map(|meter| {
            let admitted = admitted.clone();
            std::thread::spawn(move || {
                // Admit and settle (answers without rate-limit headers) until refused.
                while meter.admit().is_ok() {
                    admitted.fetch_add(1, Ordering::Relaxed);
                    meter.observe(std::iter::empty());
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(admitted.load(Ordering::Relaxed), QUOTA);
    let sent: u64 = meters.iter().map(|m| m.counts().0).sum();
    assert_eq!(sent, QUOTA);
    let mut ledger = meters[0].snapshot();
    assert_eq!(ledger.spent(Lane::Interactive), QUOTA);
    assert_eq!(ledger.in_flight(), 0);
    assert_eq!(
        ledger.available(Lane::Interactive, ats_sync::meter::now()),
        Some(0)
    );
    // Every meter reads the same ledger.
    assert!(
        meters
            .iter()
            .all(|m| m.available(Lane::Interactive) == Some(0))
    );
}

#[test]
fn a_meter_takes_the_ats_headers_into_the_shared_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let [a, b] = <[_; 2]>::try_from(stores(&dir, 2)).ok().unwrap();
    let first = QuotaMeter::shared(Some(&spec(10_000)), a.clone(), "acme");
    let second = QuotaMeter::shared(Some(&spec(10_000)), b, "acme");
    first.admit().unwrap();
    second.admit().unwrap();
    first.observe([
        ("X-RateLimit-Limit", "20000"),
        ("x-ratelimit-remaining", "19902"),
        ("x-ratelimit-reset", "9299"),
    ]);
    // Answers reach the store in batches (until then the request counts as in flight there);
    // a flush writes them now.
    first.flush();
    // The other process sees the ATS's count, less its own request still in flight.
    assert_eq!(second.available(Lane::Interactive), Some(19_901));
    let stored = decode_ledger(&a.ledger("acme").unwrap().unwrap()).unwrap();
    assert_eq!(stored.limit(), Some(20_000));
    assert_eq!(stored.in_flight(), 1);
    second.observe_failure();
    second.flush();
    assert_eq!(first.snapshot().in_flight(), 0);
}

#[test]
fn a_meter_reserves_in_blocks_and_gives_back_what_it_did_not_send() {
    let dir = tempfile::tempdir().unwrap();
    let [a, b] = <[_; 2]>::try_from(stores(&dir, 2)).ok().unwrap();
    let stored = || decode_ledger(&a.ledger("acme").unwrap().unwrap()).unwrap();
    let meter = QuotaMeter::shared(Some(&spec(10_000)), a.clone(), "acme");
    // Reservations double while the lane keeps spending: 1, 2, 4, 8, 16, 32, 32, …
    for _ in 0..(1 + 2 + 4 + 8 + 16 + 32 + 5) {
        meter.admit().unwrap();
    }
    let ledger = stored();
    assert_eq!(ledger.in_flight(), 1 + 2 + 4 + 8 + 16 + 32 + 32);
    assert_eq!(ledger.spent(Lane::Interactive), 95);
    // This meter's own view counts only what it sent; another's counts the whole reservation.
    assert_eq!(meter.available(Lane::Interactive), Some(10_000 - 68));
    let other = QuotaMeter::shared(Some(&spec(10_000)), b, "acme");
    assert_eq!(other.available(Lane::Interactive), Some(10_000 - 95));
    for _ in 0..68 {
        meter.observe([("x-ratelimit-remaining", "9000")]);
    }
    // 64 answers were written at once and the rest wait for the next write (unless a second
    // passed on a slow machine, which writes them sooner).
    let in_flight = stored().in_flight();
    assert!((95 - 68..=95 - 64).contains(&in_flight), "{in_flight}");
    assert_eq!(stored().remaining(), Some(9_000));
    meter.flush();
    let ledger = stored();
    assert_eq!(ledger.in_flight(), 0, "{ledger:?}");
    assert_eq!(ledger.spent(Lane::Interactive), 68);
    assert_eq!(other.available(Lane::Interactive), Some(9_000));
    // Dropping a meter gives back what it holds too: four sent from reservations of 1, 2, 4.
    for _ in 0..4 {
        other.admit().unwrap();
    }
    assert_eq!(stored().in_flight(), 7);
    drop(other);
    assert_eq!(stored().in_flight(), 4, "the four sent are still in flight");
    assert_eq!(stored().spent(Lane::Interactive), 68 + 4);
}

#[test]
fn a_saved_ledger_is_imported_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = stores(&dir, 1).remove(0);
    let mut saved = QuotaLedger::new(Some(100));
    saved.try_admit(Lane::Backfill, 0).unwrap();
    assert!(import_ledger(store.as_ref(), "acme", saved.clone()).unwrap());
    let meter = QuotaMeter::shared(Some(&spec(100)), store.clone(), "acme");
    assert_eq!(meter.snapshot().spent(Lane::Backfill), 1);
    assert_eq!(meter.snapshot().in_flight(), 0, "the saved request is over");
    meter.admit().unwrap();
    assert!(!import_ledger(store.as_ref(), "acme", saved).unwrap());
    assert_eq!(meter.snapshot().spent(Lane::Interactive), 1);
}

/// What admitting and settling one request costs on the shared ledger (an IMMEDIATE
/// transaction, a JSON decode and encode, per reservation of up to 32 requests and per batch of
/// answers) and in memory. Run with
/// `cargo test --workspace --test shared_meter -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check"]
fn admission_cost() {
    let dir = tempfile::tempdir().unwrap();
    let store = stores(&dir, 1).remove(0);
    let shared = QuotaMeter::shared(Some(&spec(u64::MAX / 2)), store, "acme");
    let local = QuotaMeter::new(Some(&spec(u64::MAX / 2)));
    let headers = [
        ("x-ratelimit-limit", "100000000"),
        ("x-ratelimit-remaining", "99999999"),
        ("x-ratelimit-reset", "9299"),
    ];
    for (name, meter) in [("shared (SQLite)", &shared), ("in memory", &local)] {
        let rounds = 10_000;
        let mut admit = std::time::Duration::ZERO;
        let mut settle = std::time::Duration::ZERO;
        for _ in 0..rounds {
            let t = std::time::Instant::now();
            meter.admit().unwrap();
            admit += t.elapsed();
            let t = std::time::Instant::now();
            meter.observe(headers);
            settle += t.elapsed();
        }
        println!(
            "{name}: admit {:?}, settle {:?} per request",
            admit / rounds,
            settle / rounds
        );
    }
}

/// A store that always fails, as a locked or lost database would.
struct BrokenStore;

impl LedgerStore for BrokenStore {
    fn update_ledger(
        &self,
        _connection: &str,
        _update: &mut dyn FnMut(Option<&str>) -> Option<String>,
    ) -> Result<(), ats_mirror::MirrorError> {
        Err(ats_mirror::MirrorError::NotFound(
            "the database is gone".into(),
        ))
    }

    fn ledger(&self, _connection: &str) -> Result<Option<String>, ats_mirror::MirrorError> {
        Err(ats_mirror::MirrorError::NotFound(
            "the database is gone".into(),
        ))
    }
}

#[test]
fn a_meter_whose_shared_ledger_fails_admits_nothing() {
    let meter = QuotaMeter::shared(Some(&spec(1_000)), Arc::new(BrokenStore), "acme");
    let pause = meter
        .admit()
        .expect_err("a request the shared ledger did not count must not leave");
    assert!(pause.until.is_some(), "the lane is told when to ask again");
    assert_eq!(meter.counts(), (0, 1));
    // Settling still works on this process's copy (nothing to send, nothing lost).
    meter.observe_failure();
}
