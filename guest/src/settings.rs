//! The connection's settings, parsed and validated into [`Settings`].
//!
//! Every key is declared once in [`SETTINGS`] (which `describe` publishes) and read with
//! `ats_connector_sdk::config`. Parsing is pure — it takes a lookup function — so validation
//! messages are unit-tested natively. Every error names the setting at fault.

use ats_connector_sdk::error::misconfigured;
use ats_connector_sdk::{ConnectorError, JobState, Stage, StatusTarget};

/// One setting as `describe` publishes it.
pub struct SettingDef {
    pub key: &'static str,
    pub description: &'static str,
    pub required: bool,
    pub secret: bool,
    pub default: Option<&'static str>,
}

const fn def(
    key: &'static str,
    description: &'static str,
    default: Option<&'static str>,
) -> SettingDef {
    SettingDef {
        key,
        description,
        required: false,
        secret: false,
        default,
    }
}

pub const US_API: &str = "https://api.icims.com";
pub const US_LOGIN: &str = "https://login.icims.com";
pub const EU_API: &str = "https://api-eu.icims.com";
pub const EU_LOGIN: &str = "https://login.icims.eu";
pub const DEFAULT_AUDIENCE: &str = "https://api.icims.com/v1/";
pub const DEFAULT_SOURCE: &str = "Other (Please Specify)";
/// iCIMS's search cache age when `staleness` is not sent (icims-api.md §5.1).
pub const ICIMS_DEFAULT_STALENESS_MINUTES: u32 = 15;
pub const DEFAULT_IN_FLIGHT: usize = 16;

/// Every setting the connector reads.
pub const SETTINGS: &[SettingDef] = &[
    SettingDef {
        key: "customer-id",
        description: "The numeric iCIMS customer id that goes in every URL (`/customers/{id}`). A sandbox is another customer id.",
        required: true,
        secret: false,
        default: None,
    },
    def(
        "region",
        "Where the customer is hosted: `us` (api.icims.com, login.icims.com) or `eu` (api-eu.icims.com, login.icims.eu).",
        Some("us"),
    ),
    def(
        "api-base-url",
        "Overrides the API base URL given by `region` (e.g. a local simulator `http://127.0.0.1:41234`).",
        None,
    ),
    def(
        "login-base-url",
        "Overrides the OAuth2 login base URL given by `region`; the token URL is this plus `/oauth/token`.",
        None,
    ),
    def(
        "environment",
        "A label for this connection's environment, e.g. `sandbox` or `production` (iCIMS's `customerType` wins when it says `test`).",
        None,
    ),
    def(
        "auth-mode",
        "How the host authenticates: `oauth2` (client credentials, recommended) or `basic` (integration user name and password).",
        Some("oauth2"),
    ),
    def(
        "client-id",
        "OAuth2 client id issued by iCIMS for the integration (auth-mode `oauth2`).",
        None,
    ),
    SettingDef {
        key: "client-secret",
        description: "OAuth2 client secret issued by iCIMS (auth-mode `oauth2`). Kept by the host; the connector never sees it.",
        required: false,
        secret: true,
        default: None,
    },
    def(
        "audience",
        "The OAuth2 `audience` sent with the token request.",
        Some(DEFAULT_AUDIENCE),
    ),
    def(
        "username",
        "Integration user name (auth-mode `basic`).",
        None,
    ),
    SettingDef {
        key: "password",
        description: "Integration user password (auth-mode `basic`). Kept by the host; the connector never sees it.",
        required: false,
        secret: true,
        default: None,
    },
    def(
        "status-map",
        "Which iCIMS recruiting-workflow status ids make up each generic stage: `new=D10100,C100;screening=C2028;interview=…;offer=…;hired=…;rejected=…;withdrawn=…`. Ids not listed map to stage `other`.",
        None,
    ),
    def(
        "default-status-id",
        "Status id for new applications when none is given (default: the first id of `new` in `status-map`).",
        None,
    ),
    def(
        "new-candidate-folder",
        "Person folder id (from `lists.person.folders`) for created candidates; absent = iCIMS's default.",
        None,
    ),
    def(
        "new-candidate-source",
        "Source for created candidates and applications.",
        Some(DEFAULT_SOURCE),
    ),
    def(
        "source-name",
        "Default source name (`sourcename`) for created candidates and applications, e.g. the platform's name.",
        None,
    ),
    def(
        "linkedin-field",
        "Custom person field id (e.g. `field50527`) that holds the LinkedIn URL.",
        None,
    ),
    def(
        "title-field",
        "Custom person field id that holds the current job title.",
        None,
    ),
    def(
        "company-field",
        "Custom person field id that holds the current employer.",
        None,
    ),
    def(
        "skills-field",
        "Custom person field id that holds skills (text or multi-select list).",
        None,
    ),
    def(
        "custom-fields",
        "The customer's own fields to read and keep as named custom values, per record type: `person=field23848,field29946; job=positioncategory; workflow=field36999`. iCIMS answers only the fields a request names.",
        None,
    ),
    def(
        "job-state-map",
        "Which job folder ids mean each job state: `open=D31001;closed=C100,C101;draft=…;on-hold=…`.",
        None,
    ),
    def(
        "search-staleness-minutes",
        "Search cache age iCIMS may answer from (`staleness`); absent = iCIMS's default of 15, `0` = live (slower).",
        None,
    ),
    def(
        crate::resume_text::SETTING,
        "`on`: after each candidates sync the host asks iCIMS for the text of every new or changed résumé (one request per résumé, at most 200 per sync), \
         so that search and ranking read résumés. `off` saves those requests.",
        Some("on"),
    ),
    def(
        "max-in-flight",
        "How many record GETs to keep in flight at once (1-64).",
        Some("16"),
    ),
    def(
        "event-auth",
        "How iCIMS authenticates the integration events it pushes (as set on the customer's Event Notifications page): \
         `basic` (user `event-username`, password `event-secret`), `bearer` (iCIMS's OAuth 2.0 mode: `authorization: Bearer <token>`, the token in `event-secret`) \
         or `hmac` (`x-icims-v1-hmac-sha256` with `x-icims-date` and `x-icims-content-sha256`, key `event-secret`; iCIMS does not publish the string it signs, \
         so the host's signed-headers form is assumed and must be confirmed with iCIMS). Absent: the host accepts no events for this connection.",
        None,
    ),
    def(
        "event-username",
        "The user name iCIMS sends with its events (`event-auth` `basic`, and the `user=` of `hmac`).",
        None,
    ),
    SettingDef {
        key: "event-secret",
        description: "The password, token or HMAC key of iCIMS's events (`event-auth`). Kept by the host; the connector never sees it.",
        required: false,
        secret: true,
        default: None,
    },
];

