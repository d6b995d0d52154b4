//! Writing and reading mirrored records: one table per kind, typed columns for what features
//! filter on, the full record as JSON, the raw payload, and a content hash so unchanged records
//! cost one small UPDATE instead of a rewrite.
//!
//! The upsert is a single `INSERT … ON CONFLICT DO UPDATE … WHERE content_hash differs …
//! RETURNING version`: no SELECT per record. A returned version of 1 means inserted, more means
//! updated, no row means unchanged. The raw payload is part of the hash, so a change the
//! connector does not map still refreshes the stored raw (Merge's `remote_data` does not).

use crate::Error;
use ats_mirror::derived::{CandidateColumns, StoredForm, dedupe_keys, validate};
use ats_mirror::{MirrorError, PageOutcome, StatusChange, StoredRecord};
use ats_model::{
    Application, AtsRecord, Candidate, Folder, FolderKind, Job, JobState, RecordKind, Stage,
    Status, Timestamp,
};
use rusqlite::{Connection, OptionalExtension, ToSql, params};
use std::collections::HashMap;
use std::sync::LazyLock;

/// A kind's table and the typed columns its upsert writes (after `conn, id`).
struct TableSpec {
    table: &'static str,
    columns: &'static [&'static str],
}

const CANDIDATES: TableSpec = TableSpec {
    table: "candidates",
    columns: &[
        "first_name",
        "last_name",
        "display_name",
        "email",
        "emails_text",
        "phone",
        "title",
        "company",
        "skills_text",
        "location",
        "folder_id",
        "folder_name",
        "source",
        "source_detail",
        "created_at",
        "updated_at",
    ],
};
const JOBS: TableSpec = TableSpec {
    table: "jobs",
    columns: &[
        "requisition",
        "title",
        "state",
        "folder_id",
        "description",
        "location",
        "department",
        "created_at",
        "updated_at",
    ],
};
const APPLICATIONS: TableSpec = TableSpec {
    table: "applications",
    columns: &[
        "candidate_id",
        "job_id",
        "status_id",
        "status_name",
        "stage",
        "source",
        "source_detail",
        "applied_at",
        "updated_at",
    ],
};
const STATUSES: TableSpec = TableSpec {
    table: "statuses",
    columns: &["name", "stage"],
};
const FOLDERS: TableSpec = TableSpec {
    table: "folders",
    columns: &["name", "kind"],
};

fn spec(kind: RecordKind) -> &'static TableSpec {
    match kind {
        RecordKind::Candidate => &CANDIDATES,
        RecordKind::Job => &JOBS,
        RecordKind::Application => &APPLICATIONS,
        RecordKind::Status => &STATUSES,
        RecordKind::Folder => &FOLDERS,
    }
}

pub(crate) fn table(kind: RecordKind) -> &'static str {
    spec(kind).table
}

fn upsert_sql(spec: &TableSpec) -> String {
    let t = spec.table;
    let cols = spec.columns;
    let mut insert_cols = vec!["conn", "id"];
    insert_cols.extend_from_slice(cols);
    insert_cols.extend_from_slice(&[
        "record_json",
        "raw",
        "content_hash",
        "first_seen_at",
        "last_seen_at",
    ]);
    let placeholders: Vec<String> = (1..=insert_cols.len()).map(|i| format!("?{i}")).collect();
    let mut sets: Vec<String> = cols
        .iter()
        .chain(["record_json", "raw", "content_hash", "last_seen_at"].iter())
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    sets.extend([
        "version = version + 1".to_string(),
        "deleted_at = NULL".to_string(),
        "missing_since = NULL".to_string(),
    ]);
    format!(
        "INSERT INTO {t} ({}) VALUES ({}) ON CONFLICT (conn, id) DO UPDATE SET {} \
         WHERE {t}.content_hash <> excluded.content_hash OR {t}.deleted_at IS NOT NULL \
         RETURNING version, rid, {}",
        insert_cols.join(", "),
        placeholders.join(", "),
        sets.join(", "),
        // Candidates return their resume text, which the FTS row must keep.
        if t == "candidates" {
            "resume_text"
        } else {
            "NULL"
        }
    )
}

/// Upsert statements per kind, built once (`prepare_cached` keys on the text).
static UPSERT_SQL: LazyLock<[String; 5]> =
    LazyLock::new(|| RecordKind::ALL.map(|k| upsert_sql(spec(k))));

