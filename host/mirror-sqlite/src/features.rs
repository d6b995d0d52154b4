//! `FeatureState` for SQLite: idempotency keys, duplicate links and their clusters, rejection
//! reasons, resume text.
//!
//! Duplicate clusters are kept materialised (`candidate_clusters`) rather than computed in the
//! search query: links change rarely, searches run constantly. Each link change regroups only the
//! clusters it touches.

use crate::{Db, Error};
use ats_mirror::{
    DuplicateLink, IdempotencyRecord, LinkStatus, MirrorError, RejectionReason, ResumeTextDue,
};
use ats_model::Timestamp;
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};
use std::collections::{BTreeSet, HashMap, VecDeque};

fn idempotency_row(r: &Row<'_>) -> rusqlite::Result<(IdempotencyRecord, Option<String>)> {
    Ok((
        IdempotencyRecord {
            key: r.get(0)?,
            state: r.get(1)?,
            result: None,
            created_at: r.get(3)?,
            updated_at: r.get(4)?,
        },
        r.get(2)?,
    ))
}

fn get_idempotency(
    db: &Connection,
    conn: &str,
    key: &str,
) -> Result<Option<IdempotencyRecord>, Error> {
    let row = db
        .prepare_cached(
            "SELECT key, state, result_json, created_at, updated_at FROM idempotency \
             WHERE conn = ?1 AND key = ?2",
        )?
        .query_row(params![conn, key], idempotency_row)
        .optional()?;
    let Some((mut record, json)) = row else {
        return Ok(None);
    };
    record.result = json
        .map(|j| serde_json::from_str(&j))
        .transpose()
        .map_err(|e| MirrorError::Corrupt {
            table: "idempotency",
            column: "result_json",
            detail: e.to_string(),
        })?;
    Ok(Some(record))
}

fn link_row(r: &Row<'_>) -> rusqlite::Result<(DuplicateLink, String)> {
    Ok((
        DuplicateLink {
            a_id: r.get(0)?,
            b_id: r.get(1)?,
            rule: r.get(2)?,
            confidence: r.get(3)?,
            status: LinkStatus::Suggested,
            created_at: r.get(5)?,
            updated_at: r.get(6)?,
        },
        r.get(4)?,
    ))
}

