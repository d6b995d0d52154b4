//! The host as an application: its data folder (mirror, plugin storage, quota ledgers), the
//! wasm runtime, and live connections built from the connections the mirror records.

use crate::live_connection::LiveConnection;
use crate::quota_observer::MeteredRequests;
use ats_mirror::{ConnectionRow, Mirror, MirrorStore};
use ats_runtime::{ConnectionSpec, HostGrant, Runtime, RuntimeConfig, SqliteStorage};
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
    /// Mirror (by default), plugin storage and quota ledgers.
    pub data_dir: PathBuf,
    /// Compiled components.
    pub cache_dir: PathBuf,
    /// Where the mirror lives; `None` is the SQLite file in `data_dir`.
    pub store: Option<StoreUrl>,
}

/// Which mirror backend to open, and where: `sqlite:PATH` (or a bare path). PostgreSQL
/// (`postgres://…`) is recognised so the error can say it is not in this build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreUrl {
    Sqlite(PathBuf),
    Postgres(String),
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
            (true, _) => Err("the store URL is empty: write sqlite:PATH".into()),
            (false, Some((scheme, _))) if scheme != "sqlite" => Err(format!(
                "unknown store `{scheme}://`: write sqlite:PATH (or postgres://… once that backend is built in)"
            )),
            _ => Ok(StoreUrl::Sqlite(PathBuf::from(path))),
        }
    }
}

impl StoreUrl {
    /// Opens the backend the URL names.
    pub fn open(&self) -> Result<Arc<dyn Mirror>, HostError> {
        match self {
            StoreUrl::Sqlite(path) => Ok(Arc::new(ats_mirror_sqlite::SqliteMirror::open(path)?)),
            StoreUrl::Postgres(_) => Err(HostError::Invalid(
                "this host has no PostgreSQL mirror yet: use sqlite:PATH (the default)".into(),
            )),
        }
    }
}

/// The host: one runtime, one mirror, one plugin storage, for any number of connections.
pub struct Host {
    pub runtime: Runtime,
    /// The mirror, whichever backend the store URL chose.
    pub mirror: Arc<dyn Mirror>,
    pub storage: Arc<SqliteStorage>,
    paths: HostPaths,
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
        std::fs::create_dir_all(paths.data_dir.join("quota"))
            .map_err(|e| dir_error(&paths.data_dir, &e))?;
        let mirror = paths
            .store
            .clone()
            .unwrap_or_else(|| StoreUrl::Sqlite(paths.data_dir.join("mirror.sqlite")))
            .open()?;
        let storage = Arc::new(
            SqliteStorage::open(paths.data_dir.join("plugin-storage.sqlite"))
                .map_err(|e| dir_error(&paths.data_dir, &e))?,
        );
        let config = runtime_config.unwrap_or_else(|| RuntimeConfig::new(&paths.cache_dir));
        let runtime = Runtime::new(config)?;
        Ok(Host {
            runtime,
            mirror,
            storage,
            paths,
        })
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
        let meter = Arc::new(QuotaMeter::with_ledger(
            info.quota.as_ref(),
            self.load_ledger(&row.name),
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
                Arc::new(MeteredRequests(meter.clone())),
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
            created_at: previous.map_or(now, |p| p.created_at),
            updated_at: now,
        }
    }

    fn ledger_path(&self, connection: &str) -> PathBuf {
        self.paths
            .data_dir
            .join("quota")
            .join(format!("{connection}.json"))
    }

    /// The quota ledger a previous process left, so a restart never forgets what was spent.
    fn load_ledger(&self, connection: &str) -> Option<QuotaLedger> {
        let text = std::fs::read_to_string(self.ledger_path(connection)).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Saves a connection's quota ledger for the next process.
    pub fn save_ledger(&self, live: &LiveConnection) {
        let path = self.ledger_path(live.name());
        let ledger = live.meter.snapshot();
        match serde_json::to_string(&ledger) {
            Ok(text) => {
                let tmp = path.with_extension("json.tmp");
                if std::fs::write(&tmp, text)
                    .and_then(|_| std::fs::rename(&tmp, &path))
                    .is_err()
                {
                    tracing::warn!(connection = live.name(), "could not save the quota ledger");
                }
            }
            Err(e) => tracing::warn!(
                connection = live.name(),
                "could not encode the quota ledger: {e}"
            ),
        }
    }

    /// The saved quota ledger of a connection, for status displays.
    pub fn saved_ledger(&self, connection: &str) -> Option<QuotaLedger> {
        self.load_ledger(connection)
    }
}

/// The first 12 hex digits of a content hash, enough to tell two plugins apart.
fn short_hash(hash: &str) -> String {
    if hash.is_empty() {
        return "none recorded".into();
    }
    hash.chars().take(12).collect()
}
