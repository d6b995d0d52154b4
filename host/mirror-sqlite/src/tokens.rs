//! The SQLite [`TokenStore`]: `api_tokens`, one row per token, revoked rows kept.

use crate::{Db, Error, SqliteMirror};
use ats_mirror::{ApiToken, MirrorError, TokenStore};
use rusqlite::{OptionalExtension, Row, params};

const SELECT: &str = "SELECT id, hash, tenant, label, created_at FROM api_tokens";

fn token(r: &Row<'_>) -> rusqlite::Result<ApiToken> {
    Ok(ApiToken {
        id: r.get(0)?,
        hash: r.get(1)?,
        tenant: r.get(2)?,
        label: r.get(3)?,
        created_at: r.get(4)?,
    })
}

impl Db {
    fn save_api_token(&self, t: &ApiToken) -> Result<(), Error> {
        self.write(|db| {
            db.prepare_cached(
                "INSERT INTO api_tokens (id, hash, tenant, label, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![t.id, t.hash, t.tenant, t.label, t.created_at])?;
            Ok(())
        })
    }

    fn api_token_by_hash(&self, hash: &str) -> Result<Option<ApiToken>, Error> {
        self.read(|db| {
            Ok(db
                .prepare_cached(&format!("{SELECT} WHERE hash = ?1 AND revoked_at IS NULL"))?
                .query_row([hash], token)
                .optional()?)
        })
    }

    fn api_tokens(&self) -> Result<Vec<ApiToken>, Error> {
        self.read(|db| {
            let mut statement = db.prepare_cached(&format!(
                "{SELECT} WHERE revoked_at IS NULL ORDER BY tenant, id"
            ))?;
            let rows = statement.query_map([], token)?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    fn revoke_api_token(&self, id: &str) -> Result<bool, Error> {
        self.write(|db| {
            let changed = db
                .prepare_cached(
                    "UPDATE api_tokens SET revoked_at = unixepoch() \
                     WHERE id = ?1 AND revoked_at IS NULL",
                )?
                .execute([id])?;
            Ok(changed == 1)
        })
    }
}

#[async_trait::async_trait]
impl TokenStore for SqliteMirror {
    async fn save_api_token(&self, token: &ApiToken) -> Result<(), MirrorError> {
        let token = token.clone();
        self.run(move |db| db.save_api_token(&token)).await
    }

    async fn api_token_by_hash(&self, hash: &str) -> Result<Option<ApiToken>, MirrorError> {
        let hash = hash.to_owned();
        self.run(move |db| db.api_token_by_hash(&hash)).await
    }

    async fn api_tokens(&self) -> Result<Vec<ApiToken>, MirrorError> {
        self.run(|db| db.api_tokens()).await
    }

    async fn revoke_api_token(&self, id: &str) -> Result<bool, MirrorError> {
        let id = id.to_owned();
        self.run(move |db| db.revoke_api_token(&id)).await
    }
}
