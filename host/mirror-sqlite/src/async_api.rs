//! The async mirror traits for [`SqliteMirror`]: each call copies its borrowed arguments and
//! runs [`Db`]'s synchronous SQL on tokio's blocking pool, so the caller's executor never waits
//! on SQLite. Records and pages are moved, not copied.

use crate::SqliteMirror;
use ats_mirror::{
    Applicant, CandidateApplication, ConnectionRow, DedupeKeyKind, DuplicateLink, FeatureState,
    IdempotencyRecord, MirrorCounts, MirrorError, MirrorQueries, MirrorStore, PageOutcome,
    PageWrite, ReconcileOutcome, RecordErrorRow, RejectionReason, ResumeTextDue, RunId, RunMode,
    RunOutcome, RunRow, ScanId, SearchPage, SearchQuery, StatusChange, StoredRecord, StreamState,
};
use ats_model::{AtsRecord, RecordError, RecordKind, Timestamp};

#[async_trait::async_trait]
impl MirrorStore for SqliteMirror {
    async fn upsert_connection(&self, c: &ConnectionRow) -> Result<(), MirrorError> {
        let c = c.clone();
        self.run(move |db| db.upsert_connection(&c)).await
    }

    async fn delete_connection(&self, name: &str) -> Result<bool, MirrorError> {
        let name = name.to_owned();
        self.run(move |db| db.delete_connection(&name)).await
    }

    async fn connection(&self, name: &str) -> Result<Option<ConnectionRow>, MirrorError> {
        let name = name.to_owned();
        self.run(move |db| db.connection(&name)).await
    }

    async fn connections(&self) -> Result<Vec<ConnectionRow>, MirrorError> {
        self.run(move |db| db.connections()).await
    }

    async fn stream_state(
        &self,
        conn: &str,
        stream: &str,
    ) -> Result<Option<StreamState>, MirrorError> {
        let (conn, stream) = (conn.to_owned(), stream.to_owned());
        self.run(move |db| db.stream_state(&conn, &stream)).await
    }

    async fn save_stream_state(
        &self,
        conn: &str,
        stream: &str,
        s: &StreamState,
    ) -> Result<(), MirrorError> {
        let (conn, stream, s) = (conn.to_owned(), stream.to_owned(), s.clone());
        self.run(move |db| db.save_stream_state(&conn, &stream, &s))
            .await
    }

    async fn apply_page(
        &self,
        conn: &str,
        stream: &str,
        page: PageWrite,
        state: &StreamState,
        seen_at: Timestamp,
    ) -> Result<PageOutcome, MirrorError> {
        let (conn, stream, state) = (conn.to_owned(), stream.to_owned(), state.clone());
        if let Some(fence) = &page.fence {
            self.leases.check_fence(&conn, &stream, fence)?;
        }
        self.run(move |db| db.apply_page(&conn, &stream, page, &state, seen_at))
            .await
    }

    async fn start_run(
        &self,
        conn: &str,
        stream: &str,
        mode: RunMode,
        at: Timestamp,
    ) -> Result<RunId, MirrorError> {
        let (conn, stream) = (conn.to_owned(), stream.to_owned());
        self.run(move |db| db.start_run(&conn, &stream, mode, at))
            .await
    }

    async fn finish_run(&self, run: RunId, outcome: &RunOutcome) -> Result<(), MirrorError> {
        let outcome = outcome.clone();
        self.run(move |db| db.finish_run(run, &outcome)).await
    }

    async fn runs(&self, conn: &str, limit: usize) -> Result<Vec<RunRow>, MirrorError> {
        let conn = conn.to_owned();
        self.run(move |db| db.runs(&conn, limit)).await
    }

    async fn reconcile_begin(
        &self,
        conn: &str,
        kind: RecordKind,
        at: Timestamp,
    ) -> Result<ScanId, MirrorError> {
        let conn = conn.to_owned();
        self.run(move |db| db.reconcile_begin(&conn, kind, at))
            .await
    }

    async fn reconcile_seen(&self, scan: ScanId, ids: &[String]) -> Result<(), MirrorError> {
        let ids = ids.to_vec();
        self.run(move |db| db.reconcile_seen(scan, &ids)).await
    }

    async fn reconcile_finish(
        &self,
        scan: ScanId,
        at: Timestamp,
        grace_seconds: i64,
    ) -> Result<ReconcileOutcome, MirrorError> {
        self.run(move |db| db.reconcile_finish(scan, at, grace_seconds))
            .await
    }

