//! Issue 5: the `ats` process is killed with SIGKILL at random points of a large sync and
//! restarted; in the end the mirror equals the simulator: no record lost, none doubled.

use ats_mirror::MirrorStore;
use ats_mirror_sqlite::SqliteMirror;
use ats_model::RecordKind;
use icims_sim::{IcimsSim, RecordType, SimConfig};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

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

fn ats(data: &Path, cache: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ats"));
    command
        .arg("--data-dir")
        .arg(data)
        .arg("--cache-dir")
        .arg(cache)
        .args(args);
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
async fn sigkill_at_random_points_loses_and_doubles_nothing() {
    // A little latency so a sync lasts long enough to be killed; quota far above the load.
    let mut config = SimConfig {
        latency_ms: 2,
        ..SimConfig::default()
    };
    config.quota.limit = 1_000_000;
    let g = &mut config.customers[0].generator;
    (g.people, g.jobs, g.workflows) = (12_000, 40, 9_000);
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
    let connect = ats(&data, &cache, &["connect", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        connect.status.success(),
        "{}",
        String::from_utf8_lossy(&connect.stderr)
    );

    let mut random = Lcg(20261126);
    let mut kills = 0;
    for _ in 0..10 {
        let mut child = ats(&data, &cache, &["sync", "acme"]).spawn().unwrap();
        let after = Duration::from_millis(250 + random.below(1_000));
        tokio::time::sleep(after).await;
        if child.try_wait().unwrap().is_some() {
            continue; // finished before the kill: nothing to test this round
        }
        child.kill().unwrap(); // SIGKILL: no destructor, no flush, no goodbye
        child.wait().unwrap();
        kills += 1;
    }
    assert!(
        kills >= 4,
        "only {kills} runs were killed mid-sync; make the data set larger"
    );

    let last = ats(&data, &cache, &["sync", "acme"])
        .stdout(Stdio::piped())
        .output()
        .unwrap();
    assert!(
        last.status.success(),
        "{}\n{}\n{}",
        last.status,
        String::from_utf8_lossy(&last.stdout),
        String::from_utf8_lossy(&last.stderr)
    );

    let mirror = SqliteMirror::open(data.join("mirror.sqlite")).unwrap();
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
    println!("the mirror survived {kills} SIGKILLs mid-sync");
}