/// How iCIMS authenticates the events it pushes (setting `event-auth`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventAuth {
    Basic,
    Bearer,
    Hmac,
}

/// The `event-auth` setting; `None` when absent (the connection takes no events).
pub fn event_auth(get: Lookup) -> Result<Option<EventAuth>, ConnectorError> {
    match value(get, "event-auth")
        .map(|m| m.to_ascii_lowercase())
        .as_deref()
    {
        None => Ok(None),
        Some("basic") => Ok(Some(EventAuth::Basic)),
        Some("bearer") => Ok(Some(EventAuth::Bearer)),
        Some("hmac") => Ok(Some(EventAuth::Hmac)),
        Some(other) => Err(misconfigured(
            "event-auth",
            &format!("must be `basic`, `bearer` or `hmac`, got `{other}`"),
        )),
    }
}

/// How the host authenticates requests to iCIMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthMode {
    #[default]
    OAuth2,
    Basic,
}

/// Where iCIMS is: the API and login base URLs (no trailing slash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    pub api_base: String,
    pub login_base: String,
}

impl Default for Endpoints {
    fn default() -> Self {
        Endpoints {
            api_base: US_API.into(),
            login_base: US_LOGIN.into(),
        }
    }
}

/// Ids grouped under names (`new=D10100,C100;screening=C2028`), in the order given.
#[derive(Debug, Clone, Default)]
pub struct IdMap<T> {
    entries: Vec<(T, Vec<String>)>,
}

impl<T: Copy + PartialEq> IdMap<T> {
    /// The name an id is listed under.
    pub fn name_of(&self, id: &str) -> Option<T> {
        self.entries
            .iter()
            .find(|(_, ids)| ids.iter().any(|i| i == id))
            .map(|(t, _)| *t)
    }

    /// The first id listed under `name`.
    pub fn first_of(&self, name: T) -> Option<&str> {
        self.entries
            .iter()
            .find(|(t, _)| *t == name)
            .and_then(|(_, ids)| ids.first())
            .map(String::as_str)
    }

