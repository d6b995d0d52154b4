//! Writing and reading mirrored records: one table per kind, typed columns for what features
//! filter on, the full record as JSON, the raw payload, and a content hash so unchanged records
//! cost one small UPDATE instead of a rewrite.
//!
//! As in the SQLite backend, the upsert is one `INSERT … ON CONFLICT DO UPDATE … WHERE the hash
//! differs … RETURNING version`: version 1 means inserted, more means updated, no row means
//! unchanged (then only `last_seen_at` moves). A candidate's search document is written by the
//! same statement.

use crate::Error;
use crate::search_document::candidate_document;
use crate::value::{Value, bind};
use ats_mirror::PageOutcome;
use ats_mirror::derived::{CandidateColumns, StoredForm, dedupe_keys, validate};
use ats_model::{
    AtsRecord, AttachmentInfo, AttachmentKind, Candidate, FolderKind, JobState, RecordKind, Stage,
    Timestamp,
};
use sqlx::{AssertSqlSafe, PgConnection, Row};
use std::collections::HashMap;
use std::sync::LazyLock;

/// A kind's table and the typed columns its upsert writes (after `conn, id`).
pub(crate) struct TableSpec {
    pub(crate) table: &'static str,
    pub(crate) columns: &'static [&'static str],
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
        "search",
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

pub(crate) fn spec(kind: RecordKind) -> &'static TableSpec {
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

pub(crate) fn upsert_sql(spec: &TableSpec) -> String {
    upsert_sql_from(spec, None)
}

/// The upsert of one row (`types: None`, `VALUES ($1, …)`) or of many (`unnest` of one array per
/// column, of these element types).
pub(crate) fn upsert_sql_from(spec: &TableSpec, types: Option<&[&str]>) -> String {
    let t = spec.table;
    let mut insert_cols = vec!["conn", "id"];
    insert_cols.extend_from_slice(spec.columns);
    insert_cols.extend_from_slice(&[
        "record_json",
        "raw",
        "content_hash",
        "first_seen_at",
        "last_seen_at",
    ]);
    // One row: `$n` per column; many: the columns of `unnest($n::type[], …) AS u (…)`.
    let source = match types {
        None => {
            let values: Vec<String> = insert_cols
                .iter()
                .enumerate()
                .map(|(i, c)| match *c {
                    "search" => format!("${}::tsvector", i + 1),
                    _ => format!("${}", i + 1),
                })
                .collect();
            format!("VALUES ({})", values.join(", "))
        }
        Some(types) => {
            let arrays: Vec<String> = types
                .iter()
                .enumerate()
                .map(|(i, ty)| format!("${}::{ty}[]", i + 1))
                .collect();
            let picked: Vec<String> = insert_cols
                .iter()
                .map(|c| match *c {
                    "search" => "u.search::tsvector".to_string(),
                    c => format!("u.{c}"),
                })
                .collect();
            format!(
                "SELECT {} FROM unnest({}) AS u ({})",
                picked.join(", "),
                arrays.join(", "),
                insert_cols.join(", ")
            )
        }
    };
    let mut sets: Vec<String> = spec
        .columns
        .iter()
        .chain(["record_json", "raw", "content_hash", "last_seen_at"].iter())
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    sets.extend([
        format!("version = {t}.version + 1"),
        "deleted_at = NULL".to_string(),
        "missing_since = NULL".to_string(),
    ]);
    format!(
        "INSERT INTO {t} ({}) {source} ON CONFLICT (conn, id) DO UPDATE SET {} \
         WHERE {t}.content_hash <> excluded.content_hash OR {t}.deleted_at IS NOT NULL \
         RETURNING version, rid, {}, {t}.id",
        insert_cols.join(", "),
        sets.join(", "),
        // Candidates return their resume text, which their search document must keep.
        if t == "candidates" {
            "resume_text"
        } else {
            "NULL::text"
        }
    )
}

/// Upsert statements per kind, built once.
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

/// A validated record with the parameters of its kind's upsert, in column order.
pub(crate) struct Prepared {
    pub(crate) record: AtsRecord,
    pub(crate) values: Vec<Value>,
    pub(crate) columns: Option<CandidateColumns>,
}

