//! Plugin storage in its own SQLite file beside the mirror (`plugin-storage.sqlite`): small
//! synchronous reads and writes, answered on the caller's thread (a plugin call waits on them).

use ats_mirror::plugin_storage::{PluginStorage, StorageError};
use rusqlite::OptionalExtension;
use std::path::Path;
use std::sync::Mutex;

fn backend(e: rusqlite::Error) -> StorageError {
    StorageError::Backend(e.to_string())
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
        db.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(backend)?;
        db.pragma_update(None, "journal_mode", "wal")
            .map_err(backend)?;
        db.execute_batch(
            "CREATE TABLE IF NOT EXISTS plugin_storage (
                 scope TEXT NOT NULL,
                 key   TEXT NOT NULL,
                 value BLOB NOT NULL,
                 PRIMARY KEY (scope, key)
             ) WITHOUT ROWID;",
        )
        .map_err(backend)?;
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
        self.db()?
            .query_row(
                "SELECT value FROM plugin_storage WHERE scope = ?1 AND key = ?2",
                (scope, key),
                |row| row.get(0),
            )
            .optional()
            .map_err(backend)
    }

    fn set(&self, scope: &str, key: &str, value: &[u8]) -> Result<(), StorageError> {
        self.db()?
            .execute(
                "INSERT INTO plugin_storage (scope, key, value) VALUES (?1, ?2, ?3)
             ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value",
                (scope, key, value),
            )
            .map_err(backend)?;
        Ok(())
    }

    fn delete(&self, scope: &str, key: &str) -> Result<(), StorageError> {
        self.db()?
            .execute(
                "DELETE FROM plugin_storage WHERE scope = ?1 AND key = ?2",
                (scope, key),
            )
            .map_err(backend)?;
        Ok(())
    }

    fn list_keys(&self, scope: &str) -> Result<Vec<String>, StorageError> {
        let db = self.db()?;
        let mut statement = db
            .prepare("SELECT key FROM plugin_storage WHERE scope = ?1 ORDER BY key")
            .map_err(backend)?;
        let keys = statement
            .query_map([scope], |row| row.get(0))
            .map_err(backend)?
            .collect::<Result<Vec<String>, _>>()
            .map_err(backend)?;
        Ok(keys)
    }

    fn used_bytes(&self, scope: &str) -> Result<u64, StorageError> {
        let total: i64 = self.db()?.query_row(
            "SELECT COALESCE(SUM(length(CAST(key AS BLOB)) + length(value)), 0) FROM plugin_storage WHERE scope = ?1",
            [scope],
            |row| row.get(0),
        ).map_err(backend)?;
        Ok(u64::try_from(total).unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_storage_scopes() {
        let dir = tempfile::tempdir().unwrap();
        let storage = SqliteStorage::open(dir.path().join("storage.db")).unwrap();
        ats_mirror::plugin_storage::scopes_are_separate(&storage);
    }
}
