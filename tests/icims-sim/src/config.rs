//! Every knob of the simulator. Defaults follow icims-api.md; where the reference says
//! UNKNOWN the behaviour is a setting here and the crate README names the default.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::faults::{FaultKind, FaultScript};

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SimConfig {
    /// Interface all three listeners bind to.
    pub bind_host: String,
    /// 0 = ephemeral.
    pub api_port: u16,
    pub login_port: u16,
    pub admin_port: u16,
    /// Base used in `Location`, `self` and `profile` URLs instead of the bound address
    /// (e.g. `https://api.icims.com` for fixtures). Default: the API listener's own URL.
    pub public_api_base: Option<String>,
    pub customers: Vec<CustomerConfig>,
    pub auth: AuthConfig,
    pub quota: QuotaConfig,
    /// Added (tokio sleep) before every API and login-host response.
    pub latency_ms: u64,
    pub clock: ClockConfig,
    pub search: SearchConfig,
    pub profiles: ProfileConfig,
    pub faults: FaultConfig,
    /// Event notifications sent when a workflow's status changes.
    pub events: crate::events::EventConfig,
    /// Keep a log of every API request per customer (see `SimState::request_log`).
    pub request_log: bool,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            bind_host: "127.0.0.1".into(),
            api_port: 0,
            login_port: 0,
            admin_port: 0,
            public_api_base: None,
            customers: vec![CustomerConfig::default()],
            auth: AuthConfig::default(),
            quota: QuotaConfig::default(),
            latency_ms: 0,
            clock: ClockConfig::default(),
            search: SearchConfig::default(),
            profiles: ProfileConfig::default(),
            faults: FaultConfig::default(),
            events: Default::default(),
            request_log: false,
        }
    }
}

impl SimConfig {
    /// The default config (one customer) with a data set of `people`, `jobs` and `workflows`.
    pub fn sized(people: u32, jobs: u32, workflows: u32) -> SimConfig {
        let mut config = SimConfig::default();
        let g = &mut config.customers[0].generator;
        g.people = people;
        g.jobs = jobs;
        g.workflows = workflows;
        config
    }

    /// The default config with `count` customers (ids 3000, 3001, …, each its own seed), each a
    /// data set of `people`, `jobs` and `workflows`: a fleet of tenants for scale-out runs.
    pub fn fleet(count: usize, people: u32, jobs: u32, workflows: u32) -> SimConfig {
        let mut config = SimConfig::sized(people, jobs, workflows);
        let base = config.customers[0].clone();
        config.customers = (0..count)
            .map(|i| {
                let mut c = base.clone();
                c.id = 3_000 + i as u64;
                c.name = format!("Customer {i}");
                c.generator.seed = 42 + i as u64;
                c
            })
            .collect();
        config
    }
}

/// One iCIMS customer (tenant): its own data, quota counter, permissions and status list.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CustomerConfig {
    pub id: u64,
    pub name: String,
    /// `test` for sandboxes (§1).
    pub customer_type: String,
    /// Permissions the integration user lacks; such calls answer 404 errorCode 3 (§11).
    pub denied_permissions: Vec<Permission>,
    /// Recruiting-workflow statuses (customer-configured list nodes, §4.4).
    pub statuses: Vec<ListNode>,
    pub person_folders: Vec<ListNode>,
    pub job_folders: Vec<ListNode>,
    pub company_folders: Vec<ListNode>,
    pub sources: Vec<ListNode>,
    pub departments: Vec<ListNode>,
    pub generator: GeneratorConfig,
    /// Fields the integration user may not see: absent from GET answers (§2.4), as a real
    /// customer's field permissions make them.
    pub hidden_fields: Vec<HiddenFields>,
}

/// Fields of one record type hidden from the integration user, on some records or all.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HiddenFields {
    pub record_type: crate::record_type::RecordType,
    /// Field names (`updateddate`, `associatedprofile`, …). Hiding a workflow's
    /// `associatedprofile` or `baseprofile` also drops its link in `links`.
    pub fields: Vec<String>,
    /// The records it applies to; empty means every record of the type.
    #[serde(default)]
    pub ids: Vec<u64>,
}

impl HiddenFields {
    /// Whether the rule hides fields of this record.
    pub fn applies(&self, ty: crate::record_type::RecordType, id: u64) -> bool {
        self.record_type == ty && (self.ids.is_empty() || self.ids.contains(&id))
    }
}

