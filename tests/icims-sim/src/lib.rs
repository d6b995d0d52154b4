//! A faithful, fast simulator of the iCIMS REST API (see `icims-api.md` and this crate's
//! README): an API host, a login host and an admin side door, each a real HTTP/1.1 listener
//! on loopback.
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! let sim = icims_sim::IcimsSim::start(icims_sim::SimConfig::default()).await?;
//! let token_url = format!("{}/oauth/token", sim.login_base_url());
//! let people = format!("{}/customers/1234/search/people", sim.api_base_url());
//! # let _ = (token_url, people);
//! sim.shutdown().await;
//! # Ok(()) }
//! ```

mod admin;
mod api;
mod auth;
mod clock;
pub mod config;
mod counters;
pub mod dates;
pub mod errors;
pub mod events;
pub mod faults;
mod fields;
mod files;
pub mod generator;
mod lists;
mod profiles;
mod quota;
mod record_type;
mod reply;
pub mod request_log;
pub mod search;
mod server;
mod state;
mod store;
mod workflows;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use tokio::net::TcpListener;
use tokio::sync::watch;

pub use config::{
    AuthConfig, ClockConfig, CustomFieldIds, CustomerConfig, DefaultFields, FaultConfig,
    GeneratorConfig, HiddenFields, ListNode, Permission, ProfileConfig, QuotaConfig, SearchConfig,
    SimConfig,
};
pub use counters::{CountersSnapshot, Endpoint};
pub use errors::ApiError;
pub use faults::{FaultKind, FaultMatch, FaultScript};
pub use quota::QuotaSnapshot;
pub use record_type::RecordType;
pub use request_log::LoggedRequest;
pub use state::{Credentials, SimState};

/// The default customer's statuses by generic stage, as the iCIMS connector's `status-map`
/// setting (see [`CustomerConfig`]'s default statuses).
pub const STATUS_MAP: &str = "new=D10100;screening=C2028,C12295;interview=C12296;offer=C22001,C23504;hired=C23505;rejected=C36951;withdrawn=C38354";
/// The default customer's job folders by job state, as the connector's `job-state-map` setting.
pub const JOB_STATE_MAP: &str = "open=D31001;draft=D31002;on-hold=D31004;closed=D31006,D31007";

/// A running simulator. Dropping it stops the listeners (and the background runtime, if any).
pub struct IcimsSim {
    state: SimState,
    api: SocketAddr,
    login: SocketAddr,
    admin: SocketAddr,
    shutdown: watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    background: Option<Background>,
}

struct Background {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl IcimsSim {
    /// Binds the three listeners and spawns them on the current tokio runtime.
    pub async fn start(config: SimConfig) -> anyhow::Result<IcimsSim> {
        let bind = |port: u16| {
            let host = config.bind_host.clone();
            async move {
                TcpListener::bind((host.as_str(), port))
                    .await
                    .map_err(|e| anyhow::anyhow!("binding {host}:{port}: {e}"))
            }
        };
        let api_l = bind(config.api_port).await?;
        let login_l = bind(config.login_port).await?;
        let admin_l = bind(config.admin_port).await?;
        let (api, login, admin) = (
            api_l.local_addr()?,
            login_l.local_addr()?,
            admin_l.local_addr()?,
        );
        // Generating a large data set is CPU work: keep it off the async worker.
        let state =
            tokio::task::spawn_blocking(move || SimState::new(config, format!("http://{api}")))
                .await??;
        let (tx, rx) = watch::channel(false);
        let inner = state.inner.clone();
        let tasks = vec![
            tokio::spawn(server::serve(
                api_l,
                server::Host::Api,
                inner.clone(),
                rx.clone(),
            )),
            tokio::spawn(server::serve(
                login_l,
                server::Host::Login,
                inner.clone(),
                rx.clone(),
            )),
            tokio::spawn(server::serve(admin_l, server::Host::Admin, inner, rx)),
        ];
        tracing::info!(%api, %login, %admin, "icims-sim listening");
        Ok(IcimsSim {
            state,
            api,
            login,
            admin,
            shutdown: tx,
            tasks,
            background: None,
        })
    }

