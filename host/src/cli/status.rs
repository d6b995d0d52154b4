//! `ats status [connection]`: where each connection and stream stands, in recruiters' words.

use super::Cli;
use crate::status_view::{connection_status, render};
use ats_mirror::MirrorStore;
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
    let host = super::open_host(cli)?;
    let rows = match &args.connection {
        Some(name) => vec![
            host.mirror
                .connection(name)?
                .ok_or_else(|| crate::host::HostError::UnknownConnection(name.clone()))?,
        ],
        None => host.mirror.connections()?,
    };
    if rows.is_empty() {
        super::output("No connections yet: add one with `ats connect <file.toml>`.\n")?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut statuses = Vec::new();
    for row in &rows {
        statuses.push(connection_status(&host, row).await?);
    }
    if args.json {
        super::output(&format!("{}\n", serde_json::to_string_pretty(&statuses)?))?;
    } else {
        let text: Vec<String> = statuses.iter().map(render).collect();
        super::output(&text.join("\n"))?;
    }
    Ok(ExitCode::SUCCESS)
}
