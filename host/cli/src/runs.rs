//! `ats runs <connection>`: the run log, newest first (what `GET /v1/connections/{c}/runs`
//! answers).

use crate::Cli;
use crate::display;
use ats_app::run_log::{MAX_RUNS, RunEntry, run_log};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A saved connection.
    pub connection: String,
    /// How many runs to show, newest first.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u16).range(1..=MAX_RUNS as i64))]
    pub limit: u16,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let host = crate::open_host(cli)?;
    if host.mirror.connection(&args.connection).await?.is_none() {
        return Err(ats_app::host::HostError::UnknownConnection(args.connection.clone()).into());
    }
    let runs = run_log(&host, &args.connection, args.limit.into()).await?;
    if args.json {
        crate::output(&format!("{}\n", serde_json::to_string_pretty(&runs)?))?;
    } else if runs.is_empty() {
        crate::output(&format!(
            "No runs of `{}` yet: `ats sync {}` runs one.\n",
            args.connection, args.connection
        ))?;
    } else {
        crate::output(&render(&runs))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn render(runs: &[RunEntry]) -> String {
    let rows: Vec<Vec<String>> = runs
        .iter()
        .map(|r| {
            let took = r
                .finished_at
                .map(|f| display::duration(f.saturating_sub(r.started_at).max(0) as u64))
                .unwrap_or_default();
            vec![
                r.id.to_string(),
                r.stream.clone(),
                r.mode.clone(),
                display::timestamp(r.started_at),
                took,
                r.result.clone(),
                r.upserted.to_string(),
                r.deleted.to_string(),
                r.pages.to_string(),
                r.requests.to_string(),
                match (&r.error, &r.advice) {
                    (Some(e), Some(a)) => format!("{e} ({a})"),
                    (Some(e), None) => e.clone(),
                    _ => String::new(),
                },
            ]
        })
        .collect();
    display::table(
        &[
            "run", "stream", "mode", "started", "took", "result", "upserted", "deleted", "pages",
            "requests", "error",
        ],
        &rows,
    )
}