    /// Starts the simulator on a dedicated multi-thread runtime on its own thread, for
    /// synchronous callers. The runtime stops when the handle is shut down or dropped.
    pub fn start_in_background(config: SimConfig) -> anyhow::Result<IcimsSim> {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("icims-sim".into())
            .spawn(move || {
                let rt = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .thread_name("icims-sim-worker")
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(anyhow::anyhow!("building runtime: {e}")));
                        return;
                    }
                };
                rt.block_on(async move {
                    match IcimsSim::start(config).await {
                        Ok(sim) => {
                            let _ = ready_tx.send(Ok(sim.detached()));
                            let _ = stop_rx.await;
                            sim.shutdown().await;
                        }
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                        }
                    }
                });
            })?;
        let mut sim = ready_rx
            .recv()
            .map_err(|_| anyhow::anyhow!("simulator thread exited before starting"))??;
        sim.background = Some(Background {
            stop: Some(stop_tx),
            thread: Some(thread),
        });
        Ok(sim)
    }

    /// A second handle on the same listeners without ownership of the tasks (the background
    /// thread keeps the owning one).
    fn detached(&self) -> IcimsSim {
        IcimsSim {
            state: self.state.clone(),
            api: self.api,
            login: self.login,
            admin: self.admin,
            shutdown: watch::channel(false).0,
            tasks: Vec::new(),
            background: None,
        }
    }

    /// e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn api_base_url(&self) -> String {
        format!("http://{}", self.api)
    }

    /// The token URL is `login_base_url() + "/oauth/token"`.
    pub fn login_base_url(&self) -> String {
        format!("http://{}", self.login)
    }

    /// The OAuth token URL the connector declares for this simulator.
    pub fn token_url(&self) -> String {
        format!("{}/oauth/token", self.login_base_url())
    }

    /// What an operator grants a connection to this simulator, as a connection file's
    /// `[grant]` section: the API host over plain HTTP (it is a loopback test server) and the
    /// token URL.
    pub fn grant_toml(&self) -> String {
        format!(
            "[grant]\napi_hosts = [\"{}\"]\ntoken_url = \"{}\"\n",
            self.api_base_url(),
            self.token_url()
        )
    }

    /// The settings that point the iCIMS connector at customer `customer_id` of this
    /// simulator: its URLs, client id and audience, [`STATUS_MAP`], [`JOB_STATE_MAP`], and
    /// searches that never wait for staleness. The client secret is no setting: it is
    /// `state().credentials().client_secret`, for the host to hold.
    pub fn connector_settings(&self, customer_id: u64) -> BTreeMap<String, String> {
        let creds = self.state.credentials();
        [
            ("customer-id", customer_id.to_string()),
            ("api-base-url", self.api_base_url()),
            ("login-base-url", self.login_base_url()),
            ("client-id", creds.client_id),
            ("audience", creds.audience),
            ("status-map", STATUS_MAP.to_string()),
            ("job-state-map", JOB_STATE_MAP.to_string()),
            ("search-staleness-minutes", "0".to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

    /// A connection file (`ats connect FILE`) for customer `customer_id`: `name`, the plugin at
    /// `plugin`, [`IcimsSim::grant_toml`], [`IcimsSim::connector_settings`] plus `extra`
    /// settings, and the client secret read from `secret_file` (relative to the file).
    pub fn connection_toml(
        &self,
        name: &str,
        plugin: &std::path::Path,
        customer_id: u64,
        secret_file: &str,
        extra: &[(&str, &str)],
    ) -> String {
        let mut settings = self.connector_settings(customer_id);
        settings.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        // Debug quoting escapes what a TOML basic string needs escaped.
        let settings: String = settings
            .iter()
            .map(|(k, v)| format!("{k} = {v:?}\n"))
            .collect();
        format!(
            "name = {name:?}\nplugin = {:?}\n{}[settings]\n{settings}[secrets]\nclient-secret = {{ file = {secret_file:?} }}\n",
            plugin.display().to_string(),
            self.grant_toml(),
        )
    }

    pub fn admin_base_url(&self) -> String {
        format!("http://{}", self.admin)
    }

    pub fn state(&self) -> SimState {
        self.state.clone()
    }

    /// Stops accepting, closes open connections and waits for the listener tasks.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        for t in std::mem::take(&mut self.tasks) {
            let _ = t.await;
        }
        if let Some(mut bg) = self.background.take() {
            // Joining a thread from async code blocks this worker briefly; do it off-thread.
            let stop = bg.stop.take();
            let thread = bg.thread.take();
            let _ = tokio::task::spawn_blocking(move || {
                if let Some(s) = stop {
                    let _ = s.send(());
                }
                if let Some(t) = thread {
                    let _ = t.join();
                }
            })
            .await;
        }
    }
}

impl Drop for IcimsSim {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        for t in &self.tasks {
            t.abort();
        }
        // `background` (if still present) stops and joins its runtime thread in its own Drop.
    }
}
