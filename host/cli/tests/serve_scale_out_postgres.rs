//! Issue 16's acceptance: several `ats serve` processes share the work through one PostgreSQL
//! database, with the real component and the simulator over loopback.
//!
//! - Three processes, twenty connections to twenty simulated customers, one process killed with
//!   SIGKILL mid-load: every mirror ends equal to its customer (nothing lost, nothing doubled),
//!   and the simulator's request log shows no two processes ever reading one customer's record
//!   type at the same time (no stream ran in two processes at once).
//! - Work asked of one process (a "sync now") is done by another when the first dies holding it,
//!   and work queued by any process (an event's re-read) is found and done by a running one.
//! - Three processes on one connection with a small quota never spend more than the budget
//!   together, and the simulator never answers "quota exceeded".

mod cli_support;
mod serve_scale_out_support;

use ats_mirror::{MirrorStore, Work, WorkQueue};
use ats_mirror_postgres::PgMirror;
use ats_model::{AtsRecord, RecordKind};
use ats_sync::Lane;
use cli_support::{ats, ok};
use icims_sim::{IcimsSim, RecordType, SimConfig};
use serve_scale_out_support::{
    KINDS, Server, callers, connect, differences, overlapping_callers, simulator, wait_until_equal,
};
use std::time::{Duration, Instant};

