//! Several `ats serve` processes on one PostgreSQL database, with connections to one simulator's
//! customers: starting, killing and checking them.

#![allow(dead_code)]

use crate::cli_support::{ats, component, ok, served_url};
use ats_mirror::MirrorStore;
use ats_model::RecordKind;
use icims_sim::{IcimsSim, LoggedRequest, RecordType, SimConfig};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::process::Child;

/// Short leases, so a killed process's streams are taken over within seconds; not the
/// shortest (3 s), whose one-second heartbeats a loaded 2-core machine can miss: a process
/// whose heartbeat is late stops its stream, but a starved one notices only after the next
/// process has taken it.
pub const LEASE_SECONDS: &str = "10";

/// The record types a connection mirrors, with the mirror's kind.
pub const KINDS: [(RecordType, RecordKind); 3] = [
    (RecordType::People, RecordKind::Candidate),
    (RecordType::Jobs, RecordKind::Job),
    (RecordType::Workflows, RecordKind::Application),
];

/// Makes connection `name` to customer `cid` in the database at `url` with `ats connect`.
pub async fn connect(sim: &IcimsSim, dir: &Path, url: &str, name: &str, cid: u64) {
    let file = dir.join(format!("{name}.toml"));
    std::fs::write(
        &file,
        sim.connection_toml(name, &component(), cid, "secret", &[]),
    )
    .unwrap();
    let data = dir.join("connect");
    ok(ats(
        &data,
        &["--database", url, "connect", file.to_str().unwrap()],
    ))
    .await;
}

/// A simulator with `customers` customers of `people`, 5 jobs and `workflows` each.
pub async fn simulator(customers: usize, people: u32, workflows: u32, latency_ms: u64) -> IcimsSim {
    let mut config = SimConfig::fleet(customers, people, 5, workflows);
    config.latency_ms = latency_ms;
    config.request_log = true;
    config.quota.limit = 1_000_000;
    IcimsSim::start(config).await.unwrap()
}

/// One `ats serve` process.
pub struct Server {
    pub url: String,
    pub child: Child,
}

impl Server {
    /// Starts `ats serve` on a free port over the database at `url`, with its own data folder.
    pub async fn start(dir: &Path, index: usize, url: &str, extra: &[&str]) -> Server {
        let data: PathBuf = dir.join(format!("serve-{index}"));
        let mut args = vec!["--database", url, "serve", "--listen", "127.0.0.1:0"];
        args.extend_from_slice(extra);
        let mut command = ats(&data, &args);
        command
            .env("ATS_LEASE_SECONDS", LEASE_SECONDS)
            .env("RUST_LOG", "warn")
            .stderr(Stdio::inherit());
        let mut child = command.spawn().unwrap();
        let url = served_url(&mut child, Duration::from_secs(120)).await;
        Server { url, child }
    }

    /// SIGKILL: no destructor runs, no lease or claim is released.
    pub async fn kill(&mut self) {
        self.child.start_kill().unwrap();
        self.child.wait().await.unwrap();
    }
}

/// How far each connection's mirror is from its customer in the simulator: the records missing
/// or extra, by connection and kind (empty when every mirror equals its customer). Panics on a
/// doubled record.
pub async fn differences(
    sim: &IcimsSim,
    mirror: &dyn MirrorStore,
    conns: &[(String, u64)],
) -> BTreeMap<String, usize> {
    let state = sim.state();
    let mut off = BTreeMap::new();
    for (conn, cid) in conns {
        for (ty, kind) in KINDS {
            let expected: BTreeSet<u64> = state
                .ids(*cid, ty)
                .unwrap()
                .into_iter()
                .map(u64::from)
                .collect();
            // The ids and the count are two reads while a sync may still write: compare them
            // only when the count did not move around the ids' read.
            let before = mirror.counts(conn).await.unwrap().get(kind);
            let ids = mirror.ids(conn, kind).await.unwrap();
            let after = mirror.counts(conn).await.unwrap().get(kind);
            let got: BTreeSet<u64> = ids.iter().map(|i| i.parse().unwrap()).collect();
            assert_eq!(got.len(), ids.len(), "{conn} {kind}: an id is doubled");
            if before == after {
                assert_eq!(after.live, ids.len() as u64, "{conn} {kind}: doubled rows");
            }
            let apart = got.symmetric_difference(&expected).count();
            if apart > 0 {
                off.insert(format!("{conn} {kind}"), apart);
            }
        }
    }
    off
}

/// Waits until every mirror equals its customer, or panics after `limit` with what differs.
pub async fn wait_until_equal(
    sim: &IcimsSim,
    mirror: &dyn MirrorStore,
    conns: &[(String, u64)],
    limit: Duration,
) {
    let started = Instant::now();
    loop {
        let off = differences(sim, mirror, conns).await;
        if off.is_empty() {
            return;
        }
        assert!(
            started.elapsed() < limit,
            "after {limit:?} the mirrors still differ from the simulator: {off:?}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// Two requests for one record type of one customer, from different processes (callers), that
/// were in flight at the same time: proof that two processes worked on one stream at once.
pub fn overlapping_callers(log: &[LoggedRequest], record_type: &str) -> Option<String> {
    let mut requests: Vec<&LoggedRequest> = log
        .iter()
        .filter(|r| r.endpoint.ends_with(&format!(".{record_type}")))
        .filter(|r| r.endpoint.starts_with("search.") || r.endpoint.starts_with("get."))
        .collect();
    requests.sort_by_key(|r| r.started_us);
    // Sweep in start order, keeping the latest end seen per caller.
    let mut latest_end: BTreeMap<u64, u64> = BTreeMap::new();
    for r in requests {
        for (caller, end) in &latest_end {
            if *caller != r.caller && *end > r.started_us {
                // The customer's requests around it, to see what the two processes were doing.
                let around: String = log
                    .iter()
                    .filter(|x| x.started_us.abs_diff(r.started_us) < 300_000)
                    .take(40)
                    .map(|x| {
                        format!(
                            "\n  {:x} {} {}..{}",
                            x.caller, x.endpoint, x.started_us, x.ended_us
                        )
                    })
                    .collect();
                return Some(format!(
                    "{} from caller {:x} started at {} µs while caller {caller:x} had a request of the same type in flight until {end} µs; around it:{around}",
                    r.endpoint, r.caller, r.started_us
                ));
            }
        }
        let end = latest_end.entry(r.caller).or_default();
        *end = (*end).max(r.ended_us);
    }
    None
}

/// How many distinct processes (callers) sent the requests of `log`.
pub fn callers(log: &[LoggedRequest]) -> usize {
    log.iter().map(|r| r.caller).collect::<BTreeSet<_>>().len()
}
