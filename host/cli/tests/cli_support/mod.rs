//! What every test of the `ats` binary needs: the workspace, the built iCIMS component, and an
//! `ats` command on a data folder.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use tokio::process::Command;

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn component() -> PathBuf {
    let path = workspace().join("target/wasm32-wasip2/release/icims_connector.wasm");
    assert!(
        path.is_file(),
        "{} is missing: run `cargo xtask build-plugins` first",
        path.display()
    );
    path
}

/// An `ats` command on `data`, its output captured.
pub fn ats(data: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ats"));
    command
        .arg("--data-dir")
        .arg(data)
        // The compiled-component cache the end-to-end tests share (entries are written to a
        // temporary file and renamed).
        .arg("--cache-dir")
        .arg(workspace().join("target/e2e-component-cache"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

/// Runs `command`; its stdout, or a panic with what it said.
pub async fn ok(mut command: Command) -> String {
    let out = command.output().await.unwrap();
    assert!(out.status.success(), "{}", says(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Exit status, stdout and stderr, for assertion messages.
pub fn says(output: &Output) -> String {
    format!(
        "{}\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The URL a started `ats serve` prints as its first line (its stdout is taken for it), waiting
/// at most `within`.
pub async fn served_url(server: &mut tokio::process::Child, within: std::time::Duration) -> String {
    use tokio::io::AsyncBufReadExt;
    let stdout = server.stdout.take().expect("ats serve's stdout is piped");
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let line = tokio::time::timeout(within, lines.next_line())
        .await
        .unwrap_or_else(|_| panic!("ats serve prints its address within {within:?}"))
        .unwrap()
        .expect("ats serve prints its address");
    line.strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {line}"))
        .to_string()
}
