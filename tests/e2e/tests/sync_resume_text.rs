//! Résumé text through the iCIMS component, the host and the simulator: after a candidates run
//! the host asks for the text of each new or changed résumé (`attachment-text`, one
//! `…/fields/resume/text` request each), stores it, and search, review and rediscovery read it.
//! A person whose only mention of a rare skill is in their résumé is found by it and ranked with
//! it; nothing is asked again until a person changes; a connection can turn it off.

mod feature_support;

use ats_app::sync_runner::{SyncOptions, sync_connection};
use ats_features::rediscovery::SearchFilters;
use ats_features::{ReviewOptions, unix_now};
use ats_mirror::SearchQuery;
use ats_model::{AttachmentKind, AttachmentUpload};
use ats_sync::NoProgress;
use e2e_tests::host_fixture;
use feature_support::*;
use icims_sim::RecordType;
use serde_json::json;

/// In no generated profile, job or résumé: only Zora's résumé says it.
const RARE: &str = "zebrafish";

/// People of the simulator with a résumé file, as iCIMS shows them.
fn people_with_a_resume(f: &FeatureEnv) -> u64 {
    f.ids(RecordType::People)
        .into_iter()
        .filter(|id| !f.snapshot(RecordType::People, &id.to_string())["resume"].is_null())
        .count() as u64
}

async fn search(f: &FeatureEnv, text: &str) -> Vec<String> {
    let query = SearchQuery {
        text: Some(text.into()),
        limit: 20,
        ..SearchQuery::default()
    };
    let page = f.mirror().search_candidates(CONN, &query).await.unwrap();
    page.hits.into_iter().map(|h| h.candidate_id).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_skill_only_in_the_resume_is_found_and_ranked_and_each_resume_costs_one_request() {
    let f = start(config(60, 3, 60)).await;
    let asks = json!({
        "overview": "<p>Run our aquatics facility.</p>",
        "qualifications": "<ul><li>Required: Pipetting</li><li>Experience with zebrafish husbandry</li></ul>",
    });
    let mut applied_to = asks.clone();
    applied_to["jobtitle"] = json!("Research Technician");
    let job = f.seed_job(applied_to);
    let mut other = asks;
    other["jobtitle"] = json!("Research Technician");
    let new_job = f.seed_job(other);
    let person = |first: &str| {
        f.seed_person(json!({
            "firstname": first,
            "lastname": "Quill",
            "email": format!("{}.quill@example.org", first.to_lowercase()),
            "field51027": "Research Technician",
            "field51029": "Pipetting",
        }))
    };
    let zora = person("Zora");
    let otto = person("Otto");
    let upload = f
        .live
        .connection
        .upload_attachment(
            &zora.to_string(),
            AttachmentUpload {
                kind: AttachmentKind::Resume,
                file_name: "Zora_Quill.txt".into(),
                content_type: "text/plain".into(),
                content: b"Zora Quill\nResearch technician\nSix years of Zebrafish husbandry and breeding.\n"
                    .to_vec(),
            },
        )
        .await;
    upload.expect("the résumé uploads");
    let state = f.state();
    for p in [zora, otto] {
        state
            .create_workflow(f.cid, job, p, Some("D10100"))
            .expect("workflow");
    }
    let resumes = people_with_a_resume(&f);
    assert!(resumes > 10, "the generator gives most people a résumé");

    state.reset_counters();
    f.sync().await;
    let first = state.counters();
    assert_eq!(
        first.endpoint("text"),
        resumes,
        "one text request per résumé: {first:?}"
    );
    assert_eq!(first.endpoint("binary"), 0, "no file is downloaded");

    // (a) The mirror holds the text.
    let applicants = f
        .mirror()
        .applicants(CONN, &job.to_string(), 10, 0)
        .await
        .unwrap();
    let text_of = |id: u64| {
        applicants
            .iter()
            .find(|a| a.candidate_id == id.to_string())
            .and_then(|a| a.resume_text.clone())
    };
    assert!(
        text_of(zora).is_some_and(|t| t.contains("Zebrafish husbandry")),
        "{:?}",
        text_of(zora)
    );
    assert!(
        f.mirror()
            .resume_texts_due(CONN, 1000)
            .await
            .unwrap()
            .is_empty(),
        "every résumé was asked for"
    );

    // (b) Search finds her by the word only her résumé has.
    assert_eq!(search(&f, RARE).await, vec![zora.to_string()]);

    // (c) Review ranks her first among the job's applicants, with the word in her résumé part.
    let report = ats_features::review(
        f.mirror(),
        CONN,
        &job.to_string(),
        &ReviewOptions::at(unix_now()),
    )
    .await
    .expect("review");
    let resume_part = |parts: &[ats_features::review::ScorePart]| {
        parts.iter().find(|p| p.name == "resume").unwrap().clone()
    };
    let top = &report.applicants[0];
    assert_eq!(top.candidate_id, zora.to_string(), "{report:#?}");
    let part = resume_part(&top.parts);
    assert!(part.points > 0.0 && part.reason.contains(RARE), "{part:?}");
    let otto_part = report
        .applicants
        .iter()
        .find(|a| a.candidate_id == otto.to_string())
        .map(|a| resume_part(&a.parts))
        .unwrap();
    assert!(!otto_part.reason.contains(RARE), "{otto_part:?}");

    // ... and rediscovery for the new job finds her with it.
    let request = SearchFilters::default().resolve(unix_now()).unwrap();
    let page = ats_features::rediscover_for_job(f.mirror(), CONN, &new_job.to_string(), &request)
        .await
        .expect("rediscover");
    let hit = page
        .hits
        .iter()
        .find(|h| h.candidate_id == zora.to_string())
        .expect("Zora is rediscovered");
    assert_eq!(hit.rank, 1, "{page:#?}");
    let part = resume_part(&hit.parts);
    assert!(part.reason.contains(RARE), "{part:?}");

    // Nothing changed: the next sync asks for no text.
    state.reset_counters();
    f.sync().await;
    assert_eq!(state.counters().endpoint("text"), 0);

    // She changes: only her résumé is asked for again.
    state
        .update_person(
            f.cid,
            zora,
            &object(json!({"field51027": "Senior Research Technician"})),
        )
        .unwrap();
    state.reset_counters();
    f.sync().await;
    assert_eq!(state.counters().endpoint("text"), 1);
    assert_eq!(search(&f, RARE).await, vec![zora.to_string()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_with_resume_text_off_spends_no_request_on_it() {
    let env = host_fixture::start(config(30, 2, 30)).await;
    let cid = env.customer();
    let live = env
        .connect_icims_with("quiet", cid, &[("resume-text", "off")])
        .await;
    let reports = sync_connection(&env.host, &live, &SyncOptions::default(), &NoProgress)
        .await
        .expect("sync");
    assert!(
        reports.iter().all(|r| r.outcome == "completed"),
        "{reports:#?}"
    );
    assert!(
        reports.iter().all(|r| r.resume_texts.is_none()),
        "{reports:#?}"
    );
    assert_eq!(env.sim.state().counters().endpoint("text"), 0);
    assert!(
        !env.host
            .mirror
            .resume_texts_due("quiet", 10)
            .await
            .unwrap()
            .is_empty()
    );
}
