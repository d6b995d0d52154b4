//! `describe`: what the connector is, computed from whatever settings exist (none is fine).

use ats_connector_sdk::{
    AuthScheme, ConnectorInfo, EventScheme, EventVerification, HttpBasic, Oauth2ClientCredentials,
    QuotaSpec, RecordKind, SettingSpec, SignatureEncoding, StreamSpec, WriteCapability,
};

use crate::errors::{LIMIT_HEADER, REMAINING_HEADER, RESET_HEADER};
use crate::permissions;
use crate::settings::{
    self, AuthMode, EventAuth, ICIMS_DEFAULT_STALENESS_MINUTES, Lookup, SETTINGS,
};
use crate::urls::authority;

/// The daily request quota of a default iCIMS integration licence (icims-api.md §12).
pub const REQUESTS_PER_DAY: u64 = 10_000;

/// Describes the connector. Invalid settings fall back to defaults here; `check-connection`
/// and every other call report them.
pub fn info(get: Lookup) -> ConnectorInfo {
    let endpoints = settings::endpoints(get).unwrap_or_default();
    let auth = match settings::auth_mode(get).unwrap_or_default() {
        AuthMode::OAuth2 => AuthScheme::Oauth2ClientCredentials(Oauth2ClientCredentials {
            token_url: format!("{}/oauth/token", endpoints.login_base),
            audience: Some(settings::audience(get)),
            scopes: Vec::new(),
            client_id_setting: "client-id".into(),
            client_secret_setting: "client-secret".into(),
        }),
        AuthMode::Basic => AuthScheme::HttpBasic(HttpBasic {
            username_setting: "username".into(),
            password_setting: "password".into(),
        }),
    };
    let staleness_minutes = settings::staleness_minutes(get)
        .ok()
        .flatten()
        .unwrap_or(ICIMS_DEFAULT_STALENESS_MINUTES);
    let stream = |name: &str, kind, minutes: u64, incremental| StreamSpec {
        name: name.into(),
        kind,
        default_interval_seconds: minutes * 60,
        incremental,
        lists_ids: incremental,
    };
    // The host fetches OAuth tokens itself, but only from a host the connector declares: the
    // login host is listed so that a connection's allow-list names every destination.
    let mut api_hosts = vec![authority(&endpoints.api_base)];
    if let AuthScheme::Oauth2ClientCredentials(o) = &auth {
        let login = authority(&o.token_url);
        if !api_hosts.contains(&login) {
            api_hosts.push(login);
        }
    }
    let mut writes = vec![
        WriteCapability::FindCandidates,
        WriteCapability::CreateCandidate,
        WriteCapability::UpdateCandidate,
        WriteCapability::CreateApplication,
        WriteCapability::MoveApplication,
        WriteCapability::RejectApplication,
        WriteCapability::UploadAttachment,
        WriteCapability::DownloadAttachment,
        WriteCapability::ParseEvent,
    ];
    // One request per résumé: offered unless the connection turned it off.
    if crate::resume_text::enabled(get).unwrap_or(true) {
        writes.push(WriteCapability::AttachmentText);
    }
    ConnectorInfo {
        id: "icims".into(),
        name: "iCIMS".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        description: "iCIMS Talent Cloud through its REST API: people, jobs and recruiting workflows via Search + GET, \
                      candidate and application writes, resume files, integration events."
            .into(),
        settings: SETTINGS
            .iter()
            .map(|s| SettingSpec {
                key: s.key.into(),
                description: s.description.into(),
                required: s.required,
                secret: s.secret,
                default_value: s.default.map(str::to_string),
            })
            .collect(),
        auth,
        api_hosts,
        permissions: permissions::specs(),
        streams: vec![
            stream("candidates", RecordKind::Candidate, 60, true),
            stream("jobs", RecordKind::Job, 60, true),
            stream("applications", RecordKind::Application, 15, true),
            stream("statuses", RecordKind::Status, 24 * 60, false),
            stream("folders", RecordKind::Folder, 24 * 60, false),
        ],
        writes,
        quota: Some(QuotaSpec {
            requests_per_day: Some(REQUESTS_PER_DAY),
            limit_header: Some(LIMIT_HEADER.into()),
            remaining_header: Some(REMAINING_HEADER.into()),
            reset_header: Some(RESET_HEADER.into()),
        }),
        list_staleness_seconds: u64::from(staleness_minutes) * 60,
        timestamp_precision_seconds: 60,
        event_verification: settings::event_auth(get)
            .ok()
            .flatten()
            .map(event_verification),
    }
}

