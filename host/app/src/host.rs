//! The host as an application: its data folder (mirror with the quota ledgers, plugin storage),
//! the wasm runtime, and live connections built from the connections the mirror records.

use crate::live_connection::LiveConnection;
use crate::quota_observer::MeteredRequests;
use ats_mirror::{ConnectionRow, LedgerStore, Mirror, MirrorStore};
use ats_runtime::{
    ConnectionSpec, HostGrant, PluginStorage, RequestObserver, Runtime, RuntimeConfig, StorageError,
};
use ats_sync::QuotaMeter;
use ats_sync::quota::QuotaLedger;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Why the host could not do what was asked, in words that say what to fix.
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    #[error("cannot use the data folder {}: {detail}", path.display())]
    DataDir { path: PathBuf, detail: String },
    #[error(transparent)]
    Mirror(#[from] ats_mirror::MirrorError),
    #[error(transparent)]
    Runtime(#[from] ats_runtime::RuntimeError),
    #[error(transparent)]
    Call(#[from] ats_runtime::CallError),
    #[error(transparent)]
    Sync(#[from] ats_sync::SyncError),
    #[error(
        "no connection named `{0}`: add it with `ats connect <file.toml>`, list them with `ats status`"
    )]
    UnknownConnection(String),
    /// A secret could not be read from where the connection says it is.
    #[error(transparent)]
    Secret(#[from] crate::connection_file::ConnectionFileError),
    #[error("{0}")]
    Invalid(String),
}

/// Where the host keeps its files.
#[derive(Debug, Clone)]
pub struct HostPaths {
    /// Mirror (by default, with the quota ledgers) and plugin storage.
    pub data_dir: PathBuf,
    /// Compiled components.
    pub cache_dir: PathBuf,
    /// Where the mirror lives; `None` is the SQLite file in `data_dir`.
    pub store: Option<StoreUrl>,
}

/// Which mirror backend to open, and where: `sqlite:PATH` (or a bare path), or a PostgreSQL URL
/// (`postgres://USER@HOST:PORT/DATABASE`, `postgresql://…` too).
#[derive(Clone, PartialEq, Eq)]
pub enum StoreUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

/// Never prints a PostgreSQL password (`HostPaths` and the CLI's arguments are `Debug`).
impl std::fmt::Debug for StoreUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreUrl::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            StoreUrl::Postgres(url) => f
                .debug_tuple("Postgres")
                .field(&ats_mirror_postgres::without_password(url))
                .finish(),
        }
    }
}

impl std::str::FromStr for StoreUrl {
    type Err = String;

    fn from_str(text: &str) -> Result<StoreUrl, String> {
        let text = text.trim();
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            return Ok(StoreUrl::Postgres(text.to_string()));
        }
        let path = text
            .strip_prefix("sqlite://")
            .or_else(|| text.strip_prefix("sqlite:"))
            .unwrap_or(text);
        match (path.is_empty(), text.split_once("://")) {
            (true, _) => Err("the store URL is empty: write sqlite:PATH or postgres://…".into()),
            (false, Some((scheme, _))) if scheme != "sqlite" => Err(format!(
                "unknown store `{scheme}://`: write sqlite:PATH or postgres://USER@HOST:PORT/DATABASE"
            )),
            _ => Ok(StoreUrl::Sqlite(PathBuf::from(path))),
        }
    }
}

impl StoreUrl {
    /// Opens the backend the URL names (a PostgreSQL mirror is migrated on open; its server
    /// must be reachable). Call it inside a tokio runtime: PostgreSQL's pool runs on it.
    pub fn open(&self) -> Result<Arc<dyn Mirror>, HostError> {
        match self {
            StoreUrl::Sqlite(path) => Ok(Arc::new(ats_mirror_sqlite::SqliteMirror::open(path)?)),
            StoreUrl::Postgres(url) => Ok(Arc::new(ats_mirror_postgres::PgMirror::open(url)?)),
        }
    }
}

