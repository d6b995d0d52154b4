//! Constructors for [`ConnectorError`], so connectors build typed errors in one short call.

use crate::ConnectorError;

/// The result type of every connector method.
pub type ConnectorResult<T> = Result<T, ConnectorError>;

/// `unsupported` for an operation this connector (or its ATS) does not offer.
pub fn unsupported(what: &str) -> ConnectorError {
    ConnectorError::Unsupported(format!("{what} is not supported by this connector"))
}

/// `misconfigured` naming the setting that is missing or invalid.
pub fn misconfigured(setting: &str, problem: &str) -> ConnectorError {
    ConnectorError::Misconfigured(format!("setting `{setting}`: {problem}"))
}
