//! Every write, checked in the simulator's state.

mod icims_support;

use ats_model::{
    AttachmentKind, AttachmentUpload, CandidateInput, ConnectorError, MatchQuery, Phone,
    RecordKind, Stage, StatusTarget,
};
use ats_runtime::CallError;
use icims_sim::RecordType;
use icims_support::*;

#[tokio::test(flavor = "multi_thread")]
async fn candidate_and_application_writes() {
    let env = start(config(20, 3, 5), &[("source-name", "e2e platform")]).await;
    let state = env.sim.state();
    let cid = env.customer;

    // Validation happens before any request.
    state.reset_counters();
    let bad = env
        .conn
        .create_candidate(CandidateInput {
            first_name: Some("Ada".into()),
            ..Default::default()
        })
        .await;
    assert!(
        matches!(
            bad,
            Err(CallError::Connector(ConnectorError::InvalidInput { .. }))
        ),
        "{bad:?}"
    );
    assert_eq!(state.counters().total, 0);

    let created = env
        .conn
        .create_candidate(CandidateInput {
            first_name: Some("Ada".into()),
            last_name: Some("Lovelace".into()),
            emails: Some(vec![
                "ada.e2e@example.com".into(),
                "second@example.com".into(),
            ]),
            phones: Some(vec![Phone {
                number: "+1 617 555 0100".into(),
                kind: None,
            }]),
            ..Default::default()
        })
        .await
        .expect("create");
    assert!(
        created
            .warnings
            .iter()
            .any(|w| w.contains("second@example.com")),
        "{:?}",
        created.warnings
    );
    let person: u64 = created.id.parse().unwrap();
    let snap = state.snapshot(cid, RecordType::People, person).unwrap();
    assert_eq!(snap["firstname"], "Ada");
    assert_eq!(snap["email"], "ada.e2e@example.com");

    let found = env
        .conn
        .find_candidates(MatchQuery {
            emails: vec!["ADA.E2E@example.com".into()],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        found.iter().map(|c| c.id.clone()).collect::<Vec<_>>(),
        vec![created.id.clone()]
    );

    env.conn
        .update_candidate(
            &created.id,
            CandidateInput {
                middle_name: Some("King".into()),
                phones: Some(vec![Phone {
                    number: "617 555 0199".into(),
                    kind: Some("Home".into()),
                }]),
                ..Default::default()
            },
        )
        .await
        .expect("update");
    let snap = state.snapshot(cid, RecordType::People, person).unwrap();
    assert_eq!(snap["middlename"], "King");
    assert_eq!(snap["lastname"], "Lovelace", "untouched fields stay");
    assert_eq!(snap["phones"].as_array().map(Vec::len), Some(2), "{snap}");

    let job = state.ids(cid, RecordType::Jobs).unwrap()[0].to_string();
    let input = ats_model::ApplicationInput {
        candidate_id: created.id.clone(),
        job_id: job.clone(),
        status: None,
        source: None,
        source_detail: None,
    };
    let app = env
        .conn
        .create_application(input.clone())
        .await
        .expect("apply");
    let again = env
        .conn
        .create_application(input)
        .await
        .expect("apply again");
    assert_eq!(again.id, app.id);
    assert!(!again.warnings.is_empty());
    let workflow: u64 = app.id.parse().unwrap();
    assert_eq!(
        state
            .snapshot(cid, RecordType::Workflows, workflow)
            .unwrap()["status"]["id"],
        "D10100"
    );

    env.conn
        .move_application(&app.id, StatusTarget::Stage(Stage::Interview))
        .await
        .expect("move");
    assert_eq!(
        state
            .snapshot(cid, RecordType::Workflows, workflow)
            .unwrap()["status"]["id"],
        "C12296"
    );
    let rejected = env
        .conn
        .reject_application(&app.id, Some("not a fit".into()))
        .await
        .expect("reject");
    assert!(!rejected.reason_stored);
    assert!(
        rejected
            .write
            .warnings
            .iter()
            .any(|w| w.contains("rejection reasons"))
    );
    assert_eq!(
        state
            .snapshot(cid, RecordType::Workflows, workflow)
            .unwrap()["status"]["id"],
        "C36951"
    );

    let pdf = b"%PDF-1.4 e2e resume".to_vec();
    env.conn
        .upload_attachment(
            &created.id,
            AttachmentUpload {
                kind: AttachmentKind::Resume,
                file_name: "Ada.pdf".into(),
                content_type: "application/pdf".into(),
                content: pdf.clone(),
            },
        )
        .await
        .expect("upload");
    let file = env
        .conn
        .download_attachment(&created.id, "resume")
        .await
        .expect("download");
    assert_eq!(file.content, pdf);
    assert_eq!(file.file_name.as_deref(), Some("Ada.pdf"));

    // A resume of several MiB crosses the host's request-body stream in many writes, each as
    // large as the host accepts at that moment, and arrives whole.
    let big: Vec<u8> = (0..3_000_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    env.conn
        .upload_attachment(
            &created.id,
            AttachmentUpload {
                kind: AttachmentKind::Resume,
                file_name: "Ada-long.pdf".into(),
                content_type: "application/pdf".into(),
                content: big.clone(),
            },
        )
        .await
        .expect("upload of a 3 MB resume");
    let file = env
        .conn
        .download_attachment(&created.id, "resume")
        .await
        .expect("download");
    assert_eq!(file.content.len(), big.len());
    assert!(file.content == big, "the 3 MB resume came back altered");
    assert_eq!(file.file_name.as_deref(), Some("Ada-long.pdf"));
    let cover = env
        .conn
        .upload_attachment(
            &created.id,
            AttachmentUpload {
                kind: AttachmentKind::CoverLetter,
                file_name: "c.pdf".into(),
                content_type: "application/pdf".into(),
                content: vec![1],
            },
        )
        .await;
    assert!(matches!(
        cover,
        Err(CallError::Connector(ConnectorError::Unsupported { .. }))
    ));
    let note = env.conn.add_tag(&created.id, "x").await;
    assert!(matches!(
        note,
        Err(CallError::Connector(ConnectorError::Unsupported { .. }))
    ));

    let record = env
        .conn
        .get(RecordKind::Candidate, &created.id)
        .await
        .unwrap();
    assert!(matches!(record, ats_model::AtsRecord::Candidate(c) if c.attachments.len() == 1));
}
