//! A connector's retry-after is untrusted input: however long it asks the engine to wait, the
//! engine neither panics nor sleeps for ever. It pauses the run until at most the end of the
//! limit's window, and the pages already written stay.

mod fake_ats;

use ats_mirror::StreamLabel;
use ats_model::{ConnectorError, RateLimitScope, RecordKind};
use ats_sync::meter::now;
use ats_sync::{NoProgress, QuotaMeter, ReconcileEnd, RunEnd};
use fake_ats::{FakeAts, Fault, engine, run};
use std::time::Duration;

const DAY: i64 = 24 * 3600;
const SHORT_WINDOW: i64 = 15 * 60;

fn rate_limited(scope: RateLimitScope, seconds: u64) -> Fault {
    Fault::Error(ConnectorError::RateLimited {
        retry_after_seconds: Some(seconds),
        scope,
        message: "slow down".into(),
    })
}

/// Syncs 250 people whose second page is refused with `fault`; checks that the run paused
/// until a moment within `window` seconds, with the first page committed.
async fn assert_paused_within(fault: Fault, window: i64) {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir.path().join("mirror.sqlite"));
    let ats = FakeAts::with_people(250);
    let meter = QuotaMeter::new(None);
    ats.fault_on_call(2, fault.clone());
    let before = now();
    let end = tokio::time::timeout(
        Duration::from_secs(20),
        engine.sync_stream(&ats, &meter, &run(false), &NoProgress),
    )
    .await
    .unwrap_or_else(|_| panic!("{fault:?}: the run slept instead of pausing"))
    .unwrap();
    let after = now();
    let RunEnd::Paused {
        until: Some(until),
        totals,
        ..
    } = end
    else {
        panic!("{fault:?}: {end:?}")
    };
    assert!(
        until > before && until <= after + window,
        "{fault:?}: paused until {until}, not within {window} s of {before}"
    );
    assert_eq!(totals.pages, 1, "{fault:?}");
    let state = engine
        .store()
        .stream_state("acme", "candidates")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(state.label, StreamLabel::Paused);
    assert_eq!(state.paused_until, Some(until));
    assert_eq!(
        engine
            .store()
            .ids("acme", RecordKind::Candidate)
            .await
            .unwrap()
            .len(),
        100,
        "{fault:?}: the page written before the refusal stays"
    );
}

#[tokio::test]
async fn a_daily_retry_after_of_i64_max_pauses_the_run_for_at_most_a_day() {
    assert_paused_within(rate_limited(RateLimitScope::Daily, i64::MAX as u64), DAY).await;
}

#[tokio::test]
async fn a_daily_retry_after_of_u64_max_pauses_the_run_for_at_most_a_day() {
    assert_paused_within(rate_limited(RateLimitScope::Daily, u64::MAX), DAY).await;
}

#[tokio::test]
async fn a_short_window_retry_after_of_u64_max_or_i64_max_pauses_the_run_for_at_most_its_window() {
    for seconds in [u64::MAX, i64::MAX as u64] {
        let fault = rate_limited(RateLimitScope::ShortWindow, seconds);
        assert_paused_within(fault, SHORT_WINDOW).await;
    }
}

#[tokio::test]
async fn a_retry_after_of_unknown_scope_pauses_the_run_for_at_most_a_day() {
    for seconds in [u64::MAX, i64::MAX as u64] {
        assert_paused_within(rate_limited(RateLimitScope::Unknown, seconds), DAY).await;
    }
}

#[tokio::test]
async fn a_short_retry_after_within_the_sleep_bound_is_still_waited_out_in_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir.path().join("mirror.sqlite"));
    let ats = FakeAts::with_people(250);
    let meter = QuotaMeter::new(None);
    ats.fault_on_call(2, rate_limited(RateLimitScope::ShortWindow, 0));
    let end = engine
        .sync_stream(&ats, &meter, &run(false), &NoProgress)
        .await
        .unwrap();
    let RunEnd::Completed { totals, .. } = end else {
        panic!("{end:?}")
    };
    assert_eq!((totals.records, totals.retries), (250, 1));
}

#[tokio::test]
async fn an_id_scan_refused_with_an_endless_retry_after_pauses_within_a_day() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir.path().join("mirror.sqlite"));
    let ats = FakeAts::with_people(120);
    let meter = QuotaMeter::new(None);
    ats.fault_on_call(2, rate_limited(RateLimitScope::Daily, i64::MAX as u64));
    let before = now();
    let end = tokio::time::timeout(
        Duration::from_secs(20),
        engine.reconcile(&ats, &meter, "acme", RecordKind::Candidate, 0),
    )
    .await
    .expect("the scan slept instead of pausing")
    .unwrap();
    let ReconcileEnd::Paused { until: Some(until) } = end else {
        panic!("{end:?}")
    };
    assert!(
        until > before && until <= now() + DAY,
        "paused until {until}"
    );
}
