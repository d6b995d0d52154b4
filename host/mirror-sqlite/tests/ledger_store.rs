//! The quota ledger store: an update is one atomic read-modify-write, across threads and across
//! separately opened mirrors on one file (as two processes would), so admission never spends
//! more than the budget. Each behaviour is one function taking any backend's stores.

use ats_mirror::LedgerStore;
use ats_mirror_sqlite::SqliteMirror;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Several mirrors opened on one file: each has its own writer connection, as separate
/// processes would.
fn sqlite_stores(dir: &tempfile::TempDir, count: usize) -> Vec<Arc<dyn LedgerStore>> {
    let path = dir.path().join("mirror.sqlite");
    (0..count)
        .map(|_| Arc::new(SqliteMirror::open(&path).unwrap()) as Arc<dyn LedgerStore>)
        .collect()
}

/// A toy ledger: the value is the number of requests spent; admission spends one while fewer
/// than `limit` are spent.
fn admit(store: &dyn LedgerStore, connection: &str, limit: u64) -> bool {
    let mut admitted = false;
    store
        .update_ledger(connection, &mut |state| {
            let spent: u64 = state.map_or(0, |s| s.parse().unwrap());
            admitted = spent < limit;
            admitted.then(|| (spent + 1).to_string())
        })
        .unwrap();
    admitted
}

/// Threads on several stores race for the last requests of a budget: exactly `limit` are
/// admitted, whatever the interleaving, and the stored count says so.
fn concurrent_admission_never_exceeds_the_limit(stores: Vec<Arc<dyn LedgerStore>>) {
    const LIMIT: u64 = 300;
    const THREADS_PER_STORE: usize = 3;
    let admitted = Arc::new(AtomicU64::new(0));
    let attempts = Arc::new(AtomicU64::new(0));
    let threads: Vec<_> = stores
        .iter()
        .flat_map(|store| (0..THREADS_PER_STORE).map(move |_| store.clone()))
        .map(|store| {
            let (admitted, attempts) = (admitted.clone(), attempts.clone());
            std::thread::spawn(move || {
                // Each thread alone would take the whole budget.
                for _ in 0..LIMIT {
                    attempts.fetch_add(1, Ordering::Relaxed);
                    if admit(store.as_ref(), "acme", LIMIT) {
                        admitted.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert!(attempts.load(Ordering::Relaxed) > 2 * LIMIT);
    assert_eq!(admitted.load(Ordering::Relaxed), LIMIT);
    for store in &stores {
        assert_eq!(store.ledger("acme").unwrap().as_deref(), Some("300"));
    }
}

/// Ledgers are per connection; `None` from the update leaves the stored value; a ledger never
/// written reads as `None`.
fn ledgers_are_per_connection_and_none_leaves_them(stores: Vec<Arc<dyn LedgerStore>>) {
    let (a, b) = (&stores[0], &stores[1]);
    assert_eq!(a.ledger("acme").unwrap(), None);
    a.update_ledger("acme", &mut |_| Some("one".into()))
        .unwrap();
    b.update_ledger("globex", &mut |_| Some("two".into()))
        .unwrap();
    let mut seen = None;
    b.update_ledger("acme", &mut |state| {
        seen = state.map(str::to_string);
        None
    })
    .unwrap();
    assert_eq!(seen.as_deref(), Some("one"));
    assert_eq!(b.ledger("acme").unwrap().as_deref(), Some("one"));
    assert_eq!(a.ledger("globex").unwrap().as_deref(), Some("two"));
}

#[test]
fn sqlite_concurrent_admission_never_exceeds_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    concurrent_admission_never_exceeds_the_limit(sqlite_stores(&dir, 3));
}

#[test]
fn sqlite_ledgers_are_per_connection_and_none_leaves_them() {
    let dir = tempfile::tempdir().unwrap();
    ledgers_are_per_connection_and_none_leaves_them(sqlite_stores(&dir, 2));
}

/// What one admission costs (a read and a write in one IMMEDIATE transaction, WAL, synchronous
/// = NORMAL). Run with `--ignored --nocapture` to print the figure.
#[test]
#[ignore = "a measurement, not a check"]
fn sqlite_admission_cost() {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite_stores(&dir, 1).remove(0);
    // A ledger-sized value (the engine's JSON is about this long).
    let value = format!("{{\"limit\":10000,\"pad\":\"{}\"}}", "x".repeat(160));
    let rounds = 20_000;
    let started = std::time::Instant::now();
    for _ in 0..rounds {
        store
            .update_ledger("acme", &mut |_| Some(value.clone()))
            .unwrap();
    }
    let per = started.elapsed() / rounds;
    println!("one ledger update: {per:?}");
}

/// Ledgers live in a file of their own beside the mirror; those an earlier version kept in the
/// mirror's own `quota_ledgers` table are copied over once, so no spent budget is forgotten.
#[test]
fn ledgers_kept_in_the_mirror_file_are_copied_to_the_ledger_file_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mirror.sqlite");
    drop(SqliteMirror::open(&path).unwrap());
    let ledgers = ats_mirror_sqlite::ledger::ledgers_path(&path);
    assert_eq!(ledgers, dir.path().join("mirror.ledgers.sqlite"));
    assert!(ledgers.is_file());
    // As an earlier version left it: a ledger in the mirror file, no ledger file.
    std::fs::remove_file(&ledgers).unwrap();
    let db = rusqlite::Connection::open(&path).unwrap();
    db.execute(
        "INSERT INTO quota_ledgers (connection, state, updated_at) VALUES ('acme', '41', 1)",
        [],
    )
    .unwrap();
    drop(db);
    let mirror = SqliteMirror::open(&path).unwrap();
    assert_eq!(mirror.ledger("acme").unwrap().as_deref(), Some("41"));
    assert!(admit(&mirror, "acme", 100));
    drop(mirror);
    // Copied once: reopening does not bring the old value back.
    let mirror = SqliteMirror::open(&path).unwrap();
    assert_eq!(mirror.ledger("acme").unwrap().as_deref(), Some("42"));
}
