//! Candidate export against a real mirror and a fake connector: with and without a job, an
//! existing person, a retry after a timeout, and bad inputs that must write nothing.

mod common;

use ats_features::export::{ApplicationAction, PersonAction};
use ats_features::{ExportOptions, FeatureError, export_json};
use ats_mirror::{FeatureState, MirrorQueries, MirrorStore};
use ats_model::{AtsRecord, RecordKind, Stage};
use base64::Engine;
use common::*;

async fn setup() -> (TestMirror, FakeAts) {
    let t = mirror();
    let ats = FakeAts::default();
    seed_job(&t, &ats, job("J1", "Backend Engineer", "Rust services")).await;
    mirrored(
        &t,
        AtsRecord::Status(status("C2028", "Phone screen", Stage::Screening)),
    )
    .await;
    (t, ats)
}

fn pdf() -> String {
    base64::engine::general_purpose::STANDARD.encode(b"%PDF-1.7 resume")
}

const ADA: &str = r#"{"first_name":"Ada","last_name":"Lovelace","emails":["Ada@Example.com"],
  "phones":["(415) 555-0100"],"profile_urls":["https://www.linkedin.com/in/ada/?trk=x"],
  "current_title":"Backend Engineer","current_company":"Analytical","source":"Sourcing platform"}"#;

fn with(json: &str, extra: &str) -> String {
    format!("{},{extra}}}", json.trim_end().trim_end_matches('}'))
}

#[tokio::test]
async fn export_without_job_creates_person_and_mirrors_it() {
    let (t, ats) = setup().await;
    let opts = ExportOptions::at(NOW);
    let r = export_json(&t.mirror, &ats, CONN, ADA, &opts)
        .await
        .unwrap();
    let person = r.person.clone().unwrap();
    assert_eq!(person.action, PersonAction::Created);
    assert!(r.application.is_none());
    assert_eq!(ats.writes(), vec!["create_candidate"]);
    // The mirror has it at once, found by email.
    assert_eq!(
        t.mirror
            .candidates_by_email(CONN, "ada@example.com")
            .await
            .unwrap(),
        vec![person.candidate_id.clone()]
    );
    println!("{r:?}");
}

#[tokio::test]
async fn export_with_job_resume_and_status_creates_application() {
    let (t, ats) = setup().await;
    let json = with(
        ADA,
        &format!(
            r#""job_id":"J1","status":"Phone screen","resume":{{"file_name":"ada.pdf","content_type":"application/pdf","base64":"{}"}}"#,
            pdf()
        ),
    );
    let r = export_json(&t.mirror, &ats, CONN, &json, &ExportOptions::at(NOW))
        .await
        .unwrap();
    let app = r.application.clone().unwrap();
    assert_eq!(app.action, ApplicationAction::Created);
    assert_eq!(app.status.as_deref(), Some("status C2028"));
    assert!(r.resume.as_ref().unwrap().attachment_id.is_some());
    assert_eq!(
        ats.writes(),
        vec![
            "create_candidate",
            "upload_attachment p1",
            "create_application p1 J1"
        ]
    );
    let stored = ats.applications();
    assert_eq!(
        stored[0].source_detail.as_deref(),
        Some("Sourcing platform")
    );
    assert!(
        t.mirror
            .record(CONN, RecordKind::Application, &app.application_id)
            .await
            .unwrap()
            .is_some()
    );
    println!("{r:?}");
}

#[tokio::test]
async fn export_of_existing_person_matches_and_updates_only_new_fields() {
    let (t, ats) = setup().await;
    let mut known = person("100", "Ada", "Lovelace", "ada@example.com");
    known.current_title = Some("Engineer".into());
    seed_person(&t, &ats, known).await;
    let r = export_json(&t.mirror, &ats, CONN, ADA, &ExportOptions::at(NOW))
        .await
        .unwrap();
    let p = r.person.unwrap();
    assert_eq!(p.candidate_id, "100");
    assert_eq!(p.action, PersonAction::Updated);
    assert_eq!(p.matched_by, Some(ats_features::dedupe::MatchRule::Email));
    let fields: Vec<&str> = p.changed_fields.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(
        fields,
        ["phones", "profile_urls", "current_title", "current_company"]
    );
    assert_eq!(ats.people().len(), 1, "no second person");
    let writes = ats.writes();
    assert_eq!(writes.len(), 1);
    assert!(
        writes[0].contains("\"first_name\":null"),
        "names unchanged are not sent: {}",
        writes[0]
    );
}

#[tokio::test]
async fn export_finds_person_by_profile_url_when_emails_differ() {
    let (t, ats) = setup().await;
    let mut known = person("100", "Ada", "Lovelace", "ada@work.example");
    known.urls.push(ats_model::ProfileUrl {
        url: "linkedin.com/in/ADA".into(),
        kind: ats_model::UrlKind::Linkedin,
    });
    seed_person(&t, &ats, known).await;
    let r = export_json(&t.mirror, &ats, CONN, ADA, &ExportOptions::at(NOW))
        .await
        .unwrap();
    let p = r.person.unwrap();
    assert_eq!(
        (p.candidate_id.as_str(), p.matched_by),
        ("100", Some(ats_features::dedupe::MatchRule::ProfileUrl))
    );
    assert_eq!(ats.people().len(), 1);
}

