//! A plugin's description in words: what `ats describe` prints and what an operator reviews
//! before granting a connection.

use ats_model::{AuthScheme, ConnectorInfo};
use std::fmt::Write;

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
