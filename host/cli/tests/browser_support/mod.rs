//! A real headless Chromium for the admin pages' tests, driven over WebDriver (the Debian
//! packages `chromium` and `chromium-driver`; `cargo xtask test` installs them when missing).
//! Each browser has its own chromedriver on a free loopback port and a fresh profile folder.

#![allow(dead_code)]

use crate::cli_support::workspace;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

pub struct Browser {
    pub client: Client,
    /// The service's base URL (`http://127.0.0.1:PORT`).
    pub base: String,
    test: &'static str,
    shots: usize,
    _driver: Child,
    _profile: tempfile::TempDir,
}

fn on_path(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|p| p.is_file())
    })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// Where screenshots go: `target/screenshots/` of the workspace.
pub fn screenshots() -> PathBuf {
    let dir = workspace().join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

impl Browser {
    /// A headless Chromium pointed at the service at `base`; `test` names its screenshots.
    pub async fn start(test: &'static str, base: &str) -> Browser {
        let driver_path = on_path("chromedriver").unwrap_or_else(|| {
            panic!("chromedriver is not installed: `apt-get install -y chromium chromium-driver` (cargo xtask test installs them)")
        });
        let chromium = on_path("chromium").unwrap_or_else(|| {
            panic!("chromium is not installed: `apt-get install -y chromium chromium-driver` (cargo xtask test installs them)")
        });
        let port = free_port();
        let driver = Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().unwrap();
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                    "--window-size=1280,1600",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!()
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let started = Instant::now();
        let client = loop {
            match ClientBuilder::new(connector.clone())
                .capabilities(capabilities.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => break client,
                Err(e) if started.elapsed() < Duration::from_secs(60) => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                Err(e) => {
                    panic!("chromedriver on port {port} did not start a browser in 60 s: {e}")
                }
            }
        };
        Browser {
            client,
            base: base.to_string(),
            test,
            shots: 0,
            _driver: driver,
            _profile: profile,
        }
    }

    /// Opens `path` of the service.
    pub async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|e| panic!("cannot open {path}: {e}"));
    }

    pub async fn path(&self) -> String {
        self.client.current_url().await.unwrap().path().to_string()
    }

    /// Waits (up to 10 s) until the page's path is `path`: a click that posts or follows a
    /// link returns before the next page has loaded.
    pub async fn wait_for_path(&self, path: &str) {
        let mut seen = String::new();
        for _ in 0..200 {
            seen = self.path().await;
            if seen == path {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the browser stayed on `{seen}`, not `{path}`");
    }

    /// The visible text of the first element `css` finds.
    pub async fn text(&self, css: &str) -> String {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no `{css}` on {}: {e}", self.base))
            .text()
            .await
            .unwrap()
    }

    /// Waits (up to 10 s) until an element `css` finds shows `needle`: a click returns before
    /// the page it posts to has loaded.
    pub async fn wait_for_text(&self, css: &str, needle: &str) {
        for _ in 0..200 {
            if self.texts(css).await.iter().any(|t| t.contains(needle)) {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("`{css}` never showed `{needle}` on {}", self.base);
    }

    /// Waits (up to `within`) until `script`, run in the page, returns `true`: for what the
    /// page changes by itself (its live part, fetched again while a sync runs).
    pub async fn wait_for_script(&self, script: &str, within: Duration, what: &str) {
        let started = Instant::now();
        loop {
            // A swap in progress can make the script throw: that is not yet, not a failure.
            if let Ok(Value::Bool(true)) = self.client.execute(script, vec![]).await {
                return;
            }
            assert!(
                started.elapsed() < within,
                "the page did not show {what} within {within:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The visible text of every element `css` finds.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let mut out = Vec::new();
        // An element can vanish as the page reloads: that is no text, not a failure.
        for e in self
            .client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_default()
        {
            if let Ok(text) = e.text().await {
                out.push(text);
            }
        }
        out
    }

    /// An attribute of every element `css` finds.
    pub async fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        let mut out = Vec::new();
        for e in self.client.find_all(Locator::Css(css)).await.unwrap() {
            out.extend(e.attr(attr).await.unwrap());
        }
        out
    }

    /// Clicks a link or button and waits (up to 10 s) for the page it loads: every click on
    /// these pages navigates (their one script only refreshes a live part), and reading the next page before it has
    /// replaced this one finds stale elements or the old text.
    pub async fn click(&self, css: &str) {
        let old = self.client.find(Locator::Css("html")).await.unwrap();
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no `{css}` to click: {e}"))
            .click()
            .await
            .unwrap();
        for _ in 0..200 {
            if old.tag_name().await.is_err() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("clicking `{css}` on {} loaded no page", self.base);
    }

    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.client.find(Locator::Css(css)).await.unwrap();
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    pub async fn source(&self) -> String {
        self.client.source().await.unwrap()
    }

    /// Signs in with `token` on the sign-in page.
    pub async fn sign_in(&self, token: &str) {
        self.open("/admin/login").await;
        self.fill("#token", token).await;
        self.click("#sign-in").await;
    }

    /// Runs `script` in the page (a returned promise is awaited) with `args`.
    pub async fn run(&self, script: &str, args: Vec<Value>) -> Value {
        self.client.execute(script, args).await.unwrap()
    }

    /// Saves what the browser shows as `target/screenshots/<test>-<n>-<what>.png`.
    pub async fn screenshot(&mut self, what: &str) -> PathBuf {
        self.shots += 1;
        let png = self.client.screenshot().await.unwrap();
        let path = screenshots().join(format!("{}-{:02}-{what}.png", self.test, self.shots));
        std::fs::write(&path, png).unwrap();
        path
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

/// Reloads `path` until `ready` holds of the page's source, for at most `within`.
pub async fn reload_until(
    browser: &Browser,
    path: &str,
    within: Duration,
    what: &str,
    ready: impl Fn(&str) -> bool,
) -> String {
    let started = Instant::now();
    loop {
        browser.open(path).await;
        let source = browser.source().await;
        if ready(&source) {
            return source;
        }
        assert!(
            started.elapsed() < within,
            "{path} did not show {what} within {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
