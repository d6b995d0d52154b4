//! Running a stream under its lease (`ats_mirror::LeaseStore`), so a stream never runs in two
//! processes sharing one mirror at once.
//!
//! The run takes the lease first (a stream another process holds is reported busy, not run),
//! renews it every third of its duration while it works, and releases it at the end. A process
//! killed mid-page stops renewing; after [`LEASE_SECONDS`] another process takes the stream and
//! resumes from the committed cursor. A run whose lease was taken over (a stalled process) is
//! stopped at its next heartbeat: the page in flight is dropped, which rolls it back.

use crate::host::HostError;
use ats_mirror::{Fence, Lease, Mirror};
use std::future::Future;
use std::time::Duration;

/// How long a lease lasts without a heartbeat, unless `ATS_LEASE_SECONDS` says otherwise (a
/// shorter lease hands a dead process's streams over sooner, and costs more heartbeats).
pub const LEASE_SECONDS: i64 = 60;

/// The lease duration in use: `ATS_LEASE_SECONDS` (3 to 3600) or [`LEASE_SECONDS`].
pub fn lease_seconds() -> i64 {
    std::env::var("ATS_LEASE_SECONDS")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .map_or(LEASE_SECONDS, |s| s.clamp(3, 3_600))
}

/// How often a running stream renews a lease of `seconds`: three chances before it expires.
pub fn heartbeat(seconds: i64) -> Duration {
    Duration::from_secs((seconds / 3).max(1) as u64)
}

/// How a leased run went.
#[derive(Debug)]
pub enum Leased<T> {
    /// The work ran to its end under the lease.
    Ran(T),
    /// Another process holds the stream: nothing ran.
    Busy,
    /// The lease was lost mid-run (taken over, or not renewable before it expired): the work
    /// was stopped.
    Lost,
}

/// Runs `work` holding the lease of `(conn, stream)` for `holder`; `work` gets the lease's
/// fence to write its pages under (see `ats_mirror::Fence`).
pub async fn under_lease<T, W>(
    mirror: &dyn Mirror,
    holder: &str,
    conn: &str,
    stream: &str,
    work: impl FnOnce(Fence) -> W,
) -> Result<Leased<T>, HostError>
where
    W: Future<Output = T>,
{
    let now = ats_sync::meter::now;
    let seconds = lease_seconds();
    let Some(mut lease) = mirror
        .try_lease(conn, stream, holder, seconds, now())
        .await?
    else {
        return Ok(Leased::Busy);
    };
    let mut work = std::pin::pin!(work(lease.fence()));
    let every = heartbeat(seconds);
    let mut beat = tokio::time::interval(every);
    beat.tick().await; // the first tick is immediate: the lease was just taken
    let outcome = loop {
        tokio::select! {
            out = &mut work => break Leased::Ran(out),
            // A renewal that takes long (a busy database) is given up on, so the run stops
            // before its lease expires rather than beside the process that takes it next.
            _ = beat.tick() => match renew_within(mirror, &lease, seconds, every / 2).await {
                Ok(Some(renewed)) => lease = renewed,
                Ok(None) => {
                    tracing::warn!(conn, stream, "the stream's lease was taken over: stopping");
                    break Leased::Lost;
                }
                Err(e) if still_held(&lease, every) => {
                    tracing::warn!(conn, stream, "could not renew the stream's lease: {e}");
                }
                Err(e) => {
                    tracing::warn!(conn, stream, "the stream's lease expired unrenewed ({e}): stopping");
                    break Leased::Lost;
                }
            },
        }
    };
    if !matches!(outcome, Leased::Lost)
        && let Err(e) = mirror.release_lease(&lease).await
    {
        // It expires by itself; another process waits at most one lease duration.
        tracing::warn!(conn, stream, "could not release the stream's lease: {e}");
    }
    Ok(outcome)
}

/// Renews `lease`, or fails when the store does not answer within `limit`.
async fn renew_within(
    mirror: &dyn Mirror,
    lease: &Lease,
    seconds: i64,
    limit: Duration,
) -> Result<Option<Lease>, String> {
    let now = ats_sync::meter::now();
    match tokio::time::timeout(limit, mirror.renew_lease(lease, seconds, now)).await {
        Ok(renewed) => renewed.map_err(|e| e.to_string()),
        Err(_) => Err(format!("no answer within {} ms", limit.as_millis())),
    }
}

/// Whether the lease outlasts the next heartbeat.
fn still_held(lease: &Lease, every: Duration) -> bool {
    let next = ats_sync::meter::now().saturating_add(every.as_secs() as i64);
    lease.expires_at > next
}

/// A name for this process as a lease holder: host, process id and start time, so two
/// processes (or one restarted) never share it.
pub fn holder_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "host".into());
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{host}-{}-{started:x}", std::process::id())
}
