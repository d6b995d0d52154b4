//! Export of a person iCIMS already holds: found by email (in any case and with the mirror
//! synced), updated with only what is new, never created twice.

mod feature_support;

use ats_features::dedupe::MatchRule;
use ats_features::export::PersonAction;
use feature_support::*;
use icims_sim::RecordType;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_of_a_known_person_matches_by_email() {
    let f = start(config(30, 3, 10)).await;
    let known = f.seed_person(json!({
        "firstname": "Dorothy",
        "lastname": "Vaughan",
        "email": "dorothy.vaughan@example.com",
    }));
    f.sync().await;
    let before = f.snapshot(RecordType::People, &known.to_string());
    let people_before = f.ids(RecordType::People).len();

    let profile = json!({
        "first_name": "Dorothy",
        "last_name": "Vaughan",
        "emails": ["DOROTHY.VAUGHAN@example.com"],
        "current_title": "Mathematician",
    });
    let report = f.export(&profile.to_string()).await.expect("export");
    println!("{report:?}");
    let person = report.person.as_ref().expect("a person");
    assert_eq!(person.candidate_id, known.to_string());
    assert_eq!(person.action, PersonAction::Updated, "{report:?}");
    assert_eq!(person.matched_by, Some(MatchRule::Email));
    assert_eq!(
        f.ids(RecordType::People).len(),
        people_before,
        "no new person in iCIMS"
    );
    let after = f.snapshot(RecordType::People, &known.to_string());
    assert_eq!(after["field51027"], "Mathematician", "{after}");
    for field in ["firstname", "lastname", "email"] {
        assert_eq!(after[field], before[field], "{field} untouched");
    }

    // The person exported again with nothing new (another profile, so not a replay) is
    // matched and nothing is written.
    f.state().reset_counters();
    let same = json!({
        "first_name": "Dorothy",
        "last_name": "Vaughan",
        "emails": ["dorothy.vaughan@example.com"],
    });
    let again = f.export(&same.to_string()).await.expect("export again");
    println!("{again:?}");
    assert!(!again.replayed);
    let person = again.person.as_ref().unwrap();
    assert_eq!(person.candidate_id, known.to_string());
    assert_eq!(person.action, PersonAction::Matched, "{again:?}");
    assert_eq!(f.writes(), 0, "nothing new, nothing written");
    assert_eq!(f.ids(RecordType::People).len(), people_before);
}
