//! The browser the admin pages' tests drive: Debian's `chromium` and `chromium-driver`,
//! installed with apt-get when missing (CI's machine starts without them).

use anyhow::Result;

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
    crate::apt::install(
        &["chromium", "chromium-driver"],
        "the admin pages' browser tests need chromium and chromedriver",
    )
}
