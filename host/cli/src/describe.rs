//! `ats describe <plugin.wasm>`: what a plugin is, before any connection exists.

use crate::Cli;
use anyhow::Context;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The plugin component (`.wasm`).
    pub plugin: PathBuf,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// A setting passed to `describe` (hosts may depend on it), as key=value. Repeatable.
    #[arg(long = "setting", value_name = "KEY=VALUE", value_parser = parse_setting)]
    pub settings: Vec<(String, String)>,
}

fn parse_setting(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_string(), value.to_string()))
        }
        _ => Err(format!("`{text}` is not key=value")),
    }
}

pub async fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let runtime = ats_runtime::Runtime::new(cli.runtime_config())?;
    let plugin = ats_app::connect::load_plugin(&runtime, &args.plugin).await?;
    let settings: BTreeMap<String, String> = args.settings.iter().cloned().collect();
    let info = plugin
        .describe(&settings)
        .await
        .with_context(|| format!("describing {}", args.plugin.display()))?;
    if args.json {
        crate::output(&format!("{}\n", serde_json::to_string_pretty(&info)?))?;
    } else {
        crate::output(&ats_app::describe_text::render(&info))?;
    }
    Ok(ExitCode::SUCCESS)
}
