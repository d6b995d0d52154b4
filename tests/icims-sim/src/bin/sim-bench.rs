//! `sim-bench`: requests per second of the simulator itself (1M people, no quota, no latency)
//! for a person GET with a typical `fields=` list and for `id >` paged people searches.
//! It reports; it does not assert. Run with `--release`.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use icims_sim::{IcimsSim, SimConfig};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const CONCURRENCY: usize = 32;
const RUN_FOR: Duration = Duration::from_secs(4);

type HttpClient = Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>;

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let people: u32 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let mut cfg = SimConfig::default();
    cfg.quota.enabled = false;
    let c = &mut cfg.customers[0];
    c.generator.people = people;
    c.generator.jobs = 2_000;
    c.generator.workflows = people;
    c.generator.companies = 50;
    let t0 = Instant::now();
    let sim = IcimsSim::start(cfg).await?;
    println!("generated {people} people in {:.2?}", t0.elapsed());
    let base = sim.api_base_url();
    let auth = format!(
        "Basic {}",
        base64_basic(
            &sim.state().credentials().username,
            &sim.state().credentials().password
        )
    );
    let client: HttpClient = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(CONCURRENCY)
        .build_http();

    let fields = "firstname,middlename,lastname,email,phones,addresses,folder,source,sourcename,field50527,field51027,updateddate";
    let b = base.clone();
    let rps = run(&client, &auth, move |i| {
        let base = &b;
        let id = 1 + (i.wrapping_mul(2_654_435_761) % people as u64);
        (
            http::Method::GET,
            format!("{base}/customers/1234/people/{id}?fields={fields}"),
            Bytes::new(),
        )
    })
    .await;
    println!("GET person (fields=…):          {rps:>10.0} req/s");

    let b = base.clone();
    let rps = run(&client, &auth, move |i| {
        let base = &b;
        let after = (i * 1000) % people as u64;
        let body = format!(
            r#"{{"filters":[{{"name":"person.updateddate","value":["2000-01-01"]}},{{"name":"person.id","value":["{after}"],"operator":">"}}]}}"#
        );
        (
            http::Method::POST,
            format!("{base}/customers/1234/search/people?staleness=0"),
            Bytes::from(body),
        )
    })
    .await;
    println!("search people (id > paging):    {rps:>10.0} req/s (1,000 ids each)");
    sim.shutdown().await;
    Ok(())
}

async fn run(
    client: &HttpClient,
    auth: &str,
    make: impl Fn(u64) -> (http::Method, String, Bytes) + Send + Sync + 'static,
) -> f64 {
    let make = Arc::new(make);
    let next = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + RUN_FOR;
    let mut workers = Vec::new();
    for _ in 0..CONCURRENCY {
        let (client, auth, make, next, done) = (
            client.clone(),
            auth.to_string(),
            make.clone(),
            next.clone(),
            done.clone(),
        );
        workers.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                let (method, url, body) = make(next.fetch_add(1, Ordering::Relaxed));
                let Ok(req) = http::Request::builder()
                    .method(method)
                    .uri(url)
                    .header("authorization", &auth)
                    .header("content-type", "application/json")
                    .body(Full::new(body))
                else {
                    continue;
                };
                if let Ok(resp) = client.request(req).await {
                    let ok = resp.status().is_success();
                    if resp.into_body().collect().await.is_ok() && ok {
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    let start = Instant::now();
    for w in workers {
        let _ = w.await;
    }
    done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64()
}

fn base64_basic(user: &str, pass: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
}
