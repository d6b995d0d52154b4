//! A whole host (runtime, mirror, plugin storage) in a temporary folder, with connections to an
//! iCIMS simulator: what the sync and feature scenarios start from.

use ats_app::host::{Host, HostPaths};
use ats_app::live_connection::LiveConnection;
use ats_mirror::{ConnectionRow, SecretRef};
use icims_sim::{IcimsSim, SimConfig};
use std::collections::BTreeMap;

/// A simulator and a host beside it.
pub struct HostEnv {
    pub sim: IcimsSim,
    pub host: Host,
    pub dir: tempfile::TempDir,
}

/// A simulator config with one customer and the given data set sizes.
pub fn sim_config(people: u32, jobs: u32, workflows: u32) -> SimConfig {
    SimConfig::sized(people, jobs, workflows)
}

/// Compiled components are cached once for all tests of a run (the cache is safe to share:
/// entries are written to a temporary file and renamed).
pub fn shared_cache_dir() -> std::path::PathBuf {
    crate::workspace_root().join("target/e2e-component-cache")
}

/// Starts a simulator and opens a host in a fresh temporary folder.
pub async fn start(config: SimConfig) -> HostEnv {
    let sim = IcimsSim::start(config).await.expect("the simulator starts");
    let dir = tempfile::tempdir().expect("temp dir");
    let host = Host::open(
        HostPaths {
            data_dir: dir.path().join("data"),
            cache_dir: shared_cache_dir(),
            store: None,
        },
        None,
    )
    .expect("the host opens");
    HostEnv { sim, host, dir }
}

impl HostEnv {
    /// Saves a connection named `name` to customer `customer_id` (the secret in a file, by
    /// reference) and returns it live.
    pub async fn connect_icims(&self, name: &str, customer_id: u64) -> LiveConnection {
        self.connect_icims_with(name, customer_id, &[]).await
    }

    /// [`connect_icims`](Self::connect_icims) with extra settings (custom field ids, say).
    pub async fn connect_icims_with(
        &self,
        name: &str,
        customer_id: u64,
        extra_settings: &[(&str, &str)],
    ) -> LiveConnection {
        let mut settings = self.sim.connector_settings(customer_id);
        for (key, value) in extra_settings {
            settings.insert(key.to_string(), value.to_string());
        }
        let secret_file = self.dir.path().join(format!("{name}.secret"));
        std::fs::write(&secret_file, self.sim.state().credentials().client_secret)
            .expect("write secret");
        let plugin_path = crate::plugin_path("icims_connector");
        let plugin_hash = self
            .host
            .runtime
            .load_plugin(&plugin_path)
            .expect("the connector loads")
            .content_hash()
            .to_string();
        let grant = crate::sim_grant(&self.sim);
        let row = ConnectionRow {
            name: name.to_string(),
            tenant: ats_mirror::DEFAULT_TENANT.into(),
            plugin_path: plugin_path.display().to_string(),
            plugin_hash,
            granted_api_hosts: grant.api_hosts,
            granted_token_url: grant.token_url,
            settings,
            secrets: [(
                "client-secret".to_string(),
                SecretRef::File(secret_file.display().to_string()),
            )]
            .into_iter()
            .collect(),
            stream_intervals: BTreeMap::new(),
            ..ConnectionRow::default()
        };
        self.host
            .mirror
            .upsert_connection(&row)
            .await
            .expect("save connection");
        self.host
            .live(name)
            .await
            .expect("the connection goes live")
    }

    /// The first customer id of the simulator.
    pub fn customer(&self) -> u64 {
        self.sim.state().credentials().customer_ids[0]
    }
}
