//! `MirrorStore` for PostgreSQL: each method takes a pooled connection and, for writes that
//! touch several rows, one transaction.

use crate::{Error, PgMirror, connections, reconcile, record_reads, records, sync_state};
use ats_mirror::{
    ConnectionRow, KindCounts, MirrorCounts, MirrorError, MirrorStore, PageOutcome, PageWrite,
    ReconcileOutcome, RecordErrorRow, RunId, RunMode, RunOutcome, RunRow, ScanId, StatusChange,
    StoredRecord, StreamState,
};
use ats_model::{AtsRecord, RecordError, RecordKind, Timestamp};
use sqlx::Connection;

#[async_trait::async_trait]
impl MirrorStore for PgMirror {
    async fn upsert_connection(&self, c: &ConnectionRow) -> Result<(), MirrorError> {
        Ok(connections::upsert(&mut *self.conn().await?, c).await?)
    }

    async fn delete_connection(&self, name: &str) -> Result<bool, MirrorError> {
        Ok(connections::delete(&mut *self.conn().await?, name).await?)
    }

    async fn connection(&self, name: &str) -> Result<Option<ConnectionRow>, MirrorError> {
        Ok(connections::get(&mut *self.conn().await?, name).await?)
    }

    async fn connections(&self) -> Result<Vec<ConnectionRow>, MirrorError> {
        Ok(connections::all(&mut *self.conn().await?).await?)
    }

    async fn stream_state(
        &self,
        conn: &str,
        stream: &str,
    ) -> Result<Option<StreamState>, MirrorError> {
        Ok(sync_state::load(&mut *self.conn().await?, conn, stream).await?)
    }

    async fn save_stream_state(
        &self,
        conn: &str,
        stream: &str,
        s: &StreamState,
    ) -> Result<(), MirrorError> {
        Ok(sync_state::save(&mut *self.conn().await?, conn, stream, s).await?)
    }

    async fn apply_page(
        &self,
        conn: &str,
        stream: &str,
        page: PageWrite,
        state: &StreamState,
        seen_at: Timestamp,
    ) -> Result<PageOutcome, MirrorError> {
        let mut db = self.conn().await?;
        let work = async {
            // Dropping `tx` on any error below rolls the whole page back.
            let mut tx = db.begin().await?;
            if let Some(fence) = &page.fence {
                // The lease row stays key-share-locked until commit: a takeover (`FOR UPDATE
                // SKIP LOCKED`) passes it by until this page is in, or has committed and the
                // token no longer matches. The holder's own renewal (an `UPDATE` of no key
                // column) is not held up: a `FOR SHARE` here made renewals wait for pages and
                // leases expire under load.
                let held: Option<i32> = sqlx::query_scalar(
                    "SELECT 1 FROM stream_leases WHERE conn = $1 AND stream = $2 \
                     AND holder = $3 AND token = $4 FOR KEY SHARE",
                )
                .bind(conn)
                .bind(stream)
                .bind(&fence.holder)
                .bind(fence.token)
                .fetch_optional(&mut *tx)
                .await?;
                if held.is_none() {
                    tx.rollback().await?;
                    return Err(Error::Mirror(MirrorError::LeaseLost {
                        conn: conn.to_string(),
                        stream: stream.to_string(),
                    }));
                }
            }
            let mut outcome = PageOutcome::default();
            // Records written or gone drop their record errors. Almost no connection has any:
            // then the page copies no id for it.
            let mut written: Vec<(RecordKind, String)> = Vec::new();
            if sync_state::has_record_errors(&mut tx, conn).await? {
                written.extend(page.records.iter().map(|r| (r.kind(), r.id().to_string())));
                written.extend(page.gone.iter().map(|id| (page.kind, id.clone())));
            }
            crate::page_write::write_records(&mut tx, conn, page.records, seen_at, &mut outcome)
                .await?;
            for id in &page.gone {
                if records::soft_delete(&mut tx, conn, page.kind, id, seen_at).await? {
                    outcome.deleted += 1;
                }
            }
            for kind in RecordKind::ALL.into_iter().filter(|_| !written.is_empty()) {
                let ids: Vec<&str> = written
                    .iter()
                    .filter(|(k, _)| *k == kind)
                    .map(|(_, id)| id.as_str())
                    .collect();
                sync_state::clear_record_errors(&mut tx, conn, kind, &ids).await?;
            }
            sync_state::put_record_errors(
                &mut tx,
                conn,
                stream,
                page.kind,
                &page.record_errors,
                seen_at,
            )
            .await?;
            sync_state::save(&mut tx, conn, stream, state).await?;
            tx.commit().await?;
            Ok::<_, Error>(outcome)
        };
        Ok(work.await?)
    }

    async fn start_run(
        &self,
        conn: &str,
        stream: &str,
        mode: RunMode,
        at: Timestamp,
    ) -> Result<RunId, MirrorError> {
        Ok(sync_state::start_run(&mut *self.conn().await?, conn, stream, mode, at).await?)
    }

    async fn finish_run(&self, run: RunId, outcome: &RunOutcome) -> Result<(), MirrorError> {
        sync_state::finish_run(&mut *self.conn().await?, run, outcome).await?;
        if outcome.upserted >= ANALYZE_AFTER_UPSERTS {
            self.analyze_in_background();
        }
        Ok(())
    }

