//! The `ats` binary fails on bad input with one clear line on stderr and a non-zero exit code,
//! never a panic.

use std::path::Path;
use std::process::Command;

struct Outcome {
    code: Option<i32>,
    stderr: String,
}

fn ats(dir: &Path, args: &[&str]) -> Outcome {
    let output = Command::new(env!("CARGO_BIN_EXE_ats"))
        .args(args)
        .arg("--cache-dir")
        .arg(dir.join("cache"))
        .arg("--data-dir")
        .arg(dir.join("data"))
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LOG")
        .output()
        .expect("ats runs");
    Outcome {
        code: output.status.code(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Non-zero exit, exactly one `error:` line, no panic.
fn assert_one_line_error(outcome: &Outcome, expected: &[&str]) {
    assert_eq!(outcome.code, Some(1), "stderr: {}", outcome.stderr);
    assert!(!outcome.stderr.contains("panicked"), "{}", outcome.stderr);
    let lines: Vec<&str> = outcome.stderr.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "expected one line, got:\n{}",
        outcome.stderr
    );
    assert!(lines[0].starts_with("error: "), "{}", lines[0]);
    for text in expected {
        assert!(
            lines[0].contains(text),
            "`{text}` missing from: {}",
            lines[0]
        );
    }
}

fn connection_file(dir: &Path, text: &str) -> String {
    let path = dir.join("conn.toml");
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn describe_a_missing_plugin() {
    let dir = tempfile::tempdir().unwrap();
    let outcome = ats(dir.path(), &["describe", "no-such-plugin.wasm"]);
    assert_one_line_error(&outcome, &["no-such-plugin.wasm", "does not exist"]);
}

#[test]
fn describe_a_corrupt_plugin() {
    let dir = tempfile::tempdir().unwrap();
    let wasm = dir.path().join("corrupt.wasm");
    std::fs::write(&wasm, b"\0asm\x0d\0\x01\0 and then garbage").unwrap();
    let outcome = ats(dir.path(), &["describe", wasm.to_str().unwrap()]);
    assert_one_line_error(&outcome, &["corrupt.wasm", "not a WebAssembly component"]);

    std::fs::write(&wasm, b"\0asm\x01\0\0\0").unwrap();
    let outcome = ats(dir.path(), &["describe", wasm.to_str().unwrap()]);
    assert_one_line_error(&outcome, &["core WebAssembly module", "wasm32-wasip2"]);
}

#[test]
fn check_with_malformed_toml() {
    let dir = tempfile::tempdir().unwrap();
    let file = connection_file(
        dir.path(),
        "name = \"acme\"\nplugin = \"p.wasm\"\n[settings\ncustomer-id = 1\n",
    );
    let outcome = ats(dir.path(), &["check", "--connection", &file]);
    assert_one_line_error(&outcome, &["conn.toml:3:"]);
}

#[test]
fn check_with_a_missing_secret_variable() {
    let dir = tempfile::tempdir().unwrap();
    let file = connection_file(
        dir.path(),
        "name = \"acme\"\nplugin = \"p.wasm\"\n[secrets]\nclient-secret = { env = \"ATS_CLI_TEST_UNSET_SECRET\" }\n",
    );
    let outcome = ats(dir.path(), &["check", "--connection", &file]);
    assert_one_line_error(&outcome, &["ATS_CLI_TEST_UNSET_SECRET", "client-secret"]);
}

#[test]
fn check_with_an_unreadable_secret_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = connection_file(
        dir.path(),
        "name = \"acme\"\nplugin = \"p.wasm\"\n[secrets]\npassword = { file = \"secrets/missing.txt\" }\n",
    );
    let outcome = ats(dir.path(), &["check", "--connection", &file]);
    assert_one_line_error(&outcome, &["missing.txt", "password"]);
}

#[test]
fn check_with_an_inline_secret() {
    let dir = tempfile::tempdir().unwrap();
    let file = connection_file(
        dir.path(),
        "name = \"acme\"\nplugin = \"p.wasm\"\n[secrets]\nclient-secret = \"hunter2-inline\"\n",
    );
    let outcome = ats(dir.path(), &["check", "--connection", &file]);
    assert_one_line_error(&outcome, &["conn.toml:4:", "client-secret", "env"]);
    assert!(
        !outcome.stderr.contains("hunter2-inline"),
        "{}",
        outcome.stderr
    );
}

#[test]
fn check_with_a_missing_plugin_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = connection_file(
        dir.path(),
        "name = \"acme\"\nplugin = \"plugins/absent.wasm\"\n",
    );
    let outcome = ats(dir.path(), &["check", "--connection", &file]);
    assert_one_line_error(&outcome, &["absent.wasm", "does not exist"]);
}

#[test]
fn check_with_a_missing_connection_file() {
    let dir = tempfile::tempdir().unwrap();
    let outcome = ats(dir.path(), &["check", "--connection", "nowhere.toml"]);
    assert_one_line_error(&outcome, &["nowhere.toml"]);
}
