//! Issue 5: a record deleted in the ATS is soft-deleted in the mirror after a clean id scan
//! (and only after the grace period); ids scans cost searches only.

use ats_app::sync_runner::{SyncOptions, sync_connection};
use ats_model::RecordKind;
use ats_sync::NoProgress;
use e2e_tests::host_fixture;
use icims_sim::RecordType;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_deleted_in_icims_is_soft_deleted_after_reconciliation() {
    let env = host_fixture::start(host_fixture::sim_config(300, 10, 200)).await;
    let cid = env.customer();
    let live = env.connect_icims("acme", cid).await;
    let people = SyncOptions {
        streams: vec!["candidates".into()],
        ..SyncOptions::default()
    };
    sync_connection(&env.host, &live, &people, &NoProgress)
        .await
        .unwrap();
    // The mirror only suspects records it held before a scan began (one-second resolution).
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;

    let state = env.sim.state();
    let gone = state.ids(cid, RecordType::People).unwrap()[42] as u64;
    state.delete_person(cid, gone).unwrap();

    // Within the grace period a scan only marks the person missing, and reads no profiles.
    let engine = ats_sync::Engine::new(env.host.store(), ats_sync::EngineConfig::default());
    state.reset_counters();
    let end = engine
        .reconcile(&live, &live.meter, "acme", RecordKind::Candidate, 3_600)
        .await
        .unwrap();
    let ats_sync::ReconcileEnd::Completed(outcome) = end else {
        panic!("{end:?}")
    };
    assert_eq!(
        (outcome.seen, outcome.newly_missing, outcome.deleted),
        (299, 1, 0)
    );
    assert_eq!(
        env.host
            .mirror
            .ids("acme", RecordKind::Candidate)
            .await
            .unwrap()
            .len(),
        300
    );
    let counters = state.counters();
    assert_eq!(
        counters.endpoint("get.people"),
        0,
        "an id scan reads no profiles"
    );
    assert_eq!(
        counters.endpoint("search.people"),
        1,
        "299 ids fit one search"
    );

    let scan = SyncOptions {
        streams: vec!["candidates".into()],
        reconcile: true,
        ..SyncOptions::default()
    };
    // Past the grace period, the next clean scan soft-deletes it; nothing else changes.
    let scan = SyncOptions {
        reconcile_grace_seconds: 0,
        ..scan
    };
    let reports = sync_connection(&env.host, &live, &scan, &NoProgress)
        .await
        .unwrap();
    let summary = reports[0].reconcile.clone().expect("a scan ran");
    assert!(summary.contains("1 deleted"), "{summary}");
    let live_ids = env
        .host
        .mirror
        .ids("acme", RecordKind::Candidate)
        .await
        .unwrap();
    assert_eq!(live_ids.len(), 299);
    assert!(!live_ids.contains(&gone.to_string()));
    let stored = env
        .host
        .mirror
        .record("acme", RecordKind::Candidate, &gone.to_string())
        .await
        .unwrap();
    assert!(stored.expect("kept, soft-deleted").deleted_at.is_some());
}
