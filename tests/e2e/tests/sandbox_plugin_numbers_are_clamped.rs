//! Numbers and cursors a plugin returns cannot break or stall the host: a retry-after is
//! clamped to its window, paging that never ends is stopped, and another connection keeps
//! syncing meanwhile.

use ats_sync::meter::now;
use e2e_tests::hostile::{Auth, Hostile};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_after_of_u64_max_pauses_within_its_window() {
    let h = Hostile::start().await;
    for (mode, window) in [
        ("rate-limited-daily-max", 86_400),
        ("rate-limited-short-max", 15 * 60),
    ] {
        let live = h.connect(mode, mode, Auth::ApiKey, &[]).await.unwrap();
        let reports = h.beside_a_healthy_sync(h.sync(&live)).await.unwrap();
        let report = &reports[0];
        assert_eq!(report.outcome, "paused", "{mode}: {report:?}");
        let until = report.paused_until.expect("a pause has an end");
        assert!(
            until > now() && until <= now() + window + 60,
            "{mode}: paused until {until}, now {}",
            now()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paging_that_never_ends_is_stopped() {
    let h = Hostile::start().await;
    for (mode, said) in [
        ("endless-cursor", "empty pages"),
        ("repeat-cursor", "already returned"),
    ] {
        let live = h.connect(mode, mode, Auth::ApiKey, &[]).await.unwrap();
        let reports = h.beside_a_healthy_sync(h.sync(&live)).await.unwrap();
        let report = &reports[0];
        assert_eq!(report.outcome, "failed", "{mode}: {report:?}");
        let error = report.error.clone().unwrap_or_default();
        assert!(error.contains(said), "{mode}: {error}");
        assert!(report.pages <= 60, "{mode}: {} pages read", report.pages);
        assert_eq!(
            report.retries, 0,
            "{mode}: the connector's fault is not retried"
        );
    }
}
