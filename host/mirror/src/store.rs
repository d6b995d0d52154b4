//! The storage boundary the sync engine and the features program against.
//!
//! Methods are async so a service answering many requests never blocks its executor: a backend
//! with a blocking driver (SQLite) runs each call on a blocking thread, a networked one (PostgreSQL)
//! awaits its driver. Every method is one transaction unless it says otherwise, and
//! implementations must be safe to call from several tasks at once (`Send + Sync`).
//!
//! Records are passed by value: the backend keeps them (or their parts) without a copy.

use crate::{
    ConnectionRow, DuplicateLink, IdempotencyRecord, MirrorCounts, MirrorError, PageOutcome,
    PageWrite, ReconcileOutcome, RecordErrorRow, RejectionReason, ResumeTextDue, RunId, RunMode,
    RunOutcome, RunRow, ScanId, StatusChange, StoredRecord, StreamState,
};
use ats_model::{AtsRecord, RecordError, RecordKind, Timestamp};

/// What the sync engine needs: connections, stream state, pages, runs, reconciliation, and
/// single-record writes from interactive features.
#[async_trait::async_trait]
pub trait MirrorStore: Send + Sync {
    /// Creates or replaces a connection's configuration. Called when the operator adds or edits a
    /// connection. Keeps the stored `created_at` of an existing row.
    async fn upsert_connection(&self, c: &ConnectionRow) -> Result<(), MirrorError>;

    /// Removes a connection and everything the mirror keeps for it (records, their history and
    /// search index, stream states, runs, scans, idempotency keys, duplicate links, rejection
    /// reasons), in one transaction. The quota ledger stays: the ATS's quota outlives the row.
    /// `false` when there was no such connection.
    async fn delete_connection(&self, name: &str) -> Result<bool, MirrorError>;

    /// One connection's configuration, if configured.
    async fn connection(&self, name: &str) -> Result<Option<ConnectionRow>, MirrorError>;

    /// Every configured connection, by name.
    async fn connections(&self) -> Result<Vec<ConnectionRow>, MirrorError>;

    /// A stream's state; `None` before the stream's first run. Called when the scheduler plans
    /// and when a run starts (to resume from `cursor`).
    async fn stream_state(
        &self,
        conn: &str,
        stream: &str,
    ) -> Result<Option<StreamState>, MirrorError>;

    /// Replaces a stream's state without writing records: run start, run end (new high-water
    /// mark), failure, pause.
    async fn save_stream_state(
        &self,
        conn: &str,
        stream: &str,
        s: &StreamState,
    ) -> Result<(), MirrorError>;

    /// Stores one page, in one transaction: upserts its records (a record whose content hash is
    /// unchanged only gets `last_seen_at`), records application status changes, soft-deletes the
    /// `gone` ids, keeps its record errors (as [`MirrorStore::put_record_errors`]) and drops
    /// those of the records it writes or deletes, and saves `state` (the checkpoint after this
    /// page).
    ///
    /// A failure or crash before commit leaves nothing of the page and the previous checkpoint;
    /// after commit, all of it. Applying the same page again is harmless: nothing doubles, and the
    /// records count as unchanged. A record seen again after a soft delete is live again.
    async fn apply_page(
        &self,
        conn: &str,
        stream: &str,
        page: PageWrite,
        state: &StreamState,
        seen_at: Timestamp,
    ) -> Result<PageOutcome, MirrorError>;

    /// Keeps records the connector could not translate as record errors of `stream`: a new one
    /// with `attempts` 1, a known one with its reason and advice replaced, `last_seen_at = at`
    /// and one more attempt. One transaction.
    async fn put_record_errors(
        &self,
        conn: &str,
        stream: &str,
        kind: RecordKind,
        errors: &[RecordError],
        at: Timestamp,
    ) -> Result<(), MirrorError>;

    /// The record errors a stream's reads reported and no later read fixed, by id. Writing a
    /// record (a page, [`MirrorStore::upsert_record`]) or deleting it drops its error.
    async fn record_errors(
        &self,
        conn: &str,
        stream: &str,
    ) -> Result<Vec<RecordErrorRow>, MirrorError>;

    /// Opens a row in the run log. Called when a run starts.
    async fn start_run(
        &self,
        conn: &str,
        stream: &str,
        mode: RunMode,
        at: Timestamp,
    ) -> Result<RunId, MirrorError>;

    /// Closes a run-log row with its totals. Fails with `NotFound` for an unknown run.
    async fn finish_run(&self, run: RunId, outcome: &RunOutcome) -> Result<(), MirrorError>;

    /// The connection's most recent runs, newest first.
    async fn runs(&self, conn: &str, limit: usize) -> Result<Vec<RunRow>, MirrorError>;

    /// Starts a reconciliation scan of one kind: the engine lists every id the ATS holds and
    /// reports them with [`MirrorStore::reconcile_seen`]. Nothing is marked until
    /// [`MirrorStore::reconcile_finish`].
    async fn reconcile_begin(
        &self,
        conn: &str,
        kind: RecordKind,
        at: Timestamp,
    ) -> Result<ScanId, MirrorError>;

    /// Records ids the scan listed (any number of calls, duplicates harmless).
    async fn reconcile_seen(&self, scan: ScanId, ids: &[String]) -> Result<(), MirrorError>;

