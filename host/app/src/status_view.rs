//! What `ats status` shows: each connection's and stream's state in recruiters' words, the last
//! error with what to do, the mirror's counts, and where the request quota stands per lane.

use crate::due::{interval_of, next_run_at};
use crate::host::{Host, HostError};
use ats_mirror::{ConnectionRow, StreamLabel, StreamState};
use ats_model::{RecordKind, Timestamp};
use ats_sync::quota::{Lane, QuotaLedger};
use ats_sync::{SyncStatus, meter::now};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct StreamStatus {
    pub stream: String,
    pub kind: RecordKind,
    pub status: SyncStatus,
    pub last_success_at: Option<Timestamp>,
    pub high_water_mark: Option<Timestamp>,
    pub paused_until: Option<Timestamp>,
    pub interval_seconds: u64,
    pub next_run_at: Timestamp,
    pub error: Option<String>,
    pub advice: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KindCount {
    pub kind: RecordKind,
    pub live: u64,
    pub deleted: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct LaneQuota {
    pub lane: Lane,
    /// Requests the lane may still send in this window.
    pub available: Option<u64>,
    /// When the lane can send again, if its share is spent.
    pub resumes_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuotaStatus {
    pub limit: Option<u64>,
    pub remaining: Option<u64>,
    pub reset_at: Option<Timestamp>,
    pub lanes: Vec<LaneQuota>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConnectionStatus {
    pub connection: String,
    pub status: SyncStatus,
    /// When the connection was paused (no syncs run until resumed).
    pub paused_at: Option<Timestamp>,
    pub streams: Vec<StreamStatus>,
    pub counts: Vec<KindCount>,
    pub quota: Option<QuotaStatus>,
}

/// The display status of a stored stream state.
pub fn sync_status(state: Option<&StreamState>) -> SyncStatus {
    match state.map(|s| s.label) {
        None | Some(StreamLabel::NotStarted) => SyncStatus::NotStarted,
        Some(StreamLabel::Syncing) => SyncStatus::Syncing,
        Some(StreamLabel::Done) => SyncStatus::Done,
        Some(StreamLabel::Failed) => SyncStatus::Failed,
        Some(StreamLabel::Paused) => SyncStatus::PausedForQuota,
        Some(StreamLabel::NeedsAttention) => SyncStatus::NeedsAttention,
    }
}

/// The status of one connection.
pub async fn connection_status(
    host: &Host,
    row: &ConnectionRow,
) -> Result<ConnectionStatus, HostError> {
    let streams = stream_statuses(host, row).await?;
    let status = SyncStatus::of_connection(&streams.iter().map(|s| s.status).collect::<Vec<_>>());
    let counts = host.mirror.counts(&row.name).await?;
    let counts = RecordKind::ALL
        .into_iter()
        .map(|kind| {
            let c = counts.get(kind);
            KindCount {
                kind,
                live: c.live,
                deleted: c.deleted,
            }
        })
        .collect();
    Ok(ConnectionStatus {
        connection: row.name.clone(),
        status,
        paused_at: row.paused_at,
        streams,
        counts,
        quota: connection_quota(host, row),
    })
}

/// Where each stream the connector declares stands (no record counts: those scan the mirror).
pub async fn stream_statuses(
    host: &Host,
    row: &ConnectionRow,
) -> Result<Vec<StreamStatus>, HostError> {
    let plugin = host
        .runtime
        .load_plugin(std::path::Path::new(&row.plugin_path))?;
    let info = plugin
        .describe(&row.settings)
        .await
        .map_err(|e| HostError::Invalid(format!("connection `{}`: {e}", row.name)))?;
    let at = now();
    let mut streams = Vec::new();
    for spec in &info.streams {
        let state = host.mirror.stream_state(&row.name, &spec.name).await?;
        let interval = interval_of(row, spec);
        let error = state.as_ref().and_then(|s| s.last_error.as_ref());
        streams.push(StreamStatus {
            stream: spec.name.clone(),
            kind: spec.kind,
            status: sync_status(state.as_ref()),
            last_success_at: state.as_ref().and_then(|s| s.last_success_at),
            high_water_mark: state.as_ref().and_then(|s| s.high_water_mark),
            paused_until: state.as_ref().and_then(|s| s.paused_until),
            interval_seconds: interval,
            next_run_at: next_run_at(state.as_ref(), interval, at),
            error: error.map(|e| e.message.clone()),
            advice: error.and_then(|e| e.advice.clone()),
        });
    }
    Ok(streams)
}

/// The request quota by lane, as the shared ledger holds it now.
pub fn connection_quota(host: &Host, row: &ConnectionRow) -> Option<QuotaStatus> {
    host.saved_ledger(&row.name)
        .map(|ledger| quota_status(ledger, now()))
}

fn quota_status(mut ledger: QuotaLedger, at: Timestamp) -> QuotaStatus {
    let lanes = Lane::ALL
        .into_iter()
        .map(|lane| {
            let available = ledger.available(lane, at);
            LaneQuota {
                lane,
                available,
                // The engine pauses a lane that cannot pay for a page.
                resumes_at: if available.is_some_and(|a| a < ats_sync::engine::MIN_PAGE_REQUESTS) {
                    ledger.reset_at()
                } else {
                    None
                },
            }
        })
        .collect();
    QuotaStatus {
        limit: ledger.limit(),
        remaining: ledger.remaining(),
        reset_at: ledger.reset_at(),
        lanes,
    }
}
