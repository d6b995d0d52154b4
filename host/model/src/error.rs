//! Why a connector call failed, as the connector typed it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RateLimitScope {
    ShortWindow,
    Daily,
    Unknown,
}

/// A connector's typed error (see `connector-error` in `wit/types.wit`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ConnectorError {
    #[error("the ATS refused the credentials: {message}")]
    Unauthorized { message: String },
    #[error("the ATS credentials lack permission `{permission}`: {message}")]
    PermissionMissing { permission: String, message: String },
    #[error("not found: {message}")]
    NotFound { message: String },
    #[error("rate limited ({scope:?}, retry after {retry_after_seconds:?} s): {message}")]
    RateLimited {
        retry_after_seconds: Option<u64>,
        scope: RateLimitScope,
        message: String,
    },
    #[error("invalid input: {message}")]
    InvalidInput { message: String },
    #[error("conflict: {message}")]
    Conflict { message: String },
    #[error("unsupported: {message}")]
    Unsupported { message: String },
    #[error("temporary failure: {message}")]
    Transient { message: String },
    #[error("connection settings: {message}")]
    Misconfigured { message: String },
    #[error("connector error: {message}")]
    Internal { message: String },
}

impl ConnectorError {
    /// The case's name as the WIT contract spells it (`not-found`, `rate-limited`…).
    pub fn kind(&self) -> &'static str {
        match self {
            ConnectorError::Unauthorized { .. } => "unauthorized",
            ConnectorError::PermissionMissing { .. } => "permission-missing",
            ConnectorError::NotFound { .. } => "not-found",
            ConnectorError::RateLimited { .. } => "rate-limited",
            ConnectorError::InvalidInput { .. } => "invalid-input",
            ConnectorError::Conflict { .. } => "conflict",
            ConnectorError::Unsupported { .. } => "unsupported",
            ConnectorError::Transient { .. } => "transient",
            ConnectorError::Misconfigured { .. } => "misconfigured",
            ConnectorError::Internal { .. } => "internal",
        }
    }

    /// True when retrying the same call later may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            ConnectorError::Transient { .. } | ConnectorError::RateLimited { .. }
        )
    }

    /// What a person should do about it, in plain words.
    pub fn advice(&self) -> &'static str {
        match self {
            ConnectorError::Unauthorized { .. } => {
                "check the connection's client id and secret (or user and password), then run `ats check`"
            }
            ConnectorError::PermissionMissing { .. } => {
                "ask the customer's ATS administrator to grant the named permission to the integration user"
            }
            ConnectorError::NotFound { .. } => "the record no longer exists in the ATS",
            ConnectorError::RateLimited { .. } => {
                "nothing: the host waits for the ATS's limit to reset and resumes"
            }
            ConnectorError::InvalidInput { .. } => {
                "correct the value named in the message and retry"
            }
            ConnectorError::Conflict { .. } => "the ATS already holds this; no action needed",
            ConnectorError::Unsupported { .. } => "this ATS or connector cannot do it",
            ConnectorError::Transient { .. } => "nothing: the host retries with back-off",
            ConnectorError::Misconfigured { .. } => {
                "fix the named setting in the connection's configuration"
            }
            ConnectorError::Internal { .. } => {
                "report it to the connector's maintainers with the run log"
            }
        }
    }
}
