//! Connection configuration rows. Secrets are stored as references only (`SecretRef`).

use crate::Error;
use crate::error::corrupt;
use ats_mirror::ConnectionRow;
use sqlx::postgres::PgRow;
use sqlx::{AssertSqlSafe, Connection, PgConnection, Row};

pub(crate) async fn upsert(db: &mut PgConnection, c: &ConnectionRow) -> Result<(), Error> {
    sqlx::query(
        "INSERT INTO connections (name, plugin_path, plugin_hash, settings_json, secret_refs_json, \
         stream_intervals_json, created_at, updated_at, extra_allowed_hosts_json, \
         granted_api_hosts_json, granted_token_url, limits_json, plugin_declared_json, tenant, \
         paused_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
         ON CONFLICT (name) DO UPDATE SET plugin_path = excluded.plugin_path, \
         plugin_hash = excluded.plugin_hash, settings_json = excluded.settings_json, \
         secret_refs_json = excluded.secret_refs_json, \
         stream_intervals_json = excluded.stream_intervals_json, updated_at = excluded.updated_at, \
         extra_allowed_hosts_json = excluded.extra_allowed_hosts_json, \
         granted_api_hosts_json = excluded.granted_api_hosts_json, \
         granted_token_url = excluded.granted_token_url, limits_json = excluded.limits_json, \
         plugin_declared_json = excluded.plugin_declared_json, tenant = excluded.tenant, \
         paused_at = excluded.paused_at",
    )
    .bind(&c.name)
    .bind(&c.plugin_path)
    .bind(&c.plugin_hash)
    .bind(serde_json::to_string(&c.settings)?)
    .bind(serde_json::to_string(&c.secrets)?)
    .bind(serde_json::to_string(&c.stream_intervals)?)
    .bind(c.created_at)
    .bind(c.updated_at)
    .bind(serde_json::to_string(&c.extra_allowed_hosts)?)
    .bind(serde_json::to_string(&c.granted_api_hosts)?)
    .bind(&c.granted_token_url)
    .bind(serde_json::to_string(&c.limits)?)
    .bind(serde_json::to_string(&c.plugin_declared)?)
    .bind(&c.tenant)
    .bind(c.paused_at)
    .execute(&mut *db)
    .await?;
    Ok(())
}

const SELECT: &str = "SELECT name, plugin_path, plugin_hash, settings_json, secret_refs_json, \
     stream_intervals_json, created_at, updated_at, extra_allowed_hosts_json, \
     granted_api_hosts_json, granted_token_url, limits_json, plugin_declared_json, tenant, \
     paused_at FROM connections";

fn decode(r: &PgRow) -> Result<ConnectionRow, Error> {
    fn json<T: serde::de::DeserializeOwned>(
        r: &PgRow,
        i: usize,
        column: &'static str,
    ) -> Result<T, Error> {
        let text: String = r.try_get(i)?;
        serde_json::from_str(&text).map_err(|e| corrupt("connections", column, e.to_string()))
    }
    let declared: String = r.try_get(12)?;
    Ok(ConnectionRow {
        name: r.try_get(0)?,
        plugin_path: r.try_get(1)?,
        plugin_hash: r.try_get(2)?,
        settings: json(r, 3, "settings_json")?,
        secrets: json(r, 4, "secret_refs_json")?,
        stream_intervals: json(r, 5, "stream_intervals_json")?,
        created_at: r.try_get(6)?,
        updated_at: r.try_get(7)?,
        extra_allowed_hosts: json(r, 8, "extra_allowed_hosts_json")?,
        granted_api_hosts: json(r, 9, "granted_api_hosts_json")?,
        granted_token_url: r.try_get(10)?,
        limits: json(r, 11, "limits_json")?,
        plugin_declared: if declared.trim() == "{}" {
            Default::default()
        } else {
            json(r, 12, "plugin_declared_json")?
        },
        tenant: r.try_get(13)?,
        paused_at: r.try_get(14)?,
    })
}

pub(crate) async fn get(db: &mut PgConnection, name: &str) -> Result<Option<ConnectionRow>, Error> {
    let row = sqlx::query(AssertSqlSafe(format!("{SELECT} WHERE name = $1")))
        .bind(name)
        .fetch_optional(&mut *db)
        .await?;
    row.as_ref().map(decode).transpose()
}

pub(crate) async fn all(db: &mut PgConnection) -> Result<Vec<ConnectionRow>, Error> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "{SELECT} ORDER BY name COLLATE \"C\""
    )))
    .fetch_all(&mut *db)
    .await?;
    rows.iter().map(decode).collect()
}

/// Tables holding a connection's data in a `conn` column.
const CONNECTION_TABLES: [&str; 17] = [
    "record_errors",
    "candidate_keys",
    "attachments",
    "application_status_history",
    "applications",
    "candidates",
    "jobs",
    "statuses",
    "folders",
    "stream_state",
    "runs",
    "reconcile_scans",
    "idempotency",
    "duplicate_links",
    "candidate_clusters",
    "rejection_reasons",
    "stream_leases",
];

/// Deletes a connection's row and every record and state kept for it, in one transaction.
/// The quota ledger stays: it holds counts, no secret, and the ATS's quota outlives the row.
pub(crate) async fn delete(db: &mut PgConnection, name: &str) -> Result<bool, Error> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "DELETE FROM reconcile_seen WHERE scan_id IN \
         (SELECT scan_id FROM reconcile_scans WHERE conn = $1)",
    )
    .bind(name)
    .execute(&mut *tx)
    .await?;
    for table in CONNECTION_TABLES {
        sqlx::query(AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE conn = $1"
        )))
        .bind(name)
        .execute(&mut *tx)
        .await?;
    }
    let removed = sqlx::query("DELETE FROM connections WHERE name = $1")
        .bind(name)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        > 0;
    tx.commit().await?;
    Ok(removed)
}
