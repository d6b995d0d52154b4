//! Per-stream sync state (the checkpoint) and the run log.

use crate::Error;
use crate::error::{corrupt, unsigned};
use ats_mirror::{
    RecordErrorRow, RunId, RunMode, RunOutcome, RunProgress, RunResult, RunRow, StreamError,
    StreamLabel, StreamState,
};
use ats_model::{RecordError, RecordKind};
use sqlx::{PgConnection, Row};

pub(crate) async fn load(
    db: &mut PgConnection,
    conn: &str,
    stream: &str,
) -> Result<Option<StreamState>, Error> {
    let row = sqlx::query(
        "SELECT label, mode, cursor, run_started_at, run_max_updated_at, high_water_mark, \
         last_success_at, last_failure_at, error_kind, error_message, error_advice, \
         consecutive_failures, paused_until, unstamped_records, unstamped_runs, \
         run_records, run_requests, run_busy_ms \
         FROM stream_state WHERE conn = $1 AND stream = $2",
    )
    .bind(conn)
    .bind(stream)
    .fetch_optional(&mut *db)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let unknown =
        |column, value: &str| corrupt("stream_state", column, format!("unknown value `{value}`"));
    let label: String = r.try_get(0)?;
    let mode: Option<String> = r.try_get(1)?;
    let error_kind: Option<String> = r.try_get(8)?;
    let failures: i64 = r.try_get(11)?;
    let unstamped_runs: i64 = r.try_get(14)?;
    Ok(Some(StreamState {
        label: StreamLabel::parse(&label).ok_or_else(|| unknown("label", &label))?,
        mode: match mode {
            Some(m) => Some(RunMode::parse(&m).ok_or_else(|| unknown("mode", &m))?),
            None => None,
        },
        cursor: r.try_get(2)?,
        run_started_at: r.try_get(3)?,
        run_max_updated_at: r.try_get(4)?,
        high_water_mark: r.try_get(5)?,
        last_success_at: r.try_get(6)?,
        last_failure_at: r.try_get(7)?,
        last_error: match error_kind {
            Some(kind) => Some(StreamError {
                kind,
                message: r.try_get::<Option<String>, _>(9)?.unwrap_or_default(),
                advice: r.try_get(10)?,
            }),
            None => None,
        },
        consecutive_failures: u32::try_from(failures)
            .map_err(|_| corrupt("stream_state", "consecutive_failures", failures.to_string()))?,
        paused_until: r.try_get(12)?,
        unstamped_records: unsigned("stream_state", "unstamped_records", r.try_get(13)?)?,
        unstamped_runs: u32::try_from(unstamped_runs)
            .map_err(|_| corrupt("stream_state", "unstamped_runs", unstamped_runs.to_string()))?,
        run_progress: RunProgress {
            records: unsigned("stream_state", "run_records", r.try_get(15)?)?,
            requests: unsigned("stream_state", "run_requests", r.try_get(16)?)?,
            busy_ms: unsigned("stream_state", "run_busy_ms", r.try_get(17)?)?,
        },
    }))
}

pub(crate) async fn save(
    db: &mut PgConnection,
    conn: &str,
    stream: &str,
    s: &StreamState,
) -> Result<(), Error> {
    let error = s.last_error.as_ref();
    sqlx::query(
        "INSERT INTO stream_state (conn, stream, label, mode, cursor, run_started_at, \
         run_max_updated_at, high_water_mark, last_success_at, last_failure_at, error_kind, \
         error_message, error_advice, consecutive_failures, paused_until, unstamped_records, \
         unstamped_runs, run_records, run_requests, run_busy_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
         $18, $19, $20) \
         ON CONFLICT (conn, stream) DO UPDATE SET label = excluded.label, mode = excluded.mode, \
         cursor = excluded.cursor, run_started_at = excluded.run_started_at, \
         run_max_updated_at = excluded.run_max_updated_at, \
         high_water_mark = excluded.high_water_mark, last_success_at = excluded.last_success_at, \
         last_failure_at = excluded.last_failure_at, error_kind = excluded.error_kind, \
         error_message = excluded.error_message, error_advice = excluded.error_advice, \
         consecutive_failures = excluded.consecutive_failures, \
         paused_until = excluded.paused_until, \
         unstamped_records = excluded.unstamped_records, unstamped_runs = excluded.unstamped_runs, \
         run_records = excluded.run_records, run_requests = excluded.run_requests, \
         run_busy_ms = excluded.run_busy_ms",
    )
    .bind(conn)
    .bind(stream)
    .bind(s.label.as_str())
    .bind(s.mode.map(RunMode::as_str))
    .bind(&s.cursor)
    .bind(s.run_started_at)
    .bind(s.run_max_updated_at)
    .bind(s.high_water_mark)
    .bind(s.last_success_at)
    .bind(s.last_failure_at)
    .bind(error.map(|e| e.kind.as_str()))
    .bind(error.map(|e| e.message.as_str()))
    .bind(error.and_then(|e| e.advice.as_deref()))
    .bind(i64::from(s.consecutive_failures))
    .bind(s.paused_until)
    .bind(signed(s.unstamped_records))
    .bind(i64::from(s.unstamped_runs))
    .bind(signed(s.run_progress.records))
    .bind(signed(s.run_progress.requests))
    .bind(signed(s.run_progress.busy_ms))
    .execute(&mut *db)
    .await?;
    Ok(())
}

