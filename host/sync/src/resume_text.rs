//! Résumé text: after a completed candidates run, the host asks the connector for the text the
//! ATS extracted from each résumé the mirror has no text for yet (`attachment-text`), and stores
//! it with `FeatureState::set_resume_text`, so that search and the fit score read it.
//!
//! - **Which**: résumé attachments of live candidates whose text was never asked for, or was
//!   asked for before the candidate last changed (the mirror forgets the answer when a new
//!   version of the candidate is written: `FeatureState::resume_texts_due`). A candidate that
//!   did not change is never asked for again.
//! - **Cost**: one connector call per résumé, which is one request for iCIMS. At most
//!   [`MAX_RESUME_TEXTS_PER_RUN`] per run, in the backfill lane: a first load of 100,000 people
//!   fills in over the following runs instead of spending a day's quota at once. A connector
//!   offers it only when its connection's settings allow the cost (`WriteCapability::AttachmentText`;
//!   for iCIMS the `resume-text` setting).
//! - **Answers**: text is stored; `none` (and `not-found`) is stored as empty text, so that it
//!   is not asked for again until the candidate changes. A spent lane stops the pass (the rest
//!   waits for the next run); unauthorized, a missing permission, bad settings or `unsupported`
//!   stop it too, since every other résumé would fail the same way; any other failure skips
//!   that résumé, which stays due.
//!
//! Calls go one after another, like re-reads: each is one request, and sequential calls keep
//! the quota check exact.

use crate::engine::{Engine, NoProgress, RunTotals, Stop, SyncError};
use crate::lane_context::with_lane;
use crate::meter::QuotaMeter;
use crate::quota::Lane;
use crate::source::{RecordSource, SourceError};
use ats_mirror::{FeatureState, ResumeTextDue, StreamLabel};
use ats_model::{ConnectorError, Timestamp};

/// The most résumés one run asks text for: each costs a request.
pub const MAX_RESUME_TEXTS_PER_RUN: usize = 200;

/// The name these calls go by in logs and in the engine's retry messages.
const STREAM: &str = "resume-text";

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResumeTextOutcome {
    /// Résumés whose text is now stored.
    pub stored: u64,
    /// Résumés the ATS has no text for (stored as empty).
    pub without_text: u64,
    /// Résumés whose call failed; they stay due.
    pub failed: u64,
    /// Résumés taken as due but not asked, because the lane was spent or an error stopped the
    /// pass. (More than the pass's limit may be due; the next runs find those.)
    pub not_asked: u64,
    /// When the spent quota resets, when the lane stopped the pass.
    pub paused_until: Option<Timestamp>,
    /// Why the pass stopped before its end, when an error stopped it.
    pub stopped_by: Option<String>,
    /// Requests the pass sent, as the quota meter counted them.
    pub requests: u64,
}

impl ResumeTextOutcome {
    /// One line for run reports.
    pub fn summary(&self) -> String {
        let mut text = format!(
            "{} stored, {} without text, {} failed, {} left for later ({} requests)",
            self.stored, self.without_text, self.failed, self.not_asked, self.requests
        );
        if let Some(why) = &self.stopped_by {
            text.push_str(&format!("; stopped: {why}"));
        }
        text
    }
}

impl Engine {
    /// Asks `source` for the text of up to `limit` résumés of `connection` that have none (see
    /// the module docs) and stores each answer in `texts`. Fails only when the mirror does.
    pub async fn fetch_resume_texts<S: RecordSource>(
        &self,
        source: &S,
        meter: &QuotaMeter,
        texts: &dyn FeatureState,
        connection: &str,
        limit: usize,
    ) -> Result<ResumeTextOutcome, SyncError> {
        let lane = Lane::Backfill;
        let due = texts.resume_texts_due(connection, limit).await?;
        let mut outcome = ResumeTextOutcome::default();
        if due.is_empty() {
            return Ok(outcome);
        }
        let requests_before = meter.counts().0;
        let mut totals = RunTotals::default();
        let mut pending = due.iter();
        for d in pending.by_ref() {
            let read = self
                .with_retries(
                    meter,
                    lane,
                    connection,
                    STREAM,
                    &mut totals,
                    &NoProgress,
                    |_| with_lane(lane, text_or_none(source, d)),
                )
                .await;
            match read {
                Ok(text) => {
                    let text = text.unwrap_or_default();
                    if text.is_empty() {
                        outcome.without_text += 1;
                    } else {
                        outcome.stored += 1;
                    }
                    texts
                        .set_resume_text(connection, &d.candidate_id, &d.attachment_id, &text)
                        .await?;
                }
                Err(Stop::Paused(until)) => {
                    outcome.not_asked += 1;
                    outcome.paused_until = until;
                    break;
                }
                Err(Stop::Failed(error, label)) => {
                    outcome.failed += 1;
                    tracing::debug!(
                        connection, candidate = %d.candidate_id, error = %error.message,
                        "no résumé text this run"
                    );
                    if label == StreamLabel::NeedsAttention || error.kind == "unsupported" {
                        outcome.stopped_by = Some(error.message);
                        break;
                    }
                }
            }
        }
        outcome.not_asked += pending.len() as u64;
        outcome.requests = meter.counts().0 - requests_before;
        tracing::info!(
            connection,
            stored = outcome.stored,
            without_text = outcome.without_text,
            failed = outcome.failed,
            not_asked = outcome.not_asked,
            requests = outcome.requests,
            "asked for résumé texts"
        );
        Ok(outcome)
    }
}

/// One `attachment-text` call, with `not-found` as "no text" (the attachment is gone; the
/// candidate's next version says so) rather than an error.
async fn text_or_none<S: RecordSource>(
    source: &S,
    due: &ResumeTextDue,
) -> Result<Option<String>, SourceError> {
    match source
        .attachment_text(&due.candidate_id, &due.attachment_id)
        .await
    {
        Err(SourceError::Connector(ConnectorError::NotFound { .. })) => Ok(None),
        other => other,
    }
}
