//! The PostgreSQL tests start a throwaway server from the distribution's package
//! (`ats-test-postgres`); on a machine without it, `cargo xtask test` installs it first, so those
//! tests run every time instead of being skipped.

use crate::process;
use anyhow::{Result, bail};
use std::process::Command;

/// Installs Debian's `postgresql` package when `initdb` cannot be found.
pub fn ensure_installed() -> Result<()> {
    if ats_test_postgres::find_bin_dir().is_ok() {
        return Ok(());
    }
    eprintln!("PostgreSQL's initdb is missing: installing the distribution's package");
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
    // Package lists may be stale or absent on a fresh machine: refresh them once on failure.
    if apt(&["install", "-y", "postgresql"]).is_err() {
        apt(&["update"])?;
        apt(&["install", "-y", "postgresql"])?;
    }
    if let Err(e) = ats_test_postgres::find_bin_dir() {
        bail!("installed postgresql, but still: {e}");
    }
    Ok(())
}
