//! Stream leases on PostgreSQL: one row per stream in `stream_leases`, shared by every process
//! on the database. Taking a lease locks the row with `FOR UPDATE SKIP LOCKED` (a process that
//! finds another taking the same stream moves on instead of waiting), checks holder and expiry,
//! and writes the new holder, token and expiry in the same transaction. Renewing and releasing
//! are one conditional `UPDATE` each, matched on holder and token, so a holder whose lease was
//! taken over cannot extend or free the new holder's.

use crate::{Error, PgMirror};
use ats_mirror::{Lease, LeaseStore, MirrorError};
use ats_model::Timestamp;
use sqlx::{Connection, Row};

#[async_trait::async_trait]
impl LeaseStore for PgMirror {
    async fn try_lease(
        &self,
        conn: &str,
        stream: &str,
        holder: &str,
        ttl_seconds: i64,
        now: Timestamp,
    ) -> Result<Option<Lease>, MirrorError> {
        let mut db = self.lease_pool.acquire().await.map_err(Error::from)?;
        let work = async {
            sqlx::query(
                "INSERT INTO stream_leases (conn, stream, holder, token, expires_at) \
                 VALUES ($1, $2, NULL, 0, 0) ON CONFLICT (conn, stream) DO NOTHING",
            )
            .bind(conn)
            .bind(stream)
            .execute(&mut *db)
            .await?;
            let mut tx = db.begin().await?;
            let row = sqlx::query(
                "SELECT holder, token, expires_at FROM stream_leases \
                 WHERE conn = $1 AND stream = $2 FOR UPDATE SKIP LOCKED",
            )
            .bind(conn)
            .bind(stream)
            .fetch_optional(&mut *tx)
            .await?;
            // Locked by a process taking it right now. Roll back at once: a dropped
            // transaction rolls back only when its pooled connection is next used, and the row
            // lock would stay with an idle connection until then (every taker would skip it).
            let Some(row) = row else {
                tx.rollback().await?;
                return Ok(None);
            };
            let (current, token, expires_at): (Option<String>, i64, i64) =
                (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
            let token = match current.as_deref() {
                Some(h) if h == holder => token,
                Some(_) if expires_at > now => {
                    tx.rollback().await?;
                    return Ok(None);
                }
                _ => token + 1,
            };
            sqlx::query(
                "UPDATE stream_leases SET holder = $3, token = $4, expires_at = $5 \
                 WHERE conn = $1 AND stream = $2",
            )
            .bind(conn)
            .bind(stream)
            .bind(holder)
            .bind(token)
            .bind(now + ttl_seconds)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, Error>(Some(Lease {
                conn: conn.to_string(),
                stream: stream.to_string(),
                holder: holder.to_string(),
                token,
                expires_at: now + ttl_seconds,
            }))
        };
        Ok(work.await?)
    }

    async fn renew_lease(
        &self,
        lease: &Lease,
        ttl_seconds: i64,
        now: Timestamp,
    ) -> Result<Option<Lease>, MirrorError> {
        let renewed = sqlx::query(
            "UPDATE stream_leases SET expires_at = $5 \
             WHERE conn = $1 AND stream = $2 AND holder = $3 AND token = $4",
        )
        .bind(&lease.conn)
        .bind(&lease.stream)
        .bind(&lease.holder)
        .bind(lease.token)
        .bind(now + ttl_seconds)
        .execute(&self.lease_pool)
        .await
        .map_err(Error::from)?
        .rows_affected();
        Ok((renewed == 1).then(|| Lease {
            expires_at: now + ttl_seconds,
            ..lease.clone()
        }))
    }

    async fn release_lease(&self, lease: &Lease) -> Result<(), MirrorError> {
        sqlx::query(
            "UPDATE stream_leases SET holder = NULL, expires_at = 0 \
             WHERE conn = $1 AND stream = $2 AND holder = $3 AND token = $4",
        )
        .bind(&lease.conn)
        .bind(&lease.stream)
        .bind(&lease.holder)
        .bind(lease.token)
        .execute(&self.lease_pool)
        .await
        .map_err(Error::from)?;
        Ok(())
    }
}
