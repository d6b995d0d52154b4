//! A page and its checkpoint are stored together, once, or not at all.

mod common;

use ats_mirror::{MirrorError, MirrorStore, PageWrite, StreamLabel};
use ats_model::{AtsRecord, RecordKind};
use common::*;

#[test]
fn applying_the_same_page_twice_doubles_nothing() {
    let t = mirror();
    let page = candidates(vec![
        candidate("1", "Ada", "Lovelace", "ada@example.com"),
        candidate("2", "Alan", "Turing", "alan@example.com"),
    ]);
    let first = apply(&t.mirror, RecordKind::Candidate, page.clone(), "c1", 100);
    assert_eq!((first.inserted, first.updated, first.unchanged), (2, 0, 0));
    assert_eq!(first.max_updated_at, Some(1_700_000_000));

    let again = apply(&t.mirror, RecordKind::Candidate, page, "c1", 200);
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 2));
    assert_eq!(
        t.mirror
            .counts(CONN)
            .unwrap()
            .get(RecordKind::Candidate)
            .live,
        2
    );

    let stored = t
        .mirror
        .record(CONN, RecordKind::Candidate, "1")
        .unwrap()
        .unwrap();
    assert_eq!((stored.first_seen_at, stored.last_seen_at), (100, 200));
}

#[test]
fn a_changed_record_is_updated_and_raw_round_trips() {
    let t = mirror();
    let c = candidate("1", "Ada", "Lovelace", "ada@example.com");
    apply(
        &t.mirror,
        RecordKind::Candidate,
        candidates(vec![c.clone()]),
        "c1",
        100,
    );

    // Only the raw payload changes: still an update (the raw copy must not go stale).
    let mut changed = c.clone();
    changed.raw = Some("{\"id\":\"1\",\"extra\":true}".into());
    let out = apply(
        &t.mirror,
        RecordKind::Candidate,
        candidates(vec![changed.clone()]),
        "c2",
        200,
    );
    assert_eq!((out.inserted, out.updated), (0, 1));
    let stored = t
        .mirror
        .record(CONN, RecordKind::Candidate, "1")
        .unwrap()
        .unwrap();
    assert_eq!(stored.record, AtsRecord::Candidate(changed));
    assert_eq!(stored.first_seen_at, 100);
}

#[test]
fn the_checkpoint_is_saved_with_the_page() {
    let t = mirror();
    apply(
        &t.mirror,
        RecordKind::Candidate,
        candidates(vec![candidate("1", "Ada", "Lovelace", "ada@example.com")]),
        "after-page-1",
        100,
    );
    let s = t.mirror.stream_state(CONN, "candidate").unwrap().unwrap();
    assert_eq!(s.cursor.as_deref(), Some("after-page-1"));
    assert_eq!(s.label, StreamLabel::Syncing);
}

#[test]
fn a_page_that_fails_midway_leaves_the_previous_state() {
    let t = mirror();
    apply(
        &t.mirror,
        RecordKind::Candidate,
        candidates(vec![candidate("1", "Ada", "Lovelace", "ada@example.com")]),
        "after-page-1",
        100,
    );
    // Page 2: two good records, then one the store must refuse (empty id), then one more.
    let mut updated_first = candidate("1", "Ada", "King", "ada@example.com");
    updated_first.updated_at = Some(1_800_000_000);
    let records = candidates(vec![
        updated_first,
        candidate("2", "Alan", "Turing", "alan@example.com"),
        candidate("", "No", "Id", "none@example.com"),
        candidate("3", "Grace", "Hopper", "grace@example.com"),
    ]);
    let gone = vec!["1".to_string()];
    let page = PageWrite {
        kind: RecordKind::Candidate,
        records: &records,
        gone: &gone,
    };
    let err = t
        .mirror
        .apply_page(CONN, "candidate", &page, &state("after-page-2"), 200)
        .unwrap_err();
    assert!(matches!(err, MirrorError::InvalidRecord { .. }), "{err}");

    assert_eq!(
        t.mirror.ids(CONN, RecordKind::Candidate).unwrap(),
        vec!["1"]
    );
    let stored = t
        .mirror
        .record(CONN, RecordKind::Candidate, "1")
        .unwrap()
        .unwrap();
    let AtsRecord::Candidate(c) = stored.record else {
        panic!()
    };
    assert_eq!(c.last_name.as_deref(), Some("Lovelace"));
    assert_eq!(stored.last_seen_at, 100);
    let s = t.mirror.stream_state(CONN, "candidate").unwrap().unwrap();
    assert_eq!(s.cursor.as_deref(), Some("after-page-1"));
    // The FTS index was rolled back too.
    let hits = search_text(&t, "hopper");
    assert!(hits.is_empty());
}

