//! The `ats` command: argument parsing, dispatch and human output over the [`ats_app`] library.
//! Each command lives in its own module with its arguments and its output; what a command does
//! is a function of `ats_app` (or `ats_features`), which the service calls too.
//!
//! Errors print as one line on stderr (`error: …`) with exit code 1; `check` exits 2 when a
//! permission is missing.

mod check;
mod conformance;
mod connect;
mod describe;
mod display;
mod duplicates;
mod export;
mod feature_output;
mod move_application;
mod progress;
mod rediscover;
mod refresh;
mod reject;
mod reply;
mod review;
mod run;
mod runs;
mod search;
mod serve;
mod shown;
mod status;
mod sync;
mod token;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Runs ATS connectors: describe, check and sync connections to applicant tracking systems.
#[derive(Debug, Parser)]
#[command(name = "ats", version, about)]
pub struct Cli {
    /// Where compiled plugins are cached [default: $XDG_CACHE_HOME/ats or ~/.cache/ats].
    #[arg(long, global = true, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Where the host keeps its data (mirror, plugin storage).
    #[arg(long, global = true, value_name = "DIR", default_value = ".ats")]
    pub data_dir: PathBuf,
    /// The mirror's store: `sqlite:PATH`, or a PostgreSQL database shared by several hosts
    /// (`postgres://USER@HOST:PORT/DATABASE`; also read from ATS_DATABASE_URL)
    /// [default: mirror.sqlite in the data folder].
    #[arg(
        long,
        visible_alias = "database",
        global = true,
        value_name = "URL",
        env = "ATS_STORE",
        hide_env_values = true
    )]
    pub store: Option<ats_app::host::StoreUrl>,
    /// Longest one plugin call may take, wall clock, HTTP waits included (a call that runs guest
    /// code is also bounded by its connection's `call_cpu_seconds`).
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 600)]
    pub call_timeout: u64,
    /// More logs (-v: debug, -vv: trace). `RUST_LOG` overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print what a plugin is: settings, authentication, hosts, permissions, streams, writes.
    Describe(describe::Args),
    /// Check a connection's credentials and every permission its plugin needs.
    Check(check::Args),
    /// Run a plugin through the contract's invariants and print a pass/fail table.
    Conformance(conformance::Args),
    /// Check a connection file and save the connection for sync, status and run.
    Connect(connect::Args),
    /// Sync a saved connection into the local mirror now.
    Sync(sync::Args),
    /// Show each connection's and stream's state, the mirror's counts and the request quota.
    Status(status::Args),
    /// Show a connection's run log: each sync run, newest first, with what it wrote.
    Runs(runs::Args),
    /// Run the scheduler in the foreground: every stream when due, within the quota.
    Run(run::Args),
    /// Export a platform profile to the ATS: find or create the person, resume, application.
    Export(export::Args),
    /// A candidate replied to an email: create the sender if unknown, else add what is new.
    Reply(reply::Args),
    /// Rank a job's applicants from the mirror, with each score explained.
    Review(review::Args),
    /// Search the mirror's people by text, status, stage, job, source and dates.
    Search(search::Args),
    /// Rank the people who did not apply to a job by how well they fit it, with the search's
    /// filters and each score explained.
    Rediscover(rediscover::Args),
    /// Push a profile's new or changed fields to an ATS person (never erases).
    Refresh(refresh::Args),
    /// Move an application to a stage or status.
    Move(move_application::Args),
    /// Reject an application, keeping the reason in the mirror.
    Reject(reject::Args),
    /// Find duplicate people in the mirror and link them (never merged in the ATS).
    Duplicates(duplicates::Args),
    /// Run the host as a service: the tenant-scoped JSON API and every connection's syncs.
    Serve(serve::Args),
    /// Make, list and revoke the service's API tokens.
    Token(token::Args),
}

impl Cli {
    /// The compile cache folder to use.
    pub fn cache_dir(&self) -> PathBuf {
        self.cache_dir
            .clone()
            .unwrap_or_else(ats_runtime::RuntimeConfig::default_cache_dir)
    }

    /// The runtime configuration for this invocation.
    pub fn runtime_config(&self) -> ats_runtime::RuntimeConfig {
        let mut config = ats_runtime::RuntimeConfig::new(self.cache_dir());
        config.call_timeout = std::time::Duration::from_secs(self.call_timeout.max(1));
        config
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => return fail(&anyhow::anyhow!("cannot start the async runtime: {e}")),
    };
    match runtime.block_on(run(&cli)) {
        Ok(code) => code,
        Err(error) => fail(&error),
    }
}

/// Dispatches one command.
pub async fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Describe(args) => describe::run(cli, args).await,
        Command::Check(args) => check::run(cli, args).await,
        Command::Conformance(args) => conformance::run(cli, args).await,
        Command::Connect(args) => connect::run(cli, args).await,
        Command::Sync(args) => sync::run(cli, args).await,
        Command::Status(args) => status::run(cli, args).await,
        Command::Runs(args) => runs::run(cli, args).await,
        Command::Run(args) => run::run(cli, args).await,
        Command::Export(args) => export::run(cli, args).await,
        Command::Reply(args) => reply::run(cli, args).await,
        Command::Review(args) => review::run(cli, args).await,
        Command::Search(args) => search::run(cli, args).await,
        Command::Rediscover(args) => rediscover::run(cli, args).await,
        Command::Refresh(args) => refresh::run(cli, args).await,
        Command::Move(args) => move_application::run(cli, args).await,
        Command::Reject(args) => reject::run(cli, args).await,
        Command::Duplicates(args) => duplicates::run(cli, args).await,
        Command::Serve(args) => serve::run(cli, args).await,
        Command::Token(args) => token::run(cli, args).await,
    }
}

/// Prints an error as one line and returns exit code 1.
pub fn fail(error: &anyhow::Error) -> ExitCode {
    // Errors may carry text a plugin chose: never print megabytes of it.
    let text = ats_runtime::cut_text(&format!("{error:#}"), 16 << 10).replace('\n', " ");
    eprintln!("error: {text}");
    ExitCode::FAILURE
}

fn init_logging(verbose: u8) {
    use tracing_subscriber::EnvFilter;
    let default = match verbose {
        0 => "warn",
        1 => "info,ats_runtime=debug,ats_app=debug,ats_sync=debug,plugin=debug",
        _ => "debug,plugin=trace",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(true)
        .try_init();
}

/// Opens the host's data folder with this invocation's runtime settings.
fn open_host(cli: &Cli) -> anyhow::Result<ats_app::host::Host> {
    let paths = ats_app::host::HostPaths {
        data_dir: cli.data_dir.clone(),
        cache_dir: cli.cache_dir(),
        store: store_url(cli)?,
    };
    Ok(ats_app::host::Host::open(
        paths,
        Some(cli.runtime_config()),
    )?)
}

/// The store `--store`/`--database` (or ATS_STORE) names, else ATS_DATABASE_URL (the name
/// PostgreSQL deployments use), else `None`: the SQLite file in the data folder.
fn store_url(cli: &Cli) -> anyhow::Result<Option<ats_app::host::StoreUrl>> {
    if let Some(store) = &cli.store {
        return Ok(Some(store.clone()));
    }
    match std::env::var("ATS_DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => url
            .parse()
            .map(Some)
            .map_err(|e| anyhow::anyhow!("ATS_DATABASE_URL: {e}")),
        _ => Ok(None),
    }
}

/// Writes command output to stdout; a closed pipe (`ats … | head`) is not an error.
pub(crate) fn output(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}
