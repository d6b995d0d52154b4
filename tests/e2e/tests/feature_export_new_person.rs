//! Export of a new person, without a job and then with one: the person is created in iCIMS with
//! the profile's fields, the resume goes through the binary endpoint, and the application is
//! created with the status and source asked for. The mirror shows every write at once.

mod feature_support;

use ats_features::export::{ApplicationAction, PersonAction};
use ats_mirror::SearchQuery;
use ats_model::RecordKind;
use feature_support::*;
use icims_sim::RecordType;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_creates_the_person_resume_and_application() {
    let f = start(config(30, 4, 20)).await;
    f.sync().await;
    let people_before = f.ids(RecordType::People).len();

    // Without a job: a person and a resume, no application.
    let profile = json!({
        "first_name": "Grace",
        "last_name": "Hopper",
        "emails": ["Grace.Hopper@Example.com"],
        "phones": ["+1 617 555 0142"],
        "profile_urls": ["https://www.linkedin.com/in/gracehopper/"],
        "current_title": "Rear Admiral",
        "current_company": "US Navy",
        "source": "Talent platform",
        "resume": {"file_name": "grace.pdf", "content_type": "application/pdf", "base64": pdf_base64("COBOL compilers")}
    });
    let report = f.export(&profile.to_string()).await.expect("export");
    println!("{report:?}");
    let person = report.person.as_ref().expect("a person");
    assert_eq!(person.action, PersonAction::Created);
    assert!(report.application.is_none());
    assert_eq!(f.ids(RecordType::People).len(), people_before + 1);

    let snap = f.snapshot(RecordType::People, &person.candidate_id);
    assert_eq!(snap["firstname"], "Grace", "{snap}");
    assert_eq!(snap["lastname"], "Hopper");
    assert_eq!(snap["email"], "grace.hopper@example.com");
    assert_eq!(snap["field51027"], "Rear Admiral", "{snap}");
    assert_eq!(snap["field51028"], "US Navy");
    assert!(
        snap["field50527"]
            .as_str()
            .is_some_and(|u| u.contains("linkedin.com/in/gracehopper")),
        "{snap}"
    );
    assert!(snap["phones"].to_string().contains("555"), "{snap}");
    assert!(snap["resume"]["file"].is_string(), "resume stored: {snap}");
    assert!(
        f.state().counters().endpoint("binary") >= 1,
        "binary endpoint used"
    );
    let file = f
        .live
        .connection
        .download_attachment(&person.candidate_id, "resume")
        .await
        .expect("download the resume");
    assert!(file.content.starts_with(b"%PDF-1.4\nCOBOL compilers"));

    let mirrored = f
        .mirror()
        .record(CONN, RecordKind::Candidate, &person.candidate_id)
        .await
        .unwrap()
        .expect("the mirror has the new person");
    let ats_model::AtsRecord::Candidate(c) = mirrored.record else {
        panic!("not a candidate")
    };
    assert_eq!(c.last_name.as_deref(), Some("Hopper"));
    assert!(
        c.attachments.iter().any(|a| a.id == "resume"),
        "the mirror read the person back after the upload: {:?}",
        c.attachments
    );
    // Rediscovery finds them by the platform's attribution, which iCIMS keeps as the source
    // name (its source must be one of its own list values).
    let by_source = f
        .mirror()
        .search_candidates(
            CONN,
            &SearchQuery {
                source: Some("talent platform".into()),
                now: ats_features::unix_now(),
                limit: 10,
                ..SearchQuery::default()
            },
        )
        .await
        .unwrap();
    assert!(
        by_source
            .hits
            .iter()
            .any(|h| h.candidate_id == person.candidate_id),
        "search by the platform's source: {:?}",
        by_source.hits
    );

    // With a job: a new person applied with a status and a source.
    let job = f.ids(RecordType::Jobs)[0].to_string();
    let profile = json!({
        "first_name": "Katherine",
        "last_name": "Johnson",
        "emails": ["katherine.johnson@example.com"],
        "source": "Talent platform",
        "job_id": job,
        "status": "screening",
        "resume": {"file_name": "kj.txt", "content_type": "text/plain", "base64": "T3JiaXRhbCBtZWNoYW5pY3M="}
    });
    let report = f
        .export(&profile.to_string())
        .await
        .expect("export with a job");
    println!("{report:?}");
    let person = report.person.as_ref().expect("a person");
    assert_eq!(person.action, PersonAction::Created);
    let app = report.application.as_ref().expect("an application");
    assert_eq!(app.action, ApplicationAction::Created);
    assert_eq!(app.job_id, job);
    let workflow = f.snapshot(RecordType::Workflows, &app.application_id);
    assert_eq!(workflow["status"]["id"], "C2028", "{workflow}");
    assert_eq!(
        workflow["associatedprofile"]["id"]
            .to_string()
            .trim_matches('"'),
        person.candidate_id
    );
    assert_eq!(
        workflow["baseprofile"]["id"].to_string().trim_matches('"'),
        job
    );
    assert!(
        workflow["source"].is_string() && workflow["sourcename"] == "Talent platform",
        "source attribution: {workflow}"
    );
    assert!(
        f.mirror()
            .record(CONN, RecordKind::Application, &app.application_id)
            .await
            .unwrap()
            .is_some(),
        "the mirror has the new application"
    );
}