/// Validates a record and builds its upsert parameters (the raw payload moves into them).
pub(crate) fn prepare(
    conn: &str,
    mut record: AtsRecord,
    seen_at: Timestamp,
) -> Result<Prepared, Error> {
    validate(&record)?;
    let stored = StoredForm::of(&mut record)?;
    let mut values: Vec<Value> = vec![conn.into(), record.id().into()];
    let mut columns = None;
    match &record {
        AtsRecord::Candidate(c) => {
            let cols = columns.insert(CandidateColumns::from(c));
            values.extend(candidate_values(c, cols));
        }
        AtsRecord::Job(j) => values.extend([
            (&j.requisition_number).into(),
            (&j.title).into(),
            j.state.map(job_state_str).into(),
            j.folder.as_ref().map(|f| f.id.as_str()).into(),
            (&j.description).into(),
            (&j.location).into(),
            (&j.department).into(),
            j.created_at.into(),
            j.updated_at.into(),
        ]),
        AtsRecord::Application(a) => values.extend([
            a.candidate_id.as_str().into(),
            a.job_id.as_str().into(),
            a.status.as_ref().map(|s| s.id.as_str()).into(),
            a.status.as_ref().and_then(|s| s.name.as_deref()).into(),
            a.stage.map(Stage::as_str).into(),
            (&a.source).into(),
            (&a.source_detail).into(),
            a.applied_at.into(),
            a.updated_at.into(),
        ]),
        AtsRecord::Status(s) => {
            values.extend([(&s.name).into(), s.stage.map(Stage::as_str).into()])
        }
        AtsRecord::Folder(f) => {
            values.extend([(&f.name).into(), Some(folder_kind_str(f.kind)).into()])
        }
    }
    values.extend([
        stored.json.into(),
        stored.raw.as_deref().into(),
        stored.content_hash.into(),
        seen_at.into(),
        seen_at.into(),
    ]);
    Ok(Prepared {
        record,
        values,
        columns,
    })
}

/// Stores one record inside the caller's transaction.
pub(crate) async fn write_record(
    tx: &mut PgConnection,
    conn: &str,
    record: AtsRecord,
    seen_at: Timestamp,
) -> Result<Written, Error> {
    let Prepared {
        record,
        values,
        columns,
    } = prepare(conn, record, seen_at)?;
    let kind = record.kind();
    let row = bind(
        sqlx::query(AssertSqlSafe(UPSERT_SQL[kind_index(kind)].as_str())),
        values,
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        touch_unchanged(tx, conn, kind, vec![record.id().to_string()], seen_at).await?;
        return Ok(Written::Unchanged);
    };
    let upserted = Upserted {
        version: row.try_get(0)?,
        rid: row.try_get(1)?,
        resume_text: row.try_get(2)?,
    };
    let written = upserted.written();
    if let (AtsRecord::Candidate(c), Some(cols)) = (&record, columns) {
        after_candidate_upsert(tx, c, &cols, &upserted).await?;
        if written == Written::Updated {
            forget_keys(tx, conn, vec![c.id.clone()]).await?;
        }
        write_keys(tx, conn, std::slice::from_ref(c)).await?;
        write_attachments(tx, conn, &[(c, written == Written::Inserted)]).await?;
    }
    Ok(written)
}

/// What an upsert returned for an inserted or changed row.
pub(crate) struct Upserted {
    pub(crate) version: i64,
    pub(crate) rid: i64,
    pub(crate) resume_text: Option<String>,
}

impl Upserted {
    pub(crate) fn written(&self) -> Written {
        if self.version == 1 {
            Written::Inserted
        } else {
            Written::Updated
        }
    }
}

