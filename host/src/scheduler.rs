//! `ats run`: the scheduler in the foreground. Each connection's streams run when due (their
//! interval after the last success, a back-off after a failure, the quota reset after a pause);
//! connections run side by side, a connection's streams one after another, lanes by priority.
//! Id scans for deletes run once a day per stream that supports them.

use crate::host::{Host, HostError};
use crate::live_connection::LiveConnection;
use crate::status_view::{interval_of, next_run_at};
use crate::sync_runner::{StreamReport, SyncOptions, reconcile_stream, sync_connection};
use ats_mirror::MirrorStore;
use ats_sync::meter::now;
use ats_sync::{NoProgress, Progress};
use std::time::Duration;

/// How the scheduler runs.
#[derive(Debug, Clone)]
pub struct SchedulerOptions {
    /// Connections to run; empty means all.
    pub connections: Vec<String>,
    /// Stop once nothing is due (tests and one-shot cron use).
    pub until_idle: bool,
    /// Seconds between id scans of a stream.
    pub reconcile_interval_seconds: i64,
    /// Grace period before a record missing from clean scans is soft-deleted.
    pub reconcile_grace_seconds: i64,
    /// Longest sleep between checks.
    pub max_sleep: Duration,
}

impl Default for SchedulerOptions {
    fn default() -> Self {
        SchedulerOptions {
            connections: Vec::new(),
            until_idle: false,
            reconcile_interval_seconds: 86_400,
            reconcile_grace_seconds: 86_400,
            max_sleep: Duration::from_secs(60),
        }
    }
}

/// The pseudo-stream under which a stream's id scans keep their last run time.
fn reconcile_key(stream: &str) -> String {
    format!("{stream}#reconcile")
}

/// Runs due work until stopped (or idle, with `until_idle`). Returns the reports of every run.
pub async fn run(
    host: &Host,
    options: &SchedulerOptions,
    progress: &dyn Progress,
) -> Result<Vec<(String, StreamReport)>, HostError> {
    let names: Vec<String> = if options.connections.is_empty() {
        host.mirror
            .connections()?
            .into_iter()
            .map(|c| c.name)
            .collect()
    } else {
        options.connections.clone()
    };
    if names.is_empty() {
        return Err(HostError::Invalid(
            "no connections to run: add one with `ats connect <file.toml>`".into(),
        ));
    }
    let mut lives = Vec::new();
    for name in &names {
        lives.push(host.live(name).await?);
    }
    let mut all_reports = Vec::new();
    loop {
        let at = now();
        let mut next_wake = at + options.max_sleep.as_secs() as i64;
        let mut ran_something = false;
        // Connections run side by side; each connection's due streams one after another.
        let runs = lives
            .iter()
            .map(|live| run_due(host, live, options, at, progress));
        for result in futures::future::join_all(runs).await {
            let (reports, wake) = result?;
            ran_something |= !reports.is_empty();
            next_wake = next_wake.min(wake);
            all_reports.extend(reports);
        }
        if options.until_idle && !ran_something {
            return Ok(all_reports);
        }
        if !ran_something {
            let wait = (next_wake - now()).clamp(1, options.max_sleep.as_secs() as i64);
            tracing::debug!(seconds = wait, "nothing due; sleeping");
            tokio::time::sleep(Duration::from_secs(wait as u64)).await;
        }
    }
}

/// Runs the streams of one connection that are due now; returns their reports and when the
/// next one is due.
async fn run_due(
    host: &Host,
    live: &LiveConnection,
    options: &SchedulerOptions,
    at: i64,
    progress: &dyn Progress,
) -> Result<(Vec<(String, StreamReport)>, i64), HostError> {
    let mut due = Vec::new();
    let mut next_wake = i64::MAX;
    for stream in &live.connection.info().streams {
        let state = host.mirror.stream_state(live.name(), &stream.name)?;
        let when = next_run_at(state.as_ref(), interval_of(&live.row, stream), at);
        if when <= at {
            due.push(stream.name.clone());
        } else {
            next_wake = next_wake.min(when);
        }
    }
    let mut reports = Vec::new();
    if !due.is_empty() {
        let sync = SyncOptions {
            streams: due,
            ..SyncOptions::default()
        };
        for report in sync_connection(host, live, &sync, progress).await? {
            reports.push((live.name().to_string(), report));
        }
    }
    // Id scans: daily, only for streams whose last run completed.
    for stream in live
        .connection
        .info()
        .streams
        .iter()
        .filter(|s| s.lists_ids)
    {
        let key = reconcile_key(&stream.name);
        let last = host.mirror.stream_state(live.name(), &key)?;
        let last_at = last.as_ref().and_then(|s| s.last_success_at).unwrap_or(0);
        let stream_done = host
            .mirror
            .stream_state(live.name(), &stream.name)?
            .is_some_and(|s| s.label == ats_mirror::StreamLabel::Done);
        if stream_done && last_at + options.reconcile_interval_seconds <= at {
            let end = reconcile_stream(host, live, stream, options.reconcile_grace_seconds).await?;
            if let ats_sync::ReconcileEnd::Completed(outcome) = end {
                tracing::info!(connection = live.name(), stream = %stream.name, ?outcome, "id scan done");
                let mut state = last.unwrap_or_default();
                state.label = ats_mirror::StreamLabel::Done;
                state.last_success_at = Some(now());
                host.mirror.save_stream_state(live.name(), &key, &state)?;
            }
        } else {
            next_wake = next_wake.min(last_at + options.reconcile_interval_seconds);
        }
    }
    Ok((reports, next_wake))
}

/// A scheduler run with no progress display.
pub async fn run_quietly(
    host: &Host,
    options: &SchedulerOptions,
) -> Result<Vec<(String, StreamReport)>, HostError> {
    run(host, options, &NoProgress).await
}
