//! Versioned schema migrations, tracked in the one-row table `ats_schema_version`.
//!
//! The SQLite backend's approach: SQL files embedded in the binary, applied in order, a
//! database from a newer host refused rather than guessed at. PostgreSQL's DDL is
//! transactional, so every pending migration and the version bump commit together, and a
//! transaction-scoped advisory lock makes hosts starting at once take turns (the second finds
//! the schema current). Never edit a released migration: add the next file.

use crate::Error;
use ats_mirror::MirrorError;
use sqlx::{AssertSqlSafe, Connection, PgConnection};

/// Migration `i` upgrades the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_stream_leases.sql"),
    include_str!("migrations/0003_real_tenant_data.sql"),
    include_str!("migrations/0004_work_queue.sql"),
    include_str!("migrations/0005_resume_texts_due.sql"),
    include_str!("migrations/0006_run_progress.sql"),
    include_str!("migrations/0007_lz4_records.sql"),
    include_str!("migrations/0008_candidate_facets.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Key of the advisory lock migrations hold (any constant no other code uses).
const MIGRATION_LOCK: i64 = 0x6174_735f_6d69_6772; // "ats_migr"

/// Brings the database up to [`SCHEMA_VERSION`], or refuses a newer one.
pub async fn migrate(conn: &mut PgConnection) -> Result<(), Error> {
    let mut tx = conn.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(MIGRATION_LOCK)
        .execute(&mut *tx)
        .await?;
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS ats_schema_version (version BIGINT NOT NULL); \
         INSERT INTO ats_schema_version (version) \
             SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM ats_schema_version);",
    )
    .execute(&mut *tx)
    .await?;
    let found: i64 = sqlx::query_scalar("SELECT max(version) FROM ats_schema_version")
        .fetch_one(&mut *tx)
        .await?;
    if found > SCHEMA_VERSION {
        return Err(MirrorError::SchemaTooNew {
            found,
            known: SCHEMA_VERSION,
        }
        .into());
    }
    for sql in MIGRATIONS.iter().skip(found as usize) {
        sqlx::raw_sql(AssertSqlSafe(*sql)).execute(&mut *tx).await?;
    }
    sqlx::query("UPDATE ats_schema_version SET version = $1")
        .bind(SCHEMA_VERSION)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The schema version the database is at (0 before the first migration).
pub async fn schema_version(conn: &mut PgConnection) -> Result<i64, Error> {
    let exists: bool = sqlx::query_scalar("SELECT to_regclass('ats_schema_version') IS NOT NULL")
        .fetch_one(&mut *conn)
        .await?;
    if !exists {
        return Ok(0);
    }
    Ok(
        sqlx::query_scalar("SELECT coalesce(max(version), 0) FROM ats_schema_version")
            .fetch_one(&mut *conn)
            .await?,
    )
}
