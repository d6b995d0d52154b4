//! Idempotency keys, rejection reasons, resume text and the run log.

use super::fixtures::*;
use crate::{
    IdempotencyRecord, Mirror, RejectionReason, ResumeTextDue, RunId, RunMode, RunOutcome,
    RunResult, SearchQuery, StreamError,
};
use ats_model::{AttachmentInfo, AttachmentKind, RecordKind};

pub async fn an_idempotency_key_is_claimed_once_and_keeps_its_result(m: &dyn Mirror) {
    assert_eq!(
        m.idempotency_claim(CONN, "export-1", "pending", 10)
            .await
            .unwrap(),
        None
    );
    let again = m
        .idempotency_claim(CONN, "export-1", "pending", 20)
        .await
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
    m.idempotency_put(CONN, &done).await.unwrap();
    assert_eq!(
        m.idempotency(CONN, "export-1").await.unwrap(),
        Some(done.clone())
    );
    assert_eq!(m.idempotency("other-conn", "export-1").await.unwrap(), None);
    // A later put keeps the key's `created_at` (the export writes without reading first).
    let later = IdempotencyRecord {
        created_at: 40,
        updated_at: 40,
        ..done
    };
    m.idempotency_put(CONN, &later).await.unwrap();
    let stored = m.idempotency(CONN, "export-1").await.unwrap().unwrap();
    assert_eq!((stored.created_at, stored.updated_at), (10, 40));
}

pub async fn rejection_reasons_are_kept_and_replaced(m: &dyn Mirror) {
    let mut r = RejectionReason {
        application_id: "a1".into(),
        reason: "Salary expectations".into(),
        rejected_at: 5,
        rejected_by: Some("rita@corp.example".into()),
    };
    m.put_rejection_reason(CONN, &r).await.unwrap();
    r.reason = "Location".into();
    m.put_rejection_reason(CONN, &r).await.unwrap();
    assert_eq!(m.rejection_reason(CONN, "a1").await.unwrap(), Some(r));
    assert_eq!(m.rejection_reason(CONN, "a2").await.unwrap(), None);
}

pub async fn resume_text_becomes_searchable_and_survives_profile_updates(m: &dyn Mirror) {
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
    )
    .await;
    assert!(
        m.set_resume_text(CONN, "1", "r1", "analytical engine programmer")
            .await
            .unwrap()
    );
    assert!(!m.set_resume_text(CONN, "404", "r1", "x").await.unwrap());

    // A later profile change does not wipe the extracted text.
    c.current_title = Some("Countess".into());
    apply(m, RecordKind::Candidate, candidates(vec![c]), "c", 20).await;
    let q = SearchQuery {
        text: Some("analytical engine".into()),
        limit: 5,
        ..SearchQuery::default()
    };
    let hits = m.search_candidates(CONN, &q).await.unwrap().hits;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].title.as_deref(), Some("Countess"));
}

