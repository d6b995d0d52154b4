//! A page and its checkpoint are stored together, once, or not at all.

use super::fixtures::*;
use crate::{Mirror, MirrorError, PageWrite, StreamLabel};
use ats_model::{AtsRecord, RecordKind};

pub async fn applying_the_same_page_twice_doubles_nothing(m: &dyn Mirror) {
    let page = candidates(vec![
        candidate("1", "Ada", "Lovelace", "ada@example.com"),
        candidate("2", "Alan", "Turing", "alan@example.com"),
    ]);
    let first = apply(m, RecordKind::Candidate, page.clone(), "c1", 100).await;
    assert_eq!((first.inserted, first.updated, first.unchanged), (2, 0, 0));
    assert_eq!(first.max_updated_at, Some(1_700_000_000));

    let again = apply(m, RecordKind::Candidate, page, "c1", 200).await;
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 2));
    assert_eq!(
        m.counts(CONN)
            .await
            .unwrap()
            .get(RecordKind::Candidate)
            .live,
        2
    );

    let stored = m
        .record(CONN, RecordKind::Candidate, "1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((stored.first_seen_at, stored.last_seen_at), (100, 200));
}

pub async fn a_changed_record_is_updated_and_raw_round_trips(m: &dyn Mirror) {
    let c = candidate("1", "Ada", "Lovelace", "ada@example.com");
    apply(
        m,
        RecordKind::Candidate,
        candidates(vec![c.clone()]),
        "c1",
        100,
    )
    .await;

    // Only the raw payload changes: still an update (the raw copy must not go stale).
    let mut changed = c.clone();
    changed.raw = Some("{\"id\":\"1\",\"extra\":true}".into());
    let out = apply(
        m,
        RecordKind::Candidate,
        candidates(vec![changed.clone()]),
        "c2",
        200,
    )
    .await;
    assert_eq!((out.inserted, out.updated), (0, 1));
    let stored = m
        .record(CONN, RecordKind::Candidate, "1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.record, AtsRecord::Candidate(changed));
    assert_eq!(stored.first_seen_at, 100);
}

pub async fn the_checkpoint_is_saved_with_the_page(m: &dyn Mirror) {
    apply(
        m,
        RecordKind::Candidate,
        candidates(vec![candidate("1", "Ada", "Lovelace", "ada@example.com")]),
        "after-page-1",
        100,
    )
    .await;
    let s = m.stream_state(CONN, "candidate").await.unwrap().unwrap();
    assert_eq!(s.cursor.as_deref(), Some("after-page-1"));
    assert_eq!(s.label, StreamLabel::Syncing);

    // Every field of the state round-trips, the incremental-health counts and the run's
    // progress included.
    let mut full = s.clone();
    full.unstamped_records = 209;
    full.unstamped_runs = 3;
    full.high_water_mark = Some(1_700_000_000);
    full.run_progress = crate::RunProgress {
        records: 1_200,
        requests: 1_202,
        busy_ms: 61_500,
    };
    m.save_stream_state(CONN, "candidate", &full).await.unwrap();
    assert_eq!(
        m.stream_state(CONN, "candidate").await.unwrap(),
        Some(full.clone())
    );

    // The progress is saved with the page that made it, like the cursor.
    full.cursor = Some("after-page-2".into());
    full.run_progress.records += 100;
    let page = PageWrite {
        kind: RecordKind::Candidate,
        records: candidates(vec![candidate("2", "Alan", "Turing", "alan@example.com")]),
        gone: Vec::new(),
        record_errors: Vec::new(),
        fence: None,
    };
    m.apply_page(CONN, "candidate", page, &full, 200)
        .await
        .unwrap();
    let saved = m.stream_state(CONN, "candidate").await.unwrap().unwrap();
    assert_eq!(saved.run_progress.records, 1_300);
}

pub async fn a_page_that_fails_midway_leaves_the_previous_state(m: &dyn Mirror) {
    apply(
        m,
        RecordKind::Candidate,
        candidates(vec![candidate("1", "Ada", "Lovelace", "ada@example.com")]),
        "after-page-1",
        100,
    )
    .await;
    // Page 2: two good records, then one the store must refuse (empty id), then one more.
    let mut updated_first = candidate("1", "Ada", "King", "ada@example.com");
    updated_first.updated_at = Some(1_800_000_000);
    let records = candidates(vec![
        updated_first,
        candidate("2", "Alan", "Turing", "alan@example.com"),
        candidate("", "No", "Id", "none@example.com"),
        candidate("3", "Grace", "Hopper", "grace@example.com"),
    ]);
    let page = PageWrite {
        kind: RecordKind::Candidate,
        records,
        gone: vec!["1".to_string()],
        record_errors: Vec::new(),
        fence: None,
    };
    let err = m
        .apply_page(CONN, "candidate", page, &state("after-page-2"), 200)
        .await
        .unwrap_err();
    assert!(matches!(err, MirrorError::InvalidRecord { .. }), "{err}");

    assert_eq!(m.ids(CONN, RecordKind::Candidate).await.unwrap(), vec!["1"]);
    let stored = m
        .record(CONN, RecordKind::Candidate, "1")
        .await
        .unwrap()
        .unwrap();
    let AtsRecord::Candidate(c) = stored.record else {
        panic!()
    };
    assert_eq!(c.last_name.as_deref(), Some("Lovelace"));
    assert_eq!(stored.last_seen_at, 100);
    let s = m.stream_state(CONN, "candidate").await.unwrap().unwrap();
    assert_eq!(s.cursor.as_deref(), Some("after-page-1"));
    // The search index was rolled back too.
    let hits = search_text(m, "hopper").await;
    assert!(hits.is_empty());
}

pub async fn gone_ids_are_soft_deleted_and_come_back_when_seen_again(m: &dyn Mirror) {
    let records = candidates(vec![
        candidate("1", "Ada", "Lovelace", "ada@example.com"),
        candidate("2", "Alan", "Turing", "alan@example.com"),
    ]);
    apply(m, RecordKind::Candidate, records.clone(), "c1", 100).await;
    let page = PageWrite {
        kind: RecordKind::Candidate,
        records: Vec::new(),
        gone: vec!["2".to_string(), "unknown".to_string()],
        record_errors: Vec::new(),
        fence: None,
    };
    let out = m
        .apply_page(CONN, "candidate", page, &state("c2"), 200)
        .await
        .unwrap();
    assert_eq!(out.deleted, 1);
    let counts = m.counts(CONN).await.unwrap().get(RecordKind::Candidate);
    assert_eq!((counts.live, counts.deleted), (1, 1));
    assert_eq!(search_text(m, "turing").await, Vec::<String>::new());
    let stored = m
        .record(CONN, RecordKind::Candidate, "2")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.deleted_at, Some(200));

    // Same content again: the ATS has it, so it is live again (counted as an update).
    let out = apply(m, RecordKind::Candidate, records, "c3", 300).await;
    assert_eq!((out.updated, out.unchanged), (1, 1));
    assert_eq!(
        m.ids(CONN, RecordKind::Candidate).await.unwrap(),
        vec!["1", "2"]
    );
    assert_eq!(search_text(m, "turing").await, vec!["2"]);
}

