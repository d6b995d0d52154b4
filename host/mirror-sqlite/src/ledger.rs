//! The SQLite [`LedgerStore`]: one row per connection in `quota_ledgers`, each update one
//! `BEGIN IMMEDIATE` transaction. IMMEDIATE takes the file's write lock before the read, so two
//! processes cannot both read the same ledger and both spend its last request; the busy timeout
//! makes the second wait for the first instead of failing.
//!
//! The ledgers live in a file of their own beside the mirror (`mirror.sqlite` →
//! `mirror.ledgers.sqlite`), with their own connection. SQLite lets one writer at a time into a
//! file, and a page of records holds the mirror's write lock for milliseconds: in the same file,
//! every reservation of quota waited for the page being written, on the runtime's thread (the
//! plugin tax fell from 0.89 to 0.60). Ledgers that an earlier version kept in the mirror's
//! `quota_ledgers` table are copied over once, when the ledger file is new.
//!
//! Unlike the other calls these run on the caller's thread: admission is on the runtime's
//! synchronous HTTP hook, and one short transaction (~30 µs) costs less than a hop to the
//! blocking pool.

use crate::{Error, SqliteMirror};
use ats_mirror::{LedgerStore, MirrorError};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::path::{Path, PathBuf};

impl LedgerStore for SqliteMirror {
    fn update_ledger(
        &self,
        connection: &str,
        update: &mut dyn FnMut(Option<&str>) -> Option<String>,
    ) -> Result<(), MirrorError> {
        Ok(self
            .db
            .ledgers(|db| update_ledger(db, connection, update))?)
    }

    fn ledger(&self, connection: &str) -> Result<Option<String>, MirrorError> {
        Ok(self.db.ledgers(|db| read_ledger(db, connection))?)
    }
}

/// Where the ledgers of the mirror at `mirror` are kept.
pub fn ledgers_path(mirror: &Path) -> PathBuf {
    let stem = mirror
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "mirror".into());
    mirror.with_file_name(format!("{stem}.ledgers.sqlite"))
}

/// Opens (creating when new) the ledger file of the mirror at `mirror`, whose schema is already
/// migrated.
pub(crate) fn open_ledgers(mirror: &Path) -> Result<Connection, Error> {
    let path = ledgers_path(mirror);
    let conn = Connection::open(&path)?;
    crate::configure(&conn)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS quota_ledgers (
             connection TEXT PRIMARY KEY,
             state TEXT NOT NULL,
             updated_at INTEGER NOT NULL
         );
         CREATE TABLE IF NOT EXISTS copied_from_mirror (done INTEGER NOT NULL);",
    )?;
    let copied: bool = conn.query_row("SELECT count(*) > 0 FROM copied_from_mirror", [], |r| {
        r.get(0)
    })?;
    if !copied {
        conn.execute("ATTACH DATABASE ?1 AS mirror", [mirror.to_string_lossy()])?;
        let tx = conn.unchecked_transaction()?;
        tx.execute(
            "INSERT OR IGNORE INTO main.quota_ledgers (connection, state, updated_at) \
             SELECT connection, state, updated_at FROM mirror.quota_ledgers",
            [],
        )?;
        tx.execute("INSERT INTO copied_from_mirror (done) VALUES (1)", [])?;
        tx.commit()?;
        conn.execute("DETACH DATABASE mirror", [])?;
    }
    Ok(conn)
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
