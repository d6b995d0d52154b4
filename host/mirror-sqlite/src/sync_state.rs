//! Per-stream sync state (the checkpoint) and the run log.

use crate::Error;
use ats_mirror::{
    MirrorError, RecordErrorRow, RunId, RunMode, RunOutcome, RunProgress, RunResult, RunRow,
    StreamError, StreamLabel, StreamState,
};
use ats_model::{RecordError, RecordKind};
use rusqlite::{Connection, OptionalExtension, params};

pub(crate) fn load(
    db: &Connection,
    conn: &str,
    stream: &str,
) -> Result<Option<StreamState>, Error> {
    let row = db
        .prepare_cached(
            "SELECT label, mode, cursor, run_started_at, run_max_updated_at, high_water_mark, \
             last_success_at, last_failure_at, error_kind, error_message, error_advice, \
             consecutive_failures, paused_until, unstamped_records, unstamped_runs, \
             run_records, run_requests, run_busy_ms \
             FROM stream_state WHERE conn = ?1 AND stream = ?2",
        )?
        .query_row(params![conn, stream], |r| {
            let label: String = r.get(0)?;
            let mode: Option<String> = r.get(1)?;
            let error_kind: Option<String> = r.get(8)?;
            Ok((
                label,
                mode,
                StreamState {
                    label: StreamLabel::NotStarted,
                    mode: None,
                    cursor: r.get(2)?,
                    run_started_at: r.get(3)?,
                    run_max_updated_at: r.get(4)?,
                    high_water_mark: r.get(5)?,
                    last_success_at: r.get(6)?,
                    last_failure_at: r.get(7)?,
                    last_error: match error_kind {
                        Some(kind) => Some(StreamError {
                            kind,
                            message: r.get::<_, Option<String>>(9)?.unwrap_or_default(),
                            advice: r.get(10)?,
                        }),
                        None => None,
                    },
                    consecutive_failures: r.get(11)?,
                    paused_until: r.get(12)?,
                    unstamped_records: r.get(13)?,
                    unstamped_runs: r.get(14)?,
                    run_progress: RunProgress {
                        records: r.get(15)?,
                        requests: r.get(16)?,
                        busy_ms: r.get(17)?,
                    },
                },
            ))
        })
        .optional()?;
    let Some((label, mode, mut state)) = row else {
        return Ok(None);
    };
    let corrupt = |column, value: &str| MirrorError::Corrupt {
        table: "stream_state",
        column,
        detail: format!("unknown value `{value}`"),
    };
    state.label = StreamLabel::parse(&label).ok_or_else(|| corrupt("label", &label))?;
    state.mode = match mode {
        Some(m) => Some(RunMode::parse(&m).ok_or_else(|| corrupt("mode", &m))?),
        None => None,
    };
    Ok(Some(state))
}

pub(crate) fn save(
    db: &Connection,
    conn: &str,
    stream: &str,
    s: &StreamState,
) -> Result<(), Error> {
    let error = s.last_error.as_ref();
    db.prepare_cached(
        "INSERT OR REPLACE INTO stream_state (conn, stream, label, mode, cursor, run_started_at, \
         run_max_updated_at, high_water_mark, last_success_at, last_failure_at, error_kind, \
         error_message, error_advice, consecutive_failures, paused_until, unstamped_records, \
         unstamped_runs, run_records, run_requests, run_busy_ms) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, \
         ?18, ?19, ?20)",
    )?
    .execute(params![
        conn,
        stream,
        s.label.as_str(),
        s.mode.map(RunMode::as_str),
        s.cursor,
        s.run_started_at,
        s.run_max_updated_at,
        s.high_water_mark,
        s.last_success_at,
        s.last_failure_at,
        error.map(|e| &e.kind),
        error.map(|e| &e.message),
        error.and_then(|e| e.advice.as_ref()),
        s.consecutive_failures,
        s.paused_until,
        s.unstamped_records,
        s.unstamped_runs,
        s.run_progress.records,
        s.run_progress.requests,
        s.run_progress.busy_ms,
    ])?;
    Ok(())
}

