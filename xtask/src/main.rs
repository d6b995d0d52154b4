//! `cargo xtask <task>`: the project's build steps in Rust, so a fresh machine needs only
//! rustup and cargo.
//!
//! Guest components are built by one explicit step (`build-plugins`) rather than a nested
//! `cargo build` inside a `build.rs`: a nested build would deadlock on cargo's build-directory
//! lock, rebuild on every test run and hide its output (wasmCloud's fixtures README makes the
//! same point).

mod apt;
mod chromium;
mod demo;
mod demo_service;
mod plugins;
mod postgres;
mod process;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "Build, demo and test the ATS connector runtime")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Install the wasm32-wasip2 target if needed and build every guest component (release).
    BuildPlugins,
    /// The main job on the embedded default: a local iCIMS simulator, the host syncing it.
    Demo {
        /// People the simulator generates.
        #[arg(long, default_value_t = 2_500)]
        people: u32,
        /// Simulated latency per request, in milliseconds.
        #[arg(long, default_value_t = 0)]
        latency_ms: u64,
    },
    /// Everything CI checks: formatting, clippy (native and wasm), guest build, all tests.
    Test,
    /// The benchmarks, printing figures (flags after `--` go to `ats-bench`, e.g. `--quick`).
    Bench {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

fn main() -> std::process::ExitCode {
    let result = match Cli::parse().task {
        Task::BuildPlugins => plugins::build(),
        Task::Demo { people, latency_ms } => demo::run(people, latency_ms),
        Task::Test => test(),
        Task::Bench { args } => bench(&args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn test() -> Result<()> {
    // Cheapest check first: formatting fails in seconds, before any build.
    process::cargo(&["fmt", "--all", "--check"])?;
    plugins::build()?;
    postgres::ensure_installed()?;
    process::cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ])?;
    let mut wasm_clippy = vec!["clippy", "--target", plugins::TARGET];
    for p in plugins::GUESTS {
        wasm_clippy.extend(["-p", p]);
    }
    wasm_clippy.extend(["--", "-D", "warnings"]);
    process::cargo(&wasm_clippy)?;
    chromium::ensure()?;
    process::cargo(&["test", "--workspace", "--no-fail-fast"])
}

fn bench(args: &[String]) -> Result<()> {
    plugins::build()?;
    // `ats` too: the scale-out figure runs `ats serve` processes.
    process::cargo(&[
        "build",
        "--release",
        "--workspace",
        "--bin",
        "ats",
        "--bin",
        "ats-bench",
    ])?;
    let mut bench =
        std::process::Command::new(process::workspace_root().join("target/release/ats-bench"));
    bench.current_dir(process::workspace_root()).args(args);
    process::run(bench)
}
