//! Issue 5: `ats run` (the scheduler) runs every stream that is due, then nothing until each
//! stream's interval has passed; a stream paused for quota is not due before its reset.

use ats_app::scheduler::{SchedulerOptions, run_quietly};
use ats_mirror::StreamLabel;
use ats_model::RecordKind;
use e2e_tests::host_fixture;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scheduler_runs_due_streams_then_idles() {
    let env = host_fixture::start(host_fixture::sim_config(120, 4, 80)).await;
    let cid = env.customer();
    env.connect_icims("acme", cid).await;
    let options = SchedulerOptions {
        until_idle: true,
        ..SchedulerOptions::default()
    };

    // First pass: every stream is due (never run), and each id scan after it.
    let reports = run_quietly(&env.host, &options).await.unwrap();
    let mut streams: Vec<&str> = reports.iter().map(|(_, r)| r.stream.as_str()).collect();
    streams.sort();
    assert_eq!(
        streams,
        ["applications", "candidates", "folders", "jobs", "statuses"]
    );
    assert!(
        reports
            .iter()
            .all(|(c, r)| c == "acme" && r.outcome == "completed")
    );
    assert_eq!(
        env.host
            .mirror
            .ids("acme", RecordKind::Candidate)
            .await
            .unwrap()
            .len(),
        120
    );
    let scan = env
        .host
        .mirror
        .stream_state("acme", "candidates#reconcile")
        .await
        .unwrap();
    assert_eq!(
        scan.map(|s| s.label),
        Some(StreamLabel::Done),
        "the daily id scan ran"
    );

    // Second pass: nothing is due yet, so nothing runs and no request is sent.
    env.sim.state().reset_counters();
    let reports = run_quietly(&env.host, &options).await.unwrap();
    assert!(reports.is_empty(), "{reports:#?}");
    assert_eq!(env.sim.state().counters().total, 0);

    // A stream paused for quota stays parked until its reset.
    let mut state = env
        .host
        .mirror
        .stream_state("acme", "applications")
        .await
        .unwrap()
        .unwrap();
    state.label = StreamLabel::Paused;
    state.paused_until = Some(ats_sync::meter::now() + 3_600);
    env.host
        .mirror
        .save_stream_state("acme", "applications", &state)
        .await
        .unwrap();
    state.paused_until = Some(ats_sync::meter::now() - 1);
    env.host
        .mirror
        .save_stream_state("acme", "jobs", &state)
        .await
        .unwrap();
    let reports = run_quietly(&env.host, &options).await.unwrap();
    let ran: Vec<&str> = reports.iter().map(|(_, r)| r.stream.as_str()).collect();
    assert_eq!(ran, ["jobs"], "only the stream whose pause has ended runs");
}