    async fn reconcile_abandon(&self, scan: ScanId) -> Result<(), MirrorError> {
        self.run(move |db| db.reconcile_abandon(scan)).await
    }

    async fn upsert_record(
        &self,
        conn: &str,
        record: AtsRecord,
        seen_at: Timestamp,
    ) -> Result<PageOutcome, MirrorError> {
        let conn = conn.to_owned();
        self.run(move |db| db.upsert_record(&conn, record, seen_at))
            .await
    }

    async fn mark_deleted(
        &self,
        conn: &str,
        kind: RecordKind,
        id: &str,
        at: Timestamp,
    ) -> Result<bool, MirrorError> {
        let (conn, id) = (conn.to_owned(), id.to_owned());
        self.run(move |db| db.mark_deleted(&conn, kind, &id, at))
            .await
    }

    async fn put_record_errors(
        &self,
        conn: &str,
        stream: &str,
        kind: RecordKind,
        errors: &[RecordError],
        at: Timestamp,
    ) -> Result<(), MirrorError> {
        let (conn, stream, errors) = (conn.to_owned(), stream.to_owned(), errors.to_vec());
        self.run(move |db| db.put_record_errors(&conn, &stream, kind, &errors, at))
            .await
    }

    async fn record_errors(
        &self,
        conn: &str,
        stream: &str,
    ) -> Result<Vec<RecordErrorRow>, MirrorError> {
        let (conn, stream) = (conn.to_owned(), stream.to_owned());
        self.run(move |db| db.record_errors(&conn, &stream)).await
    }

    async fn record(
        &self,
        conn: &str,
        kind: RecordKind,
        id: &str,
    ) -> Result<Option<StoredRecord>, MirrorError> {
        let (conn, id) = (conn.to_owned(), id.to_owned());
        self.run(move |db| db.record(&conn, kind, &id)).await
    }

    async fn counts(&self, conn: &str) -> Result<MirrorCounts, MirrorError> {
        let conn = conn.to_owned();
        self.run(move |db| db.counts(&conn)).await
    }

    async fn status_history(
        &self,
        conn: &str,
        application_id: &str,
    ) -> Result<Vec<StatusChange>, MirrorError> {
        let (conn, application_id) = (conn.to_owned(), application_id.to_owned());
        self.run(move |db| db.status_history(&conn, &application_id))
            .await
    }

    async fn ids(&self, conn: &str, kind: RecordKind) -> Result<Vec<String>, MirrorError> {
        let conn = conn.to_owned();
        self.run(move |db| db.ids(&conn, kind)).await
    }
}

#[async_trait::async_trait]
impl FeatureState for SqliteMirror {
    async fn idempotency(
        &self,
        conn: &str,
        key: &str,
    ) -> Result<Option<IdempotencyRecord>, MirrorError> {
        let (conn, key) = (conn.to_owned(), key.to_owned());
        self.run(move |db| db.idempotency(&conn, &key)).await
    }

    async fn idempotency_claim(
        &self,
        conn: &str,
        key: &str,
        state: &str,
        at: Timestamp,
    ) -> Result<Option<IdempotencyRecord>, MirrorError> {
        let (conn, key, state) = (conn.to_owned(), key.to_owned(), state.to_owned());
        self.run(move |db| db.idempotency_claim(&conn, &key, &state, at))
            .await
    }

    async fn idempotency_put(
        &self,
        conn: &str,
        record: &IdempotencyRecord,
    ) -> Result<(), MirrorError> {
        let (conn, record) = (conn.to_owned(), record.clone());
        self.run(move |db| db.idempotency_put(&conn, &record)).await
    }

    async fn put_duplicate_links(
        &self,
        conn: &str,
        links: &[DuplicateLink],
    ) -> Result<(), MirrorError> {
        let (conn, links) = (conn.to_owned(), links.to_vec());
        self.run(move |db| db.put_duplicate_links(&conn, &links))
            .await
    }

    async fn duplicate_links(
        &self,
        conn: &str,
        candidate_id: &str,
    ) -> Result<Vec<DuplicateLink>, MirrorError> {
        let (conn, candidate_id) = (conn.to_owned(), candidate_id.to_owned());
        self.run(move |db| db.duplicate_links(&conn, &candidate_id))
            .await
    }

