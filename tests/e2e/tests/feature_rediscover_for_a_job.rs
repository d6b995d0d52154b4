//! Rediscovery for a job through the real component and the simulator: a past applicant of
//! another job who fits the new one well is found, ranked by fit and explained; the job's own
//! applicants are not; a rejected past applicant is filtered out when asked; and bad input is
//! refused with the field named.

mod feature_support;

use ats_features::rediscovery::SearchFilters;
use ats_features::{FeatureError, JobRediscoveryPage, unix_now};
use feature_support::*;
use icims_sim::RecordType;
use serde_json::{Value, json};

async fn rediscover(
    f: &FeatureEnv,
    job: u64,
    filters: SearchFilters,
) -> Result<JobRediscoveryPage, FeatureError> {
    let request = filters.resolve(unix_now())?;
    ats_features::rediscover_for_job(f.mirror(), CONN, &job.to_string(), &request).await
}

fn ids(page: &JobRediscoveryPage) -> Vec<String> {
    page.hits.iter().map(|h| h.candidate_id.clone()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_well_fitting_past_applicant_of_another_job_is_found() {
    let f = start(config(400, 4, 200)).await;
    let company = f.ids(RecordType::Companies)[0];
    let address = f.snapshot(RecordType::Companies, &company.to_string())["addresses"][0].clone();
    let city = address["addresscity"].as_str().expect("a city").to_string();
    let job = f.seed_job(json!({
        "jobtitle": "Senior Data Scientist",
        "joblocation": {"companyid": company},
        "overview": "<p>Build forecasting models for our stores.</p>",
        "qualifications": "<ul><li>5+ years of experience</li><li>Required: Python, Machine Learning, SQL</li><li>Nice to have: PyTorch, Spark</li></ul>",
    }));
    let other = f.seed_job(json!({"jobtitle": "Data Analyst"}));
    let person = |first: &str, title: &str, skills: &str, history: &str| {
        let address: Value = json!([{"addresstype": {"id": "D84002", "value": "Home"}, "addresscity": city, "addressstreet1": "1 Main Street"}]);
        f.seed_person(json!({
            "firstname": first,
            "lastname": "Rediscovered",
            "email": format!("{}.rediscovered@example.org", first.to_lowercase()),
            "field51027": title,
            "field51029": skills,
            "addresses": address,
            "workexperience": [{"entry": 1, "worktitle": title, "workemployer": "Initech",
                                "workstartdate": "2016-01-01", "workdescription": history}],
        }))
    };
    let fit = person(
        "Fatima",
        "Sr. Data Scientist",
        "Python, ML",
        "Trained demand models in SQL and PyTorch",
    );
    let rejected = person(
        "Rory",
        "Senior Data Scientist",
        "Python, Machine Learning, SQL",
        "Forecasting",
    );
    let chef = person("Chad", "Pastry Chef", "Baking", "Croissants");
    let applied = person(
        "Ada",
        "Senior Data Scientist",
        "Python, Machine Learning, SQL",
        "Models",
    );
    let state = f.state();
    let apply = |p: u64, job: u64, status: &str| {
        state
            .create_workflow(f.cid, job, p, Some(status))
            .expect("workflow")
    };
    apply(fit, other, "D10100");
    apply(rejected, other, "C36951");
    apply(chef, other, "D10100");
    apply(applied, job, "D10100");
    f.sync().await;

    let page = rediscover(&f, job, SearchFilters::default())
        .await
        .expect("rediscover");
    println!("{page:#?}");
    let found = ids(&page);
    let rank = |p: u64| found.iter().position(|id| *id == p.to_string());
    let fit_rank = rank(fit).expect("the past applicant who fits is found");
    assert!(fit_rank < 5, "ranked near the top: {found:?}");
    assert!(
        rank(applied).is_none(),
        "the job's own applicants are not rediscovered"
    );
    assert!(
        rank(chef).is_none_or(|c| c > fit_rank),
        "a pastry chef ranks below"
    );
    let hit = &page.hits[fit_rank];
    assert_eq!(hit.title.as_deref(), Some("Sr. Data Scientist"));
    let part = |name: &str| {
        hit.parts
            .iter()
            .find(|p| p.name == name)
            .expect(name)
            .clone()
    };
    assert!(
        part("title").reason.contains("data scientist"),
        "{:?}",
        part("title")
    );
    assert!(
        part("skills").reason.starts_with("3 of 3 required skills"),
        "{:?}",
        part("skills")
    );
    assert!(part("location").points > 0.0, "{:?}", part("location"));
    assert_eq!(
        part("seniority").reason,
        "senior (by the title) for a senior role"
    );
    let sum: f64 = hit.parts.iter().map(|p| p.points).sum();
    assert!(
        (sum - hit.score).abs() < 1e-9,
        "the score is the sum of its parts"
    );
    assert!(
        rank(rejected).is_some(),
        "without the filter, the rejected one is there too"
    );

    // Rejected or not: asked for people not rejected, the rejected past applicant drops out.
    let not_rejected = rediscover(
        &f,
        job,
        SearchFilters {
            rejected: Some(false),
            ..SearchFilters::default()
        },
    )
    .await
    .unwrap();
    let found = ids(&not_rejected);
    assert!(!found.contains(&rejected.to_string()), "{found:?}");
    assert!(found.contains(&fit.to_string()), "{found:?}");
    // Past applicants of one job only.
    let of_other = rediscover(
        &f,
        job,
        SearchFilters {
            job: vec![other.to_string()],
            ..SearchFilters::default()
        },
    )
    .await
    .unwrap();
    let mut found = ids(&of_other);
    found.sort();
    let mut expected = vec![fit.to_string(), rejected.to_string()];
    expected.sort();
    assert_eq!(
        found, expected,
        "the data scientists among the other job's applicants"
    );

    // Bad input: an unknown job, a stage that does not exist, a page of nothing.
    assert!(matches!(
        rediscover(&f, 999_999, SearchFilters::default()).await,
        Err(FeatureError::UnknownJob { .. })
    ));
    let err = rediscover(
        &f,
        job,
        SearchFilters {
            stage: vec!["maybe".into()],
            ..SearchFilters::default()
        },
    )
    .await
    .unwrap_err();
    assert!(
        err.is_input_error() && err.to_string().contains("stage"),
        "{err}"
    );
    let far = rediscover(
        &f,
        job,
        SearchFilters {
            page: Some(10_000),
            ..SearchFilters::default()
        },
    )
    .await
    .unwrap();
    assert!(far.hits.is_empty() && !far.more);
}
