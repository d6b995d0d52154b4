//! Issue 15, push events: a workflow status change in the simulator reaches the mirror through
//! `POST /v1/events/{connection}` of the real `ats serve`, for each way iCIMS authenticates,
//! with the simulator counting only the targeted reads; forged, unsigned, stale and replayed
//! deliveries get 401 and cause no request; a malformed body gets 400 in the vendor's shape; a
//! second delivery of one event is read once.

mod cli_support;
mod serve_support;

use ats_mirror::MirrorStore;
use ats_mirror_sqlite::SqliteMirror;
use ats_model::{AtsRecord, RecordKind};
use icims_sim::events::{EventAuth, EventConfig, delivery_headers, icims_date, sign};
use icims_sim::{RecordType, SimConfig};
use serve_support::*;
use std::time::Duration;

const KEY: &str = "event-k3y-of-the-customer";

fn small() -> SimConfig {
    let mut config = SimConfig::default();
    let g = &mut config.customers[0].generator;
    (g.people, g.jobs, g.workflows) = (30, 3, 40);
    config
}

async fn served(mode: &str) -> Served {
    Served::start_with(
        small(),
        &["--no-scheduler"],
        &[("event-auth", mode), ("event-username", "events")],
        &[("event-secret", KEY)],
    )
    .await
}

/// The mirrored status id of application `id`.
async fn mirrored_status(s: &Served, id: &str) -> Option<String> {
    let mirror = SqliteMirror::open(s.data.join("mirror.sqlite")).unwrap();
    let stored = mirror
        .record("acme-icims", RecordKind::Application, id)
        .await
        .unwrap()?;
    match stored.record {
        AtsRecord::Application(a) => a.status.map(|s| s.id),
        _ => None,
    }
}

/// Another status than the application's current one.
fn other_status(s: &Served, cid: u64, id: u32) -> String {
    let now = s
        .sim
        .state()
        .snapshot(cid, RecordType::Workflows, id.into())
        .unwrap();
    let current = now["status"]["id"].as_str().unwrap_or_default().to_string();
    ["C12295", "C2028"]
        .into_iter()
        .find(|c| *c != current)
        .unwrap()
        .to_string()
}