pub(crate) fn start_run(
    db: &Connection,
    conn: &str,
    stream: &str,
    mode: RunMode,
    at: i64,
) -> Result<RunId, Error> {
    db.prepare_cached("INSERT INTO runs (conn, stream, mode, started_at) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![conn, stream, mode.as_str(), at])?;
    Ok(RunId(db.last_insert_rowid()))
}

pub(crate) fn finish_run(db: &Connection, run: RunId, o: &RunOutcome) -> Result<(), Error> {
    let error = o.error.as_ref();
    let changed = db
        .prepare_cached(
            "UPDATE runs SET finished_at = ?2, outcome = ?3, upserted = ?4, unchanged = ?5, \
             deleted = ?6, pages = ?7, requests = ?8, error_kind = ?9, error_message = ?10, \
             record_errors = ?11 WHERE run_id = ?1",
        )?
        .execute(params![
            run.0,
            o.finished_at,
            o.result.as_str(),
            o.upserted,
            o.unchanged,
            o.deleted,
            o.pages,
            o.requests,
            error.map(|e| &e.kind),
            error.map(|e| &e.message),
            o.record_errors,
        ])?;
    if changed == 0 {
        return Err(MirrorError::NotFound(format!("run {} is not in the run log", run.0)).into());
    }
    Ok(())
}

pub(crate) fn runs(db: &Connection, conn: &str, limit: usize) -> Result<Vec<RunRow>, Error> {
    let mut stmt = db.prepare_cached(
        "SELECT run_id, conn, stream, mode, started_at, finished_at, outcome, upserted, unchanged, \
         deleted, pages, requests, error_kind, error_message, record_errors FROM runs \
         WHERE conn = ?1 \
         ORDER BY run_id DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![conn, limit as i64], |r| {
        let mode: String = r.get(3)?;
        let outcome: Option<String> = r.get(6)?;
        let finished_at: Option<i64> = r.get(5)?;
        let error_kind: Option<String> = r.get(12)?;
        Ok((
            mode,
            outcome,
            RunRow {
                id: RunId(r.get(0)?),
                conn: r.get(1)?,
                stream: r.get(2)?,
                mode: RunMode::Full,
                started_at: r.get(4)?,
                finished_at,
                outcome: None,
            },
            RunOutcome {
                finished_at: finished_at.unwrap_or_default(),
                result: RunResult::Failed,
                upserted: r.get(7)?,
                unchanged: r.get(8)?,
                deleted: r.get(9)?,
                pages: r.get(10)?,
                requests: r.get(11)?,
                record_errors: r.get(14)?,
                error: match error_kind {
                    Some(kind) => Some(StreamError {
                        kind,
                        message: r.get::<_, Option<String>>(13)?.unwrap_or_default(),
                        advice: None,
                    }),
                    None => None,
                },
            },
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (mode, outcome, mut run, mut totals) = row?;
        let corrupt = |column, value: &str| MirrorError::Corrupt {
            table: "runs",
            column,
            detail: format!("unknown value `{value}`"),
        };
        run.mode = RunMode::parse(&mode).ok_or_else(|| corrupt("mode", &mode))?;
        if let Some(result) = outcome {
            totals.result = RunResult::parse(&result).ok_or_else(|| corrupt("outcome", &result))?;
            run.outcome = Some(totals);
        }
        out.push(run);
    }
    Ok(out)
}

// ---- record errors ----

/// Keeps (or refreshes) record errors; see `MirrorStore::put_record_errors`.
pub(crate) fn put_record_errors(
    db: &Connection,
    conn: &str,
    stream: &str,
    kind: RecordKind,
    errors: &[RecordError],
    at: i64,
) -> Result<(), Error> {
    let mut stmt = db.prepare_cached(
        "INSERT INTO record_errors (conn, kind, id, stream, reason, advice, first_seen_at, \
         last_seen_at, attempts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, 1) \
         ON CONFLICT (conn, kind, id) DO UPDATE SET stream = excluded.stream, \
         reason = excluded.reason, advice = excluded.advice, last_seen_at = excluded.last_seen_at, \
         attempts = attempts + 1",
    )?;
    for e in errors {
        stmt.execute(params![
            conn,
            kind.as_str(),
            e.id,
            stream,
            e.reason,
            e.advice,
            at
        ])?;
    }
    Ok(())
}

/// Whether the connection has any record error (a page checks once, then skips the rest).
pub(crate) fn has_record_errors(db: &Connection, conn: &str) -> Result<bool, Error> {
    Ok(db
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM record_errors WHERE conn = ?1)")?
        .query_row([conn], |r| r.get(0))?)
}

/// Drops the record error of a record that was written or deleted.
pub(crate) fn clear_record_error(
    db: &Connection,
    conn: &str,
    kind: RecordKind,
    id: &str,
) -> Result<(), Error> {
    db.prepare_cached("DELETE FROM record_errors WHERE conn = ?1 AND kind = ?2 AND id = ?3")?
        .execute(params![conn, kind.as_str(), id])?;
    Ok(())
}

pub(crate) fn record_errors(
    db: &Connection,
    conn: &str,
    stream: &str,
) -> Result<Vec<RecordErrorRow>, Error> {
    let mut stmt = db.prepare_cached(
        "SELECT kind, id, reason, advice, first_seen_at, last_seen_at, attempts \
         FROM record_errors WHERE conn = ?1 AND stream = ?2 ORDER BY id",
    )?;
    let rows = stmt.query_map(params![conn, stream], |r| {
        Ok((
            r.get::<_, String>(0)?,
            RecordErrorRow {
                stream: stream.to_string(),
                kind: RecordKind::Candidate,
                id: r.get(1)?,
                reason: r.get(2)?,
                advice: r.get(3)?,
                first_seen_at: r.get(4)?,
                last_seen_at: r.get(5)?,
                attempts: r.get(6)?,
            },
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (kind, mut error) = row?;
        error.kind = RecordKind::parse(&kind).ok_or_else(|| MirrorError::Corrupt {
            table: "record_errors",
            column: "kind",
            detail: format!("unknown value `{kind}`"),
        })?;
        out.push(error);
    }
    Ok(out)
}
