//! An export whose application create times out is retried: the retry resumes under the same
//! idempotency key, and iCIMS ends with one person and one application.

mod feature_support;

use ats_features::FeatureError;
use ats_model::RecordKind;
use feature_support::*;
use icims_sim::{FaultKind, FaultMatch, FaultScript, RecordType};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_retried_after_a_timeout_creates_one_person_and_one_application() {
    let mut sim = config(20, 3, 10);
    sim.faults.timeout_hold_ms = 200;
    let f = start(sim).await;
    f.sync().await;
    let job = f.ids(RecordType::Jobs)[1].to_string();
    let people_before = f.ids(RecordType::People).len();
    let workflows_before = f.ids(RecordType::Workflows).len();

    f.state().push_fault(FaultScript {
        matcher: FaultMatch {
            endpoint: Some("create.applicantworkflows".into()),
            path_prefix: None,
        },
        fault: FaultKind::Timeout,
        count: 1,
    });
    let profile = json!({
        "first_name": "Mary",
        "last_name": "Jackson",
        "emails": ["mary.jackson@example.com"],
        "job_id": job,
        "status": "new",
        "source": "Talent platform",
    })
    .to_string();
    let first = f.export(&profile).await;
    println!("first attempt: {first:?}");
    match &first {
        Err(FeatureError::Interrupted { step, .. }) => {
            assert_eq!(*step, "create-application", "{first:?}")
        }
        Ok(report) => panic!("the timeout was not seen: {report:?}"),
        Err(e) => panic!("unexpected error: {e}"),
    }
    assert_eq!(f.ids(RecordType::People).len(), people_before + 1);

    let retry = f.export(&profile).await.expect("the retry completes");
    println!("{retry:?}");
    assert!(
        retry.resumed,
        "the retry resumes the first attempt: {retry:?}"
    );
    let person = retry.person.as_ref().unwrap().candidate_id.clone();
    assert_eq!(
        f.ids(RecordType::People).len(),
        people_before + 1,
        "one person"
    );
    assert_eq!(
        f.ids(RecordType::Workflows).len(),
        workflows_before + 1,
        "one application"
    );
    assert_eq!(f.workflows_of(&person).len(), 1);
    assert!(
        f.mirror()
            .record(CONN, RecordKind::Candidate, &person)
            .await
            .unwrap()
            .is_some(),
        "the mirror has the person after the retry"
    );

    // A third call is a replay: nothing written.
    f.state().reset_counters();
    let replay = f.export(&profile).await.expect("replay");
    assert!(replay.replayed);
    assert_eq!(f.writes(), 0);
}
