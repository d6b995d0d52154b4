//! The `ats` binary's recruiter commands against a simulator: `connect`, `sync`, then `export`
//! of a profile file (its resume beside it) and `search --json` finding the exported person;
//! bad input exits with 2 and one `error:` line.

use icims_sim::{IcimsSim, RecordType, SimConfig};
mod cli_support;

use cli_support::component;
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
async fn export_then_search_from_the_command_line() {
    let mut config = SimConfig::default();
    let g = &mut config.customers[0].generator;
    (g.people, g.jobs, g.workflows) = (40, 3, 20);
    let sim = IcimsSim::start(config).await.unwrap();
    let state = sim.state();
    let creds = state.credentials();
    let cid = creds.customer_ids[0];
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::write(dir.path().join("secret"), &creds.client_secret).unwrap();
    let file = dir.path().join("acme.toml");
    std::fs::write(
        &file,
        sim.connection_toml(
            "acme",
            &component(),
            cid,
            "secret",
            &[("title-field", "field51027")],
        ),
    )
    .unwrap();
    ok(&ats(&data, &["connect", file.to_str().unwrap()]).await);
    ok(&ats(&data, &["sync", "acme"]).await);

    let job = state.ids(cid, RecordType::Jobs).unwrap()[0].to_string();
    std::fs::write(
        dir.path().join("resume.txt"),
        "Ada Lovelace\nAnalytical engines\n",
    )
    .unwrap();
    let profile = dir.path().join("ada.json");
    std::fs::write(
        &profile,
        r#"{"first_name": "Ada", "last_name": "Lovelace", "emails": ["ada@example.com"],
            "current_title": "Analyst Programmer", "source": "cli test",
            "resume": {"file_name": "resume.txt", "content_type": "text/plain", "path": "resume.txt"}}"#,
    )
    .unwrap();
    let people_before = state.ids(cid, RecordType::People).unwrap().len();
    let table = ok(&ats(
        &data,
        &[
            "export",
            "acme",
            profile.to_str().unwrap(),
            "--job",
            &job,
            "--status",
            "screening",
        ],
    )
    .await);
    println!("{table}");
    assert_eq!(
        state.ids(cid, RecordType::People).unwrap().len(),
        people_before + 1
    );
    assert!(table.contains("created"), "{table}");

    let json = ok(&ats(
        &data,
        &["search", "acme", "lovelace", "--job", &job, "--json"],
    )
    .await);
    let page: serde_json::Value = serde_json::from_str(&json).expect("search --json is JSON");
    let hits = page["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 1, "{json}");
    assert_eq!(hits[0]["name"], "Ada Lovelace");
    assert_eq!(hits[0]["title"], "Analyst Programmer");
    let id: u64 = hits[0]["candidate_id"].as_str().unwrap().parse().unwrap();
    let snap = state.snapshot(cid, RecordType::People, id).unwrap();
    assert!(snap["resume"]["file"].is_string(), "{snap}");

    // Bad input: exit code 2, one error line, nothing written.
    std::fs::write(&profile, r#"{"first_name": "Ada","#).unwrap();
    state.reset_counters();
    let bad = ats(&data, &["export", "acme", profile.to_str().unwrap()]).await;
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.starts_with("error: ") && stderr.contains("malformed JSON"),
        "{stderr}"
    );
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    let bad = ats(&data, &["search", "acme", "--applied-after", "yesterday"]).await;
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(state.counters().total, 0);
}