    /// Every (name, id) pair, in the order given.
    pub fn pairs(&self) -> impl Iterator<Item = (T, &str)> {
        self.entries
            .iter()
            .flat_map(|(t, ids)| ids.iter().map(move |id| (*t, id.as_str())))
    }
}

/// The status map: iCIMS status ids per generic stage.
pub type StatusMap = IdMap<Stage>;

impl StatusMap {
    /// The generic stage of an iCIMS status id (`other` when the map does not list it).
    pub fn stage_of(&self, status_id: &str) -> Stage {
        self.name_of(status_id).unwrap_or(Stage::Other)
    }

    /// The iCIMS status id a target names: the id itself, or the first id of the stage.
    pub fn resolve(&self, target: &StatusTarget) -> Result<String, ConnectorError> {
        match target {
            StatusTarget::StatusId(id) if id.trim().is_empty() => {
                Err(ConnectorError::InvalidInput("the target status id is empty".into()))
            }
            StatusTarget::StatusId(id) => Ok(id.trim().to_string()),
            StatusTarget::Stage(stage) => self.first_of(*stage).map(str::to_string).ok_or_else(|| {
                let name = stage.as_str();
                ConnectorError::InvalidInput(format!(
                    "no iCIMS status is mapped to stage `{name}`: add one to setting `status-map` (e.g. `{name}=C12345`)"
                ))
            }),
        }
    }
}

/// The job-state map: iCIMS job folder ids per generic job state.
pub type JobStateMap = IdMap<JobState>;

/// Custom person fields configured for values iCIMS has no standard field for.
#[derive(Debug, Clone, Default)]
pub struct CustomFields {
    pub linkedin: Option<String>,
    pub title: Option<String>,
    pub company: Option<String>,
    pub skills: Option<String>,
}

impl CustomFields {
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        [&self.linkedin, &self.title, &self.company, &self.skills]
            .into_iter()
            .flatten()
            .map(String::as_str)
    }
}

/// A connection's validated settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub customer_id: u64,
    pub endpoints: Endpoints,
    pub environment: Option<String>,
    pub auth_mode: AuthMode,
    /// How iCIMS's pushed events are authenticated; `None`: the connection takes none.
    pub event_auth: Option<EventAuth>,
    pub status_map: StatusMap,
    pub default_status_id: Option<String>,
    pub new_candidate_folder: Option<String>,
    pub new_candidate_source: String,
    pub source_name: Option<String>,
    pub custom: CustomFields,
    /// The `custom-fields` setting: fields kept under their own names.
    pub named: crate::custom_fields::NamedFields,
    pub job_state_map: JobStateMap,
    /// `None` = send no `staleness` (iCIMS's 15 minutes).
    pub staleness_minutes: Option<u32>,
    pub max_in_flight: usize,
    /// Whether the host may ask for résumé text (the `resume-text` setting).
    pub resume_text: bool,
}

/// A settings lookup: the value of a key, or `None` when unset.
pub type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

