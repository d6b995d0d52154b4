//! Issue 5: with 429s, 5xx, timeouts, connection resets, truncated and malformed bodies injected
//! at random, a full sync still ends with the mirror equal to the simulator: nothing lost,
//! nothing doubled.

use ats_app::sync_runner::{SyncOptions, sync_connection};
use ats_model::RecordKind;
use ats_sync::NoProgress;
use e2e_tests::host_fixture;
use icims_sim::{FaultKind, RecordType};
use std::collections::BTreeSet;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_sync_survives_injected_faults() {
    let mut config = host_fixture::sim_config(2_300, 30, 1_400);
    config.faults.seed = 11;
    config.faults.timeout_hold_ms = 1_000;
    for (kind, rate) in [
        (FaultKind::TooManyRequests, 0.004),
        (FaultKind::InternalError, 0.004),
        (FaultKind::Unavailable, 0.004),
        (FaultKind::Timeout, 0.001),
        (FaultKind::Reset, 0.004),
        (FaultKind::Truncated, 0.004),
        (FaultKind::Malformed, 0.004),
    ] {
        config.faults.rates.insert(kind, rate);
    }
    let env = host_fixture::start(config).await;
    let cid = env.customer();
    let live = env.connect_icims("acme", cid).await;

    let reports = sync_connection(&env.host, &live, &SyncOptions::default(), &NoProgress)
        .await
        .expect("the sync runs");
    assert!(
        reports.iter().all(|r| r.outcome == "completed"),
        "{reports:#?}"
    );

    let state = env.sim.state();
    let faults = state.counters().faulted;
    assert!(
        faults > 50,
        "the test must inject faults; it injected {faults}"
    );
    for (ty, kind) in [
        (RecordType::People, RecordKind::Candidate),
        (RecordType::Jobs, RecordKind::Job),
        (RecordType::Workflows, RecordKind::Application),
    ] {
        let sim: BTreeSet<u64> = state
            .ids(cid, ty)
            .unwrap()
            .into_iter()
            .map(u64::from)
            .collect();
        let mirror_ids = env.host.mirror.ids("acme", kind).await.unwrap();
        let mirror: BTreeSet<u64> = mirror_ids.iter().map(|i| i.parse().unwrap()).collect();
        assert_eq!(mirror.len(), mirror_ids.len(), "{kind}: duplicated ids");
        assert_eq!(mirror, sim, "{kind}: lost or extra records");
        let counts = env.host.mirror.counts("acme").await.unwrap().get(kind);
        assert_eq!(
            (counts.live, counts.deleted),
            (sim.len() as u64, 0),
            "{kind}"
        );
    }
    let retries: u64 = reports.iter().map(|r| r.retries).sum();
    println!("survived {faults} injected faults ({retries} page retries)");
}
