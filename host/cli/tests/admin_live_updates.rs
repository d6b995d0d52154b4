//! Issue 17: a connection's page and the connections list update themselves while a sync runs
//! (the live part fetched again under the same session), show the ETA of a load in progress,
//! and stop asking once nothing runs. Real `ats serve`, real headless Chromium, the simulator
//! slowed by its latency and small pages so the load lasts long enough to watch.

mod browser_support;
mod cli_support;
mod serve_support;

use browser_support::{Browser, reload_until};
use icims_sim::SimConfig;
use serde_json::{Value, json};
use serve_support::*;
use std::time::Duration;

const ACME: &str = "/admin/connections/acme-icims";

/// Enough people, each page small and each request slow, for a reload of candidates that takes
/// tens of seconds: 100 pages of 3 at two round trips of 100 ms or more.
fn slow() -> SimConfig {
    let mut config = SimConfig {
        latency_ms: 100,
        ..SimConfig::default()
    };
    let g = &mut config.customers[0].generator;
    (g.people, g.jobs, g.workflows) = (300, 3, 20);
    config
}

fn candidates_stream(status: &Value) -> Value {
    status["streams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stream"] == "candidates")
        .unwrap_or_else(|| panic!("no candidates stream in {status}"))
        .clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reload_in_progress_shows_its_eta_and_the_pages_follow_it_without_reloading() {
    let s = Served::start(slow(), &["--no-scheduler", "--page-size", "3"]).await;
    let mut b = Browser::start("live-updates", &s.url).await;
    b.sign_in(&s.acme).await;
    b.wait_for_path("/admin").await;

    // Nothing runs: neither page asks the service again.
    assert_eq!(b.attrs("#live", "data-running").await, ["false"]);
    assert!(b.attrs("#live", "data-polling").await.is_empty());
    b.open(ACME).await;
    assert_eq!(b.attrs("#live", "data-running").await, ["false"]);
    assert!(b.attrs("#live", "data-polling").await.is_empty());
    let live = s
        .get("/v1/connections/acme-icims/status", &s.acme)
        .await
        .json()["counts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "candidate")
        .unwrap()["live"]
        .as_u64()
        .unwrap();
    assert_eq!(live, 300);

    // A full reload of candidates: its size is known from the first load.
    let asked = s
        .post(
            "/v1/connections/acme-icims/sync",
            &s.acme,
            &json!({"streams": ["candidates"], "full": true}),
        )
        .await;
    assert_eq!(asked.status, 202, "{}", asked.text());

    // The list follows the syncing connection by itself.
    reload_until(
        &b,
        "/admin",
        Duration::from_secs(60),
        "a syncing connection",
        |page| page.contains("data-running=\"true\""),
    )
    .await;
    b.wait_for_script(
        "return document.getElementById('live').dataset.polling === 'on'",
        Duration::from_secs(10),
        "the list polling",
    )
    .await;

    // The connection's page shows the load with its ETA, from what the run read so far.
    b.open(ACME).await;
    b.run("window.notReloaded = true; return true", vec![])
        .await;
    b.wait_for_script(
        "const l = document.querySelector('[data-load=candidates] .load-words'); \
         return !!l && / left \\(\\d+ of ~300 records\\)$/.test(l.textContent)",
        Duration::from_secs(60),
        "the load's ETA",
    )
    .await;
    let words = b.text("[data-load=candidates] .load-words").await;
    assert!(
        words.starts_with("about ") || words.starts_with("less than a minute"),
        "{words}"
    );
    assert!(
        b.text("[data-load=candidates]")
            .await
            .contains("full load in progress"),
    );
    b.screenshot("load-eta").await;
    // The API's status says the same (the ETA itself moves on between the two reads).
    let stream = candidates_stream(
        &s.get("/v1/connections/acme-icims/status", &s.acme)
            .await
            .json(),
    );
    let load = &stream["load"];
    assert_eq!(load["mode"], "full", "{stream}");
    assert_eq!(load["expected"], 300, "{stream}");
    assert!(load["eta_seconds"].is_u64(), "{stream}");

    // The ETA counts on as pages are committed, on the page as loaded.
    b.wait_for_script(
        &format!(
            "const l = document.querySelector('[data-load=candidates] .load-words'); \
             return !l || l.textContent !== {}",
            json!(words)
        ),
        Duration::from_secs(60),
        "the ETA moving on",
    )
    .await;

    // The load ends: the stream is done, its load line gone, and polling stops.
    b.wait_for_script(
        "return !document.querySelector('[data-load=candidates]') \
         && document.querySelector('tr[data-stream=candidates] .badge').textContent === 'done' \
         && document.getElementById('live').dataset.polling === 'stopped'",
        Duration::from_secs(180),
        "the load done and polling stopped",
    )
    .await;
    assert_eq!(
        b.run("return window.notReloaded === true", vec![]).await,
        json!(true),
        "the page followed the load without a reload"
    );
    b.screenshot("load-done").await;
    assert!(
        candidates_stream(
            &s.get("/v1/connections/acme-icims/status", &s.acme)
                .await
                .json()
        )["load"]
            .is_null()
    );

    // The live part is the session's: another tenant's is not found, a signed-out one is not
    // given.
    let status = b
        .run(
            "return fetch('/admin/connections/beta-icims/live').then(r => r.status)",
            vec![],
        )
        .await;
    assert_eq!(status, json!(404));
    let answer = b
        .run(
            "return fetch(arguments[0], {credentials: 'omit', redirect: 'manual'}).then(r => r.type)",
            vec![json!(format!("{ACME}/live"))],
        )
        .await;
    assert_eq!(answer, json!("opaqueredirect"), "sent to sign in");
    b.close().await;
}
