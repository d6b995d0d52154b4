//! Delete detection by full id scan, with a grace period.
//!
//! Incremental reads cannot see hard deletes, so the engine periodically lists every id. The
//! listed ids are collected here; only a scan that the engine declares complete marks the
//! unlisted records `missing_since`, and only records missing for longer than the grace period
//! are soft-deleted. A scan cut short by an error (a swallowed 403 looks like an empty list;
//! Nango's false deletes) is abandoned and changes nothing. Records first seen after the scan
//! began are never marked: the scan may have passed their position before they existed.

use crate::Error;
use crate::records::table;
use ats_mirror::{MirrorError, ReconcileOutcome, ScanId};
use ats_model::{RecordKind, Timestamp};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

pub(crate) fn begin(
    db: &Connection,
    conn: &str,
    kind: RecordKind,
    at: Timestamp,
) -> Result<ScanId, Error> {
    db.prepare_cached(
        "INSERT INTO reconcile_scans (conn, kind, started_at, state) VALUES (?1, ?2, ?3, 'running')",
    )?
    .execute(params![conn, kind.as_str(), at])?;
    Ok(ScanId(db.last_insert_rowid()))
}

struct Scan {
    conn: String,
    kind: RecordKind,
    started_at: Timestamp,
}

fn running_scan(db: &Connection, scan: ScanId) -> Result<Scan, Error> {
    let row = db
        .prepare_cached(
            "SELECT conn, kind, started_at FROM reconcile_scans WHERE scan_id = ?1 AND state = 'running'",
        )?
        .query_row([scan.0], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?))
        })
        .optional()?;
    let (conn, kind, started_at) =
        row.ok_or_else(|| MirrorError::NotFound(format!("no running reconcile scan {}", scan.0)))?;
    let kind = RecordKind::parse(&kind).ok_or_else(|| MirrorError::Corrupt {
        table: "reconcile_scans",
        column: "kind",
        detail: kind.clone(),
    })?;
    Ok(Scan {
        conn,
        kind,
        started_at,
    })
}

pub(crate) fn seen(db: &mut Connection, scan: ScanId, ids: &[String]) -> Result<(), Error> {
    let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
    running_scan(&tx, scan)?;
    {
        let mut insert = tx
            .prepare_cached("INSERT OR IGNORE INTO reconcile_seen (scan_id, id) VALUES (?1, ?2)")?;
        for id in ids {
            insert.execute(params![scan.0, id])?;
        }
    }
    tx.commit()?;
    Ok(())
}

pub(crate) fn finish(
    db: &mut Connection,
    scan: ScanId,
    at: Timestamp,
    grace_seconds: i64,
) -> Result<ReconcileOutcome, Error> {
    let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let s = running_scan(&tx, scan)?;
    let t = table(s.kind);
    let seen_ids = "SELECT id FROM reconcile_seen WHERE scan_id = ?2";
    let seen: u64 = tx.query_row(
        "SELECT count(*) FROM reconcile_seen WHERE scan_id = ?1",
        [scan.0],
        |r| r.get(0),
    )?;
    let recovered = tx.execute(
        &format!(
            "UPDATE {t} SET missing_since = NULL WHERE conn = ?1 AND missing_since IS NOT NULL \
             AND id IN ({seen_ids})"
        ),
        params![s.conn, scan.0],
    )? as u64;
    let newly_missing = tx.execute(
        &format!(
            "UPDATE {t} SET missing_since = ?3 WHERE conn = ?1 AND deleted_at IS NULL \
             AND missing_since IS NULL AND first_seen_at < ?4 AND id NOT IN ({seen_ids})"
        ),
        params![s.conn, scan.0, at, s.started_at],
    )? as u64;
    let deleted = tx.execute(
        &format!(
            "UPDATE {t} SET deleted_at = ?2 WHERE conn = ?1 AND deleted_at IS NULL \
             AND missing_since IS NOT NULL AND missing_since <= ?3"
        ),
        params![s.conn, at, at - grace_seconds],
    )? as u64;
    close(&tx, scan, "finished", Some(at))?;
    tx.commit()?;
    Ok(ReconcileOutcome {
        seen,
        newly_missing,
        recovered,
        deleted,
    })
}

pub(crate) fn abandon(db: &mut Connection, scan: ScanId) -> Result<(), Error> {
    let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
    running_scan(&tx, scan)?;
    close(&tx, scan, "abandoned", None)?;
    tx.commit()?;
    Ok(())
}

fn close(tx: &Connection, scan: ScanId, state: &str, at: Option<Timestamp>) -> Result<(), Error> {
    tx.execute("DELETE FROM reconcile_seen WHERE scan_id = ?1", [scan.0])?;
    tx.execute(
        "UPDATE reconcile_scans SET state = ?2, finished_at = ?3 WHERE scan_id = ?1",
        params![scan.0, state, at],
    )?;
    Ok(())
}
