//! The sandbox's trust boundary through the real `ats` binary, with the hostile connector
//! (`tests/fixtures/hostile-connector`) and a loopback server that echoes what it receives:
//! nothing is granted without the operator, a swapped plugin does not run, and no command
//! prints a credential.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Arc, Mutex};

const API_KEY: &str = "cli-hostile-api-key-0123456789";
const PASSWORD: &str = "cli-hostile-password-0123";
/// `base64("ann:" + PASSWORD)`.
const BASIC_BASE64: &str = "YW5uOmNsaS1ob3N0aWxlLXBhc3N3b3JkLTAxMjM=";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn component(name: &str) -> PathBuf {
    let path = workspace().join(format!("target/wasm32-wasip2/release/{name}.wasm"));
    assert!(
        path.is_file(),
        "{} is missing: run `cargo xtask build-plugins` first",
        path.display()
    );
    path
}

fn ats(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_ats"))
        .arg("--data-dir")
        .arg(dir.join("data"))
        .arg("--cache-dir")
        .arg(workspace().join("target/e2e-component-cache"))
        .args(args)
        .output()
        .expect("run ats")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A loopback server that records each request line and echoes the request headers back in
/// the body and as `x-echo-*` headers.
struct EchoServer {
    port: u16,
    seen: Arc<Mutex<Vec<String>>>,
}

impl EchoServer {
    fn start() -> EchoServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let log = log.clone();
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut line = String::new();
                    if reader.read_line(&mut line).is_err() {
                        return;
                    }
                    let mut headers = Vec::new();
                    let mut length = 0usize;
                    loop {
                        let mut header = String::new();
                        if reader.read_line(&mut header).is_err() || header.trim().is_empty() {
                            break;
                        }
                        if let Some((n, v)) = header.trim().split_once(':') {
                            if n.eq_ignore_ascii_case("content-length") {
                                length = v.trim().parse().unwrap_or(0);
                            }
                            headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
                        }
                    }
                    let mut body = vec![0u8; length];
                    let _ = reader.read_exact(&mut body);
                    log.lock().unwrap().push(line.trim().to_string());
                    let echoed: String =
                        headers.iter().map(|(n, v)| format!("{n}: {v}\n")).collect();
                    let mut head = format!(
                        "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n",
                        echoed.len()
                    );
                    for (n, v) in &headers {
                        head.push_str(&format!("x-echo-{n}: {v}\r\n"));
                    }
                    head.push_str("\r\n");
                    let _ = stream.write_all(head.as_bytes());
                    let _ = stream.write_all(echoed.as_bytes());
                });
            }
        });
        EchoServer { port, seen }
    }

    fn authority(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn requests(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

/// Writes a connection file for the hostile connector (copied into `dir`, so a test may swap
/// it) in `mode`, with `grant` as its `[grant]` section (empty: none).
fn connection_file(dir: &Path, server: &EchoServer, mode: &str, auth: &str, grant: &str) -> String {
    let plugin = dir.join("hostile.wasm");
    if !plugin.exists() {
        std::fs::copy(component("hostile_connector"), &plugin).unwrap();
    }
    std::fs::write(dir.join("api-key"), API_KEY).unwrap();
    std::fs::write(dir.join("password"), PASSWORD).unwrap();
    let (extra, secret) = match auth {
        "basic" => ("username = \"ann\"\n", "password = { file = \"password\" }"),
        _ => ("", "api-key = { file = \"api-key\" }"),
    };
    let file = dir.join("hostile.toml");
    std::fs::write(
        &file,
        format!(
            "name = \"hostile\"\nplugin = \"hostile.wasm\"\n{grant}[settings]\nmode = \"{mode}\"\nauth = \"{auth}\"\napi-host = \"{}\"\n{extra}[secrets]\n{secret}\n",
            server.authority()
        ),
    )
    .unwrap();
    file.display().to_string()
}

fn grant(server: &EchoServer) -> String {
    format!("[grant]\napi_hosts = [\"http://{}\"]\n", server.authority())
}

#[test]
fn connect_without_a_grant_is_refused_and_shows_what_the_plugin_asks() {
    let dir = tempfile::tempdir().unwrap();
    let server = EchoServer::start();
    let file = connection_file(dir.path(), &server, "well-behaved", "api-key", "");
    let outcome = ats(dir.path(), &["connect", &file]);
    let shown = text(&outcome);
    assert_eq!(outcome.status.code(), Some(1), "{shown}");
    assert!(shown.contains("has no [grant]"), "{shown}");
    assert!(
        shown.contains(&server.authority()),
        "the hosts asked for are shown: {shown}"
    );
    assert!(
        server.requests().is_empty(),
        "nothing was sent before a grant"
    );
}

#[test]
fn a_swapped_plugin_is_refused_until_it_is_connected_again() {
    let dir = tempfile::tempdir().unwrap();
    let server = EchoServer::start();
    let file = connection_file(
        dir.path(),
        &server,
        "well-behaved",
        "api-key",
        &grant(&server),
    );
    let connected = ats(dir.path(), &["connect", &file]);
    assert!(connected.status.success(), "{}", text(&connected));
    assert!(
        text(&connected).contains(&format!(
            "credentials may go to http://{}",
            server.authority()
        )),
        "connect shows the grant: {}",
        text(&connected)
    );
    let synced = ats(dir.path(), &["sync", "hostile"]);
    assert!(synced.status.success(), "{}", text(&synced));
    let before = server.requests().len();

    // Someone replaces the component the connection was made with.
    std::fs::copy(component("sandbox_probe"), dir.path().join("hostile.wasm")).unwrap();
    let refused = ats(dir.path(), &["sync", "hostile"]);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("changed since it was connected"),
        "{}",
        text(&refused)
    );
    assert_eq!(
        server.requests().len(),
        before,
        "the swapped plugin made no request"
    );

    // Connecting again shows what changed.
    let again = ats(dir.path(), &["connect", &file, "--allow-missing"]);
    let shown = text(&again);
    assert!(
        shown.contains("The plugin changed since this connection was saved"),
        "{shown}"
    );
    assert!(
        shown.contains("id: hostile-connector -> sandbox-probe"),
        "{shown}"
    );
}

#[test]
fn check_never_prints_an_echoed_credential() {
    for auth in ["api-key", "basic"] {
        let dir = tempfile::tempdir().unwrap();
        let server = EchoServer::start();
        let file = connection_file(dir.path(), &server, "echo-in-check", auth, &grant(&server));
        for json in [false, true] {
            let mut args = vec!["check", "--connection", &file];
            if json {
                args.push("--json");
            }
            let outcome = ats(dir.path(), &args);
            let shown = text(&outcome);
            assert!(outcome.status.success(), "{auth}: {shown}");
            for secret in [API_KEY, PASSWORD, BASIC_BASE64] {
                assert!(
                    !shown.contains(secret),
                    "{auth}: `check` shows {secret}: {shown}"
                );
            }
            assert!(
                shown.contains("[redacted]"),
                "{auth}: the echo was there: {shown}"
            );
        }
    }
}

#[test]
fn errors_and_logs_never_print_an_echoed_credential_nor_megabytes() {
    let dir = tempfile::tempdir().unwrap();
    let server = EchoServer::start();
    for (mode, auth) in [("echo-in-error", "basic"), ("huge-error", "api-key")] {
        let file = connection_file(dir.path(), &server, mode, auth, &grant(&server));
        let connected = ats(dir.path(), &["connect", &file]);
        assert!(connected.status.success(), "{}", text(&connected));
        let outcome = ats(dir.path(), &["-v", "sync", "hostile"]);
        let shown = text(&outcome);
        assert!(!outcome.status.success(), "{mode}: {shown}");
        for secret in [API_KEY, PASSWORD, BASIC_BASE64] {
            assert!(!shown.contains(secret), "{mode}: output shows {secret}");
        }
        assert!(
            shown.len() < 1 << 20,
            "{mode}: {} bytes of output for one failing sync",
            shown.len()
        );
    }
}
