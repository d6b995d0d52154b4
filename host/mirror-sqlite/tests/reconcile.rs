//! Deletes are inferred only from clean id scans, and only after a grace period.

mod common;

use ats_mirror::MirrorStore;
use ats_model::RecordKind;
use common::*;

const DAY: i64 = 86_400;

fn load_three(t: &TestMirror) {
    apply(
        &t.mirror,
        RecordKind::Candidate,
        candidates(vec![
            candidate("1", "Ada", "Lovelace", "ada@example.com"),
            candidate("2", "Alan", "Turing", "alan@example.com"),
            candidate("3", "Grace", "Hopper", "grace@example.com"),
        ]),
        "c",
        100,
    );
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn unlisted_records_are_marked_missing_then_deleted_after_the_grace_period() {
    let t = mirror();
    load_three(&t);
    let m = &t.mirror;

    let scan = m
        .reconcile_begin(CONN, RecordKind::Candidate, 1000)
        .unwrap();
    m.reconcile_seen(scan, &ids(&["1"])).unwrap();
    m.reconcile_seen(scan, &ids(&["2", "1"])).unwrap();
    let out = m.reconcile_finish(scan, 1000, 14 * DAY).unwrap();
    assert_eq!((out.seen, out.newly_missing, out.deleted), (2, 1, 0));
    let three = m.record(CONN, RecordKind::Candidate, "3").unwrap().unwrap();
    assert_eq!((three.missing_since, three.deleted_at), (Some(1000), None));
    assert_eq!(
        m.ids(CONN, RecordKind::Candidate).unwrap(),
        ids(&["1", "2", "3"])
    );

    // Still missing a week later: within grace, kept.
    let scan = m
        .reconcile_begin(CONN, RecordKind::Candidate, 1000 + 7 * DAY)
        .unwrap();
    m.reconcile_seen(scan, &ids(&["1", "2"])).unwrap();
    let out = m.reconcile_finish(scan, 1000 + 7 * DAY, 14 * DAY).unwrap();
    assert_eq!((out.newly_missing, out.deleted), (0, 0));

    // Past the grace period: soft-deleted, never hard-deleted.
    let at = 1000 + 15 * DAY;
    let scan = m.reconcile_begin(CONN, RecordKind::Candidate, at).unwrap();
    m.reconcile_seen(scan, &ids(&["1", "2"])).unwrap();
    let out = m.reconcile_finish(scan, at, 14 * DAY).unwrap();
    assert_eq!(out.deleted, 1);
    assert_eq!(
        m.ids(CONN, RecordKind::Candidate).unwrap(),
        ids(&["1", "2"])
    );
    let three = m.record(CONN, RecordKind::Candidate, "3").unwrap().unwrap();
    assert_eq!(three.deleted_at, Some(at));
}

#[test]
fn a_record_listed_again_is_no_longer_missing() {
    let t = mirror();
    load_three(&t);
    let m = &t.mirror;
    let scan = m
        .reconcile_begin(CONN, RecordKind::Candidate, 1000)
        .unwrap();
    m.reconcile_seen(scan, &ids(&["1", "2"])).unwrap();
    m.reconcile_finish(scan, 1000, DAY).unwrap();

    let scan = m
        .reconcile_begin(CONN, RecordKind::Candidate, 1000 + 2 * DAY)
        .unwrap();
    m.reconcile_seen(scan, &ids(&["1", "2", "3"])).unwrap();
    let out = m.reconcile_finish(scan, 1000 + 2 * DAY, DAY).unwrap();
    assert_eq!((out.recovered, out.deleted), (1, 0));
    let three = m.record(CONN, RecordKind::Candidate, "3").unwrap().unwrap();
    assert_eq!(three.missing_since, None);
}

#[test]
fn an_abandoned_scan_changes_nothing_and_cannot_be_finished() {
    let t = mirror();
    load_three(&t);
    let m = &t.mirror;
    let scan = m
        .reconcile_begin(CONN, RecordKind::Candidate, 1000)
        .unwrap();
    m.reconcile_seen(scan, &ids(&["1"])).unwrap();
    m.reconcile_abandon(scan).unwrap();
    for id in ["1", "2", "3"] {
        let r = m.record(CONN, RecordKind::Candidate, id).unwrap().unwrap();
        assert_eq!((r.missing_since, r.deleted_at), (None, None));
    }
    assert!(m.reconcile_finish(scan, 1000, 0).is_err());
    assert!(m.reconcile_seen(scan, &ids(&["2"])).is_err());
}

#[test]
fn records_first_seen_during_the_scan_are_not_marked() {
    let t = mirror();
    load_three(&t);
    let m = &t.mirror;
    let scan = m
        .reconcile_begin(CONN, RecordKind::Candidate, 1000)
        .unwrap();
    m.reconcile_seen(scan, &ids(&["1", "2", "3"])).unwrap();
    // An incremental page inserts a record while the scan runs, after the scan passed its id.
    apply(
        &t.mirror,
        RecordKind::Candidate,
        candidates(vec![candidate("0", "New", "Person", "new@example.com")]),
        "c",
        1500,
    );
    let out = m.reconcile_finish(scan, 2000, 0).unwrap();
    assert_eq!((out.newly_missing, out.deleted), (0, 0));
    assert_eq!(m.ids(CONN, RecordKind::Candidate).unwrap().len(), 4);
}

#[test]
fn scans_of_one_kind_do_not_touch_other_kinds() {
    let t = mirror();
    load_three(&t);
    apply(
        &t.mirror,
        RecordKind::Application,
        applications(vec![application("a1", "1", "j1", "s1")]),
        "a",
        100,
    );
    let m = &t.mirror;
    let scan = m
        .reconcile_begin(CONN, RecordKind::Application, 1000)
        .unwrap();
    let out = m.reconcile_finish(scan, 1000, 0).unwrap();
    assert_eq!(out.deleted, 1);
    assert_eq!(m.ids(CONN, RecordKind::Candidate).unwrap().len(), 3);
}
