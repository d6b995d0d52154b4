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
    /// The ATS gives the text extracted from an attachment (`attachment-text`).
    AttachmentText,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaSpec {
    pub requests_per_day: Option<u64>,
    pub limit_header: Option<String>,
    pub remaining_header: Option<String>,
    pub reset_header: Option<String>,
}

/// How a pushed event's credential or signature is carried (see [`EventVerification`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventScheme {
    /// `authorization: Basic base64(user:password)`.
    HttpBasic,
    /// The header's value, after the prefix, is the secret itself (a bearer token).
    SharedToken,
    /// HMAC-SHA256 of the body as received, keyed with the secret.
    HmacSha256Body,
    /// HMAC-SHA256 over the headers the signature names (iCIMS `x-icims-v1-hmac-sha256`).
    HmacSha256SignedHeaders,
}

impl EventScheme {
    /// True for the schemes that carry an HMAC signature.
    pub fn is_hmac(self) -> bool {
        matches!(
            self,
            EventScheme::HmacSha256Body | EventScheme::HmacSha256SignedHeaders
        )
    }
}

/// How an HMAC signature is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureEncoding {
    Hex,
    Base64,
}

/// How the host verifies that a pushed event comes from the ATS: where the credential or
/// signature is, and which secret setting holds the key (see `wit/connector.wit`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventVerification {
    pub scheme: EventScheme,
    /// The header carrying the credential or signature, lowercase.
    pub header: String,
    /// Text before the credential or signature in that header; empty for none.
    pub prefix: String,
    /// The secret setting that holds the password, token or HMAC key.
    pub secret_setting: String,
    /// The setting that holds the user name, for schemes that have one.
    pub username_setting: Option<String>,
    /// The header carrying when the event was sent, when the ATS sends one.
    pub timestamp_header: Option<String>,
    /// The header carrying the body's SHA-256, when the ATS sends one.
    pub body_digest_header: Option<String>,
    pub signature_encoding: SignatureEncoding,
}

impl EventVerification {
    /// Every header name the declaration gives (the credential's, the time's, the digest's).
    pub fn headers(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.header.as_str())
            .chain(self.timestamp_header.as_deref())
            .chain(self.body_digest_header.as_deref())
    }

    /// Every setting key the declaration names (the secret's, the user name's).
    pub fn settings(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.secret_setting.as_str()).chain(self.username_setting.as_deref())
    }
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
    /// How the host verifies events the ATS pushes; `None`: the connection takes no events.
    #[serde(default)]
    pub event_verification: Option<EventVerification>,
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
