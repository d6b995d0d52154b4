//! The engine against a native fake ATS and a real SQLite mirror: full then incremental runs,
//! resume after a killed run, retries, reconciliation.

mod fake_ats;

use ats_mirror::StreamLabel;
use ats_model::{ConnectorError, RecordKind};
use ats_sync::{Engine, NoProgress, QuotaMeter, ReconcileEnd, RunEnd};
use fake_ats::{FakeAts, Fault, engine, run};
use std::time::Duration;

async fn ids(engine: &Engine) -> Vec<String> {
    engine
        .store()
        .ids("acme", RecordKind::Candidate)
        .await
        .unwrap()
}

fn expected(n: u64) -> Vec<String> {
    let mut v: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
    v.sort();
    v
}

#[tokio::test]
async fn full_load_then_incremental_reads_only_changes() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir.path().join("mirror.sqlite"));
    let ats = FakeAts::with_people(1_050);
    let meter = QuotaMeter::new(None);

    let end = engine
        .sync_stream(&ats, &meter, &run(false), &NoProgress)
        .await
        .unwrap();
    let RunEnd::Completed { totals, .. } = end else {
        panic!("{end:?}")
    };
    assert_eq!(totals.records, 1_050);
    assert_eq!(totals.pages, 11);
    assert_eq!(ids(&engine).await, expected(1_050));

    // Three people change after the load; the incremental run reads them and the overlap only.
    let served_before = ats.records_served.load(std::sync::atomic::Ordering::SeqCst);
    for id in [3, 500, 1_049] {
        ats.touch(id, 1_800_000_000);
    }
    let end = engine
        .sync_stream(&ats, &meter, &run(false), &NoProgress)
        .await
        .unwrap();
    let RunEnd::Completed { mode, totals } = end else {
        panic!("{end:?}")
    };
    assert_eq!(mode, ats_mirror::RunMode::Incremental);
    let served = ats.records_served.load(std::sync::atomic::Ordering::SeqCst) - served_before;
    // 3 changed + the records within the 60 s overlap of the old high-water mark (ids 1,050 - 60..).
    assert!(served < 70, "incremental run read {served} records");
    assert_eq!(totals.upserted, 3);
    let state = engine
        .store()
        .stream_state("acme", "candidates")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(state.high_water_mark, Some(1_800_000_000));
    assert_eq!(state.label, StreamLabel::Done);
}

#[tokio::test]
async fn a_killed_run_resumes_from_its_last_page_without_loss_or_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mirror.sqlite");
    let ats = FakeAts::with_people(730);
    let meter = QuotaMeter::new(None);
    // The fifth page never answers: the process is "killed" while waiting for it.
    ats.fault_on_call(5, Fault::Hang);
    {
        let engine = engine(&path);
        let killed = tokio::time::timeout(
            Duration::from_millis(300),
            engine.sync_stream(&ats, &meter, &run(false), &NoProgress),
        )
        .await;
        assert!(killed.is_err(), "the run should have hung on page five");
        assert_eq!(ids(&engine).await.len(), 400, "four pages were committed");
        // The load's progress was saved with each page: what the ETA of the load reads.
        let state = engine
            .store()
            .stream_state("acme", "candidates")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(state.run_progress.records, 400);
    }
    // A new engine (a restarted process) resumes after page four.
    let engine = engine(&path);
    let calls_before = ats.calls.load(std::sync::atomic::Ordering::SeqCst);
    let end = engine
        .sync_stream(&ats, &meter, &run(false), &NoProgress)
        .await
        .unwrap();
    let RunEnd::Completed { totals, .. } = end else {
        panic!("{end:?}")
    };
    assert_eq!(
        totals.records, 330,
        "only the pages after the checkpoint were read"
    );
    assert_eq!(
        ats.calls.load(std::sync::atomic::Ordering::SeqCst) - calls_before,
        4
    );
    assert_eq!(ids(&engine).await, expected(730));
    // A finished load leaves no progress behind.
    let state = engine
        .store()
        .stream_state("acme", "candidates")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(state.run_progress, ats_mirror::RunProgress::default());
    let counts = engine
        .store()
        .counts("acme")
        .await
        .unwrap()
        .get(RecordKind::Candidate);
    assert_eq!((counts.live, counts.deleted), (730, 0));
}

