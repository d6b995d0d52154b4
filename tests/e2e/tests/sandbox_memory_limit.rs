//! A plugin that allocates past the memory limit fails that call with a clear error; the same
//! plugin, the same connection and other connections keep working.

use ats_runtime::CallError;
use e2e_tests::runtime_fixtures::*;

#[tokio::test]
async fn allocating_past_the_limit_fails_only_that_call() {
    let cache = tempfile::tempdir().unwrap();
    let limit = 64 << 20;
    let runtime = runtime_in(cache.path(), |c| c.memory_limit_bytes = limit);
    let plugin = probe_plugin(&runtime);
    let first = connect_probe(&runtime, &plugin, probe_spec("memory-a", "127.0.0.1")).await;
    let second = connect_probe(&runtime, &plugin, probe_spec("memory-b", "127.0.0.1")).await;

    assert_eq!(
        probe(&first, "allocate:8").await.unwrap(),
        "allocated 8 MiB"
    );
    match probe(&first, "allocate:200").await {
        Err(CallError::OutOfMemory { limit_bytes }) => assert_eq!(limit_bytes, limit),
        other => panic!("expected out of memory, got {other:?}"),
    }
    let error = probe(&first, "allocate:200").await.unwrap_err();
    assert!(error.to_string().contains("ran out of memory"), "{error}");

    assert_eq!(
        probe(&first, "allocate:8").await.unwrap(),
        "allocated 8 MiB"
    );
    assert_eq!(
        probe(&second, "allocate:16").await.unwrap(),
        "allocated 16 MiB"
    );
}
