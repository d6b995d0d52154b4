//! "A candidate replied to an email": an unknown sender becomes a new person (names from the
//! display name, applied to the job); a known sender is matched by email and their name is
//! never replaced by the guess from the `From:` header.

mod feature_support;

use ats_features::export::PersonAction;
use ats_features::{ExportOptions, ReplyEvent, unix_now};
use feature_support::*;
use icims_sim::RecordType;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reply_creates_a_new_sender_and_matches_a_known_one() {
    let f = start(config(20, 3, 10)).await;
    let known = f.seed_person(json!({
        "firstname": "Annie",
        "lastname": "Easley",
        "email": "annie.easley@example.com",
    }));
    f.sync().await;
    let job = f.ids(RecordType::Jobs)[0].to_string();
    let people_before = f.ids(RecordType::People).len();
    let f = &f;
    let reply = |event: ReplyEvent| async move {
        ats_features::reply(
            f.mirror(),
            &f.live,
            CONN,
            &event,
            &ExportOptions::at(unix_now()),
        )
        .await
    };

    // A new sender, with a display name, replying about a job.
    let report = reply(ReplyEvent {
        sender_address: "Mae.Jemison@Example.com".into(),
        sender_name: Some("JEMISON, MAE".into()),
        message_time: 1_700_000_000,
        job_id: Some(job.clone()),
        source: Some("email reply".into()),
    })
    .await
    .expect("reply from a new sender");
    println!("{report:?}");
    let person = report.person.as_ref().unwrap();
    assert_eq!(person.action, PersonAction::Created);
    assert_eq!(f.ids(RecordType::People).len(), people_before + 1);
    let snap = f.snapshot(RecordType::People, &person.candidate_id);
    assert_eq!(snap["firstname"], "Mae", "{snap}");
    assert_eq!(snap["lastname"], "Jemison");
    assert_eq!(snap["email"], "mae.jemison@example.com");
    let app = report.application.as_ref().expect("applied to the job");
    assert_eq!(f.workflows_of(&person.candidate_id).len(), 1);
    assert_eq!(app.job_id, job);

    // A known sender whose display name differs: matched, the name in iCIMS stays.
    let report = reply(ReplyEvent {
        sender_address: "annie.easley@example.com".into(),
        sender_name: Some("A. Easley-Smith".into()),
        message_time: 1_700_000_100,
        job_id: None,
        source: None,
    })
    .await
    .expect("reply from a known sender");
    println!("{report:?}");
    let person = report.person.as_ref().unwrap();
    assert_eq!(person.candidate_id, known.to_string());
    assert_ne!(person.action, PersonAction::Created);
    assert_eq!(f.ids(RecordType::People).len(), people_before + 1);
    let snap = f.snapshot(RecordType::People, &known.to_string());
    assert_eq!(snap["firstname"], "Annie");
    assert_eq!(snap["lastname"], "Easley");
}
