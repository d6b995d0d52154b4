//! The search index beside a SQLite mirror: it follows every write (a search sees the writes
//! before it), a big backlog is built in the background while FTS5 answers, a second keeper of
//! the file searches with FTS5, and a lost or foreign index is rebuilt from the rows.

use ats_mirror::testsuite::fixtures::*;
use ats_mirror::{MirrorQueries, MirrorStore, SearchQuery};
use ats_mirror_sqlite::{INLINE_MAX, SqliteMirror, index_dir};
use ats_model::RecordKind;

fn q(text: &str) -> SearchQuery {
    SearchQuery {
        text: Some(text.into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn the_index_follows_inserts_changes_and_deletions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.sqlite");
    let m = SqliteMirror::open(&path).unwrap();
    search_fixture(&m).await;
    assert_eq!(search_ids(&m, q("lovelace")).await, ["1", "2"]);
    assert_eq!(m.search_index_docs(), Some(5), "the index answered");
    assert!(index_dir(&path).is_dir());

    let mut ada = candidate("1", "Ada", "Byron", "ada@example.com");
    ada.updated_at = Some(NOW);
    m.upsert_record(CONN, ats_model::AtsRecord::Candidate(ada), NOW)
        .await
        .unwrap();
    assert_eq!(search_ids(&m, q("lovelace")).await, ["2"]);
    assert_eq!(search_ids(&m, q("byron")).await, ["1"]);

    m.mark_deleted(CONN, RecordKind::Candidate, "2", NOW)
        .await
        .unwrap();
    assert!(search_ids(&m, q("lovelace")).await.is_empty());
    assert_eq!(m.search_index_docs(), Some(4));

    // Deleting the connection empties it from the index too.
    m.delete_connection(CONN).await.unwrap();
    assert!(search_ids(&m, q("byron")).await.is_empty());
    assert_eq!(m.search_index_docs(), Some(0));
}

#[tokio::test]
async fn filters_hold_on_the_ranked_matches_and_answers_match_fts5() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.sqlite");
    let m = SqliteMirror::open(&path).unwrap();
    search_fixture(&m).await;
    let fts = SqliteMirror::without_search_index(&path).unwrap();
    let queries = [
        q("rust"),
        q("ada"),
        q("engineer"),
        q("lov*"),
        SearchQuery {
            stages: vec![ats_model::Stage::Interview],
            ..q("rust")
        },
        SearchQuery {
            not_applied_to: vec!["j-rust".into()],
            ..q("engineer")
        },
        SearchQuery {
            folder_ids: vec!["f-active".into()],
            ..q("ada")
        },
        SearchQuery {
            any_text: Some("compiler bletchley".into()),
            ..Default::default()
        },
        SearchQuery {
            updated_from: Some(NOW - 50 * 86_400),
            ..q("rust")
        },
        SearchQuery {
            updated_to: Some(NOW - 50 * 86_400),
            ..q("lovelace")
        },
        // Without words, the index's facets narrow by stage and rejection.
        SearchQuery {
            stages: vec![ats_model::Stage::Interview],
            ..Default::default()
        },
        SearchQuery {
            rejected: Some(true),
            ..Default::default()
        },
        SearchQuery {
            stages: vec![ats_model::Stage::Interview],
            rejected: Some(false),
            ..Default::default()
        },
    ];
    for query in queries {
        let mut indexed = search_ids(&m, query.clone()).await;
        let mut plain = search_ids(&fts, query.clone()).await;
        if query.text.is_none() && query.any_text.is_none() {
            assert_eq!(indexed, plain, "newest first: {query:?}");
        }
        indexed.sort();
        plain.sort();
        assert!(!plain.is_empty(), "{query:?} finds someone");
        assert_eq!(indexed, plain, "{query:?}");
    }
    assert_eq!(m.search_index_docs(), Some(5));
    assert_eq!(fts.search_index_docs(), None);
}

#[tokio::test]
async fn a_backlog_is_built_in_the_background_while_fts5_answers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.sqlite");
    let m = SqliteMirror::open(&path).unwrap();
    let people = INLINE_MAX as usize + 500;
    let list = (0..people)
        .map(|i| {
            candidate(
                &format!("{i}"),
                "Pat",
                &format!("Smith{}", i % 7),
                "p@example.com",
            )
        })
        .collect();
    apply(&m, RecordKind::Candidate, candidates(list), "c", NOW).await;
    let expected = people.div_ceil(7);
    let found = |m: SqliteMirror| async move {
        m.search_candidates(
            CONN,
            &SearchQuery {
                limit: people,
                ..q("smith0")
            },
        )
        .await
        .unwrap()
        .hits
        .len()
    };
    // Too many to build inline: FTS5 answers, and the same.
    assert_eq!(found(m.clone()).await, expected);
    m.catch_up_search_index().await.unwrap();
    assert_eq!(m.search_index_docs(), Some(people as u64));
    assert_eq!(found(m.clone()).await, expected);
}

#[tokio::test]
async fn mirrors_of_one_file_share_its_index_and_a_lost_index_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.sqlite");
    let first = SqliteMirror::open(&path).unwrap();
    search_fixture(&first).await;
    assert_eq!(search_ids(&first, q("turing")).await, ["3"]);
    // In this process, a second mirror of the file shares the index the first keeps.
    let second = SqliteMirror::open(&path).unwrap();
    assert_eq!(search_ids(&second, q("turing")).await, ["3"]);
    assert_eq!(second.search_index_docs(), Some(5));
    // Another process would find it locked and search with FTS5 alone.
    let locked = ats_search_index::SearchIndex::open(&index_dir(&path));
    assert!(matches!(locked, Err(ats_search_index::Error::Busy(_))));
    drop((first, second));

    // The index is gone (deleted, or never copied with the file): rebuilt from the rows.
    std::fs::remove_dir_all(index_dir(&path)).unwrap();
    let reopened = SqliteMirror::open(&path).unwrap();
    assert_eq!(search_ids(&reopened, q("hopper")).await, ["4"]);
    assert_eq!(reopened.search_index_docs(), Some(5));
    drop(reopened);

    // Another mirror's index in its place (the file was replaced): rebuilt, not trusted.
    let other_path = dir.path().join("other.sqlite");
    let other = SqliteMirror::open(&other_path).unwrap();
    apply(
        &other,
        RecordKind::Candidate,
        candidates(vec![candidate("9", "Zed", "Other", "z@example.com")]),
        "c",
        NOW,
    )
    .await;
    assert_eq!(search_ids(&other, q("zed")).await, ["9"]);
    drop(other);
    std::fs::remove_dir_all(index_dir(&path)).unwrap();
    std::fs::rename(index_dir(&other_path), index_dir(&path)).unwrap();
    let reopened = SqliteMirror::open(&path).unwrap();
    assert!(search_ids(&reopened, q("zed")).await.is_empty());
    assert_eq!(search_ids(&reopened, q("hopper")).await, ["4"]);
    assert_eq!(reopened.search_index_docs(), Some(5));
}
