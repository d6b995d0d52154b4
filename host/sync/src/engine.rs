//! Runs one stream of one connection: a full first load or an incremental run from the
//! high-water mark, page by page, each page and its checkpoint committed together.
//!
//! Crash safety comes from the order of operations: the engine asks the connector for the page
//! after the stored cursor, writes the page's records *and* the next cursor in one mirror
//! transaction, and only then asks for the next page. A process killed at any point resumes
//! from the last committed cursor; re-reading a page that was already committed is harmless
//! because the mirror's upserts are idempotent.
//!
//! Everything a plugin returns is untrusted: its retry-afters are bounded by the window of their
//! limit ([`RetryAfterCaps`]) and its cursors by [`crate::paging`], so a broken or hostile
//! connector can neither crash the engine nor keep a run going for ever.

use crate::backoff::{BackoffPolicy, RetryAfterCaps};
use crate::lane_context::with_lane;
use crate::meter::{QuotaMeter, now};
use crate::paging::{MAX_PAGES_WITHOUT_PROGRESS, PagingGuard};
use crate::quota::Lane;
use crate::source::{RecordSource, SourceError};
use ats_mirror::{
    MirrorError, MirrorStore, PageOutcome, PageWrite, RunMode, RunOutcome, RunResult, StreamError,
    StreamLabel, StreamState,
};
use ats_model::{
    ConnectorError, ListRequest, Page, RateLimitScope, RecordKind, StreamSpec, Timestamp,
};
use std::sync::Arc;
use std::time::Duration;

/// The most records a page may hold; connectors page by their ATS's own size below this.
pub const MAX_PAGE_SIZE: u32 = 1_000;

/// Why the engine itself (not the ATS) failed: the mirror could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("the mirror failed: {0}")]
    Mirror(#[from] MirrorError),
}

/// Settings of the engine that apply to every stream.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    pub backoff: BackoffPolicy,
    /// The page size asked of connectors (they may use less).
    pub page_size: u32,
    /// Wait for the quota to reset and carry on within the same call, instead of returning
    /// [`RunEnd::Paused`].
    pub wait_for_quota: bool,
    /// Never wait longer than this for a quota reset within one call.
    pub max_quota_wait: Duration,
    /// The longest wait a connector's retry-after may ask for, by scope of limit (default: a
    /// day for daily and unknown limits, 15 minutes for short windows). A longer one is cut
    /// to the cap and logged.
    pub retry_after_caps: RetryAfterCaps,
    /// The longest the engine sleeps within a run before retrying a short-window limit. A
    /// longer retry-after pauses the run until then instead (like a daily limit), unless
    /// `wait_for_quota`; the run resumes from its checkpoint.
    pub max_retry_sleep: Duration,
    /// Consecutive pages with a next cursor but no records and no gone ids a run accepts; one
    /// more fails the run (the connector's paging never ends).
    pub max_pages_without_progress: u32,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            backoff: BackoffPolicy::default(),
            page_size: MAX_PAGE_SIZE,
            wait_for_quota: false,
            max_quota_wait: Duration::from_secs(26 * 3600),
            retry_after_caps: RetryAfterCaps::default(),
            max_retry_sleep: Duration::from_secs(60),
            max_pages_without_progress: MAX_PAGES_WITHOUT_PROGRESS,
        }
    }
}

/// The fewest requests a page can cost (a search and one read): a lane with less left pauses.
pub const MIN_PAGE_REQUESTS: u64 = 2;

/// One stream run to perform.
#[derive(Debug, Clone)]
pub struct StreamRun {
    pub connection: String,
    pub stream: StreamSpec,
    /// Ignore the high-water mark and read everything.
    pub force_full: bool,
    /// Seconds subtracted from the high-water mark: the ATS's list staleness plus its timestamp
    /// precision, so that records changed just before the last run are read again.
    pub overlap_seconds: i64,
    /// The stream's lease this run holds: every page is written under it, and refused once
    /// another process has taken the stream (`MirrorError::LeaseLost`). `None` without leases.
    pub fence: Option<ats_mirror::Fence>,
}

