//! `ats run [connection...]`: the scheduler in the foreground. Streams run when due, by lane
//! priority, within each connection's request quota; Ctrl-C stops it between pages (the
//! checkpoint of the page in flight is simply not written, so nothing is lost).

use crate::Cli;
use ats_app::scheduler::{SchedulerOptions, run as run_scheduler};
use std::io::IsTerminal;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Saved connections to run; all by default.
    pub connections: Vec<String>,
    /// Stop once nothing is due instead of running forever.
    #[arg(long)]
    pub until_idle: bool,
    /// Seconds between id scans that find deleted records.
    #[arg(long, default_value_t = 86_400)]
    pub reconcile_interval: i64,
    /// Seconds a record may be missing from clean scans before it is soft-deleted.
    #[arg(long, default_value_t = 86_400)]
    pub grace_seconds: i64,
    /// Print each run's report as a JSON line.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let host = crate::open_host(cli)?;
    let options = SchedulerOptions {
        connections: args.connections.clone(),
        until_idle: args.until_idle,
        reconcile_interval_seconds: args.reconcile_interval,
        reconcile_grace_seconds: args.grace_seconds,
        ..SchedulerOptions::default()
    };
    let bars = crate::progress::Bars::new(!args.json && std::io::stderr().is_terminal());
    let scheduler = run_scheduler(&host, &options, &bars);
    let reports = tokio::select! {
        reports = scheduler => reports?,
        _ = tokio::signal::ctrl_c() => {
            eprintln!("stopped; every committed page is kept, the next run resumes from it");
            return Ok(ExitCode::SUCCESS);
        }
    };
    drop(bars);
    if args.json {
        for (connection, report) in &reports {
            let line = serde_json::json!({ "connection": connection, "report": report });
            crate::output(&format!("{line}\n"))?;
        }
    } else {
        let only: Vec<_> = reports.iter().map(|(_, r)| r.clone()).collect();
        crate::output(&crate::sync::render(&only))?;
    }
    Ok(crate::sync::exit_code(
        &reports.into_iter().map(|(_, r)| r).collect::<Vec<_>>(),
    ))
}
