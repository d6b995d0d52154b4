//! The PostgreSQL [`TokenStore`]: `api_tokens`, one row per token, revoked rows kept so an id is
//! never handed out again.

use crate::{Error, PgMirror};
use ats_mirror::{ApiToken, MirrorError, TokenStore};
use sqlx::Row;
use sqlx::postgres::PgRow;

const SELECT: &str = "SELECT id, hash, tenant, label, created_at FROM api_tokens";

fn token(r: &PgRow) -> Result<ApiToken, Error> {
    Ok(ApiToken {
        id: r.try_get(0)?,
        hash: r.try_get(1)?,
        tenant: r.try_get(2)?,
        label: r.try_get(3)?,
        created_at: r.try_get(4)?,
    })
}

#[async_trait::async_trait]
impl TokenStore for PgMirror {
    async fn save_api_token(&self, t: &ApiToken) -> Result<(), MirrorError> {
        sqlx::query(
            "INSERT INTO api_tokens (id, hash, tenant, label, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&t.id)
        .bind(&t.hash)
        .bind(&t.tenant)
        .bind(&t.label)
        .bind(t.created_at)
        .execute(&self.pool)
        .await
        .map_err(Error::from)?;
        Ok(())
    }

    async fn api_token_by_hash(&self, hash: &str) -> Result<Option<ApiToken>, MirrorError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE hash = $1 AND revoked_at IS NULL"
        )))
        .bind(hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(Error::from)?;
        Ok(row.as_ref().map(token).transpose()?)
    }

    async fn api_tokens(&self) -> Result<Vec<ApiToken>, MirrorError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE revoked_at IS NULL ORDER BY tenant COLLATE \"C\", id COLLATE \"C\""
        )))
        .fetch_all(&self.pool)
        .await
        .map_err(Error::from)?;
        Ok(rows.iter().map(token).collect::<Result<_, _>>()?)
    }

    async fn revoke_api_token(&self, id: &str) -> Result<bool, MirrorError> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = extract(epoch FROM now())::bigint \
             WHERE id = $1 AND revoked_at IS NULL",
        )
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(Error::from)?;
        Ok(done.rows_affected() == 1)
    }
}
