//! Writing a page's records in a few statements instead of a few per record: each kind's rows
//! go to one `INSERT … SELECT FROM unnest(one array per column) ON CONFLICT DO UPDATE`, the
//! unchanged ones get one `UPDATE … WHERE id = ANY(…)`, and the candidates' keys one insert.
//! A round trip to the server costs more than the statement, so a page of 250 records costs a
//! handful of them.
//!
//! The semantics are `records::write_record`'s, record by record. One statement cannot upsert a
//! row twice, so a page that holds a record twice is written record by record.

use crate::Error;
use crate::records::{
    self, Prepared, Upserted, after_candidate_upsert, forget_keys, spec, touch_unchanged,
    upsert_sql_from, write_attachments, write_keys,
};
use crate::value::Value;
use ats_mirror::PageOutcome;
use ats_model::{AtsRecord, Candidate, RecordKind, Timestamp};
use sqlx::{AssertSqlSafe, PgConnection, Row};
use std::collections::{HashMap, HashSet};

/// Stores a page's records inside the caller's transaction, counting them into `outcome`.
pub(crate) async fn write_records(
    tx: &mut PgConnection,
    conn: &str,
    records: Vec<AtsRecord>,
    seen_at: Timestamp,
    outcome: &mut PageOutcome,
) -> Result<(), Error> {
    for r in &records {
        if let Some(t) = r.updated_at() {
            outcome.max_updated_at = Some(outcome.max_updated_at.map_or(t, |m| m.max(t)));
        }
    }
    let mut seen = HashSet::new();
    let repeated = !records
        .iter()
        .all(|r| seen.insert((r.kind(), r.id().to_string())));
    if repeated || records.len() < 2 {
        for record in records {
            records::write_record(tx, conn, record, seen_at)
                .await?
                .count(outcome);
        }
        return Ok(());
    }
    let mut by_kind: Vec<(RecordKind, Vec<Prepared>)> = Vec::new();
    for record in records {
        let prepared = records::prepare(conn, record, seen_at)?;
        let kind = prepared.record.kind();
        match by_kind.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, rows)) => rows.push(prepared),
            None => by_kind.push((kind, vec![prepared])),
        }
    }
    for (kind, rows) in by_kind {
        write_kind(tx, conn, kind, rows, seen_at, outcome).await?;
    }
    Ok(())
}

/// One kind's rows of a page, all distinct ids.
async fn write_kind(
    tx: &mut PgConnection,
    conn: &str,
    kind: RecordKind,
    rows: Vec<Prepared>,
    seen_at: Timestamp,
    outcome: &mut PageOutcome,
) -> Result<(), Error> {
    let width = rows[0].values.len();
    let types: Vec<&str> = rows[0]
        .values
        .iter()
        .map(|v| match v {
            Value::Int(_) => "bigint",
            _ => "text",
        })
        .collect();
    // Transposed: one array per column.
    let mut columns: Vec<Column> = types
        .iter()
        .map(|t| match *t {
            "bigint" => Column::Int(Vec::with_capacity(rows.len())),
            _ => Column::Text(Vec::with_capacity(rows.len())),
        })
        .collect();
    let mut kept = Vec::with_capacity(rows.len());
    for row in rows {
        debug_assert_eq!(row.values.len(), width);
        for (column, value) in columns.iter_mut().zip(row.values) {
            match (column, value) {
                (Column::Text(list), Value::Text(v)) => list.push(v),
                (Column::Int(list), Value::Int(v)) => list.push(v),
                _ => unreachable!("one kind's columns have one type each"),
            }
        }
        kept.push((row.record, row.columns));
    }
    let mut query = sqlx::query(AssertSqlSafe(upsert_sql_from(spec(kind), Some(&types))));
    for column in columns {
        query = match column {
            Column::Text(list) => query.bind(list),
            Column::Int(list) => query.bind(list),
        };
    }
    let mut written: HashMap<String, Upserted> = HashMap::new();
    for row in query.fetch_all(&mut *tx).await? {
        written.insert(
            row.try_get(3)?,
            Upserted {
                version: row.try_get(0)?,
                rid: row.try_get(1)?,
                resume_text: row.try_get(2)?,
            },
        );
    }
    let mut unchanged = Vec::new();
    // Written candidates, and whether each is new.
    let mut changed_candidates: Vec<(Candidate, bool)> = Vec::new();
    let mut updated_ids = Vec::new();
    for (record, columns) in kept {
        let Some(upserted) = written.get(record.id()) else {
            unchanged.push(record.id().to_string());
            records::Written::Unchanged.count(outcome);
            continue;
        };
        let w = upserted.written();
        w.count(outcome);
        if let (AtsRecord::Candidate(c), Some(cols)) = (record, columns) {
            after_candidate_upsert(tx, &c, &cols, upserted).await?;
            if w == records::Written::Updated {
                updated_ids.push(c.id.clone());
            }
            changed_candidates.push((c, w == records::Written::Inserted));
        }
    }
    touch_unchanged(tx, conn, kind, unchanged, seen_at).await?;
    let attachments: Vec<(&Candidate, bool)> = changed_candidates
        .iter()
        .map(|(c, new)| (c, *new))
        .collect();
    write_attachments(tx, conn, &attachments).await?;
    forget_keys(tx, conn, updated_ids).await?;
    let changed: Vec<Candidate> = changed_candidates.into_iter().map(|(c, _)| c).collect();
    write_keys(tx, conn, &changed).await?;
    Ok(())
}

/// One column of a batch, as the array bound for it.
enum Column {
    Text(Vec<Option<String>>),
    Int(Vec<Option<i64>>),
}
