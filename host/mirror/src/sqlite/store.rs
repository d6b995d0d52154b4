//! `MirrorStore` for SQLite: each method picks a connection and, for writes, one transaction.

use super::{SqliteMirror, connections, reconcile, records, sync_state};
use crate::{
    ConnectionRow, KindCounts, MirrorCounts, MirrorError, MirrorStore, PageOutcome, PageWrite,
    ReconcileOutcome, RunId, RunMode, RunOutcome, RunRow, ScanId, StatusChange, StoredRecord,
    StreamState,
};
use ats_model::{AtsRecord, RecordKind, Timestamp};
use rusqlite::TransactionBehavior;

impl MirrorStore for SqliteMirror {
    fn upsert_connection(&self, c: &ConnectionRow) -> Result<(), MirrorError> {
        self.write(|db| connections::upsert(db, c))
    }

    fn connection(&self, name: &str) -> Result<Option<ConnectionRow>, MirrorError> {
        self.read(|db| connections::get(db, name))
    }

    fn connections(&self) -> Result<Vec<ConnectionRow>, MirrorError> {
        self.read(connections::all)
    }

    fn stream_state(&self, conn: &str, stream: &str) -> Result<Option<StreamState>, MirrorError> {
        self.read(|db| sync_state::load(db, conn, stream))
    }

    fn save_stream_state(
        &self,
        conn: &str,
        stream: &str,
        s: &StreamState,
    ) -> Result<(), MirrorError> {
        self.write(|db| sync_state::save(db, conn, stream, s))
    }

    fn apply_page(
        &self,
        conn: &str,
        stream: &str,
        page: &PageWrite<'_>,
        state: &StreamState,
        seen_at: Timestamp,
    ) -> Result<PageOutcome, MirrorError> {
        self.write(|db| {
            // Dropping `tx` on any error below rolls the whole page back.
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut outcome = PageOutcome::default();
            let mut fts = records::FtsBatch::default();
            for record in page.records {
                records::write_record(&tx, conn, record, seen_at, &mut fts)?.count(&mut outcome);
                if let Some(t) = record.updated_at() {
                    outcome.max_updated_at = Some(outcome.max_updated_at.map_or(t, |m| m.max(t)));
                }
            }
            for id in page.gone {
                if records::soft_delete(&tx, conn, page.kind, id, seen_at)? {
                    outcome.deleted += 1;
                }
            }
            sync_state::save(&tx, conn, stream, state)?;
            fts.flush(&tx)?;
            tx.commit()?;
            Ok(outcome)
        })
    }

    fn start_run(
        &self,
        conn: &str,
        stream: &str,
        mode: RunMode,
        at: Timestamp,
    ) -> Result<RunId, MirrorError> {
        self.write(|db| sync_state::start_run(db, conn, stream, mode, at))
    }

    fn finish_run(&self, run: RunId, outcome: &RunOutcome) -> Result<(), MirrorError> {
        self.write(|db| sync_state::finish_run(db, run, outcome))
    }

    fn runs(&self, conn: &str, limit: usize) -> Result<Vec<RunRow>, MirrorError> {
        self.read(|db| sync_state::runs(db, conn, limit))
    }

    fn reconcile_begin(
        &self,
        conn: &str,
        kind: RecordKind,
        at: Timestamp,
    ) -> Result<ScanId, MirrorError> {
        self.write(|db| reconcile::begin(db, conn, kind, at))
    }

    fn reconcile_seen(&self, scan: ScanId, ids: &[String]) -> Result<(), MirrorError> {
        self.write(|db| reconcile::seen(db, scan, ids))
    }

    fn reconcile_finish(
        &self,
        scan: ScanId,
        at: Timestamp,
        grace_seconds: i64,
    ) -> Result<ReconcileOutcome, MirrorError> {
        self.write(|db| reconcile::finish(db, scan, at, grace_seconds))
    }

    fn reconcile_abandon(&self, scan: ScanId) -> Result<(), MirrorError> {
        self.write(|db| reconcile::abandon(db, scan))
    }

    fn upsert_record(
        &self,
        conn: &str,
        record: &AtsRecord,
        seen_at: Timestamp,
    ) -> Result<PageOutcome, MirrorError> {
        self.write(|db| {
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut outcome = PageOutcome {
                max_updated_at: record.updated_at(),
                ..PageOutcome::default()
            };
            let mut fts = records::FtsBatch::default();
            records::write_record(&tx, conn, record, seen_at, &mut fts)?.count(&mut outcome);
            fts.flush(&tx)?;
            tx.commit()?;
            Ok(outcome)
        })
    }

    fn mark_deleted(
        &self,
        conn: &str,
        kind: RecordKind,
        id: &str,
        at: Timestamp,
    ) -> Result<bool, MirrorError> {
        self.write(|db| records::soft_delete(db, conn, kind, id, at))
    }

    fn record(
        &self,
        conn: &str,
        kind: RecordKind,
        id: &str,
    ) -> Result<Option<StoredRecord>, MirrorError> {
        self.read(|db| records::read_record(db, conn, kind, id))
    }

    fn counts(&self, conn: &str) -> Result<MirrorCounts, MirrorError> {
        self.read(|db| {
            let mut counts = MirrorCounts::default();
            for kind in RecordKind::ALL {
                let (live, deleted) = records::count(db, conn, kind)?;
                counts.per_kind.insert(kind, KindCounts { live, deleted });
            }
            Ok(counts)
        })
    }

    fn status_history(
        &self,
        conn: &str,
        application_id: &str,
    ) -> Result<Vec<StatusChange>, MirrorError> {
        self.read(|db| records::status_history(db, conn, application_id))
    }

    fn ids(&self, conn: &str, kind: RecordKind) -> Result<Vec<String>, MirrorError> {
        self.read(|db| records::live_ids(db, conn, kind))
    }
}
