//! `ats status [connection]`: where each connection and stream stands, in recruiters' words.

use crate::Cli;
use crate::display;
use ats_app::status_view::{ConnectionStatus, connection_status};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// One saved connection; all by default.
    pub connection: Option<String>,
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let host = crate::open_host(cli)?;
    let rows = match &args.connection {
        Some(name) => vec![
            host.mirror
                .connection(name)
                .await?
                .ok_or_else(|| ats_app::host::HostError::UnknownConnection(name.clone()))?,
        ],
        None => host.mirror.connections().await?,
    };
    if rows.is_empty() {
        crate::output("No connections yet: add one with `ats connect <file.toml>`.\n")?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut statuses = Vec::new();
    for row in &rows {
        statuses.push(connection_status(&host, row).await?);
    }
    if args.json {
        crate::output(&format!("{}\n", serde_json::to_string_pretty(&statuses)?))?;
    } else {
        let text: Vec<String> = statuses.iter().map(render).collect();
        crate::output(&text.join("\n"))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A stream's status in words, with its record errors: "completed with 1 record error".
fn stream_status_words(s: &ats_app::status_view::StreamStatus) -> String {
    let status = match s.status {
        ats_sync::SyncStatus::Done => "completed".to_string(),
        other => other.to_string(),
    };
    match s.record_error_count {
        0 => s.status.to_string(),
        1 => format!("{status} with 1 record error"),
        n => format!("{status} with {n} record errors"),
    }
}

/// The human rendering of a connection's status.
fn render(status: &ConnectionStatus) -> String {
    let mut out = format!("{}: {}\n\n", status.connection, status.status);
    let rows: Vec<Vec<String>> = status
        .streams
        .iter()
        .map(|s| {
            vec![
                s.stream.clone(),
                stream_status_words(s),
                display::maybe_timestamp(s.last_success_at),
                display::maybe_timestamp(s.high_water_mark),
                display::timestamp(s.next_run_at),
                s.error.clone().unwrap_or_default(),
            ]
        })
        .collect();
    out.push_str(&display::table(
        &[
            "stream",
            "status",
            "last success",
            "high-water mark",
            "next run",
            "last error",
        ],
        &rows,
    ));
    for s in status.streams.iter().filter(|s| s.advice.is_some()) {
        out.push_str(&format!(
            "  {}: what to do: {}\n",
            s.stream,
            s.advice.as_deref().unwrap_or("")
        ));
    }
    for s in &status.streams {
        if let Some(load) = &s.load {
            out.push_str(&format!(
                "  {}: {} load: {}\n",
                s.stream, load.mode, load.words
            ));
        }
        if let Some(health) = &s.incremental_health {
            out.push_str(&format!("  {}: {health}\n", s.stream));
        }
        for e in &s.record_errors {
            out.push_str(&format!(
                "  {}: record {} {}: {} ({} attempt{}); what to do: {}\n",
                s.stream,
                e.kind,
                e.id,
                e.reason,
                e.attempts,
                if e.attempts == 1 { "" } else { "s" },
                e.advice
            ));
        }
        let more = s.record_error_count - s.record_errors.len() as u64;
        if more > 0 {
            out.push_str(&format!(
                "  {}: … and {more} more record errors (`ats status --json` lists the first {})\n",
                s.stream,
                ats_app::status_view::SHOWN_RECORD_ERRORS
            ));
        }
    }
    out.push('\n');
    let rows: Vec<Vec<String>> = status
        .counts
        .iter()
        .map(|c| {
            vec![
                c.kind.to_string(),
                c.live.to_string(),
                c.deleted.to_string(),
            ]
        })
        .collect();
    out.push_str(&display::table(&["mirror", "live", "deleted"], &rows));
    if let Some(q) = &status.quota {
        out.push_str(&format!(
            "\nrequest quota: {} of {} left, window resets {}\n",
            q.remaining
                .map(|r| r.to_string())
                .unwrap_or_else(|| "?".into()),
            q.limit.map(|r| r.to_string()).unwrap_or_else(|| "?".into()),
            display::maybe_timestamp(q.reset_at),
        ));
        let rows: Vec<Vec<String>> = q
            .lanes
            .iter()
            .map(|l| {
                vec![
                    l.lane.as_str().to_string(),
                    l.available
                        .map(|a| a.to_string())
                        .unwrap_or_else(|| "unlimited".into()),
                    l.resumes_at
                        .map(display::timestamp)
                        .unwrap_or_else(|| "now".into()),
                ]
            })
            .collect();
        out.push_str(&display::table(
            &["lane", "requests available", "can send"],
            &rows,
        ));
    }
    out
}