fn value(get: Lookup, key: &str) -> Option<String> {
    get(key)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

impl Settings {
    /// Reads the settings from the host (`wasi:config/store`).
    pub fn load() -> Result<Settings, ConnectorError> {
        let mut values = std::collections::HashMap::new();
        for setting in SETTINGS.iter().filter(|s| !s.secret) {
            if let Some(v) = ats_connector_sdk::config::get(setting.key)? {
                values.insert(setting.key, v);
            }
        }
        Settings::parse(&|key| values.get(key).cloned())
    }

    /// Parses and validates settings from a lookup.
    pub fn parse(get: Lookup) -> Result<Settings, ConnectorError> {
        let customer_id = match value(get, "customer-id") {
            None => {
                return Err(misconfigured(
                    "customer-id",
                    "is required: the numeric iCIMS customer id",
                ));
            }
            Some(v) => v.parse::<u64>().ok().filter(|n| *n > 0).ok_or_else(|| {
                misconfigured(
                    "customer-id",
                    &format!("must be the numeric iCIMS customer id, got `{v}`"),
                )
            })?,
        };
        let auth_mode = auth_mode(get)?;
        match auth_mode {
            AuthMode::OAuth2 if value(get, "client-id").is_none() => {
                return Err(misconfigured(
                    "client-id",
                    "is required when `auth-mode` is `oauth2`",
                ));
            }
            AuthMode::Basic if value(get, "username").is_none() => {
                return Err(misconfigured(
                    "username",
                    "is required when `auth-mode` is `basic`",
                ));
            }
            _ => {}
        }
        let event_auth = event_auth(get)?;
        if event_auth == Some(EventAuth::Basic) && value(get, "event-username").is_none() {
            return Err(misconfigured(
                "event-username",
                "is required when `event-auth` is `basic`",
            ));
        }
        let status_map = parse_id_map(get, "status-map", Stage::parse, &Stage::names())?;
        let job_state_map = parse_id_map(
            get,
            "job-state-map",
            parse_job_state,
            "open, closed, draft, on-hold",
        )?;
        let default_status_id = value(get, "default-status-id")
            .or_else(|| status_map.first_of(Stage::New).map(str::to_string));
        let custom = CustomFields {
            linkedin: field_id(get, "linkedin-field")?,
            title: field_id(get, "title-field")?,
            company: field_id(get, "company-field")?,
            skills: field_id(get, "skills-field")?,
        };
        let named = crate::custom_fields::NamedFields::parse(
            value(get, crate::custom_fields::SETTING).as_deref(),
        )?;
        let max_in_flight = match value(get, "max-in-flight") {
            None => DEFAULT_IN_FLIGHT,
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=64).contains(n))
                .ok_or_else(|| {
                    misconfigured(
                        "max-in-flight",
                        &format!("must be a number from 1 to 64, got `{v}`"),
                    )
                })?,
        };
        Ok(Settings {
            customer_id,
            endpoints: endpoints(get)?,
            environment: value(get, "environment"),
            auth_mode,
            event_auth,
            status_map,
            default_status_id,
            new_candidate_folder: value(get, "new-candidate-folder"),
            new_candidate_source: value(get, "new-candidate-source")
                .unwrap_or_else(|| DEFAULT_SOURCE.into()),
            source_name: value(get, "source-name"),
            custom,
            named,
            job_state_map,
            staleness_minutes: staleness_minutes(get)?,
            max_in_flight,
            resume_text: crate::resume_text::enabled(get)?,
        })
    }
}

/// API and login base URLs from `region` and the two overrides.
pub fn endpoints(get: Lookup) -> Result<Endpoints, ConnectorError> {
    let (api, login) = match value(get, "region")
        .map(|r| r.to_ascii_lowercase())
        .as_deref()
    {
        None | Some("us") => (US_API, US_LOGIN),
        Some("eu") => (EU_API, EU_LOGIN),
        Some(other) => {
            return Err(misconfigured(
                "region",
                &format!("must be `us` or `eu`, got `{other}`"),
            ));
        }
    };
    Ok(Endpoints {
        api_base: base_url(get, "api-base-url")?.unwrap_or_else(|| api.into()),
        login_base: base_url(get, "login-base-url")?.unwrap_or_else(|| login.into()),
    })
}

pub fn auth_mode(get: Lookup) -> Result<AuthMode, ConnectorError> {
    match value(get, "auth-mode")
        .map(|m| m.to_ascii_lowercase())
        .as_deref()
    {
        None | Some("oauth2") => Ok(AuthMode::OAuth2),
        Some("basic") => Ok(AuthMode::Basic),
        Some(other) => Err(misconfigured(
            "auth-mode",
            &format!("must be `oauth2` or `basic`, got `{other}`"),
        )),
    }
}

pub fn audience(get: Lookup) -> String {
    value(get, "audience").unwrap_or_else(|| DEFAULT_AUDIENCE.into())
}

pub fn staleness_minutes(get: Lookup) -> Result<Option<u32>, ConnectorError> {
    value(get, "search-staleness-minutes")
        .map(|v| {
            v.parse::<u32>().map_err(|_| {
                misconfigured(
                    "search-staleness-minutes",
                    &format!("must be a whole number of minutes, got `{v}`"),
                )
            })
        })
        .transpose()
}

fn base_url(get: Lookup, key: &str) -> Result<Option<String>, ConnectorError> {
    match value(get, key) {
        None => Ok(None),
        Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
            Ok(Some(url.trim_end_matches('/').to_string()))
        }
        Some(url) => Err(misconfigured(
            key,
            &format!("must be an http(s) URL, got `{url}`"),
        )),
    }
}