fn kind_index(kind: RecordKind) -> usize {
    RecordKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

/// What one record write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Written {
    Inserted,
    Updated,
    Unchanged,
}

impl Written {
    pub(crate) fn count(self, outcome: &mut PageOutcome) {
        match self {
            Written::Inserted => outcome.inserted += 1,
            Written::Updated => outcome.updated += 1,
            Written::Unchanged => outcome.unchanged += 1,
        }
    }
}

/// Full-text index changes of a page, written by [`FtsBatch::flush`] in two statements at the
/// end of the transaction.
///
/// Why batch: SQLite opens a statement savepoint for most writes inside a transaction, and FTS5
/// flushes its pending terms to disk at every savepoint. Indexing candidates one statement at a
/// time (or from a trigger) therefore writes one index segment per candidate and then merges
/// them, about 8x slower than indexing the page in one statement.
#[derive(Default)]
pub(crate) struct FtsBatch {
    deletes: Vec<i64>,
    inserts: Vec<serde_json::Value>,
    /// Position in `inserts` per rowid: a record twice in one page is indexed once, as last seen.
    pending: HashMap<i64, usize>,
}

impl FtsBatch {
    fn add(&mut self, row: &Upserted, c: &Candidate, cols: &CandidateColumns, is_new: bool) {
        if !is_new {
            self.deletes.push(row.rid);
        }
        let values = serde_json::json!([
            row.rid,
            cols.display_name,
            cols.emails_text,
            c.current_title,
            c.current_company,
            cols.skills_text,
            ats_mirror::derived::resume_index_text(
                row.resume_text.as_deref(),
                cols.history_text.as_deref()
            ),
            cols.location_text,
        ]);
        match self.pending.get(&row.rid) {
            Some(&i) => self.inserts[i] = values,
            None => {
                self.pending.insert(row.rid, self.inserts.len());
                self.inserts.push(values);
            }
        }
    }

    /// Writes the batch; call after every other statement of the transaction.
    pub(crate) fn flush(self, tx: &Connection) -> Result<(), Error> {
        if !self.deletes.is_empty() {
            tx.prepare_cached(
                "DELETE FROM candidates_fts WHERE rowid IN (SELECT value FROM json_each(?1))",
            )?
            .execute([serde_json::to_string(&self.deletes)?])?;
        }
        if !self.inserts.is_empty() {
            tx.prepare_cached(
                "INSERT INTO candidates_fts (rowid, name, emails, title, company, skills, resume, location) \
                 SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, \
                 value ->> 6, value ->> 7 FROM json_each(?1)",
            )?
            .execute([serde_json::to_string(&self.inserts)?])?;
        }
        Ok(())
    }
}

/// Stores one record inside the caller's transaction; candidate text goes to `fts`, which the
/// caller must flush before committing.
pub(crate) fn write_record(
    tx: &Connection,
    conn: &str,
    mut record: AtsRecord,
    seen_at: Timestamp,
    fts: &mut FtsBatch,
) -> Result<Written, Error> {
    validate(&record)?;
    let stored = StoredForm::of(&mut record)?;
    let record = &record;
    let id = record.id();
    let tail: [&dyn ToSql; 5] = [
        &stored.json,
        &stored.raw,
        &stored.content_hash,
        &seen_at,
        &seen_at,
    ];
    // The one enum column of the kind, as text (parameters borrow it).
    let enum_text: Option<&'static str> = match record {
        AtsRecord::Candidate(_) => None,
        AtsRecord::Job(j) => j.state.map(job_state_str),
        AtsRecord::Application(a) => a.stage.map(Stage::as_str),
        AtsRecord::Status(s) => s.stage.map(Stage::as_str),
        AtsRecord::Folder(f) => Some(folder_kind_str(f.kind)),
    };
    let mut candidate_columns = None;
    let version = match record {
        AtsRecord::Candidate(c) => {
            let v = candidate_columns.insert(CandidateColumns::from(c));
            upsert(
                tx,
                RecordKind::Candidate,
                conn,
                id,
                &candidate_params(c, v),
                &tail,
            )?
        }
        AtsRecord::Job(j) => upsert(
            tx,
            RecordKind::Job,
            conn,
            id,
            &job_params(j, &enum_text),
            &tail,
        )?,
        AtsRecord::Application(a) => upsert(
            tx,
            RecordKind::Application,
            conn,
            id,
            &application_params(a, &enum_text),
            &tail,
        )?,
        AtsRecord::Status(s) => upsert(
            tx,
            RecordKind::Status,
            conn,
            id,
            &status_params(s, &enum_text),
            &tail,
        )?,
        AtsRecord::Folder(f) => upsert(
            tx,
            RecordKind::Folder,
            conn,
            id,
            &folder_params(f, &enum_text),
            &tail,
        )?,
    };
    let written = match &version {
        None => {
            let sql = format!(
                "UPDATE {} SET last_seen_at = ?3, missing_since = NULL WHERE conn = ?1 AND id = ?2",
                table(record.kind())
            );
            tx.prepare_cached(&sql)?
                .execute(params![conn, id, seen_at])?;
            Written::Unchanged
        }
        Some(row) if row.version == 1 => Written::Inserted,
        Some(_) => Written::Updated,
    };
    if let (AtsRecord::Candidate(c), Some(row), Some(cols)) = (record, version, candidate_columns) {
        let is_new = written == Written::Inserted;
        fts.add(&row, c, &cols, is_new);
        write_candidate_extras(tx, conn, c, is_new)?;
    }
    Ok(written)
}

