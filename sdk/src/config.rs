//! The connection's non-secret settings (`wasi:config/store`).

use crate::ConnectorError;
use crate::bindings::wasi::config::store;
use crate::error::misconfigured;

/// The setting's value, or `None` when the connection does not set it.
pub fn get(key: &str) -> Result<Option<String>, ConnectorError> {
    store::get(key).map_err(|e| {
        ConnectorError::Internal(format!("the host could not read setting `{key}`: {e:?}"))
    })
}

/// The setting's value, or its default when absent.
pub fn get_or(key: &str, default: &str) -> Result<String, ConnectorError> {
    Ok(get(key)?.unwrap_or_else(|| default.to_string()))
}

/// The setting's value, or a `misconfigured` error naming it.
pub fn require(key: &str) -> Result<String, ConnectorError> {
    match get(key)? {
        Some(v) if !v.trim().is_empty() => Ok(v),
        _ => Err(misconfigured(key, "is required but not set")),
    }
}
