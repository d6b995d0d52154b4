//! Plugin storage: the key-value store each connection's plugin keeps (a cache, a token it
//! derived), partitioned by *scope* (the connection's name) so connections never see each
//! other's keys. The runtime exposes a scope to the plugin as `wasi:keyvalue/store`; a mirror
//! backend provides the durable store (`ats_mirror_sqlite::SqliteStorage`), and
//! [`MemoryStorage`] serves tests and `describe`.

use std::collections::BTreeMap;
use std::sync::Mutex;

/// The plugin storage backend failed.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("storage backend: {0}")]
    Backend(String),
}

/// Key-value storage for plugins, partitioned by scope (the connection's name).
///
/// Called from inside a plugin call, on the executor thread: implementations should answer
/// quickly (local disk or memory). Errors reach the plugin as `wasi:keyvalue` errors, never
/// as a crash.
pub trait PluginStorage: Send + Sync {
    /// The value under `key` in `scope`, if any.
    fn get(&self, scope: &str, key: &str) -> Result<Option<Vec<u8>>, StorageError>;
    /// Stores `value` under `key` in `scope`, replacing any previous value.
    fn set(&self, scope: &str, key: &str, value: &[u8]) -> Result<(), StorageError>;
    /// Removes `key` from `scope`; removing an absent key is not an error.
    fn delete(&self, scope: &str, key: &str) -> Result<(), StorageError>;
    /// Every key in `scope`, sorted.
    fn list_keys(&self, scope: &str) -> Result<Vec<String>, StorageError>;
    /// Bytes `scope` keeps (keys and values), for the connection's storage bound.
    fn used_bytes(&self, scope: &str) -> Result<u64, StorageError> {
        let mut total = 0u64;
        for key in self.list_keys(scope)? {
            let value = self.get(scope, &key)?.map_or(0, |v| v.len());
            total = total.saturating_add((key.len() + value) as u64);
        }
        Ok(total)
    }
}

type Entries = BTreeMap<(String, String), Vec<u8>>;

/// Plugin storage in memory, lost when dropped.
#[derive(Default)]
pub struct MemoryStorage {
    entries: Mutex<Entries>,
}

impl MemoryStorage {
    /// An empty store.
    pub fn new() -> MemoryStorage {
        MemoryStorage::default()
    }

    fn entries(&self) -> Result<std::sync::MutexGuard<'_, Entries>, StorageError> {
        self.entries
            .lock()
            .map_err(|_| StorageError::Backend("storage lock poisoned".into()))
    }
}

impl PluginStorage for MemoryStorage {
    fn get(&self, scope: &str, key: &str) -> Result<Option<Vec<u8>>, StorageError> {
        Ok(self
            .entries()?
            .get(&(scope.to_string(), key.to_string()))
            .cloned())
    }

    fn set(&self, scope: &str, key: &str, value: &[u8]) -> Result<(), StorageError> {
        self.entries()?
            .insert((scope.to_string(), key.to_string()), value.to_vec());
        Ok(())
    }

    fn delete(&self, scope: &str, key: &str) -> Result<(), StorageError> {
        self.entries()?
            .remove(&(scope.to_string(), key.to_string()));
        Ok(())
    }

    fn list_keys(&self, scope: &str) -> Result<Vec<String>, StorageError> {
        Ok(self
            .entries()?
            .keys()
            .filter(|(s, _)| s == scope)
            .map(|(_, k)| k.clone())
            .collect())
    }
}

/// What every plugin storage must do: keep scopes apart, replace on set, count its bytes.
/// Backends call it from their tests (feature `testsuite`).
#[cfg(any(test, feature = "testsuite"))]
pub fn scopes_are_separate(storage: &dyn PluginStorage) {
    storage.set("a", "k", b"1").unwrap();
    storage.set("b", "k", b"2").unwrap();
    storage.set("a", "k", b"3").unwrap();
    assert_eq!(storage.get("a", "k").unwrap(), Some(b"3".to_vec()));
    assert_eq!(storage.get("b", "k").unwrap(), Some(b"2".to_vec()));
    assert_eq!(storage.list_keys("a").unwrap(), vec!["k".to_string()]);
    assert_eq!(storage.used_bytes("a").unwrap(), 2);
    storage.delete("a", "k").unwrap();
    assert_eq!(storage.get("a", "k").unwrap(), None);
    assert!(storage.list_keys("c").unwrap().is_empty());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_storage_scopes() {
        scopes_are_separate(&MemoryStorage::new());
    }
}
