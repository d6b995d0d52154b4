//! Issue 19: what real tenant data does to a sync, through the iCIMS component and the
//! simulator. A workflow whose person the integration user may not see is one record error, not
//! a failed stream; records without an update date are flagged with their cost and back the
//! stream off; people are found by street, postal code, their region's other spelling and where
//! their applications came from.

use ats_app::status_view::{StreamStatus, connection_status};
use ats_app::sync_runner::{StreamReport, SyncOptions, sync_connection};
use ats_mirror::SearchQuery;
use ats_model::{AtsRecord, RecordKind};
use ats_sync::NoProgress;
use e2e_tests::host_fixture::{self, HostEnv};
use icims_sim::{HiddenFields, RecordType};
use std::collections::BTreeSet;

async fn sync(env: &HostEnv) -> Vec<StreamReport> {
    let live = env.host.live("acme").await.expect("the connection is live");
    let reports = sync_connection(&env.host, &live, &SyncOptions::default(), &NoProgress)
        .await
        .expect("sync");
    assert!(
        reports.iter().all(|r| r.outcome == "completed"),
        "every stream completes: {reports:#?}"
    );
    reports
}

async fn applications_status(env: &HostEnv) -> StreamStatus {
    let row = env.host.mirror.connection("acme").await.unwrap().unwrap();
    connection_status(&env.host, &row)
        .await
        .expect("status")
        .streams
        .into_iter()
        .find(|s| s.kind == RecordKind::Application)
        .expect("an applications stream")
}

async fn mirrored_applications(env: &HostEnv) -> BTreeSet<String> {
    env.host
        .mirror
        .ids("acme", RecordKind::Application)
        .await
        .unwrap()
        .into_iter()
        .collect()
}