    /// Called only when the id scan completed cleanly. Live records the scan did not list, and
    /// that the mirror already held when the scan began, get `missing_since = at`; records listed
    /// again lose `missing_since`; records missing since `at - grace_seconds` or earlier are
    /// soft-deleted. Closes the scan.
    async fn reconcile_finish(
        &self,
        scan: ScanId,
        at: Timestamp,
        grace_seconds: i64,
    ) -> Result<ReconcileOutcome, MirrorError>;

    /// Drops a scan that failed or was interrupted: changes no record.
    async fn reconcile_abandon(&self, scan: ScanId) -> Result<(), MirrorError>;

    /// Stores one record outside a page (export, move, reject, push-event re-read, a retried
    /// record error), so the mirror reflects the result immediately. Same semantics as one record
    /// of a page (its record error, if any, is dropped).
    async fn upsert_record(
        &self,
        conn: &str,
        record: AtsRecord,
        seen_at: Timestamp,
    ) -> Result<PageOutcome, MirrorError>;

    /// Soft-deletes one record (no-op when absent or already deleted) and drops its record error.
    /// Returns whether the record changed.
    async fn mark_deleted(
        &self,
        conn: &str,
        kind: RecordKind,
        id: &str,
        at: Timestamp,
    ) -> Result<bool, MirrorError>;

    /// One record with its bookkeeping, deleted or not.
    async fn record(
        &self,
        conn: &str,
        kind: RecordKind,
        id: &str,
    ) -> Result<Option<StoredRecord>, MirrorError>;

    /// Live and deleted counts per kind.
    async fn counts(&self, conn: &str) -> Result<MirrorCounts, MirrorError>;

    /// Every status an application was seen in, oldest first; the first is its initial status.
    async fn status_history(
        &self,
        conn: &str,
        application_id: &str,
    ) -> Result<Vec<StatusChange>, MirrorError>;

    /// Live ids of one kind, sorted (tests compare them with the ATS).
    async fn ids(&self, conn: &str, kind: RecordKind) -> Result<Vec<String>, MirrorError>;
}

/// State the recruiter features keep beside the mirrored data: export idempotency, duplicate
/// links, rejection reasons and extracted resume text. Sync never touches it.
#[async_trait::async_trait]
pub trait FeatureState: Send + Sync {
    /// The stored state of an idempotency key.
    async fn idempotency(
        &self,
        conn: &str,
        key: &str,
    ) -> Result<Option<IdempotencyRecord>, MirrorError>;

    /// Claims a key atomically before a write: if the key is new, stores it with `state` and
    /// returns `None` (go ahead); otherwise returns the existing record untouched (a retry: reuse
    /// its result or wait).
    async fn idempotency_claim(
        &self,
        conn: &str,
        key: &str,
        state: &str,
        at: Timestamp,
    ) -> Result<Option<IdempotencyRecord>, MirrorError>;

    /// Sets a key's state and result (e.g. `done` with the created ids), creating it if absent;
    /// an existing key keeps its `created_at`.
    async fn idempotency_put(
        &self,
        conn: &str,
        record: &IdempotencyRecord,
    ) -> Result<(), MirrorError>;

    /// Creates or updates a link (ids are ordered for you) and regroups the affected clusters:
    /// suggested and confirmed links group candidates in search; dismissed ones do not.
    async fn put_duplicate_link(
        &self,
        conn: &str,
        link: &DuplicateLink,
    ) -> Result<(), MirrorError> {
        self.put_duplicate_links(conn, std::slice::from_ref(link))
            .await
    }

    /// As [`FeatureState::put_duplicate_link`] for several links, in one transaction that
    /// regroups the affected clusters once.
    async fn put_duplicate_links(
        &self,
        conn: &str,
        links: &[DuplicateLink],
    ) -> Result<(), MirrorError>;

    /// Links touching a candidate, any status.
    async fn duplicate_links(
        &self,
        conn: &str,
        candidate_id: &str,
    ) -> Result<Vec<DuplicateLink>, MirrorError>;

    /// The candidate ids grouped with this one (itself included), sorted.
    async fn cluster(&self, conn: &str, candidate_id: &str) -> Result<Vec<String>, MirrorError>;

    /// Records why an application was rejected (replaces an earlier reason).
    async fn put_rejection_reason(
        &self,
        conn: &str,
        r: &RejectionReason,
    ) -> Result<(), MirrorError>;

    async fn rejection_reason(
        &self,
        conn: &str,
        application_id: &str,
    ) -> Result<Option<RejectionReason>, MirrorError>;

    /// Stores text extracted from a candidate's attachment; the attachment is the candidate's
    /// resume text for search from then on. Empty text records that the ATS has none for that
    /// attachment (it is no longer due). Returns false if the candidate is not mirrored.
    async fn set_resume_text(
        &self,
        conn: &str,
        candidate_id: &str,
        attachment_id: &str,
        text: &str,
    ) -> Result<bool, MirrorError>;

    /// Up to `limit` résumé attachments of live candidates whose text was not stored (with
    /// [`FeatureState::set_resume_text`]) since the candidate's current version was written:
    /// never asked for, or asked for before the candidate last changed. Writing a new version of
    /// a candidate makes its résumés due again; an unchanged re-read does not.
    async fn resume_texts_due(
        &self,
        conn: &str,
        limit: usize,
    ) -> Result<Vec<ResumeTextDue>, MirrorError>;

    /// The stored résumé text of each of `ids` that has one (not empty), by candidate id: for
    /// scoring a set of people at once (rediscovery).
    async fn resume_texts(
        &self,
        conn: &str,
        ids: &[String],
    ) -> Result<std::collections::HashMap<String, String>, MirrorError>;
}
