//! Building the guest components for `wasm32-wasip2`.

use crate::process;
use anyhow::{Context, Result};
use std::process::Command;

pub const TARGET: &str = "wasm32-wasip2";

/// Every guest component in the workspace, by package name.
pub const GUESTS: &[&str] = &[
    "icims-connector",
    "sandbox-probe",
    "hostile-connector",
    "template-connector",
    "broken-connector",
];

/// Installs the target when missing, then builds all guests in release mode, once.
pub fn build() -> Result<()> {
    ensure_target()?;
    let mut args = vec!["build", "--release", "--target", TARGET];
    for guest in GUESTS {
        args.extend(["-p", guest]);
    }
    process::cargo(&args)
}

fn ensure_target() -> Result<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .current_dir(process::workspace_root())
        .output()
        .context("cannot run rustup: install it from https://rustup.rs")?;
    if String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|line| line.trim() == TARGET)
    {
        return Ok(());
    }
    let mut add = Command::new("rustup");
    add.args(["target", "add", TARGET])
        .current_dir(process::workspace_root());
    process::run(add)
}
