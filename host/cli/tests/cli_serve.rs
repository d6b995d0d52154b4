//! Issue 15: `ats serve` through the real binary, with the real component and the simulator
//! over loopback: every endpoint's answer and its bad-input answers, tenant isolation per
//! endpoint, idempotent export retries, syncs on demand, and a clean stop on SIGTERM.

mod cli_support;
mod serve_support;

use cli_support::*;
use icims_sim::{FaultKind, FaultMatch, FaultScript, RecordType, SimConfig};
use serde_json::{Value, json};
use serve_support::*;

fn small() -> SimConfig {
    let mut config = SimConfig::default();
    let g = &mut config.customers[0].generator;
    (g.people, g.jobs, g.workflows) = (40, 4, 60);
    config
}

/// Every tenant-scoped endpoint, for connection `c`: method, path, a valid body.
fn endpoints(
    c: &str,
    application: &str,
    candidate: &str,
    job: &str,
) -> Vec<(&'static str, String, Value)> {
    let base = format!("/v1/connections/{c}");
    vec![
        ("GET", base.clone(), Value::Null),
        ("GET", format!("{base}/status"), Value::Null),
        ("POST", format!("{base}/sync"), json!({})),
        ("POST", format!("{base}/check"), Value::Null),
        ("GET", format!("{base}/runs"), Value::Null),
        ("DELETE", base.clone(), Value::Null),
        ("POST", format!("{base}/pause"), Value::Null),
        ("POST", format!("{base}/resume"), Value::Null),
        (
            "POST",
            format!("{base}/search"),
            json!({"text": "engineer"}),
        ),
        (
            "POST",
            format!("{base}/export"),
            json!({"first_name": "Ada", "last_name": "Byron", "emails": ["ada.byron@example.com"]}),
        ),
        (
            "POST",
            format!("{base}/reply"),
            json!({"sender_address": "grace@example.com", "sender_name": "Grace Hopper", "message_time": 1_700_000_000, "job_id": null}),
        ),
        ("POST", format!("{base}/review"), json!({"job_id": job})),
        ("POST", format!("{base}/jobs/{job}/rediscover"), json!({})),
        (
            "POST",
            format!("{base}/refresh"),
            json!({"candidate_id": candidate, "profile": {"current_title": "Staff Engineer"}, "dry_run": true}),
        ),
        (
            "POST",
            format!("{base}/duplicates"),
            json!({"dry_run": true}),
        ),
        (
            "POST",
            format!("{base}/applications/{application}/move"),
            json!({"status": "screening"}),
        ),
        (
            "POST",
            format!("{base}/applications/{application}/reject"),
            json!({"reason": "position filled"}),
        ),
    ]
}