/// What the upsert returns for an inserted or changed row.
struct Upserted {
    version: i64,
    rid: i64,
    resume_text: Option<String>,
}

/// Runs the kind's upsert; `Some` when a row was inserted or changed.
fn upsert(
    tx: &Connection,
    kind: RecordKind,
    conn: &str,
    id: &str,
    specific: &[&dyn ToSql],
    tail: &[&dyn ToSql; 5],
) -> Result<Option<Upserted>, Error> {
    let mut all: Vec<&dyn ToSql> = Vec::with_capacity(2 + specific.len() + tail.len());
    all.push(&conn);
    all.push(&id);
    all.extend_from_slice(specific);
    all.extend_from_slice(tail);
    let mut stmt = tx.prepare_cached(&UPSERT_SQL[kind_index(kind)])?;
    Ok(stmt
        .query_row(all.as_slice(), |r| {
            Ok(Upserted {
                version: r.get(0)?,
                rid: r.get(1)?,
                resume_text: r.get(2)?,
            })
        })
        .optional()?)
}

/// A candidate's columns in `UPSERT_SQL` order.
fn candidate_params<'a>(c: &'a Candidate, v: &'a CandidateColumns) -> [&'a dyn ToSql; 16] {
    [
        &c.first_name,
        &c.last_name,
        &v.display_name,
        &v.email,
        &v.emails_text,
        &v.phone,
        &c.current_title,
        &c.current_company,
        &v.skills_text,
        &v.location,
        folder_id(&c.folder),
        folder_name(&c.folder),
        &c.source,
        &c.source_detail,
        &c.created_at,
        &c.updated_at,
    ]
}

fn folder_id(f: &Option<ats_model::NamedRef>) -> &dyn ToSql {
    match f {
        Some(f) => &f.id,
        None => &rusqlite::types::Null,
    }
}

fn folder_name(f: &Option<ats_model::NamedRef>) -> &dyn ToSql {
    match f {
        Some(f) => &f.name,
        None => &rusqlite::types::Null,
    }
}

pub(crate) fn job_state_str(s: JobState) -> &'static str {
    match s {
        JobState::Open => "open",
        JobState::Closed => "closed",
        JobState::Draft => "draft",
        JobState::OnHold => "on-hold",
    }
}

fn folder_kind_str(k: FolderKind) -> &'static str {
    match k {
        FolderKind::Candidate => "candidate",
        FolderKind::Job => "job",
        FolderKind::Other => "other",
    }
}

fn job_params<'a>(j: &'a Job, state: &'a Option<&'static str>) -> [&'a dyn ToSql; 9] {
    [
        &j.requisition_number,
        &j.title,
        state,
        folder_id(&j.folder),
        &j.description,
        &j.location,
        &j.department,
        &j.created_at,
        &j.updated_at,
    ]
}

fn application_params<'a>(
    a: &'a Application,
    stage: &'a Option<&'static str>,
) -> [&'a dyn ToSql; 9] {
    [
        &a.candidate_id,
        &a.job_id,
        match &a.status {
            Some(s) => &s.id,
            None => &rusqlite::types::Null,
        },
        match &a.status {
            Some(s) => &s.name,
            None => &rusqlite::types::Null,
        },
        stage,
        &a.source,
        &a.source_detail,
        &a.applied_at,
        &a.updated_at,
    ]
}

