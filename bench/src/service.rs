//! The service's figures, through `ats serve`'s real router on loopback: search under 50
//! clients, export's host overhead through the API, the time from a status change in the ATS
//! to the mirror by a pushed event, and 50 clients searching and exporting while a full sync
//! runs (nothing may fail or be lost).

use crate::env::{CONN, Env, open_host};
use crate::report::{Report, quantile_ms, verdict};
use crate::wire_time::WireTime;
use ats_app::host::{Host, HostPaths, StoreUrl};
use ats_model::{AtsRecord, RecordKind};
use ats_serve::{ServeOptions, Service};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Concurrent API clients of the load figures.
pub const CLIENTS: usize = 50;

/// `ats serve` in this process: its router on a free loopback port, with a tenant token.
pub struct Served {
    pub url: String,
    pub token: String,
    client: Client<HttpConnector, Full<Bytes>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl Served {
    /// Serves `host` (its connections belong to the default tenant) without the scheduler.
    pub async fn start(host: Host) -> anyhow::Result<Served> {
        let made = ats_serve::tokens::create_token(
            host.mirror.as_ref(),
            ats_mirror::DEFAULT_TENANT,
            Some("ats-bench"),
            ats_features::unix_now(),
        )
        .await?;
        let options = ServeOptions {
            schedule: false,
            ..ServeOptions::default()
        };
        let service = Service::new(host, options);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(ats_serve::serve(service, listener, async {
            let _ = stopped.await;
        }));
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        Ok(Served {
            url,
            token: made.token,
            client: Client::builder(TokioExecutor::new())
                .pool_max_idle_per_host(CLIENTS)
                .build(connector),
            stop: Some(stop),
            task,
        })
    }

    /// POSTs `body` to `path`; the status and the answer's JSON (`Null` when it is none).
    pub async fn post(&self, path: &str, body: &Value) -> anyhow::Result<(u16, Value)> {
        let request = http::Request::post(format!("{}{path}", self.url))
            .header("authorization", format!("Bearer {}", self.token))
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(body.to_string())))?;
        let answer = self.client.request(request).await?;
        let status = answer.status().as_u16();
        let bytes = answer.into_body().collect().await?.to_bytes();
        Ok((
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        ))
    }

    pub async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.task.await?
    }
}

/// The searches the clients take turns at (names, cities, a prefix, stages).
fn searches() -> Vec<Value> {
    vec![
        json!({"text": "smith"}),
        json!({"text": "mary johnson"}),
        json!({"text": "boston"}),
        json!({"text": "jen*"}),
        json!({"text": "williams chicago"}),
        json!({"stage": ["interview"]}),
        json!({"stage": ["hired"], "rejected": false}),
        json!({"text": "garcia", "stage": ["screening"]}),
    ]
}

