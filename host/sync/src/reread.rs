//! Targeted re-reads: the records a pushed event (or a person) names, read again one by one with
//! the connector's `get` and written to the mirror, so that it shows them without waiting for the
//! next incremental run.
//!
//! - Each named record costs one `get` (one request for iCIMS); a record named twice is read once.
//! - A record the ATS says is gone (`not-found`) is soft-deleted at once, as a page's `gone` ids
//!   are: the ATS answered for that very record, so reconciliation's grace period does not apply.
//!   A soft-deleted record that is read again later is live again.
//! - Reads are retried like page reads (back-off, rate limits) and spend the given lane's quota.
//!   When the lane is spent, the records not yet read come back in [`RereadOutcome::not_read`],
//!   for the caller to queue again after [`RereadOutcome::paused_until`].
//! - One record's failure does not stop the others; the mirror keeps its copy of that record.
//! - Stream state (cursors, high-water marks) is not touched: a re-read is not a run.
//!
//! Reads go one after another: an event names a handful of records, and sequential reads keep the
//! request count and the quota check exact.

use crate::engine::{Engine, NoProgress, RunTotals, Stop, SyncError, stream_error};
use crate::lane_context::with_lane;
use crate::meter::{QuotaMeter, now};
use crate::quota::Lane;
use crate::source::{RecordSource, SourceError};
use ats_mirror::StreamError;
use ats_model::{AtsRecord, ConnectorError, RecordRef, Timestamp};

/// The name re-reads go by in logs and in the engine's retry messages.
const STREAM: &str = "reread";

/// What a re-read found and changed, each list in the order the records were named.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RereadOutcome {
    /// Records written new or with changed content (or live again after a soft delete).
    pub upserted: Vec<RecordRef>,
    /// Records read and identical to the mirror's copy (only `last_seen_at` moved).
    pub unchanged: Vec<RecordRef>,
    /// Records the ATS says are gone that the mirror held live: soft-deleted now.
    pub deleted: Vec<RecordRef>,
    /// Records the ATS says are gone that the mirror did not hold live: nothing changed.
    pub already_gone: Vec<RecordRef>,
    /// Records whose read failed (after retries where a retry could help), with why.
    pub failed: Vec<(RecordRef, StreamError)>,
    /// Records not read because the lane's quota is spent: queue them again.
    pub not_read: Vec<RecordRef>,
    /// When the spent quota resets, if it is known (set only when `not_read` is not empty).
    pub paused_until: Option<Timestamp>,
    /// Requests the re-read sent (as the quota meter counted them) and retries it made.
    pub requests: u64,
    pub retries: u64,
}

impl RereadOutcome {
    /// The records whose mirror copy changed: written or soft-deleted.
    pub fn changed(&self) -> impl Iterator<Item = &RecordRef> {
        self.upserted.iter().chain(&self.deleted)
    }
}

impl Engine {
    /// Re-reads `refs` from `source` and writes each to connection `connection`'s mirror: an
    /// upsert, or a soft delete for a record the ATS says is gone. Requests are counted against
    /// `lane` (push events use [`Lane::Applications`]). Fails only when the mirror does.
    pub async fn reread<S: RecordSource>(
        &self,
        source: &S,
        meter: &QuotaMeter,
        connection: &str,
        refs: &[RecordRef],
        lane: Lane,
    ) -> Result<RereadOutcome, SyncError> {
        let mut outcome = RereadOutcome::default();
        let mut unique: Vec<&RecordRef> = Vec::with_capacity(refs.len());
        for r in refs {
            if !unique.contains(&r) {
                unique.push(r);
            }
        }
        let requests_before = meter.counts().0;
        let mut totals = RunTotals::default();
        // `None`: the ATS says the record is gone.
        let mut reads: Vec<(RecordRef, Option<AtsRecord>)> = Vec::with_capacity(unique.len());
        let mut pending = unique.into_iter();
        for r in pending.by_ref() {
            let read = self
                .with_retries(
                    meter,
                    lane,
                    connection,
                    STREAM,
                    &mut totals,
                    &NoProgress,
                    |_| with_lane(lane, get_or_gone(source, r)),
                )
                .await;
            match read {
                Ok(Some(record)) if record.kind() != r.kind || record.id() != r.id => {
                    let error = SourceError::PluginFault(format!(
                        "asked for {} `{}`, the connector answered with {} `{}`",
                        r.kind,
                        r.id,
                        record.kind(),
                        record.id()
                    ));
                    outcome.failed.push((r.clone(), stream_error(&error)));
                }
                Ok(read) => reads.push((r.clone(), read)),
                Err(Stop::Failed(error, _)) => outcome.failed.push((r.clone(), error)),
                Err(Stop::Paused(until)) => {
                    outcome.not_read.push(r.clone());
                    outcome.paused_until = until;
                    break;
                }
            }
        }
        outcome.not_read.extend(pending.cloned());

        let at = now();
        let store = self.store();
        let mut written = Vec::with_capacity(reads.len());
        for (r, read) in reads {
            let change = match read {
                Some(record) => {
                    let page = store.upsert_record(connection, record, at).await?;
                    if page.upserted() > 0 {
                        Change::Upserted
                    } else {
                        Change::Unchanged
                    }
                }
                None => {
                    if store.mark_deleted(connection, r.kind, &r.id, at).await? {
                        Change::Deleted
                    } else {
                        Change::AlreadyGone
                    }
                }
            };
            written.push((r, change));
        }
        for (r, change) in written {
            match change {
                Change::Upserted => outcome.upserted.push(r),
                Change::Unchanged => outcome.unchanged.push(r),
                Change::Deleted => outcome.deleted.push(r),
                Change::AlreadyGone => outcome.already_gone.push(r),
            }
        }
        outcome.requests = meter.counts().0 - requests_before;
        outcome.retries = totals.retries;
        tracing::info!(
            connection,
            upserted = outcome.upserted.len(),
            unchanged = outcome.unchanged.len(),
            deleted = outcome.deleted.len(),
            failed = outcome.failed.len(),
            not_read = outcome.not_read.len(),
            requests = outcome.requests,
            "re-read named records"
        );
        Ok(outcome)
    }
}

/// What writing one read did to the mirror.
enum Change {
    Upserted,
    Unchanged,
    Deleted,
    AlreadyGone,
}

/// One `get`, with `not-found` as an answer (`None`: gone) rather than an error.
async fn get_or_gone<S: RecordSource>(
    source: &S,
    r: &RecordRef,
) -> Result<Option<AtsRecord>, SourceError> {
    match source.get(r.kind, &r.id).await {
        Ok(record) => Ok(Some(record)),
        Err(SourceError::Connector(ConnectorError::NotFound { .. })) => Ok(None),
        Err(error) => Err(error),
    }
}
