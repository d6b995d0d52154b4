//! Issue 15: a tenant makes a connection from the operator's template over the API (checked
//! against the simulator first), follows its runs, the operator scrapes `/metrics`, and the
//! tenant deletes it, leaving no secret behind. Through the real `ats serve` binary.

mod cli_support;
mod serve_support;

use cli_support::*;
use serde_json::{Value, json};
use serve_support::*;
use std::time::Duration;

fn small() -> icims_sim::SimConfig {
    let mut config = icims_sim::SimConfig::default();
    let g = &mut config.customers[0].generator;
    (g.people, g.jobs, g.workflows) = (30, 3, 40);
    config
}

/// A change to a create body.
type Change = Box<dyn FnOnce(&mut Value)>;

/// A create body for the simulator's customer, with `change` applied.
fn create_body(s: &Served, name: &str, change: impl FnOnce(&mut Value)) -> Value {
    let creds = s.sim.state().credentials();
    let mut body = json!({
        "name": name,
        "template": "icims",
        "settings": {
            "customer-id": creds.customer_ids[0].to_string(),
            "client-id": creds.client_id,
        },
        "secrets": { "client-secret": creds.client_secret },
    });
    change(&mut body);
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tenant_makes_follows_and_deletes_a_connection_from_a_template() {
    let s = Served::start(small(), &[]).await;
    let t = s.acme.clone();
    let secrets_dir = s.data.join("secrets").join("acme-second");

    // Bad input names the field; nothing is saved, no secret is written.
    let bad: Vec<(&str, Change)> = vec![
        ("name", Box::new(|b| b["name"] = json!("Acme Second"))),
        ("template", Box::new(|b| b["template"] = json!("workday"))),
        (
            "settings.api-base-url",
            Box::new(|b| b["settings"]["api-base-url"] = json!("https://evil.example")),
        ),
        (
            "settings.colour",
            Box::new(|b| b["settings"]["colour"] = json!("blue")),
        ),
        (
            "settings.client-secret",
            Box::new(|b| b["settings"]["client-secret"] = json!("x")),
        ),
        (
            "settings.customer-id",
            Box::new(|b| {
                b["settings"].as_object_mut().unwrap().remove("customer-id");
            }),
        ),
        (
            "secrets.client-secret",
            Box::new(|b| b["secrets"]["client-secret"] = json!("")),
        ),
    ];
    for (field, change) in bad {
        let a = s
            .post(
                "/v1/connections",
                &t,
                &create_body(&s, "acme-second", change),
            )
            .await;
        assert_eq!(a.status, 400, "{field}: {}", a.text());
        assert_eq!(a.json()["error"]["field"], field, "{}", a.text());
    }
    let unknown_key = s
        .post(
            "/v1/connections",
            &t,
            &create_body(&s, "acme-second", |b| b["owner"] = json!("me")),
        )
        .await;
    assert_eq!(unknown_key.status, 400, "{}", unknown_key.text());
    // A taken name, of this tenant or another one: 409, whoever holds it.
    for taken in ["acme-icims", "beta-icims"] {
        let a = s
            .post("/v1/connections", &t, &create_body(&s, taken, |_| {}))
            .await;
        assert_eq!(
            (a.status, a.code()),
            (409, "name_taken".into()),
            "{}",
            a.text()
        );
    }
    // Wrong credentials: the check refuses them and nothing stays behind.
    let wrong = s
        .post(
            "/v1/connections",
            &t,
            &create_body(&s, "acme-second", |b| {
                b["secrets"]["client-secret"] = json!("not-the-secret")
            }),
        )
        .await;
    assert!(wrong.status >= 400, "{}", wrong.text());
    assert!(!wrong.text().contains("not-the-secret"), "{}", wrong.text());
    assert_eq!(s.get("/v1/connections/acme-second", &t).await.status, 404);
    assert!(!secrets_dir.exists(), "a refused create left its secrets");

    // The real thing: checked, saved, syncing at once.
    let created = s
        .post(
            "/v1/connections",
            &t,
            &create_body(&s, "acme-second", |_| {}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    let created = created.json();
    assert_eq!(created["connection"]["tenant"], "acme");
    assert!(
        !created["report"]["permissions"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let secret_file = secrets_dir.join("client-secret");
    assert_eq!(std::fs::read_to_string(&secret_file).unwrap(), s.secret);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&secret_file)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o077,
            0,
            "the secret file is readable by others: {mode:o}"
        );
    }
    // Another tenant sees nothing of it.
    assert_eq!(
        s.get("/v1/connections/acme-second", &s.beta).await.status,
        404
    );

    // Its runs appear in the run log, newest first, as the scheduler runs them.
    let runs = wait_for_runs(&s, &t, "acme-second").await;
    let first = &runs[0];
    assert!(
        first["stream"].is_string() && first["mode"] == "full",
        "{first}"
    );
    for limit in ["0", "501", "many"] {
        let a = s
            .get(
                &format!("/v1/connections/acme-second/runs?limit={limit}"),
                &t,
            )
            .await;
        assert_eq!(a.status, 400, "limit={limit}: {}", a.text());
        assert_eq!(a.json()["error"]["field"], "limit");
    }
    let two = s.get("/v1/connections/acme-second/runs?limit=2", &t).await;
    assert!(two.json().as_array().unwrap().len() <= 2);
    // The CLI prints the same log.
    let printed = ok(ats(&s.data, &["runs", "acme-icims", "--json"])).await;
    let printed: Value = serde_json::from_str(&printed).unwrap();
    assert!(
        printed
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["result"] == "succeeded"),
        "{printed}"
    );

    // The operator's scrape: API and ATS requests, pages, quota, lag; no secret, no token.
    let metrics = s.send("GET", "/metrics", None, &[], "").await;
    assert_eq!(metrics.status, 200);
    let text = metrics.text();
    for needle in [
        "ats_api_requests_total{route=\"/v1/connections/{connection}/runs\",method=\"GET\",status=\"200\"}",
        "ats_api_request_seconds_count{route=\"/v1/connections\"}",
        "ats_ats_requests_total{connection=\"acme-second\",outcome=\"2xx\"}",
        "ats_ats_request_seconds_count{connection=\"acme-second\"}",
        "ats_sync_page_seconds_count{connection=\"acme-second\",stream=\"candidates\"}",
        "ats_quota_lane_available{connection=\"acme-second\",lane=\"interactive\"}",
        "ats_sync_lag_seconds{connection=\"acme-icims\"",
    ] {
        assert!(text.contains(needle), "no {needle} in:\n{text}");
    }
    assert!(!text.contains(&t) && !text.contains(&s.beta) && !text.contains(&s.secret));

    // Delete: gone for its tenant, its secrets gone from the disk; the name is free again.
    let deleted = s.delete("/v1/connections/acme-second", &t).await;
    assert_eq!(deleted.status, 204, "{}", deleted.text());
    assert_eq!(s.get("/v1/connections/acme-second", &t).await.status, 404);
    assert_eq!(
        s.get("/v1/connections/acme-second/runs", &t).await.status,
        404
    );
    assert_eq!(
        s.delete("/v1/connections/acme-second", &t).await.status,
        404
    );
    assert!(!secrets_dir.exists(), "deleting left the secrets behind");
    let again = s
        .post(
            "/v1/connections",
            &t,
            &create_body(&s, "acme-second", |_| {}),
        )
        .await;
    assert_eq!(again.status, 201, "{}", again.text());

    let secret = s.secret.clone();
    let (status, log) = s.stop().await;
    assert!(status.success(), "{status}: {log}");
    assert!(!log.contains(&secret), "the client secret reached the log");
    assert!(log.contains("connection created") && log.contains("connection deleted"));
}

/// Polls the run log until a run has finished.
async fn wait_for_runs(s: &Served, token: &str, connection: &str) -> Vec<Value> {
    let path = format!("/v1/connections/{connection}/runs");
    for _ in 0..300 {
        let a = s.get(&path, token).await;
        assert_eq!(a.status, 200, "{}", a.text());
        let runs = a.json().as_array().unwrap().clone();
        if runs.iter().any(|r| r["result"] == "succeeded") {
            return runs;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no run of {connection} finished within 30 s");
}
