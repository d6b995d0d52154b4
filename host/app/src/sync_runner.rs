//! Syncing one connection: its streams in dependency order (lists first, applications last),
//! each through the engine.

use crate::host::{Host, HostError};
use crate::live_connection::LiveConnection;
use crate::stream_lease::{Leased, under_lease};
use ats_mirror::MirrorError;
use ats_model::{RecordKind, StreamSpec, WriteCapability};
use ats_sync::{
    Engine, EngineConfig, MAX_RESUME_TEXTS_PER_RUN, Progress, ReconcileEnd, RunEnd, StreamRun,
    SyncError,
};
use serde::Serialize;

/// What to sync.
#[derive(Debug, Clone, Default)]
pub struct SyncOptions {
    /// Stream names; empty means every stream the connector declares.
    pub streams: Vec<String>,
    /// Read everything, ignoring high-water marks.
    pub full: bool,
    /// Wait for quota resets instead of stopping at a pause.
    pub wait_for_quota: bool,
    /// After reading, scan ids to find records deleted in the ATS.
    pub reconcile: bool,
    /// Seconds a record may be missing from clean scans before it is soft-deleted.
    pub reconcile_grace_seconds: i64,
    /// Page size asked of the connector.
    pub page_size: Option<u32>,
}

/// How one stream's run ended, for people and `--json`.
#[derive(Debug, Clone, Serialize)]
pub struct StreamReport {
    pub stream: String,
    pub kind: RecordKind,
    /// `completed`, `paused`, `failed`, or `busy` (another process holds the stream's lease).
    pub outcome: &'static str,
    pub mode: String,
    pub records: u64,
    pub upserted: u64,
    pub unchanged: u64,
    pub deleted: u64,
    pub pages: u64,
    pub requests: u64,
    pub retries: u64,
    pub seconds: f64,
    pub paused_until: Option<i64>,
    pub error: Option<String>,
    pub advice: Option<String>,
    /// Reconciliation result, when one ran.
    pub reconcile: Option<String>,
    /// What asking for new or changed résumés' text did, when it ran (after a completed
    /// candidates run of a connector that offers `attachment-text`).
    pub resume_texts: Option<String>,
}

/// Order in which kinds sync: what others refer to comes first, except statuses, which come
/// last: a connector may learn its status list from the applications it reads (iCIMS has no
/// list of workflow statuses), and then the names are there in the same sync.
fn order(kind: RecordKind) -> u8 {
    match kind {
        RecordKind::Folder => 0,
        RecordKind::Job => 1,
        RecordKind::Candidate => 2,
        RecordKind::Application => 3,
        RecordKind::Status => 4,
    }
}

/// The streams `options` selects, in sync order; an unknown name is an error naming the
/// streams that exist.
pub fn select_streams(
    declared: &[StreamSpec],
    options: &SyncOptions,
) -> Result<Vec<StreamSpec>, HostError> {
    for wanted in &options.streams {
        if !declared.iter().any(|s| &s.name == wanted) {
            let names: Vec<&str> = declared.iter().map(|s| s.name.as_str()).collect();
            return Err(HostError::Invalid(format!(
                "unknown stream `{wanted}`: this connector declares {}",
                names.join(", ")
            )));
        }
    }
    let mut streams: Vec<StreamSpec> = declared
        .iter()
        .filter(|s| options.streams.is_empty() || options.streams.contains(&s.name))
        .cloned()
        .collect();
    streams.sort_by_key(|s| order(s.kind));
    Ok(streams)
}

/// Seconds of overlap for incremental runs: the ATS's list staleness, its timestamp precision,
/// and a minute for clock differences. The plugin declares the first two, so the sum saturates.
pub fn overlap_seconds(live: &LiveConnection) -> i64 {
    let info = live.connection.info();
    i64::try_from(info.list_staleness_seconds)
        .unwrap_or(i64::MAX)
        .saturating_add(i64::from(info.timestamp_precision_seconds))
        .saturating_add(60)
}

/// Syncs the selected streams of one connection.
pub async fn sync_connection(
    host: &Host,
    live: &LiveConnection,
    options: &SyncOptions,
    progress: &dyn Progress,
) -> Result<Vec<StreamReport>, HostError> {
    let reports = sync_streams(host, live, options, progress).await;
    // The shared ledger shows exactly what the run sent once it ends.
    live.meter.flush();
    reports
}