pub async fn single_record_writes_and_deletes_show_immediately(m: &dyn Mirror) {
    let rec = AtsRecord::Application(application("a1", "1", "j1", "s1"));
    let out = m.upsert_record(CONN, rec.clone(), 50).await.unwrap();
    assert_eq!(out.inserted, 1);
    assert_eq!(m.upsert_record(CONN, rec, 60).await.unwrap().unchanged, 1);
    assert!(
        m.mark_deleted(CONN, RecordKind::Application, "a1", 70)
            .await
            .unwrap()
    );
    assert!(
        !m.mark_deleted(CONN, RecordKind::Application, "a1", 80)
            .await
            .unwrap()
    );
    assert!(
        m.ids(CONN, RecordKind::Application)
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn an_application_without_a_job_is_refused(m: &dyn Mirror) {
    let rec = AtsRecord::Application(application("a1", "1", "", "s1"));
    assert!(matches!(
        m.upsert_record(CONN, rec, 50).await,
        Err(MirrorError::InvalidRecord { .. })
    ));
}

pub async fn an_updated_candidate_is_found_by_its_new_words_only(m: &dyn Mirror) {
    let mut c = candidate("1", "Ada", "Lovelace", "ada@example.com");
    c.current_title = Some("Mathematician".into());
    apply(
        m,
        RecordKind::Candidate,
        candidates(vec![c.clone()]),
        "c1",
        100,
    )
    .await;
    c.current_title = Some("Programmer".into());
    apply(m, RecordKind::Candidate, candidates(vec![c]), "c2", 200).await;
    assert!(search_text(m, "mathematician").await.is_empty());
    assert_eq!(search_text(m, "programmer").await, vec!["1"]);
    assert_eq!(search_text(m, "lovelace").await, vec!["1"]);
}

pub async fn a_record_twice_in_one_page_is_stored_as_last_seen(m: &dyn Mirror) {
    let mut first = candidate("1", "Ada", "Lovelace", "ada@example.com");
    first.current_title = Some("Mathematician".into());
    let mut second = first.clone();
    second.current_title = Some("Programmer".into());
    let out = apply(
        m,
        RecordKind::Candidate,
        candidates(vec![first, second]),
        "c",
        100,
    )
    .await;
    assert_eq!((out.inserted, out.updated), (1, 1));
    assert!(search_text(m, "mathematician").await.is_empty());
    assert_eq!(search_text(m, "programmer").await, vec!["1"]);
}

pub async fn record_errors_are_kept_until_the_record_is_written_or_gone(m: &dyn Mirror) {
    use ats_model::RecordError;
    let error = |id: &str, reason: &str| RecordError {
        id: id.into(),
        reason: reason.into(),
        advice: "grant the field".into(),
    };
    let page = PageWrite {
        kind: RecordKind::Candidate,
        records: candidates(vec![candidate("1", "Ada", "Lovelace", "ada@example.com")]),
        gone: Vec::new(),
        record_errors: vec![error("2", "no name"), error("3", "no name")],
        fence: None,
    };
    m.apply_page(CONN, "people", page, &state("c1"), 100)
        .await
        .unwrap();
    // The page's good record is written; its errors are kept with the stream's name.
    assert_eq!(
        m.ids(CONN, RecordKind::Candidate).await.unwrap(),
        ids(&["1"])
    );
    let kept = m.record_errors(CONN, "people").await.unwrap();
    assert_eq!(
        kept.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        ["2", "3"]
    );
    assert_eq!(
        (
            kept[0].attempts,
            kept[0].first_seen_at,
            kept[0].last_seen_at
        ),
        (1, 100, 100)
    );
    assert_eq!(kept[0].kind, RecordKind::Candidate);
    assert_eq!(
        (kept[0].reason.as_str(), kept[0].advice.as_str()),
        ("no name", "grant the field")
    );
    assert!(m.record_errors(CONN, "jobs").await.unwrap().is_empty());

    // Reported again: one more attempt, the new reason, the first sighting kept.
    m.put_record_errors(
        CONN,
        "people",
        RecordKind::Candidate,
        &[error("2", "still no name")],
        150,
    )
    .await
    .unwrap();
    let kept = m.record_errors(CONN, "people").await.unwrap();
    assert_eq!(
        (
            kept[0].attempts,
            kept[0].first_seen_at,
            kept[0].last_seen_at
        ),
        (2, 100, 150)
    );
    assert_eq!(kept[0].reason, "still no name");

    // A page that writes record 2 and says 3 is gone drops both errors.
    let page = PageWrite {
        kind: RecordKind::Candidate,
        records: candidates(vec![candidate("2", "Alan", "Turing", "alan@example.com")]),
        gone: vec!["3".to_string()],
        record_errors: Vec::new(),
        fence: None,
    };
    m.apply_page(CONN, "people", page, &state("c2"), 200)
        .await
        .unwrap();
    assert!(m.record_errors(CONN, "people").await.unwrap().is_empty());

    // A single-record write and a delete drop theirs too.
    m.put_record_errors(
        CONN,
        "people",
        RecordKind::Candidate,
        &[error("4", "x"), error("5", "y")],
        300,
    )
    .await
    .unwrap();
    m.upsert_record(
        CONN,
        AtsRecord::Candidate(candidate("4", "Grace", "Hopper", "grace@example.com")),
        310,
    )
    .await
    .unwrap();
    m.mark_deleted(CONN, RecordKind::Candidate, "5", 320)
        .await
        .unwrap();
    assert!(m.record_errors(CONN, "people").await.unwrap().is_empty());

    // Deleting the connection drops what is left.
    m.upsert_connection(&connection_row()).await.unwrap();
    m.put_record_errors(
        CONN,
        "people",
        RecordKind::Candidate,
        &[error("6", "z")],
        400,
    )
    .await
    .unwrap();
    assert!(m.delete_connection(CONN).await.unwrap());
    assert!(m.record_errors(CONN, "people").await.unwrap().is_empty());
}
