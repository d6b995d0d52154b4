//! Connection configuration rows. Secrets are stored as references only (`SecretRef`).

use crate::{ConnectionRow, MirrorError};
use rusqlite::{Connection, OptionalExtension, Row, params};

pub(crate) fn upsert(db: &Connection, c: &ConnectionRow) -> Result<(), MirrorError> {
    db.prepare_cached(
        "INSERT INTO connections (name, plugin_path, plugin_hash, settings_json, secret_refs_json, \
         stream_intervals_json, created_at, updated_at, extra_allowed_hosts_json) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
         ON CONFLICT (name) DO UPDATE SET plugin_path = excluded.plugin_path, \
         plugin_hash = excluded.plugin_hash, settings_json = excluded.settings_json, \
         secret_refs_json = excluded.secret_refs_json, \
         stream_intervals_json = excluded.stream_intervals_json, updated_at = excluded.updated_at, \
         extra_allowed_hosts_json = excluded.extra_allowed_hosts_json",
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
    ])?;
    Ok(())
}

const SELECT: &str = "SELECT name, plugin_path, plugin_hash, settings_json, secret_refs_json, \
     stream_intervals_json, created_at, updated_at, extra_allowed_hosts_json FROM connections";

type RawRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    String,
);

fn raw_row(r: &Row<'_>) -> rusqlite::Result<RawRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
    ))
}

fn decode(raw: RawRow) -> Result<ConnectionRow, MirrorError> {
    let corrupt = |column: &'static str| {
        move |e: serde_json::Error| MirrorError::Corrupt {
            table: "connections",
            column,
            detail: e.to_string(),
        }
    };
    let (
        name,
        plugin_path,
        plugin_hash,
        settings,
        secrets,
        intervals,
        created_at,
        updated_at,
        hosts,
    ) = raw;
    Ok(ConnectionRow {
        name,
        plugin_path,
        plugin_hash,
        settings: serde_json::from_str(&settings).map_err(corrupt("settings_json"))?,
        secrets: serde_json::from_str(&secrets).map_err(corrupt("secret_refs_json"))?,
        stream_intervals: serde_json::from_str(&intervals)
            .map_err(corrupt("stream_intervals_json"))?,
        extra_allowed_hosts: serde_json::from_str(&hosts)
            .map_err(corrupt("extra_allowed_hosts_json"))?,
        created_at,
        updated_at,
    })
}

pub(crate) fn get(db: &Connection, name: &str) -> Result<Option<ConnectionRow>, MirrorError> {
    let raw = db
        .prepare_cached(&format!("{SELECT} WHERE name = ?1"))?
        .query_row([name], raw_row)
        .optional()?;
    raw.map(decode).transpose()
}

pub(crate) fn all(db: &Connection) -> Result<Vec<ConnectionRow>, MirrorError> {
    let mut stmt = db.prepare_cached(&format!("{SELECT} ORDER BY name"))?;
    let raws = stmt
        .query_map([], raw_row)?
        .collect::<Result<Vec<_>, _>>()?;
    raws.into_iter().map(decode).collect()
}
