//! A simulator and a host beside it, as `tests/e2e/src/host_fixture.rs` sets them up.

use ats_app::host::{Host, HostPaths};
use ats_app::live_connection::LiveConnection;
use ats_mirror::{ConnectionRow, SecretRef};
use ats_runtime::{Connection, ConnectionSpec, RequestObserver, Secret};
use icims_sim::{IcimsSim, SimConfig};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

pub const CONN: &str = "acme";

/// The simulator's custom person fields (`icims_sim::CustomFieldIds`) as a tenant maps them:
/// the fit figures and the big load read titles, employers and skills through them.
pub const CUSTOM_FIELDS: [(&str, &str); 4] = [
    ("linkedin-field", "field50527"),
    ("title-field", "field51027"),
    ("company-field", "field51028"),
    ("skills-field", "field51029"),
];

pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("bench/ lives one level below the workspace root")
}

pub fn plugin_path() -> PathBuf {
    let dir = std::env::var_os("ATS_PLUGIN_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/wasm32-wasip2/release"));
    dir.join("icims_connector.wasm")
}

/// A config with one customer, no quota, and the given data set sizes.
pub fn sim_config(people: u32, jobs: u32, workflows: u32, latency_ms: u64) -> SimConfig {
    let mut config = SimConfig::sized(people, jobs, workflows);
    config.quota.enabled = false;
    config.latency_ms = latency_ms;
    config
}

pub struct Env {
    pub sim: IcimsSim,
    pub host: Host,
    pub dir: tempfile::TempDir,
}

pub async fn start(config: SimConfig) -> anyhow::Result<Env> {
    let sim = IcimsSim::start(config).await?;
    let dir = tempfile::tempdir()?;
    let host = open_host(dir.path().join("data"))?;
    Ok(Env { sim, host, dir })
}

pub fn open_host(data_dir: PathBuf) -> anyhow::Result<Host> {
    Ok(Host::open(
        HostPaths {
            data_dir,
            cache_dir: workspace_root().join("target/bench-component-cache"),
            store: None,
        },
        None,
    )?)
}

/// What `ats connect` saves for connection `name` to the simulator: the connector, what the
/// operator grants, `settings`, and the client secret in `secret_file`.
pub fn connection_row(
    sim: &IcimsSim,
    name: &str,
    plugin_hash: String,
    settings: BTreeMap<String, String>,
    secret_file: &std::path::Path,
) -> ConnectionRow {
    ConnectionRow {
        name: name.to_string(),
        tenant: ats_mirror::DEFAULT_TENANT.into(),
        plugin_path: plugin_path().display().to_string(),
        plugin_hash,
        granted_api_hosts: vec![sim.api_base_url()],
        granted_token_url: Some(sim.token_url()),
        settings,
        secrets: [(
            "client-secret".to_string(),
            SecretRef::File(secret_file.display().to_string()),
        )]
        .into_iter()
        .collect(),
        stream_intervals: BTreeMap::new(),
        ..ConnectionRow::default()
    }
}

impl Env {
    pub fn customer(&self) -> u64 {
        self.sim.state().credentials().customer_ids[0]
    }

    /// The connector's settings for the simulator's first customer.
    pub fn settings(&self) -> BTreeMap<String, String> {
        self.sim.connector_settings(self.customer())
    }

    /// Saves connection `name` in `host`'s mirror and returns it live.
    pub async fn connect(&self, host: &Host, name: &str) -> anyhow::Result<LiveConnection> {
        self.connect_with(host, name, &[]).await
    }

    /// [`Env::connect`] with `extra` settings (e.g. [`CUSTOM_FIELDS`]).
    pub async fn connect_with(
        &self,
        host: &Host,
        name: &str,
        extra: &[(&str, &str)],
    ) -> anyhow::Result<LiveConnection> {
        let mut settings = self.settings();
        settings.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let secret_file = self.dir.path().join(format!("{name}.secret"));
        std::fs::write(&secret_file, self.sim.state().credentials().client_secret)?;
        let plugin_hash = host
            .runtime
            .load_plugin(&plugin_path())?
            .content_hash()
            .to_string();
        let row = connection_row(&self.sim, name, plugin_hash, settings, &secret_file);
        host.mirror.upsert_connection(&row).await?;
        Ok(host.live(name).await?)
    }

    /// What the operator grants a connection to the simulator.
    pub fn grant(&self) -> ats_runtime::HostGrant {
        ats_runtime::HostGrant {
            api_hosts: vec![self.sim.api_base_url()],
            token_url: Some(self.sim.token_url()),
            other_hosts: Vec::new(),
        }
    }

    /// A connection made directly through the runtime, with a request observer of our own.
    pub async fn connect_observed(
        &self,
        name: &str,
        observer: Arc<dyn RequestObserver>,
    ) -> anyhow::Result<Connection> {
        let plugin = self.host.runtime.load_plugin(&plugin_path())?;
        let spec = ConnectionSpec {
            name: name.to_string(),
            settings: self.settings(),
            secrets: [(
                "client-secret".to_string(),
                Secret::new(self.sim.state().credentials().client_secret),
            )]
            .into_iter()
            .collect(),
            grant: self.grant(),
            limits: None,
        };
        Ok(self
            .host
            .runtime
            .connect(&plugin, spec, self.host.storage.clone(), observer)
            .await?)
    }
}
