//! A throwaway PostgreSQL server for tests, from the distribution's `postgresql` package: never
//! a mock, never a download.
//!
//! [`server`] starts one server per test binary (the first test to ask starts it): `initdb`
//! into a temporary folder owned by the `postgres` user, `pg_ctl start` on a free loopback port
//! with its socket in that folder and `fsync=off`. [`PgServer::database`] then makes a fresh
//! database per test, which is fast (a template copy). The server stops with the process: a
//! guard registered with `atexit` runs `pg_ctl stop -m immediate` and removes the folder, even
//! when tests panicked (a `static` is never dropped, so `Drop` alone would leave it running).
//! A server started on its own with [`PgServer::start`] stops when dropped.
//!
//! When the binaries are missing the error says how to install them.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

/// A running server: its folder, port and binaries.
pub struct PgServer {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
    stopped: Mutex<bool>,
}

/// Why a server could not be started.
#[derive(Debug)]
pub struct ServerError(pub String);

impl std::fmt::Display for ServerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ServerError {}

/// The folder holding `initdb` and `pg_ctl`: `$ATS_PG_BIN`, else the newest
/// `/usr/lib/postgresql/*/bin` (Debian's layout), else `initdb` on the `PATH`.
pub fn find_bin_dir() -> Result<PathBuf, ServerError> {
    if let Some(dir) = std::env::var_os("ATS_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Ok(bin);
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .find(|dir| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file())
        .ok_or_else(|| {
            ServerError(
                "PostgreSQL's initdb and pg_ctl were not found (looked in \
                 /usr/lib/postgresql/*/bin and on PATH): install them with \
                 `apt-get install -y postgresql`, or set ATS_PG_BIN to their folder"
                    .into(),
            )
        })
}

/// The server this test binary shares.
static SERVER: OnceLock<PgServer> = OnceLock::new();

/// The server this test binary shares, started on first use.
pub fn server() -> &'static PgServer {
    SERVER.get_or_init(|| {
        let server = PgServer::start().unwrap_or_else(|e| panic!("{e}"));
        // SAFETY: `atexit` only stores the function pointer; the callback reads a static that
        // outlives every caller and does not unwind (`stop` ignores its own failures).
        unsafe {
            atexit(stop_shared_server);
        }
        server
    })
}

/// A fresh, empty database on the shared server; returns its URL.
pub fn database() -> String {
    server().database()
}

extern "C" fn stop_shared_server() {
    if let Some(server) = SERVER.get() {
        server.stop();
    }
}

unsafe extern "C" {
    fn atexit(callback: extern "C" fn()) -> i32;
}

impl PgServer {
    /// Starts a new server in a temporary folder on a free loopback port.
    pub fn start() -> Result<PgServer, ServerError> {
        let bin = find_bin_dir()?;
        let dir = tempfile::Builder::new()
            .prefix("ats-pg-")
            .tempdir()
            .map_err(|e| ServerError(format!("cannot make a temporary folder: {e}")))?;
        let data = dir.path().join("data");
        let as_root = is_root();
        if as_root {
            // initdb refuses to run as root: the folder goes to the `postgres` user.
            run(Command::new("chown")
                .args(["postgres:postgres"])
                .arg(dir.path()))?;
        }
        run(server_command(&bin, "initdb", as_root)
            .args([
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--no-sync",
                "-D",
            ])
            .arg(&data))?;
        let port = free_port()?;
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
            dir.path().display()
        );
        run(server_command(&bin, "pg_ctl", as_root)
            .args(["-w", "-t", "60", "-D"])
            .arg(&data)
            .args(["-l"])
            .arg(dir.path().join("server.log"))
            .args(["-o", &options, "start"]))?;
        Ok(PgServer {
            bin,
            dir,
            port,
            stopped: Mutex::new(false),
        })
    }

    /// The server's port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The URL of database `name` on this server.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// Creates a fresh, empty database with a name unique to this process and returns its URL.
    pub fn database(&self) -> String {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let name = format!(
            "test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let created = Command::new(self.bin.join("createdb"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
            ])
            .arg(&name)
            .output();
        match created {
            Ok(out) if out.status.success() => self.url(&name),
            Ok(out) => panic!(
                "createdb {name} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ),
            Err(e) => panic!("cannot run createdb: {e}"),
        }
    }

    /// Stops the server (at most once) and leaves the folder to be removed.
    pub fn stop(&self) {
        let mut stopped = self.stopped.lock().unwrap_or_else(|e| e.into_inner());
        if *stopped {
            return;
        }
        *stopped = true;
        let _ = server_command(&self.bin, "pg_ctl", is_root())
            .args(["-D"])
            .arg(self.dir.path().join("data"))
            .args(["-m", "immediate", "-w", "stop"])
            .output();
        let _ = std::fs::remove_dir_all(self.dir.path());
    }

    /// The server's log, for a test that wants to show why something failed.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// A server binary, run as the `postgres` user when we are root.
fn server_command(bin: &Path, name: &str, as_root: bool) -> Command {
    if as_root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin.join(name));
        c
    } else {
        Command::new(bin.join(name))
    }
}

fn run(command: &mut Command) -> Result<(), ServerError> {
    let shown = format!("{command:?}");
    let out = command
        .output()
        .map_err(|e| ServerError(format!("cannot run {shown}: {e}")))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(ServerError(format!(
            "{shown} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )))
    }
}

/// A loopback port nothing listens on now (the OS picks it; released before the server binds).
fn free_port() -> Result<u16, ServerError> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| ServerError(format!("no free loopback port: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_started_server_makes_databases_and_stops_when_dropped() {
        let server = PgServer::start().unwrap();
        let url = server.database();
        assert!(url.starts_with("postgres://postgres@127.0.0.1:"), "{url}");
        let dir = server.dir().to_path_buf();
        assert!(dir.join("data").is_dir());
        drop(server);
        assert!(!dir.exists());
    }
}
