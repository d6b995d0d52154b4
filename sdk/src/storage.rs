//! Storage that persists per connection (`wasi:keyvalue/store`, bucket `default`).
//! Meant for caches of slow-changing ATS data; sync state belongs to the host.

use crate::ConnectorError;
use crate::bindings::wasi::keyvalue::store;

fn bucket() -> Result<store::Bucket, ConnectorError> {
    store::open("default")
        .map_err(|e| ConnectorError::Internal(format!("cannot open storage: {e:?}")))
}

fn storage_error(e: store::Error) -> ConnectorError {
    ConnectorError::Internal(format!("storage failed: {e:?}"))
}

/// The stored bytes under `key`, if any.
pub fn get(key: &str) -> Result<Option<Vec<u8>>, ConnectorError> {
    bucket()?.get(key).map_err(storage_error)
}

/// Stores `value` under `key`.
pub fn set(key: &str, value: &[u8]) -> Result<(), ConnectorError> {
    bucket()?.set(key, value).map_err(storage_error)
}

/// Removes `key`.
pub fn delete(key: &str) -> Result<(), ConnectorError> {
    bucket()?.delete(key).map_err(storage_error)
}

/// A JSON value stored under `key`, if present and readable.
pub fn get_json<T: serde::de::DeserializeOwned>(key: &str) -> Result<Option<T>, ConnectorError> {
    Ok(get(key)?.and_then(|bytes| serde_json::from_slice(&bytes).ok()))
}

/// Stores a JSON value under `key`.
pub fn set_json<T: serde::Serialize>(key: &str, value: &T) -> Result<(), ConnectorError> {
    let bytes = serde_json::to_vec(value)
        .map_err(|e| ConnectorError::Internal(format!("cannot encode `{key}`: {e}")))?;
    set(key, &bytes)
}