/// iCIMS field ids are lowercase letters and digits (`field50527`).
fn field_id(get: Lookup, key: &str) -> Result<Option<String>, ConnectorError> {
    match value(get, key) {
        Some(id)
            if !id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) =>
        {
            Err(misconfigured(
                key,
                &format!(
                    "must be an iCIMS field id in lowercase letters and digits, like `field50527`, got `{id}`"
                ),
            ))
        }
        id => Ok(id),
    }
}

fn parse_id_map<T: Copy + PartialEq>(
    get: Lookup,
    key: &str,
    parse_name: fn(&str) -> Option<T>,
    names: &str,
) -> Result<IdMap<T>, ConnectorError> {
    let Some(text) = value(get, key) else {
        return Ok(IdMap {
            entries: Vec::new(),
        });
    };
    let mut map = IdMap {
        entries: Vec::new(),
    };
    for entry in text.split(';').map(str::trim).filter(|e| !e.is_empty()) {
        let Some((name, ids)) = entry.split_once('=') else {
            return Err(misconfigured(
                key,
                &format!("entry `{entry}` must look like `name=ID1,ID2`"),
            ));
        };
        let name_text = name.trim();
        let name = parse_name(&name_text.to_ascii_lowercase()).ok_or_else(|| {
            misconfigured(
                key,
                &format!("unknown name `{name_text}` (expected one of {names})"),
            )
        })?;
        let ids: Vec<String> = ids
            .split(',')
            .map(str::trim)
            .filter(|i| !i.is_empty())
            .map(str::to_string)
            .collect();
        if ids.is_empty() {
            return Err(misconfigured(key, &format!("`{name_text}` lists no ids")));
        }
        for id in &ids {
            if map.name_of(id).is_some() {
                return Err(misconfigured(key, &format!("id `{id}` is listed twice")));
            }
        }
        match map.entries.iter_mut().find(|(t, _)| *t == name) {
            Some((_, existing)) => existing.extend(ids),
            None => map.entries.push((name, ids)),
        }
    }
    Ok(map)
}

