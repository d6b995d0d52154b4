//! `ats check --connection <file.toml>`: are the credentials good, and is every permission the
//! plugin needs granted? Exit 0 when every checkable permission is granted, 2 when some are
//! missing, 1 on errors.

use crate::Cli;
use anyhow::Context;
use ats_app::connection_file::ConnectionFile;
use ats_model::{ConnectionReport, PermissionState};
use ats_runtime::NoObserver;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The connection file (TOML).
    #[arg(long, value_name = "FILE")]
    pub connection: PathBuf,
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
    let plugin = ats_app::connect::load_plugin(&runtime, &file.plugin).await?;
    let spec = ats_app::connect::spec_for(&file, &plugin, &runtime, args.grant_declared).await?;
    let storage = ats_app::host::plugin_storage(&cli.data_dir)
        .with_context(|| format!("opening plugin storage in {}", cli.data_dir.display()))?;
    let connection = runtime
        .connect(&plugin, spec, storage, Arc::new(NoObserver))
        .await?;
    let report = connection.check_connection().await?;
    if args.json {
        crate::output(&format!("{}\n", serde_json::to_string_pretty(&report)?))?;
    } else {
        crate::output(&render(connection.name(), &report))?;
    }
    Ok(if report.missing().next().is_some() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// The human-readable report.
pub fn render(connection: &str, report: &ConnectionReport) -> String {
    let mut out = format!("Connection {connection}");
    if let Some(account) = &report.account_name {
        out.push_str(&format!(": {account}"));
    }
    if let Some(environment) = &report.environment {
        out.push_str(&format!(" ({environment})"));
    }
    out.push('\n');
    for p in &report.permissions {
        let state = match p.state {
            PermissionState::Granted => "granted",
            PermissionState::Missing => "MISSING",
            PermissionState::NotCheckable => "not checkable",
        };
        let detail = p
            .detail
            .as_deref()
            .map(|d| format!("  {d}"))
            .unwrap_or_default();
        out.push_str(&format!("  {:<28} {:<14}{detail}\n", p.permission, state));
    }
    let missing = report.missing().count();
    if missing > 0 {
        out.push_str(&format!(
            "{missing} permission(s) missing: ask the ATS administrator to grant them to the integration user\n"
        ));
    } else {
        out.push_str("All checkable permissions are granted.\n");
    }
    out
}
