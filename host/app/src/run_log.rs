//! The run log: each sync run of a connection, newest first, with what it read and wrote and
//! how it ended (`ats runs` and `GET /v1/connections/{c}/runs` print the same entries).

use crate::host::{Host, HostError};
use ats_mirror::RunRow;
use ats_model::Timestamp;
use serde::Serialize;

/// Most entries one answer holds.
pub const MAX_RUNS: usize = 500;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunEntry {
    pub id: i64,
    pub stream: String,
    /// `full`, `incremental` or `reconcile`.
    pub mode: String,
    pub started_at: Timestamp,
    pub finished_at: Option<Timestamp>,
    /// `succeeded`, `failed`, `interrupted`, or `running` (also a run the host died in).
    pub result: String,
    pub upserted: u64,
    pub unchanged: u64,
    pub deleted: u64,
    pub pages: u64,
    /// Requests the run sent to the ATS.
    pub requests: u64,
    pub error: Option<String>,
    /// What to do about the error.
    pub advice: Option<String>,
}

impl From<RunRow> for RunEntry {
    fn from(run: RunRow) -> RunEntry {
        let outcome = run.outcome.as_ref();
        let error = outcome.and_then(|o| o.error.as_ref());
        RunEntry {
            id: run.id.0,
            mode: run.mode.as_str().to_string(),
            started_at: run.started_at,
            finished_at: run.finished_at,
            result: outcome.map_or("running", |o| o.result.as_str()).to_string(),
            upserted: outcome.map_or(0, |o| o.upserted),
            unchanged: outcome.map_or(0, |o| o.unchanged),
            deleted: outcome.map_or(0, |o| o.deleted),
            pages: outcome.map_or(0, |o| o.pages),
            requests: outcome.map_or(0, |o| o.requests),
            error: error.map(|e| format!("{}: {}", e.kind, e.message)),
            advice: error.and_then(|e| e.advice.clone()),
            stream: run.stream,
        }
    }
}

/// The last `limit` runs of `connection` (at most [`MAX_RUNS`]), newest first.
pub async fn run_log(
    host: &Host,
    connection: &str,
    limit: usize,
) -> Result<Vec<RunEntry>, HostError> {
    if limit == 0 || limit > MAX_RUNS {
        return Err(HostError::Invalid(format!(
            "the run log's limit must be 1 to {MAX_RUNS}, not {limit}"
        )));
    }
    let runs = host.mirror.runs(connection, limit).await?;
    Ok(runs.into_iter().map(RunEntry::from).collect())
}
