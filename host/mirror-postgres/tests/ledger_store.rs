//! The quota ledger on PostgreSQL: an update is one atomic read-modify-write across threads and
//! across separately opened mirrors on one database (as separate processes would be), so
//! admission never spends more than the budget; and the synchronous calls work from inside a
//! tokio runtime, where the runtime's HTTP hook makes them.

use ats_mirror::LedgerStore;
use ats_mirror_postgres::PgMirror;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Several mirrors on one database, each with its own ledger connection, on a runtime that
/// outlives them.
fn stores(count: usize) -> (tokio::runtime::Runtime, Vec<Arc<dyn LedgerStore>>) {
    let url = ats_test_postgres::database();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let stores = (0..count)
        .map(|_| {
            let m = runtime.block_on(PgMirror::connect(&url)).unwrap();
            Arc::new(m) as Arc<dyn LedgerStore>
        })
        .collect();
    (runtime, stores)
}

/// The value is the number of requests spent; admission spends one while fewer than `limit`.
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

#[test]
fn concurrent_admission_on_two_mirrors_never_exceeds_the_limit() {
    const LIMIT: u64 = 200;
    const THREADS_PER_STORE: usize = 2;
    let (_runtime, stores) = stores(2);
    let admitted = Arc::new(AtomicU64::new(0));
    let attempts = Arc::new(AtomicU64::new(0));
    let threads: Vec<_> = stores
        .iter()
        .flat_map(|store| (0..THREADS_PER_STORE).map(move |_| store.clone()))
        .map(|store| {
            let (admitted, attempts) = (admitted.clone(), attempts.clone());
            std::thread::spawn(move || {
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
        assert_eq!(store.ledger("acme").unwrap().as_deref(), Some("200"));
    }
}

#[test]
fn ledgers_are_per_connection_and_none_leaves_them() {
    let (_runtime, stores) = stores(2);
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
    // A ledger only locked (its update chose to write nothing) still reads as never written.
    b.update_ledger("initech", &mut |_| None).unwrap();
    assert_eq!(a.ledger("initech").unwrap(), None);
}

#[test]
fn a_caller_that_panics_mid_update_changes_nothing_and_the_ledger_stays_usable() {
    let (_runtime, stores) = stores(1);
    let store = stores[0].clone();
    admit(store.as_ref(), "acme", 10);
    let panicking = store.clone();
    let joined = std::thread::spawn(move || {
        panicking
            .update_ledger("acme", &mut |_| panic!("the caller's decision failed"))
            .ok();
    })
    .join();
    assert!(joined.is_err());
    assert_eq!(store.ledger("acme").unwrap().as_deref(), Some("1"));
    assert!(admit(store.as_ref(), "acme", 10));
    assert_eq!(store.ledger("acme").unwrap().as_deref(), Some("2"));
}

/// The runtime's HTTP hook calls the ledger on a worker thread; a current-thread runtime (the
/// default of `#[tokio::test]`) is the hardest case: nothing else can run while it waits.
#[tokio::test]
async fn updates_from_inside_a_current_thread_runtime_neither_panic_nor_deadlock() {
    let url = ats_test_postgres::database();
    let mirror = PgMirror::connect(&url).await.unwrap();
    for _ in 0..5 {
        assert!(admit(&mirror, "acme", 10));
    }
    assert_eq!(mirror.ledger("acme").unwrap().as_deref(), Some("5"));
    // The synchronous open works here too.
    let reopened = PgMirror::open(&url).unwrap();
    assert_eq!(reopened.ledger("acme").unwrap().as_deref(), Some("5"));
}
