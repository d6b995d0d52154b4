//! Idempotency keys, rejection reasons, resume text and the run log.

mod common;

use ats_mirror::{
    FeatureState, IdempotencyRecord, MirrorQueries, MirrorStore, RejectionReason, RunMode,
    RunOutcome, RunResult, SearchQuery, StreamError,
};
use ats_model::{AttachmentInfo, AttachmentKind, RecordKind};
use common::*;

#[test]
fn an_idempotency_key_is_claimed_once_and_keeps_its_result() {
    let t = mirror();
    let m = &t.mirror;
    assert_eq!(
        m.idempotency_claim(CONN, "export-1", "pending", 10)
            .unwrap(),
        None
    );
    let again = m
        .idempotency_claim(CONN, "export-1", "pending", 20)
        .unwrap()
        .unwrap();
    assert_eq!((again.state.as_str(), again.created_at), ("pending", 10));

    let done = IdempotencyRecord {
        key: "export-1".into(),
        state: "done".into(),
        result: Some(serde_json::json!({"candidate_id": "77"})),
        created_at: 10,
        updated_at: 30,
    };
    m.idempotency_put(CONN, &done).unwrap();
    assert_eq!(m.idempotency(CONN, "export-1").unwrap(), Some(done));
    assert_eq!(m.idempotency("other-conn", "export-1").unwrap(), None);
}

#[test]
fn rejection_reasons_are_kept_and_replaced() {
    let t = mirror();
    let m = &t.mirror;
    let mut r = RejectionReason {
        application_id: "a1".into(),
        reason: "Salary expectations".into(),
        rejected_at: 5,
        rejected_by: Some("rita@corp.example".into()),
    };
    m.put_rejection_reason(CONN, &r).unwrap();
    r.reason = "Location".into();
    m.put_rejection_reason(CONN, &r).unwrap();
    assert_eq!(m.rejection_reason(CONN, "a1").unwrap(), Some(r));
    assert_eq!(m.rejection_reason(CONN, "a2").unwrap(), None);
}

#[test]
fn resume_text_becomes_searchable_and_survives_profile_updates() {
    let t = mirror();
    let m = &t.mirror;
    let mut c = candidate("1", "Ada", "Lovelace", "ada@example.com");
    c.attachments.push(AttachmentInfo {
        id: "r1".into(),
        kind: AttachmentKind::Resume,
        file_name: Some("cv.pdf".into()),
        content_type: Some("application/pdf".into()),
    });
    apply(
        m,
        RecordKind::Candidate,
        candidates(vec![c.clone()]),
        "c",
        10,
    );
    assert!(
        m.set_resume_text(CONN, "1", "r1", "analytical engine programmer")
            .unwrap()
    );
    assert!(!m.set_resume_text(CONN, "404", "r1", "x").unwrap());

    // A later profile change does not wipe the extracted text.
    c.current_title = Some("Countess".into());
    apply(m, RecordKind::Candidate, candidates(vec![c]), "c", 20);
    let q = SearchQuery {
        text: Some("analytical engine".into()),
        limit: 5,
        ..SearchQuery::default()
    };
    let hits = m.search_candidates(CONN, &q).unwrap().hits;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].title.as_deref(), Some("Countess"));
}

#[test]
fn the_run_log_keeps_runs_newest_first_with_their_totals() {
    let t = mirror();
    let m = &t.mirror;
    let r1 = m.start_run(CONN, "candidates", RunMode::Full, 100).unwrap();
    let outcome = RunOutcome {
        finished_at: 200,
        result: RunResult::Failed,
        upserted: 10,
        unchanged: 2,
        deleted: 1,
        pages: 3,
        requests: 14,
        error: Some(StreamError {
            kind: "unauthorized".into(),
            message: "401".into(),
            advice: None,
        }),
    };
    m.finish_run(r1, &outcome).unwrap();
    let r2 = m
        .start_run(CONN, "candidates", RunMode::Incremental, 300)
        .unwrap();
    let runs = m.runs(CONN, 10).unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!((runs[0].id, runs[0].outcome.clone()), (r2, None));
    assert_eq!(runs[1].outcome, Some(outcome.clone()));
    assert_eq!(runs[1].mode, RunMode::Full);
    assert!(m.finish_run(ats_mirror::RunId(999), &outcome).is_err());
}
