//! Delete detection by full id scan, with a grace period (the semantics are SQLite's
//! `reconcile.rs`): listed ids are collected, only a scan declared complete marks the unlisted
//! records missing, only records missing longer than the grace period are soft-deleted, and
//! records first seen after the scan began are never marked. The scan's row is locked while it
//! is used, so two processes cannot finish (or abandon) one scan at once.

use crate::Error;
use crate::records::table;
use ats_mirror::{MirrorError, ReconcileOutcome, ScanId};
use ats_model::{RecordKind, Timestamp};
use sqlx::{AssertSqlSafe, Connection, PgConnection, Row};

pub(crate) async fn begin(
    db: &mut PgConnection,
    conn: &str,
    kind: RecordKind,
    at: Timestamp,
) -> Result<ScanId, Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO reconcile_scans (conn, kind, started_at, state) \
         VALUES ($1, $2, $3, 'running') RETURNING scan_id",
    )
    .bind(conn)
    .bind(kind.as_str())
    .bind(at)
    .fetch_one(&mut *db)
    .await?;
    Ok(ScanId(id))
}

struct Scan {
    conn: String,
    kind: RecordKind,
    started_at: Timestamp,
}

/// The running scan, locked for the caller's transaction.
async fn running_scan(tx: &mut PgConnection, scan: ScanId) -> Result<Scan, Error> {
    let row = sqlx::query(
        "SELECT conn, kind, started_at FROM reconcile_scans \
         WHERE scan_id = $1 AND state = 'running' FOR UPDATE",
    )
    .bind(scan.0)
    .fetch_optional(&mut *tx)
    .await?;
    let row =
        row.ok_or_else(|| MirrorError::NotFound(format!("no running reconcile scan {}", scan.0)))?;
    let kind: String = row.try_get(1)?;
    Ok(Scan {
        conn: row.try_get(0)?,
        kind: RecordKind::parse(&kind)
            .ok_or_else(|| crate::error::corrupt("reconcile_scans", "kind", kind.clone()))?,
        started_at: row.try_get(2)?,
    })
}

pub(crate) async fn seen(db: &mut PgConnection, scan: ScanId, ids: &[String]) -> Result<(), Error> {
    let mut tx = db.begin().await?;
    running_scan(&mut tx, scan).await?;
    sqlx::query(
        "INSERT INTO reconcile_seen (scan_id, id) SELECT $1, unnest($2::text[]) \
         ON CONFLICT DO NOTHING",
    )
    .bind(scan.0)
    .bind(ids)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(crate) async fn finish(
    db: &mut PgConnection,
    scan: ScanId,
    at: Timestamp,
    grace_seconds: i64,
) -> Result<ReconcileOutcome, Error> {
    let mut tx = db.begin().await?;
    let s = running_scan(&mut tx, scan).await?;
    let t = table(s.kind);
    let seen: i64 = sqlx::query_scalar("SELECT count(*) FROM reconcile_seen WHERE scan_id = $1")
        .bind(scan.0)
        .fetch_one(&mut *tx)
        .await?;
    let listed = "EXISTS (SELECT 1 FROM reconcile_seen r WHERE r.scan_id = $2 AND r.id = t.id)";
    let recovered = sqlx::query(AssertSqlSafe(format!(
        "UPDATE {t} t SET missing_since = NULL WHERE conn = $1 AND missing_since IS NOT NULL \
         AND {listed}"
    )))
    .bind(&s.conn)
    .bind(scan.0)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let newly_missing = sqlx::query(AssertSqlSafe(format!(
        "UPDATE {t} t SET missing_since = $3 WHERE conn = $1 AND deleted_at IS NULL \
         AND missing_since IS NULL AND first_seen_at < $4 AND NOT {listed}"
    )))
    .bind(&s.conn)
    .bind(scan.0)
    .bind(at)
    .bind(s.started_at)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let deleted = sqlx::query(AssertSqlSafe(format!(
        "UPDATE {t} SET deleted_at = $2 WHERE conn = $1 AND deleted_at IS NULL \
         AND missing_since IS NOT NULL AND missing_since <= $3"
    )))
    .bind(&s.conn)
    .bind(at)
    .bind(at - grace_seconds)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    close(&mut tx, scan, "finished", Some(at)).await?;
    tx.commit().await?;
    Ok(ReconcileOutcome {
        seen: crate::error::unsigned("reconcile_seen", "count", seen)?,
        newly_missing,
        recovered,
        deleted,
    })
}

pub(crate) async fn abandon(db: &mut PgConnection, scan: ScanId) -> Result<(), Error> {
    let mut tx = db.begin().await?;
    running_scan(&mut tx, scan).await?;
    close(&mut tx, scan, "abandoned", None).await?;
    tx.commit().await?;
    Ok(())
}

async fn close(
    tx: &mut PgConnection,
    scan: ScanId,
    state: &str,
    at: Option<Timestamp>,
) -> Result<(), Error> {
    sqlx::query("DELETE FROM reconcile_seen WHERE scan_id = $1")
        .bind(scan.0)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE reconcile_scans SET state = $2, finished_at = $3 WHERE scan_id = $1")
        .bind(scan.0)
        .bind(state)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    Ok(())
}