fn search_text(t: &TestMirror, text: &str) -> Vec<String> {
    use ats_mirror::{MirrorQueries, SearchQuery};
    let q = SearchQuery {
        text: Some(text.into()),
        limit: 10,
        ..SearchQuery::default()
    };
    t.mirror
        .search_candidates(CONN, &q)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.candidate_id)
        .collect()
}

#[test]
fn gone_ids_are_soft_deleted_and_come_back_when_seen_again() {
    let t = mirror();
    let records = candidates(vec![
        candidate("1", "Ada", "Lovelace", "ada@example.com"),
        candidate("2", "Alan", "Turing", "alan@example.com"),
    ]);
    apply(&t.mirror, RecordKind::Candidate, records.clone(), "c1", 100);
    let gone = vec!["2".to_string(), "unknown".to_string()];
    let page = PageWrite {
        kind: RecordKind::Candidate,
        records: &[],
        gone: &gone,
    };
    let out = t
        .mirror
        .apply_page(CONN, "candidate", &page, &state("c2"), 200)
        .unwrap();
    assert_eq!(out.deleted, 1);
    let counts = t.mirror.counts(CONN).unwrap().get(RecordKind::Candidate);
    assert_eq!((counts.live, counts.deleted), (1, 1));
    assert_eq!(search_text(&t, "turing"), Vec::<String>::new());
    let stored = t
        .mirror
        .record(CONN, RecordKind::Candidate, "2")
        .unwrap()
        .unwrap();
    assert_eq!(stored.deleted_at, Some(200));

    // Same content again: the ATS has it, so it is live again (counted as an update).
    let out = apply(&t.mirror, RecordKind::Candidate, records, "c3", 300);
    assert_eq!((out.updated, out.unchanged), (1, 1));
    assert_eq!(
        t.mirror.ids(CONN, RecordKind::Candidate).unwrap(),
        vec!["1", "2"]
    );
    assert_eq!(search_text(&t, "turing"), vec!["2"]);
}

#[test]
fn single_record_writes_and_deletes_show_immediately() {
    let t = mirror();
    let rec = AtsRecord::Application(application("a1", "1", "j1", "s1"));
    let out = t.mirror.upsert_record(CONN, &rec, 50).unwrap();
    assert_eq!(out.inserted, 1);
    assert_eq!(t.mirror.upsert_record(CONN, &rec, 60).unwrap().unchanged, 1);
    assert!(
        t.mirror
            .mark_deleted(CONN, RecordKind::Application, "a1", 70)
            .unwrap()
    );
    assert!(
        !t.mirror
            .mark_deleted(CONN, RecordKind::Application, "a1", 80)
            .unwrap()
    );
    assert!(
        t.mirror
            .ids(CONN, RecordKind::Application)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn an_application_without_a_job_is_refused() {
    let t = mirror();
    let rec = AtsRecord::Application(application("a1", "1", "", "s1"));
    assert!(matches!(
        t.mirror.upsert_record(CONN, &rec, 50),
        Err(MirrorError::InvalidRecord { .. })
    ));
}

#[test]
fn an_updated_candidate_is_found_by_its_new_words_only() {
    let t = mirror();
    let mut c = candidate("1", "Ada", "Lovelace", "ada@example.com");
    c.current_title = Some("Mathematician".into());
    apply(
        &t.mirror,
        RecordKind::Candidate,
        candidates(vec![c.clone()]),
        "c1",
        100,
    );
    c.current_title = Some("Programmer".into());
    apply(
        &t.mirror,
        RecordKind::Candidate,
        candidates(vec![c]),
        "c2",
        200,
    );
    assert!(search_text(&t, "mathematician").is_empty());
    assert_eq!(search_text(&t, "programmer"), vec!["1"]);
    assert_eq!(search_text(&t, "lovelace"), vec!["1"]);
}

#[test]
fn a_record_twice_in_one_page_is_stored_as_last_seen() {
    let t = mirror();
    let mut first = candidate("1", "Ada", "Lovelace", "ada@example.com");
    first.current_title = Some("Mathematician".into());
    let mut second = first.clone();
    second.current_title = Some("Programmer".into());
    let out = apply(
        &t.mirror,
        RecordKind::Candidate,
        candidates(vec![first, second]),
        "c",
        100,
    );
    assert_eq!((out.inserted, out.updated), (1, 1));
    assert!(search_text(&t, "mathematician").is_empty());
    assert_eq!(search_text(&t, "programmer"), vec!["1"]);
}
