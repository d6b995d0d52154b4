//! `FeatureState` for PostgreSQL: idempotency keys, duplicate links and their clusters,
//! rejection reasons, resume text.
//!
//! Duplicate clusters are kept materialised (`candidate_clusters`), as in SQLite: links change
//! rarely, searches run constantly. Each link change regroups only the clusters it touches,
//! under a transaction-scoped advisory lock per connection so two processes regrouping
//! overlapping clusters take turns instead of interleaving their deletes and inserts.

use crate::{Error, PgMirror};
use ats_mirror::{
    DuplicateLink, FeatureState, IdempotencyRecord, LinkStatus, MirrorError, RejectionReason,
    ResumeTextDue,
};
use ats_model::Timestamp;
use sqlx::{Connection, PgConnection, Row};
use std::collections::{BTreeSet, VecDeque};

async fn get_idempotency(
    db: &mut PgConnection,
    conn: &str,
    key: &str,
) -> Result<Option<IdempotencyRecord>, Error> {
    let row = sqlx::query(
        "SELECT key, state, result_json, created_at, updated_at FROM idempotency \
         WHERE conn = $1 AND key = $2",
    )
    .bind(conn)
    .bind(key)
    .fetch_optional(&mut *db)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let json: Option<String> = r.try_get(2)?;
    Ok(Some(IdempotencyRecord {
        key: r.try_get(0)?,
        state: r.try_get(1)?,
        result: json
            .map(|j| serde_json::from_str(&j))
            .transpose()
            .map_err(|e| crate::error::corrupt("idempotency", "result_json", e.to_string()))?,
        created_at: r.try_get(3)?,
        updated_at: r.try_get(4)?,
    }))
}

/// Candidates linked to `id` by a suggested or confirmed link.
async fn neighbours(db: &mut PgConnection, conn: &str, id: &str) -> Result<Vec<String>, Error> {
    Ok(sqlx::query_scalar(
        "SELECT b_id FROM duplicate_links WHERE conn = $1 AND a_id = $2 AND status <> 'dismissed' \
         UNION SELECT a_id FROM duplicate_links WHERE conn = $1 AND b_id = $2 AND status <> 'dismissed'",
    )
    .bind(conn)
    .bind(id)
    .fetch_all(&mut *db)
    .await?)
}

async fn cluster_members(
    db: &mut PgConnection,
    conn: &str,
    id: &str,
) -> Result<Vec<String>, Error> {
    Ok(sqlx::query_scalar(
        "SELECT m.candidate_id FROM candidate_clusters c JOIN candidate_clusters m \
         ON m.conn = c.conn AND m.cluster_id = c.cluster_id \
         WHERE c.conn = $1 AND c.candidate_id = $2 ORDER BY m.candidate_id COLLATE \"C\"",
    )
    .bind(conn)
    .bind(id)
    .fetch_all(&mut *db)
    .await?)
}

