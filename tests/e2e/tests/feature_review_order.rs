//! Review of a seeded job: applicants ranked by how well their title matches the job, with
//! every score explained; a rejected applicant sinks to the bottom whatever the title.

mod feature_support;

use ats_features::{ReviewOptions, unix_now};
use feature_support::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_ranks_a_jobs_applicants_and_explains_why() {
    let f = start(config(20, 3, 10)).await;
    let job = f.seed_job(json!({"jobtitle": "Rust Compiler Engineer"}));
    let person = |first: &str, title: &str| {
        f.seed_person(json!({
            "firstname": first,
            "lastname": "Reviewed",
            "email": format!("{}.reviewed@example.com", first.to_lowercase()),
            "field51027": title,
        }))
    };
    let exact = person("Exact", "Senior Rust Compiler Engineer");
    let partial = person("Partial", "Rust Developer");
    let none = person("Unrelated", "Pastry Chef");
    let rejected = person("Rejected", "Rust Compiler Engineer");
    let state = f.state();
    let apply = |p: u64, status: &str| {
        state
            .create_workflow(f.cid, job, p, Some(status))
            .expect("workflow")
            .to_string()
    };
    let w_none = apply(none, "D10100");
    let w_partial = apply(partial, "D10100");
    let w_exact = apply(exact, "D10100");
    let w_rejected = apply(rejected, "C36951");
    f.sync().await;

    let report = ats_features::review(
        f.mirror(),
        CONN,
        &job.to_string(),
        &ReviewOptions::at(unix_now()),
    )
    .await
    .expect("review");
    println!("{report:?}");
    let order: Vec<&str> = report
        .applicants
        .iter()
        .map(|a| a.application_id.as_str())
        .collect();
    assert_eq!(order, [&w_exact, &w_partial, &w_none, &w_rejected]);
    assert_eq!(report.job_title.as_deref(), Some("Rust Compiler Engineer"));
    let first = &report.applicants[0];
    assert_eq!(first.rank, 1);
    let title = first.parts.iter().find(|p| p.name == "title").unwrap();
    assert!(
        title.reason.contains("rust compiler engineer"),
        "{}",
        title.reason
    );
    let last = report.applicants.last().unwrap();
    assert!(
        last.parts
            .iter()
            .any(|p| p.name == "stage" && p.reason.contains("rejected")),
        "{:?}",
        last.parts
    );
    for a in &report.applicants {
        let sum: f64 = a.parts.iter().map(|p| p.points).sum();
        assert!(
            (sum - a.score).abs() < 1e-9,
            "score is the sum of its parts"
        );
    }
}
