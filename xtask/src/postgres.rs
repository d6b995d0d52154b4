//! The PostgreSQL tests start a throwaway server from the distribution's package
//! (`ats-test-postgres`); on a machine without it, `cargo xtask test` installs it first, so those
//! tests run every time instead of being skipped.

use anyhow::{Result, bail};

/// Installs Debian's `postgresql` package when `initdb` cannot be found.
pub fn ensure_installed() -> Result<()> {
    if ats_test_postgres::find_bin_dir().is_ok() {
        return Ok(());
    }
    eprintln!("PostgreSQL's initdb is missing: installing the distribution's package");
    crate::apt::install(
        &["postgresql"],
        "the PostgreSQL tests need initdb and pg_ctl",
    )?;
    if let Err(e) = ats_test_postgres::find_bin_dir() {
        bail!("installed postgresql, but still: {e}");
    }
    Ok(())
}
