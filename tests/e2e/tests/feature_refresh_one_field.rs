//! Refresh that changes one field: the dry run shows the diff and writes nothing; applying it
//! changes exactly that field in iCIMS and leaves every other field as it was.

mod feature_support;

use ats_features::{PlatformCandidate, RefreshOptions, unix_now};
use feature_support::*;
use icims_sim::RecordType;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_changes_one_field_and_leaves_the_rest() {
    let f = start(config(20, 3, 10)).await;
    let id = f
        .seed_person(json!({
            "firstname": "Evelyn",
            "lastname": "Boyd",
            "email": "evelyn.boyd@example.com",
            "phones": [{"phonetype": {"value": "Home"}, "phonenumber": "+1 617 555 0111"}],
            "field51027": "Analyst",
            "field51028": "Acme",
        }))
        .to_string();
    f.sync().await;
    let before = f.snapshot(RecordType::People, &id);

    let profile: PlatformCandidate = serde_json::from_value(json!({
        "first_name": "Evelyn",
        "last_name": "Boyd",
        "emails": ["evelyn.boyd@example.com"],
        "current_title": "Senior Analyst",
    }))
    .unwrap();
    let f = &f;
    let run = |dry_run: bool| {
        let profile = profile.clone();
        let id = id.clone();
        async move {
            let mut options = RefreshOptions::at(unix_now());
            options.dry_run = dry_run;
            ats_features::refresh(f.mirror(), &f.live, CONN, &id, &profile, &options).await
        }
    };

    f.state().reset_counters();
    let dry = run(true).await.expect("dry run");
    println!("{dry:?}");
    assert!(!dry.applied);
    assert_eq!(
        dry.changes
            .iter()
            .map(|c| c.field.as_str())
            .collect::<Vec<_>>(),
        ["current_title"]
    );
    assert_eq!(f.writes(), 0, "a dry run writes nothing");

    let applied = run(false).await.expect("refresh");
    println!("{applied:?}");
    assert!(applied.applied);
    assert_eq!(f.state().counters().endpoint("patch.people"), 1);
    let after = f.snapshot(RecordType::People, &id);
    assert_eq!(after["field51027"], "Senior Analyst");
    let (b, a) = (before.as_object().unwrap(), after.as_object().unwrap());
    for (field, value) in b {
        if field == "field51027" || field == "updateddate" {
            continue;
        }
        assert_eq!(a.get(field), Some(value), "{field} changed");
    }
    assert_eq!(a.len(), b.len(), "no field added or removed: {after}");

    // Refreshing again finds nothing to do.
    f.state().reset_counters();
    let again = run(false).await.expect("refresh again");
    assert!(again.changes.is_empty(), "{again:?}");
    assert_eq!(f.writes(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_keeps_an_edit_made_in_the_ats_after_the_last_sync() {
    let f = start(config(5, 1, 2)).await;
    let id = f
        .seed_person(json!({
            "firstname": "Mary",
            "lastname": "Jackson",
            "email": "mary.jackson@example.com",
            "field51027": "Mathematician",
        }))
        .to_string();
    f.sync().await;
    // A recruiter changes the email in iCIMS; the mirror still has the old one.
    f.state()
        .update_person(
            f.cid,
            id.parse().unwrap(),
            &object(json!({"email": "m.jackson@nasa.example"})),
        )
        .expect("side-door edit");

    // The platform knows a further address and a new title.
    let profile: PlatformCandidate = serde_json::from_value(json!({
        "first_name": "Mary",
        "last_name": "Jackson",
        "emails": ["mary@personal.example"],
        "current_title": "Engineer",
    }))
    .unwrap();
    let report = ats_features::refresh(
        f.mirror(),
        &f.live,
        CONN,
        &id,
        &profile,
        &RefreshOptions::at(unix_now()),
    )
    .await
    .expect("refresh");
    println!("{report:?}");
    let emails = report
        .changes
        .iter()
        .find(|c| c.field == "emails")
        .expect("the new address is a change");
    assert_eq!(
        emails.ats.as_deref(),
        Some("m.jackson@nasa.example"),
        "the diff shows the ATS as it is now, not the mirror's copy"
    );
    let after = f.snapshot(RecordType::People, &id);
    assert_eq!(
        after["email"], "m.jackson@nasa.example",
        "the edit made in iCIMS was written back over: {after}"
    );
    assert_eq!(after["field51027"], "Engineer");
}
