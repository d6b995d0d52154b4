//! `ats connect <file.toml>`: checks a connection (credentials, customer, every permission)
//! and saves it for `sync`, `status` and `run`. Secrets are saved as references only.

use super::Cli;
use crate::connection_file::ConnectionFile;
use ats_mirror::{ConnectionRow, MirrorStore};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The connection file (TOML).
    pub file: PathBuf,
    /// Save the connection even when some permissions are missing.
    #[arg(long)]
    pub allow_missing: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let file = ConnectionFile::load(&args.file)?;
    // Secrets must resolve now, so a typo in a variable name fails here, not at 3 a.m.
    file.resolve_secrets()?;
    let host = super::open_host(cli)?;
    let plugin = super::load_plugin(&host.runtime, &file.plugin).await?;
    let now = ats_sync::meter::now();
    let created_at = host
        .mirror
        .connection(&file.name)?
        .map_or(now, |c| c.created_at);
    let row = ConnectionRow {
        name: file.name.clone(),
        plugin_path: file.plugin.display().to_string(),
        plugin_hash: plugin.content_hash().to_string(),
        settings: file.settings.clone(),
        secrets: file.secrets.clone(),
        stream_intervals: Default::default(),
        extra_allowed_hosts: file.extra_allowed_hosts.clone(),
        created_at,
        updated_at: now,
    };
    let live = host.live_from_row(row.clone()).await?;
    let report = live.connection.check_connection().await?;
    let missing = report.missing().count();
    let saved = missing == 0 || args.allow_missing;
    if saved {
        host.mirror.upsert_connection(&row)?;
    }
    if args.json {
        let value = serde_json::json!({ "connection": row.name, "saved": saved, "report": report });
        super::output(&format!("{}\n", serde_json::to_string_pretty(&value)?))?;
    } else {
        let mut text = super::check::render(&row.name, &report);
        text.push_str(&if saved {
            format!(
                "Saved connection `{}`. Next: `ats sync {}`.\n",
                row.name, row.name
            )
        } else {
            "Not saved: fix the missing permissions, or pass --allow-missing to save anyway.\n"
                .to_string()
        });
        super::output(&text)?;
    }
    Ok(if missing > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
