//! Reconciliation: finding records deleted in the ATS.
//!
//! An ATS like iCIMS sends no delete events, so the host periodically lists every id (cheap:
//! ids only, a thousand per request) and compares. Records are marked missing only after a scan
//! that completed cleanly, and deleted only after a grace period, so a flaky scan or a record
//! briefly hidden by permissions never loses data (Merge's and Kombo's lesson, see peers.md).

use crate::engine::SyncError;
use crate::engine::{Engine, NoProgress, Progress, RunTotals, Stop};
use crate::lane_context::with_lane;
use crate::meter::{QuotaMeter, now};
use crate::paging::PagingGuard;
use crate::quota::Lane;
use crate::source::RecordSource;
use ats_mirror::{ReconcileOutcome, StreamError};
use ats_model::{RecordKind, Timestamp};

/// How a reconciliation ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReconcileEnd {
    /// The scan completed; missing records were marked, old ones soft-deleted.
    Completed(ReconcileOutcome),
    /// The quota ran out; nothing was marked. Runs again after `until`.
    Paused { until: Option<Timestamp> },
    /// The scan failed; nothing was marked.
    Abandoned { error: StreamError },
}

impl Engine {
    /// Scans every id of `kind` and reconciles the mirror with it.
    pub async fn reconcile<S: RecordSource>(
        &self,
        source: &S,
        meter: &QuotaMeter,
        connection: &str,
        kind: RecordKind,
        grace_seconds: i64,
    ) -> Result<ReconcileEnd, SyncError> {
        let progress: &dyn Progress = &NoProgress;
        let scan = self
            .store()
            .reconcile_begin(connection, kind, now())
            .await?;
        let mut cursor: Option<String> = None;
        let mut totals = RunTotals::default();
        let stream = format!("{kind}-ids");
        // Id scans page through cursors like record streams, with the same bounds.
        let mut paging = PagingGuard::new(None, self.config().max_pages_without_progress);
        loop {
            let page = self
                .with_retries(
                    meter,
                    Lane::Backfill,
                    connection,
                    &stream,
                    &mut totals,
                    progress,
                    |_| with_lane(Lane::Backfill, source.list_ids(kind, cursor.clone())),
                )
                .await;
            let page = page.and_then(|page| {
                paging
                    .check(!page.ids.is_empty(), page.next_cursor.as_deref())
                    .map_err(|error| {
                        tracing::warn!(
                            connection, stream = %stream, error = %error,
                            "stopping an id scan whose paging never ends"
                        );
                        Stop::paging(error)
                    })
                    .map(|()| page)
            });
            let page = match page {
                Ok(page) => page,
                Err(stop) => {
                    self.store().reconcile_abandon(scan).await?;
                    return Ok(match stop {
                        Stop::Paused(until) => ReconcileEnd::Paused { until },
                        Stop::Failed(error, _) => ReconcileEnd::Abandoned { error },
                    });
                }
            };
            self.store().reconcile_seen(scan, &page.ids).await?;
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        let outcome = self
            .store()
            .reconcile_finish(scan, now(), grace_seconds)
            .await?;
        tracing::info!(connection, %kind, ?outcome, "reconciliation finished");
        Ok(ReconcileEnd::Completed(outcome))
    }
}