pub async fn a_resume_is_due_until_its_text_is_stored_and_again_after_the_candidate_changes(
    m: &dyn Mirror,
) {
    let attachment = |id: &str, kind| AttachmentInfo {
        id: id.into(),
        kind,
        file_name: None,
        content_type: None,
    };
    let mut ada = candidate("1", "Ada", "Lovelace", "ada@example.com");
    ada.attachments = vec![
        attachment("r1", AttachmentKind::Resume),
        attachment("c1", AttachmentKind::CoverLetter),
    ];
    let mut bob = candidate("2", "Bob", "Babbage", "bob@example.com");
    bob.attachments = vec![attachment("r2", AttachmentKind::Resume)];
    let mut cyd = candidate("3", "Cyd", "Charisse", "cyd@example.com");
    cyd.attachments = vec![attachment("r3", AttachmentKind::Resume)];
    let plain = candidate("4", "Dee", "Nothing", "dee@example.com");
    let live = vec![ada.clone(), bob.clone(), plain];
    let mut all = live.clone();
    all.push(cyd);
    apply(m, RecordKind::Candidate, candidates(all), "c", 10).await;
    let due = |c: &str, a: &str| ResumeTextDue {
        candidate_id: c.into(),
        attachment_id: a.into(),
    };
    // Résumés only, of live candidates, in id order, bounded by the limit.
    assert_eq!(
        m.resume_texts_due(CONN, 10).await.unwrap(),
        vec![due("1", "r1"), due("2", "r2"), due("3", "r3")]
    );
    assert_eq!(
        m.resume_texts_due(CONN, 1).await.unwrap(),
        vec![due("1", "r1")]
    );
    m.mark_deleted(CONN, RecordKind::Candidate, "3", 11)
        .await
        .unwrap();

    // Text, and "the ATS has none" (empty), both settle a résumé.
    assert!(
        m.set_resume_text(CONN, "1", "r1", "difference engine")
            .await
            .unwrap()
    );
    assert!(m.set_resume_text(CONN, "2", "r2", "").await.unwrap());
    assert!(m.resume_texts_due(CONN, 10).await.unwrap().is_empty());

    // The same records again change nothing: nothing is due.
    apply(m, RecordKind::Candidate, candidates(live), "c", 20).await;
    assert!(m.resume_texts_due(CONN, 10).await.unwrap().is_empty());

    // A new version of Ada makes her résumé due; her old text stays searchable meanwhile.
    ada.current_title = Some("Countess".into());
    apply(
        m,
        RecordKind::Candidate,
        candidates(vec![ada.clone()]),
        "c",
        30,
    )
    .await;
    assert_eq!(
        m.resume_texts_due(CONN, 10).await.unwrap(),
        vec![due("1", "r1")]
    );
    let q = SearchQuery {
        text: Some("difference engine".into()),
        limit: 5,
        ..SearchQuery::default()
    };
    assert_eq!(m.search_candidates(CONN, &q).await.unwrap().hits.len(), 1);
    assert!(
        m.set_resume_text(CONN, "1", "r1", "analytical engine")
            .await
            .unwrap()
    );
    assert!(m.resume_texts_due(CONN, 10).await.unwrap().is_empty());
    let q = SearchQuery {
        text: Some("analytical".into()),
        limit: 5,
        ..SearchQuery::default()
    };
    assert_eq!(m.search_candidates(CONN, &q).await.unwrap().hits.len(), 1);
    // Scoring reads the texts of many people at once; "none" (empty) is no text.
    let texts = m
        .resume_texts(CONN, &ids(&["1", "2", "404"]))
        .await
        .unwrap();
    assert_eq!(
        texts,
        [("1".to_string(), "analytical engine".to_string())].into()
    );

    // Several changed candidates in one page: Ada no longer lists her résumé (it goes), Bob
    // keeps his (it is due again), and a new candidate's résumé is due.
    ada.attachments.retain(|a| a.id != "r1");
    ada.current_title = Some("Analyst".into());
    bob.current_title = Some("Engineer".into());
    let mut eve = candidate("5", "Eve", "Easton", "eve@example.com");
    eve.attachments = vec![attachment("r5", AttachmentKind::Resume)];
    apply(
        m,
        RecordKind::Candidate,
        candidates(vec![ada, bob, eve]),
        "c",
        40,
    )
    .await;
    assert_eq!(
        m.resume_texts_due(CONN, 10).await.unwrap(),
        vec![due("2", "r2"), due("5", "r5")]
    );
}

pub async fn the_run_log_keeps_runs_newest_first_with_their_totals(m: &dyn Mirror) {
    let r1 = m
        .start_run(CONN, "candidates", RunMode::Full, 100)
        .await
        .unwrap();
    let outcome = RunOutcome {
        finished_at: 200,
        result: RunResult::Failed,
        upserted: 10,
        unchanged: 2,
        deleted: 1,
        pages: 3,
        requests: 14,
        record_errors: 4,
        error: Some(StreamError {
            kind: "unauthorized".into(),
            message: "401".into(),
            advice: None,
        }),
    };
    m.finish_run(r1, &outcome).await.unwrap();
    let r2 = m
        .start_run(CONN, "candidates", RunMode::Incremental, 300)
        .await
        .unwrap();
    let runs = m.runs(CONN, 10).await.unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!((runs[0].id, runs[0].outcome.clone()), (r2, None));
    assert_eq!(runs[1].outcome, Some(outcome.clone()));
    assert_eq!(runs[1].mode, RunMode::Full);
    assert!(m.finish_run(RunId(999), &outcome).await.is_err());
}