/// Totals of a run so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunTotals {
    pub pages: u64,
    pub records: u64,
    pub upserted: u64,
    pub unchanged: u64,
    pub deleted: u64,
    pub requests: u64,
    pub retries: u64,
    /// Records the connector could not translate (reported by pages, or asked for again and
    /// still failing).
    pub record_errors: u64,
    /// Records read without an update date: an incremental stream cannot move its high-water
    /// mark past them.
    pub unstamped: u64,
}

impl RunTotals {
    fn add(&mut self, page_records: usize, outcome: &PageOutcome) {
        self.pages += 1;
        self.records += page_records as u64;
        self.upserted += outcome.upserted();
        self.unchanged += outcome.unchanged;
        self.deleted += outcome.deleted;
    }
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunEnd {
    /// The stream was read to the end; the high-water mark moved.
    Completed { mode: RunMode, totals: RunTotals },
    /// The quota is spent for this lane; the run resumes from its checkpoint after `until`.
    Paused {
        mode: RunMode,
        totals: RunTotals,
        until: Option<Timestamp>,
    },
    /// The run stopped on an error; it resumes from its checkpoint next time.
    Failed {
        mode: RunMode,
        totals: RunTotals,
        error: StreamError,
        label: StreamLabel,
    },
}

/// Told about a run's progress (the CLI draws a progress bar with it).
pub trait Progress: Send + Sync {
    fn run_started(&self, _stream: &str, _mode: RunMode, _resumed: bool) {}
    fn page_committed(&self, _stream: &str, _totals: &RunTotals) {}
    fn waiting(&self, _stream: &str, _why: &str, _for: Duration) {}
}

/// A [`Progress`] that ignores everything.
pub struct NoProgress;
impl Progress for NoProgress {}

/// The lane a stream's run belongs to: first loads are backfill; incremental runs by kind.
pub fn lane_for(kind: RecordKind, mode: RunMode) -> Lane {
    match (mode, kind) {
        (RunMode::Full | RunMode::Reconcile, _) => Lane::Backfill,
        (RunMode::Incremental, RecordKind::Application) => Lane::Applications,
        (RunMode::Incremental, RecordKind::Candidate) => Lane::People,
        (RunMode::Incremental, _) => Lane::Jobs,
    }
}

/// Where a run starts: a fresh plan, or the checkpoint of an interrupted run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunPlan {
    pub mode: RunMode,
    pub cursor: Option<String>,
    pub updated_since: Option<Timestamp>,
    pub resumed: bool,
}

/// Decides how a stream runs from its stored state (pure, so it is tested without I/O).
pub fn plan_run(state: &StreamState, run: &StreamRun) -> RunPlan {
    let incremental_possible = run.stream.incremental && state.high_water_mark.is_some();
    let fresh_mode = if incremental_possible && !run.force_full {
        RunMode::Incremental
    } else {
        RunMode::Full
    };
    // An interrupted run resumes from its cursor unless the caller wants a different mode.
    let resumable = state.cursor.is_some()
        && matches!(state.mode, Some(RunMode::Full | RunMode::Incremental))
        && !(run.force_full && state.mode == Some(RunMode::Incremental));
    let mode = if resumable {
        state.mode.unwrap_or(fresh_mode)
    } else {
        fresh_mode
    };
    // The since-time depends only on the committed high-water mark, which changes only when a
    // run completes, so a resumed run asks for exactly the same window.
    let updated_since = match mode {
        RunMode::Incremental => state
            .high_water_mark
            .map(|hwm| hwm.saturating_sub(run.overlap_seconds)),
        _ => None,
    };
    RunPlan {
        mode,
        cursor: if resumable {
            state.cursor.clone()
        } else {
            None
        },
        updated_since,
        resumed: resumable,
    }
}

/// The sync engine: stateless apart from its store; one engine serves every connection.
pub struct Engine {
    store: Arc<dyn MirrorStore>,
    config: EngineConfig,
}

impl Engine {
    pub fn new(store: Arc<dyn MirrorStore>, config: EngineConfig) -> Self {
        Engine { store, config }
    }

