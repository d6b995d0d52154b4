//! Plugin storage persists across calls and across runtimes over the same SQLite file, and
//! each connection has its own keys.

use ats_mirror_sqlite::SqliteStorage;
use ats_runtime::{NoObserver, PluginStorage};
use e2e_tests::runtime_fixtures::*;
use std::sync::Arc;

#[tokio::test]
async fn storage_survives_calls_and_restarts_and_is_per_connection() {
    let cache = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("plugin-storage.db");
    {
        let runtime = runtime_in(cache.path(), |_| {});
        let plugin = probe_plugin(&runtime);
        let storage: Arc<dyn PluginStorage> = Arc::new(SqliteStorage::open(&file).unwrap());
        let alpha = runtime
            .connect(
                &plugin,
                probe_spec("alpha", "127.0.0.1"),
                storage.clone(),
                Arc::new(NoObserver),
            )
            .await
            .unwrap();
        let beta = runtime
            .connect(
                &plugin,
                probe_spec("beta", "127.0.0.1"),
                storage.clone(),
                Arc::new(NoObserver),
            )
            .await
            .unwrap();
        assert_eq!(
            probe(&alpha, "storage:colour=blue").await.unwrap(),
            "stored: blue"
        );
        assert_eq!(
            probe(&alpha, "storage:size=large").await.unwrap(),
            "stored: large"
        );
        assert_eq!(
            probe(&beta, "storage:colour=red").await.unwrap(),
            "stored: red"
        );
        // A later call of alpha still sees its earlier key, untouched by beta.
        assert_eq!(
            storage.get("alpha", "colour").unwrap(),
            Some(b"blue".to_vec())
        );
        assert_eq!(storage.list_keys("alpha").unwrap(), vec!["colour", "size"]);
        assert_eq!(storage.list_keys("beta").unwrap(), vec!["colour"]);
    }

    // A new runtime over the same file sees what the first one stored.
    let runtime = runtime_in(cache.path(), |_| {});
    let plugin = probe_plugin(&runtime);
    let storage: Arc<dyn PluginStorage> = Arc::new(SqliteStorage::open(&file).unwrap());
    assert_eq!(
        storage.get("alpha", "size").unwrap(),
        Some(b"large".to_vec())
    );
    assert_eq!(
        storage.get("beta", "colour").unwrap(),
        Some(b"red".to_vec())
    );
    let alpha = runtime
        .connect(
            &plugin,
            probe_spec("alpha", "127.0.0.1"),
            storage.clone(),
            Arc::new(NoObserver),
        )
        .await
        .unwrap();
    assert_eq!(
        probe(&alpha, "storage:colour=green").await.unwrap(),
        "stored: green"
    );
    assert_eq!(
        storage.get("beta", "colour").unwrap(),
        Some(b"red".to_vec())
    );
}
