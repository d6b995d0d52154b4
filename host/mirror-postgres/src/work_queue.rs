//! The service's work queue (`work_queue`) and memory of event deliveries (`event_deliveries`)
//! on PostgreSQL, shared by every process on the database (migration 0004).
//!
//! Taking work is one `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)`: rows another
//! process is taking at that moment are skipped, so two processes never take one item and none
//! waits for another. Each statement runs on its own (autocommit), so no row lock outlives it.

use crate::{Error, PgMirror};
use ats_mirror::deliveries::MAX_REMEMBERED;
use ats_mirror::{
    DeliveryKeys, DeliveryMemory, MirrorError, QueuedWork, Sighting, Work, WorkQueue,
};
use ats_model::Timestamp;
use sqlx::Row;

/// Tries of a hand-back that races a new event for the same record.
const DEFER_TRIES: usize = 3;

#[async_trait::async_trait]
impl WorkQueue for PgMirror {
    async fn enqueue_work(
        &self,
        conn: &str,
        work: &Work,
        available_at: Timestamp,
    ) -> Result<bool, MirrorError> {
        let inserted: bool = sqlx::query_scalar(
            "INSERT INTO work_queue (conn, work, coalesce_key, available_at) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (conn, coalesce_key) WHERE holder IS NULL AND coalesce_key IS NOT NULL \
             DO UPDATE SET available_at = LEAST(work_queue.available_at, excluded.available_at) \
             RETURNING (xmax = 0)",
        )
        .bind(conn)
        .bind(work.to_json())
        .bind(work.coalesce_key())
        .bind(available_at)
        .fetch_one(&self.pool)
        .await
        .map_err(Error::from)?;
        Ok(inserted)
    }

