//! Issue 17: the admin pages in a real headless Chromium, against the real `ats serve` binary
//! over a data folder synced from the simulator over loopback. Each test signs in, opens pages,
//! checks what they show against what the JSON API answers for the same thing, and saves a
//! screenshot of every page it looked at under `target/screenshots/`.

mod browser_support;
mod cli_support;
mod serve_support;

use browser_support::{Browser, reload_until};
use icims_sim::{FaultKind, FaultMatch, FaultScript, RecordType, SimConfig};
use serde_json::{Value, json};
use serve_support::*;
use std::collections::BTreeSet;
use std::time::Duration;

fn small() -> SimConfig {
    let mut config = SimConfig::default();
    let g = &mut config.customers[0].generator;
    (g.people, g.jobs, g.workflows) = (40, 4, 60);
    config
}

const ACME: &str = "/admin/connections/acme-icims";

/// A screenshot of what the browser shows, after checking the page holds no secret.
async fn shown(browser: &mut Browser, s: &Served, what: &str) {
    let source = browser.source().await;
    assert!(
        !source.contains(&s.secret) && !source.contains(&s.acme) && !source.contains(&s.beta),
        "{what}: the page shows a secret or a token"
    );
    browser.screenshot(what).await;
}

fn strings(v: &Value, pointer: &str, field: &str) -> Vec<String> {
    v.pointer(pointer)
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("no {pointer} in {v}"))
        .iter()
        .map(|x| match &x[field] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_operator_signs_in_sees_health_streams_counts_quota_and_runs_and_sync_now_adds_a_run() {
    let s = Served::start(small(), &["--no-scheduler"]).await;
    let mut b = Browser::start("operator", &s.url).await;

    // Not signed in: every page sends the browser to the sign-in form.
    b.open(ACME).await;
    b.wait_for_path("/admin/login").await;
    b.sign_in("ats_not-a-real-token").await;
    assert!(
        b.text("#error").await.contains("not valid"),
        "{}",
        b.source().await
    );
    shown(&mut b, &s, "sign-in-refused").await;
    b.sign_in(&s.acme).await;
    b.wait_for_path("/admin").await;

    // The list: acme's connection only, healthy after its sync.
    assert_eq!(
        b.attrs("#connections tbody tr", "data-connection").await,
        ["acme-icims"]
    );
    assert_eq!(b.text("tr[data-connection=acme-icims] .badge").await, "ok");
    assert_eq!(b.text("#tenant").await, "acme");
    shown(&mut b, &s, "connections").await;

    // One connection: what the status and the run log of the API say.
    let status = s
        .get("/v1/connections/acme-icims/status", &s.acme)
        .await
        .json();
    let runs = s
        .get("/v1/connections/acme-icims/runs?limit=500", &s.acme)
        .await
        .json();
    b.open(ACME).await;
    assert_eq!(
        b.attrs("#streams tbody tr", "data-stream").await,
        strings(&status, "/streams", "stream")
    );
    for count in status["counts"].as_array().unwrap() {
        let kind = count["kind"].as_str().unwrap();
        assert_eq!(
            b.text(&format!("#counts tr[data-kind={kind}] td.live"))
                .await,
            count["live"].to_string(),
            "{kind}"
        );
    }
    assert!(status["counts"][0]["live"].as_u64().unwrap() > 0);
    let run_ids = strings(&runs, "", "id");
    let shown_runs = b.attrs("#runs tbody tr", "data-run").await;
    assert_eq!(shown_runs, run_ids[..run_ids.len().min(20)]);
    // The chart draws what the lanes spent this window.
    let spent: u64 = b
        .texts("#lanes td.spent")
        .await
        .iter()
        .map(|t| t.parse::<u64>().unwrap())
        .sum();
    let charted: u64 = b
        .attrs("#quota-chart g.bar", "data-total")
        .await
        .iter()
        .map(|t| t.parse::<u64>().unwrap())
        .sum();
    assert!(spent > 0, "the syncs spent requests");
    assert_eq!(charted, spent);
    shown(&mut b, &s, "connection").await;

    // Sync now: a new run appears in the run log, by itself: the page fetches its live part
    // while the sync runs (a reload would lose the mark set on the window), then stops.
    let newest: i64 = run_ids[0].parse().unwrap();
    b.click("#sync-now").await;
    b.wait_for_text("#notice", "Sync asked for").await;
    b.run("window.notReloaded = true; return true", vec![])
        .await;
    // Run ids count every connection's runs: acme's next one is newer than its newest.
    b.wait_for_script(
        &format!("return Number(document.querySelector('#runs tbody tr').dataset.run) > {newest}"),
        Duration::from_secs(90),
        "a new run",
    )
    .await;
    let first_shown: i64 = b.attrs("#runs tbody tr", "data-run").await[0]
        .parse()
        .unwrap();
    b.wait_for_script(
        "return document.getElementById('live').dataset.running === 'false' \
         && document.getElementById('live').dataset.polling !== 'on'",
        Duration::from_secs(150),
        "the asked sync ended and polling stopped",
    )
    .await;
    assert_eq!(
        b.run("return window.notReloaded === true", vec![]).await,
        json!(true),
        "the page changed without a reload"
    );
    let runs_after = s
        .get("/v1/connections/acme-icims/runs?limit=500", &s.acme)
        .await
        .json();
    assert!(strings(&runs_after, "", "id").contains(&first_shown.to_string()));
    shown(&mut b, &s, "after-sync-now").await;

    // Check now: each permission the ATS granted, none missing.
    b.click("#check-now").await;
    let check = s
        .post("/v1/connections/acme-icims/check", &s.acme, &json!(null))
        .await
        .json();
    assert_eq!(b.text("#missing-count").await, "0");
    assert_eq!(
        b.texts("#permissions tbody tr").await.len(),
        check["permissions"].as_array().unwrap().len()
    );
    shown(&mut b, &s, "after-check-now").await;

    // Settings: the secret is set, and not shown.
    b.open(&format!("{ACME}/settings")).await;
    assert_eq!(
        b.text("tr[data-setting=client-secret] td.value").await,
        "set"
    );
    shown(&mut b, &s, "settings").await;

    // Signing out ends the session.
    b.click("#sign-out").await;
    b.wait_for_path("/admin/login").await;
    b.open(ACME).await;
    b.wait_for_path("/admin/login").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_recruiter_searches_with_filters_follows_a_candidates_timeline_and_reads_a_jobs_ranking()
{
    let s = Served::start(small(), &["--no-scheduler"]).await;
    let state = s.sim.state();
    let cid = state.credentials().customer_ids[0];
    let mut b = Browser::start("recruiter", &s.url).await;
    b.sign_in(&s.acme).await;

    // A job's ranking, as review answers it, every part of every score shown.
    let jobs = state.ids(cid, RecordType::Jobs).unwrap();
    let mut review = Value::Null;
    let mut job = String::new();
    for id in &jobs {
        job = id.to_string();
        review = s
            .post(
                "/v1/connections/acme-icims/review",
                &s.acme,
                &json!({"job_id": job, "limit": 100}),
            )
            .await
            .json();
        if review["applicants"]
            .as_array()
            .is_some_and(|a| a.len() >= 2)
        {
            break;
        }
    }
    b.open(&format!("{ACME}/jobs")).await;
    assert_eq!(
        b.text("#job-count").await.split(' ').next().unwrap(),
        jobs.len().to_string()
    );
    b.click(&format!("tr[data-job=\"{job}\"] a")).await;
    assert_eq!(
        b.attrs("#ranking tbody tr", "data-application").await,
        strings(&review, "/applicants", "application_id")
    );
    let first = &review["applicants"][0];
    let app = first["application_id"].as_str().unwrap().to_string();
    let candidate = first["candidate_id"].as_str().unwrap().to_string();
    assert_eq!(
        b.attrs(
            &format!("tr[data-application=\"{app}\"] li[data-part]"),
            "data-part"
        )
        .await,
        strings(first, "/parts", "name")
    );
    shown(&mut b, &s, "job-ranking").await;

    // The candidate's application, before and after a move: one more step on its timeline.
    let page = format!("{ACME}/candidates/{candidate}");
    b.open(&page).await;
    let card = format!("article[data-application=\"{app}\"]");
    let before = b.texts(&format!("{card} .step-status")).await;
    assert!(
        !before.is_empty(),
        "the first status seen is on the timeline"
    );
    let target = if first["stage"] == "interview" {
        "screening"
    } else {
        "interview"
    };
    let moved = s
        .post(
            &format!("/v1/connections/acme-icims/applications/{app}/move"),
            &s.acme,
            &json!({"status": target}),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.text());
    b.open(&page).await;
    let after = b.texts(&format!("{card} .step-status")).await;
    assert_eq!(after.len(), before.len() + 1, "{before:?} then {after:?}");
    assert_eq!(after[..before.len()], before[..]);
    assert_eq!(
        after.last(),
        Some(&b.text(&format!("{card} .current-status")).await)
    );
    assert!(
        b.text(&card).await.contains(target),
        "the new stage is shown"
    );
    shown(&mut b, &s, "candidate-timeline").await;

    // A rejection reason kept locally is on the application.
    let other = review["applicants"][1].clone();
    let (other_app, other_candidate) = (
        other["application_id"].as_str().unwrap(),
        other["candidate_id"].as_str().unwrap(),
    );
    let rejected = s
        .post(
            &format!("/v1/connections/acme-icims/applications/{other_app}/reject"),
            &s.acme,
            &json!({"reason": "position filled", "rejected_by": "Dana"}),
        )
        .await;
    assert_eq!(rejected.status, 200, "{}", rejected.text());
    b.open(&format!("{ACME}/candidates/{other_candidate}"))
        .await;
    let reason = b
        .text(&format!(
            "article[data-application=\"{other_app}\"] .rejection"
        ))
        .await;
    assert!(
        reason.contains("position filled") && reason.contains("Dana"),
        "{reason}"
    );
    shown(&mut b, &s, "candidate-rejected").await;

    // Search with filters: the same people as the API's search with the same filters.
    b.open(&format!("{ACME}/candidates")).await;
    b.fill("#stage", "new, screening, interview").await;
    b.client
        .find(fantoccini::Locator::Css("#rejected"))
        .await
        .unwrap()
        .select_by_value("no")
        .await
        .unwrap();
    b.fill("#per_page", "100").await;
    b.click("#search").await;
    let api = s
        .post("/v1/connections/acme-icims/search", &s.acme, &json!({"stage": ["new", "screening", "interview"], "rejected": false, "per_page": 100}))
        .await
        .json();
    let want: BTreeSet<String> = strings(&api, "/hits", "candidate_id").into_iter().collect();
    let got: BTreeSet<String> = b
        .attrs("#hits tbody tr", "data-candidate")
        .await
        .into_iter()
        .collect();
    assert!(!want.is_empty());
    assert_eq!(got, want);
    shown(&mut b, &s, "search").await;

    // A filter the search cannot read says which and how to write it.
    b.fill("#applied_after", "31/12/2024").await;
    b.click("#search").await;
    let error = b.text("#error").await;
    assert!(
        error.contains("applied_after") && error.contains("YYYY-MM-DD"),
        "{error}"
    );
    shown(&mut b, &s, "search-bad-filter").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forged_action_is_refused_and_another_tenants_connection_and_candidate_are_not_found() {
    let s = Served::start(small(), &["--no-scheduler"]).await;
    let mut b = Browser::start("isolation", &s.url).await;

    // A sign-in form the service did not give this browser is refused.
    b.open("/admin/login").await;
    let status = b
        .run(
            "return fetch('/admin/login', {method: 'POST', headers: {'content-type': 'application/x-www-form-urlencoded'}, body: 'csrf=guessed&token=' + encodeURIComponent(arguments[0])}).then(r => r.status)",
            vec![json!(s.acme)],
        )
        .await;
    assert_eq!(status, json!(403));
    b.sign_in(&s.acme).await;
    b.wait_for_path("/admin").await;

    // Pause without the session's CSRF token, or with a wrong one: refused, nothing paused.
    b.open(ACME).await;
    for body in ["", "csrf=0123456789abcdef"] {
        let answer = b
            .run(
                "return fetch(arguments[0], {method: 'POST', headers: {'content-type': 'application/x-www-form-urlencoded'}, body: arguments[1]}).then(async r => [r.status, await r.text()])",
                vec![json!(format!("{ACME}/pause")), json!(body)],
            )
            .await;
        assert_eq!(answer[0], json!(403), "{answer}");
        assert!(
            answer[1].as_str().unwrap().contains("Action refused"),
            "{answer}"
        );
    }
    let view = s.get("/v1/connections/acme-icims", &s.acme).await.json();
    assert_eq!(
        view["paused_at"],
        Value::Null,
        "a forged pause paused nothing"
    );

    // The page's own button, with the token, pauses; resume undoes it.
    b.click("#pause").await;
    b.wait_for_text("#notice", "Paused").await;
    assert_eq!(b.text("#health").await, "paused");
    let view = s.get("/v1/connections/acme-icims", &s.acme).await.json();
    assert!(view["paused_at"].is_i64(), "{view}");
    shown(&mut b, &s, "paused").await;
    b.click("#resume").await;
    // The click returns before the page it posts to loads: wait for its notice.
    b.wait_for_text("#notice", "Resumed").await;
    let view = s.get("/v1/connections/acme-icims", &s.acme).await.json();
    assert_eq!(view["paused_at"], Value::Null);

    // Another tenant's connection, its pages and its candidates: 404, as if they did not exist.
    let state = s.sim.state();
    let cid = state.credentials().customer_ids[0];
    let person = state.ids(cid, RecordType::People).unwrap()[0].to_string();
    for path in [
        "/admin/connections/beta-icims".to_string(),
        "/admin/connections/beta-icims/settings".to_string(),
        "/admin/connections/beta-icims/candidates".to_string(),
        format!("/admin/connections/beta-icims/candidates/{person}"),
        "/admin/connections/no-such-connection".to_string(),
    ] {
        let status = b
            .run(
                "return fetch(arguments[0]).then(r => r.status)",
                vec![json!(path)],
            )
            .await;
        assert_eq!(status, json!(404), "{path}");
    }
    let status = b
        .run(
            "return fetch('/admin/connections/beta-icims/pause', {method: 'POST', headers: {'content-type': 'application/x-www-form-urlencoded'}, body: 'csrf=' + document.querySelector('input[name=csrf]').value}).then(r => r.status)",
            vec![],
        )
        .await;
    assert_eq!(
        status,
        json!(404),
        "another tenant's connection cannot be paused"
    );
    assert_eq!(
        s.get("/v1/connections/beta-icims", &s.beta).await.json()["paused_at"],
        Value::Null
    );
    b.open(&format!(
        "/admin/connections/beta-icims/candidates/{person}"
    ))
    .await;
    assert_eq!(b.text("h1").await, "Not found");
    shown(&mut b, &s, "another-tenant").await;
    // Acme's own copy of the same person opens.
    b.open(&format!("{ACME}/candidates/{person}")).await;
    assert_ne!(b.text("h1").await, "Not found");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_stream_shows_its_error_and_advice_and_an_exhausted_quota_pauses_the_connection()
{
    let s = Served::start(small(), &["--no-scheduler"]).await;
    let state = s.sim.state();
    let cid = state.credentials().customer_ids[0];
    let mut b = Browser::start("failures", &s.url).await;
    b.sign_in(&s.acme).await;

    // The ATS fails every read of people: the candidates stream fails, the others work.
    state.push_fault(FaultScript {
        matcher: FaultMatch {
            endpoint: Some("search.people".into()),
            path_prefix: None,
        },
        fault: FaultKind::InternalError,
        count: 10_000,
    });
    b.open(ACME).await;
    b.click("#sync-now").await;
    let row = "#streams tr[data-stream=\"candidates\"]";
    let started = std::time::Instant::now();
    while b
        .client
        .find(fantoccini::Locator::Css(&format!("{row} .advice")))
        .await
        .is_err()
    {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no error on the candidates stream within 120 s"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
        b.open(ACME).await;
    }
    let status = s
        .get("/v1/connections/acme-icims/status", &s.acme)
        .await
        .json();
    let candidates = status["streams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|st| st["stream"] == "candidates")
        .unwrap()
        .clone();
    assert_eq!(
        b.text(&format!("{row} .error")).await,
        candidates["error"].as_str().unwrap()
    );
    assert_eq!(
        b.text(&format!("{row} .advice")).await,
        format!("What to do: {}", candidates["advice"].as_str().unwrap())
    );
    assert_eq!(b.text(&format!("{row} .badge")).await, "failed");
    // The run log shows the failed run with its error, as the API's run log has it.
    let runs = s
        .get("/v1/connections/acme-icims/runs", &s.acme)
        .await
        .json();
    let failed = runs
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["stream"] == "candidates" && r["result"] == "failed")
        .unwrap_or_else(|| panic!("a failed candidates run: {runs}"));
    let run_row = b
        .text(&format!("#runs tr[data-run=\"{}\"]", failed["id"]))
        .await;
    assert!(
        run_row.contains("failed") && run_row.contains(failed["error"].as_str().unwrap()),
        "{run_row}"
    );
    shown(&mut b, &s, "stream-error").await;
    b.open("/admin").await;
    assert_eq!(
        b.text("tr[data-connection=acme-icims] .badge").await,
        "degraded"
    );
    shown(&mut b, &s, "connections-degraded").await;

    // The day's quota is spent on the ATS's side: the streams wait for the window to reset.
    state.clear_faults();
    let limit = state.quota(cid).unwrap().limit;
    state.set_quota_used(cid, limit).unwrap();
    b.open(ACME).await;
    b.click("#sync-now").await;
    reload_until(
        &b,
        ACME,
        Duration::from_secs(120),
        "a stream waiting for quota",
        |page| {
            page.contains("Waits for the ATS&#39;s request quota")
                || page.contains("Waits for the ATS's request quota")
        },
    )
    .await;
    assert_eq!(b.text("#health").await, "paused for quota");
    assert_eq!(b.text("#quota-remaining").await, "0");
    shown(&mut b, &s, "paused-for-quota").await;
    b.open("/admin").await;
    assert_eq!(
        b.text("tr[data-connection=acme-icims] .badge").await,
        "paused for quota"
    );
    b.close().await;
}