/// The host: one runtime, one mirror, one plugin storage, for any number of connections.
pub struct Host {
    pub runtime: Runtime,
    /// The mirror, whichever backend the store URL chose.
    pub mirror: Arc<dyn Mirror>,
    pub storage: Arc<dyn PluginStorage>,
    paths: HostPaths,
    /// Also told of every request a connection sends (the service's metrics, a benchmark's
    /// timer).
    request_taps: Vec<Arc<dyn RequestObserver>>,
    /// This process's name as the holder of stream leases.
    lease_holder: String,
}

impl Host {
    /// Opens (creating when needed) the host's files.
    pub fn open(
        paths: HostPaths,
        runtime_config: Option<RuntimeConfig>,
    ) -> Result<Host, HostError> {
        let dir_error = |path: &Path, e: &dyn std::fmt::Display| HostError::DataDir {
            path: path.to_path_buf(),
            detail: e.to_string(),
        };
        std::fs::create_dir_all(&paths.data_dir).map_err(|e| dir_error(&paths.data_dir, &e))?;
        let mirror = paths
            .store
            .clone()
            .unwrap_or_else(|| StoreUrl::Sqlite(paths.data_dir.join("mirror.sqlite")))
            .open()?;
        import_json_ledgers(mirror.as_ref(), &paths.data_dir.join("quota"));
        let storage =
            plugin_storage(&paths.data_dir).map_err(|e| dir_error(&paths.data_dir, &e))?;
        let config = runtime_config.unwrap_or_else(|| RuntimeConfig::new(&paths.cache_dir));
        let runtime = Runtime::new(config)?;
        Ok(Host {
            runtime,
            mirror,
            storage,
            paths,
            request_taps: Vec::new(),
            lease_holder: crate::stream_lease::holder_name(),
        })
    }

    /// Also tells `tap` of every request the connections started from now on send, after the
    /// quota meter admitted it (it cannot hold one back).
    pub fn with_request_tap(mut self, tap: Arc<dyn RequestObserver>) -> Host {
        self.request_taps.push(tap);
        self
    }

    /// This process's name as the holder of stream leases.
    pub fn lease_holder(&self) -> &str {
        &self.lease_holder
    }

    pub fn paths(&self) -> &HostPaths {
        &self.paths
    }

    pub fn store(&self) -> Arc<dyn MirrorStore> {
        self.mirror.clone()
    }

    /// A live connection for a connection the mirror records.
    pub async fn live(&self, name: &str) -> Result<LiveConnection, HostError> {
        let row = self
            .mirror
            .connection(name)
            .await?
            .ok_or_else(|| HostError::UnknownConnection(name.to_string()))?;
        self.live_from_row(row).await
    }

    /// A live connection for a connection row (saved or about to be saved). The plugin must be
    /// the one the operator connected (its content hash is pinned in the row), and it runs
    /// with the row's grant and limits only.
    pub async fn live_from_row(&self, row: ConnectionRow) -> Result<LiveConnection, HostError> {
        let plugin = self.runtime.load_plugin(Path::new(&row.plugin_path))?;
        if plugin.content_hash() != row.plugin_hash {
            return Err(ats_runtime::RuntimeError::PluginChanged {
                connection: row.name.clone(),
                path: row.plugin_path.clone().into(),
                expected: short_hash(&row.plugin_hash),
                found: short_hash(plugin.content_hash()),
            }
            .into());
        }
        let limits = self
            .runtime
            .config()
            .limits
            .with_overrides(&row.limits)
            .map_err(|e| HostError::Invalid(format!("connection `{}`: {e}", row.name)))?;
        let info = plugin
            .describe(&row.settings)
            .await
            .map_err(|e| HostError::Invalid(format!("connection `{}`: {e}", row.name)))?;
        // Shared through the mirror's database with every other process on it.
        let meter = Arc::new(QuotaMeter::shared(
            info.quota.as_ref(),
            self.mirror.clone(),
            &row.name,
        ));
        let spec = ConnectionSpec {
            name: row.name.clone(),
            settings: row.settings.clone(),
            secrets: crate::connection_file::resolve_secret_refs(&row.name, &row.secrets)?,
            grant: HostGrant {
                api_hosts: row.granted_api_hosts.clone(),
                token_url: row.granted_token_url.clone(),
                other_hosts: row.extra_allowed_hosts.clone(),
            },
            limits: Some(limits),
        };
        let connection = self
            .runtime
            .connect(
                &plugin,
                spec,
                self.storage.clone(),
                Arc::new(MeteredRequests {
                    meter: meter.clone(),
                    taps: self.request_taps.clone(),
                }),
            )
            .await?;
        Ok(LiveConnection {
            connection,
            meter,
            row,
        })
    }

