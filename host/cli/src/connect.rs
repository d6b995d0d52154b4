//! `ats connect <file.toml>`: checks a connection (credentials, customer, every permission)
//! and saves it for `sync`, `status` and `run`. Secrets are saved as references only; the grant
//! (where credentials may go) and the plugin's content hash are saved with it, and shown.

use crate::Cli;
use ats_app::connection_file::ConnectionFile;
use ats_app::grant_review;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The connection file (TOML).
    pub file: PathBuf,
    /// Save the connection even when some permissions are missing.
    #[arg(long)]
    pub allow_missing: bool,
    /// The file has no [grant]: grant exactly the hosts and token URL the plugin declares
    /// (they are shown and saved).
    #[arg(long)]
    pub grant_declared: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let file = ConnectionFile::load(&args.file)?;
    // Secrets must resolve now, so a typo in a variable name fails here, not at 3 a.m.
    file.resolve_secrets()?;
    let host = crate::open_host(cli)?;
    let plugin = ats_app::connect::load_plugin(&host.runtime, &file.plugin).await?;
    let (info, grant) =
        ats_app::connect::describe_and_grant(&file, &plugin, args.grant_declared).await?;
    let previous = host.mirror.connection(&file.name).await?;
    let row = host.row_for(&file, &plugin, &info, &grant, previous.as_ref());
    let mut preface = format!(
        "Plugin {} {} ({}, sha256 {})\nGranted to connection `{}`:\n{}{}\n",
        info.id,
        info.version,
        file.plugin.display(),
        &row.plugin_hash[..12.min(row.plugin_hash.len())],
        row.name,
        grant_review::render_grant(&grant),
        grant_review::render_event_verification(&info)
    );
    if let Some(previous) = &previous
        && previous.plugin_hash != row.plugin_hash
    {
        match grant_review::render_changes(&previous.plugin_declared, &row.plugin_declared) {
            Some(changes) => preface.push_str(&changes),
            None => preface.push_str("The plugin file changed since this connection was saved.\n"),
        }
    }
    // Shown before the check, so the operator sees what is granted even when the check fails.
    if !args.json {
        crate::output(&preface)?;
    }
    let live = host.live_from_row(row.clone()).await?;
    let report = live.connection.check_connection().await?;
    let missing = report.missing().count();
    let saved = missing == 0 || args.allow_missing;
    if saved {
        host.mirror.upsert_connection(&row).await?;
    }
    if args.json {
        let value = serde_json::json!({
            "connection": row.name,
            "saved": saved,
            "plugin": { "id": info.id, "version": info.version, "sha256": row.plugin_hash },
            "grant": grant,
            "event_verification": info.event_verification,
            "report": report,
        });
        crate::output(&format!("{}\n", serde_json::to_string_pretty(&value)?))?;
    } else {
        let mut text = crate::check::render(&row.name, &report);
        text.push_str(&if saved {
            format!(
                "Saved connection `{}`. Next: `ats sync {}`.\n",
                row.name, row.name
            )
        } else {
            "Not saved: fix the missing permissions, or pass --allow-missing to save anyway.\n"
                .to_string()
        });
        crate::output(&text)?;
    }
    Ok(if missing > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