    async fn runs(&self, conn: &str, limit: usize) -> Result<Vec<RunRow>, MirrorError> {
        Ok(sync_state::runs(&mut *self.conn().await?, conn, limit).await?)
    }

    async fn reconcile_begin(
        &self,
        conn: &str,
        kind: RecordKind,
        at: Timestamp,
    ) -> Result<ScanId, MirrorError> {
        Ok(reconcile::begin(&mut *self.conn().await?, conn, kind, at).await?)
    }

    async fn reconcile_seen(&self, scan: ScanId, ids: &[String]) -> Result<(), MirrorError> {
        Ok(reconcile::seen(&mut *self.conn().await?, scan, ids).await?)
    }

    async fn reconcile_finish(
        &self,
        scan: ScanId,
        at: Timestamp,
        grace_seconds: i64,
    ) -> Result<ReconcileOutcome, MirrorError> {
        Ok(reconcile::finish(&mut *self.conn().await?, scan, at, grace_seconds).await?)
    }

    async fn reconcile_abandon(&self, scan: ScanId) -> Result<(), MirrorError> {
        Ok(reconcile::abandon(&mut *self.conn().await?, scan).await?)
    }

    async fn upsert_record(
        &self,
        conn: &str,
        record: AtsRecord,
        seen_at: Timestamp,
    ) -> Result<PageOutcome, MirrorError> {
        let mut db = self.conn().await?;
        let work = async {
            let mut tx = db.begin().await?;
            let mut outcome = PageOutcome {
                max_updated_at: record.updated_at(),
                ..PageOutcome::default()
            };
            sync_state::clear_record_errors(&mut tx, conn, record.kind(), &[record.id()]).await?;
            records::write_record(&mut tx, conn, record, seen_at)
                .await?
                .count(&mut outcome);
            tx.commit().await?;
            Ok::<_, Error>(outcome)
        };
        Ok(work.await?)
    }

    async fn mark_deleted(
        &self,
        conn: &str,
        kind: RecordKind,
        id: &str,
        at: Timestamp,
    ) -> Result<bool, MirrorError> {
        let mut db = self.conn().await?;
        let work = async {
            let mut tx = db.begin().await?;
            sync_state::clear_record_errors(&mut tx, conn, kind, &[id]).await?;
            let changed = records::soft_delete(&mut tx, conn, kind, id, at).await?;
            tx.commit().await?;
            Ok::<_, Error>(changed)
        };
        Ok(work.await?)
    }

    async fn put_record_errors(
        &self,
        conn: &str,
        stream: &str,
        kind: RecordKind,
        errors: &[RecordError],
        at: Timestamp,
    ) -> Result<(), MirrorError> {
        Ok(
            sync_state::put_record_errors(&mut *self.conn().await?, conn, stream, kind, errors, at)
                .await?,
        )
    }

    async fn record_errors(
        &self,
        conn: &str,
        stream: &str,
    ) -> Result<Vec<RecordErrorRow>, MirrorError> {
        Ok(sync_state::record_errors(&mut *self.conn().await?, conn, stream).await?)
    }

    async fn record(
        &self,
        conn: &str,
        kind: RecordKind,
        id: &str,
    ) -> Result<Option<StoredRecord>, MirrorError> {
        Ok(record_reads::read_record(&mut *self.conn().await?, conn, kind, id).await?)
    }

    async fn counts(&self, conn: &str) -> Result<MirrorCounts, MirrorError> {
        let mut db = self.conn().await?;
        let mut counts = MirrorCounts::default();
        for kind in RecordKind::ALL {
            let (live, deleted) = record_reads::count(&mut db, conn, kind).await?;
            counts.per_kind.insert(kind, KindCounts { live, deleted });
        }
        Ok(counts)
    }

    async fn status_history(
        &self,
        conn: &str,
        application_id: &str,
    ) -> Result<Vec<StatusChange>, MirrorError> {
        Ok(record_reads::status_history(&mut *self.conn().await?, conn, application_id).await?)
    }

    async fn ids(&self, conn: &str, kind: RecordKind) -> Result<Vec<String>, MirrorError> {
        Ok(record_reads::live_ids(&mut *self.conn().await?, conn, kind).await?)
    }
}

/// A run that wrote this many records (a first load, usually) refreshes the planner's
/// statistics at once. Autovacuum would, but only after its next nap and 10 % more rows: until
/// then the planner takes a freshly loaded table for empty, and a search with an application
/// filter took 6 s on 100k candidates instead of milliseconds.
const ANALYZE_AFTER_UPSERTS: u64 = 10_000;

/// The tables searches and features read.
const ANALYZED_TABLES: &str =
    "candidates, applications, jobs, statuses, folders, candidate_keys, attachments";

impl PgMirror {
    /// `ANALYZE` of the record tables, off the run's path (a second on a million rows).
    fn analyze_in_background(&self) {
        let pool = self.pool().clone();
        tokio::spawn(async move {
            let sql = format!("ANALYZE {ANALYZED_TABLES}");
            if let Err(e) = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&pool).await {
                tracing::warn!("could not refresh the planner's statistics after a load: {e}");
            }
        });
    }
}