/// Waits for the simulator's `n`th delivery to be answered; returns it.
async fn delivery(s: &Served, n: usize) -> icims_sim::events::SentEvent {
    for _ in 0..200 {
        if let Some(e) = s.sim.state().events_sent().get(n - 1) {
            return e.clone();
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the simulator sent no event {n}");
}

async fn wait_for_status(s: &Served, id: &str, status: &str) {
    for _ in 0..200 {
        if mirrored_status(s, id).await.as_deref() == Some(status) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!(
        "application {id} never showed status {status} in the mirror (it shows {:?})",
        mirrored_status(s, id).await
    );
}

async fn post_raw(s: &Served, headers: &[(String, String)], body: &[u8]) -> Answer {
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .filter(|(n, _)| n != "host")
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    s.send(
        "POST",
        "/v1/events/acme-icims",
        None,
        &headers,
        body.to_vec(),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hmac_events_reach_the_mirror_and_forgeries_replays_and_stale_ones_do_not() {
    let s = served("hmac").await;
    let state = s.sim.state();
    let cid = state.credentials().customer_ids[0];
    let url = format!("{}/v1/events/acme-icims", s.url);
    let auth = EventAuth::Hmac {
        username: "events".into(),
        key: KEY.into(),
    };
    state.set_events(EventConfig {
        url: Some(url.clone()),
        auth: auth.clone(),
        plain: false,
    });
    let application = state.ids(cid, RecordType::Workflows).unwrap()[3];
    let id = application.to_string();
    let status = other_status(&s, cid, application);

    // A recruiter moves the application in iCIMS: the event comes, and only the records it
    // names are read (the application, its person and its job: three GETs, no search).
    state.reset_counters();
    state
        .set_workflow_status(cid, application.into(), &status)
        .unwrap();
    let sent = delivery(&s, 1).await;
    assert_eq!(sent.answered, Some(200), "{sent:?}");
    wait_for_status(&s, &id, &status).await;
    let counts = state.counters();
    let reads: u64 = counts
        .by_endpoint
        .iter()
        .filter(|(k, _)| k.starts_with("get."))
        .map(|(_, v)| *v)
        .sum();
    let searches: u64 = counts
        .by_endpoint
        .iter()
        .filter(|(k, _)| k.starts_with("search."))
        .map(|(_, v)| *v)
        .sum();
    assert_eq!((reads, searches), (3, 0), "{counts:?}");

    // Every bad delivery is refused with 401 and reads nothing.
    state.reset_counters();
    let body = &sent.body;
    let mut forged = sent.headers.clone();
    for (n, v) in forged.iter_mut() {
        if n == "authorization" {
            *v = v.replace("signature=", "signature=00");
        }
    }
    let wrong_key = delivery_headers(
        &EventAuth::Hmac {
            username: "events".into(),
            key: "guess".into(),
        },
        &url,
        body,
        true,
        ats_features::unix_now(),
    );
    let stale = delivery_headers(&auth, &url, body, true, ats_features::unix_now() - 600);
    let unsigned: Vec<_> = sent
        .headers
        .iter()
        .filter(|(n, _)| n != "authorization")
        .cloned()
        .collect();
    let mut other_body = sent.headers.clone();
    let tampered = icims_sim::events::gzip(
        b"{\"eventType\":\"WorkFlowStatusChangeEvent\",\"systemId\":\"1\"}",
    );
    for (label, headers, body) in [
        ("a replay", sent.headers.clone(), body.clone()),
        ("a forged signature", forged, body.clone()),
        ("another key", wrong_key, body.clone()),
        ("ten minutes old", stale, body.clone()),
        ("unsigned", unsigned, body.clone()),
        ("another body", std::mem::take(&mut other_body), tampered),
    ] {
        let a = post_raw(&s, &headers, &body).await;
        assert_eq!(a.status, 401, "{label}: {}", a.text());
        assert_eq!(
            a.json()["error"]["userMessage"],
            "The event was not accepted.",
            "{label}"
        );
    }
    assert_eq!(state.counters().total, 0, "refused events read nothing");

    // A second delivery of the same event, signed anew a moment later (the date has whole
    // seconds), is accepted and read once.
    let again = delivery_headers(&auth, &url, body, true, ats_features::unix_now() + 2);
    let a = post_raw(&s, &again, body).await;
    assert_eq!(
        (a.status, a.json()["duplicate"].as_bool()),
        (200, Some(true)),
        "{}",
        a.text()
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(state.counters().total, 0, "a duplicate is read once");

    // A malformed body, correctly signed, gets 400 in the vendor's error shape.
    let broken = icims_sim::events::gzip(b"{not json");
    let headers = delivery_headers(&auth, &url, &broken, true, ats_features::unix_now());
    let a = post_raw(&s, &headers, &broken).await;
    assert_eq!(a.status, 400, "{}", a.text());
    assert!(
        a.json()["error"]["debugErrorMessage"]
            .as_str()
            .unwrap()
            .contains("JSON"),
        "{}",
        a.text()
    );
    let not_gzip = b"\x1f\x8b not really".to_vec();
    let headers = delivery_headers(&auth, &url, &not_gzip, true, ats_features::unix_now());
    assert_eq!(post_raw(&s, &headers, &not_gzip).await.status, 400);
    assert_eq!(state.counters().total, 0);
    // The signature helper and the date format are the ones the sender used.
    assert!(
        sent.headers
            .iter()
            .any(|(n, v)| n == "authorization" && v.ends_with(&sign(KEY, &sent.headers)))
    );
    assert_eq!(icims_date(0), "1970-01-01T00:00:00+0000");

    let (status, log) = s.stop().await;
    assert!(status.success(), "{log}");
    assert!(log.contains("event refused"), "refusals are logged: {log}");
    assert!(!log.contains(KEY), "the event key reached the log");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn basic_and_bearer_events_reach_the_mirror() {
    for (mode, auth, wrong) in [
        (
            "basic",
            EventAuth::Basic {
                username: "events".into(),
                password: KEY.into(),
            },
            EventAuth::Basic {
                username: "events".into(),
                password: "guess".into(),
            },
        ),
        (
            "bearer",
            EventAuth::Bearer { token: KEY.into() },
            EventAuth::Bearer {
                token: "guess".into(),
            },
        ),
    ] {
        let s = served(mode).await;
        let state = s.sim.state();
        let cid = state.credentials().customer_ids[0];
        let url = format!("{}/v1/events/acme-icims", s.url);
        let application = state.ids(cid, RecordType::Workflows).unwrap()[5];
        let status = other_status(&s, cid, application);
        // A wrong password first: refused, nothing read, the mirror unchanged.
        state.set_events(EventConfig {
            url: Some(url.clone()),
            auth: wrong,
            plain: true,
        });
        state.reset_counters();
        let before = mirrored_status(&s, &application.to_string()).await;
        state
            .set_workflow_status(cid, application.into(), &status)
            .unwrap();
        assert_eq!(delivery(&s, 1).await.answered, Some(401), "{mode}");
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(state.counters().total, 0, "{mode}");
        assert_eq!(
            mirrored_status(&s, &application.to_string()).await,
            before,
            "{mode}"
        );
        // The right one: the change arrives (plain body this time).
        state.set_events(EventConfig {
            url: Some(url),
            auth,
            plain: true,
        });
        let back = other_status(&s, cid, application);
        state
            .set_workflow_status(cid, application.into(), &back)
            .unwrap();
        assert_eq!(delivery(&s, 2).await.answered, Some(200), "{mode}");
        wait_for_status(&s, &application.to_string(), &back).await;
        // A connection that does not exist is refused as a bad credential is.
        let sent = delivery(&s, 2).await;
        let headers: Vec<(&str, &str)> = sent
            .headers
            .iter()
            .filter(|(n, _)| n != "host")
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let a = s
            .send(
                "POST",
                "/v1/events/nobody",
                None,
                &headers,
                sent.body.clone(),
            )
            .await;
        assert_eq!(a.status, 401, "{mode}: {}", a.text());
        s.stop().await;
    }
}
