//! `ats review` and `ats rediscover` through the binary against a simulator with generated
//! careers: people show with their titles and every score with its parts; rediscovery lists
//! only people who did not apply, best fit first; bad input exits with 2 and one `error:` line.

mod cli_support;

use icims_sim::{IcimsSim, RecordType, SimConfig};
use std::collections::HashSet;
use std::path::Path;
use std::process::Output;

/// Runs `ats` on `data` to completion.
async fn ats(data: &Path, args: &[&str]) -> Output {
    cli_support::ats(data, args)
        .output()
        .await
        .expect("run ats")
}

fn ok(output: &Output) -> String {
    assert!(output.status.success(), "{}", cli_support::says(output));
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_and_rediscover_rank_by_fit_from_the_command_line() {
    let component = cli_support::component();
    let mut config = SimConfig::default();
    let g = &mut config.customers[0].generator;
    (g.people, g.jobs, g.workflows, g.duplicate_people_rate) = (600, 4, 400, 0.0);
    let sim = IcimsSim::start(config).await.unwrap();
    let state = sim.state();
    let creds = state.credentials();
    let cid = creds.customer_ids[0];
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::write(dir.path().join("secret"), &creds.client_secret).unwrap();
    let file = dir.path().join("acme.toml");
    let fields = [
        ("title-field", "field51027"),
        ("company-field", "field51028"),
        ("skills-field", "field51029"),
    ];
    std::fs::write(
        &file,
        sim.connection_toml("acme", &component, cid, "secret", &fields),
    )
    .unwrap();
    ok(&ats(&data, &["connect", file.to_str().unwrap()]).await);
    ok(&ats(&data, &["sync", "acme"]).await);
    let job = "1001";

    let table = ok(&ats(&data, &["review", "acme", job, "--limit", "5"]).await);
    println!("{table}");
    for column in ["title", "stage", "why"] {
        assert!(table.contains(column), "{column} in {table}");
    }
    assert!(
        table.contains("title +") && table.contains("seniority"),
        "{table}"
    );

    let json = ok(&ats(
        &data,
        &["rediscover", "acme", job, "--per-page", "10", "--json"],
    )
    .await);
    let page: serde_json::Value = serde_json::from_str(&json).expect("rediscover --json is JSON");
    let hits = page["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 10, "{json}");
    let applied: HashSet<String> = state
        .ids(cid, RecordType::Workflows)
        .unwrap()
        .into_iter()
        .map(|w| {
            state
                .snapshot(cid, RecordType::Workflows, w as u64)
                .unwrap()
        })
        .filter(|w| w["baseprofile"]["id"].to_string().trim_matches('"') == job)
        .map(|w| {
            w["associatedprofile"]["id"]
                .to_string()
                .trim_matches('"')
                .to_string()
        })
        .collect();
    let mut last = f64::MAX;
    for (i, h) in hits.iter().enumerate() {
        assert_eq!(h["rank"], i + 1);
        let id = h["candidate_id"].as_str().unwrap();
        assert!(!applied.contains(id), "{id} applied to {job}");
        let score = h["score"].as_f64().unwrap();
        assert!(score <= last, "best first: {json}");
        last = score;
        let parts: f64 = h["parts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["points"].as_f64().unwrap())
            .sum();
        assert!((parts - score).abs() < 1e-9, "the score is its parts");
    }
    assert!(hits[0]["title"].is_string(), "{json}");
    let table = ok(&ats(&data, &["rediscover", "acme", job, "--per-page", "3"]).await);
    println!("{table}");
    assert!(
        table.starts_with(&format!("people who did not apply to job {job}")),
        "{table}"
    );
    assert!(table.contains("people scored"), "{table}");

    for bad in [
        vec!["rediscover", "acme", job, "--stage", "maybe"],
        vec!["rediscover", "acme", "999999"],
        vec!["rediscover", "acme", job, "--per-page", "0"],
    ] {
        let out = ats(&data, &bad).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    }
}
