//! Issue 5: with a request quota smaller than a full load needs, the host stops at the budget,
//! reports paused-for-quota with the reset time taken from the ATS's headers, never receives a
//! quota-exceeded answer, and completes after the window resets.

use ats_app::status_view::connection_status;
use ats_app::sync_runner::{SyncOptions, sync_connection};
use ats_model::RecordKind;
use ats_sync::{NoProgress, SyncStatus};
use e2e_tests::host_fixture;
use icims_sim::RecordType;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_load_larger_than_the_quota_pauses_then_completes_after_the_reset() {
    let mut config = host_fixture::sim_config(900, 6, 200);
    config.quota.limit = 800;
    // A short window (the simulator's clock runs at real speed) so the reset comes quickly;
    // the host must learn it from `x-ratelimit-reset`, not assume midnight.
    config.quota.window_secs = 12;
    let env = host_fixture::start(config).await;
    let cid = env.customer();
    let live = env.connect_icims("acme", cid).await;
    // The window is aligned to the epoch, so a run that straddles a reset gets a fresh budget
    // halfway and never pauses. Start with most of a window ahead (the first run takes a second
    // or two, more on a loaded machine).
    let left = env.sim.state().quota(cid).unwrap().reset_secs;
    if left < 9 {
        tokio::time::sleep(std::time::Duration::from_millis(left as u64 * 1000 + 200)).await;
    }

    // First run: stops at the budget instead of overrunning it.
    let reports = sync_connection(&env.host, &live, &SyncOptions::default(), &NoProgress)
        .await
        .unwrap();
    let paused = reports
        .iter()
        .find(|r| r.outcome == "paused")
        .expect("some stream pauses");
    let until = paused.paused_until.expect("the pause says until when");
    let now = ats_sync::meter::now();
    assert!(
        until > now - 1 && until <= now + 13,
        "reset {until} should be within the 12 s window of {now}"
    );
    let quota = env.sim.state().quota(cid).unwrap();
    assert_eq!(
        quota.refused_total, 0,
        "the host never sent a request past the quota"
    );
    let row = env.host.mirror.connection("acme").await.unwrap().unwrap();
    let status = connection_status(&env.host, &row).await.unwrap();
    assert_eq!(status.status, SyncStatus::PausedForQuota, "{status:#?}");
    let backfill = status
        .quota
        .as_ref()
        .unwrap()
        .lanes
        .iter()
        .find(|l| l.lane == ats_sync::Lane::Backfill)
        .unwrap();
    // A page costs at least a search and one GET, so the lane pauses with 0 or 1 request left
    // (which of the two depends on how the read-ahead page met the budget).
    assert!(
        matches!(backfill.available, Some(0 | 1)),
        "{:?}",
        backfill.available
    );
    assert!(backfill.resumes_at.is_some());

    // Second run, waiting for resets: completes with everything mirrored.
    let wait = SyncOptions {
        wait_for_quota: true,
        ..SyncOptions::default()
    };
    let reports = sync_connection(&env.host, &live, &wait, &NoProgress)
        .await
        .unwrap();
    assert!(
        reports.iter().all(|r| r.outcome == "completed"),
        "{reports:#?}"
    );
    let state = env.sim.state();
    assert_eq!(
        state.quota(cid).unwrap().refused_total,
        0,
        "still no quota-exceeded answer"
    );
    for (ty, kind) in [
        (RecordType::People, RecordKind::Candidate),
        (RecordType::Workflows, RecordKind::Application),
    ] {
        assert_eq!(
            env.host.mirror.ids("acme", kind).await.unwrap().len(),
            state.ids(cid, ty).unwrap().len(),
            "{kind}"
        );
    }
}
