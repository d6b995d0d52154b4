//! Installing the distribution's packages the tests need (PostgreSQL, Chromium) on a machine
//! that lacks them: `apt-get install`, as root or through sudo, refreshing the package lists
//! once when the install fails (they may be stale or absent on a fresh machine).

use crate::process;
use anyhow::{Context, Result};
use std::process::Command;

/// `apt-get install -y <packages>`; `why` says in the error what needs them.
pub fn install(packages: &[&str], why: &str) -> Result<()> {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let apt = |args: &[&str]| {
        let mut command = if root {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.arg("apt-get");
            sudo
        };
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        process::run(command)
    };
    let mut install = vec!["install", "-y"];
    install.extend_from_slice(packages);
    if apt(&install).is_err() {
        apt(&["update"]).with_context(|| why.to_string())?;
        apt(&install)
            .with_context(|| format!("{why}: install {} yourself", packages.join(" and ")))?;
    }
    Ok(())
}
