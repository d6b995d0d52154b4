//! Every status an application was seen in is recorded once, with the ATS's time and ours.

use super::fixtures::*;
use crate::Mirror;
use ats_model::{NamedRef, RecordKind, Stage};

pub async fn each_status_change_is_recorded_once_starting_with_the_initial_status(m: &dyn Mirror) {
    let mut a = application("a1", "1", "j1", "new");
    apply(
        m,
        RecordKind::Application,
        applications(vec![a.clone()]),
        "p1",
        100,
    )
    .await;
    // Re-reading the same page records nothing.
    apply(
        m,
        RecordKind::Application,
        applications(vec![a.clone()]),
        "p1",
        110,
    )
    .await;

    // A change that is not a status change records nothing either.
    a.source = Some("referral".into());
    apply(
        m,
        RecordKind::Application,
        applications(vec![a.clone()]),
        "p2",
        120,
    )
    .await;

    a.status = Some(NamedRef {
        id: "interview".into(),
        name: Some("Phone screen".into()),
    });
    a.stage = Some(Stage::Interview);
    a.updated_at = Some(1_700_000_500);
    apply(
        m,
        RecordKind::Application,
        applications(vec![a.clone()]),
        "p3",
        200,
    )
    .await;
    apply(
        m,
        RecordKind::Application,
        applications(vec![a.clone()]),
        "p3",
        210,
    )
    .await;

    let history = m.status_history(CONN, "a1").await.unwrap();
    let seen: Vec<_> = history
        .iter()
        .map(|h| (h.status_id.as_deref().unwrap(), h.changed_at, h.seen_at))
        .collect();
    assert_eq!(
        seen,
        vec![
            ("new", Some(1_700_000_000), 100),
            ("interview", Some(1_700_000_500), 200)
        ]
    );
    assert_eq!(history[1].stage, Some(Stage::Interview));
    assert_eq!(history[1].status_name.as_deref(), Some("Phone screen"));
}

pub async fn an_application_without_a_status_has_no_empty_history_row(m: &dyn Mirror) {
    let mut a = application("a1", "1", "j1", "new");
    a.status = None;
    a.stage = None;
    apply(
        m,
        RecordKind::Application,
        applications(vec![a.clone()]),
        "p1",
        100,
    )
    .await;
    assert!(m.status_history(CONN, "a1").await.unwrap().is_empty());

    // The first status seen is its first history row; hidden again, nothing is added.
    a.status = Some(NamedRef {
        id: "new".into(),
        name: Some("New".into()),
    });
    apply(
        m,
        RecordKind::Application,
        applications(vec![a.clone()]),
        "p2",
        200,
    )
    .await;
    a.status = None;
    apply(
        m,
        RecordKind::Application,
        applications(vec![a.clone()]),
        "p3",
        300,
    )
    .await;
    let history = m.status_history(CONN, "a1").await.unwrap();
    assert_eq!(history.len(), 1, "{history:?}");
    assert_eq!(history[0].status_id.as_deref(), Some("new"));
}