/// API search p50/p95 under [`CLIENTS`] clients on the mirror `store` points at (the big
/// load's, 1M people in a full run). Needs no simulator: search reads only the mirror.
pub async fn api_search(store: StoreUrl, people: usize, report: &Report) -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let host = Host::open(
        HostPaths {
            data_dir: data.path().to_path_buf(),
            cache_dir: crate::env::workspace_root().join("target/bench-component-cache"),
            store: Some(store),
        },
        None,
    )?;
    // The service builds its search index beside it as it starts; measure once it is built.
    let built = Instant::now();
    host.mirror.catch_up_search_index().await?;
    report.add(
        &format!("Search index brought up to date, {people} people in the mirror"),
        format!("{:.1} s", built.elapsed().as_secs_f64()),
        "report; searches use the store meanwhile",
        "",
        "report",
    );
    let served = Arc::new(Served::start(host).await?);
    let path = format!("/v1/connections/{CONN}/search");
    let queries = Arc::new(searches());
    // Warm the caches a little, as a running service would be.
    for q in queries.iter() {
        served.post(&path, q).await?;
    }
    let run_for = Duration::from_secs(10);
    let (failed, next) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let started = Instant::now();
    let mut clients = Vec::new();
    for _ in 0..CLIENTS {
        let (served, path, queries) = (served.clone(), path.clone(), queries.clone());
        let (failed, next) = (failed.clone(), next.clone());
        clients.push(tokio::spawn(async move {
            let mut took = Vec::new();
            while started.elapsed() < run_for {
                let q = &queries[next.fetch_add(1, Ordering::Relaxed) % queries.len()];
                let t = Instant::now();
                match served.post(&path, q).await {
                    Ok((200, _)) => took.push(t.elapsed()),
                    _ => {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            took
        }));
    }
    let mut took = Vec::new();
    for c in clients {
        took.extend(c.await?);
    }
    let wall = started.elapsed().as_secs_f64();
    took.sort();
    let p95 = quantile_ms(&took, 0.95);
    let failed = failed.load(Ordering::Relaxed);
    report.add(
        &format!("API search under {CLIENTS} clients, {people} people in the mirror"),
        format!(
            "p50 {:.1} ms, p95 {p95:.1} ms, max {:.1} ms ({} searches, {:.0}/s, {failed} failed)",
            quantile_ms(&took, 0.5),
            quantile_ms(&took, 1.0),
            took.len(),
            took.len() as f64 / wall
        ),
        "p95 <= 100 ms, none failed",
        "",
        verdict(p95 <= 100.0 && failed == 0),
    );
    Arc::into_inner(served)
        .ok_or_else(|| anyhow::anyhow!("a client still holds the service"))?
        .stop()
        .await
}

/// A profile to export, new each time (`n` and `nonce` make the email unique).
fn profile(job: &str, nonce: i64, n: usize) -> Value {
    json!({
        "first_name": format!("Api{n}"),
        "last_name": "Exporter",
        "emails": [format!("bench.api.{nonce}.{n}@example.org")],
        "source": "ats-bench",
        "job_id": job,
        "status": "new",
    })
}

/// An open job of the load's mirror.
async fn open_job(env: &Env) -> anyhow::Result<String> {
    let mirror = &*env.host.mirror;
    for id in mirror.ids(CONN, RecordKind::Job).await? {
        if let Some(r) = mirror.record(CONN, RecordKind::Job, &id).await?
            && let AtsRecord::Job(j) = r.record
            && j.state == Some(ats_model::JobState::Open)
        {
            return Ok(j.id);
        }
    }
    anyhow::bail!("no open job in the mirror")
}

/// Export through the API, one at a time: the API's round trip less the time on the wire to
/// the ATS (the simulator's own time is not the host's).
pub async fn api_export(env: &Env, exports: usize, report: &Report) -> anyhow::Result<()> {
    let job = open_job(env).await?;
    let wire = Arc::new(WireTime::default());
    let host = open_host(env.host.paths().data_dir.clone())?.with_request_tap(wire.clone());
    let served = Served::start(host).await?;
    let path = format!("/v1/connections/{CONN}/export");
    let nonce = ats_features::unix_now();
    let (mut overhead, mut total) = (Vec::new(), Vec::new());
    let mut requests = 0;
    let warmup = 5;
    for n in 0..exports + warmup {
        wire.take();
        let t = Instant::now();
        let (status, answer) = served.post(&path, &profile(&job, nonce, n)).await?;
        let elapsed = t.elapsed();
        anyhow::ensure!(status == 200, "export answered {status}: {answer}");
        let (on_wire, sent) = wire.take();
        if n >= warmup {
            requests += sent;
            total.push(elapsed);
            overhead.push(elapsed.saturating_sub(on_wire));
        }
    }
    overhead.sort();
    total.sort();
    let p50 = quantile_ms(&overhead, 0.5);
    report.add(
        "Export through the API, host overhead (person + application)",
        format!(
            "p50 {p50:.2} ms, p95 {:.2} ms (API round trip p50 {:.2} ms; {:.1} ATS requests per export; {} exports)",
            quantile_ms(&overhead, 0.95),
            quantile_ms(&total, 0.5),
            requests as f64 / overhead.len() as f64,
            overhead.len()
        ),
        "<= 10 ms p50",
        "",
        verdict(p50 <= 10.0),
    );
    served.stop().await
}