async fn sync_streams(
    host: &Host,
    live: &LiveConnection,
    options: &SyncOptions,
    progress: &dyn Progress,
) -> Result<Vec<StreamReport>, HostError> {
    let streams = select_streams(&live.connection.info().streams, options)?;
    let mut config = EngineConfig {
        wait_for_quota: options.wait_for_quota,
        ..EngineConfig::default()
    };
    if let Some(size) = options.page_size {
        config.page_size = size.clamp(1, ats_sync::engine::MAX_PAGE_SIZE);
    }
    let engine = Engine::new(host.store(), config);
    let mut reports = Vec::new();
    let engine = &engine;
    for stream in streams {
        let started = std::time::Instant::now();
        let spec = &stream;
        let leased = |fence| async move {
            let stream = spec;
            let run = StreamRun {
                connection: live.name().to_string(),
                stream: stream.clone(),
                force_full: options.full,
                overlap_seconds: overlap_seconds(live),
                fence: Some(fence),
            };
            let end = engine.sync_stream(live, &live.meter, &run, progress).await;
            let mut report = report(stream, &end?, started.elapsed().as_secs_f64());
            if options.reconcile && stream.lists_ids && report.outcome == "completed" {
                let end =
                    reconcile_stream(host, live, stream, options.reconcile_grace_seconds).await?;
                report.reconcile = Some(match end {
                    ReconcileEnd::Completed(o) => format!(
                        "{} ids listed, {} newly missing, {} deleted, {} back",
                        o.seen, o.newly_missing, o.deleted, o.recovered
                    ),
                    ReconcileEnd::Paused { .. } => "paused for quota; nothing marked".into(),
                    ReconcileEnd::Abandoned { error } => {
                        format!("abandoned, nothing marked: {}", error.message)
                    }
                });
            }
            if stream.kind == RecordKind::Candidate && report.outcome == "completed" {
                report.resume_texts = fetch_resume_texts(host, live, engine).await?;
            }
            Ok::<_, HostError>(report)
        };
        let holder = host.lease_holder();
        let report = match under_lease(
            host.mirror.as_ref(),
            holder,
            live.name(),
            &stream.name,
            leased,
        )
        .await?
        {
            // Another process took the stream while a page was being written: that page was
            // refused, as a heartbeat would have stopped the run.
            Leased::Ran(Err(e)) if lease_lost(&e) => lost(&stream),
            Leased::Ran(report) => report?,
            Leased::Busy => not_run(
                &stream,
                "busy",
                "another process is syncing this stream (it holds the stream's lease)",
                "it resumes here once that run ends or its lease expires",
            ),
            Leased::Lost => lost(&stream),
        };
        reports.push(report);
    }
    Ok(reports)
}

/// Whether `e` is a page refused because the stream's lease was taken over.
fn lease_lost(e: &HostError) -> bool {
    matches!(
        e,
        HostError::Mirror(MirrorError::LeaseLost { .. })
            | HostError::Sync(SyncError::Mirror(MirrorError::LeaseLost { .. }))
    )
}

/// The report of a run stopped because another process took its stream.
fn lost(stream: &StreamSpec) -> StreamReport {
    not_run(
        stream,
        "failed",
        "this run lost the stream's lease to another process and stopped",
        "nothing is lost: the other process resumes from the last committed page",
    )
}

/// The report of a stream that did not run (or stopped) because of its lease.
fn not_run(stream: &StreamSpec, outcome: &'static str, error: &str, advice: &str) -> StreamReport {
    StreamReport {
        stream: stream.name.clone(),
        kind: stream.kind,
        outcome,
        mode: String::new(),
        records: 0,
        upserted: 0,
        unchanged: 0,
        deleted: 0,
        pages: 0,
        requests: 0,
        retries: 0,
        seconds: 0.0,
        paused_until: None,
        error: Some(error.to_string()),
        advice: Some(advice.to_string()),
        reconcile: None,
        resume_texts: None,
    }
}

/// Asks for the text of new or changed résumés (`ats_sync::resume_text`) when the connector
/// offers it for this connection: a connection whose settings leave `attachment-text` out of
/// `describe` (iCIMS: `resume-text = "off"`) spends no request on it.
async fn fetch_resume_texts(
    host: &Host,
    live: &LiveConnection,
    engine: &Engine,
) -> Result<Option<String>, HostError> {
    let offered = live
        .connection
        .info()
        .writes
        .contains(&WriteCapability::AttachmentText);
    if !offered {
        return Ok(None);
    }
    let outcome = engine
        .fetch_resume_texts(
            live,
            &live.meter,
            host.mirror.as_ref(),
            live.name(),
            MAX_RESUME_TEXTS_PER_RUN,
        )
        .await?;
    Ok(Some(outcome.summary()))
}

/// Scans every id of `stream` to find records deleted in the ATS (see `ats_sync::reconcile`),
/// spending from the connection's quota ledger.
pub async fn reconcile_stream(
    host: &Host,
    live: &LiveConnection,
    stream: &StreamSpec,
    grace_seconds: i64,
) -> Result<ReconcileEnd, HostError> {
    let engine = Engine::new(host.store(), EngineConfig::default());
    let end = engine
        .reconcile(live, &live.meter, live.name(), stream.kind, grace_seconds)
        .await;
    live.meter.flush();
    Ok(end?)
}

fn report(stream: &StreamSpec, end: &RunEnd, seconds: f64) -> StreamReport {
    let (outcome, mode, totals, paused_until, error) = match end {
        RunEnd::Completed { mode, totals } => ("completed", mode, totals, None, None),
        RunEnd::Paused {
            mode,
            totals,
            until,
        } => ("paused", mode, totals, *until, None),
        RunEnd::Failed {
            mode,
            totals,
            error,
            ..
        } => ("failed", mode, totals, None, Some(error)),
    };
    StreamReport {
        stream: stream.name.clone(),
        kind: stream.kind,
        outcome,
        mode: mode.as_str().to_string(),
        records: totals.records,
        upserted: totals.upserted,
        unchanged: totals.unchanged,
        deleted: totals.deleted,
        pages: totals.pages,
        requests: totals.requests,
        retries: totals.retries,
        seconds,
        paused_until,
        error: error.map(|e| e.message.clone()),
        advice: error.and_then(|e| e.advice.clone()),
        reconcile: None,
        resume_texts: None,
    }
}
