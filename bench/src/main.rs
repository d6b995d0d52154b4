//! `ats-bench`: the benchmark figures of the connector runtime, each printed beside its target
//! (and its baseline where one is named). Benchmarks report; they do not assert.
//!
//! Run with `cargo xtask bench` (builds the component first), `-- --quick` for a smaller run,
//! `-- --only <figure>` (repeatable) for some figures. See the README's "Benchmarks" section.

mod cpu;
mod env;
mod figures;
mod fit_quality;
mod mem;
mod native_icims;
mod native_mapping;
mod postgres;
mod report;
mod scale_out;
mod service;
mod service_load;
mod wire_time;

use clap::Parser;
use std::time::Instant;

/// Figures `--only` accepts.
pub const FIGURES: &[&str] = &[
    "calls",
    "throughput",
    "latency",
    "plugin-tax",
    "incremental",
    "export",
    "rediscovery",
    "fit",
    "tenants",
    "memory",
    "sim",
    "api-search",
    "api-export",
    "events",
    "api-load",
    "postgres",
    "scale-out",
    "pg-rediscovery",
];

#[derive(Parser, Debug)]
#[command(about = "Benchmarks of the ATS connector runtime (prints figures; asserts nothing)")]
pub struct Args {
    /// A smaller run (about a tenth of every data set) to check the harness.
    #[arg(long)]
    pub quick: bool,
    /// Run only these figures (repeatable): calls, throughput, latency, plugin-tax,
    /// incremental, export, rediscovery, fit, tenants, memory, sim, and the service's
    /// api-search, api-export, events, api-load; PostgreSQL's postgres, pg-rediscovery, scale-out.
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(FIGURES))]
    pub only: Vec<String>,
    /// Copy the big load's mirror (SQLite file) here, to re-run the rediscovery figure on it
    /// later with `--mirror`.
    #[arg(long, value_name = "FILE")]
    pub keep_mirror: Option<std::path::PathBuf>,
    /// Run only the rediscovery figure, on a mirror kept by `--keep-mirror` (no load).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["only", "keep_mirror"])]
    pub mirror: Option<std::path::PathBuf>,
    /// Load pg-rediscovery's mirror into this (empty) PostgreSQL database instead of a
    /// throwaway one, and leave it there, to re-run the queries on it later with `--pg-mirror`.
    #[arg(long, value_name = "URL")]
    pub keep_pg: Option<String>,
    /// Run only the rediscovery figure, on a PostgreSQL mirror kept by `--keep-pg` (no load).
    #[arg(long, value_name = "URL", conflicts_with_all = ["only", "keep_pg", "mirror"])]
    pub pg_mirror: Option<String>,
}

impl Args {
    pub fn wants(&self, figure: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|f| f == figure)
    }
}

/// Data set sizes of a run.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    /// People (and applications) of the calls-per-record / plugin-tax / incremental load.
    pub load: u32,
    pub jobs: u32,
    /// People of the big load (throughput, peak memory, rediscovery).
    pub big: u32,
    /// Applications in the big data set.
    pub big_workflows: u32,
    /// People read through 100 ms simulated latency.
    pub latency_people: u32,
    pub tenants: usize,
    pub exports: usize,
    /// People, jobs and applications of the ranking-by-fit figures.
    pub fit_people: u32,
    pub fit_jobs: u32,
    pub fit_workflows: u32,
}

impl Scale {
    fn new(quick: bool) -> Scale {
        if quick {
            Scale {
                load: 10_000,
                jobs: 500,
                big: 100_000,
                big_workflows: 10_000,
                latency_people: 2_000,
                tenants: 200,
                exports: 40,
                fit_people: 20_000,
                fit_jobs: 20,
                fit_workflows: 12_000,
            }
        } else {
            Scale {
                load: 100_000,
                jobs: 2_000,
                big: 1_000_000,
                big_workflows: 100_000,
                latency_people: 20_000,
                tenants: 1_000,
                exports: 200,
                fit_people: 100_000,
                fit_jobs: 40,
                fit_workflows: 60_000,
            }
        }
    }
}

fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_default();
    format!(
        "nproc {cpus} ({model}), memory {:.1} GiB, load average at start {load}",
        mem::mem_total() as f64 / (1u64 << 30) as f64
    )
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    // Silent unless asked: `RUST_LOG=ats_sync=debug` shows each page's read and write times.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let scale = Scale::new(args.quick);
    let plugin = env::plugin_path();
    anyhow::ensure!(
        plugin.is_file(),
        "{} is missing: run `cargo xtask build-plugins` (or use `cargo xtask bench`)",
        plugin.display()
    );
    println!(
        "# ats-bench ({})",
        if args.quick { "quick" } else { "full" }
    );
    println!("machine: {}", machine());
    println!("scale: {scale:?}");
    let started = Instant::now();
    let report = report::Report::default();
    figures::run_all(&args, scale, &report).await?;
    println!(
        "\n## Figures ({}; {:.0} s; {})\n",
        if args.quick { "quick run" } else { "full run" },
        started.elapsed().as_secs_f64(),
        machine()
    );
    print!("{}", report.table());
    Ok(())
}
