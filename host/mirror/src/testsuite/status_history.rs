//! Every status an application was seen in is recorded once, with the ATS's time and ours; a
//! candidate's applications come with those histories, whatever became of their jobs.

use super::fixtures::*;
use crate::Mirror;
use ats_model::{AtsRecord, Job, NamedRef, RecordKind, Stage};

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

pub async fn a_candidates_applications_come_newest_first_with_their_jobs_even_deleted_or_unknown(
    m: &dyn Mirror,
) {
    for (id, title) in [("j-live", "Rust Engineer"), ("j-gone", "Old opening")] {
        let job = Job {
            id: id.into(),
            title: Some(title.into()),
            ..Job::default()
        };
        m.upsert_record(CONN, AtsRecord::Job(job), 50)
            .await
            .unwrap();
    }
    m.mark_deleted(CONN, RecordKind::Job, "j-gone", 60)
        .await
        .unwrap();
    m.upsert_record(
        CONN,
        AtsRecord::Status(status("s-int", "Phone screen", Stage::Interview)),
        50,
    )
    .await
    .unwrap();
    let mut on_live = application("a1", "1", "j-live", "new");
    on_live.applied_at = Some(1_600_000_000);
    on_live.source = Some("referral".into());
    let mut on_gone = application("a2", "1", "j-gone", "new");
    on_gone.applied_at = Some(1_650_000_000);
    // No stream read this job: the application is listed all the same.
    let mut on_unknown = application("a3", "1", "j-never-read", "new");
    on_unknown.applied_at = Some(1_690_000_000);
    let mut never_applied = application("a4", "1", "j-live", "new");
    never_applied.applied_at = None;
    let someone_else = application("a5", "2", "j-live", "new");
    let withdrawn = application("a6", "1", "j-live", "new");
    apply(
        m,
        RecordKind::Application,
        applications(vec![
            on_live.clone(),
            on_gone,
            on_unknown,
            never_applied,
            someone_else,
            withdrawn,
        ]),
        "p1",
        100,
    )
    .await;
    m.mark_deleted(CONN, RecordKind::Application, "a6", 110)
        .await
        .unwrap();
    on_live.status = Some(NamedRef {
        id: "s-int".into(),
        name: Some("Phone screen".into()),
    });
    on_live.updated_at = Some(1_700_000_500);
    apply(
        m,
        RecordKind::Application,
        applications(vec![on_live]),
        "p2",
        200,
    )
    .await;

    let apps = m.applications_of_candidate(CONN, "1", 10).await.unwrap();
    let seen: Vec<_> = apps
        .iter()
        .map(|a| {
            (
                a.application_id.as_str(),
                a.job_id.as_str(),
                a.job_title.as_deref(),
                a.job_deleted_at,
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            ("a3", "j-never-read", None, None),
            ("a2", "j-gone", Some("Old opening"), Some(60)),
            ("a1", "j-live", Some("Rust Engineer"), None),
            ("a4", "j-live", Some("Rust Engineer"), None),
        ],
        "newest applied first, never-applied last; deleted applications and other people's left out"
    );
    let moved = &apps[2];
    assert_eq!(moved.status_id.as_deref(), Some("s-int"));
    assert_eq!(moved.stage, Some(Stage::Interview), "the status's stage");
    assert_eq!(moved.source.as_deref(), Some("referral"));
    assert_eq!(moved.applied_at, Some(1_600_000_000));
    let steps: Vec<_> = moved
        .history
        .iter()
        .map(|h| (h.status_id.as_deref().unwrap(), h.seen_at))
        .collect();
    assert_eq!(steps, vec![("new", 100), ("s-int", 200)]);
    assert_eq!(apps[0].history.len(), 1);

    // Bounded: the newest ones only.
    let two = m.applications_of_candidate(CONN, "1", 2).await.unwrap();
    let ids: Vec<_> = two.iter().map(|a| a.application_id.as_str()).collect();
    assert_eq!(ids, ["a3", "a2"]);
    assert!(
        m.applications_of_candidate(CONN, "nobody", 10)
            .await
            .unwrap()
            .is_empty()
    );
}