    pub fn store(&self) -> &Arc<dyn MirrorStore> {
        &self.store
    }

    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// Runs one stream until its end, a pause for quota, or an error that retries did not fix.
    pub async fn sync_stream<S: RecordSource>(
        &self,
        source: &S,
        meter: &QuotaMeter,
        run: &StreamRun,
        progress: &dyn Progress,
    ) -> Result<RunEnd, SyncError> {
        let (conn, stream) = (run.connection.clone(), run.stream.name.clone());
        let mut state = self
            .store
            .stream_state(&conn, &stream)
            .await?
            .unwrap_or_default();
        let plan = plan_run(&state, run);
        let lane = lane_for(run.stream.kind, plan.mode);
        let started_at = now();
        if !plan.resumed {
            state.run_started_at = Some(started_at);
            state.run_max_updated_at = None;
            state.run_progress = ats_mirror::RunProgress::default();
        }
        // A resumed run carries on counting from its checkpoint; the time it spent paused is
        // not busy time, so the speed the ETA divides by is the speed of reading.
        let progress_before = state.run_progress;
        let segment_started = std::time::Instant::now();
        state.mode = Some(plan.mode);
        state.cursor = plan.cursor.clone();
        state.label = StreamLabel::Syncing;
        state.paused_until = None;
        self.store.save_stream_state(&conn, &stream, &state).await?;
        let run_id = self
            .store
            .start_run(&conn, &stream, plan.mode, started_at)
            .await?;
        progress.run_started(&stream, plan.mode, plan.resumed);
        let requests_before = meter.counts().0;
        let mut totals = RunTotals::default();

        // Pages are pipelined: while page N is written to the mirror (a blocking thread), page
        // N+1 is already being read. Commits stay in order, each with the cursor of the page
        // after it, so a crash still resumes from the last committed page.
        let request_for = |cursor: Option<String>| ListRequest {
            cursor,
            updated_since: plan.updated_since,
            page_size_hint: Some(self.config.page_size),
        };
        let mut paging = PagingGuard::new(
            state.cursor.as_deref(),
            self.config.max_pages_without_progress,
        );
        let mut read_totals = RunTotals::default();
        // Records this run's pages could not translate: not asked for again at its end.
        let mut reported = std::collections::HashSet::new();
        let mut next = self
            .read_page(
                source,
                meter,
                lane,
                run,
                request_for(state.cursor.clone()),
                &mut read_totals,
                progress,
            )
            .await;
        let end = loop {
            totals.retries += std::mem::take(&mut read_totals.retries);
            let page = match next {
                Ok(page) => page,
                Err(stop) => break stop.into_end(plan.mode, totals),
            };
            // A page whose paging would never end is not written: the checkpoint stays on the
            // last good page (everything before it is committed).
            let brought_something =
                !page.records.is_empty() || !page.gone.is_empty() || !page.record_errors.is_empty();
            if let Err(error) = paging.check(brought_something, page.next_cursor.as_deref()) {
                tracing::warn!(
                    connection = %conn, stream = %stream, error = %error,
                    "stopping a run whose paging never ends"
                );
                break Stop::paging(error).into_end(plan.mode, totals);
            }
            let next_cursor = page.next_cursor.clone();
            state.cursor = next_cursor.clone();
            let page_max = page.records.iter().filter_map(|r| r.updated_at()).max();
            state.run_max_updated_at = state.run_max_updated_at.max(page_max);
            let records = page.records.len();
            let page_unstamped = page
                .records
                .iter()
                .filter(|r| r.updated_at().is_none())
                .count() as u64;
            let page_record_errors = page.record_errors.len() as u64;
            reported.extend(page.record_errors.iter().map(|e| e.id.clone()));
            if page_record_errors > 0 {
                tracing::warn!(
                    connection = %conn, stream = %stream, count = page_record_errors,
                    first = %page.record_errors[0].reason,
                    "records the connector could not translate; the rest of the page is written"
                );
            }
            state.run_progress = ats_mirror::RunProgress {
                records: state.run_progress.records + records as u64 + page_record_errors,
                requests: progress_before.requests + (meter.counts().0 - requests_before),
                busy_ms: progress_before.busy_ms
                    + u64::try_from(segment_started.elapsed().as_millis()).unwrap_or(u64::MAX),
            };
            let write = self.store.apply_page(
                &conn,
                &stream,
                PageWrite {
                    kind: run.stream.kind,
                    records: page.records,
                    gone: page.gone,
                    record_errors: page.record_errors,
                    fence: run.fence.clone(),
                },
                &state,
                now(),
            );
            let read_ahead = async {
                match &next_cursor {
                    Some(cursor) => Some(
                        self.read_page(
                            source,
                            meter,
                            lane,
                            run,
                            request_for(Some(cursor.clone())),
                            &mut read_totals,
                            progress,
                        )
                        .await,
                    ),
                    None => None,
                }
            };
            let started = std::time::Instant::now();
            let write = async {
                let outcome = write.await;
                (outcome, started.elapsed())
            };
            let read_ahead = async {
                let page = read_ahead.await;
                (page, started.elapsed())
            };
            let ((outcome, write_time), (ahead, read_time)) = tokio::join!(write, read_ahead);
            // Which side bounds the stream: the mirror (write) or the source (read).
            tracing::debug!(
                stream = %stream,
                write_ms = write_time.as_secs_f64() * 1e3,
                read_ahead_ms = read_time.as_secs_f64() * 1e3,
                "page written"
            );
            let outcome = outcome.map_err(SyncError::from)?;
            totals.add(records, &outcome);
            totals.record_errors += page_record_errors;
            totals.unstamped += page_unstamped;
            totals.requests = meter.counts().0 - requests_before;
            progress.page_committed(&stream, &totals);
            match ahead {
                Some(read) => next = read,
                None => {
                    break RunEnd::Completed {
                        mode: plan.mode,
                        totals,
                    };
                }
            }
        };

        let mut end = end;
        // A completed run asks again for records earlier runs could not translate.
        if let RunEnd::Completed { totals, .. } = &mut end {
            let retried = self
                .retry_record_errors(source, meter, run, lane, &reported)
                .await?;
            totals.record_errors += retried.still_failing;
        }
        set_requests(&mut end, meter.counts().0 - requests_before);
        self.finish(&conn, &stream, state, run_id, run.stream.incremental, &end)
            .await?;
        Ok(end)
    }

