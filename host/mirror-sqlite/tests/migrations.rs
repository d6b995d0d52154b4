//! Opening creates the schema, re-opening keeps data, and a newer file is refused.

mod common;

use ats_mirror::{MirrorError, MirrorQueries, MirrorStore, SearchQuery};
use ats_mirror_sqlite::{SCHEMA_VERSION, SqliteMirror};
use ats_model::RecordKind;
use common::*;

fn user_version(path: &std::path::Path) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn empty_file_is_migrated_to_the_current_version_and_reopens_with_its_data() {
    let t = mirror();
    let path = t.mirror.path().to_path_buf();
    apply(
        &t.mirror,
        RecordKind::Candidate,
        candidates(vec![candidate("1", "Ada", "Lovelace", "ada@example.com")]),
        "c1",
        10,
    )
    .await;
    drop(t.mirror);
    assert_eq!(user_version(&path), SCHEMA_VERSION);
    let journal: String = rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal");

    let reopened = SqliteMirror::open(&path).unwrap();
    assert_eq!(
        reopened.ids(CONN, RecordKind::Candidate).await.unwrap(),
        vec!["1"]
    );
    assert_eq!(user_version(&path), SCHEMA_VERSION);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_from_a_newer_host_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mirror.db");
    drop(SqliteMirror::open(&path).unwrap());
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let err = SqliteMirror::open(&path).err().expect("must refuse");
    assert!(matches!(err, MirrorError::SchemaTooNew { found, known }
        if found == SCHEMA_VERSION + 1 && known == SCHEMA_VERSION));
    assert!(err.to_string().contains("newer than this host"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn upgrading_fills_the_source_detail_of_existing_candidates_and_applications() {
    let t = mirror();
    let path = t.mirror.path().to_path_buf();
    let mut hedy = candidate("1", "Hedy", "Lamarr", "hedy@example.com");
    hedy.source = Some("Other".into());
    hedy.source_detail = Some("Talent platform".into());
    apply(
        &t.mirror,
        RecordKind::Candidate,
        candidates(vec![hedy]),
        "c1",
        10,
    )
    .await;
    // Grace applied through a workflow whose source detail only the application holds.
    let mut grace = candidate("2", "Grace", "Hopper", "grace@example.com");
    grace.source = None;
    apply(
        &t.mirror,
        RecordKind::Candidate,
        candidates(vec![grace]),
        "c2",
        10,
    )
    .await;
    let mut applied = application("a2", "2", "j1", "new");
    applied.source_detail = Some("Applicant from previous year".into());
    apply(
        &t.mirror,
        RecordKind::Application,
        applications(vec![applied]),
        "a1",
        10,
    )
    .await;
    drop(t.mirror);
    // Take the file back to version 3: no `source_detail` column, the version 3 indexes, none
    // of version 5's connection columns, no version 6 quota ledgers, no version 7 tenants, none
    // of version 8's record errors and stream health, no version 10 application source detail
    // (version 9 replaces its triggers whatever they were), no résumé-text index (file 0011),
    // no run progress (0012), no search change log (0013).
    let db = rusqlite::Connection::open(&path).unwrap();
    db.execute_batch(
        "DROP TRIGGER candidate_facets_search_insert;
         DROP TRIGGER candidate_facets_search_delete;
         DROP TRIGGER candidates_search_insert;
         DROP TRIGGER candidates_search_update;
         DROP TRIGGER candidates_search_delete;
         DROP TABLE search_index_state;
         DROP TABLE search_changes;
         DROP INDEX attachments_text_due;
         DROP TABLE record_errors;
         ALTER TABLE stream_state DROP COLUMN run_records;
         ALTER TABLE stream_state DROP COLUMN run_requests;
         ALTER TABLE stream_state DROP COLUMN run_busy_ms;
         ALTER TABLE runs DROP COLUMN record_errors;
         ALTER TABLE stream_state DROP COLUMN unstamped_records;
         ALTER TABLE stream_state DROP COLUMN unstamped_runs;
         ALTER TABLE applications DROP COLUMN source_detail;
         DROP TABLE api_tokens;
         DROP INDEX connections_by_tenant;
         ALTER TABLE connections DROP COLUMN tenant;
         ALTER TABLE connections DROP COLUMN paused_at;
         DROP TABLE quota_ledgers;
         ALTER TABLE connections DROP COLUMN granted_api_hosts_json;
         ALTER TABLE connections DROP COLUMN granted_token_url;
         ALTER TABLE connections DROP COLUMN limits_json;
         ALTER TABLE connections DROP COLUMN plugin_declared_json;
         DROP INDEX candidates_updated;
         DROP INDEX candidates_search;
         ALTER TABLE candidates DROP COLUMN source_detail;
         CREATE INDEX candidates_updated ON candidates (conn, updated_at, rid, deleted_at, id, folder_id, source);
         CREATE INDEX candidates_search ON candidates (rid, conn, deleted_at, updated_at, id, folder_id, source);
         PRAGMA user_version = 3;",
    )
    .unwrap();
    drop(db);

    let upgraded = SqliteMirror::open(&path).unwrap();
    assert_eq!(user_version(&path), SCHEMA_VERSION);
    let found = upgraded
        .search_candidates(
            CONN,
            &SearchQuery {
                source: Some("talent platform".into()),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let ids: Vec<&str> = found.hits.iter().map(|h| h.candidate_id.as_str()).collect();
    assert_eq!(ids, vec!["1"]);
    // Version 10 filled the application's source detail from its stored record.
    let found = upgraded
        .search_candidates(
            CONN,
            &SearchQuery {
                source: Some("applicant from previous year".into()),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let ids: Vec<&str> = found.hits.iter().map(|h| h.candidate_id.as_str()).collect();
    assert_eq!(ids, vec!["2"]);
}