/// How the host verifies iCIMS's pushed events (icims-api.md §10, §2.3). iCIMS calls out with
/// Basic, OAuth 2.0 (a bearer token) or HMAC; which one a customer configured is not in the
/// API, so it comes from the `event-auth` setting.
pub fn event_verification(auth: EventAuth) -> EventVerification {
    let (scheme, prefix) = match auth {
        EventAuth::Basic => (EventScheme::HttpBasic, "Basic "),
        EventAuth::Bearer => (EventScheme::SharedToken, "Bearer "),
        EventAuth::Hmac => (
            EventScheme::HmacSha256SignedHeaders,
            "x-icims-v1-hmac-sha256 ",
        ),
    };
    let hmac = auth == EventAuth::Hmac;
    EventVerification {
        scheme,
        header: "authorization".into(),
        prefix: prefix.into(),
        secret_setting: "event-secret".into(),
        username_setting: (auth != EventAuth::Bearer).then(|| "event-username".into()),
        timestamp_header: hmac.then(|| "x-icims-date".into()),
        body_digest_header: hmac.then(|| "x-icims-content-sha256".into()),
        // `signature=<64 lowercase hex>` (icims-api.md §2.3).
        signature_encoding: SignatureEncoding::Hex,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn info_with(pairs: &[(&str, &str)]) -> ConnectorInfo {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        info(&|k| map.get(k).cloned())
    }

    #[test]
    fn works_without_settings() {
        let info = info_with(&[]);
        assert_eq!(info.api_hosts, vec!["api.icims.com", "login.icims.com"]);
        match &info.auth {
            AuthScheme::Oauth2ClientCredentials(o) => {
                assert_eq!(o.token_url, "https://login.icims.com/oauth/token");
                assert_eq!(o.audience.as_deref(), Some("https://api.icims.com/v1/"));
                assert_eq!(
                    (
                        o.client_id_setting.as_str(),
                        o.client_secret_setting.as_str()
                    ),
                    ("client-id", "client-secret")
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(info.permissions.len(), 14);
        assert_eq!(info.list_staleness_seconds, 900);
        assert_eq!(info.timestamp_precision_seconds, 60);
        assert_eq!(
            info.quota.as_ref().and_then(|q| q.requests_per_day),
            Some(10_000)
        );
        let apps = info
            .streams
            .iter()
            .find(|s| s.name == "applications")
            .unwrap();
        assert!(apps.incremental && apps.lists_ids);
        assert!(
            info.streams
                .iter()
                .all(|s| s.default_interval_seconds >= apps.default_interval_seconds)
        );
        assert!(
            info.settings
                .iter()
                .any(|s| s.key == "customer-id" && s.required)
        );
    }

    #[test]
    fn resume_text_is_offered_unless_the_connection_turns_it_off() {
        let offered = |pairs| {
            info_with(pairs)
                .writes
                .contains(&WriteCapability::AttachmentText)
        };
        assert!(offered(&[]));
        assert!(!offered(&[("resume-text", "off")]));
    }

    #[test]
    fn follows_region_overrides_auth_and_staleness() {
        let eu = info_with(&[("region", "eu"), ("search-staleness-minutes", "0")]);
        assert_eq!(eu.api_hosts, vec!["api-eu.icims.com", "login.icims.eu"]);
        assert!(
            matches!(&eu.auth, AuthScheme::Oauth2ClientCredentials(o) if o.token_url == "https://login.icims.eu/oauth/token")
        );
        assert_eq!(eu.list_staleness_seconds, 0);
        let local = info_with(&[
            ("api-base-url", "http://127.0.0.1:41234"),
            ("login-base-url", "http://127.0.0.1:41235"),
            ("auth-mode", "basic"),
        ]);
        assert_eq!(local.api_hosts, vec!["127.0.0.1:41234"]);
        assert!(
            matches!(&local.auth, AuthScheme::HttpBasic(b) if b.username_setting == "username" && b.password_setting == "password")
        );
        assert!(
            local.event_verification.is_none(),
            "no events unless configured"
        );
        // Invalid values fall back to defaults in describe.
        assert_eq!(
            info_with(&[("region", "mars")]).api_hosts,
            vec!["api.icims.com", "login.icims.com"]
        );
    }

    #[test]
    fn declares_how_events_are_verified_from_event_auth() {
        assert!(info_with(&[]).event_verification.is_none());
        assert!(
            info_with(&[("event-auth", "carrier-pigeon")])
                .event_verification
                .is_none()
        );
        let hmac = info_with(&[("event-auth", "hmac")])
            .event_verification
            .unwrap();
        assert_eq!(hmac.scheme, EventScheme::HmacSha256SignedHeaders);
        assert_eq!(
            (hmac.header.as_str(), hmac.prefix.as_str()),
            ("authorization", "x-icims-v1-hmac-sha256 ")
        );
        assert_eq!(hmac.timestamp_header.as_deref(), Some("x-icims-date"));
        assert_eq!(
            hmac.body_digest_header.as_deref(),
            Some("x-icims-content-sha256")
        );
        let basic = info_with(&[("event-auth", "basic")])
            .event_verification
            .unwrap();
        assert_eq!(basic.scheme, EventScheme::HttpBasic);
        assert_eq!(basic.username_setting.as_deref(), Some("event-username"));
        let bearer = info_with(&[("event-auth", "bearer")])
            .event_verification
            .unwrap();
        assert_eq!(
            (bearer.scheme, bearer.prefix.as_str()),
            (EventScheme::SharedToken, "Bearer ")
        );
        // The key is always in a declared secret setting.
        let info = info_with(&[("event-auth", "bearer")]);
        assert!(
            info.settings
                .iter()
                .any(|s| s.key == bearer.secret_setting && s.secret)
        );
    }
}