/// Candidates linked to `id` by a suggested or confirmed link.
fn neighbours(db: &Connection, conn: &str, id: &str) -> Result<Vec<String>, Error> {
    let mut stmt = db.prepare_cached(
        "SELECT b_id FROM duplicate_links WHERE conn = ?1 AND a_id = ?2 AND status <> 'dismissed' \
         UNION SELECT a_id FROM duplicate_links WHERE conn = ?1 AND b_id = ?2 AND status <> 'dismissed'",
    )?;
    let rows = stmt.query_map(params![conn, id], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn cluster_members(db: &Connection, conn: &str, id: &str) -> Result<Vec<String>, Error> {
    let mut stmt = db.prepare_cached(
        "SELECT m.candidate_id FROM candidate_clusters c JOIN candidate_clusters m \
         ON m.conn = c.conn AND m.cluster_id = c.cluster_id \
         WHERE c.conn = ?1 AND c.candidate_id = ?2 ORDER BY m.candidate_id",
    )?;
    let rows = stmt.query_map(params![conn, id], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Recomputes the clusters of `seeds` and of everyone currently grouped with them.
fn regroup(db: &Connection, conn: &str, seeds: &[&str]) -> Result<(), Error> {
    let mut affected = BTreeSet::new();
    for seed in seeds {
        affected.insert(seed.to_string());
        affected.extend(cluster_members(db, conn, seed)?);
    }
    let mut delete =
        db.prepare_cached("DELETE FROM candidate_clusters WHERE conn = ?1 AND candidate_id = ?2")?;
    for id in &affected {
        delete.execute(params![conn, id])?;
    }
    let mut insert = db.prepare_cached(
        "INSERT OR REPLACE INTO candidate_clusters (conn, candidate_id, cluster_id) VALUES (?1, ?2, ?3)",
    )?;
    let mut assigned = BTreeSet::new();
    for start in &affected {
        if assigned.contains(start) {
            continue;
        }
        let mut component = BTreeSet::from([start.clone()]);
        let mut queue = VecDeque::from([start.clone()]);
        while let Some(id) = queue.pop_front() {
            for n in neighbours(db, conn, &id)? {
                if component.insert(n.clone()) {
                    queue.push_back(n);
                }
            }
        }
        if component.len() > 1 {
            let cluster_id = component.first().cloned().unwrap_or_default();
            for id in &component {
                insert.execute(params![conn, id, cluster_id])?;
            }
        }
        assigned.extend(component);
    }
    Ok(())
}

impl Db {
    pub(crate) fn idempotency(
        &self,
        conn: &str,
        key: &str,
    ) -> Result<Option<IdempotencyRecord>, Error> {
        self.read(|db| get_idempotency(db, conn, key))
    }

    pub(crate) fn idempotency_claim(
        &self,
        conn: &str,
        key: &str,
        state: &str,
        at: Timestamp,
    ) -> Result<Option<IdempotencyRecord>, Error> {
        self.write(|db| {
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let inserted = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO idempotency (conn, key, state, created_at, updated_at) \
                     VALUES (?1, ?2, ?3, ?4, ?4)",
                )?
                .execute(params![conn, key, state, at])?;
            let existing = if inserted == 1 {
                None
            } else {
                get_idempotency(&tx, conn, key)?
            };
            tx.commit()?;
            Ok(existing)
        })
    }

    pub(crate) fn idempotency_put(&self, conn: &str, r: &IdempotencyRecord) -> Result<(), Error> {
        let json = r.result.as_ref().map(serde_json::to_string).transpose()?;
        self.write(|db| {
            db.prepare_cached(
                "INSERT INTO idempotency (conn, key, state, result_json, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (conn, key) DO UPDATE SET \
                 state = excluded.state, result_json = excluded.result_json, \
                 updated_at = excluded.updated_at",
            )?
            .execute(params![
                conn,
                r.key,
                r.state,
                json,
                r.created_at,
                r.updated_at
            ])?;
            Ok(())
        })
    }

    pub(crate) fn put_duplicate_links(
        &self,
        conn: &str,
        links: &[DuplicateLink],
    ) -> Result<(), Error> {
        if links.is_empty() {
            return Ok(());
        }
        self.write(|db| {
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut seeds = BTreeSet::new();
            for link in links {
                let (a, b) = if link.a_id <= link.b_id {
                    (&link.a_id, &link.b_id)
                } else {
                    (&link.b_id, &link.a_id)
                };
                tx.prepare_cached(
                    "INSERT INTO duplicate_links (conn, a_id, b_id, rule, confidence, status, created_at, updated_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (conn, a_id, b_id) DO UPDATE SET \
                     rule = excluded.rule, confidence = excluded.confidence, status = excluded.status, \
                     updated_at = excluded.updated_at",
                )?
                .execute(params![
                    conn,
                    a,
                    b,
                    link.rule,
                    link.confidence,
                    link.status.as_str(),
                    link.created_at,
                    link.updated_at
                ])?;
                seeds.insert(a.as_str());
                seeds.insert(b.as_str());
            }
            let seeds: Vec<&str> = seeds.into_iter().collect();
            regroup(&tx, conn, &seeds)?;
            tx.commit()?;
            Ok(())
        })
    }

    pub(crate) fn duplicate_links(
        &self,
        conn: &str,
        candidate_id: &str,
    ) -> Result<Vec<DuplicateLink>, Error> {
        self.read(|db| {
            let mut stmt = db.prepare_cached(
                "SELECT a_id, b_id, rule, confidence, status, created_at, updated_at FROM duplicate_links \
                 WHERE conn = ?1 AND (a_id = ?2 OR b_id = ?2) ORDER BY a_id, b_id",
            )?;
            let rows = stmt.query_map(params![conn, candidate_id], link_row)?;
            let mut out = Vec::new();
            for row in rows {
                let (mut link, status) = row?;
                link.status = LinkStatus::parse(&status).ok_or_else(|| MirrorError::Corrupt {
                    table: "duplicate_links",
                    column: "status",
                    detail: status.clone(),
                })?;
                out.push(link);
            }
            Ok(out)
        })
    }

    pub(crate) fn cluster(&self, conn: &str, candidate_id: &str) -> Result<Vec<String>, Error> {
        self.read(|db| {
            let members = cluster_members(db, conn, candidate_id)?;
            Ok(if members.is_empty() {
                vec![candidate_id.to_string()]
            } else {
                members
            })
        })
    }

    pub(crate) fn put_rejection_reason(
        &self,
        conn: &str,
        r: &RejectionReason,
    ) -> Result<(), Error> {
        self.write(|db| {
            db.prepare_cached(
                "INSERT OR REPLACE INTO rejection_reasons (conn, application_id, reason, rejected_at, rejected_by) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![conn, r.application_id, r.reason, r.rejected_at, r.rejected_by])?;
            Ok(())
        })
    }

    pub(crate) fn rejection_reason(
        &self,
        conn: &str,
        application_id: &str,
    ) -> Result<Option<RejectionReason>, Error> {
        self.read(|db| {
            Ok(db
                .prepare_cached(
                    "SELECT application_id, reason, rejected_at, rejected_by FROM rejection_reasons \
                     WHERE conn = ?1 AND application_id = ?2",
                )?
                .query_row(params![conn, application_id], |r| {
                    Ok(RejectionReason {
                        application_id: r.get(0)?,
                        reason: r.get(1)?,
                        rejected_at: r.get(2)?,
                        rejected_by: r.get(3)?,
                    })
                })
                .optional()?)
        })
    }

    pub(crate) fn set_resume_text(
        &self,
        conn: &str,
        candidate_id: &str,
        attachment_id: &str,
        text: &str,
    ) -> Result<bool, Error> {
        self.write(|db| {
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let changed = tx
                .prepare_cached(
                    "UPDATE candidates SET resume_text = ?3 WHERE conn = ?1 AND id = ?2",
                )?
                .execute(params![conn, candidate_id, text])?;
            crate::records::reindex_candidate(&tx, conn, candidate_id)?;
            tx.prepare_cached(
                "UPDATE attachments SET text = ?4 WHERE conn = ?1 AND candidate_id = ?2 AND id = ?3",
            )?
            .execute(params![conn, candidate_id, attachment_id, text])?;
            tx.commit()?;
            Ok(changed > 0)
        })
    }

    pub(crate) fn resume_texts_due(
        &self,
        conn: &str,
        limit: usize,
    ) -> Result<Vec<ResumeTextDue>, Error> {
        self.read(|db| {
            // `attachments_text_due` (migration 12) holds exactly these rows, in this order.
            let mut stmt = db.prepare_cached(
                "SELECT a.candidate_id, a.id FROM attachments a \
                 JOIN candidates c ON c.conn = a.conn AND c.id = a.candidate_id \
                 WHERE a.conn = ?1 AND a.kind = 'resume' AND a.text IS NULL \
                 AND c.deleted_at IS NULL ORDER BY a.candidate_id, a.id LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![conn, limit as i64], |r| {
                Ok(ResumeTextDue {
                    candidate_id: r.get(0)?,
                    attachment_id: r.get(1)?,
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    pub(crate) fn resume_texts(
        &self,
        conn: &str,
        ids: &[String],
    ) -> Result<HashMap<String, String>, Error> {
        self.read(|db| {
            let mut stmt = db.prepare_cached(
                "SELECT id, resume_text FROM candidates WHERE conn = ?1 \
                 AND id IN (SELECT value FROM json_each(?2)) AND resume_text <> ''",
            )?;
            let rows = stmt.query_map(params![conn, serde_json::to_string(ids)?], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
            Ok(rows.collect::<Result<HashMap<_, _>, _>>()?)
        })
    }
}