fn status_params<'a>(s: &'a Status, stage: &'a Option<&'static str>) -> [&'a dyn ToSql; 2] {
    [&s.name, stage]
}

fn folder_params<'a>(f: &'a Folder, kind: &'a Option<&'static str>) -> [&'a dyn ToSql; 2] {
    [&f.name, kind]
}

/// The résumé and location texts full-text search indexes for a stored candidate, derived
/// from its stored record (employment history, addresses) and résumé text, as when its page was
/// written.
pub(crate) fn stored_texts(
    record_json: &str,
    resume_text: Option<&str>,
) -> Result<(Option<String>, Option<String>), Error> {
    let (history, location) = match serde_json::from_str::<AtsRecord>(record_json)? {
        AtsRecord::Candidate(c) => (
            ats_mirror::derived::history_text(&c),
            ats_mirror::derived::location_text(&c),
        ),
        _ => (None, None),
    };
    let resume = ats_mirror::derived::resume_index_text(resume_text, history.as_deref());
    Ok((resume, location))
}

/// Re-indexes one stored candidate from its row (after its resume text changed).
pub(crate) fn reindex_candidate(tx: &Connection, conn: &str, id: &str) -> Result<(), Error> {
    let rid: Option<i64> = tx
        .prepare_cached("SELECT rid FROM candidates WHERE conn = ?1 AND id = ?2")?
        .query_row(params![conn, id], |r| r.get(0))
        .optional()?;
    let Some(rid) = rid else { return Ok(()) };
    tx.prepare_cached("DELETE FROM candidates_fts WHERE rowid = ?1")?
        .execute([rid])?;
    // The history is derived from the stored record, as when the page was written.
    let (json, resume): (String, Option<String>) = tx
        .prepare_cached("SELECT record_json, resume_text FROM candidates WHERE rid = ?1")?
        .query_row([rid], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let (resume, location) = stored_texts(&json, resume.as_deref())?;
    tx.prepare_cached(
        "INSERT INTO candidates_fts (rowid, name, emails, title, company, skills, resume, location) \
         SELECT rid, display_name, emails_text, title, company, skills_text, ?2, ?3 \
         FROM candidates WHERE rid = ?1",
    )?
    .execute(params![rid, resume, location])?;
    Ok(())
}

/// De-duplication keys and attachment metadata of a new or changed candidate. A changed
/// candidate's attachment texts are forgotten (`text = NULL`), which makes its résumé due for a
/// fresh text (`resume_texts_due`); the candidate's `resume_text` stays searchable meanwhile.
fn write_candidate_extras(
    tx: &Connection,
    conn: &str,
    c: &Candidate,
    is_new: bool,
) -> Result<(), Error> {
    if !is_new {
        tx.prepare_cached("DELETE FROM candidate_keys WHERE conn = ?1 AND candidate_id = ?2")?
            .execute(params![conn, c.id])?;
    }
    let keys = dedupe_keys(c);
    let field_keys = ats_mirror::derived::custom_field_keys(c);
    if !keys.is_empty() || !field_keys.is_empty() {
        let mut insert = tx.prepare_cached(
            "INSERT OR IGNORE INTO candidate_keys (conn, kind, key, candidate_id) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (kind, key) in &keys {
            insert.execute(params![conn, kind.as_str(), key, c.id])?;
        }
        // Custom fields share the table under their own kind: the filter probes its key.
        for key in &field_keys {
            insert.execute(params![
                conn,
                ats_mirror::derived::CUSTOM_FIELD_KEY_KIND,
                key,
                c.id
            ])?;
        }
    }
    if is_new && c.attachments.is_empty() {
        return Ok(());
    }
    let ids: Vec<&str> = c.attachments.iter().map(|a| a.id.as_str()).collect();
    tx.prepare_cached(
        "DELETE FROM attachments WHERE conn = ?1 AND candidate_id = ?2 \
         AND id NOT IN (SELECT value FROM json_each(?3))",
    )?
    .execute(params![conn, c.id, serde_json::to_string(&ids)?])?;
    let mut upsert = tx.prepare_cached(
        "INSERT INTO attachments (conn, candidate_id, id, kind, file_name, content_type) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (conn, candidate_id, id) DO UPDATE SET \
         kind = excluded.kind, file_name = excluded.file_name, content_type = excluded.content_type, \
         text = NULL",
    )?;
    for a in &c.attachments {
        let kind = match a.kind {
            ats_model::AttachmentKind::Resume => "resume",
            ats_model::AttachmentKind::CoverLetter => "cover-letter",
            ats_model::AttachmentKind::Other => "other",
        };
        upsert.execute(params![conn, c.id, a.id, kind, a.file_name, a.content_type])?;
    }
    Ok(())
}

/// Soft-deletes one live record; true when it changed.
pub(crate) fn soft_delete(
    tx: &Connection,
    conn: &str,
    kind: RecordKind,
    id: &str,
    at: Timestamp,
) -> Result<bool, Error> {
    let sql = format!(
        "UPDATE {} SET deleted_at = ?3 WHERE conn = ?1 AND id = ?2 AND deleted_at IS NULL",
        table(kind)
    );
    Ok(tx.prepare_cached(&sql)?.execute(params![conn, id, at])? > 0)
}

/// One record with its bookkeeping.
pub(crate) fn read_record(
    db: &Connection,
    conn: &str,
    kind: RecordKind,
    id: &str,
) -> Result<Option<StoredRecord>, Error> {
    let sql = format!(
        "SELECT record_json, raw, content_hash, first_seen_at, last_seen_at, deleted_at, missing_since \
         FROM {} WHERE conn = ?1 AND id = ?2",
        table(kind)
    );
    let row = db
        .prepare_cached(&sql)?
        .query_row(params![conn, id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                StoredRecord {
                    record: AtsRecord::Folder(Folder {
                        id: String::new(),
                        name: None,
                        kind: FolderKind::Other,
                        raw: None,
                    }),
                    content_hash: r.get(2)?,
                    first_seen_at: r.get(3)?,
                    last_seen_at: r.get(4)?,
                    deleted_at: r.get(5)?,
                    missing_since: r.get(6)?,
                },
            ))
        })
        .optional()?;
    let Some((json, raw, mut stored)) = row else {
        return Ok(None);
    };
    let mut record: AtsRecord = serde_json::from_str(&json).map_err(|e| MirrorError::Corrupt {
        table: table(kind),
        column: "record_json",
        detail: e.to_string(),
    })?;
    match &mut record {
        AtsRecord::Candidate(r) => r.raw = raw,
        AtsRecord::Job(r) => r.raw = raw,
        AtsRecord::Application(r) => r.raw = raw,
        AtsRecord::Status(r) => r.raw = raw,
        AtsRecord::Folder(r) => r.raw = raw,
    }
    stored.record = record;
    Ok(Some(stored))
}