pub(crate) async fn start_run(
    db: &mut PgConnection,
    conn: &str,
    stream: &str,
    mode: RunMode,
    at: i64,
) -> Result<RunId, Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO runs (conn, stream, mode, started_at) VALUES ($1, $2, $3, $4) RETURNING run_id",
    )
    .bind(conn)
    .bind(stream)
    .bind(mode.as_str())
    .bind(at)
    .fetch_one(&mut *db)
    .await?;
    Ok(RunId(id))
}

fn signed(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

pub(crate) async fn finish_run(
    db: &mut PgConnection,
    run: RunId,
    o: &RunOutcome,
) -> Result<(), Error> {
    let error = o.error.as_ref();
    let changed = sqlx::query(
        "UPDATE runs SET finished_at = $2, outcome = $3, upserted = $4, unchanged = $5, \
         deleted = $6, pages = $7, requests = $8, error_kind = $9, error_message = $10, \
         record_errors = $11 WHERE run_id = $1",
    )
    .bind(run.0)
    .bind(o.finished_at)
    .bind(o.result.as_str())
    .bind(signed(o.upserted))
    .bind(signed(o.unchanged))
    .bind(signed(o.deleted))
    .bind(signed(o.pages))
    .bind(signed(o.requests))
    .bind(error.map(|e| e.kind.as_str()))
    .bind(error.map(|e| e.message.as_str()))
    .bind(signed(o.record_errors))
    .execute(&mut *db)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(ats_mirror::MirrorError::NotFound(format!(
            "run {} is not in the run log",
            run.0
        ))
        .into());
    }
    Ok(())
}

pub(crate) async fn runs(
    db: &mut PgConnection,
    conn: &str,
    limit: usize,
) -> Result<Vec<RunRow>, Error> {
    let rows = sqlx::query(
        "SELECT run_id, conn, stream, mode, started_at, finished_at, outcome, upserted, unchanged, \
         deleted, pages, requests, error_kind, error_message, record_errors FROM runs \
         WHERE conn = $1 \
         ORDER BY run_id DESC LIMIT $2",
    )
    .bind(conn)
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .fetch_all(&mut *db)
    .await?;
    let unknown = |column, value: &str| corrupt("runs", column, format!("unknown value `{value}`"));
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let mode: String = r.try_get(3)?;
        let outcome: Option<String> = r.try_get(6)?;
        let finished_at: Option<i64> = r.try_get(5)?;
        let error_kind: Option<String> = r.try_get(12)?;
        let outcome = match outcome {
            Some(result) => Some(RunOutcome {
                finished_at: finished_at.unwrap_or_default(),
                result: RunResult::parse(&result).ok_or_else(|| unknown("outcome", &result))?,
                upserted: unsigned("runs", "upserted", r.try_get(7)?)?,
                unchanged: unsigned("runs", "unchanged", r.try_get(8)?)?,
                deleted: unsigned("runs", "deleted", r.try_get(9)?)?,
                pages: unsigned("runs", "pages", r.try_get(10)?)?,
                requests: unsigned("runs", "requests", r.try_get(11)?)?,
                record_errors: unsigned("runs", "record_errors", r.try_get(14)?)?,
                error: match error_kind {
                    Some(kind) => Some(StreamError {
                        kind,
                        message: r.try_get::<Option<String>, _>(13)?.unwrap_or_default(),
                        advice: None,
                    }),
                    None => None,
                },
            }),
            None => None,
        };
        out.push(RunRow {
            id: RunId(r.try_get(0)?),
            conn: r.try_get(1)?,
            stream: r.try_get(2)?,
            mode: RunMode::parse(&mode).ok_or_else(|| unknown("mode", &mode))?,
            started_at: r.try_get(4)?,
            finished_at,
            outcome,
        });
    }
    Ok(out)
}