impl Default for CustomerConfig {
    fn default() -> Self {
        CustomerConfig {
            id: 1234,
            name: "Simulated Customer".into(),
            customer_type: "test".into(),
            denied_permissions: Vec::new(),
            statuses: nodes(&[
                ("D10100", "New Submissions - External Portal"),
                ("C2028", "Reviewed"),
                ("C12295", "Phone Screen"),
                ("C12296", "Interview - Hiring Manager"),
                ("C22001", "Offer Extended"),
                ("C23504", "Offer Accepted"),
                ("C23505", "Hired"),
                ("C36951", "Not Selected"),
                ("C38354", "Candidate Withdrew"),
            ]),
            person_folders: nodes(&[
                ("C16801", "Candidate: Active"),
                ("C16802", "Candidate: Inactive"),
                ("C16818", "Emp:New Hire"),
                ("C16819", "Emp:Current Employee"),
                ("C16820", "HM:Active"),
            ]),
            job_folders: nodes(&[
                ("D31001", "Approved"),
                ("D31002", "Draft"),
                ("D31004", "On Hold"),
                ("D31006", "Closed (Filled)"),
                ("D31007", "Closed (Not Filled)"),
            ]),
            company_folders: nodes(&[
                ("D33001", "Active Location"),
                ("D33002", "Inactive Location"),
            ]),
            sources: nodes(&[
                ("C20001", "Company Website"),
                ("C20002", "LinkedIn"),
                ("C20003", "Indeed"),
                ("C20004", "Employee Referral"),
                ("C20005", "Agency"),
                ("C20006", "Other (Please Specify)"),
            ]),
            departments: nodes(&[
                ("C30001", "Engineering"),
                ("C30002", "Sales"),
                ("C30003", "Marketing"),
                ("C30004", "Finance"),
                ("C30005", "Operations"),
                ("C30006", "People"),
            ]),
            generator: GeneratorConfig::default(),
            hidden_fields: Vec::new(),
        }
    }
}

fn nodes(list: &[(&str, &str)]) -> Vec<ListNode> {
    list.iter()
        .map(|(id, value)| ListNode {
            id: (*id).into(),
            value: (*value).into(),
        })
        .collect()
}

/// A list node (`{"id","value","formattedvalue"}` on the wire; formattedvalue = value).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListNode {
    pub id: String,
    pub value: String,
}

