//! Where plugin storage lives: a small trait with a SQLite backend (default) and an in-memory
//! one (tests, `describe`). Each connection is one *scope*, so connections never see each
//! other's keys; `keyvalue` exposes a scope to the plugin as `wasi:keyvalue/store`.

use crate::error::StorageError;
use rusqlite::OptionalExtension;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

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

/// Plugin storage in a SQLite file (table `plugin_storage(scope, key, value)`).
pub struct SqliteStorage {
    db: Mutex<rusqlite::Connection>,
}

impl SqliteStorage {
    /// Opens (or creates) the database file and its table.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteStorage, StorageError> {
        let path = path.as_ref();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| {
                StorageError::Backend(format!("cannot create {}: {e}", parent.display()))
            })?;
        }
        let db = rusqlite::Connection::open(path)
            .map_err(|e| StorageError::Backend(format!("cannot open {}: {e}", path.display())))?;
        db.busy_timeout(std::time::Duration::from_secs(5))?;
        db.pragma_update(None, "journal_mode", "wal")?;
        db.execute_batch(
            "CREATE TABLE IF NOT EXISTS plugin_storage (
                 scope TEXT NOT NULL,
                 key   TEXT NOT NULL,
                 value BLOB NOT NULL,
                 PRIMARY KEY (scope, key)
             ) WITHOUT ROWID;",
        )?;
        Ok(SqliteStorage { db: Mutex::new(db) })
    }

    fn db(&self) -> Result<std::sync::MutexGuard<'_, rusqlite::Connection>, StorageError> {
        self.db
            .lock()
            .map_err(|_| StorageError::Backend("storage lock poisoned".into()))
    }
}

impl PluginStorage for SqliteStorage {
    fn get(&self, scope: &str, key: &str) -> Result<Option<Vec<u8>>, StorageError> {
        Ok(self
            .db()?
            .query_row(
                "SELECT value FROM plugin_storage WHERE scope = ?1 AND key = ?2",
                (scope, key),
                |row| row.get(0),
            )
            .optional()?)
    }

    fn set(&self, scope: &str, key: &str, value: &[u8]) -> Result<(), StorageError> {
        self.db()?.execute(
            "INSERT INTO plugin_storage (scope, key, value) VALUES (?1, ?2, ?3)
             ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value",
            (scope, key, value),
        )?;
        Ok(())
    }

    fn delete(&self, scope: &str, key: &str) -> Result<(), StorageError> {
        self.db()?.execute(
            "DELETE FROM plugin_storage WHERE scope = ?1 AND key = ?2",
            (scope, key),
        )?;
        Ok(())
    }

    fn list_keys(&self, scope: &str) -> Result<Vec<String>, StorageError> {
        let db = self.db()?;
        let mut statement =
            db.prepare("SELECT key FROM plugin_storage WHERE scope = ?1 ORDER BY key")?;
        let keys = statement
            .query_map([scope], |row| row.get(0))?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(keys)
    }

    fn used_bytes(&self, scope: &str) -> Result<u64, StorageError> {
        let total: i64 = self.db()?.query_row(
            "SELECT COALESCE(SUM(length(CAST(key AS BLOB)) + length(value)), 0) FROM plugin_storage WHERE scope = ?1",
            [scope],
            |row| row.get(0),
        )?;
        Ok(u64::try_from(total).unwrap_or(0))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn scopes_are_separate(storage: &dyn PluginStorage) {
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

    #[test]
    fn memory_storage_scopes() {
        scopes_are_separate(&MemoryStorage::new());
    }

    #[test]
    fn sqlite_storage_scopes() {
        let dir = std::env::temp_dir().join(format!("ats-storage-test-{}", std::process::id()));
        let storage = SqliteStorage::open(dir.join("storage.db")).unwrap();
        scopes_are_separate(&storage);
        drop(storage);
        let _ = std::fs::remove_dir_all(dir);
    }
}
