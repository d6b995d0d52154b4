//! The browser the admin pages' tests drive: Debian's `chromium` and `chromium-driver`,
//! installed with apt-get when missing (CI's machine starts without them).

use anyhow::{Context, Result, bail};
use std::process::Command;

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// Installs `chromium` and `chromium-driver` unless both are on the PATH.
pub fn ensure() -> Result<()> {
    if on_path("chromium") && on_path("chromedriver") {
        return Ok(());
    }
    eprintln!("chromium or chromedriver is missing: installing the Debian packages");
    let apt = |args: &[&str]| -> Result<()> {
        let status = Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .context("cannot run apt-get (the admin pages' browser tests need chromium and chromium-driver)")?;
        if !status.success() {
            bail!(
                "`apt-get {}` failed with {status}: install chromium and chromium-driver yourself",
                args.join(" ")
            );
        }
        Ok(())
    };
    apt(&["update"])?;
    apt(&["install", "-y", "chromium", "chromium-driver"])
}
