//! Issue 16's scale-out figure: 1, 2 and 3 `ats serve` processes (the release binary) share 30
//! connections to 30 simulated customers through one PostgreSQL database (a throwaway server
//! from the distribution's package, a fresh database per run), and the aggregate records/s is
//! compared with one process's.
//!
//! The work is made I/O bound, as a fleet of real customers' ATSs makes it: the simulator
//! answers after a latency, each connection keeps a few requests in flight, and each process
//! runs at most [`MAX_SYNCS`] syncs at once (`ats serve --max-syncs`). A connection waiting for
//! a slot holds no lease, so another process takes it: more processes, more syncs at once. On 2
//! cores without latency the figure would measure the CPU, which a second process cannot add.

use crate::Scale;
use crate::env::{connection_row, plugin_path, workspace_root};
use crate::report::{Report, verdict};
use ats_app::host::{Host, HostPaths, StoreUrl};
use ats_mirror::MirrorStore;
use ats_mirror_postgres::PgMirror;
use ats_model::RecordKind;
use icims_sim::{IcimsSim, SimConfig};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::io::AsyncBufReadExt;
use tokio::process::{Child, Command};

const CONNECTIONS: usize = 30;
/// Syncs one process runs at once.
const MAX_SYNCS: usize = 4;
/// The simulator's latency per request, and the GETs each connection keeps in flight.
const LATENCY_MS: u64 = 100;
const IN_FLIGHT: &str = "4";
const JOBS: u32 = 5;
/// The longest one run may take before the figure gives up.
const RUN_LIMIT: Duration = Duration::from_secs(1_200);

/// The `ats` binary beside this one (`cargo xtask bench` builds both).
fn ats_binary() -> anyhow::Result<PathBuf> {
    let beside = std::env::current_exe()?.with_file_name("ats");
    let binary = if beside.is_file() {
        beside
    } else {
        workspace_root().join("target/release/ats")
    };
    anyhow::ensure!(
        binary.is_file(),
        "the scale-out figure runs `ats serve`, and {} is missing: build it with \
         `cargo build --release --workspace --bin ats` (or run `cargo xtask bench`)",
        binary.display()
    );
    Ok(binary)
}

/// A simulator with [`CONNECTIONS`] customers of `people` people and `workflows` applications.
async fn simulator(people: u32, workflows: u32) -> anyhow::Result<IcimsSim> {
    let mut config = SimConfig::fleet(CONNECTIONS, people, JOBS, workflows);
    config.latency_ms = LATENCY_MS;
    config.quota.enabled = false;
    IcimsSim::start(config).await
}

/// Saves one connection per customer in the database at `url` (what `ats connect` saves).
async fn save_connections(
    sim: &IcimsSim,
    host: &Host,
    dir: &Path,
) -> anyhow::Result<Vec<(String, u64)>> {
    let creds = sim.state().credentials();
    let secret = dir.join("client-secret");
    std::fs::write(&secret, &creds.client_secret)?;
    let plugin_hash = host
        .runtime
        .load_plugin(&plugin_path())?
        .content_hash()
        .to_string();
    let mut conns = Vec::new();
    for (i, cid) in creds.customer_ids.iter().enumerate() {
        let name = format!("customer-{i:02}");
        let mut settings = sim.connector_settings(*cid);
        settings.insert("max-in-flight".into(), IN_FLIGHT.into());
        // Records only: résumé texts are a backfill of their own, not records.
        settings.insert("resume-text".into(), "off".into());
        let row = connection_row(sim, &name, plugin_hash.clone(), settings, &secret);
        host.mirror.upsert_connection(&row).await?;
        conns.push((name, *cid));
    }
    Ok(conns)
}

/// `ats serve` over the database at `url`, started; its stdout's first line gives its address.
async fn serve(ats: &Path, dir: &Path, index: usize, url: &str) -> anyhow::Result<Child> {
    let mut child = Command::new(ats)
        .arg("--data-dir")
        .arg(dir.join(format!("serve-{index}")))
        .arg("--cache-dir")
        .arg(workspace_root().join("target/bench-component-cache"))
        .args(["--database", url, "serve", "--listen", "127.0.0.1:0"])
        .args(["--max-syncs", &MAX_SYNCS.to_string()])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let line = tokio::time::timeout(
        Duration::from_secs(60),
        tokio::io::BufReader::new(stdout).lines().next_line(),
    )
    .await
    .map_err(|_| anyhow::anyhow!("ats serve did not say where it listens within 60 s"))??
    .unwrap_or_default();
    anyhow::ensure!(
        line.starts_with("listening on "),
        "ats serve began with `{line}` instead of its address"
    );
    Ok(child)
}

