//! Fixtures for the runtime and sandbox scenarios: a runtime with a throw-away cache, the
//! `sandbox_probe` plugin, a minimal local HTTP server that records what it received, and a
//! log capture.

use ats_model::{AtsRecord, RecordKind};
use ats_runtime::{
    CallError, Connection, ConnectionSpec, HostGrant, MemoryStorage, NoObserver, Plugin, Runtime,
    RuntimeConfig, Secret,
};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A runtime whose compile cache lives in `cache`.
pub fn runtime_in(cache: &std::path::Path, configure: impl FnOnce(&mut RuntimeConfig)) -> Runtime {
    let mut config = RuntimeConfig::new(cache);
    configure(&mut config);
    Runtime::new(config).expect("runtime starts")
}

/// The sandbox probe plugin, loaded into `runtime`.
pub fn probe_plugin(runtime: &Runtime) -> Plugin {
    runtime
        .load_plugin(&crate::plugin_path("sandbox_probe"))
        .expect("sandbox_probe loads")
}

/// A connection spec for the probe whose one API host is `api_host`, granted over plain HTTP
/// (the tests' servers are on loopback).
pub fn probe_spec(name: &str, api_host: &str) -> ConnectionSpec {
    ConnectionSpec {
        name: name.into(),
        settings: BTreeMap::from([("api-host".to_string(), api_host.to_string())]),
        secrets: BTreeMap::new(),
        grant: HostGrant {
            api_hosts: vec![format!("http://{api_host}")],
            ..HostGrant::default()
        },
        limits: None,
    }
}

/// Connects the probe with in-memory storage and no observer.
pub async fn connect_probe(runtime: &Runtime, plugin: &Plugin, spec: ConnectionSpec) -> Connection {
    runtime
        .connect(
            plugin,
            spec,
            Arc::new(MemoryStorage::new()),
            Arc::new(NoObserver),
        )
        .await
        .expect("probe connects")
}

/// Runs one probe (`fetch:<url>`, `env:HOME`…) and returns the text the plugin answered.
pub async fn probe(connection: &Connection, what: &str) -> Result<String, CallError> {
    match connection.get(RecordKind::Folder, what).await? {
        AtsRecord::Folder(folder) => Ok(folder.name.unwrap_or_default()),
        other => panic!("the probe answers folders, got {other:?}"),
    }
}

/// Builds a secrets map.
pub fn secrets(pairs: &[(&str, &str)]) -> BTreeMap<String, Secret> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), Secret::new(*v)))
        .collect()
}

/// One request as the local server saw it.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    /// Header names lowercase.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the local server answers: status, extra headers, body.
pub type Answer = (u16, Vec<(String, String)>, String);

/// A tiny HTTP/1.1 server on 127.0.0.1 (one request per connection), for sandbox tests.
pub struct LocalServer {
    pub addr: SocketAddr,
    pub received: Arc<Mutex<Vec<Received>>>,
}

impl LocalServer {
    /// Starts a server answering every request with `answer`.
    pub async fn start(
        answer: impl Fn(&Received) -> Answer + Send + Sync + 'static,
    ) -> LocalServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        let answer = Arc::new(answer);
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let log = log.clone();
                let answer = answer.clone();
                tokio::spawn(async move {
                    let Some(request) = read_request(&mut socket).await else {
                        return;
                    };
                    log.lock().unwrap().push(request.clone());
                    let (status, headers, body) = answer(&request);
                    let mut head = format!(
                        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n",
                        body.len()
                    );
                    for (name, value) in headers {
                        head.push_str(&format!("{name}: {value}\r\n"));
                    }
                    head.push_str("\r\n");
                    let _ = socket.write_all(head.as_bytes()).await;
                    let _ = socket.write_all(body.as_bytes()).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        LocalServer { addr, received }
    }

    /// `127.0.0.1:<port>`.
    pub fn authority(&self) -> String {
        self.addr.to_string()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn requests(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<Received> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        let n = tokio::time::timeout(Duration::from_secs(10), socket.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.lines();
    let mut first = lines.next()?.split_whitespace();
    let method = first.next()?.to_string();
    let path = first.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Received {
        method,
        path,
        headers,
        body,
    })
}

/// Captured log output (all levels, all targets) of the current thread's subscriber.
#[derive(Clone, Default)]
pub struct LogCapture(Arc<Mutex<Vec<u8>>>);

impl LogCapture {
    /// Installs a capturing subscriber for the current thread (use a current-thread runtime).
    pub fn install() -> (LogCapture, tracing::subscriber::DefaultGuard) {
        let capture = LogCapture::default();
        let writer = capture.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        (capture, tracing::subscriber::set_default(subscriber))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for LogCapture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
