//! `ats serve --max-syncs N`: one process runs at most N syncs at once, and the connections
//! beyond wait their turn (on one process, as here) or go to another process sharing the
//! database (the scale-out benchmark measures that). Real binary, component and simulator.

mod cli_support;
mod serve_scale_out_support;

use ats_mirror_sqlite::SqliteMirror;
use icims_sim::LoggedRequest;
use serve_scale_out_support::{Server, connect, simulator, wait_until_equal};
use std::time::Duration;

/// The first moment two customers had a record request in flight at once, described.
fn two_customers_at_once(logs: &[(u64, Vec<LoggedRequest>)]) -> Option<String> {
    let mut requests: Vec<(u64, &LoggedRequest)> = logs
        .iter()
        .flat_map(|(cid, log)| log.iter().map(move |r| (*cid, r)))
        .filter(|(_, r)| r.endpoint.starts_with("search.") || r.endpoint.starts_with("get."))
        .collect();
    requests.sort_by_key(|(_, r)| r.started_us);
    let mut busy_until: Vec<(u64, u64)> = Vec::new(); // (customer, latest end)
    for (cid, r) in requests {
        if let Some((other, end)) = busy_until
            .iter()
            .find(|(c, end)| *c != cid && *end > r.started_us)
        {
            return Some(format!(
                "customer {cid}'s {} started at {} µs while customer {other} had one in flight until {end} µs",
                r.endpoint, r.started_us
            ));
        }
        match busy_until.iter_mut().find(|(c, _)| *c == cid) {
            Some((_, end)) => *end = (*end).max(r.ended_us),
            None => busy_until.push((cid, r.ended_us)),
        }
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_sync_slot_runs_the_connections_one_after_another_and_all_of_them() {
    let sim = simulator(3, 120, 60, 2).await;
    let creds = sim.state().credentials();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret"), &creds.client_secret).unwrap();
    let file = dir.path().join("mirror.sqlite");
    let url = format!("sqlite:{}", file.display());
    let conns: Vec<(String, u64)> = creds
        .customer_ids
        .iter()
        .enumerate()
        .map(|(i, cid)| (format!("customer-{i}"), *cid))
        .collect();
    for (name, cid) in &conns {
        connect(&sim, dir.path(), &url, name, *cid).await;
    }
    let mut server = Server::start(dir.path(), 0, &url, &["--max-syncs", "1"]).await;
    let mirror = SqliteMirror::open(&file).unwrap();
    wait_until_equal(&sim, &mirror, &conns, Duration::from_secs(300)).await;
    server.kill().await;

    let state = sim.state();
    let logs: Vec<(u64, Vec<LoggedRequest>)> = conns
        .iter()
        .map(|(_, cid)| (*cid, state.request_log(*cid)))
        .collect();
    assert!(logs.iter().all(|(_, log)| !log.is_empty()));
    if let Some(overlap) = two_customers_at_once(&logs) {
        panic!("with one sync slot, two connections synced at once: {overlap}");
    }
}

#[tokio::test]
async fn a_sync_slot_count_of_zero_is_refused_with_the_flag_named() {
    let dir = tempfile::tempdir().unwrap();
    let out = cli_support::ats(dir.path(), &["serve", "--max-syncs", "0"])
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("--max-syncs"), "{said}");
}
