//! Deletes are inferred only from clean id scans, and only after a grace period.

use super::fixtures::*;
use crate::Mirror;
use ats_model::RecordKind;

const DAY: i64 = 86_400;

async fn load_three(m: &dyn Mirror) {
    apply(
        m,
        RecordKind::Candidate,
        candidates(vec![
            candidate("1", "Ada", "Lovelace", "ada@example.com"),
            candidate("2", "Alan", "Turing", "alan@example.com"),
            candidate("3", "Grace", "Hopper", "grace@example.com"),
        ]),
        "c",
        100,
    )
    .await;
}

pub async fn unlisted_records_are_marked_missing_then_deleted_after_the_grace_period(
    m: &dyn Mirror,
) {
    load_three(m).await;

    let scan = m
        .reconcile_begin(CONN, RecordKind::Candidate, 1000)
        .await
        .unwrap();
    m.reconcile_seen(scan, &ids(&["1"])).await.unwrap();
    m.reconcile_seen(scan, &ids(&["2", "1"])).await.unwrap();
    let out = m.reconcile_finish(scan, 1000, 14 * DAY).await.unwrap();
    assert_eq!((out.seen, out.newly_missing, out.deleted), (2, 1, 0));
    let three = m
        .record(CONN, RecordKind::Candidate, "3")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((three.missing_since, three.deleted_at), (Some(1000), None));
    assert_eq!(
        m.ids(CONN, RecordKind::Candidate).await.unwrap(),
        ids(&["1", "2", "3"])
    );

    // Still missing a week later: within grace, kept.
    let scan = m
        .reconcile_begin(CONN, RecordKind::Candidate, 1000 + 7 * DAY)
        .await
        .unwrap();
    m.reconcile_seen(scan, &ids(&["1", "2"])).await.unwrap();
    let out = m
        .reconcile_finish(scan, 1000 + 7 * DAY, 14 * DAY)
        .await
        .unwrap();
    assert_eq!((out.newly_missing, out.deleted), (0, 0));

    // Past the grace period: soft-deleted, never hard-deleted.
    let at = 1000 + 15 * DAY;
    let scan = m
        .reconcile_begin(CONN, RecordKind::Candidate, at)
        .await
        .unwrap();
    m.reconcile_seen(scan, &ids(&["1", "2"])).await.unwrap();
    let out = m.reconcile_finish(scan, at, 14 * DAY).await.unwrap();
    assert_eq!(out.deleted, 1);
    assert_eq!(
        m.ids(CONN, RecordKind::Candidate).await.unwrap(),
        ids(&["1", "2"])
    );
    let three = m
        .record(CONN, RecordKind::Candidate, "3")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(three.deleted_at, Some(at));
}

pub async fn a_record_listed_again_is_no_longer_missing(m: &dyn Mirror) {
    load_three(m).await;
    let scan = m
        .reconcile_begin(CONN, RecordKind::Candidate, 1000)
        .await
        .unwrap();
    m.reconcile_seen(scan, &ids(&["1", "2"])).await.unwrap();
    m.reconcile_finish(scan, 1000, DAY).await.unwrap();

    let scan = m
        .reconcile_begin(CONN, RecordKind::Candidate, 1000 + 2 * DAY)
        .await
        .unwrap();
    m.reconcile_seen(scan, &ids(&["1", "2", "3"]))
        .await
        .unwrap();
    let out = m.reconcile_finish(scan, 1000 + 2 * DAY, DAY).await.unwrap();
    assert_eq!((out.recovered, out.deleted), (1, 0));
    let three = m
        .record(CONN, RecordKind::Candidate, "3")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(three.missing_since, None);
}

pub async fn an_abandoned_scan_changes_nothing_and_cannot_be_finished(m: &dyn Mirror) {
    load_three(m).await;
    let scan = m
        .reconcile_begin(CONN, RecordKind::Candidate, 1000)
        .await
        .unwrap();
    m.reconcile_seen(scan, &ids(&["1"])).await.unwrap();
    m.reconcile_abandon(scan).await.unwrap();
    for id in ["1", "2", "3"] {
        let r = m
            .record(CONN, RecordKind::Candidate, id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((r.missing_since, r.deleted_at), (None, None));
    }
    assert!(m.reconcile_finish(scan, 1000, 0).await.is_err());
    assert!(m.reconcile_seen(scan, &ids(&["2"])).await.is_err());
}

pub async fn records_first_seen_during_the_scan_are_not_marked(m: &dyn Mirror) {
    load_three(m).await;
    let scan = m
        .reconcile_begin(CONN, RecordKind::Candidate, 1000)
        .await
        .unwrap();
    m.reconcile_seen(scan, &ids(&["1", "2", "3"]))
        .await
        .unwrap();
    // An incremental page inserts a record while the scan runs, after the scan passed its id.
    apply(
        m,
        RecordKind::Candidate,
        candidates(vec![candidate("0", "New", "Person", "new@example.com")]),
        "c",
        1500,
    )
    .await;
    let out = m.reconcile_finish(scan, 2000, 0).await.unwrap();
    assert_eq!((out.newly_missing, out.deleted), (0, 0));
    assert_eq!(m.ids(CONN, RecordKind::Candidate).await.unwrap().len(), 4);
}

pub async fn scans_of_one_kind_do_not_touch_other_kinds(m: &dyn Mirror) {
    load_three(m).await;
    apply(
        m,
        RecordKind::Application,
        applications(vec![application("a1", "1", "j1", "s1")]),
        "a",
        100,
    )
    .await;
    let scan = m
        .reconcile_begin(CONN, RecordKind::Application, 1000)
        .await
        .unwrap();
    let out = m.reconcile_finish(scan, 1000, 0).await.unwrap();
    assert_eq!(out.deleted, 1);
    assert_eq!(m.ids(CONN, RecordKind::Candidate).await.unwrap().len(), 3);
}