pub(crate) fn status_history(
    db: &Connection,
    conn: &str,
    application_id: &str,
) -> Result<Vec<StatusChange>, Error> {
    let mut stmt = db.prepare_cached(
        "SELECT status_id, status_name, stage, changed_at, seen_at FROM application_status_history \
         WHERE conn = ?1 AND application_id = ?2 ORDER BY seq",
    )?;
    let rows = stmt.query_map(params![conn, application_id], |r| {
        Ok(StatusChange {
            status_id: r.get(0)?,
            status_name: r.get(1)?,
            stage: r
                .get::<_, Option<String>>(2)?
                .as_deref()
                .and_then(Stage::parse),
            changed_at: r.get(3)?,
            seen_at: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn live_ids(
    db: &Connection,
    conn: &str,
    kind: RecordKind,
) -> Result<Vec<String>, Error> {
    let sql = format!(
        "SELECT id FROM {} WHERE conn = ?1 AND deleted_at IS NULL ORDER BY id",
        table(kind)
    );
    let mut stmt = db.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![conn], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// (live, deleted) counts of one kind.
pub(crate) fn count(db: &Connection, conn: &str, kind: RecordKind) -> Result<(u64, u64), Error> {
    let sql = format!(
        "SELECT count(*) - count(deleted_at), count(deleted_at) FROM {} WHERE conn = ?1",
        table(kind)
    );
    Ok(db
        .prepare_cached(&sql)?
        .query_row(params![conn], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upsert_sql_lists_every_column_once() {
        let sql = upsert_sql(&APPLICATIONS);
        assert!(sql.contains("?16"), "{sql}");
        assert!(!sql.contains("?17"), "{sql}");
        assert!(sql.contains("status_id = excluded.status_id"));
    }
}