#[tokio::test]
async fn transient_errors_are_retried_and_permission_errors_need_attention() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir.path().join("mirror.sqlite"));
    let ats = FakeAts::with_people(250);
    let meter = QuotaMeter::new(None);
    ats.fault_on_call(
        2,
        Fault::Error(ConnectorError::Transient {
            message: "503".into(),
        }),
    );
    ats.fault_on_call(
        3,
        Fault::Error(ConnectorError::Transient {
            message: "reset".into(),
        }),
    );
    let end = engine
        .sync_stream(&ats, &meter, &run(false), &NoProgress)
        .await
        .unwrap();
    let RunEnd::Completed { totals, .. } = end else {
        panic!("{end:?}")
    };
    assert_eq!(totals.retries, 2);
    assert_eq!(ids(&engine).await.len(), 250);

    let ats = FakeAts::with_people(10);
    ats.fault_on_call(
        1,
        Fault::Error(ConnectorError::PermissionMissing {
            permission: "people-list".into(),
            message: "denied".into(),
        }),
    );
    let end = engine
        .sync_stream(&ats, &meter, &run(true), &NoProgress)
        .await
        .unwrap();
    let RunEnd::Failed { label, error, .. } = end else {
        panic!("{end:?}")
    };
    assert_eq!(label, StreamLabel::NeedsAttention);
    assert!(error.message.contains("people-list"), "{}", error.message);
    assert!(error.advice.unwrap().contains("administrator"));
}

#[tokio::test]
async fn reconciliation_soft_deletes_only_after_a_clean_scan_and_the_grace_period() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir.path().join("mirror.sqlite"));
    let ats = FakeAts::with_people(120);
    let meter = QuotaMeter::new(None);
    engine
        .sync_stream(&ats, &meter, &run(false), &NoProgress)
        .await
        .unwrap();
    // The mirror only suspects records it held before a scan began (seconds resolution).
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    ats.remove(7);
    ats.remove(100);

    // A scan that fails half-way marks nothing.
    let failing_call = ats.calls.load(std::sync::atomic::Ordering::SeqCst) + 2;
    ats.fault_on_call(
        failing_call,
        Fault::Error(ConnectorError::Unauthorized {
            message: "expired".into(),
        }),
    );
    let end = engine
        .reconcile(&ats, &meter, "acme", RecordKind::Candidate, 0)
        .await
        .unwrap();
    assert!(matches!(end, ReconcileEnd::Abandoned { .. }), "{end:?}");
    assert_eq!(ids(&engine).await.len(), 120);

    // A clean scan within the grace period only marks the two missing.
    let end = engine
        .reconcile(&ats, &meter, "acme", RecordKind::Candidate, 3_600)
        .await
        .unwrap();
    let ReconcileEnd::Completed(outcome) = end else {
        panic!("{end:?}")
    };
    assert_eq!((outcome.newly_missing, outcome.deleted), (2, 0));
    assert_eq!(ids(&engine).await.len(), 120);
    // Past the grace period (none here), a clean scan soft-deletes them.
    let end = engine
        .reconcile(&ats, &meter, "acme", RecordKind::Candidate, 0)
        .await
        .unwrap();
    let ReconcileEnd::Completed(outcome) = end else {
        panic!("{end:?}")
    };
    assert_eq!(outcome.deleted, 2);
    let live = ids(&engine).await;
    assert_eq!(live.len(), 118);
    assert!(!live.contains(&"7".to_string()) && !live.contains(&"100".to_string()));
}
