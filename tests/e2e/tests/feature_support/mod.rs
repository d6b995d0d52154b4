//! What the recruiter-feature scenarios share: a simulator and a host with one iCIMS
//! connection (custom fields for title, company, LinkedIn and skills mapped, as a real tenant
//! would configure them), the features called the way the CLI calls them, and the
//! simulator-side facts the scenarios check (write counters, people, snapshots).
#![allow(dead_code)]

use ats_app::live_connection::LiveConnection;
use ats_app::sync_runner::{SyncOptions, sync_connection};
use ats_features::{ExportOptions, ExportReport, FeatureError, unix_now};
use ats_sync::NoProgress;
use e2e_tests::host_fixture::{self, HostEnv};
use icims_sim::{RecordType, SimConfig, SimState};
use serde_json::{Map, Value};

/// The connection's name in every scenario.
pub const CONN: &str = "acme";

/// The simulator's custom person fields (see `icims_sim::CustomFieldIds`).
pub const CUSTOM_FIELDS: [(&str, &str); 4] = [
    ("linkedin-field", "field50527"),
    ("title-field", "field51027"),
    ("company-field", "field51028"),
    ("skills-field", "field51029"),
];

pub struct FeatureEnv {
    pub env: HostEnv,
    pub live: LiveConnection,
    pub cid: u64,
}

/// A simulator config with the given data set sizes and no generated duplicates unless asked.
pub fn config(people: u32, jobs: u32, workflows: u32) -> SimConfig {
    let mut config = host_fixture::sim_config(people, jobs, workflows);
    config.customers[0].generator.duplicate_people_rate = 0.0;
    config
}

/// Starts a simulator and a host with connection [`CONN`] live.
pub async fn start(config: SimConfig) -> FeatureEnv {
    let env = host_fixture::start(config).await;
    let cid = env.customer();
    let live = env.connect_icims_with(CONN, cid, &CUSTOM_FIELDS).await;
    FeatureEnv { env, live, cid }
}

impl FeatureEnv {
    pub fn state(&self) -> SimState {
        self.env.sim.state()
    }

    pub fn mirror(&self) -> &dyn ats_mirror::Mirror {
        self.env.host.mirror.as_ref()
    }

    /// Syncs every stream into the mirror and checks each completed.
    pub async fn sync(&self) {
        let reports = sync_connection(
            &self.env.host,
            &self.live,
            &SyncOptions::default(),
            &NoProgress,
        )
        .await
        .expect("sync");
        assert!(
            reports.iter().all(|r| r.outcome == "completed"),
            "{reports:#?}"
        );
    }

    /// Exports a profile given as JSON, as `ats export` does.
    pub async fn export(&self, json: &str) -> Result<ExportReport, FeatureError> {
        ats_features::export_json(
            self.mirror(),
            &self.live,
            CONN,
            json,
            &ExportOptions::at(unix_now()),
        )
        .await
    }

    /// Requests that change the simulator's data (creates, patches, deletes, file uploads).
    pub fn writes(&self) -> u64 {
        let c = self.state().counters();
        c.endpoints_with_prefix("create.")
            + c.endpoints_with_prefix("patch.")
            + c.endpoints_with_prefix("delete.")
            + c.endpoint("binary")
    }

    pub fn ids(&self, ty: RecordType) -> Vec<u32> {
        self.state().ids(self.cid, ty).expect("ids")
    }

    pub fn snapshot(&self, ty: RecordType, id: &str) -> Value {
        self.state()
            .snapshot(self.cid, ty, id.parse().expect("numeric id"))
            .expect("snapshot")
    }

    /// Workflows of a person in the simulator.
    pub fn workflows_of(&self, person: &str) -> Vec<Value> {
        self.ids(RecordType::Workflows)
            .into_iter()
            .map(|id| self.snapshot(RecordType::Workflows, &id.to_string()))
            .filter(|w| w["associatedprofile"]["id"].to_string().trim_matches('"') == person)
            .collect()
    }

    /// Creates a person through the side door.
    pub fn seed_person(&self, fields: Value) -> u64 {
        self.state()
            .create_person(self.cid, &object(fields))
            .expect("create person") as u64
    }

    /// Creates a job through the side door.
    pub fn seed_job(&self, fields: Value) -> u64 {
        self.state()
            .create_job(self.cid, &object(fields))
            .expect("create job") as u64
    }
}

pub fn object(v: Value) -> Map<String, Value> {
    v.as_object().expect("an object").clone()
}

/// A small PDF, base64.
pub fn pdf_base64(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(format!("%PDF-1.4\n{text}\n%%EOF\n"))
}
