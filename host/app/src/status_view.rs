//! What `ats status` shows: each connection's and stream's state in recruiters' words, the last
//! error with what to do, the mirror's counts, and where the request quota stands per lane.

use crate::due::{interval_of, next_run_at};
use crate::host::{Host, HostError};
use crate::load_eta::{LoadFacts, LoadProgress, estimate};
use ats_mirror::{ConnectionRow, MirrorCounts, RunMode, StreamLabel, StreamState};
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
    /// How many records the stream's reads could not translate (and no later read fixed).
    pub record_error_count: u64,
    /// The first [`SHOWN_RECORD_ERRORS`] of them, by id.
    pub record_errors: Vec<RecordErrorView>,
    /// Set when the stream is incremental but its last run read records without an update date:
    /// what that costs and what to do.
    pub incremental_health: Option<String>,
    /// The load in progress (running, or paused mid-way for quota): what it read, what it
    /// should read in all when the mirror knows, and the time left.
    pub load: Option<LoadProgress>,
}

/// The most record errors a status lists per stream (the count says how many there are).
pub const SHOWN_RECORD_ERRORS: usize = 20;

/// A record the connector could not translate.
#[derive(Debug, Clone, Serialize)]
pub struct RecordErrorView {
    pub kind: RecordKind,
    pub id: String,
    pub reason: String,
    /// What to do about it.
    pub advice: String,
    /// Reads that could not translate it.
    pub attempts: u32,
    pub first_seen_at: Timestamp,
    pub last_seen_at: Timestamp,
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
    let counts = host.mirror.counts(&row.name).await?;
    let streams = streams_with_counts(host, row, Some(counts.clone())).await?;
    let status = SyncStatus::of_connection(&streams.iter().map(|s| s.status).collect::<Vec<_>>());
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
    streams_with_counts(host, row, None).await
}

/// The streams, with the mirror's counts when the caller has read them already.
async fn streams_with_counts(
    host: &Host,
    row: &ConnectionRow,
    mut counts: Option<MirrorCounts>,
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
    // Without them, read only when a load is in progress (counting scans the mirror).
    let mut ledger = host.saved_ledger(&row.name);
    for spec in &info.streams {
        let state = host.mirror.stream_state(&row.name, &spec.name).await?;
        let interval = interval_of(row, spec);
        let error = state.as_ref().and_then(|s| s.last_error.as_ref());
        let record_errors = host.mirror.record_errors(&row.name, &spec.name).await?;
        let load = match state.as_ref().and_then(load_mode) {
            Some(mode) => {
                let s = state.as_ref().expect("a load has a state");
                // The mirror holds the whole set once a run of the stream has completed.
                let known_size = match (mode, s.last_success_at) {
                    (RunMode::Full, Some(_)) => {
                        if counts.is_none() {
                            counts = Some(host.mirror.counts(&row.name).await?);
                        }
                        counts.as_ref().map(|c| c.get(spec.kind).live)
                    }
                    _ => None,
                };
                let facts = LoadFacts {
                    mode,
                    progress: s.run_progress,
                    known_size,
                    lane: ats_sync::engine::lane_for(spec.kind, mode),
                };
                Some(estimate(facts, ledger.as_mut(), at))
            }
            None => None,
        };
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
            record_error_count: record_errors.len() as u64,
            record_errors: record_errors
                .into_iter()
                .take(SHOWN_RECORD_ERRORS)
                .map(|e| RecordErrorView {
                    kind: e.kind,
                    id: e.id,
                    reason: e.reason,
                    advice: e.advice,
                    attempts: e.attempts,
                    first_seen_at: e.first_seen_at,
                    last_seen_at: e.last_seen_at,
                })
                .collect(),
            incremental_health: state
                .as_ref()
                .filter(|_| spec.incremental)
                .and_then(|s| incremental_health(s, interval)),
            load,
        });
    }
    Ok(streams)
}

/// The mode of the load in progress: running now, or stopped mid-way (paused for quota, or
/// failed) with a checkpoint the next run resumes from.
fn load_mode(state: &StreamState) -> Option<RunMode> {
    let mode = state.mode?;
    let in_progress = state.label == StreamLabel::Syncing || state.cursor.is_some();
    (in_progress && matches!(mode, RunMode::Full | RunMode::Incremental)).then_some(mode)
}

/// What an incremental stream that reads records without an update date costs, and what to do
/// (`None` when its last run had none).
pub fn incremental_health(state: &StreamState, interval_seconds: u64) -> Option<String> {
    let n = state.unstamped_records;
    if n == 0 {
        return None;
    }
    let interval = i64::try_from(interval_seconds).unwrap_or(i64::MAX);
    let backed_off = crate::due::unstamped_interval(state, interval);
    Some(format!(
        "every run re-reads {n} record{s} that came back without an update date ({n} request{s} \
         or more a run), so the stream cannot sync incrementally: ask the customer's ATS admin to \
         let the integration user read the records' update date. Until then the stream runs \
         every {} instead of every {}.",
        crate::when::duration(backed_off.max(0) as u64),
        crate::when::duration(interval_seconds),
        s = if n == 1 { "" } else { "s" },
    ))
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
