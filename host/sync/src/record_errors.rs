//! Record errors: records a connector read but could not translate (a workflow without its
//! person, say). One such record never stops a stream: the page's other records are written, the
//! cursor moves on, and the mirror keeps the error (`MirrorStore::record_errors`) for `status` to
//! show. At the end of each completed run the engine asks for a few of them again with the
//! connector's `get`: a record that now translates is written (which drops its error), one the
//! ATS says is gone is soft-deleted, and one that still fails keeps its error with one more
//! attempt.

use crate::engine::{Engine, StreamRun, SyncError};
use crate::meter::QuotaMeter;
use crate::quota::Lane;
use crate::source::RecordSource;
use ats_model::{RecordError, RecordRef};
use std::collections::HashSet;

/// The most record errors one run asks for again: each costs a request, and a stream with many
/// errors has a cause (a permission) that retries will not fix.
pub const MAX_RETRIES_PER_RUN: usize = 25;

/// What retrying a stream's record errors did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetryOutcome {
    /// Records that translated this time (written) or that the ATS says are gone (deleted).
    pub fixed: u64,
    /// Records that still could not be read or translated.
    pub still_failing: u64,
}

impl Engine {
    /// Asks again for up to [`MAX_RETRIES_PER_RUN`] of the stream's record errors, leaving out
    /// those this run's pages just reported (`reported`) and taking the longest unseen first,
    /// spending `lane`'s quota. Stops early, leaving the rest for the next run, when the lane is
    /// spent.
    pub async fn retry_record_errors<S: RecordSource>(
        &self,
        source: &S,
        meter: &QuotaMeter,
        run: &StreamRun,
        lane: Lane,
        reported: &HashSet<String>,
    ) -> Result<RetryOutcome, SyncError> {
        let (conn, stream) = (&run.connection, &run.stream.name);
        let mut due: Vec<_> = self
            .store()
            .record_errors(conn, stream)
            .await?
            .into_iter()
            .filter(|e| !reported.contains(&e.id))
            .collect();
        if due.is_empty() {
            return Ok(RetryOutcome::default());
        }
        due.sort_by_key(|e| (e.last_seen_at, e.attempts));
        due.truncate(MAX_RETRIES_PER_RUN);
        let refs: Vec<RecordRef> = due
            .iter()
            .map(|e| RecordRef {
                kind: e.kind,
                id: e.id.clone(),
            })
            .collect();
        let outcome = self.reread(source, meter, conn, &refs, lane).await?;
        let still: Vec<RecordError> = outcome
            .failed
            .iter()
            .filter_map(|(r, error)| {
                let known = due.iter().find(|e| e.id == r.id)?;
                tracing::debug!(id = %r.id, error = %error.message, "still not translatable");
                // The connector's first words say what is wrong with the record; a failed retry
                // (its error, a transient one) adds an attempt, not a new reason.
                Some(RecordError {
                    id: r.id.clone(),
                    reason: known.reason.clone(),
                    advice: known.advice.clone(),
                })
            })
            .collect();
        if !still.is_empty() {
            self.store()
                .put_record_errors(conn, stream, run.stream.kind, &still, crate::meter::now())
                .await?;
        }
        let fixed =
            outcome.changed().count() + outcome.unchanged.len() + outcome.already_gone.len();
        tracing::info!(
            connection = %conn, stream = %stream, fixed, still_failing = still.len(),
            "asked again for records the connector could not translate"
        );
        Ok(RetryOutcome {
            fixed: fixed as u64,
            still_failing: still.len() as u64,
        })
    }
}