fn parse_job_state(name: &str) -> Option<JobState> {
    Some(match name {
        "open" => JobState::Open,
        "closed" => JobState::Closed,
        "draft" => JobState::Draft,
        "on-hold" | "onhold" | "on_hold" => JobState::OnHold,
        _ => return None,
    })
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use std::collections::HashMap;

    /// Settings from `key=value` pairs, on top of a valid minimum.
    pub fn settings_with(pairs: &[(&str, &str)]) -> Settings {
        try_settings(pairs).unwrap()
    }

    pub fn try_settings(pairs: &[(&str, &str)]) -> Result<Settings, ConnectorError> {
        let mut map: HashMap<String, String> = [("customer-id", "1234"), ("client-id", "abc")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        for (k, v) in pairs {
            map.insert(k.to_string(), v.to_string());
        }
        Settings::parse(&|k| map.get(k).cloned())
    }

    fn misconfigured_text(pairs: &[(&str, &str)]) -> String {
        match try_settings(pairs) {
            Err(ConnectorError::Misconfigured(m)) => m,
            other => panic!("expected misconfigured, got {other:?}"),
        }
    }

    #[test]
    fn defaults() {
        let s = settings_with(&[]);
        assert_eq!(s.customer_id, 1234);
        assert_eq!(s.endpoints, Endpoints::default());
        assert_eq!(s.auth_mode, AuthMode::OAuth2);
        assert_eq!(s.new_candidate_source, "Other (Please Specify)");
        assert_eq!(s.staleness_minutes, None);
        assert_eq!(s.max_in_flight, 16);
        assert_eq!(s.default_status_id, None);
    }

    #[test]
    fn regions_and_overrides() {
        let eu = settings_with(&[("region", "EU")]);
        assert_eq!(eu.endpoints.api_base, "https://api-eu.icims.com");
        assert_eq!(eu.endpoints.login_base, "https://login.icims.eu");
        let local = settings_with(&[
            ("api-base-url", "http://127.0.0.1:41234/"),
            ("login-base-url", "http://127.0.0.1:41235"),
        ]);
        assert_eq!(local.endpoints.api_base, "http://127.0.0.1:41234");
        assert_eq!(local.endpoints.login_base, "http://127.0.0.1:41235");
    }

    #[test]
    fn errors_name_the_setting() {
        let no_customer = Settings::parse(&|_| None).unwrap_err();
        assert!(
            matches!(no_customer, ConnectorError::Misconfigured(m) if m.contains("customer-id"))
        );
        assert!(misconfigured_text(&[("customer-id", "acme")]).contains("`customer-id`"));
        assert!(misconfigured_text(&[("region", "ca")]).contains("`region`"));
        assert!(misconfigured_text(&[("auth-mode", "hmac")]).contains("`auth-mode`"));
        assert!(misconfigured_text(&[("auth-mode", "basic")]).contains("`username`"));
        assert!(
            misconfigured_text(&[("api-base-url", "api.icims.com")]).contains("`api-base-url`")
        );
        assert!(
            misconfigured_text(&[("status-map", "new=D1;hiring=C2")])
                .contains("unknown name `hiring`")
        );
        assert!(misconfigured_text(&[("status-map", "new=D1;hired=D1")]).contains("listed twice"));
        assert!(misconfigured_text(&[("status-map", "new")]).contains("`status-map`"));
        assert!(misconfigured_text(&[("job-state-map", "open=")]).contains("`job-state-map`"));
        assert!(misconfigured_text(&[("linkedin-field", "Field 1")]).contains("`linkedin-field`"));
        assert!(
            misconfigured_text(&[("search-staleness-minutes", "-1")])
                .contains("`search-staleness-minutes`")
        );
        assert!(misconfigured_text(&[("max-in-flight", "0")]).contains("`max-in-flight`"));
    }

    #[test]
    fn status_map_resolves_stages() {
        let s = settings_with(&[(
            "status-map",
            " new = D10100, C100 ; screening=C2028;rejected=C300;",
        )]);
        assert_eq!(s.status_map.stage_of("C100"), Stage::New);
        assert_eq!(s.status_map.stage_of("C2028"), Stage::Screening);
        assert_eq!(s.status_map.stage_of("C9"), Stage::Other);
        assert_eq!(s.default_status_id.as_deref(), Some("D10100"));
        assert_eq!(
            s.status_map
                .resolve(&StatusTarget::Stage(Stage::Rejected))
                .unwrap(),
            "C300"
        );
        assert_eq!(
            s.status_map
                .resolve(&StatusTarget::StatusId("C5".into()))
                .unwrap(),
            "C5"
        );
        let err = s
            .status_map
            .resolve(&StatusTarget::Stage(Stage::Offer))
            .unwrap_err();
        assert!(
            matches!(err, ConnectorError::InvalidInput(m) if m.contains("status-map") && m.contains("offer"))
        );
        assert_eq!(s.status_map.pairs().count(), 4);
    }

    #[test]
    fn job_state_map_and_default_status() {
        let s = settings_with(&[
            ("job-state-map", "open=D31001;on-hold=C7"),
            ("default-status-id", "C42"),
            ("status-map", "new=D1"),
        ]);
        assert_eq!(s.job_state_map.name_of("C7"), Some(JobState::OnHold));
        assert_eq!(s.job_state_map.name_of("X"), None);
        assert_eq!(s.default_status_id.as_deref(), Some("C42"));
    }

    #[test]
    fn every_setting_is_declared_once() {
        let mut keys: Vec<_> = SETTINGS.iter().map(|s| s.key).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), SETTINGS.len());
        assert_eq!(
            SETTINGS
                .iter()
                .filter(|s| s.secret)
                .map(|s| s.key)
                .collect::<Vec<_>>(),
            ["client-secret", "password", "event-secret"]
        );
    }

    #[test]
    fn event_auth_is_one_of_three_and_basic_needs_a_user() {
        assert_eq!(event_auth(&|_| None).unwrap(), None);
        let of = |v: &str| {
            let v = v.to_string();
            event_auth(&move |k| (k == "event-auth").then(|| v.clone()))
        };
        assert_eq!(of("HMAC").unwrap(), Some(EventAuth::Hmac));
        assert_eq!(of("bearer").unwrap(), Some(EventAuth::Bearer));
        let message = format!("{:?}", of("oauth").unwrap_err());
        assert!(message.contains("event-auth"), "{message}");
        let message = format!(
            "{:?}",
            try_settings(&[("event-auth", "basic")]).unwrap_err()
        );
        assert!(message.contains("event-username"), "{message}");
        let basic = try_settings(&[("event-auth", "basic"), ("event-username", "icims")]);
        assert_eq!(basic.unwrap().event_auth, Some(EventAuth::Basic));
    }
}
