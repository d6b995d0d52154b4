//! `wasi:keyvalue/store` for plugins, over [`PluginStorage`], scoped to the connection.
//!
//! A plugin sees one bucket, `default`; opening any other is `no-such-store`. Keys and values
//! are capped, and so is what one connection keeps in all (`max_storage_bytes`), so a plugin
//! cannot fill the disk.

use crate::bindings::wasi::keyvalue::store::{self, Error, KeyResponse};
use crate::storage::PluginStorage;
use std::sync::Arc;
use wasmtime::component::{HasData, Resource, ResourceTable};

/// The largest value a plugin may store.
const MAX_VALUE_BYTES: usize = 16 << 20;
/// The longest key a plugin may use.
const MAX_KEY_BYTES: usize = 1024;

/// The `bucket` resource: the connection's storage scope.
pub struct Bucket;

/// What the plugin's storage needs from the store's data.
pub(crate) struct KeyValueState {
    pub(crate) storage: Arc<dyn PluginStorage>,
    /// The connection's name.
    pub(crate) scope: String,
    /// Most bytes (keys and values) the connection may keep.
    pub(crate) max_bytes: u64,
}

pub(crate) struct KeyValueView<'a> {
    pub(crate) state: &'a KeyValueState,
    pub(crate) table: &'a mut ResourceTable,
}

pub(crate) struct KeyValue;

impl HasData for KeyValue {
    type Data<'a> = KeyValueView<'a>;
}

fn backend(e: crate::storage::StorageError) -> Error {
    Error::Other(e.to_string())
}

fn check_key(key: &str) -> Result<(), Error> {
    if key.len() > MAX_KEY_BYTES {
        return Err(Error::Other(format!(
            "keys are limited to {MAX_KEY_BYTES} bytes"
        )));
    }
    Ok(())
}

impl store::Host for KeyValueView<'_> {
    fn open(&mut self, identifier: String) -> wasmtime::Result<Result<Resource<Bucket>, Error>> {
        if identifier != "default" {
            return Ok(Err(Error::NoSuchStore));
        }
        Ok(Ok(self.table.push(Bucket)?))
    }
}

impl store::HostBucket for KeyValueView<'_> {
    fn get(
        &mut self,
        bucket: Resource<Bucket>,
        key: String,
    ) -> wasmtime::Result<Result<Option<Vec<u8>>, Error>> {
        self.table.get(&bucket)?;
        if let Err(e) = check_key(&key) {
            return Ok(Err(e));
        }
        Ok(self
            .state
            .storage
            .get(&self.state.scope, &key)
            .map_err(backend))
    }

    fn set(
        &mut self,
        bucket: Resource<Bucket>,
        key: String,
        value: Vec<u8>,
    ) -> wasmtime::Result<Result<(), Error>> {
        self.table.get(&bucket)?;
        if let Err(e) = check_key(&key) {
            return Ok(Err(e));
        }
        if value.len() > MAX_VALUE_BYTES {
            return Ok(Err(Error::Other(format!(
                "values are limited to {MAX_VALUE_BYTES} bytes"
            ))));
        }
        let storage = &self.state.storage;
        let scope = &self.state.scope;
        let used = match storage.used_bytes(scope) {
            Ok(used) => used,
            Err(e) => return Ok(Err(backend(e))),
        };
        let replaced = match storage.get(scope, &key) {
            Ok(old) => old.map_or(0, |v| (key.len() + v.len()) as u64),
            Err(e) => return Ok(Err(backend(e))),
        };
        let after = used
            .saturating_sub(replaced)
            .saturating_add((key.len() + value.len()) as u64);
        if after > self.state.max_bytes {
            tracing::warn!(connection = %scope, "plugin storage full: refused a value of {} bytes", value.len());
            return Ok(Err(Error::Other(format!(
                "storage full: this connection keeps {used} bytes and may keep at most {} (limit `max_storage_bytes`); delete keys first",
                self.state.max_bytes
            ))));
        }
        Ok(self
            .state
            .storage
            .set(&self.state.scope, &key, &value)
            .map_err(backend))
    }

    fn delete(
        &mut self,
        bucket: Resource<Bucket>,
        key: String,
    ) -> wasmtime::Result<Result<(), Error>> {
        self.table.get(&bucket)?;
        Ok(self
            .state
            .storage
            .delete(&self.state.scope, &key)
            .map_err(backend))
    }

    fn exists(
        &mut self,
        bucket: Resource<Bucket>,
        key: String,
    ) -> wasmtime::Result<Result<bool, Error>> {
        self.table.get(&bucket)?;
        Ok(self
            .state
            .storage
            .get(&self.state.scope, &key)
            .map(|v| v.is_some())
            .map_err(backend))
    }

    fn list_keys(
        &mut self,
        bucket: Resource<Bucket>,
        cursor: Option<u64>,
    ) -> wasmtime::Result<Result<KeyResponse, Error>> {
        self.table.get(&bucket)?;
        // One page of keys; the cursor is the number of keys already returned.
        const PAGE: usize = 1000;
        let keys = match self.state.storage.list_keys(&self.state.scope) {
            Ok(keys) => keys,
            Err(e) => return Ok(Err(backend(e))),
        };
        let start = usize::try_from(cursor.unwrap_or(0))
            .unwrap_or(usize::MAX)
            .min(keys.len());
        let end = (start + PAGE).min(keys.len());
        let next = (end < keys.len()).then_some(end as u64);
        Ok(Ok(KeyResponse {
            keys: keys[start..end].to_vec(),
            cursor: next,
        }))
    }

    fn drop(&mut self, bucket: Resource<Bucket>) -> wasmtime::Result<()> {
        self.table.delete(bucket)?;
        Ok(())
    }
}
