//! `Engine::reread` against the native fake ATS and a real SQLite mirror: changed records are
//! written, gone ones soft-deleted, each named record read once, failures and a spent quota
//! reported per record.

mod fake_ats;

use ats_model::{AtsRecord, Candidate, ConnectorError, QuotaSpec, RecordKind, RecordRef};
use ats_sync::{Lane, NoProgress, QuotaMeter, RunEnd};
use fake_ats::{FakeAts, Fault, engine, run};
use std::sync::atomic::Ordering;

fn person(id: u64) -> RecordRef {
    RecordRef {
        kind: RecordKind::Candidate,
        id: id.to_string(),
    }
}

fn people(ids: &[u64]) -> Vec<RecordRef> {
    ids.iter().copied().map(person).collect()
}

#[tokio::test]
async fn named_records_are_written_or_soft_deleted_and_each_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir.path().join("mirror.sqlite"));
    let ats = FakeAts::with_people(20);
    let meter = QuotaMeter::new(None);
    let end = engine
        .sync_stream(&ats, &meter, &run(false), &NoProgress)
        .await
        .unwrap();
    assert!(matches!(end, RunEnd::Completed { .. }), "{end:?}");
    let state_before = engine
        .store()
        .stream_state("acme", "candidates")
        .await
        .unwrap();

    ats.touch(3, 1_800_000_000);
    ats.remove(5);
    ats.touch(21, 1_800_000_001); // new since the sync
    // The first `get` fails transiently: retried, not reported.
    let calls = ats.calls.load(Ordering::SeqCst);
    ats.fault_on_call(
        calls + 1,
        Fault::Error(ConnectorError::Transient {
            message: "connection reset".into(),
        }),
    );

    let refs = people(&[3, 5, 7, 21, 99, 3, 5]);
    let outcome = engine
        .reread(&ats, &meter, "acme", &refs, Lane::Applications)
        .await
        .unwrap();
    assert_eq!(outcome.upserted, people(&[3, 21]));
    assert_eq!(outcome.unchanged, people(&[7]));
    assert_eq!(outcome.deleted, people(&[5]));
    assert_eq!(outcome.already_gone, people(&[99]), "never mirrored");
    assert!(outcome.failed.is_empty() && outcome.not_read.is_empty());
    assert_eq!(outcome.retries, 1);
    assert_eq!(outcome.changed().count(), 3);
    assert_eq!(
        ats.gets.load(Ordering::SeqCst),
        5,
        "each of the five named records read once (the faulted call not counted)"
    );

    let store = engine.store();
    let stored = async |id: &str| {
        store
            .record("acme", RecordKind::Candidate, id)
            .await
            .unwrap()
    };
    assert_eq!(
        stored("3").await.unwrap().record.updated_at(),
        Some(1_800_000_000)
    );
    assert!(stored("21").await.is_some());
    let gone = stored("5").await.expect("kept, soft-deleted");
    assert!(gone.deleted_at.is_some());
    assert!(stored("99").await.is_none());
    assert!(
        !store
            .ids("acme", RecordKind::Candidate)
            .await
            .unwrap()
            .contains(&"5".to_string())
    );
    assert_eq!(
        store.stream_state("acme", "candidates").await.unwrap(),
        state_before,
        "a re-read is not a run: the stream's checkpoint and high-water mark stay"
    );

    // Read again: nothing changes; a person back in the ATS is live again.
    ats.touch(5, 1_800_000_002);
    let again = engine
        .reread(&ats, &meter, "acme", &people(&[3, 5]), Lane::Applications)
        .await
        .unwrap();
    assert_eq!(again.unchanged, people(&[3]));
    assert_eq!(again.upserted, people(&[5]));
    assert!(stored("5").await.unwrap().deleted_at.is_none());
}

#[tokio::test]
async fn a_failed_or_mismatched_read_is_reported_and_the_others_still_written() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir.path().join("mirror.sqlite"));
    let ats = FakeAts::with_people(10);
    let meter = QuotaMeter::new(None);
    engine
        .sync_stream(&ats, &meter, &run(false), &NoProgress)
        .await
        .unwrap();
    ats.touch(2, 1_800_000_000);
    ats.touch(4, 1_800_000_000);
    // `get` of 3 answers a different person: refused, never written under 3 or 9.
    ats.answer_get_with(
        "3",
        AtsRecord::Candidate(Candidate {
            id: "9".into(),
            first_name: Some("Impostor".into()),
            ..Candidate::default()
        }),
    );
    let calls = ats.calls.load(Ordering::SeqCst);
    // The read of 2 fails for good: credentials refused, no retry.
    ats.fault_on_call(
        calls + 1,
        Fault::Error(ConnectorError::Unauthorized {
            message: "token revoked".into(),
        }),
    );
    let outcome = engine
        .reread(
            &ats,
            &meter,
            "acme",
            &people(&[2, 3, 4]),
            Lane::Applications,
        )
        .await
        .unwrap();
    assert_eq!(outcome.upserted, people(&[4]));
    let failed: Vec<(&str, &str)> = outcome
        .failed
        .iter()
        .map(|(r, e)| (r.id.as_str(), e.kind.as_str()))
        .collect();
    assert_eq!(failed, [("2", "unauthorized"), ("3", "plugin")]);
    assert!(
        outcome.failed[1]
            .1
            .message
            .contains("answered with candidate `9`")
    );
    assert_eq!(outcome.retries, 0);
    let stored = async |id: &str| {
        engine
            .store()
            .record("acme", RecordKind::Candidate, id)
            .await
            .unwrap()
            .unwrap()
    };
    assert_eq!(
        stored("2").await.record.updated_at(),
        Some(1_700_000_002),
        "kept"
    );
    match stored("9").await.record {
        AtsRecord::Candidate(c) => assert_eq!(c.first_name.as_deref(), Some("First9")),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_spent_lane_reads_nothing_and_returns_every_record_unread() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir.path().join("mirror.sqlite"));
    let ats = FakeAts::with_people(10);
    let meter = QuotaMeter::new(Some(&QuotaSpec {
        requests_per_day: Some(100),
        limit_header: None,
        remaining_header: None,
        reset_header: None,
    }));
    // Interactive requests spend what the applications lane may use.
    while meter.available(Lane::Applications).unwrap() > 0 {
        meter.admit().unwrap();
    }
    let outcome = engine
        .reread(
            &ats,
            &meter,
            "acme",
            &people(&[1, 2, 2]),
            Lane::Applications,
        )
        .await
        .unwrap();
    assert_eq!(outcome.not_read, people(&[1, 2]));
    assert_eq!(outcome.paused_until, meter.reset_at());
    assert!(outcome.upserted.is_empty() && outcome.failed.is_empty());
    assert_eq!(ats.gets.load(Ordering::SeqCst), 0);
    assert_eq!(outcome.requests, 0);
}