#[tokio::test]
async fn retry_after_timeout_on_create_application_resumes() {
    let (t, ats) = setup().await;
    let json = with(ADA, r#""job_id":"J1","status":"screening""#);
    ats.state.lock().unwrap().timeout_after_create_application = true;
    let opts = ExportOptions::at(NOW);
    let err = export_json(&t.mirror, &ats, CONN, &json, &opts)
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            FeatureError::Interrupted {
                step: "create-application",
                ..
            }
        ),
        "{err}"
    );
    println!("first attempt: {err}");
    let again = export_json(&t.mirror, &ats, CONN, &json, &opts)
        .await
        .unwrap();
    assert!(again.resumed);
    assert_eq!(ats.people().len(), 1, "one person");
    assert_eq!(ats.applications().len(), 1, "one application");
    let creates: Vec<_> = ats
        .writes()
        .into_iter()
        .filter(|w| w.starts_with("create_candidate"))
        .collect();
    assert_eq!(creates.len(), 1, "the person is not created again");
    assert_eq!(
        t.mirror
            .ids(CONN, RecordKind::Application)
            .await
            .unwrap()
            .len(),
        1
    );
    // A third call is a replay: nothing written.
    let before = ats.writes().len();
    let replay = export_json(&t.mirror, &ats, CONN, &json, &opts)
        .await
        .unwrap();
    assert!(replay.replayed);
    assert_eq!(ats.writes().len(), before);
    let key = replay.idempotency_key;
    assert_eq!(
        t.mirror
            .idempotency(CONN, &key)
            .await
            .unwrap()
            .unwrap()
            .state,
        "done"
    );
}

#[tokio::test]
async fn explicit_key_reused_for_other_content_is_refused() {
    let (t, ats) = setup().await;
    let opts = ExportOptions::at(NOW);
    let a = with(ADA, r#""idempotency_key":"k1""#);
    export_json(&t.mirror, &ats, CONN, &a, &opts).await.unwrap();
    let b = with(
        &a.replace("Analytical", "Other Co"),
        r#""source":"x""#.trim_start_matches(','),
    );
    let b = b.replace(r#","source":"x""#, "");
    let err = export_json(&t.mirror, &ats, CONN, &b, &opts)
        .await
        .unwrap_err();
    assert!(matches!(err, FeatureError::KeyReused { .. }), "{err}");
}

async fn refused(json: &str) -> (FeatureError, FakeAts) {
    let (t, ats) = setup().await;
    let mut opts = ExportOptions::at(NOW);
    opts.max_resume_bytes = 64;
    let err = export_json(&t.mirror, &ats, CONN, json, &opts)
        .await
        .unwrap_err();
    assert!(
        ats.writes().is_empty(),
        "no writes for a bad input: {:?}",
        ats.writes()
    );
    assert!(err.is_input_error(), "{err}");
    println!("{err}");
    (err, ats)
}

#[tokio::test]
async fn bad_inputs_are_refused_before_any_write() {
    let (e, _) = refused("{\"first_name\": \"Ada\",\n \"emails\": [\"a@b.com\" }").await;
    assert!(
        matches!(e, FeatureError::MalformedJson { line: 2, .. }),
        "{e}"
    );

    let (e, _) = refused(r#"{"first_name":"Ada","emails":["a@b.com"]}"#).await;
    assert!(e.to_string().contains("`last_name`"));

    let (e, _) = refused(&ADA.replace("Ada@Example.com", "ada-at-example")).await;
    assert!(e.to_string().contains("`emails[0]`"));

    let (e, ats) = refused(&with(ADA, r#""job_id":"NOPE""#)).await;
    assert!(matches!(e, FeatureError::UnknownJob { .. }));
    assert_eq!(
        ats.calls(),
        vec!["get_job NOPE"],
        "only a read to look for the job"
    );

    let (e, _) = refused(&with(ADA, r#""job_id":"J1","status":"maybe later""#)).await;
    assert!(matches!(e, FeatureError::UnknownStatus { .. }));
    assert!(e.to_string().contains("C2028 (Phone screen)"), "{e}");

    let png = base64::engine::general_purpose::STANDARD.encode(b"\x89PNG\r\n\x1a\n");
    let (e, _) = refused(&with(
        ADA,
        &format!(
            r#""resume":{{"file_name":"me.png","content_type":"image/png","base64":"{png}"}}"#
        ),
    ))
    .await;
    assert!(e.to_string().contains("not a document type"));

    let big = base64::engine::general_purpose::STANDARD.encode([b'%'; 200]);
    let (e, _) = refused(&with(
        ADA,
        &format!(
            r#""resume":{{"file_name":"cv.pdf","content_type":"application/pdf","base64":"{big}"}}"#
        ),
    ))
    .await;
    assert!(e.to_string().contains("more than the limit"));
}
