//! Secrets stay in the host: the plugin cannot read them through `wasi:config`, and they never
//! appear in the logs, even when the plugin logs what it got.

use ats_runtime::{ConnectionSpec, MemoryStorage, NoObserver};
use e2e_tests::runtime_fixtures::*;
use std::sync::Arc;

#[tokio::test(flavor = "current_thread")]
async fn a_secret_is_invisible_to_the_plugin_and_the_logs() {
    let (logs, _guard) = LogCapture::install();
    let cache = tempfile::tempdir().unwrap();
    let runtime = runtime_in(cache.path(), |_| {});
    let plugin = probe_plugin(&runtime);
    let secret = "s3cr3t-Value-Never-Logged";
    let spec = ConnectionSpec {
        secrets: secrets(&[("client-secret", secret)]),
        ..probe_spec("secrets", "127.0.0.1")
    };
    assert!(
        !format!("{spec:?}").contains(secret),
        "Debug of the spec shows the secret"
    );
    let connection = runtime
        .connect(
            &plugin,
            spec,
            Arc::new(MemoryStorage::new()),
            Arc::new(NoObserver),
        )
        .await
        .unwrap();

    assert_eq!(
        probe(&connection, "config:client-secret").await.unwrap(),
        "config value: None"
    );
    assert_eq!(
        probe(&connection, "config:api-host").await.unwrap(),
        "config value: Some(\"127.0.0.1\")"
    );
    assert!(!logs.text().is_empty());
    assert!(
        !logs.text().contains(secret),
        "a log line contains the secret:\n{}",
        logs.text()
    );
}