/// Live candidates, jobs and applications over every connection.
async fn mirrored(mirror: &PgMirror, conns: &[(String, u64)]) -> anyhow::Result<u64> {
    let mut total = 0;
    for (conn, _) in conns {
        total += mirror.counts(conn).await?.live_of(&[
            RecordKind::Candidate,
            RecordKind::Job,
            RecordKind::Application,
        ]);
    }
    Ok(total)
}

/// One run: `processes` servers from a fresh database until every mirror holds its customer's
/// records. Records/s and how many processes sent requests.
async fn run(sim: &IcimsSim, ats: &Path, processes: usize, expected: u64) -> anyhow::Result<f64> {
    let dir = tempfile::tempdir()?;
    let url = ats_test_postgres::database();
    let host = Host::open(
        HostPaths {
            data_dir: dir.path().join("setup"),
            cache_dir: workspace_root().join("target/bench-component-cache"),
            store: Some(StoreUrl::Postgres(url.clone())),
        },
        None,
    )?;
    let conns = save_connections(sim, &host, dir.path()).await?;
    let mirror = PgMirror::connect(&url).await?;
    let started = Instant::now();
    let mut servers = Vec::new();
    for index in 0..processes {
        servers.push(serve(ats, dir.path(), index, &url).await?);
    }
    loop {
        let got = mirrored(&mirror, &conns).await?;
        if got >= expected {
            break;
        }
        anyhow::ensure!(
            started.elapsed() < RUN_LIMIT,
            "{processes} processes mirrored {got} of {expected} records in {RUN_LIMIT:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let seconds = started.elapsed().as_secs_f64();
    for mut server in servers {
        server.start_kill()?;
        server.wait().await?;
    }
    let rate = expected as f64 / seconds;
    println!(
        "    {processes} process(es): {expected} records in {seconds:.1} s ({rate:.0} records/s)"
    );
    Ok(rate)
}

pub async fn scale_out_figure(scale: Scale, report: &Report) -> anyhow::Result<()> {
    let ats = ats_binary()?;
    let (people, workflows) = if scale.big >= 1_000_000 {
        (400, 200)
    } else {
        (100, 50)
    };
    println!(
        "\n## 1, 2, 3 `ats serve` processes over {CONNECTIONS} connections on PostgreSQL \
         ({people} people, {JOBS} jobs, {workflows} applications each; latency {LATENCY_MS} ms, \
         {IN_FLIGHT} in flight per connection, {MAX_SYNCS} syncs per process)"
    );
    let sim = simulator(people, workflows).await?;
    // What the simulator holds (it generates at most one application per person and job).
    let state = sim.state();
    let mut expected = 0u64;
    for cid in state.credentials().customer_ids {
        let counts = state.record_counts(cid)?;
        expected += ["people", "jobs", "applicantworkflows"]
            .iter()
            .map(|k| counts[*k] as u64)
            .sum::<u64>();
    }
    let mut rates = Vec::new();
    for processes in 1..=3 {
        rates.push(run(&sim, &ats, processes, expected).await?);
    }
    let one = rates[0];
    let speedup: Vec<String> = rates
        .iter()
        .enumerate()
        .map(|(i, rate)| format!("{} {rate:.0}/s ({:.2}×)", i + 1, rate / one))
        .collect();
    let three = rates[2] / one;
    report.add(
        &format!("Scale-out: 1, 2, 3 processes over {CONNECTIONS} connections (PostgreSQL, {LATENCY_MS} ms latency)"),
        format!("{}; records/s by processes", speedup.join(", ")),
        "3 processes >= 2.5× one",
        format!("each process runs at most {MAX_SYNCS} syncs; {CONNECTIONS} connections"),
        verdict(three >= 2.5),
    );
    Ok(())
}
