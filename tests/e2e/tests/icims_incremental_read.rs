//! An incremental read returns only what changed at or after `updated-since`, including a
//! status change a recruiter made in iCIMS (the simulator's side door).

mod icims_support;

use std::time::Duration;

use ats_model::{AtsRecord, RecordKind, Stage};
use icims_sim::RecordType;
use icims_support::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn only_changes_after_the_mark() {
    // staleness 0 (set by the support settings): searches are live.
    let env = start(config(300, 10, 200), &[]).await;
    let state = env.sim.state();
    state.advance_clock(Duration::from_secs(3_600));
    let mark = state.now();
    state.advance_clock(Duration::from_secs(120));

    let person = state.ids(env.customer, RecordType::People).unwrap()[7] as u64;
    let mut fields = serde_json::Map::new();
    fields.insert("middlename".into(), json!("Changed"));
    state.update_person(env.customer, person, &fields).unwrap();
    let workflow = state.ids(env.customer, RecordType::Workflows).unwrap()[3] as u64;
    state
        .set_workflow_status(env.customer, workflow, "C23505")
        .unwrap();

    state.reset_counters();
    let people: Vec<AtsRecord> = read_all(&env.conn, RecordKind::Candidate, Some(mark))
        .await
        .into_iter()
        .flat_map(|p| p.records)
        .collect();
    assert_eq!(people.len(), 1, "{people:?}");
    match &people[0] {
        AtsRecord::Candidate(c) => {
            assert_eq!(c.id, person.to_string());
            assert_eq!(c.middle_name.as_deref(), Some("Changed"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(state.counters().endpoint("search.people"), 1);
    assert_eq!(state.counters().endpoint("get.people"), 1);

    let apps: Vec<AtsRecord> = read_all(&env.conn, RecordKind::Application, Some(mark))
        .await
        .into_iter()
        .flat_map(|p| p.records)
        .collect();
    assert_eq!(apps.len(), 1, "{apps:?}");
    match &apps[0] {
        AtsRecord::Application(a) => {
            assert_eq!(a.id, workflow.to_string());
            assert_eq!(a.status.as_ref().map(|s| s.id.as_str()), Some("C23505"));
            assert_eq!(a.stage, Some(Stage::Hired));
        }
        other => panic!("{other:?}"),
    }

    // The status name seen on the workflow feeds the statuses stream.
    let statuses = read_all(&env.conn, RecordKind::Status, None).await;
    let hired = statuses[0].records.iter().find_map(|r| match r {
        AtsRecord::Status(s) if s.id == "C23505" => Some(s.clone()),
        _ => None,
    });
    assert_eq!(hired.and_then(|s| s.name), Some("Hired".to_string()));

    // Nothing changed since now: one search, no GET.
    state.reset_counters();
    let nothing = read_all(&env.conn, RecordKind::Job, Some(state.now() + 60)).await;
    assert!(nothing.iter().all(|p| p.records.is_empty()));
    assert_eq!(state.counters().endpoint("get.jobs"), 0);
}