/// Live records of every kind, over all connections.
async fn mirrored(mirror: &PgMirror, conns: &[(String, u64)]) -> u64 {
    let mut total = 0;
    for (conn, _) in conns {
        total += mirror
            .counts(conn)
            .await
            .unwrap()
            .live_of(&KINDS.map(|(_, k)| k));
    }
    total
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_processes_share_twenty_connections_and_a_kill_loses_and_doubles_nothing() {
    const CONNECTIONS: usize = 20;
    let sim = simulator(CONNECTIONS, 300, 200, 5).await;
    let creds = sim.state().credentials();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret"), &creds.client_secret).unwrap();
    let url = ats_test_postgres::database();
    let conns: Vec<(String, u64)> = creds
        .customer_ids
        .iter()
        .enumerate()
        .map(|(i, cid)| (format!("customer-{i:02}"), *cid))
        .collect();
    for (name, cid) in &conns {
        connect(&sim, dir.path(), &url, name, *cid).await;
    }
    // What `ats connect` sent (its own process, its own token) stays out of the count below.
    let before: Vec<usize> = conns
        .iter()
        .map(|(_, cid)| sim.state().request_log(*cid).len())
        .collect();

    let mut servers = Vec::new();
    for i in 0..3 {
        servers.push(Server::start(dir.path(), i, &url, &[]).await);
    }
    let mirror = PgMirror::connect(&url).await.unwrap();
    let total = (CONNECTIONS * (300 + 5 + 200)) as u64;
    let started = Instant::now();
    while mirrored(&mirror, &conns).await < total / 3 {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "the processes load nothing"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    servers[0].kill().await;
    let missing = differences(&sim, &mirror, &conns).await;
    assert!(
        !missing.is_empty(),
        "the load ended before the kill; make the data set larger"
    );

    wait_until_equal(&sim, &mirror, &conns, Duration::from_secs(600)).await;

    let mut taken_over = 0;
    for ((conn, cid), before) in conns.iter().zip(before) {
        let log = sim.state().request_log(*cid);
        for ty in ["people", "jobs", "applicantworkflows"] {
            if let Some(overlap) = overlapping_callers(&log, ty) {
                panic!("{conn}: two processes read {ty} at once: {overlap}");
            }
        }
        if callers(&log[before..]) > 1 {
            taken_over += 1;
        }
    }
    println!(
        "{CONNECTIONS} connections mirrored by 3 processes in {:.1} s, one killed mid-load; {taken_over} connections were served by more than one process",
        started.elapsed().as_secs_f64()
    );
    assert!(
        taken_over >= 1,
        "no connection was served by two processes: the killed one held nothing"
    );
}

/// A POST with a bearer token to one of the servers; the status and the body.
async fn post(server: &Server, path: &str, token: &str, body: &str) -> (u16, String) {
    use http_body_util::{BodyExt, Full};
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http();
    let request = http::Request::post(format!("{}{path}", server.url))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Full::new(bytes::Bytes::from(body.to_string())))
        .unwrap();
    let answer = client.request(request).await.unwrap();
    let status = answer.status().as_u16();
    let body = answer.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn asked_work_outlives_the_process_that_took_it_and_any_process_finds_queued_work() {
    let sim = simulator(1, 3_000, 40, 5).await;
    let creds = sim.state().credentials();
    let cid = creds.customer_ids[0];
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret"), &creds.client_secret).unwrap();
    let url = ats_test_postgres::database();
    connect(&sim, dir.path(), &url, "acme", cid).await;
    let token = ok(ats(
        &dir.path().join("connect"),
        &["--database", &url, "token", "create", "--tenant", "default"],
    ))
    .await
    .trim()
    .to_string();
    // No scheduler: only asked work runs, so what the second process does it was asked.
    let mut first = Server::start(dir.path(), 0, &url, &["--no-scheduler"]).await;
    let second = Server::start(dir.path(), 1, &url, &["--no-scheduler"]).await;
    let conns = [("acme".to_string(), cid)];
    let mirror = PgMirror::connect(&url).await.unwrap();

    let (status, body) = post(
        &first,
        "/v1/connections/acme/sync",
        &token,
        r#"{"full": true}"#,
    )
    .await;
    assert_eq!(status, 202, "{body}");
    let started = Instant::now();
    while mirrored(&mirror, &conns).await == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the asked sync never started"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let log_at_kill = sim.state().request_log(cid).len();
    first.kill().await;
    assert!(
        !differences(&sim, &mirror, &conns).await.is_empty(),
        "the sync ended before the kill; make the data set larger"
    );
    // The second process takes the sync over once the first one's claim expires.
    wait_until_equal(&sim, &mirror, &conns, Duration::from_secs(300)).await;
    let log = sim.state().request_log(cid);
    assert!(
        callers(&log[log_at_kill..]) >= 1 && log.len() > log_at_kill,
        "nobody finished the sync after the kill"
    );
    assert!(overlapping_callers(&log, "people").is_none());

    // Work queued by another process (here, the test itself, as the first process would when
    // an event reached it): the second process finds it and does exactly that.
    let workflow = sim.state().ids(cid, RecordType::Workflows).unwrap()[0];
    let current = sim
        .state()
        .snapshot(cid, RecordType::Workflows, workflow.into())
        .unwrap()["status"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let changed = ["C12295", "C2028"]
        .into_iter()
        .find(|c| *c != current)
        .unwrap();
    sim.state()
        .set_workflow_status(cid, workflow.into(), changed)
        .unwrap();
    let gets_before = sim.state().counters().by_endpoint["get.applicantworkflows"];
    let work = Work::Reread {
        kind: RecordKind::Application,
        id: workflow.to_string(),
    };
    assert!(
        mirror
            .enqueue_work("acme", &work, ats_sync::meter::now())
            .await
            .unwrap()
    );
    let started = Instant::now();
    loop {
        let stored = mirror
            .record("acme", RecordKind::Application, &workflow.to_string())
            .await
            .unwrap()
            .unwrap();
        let status = match stored.record {
            AtsRecord::Application(a) => a.status.map(|s| s.id),
            _ => None,
        };
        if status.as_deref() == Some(changed) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the queued re-read was not done"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let gets = sim.state().counters().by_endpoint["get.applicantworkflows"] - gets_before;
    assert_eq!(gets, 1, "one targeted read, nothing else");
    assert!(
        mirror
            .connections_with_work(ats_sync::meter::now() + 3_600)
            .await
            .unwrap()
            .is_empty(),
        "the queue is empty once the work is done"
    );
    drop(second);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_processes_on_one_connection_never_overrun_a_small_quota() {
    const QUOTA: u64 = 400;
    let mut config = SimConfig {
        latency_ms: 10,
        ..SimConfig::default()
    };
    config.quota.limit = QUOTA;
    // A day that began a minute ago on the simulator's clock: the window cannot reset mid-test.
    let now = ats_sync::meter::now();
    config.clock.start_unix = Some(now - now.rem_euclid(86_400) + 60);
    let g = &mut config.customers[0].generator;
    (g.people, g.jobs, g.workflows) = (800, 3, 100);
    let sim = IcimsSim::start(config).await.unwrap();
    let state = sim.state();
    let creds = state.credentials();
    let cid = creds.customer_ids[0];
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret"), &creds.client_secret).unwrap();
    let url = ats_test_postgres::database();
    connect(&sim, dir.path(), &url, "acme", cid).await;
    let by_connect = state.quota(cid).unwrap().used;

    // Small pages, so that pages commit before the budget is spent.
    let mut servers = Vec::new();
    for i in 0..3 {
        servers.push(Server::start(dir.path(), i, &url, &["--page-size", "50"]).await);
    }
    // The load needs more than the quota: it pauses at the budget. Wait until nothing more is
    // spent for a while.
    let started = Instant::now();
    let (mut last, mut still_since) = (0, Instant::now());
    loop {
        let used = state.quota(cid).unwrap().used;
        if used != last {
            (last, still_since) = (used, Instant::now());
        } else if used > 0 && still_since.elapsed() > Duration::from_secs(8) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "the spending never settled"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let quota = state.quota(cid).unwrap();
    let received = state.counters().by_customer[&cid.to_string()];
    println!("3 processes on one connection: {received} requests received, quota {QUOTA}");
    assert_eq!(
        quota.refused_total, 0,
        "the simulator answered quota exceeded"
    );
    assert!(
        received <= QUOTA,
        "{received} requests for a quota of {QUOTA}"
    );
    let mirror = PgMirror::connect(&url).await.unwrap();
    let people = mirror
        .counts("acme")
        .await
        .unwrap()
        .get(RecordKind::Candidate)
        .live;
    assert!(people > 0, "the processes mirrored nobody");
    // Each request was charged to its lane: the syncs' to theirs, and nothing but the connection
    // check of `ats connect` to the interactive lane (whose reserve is for people waiting).
    let ledger = tokio::task::spawn_blocking(move || {
        use ats_mirror::LedgerStore;
        mirror
            .ledger("acme")
            .unwrap()
            .expect("a ledger in the database")
    })
    .await
    .unwrap();
    let ledger = ats_sync::meter::decode_ledger(&ledger).expect("a ledger");
    let spent: Vec<(Lane, u64)> = Lane::ALL.iter().map(|&l| (l, ledger.spent(l))).collect();
    println!("spent by lane: {spent:?}");
    assert!(
        ledger.spent(Lane::Interactive) <= by_connect,
        "sync requests were charged to the interactive lane: {spent:?}"
    );
    assert!(ledger.spent(Lane::Backfill) > 0, "{spent:?}");
    for server in &mut servers {
        assert!(
            server.child.try_wait().unwrap().is_none(),
            "a process stopped on its own"
        );
    }
}
