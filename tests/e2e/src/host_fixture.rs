//! A whole host (runtime, mirror, plugin storage) in a temporary folder, with connections to an
//! iCIMS simulator: what the sync and feature scenarios start from.

use ats_app::host::{Host, HostPaths};
use ats_app::live_connection::LiveConnection;
use ats_mirror::{ConnectionRow, SecretRef};
use icims_sim::{IcimsSim, SimConfig};
use std::collections::BTreeMap;

/// The simulator's default statuses by generic stage (see `icims_sim::CustomerConfig`).
pub const STATUS_MAP: &str = "new=D10100;screening=C2028,C12295;interview=C12296;offer=C22001,C23504;hired=C23505;rejected=C36951;withdrawn=C38354";
/// The simulator's default job folders by job state.
pub const JOB_STATE_MAP: &str = "open=D31001;draft=D31002;on-hold=D31004;closed=D31006,D31007";

/// A simulator and a host beside it.
pub struct HostEnv {
    pub sim: IcimsSim,
    pub host: Host,
    pub dir: tempfile::TempDir,
}

/// A simulator config with one customer and the given data set sizes.
pub fn sim_config(people: u32, jobs: u32, workflows: u32) -> SimConfig {
    let mut config = SimConfig::default();
    let g = &mut config.customers[0].generator;
    g.people = people;
    g.jobs = jobs;
    g.workflows = workflows;
    config
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
    /// The settings that point the iCIMS connector at customer `customer_id` of the simulator.
    pub fn icims_settings(&self, customer_id: u64) -> BTreeMap<String, String> {
        let creds = self.sim.state().credentials();
        [
            ("customer-id", customer_id.to_string()),
            ("api-base-url", self.sim.api_base_url()),
            ("login-base-url", self.sim.login_base_url()),
            ("client-id", creds.client_id.clone()),
            ("audience", creds.audience.clone()),
            ("status-map", STATUS_MAP.to_string()),
            ("job-state-map", JOB_STATE_MAP.to_string()),
            ("search-staleness-minutes", "0".to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

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
        let mut settings = self.icims_settings(customer_id);
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