    async fn cluster(&self, conn: &str, candidate_id: &str) -> Result<Vec<String>, MirrorError> {
        let (conn, candidate_id) = (conn.to_owned(), candidate_id.to_owned());
        self.run(move |db| db.cluster(&conn, &candidate_id)).await
    }

    async fn put_rejection_reason(
        &self,
        conn: &str,
        r: &RejectionReason,
    ) -> Result<(), MirrorError> {
        let (conn, r) = (conn.to_owned(), r.clone());
        self.run(move |db| db.put_rejection_reason(&conn, &r)).await
    }

    async fn rejection_reason(
        &self,
        conn: &str,
        application_id: &str,
    ) -> Result<Option<RejectionReason>, MirrorError> {
        let (conn, application_id) = (conn.to_owned(), application_id.to_owned());
        self.run(move |db| db.rejection_reason(&conn, &application_id))
            .await
    }

    async fn set_resume_text(
        &self,
        conn: &str,
        candidate_id: &str,
        attachment_id: &str,
        text: &str,
    ) -> Result<bool, MirrorError> {
        let (conn, candidate_id, attachment_id, text) = (
            conn.to_owned(),
            candidate_id.to_owned(),
            attachment_id.to_owned(),
            text.to_owned(),
        );
        self.run(move |db| db.set_resume_text(&conn, &candidate_id, &attachment_id, &text))
            .await
    }

    async fn resume_texts_due(
        &self,
        conn: &str,
        limit: usize,
    ) -> Result<Vec<ResumeTextDue>, MirrorError> {
        let conn = conn.to_owned();
        self.run(move |db| db.resume_texts_due(&conn, limit)).await
    }

    async fn resume_texts(
        &self,
        conn: &str,
        ids: &[String],
    ) -> Result<std::collections::HashMap<String, String>, MirrorError> {
        let (conn, ids) = (conn.to_owned(), ids.to_vec());
        self.run(move |db| db.resume_texts(&conn, &ids)).await
    }
}

#[async_trait::async_trait]
impl MirrorQueries for SqliteMirror {
    async fn search_candidates(
        &self,
        conn: &str,
        q: &SearchQuery,
    ) -> Result<SearchPage, MirrorError> {
        let (conn, q) = (conn.to_owned(), q.clone());
        let sync = if crate::indexed::index_answers(&q) {
            self.search_index().cloned()
        } else {
            None
        };
        let db = self.db.clone();
        self.run(move |_| {
            let index = match &sync {
                Some(sync) => sync.ready(&db)?,
                None => None,
            };
            db.search_candidates(&conn, &q, index)
        })
        .await
    }

    async fn catch_up_search_index(&self) -> Result<(), MirrorError> {
        let Some(sync) = self.search_index().cloned() else {
            return Ok(());
        };
        self.run(move |db| sync.catch_up(db)).await
    }

    async fn applicants(
        &self,
        conn: &str,
        job_id: &str,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<Applicant>, MirrorError> {
        let (conn, job_id) = (conn.to_owned(), job_id.to_owned());
        self.run(move |db| db.applicants(&conn, &job_id, limit, offset))
            .await
    }

    async fn applications_of_candidate(
        &self,
        conn: &str,
        candidate_id: &str,
        limit: usize,
    ) -> Result<Vec<CandidateApplication>, MirrorError> {
        let (conn, candidate_id) = (conn.to_owned(), candidate_id.to_owned());
        self.run(move |db| db.applications_of_candidate(&conn, &candidate_id, limit))
            .await
    }

    async fn application_of(
        &self,
        conn: &str,
        candidate_id: &str,
        job_id: &str,
    ) -> Result<Option<String>, MirrorError> {
        let (conn, candidate_id, job_id) =
            (conn.to_owned(), candidate_id.to_owned(), job_id.to_owned());
        self.run(move |db| db.application_of(&conn, &candidate_id, &job_id))
            .await
    }

    async fn candidates_by_key(
        &self,
        conn: &str,
        kind: DedupeKeyKind,
        key: &str,
        limit: usize,
    ) -> Result<Vec<String>, MirrorError> {
        let (conn, key) = (conn.to_owned(), key.to_owned());
        self.run(move |db| db.candidates_by_key(&conn, kind, &key, limit))
            .await
    }

    async fn shared_keys(
        &self,
        conn: &str,
        kind: DedupeKeyKind,
        limit: usize,
    ) -> Result<Vec<(String, Vec<String>)>, MirrorError> {
        let conn = conn.to_owned();
        self.run(move |db| db.shared_keys(&conn, kind, limit)).await
    }
}