// ---- record errors ----

/// Keeps (or refreshes) record errors; see `MirrorStore::put_record_errors`.
pub(crate) async fn put_record_errors(
    db: &mut PgConnection,
    conn: &str,
    stream: &str,
    kind: RecordKind,
    errors: &[RecordError],
    at: i64,
) -> Result<(), Error> {
    if errors.is_empty() {
        return Ok(());
    }
    let ids: Vec<&str> = errors.iter().map(|e| e.id.as_str()).collect();
    let reasons: Vec<&str> = errors.iter().map(|e| e.reason.as_str()).collect();
    let advice: Vec<&str> = errors.iter().map(|e| e.advice.as_str()).collect();
    // A page holds each id once (the host checks), so one statement upserts them all.
    sqlx::query(
        "INSERT INTO record_errors (conn, kind, id, stream, reason, advice, first_seen_at, \
         last_seen_at, attempts) \
         SELECT $1, $2, e.id, $3, e.reason, e.advice, $7, $7, 1 \
         FROM unnest($4::text[], $5::text[], $6::text[]) AS e (id, reason, advice) \
         ON CONFLICT (conn, kind, id) DO UPDATE SET stream = excluded.stream, \
         reason = excluded.reason, advice = excluded.advice, \
         last_seen_at = excluded.last_seen_at, attempts = record_errors.attempts + 1",
    )
    .bind(conn)
    .bind(kind.as_str())
    .bind(stream)
    .bind(ids)
    .bind(reasons)
    .bind(advice)
    .bind(at)
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// Whether the connection has any record error (a page checks once, then skips the rest).
pub(crate) async fn has_record_errors(db: &mut PgConnection, conn: &str) -> Result<bool, Error> {
    Ok(
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM record_errors WHERE conn = $1)")
            .bind(conn)
            .fetch_one(&mut *db)
            .await?,
    )
}

/// Drops the record errors of records that were written or deleted.
pub(crate) async fn clear_record_errors(
    db: &mut PgConnection,
    conn: &str,
    kind: RecordKind,
    ids: &[&str],
) -> Result<(), Error> {
    if ids.is_empty() {
        return Ok(());
    }
    sqlx::query("DELETE FROM record_errors WHERE conn = $1 AND kind = $2 AND id = ANY($3)")
        .bind(conn)
        .bind(kind.as_str())
        .bind(ids)
        .execute(&mut *db)
        .await?;
    Ok(())
}

pub(crate) async fn record_errors(
    db: &mut PgConnection,
    conn: &str,
    stream: &str,
) -> Result<Vec<RecordErrorRow>, Error> {
    let rows = sqlx::query(
        "SELECT kind, id, reason, advice, first_seen_at, last_seen_at, attempts \
         FROM record_errors WHERE conn = $1 AND stream = $2 ORDER BY id",
    )
    .bind(conn)
    .bind(stream)
    .fetch_all(&mut *db)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let kind: String = r.try_get(0)?;
        let attempts: i64 = r.try_get(6)?;
        out.push(RecordErrorRow {
            stream: stream.to_string(),
            kind: RecordKind::parse(&kind).ok_or_else(|| {
                corrupt("record_errors", "kind", format!("unknown value `{kind}`"))
            })?,
            id: r.try_get(1)?,
            reason: r.try_get(2)?,
            advice: r.try_get(3)?,
            first_seen_at: r.try_get(4)?,
            last_seen_at: r.try_get(5)?,
            attempts: u32::try_from(attempts)
                .map_err(|_| corrupt("record_errors", "attempts", attempts.to_string()))?,
        });
    }
    Ok(out)
}