    /// Reads one page, retrying what a retry can fix and pausing for quota.
    #[allow(clippy::too_many_arguments)]
    async fn read_page<S: RecordSource>(
        &self,
        source: &S,
        meter: &QuotaMeter,
        lane: Lane,
        run: &StreamRun,
        request: ListRequest,
        totals: &mut RunTotals,
        progress: &dyn Progress,
    ) -> Result<Page, Stop> {
        let kind = run.stream.kind;
        let (conn, stream) = (&run.connection, &run.stream.name);
        self.with_retries(meter, lane, conn, stream, totals, progress, |hint| {
            let mut request = request.clone();
            request.page_size_hint = Some(hint.min(request.page_size_hint.unwrap_or(hint)));
            with_lane(lane, source.list_records(kind, request))
        })
        .await
    }

    /// Calls `call` until it succeeds, retrying what a retry can fix (with back-off), and
    /// pausing when the lane's quota is spent. `call` gets the page size the lane can afford.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn with_retries<T, F, Fut>(
        &self,
        meter: &QuotaMeter,
        lane: Lane,
        connection: &str,
        stream: &str,
        totals: &mut RunTotals,
        progress: &dyn Progress,
        mut call: F,
    ) -> Result<T, Stop>
    where
        F: FnMut(u32) -> Fut,
        Fut: std::future::Future<Output = Result<T, SourceError>>,
    {
        let mut attempt = 0;
        let mut waited_for_quota = Duration::ZERO;
        let mut warned_of_clamp = false;
        loop {
            // Ask only for what the lane can still pay for: one search plus one read per record
            // is the costliest a page can be.
            let mut hint = self.config.page_size;
            if let Some(available) = meter.available(lane) {
                if available < MIN_PAGE_REQUESTS {
                    match self.quota_wait(meter, &mut waited_for_quota) {
                        Some(wait) => {
                            progress.waiting(stream, "request quota", wait);
                            tokio::time::sleep(wait).await;
                            continue;
                        }
                        None => return Err(Stop::Paused(meter.reset_at())),
                    }
                }
                hint = hint
                    .min((available - 1).min(u64::from(u32::MAX)) as u32)
                    .max(1);
            }
            let error = match call(hint).await {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            // Whatever the connector made of a refused request, a spent lane pauses.
            if meter.available(lane) == Some(0) {
                continue;
            }
            let retry_after = match &error {
                SourceError::QuotaExhausted { until } => return Err(Stop::Paused(*until)),
                SourceError::Connector(ConnectorError::RateLimited {
                    scope,
                    retry_after_seconds,
                    ..
                }) => {
                    let wait = retry_after_seconds.map(|asked| {
                        let wait = self.config.retry_after_caps.clamp(*scope, asked);
                        if wait.as_secs() < asked && !std::mem::replace(&mut warned_of_clamp, true)
                        {
                            tracing::warn!(
                                connection,
                                stream,
                                ?scope,
                                retry_after_seconds = asked,
                                clamped_to_seconds = wait.as_secs(),
                                "the connector asked to wait longer than its rate limit's window; \
                                 waiting the window instead"
                            );
                        }
                        wait
                    });
                    // A daily limit pauses the run; so does a short one asking for longer than
                    // the engine sleeps within a run.
                    let pause = match scope {
                        RateLimitScope::Daily => true,
                        _ => wait.is_some_and(|w| w > self.config.max_retry_sleep),
                    };
                    if pause && !self.config.wait_for_quota {
                        let until = wait.map(|w| {
                            now().saturating_add(i64::try_from(w.as_secs()).unwrap_or(i64::MAX))
                        });
                        let until = match scope {
                            RateLimitScope::Daily => until.or(meter.reset_at()),
                            _ => until,
                        };
                        return Err(Stop::Paused(until));
                    }
                    wait
                }
                SourceError::Connector(e) if e.is_retryable() => None,
                SourceError::Connector(e) => {
                    let label = match crate::status::SyncStatus::after_error(e) {
                        crate::status::SyncStatus::NeedsAttention => StreamLabel::NeedsAttention,
                        _ => StreamLabel::Failed,
                    };
                    return Err(Stop::Failed(stream_error(&error), label));
                }
                // A trap or timeout may be a one-off (a slow ATS); retry a few times.
                SourceError::Plugin(_) => None,
                // The connector would answer the same again: its fault, not a one-off.
                SourceError::Paging(_) | SourceError::PluginFault(_) => {
                    return Err(Stop::Failed(stream_error(&error), StreamLabel::Failed));
                }
            };
            match self.config.backoff.delay_random(attempt, retry_after) {
                Some(delay) => {
                    tracing::info!(
                        stream, attempt, delay_ms = delay.as_millis() as u64, error = %error,
                        "retrying after an error"
                    );
                    progress.waiting(stream, "retry after an error", delay);
                    totals.retries += 1;
                    attempt += 1;
                    tokio::time::sleep(delay).await;
                }
                None => return Err(Stop::Failed(stream_error(&error), StreamLabel::Failed)),
            }
        }
    }

    /// How long to wait for the quota window to reset, or `None` to pause instead.
    fn quota_wait(&self, meter: &QuotaMeter, waited: &mut Duration) -> Option<Duration> {
        if !self.config.wait_for_quota {
            return None;
        }
        let reset_at = meter.reset_at()?;
        let wait = Duration::from_secs(reset_at.saturating_sub(now()).max(0) as u64)
            .saturating_add(Duration::from_secs(1));
        if waited.saturating_add(wait) > self.config.max_quota_wait {
            return None;
        }
        *waited = waited.saturating_add(wait);
        Some(wait)
    }

    /// Records how the run ended in the stream state and the run log.
    async fn finish(
        &self,
        conn: &str,
        stream: &str,
        mut state: StreamState,
        run_id: ats_mirror::RunId,
        incremental: bool,
        end: &RunEnd,
    ) -> Result<(), SyncError> {
        let at = now();
        let (result, totals, error) = match end {
            RunEnd::Completed { mode, totals } => {
                state.label = StreamLabel::Done;
                state.cursor = None;
                state.mode = None;
                state.last_success_at = Some(at);
                state.last_error = None;
                state.consecutive_failures = 0;
                // The next incremental run starts from the newest change this run saw.
                state.high_water_mark = match mode {
                    RunMode::Full => state.run_max_updated_at,
                    _ => state.high_water_mark.max(state.run_max_updated_at),
                };
                state.run_max_updated_at = None;
                state.run_progress = ats_mirror::RunProgress::default();
                // Incremental health: records without an update date are read by every run.
                state.unstamped_records = if incremental { totals.unstamped } else { 0 };
                state.unstamped_runs = match state.unstamped_records {
                    0 => 0,
                    _ => state.unstamped_runs.saturating_add(1),
                };
                if state.unstamped_records > 0 {
                    tracing::warn!(
                        connection = conn,
                        stream,
                        records = state.unstamped_records,
                        "an incremental stream read records without an update date: every run \
                         reads them again"
                    );
                }
                (RunResult::Succeeded, *totals, None)
            }
            RunEnd::Paused { totals, until, .. } => {
                state.label = StreamLabel::Paused;
                state.paused_until = *until;
                (RunResult::Interrupted, *totals, None)
            }
            RunEnd::Failed {
                totals,
                error,
                label,
                ..
            } => {
                state.label = *label;
                state.last_failure_at = Some(at);
                state.last_error = Some(error.clone());
                state.consecutive_failures += 1;
                (RunResult::Failed, *totals, Some(error.clone()))
            }
        };
        let outcome = RunOutcome {
            finished_at: at,
            result,
            upserted: totals.upserted,
            unchanged: totals.unchanged,
            deleted: totals.deleted,
            pages: totals.pages,
            requests: totals.requests,
            record_errors: totals.record_errors,
            error,
        };
        self.store.save_stream_state(conn, stream, &state).await?;
        Ok(self.store.finish_run(run_id, &outcome).await?)
    }
}

