//! The mirror stores secret references, never secret values: no table and no byte of the file
//! holds one. (The suite's `connections::only_secret_references_are_stored` checks the same
//! through the traits, for any backend.)

mod common;

use ats_mirror::MirrorStore;
use ats_model::{AtsRecord, RecordKind};
use common::*;

const SECRET_VALUE: &str = "s3cr3t-client-secret-value-42";

#[tokio::test(flavor = "multi_thread")]
async fn no_table_holds_a_secret_value() {
    let t = mirror();
    let c = connection_row();
    t.mirror.upsert_connection(&c).await.unwrap();
    apply(
        &t.mirror,
        RecordKind::Candidate,
        candidates(vec![candidate("1", "Ada", "Lovelace", "ada@example.com")]),
        "c",
        10,
    )
    .await;
    t.mirror
        .upsert_record(
            CONN,
            AtsRecord::Application(application("a", "1", "j", "s")),
            10,
        )
        .await
        .unwrap();

    let stored = t.mirror.connection(CONN).await.unwrap().unwrap();
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
