//! The service's figures that need the simulator running beside it: event-to-mirror freshness,
//! and API clients searching and exporting while a full sync runs.

use crate::env::{CONN, Env, open_host};
use crate::report::{Report, quantile_ms, verdict};
use crate::service::{CLIENTS, Served};
use ats_mirror::SecretRef;
use ats_model::{AtsRecord, RecordKind};
use icims_sim::RecordType;
use icims_sim::events::{EventAuth, EventConfig};
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const EVENT_KEY: &str = "bench-event-key";

/// The mirrored status id of application `id`.
async fn mirrored_status(env: &Env, id: &str) -> anyhow::Result<Option<String>> {
    Ok(
        match env
            .host
            .mirror
            .record(CONN, RecordKind::Application, id)
            .await?
        {
            Some(stored) => match stored.record {
                AtsRecord::Application(a) => a.status.map(|s| s.id),
                _ => None,
            },
            None => None,
        },
    )
}

/// A status change in the simulator, pushed as a signed event to the service, until the mirror
/// shows it: p50 and p95 over `events` changes, one at a time.
pub async fn event_freshness(env: &Env, events: usize, report: &Report) -> anyhow::Result<()> {
    let key_file = env.dir.path().join("event.key");
    std::fs::write(&key_file, EVENT_KEY)?;
    let mut row = env
        .host
        .mirror
        .connection(CONN)
        .await?
        .ok_or_else(|| anyhow::anyhow!("connection {CONN} is not saved"))?;
    row.settings.insert("event-auth".into(), "hmac".into());
    row.settings
        .insert("event-username".into(), "icims-events".into());
    row.secrets.insert(
        "event-secret".into(),
        SecretRef::File(key_file.display().to_string()),
    );
    env.host.mirror.upsert_connection(&row).await?;
    let served = Served::start(open_host(env.host.paths().data_dir.clone())?).await?;
    let state = env.sim.state();
    state.set_events(EventConfig {
        url: Some(format!("{}/v1/events/{CONN}", served.url)),
        auth: EventAuth::Hmac {
            username: "icims-events".into(),
            key: EVENT_KEY.into(),
        },
        plain: false,
    });
    let cid = env.customer();
    let ids = state.ids(cid, RecordType::Workflows)?;
    let before = state.counters().total;
    let (mut took, mut missed) = (Vec::new(), 0);
    for id in ids.iter().take(events) {
        let id = id.to_string();
        let current = mirrored_status(env, &id).await?;
        let target = if current.as_deref() == Some("C2028") {
            "C12295"
        } else {
            "C2028"
        };
        let t = Instant::now();
        state.set_workflow_status(cid, id.parse()?, target)?;
        loop {
            if mirrored_status(env, &id).await?.as_deref() == Some(target) {
                took.push(t.elapsed());
                break;
            }
            if t.elapsed() > Duration::from_secs(10) {
                missed += 1;
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }
    let requests = state.counters().total - before;
    state.set_events(EventConfig::default());
    took.sort();
    let p95 = quantile_ms(&took, 0.95);
    report.add(
        "Event to mirror freshness (status change pushed, signed, re-read)",
        format!(
            "p50 {:.0} ms, p95 {p95:.0} ms ({} events, {missed} not in the mirror after 10 s, {:.1} ATS requests per event)",
            quantile_ms(&took, 0.5),
            took.len(),
            requests as f64 / events.max(1) as f64
        ),
        "p95 <= 2000 ms",
        "",
        verdict(p95 <= 2_000.0 && missed == 0),
    );
    served.stop().await
}

/// [`CLIENTS`] API clients (nine in ten searching, one in ten exporting new people) while the
/// service runs a full sync of the connection: no request may fail, none may meet a locked
/// database, and afterwards the mirror holds every person the simulator does.
pub async fn load_during_sync(env: &Env, report: &Report) -> anyhow::Result<()> {
    let served = Arc::new(Served::start(open_host(env.host.paths().data_dir.clone())?).await?);
    let job = {
        let jobs = env.host.mirror.ids(CONN, RecordKind::Job).await?;
        jobs.first().cloned().unwrap_or_default()
    };
    let (status, answer) = served
        .post(
            &format!("/v1/connections/{CONN}/sync"),
            &json!({"full": true, "streams": ["candidates", "applications"]}),
        )
        .await?;
    anyhow::ensure!(
        status == 202,
        "the sync was not accepted: {status} {answer}"
    );
    let started = Instant::now();
    let syncing = Arc::new(AtomicBool::new(true));
    let (failed, locked, exported) = (
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
    );
    let nonce = ats_features::unix_now();
    let mut clients = Vec::new();
    for c in 0..CLIENTS {
        let (served, syncing, job) = (served.clone(), syncing.clone(), job.clone());
        let (failed, locked, exported) = (failed.clone(), locked.clone(), exported.clone());
        clients.push(tokio::spawn(async move {
            let mut took = Vec::new();
            let mut n = 0;
            while syncing.load(Ordering::Relaxed) {
                n += 1;
                let exporting = c % 10 == 0;
                let (path, body) = if exporting {
                    let body = json!({
                        "first_name": format!("Load{c}x{n}"), "last_name": "Client",
                        "emails": [format!("bench.load.{nonce}.{c}.{n}@example.org")],
                        "job_id": job, "status": "new",
                    });
                    (format!("/v1/connections/{CONN}/export"), body)
                } else {
                    let text = ["smith", "boston", "jen*", "mary"][n % 4];
                    let body = json!({ "text": text });
                    (format!("/v1/connections/{CONN}/search"), body)
                };
                let t = Instant::now();
                match served.post(&path, &body).await {
                    Ok((200, _)) => {
                        took.push(t.elapsed());
                        if exporting {
                            exported.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    Ok((_, answer)) => {
                        if answer.to_string().contains("locked") {
                            locked.fetch_add(1, Ordering::Relaxed);
                        }
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(_) => {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            took
        }));
    }
    // The sync is over when both streams have a finished run that started after it was asked.
    let asked_at = ats_features::unix_now() - 1;
    loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let runs = env.host.mirror.runs(CONN, 10).await?;
        let done = ["candidates", "applications"].iter().all(|s| {
            runs.iter()
                .any(|r| r.stream == *s && r.started_at >= asked_at && r.outcome.is_some())
        });
        if done || started.elapsed() > Duration::from_secs(1_800) {
            break;
        }
    }
    syncing.store(false, Ordering::Relaxed);
    let mut took = Vec::new();
    for c in clients {
        took.extend(c.await?);
    }
    let wall = started.elapsed().as_secs_f64();
    took.sort();
    let people_in_ats = env.sim.state().record_counts(env.customer())?["people"];
    let mirrored = env
        .host
        .mirror
        .counts(CONN)
        .await?
        .get(RecordKind::Candidate)
        .live as usize;
    let (failed, locked) = (
        failed.load(Ordering::Relaxed),
        locked.load(Ordering::Relaxed),
    );
    report.add(
        &format!("{CLIENTS} API clients during a full sync of {people_in_ats} people"),
        format!(
            "{} requests in {wall:.0} s ({} exports), p50 {:.1} ms, p95 {:.1} ms; {failed} failed, {locked} 'database is locked'; mirror {mirrored} of {people_in_ats} people",
            took.len(),
            exported.load(Ordering::Relaxed),
            quantile_ms(&took, 0.5),
            quantile_ms(&took, 0.95),
        ),
        "none failed, none locked, nothing lost",
        "",
        verdict(failed == 0 && locked == 0 && mirrored == people_in_ats),
    );
    Arc::into_inner(served)
        .ok_or_else(|| anyhow::anyhow!("a client still holds the service"))?
        .stop()
        .await
}