/// Why page reading stopped before a page came back.
pub(crate) enum Stop {
    Paused(Option<Timestamp>),
    Failed(StreamError, StreamLabel),
}

impl Stop {
    /// The stop of a run whose paging never ends.
    pub(crate) fn paging(error: crate::paging::PagingError) -> Stop {
        Stop::Failed(
            stream_error(&SourceError::Paging(error)),
            StreamLabel::Failed,
        )
    }

    fn into_end(self, mode: RunMode, totals: RunTotals) -> RunEnd {
        match self {
            Stop::Paused(until) => RunEnd::Paused {
                mode,
                totals,
                until,
            },
            Stop::Failed(error, label) => RunEnd::Failed {
                mode,
                totals,
                error,
                label,
            },
        }
    }
}

fn set_requests(end: &mut RunEnd, requests: u64) {
    match end {
        RunEnd::Completed { totals, .. }
        | RunEnd::Paused { totals, .. }
        | RunEnd::Failed { totals, .. } => totals.requests = requests,
    }
}

/// The error as the stream state keeps it: kind, plain message, advice.
pub fn stream_error(error: &SourceError) -> StreamError {
    match error {
        SourceError::Connector(e) => StreamError {
            kind: e.kind().to_string(),
            message: e.to_string(),
            advice: Some(e.advice().to_string()),
        },
        SourceError::QuotaExhausted { .. } => StreamError {
            kind: "quota".into(),
            message: error.to_string(),
            advice: Some("nothing: the host resumes when the quota resets".into()),
        },
        SourceError::Plugin(message) | SourceError::PluginFault(message) => StreamError {
            kind: "plugin".into(),
            message: format!("the connector plugin failed: {message}"),
            advice: Some("report it to the connector's maintainers with the run log".into()),
        },
        SourceError::Paging(e) => StreamError {
            kind: "paging".into(),
            message: e.to_string(),
            advice: Some(e.advice().to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_incremental_window_from_an_absurd_high_water_mark_does_not_overflow() {
        // The high-water mark is the newest `updated-at` a plugin returned: any i64 at all.
        let state = StreamState {
            high_water_mark: Some(i64::MIN + 5),
            ..StreamState::default()
        };
        let run = StreamRun {
            connection: "acme".into(),
            stream: StreamSpec {
                name: "candidates".into(),
                kind: RecordKind::Candidate,
                default_interval_seconds: 600,
                incremental: true,
                lists_ids: true,
            },
            force_full: false,
            overlap_seconds: i64::MAX,
            fence: None,
        };
        let plan = plan_run(&state, &run);
        assert_eq!(plan.mode, RunMode::Incremental);
        assert_eq!(plan.updated_since, Some(i64::MIN));
    }
}
