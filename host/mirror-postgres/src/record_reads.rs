//! Reading mirrored records back: one record with its bookkeeping, an application's status
//! history, live ids and counts.

use crate::Error;
use crate::records::table;
use ats_mirror::{StatusChange, StoredRecord};
use ats_model::{AtsRecord, RecordKind, Stage};
use sqlx::{AssertSqlSafe, PgConnection, Row};

pub(crate) fn decode_record(kind: RecordKind, json: &str) -> Result<AtsRecord, Error> {
    serde_json::from_str(json)
        .map_err(|e| crate::error::corrupt(table(kind), "record_json", e.to_string()))
}

/// One record with its bookkeeping.
pub(crate) async fn read_record(
    db: &mut PgConnection,
    conn: &str,
    kind: RecordKind,
    id: &str,
) -> Result<Option<StoredRecord>, Error> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT record_json, raw, content_hash, first_seen_at, last_seen_at, deleted_at, \
         missing_since FROM {} WHERE conn = $1 AND id = $2",
        table(kind)
    )))
    .bind(conn)
    .bind(id)
    .fetch_optional(&mut *db)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let json: String = row.try_get(0)?;
    let raw: Option<String> = row.try_get(1)?;
    let mut record = decode_record(kind, &json)?;
    match &mut record {
        AtsRecord::Candidate(r) => r.raw = raw,
        AtsRecord::Job(r) => r.raw = raw,
        AtsRecord::Application(r) => r.raw = raw,
        AtsRecord::Status(r) => r.raw = raw,
        AtsRecord::Folder(r) => r.raw = raw,
    }
    Ok(Some(StoredRecord {
        record,
        content_hash: row.try_get(2)?,
        first_seen_at: row.try_get(3)?,
        last_seen_at: row.try_get(4)?,
        deleted_at: row.try_get(5)?,
        missing_since: row.try_get(6)?,
    }))
}

pub(crate) async fn status_history(
    db: &mut PgConnection,
    conn: &str,
    application_id: &str,
) -> Result<Vec<StatusChange>, Error> {
    let rows = sqlx::query(
        "SELECT status_id, status_name, stage, changed_at, seen_at FROM application_status_history \
         WHERE conn = $1 AND application_id = $2 ORDER BY seq",
    )
    .bind(conn)
    .bind(application_id)
    .fetch_all(&mut *db)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(StatusChange {
                status_id: r.try_get(0)?,
                status_name: r.try_get(1)?,
                stage: r
                    .try_get::<Option<String>, _>(2)?
                    .as_deref()
                    .and_then(Stage::parse),
                changed_at: r.try_get(3)?,
                seen_at: r.try_get(4)?,
            })
        })
        .collect()
}

/// Live ids of one kind, in byte order (as SQLite sorts them, whatever the database's locale).
pub(crate) async fn live_ids(
    db: &mut PgConnection,
    conn: &str,
    kind: RecordKind,
) -> Result<Vec<String>, Error> {
    Ok(sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT id FROM {} WHERE conn = $1 AND deleted_at IS NULL ORDER BY id COLLATE \"C\"",
        table(kind)
    )))
    .bind(conn)
    .fetch_all(&mut *db)
    .await?)
}

/// (live, deleted) counts of one kind.
pub(crate) async fn count(
    db: &mut PgConnection,
    conn: &str,
    kind: RecordKind,
) -> Result<(u64, u64), Error> {
    let t = table(kind);
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT count(*) - count(deleted_at), count(deleted_at) FROM {t} WHERE conn = $1"
    )))
    .bind(conn)
    .fetch_one(&mut *db)
    .await?;
    Ok((
        crate::error::unsigned(t, "count", row.try_get(0)?)?,
        crate::error::unsigned(t, "count", row.try_get(1)?)?,
    ))
}
