//! `ats run`: the scheduler in the foreground. Each connection's streams run when due (their
//! interval after the last success, a back-off after a failure, the quota reset after a pause);
//! connections run side by side, a connection's streams one after another, lanes by priority.
//! Id scans for deletes run once a day per stream that supports them.
//!
//! Connections take their turns independently: a connection looks for due work again as soon as
//! its own turn ends, never waiting for the others, so one slow or stuck connection (a hanging
//! ATS, a plugin that takes its time) does not hold up the rest.

use crate::due::{interval_of, next_run_at};
use crate::host::{Host, HostError};
use crate::live_connection::LiveConnection;
use crate::sync_runner::{StreamReport, SyncOptions, reconcile_stream, sync_connection};
use ats_model::Timestamp;
use ats_sync::meter::now;
use ats_sync::{NoProgress, Progress};
use futures::{FutureExt, StreamExt, stream::FuturesUnordered};
use std::future::Future;
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
    /// The page size asked of connectors (default: the engine's).
    pub page_size: Option<u32>,
}

impl Default for SchedulerOptions {
    fn default() -> Self {
        SchedulerOptions {
            connections: Vec::new(),
            until_idle: false,
            reconcile_interval_seconds: 86_400,
            reconcile_grace_seconds: 86_400,
            max_sleep: Duration::from_secs(60),
            page_size: None,
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
            .connections()
            .await?
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
    take_turns(lives.len(), options, |i| {
        run_due(host, &lives[i], options, now(), progress)
    })
    .await
}

/// Gives each of `connections` its turns (`turn(i)` runs connection `i`'s due work, returning
/// its reports and when it is next due), each connection independently of the others: one whose
/// turn ran something takes the next at once (more may be due), one whose turn found nothing
/// waits until it said it is next due. With `until_idle` it returns once no turn runs and no
/// connection is due.
///
/// An error ends the scheduler at once (it is the host's own, like a mirror failure); turns of
/// other connections still in flight are dropped and resume from their checkpoints next time.
async fn take_turns<R, F, Fut>(
    connections: usize,
    options: &SchedulerOptions,
    mut turn: F,
) -> Result<Vec<R>, HostError>
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = Result<(Vec<R>, Timestamp), HostError>>,
{
    let max_sleep = i64::try_from(options.max_sleep.as_secs())
        .unwrap_or(i64::MAX)
        .max(1);
    // When each connection is next due; `None` while its turn runs.
    let mut due_at: Vec<Option<Timestamp>> = vec![Some(Timestamp::MIN); connections];
    let mut running = FuturesUnordered::new();
    let mut all_reports = Vec::new();
    loop {
        let at = now();
        for (i, due) in due_at.iter_mut().enumerate() {
            if due.is_some_and(|due| due <= at) {
                *due = None;
                running.push(turn(i).map(move |result| (i, result)));
            }
        }
        let next_due = due_at.iter().flatten().min().copied();
        let wait = next_due
            .map_or(max_sleep, |due| due.saturating_sub(now()))
            .clamp(1, max_sleep);
        if running.is_empty() {
            if options.until_idle {
                return Ok(all_reports);
            }
            tracing::debug!(seconds = wait, "nothing due; sleeping");
            tokio::time::sleep(Duration::from_secs(wait as u64)).await;
            continue;
        }
        tokio::select! {
            Some((i, result)) = running.next() => {
                let (reports, wake) = result?;
                let ran_something = !reports.is_empty();
                all_reports.extend(reports);
                due_at[i] = Some(if ran_something {
                    Timestamp::MIN
                } else {
                    wake.min(now().saturating_add(max_sleep))
                });
            }
            // A waiting connection may come due while others still run.
            _ = tokio::time::sleep(Duration::from_secs(wait as u64)) => {}
        }
    }
}

/// Runs the streams of one connection that are due now (and its id scans); returns their
/// reports and when the next one is due. The scheduler's turn, and the service worker's.
pub async fn run_due(
    host: &Host,
    live: &LiveConnection,
    options: &SchedulerOptions,
    at: i64,
    progress: &dyn Progress,
) -> Result<(Vec<(String, StreamReport)>, i64), HostError> {
    // Paused (or removed) since this live connection was made? Nothing is due; look later.
    let paused = host
        .mirror
        .connection(live.name())
        .await?
        .is_none_or(|row| row.paused_at.is_some());
    if paused {
        let again = i64::try_from(options.max_sleep.as_secs()).unwrap_or(60);
        return Ok((Vec::new(), at.saturating_add(again)));
    }
    let mut due = Vec::new();
    let mut next_wake = i64::MAX;
    for stream in &live.connection.info().streams {
        let state = host.mirror.stream_state(live.name(), &stream.name).await?;
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
            page_size: options.page_size,
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
        let last = host.mirror.stream_state(live.name(), &key).await?;
        let last_at = last.as_ref().and_then(|s| s.last_success_at).unwrap_or(0);
        let stream_done = host
            .mirror
            .stream_state(live.name(), &stream.name)
            .await?
            .is_some_and(|s| s.label == ats_mirror::StreamLabel::Done);
        let scan_due_at = last_at.saturating_add(options.reconcile_interval_seconds);
        if stream_done && scan_due_at <= at {
            // Under the stream's lease: a scan reads the stream's ids, and two processes that
            // both find it due must not both scan (nor scan beside a run of the stream).
            let scan = async {
                // Looked at again under the lease: another process may have scanned meanwhile.
                let again = host.mirror.stream_state(live.name(), &key).await?;
                let again_at = again.as_ref().and_then(|s| s.last_success_at).unwrap_or(0);
                if again_at != last_at {
                    return Ok(None);
                }
                reconcile_stream(host, live, stream, options.reconcile_grace_seconds)
                    .await
                    .map(Some)
            };
            let leased = crate::stream_lease::under_lease(
                host.mirror.as_ref(),
                host.lease_holder(),
                live.name(),
                &stream.name,
                // A scan writes no pages: it needs no fence.
                |_fence| scan,
            )
            .await?;
            let end = match leased {
                crate::stream_lease::Leased::Ran(end) => match end? {
                    Some(end) => end,
                    None => continue,
                },
                // Another process runs the stream or scans it: it records the scan.
                _ => continue,
            };
            if let ats_sync::ReconcileEnd::Completed(outcome) = end {
                tracing::info!(connection = live.name(), stream = %stream.name, ?outcome, "id scan done");
                let mut state = last.unwrap_or_default();
                state.label = ats_mirror::StreamLabel::Done;
                state.last_success_at = Some(now());
                host.mirror
                    .save_stream_state(live.name(), &key, &state)
                    .await?;
            }
        } else {
            next_wake = next_wake.min(scan_due_at);
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};
    use tokio::sync::Notify;

    fn until_idle() -> SchedulerOptions {
        SchedulerOptions {
            until_idle: true,
            ..SchedulerOptions::default()
        }
    }

    /// A turn that ran something (`report`) or nothing, next due in `seconds`.
    type Turn = Result<(Vec<&'static str>, Timestamp), HostError>;
    fn turn(report: Option<&'static str>, seconds: i64) -> Turn {
        Ok((report.into_iter().collect(), now() + seconds))
    }

    #[tokio::test]
    async fn a_stuck_connection_does_not_hold_up_the_others() {
        // Connection 0's first turn is stuck until connection 1 has taken three turns. A
        // scheduler that waits for every connection each round never gets there.
        let released = Notify::new();
        let turns = [AtomicU32::new(0), AtomicU32::new(0)];
        let (released, turns) = (&released, &turns);
        let options = until_idle();
        let scheduler = take_turns(2, &options, |i| async move {
            let n = turns[i].fetch_add(1, Ordering::SeqCst) + 1;
            match (i, n) {
                (0, 1) => {
                    released.notified().await;
                    turn(Some("0"), 3_600)
                }
                (1, 1..=3) => {
                    if n == 3 {
                        released.notify_one();
                    }
                    turn(Some("1"), 3_600)
                }
                _ => turn(None, 3_600),
            }
        });
        let reports = tokio::time::timeout(Duration::from_secs(10), scheduler)
            .await
            .expect("connection 1 waited for the stuck connection 0")
            .unwrap();
        assert_eq!(reports, ["1", "1", "1", "0"]);
    }

    #[tokio::test]
    async fn a_connection_due_again_runs_while_another_is_still_running() {
        let turns = [AtomicU32::new(0), AtomicU32::new(0)];
        let turns = &turns;
        let options = until_idle();
        let scheduler = take_turns(2, &options, |i| async move {
            let n = turns[i].fetch_add(1, Ordering::SeqCst) + 1;
            match (i, n) {
                (0, 1) => {
                    tokio::time::sleep(Duration::from_secs(3)).await;
                    turn(Some("slow"), 3_600)
                }
                // Nothing due yet, but in a second.
                (1, 1) => turn(None, 1),
                (1, 2) => turn(Some("due"), 3_600),
                _ => turn(None, 3_600),
            }
        });
        let reports = tokio::time::timeout(Duration::from_secs(10), scheduler)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(reports, ["due", "slow"]);
    }

    #[tokio::test]
    async fn until_idle_stops_once_nothing_runs_and_nothing_is_due() {
        let turns = AtomicU32::new(0);
        let turns = &turns;
        let reports = take_turns(3, &until_idle(), |_| async move {
            turns.fetch_add(1, Ordering::SeqCst);
            turn(None, 3_600)
        })
        .await
        .unwrap();
        assert!(reports.is_empty());
        assert_eq!(
            turns.load(Ordering::SeqCst),
            3,
            "each connection looked once"
        );
    }
}
