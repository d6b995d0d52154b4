//! A connection's settings as the connector declares them: values of plain settings, and of
//! secrets only whether they are set. Secrets are stored by reference only; this page shows not
//! even the reference (a file path or variable name says where to look).

use crate::Admin;
use crate::chrome::{Chrome, html};
use crate::page_error::PageResult;
use crate::session::Signed;
use crate::words::when;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;

pub struct SettingLine {
    pub key: String,
    pub description: String,
    pub secret: bool,
    /// A plain setting's value, or "set" / "not set" for a secret.
    pub value: String,
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    chrome: Chrome,
    name: String,
    connector: String,
    plugin: String,
    settings: Vec<SettingLine>,
    api_hosts: Vec<String>,
    intervals: Vec<(String, u64)>,
    created: String,
    updated: String,
}

/// What a secret setting shows: never its value, nor where it is kept.
fn secret_state(set: bool) -> String {
    if set { "set" } else { "not set" }.into()
}

pub async fn show(
    State(admin): State<Admin>,
    signed: Signed,
    Path(name): Path<String>,
) -> PageResult<Html<String>> {
    let row = admin.service.connection_of(&signed.tenant, &name).await?;
    let live = admin.service.live(&row).await?;
    let info = live.connection.info();
    let settings = info
        .settings
        .iter()
        .map(|spec| SettingLine {
            key: spec.key.clone(),
            description: spec.description.clone(),
            secret: spec.secret,
            value: if spec.secret {
                secret_state(
                    row.secrets.contains_key(&spec.key) || row.settings.contains_key(&spec.key),
                )
            } else {
                row.settings
                    .get(&spec.key)
                    .cloned()
                    .or_else(|| spec.default_value.clone().map(|d| format!("{d} (default)")))
                    .unwrap_or_else(|| "not set".into())
            },
        })
        .collect();
    html(SettingsPage {
        chrome: Chrome::signed(format!("{name} settings"), &signed),
        connector: format!("{} {}", row.plugin_declared.id, row.plugin_declared.version),
        plugin: row.plugin_hash.chars().take(12).collect(),
        settings,
        api_hosts: row.granted_api_hosts.clone(),
        intervals: row
            .stream_intervals
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect(),
        created: when(Some(row.created_at)),
        updated: when(Some(row.updated_at)),
        name,
    })
}
