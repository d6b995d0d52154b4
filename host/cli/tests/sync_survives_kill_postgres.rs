//! Issue 16: issue 5's kill test with the mirror in PostgreSQL. `ats sync` is killed with
//! SIGKILL at random points and started again; a killed process leaves its stream's lease
//! behind, so a restart within the lease finds the stream busy, and one after it takes the
//! stream over and resumes from the committed cursor. In the end the mirror equals the
//! simulator: no record lost, none doubled.

use ats_mirror::MirrorStore;
use ats_mirror_postgres::PgMirror;
use ats_model::RecordKind;
use icims_sim::{IcimsSim, RecordType, SimConfig};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Short leases, so a killed process's stream is free again within seconds.
const LEASE_SECONDS: &str = "3";

fn component() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/wasm32-wasip2/release/icims_connector.wasm");
    assert!(
        path.is_file(),
        "{} is missing: run `cargo xtask build-plugins` first",
        path.display()
    );
    path
}

fn ats(data: &Path, cache: &Path, url: &str, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ats"));
    command
        .arg("--data-dir")
        .arg(data)
        .arg("--cache-dir")
        .arg(cache)
        .args(["--database", url])
        .args(args)
        .env("ATS_LEASE_SECONDS", LEASE_SECONDS);
    command.stdout(Stdio::null()).stderr(Stdio::piped());
    command
}

/// A small deterministic generator, so a failing run can be replayed.
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_at_random_points_loses_and_doubles_nothing_in_postgres() {
    let mut config = SimConfig {
        latency_ms: 2,
        ..SimConfig::default()
    };
    config.quota.limit = 1_000_000;
    let g = &mut config.customers[0].generator;
    (g.people, g.jobs, g.workflows) = (5_000, 30, 4_000);
    let sim = IcimsSim::start(config).await.unwrap();
    let creds = sim.state().credentials();
    let cid = creds.customer_ids[0];
    let dir = tempfile::tempdir().unwrap();
    let (data, cache) = (dir.path().join("data"), dir.path().join("cache"));
    std::fs::write(dir.path().join("secret"), &creds.client_secret).unwrap();
    let file = dir.path().join("acme.toml");
    std::fs::write(
        &file,
        sim.connection_toml("acme", &component(), cid, "secret", &[]),
    )
    .unwrap();
    let url = ats_test_postgres::database();
    let connect = ats(&data, &cache, &url, &["connect", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        connect.status.success(),
        "{}",
        String::from_utf8_lossy(&connect.stderr)
    );

    let mut random = Lcg(20261202);
    let mut kills = 0;
    for _ in 0..8 {
        let mut child = ats(&data, &cache, &url, &["sync", "acme"]).spawn().unwrap();
        let after = Duration::from_millis(400 + random.below(1_500));
        tokio::time::sleep(after).await;
        if child.try_wait().unwrap().is_some() {
            continue; // ended before the kill (finished, or found its stream busy)
        }
        child.kill().unwrap(); // SIGKILL: no destructor, no lease released
        child.wait().unwrap();
        kills += 1;
    }
    assert!(
        kills >= 3,
        "only {kills} runs were killed mid-sync; make the data set larger"
    );

    // Until the last killed process's leases expire, a sync finds streams busy (exit 3).
    let started = Instant::now();
    let mut busy = 0;
    loop {
        let last = ats(&data, &cache, &url, &["sync", "acme"])
            .output()
            .unwrap();
        match last.status.code() {
            Some(0) => break,
            Some(3) if started.elapsed() < Duration::from_secs(120) => busy += 1,
            _ => panic!("{}\n{}", last.status, String::from_utf8_lossy(&last.stderr)),
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    let mirror = PgMirror::connect(&url).await.unwrap();
    let state = sim.state();
    for (ty, kind) in [
        (RecordType::People, RecordKind::Candidate),
        (RecordType::Jobs, RecordKind::Job),
        (RecordType::Workflows, RecordKind::Application),
    ] {
        let expected: BTreeSet<u64> = state
            .ids(cid, ty)
            .unwrap()
            .into_iter()
            .map(u64::from)
            .collect();
        let ids = mirror.ids("acme", kind).await.unwrap();
        let got: BTreeSet<u64> = ids.iter().map(|i| i.parse().unwrap()).collect();
        assert_eq!(got.len(), ids.len(), "{kind}: an id is doubled");
        assert_eq!(got, expected, "{kind}: records lost or extra");
        let counts = mirror.counts("acme").await.unwrap().get(kind);
        assert_eq!((counts.live, counts.deleted), (expected.len() as u64, 0));
    }
    println!(
        "the PostgreSQL mirror survived {kills} SIGKILLs mid-sync ({busy} syncs found a stream busy)"
    );
}
