//! Issue 5: a full load into the mirror, then an incremental run that re-reads only what changed
//! (counted by the simulator), with an application's status change landing in its history.

use ats_app::sync_runner::{SyncOptions, sync_connection};
use ats_model::RecordKind;
use ats_sync::NoProgress;
use e2e_tests::host_fixture;
use icims_sim::RecordType;
use serde_json::json;
use std::collections::BTreeSet;

fn as_set(ids: Vec<String>) -> BTreeSet<u64> {
    ids.iter()
        .map(|id| id.parse().expect("numeric id"))
        .collect()
}

fn sim_set(ids: Vec<u32>) -> BTreeSet<u64> {
    ids.into_iter().map(u64::from).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_load_then_incremental_reads_only_changes() {
    let env = host_fixture::start(host_fixture::sim_config(1_200, 40, 1_300)).await;
    let cid = env.customer();
    let live = env.connect_icims("acme", cid).await;
    let state = env.sim.state();

    state.reset_counters();
    let reports = sync_connection(&env.host, &live, &SyncOptions::default(), &NoProgress)
        .await
        .expect("full sync");
    assert!(
        reports.iter().all(|r| r.outcome == "completed"),
        "{reports:#?}"
    );
    let counters = state.counters();
    // The floor: one GET per record and one search per page of at most 1,000 ids.
    for (ty, kind, endpoint) in [
        (RecordType::People, RecordKind::Candidate, "people"),
        (RecordType::Jobs, RecordKind::Job, "jobs"),
        (
            RecordType::Workflows,
            RecordKind::Application,
            "applicantworkflows",
        ),
    ] {
        let sim_ids = sim_set(state.ids(cid, ty).unwrap());
        let mirror_ids = as_set(env.host.mirror.ids("acme", kind).await.unwrap());
        assert_eq!(
            mirror_ids, sim_ids,
            "{kind} ids differ between mirror and simulator"
        );
        let gets = counters.endpoint(&format!("get.{endpoint}"));
        let searches = counters.endpoint(&format!("search.{endpoint}"));
        assert_eq!(gets, sim_ids.len() as u64, "GETs of {endpoint}");
        assert_eq!(
            searches,
            sim_ids.len() as u64 / 1_000 + 1,
            "searches of {endpoint}"
        );
    }
    assert_eq!(counters.token, 1, "one token for the whole sync");

    // A recruiter edits two people and moves one application in iCIMS.
    let people = state.ids(cid, RecordType::People).unwrap();
    let workflows = state.ids(cid, RecordType::Workflows).unwrap();
    let (p1, p2, w1) = (people[10] as u64, people[700] as u64, workflows[5] as u64);
    let fields = |v: serde_json::Value| v.as_object().unwrap().clone();
    state
        .update_person(cid, p1, &fields(json!({"firstname": "Changed"})))
        .unwrap();
    state
        .update_person(cid, p2, &fields(json!({"lastname": "Moved-On"})))
        .unwrap();
    let before = env
        .host
        .mirror
        .status_history("acme", &w1.to_string())
        .await
        .unwrap();
    state.set_workflow_status(cid, w1, "C36951").unwrap();

    state.reset_counters();
    let reports = sync_connection(&env.host, &live, &SyncOptions::default(), &NoProgress)
        .await
        .expect("incremental sync");
    assert!(
        reports
            .iter()
            .filter(|r| r.stream != "statuses" && r.stream != "folders")
            .all(|r| r.mode == "incremental"),
        "{reports:#?}"
    );
    let counters = state.counters();
    // Only the changed records (plus any that changed within the overlap window) are read again.
    let people_gets = counters.endpoint("get.people");
    let workflow_gets = counters.endpoint("get.applicantworkflows");
    assert!(
        (2..=10).contains(&people_gets),
        "incremental run read {people_gets} people"
    );
    assert!(
        (1..=10).contains(&workflow_gets),
        "incremental run read {workflow_gets} applications"
    );
    assert_eq!(counters.token, 0, "the cached token is reused");

    let record = env
        .host
        .mirror
        .record("acme", RecordKind::Candidate, &p1.to_string())
        .await
        .unwrap()
        .unwrap();
    let ats_model::AtsRecord::Candidate(c) = record.record else {
        panic!("not a candidate")
    };
    assert_eq!(c.first_name.as_deref(), Some("Changed"));
    let after = env
        .host
        .mirror
        .status_history("acme", &w1.to_string())
        .await
        .unwrap();
    assert_eq!(
        after.len(),
        before.len() + 1,
        "the status change is in the history: {after:#?}"
    );
    assert_eq!(after.last().unwrap().status_id.as_deref(), Some("C36951"));
    assert_eq!(
        after.last().unwrap().stage,
        Some(ats_model::Stage::Rejected)
    );
}
