//! The mirror on PostgreSQL: one database that many host processes share.
//!
//! Same semantics as the SQLite backend (`ats-mirror-sqlite`), checked by the same backend test
//! suite: a page and its checkpoint in one transaction, status history by trigger, soft deletes,
//! reconcile scans, idempotency claims, duplicate clusters kept materialised. What is derived
//! from a record comes from [`ats_mirror::derived`] and [`ats_mirror::search_text`], so both
//! backends index and find the same words. Search is a `tsvector` column with a GIN index,
//! ranked with `ts_rank` (see `queries.rs`).
//!
//! Stream leases (`leases.rs`) let the processes on one database take turns per stream.
//!
//! The driver is sqlx (async, its own pool, no compile-time-checked macros since there is no
//! database at build time). The quota ledger's trait is synchronous (the runtime's HTTP hook
//! calls it), so ledgers have a connection of their own on a dedicated thread (`ledger.rs`).

mod candidate_applications;
mod connections;
mod error;
mod features;
mod leases;
mod ledger;
mod migrations;
mod page_write;
mod queries;
mod reconcile;
mod record_reads;
mod records;
mod search_document;
mod search_plan;
mod store;
mod sync_state;
mod tokens;
mod value;
mod work_queue;

pub use error::Error;
pub use migrations::{SCHEMA_VERSION, migrate, schema_version};

use ats_mirror::MirrorError;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// Connections the pool opens at most per process: the sync engine writes a page per
/// transaction and features read; more would only queue in the server. (Three processes with
/// their lease and ledger connections stay well inside PostgreSQL's default 100.)
const MAX_CONNECTIONS: u32 = 16;
/// Connections kept for stream leases alone, so a heartbeat never waits behind page writes and
/// features: a lease that cannot be renewed in time is lost, and the stream stops.
const LEASE_CONNECTIONS: u32 = 2;
/// How long a call waits for a pooled connection (or for the server to answer a connect).
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(15);

/// The PostgreSQL mirror. Cheap to clone and share.
#[derive(Clone)]
pub struct PgMirror {
    pool: PgPool,
    /// Stream leases' own connections (see [`LEASE_CONNECTIONS`]).
    lease_pool: PgPool,
    ledgers: Arc<ledger::LedgerClient>,
    /// The URL without its password, for messages.
    shown: String,
}

impl PgMirror {
    /// Connects to the database at `url` (`postgres://user@host:port/db`), upgrades its schema
    /// and starts the ledger connection. Fails with [`MirrorError::SchemaTooNew`] for a database
    /// written by a newer host, and with a message naming the server (never its password) when
    /// it cannot be reached.
    pub async fn connect(url: &str) -> Result<PgMirror, MirrorError> {
        let (options, shown) = parse(url)?;
        let started = ledger::LedgerClient::start(options.clone(), shown.clone())?;
        let ledgers = tokio::task::spawn_blocking(move || started.wait())
            .await
            .map_err(|e| MirrorError::backend("PostgreSQL", e))??;
        let pool = pool_options()
            .connect_with(options.clone())
            .await
            .map_err(|e| unreachable(&shown, e))?;
        Ok(PgMirror {
            pool,
            lease_pool: lease_pool_options().connect_lazy_with(options),
            ledgers: Arc::new(ledgers),
            shown,
        })
    }

    /// As [`PgMirror::connect`], for synchronous callers inside a tokio runtime (the host opens
    /// its store synchronously): the ledger thread connects and migrates while this thread
    /// waits, and the pool connects on first use.
    pub fn open(url: &str) -> Result<PgMirror, MirrorError> {
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(MirrorError::backend(
                "PostgreSQL",
                std::io::Error::other(
                    "PgMirror::open was called outside a tokio runtime; its pool runs on one",
                ),
            ));
        }
        let (options, shown) = parse(url)?;
        let ledgers = ledger::LedgerClient::start(options.clone(), shown.clone())?.wait()?;
        let pool = pool_options().connect_lazy_with(options.clone());
        Ok(PgMirror {
            pool,
            lease_pool: lease_pool_options().connect_lazy_with(options),
            ledgers: Arc::new(ledgers),
            shown,
        })
    }

    /// The database URL without its password.
    pub fn url(&self) -> &str {
        &self.shown
    }

    /// A pooled connection for one call.
    pub(crate) async fn conn(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Postgres>, Error> {
        Ok(self.pool.acquire().await?)
    }

    /// The connection pool, for a backend's own tests and tools.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

fn lease_pool_options() -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(LEASE_CONNECTIONS)
        .acquire_timeout(ACQUIRE_TIMEOUT)
}

fn pool_options() -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .acquire_timeout(ACQUIRE_TIMEOUT)
}

/// The connect options of `url`, and the URL as messages may show it (no password).
fn parse(url: &str) -> Result<(PgConnectOptions, String), MirrorError> {
    let shown = without_password(url);
    let options = PgConnectOptions::from_str(url)
        .map_err(|e| {
            MirrorError::backend(
                "PostgreSQL",
                std::io::Error::other(format!(
                    "`{shown}` is not a PostgreSQL URL ({}): write postgres://USER@HOST:PORT/DATABASE",
                    strip(&e.to_string(), url)
                )),
            )
        })?
        .application_name("ats");
    Ok((options, shown))
}

/// `url` with its password replaced by `***` (or a placeholder when it does not parse).
pub fn without_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            if u.password().is_some() {
                let _ = u.set_password(Some("***"));
            }
            u.to_string()
        }
        Err(_) => "(an unreadable PostgreSQL URL)".into(),
    }
}

/// `text` without any copy of `url` (a driver message quoting what it was given).
fn strip(text: &str, url: &str) -> String {
    text.replace(url, "(the URL)")
}

/// The error of a server that cannot be reached, naming it (without password) and what to do.
pub(crate) fn unreachable(shown: &str, e: sqlx::Error) -> MirrorError {
    MirrorError::backend(
        "PostgreSQL",
        std::io::Error::other(format!(
            "cannot connect to the mirror database at {shown}: {e}; check that the server runs \
             and accepts this user, or pass another --database URL"
        )),
    )
}
