//! The SQLite [`LedgerStore`]: one row per connection in `quota_ledgers`, each update one
//! `BEGIN IMMEDIATE` transaction on the writer connection. IMMEDIATE takes the database's write
//! lock before the read, so two processes cannot both read the same ledger and both spend its
//! last request; the busy timeout makes the second wait for the first instead of failing.
//!
//! Unlike the other calls this one runs on the caller's thread: admission is on the runtime's
//! synchronous HTTP hook, and one short transaction (~30 µs) costs less than a hop to the
//! blocking pool.

use crate::{Error, SqliteMirror};
use ats_mirror::{LedgerStore, MirrorError};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

impl LedgerStore for SqliteMirror {
    fn update_ledger(
        &self,
        connection: &str,
        update: &mut dyn FnMut(Option<&str>) -> Option<String>,
    ) -> Result<(), MirrorError> {
        Ok(self.db.write(|db| update_ledger(db, connection, update))?)
    }

    fn ledger(&self, connection: &str) -> Result<Option<String>, MirrorError> {
        Ok(self.db.read(|db| read_ledger(db, connection))?)
    }
}

/// Reads, updates and writes `connection`'s ledger in one IMMEDIATE transaction.
pub fn update_ledger(
    db: &mut Connection,
    connection: &str,
    update: &mut dyn FnMut(Option<&str>) -> Option<String>,
) -> Result<(), Error> {
    let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let current = read_ledger(&tx, connection)?;
    if let Some(next) = update(current.as_deref()) {
        tx.prepare_cached(
            "INSERT INTO quota_ledgers (connection, state, updated_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT (connection) DO UPDATE SET state = excluded.state, \
             updated_at = excluded.updated_at",
        )?
        .execute(params![connection, next, unix_now()])?;
    }
    tx.commit()?;
    Ok(())
}

/// The stored ledger of `connection`.
pub fn read_ledger(db: &Connection, connection: &str) -> Result<Option<String>, Error> {
    Ok(db
        .prepare_cached("SELECT state FROM quota_ledgers WHERE connection = ?1")?
        .query_row([connection], |r| r.get(0))
        .optional()?)
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
