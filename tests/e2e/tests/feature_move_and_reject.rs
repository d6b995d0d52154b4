//! Moving an application to a stage and rejecting one: iCIMS gets the mapped status, the
//! mirror shows it at once, and a rejection reason (which iCIMS cannot store) is kept in the
//! mirror and the answer says so.

mod feature_support;

use ats_features::unix_now;
use ats_model::{AtsRecord, RecordKind, Stage};
use feature_support::*;
use icims_sim::RecordType;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn move_then_reject_an_application() {
    let f = start(config(20, 3, 10)).await;
    f.sync().await;
    let workflows = f.ids(RecordType::Workflows);
    let (w1, w2) = (workflows[0].to_string(), workflows[1].to_string());

    let moved =
        ats_features::move_application(f.mirror(), &f.live, CONN, &w1, "interview", unix_now())
            .await
            .expect("move");
    println!("{moved:?}");
    assert_eq!(
        f.snapshot(RecordType::Workflows, &w1)["status"]["id"],
        "C12296"
    );
    assert_eq!(moved.stage, Some(Stage::Interview));
    let mirrored = f
        .mirror()
        .record(CONN, RecordKind::Application, &w1)
        .await
        .unwrap()
        .unwrap();
    let AtsRecord::Application(a) = mirrored.record else {
        panic!("not an application")
    };
    assert_eq!(a.stage, Some(Stage::Interview));

    // A status id works too.
    ats_features::move_application(f.mirror(), &f.live, CONN, &w1, "C22001", unix_now())
        .await
        .expect("move by status id");
    assert_eq!(
        f.snapshot(RecordType::Workflows, &w1)["status"]["id"],
        "C22001"
    );

    let rejected = ats_features::reject_application(
        f.mirror(),
        &f.live,
        CONN,
        &w2,
        Some("Chose a candidate with more compiler experience"),
        Some("Recruiter Rita"),
        unix_now(),
    )
    .await
    .expect("reject");
    println!("{rejected:?}");
    assert_eq!(
        f.snapshot(RecordType::Workflows, &w2)["status"]["id"],
        "C36951"
    );
    assert!(!rejected.reason_stored_in_ats);
    assert!(rejected.reason_kept_in_mirror);
    assert!(
        rejected
            .note
            .as_deref()
            .is_some_and(|n| n.contains("cannot store")),
        "{rejected:?}"
    );
    let kept = f
        .mirror()
        .rejection_reason(CONN, &w2)
        .await
        .unwrap()
        .expect("reason in the mirror");
    assert_eq!(
        kept.reason,
        "Chose a candidate with more compiler experience"
    );
    assert_eq!(kept.rejected_by.as_deref(), Some("Recruiter Rita"));
    let mirrored = f
        .mirror()
        .record(CONN, RecordKind::Application, &w2)
        .await
        .unwrap()
        .unwrap();
    let AtsRecord::Application(a) = mirrored.record else {
        panic!("not an application")
    };
    assert_eq!(a.stage, Some(Stage::Rejected));

    // Unknown applications and statuses are refused before any write.
    f.state().reset_counters();
    let e = ats_features::move_application(
        f.mirror(),
        &f.live,
        CONN,
        "99999999",
        "interview",
        unix_now(),
    )
    .await
    .unwrap_err();
    assert!(e.is_input_error(), "{e}");
    let e =
        ats_features::move_application(f.mirror(), &f.live, CONN, &w1, "daydreaming", unix_now())
            .await
            .unwrap_err();
    assert!(e.is_input_error(), "{e}");
    assert_eq!(f.writes(), 0);
}
