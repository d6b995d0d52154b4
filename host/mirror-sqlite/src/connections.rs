//! Connection configuration rows. Secrets are stored as references only (`SecretRef`).

use crate::Error;
use ats_mirror::{ConnectionRow, MirrorError};
use rusqlite::{Connection, OptionalExtension, Row, params};

pub(crate) fn upsert(db: &Connection, c: &ConnectionRow) -> Result<(), Error> {
    db.prepare_cached(
        "INSERT INTO connections (name, plugin_path, plugin_hash, settings_json, secret_refs_json, \
         stream_intervals_json, created_at, updated_at, extra_allowed_hosts_json, \
         granted_api_hosts_json, granted_token_url, limits_json, plugin_declared_json, tenant, \
         paused_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) \
         ON CONFLICT (name) DO UPDATE SET plugin_path = excluded.plugin_path, \
         plugin_hash = excluded.plugin_hash, settings_json = excluded.settings_json, \
         secret_refs_json = excluded.secret_refs_json, \
         stream_intervals_json = excluded.stream_intervals_json, updated_at = excluded.updated_at, \
         extra_allowed_hosts_json = excluded.extra_allowed_hosts_json, \
         granted_api_hosts_json = excluded.granted_api_hosts_json, \
         granted_token_url = excluded.granted_token_url, limits_json = excluded.limits_json, \
         plugin_declared_json = excluded.plugin_declared_json, tenant = excluded.tenant, \
         paused_at = excluded.paused_at",
    )?
    .execute(params![
        c.name,
        c.plugin_path,
        c.plugin_hash,
        serde_json::to_string(&c.settings)?,
        serde_json::to_string(&c.secrets)?,
        serde_json::to_string(&c.stream_intervals)?,
        c.created_at,
        c.updated_at,
        serde_json::to_string(&c.extra_allowed_hosts)?,
        serde_json::to_string(&c.granted_api_hosts)?,
        c.granted_token_url,
        serde_json::to_string(&c.limits)?,
        serde_json::to_string(&c.plugin_declared)?,
        c.tenant,
        c.paused_at,
    ])?;
    Ok(())
}

const SELECT: &str = "SELECT name, plugin_path, plugin_hash, settings_json, secret_refs_json, \
     stream_intervals_json, created_at, updated_at, extra_allowed_hosts_json, \
     granted_api_hosts_json, granted_token_url, limits_json, plugin_declared_json, tenant, paused_at FROM connections";

/// The columns as stored: text, JSON text and times.
struct RawRow {
    name: String,
    plugin_path: String,
    plugin_hash: String,
    settings: String,
    secrets: String,
    intervals: String,
    created_at: i64,
    updated_at: i64,
    hosts: String,
    granted: String,
    token_url: Option<String>,
    limits: String,
    declared: String,
    tenant: String,
    paused_at: Option<i64>,
}

fn raw_row(r: &Row<'_>) -> rusqlite::Result<RawRow> {
    Ok(RawRow {
        name: r.get(0)?,
        plugin_path: r.get(1)?,
        plugin_hash: r.get(2)?,
        settings: r.get(3)?,
        secrets: r.get(4)?,
        intervals: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
        hosts: r.get(8)?,
        granted: r.get(9)?,
        token_url: r.get(10)?,
        limits: r.get(11)?,
        declared: r.get(12)?,
        tenant: r.get(13)?,
        paused_at: r.get(14)?,
    })
}

fn decode(raw: RawRow) -> Result<ConnectionRow, Error> {
    let corrupt = |column: &'static str| {
        move |e: serde_json::Error| MirrorError::Corrupt {
            table: "connections",
            column,
            detail: e.to_string(),
        }
    };
    // Rows from before version 5 hold `{}`: no declaration kept.
    let declared = if raw.declared.trim() == "{}" {
        Default::default()
    } else {
        serde_json::from_str(&raw.declared).map_err(corrupt("plugin_declared_json"))?
    };
    Ok(ConnectionRow {
        name: raw.name,
        tenant: raw.tenant,
        paused_at: raw.paused_at,
        plugin_path: raw.plugin_path,
        plugin_hash: raw.plugin_hash,
        plugin_declared: declared,
        settings: serde_json::from_str(&raw.settings).map_err(corrupt("settings_json"))?,
        secrets: serde_json::from_str(&raw.secrets).map_err(corrupt("secret_refs_json"))?,
        stream_intervals: serde_json::from_str(&raw.intervals)
            .map_err(corrupt("stream_intervals_json"))?,
        granted_api_hosts: serde_json::from_str(&raw.granted)
            .map_err(corrupt("granted_api_hosts_json"))?,
        granted_token_url: raw.token_url,
        extra_allowed_hosts: serde_json::from_str(&raw.hosts)
            .map_err(corrupt("extra_allowed_hosts_json"))?,
        limits: serde_json::from_str(&raw.limits).map_err(corrupt("limits_json"))?,
        created_at: raw.created_at,
        updated_at: raw.updated_at,
    })
}

pub(crate) fn get(db: &Connection, name: &str) -> Result<Option<ConnectionRow>, Error> {
    let raw = db
        .prepare_cached(&format!("{SELECT} WHERE name = ?1"))?
        .query_row([name], raw_row)
        .optional()?;
    raw.map(decode).transpose()
}

pub(crate) fn all(db: &Connection) -> Result<Vec<ConnectionRow>, Error> {
    let mut stmt = db.prepare_cached(&format!("{SELECT} ORDER BY name"))?;
    let raws = stmt
        .query_map([], raw_row)?
        .collect::<Result<Vec<_>, _>>()?;
    raws.into_iter().map(decode).collect()
}

/// Tables holding a connection's data in a `conn` column, children before parents (deleting
/// applications and candidates fires the facet triggers).
const CONNECTION_TABLES: [&str; 16] = [
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
    "record_errors",
];

/// Deletes a connection's row and every record and state kept for it, in one transaction.
/// The quota ledger stays (see `0006_quota_ledgers.sql`): it holds counts, no secret.
pub(crate) fn delete(db: &mut Connection, name: &str) -> Result<bool, Error> {
    let tx = db.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute(
        "DELETE FROM candidates_fts WHERE rowid IN (SELECT rid FROM candidates WHERE conn = ?1)",
        [name],
    )?;
    tx.execute(
        "DELETE FROM reconcile_seen WHERE scan_id IN \
         (SELECT scan_id FROM reconcile_scans WHERE conn = ?1)",
        [name],
    )?;
    for table in CONNECTION_TABLES {
        tx.execute(&format!("DELETE FROM {table} WHERE conn = ?1"), [name])?;
    }
    let removed = tx.execute("DELETE FROM connections WHERE name = ?1", [name])? > 0;
    tx.commit()?;
    Ok(removed)
}