async fn call(s: &Served, token: Option<&str>, method: &str, path: &str, body: &Value) -> Answer {
    let text = if body.is_null() {
        String::new()
    } else {
        body.to_string()
    };
    s.send(
        method,
        path,
        token,
        &[("content-type", "application/json")],
        text,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_needs_a_token_and_sees_only_its_own_tenant() {
    let s = Served::start(small(), &["--no-scheduler"]).await;
    let state = s.sim.state();
    let cid = state.credentials().customer_ids[0];
    let application = state.ids(cid, RecordType::Workflows).unwrap()[0].to_string();
    let candidate = state.ids(cid, RecordType::People).unwrap()[0].to_string();
    let job = state.ids(cid, RecordType::Jobs).unwrap()[0].to_string();
    let writes_before = state.counters().by_customer[&cid.to_string()];

    // Each tenant lists only its own connection.
    let listed = s.get("/v1/connections", &s.beta).await;
    assert_eq!(listed.status, 200, "{}", listed.text());
    let listed = listed.json();
    let names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["beta-icims"]);

    for (method, path, body) in endpoints("acme-icims", &application, &candidate, &job) {
        // No token, a token of another scheme, an unknown token: 401, nothing else said.
        for token_header in [
            None,
            Some("Basic YWNtZTpzZWNyZXQ="),
            Some("Bearer ats_0000"),
        ] {
            let mut headers = vec![("content-type", "application/json")];
            if let Some(h) = token_header {
                headers.push(("authorization", h));
            }
            let text = if body.is_null() {
                String::new()
            } else {
                body.to_string()
            };
            let a = s.send(method, &path, None, &headers, text).await;
            assert_eq!(
                a.status,
                401,
                "{method} {path} with {token_header:?}: {}",
                a.text()
            );
            assert_eq!(a.code(), "unauthorized");
        }
        // Another tenant's token: exactly what a connection that does not exist answers.
        let theirs = call(&s, Some(&s.beta), method, &path, &body).await;
        let missing_path = path.replace("acme-icims", "acme-icimz");
        let missing = call(&s, Some(&s.acme), method, &missing_path, &body).await;
        assert_eq!(theirs.status, 404, "{method} {path}: {}", theirs.text());
        assert_eq!(
            missing.status,
            404,
            "{method} {missing_path}: {}",
            missing.text()
        );
        assert_eq!(
            theirs.text().replace("acme-icims", "NAME"),
            missing.text().replace("acme-icimz", "NAME"),
            "{method} {path}: another tenant's connection must look like none"
        );
    }
    // None of that reached the ATS.
    assert_eq!(
        state.counters().by_customer[&cid.to_string()],
        writes_before
    );

    // The owner's token works on the same endpoints (read-only ones here; the writes are
    // checked one by one in the next test).
    for path in [
        "/v1/connections/acme-icims",
        "/v1/connections/acme-icims/status",
    ] {
        let a = s.get(path, &s.acme).await;
        assert_eq!(a.status, 200, "{path}: {}", a.text());
    }
    let tokens = [s.acme.clone(), s.beta.clone(), "ats_0000".to_string()];
    let (status, log) = s.stop().await;
    assert!(status.success(), "{status}: {log}");
    for token in tokens {
        assert!(!log.contains(&token), "a token reached the log");
    }
    assert!(log.contains("refused: unknown or revoked token"), "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn features_answer_as_the_cli_does_and_bad_input_names_the_field() {
    let s = Served::start(small(), &["--no-scheduler", "--body-limit", "65536"]).await;
    let state = s.sim.state();
    let cid = state.credentials().customer_ids[0];
    let t = s.acme.clone();
    let c = "/v1/connections/acme-icims";

    // Connections and status, in `ats status`'s words.
    let one = s.get(c, &t).await.json();
    assert_eq!(one["tenant"], "acme");
    assert_eq!(one["status"], "done", "{one}");
    assert!(one["streams"].as_array().unwrap().len() >= 3, "{one}");
    let status = s.get(&format!("{c}/status"), &t).await.json();
    let people = status["counts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == "candidate")
        .unwrap()["live"]
        .as_u64()
        .unwrap();
    assert_eq!(people, 40, "{status}");

    // Search: results, then a bad date named by its field.
    let found = s
        .post(&format!("{c}/search"), &t, &json!({"per_page": 5}))
        .await;
    assert_eq!(found.status, 200, "{}", found.text());
    assert_eq!(
        found.json()["hits"].as_array().map(Vec::len),
        Some(5),
        "{}",
        found.text()
    );
    let bad = s
        .post(
            &format!("{c}/search"),
            &t,
            &json!({"applied_after": "31/03/2024"}),
        )
        .await;
    assert_eq!((bad.status, bad.code()), (400, "invalid_input".into()));
    assert_eq!(bad.json()["error"]["field"], "applied_after");
    let bad = s
        .post(
            &format!("{c}/search"),
            &t,
            &json!({"stage": "nowhere", "colour": 1}),
        )
        .await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("unknown field `colour`"),
        "{}",
        bad.text()
    );
    let broken = s
        .send(
            "POST",
            &format!("{c}/search"),
            Some(&t),
            &[("content-type", "application/json")],
            "{\"text\": ",
        )
        .await;
    assert_eq!(
        (broken.status, broken.code()),
        (400, "malformed_json".into())
    );
    let wrong_type = s
        .send(
            "POST",
            &format!("{c}/search"),
            Some(&t),
            &[("content-type", "text/plain")],
            "engineer",
        )
        .await;
    assert_eq!(
        (wrong_type.status, wrong_type.code()),
        (415, "unsupported_media_type".into())
    );

    // Review: a job's applicants ranked; an unknown job is 422.
    let jobs = state.ids(cid, RecordType::Jobs).unwrap();
    let mut reviewed = None;
    for job in &jobs {
        let r = s
            .post(
                &format!("{c}/review"),
                &t,
                &json!({"job_id": job.to_string(), "limit": 3}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        if !r.json()["applicants"].as_array().unwrap().is_empty() {
            reviewed = Some(r.json());
            break;
        }
    }
    let reviewed = reviewed.expect("some job has applicants");
    assert!(reviewed["applicants"].as_array().unwrap().len() <= 3);
    let r = s
        .post(&format!("{c}/review"), &t, &json!({"job_id": "999999"}))
        .await;
    assert_eq!((r.status, r.code()), (422, "unknown_job".into()));
    let r = s
        .post(
            &format!("{c}/review"),
            &t,
            &json!({"job_id": jobs[0].to_string(), "limit": 0}),
        )
        .await;
    assert_eq!(r.json()["error"]["field"], "limit");

    // Rediscovery for a job: people who did not apply, best fit first, as `ats rediscover`;
    // an unknown job is 422, a bad filter names its field.
    let job = jobs[0].to_string();
    let path = format!("{c}/jobs/{job}/rediscover");
    let found = s.post(&path, &t, &json!({"per_page": 5})).await;
    assert_eq!(found.status, 200, "{}", found.text());
    let found = found.json();
    assert_eq!(found["job_id"], job.as_str());
    assert!(found["hits"].as_array().unwrap().len() <= 5, "{found}");
    let printed = ok(ats(
        &s.data,
        &[
            "rediscover",
            "acme-icims",
            &job,
            "--per-page",
            "5",
            "--json",
        ],
    ))
    .await;
    let printed: Value = serde_json::from_str(&printed).unwrap();
    assert_eq!(
        printed["hits"], found["hits"],
        "the API and the CLI rank alike"
    );
    let r = s
        .post(&format!("{c}/jobs/999999/rediscover"), &t, &json!({}))
        .await;
    assert_eq!((r.status, r.code()), (422, "unknown_job".into()));
    let r = s
        .post(&path, &t, &json!({"applied_after": "yesterday"}))
        .await;
    assert_eq!(r.json()["error"]["field"], "applied_after", "{}", r.text());

    // Duplicates, dry run.
    let d = s
        .post(&format!("{c}/duplicates"), &t, &json!({"dry_run": true}))
        .await;
    assert_eq!(d.status, 200, "{}", d.text());

    // Refresh, dry run: a diff and nothing written.
    let person = state.ids(cid, RecordType::People).unwrap()[0].to_string();
    state.reset_counters();
    let r = s.post(&format!("{c}/refresh"), &t, &json!({"candidate_id": person, "profile": {"current_title": "Principal Engineer"}, "dry_run": true})).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["applied"], false, "{}", r.text());
    assert!(
        r.json()["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|ch| ch["field"] == "current_title"),
        "{}",
        r.text()
    );
    let r = s
        .post(
            &format!("{c}/refresh"),
            &t,
            &json!({"candidate_id": "nobody", "profile": {}, "dry_run": true}),
        )
        .await;
    assert_eq!((r.status, r.code()), (422, "unknown_record".into()));

    // Move and reject an application; an unknown status is 422.
    let application = state.ids(cid, RecordType::Workflows).unwrap()[0].to_string();
    let m = s
        .post(
            &format!("{c}/applications/{application}/move"),
            &t,
            &json!({"status": "nowhere"}),
        )
        .await;
    assert_eq!((m.status, m.code()), (422, "unknown_status".into()));
    let m = s
        .post(
            &format!("{c}/applications/{application}/move"),
            &t,
            &json!({"status": "screening"}),
        )
        .await;
    assert_eq!(m.status, 200, "{}", m.text());
    let r = s
        .post(
            &format!("{c}/applications/{application}/reject"),
            &t,
            &json!({"reason": "position filled"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());

    // Export: a resume path on the service's disk is refused before anything is written; a
    // body over the limit is 413; a valid profile creates a person; the same key replays.
    let people_before = state.ids(cid, RecordType::People).unwrap().len();
    let e = s.post(&format!("{c}/export"), &t, &json!({"first_name": "Ada", "last_name": "Byron", "emails": ["ada@example.com"], "resume": {"file_name": "cv.pdf", "content_type": "application/pdf", "path": "/etc/passwd"}})).await;
    assert_eq!(
        (e.status, e.json()["error"]["field"].as_str()),
        (400, Some("resume.path"))
    );
    let big = "x".repeat(70_000);
    let e = s
        .post(&format!("{c}/export"), &t, &json!({"first_name": big}))
        .await;
    assert_eq!((e.status, e.code()), (413, "body_too_large".into()));
    let e = s
        .post(
            &format!("{c}/export"),
            &t,
            &json!({"first_name": "Ada", "last_name": "Byron", "emails": ["not-an-email"]}),
        )
        .await;
    assert_eq!(e.status, 400, "{}", e.text());
    assert!(
        e.json()["error"]["field"]
            .as_str()
            .unwrap()
            .starts_with("emails"),
        "{}",
        e.text()
    );
    assert_eq!(
        state.ids(cid, RecordType::People).unwrap().len(),
        people_before,
        "bad input wrote nothing"
    );
    let profile = json!({"first_name": "Ada", "last_name": "Byron", "emails": ["ada.byron@example.com"], "source": "api test"});
    let first = s
        .send(
            "POST",
            &format!("{c}/export"),
            Some(&t),
            &[
                ("content-type", "application/json"),
                ("idempotency-key", "ada-1"),
            ],
            profile.to_string(),
        )
        .await;
    assert_eq!(first.status, 200, "{}", first.text());
    assert_eq!(first.json()["idempotency_key"], "ada-1");
    let again = s
        .send(
            "POST",
            &format!("{c}/export"),
            Some(&t),
            &[
                ("content-type", "application/json"),
                ("idempotency-key", "ada-1"),
            ],
            profile.to_string(),
        )
        .await;
    assert_eq!(again.json()["replayed"], true, "{}", again.text());
    assert_eq!(
        state.ids(cid, RecordType::People).unwrap().len(),
        people_before + 1
    );
    let clash = s.send("POST", &format!("{c}/export"), Some(&t), &[("content-type", "application/json"), ("idempotency-key", "ada-1")], json!({"first_name": "Ada", "last_name": "Byron", "emails": ["ada.byron@example.com"], "idempotency_key": "ada-2"}).to_string()).await;
    assert_eq!(clash.json()["error"]["field"], "idempotency_key");

    // Reply from an unknown sender creates them.
    let r = s.post(&format!("{c}/reply"), &t, &json!({"sender_address": "grace.hopper@example.com", "sender_name": "Grace Hopper", "message_time": 1_700_000_000, "job_id": null})).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = s
        .post(
            &format!("{c}/reply"),
            &t,
            &json!({"sender_address": "nobody", "message_time": 1}),
        )
        .await;
    assert_eq!(r.json()["error"]["field"], "sender_address", "{}", r.text());

    // Operations and the document.
    assert_eq!(s.send("GET", "/healthz", None, &[], "").await.status, 200);
    let ready = s.send("GET", "/readyz", None, &[], "").await;
    assert_eq!(
        (ready.status, ready.json()["mirror"].as_str()),
        (200, Some("ok"))
    );
    assert_eq!(ready.json()["scheduler"], "off");
    let doc = s.send("GET", "/v1/openapi.json", None, &[], "").await;
    let committed = std::fs::read_to_string(workspace().join("host/serve/openapi.json")).unwrap();
    assert_eq!(doc.text(), committed);
    let nowhere = s.get("/v1/nowhere", &t).await;
    assert_eq!((nowhere.status, nowhere.code()), (404, "not_found".into()));

    let secret = s.secret.clone();
    let (status, log) = s.stop().await;
    assert!(status.success(), "{status}: {log}");
    assert!(!log.contains(&secret), "the client secret reached the log");
    assert!(log.contains("request"), "requests are logged: {log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_retried_with_the_same_key_after_a_timeout_leaves_one_person_and_one_application()
{
    let mut config = small();
    config.faults.timeout_hold_ms = 300;
    let s = Served::start(config, &["--no-scheduler"]).await;
    let state = s.sim.state();
    let cid = state.credentials().customer_ids[0];
    let job = state.ids(cid, RecordType::Jobs).unwrap()[1].to_string();
    let people = state.ids(cid, RecordType::People).unwrap().len();
    let applications = state.ids(cid, RecordType::Workflows).unwrap().len();
    state.push_fault(FaultScript {
        matcher: FaultMatch {
            endpoint: Some("create.applicantworkflows".into()),
            path_prefix: None,
        },
        fault: FaultKind::Timeout,
        count: 1,
    });
    let profile = json!({"first_name": "Mary", "last_name": "Jackson", "emails": ["mary.jackson@example.com"], "job_id": job, "status": "new", "source": "Talent platform"}).to_string();
    let headers = [
        ("content-type", "application/json"),
        ("idempotency-key", "mary-1"),
    ];
    let c = "/v1/connections/acme-icims/export";
    let first = s
        .send("POST", c, Some(&s.acme), &headers, profile.clone())
        .await;
    assert_eq!(
        (first.status, first.code()),
        (502, "interrupted".into()),
        "{}",
        first.text()
    );
    let retry = s
        .send("POST", c, Some(&s.acme), &headers, profile.clone())
        .await;
    assert_eq!(retry.status, 200, "{}", retry.text());
    assert_eq!(retry.json()["resumed"], true, "{}", retry.text());
    assert_eq!(
        state.ids(cid, RecordType::People).unwrap().len(),
        people + 1,
        "one person"
    );
    assert_eq!(
        state.ids(cid, RecordType::Workflows).unwrap().len(),
        applications + 1,
        "one application"
    );
    let replay = s.send("POST", c, Some(&s.acme), &headers, profile).await;
    assert_eq!(replay.json()["replayed"], true);
    assert_eq!(
        state.ids(cid, RecordType::Workflows).unwrap().len(),
        applications + 1
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_asked_for_runs_in_the_connection_worker_and_sigterm_stops_cleanly() {
    let s = Served::start(small(), &[]).await;
    let state = s.sim.state();
    let cid = state.credentials().customer_ids[0];
    let c = "/v1/connections/acme-icims";
    let ready = s.send("GET", "/readyz", None, &[], "").await;
    assert_eq!(ready.json()["scheduler"], "running", "{}", ready.text());
    // Paused, the connection syncs nothing, even when asked; resumed, it does.
    let paused = s.post(&format!("{c}/pause"), &s.acme, &json!(null)).await;
    assert_eq!(paused.status, 200, "{}", paused.text());
    assert!(paused.json()["paused_at"].is_i64(), "{}", paused.text());
    let refused = s.post(&format!("{c}/sync"), &s.acme, &json!({})).await;
    assert_eq!((refused.status, refused.code()), (409, "paused".into()));
    let status = s.get(&format!("{c}/status"), &s.acme).await.json();
    assert!(status["paused_at"].is_i64(), "{status}");
    let resumed = s.post(&format!("{c}/resume"), &s.acme, &json!(null)).await;
    assert!(resumed.json()["paused_at"].is_null(), "{}", resumed.text());
    // The check runs again and reports every permission.
    let check = s.post(&format!("{c}/check"), &s.acme, &json!(null)).await;
    assert_eq!(check.status, 200, "{}", check.text());
    assert!(check.text().contains("\"granted\""), "{}", check.text());
    let bad = s
        .post(&format!("{c}/sync"), &s.acme, &json!({"streams": ["nope"]}))
        .await;
    assert_eq!(bad.json()["error"]["field"], "streams", "{}", bad.text());

    // A person added in the ATS reaches the mirror through a sync asked for over the API.
    let added = state
        .create_person(
            cid,
            json!({"firstname": "Katherine", "lastname": "Johnson"})
                .as_object()
                .unwrap(),
        )
        .unwrap();
    let asked = s
        .post(
            &format!("{c}/sync"),
            &s.acme,
            &json!({"streams": ["candidates"]}),
        )
        .await;
    assert_eq!(asked.status, 202, "{}", asked.text());
    let mut found = false;
    for _ in 0..100 {
        let hits = s
            .post(
                &format!("{c}/search"),
                &s.acme,
                &json!({"text": "katherine johnson"}),
            )
            .await
            .json();
        if hits["hits"].as_array().is_some_and(|r| {
            r.iter()
                .any(|h| h["candidate_id"].as_str() == Some(&*added.to_string()))
        }) {
            found = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(found, "the asked sync mirrored the new person");
    let (status, log) = s.stop().await;
    assert!(status.success(), "{status}: {log}");
    assert!(log.contains("stopped"), "{log}");
}
