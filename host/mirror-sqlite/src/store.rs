//! `MirrorStore` for SQLite: each method picks a connection and, for writes, one transaction.

use crate::{Db, Error, connections, reconcile, records, sync_state};
use ats_mirror::{
    ConnectionRow, KindCounts, MirrorCounts, PageOutcome, PageWrite, ReconcileOutcome,
    RecordErrorRow, RunId, RunMode, RunOutcome, RunRow, ScanId, StatusChange, StoredRecord,
    StreamState,
};
use ats_model::{AtsRecord, RecordError, RecordKind, Timestamp};
use rusqlite::TransactionBehavior;

impl Db {
    pub(crate) fn upsert_connection(&self, c: &ConnectionRow) -> Result<(), Error> {
        self.write(|db| connections::upsert(db, c))
    }

    pub(crate) fn delete_connection(&self, name: &str) -> Result<bool, Error> {
        self.write(|db| connections::delete(db, name))
    }

    pub(crate) fn connection(&self, name: &str) -> Result<Option<ConnectionRow>, Error> {
        self.read(|db| connections::get(db, name))
    }

    pub(crate) fn connections(&self) -> Result<Vec<ConnectionRow>, Error> {
        self.read(connections::all)
    }

    pub(crate) fn stream_state(
        &self,
        conn: &str,
        stream: &str,
    ) -> Result<Option<StreamState>, Error> {
        self.read(|db| sync_state::load(db, conn, stream))
    }

    pub(crate) fn save_stream_state(
        &self,
        conn: &str,
        stream: &str,
        s: &StreamState,
    ) -> Result<(), Error> {
        self.write(|db| sync_state::save(db, conn, stream, s))
    }

    pub(crate) fn apply_page(
        &self,
        conn: &str,
        stream: &str,
        page: PageWrite,
        state: &StreamState,
        seen_at: Timestamp,
    ) -> Result<PageOutcome, Error> {
        self.write(|db| {
            // Dropping `tx` on any error below rolls the whole page back.
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut outcome = PageOutcome::default();
            let mut fts = records::FtsBatch::default();
            // Almost always false: then a page costs no statement for record errors.
            let had_errors = sync_state::has_record_errors(&tx, conn)?;
            for record in page.records {
                if let Some(t) = record.updated_at() {
                    outcome.max_updated_at = Some(outcome.max_updated_at.map_or(t, |m| m.max(t)));
                }
                if had_errors {
                    sync_state::clear_record_error(&tx, conn, record.kind(), record.id())?;
                }
                records::write_record(&tx, conn, record, seen_at, &mut fts)?.count(&mut outcome);
            }
            for id in &page.gone {
                if had_errors {
                    sync_state::clear_record_error(&tx, conn, page.kind, id)?;
                }
                if records::soft_delete(&tx, conn, page.kind, id, seen_at)? {
                    outcome.deleted += 1;
                }
            }
            if !page.record_errors.is_empty() {
                sync_state::put_record_errors(
                    &tx,
                    conn,
                    stream,
                    page.kind,
                    &page.record_errors,
                    seen_at,
                )?;
            }
            sync_state::save(&tx, conn, stream, state)?;
            fts.flush(&tx)?;
            tx.commit()?;
            Ok(outcome)
        })
    }

    pub(crate) fn start_run(
        &self,
        conn: &str,
        stream: &str,
        mode: RunMode,
        at: Timestamp,
    ) -> Result<RunId, Error> {
        self.write(|db| sync_state::start_run(db, conn, stream, mode, at))
    }

    pub(crate) fn finish_run(&self, run: RunId, outcome: &RunOutcome) -> Result<(), Error> {
        self.write(|db| sync_state::finish_run(db, run, outcome))
    }

    pub(crate) fn runs(&self, conn: &str, limit: usize) -> Result<Vec<RunRow>, Error> {
        self.read(|db| sync_state::runs(db, conn, limit))
    }

    pub(crate) fn reconcile_begin(
        &self,
        conn: &str,
        kind: RecordKind,
        at: Timestamp,
    ) -> Result<ScanId, Error> {
        self.write(|db| reconcile::begin(db, conn, kind, at))
    }

    pub(crate) fn reconcile_seen(&self, scan: ScanId, ids: &[String]) -> Result<(), Error> {
        self.write(|db| reconcile::seen(db, scan, ids))
    }

    pub(crate) fn reconcile_finish(
        &self,
        scan: ScanId,
        at: Timestamp,
        grace_seconds: i64,
    ) -> Result<ReconcileOutcome, Error> {
        self.write(|db| reconcile::finish(db, scan, at, grace_seconds))
    }

    pub(crate) fn reconcile_abandon(&self, scan: ScanId) -> Result<(), Error> {
        self.write(|db| reconcile::abandon(db, scan))
    }

    pub(crate) fn upsert_record(
        &self,
        conn: &str,
        record: AtsRecord,
        seen_at: Timestamp,
    ) -> Result<PageOutcome, Error> {
        self.write(|db| {
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut outcome = PageOutcome {
                max_updated_at: record.updated_at(),
                ..PageOutcome::default()
            };
            let mut fts = records::FtsBatch::default();
            sync_state::clear_record_error(&tx, conn, record.kind(), record.id())?;
            records::write_record(&tx, conn, record, seen_at, &mut fts)?.count(&mut outcome);
            fts.flush(&tx)?;
            tx.commit()?;
            Ok(outcome)
        })
    }

    pub(crate) fn mark_deleted(
        &self,
        conn: &str,
        kind: RecordKind,
        id: &str,
        at: Timestamp,
    ) -> Result<bool, Error> {
        self.write(|db| {
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            sync_state::clear_record_error(&tx, conn, kind, id)?;
            let changed = records::soft_delete(&tx, conn, kind, id, at)?;
            tx.commit()?;
            Ok(changed)
        })
    }

    pub(crate) fn put_record_errors(
        &self,
        conn: &str,
        stream: &str,
        kind: RecordKind,
        errors: &[RecordError],
        at: Timestamp,
    ) -> Result<(), Error> {
        self.write(|db| {
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            sync_state::put_record_errors(&tx, conn, stream, kind, errors, at)?;
            tx.commit()?;
            Ok(())
        })
    }

    pub(crate) fn record_errors(
        &self,
        conn: &str,
        stream: &str,
    ) -> Result<Vec<RecordErrorRow>, Error> {
        self.read(|db| sync_state::record_errors(db, conn, stream))
    }

    pub(crate) fn record(
        &self,
        conn: &str,
        kind: RecordKind,
        id: &str,
    ) -> Result<Option<StoredRecord>, Error> {
        self.read(|db| records::read_record(db, conn, kind, id))
    }

    pub(crate) fn counts(&self, conn: &str) -> Result<MirrorCounts, Error> {
        self.read(|db| {
            let mut counts = MirrorCounts::default();
            for kind in RecordKind::ALL {
                let (live, deleted) = records::count(db, conn, kind)?;
                counts.per_kind.insert(kind, KindCounts { live, deleted });
            }
            Ok(counts)
        })
    }

    pub(crate) fn status_history(
        &self,
        conn: &str,
        application_id: &str,
    ) -> Result<Vec<StatusChange>, Error> {
        self.read(|db| records::status_history(db, conn, application_id))
    }

    pub(crate) fn ids(&self, conn: &str, kind: RecordKind) -> Result<Vec<String>, Error> {
        self.read(|db| records::live_ids(db, conn, kind))
    }
}
