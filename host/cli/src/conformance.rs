//! `ats conformance [<plugin.wasm>] --connection <file.toml>`: runs a plugin through the
//! contract's invariants (`ats-conformance`) and prints a pass/fail table. Exit 0 when every
//! invariant holds, 2 when one fails, 1 on errors. The suite writes test records when the
//! plugin declares writes: use a sandbox account, or `--no-writes`.

use crate::Cli;
use ats_app::connection_file::ConnectionFile;
use ats_conformance::{SuiteOptions, run_suite};
use ats_runtime::{MemoryStorage, NoObserver};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The plugin component (`.wasm`); defaults to the connection file's `plugin`.
    pub plugin: Option<PathBuf>,
    /// The connection file (TOML).
    #[arg(long, value_name = "FILE")]
    pub connection: PathBuf,
    /// Records per page requested while paging (small, so streams take several pages).
    #[arg(long, default_value_t = 10)]
    pub page_size: u32,
    /// Skip the write round-trip (nothing is created in the ATS).
    #[arg(long)]
    pub no_writes: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// The file has no [grant]: grant exactly the hosts and token URL the plugin declares.
    #[arg(long)]
    pub grant_declared: bool,
}

pub async fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let file = ConnectionFile::load(&args.connection)?;
    // Secrets must resolve before anything else, so a typo in a variable name is named first.
    file.resolve_secrets()?;
    let runtime = ats_runtime::Runtime::new(cli.runtime_config())?;
    let plugin_path = args.plugin.clone().unwrap_or_else(|| file.plugin.clone());
    let plugin = ats_app::connect::load_plugin(&runtime, &plugin_path).await?;
    let spec = ats_app::connect::spec_for(&file, &plugin, &runtime, args.grant_declared).await?;
    // Throw-away storage: the suite must not leave caches behind in the host's data.
    let connection = runtime
        .connect(
            &plugin,
            spec,
            Arc::new(MemoryStorage::new()),
            Arc::new(NoObserver),
        )
        .await?;
    let options = SuiteOptions {
        page_size: args.page_size,
        writes: !args.no_writes,
        ..SuiteOptions::default()
    };
    let report = run_suite(&connection, &options).await;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.table());
    }
    Ok(if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