fn hide(ty: RecordType, field: &str, ids: Vec<u64>) -> HiddenFields {
    HiddenFields {
        record_type: ty,
        fields: vec![field.to_string()],
        ids,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workflow_without_its_person_is_one_record_error_and_the_rest_is_written() {
    let env = host_fixture::start(host_fixture::sim_config(60, 5, 90)).await;
    let cid = env.customer();
    let state = env.sim.state();
    let all: BTreeSet<String> = state
        .ids(cid, RecordType::Workflows)
        .unwrap()
        .into_iter()
        .map(|id| id.to_string())
        .collect();
    let hidden: u64 = all.iter().nth(7).unwrap().parse().unwrap();
    state
        .set_hidden_fields(
            cid,
            vec![hide(
                RecordType::Workflows,
                "associatedprofile",
                vec![hidden],
            )],
        )
        .unwrap();
    env.connect_icims("acme", cid).await;

    sync(&env).await;
    let mut expected = all.clone();
    expected.remove(&hidden.to_string());
    assert_eq!(mirrored_applications(&env).await, expected);
    let apps = applications_status(&env).await;
    assert_eq!(apps.record_error_count, 1, "{apps:#?}");
    let error = &apps.record_errors[0];
    assert_eq!(error.id, hidden.to_string());
    assert!(error.reason.contains("without its person"), "{error:?}");
    assert!(error.advice.contains("associatedprofile"), "{error:?}");
    assert_eq!(error.attempts, 1);
    let runs = env.host.mirror.runs("acme", 20).await.unwrap();
    let run = runs.iter().find(|r| r.stream == apps.stream).unwrap();
    assert_eq!(run.outcome.as_ref().unwrap().record_errors, 1);

    // The next run asks for that workflow again (one GET), which still cannot be translated.
    state.reset_counters();
    sync(&env).await;
    assert!(state.counters().endpoint("get.applicantworkflows") >= 1);
    let apps = applications_status(&env).await;
    assert_eq!(apps.record_error_count, 1);
    assert_eq!(apps.record_errors[0].attempts, 2);

    // The customer's admin lets the integration user see the person: the next run writes it.
    state.set_hidden_fields(cid, Vec::new()).unwrap();
    sync(&env).await;
    assert_eq!(mirrored_applications(&env).await, all);
    assert_eq!(applications_status(&env).await.record_error_count, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_without_update_dates_is_flagged_with_its_cost_and_backs_off() {
    let env = host_fixture::start(host_fixture::sim_config(40, 4, 50)).await;
    let cid = env.customer();
    let state = env.sim.state();
    let workflows = state.ids(cid, RecordType::Workflows).unwrap().len() as u64;
    state
        .set_hidden_fields(
            cid,
            vec![hide(RecordType::Workflows, "updateddate", vec![])],
        )
        .unwrap();
    env.connect_icims("acme", cid).await;

    sync(&env).await;
    let second = sync(&env).await;
    // Without update dates the high-water mark never moves: the second run reads everything.
    let apps_run = second
        .iter()
        .find(|r| r.kind == RecordKind::Application)
        .unwrap();
    assert_eq!(apps_run.mode, "full", "{apps_run:#?}");
    assert_eq!(apps_run.records, workflows);

    let apps = applications_status(&env).await;
    let health = apps.incremental_health.as_deref().expect("flagged");
    assert!(
        health.contains(&format!("re-reads {workflows} records")),
        "{health}"
    );
    assert!(health.contains("update date"), "{health}");
    // Two such runs in a row: four times the interval (at most a day).
    let last = apps.last_success_at.unwrap();
    let expected = (apps.interval_seconds as i64 * 4).min(86_400);
    assert_eq!(apps.next_run_at - last, expected, "{apps:#?}");

    // People keep their update dates: no flag there.
    let row = env.host.mirror.connection("acme").await.unwrap().unwrap();
    let status = connection_status(&env.host, &row).await.unwrap();
    let people = status
        .streams
        .iter()
        .find(|s| s.kind == RecordKind::Candidate)
        .unwrap();
    assert!(people.incremental_health.is_none(), "{people:#?}");
}

async fn found(env: &HostEnv, text: Option<&str>, source: Option<&str>) -> Vec<String> {
    let query = SearchQuery {
        text: text.map(str::to_string),
        source: source.map(str::to_string),
        now: 2_000_000_000,
        limit: 500,
        ..SearchQuery::default()
    };
    env.host
        .mirror
        .search_candidates("acme", &query)
        .await
        .unwrap()
        .hits
        .into_iter()
        .flat_map(|h| std::iter::once(h.candidate_id).chain(h.duplicates))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_are_found_by_street_postal_code_region_name_and_application_source() {
    let env = host_fixture::start(host_fixture::sim_config(80, 5, 120)).await;
    let cid = env.customer();
    // A recruiter noted where one application came from (the workflow's `sourcename`).
    let state = env.sim.state();
    let workflow = state.ids(cid, RecordType::Workflows).unwrap()[3] as u64;
    let note = serde_json::json!({"sourcename": "Applicant from previous year"});
    state
        .update_record(
            cid,
            RecordType::Workflows,
            workflow,
            note.as_object().unwrap(),
        )
        .unwrap();
    env.connect_icims("acme", cid).await;
    sync(&env).await;

    // A person with a full address.
    let mut person = None;
    for id in env
        .host
        .mirror
        .ids("acme", RecordKind::Candidate)
        .await
        .unwrap()
    {
        let stored = env
            .host
            .mirror
            .record("acme", RecordKind::Candidate, &id)
            .await
            .unwrap()
            .unwrap();
        let AtsRecord::Candidate(c) = stored.record else {
            continue;
        };
        let full = c.addresses.first().is_some_and(|a| {
            a.street.is_some()
                && a.postal_code.is_some()
                && a.region
                    .as_deref()
                    .and_then(ats_mirror::regions::other_spelling)
                    .is_some()
        });
        if full {
            person = Some(c);
            break;
        }
    }
    let person = person.expect("the generator makes people with US addresses");
    let address = &person.addresses[0];
    let street = address.street.as_deref().unwrap();
    let street_word = street
        .split_whitespace()
        .find(|w| w.chars().all(char::is_alphabetic) && w.len() > 3)
        .unwrap_or(street);
    let postal = address.postal_code.as_deref().unwrap();
    let region = address.region.as_deref().unwrap();
    let other = ats_mirror::regions::other_spelling(region).unwrap();
    for text in [
        format!("{street_word} {postal}"),
        other.to_string(),
        region.to_string(),
    ] {
        assert!(
            found(&env, Some(&text), None).await.contains(&person.id),
            "`{text}` finds {} at {address:?}",
            person.id
        );
    }

    // That application's source detail finds its person, and only people who have it.
    let stored = env
        .host
        .mirror
        .record("acme", RecordKind::Application, &workflow.to_string())
        .await
        .unwrap()
        .unwrap();
    let AtsRecord::Application(application) = stored.record else {
        panic!("not an application")
    };
    assert_eq!(
        application.source_detail.as_deref(),
        Some("Applicant from previous year")
    );
    let hits = found(&env, None, Some("applicant from PREVIOUS year")).await;
    assert_eq!(hits, vec![application.candidate_id.clone()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_fields_configured_on_a_connection_arrive_and_are_found_by_a_filter() {
    let env = host_fixture::start(host_fixture::sim_config(40, 4, 30)).await;
    let cid = env.customer();
    let state = env.sim.state();
    let people = state.ids(cid, RecordType::People).unwrap();
    let jobs = state.ids(cid, RecordType::Jobs).unwrap();
    let (ada, bob) = (u64::from(people[4]), u64::from(people[9]));
    // A 21-value list in real tenants; two values here, one holding commas.
    let degree = |values: &[(&str, &str)]| {
        let nodes: Vec<_> = values
            .iter()
            .map(|(id, value)| serde_json::json!({"id": id, "value": value}))
            .collect();
        serde_json::json!({ "field23848": nodes, "field29946": "Night shift" })
    };
    state
        .update_person(
            cid,
            ada,
            degree(&[
                ("C23900", "Digital Media, Communications or Film"),
                ("C23901", "Engineering"),
            ])
            .as_object()
            .unwrap(),
        )
        .unwrap();
    let engineering = serde_json::json!({"field23848": [{"id": "C23901", "value": "Engineering"}]});
    state
        .update_person(cid, bob, engineering.as_object().unwrap())
        .unwrap();
    let category = serde_json::json!({"positioncategory": {"id": "C5", "value": "Technology"}});
    state
        .update_job(cid, u64::from(jobs[0]), category.as_object().unwrap())
        .unwrap();
    env.connect_icims_with(
        "acme",
        cid,
        &[(
            "custom-fields",
            "person=field23848,field29946; job=positioncategory",
        )],
    )
    .await;
    sync(&env).await;

    // Asked for by name (`fields=`), so they are in the mirror, raw body included.
    let stored = env
        .host
        .mirror
        .record("acme", RecordKind::Candidate, &ada.to_string())
        .await
        .unwrap()
        .unwrap();
    let AtsRecord::Candidate(c) = &stored.record else {
        panic!("not a candidate")
    };
    let values: Vec<(&str, &str, Option<&str>)> = c
        .custom_fields
        .iter()
        .map(|f| (f.name.as_str(), f.value.as_str(), f.value_id.as_deref()))
        .collect();
    assert_eq!(
        values,
        [
            (
                "field23848",
                "Digital Media, Communications or Film",
                Some("C23900")
            ),
            ("field23848", "Engineering", Some("C23901")),
            ("field29946", "Night shift", None),
        ]
    );
    assert!(c.raw.as_deref().unwrap().contains("field23848"));
    let job = env
        .host
        .mirror
        .record("acme", RecordKind::Job, &jobs[0].to_string())
        .await
        .unwrap()
        .unwrap();
    let AtsRecord::Job(job) = job.record else {
        panic!("not a job")
    };
    assert_eq!(job.custom_fields[0].value, "Technology");

    // Found by list id, by value (any case), and only where every filter holds.
    let filtered = |fields: &[(&str, &str)]| {
        let query = SearchQuery {
            custom_fields: fields
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            now: 2_000_000_000,
            limit: 100,
            ..SearchQuery::default()
        };
        let mirror = env.host.mirror.clone();
        async move {
            let mut ids: Vec<String> = mirror
                .search_candidates("acme", &query)
                .await
                .unwrap()
                .hits
                .into_iter()
                .map(|h| h.candidate_id)
                .collect();
            ids.sort();
            ids
        }
    };
    let (ada, bob) = (ada.to_string(), bob.to_string());
    let mut both = vec![ada.clone(), bob.clone()];
    both.sort();
    assert_eq!(
        filtered(&[("field23848", "C23900")]).await,
        vec![ada.clone()]
    );
    assert_eq!(filtered(&[("field23848", "engineering")]).await, both);
    assert_eq!(
        filtered(&[("field23848", "C23901"), ("field29946", "night shift")]).await,
        vec![ada.clone()]
    );
    assert!(filtered(&[("field23848", "C99999")]).await.is_empty());
    // The values are searchable as text too, each value on its own.
    assert!(
        found(&env, Some("communications film"), None)
            .await
            .contains(&ada)
    );
}
