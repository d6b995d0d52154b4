//! A plugin stuck in a loop is stopped at the call timeout, and meanwhile another
//! connection's calls run normally.

use ats_runtime::CallError;
use e2e_tests::runtime_fixtures::*;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_runaway_call_times_out_while_others_keep_working() {
    let cache = tempfile::tempdir().unwrap();
    let runtime = runtime_in(cache.path(), |c| c.call_timeout = Duration::from_secs(2));
    let plugin = probe_plugin(&runtime);
    let stuck = connect_probe(&runtime, &plugin, probe_spec("runaway", "127.0.0.1")).await;
    let healthy = connect_probe(&runtime, &plugin, probe_spec("healthy", "127.0.0.1")).await;

    let started = Instant::now();
    let spinning = tokio::spawn(async move { probe(&stuck, "spin").await });

    // While the loop spins, the other connection answers promptly, several times.
    tokio::time::sleep(Duration::from_millis(200)).await;
    for _ in 0..3 {
        let call = Instant::now();
        assert_eq!(
            probe(&healthy, "allocate:1").await.unwrap(),
            "allocated 1 MiB"
        );
        assert!(
            call.elapsed() < Duration::from_secs(1),
            "a healthy call waited {:?}",
            call.elapsed()
        );
    }
    assert!(!spinning.is_finished(), "the runaway call ended too early");

    match spinning.await.unwrap() {
        Err(CallError::Timeout { after }) => {
            assert!(
                after >= Duration::from_secs(2) && after < Duration::from_secs(5),
                "{after:?}"
            );
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(
        probe(&healthy, "allocate:1").await.unwrap(),
        "allocated 1 MiB"
    );
}