/// Recomputes the clusters of `seeds` and of everyone currently grouped with them.
async fn regroup(tx: &mut PgConnection, conn: &str, seeds: &BTreeSet<String>) -> Result<(), Error> {
    let mut affected = BTreeSet::new();
    for seed in seeds {
        affected.insert(seed.clone());
        affected.extend(cluster_members(tx, conn, seed).await?);
    }
    sqlx::query("DELETE FROM candidate_clusters WHERE conn = $1 AND candidate_id = ANY($2)")
        .bind(conn)
        .bind(affected.iter().cloned().collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
    let mut assigned = BTreeSet::new();
    for start in &affected {
        if assigned.contains(start) {
            continue;
        }
        let mut component = BTreeSet::from([start.clone()]);
        let mut queue = VecDeque::from([start.clone()]);
        while let Some(id) = queue.pop_front() {
            for n in neighbours(tx, conn, &id).await? {
                if component.insert(n.clone()) {
                    queue.push_back(n);
                }
            }
        }
        if component.len() > 1 {
            let cluster_id = component.first().cloned().unwrap_or_default();
            sqlx::query(
                "INSERT INTO candidate_clusters (conn, candidate_id, cluster_id) \
                 SELECT $1, unnest($2::text[]), $3 \
                 ON CONFLICT (conn, candidate_id) DO UPDATE SET cluster_id = excluded.cluster_id",
            )
            .bind(conn)
            .bind(component.iter().cloned().collect::<Vec<_>>())
            .bind(&cluster_id)
            .execute(&mut *tx)
            .await?;
        }
        assigned.extend(component);
    }
    Ok(())
}

#[async_trait::async_trait]
impl FeatureState for PgMirror {
    async fn idempotency(
        &self,
        conn: &str,
        key: &str,
    ) -> Result<Option<IdempotencyRecord>, MirrorError> {
        Ok(get_idempotency(&mut *self.conn().await?, conn, key).await?)
    }

    async fn idempotency_claim(
        &self,
        conn: &str,
        key: &str,
        state: &str,
        at: Timestamp,
    ) -> Result<Option<IdempotencyRecord>, MirrorError> {
        let mut db = self.conn().await?;
        let inserted = sqlx::query(
            "INSERT INTO idempotency (conn, key, state, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $4) ON CONFLICT (conn, key) DO NOTHING",
        )
        .bind(conn)
        .bind(key)
        .bind(state)
        .bind(at)
        .execute(&mut *db)
        .await
        .map_err(Error::from)?
        .rows_affected();
        if inserted == 1 {
            return Ok(None);
        }
        Ok(get_idempotency(&mut db, conn, key).await?)
    }

    async fn idempotency_put(&self, conn: &str, r: &IdempotencyRecord) -> Result<(), MirrorError> {
        let json = r.result.as_ref().map(serde_json::to_string).transpose()?;
        sqlx::query(
            "INSERT INTO idempotency (conn, key, state, result_json, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (conn, key) DO UPDATE SET \
             state = excluded.state, result_json = excluded.result_json, \
             updated_at = excluded.updated_at",
        )
        .bind(conn)
        .bind(&r.key)
        .bind(&r.state)
        .bind(json)
        .bind(r.created_at)
        .bind(r.updated_at)
        .execute(&self.pool)
        .await
        .map_err(Error::from)?;
        Ok(())
    }

    async fn put_duplicate_links(
        &self,
        conn: &str,
        links: &[DuplicateLink],
    ) -> Result<(), MirrorError> {
        if links.is_empty() {
            return Ok(());
        }
        let mut db = self.conn().await?;
        let work = async {
            let mut tx = db.begin().await?;
            sqlx::query("SELECT pg_advisory_xact_lock(hashtext('ats-clusters:' || $1))")
                .bind(conn)
                .execute(&mut *tx)
                .await?;
            let mut seeds = BTreeSet::new();
            for link in links {
                let (a, b) = if link.a_id <= link.b_id {
                    (&link.a_id, &link.b_id)
                } else {
                    (&link.b_id, &link.a_id)
                };
                sqlx::query(
                    "INSERT INTO duplicate_links (conn, a_id, b_id, rule, confidence, status, \
                     created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                     ON CONFLICT (conn, a_id, b_id) DO UPDATE SET rule = excluded.rule, \
                     confidence = excluded.confidence, status = excluded.status, \
                     updated_at = excluded.updated_at",
                )
                .bind(conn)
                .bind(a)
                .bind(b)
                .bind(&link.rule)
                .bind(link.confidence)
                .bind(link.status.as_str())
                .bind(link.created_at)
                .bind(link.updated_at)
                .execute(&mut *tx)
                .await?;
                seeds.insert(a.clone());
                seeds.insert(b.clone());
            }
            regroup(&mut tx, conn, &seeds).await?;
            tx.commit().await?;
            Ok::<_, Error>(())
        };
        Ok(work.await?)
    }

    async fn duplicate_links(
        &self,
        conn: &str,
        candidate_id: &str,
    ) -> Result<Vec<DuplicateLink>, MirrorError> {
        let rows = sqlx::query(
            "SELECT a_id, b_id, rule, confidence, status, created_at, updated_at \
             FROM duplicate_links WHERE conn = $1 AND (a_id = $2 OR b_id = $2) \
             ORDER BY a_id COLLATE \"C\", b_id COLLATE \"C\"",
        )
        .bind(conn)
        .bind(candidate_id)
        .fetch_all(&self.pool)
        .await
        .map_err(Error::from)?;
        let decode = |r: &sqlx::postgres::PgRow| -> Result<DuplicateLink, Error> {
            let status: String = r.try_get(4)?;
            Ok(DuplicateLink {
                a_id: r.try_get(0)?,
                b_id: r.try_get(1)?,
                rule: r.try_get(2)?,
                confidence: r.try_get(3)?,
                status: LinkStatus::parse(&status).ok_or_else(|| {
                    crate::error::corrupt("duplicate_links", "status", status.clone())
                })?,
                created_at: r.try_get(5)?,
                updated_at: r.try_get(6)?,
            })
        };
        Ok(rows.iter().map(decode).collect::<Result<_, _>>()?)
    }

    async fn cluster(&self, conn: &str, candidate_id: &str) -> Result<Vec<String>, MirrorError> {
        let members = cluster_members(&mut *self.conn().await?, conn, candidate_id).await?;
        Ok(if members.is_empty() {
            vec![candidate_id.to_string()]
        } else {
            members
        })
    }

    async fn put_rejection_reason(
        &self,
        conn: &str,
        r: &RejectionReason,
    ) -> Result<(), MirrorError> {
        sqlx::query(
            "INSERT INTO rejection_reasons (conn, application_id, reason, rejected_at, rejected_by) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (conn, application_id) DO UPDATE SET \
             reason = excluded.reason, rejected_at = excluded.rejected_at, \
             rejected_by = excluded.rejected_by",
        )
        .bind(conn)
        .bind(&r.application_id)
        .bind(&r.reason)
        .bind(r.rejected_at)
        .bind(&r.rejected_by)
        .execute(&self.pool)
        .await
        .map_err(Error::from)?;
        Ok(())
    }

    async fn rejection_reason(
        &self,
        conn: &str,
        application_id: &str,
    ) -> Result<Option<RejectionReason>, MirrorError> {
        let row = sqlx::query(
            "SELECT application_id, reason, rejected_at, rejected_by FROM rejection_reasons \
             WHERE conn = $1 AND application_id = $2",
        )
        .bind(conn)
        .bind(application_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(Error::from)?;
        let Some(r) = row else { return Ok(None) };
        let decoded = (|| -> Result<RejectionReason, sqlx::Error> {
            Ok(RejectionReason {
                application_id: r.try_get(0)?,
                reason: r.try_get(1)?,
                rejected_at: r.try_get(2)?,
                rejected_by: r.try_get(3)?,
            })
        })();
        Ok(Some(decoded.map_err(Error::from)?))
    }

    async fn set_resume_text(
        &self,
        conn: &str,
        candidate_id: &str,
        attachment_id: &str,
        text: &str,
    ) -> Result<bool, MirrorError> {
        let mut db = self.conn().await?;
        let work = async {
            let mut tx = db.begin().await?;
            let changed =
                sqlx::query("UPDATE candidates SET resume_text = $3 WHERE conn = $1 AND id = $2")
                    .bind(conn)
                    .bind(candidate_id)
                    .bind(text)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            crate::records::reindex_candidate(&mut tx, conn, candidate_id).await?;
            sqlx::query(
                "UPDATE attachments SET text = $4 WHERE conn = $1 AND candidate_id = $2 AND id = $3",
            )
            .bind(conn)
            .bind(candidate_id)
            .bind(attachment_id)
            .bind(text)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, Error>(changed > 0)
        };
        Ok(work.await?)
    }

    async fn resume_texts_due(
        &self,
        conn: &str,
        limit: usize,
    ) -> Result<Vec<ResumeTextDue>, MirrorError> {
        // `attachments_text_due` (migration 5) holds exactly these rows, in this order.
        let rows = sqlx::query(
            "SELECT a.candidate_id, a.id FROM attachments a \
             JOIN candidates c ON c.conn = a.conn AND c.id = a.candidate_id \
             WHERE a.conn = $1 AND a.kind = 'resume' AND a.text IS NULL \
             AND c.deleted_at IS NULL ORDER BY a.candidate_id, a.id LIMIT $2",
        )
        .bind(conn)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await
        .map_err(Error::from)?;
        let due = rows
            .iter()
            .map(|r| {
                Ok(ResumeTextDue {
                    candidate_id: r.try_get(0)?,
                    attachment_id: r.try_get(1)?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()
            .map_err(Error::from)?;
        Ok(due)
    }

    async fn resume_texts(
        &self,
        conn: &str,
        ids: &[String],
    ) -> Result<std::collections::HashMap<String, String>, MirrorError> {
        let rows = sqlx::query(
            "SELECT id, resume_text FROM candidates WHERE conn = $1 AND id = ANY($2) \
             AND resume_text <> ''",
        )
        .bind(conn)
        .bind(ids)
        .fetch_all(&self.pool)
        .await
        .map_err(Error::from)?;
        let texts = rows
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Error::from)?;
        Ok(texts)
    }
}
