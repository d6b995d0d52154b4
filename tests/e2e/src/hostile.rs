//! The hostile connector (`tests/fixtures/hostile-connector`) in a real host, beside a healthy
//! iCIMS connection to the simulator: what the `sandbox_*` scenarios start from.
//!
//! Two loopback servers record everything they receive: the *API* server (the one host the
//! operator grants; it echoes request headers back at `/check` and `/echo`, and hands out an
//! OAuth token at `/token`) and the *attacker*, which must never receive anything.

use crate::host_fixture::{self, HostEnv};
use crate::runtime_fixtures::{LocalServer, Received};
use ats_app::host::HostError;
use ats_app::live_connection::LiveConnection;
use ats_app::sync_runner::{StreamReport, SyncOptions, sync_connection};
use ats_mirror::{ConnectionRow, SecretRef};
use ats_model::RecordKind;
use ats_sync::NoProgress;
use std::collections::BTreeMap;

/// The API key of every hostile connection (long enough to be masked in answers).
pub const API_KEY: &str = "hostile-api-key-0123456789";
/// The Basic password; the Basic header is `Basic base64("ann:" + PASSWORD)`.
pub const PASSWORD: &str = "hostile-password-0123";
/// The OAuth client secret.
pub const CLIENT_SECRET: &str = "hostile-client-secret-0123";
/// The access token the API server's `/token` hands out.
pub const ACCESS_TOKEN: &str = "hostile-access-token-abcdef123";
/// `base64("ann:" + PASSWORD)`.
pub const BASIC_BASE64: &str = "YW5uOmhvc3RpbGUtcGFzc3dvcmQtMDEyMw==";
/// People the healthy connection's simulator holds.
pub const HEALTHY_PEOPLE: u32 = 300;

/// How a hostile connection authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    ApiKey,
    Basic,
    OAuth,
}

/// A host with a simulator, the two recording servers and room for hostile connections.
pub struct Hostile {
    pub env: HostEnv,
    pub api: LocalServer,
    pub attacker: LocalServer,
}

/// Every secret-derived value a hostile connection has, for "never seen here" assertions.
pub fn secret_values() -> [&'static str; 5] {
    [API_KEY, PASSWORD, CLIENT_SECRET, ACCESS_TOKEN, BASIC_BASE64]
}

/// Echoes the request's headers: in the body and as `x-echo-<name>` response headers.
fn echo(request: &Received) -> (u16, Vec<(String, String)>, String) {
    let headers: Vec<(String, String)> = request
        .headers
        .iter()
        .filter(|(n, _)| n != "content-length" && n != "connection")
        .map(|(n, v)| (format!("x-echo-{n}"), v.clone()))
        .collect();
    let body = request
        .headers
        .iter()
        .map(|(n, v)| format!("{n}: {v}"))
        .collect::<Vec<_>>()
        .join("\n");
    (200, headers, body)
}

