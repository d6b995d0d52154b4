//! Rediscovery over the synced mirror with each filter: text, status, stage, job, rejected,
//! folder, source, applied and updated dates, paging. Seeded people are recent; the generated
//! set ends a month ago, so the date filters have an exact answer. Folder and source answers
//! come from the simulator's own records.

mod feature_support;

use ats_features::{RediscoveryPage, rediscovery};
use feature_support::*;
use icims_sim::RecordType;
use serde_json::{Value, json};
use std::collections::BTreeSet;

const DAY: i64 = 86_400;

/// `YYYY-MM-DD` of a Unix time (Howard Hinnant's civil-from-days).
fn date(t: i64) -> String {
    let z = t.div_euclid(DAY) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_with_each_filter() {
    let mut sim = config(80, 4, 60);
    let now = icims_sim_now();
    sim.customers[0].generator.start_unix = Some(now - 400 * DAY);
    sim.customers[0].generator.end_unix = Some(now - 30 * DAY);
    let f = start(sim).await;
    let job = f.seed_job(json!({"jobtitle": "Quantum Cartographer"}));
    let person = |first: &str, last: &str, title: &str| {
        f.seed_person(json!({
            "firstname": first,
            "lastname": last,
            "email": format!("{}.{}@example.org", first.to_lowercase(), last.to_lowercase()),
            "field51027": title,
        }))
        .to_string()
    };
    let zed = person("Zephyrine", "Quillfeather", "Quantum Cartographer");
    let oona = person("Oona", "Brightwater", "Map Maker");
    let rex = person("Rex", "Stonebridge", "Quantum Physicist");
    let state = f.state();
    let apply = |p: &str, status: &str| {
        state
            .create_workflow(f.cid, job, p.parse().unwrap(), Some(status))
            .unwrap()
    };
    apply(&zed, "C12296"); // interview
    apply(&oona, "D10100"); // new
    apply(&rex, "C36951"); // rejected
    f.sync().await;
    let seeded: BTreeSet<String> = [&zed, &oona, &rex].into_iter().cloned().collect();

    let set = |ids: &[&String]| ids.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();

    assert_eq!(hits(&f, &["zephyrine"]).await, set(&[&zed]), "text: a name");
    assert_eq!(
        hits(&f, &["cartographer"]).await,
        set(&[&zed]),
        "text: a title"
    );
    assert!(
        hits(&f, &["quantum"])
            .await
            .is_superset(&set(&[&zed, &rex])),
        "text: a word"
    );
    let job_s = job.to_string();
    assert_eq!(hits(&f, &["--job", &job_s]).await, seeded, "job");
    assert_eq!(
        hits(&f, &["--job", &job_s, "--status", "C12296"]).await,
        set(&[&zed]),
        "status"
    );
    assert_eq!(
        hits(&f, &["--job", &job_s, "--stage", "interview"]).await,
        set(&[&zed]),
        "stage"
    );
    assert_eq!(
        hits(&f, &["--job", &job_s, "--stage", "new"]).await,
        set(&[&oona]),
        "stage new"
    );
    assert_eq!(
        hits(&f, &["--job", &job_s, "--rejected", "yes"]).await,
        set(&[&rex]),
        "rejected"
    );
    assert_eq!(
        hits(&f, &["--job", &job_s, "--rejected", "no"]).await,
        set(&[&zed, &oona]),
        "not rejected"
    );

    // Dates: the seeded records are from today, the generated ones a month old at most.
    let now = f.state().now();
    let recent = date(now - 2 * DAY);
    let old = date(now - 10 * DAY);
    assert_eq!(
        hits(&f, &["--applied-from", &recent]).await,
        seeded,
        "applied after"
    );
    let applied_before = hits(&f, &["--applied-to", &old]).await;
    assert!(
        !applied_before.is_empty() && applied_before.is_disjoint(&seeded),
        "applied before"
    );
    assert_eq!(
        hits(&f, &["--updated-from", &recent]).await,
        seeded,
        "updated after"
    );
    let updated_before = hits(&f, &["--updated-to", &old]).await;
    assert_eq!(
        updated_before.len() + seeded.len(),
        f.ids(RecordType::People).len(),
        "updated before: every generated person"
    );

    // Folder and source: the simulator's records are the answer.
    let people: Vec<Value> = f
        .ids(RecordType::People)
        .into_iter()
        .map(|id| f.snapshot(RecordType::People, &id.to_string()))
        .collect();
    let with = |pick: &dyn Fn(&Value) -> Option<String>, value: &str| {
        people
            .iter()
            .filter(|p| pick(p).as_deref() == Some(value))
            .map(|p| p["id"].to_string().trim_matches('"').to_string())
            .collect::<BTreeSet<_>>()
    };
    let folder_of = |p: &Value| p["folder"]["id"].as_str().map(str::to_string);
    let source_of = |p: &Value| p["source"].as_str().map(str::to_string);
    let folder = people
        .iter()
        .find_map(folder_of)
        .expect("a person in a folder");
    let source = people
        .iter()
        .find_map(source_of)
        .expect("a person with a source");
    assert_eq!(
        hits(&f, &["--folder", &folder]).await,
        with(&folder_of, &folder),
        "folder {folder}"
    );
    // A source is the person's own or where one of their applications came from.
    let mut from_source = with(&source_of, &source);
    from_source.extend(
        f.ids(RecordType::Workflows)
            .into_iter()
            .map(|id| f.snapshot(RecordType::Workflows, &id.to_string()))
            .filter(|w| w["source"].as_str() == Some(source.as_str()))
            .filter_map(|w| w["associatedprofile"]["id"].as_u64())
            .map(|id| id.to_string()),
    );
    assert_eq!(
        hits(&f, &["--source", &source]).await,
        from_source,
        "source {source}"
    );

    // Paging: two pages of two are four different people.
    let (p1, p2) = (page(&f, "1").await, page(&f, "2").await);
    assert!(p1.more && p1.hits.len() == 2 && p2.hits.len() == 2);
    assert!(
        p1.hits
            .iter()
            .all(|a| p2.hits.iter().all(|b| a.candidate_id != b.candidate_id))
    );
}

fn icims_sim_now() -> i64 {
    ats_features::unix_now()
}

async fn page(f: &FeatureEnv, n: &str) -> RediscoveryPage {
    let request =
        rediscovery::parse_args(&["--per-page", "2", "--page", n], ats_features::unix_now())
            .unwrap();
    ats_features::rediscover(f.mirror(), CONN, &request)
        .await
        .unwrap()
}

/// The candidate ids a search finds (up to 500).
async fn hits(f: &FeatureEnv, args: &[&str]) -> BTreeSet<String> {
    let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    args.extend(["--per-page".into(), "500".into()]);
    let request = rediscovery::parse_args(&args, ats_features::unix_now()).expect("args");
    let page = ats_features::rediscover(f.mirror(), CONN, &request)
        .await
        .expect("search");
    page.hits.into_iter().map(|h| h.candidate_id).collect()
}
