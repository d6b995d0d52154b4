//! Issue 14 (for issue 15's push events): `Engine::reread` re-reads exactly the named records
//! from the simulator through the real component (one GET each, no search, no token) and writes
//! them to the mirror; a person deleted in iCIMS is soft-deleted at once.

use ats_app::sync_runner::{SyncOptions, sync_connection};
use ats_model::{AtsRecord, RecordKind, RecordRef};
use ats_sync::{Engine, EngineConfig, Lane, NoProgress};
use e2e_tests::host_fixture;
use icims_sim::RecordType;
use serde_json::json;

fn named(kind: RecordKind, id: u64) -> RecordRef {
    RecordRef {
        kind,
        id: id.to_string(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn named_records_are_reread_into_the_mirror_with_one_get_each() {
    let env = host_fixture::start(host_fixture::sim_config(40, 6, 30)).await;
    let cid = env.customer();
    let live = env.connect_icims("acme", cid).await;
    let state = env.sim.state();
    let reports = sync_connection(&env.host, &live, &SyncOptions::default(), &NoProgress)
        .await
        .expect("full sync");
    assert!(
        reports.iter().all(|r| r.outcome == "completed"),
        "{reports:#?}"
    );

    // A recruiter renames one person, moves one application, and a purge removes another
    // person; one job is named but unchanged.
    let people = state.ids(cid, RecordType::People).unwrap();
    let workflows = state.ids(cid, RecordType::Workflows).unwrap();
    let jobs = state.ids(cid, RecordType::Jobs).unwrap();
    let (renamed, moved, job) = (
        u64::from(people[3]),
        u64::from(workflows[4]),
        u64::from(jobs[1]),
    );
    let mirror = &env.host.mirror;
    let stored = async |kind, id: u64| mirror.record("acme", kind, &id.to_string()).await.unwrap();
    let AtsRecord::Application(before) =
        stored(RecordKind::Application, moved).await.unwrap().record
    else {
        panic!("not an application")
    };
    let AtsRecord::Job(job_before) = stored(RecordKind::Job, job).await.unwrap().record else {
        panic!("not a job")
    };
    // Someone neither the moved application nor the job refers to (the simulator drops
    // references to a deleted person, which would change them too).
    let referenced: Vec<String> = [job_before.hiring_manager, job_before.recruiter]
        .into_iter()
        .flatten()
        .map(|r| r.id)
        .chain([before.candidate_id.clone(), renamed.to_string()])
        .collect();
    let purged = people
        .iter()
        .rev()
        .map(|&p| u64::from(p))
        .find(|p| !referenced.contains(&p.to_string()))
        .unwrap();
    let fields = |v: serde_json::Value| v.as_object().unwrap().clone();
    state
        .update_person(cid, renamed, &fields(json!({"firstname": "Pushed"})))
        .unwrap();
    state.delete_person(cid, purged).unwrap();
    let history_before = mirror
        .status_history("acme", &moved.to_string())
        .await
        .unwrap();
    let from = history_before.last().and_then(|c| c.status_id.clone());
    let to = if from.as_deref() == Some("C36951") {
        "C12296"
    } else {
        "C36951"
    };
    state.set_workflow_status(cid, moved, to).unwrap();

    let refs = [
        named(RecordKind::Application, moved),
        named(RecordKind::Candidate, renamed),
        named(RecordKind::Job, job),
        named(RecordKind::Candidate, purged),
        // The same application twice (an event delivered twice): read once.
        named(RecordKind::Application, moved),
    ];
    let engine = Engine::new(env.host.store(), EngineConfig::default());
    state.reset_counters();
    let outcome = engine
        .reread(&live, &live.meter, "acme", &refs, Lane::Applications)
        .await
        .expect("reread");

    assert_eq!(
        outcome.upserted,
        [
            named(RecordKind::Application, moved),
            named(RecordKind::Candidate, renamed)
        ]
    );
    assert_eq!(outcome.unchanged, [named(RecordKind::Job, job)]);
    assert_eq!(outcome.deleted, [named(RecordKind::Candidate, purged)]);
    assert!(
        outcome.failed.is_empty() && outcome.not_read.is_empty() && outcome.already_gone.is_empty(),
        "{outcome:#?}"
    );
    let counters = state.counters();
    assert_eq!(counters.endpoint("get.people"), 2, "{counters:?}");
    assert_eq!(
        counters.endpoint("get.applicantworkflows"),
        1,
        "{counters:?}"
    );
    assert_eq!(counters.endpoint("get.jobs"), 1, "{counters:?}");
    assert_eq!(
        counters.total, 4,
        "exactly one GET per named record: no search, no token ({counters:?})"
    );
    assert_eq!(outcome.requests, 4, "the quota meter counted the same four");

    let AtsRecord::Candidate(person) = stored(RecordKind::Candidate, renamed).await.unwrap().record
    else {
        panic!("not a candidate")
    };
    assert_eq!(person.first_name.as_deref(), Some("Pushed"));
    let purged_row = stored(RecordKind::Candidate, purged)
        .await
        .expect("kept, soft-deleted");
    assert!(purged_row.deleted_at.is_some());
    assert!(
        !mirror
            .ids("acme", RecordKind::Candidate)
            .await
            .unwrap()
            .contains(&purged.to_string())
    );
    let AtsRecord::Application(application) =
        stored(RecordKind::Application, moved).await.unwrap().record
    else {
        panic!("not an application")
    };
    assert_eq!(
        application.status.map(|s| s.id).as_deref(),
        Some(to),
        "the moved application's new status"
    );
    let history = mirror
        .status_history("acme", &moved.to_string())
        .await
        .unwrap();
    assert_eq!(history.len(), history_before.len() + 1, "{history:#?}");
    assert_eq!(history.last().unwrap().status_id.as_deref(), Some(to));
}