    async fn take_work(
        &self,
        conn: &str,
        holder: &str,
        limit: u32,
        ttl_seconds: i64,
        now: Timestamp,
    ) -> Result<Vec<QueuedWork>, MirrorError> {
        let rows = sqlx::query(
            "UPDATE work_queue \
             SET holder = $2, claimed_until = $4 + $5, \
                 attempts = attempts + CASE WHEN holder IS NULL THEN 0 ELSE 1 END \
             WHERE id IN ( \
                 SELECT id FROM work_queue \
                 WHERE conn = $1 AND ((holder IS NULL AND available_at <= $4) \
                                      OR (holder IS NOT NULL AND claimed_until <= $4)) \
                 ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) \
             RETURNING id, conn, work, attempts",
        )
        .bind(conn)
        .bind(holder)
        .bind(i64::from(limit))
        .bind(now)
        .bind(ttl_seconds)
        .fetch_all(&self.pool)
        .await
        .map_err(Error::from)?;
        let mut taken = rows
            .iter()
            .map(|r| {
                Ok(QueuedWork {
                    id: r.try_get(0)?,
                    conn: r.try_get(1)?,
                    work: Work::from_json(&r.try_get::<String, _>(2)?)?,
                    attempts: u32::try_from(r.try_get::<i32, _>(3)?).unwrap_or(0),
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        taken.sort_by_key(|w| w.id); // RETURNING keeps no order
        Ok(taken)
    }

    async fn finish_work(&self, holder: &str, ids: &[i64]) -> Result<(), MirrorError> {
        sqlx::query("DELETE FROM work_queue WHERE id = ANY($2) AND holder = $1")
            .bind(holder)
            .bind(ids)
            .execute(&self.pool)
            .await
            .map_err(Error::from)?;
        Ok(())
    }

    async fn defer_work(
        &self,
        holder: &str,
        ids: &[i64],
        available_at: Timestamp,
    ) -> Result<(), MirrorError> {
        for attempt in 1..=DEFER_TRIES {
            // A re-read whose record waits in another item already: that one will do.
            sqlx::query(
                "DELETE FROM work_queue w WHERE w.id = ANY($2) AND w.holder = $1 \
                 AND w.coalesce_key IS NOT NULL AND EXISTS ( \
                     SELECT 1 FROM work_queue o WHERE o.conn = w.conn \
                     AND o.coalesce_key = w.coalesce_key AND o.holder IS NULL)",
            )
            .bind(holder)
            .bind(ids)
            .execute(&self.pool)
            .await
            .map_err(Error::from)?;
            let handed_back = sqlx::query(
                "UPDATE work_queue SET holder = NULL, available_at = $3, attempts = attempts + 1 \
                 WHERE id = ANY($2) AND holder = $1",
            )
            .bind(holder)
            .bind(ids)
            .bind(available_at)
            .execute(&self.pool)
            .await;
            match handed_back {
                Ok(_) => return Ok(()),
                // An event queued the same record between the two statements: go again, the
                // delete now finds it.
                Err(sqlx::Error::Database(e))
                    if e.is_unique_violation() && attempt < DEFER_TRIES =>
                {
                    continue;
                }
                Err(e) => return Err(Error::from(e).into()),
            }
        }
        Ok(())
    }

    async fn connections_with_work(&self, now: Timestamp) -> Result<Vec<String>, MirrorError> {
        let conns = sqlx::query_scalar(
            "SELECT DISTINCT conn FROM work_queue \
             WHERE (holder IS NULL AND available_at <= $1) \
                OR (holder IS NOT NULL AND claimed_until <= $1) \
             ORDER BY conn",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await
        .map_err(Error::from)?;
        Ok(conns)
    }

    async fn clear_work(&self, conn: &str) -> Result<(), MirrorError> {
        for table in [
            "DELETE FROM work_queue WHERE conn = $1",
            "DELETE FROM event_deliveries WHERE conn = $1",
        ] {
            sqlx::query(table)
                .bind(conn)
                .execute(&self.pool)
                .await
                .map_err(Error::from)?;
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl DeliveryMemory for PgMirror {
    async fn remember_delivery(
        &self,
        conn: &str,
        delivery: DeliveryKeys<'_>,
        keep_seconds: i64,
        now: Timestamp,
    ) -> Result<Sighting, MirrorError> {
        let work = async {
            sqlx::query("DELETE FROM event_deliveries WHERE conn = $1 AND seen_at < $2")
                .bind(conn)
                .bind(now.saturating_sub(keep_seconds))
                .execute(&self.pool)
                .await?;
            let request_is_new = sqlx::query(
                "INSERT INTO event_deliveries (conn, kind, key, seen_at) VALUES ($1, 'r', $2, $3) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(conn)
            .bind(delivery.replay_key)
            .bind(now)
            .execute(&self.pool)
            .await?
            .rows_affected()
                == 1;
            if !request_is_new {
                return Ok(Sighting::Replayed);
            }
            let body_is_new: bool = sqlx::query_scalar(
                "INSERT INTO event_deliveries (conn, kind, key, seen_at) VALUES ($1, 'b', $2, $3) \
                 ON CONFLICT (conn, kind, key) DO UPDATE SET seen_at = excluded.seen_at \
                 RETURNING (xmax = 0)",
            )
            .bind(conn)
            .bind(delivery.body_digest)
            .bind(now)
            .fetch_one(&self.pool)
            .await?;
            bound(self, conn).await?;
            Ok::<_, Error>(if body_is_new {
                Sighting::New
            } else {
                Sighting::Duplicate
            })
        };
        Ok(work.await?)
    }

    async fn forget_delivery_body(&self, conn: &str, body_digest: &str) -> Result<(), MirrorError> {
        sqlx::query("DELETE FROM event_deliveries WHERE conn = $1 AND kind = 'b' AND key = $2")
            .bind(conn)
            .bind(body_digest)
            .execute(&self.pool)
            .await
            .map_err(Error::from)?;
        Ok(())
    }
}

/// Keeps at most [`MAX_REMEMBERED`] deliveries of each kind per connection (oldest go first),
/// so a flood of signed deliveries within the window cannot grow the table without bound.
async fn bound(m: &PgMirror, conn: &str) -> Result<(), Error> {
    for kind in ["r", "b"] {
        sqlx::query(
            "DELETE FROM event_deliveries WHERE conn = $1 AND kind = $2 AND seen_at < ( \
                 SELECT seen_at FROM event_deliveries WHERE conn = $1 AND kind = $2 \
                 ORDER BY seen_at DESC OFFSET $3 LIMIT 1)",
        )
        .bind(conn)
        .bind(kind)
        .bind(MAX_REMEMBERED as i64 - 1)
        .execute(&m.pool)
        .await?;
    }
    Ok(())
}
