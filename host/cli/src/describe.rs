//! `ats describe <plugin.wasm>`: what a plugin is, before any connection exists.

use crate::Cli;
use anyhow::Context;
use ats_model::{AuthScheme, ConnectorInfo};
use std::collections::BTreeMap;
use std::fmt::Write;
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
        crate::output(&render(&info))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The human-readable description.
pub fn render(info: &ConnectorInfo) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({}) {}", info.name, info.id, info.version);
    let _ = writeln!(out, "{}", info.description);
    let _ = writeln!(out, "\nSettings:");
    if info.settings.is_empty() {
        let _ = writeln!(out, "  (none)");
    }
    for s in &info.settings {
        let mut flags = Vec::new();
        if s.required {
            flags.push("required".to_string());
        }
        if s.secret {
            flags.push("secret".to_string());
        }
        if let Some(default) = &s.default_value {
            flags.push(format!("default {default}"));
        }
        let _ = writeln!(
            out,
            "  {:<24} {:<28} {}",
            s.key,
            flags.join(", "),
            s.description
        );
    }
    let auth = match &info.auth {
        AuthScheme::None => "none".to_string(),
        AuthScheme::Oauth2ClientCredentials {
            token_url,
            audience,
            client_id_setting,
            client_secret_setting,
            ..
        } => format!(
            "OAuth 2.0 client credentials at {token_url}{} (client id: `{client_id_setting}`, secret: `{client_secret_setting}`)",
            audience
                .as_deref()
                .map(|a| format!(", audience {a}"))
                .unwrap_or_default()
        ),
        AuthScheme::HttpBasic {
            username_setting,
            password_setting,
        } => {
            format!("HTTP Basic (user: `{username_setting}`, password: `{password_setting}`)")
        }
        AuthScheme::ApiKey {
            header,
            key_setting,
            ..
        } => format!("API key in header `{header}` (key: `{key_setting}`)"),
    };
    let _ = writeln!(out, "\nAuthentication: {auth}");
    let _ = writeln!(
        out,
        "Hosts: {}",
        if info.api_hosts.is_empty() {
            "(none)".into()
        } else {
            info.api_hosts.join(", ")
        }
    );
    let _ = writeln!(
        out,
        "{}",
        crate::grant_review::render_event_verification(info)
    );
    if let Some(q) = &info.quota {
        let per_day = q
            .requests_per_day
            .map_or("unknown".to_string(), |n| n.to_string());
        let _ = writeln!(out, "Quota: {per_day} requests per day");
    }
    let _ = writeln!(out, "\nPermissions:");
    if info.permissions.is_empty() {
        let _ = writeln!(out, "  (none)");
    }
    for p in &info.permissions {
        let _ = writeln!(out, "  {:<28} {}", p.id, p.description);
    }
    let _ = writeln!(out, "\nStreams:");
    if info.streams.is_empty() {
        let _ = writeln!(out, "  (none)");
    }
    for s in &info.streams {
        let _ = writeln!(
            out,
            "  {:<20} {:<12} every {:>6} s  {}{}",
            s.name,
            s.kind.as_str(),
            s.default_interval_seconds,
            if s.incremental { "incremental" } else { "full" },
            if s.lists_ids { ", lists ids" } else { "" }
        );
    }
    let writes: Vec<String> = info
        .writes
        .iter()
        .map(|w| {
            serde_json::to_value(w)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default()
        })
        .collect();
    let _ = writeln!(
        out,
        "\nWrites: {}",
        if writes.is_empty() {
            "(none)".into()
        } else {
            writes.join(", ")
        }
    );
    out
}
