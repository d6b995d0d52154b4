//! Shared set-up for the `icims_*` scenarios: a simulator, the real iCIMS component in the real
//! runtime, and a connection between them over loopback.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::Arc;

use ats_model::{AtsRecord, ListRequest, Page, RecordKind};
use ats_runtime::{
    Connection, ConnectionSpec, MemoryStorage, NoObserver, Runtime, RuntimeConfig, Secret,
};
use icims_sim::{IcimsSim, SimConfig};

pub struct Env {
    pub sim: IcimsSim,
    pub runtime: Runtime,
    pub plugin: ats_runtime::Plugin,
    pub conn: Connection,
    pub customer: u64,
    _dir: tempfile::TempDir,
}

/// The authority (`host:port`) of a base URL.
pub fn authority(url: &str) -> String {
    url.split_once("://")
        .map_or(url, |(_, r)| r)
        .trim_end_matches('/')
        .to_string()
}

/// Settings that point the connector at `sim`'s first customer, plus `extra`.
pub fn settings(sim: &IcimsSim, extra: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut s = sim.connector_settings(sim.state().credentials().customer_ids[0]);
    for (k, v) in extra {
        s.insert(k.to_string(), v.to_string());
    }
    s
}

/// Starts a simulator with `config` and connects the iCIMS component to it.
pub async fn start(config: SimConfig, extra: &[(&str, &str)]) -> Env {
    let sim = IcimsSim::start(config).await.expect("simulator starts");
    let dir = tempfile::tempdir().unwrap();
    let runtime = Runtime::new(RuntimeConfig::new(dir.path().join("cache"))).expect("runtime");
    let plugin = runtime
        .load_plugin(&e2e_tests::plugin_path("icims_connector"))
        .expect("plugin loads");
    let settings = settings(&sim, extra);
    let conn = connect(&runtime, &plugin, &sim, settings).await;
    let customer = sim.state().credentials().customer_ids[0];
    Env {
        sim,
        runtime,
        plugin,
        conn,
        customer,
        _dir: dir,
    }
}

/// A connection with the given settings and the simulator's OAuth2 secret.
pub async fn connect(
    runtime: &Runtime,
    plugin: &ats_runtime::Plugin,
    sim: &IcimsSim,
    settings: BTreeMap<String, String>,
) -> Connection {
    let creds = sim.state().credentials();
    let secrets = [(
        "client-secret".to_string(),
        Secret::new(creds.client_secret.clone()),
    )]
    .into_iter()
    .collect();
    let spec = ConnectionSpec {
        name: "icims-e2e".into(),
        settings,
        secrets,
        // The operator grants the API host and the token URL; the host fetches tokens itself.
        grant: e2e_tests::sim_grant(sim),
        limits: None,
    };
    runtime
        .connect(
            plugin,
            spec,
            Arc::new(MemoryStorage::new()),
            Arc::new(NoObserver),
        )
        .await
        .expect("connects")
}

/// A small deterministic data set.
pub fn config(people: u32, jobs: u32, workflows: u32) -> SimConfig {
    SimConfig::sized(people, jobs, workflows)
}

/// Reads a whole stream page by page; returns the pages.
pub async fn read_all(conn: &Connection, kind: RecordKind, since: Option<i64>) -> Vec<Page> {
    let mut pages = Vec::new();
    let mut cursor = None;
    loop {
        let page = conn
            .list_records(
                kind,
                ListRequest {
                    cursor: cursor.clone(),
                    updated_since: since,
                    page_size_hint: None,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("list {kind:?}: {e}"));
        cursor = page.next_cursor.clone();
        pages.push(page);
        if cursor.is_none() {
            return pages;
        }
    }
}

pub fn record_id(record: &AtsRecord) -> String {
    match record {
        AtsRecord::Candidate(c) => c.id.clone(),
        AtsRecord::Job(j) => j.id.clone(),
        AtsRecord::Application(a) => a.id.clone(),
        AtsRecord::Status(s) => s.id.clone(),
        AtsRecord::Folder(f) => f.id.clone(),
    }
}
