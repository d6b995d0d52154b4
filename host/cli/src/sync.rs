//! `ats sync <connection>`: reads the connection's streams into the mirror now (a full first
//! load, incremental after), with a progress bar on long runs.

use crate::Cli;
use ats_app::sync_runner::{StreamReport, SyncOptions, sync_connection};
use std::io::IsTerminal;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The saved connection's name.
    pub connection: String,
    /// Only these streams (repeatable); all by default.
    #[arg(long = "stream", value_name = "NAME")]
    pub streams: Vec<String>,
    /// Read everything again, ignoring high-water marks.
    #[arg(long)]
    pub full: bool,
    /// Also scan ids to find records deleted in the ATS.
    #[arg(long)]
    pub reconcile: bool,
    /// Seconds a record may be missing from clean scans before it is soft-deleted.
    #[arg(long, default_value_t = 86_400)]
    pub grace_seconds: i64,
    /// When the request quota runs out, wait for its reset instead of stopping.
    #[arg(long)]
    pub wait_for_quota: bool,
    /// Records per page asked of the connector (at most 1,000).
    #[arg(long)]
    pub page_size: Option<u32>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let host = crate::open_host(cli)?;
    let live = host.live(&args.connection).await?;
    let options = SyncOptions {
        streams: args.streams.clone(),
        full: args.full,
        wait_for_quota: args.wait_for_quota,
        reconcile: args.reconcile,
        reconcile_grace_seconds: args.grace_seconds,
        page_size: args.page_size,
    };
    let bars = crate::progress::Bars::new(!args.json && std::io::stderr().is_terminal());
    let reports = sync_connection(&host, &live, &options, &bars).await?;
    drop(bars);
    if args.json {
        crate::output(&format!("{}\n", serde_json::to_string_pretty(&reports)?))?;
    } else {
        crate::output(&render(&reports))?;
    }
    Ok(exit_code(&reports))
}

/// 0 when every stream completed, 3 when some paused for quota or were busy in another
/// process (try again later), 1 when some failed.
pub fn exit_code(reports: &[StreamReport]) -> ExitCode {
    if reports.iter().any(|r| r.outcome == "failed") {
        ExitCode::FAILURE
    } else if reports
        .iter()
        .any(|r| r.outcome == "paused" || r.outcome == "busy")
    {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    }
}

/// The human-readable summary of a sync.
pub fn render(reports: &[StreamReport]) -> String {
    let rows: Vec<Vec<String>> = reports
        .iter()
        .map(|r| {
            let rate = if r.seconds > 0.0 {
                r.records as f64 / r.seconds
            } else {
                0.0
            };
            vec![
                r.stream.clone(),
                r.mode.clone(),
                r.outcome.to_string(),
                r.records.to_string(),
                r.upserted.to_string(),
                r.unchanged.to_string(),
                r.deleted.to_string(),
                r.requests.to_string(),
                format!("{:.1}s", r.seconds),
                format!("{rate:.0}/s"),
            ]
        })
        .collect();
    let mut out = crate::display::table(
        &[
            "stream",
            "mode",
            "outcome",
            "read",
            "changed",
            "unchanged",
            "deleted",
            "requests",
            "time",
            "rate",
        ],
        &rows,
    );
    for r in reports {
        if let Some(until) = r.paused_until {
            out.push_str(&format!(
                "{}: paused for quota until {}; `ats sync` or `ats run` resumes it from its checkpoint\n",
                r.stream,
                crate::display::timestamp(until)
            ));
        }
        if let Some(error) = &r.error {
            out.push_str(&format!("{}: {error}\n", r.stream));
            if let Some(advice) = &r.advice {
                out.push_str(&format!("{}: what to do: {advice}\n", r.stream));
            }
        }
        if let Some(scan) = &r.reconcile {
            out.push_str(&format!("{}: id scan: {scan}\n", r.stream));
        }
        if let Some(texts) = &r.resume_texts {
            out.push_str(&format!("{}: résumé texts: {texts}\n", r.stream));
        }
    }
    out
}
