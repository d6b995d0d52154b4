//! A plugin cannot read the host's files or environment, not even variables the host process
//! has set.

use e2e_tests::runtime_fixtures::*;

#[tokio::test]
async fn files_and_environment_are_out_of_reach() {
    // SAFETY: set once, before any thread of this test reads the environment.
    unsafe { std::env::set_var("ATS_SANDBOX_TEST_SECRET", "visible-to-host-only") };
    let cache = tempfile::tempdir().unwrap();
    let runtime = runtime_in(cache.path(), |_| {});
    let plugin = probe_plugin(&runtime);
    let connection = connect_probe(&runtime, &plugin, probe_spec("no-files", "127.0.0.1")).await;

    let passwd = probe(&connection, "read-file:/etc/passwd").await.unwrap();
    assert!(passwd.starts_with("file error"), "{passwd}");
    let relative = probe(&connection, "read-file:Cargo.toml").await.unwrap();
    assert!(relative.starts_with("file error"), "{relative}");

    for var in ["HOME", "PATH", "ATS_SANDBOX_TEST_SECRET"] {
        let answer = probe(&connection, &format!("env:{var}")).await.unwrap();
        assert!(answer.starts_with("env error"), "{var}: {answer}");
    }
}
