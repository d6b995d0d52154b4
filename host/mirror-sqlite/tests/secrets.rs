//! The mirror stores secret references, never secret values.

mod common;

use ats_mirror::{ConnectionRow, MirrorStore, SecretRef};
use ats_model::{AtsRecord, RecordKind};
use common::*;
use std::collections::BTreeMap;

const SECRET_VALUE: &str = "s3cr3t-client-secret-value-42";

#[test]
fn no_table_holds_a_secret_value() {
    let t = mirror();
    let c = ConnectionRow {
        name: CONN.into(),
        plugin_path: "plugins/icims.wasm".into(),
        plugin_hash: "ab12".into(),
        settings: BTreeMap::from([("customer-id".to_string(), "1234".to_string())]),
        secrets: BTreeMap::from([(
            "client-secret".to_string(),
            SecretRef::Env("ICIMS_CLIENT_SECRET".into()),
        )]),
        stream_intervals: BTreeMap::from([("candidates".to_string(), 900)]),
        extra_allowed_hosts: vec!["proxy.example.com:3128".into()],
        granted_api_hosts: vec!["https://api.icims.com".into()],
        granted_token_url: Some("https://login.icims.com/oauth/token".into()),
        limits: BTreeMap::from([("call_cpu_seconds".to_string(), 5)]),
        plugin_declared: ats_mirror::PluginDeclared {
            id: "icims".into(),
            version: "0.1.0".into(),
            ..Default::default()
        },
        created_at: 1,
        updated_at: 1,
    };
    t.mirror.upsert_connection(&c).unwrap();
    apply(
        &t.mirror,
        RecordKind::Candidate,
        candidates(vec![candidate("1", "Ada", "Lovelace", "ada@example.com")]),
        "c",
        10,
    );
    t.mirror
        .upsert_record(
            CONN,
            &AtsRecord::Application(application("a", "1", "j", "s")),
            10,
        )
        .unwrap();

    let stored = t.mirror.connection(CONN).unwrap().unwrap();
    assert_eq!(stored, c);
    let json = rusqlite::Connection::open(t.mirror.path())
        .unwrap()
        .query_row("SELECT secret_refs_json FROM connections", [], |r| {
            r.get::<_, String>(0)
        })
        .unwrap();
    assert_eq!(json, r#"{"client-secret":{"env":"ICIMS_CLIENT_SECRET"}}"#);

    let db = rusqlite::Connection::open(t.mirror.path()).unwrap();
    let tables: Vec<String> = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(tables.len() > 10, "{tables:?}");
    let mut scanned = 0;
    for table in tables {
        let mut stmt = db.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let columns = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for i in 0..columns {
                let value: rusqlite::types::Value = row.get(i).unwrap();
                let text = match value {
                    rusqlite::types::Value::Text(s) => s,
                    rusqlite::types::Value::Blob(b) => String::from_utf8_lossy(&b).into_owned(),
                    _ => continue,
                };
                scanned += 1;
                assert!(!text.contains(SECRET_VALUE), "secret found in {table}");
            }
        }
    }
    assert!(scanned > 10);

    // And not in the bytes of the files either (shadow tables, free pages, the WAL).
    for suffix in ["", "-wal"] {
        let path = format!("{}{suffix}", t.mirror.path().display());
        if let Ok(bytes) = std::fs::read(&path) {
            let found = bytes
                .windows(SECRET_VALUE.len())
                .any(|w| w == SECRET_VALUE.as_bytes());
            assert!(!found, "secret found in {path}");
        }
    }
}