/// Integration-user permissions a connector must prove in check-connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Permission {
    JobsList,
    JobsGet,
    WorkflowsList,
    WorkflowsAdd,
    WorkflowsUpdate,
    WorkflowsGet,
    PeopleAdd,
    PeopleList,
    PeopleUpdate,
    PeopleGet,
    StatusList,
    StatusGet,
    StatusUpdate,
    PersonFoldersList,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthConfig {
    pub client_id: String,
    pub client_secret: String,
    /// Required `audience` form value on the token request (§2.1).
    pub audience: String,
    pub username: String,
    pub password: String,
    pub basic_auth_enabled: bool,
    /// `expires_in` of issued tokens, seconds of sim time.
    pub token_lifetime_secs: u64,
    /// More than this many tokens per client within the window is refused (§2.1: 500 / 10 min).
    pub token_throttle_limit: u32,
    pub token_throttle_window_secs: u64,
    /// Status of the throttle refusal (UNKNOWN in the reference).
    pub token_throttle_status: u16,
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            client_id: "sim-client-id".into(),
            client_secret: "sim-client-secret".into(),
            audience: "https://api.icims.com/v1/".into(),
            username: "sim-integration-user".into(),
            password: "sim-password".into(),
            basic_auth_enabled: true,
            token_lifetime_secs: 86_400,
            token_throttle_limit: 500,
            token_throttle_window_secs: 600,
            token_throttle_status: 429,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QuotaConfig {
    pub enabled: bool,
    /// Requests per window per customer (§12: 10,000/day).
    pub limit: u64,
    /// Window length in sim seconds, aligned to the unix epoch: 86400 = calendar day UTC
    /// (resets at midnight UTC, §12); 60 = every sim minute, for tests.
    pub window_secs: u64,
    /// Status when exhausted (UNKNOWN in the reference; 403 is the other candidate).
    pub exhausted_status: u16,
    pub exhausted_error_code: i64,
    /// Add `Retry-After: <seconds to reset>` to exhaustion answers (not documented by iCIMS).
    pub retry_after: bool,
}

impl Default for QuotaConfig {
    fn default() -> Self {
        QuotaConfig {
            enabled: true,
            limit: 10_000,
            window_secs: 86_400,
            exhausted_status: 429,
            exhausted_error_code: 429,
            retry_after: false,
        }
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClockConfig {
    /// Sim time at start (unix seconds). Default: the real time now.
    pub start_unix: Option<i64>,
    /// When false (default) sim time flows with real time from `start_unix`. Tests that need
    /// exact arithmetic freeze it and move time only with `advance_clock`.
    pub frozen: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    /// `staleness` when the request has none (§5.1: 15 minutes).
    pub default_staleness_minutes: u64,
    /// Maximum ids per search answer (§5.3: 1,000).
    pub max_results: usize,
    /// Status and errorCode for rejected queries (both UNKNOWN in the reference).
    pub error_status: u16,
    pub error_code: i64,
    /// Cached result sets kept before expired ones are swept.
    pub cache_capacity: usize,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            default_staleness_minutes: 15,
            max_results: 1000,
            error_status: 400,
            error_code: 1,
            cache_capacity: 10_000,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProfileConfig {
    /// Fields returned by a GET without `fields=`, per type (UNKNOWN in the reference).
    pub default_fields: DefaultFields,
    pub custom_fields: CustomFieldIds,
    /// Status for a second workflow on the same person–job pair (iCIMS keeps one per pair).
    pub duplicate_workflow_status: u16,
    /// Largest accepted resume upload (reference: UNKNOWN).
    pub max_upload_bytes: usize,
    /// Status when a person has no resume (reference: a JSON error; status UNKNOWN).
    pub missing_file_status: u16,
}

impl Default for ProfileConfig {
    fn default() -> Self {
        ProfileConfig {
            default_fields: DefaultFields::default(),
            custom_fields: CustomFieldIds::default(),
            duplicate_workflow_status: 400,
            max_upload_bytes: 10 * 1024 * 1024,
            missing_file_status: 404,
        }
    }
}

/// Per-type field lists for a GET without `fields=`; an empty list (default) means every field.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DefaultFields {
    pub people: Vec<String>,
    pub jobs: Vec<String>,
    pub companies: Vec<String>,
    pub applicantworkflows: Vec<String>,
}

impl DefaultFields {
    pub fn for_type(&self, ty: crate::record_type::RecordType) -> &[String] {
        use crate::record_type::RecordType::*;
        match ty {
            People => &self.people,
            Jobs => &self.jobs,
            Companies => &self.companies,
            Workflows => &self.applicantworkflows,
        }
    }
}

/// Customer-specific field ids (`fieldNNNNN`) the generator fills.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CustomFieldIds {
    pub linkedin: String,
    pub current_title: String,
    pub current_company: String,
    pub skills: String,
}

impl Default for CustomFieldIds {
    fn default() -> Self {
        CustomFieldIds {
            linkedin: "field50527".into(),
            current_title: "field51027".into(),
            current_company: "field51028".into(),
            skills: "field51029".into(),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultConfig {
    /// Seed of the RNG that draws rate-based faults.
    pub seed: u64,
    /// Probability per request for each fault kind (checked in a fixed order).
    pub rates: BTreeMap<FaultKind, f64>,
    /// How long a `timeout` fault holds the request before dropping the connection.
    pub timeout_hold_ms: u64,
    /// Scripted faults queued at start.
    pub script: Vec<FaultScript>,
    /// `Retry-After` seconds added to `429`/`503` fault answers (none by default: iCIMS
    /// documents no Retry-After).
    pub retry_after_secs: Option<u64>,
}

impl Default for FaultConfig {
    fn default() -> Self {
        FaultConfig {
            seed: 7,
            rates: BTreeMap::new(),
            timeout_hold_ms: 60_000,
            script: Vec::new(),
            retry_after_secs: None,
        }
    }
}

/// Deterministic data set of one customer: same seed → same data.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GeneratorConfig {
    pub seed: u64,
    pub people: u32,
    pub jobs: u32,
    pub workflows: u32,
    pub companies: u32,
    /// Fraction of people generated as realistic duplicates of another person.
    pub duplicate_people_rate: f64,
    /// Fraction of people with a (generated, text) resume.
    pub resume_rate: f64,
    /// Created/updated dates fall in [start, end] (unix seconds). Default: the two years
    /// before the sim clock's start.
    pub start_unix: Option<i64>,
    pub end_unix: Option<i64>,
}

impl Default for GeneratorConfig {
    fn default() -> Self {
        GeneratorConfig {
            seed: 42,
            people: 200,
            jobs: 20,
            workflows: 300,
            companies: 5,
            duplicate_people_rate: 0.05,
            resume_rate: 0.7,
            start_unix: None,
            end_unix: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_toml_parses() {
        let cfg: SimConfig = toml::from_str(include_str!("../sim.example.toml")).unwrap();
        assert_eq!(cfg.customers.len(), 2);
        assert_eq!(
            cfg.customers[1].denied_permissions,
            vec![Permission::PersonFoldersList]
        );
        assert_eq!(cfg.customers[1].statuses.len(), 3);
        // Omitted lists keep the defaults.
        assert_eq!(cfg.customers[1].person_folders.len(), 5);
        assert_eq!(cfg.faults.script[0].fault, FaultKind::Unavailable);
        assert_eq!(cfg.customers[0].generator.people, 2000);
    }

    #[test]
    fn unknown_keys_are_rejected() {
        assert!(toml::from_str::<SimConfig>("quota_size = 5").is_err());
    }
}