/// Records whose content is unchanged: only seen again.
pub(crate) async fn touch_unchanged(
    tx: &mut PgConnection,
    conn: &str,
    kind: RecordKind,
    ids: Vec<String>,
    seen_at: Timestamp,
) -> Result<(), Error> {
    if ids.is_empty() {
        return Ok(());
    }
    sqlx::query(AssertSqlSafe(format!(
        "UPDATE {} SET last_seen_at = $3, missing_since = NULL WHERE conn = $1 AND id = ANY($2)",
        table(kind)
    )))
    .bind(conn)
    .bind(ids)
    .bind(seen_at)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A written candidate with stored resume text gets it into its search document (the upsert
/// wrote the document without it).
pub(crate) async fn after_candidate_upsert(
    tx: &mut PgConnection,
    c: &Candidate,
    cols: &CandidateColumns,
    upserted: &Upserted,
) -> Result<(), Error> {
    if upserted.resume_text.is_some() {
        let document = candidate_document(c, cols, upserted.resume_text.as_deref());
        set_document(tx, upserted.rid, &document).await?;
    }
    Ok(())
}

/// A candidate's columns in `CANDIDATES` order, its search document (without resume text) last.
fn candidate_values(c: &Candidate, v: &CandidateColumns) -> Vec<Value> {
    vec![
        (&c.first_name).into(),
        (&c.last_name).into(),
        (&v.display_name).into(),
        (&v.email).into(),
        (&v.emails_text).into(),
        (&v.phone).into(),
        (&c.current_title).into(),
        (&c.current_company).into(),
        (&v.skills_text).into(),
        (&v.location).into(),
        c.folder.as_ref().map(|f| f.id.as_str()).into(),
        c.folder.as_ref().and_then(|f| f.name.as_deref()).into(),
        (&c.source).into(),
        (&c.source_detail).into(),
        c.created_at.into(),
        c.updated_at.into(),
        candidate_document(c, v, None).into(),
    ]
}

async fn set_document(tx: &mut PgConnection, rid: i64, document: &str) -> Result<(), Error> {
    sqlx::query("UPDATE candidates SET search = $2::tsvector WHERE rid = $1")
        .bind(rid)
        .bind(document)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Rewrites one stored candidate's search document from its row (after its resume text
/// changed). `false` when the candidate is not mirrored.
pub(crate) async fn reindex_candidate(
    tx: &mut PgConnection,
    conn: &str,
    id: &str,
) -> Result<bool, Error> {
    let row = sqlx::query(
        "SELECT rid, record_json, resume_text FROM candidates WHERE conn = $1 AND id = $2",
    )
    .bind(conn)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else { return Ok(false) };
    let (rid, json, resume): (i64, String, Option<String>) =
        (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
    let AtsRecord::Candidate(c) = crate::record_reads::decode_record(RecordKind::Candidate, &json)?
    else {
        return Err(crate::error::corrupt(
            "candidates",
            "record_json",
            format!("candidate `{id}` holds another kind of record"),
        ));
    };
    let cols = CandidateColumns::from(&c);
    set_document(tx, rid, &candidate_document(&c, &cols, resume.as_deref())).await?;
    Ok(true)
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

/// Drops the de-duplication keys of changed candidates (their new keys are written next).
pub(crate) async fn forget_keys(
    tx: &mut PgConnection,
    conn: &str,
    ids: Vec<String>,
) -> Result<(), Error> {
    if ids.is_empty() {
        return Ok(());
    }
    sqlx::query("DELETE FROM candidate_keys WHERE conn = $1 AND candidate_id = ANY($2)")
        .bind(conn)
        .bind(ids)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// The de-duplication keys of new or changed candidates, in one statement.
pub(crate) async fn write_keys(
    tx: &mut PgConnection,
    conn: &str,
    written: &[Candidate],
) -> Result<(), Error> {
    let (mut ids, mut kinds, mut keys) = (Vec::new(), Vec::new(), Vec::new());
    for c in written {
        for (kind, key) in dedupe_keys(c) {
            ids.push(c.id.clone());
            kinds.push(kind.as_str().to_string());
            keys.push(key);
        }
        // Custom fields share the table under their own kind: the filter probes its key.
        for key in ats_mirror::derived::custom_field_keys(c) {
            ids.push(c.id.clone());
            kinds.push(ats_mirror::derived::CUSTOM_FIELD_KEY_KIND.to_string());
            keys.push(key);
        }
    }
    if ids.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO candidate_keys (conn, kind, key, candidate_id) \
         SELECT $1, k.kind, k.key, k.id FROM unnest($2::text[], $3::text[], $4::text[]) \
         AS k (id, kind, key) ON CONFLICT DO NOTHING",
    )
    .bind(conn)
    .bind(ids)
    .bind(kinds)
    .bind(keys)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The attachment metadata of new or changed candidates (`(candidate, is_new)`), in two
/// statements whatever their number: the attachments a changed candidate no longer lists go,
/// the listed ones are upserted. A changed candidate's attachment texts are forgotten
/// (`text = NULL`), which makes its résumé due for a fresh text (`resume_texts_due`); the
/// candidate's `resume_text` stays searchable meanwhile.
pub(crate) async fn write_attachments(
    tx: &mut PgConnection,
    conn: &str,
    written: &[(&Candidate, bool)],
) -> Result<(), Error> {
    // A new candidate has nothing stored to forget.
    let changed: Vec<&str> = written
        .iter()
        .filter(|(_, is_new)| !is_new)
        .map(|(c, _)| c.id.as_str())
        .collect();
    let mut rows: HashMap<(&str, &str), &AttachmentInfo> = HashMap::new();
    for (c, _) in written {
        for a in &c.attachments {
            // One statement cannot upsert a row twice: a repeated id keeps its last entry,
            // as writing them one by one would.
            rows.insert((c.id.as_str(), a.id.as_str()), a);
        }
    }
    let (mut owners, mut ids) = (
        Vec::with_capacity(rows.len()),
        Vec::with_capacity(rows.len()),
    );
    let (mut kinds, mut names, mut types) = (Vec::new(), Vec::new(), Vec::new());
    for ((owner, id), a) in rows {
        owners.push(owner);
        ids.push(id);
        kinds.push(match a.kind {
            AttachmentKind::Resume => "resume",
            AttachmentKind::CoverLetter => "cover-letter",
            AttachmentKind::Other => "other",
        });
        names.push(a.file_name.as_deref());
        types.push(a.content_type.as_deref());
    }
    if !changed.is_empty() {
        sqlx::query(
            "DELETE FROM attachments WHERE conn = $1 AND candidate_id = ANY($2) \
             AND (candidate_id, id) NOT IN (SELECT * FROM unnest($3::text[], $4::text[]))",
        )
        .bind(conn)
        .bind(&changed)
        .bind(&owners)
        .bind(&ids)
        .execute(&mut *tx)
        .await?;
    }
    if owners.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO attachments (conn, candidate_id, id, kind, file_name, content_type) \
         SELECT $1, u.candidate_id, u.id, u.kind, u.file_name, u.content_type \
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) \
         AS u (candidate_id, id, kind, file_name, content_type) \
         ON CONFLICT (conn, candidate_id, id) DO UPDATE SET \
         kind = excluded.kind, file_name = excluded.file_name, \
         content_type = excluded.content_type, text = NULL",
    )
    .bind(conn)
    .bind(owners)
    .bind(ids)
    .bind(kinds)
    .bind(names)
    .bind(types)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Soft-deletes one live record; true when it changed.
pub(crate) async fn soft_delete(
    tx: &mut PgConnection,
    conn: &str,
    kind: RecordKind,
    id: &str,
    at: Timestamp,
) -> Result<bool, Error> {
    let done = sqlx::query(AssertSqlSafe(format!(
        "UPDATE {} SET deleted_at = $3 WHERE conn = $1 AND id = $2 AND deleted_at IS NULL",
        table(kind)
    )))
    .bind(conn)
    .bind(id)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upsert_sql_lists_every_column_once_and_casts_the_document() {
        let sql = upsert_sql(&APPLICATIONS);
        assert!(sql.contains("$16"), "{sql}");
        assert!(!sql.contains("$17"), "{sql}");
        assert!(sql.contains("status_id = excluded.status_id"));
        assert!(upsert_sql(&CANDIDATES).contains("$19::tsvector"));
    }
}