impl Hostile {
    /// Starts the simulator (a small customer), the host and both servers.
    pub async fn start() -> Hostile {
        let env = host_fixture::start(host_fixture::sim_config(HEALTHY_PEOPLE, 5, 20)).await;
        let api = LocalServer::start(|request| match request.path.as_str() {
            "/check" | "/echo" => echo(request),
            "/token" => (
                200,
                vec![("content-type".into(), "application/json".into())],
                format!(r#"{{"access_token":"{ACCESS_TOKEN}","expires_in":3600}}"#),
            ),
            _ => (200, vec![], "{}".into()),
        })
        .await;
        let attacker = LocalServer::start(|_| (200, vec![], "thanks".into())).await;
        Hostile { env, api, attacker }
    }

    /// The settings of a hostile connection in `mode`.
    pub fn settings(&self, mode: &str, auth: Auth) -> BTreeMap<String, String> {
        let mut settings = BTreeMap::from([
            ("mode".to_string(), mode.to_string()),
            ("api-host".to_string(), self.api.authority()),
            ("attacker".to_string(), self.attacker.authority()),
        ]);
        let (name, extra): (&str, &[(&str, String)]) = match auth {
            Auth::ApiKey => ("api-key", &[]),
            Auth::Basic => ("basic", &[("username", "ann".to_string())]),
            Auth::OAuth => (
                "oauth",
                &[
                    ("client-id", "hostile-client".to_string()),
                    ("token-url", self.api.url("/token")),
                ],
            ),
        };
        settings.insert("auth".into(), name.into());
        for (k, v) in extra {
            settings.insert(k.to_string(), v.clone());
        }
        settings
    }

    /// The secret of `auth`, written to a file, by reference.
    fn secrets(&self, name: &str, auth: Auth) -> BTreeMap<String, SecretRef> {
        let (key, value) = match auth {
            Auth::ApiKey => ("api-key", API_KEY),
            Auth::Basic => ("password", PASSWORD),
            Auth::OAuth => ("client-secret", CLIENT_SECRET),
        };
        let file = self.env.dir.path().join(format!("{name}.{key}"));
        std::fs::write(&file, value).expect("write the secret");
        BTreeMap::from([(key.to_string(), SecretRef::File(file.display().to_string()))])
    }

    /// Saves a hostile connection named `name` in `mode`, granted the API server (over plain
    /// HTTP) and, for OAuth, its `/token`, with `limits` overridden; then takes it live.
    pub async fn connect(
        &self,
        name: &str,
        mode: &str,
        auth: Auth,
        limits: &[(&str, u64)],
    ) -> Result<LiveConnection, HostError> {
        let path = crate::plugin_path("hostile_connector");
        let hash = self
            .env
            .host
            .runtime
            .load_plugin(&path)
            .expect("the hostile connector loads")
            .content_hash()
            .to_string();
        let row = ConnectionRow {
            name: name.to_string(),
            tenant: ats_mirror::DEFAULT_TENANT.into(),
            plugin_path: path.display().to_string(),
            plugin_hash: hash,
            settings: self.settings(mode, auth),
            secrets: self.secrets(name, auth),
            granted_api_hosts: vec![format!("http://{}", self.api.authority())],
            granted_token_url: (auth == Auth::OAuth).then(|| self.api.url("/token")),
            limits: limits.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            ..ConnectionRow::default()
        };
        self.env
            .host
            .mirror
            .upsert_connection(&row)
            .await
            .expect("save the connection");
        self.env.host.live(name).await
    }

    /// Syncs `live` once (every stream), as `ats sync` does.
    pub async fn sync(&self, live: &LiveConnection) -> Result<Vec<StreamReport>, HostError> {
        sync_connection(&self.env.host, live, &SyncOptions::default(), &NoProgress).await
    }

    /// Runs `attack` while a healthy iCIMS connection in the same host syncs fully; asserts the
    /// healthy sync completed with every person, and returns what the attack returned.
    pub async fn beside_a_healthy_sync<T>(&self, attack: impl Future<Output = T>) -> T {
        let name = format!(
            "healthy-{}",
            self.env.host.mirror.connections().await.unwrap().len()
        );
        let healthy = self.env.connect_icims(&name, self.env.customer()).await;
        let (out, reports) = tokio::join!(attack, async {
            sync_connection(
                &self.env.host,
                &healthy,
                &SyncOptions::default(),
                &NoProgress,
            )
            .await
        });
        let reports = reports.expect("the healthy connection syncs");
        assert!(
            reports
                .iter()
                .all(|r| r.error.is_none() && r.outcome == "completed"),
            "the healthy connection failed beside the attack: {reports:?}"
        );
        let people = self
            .env
            .host
            .mirror
            .counts(&name)
            .await
            .expect("counts")
            .get(RecordKind::Candidate)
            .live;
        assert_eq!(
            people,
            u64::from(HEALTHY_PEOPLE),
            "every person of the healthy connection arrived"
        );
        out
    }

    /// Asserts the attacker received nothing at all.
    pub fn attacker_saw_nothing(&self) {
        let seen = self.attacker.requests();
        assert!(seen.is_empty(), "the attacker received {seen:?}");
    }

    /// Asserts no secret-derived value appears in `text`.
    pub fn assert_no_secret(what: &str, text: &str) {
        for secret in secret_values() {
            assert!(
                !text.contains(secret),
                "{what} shows `{secret}`: {}",
                &text[text.find(secret).unwrap().saturating_sub(200)..]
                    .chars()
                    .take(400)
                    .collect::<String>()
            );
        }
    }
}
