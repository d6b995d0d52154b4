//! Versioned schema migrations, tracked in `PRAGMA user_version`.
//!
//! Migrations are SQL files embedded in the binary and applied in order, each in its own
//! transaction together with its version bump, so a crash mid-upgrade leaves the previous
//! version. A file from a newer host (a version we do not know) is refused rather than guessed
//! at. Never edit a released migration: add the next file.

use crate::Error;
use ats_mirror::MirrorError;
use rusqlite::{Connection, TransactionBehavior};

/// Migration `i` upgrades the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_connection_hosts.sql"),
    include_str!("migrations/0003_candidate_facets.sql"),
    include_str!("migrations/0004_candidate_source_detail.sql"),
    include_str!("migrations/0005_connection_grants.sql"),
    include_str!("migrations/0006_quota_ledgers.sql"),
    include_str!("migrations/0007_tenants.sql"),
    include_str!("migrations/0008_record_errors.sql"),
    include_str!("migrations/0009_no_empty_status_history.sql"),
    include_str!("migrations/0010_application_source_detail.sql"),
    include_str!("migrations/0011_resume_texts_due.sql"),
    include_str!("migrations/0012_run_progress.sql"),
    include_str!("migrations/0013_search_changes.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

fn user_version(conn: &Connection) -> Result<i64, Error> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// Brings the file up to [`SCHEMA_VERSION`], or refuses a newer one.
pub fn migrate(conn: &mut Connection) -> Result<(), Error> {
    let found = user_version(conn)?;
    if found > SCHEMA_VERSION {
        return Err(MirrorError::SchemaTooNew {
            found,
            known: SCHEMA_VERSION,
        }
        .into());
    }
    for (from, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let to = from as i64 + 1;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the write lock.
        if user_version(&tx)? < to {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", to)?;
        }
        tx.commit()?;
    }
    Ok(())
}
