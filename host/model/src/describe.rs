//! A connector's self-description and connection check (see `wit/connector.wit`).

use crate::RecordKind;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingSpec {
    pub key: String,
    pub description: String,
    pub required: bool,
    pub secret: bool,
    pub default_value: Option<String>,
}

/// How the host authenticates a connector's requests.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum AuthScheme {
    #[default]
    None,
    Oauth2ClientCredentials {
        token_url: String,
        audience: Option<String>,
        scopes: Vec<String>,
        client_id_setting: String,
        client_secret_setting: String,
    },
    HttpBasic {
        username_setting: String,
        password_setting: String,
    },
    ApiKey {
        header: String,
        prefix: String,
        key_setting: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionSpec {
    pub id: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamSpec {
    pub name: String,
    pub kind: RecordKind,
    pub default_interval_seconds: u64,
    pub incremental: bool,
    pub lists_ids: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WriteCapability {
    FindCandidates,
    CreateCandidate,
    UpdateCandidate,
    CreateApplication,
    MoveApplication,
    RejectApplication,
    UploadAttachment,
    DownloadAttachment,
    AddNote,
    AddTag,
    ParseEvent,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaSpec {
    pub requests_per_day: Option<u64>,
    pub limit_header: Option<String>,
    pub remaining_header: Option<String>,
    pub reset_header: Option<String>,
}

/// `Default` is an empty description (no settings, hosts or streams), for building one in tests.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectorInfo {
    pub id: String,
    pub name: String,
    pub version: String,
    pub description: String,
    pub settings: Vec<SettingSpec>,
    pub auth: AuthScheme,
    pub api_hosts: Vec<String>,
    pub permissions: Vec<PermissionSpec>,
    pub streams: Vec<StreamSpec>,
    pub writes: Vec<WriteCapability>,
    pub quota: Option<QuotaSpec>,
    pub list_staleness_seconds: u64,
    pub timestamp_precision_seconds: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PermissionState {
    Granted,
    Missing,
    NotCheckable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionCheck {
    pub permission: String,
    pub state: PermissionState,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionReport {
    pub account_name: Option<String>,
    pub environment: Option<String>,
    pub permissions: Vec<PermissionCheck>,
}

impl ConnectionReport {
    /// The permissions the ATS refused.
    pub fn missing(&self) -> impl Iterator<Item = &PermissionCheck> {
        self.permissions
            .iter()
            .filter(|p| p.state == PermissionState::Missing)
    }
}