    /// The row a connection file is saved as, with what the operator granted and what the
    /// plugin declared, pinned to `plugin`'s content hash; `previous` is the row it replaces.
    pub fn row_for(
        &self,
        file: &crate::connection_file::ConnectionFile,
        plugin: &ats_runtime::Plugin,
        info: &ats_model::ConnectorInfo,
        grant: &HostGrant,
        previous: Option<&ConnectionRow>,
    ) -> ConnectionRow {
        let now = ats_sync::meter::now();
        ConnectionRow {
            name: file.name.clone(),
            tenant: file.tenant.clone(),
            plugin_path: file.plugin.display().to_string(),
            plugin_hash: plugin.content_hash().to_string(),
            plugin_declared: crate::grant_review::declared(info),
            settings: file.settings.clone(),
            secrets: file.secrets.clone(),
            stream_intervals: previous
                .map(|p| p.stream_intervals.clone())
                .unwrap_or_default(),
            granted_api_hosts: grant.api_hosts.clone(),
            granted_token_url: grant.token_url.clone(),
            extra_allowed_hosts: grant.other_hosts.clone(),
            limits: file.limits.clone(),
            // Connecting again does not resume a paused connection.
            paused_at: previous.and_then(|p| p.paused_at),
            created_at: previous.map_or(now, |p| p.created_at),
            updated_at: now,
        }
    }

    /// The quota ledger of a connection as the mirror's database holds it, for status displays.
    pub fn saved_ledger(&self, connection: &str) -> Option<QuotaLedger> {
        match self.mirror.ledger(connection) {
            Ok(stored) => stored.as_deref().and_then(ats_sync::meter::decode_ledger),
            Err(e) => {
                tracing::warn!(connection, "could not read the quota ledger: {e}");
                None
            }
        }
    }
}

/// Ledgers saved as JSON files (`<data>/quota/<connection>.json`) by hosts before the ledger
/// moved into the mirror's database: each is imported once, when the database has none for its
/// connection yet, and the files are left where they are.
fn import_json_ledgers(store: &dyn LedgerStore, dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for path in entries.flatten().map(|e| e.path()) {
        let (Some(connection), Some("json")) = (
            path.file_stem().and_then(|s| s.to_str()),
            path.extension().and_then(|s| s.to_str()),
        ) else {
            continue;
        };
        let Some(ledger) = std::fs::read_to_string(&path)
            .ok()
            .and_then(|text| serde_json::from_str::<QuotaLedger>(&text).ok())
        else {
            tracing::warn!(path = %path.display(), "not a quota ledger: left alone");
            continue;
        };
        match ats_sync::meter::import_ledger(store, connection, ledger) {
            Ok(true) => tracing::info!(
                connection,
                "imported the quota ledger from {}",
                path.display()
            ),
            Ok(false) => {}
            Err(e) => tracing::warn!(connection, "could not import the quota ledger: {e}"),
        }
    }
}

/// The durable plugin storage of a data folder (a file beside the default mirror).
pub fn plugin_storage(data_dir: &Path) -> Result<Arc<dyn PluginStorage>, StorageError> {
    Ok(Arc::new(ats_mirror_sqlite::SqliteStorage::open(
        data_dir.join("plugin-storage.sqlite"),
    )?))
}

/// The first 12 hex digits of a content hash, enough to tell two plugins apart.
fn short_hash(hash: &str) -> String {
    if hash.is_empty() {
        return "none recorded".into();
    }
    hash.chars().take(12).collect()
}
