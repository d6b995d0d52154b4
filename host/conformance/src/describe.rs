//! `describe` is valid and complete. Pure: checks a [`ConnectorInfo`], no plugin needed.

use ats_model::{AuthScheme, ConnectorInfo, WriteCapability};
use std::collections::BTreeSet;

/// Every problem found, one short sentence each; empty when the description is valid.
pub fn problems(info: &ConnectorInfo) -> Vec<String> {
    let mut problems = Vec::new();
    let mut require = |ok: bool, problem: String| {
        if !ok {
            problems.push(problem);
        }
    };
    require(!info.id.trim().is_empty(), "`id` is empty".into());
    require(!info.name.trim().is_empty(), "`name` is empty".into());
    require(
        is_semver(&info.version),
        format!(
            "`version` `{}` is not semver (MAJOR.MINOR.PATCH)",
            info.version
        ),
    );

    let mut keys = BTreeSet::new();
    for setting in &info.settings {
        require(
            is_kebab(&setting.key),
            format!("setting `{}` is not kebab-case", setting.key),
        );
        require(
            keys.insert(setting.key.as_str()),
            format!("setting `{}` is declared twice", setting.key),
        );
    }
    let secret_setting = |key: &str, role: &str| -> Option<String> {
        match info.settings.iter().find(|s| s.key == key) {
            None => Some(format!(
                "auth names {role} setting `{key}`, which is not declared"
            )),
            Some(s) if role.contains("secret") && !s.secret => Some(format!(
                "auth's {role} setting `{key}` is not marked secret"
            )),
            _ => None,
        }
    };
    let auth_problems: Vec<Option<String>> = match &info.auth {
        AuthScheme::None => vec![],
        AuthScheme::Oauth2ClientCredentials {
            client_id_setting,
            client_secret_setting,
            ..
        } => vec![
            secret_setting(client_id_setting, "client-id"),
            secret_setting(client_secret_setting, "secret client-secret"),
        ],
        AuthScheme::HttpBasic {
            username_setting,
            password_setting,
        } => vec![
            secret_setting(username_setting, "username"),
            secret_setting(password_setting, "secret password"),
        ],
        AuthScheme::ApiKey { key_setting, .. } => vec![secret_setting(key_setting, "secret key")],
    };
    problems.extend(auth_problems.into_iter().flatten());
    if !matches!(info.auth, AuthScheme::None) && info.api_hosts.is_empty() {
        problems.push("`api-hosts` is empty although the connector authenticates".into());
    }
    for host in &info.api_hosts {
        if host.trim().is_empty() || host.contains('/') || host.contains('*') {
            problems.push(format!("api-host `{host}` is not `host` or `host:port`"));
        }
    }

    let mut permissions = BTreeSet::new();
    for p in &info.permissions {
        if p.id.trim().is_empty() {
            problems.push("a permission has an empty id".into());
        } else if !permissions.insert(p.id.as_str()) {
            problems.push(format!("permission `{}` is declared twice", p.id));
        }
    }

    let mut streams = BTreeSet::new();
    for s in &info.streams {
        if s.name.trim().is_empty() {
            problems.push(format!("a {:?} stream has an empty name", s.kind));
        } else if !streams.insert(s.name.as_str()) {
            problems.push(format!("stream `{}` is declared twice", s.name));
        }
        if s.default_interval_seconds == 0 {
            problems.push(format!("stream `{}` has a zero default interval", s.name));
        }
    }
    let writes: BTreeSet<_> = info.writes.iter().map(|w| format!("{w:?}")).collect();
    if writes.len() != info.writes.len() {
        problems.push("a write capability is declared twice".into());
    }
    if info.event_verification.is_some() && !info.writes.contains(&WriteCapability::ParseEvent) {
        problems.push(
            "`event-verification` is declared but `parse-event` is not among the writes".into(),
        );
    }
    if info.timestamp_precision_seconds == 0 {
        problems.push("`timestamp-precision-seconds` is 0 (use 1 for seconds)".into());
    }
    problems
}

/// `MAJOR.MINOR.PATCH`, optionally followed by `-pre` and/or `+build`.
pub fn is_semver(version: &str) -> bool {
    let core = version.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes().all(|b| b.is_ascii_digit())
                && (p.len() == 1 || !p.starts_with('0'))
        })
}

/// Lowercase words of `a-z0-9` joined by single hyphens.
pub fn is_kebab(key: &str) -> bool {
    !key.is_empty()
        && key.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ats_model::{PermissionSpec, RecordKind, SettingSpec, StreamSpec};

    fn valid() -> ConnectorInfo {
        ConnectorInfo {
            id: "x".into(),
            name: "X".into(),
            version: "0.1.0".into(),
            description: String::new(),
            settings: vec![SettingSpec {
                key: "api-key".into(),
                description: String::new(),
                required: true,
                secret: true,
                default_value: None,
            }],
            auth: AuthScheme::ApiKey {
                header: "authorization".into(),
                prefix: "Bearer ".into(),
                key_setting: "api-key".into(),
            },
            api_hosts: vec!["api.example.com".into()],
            permissions: vec![PermissionSpec {
                id: "read".into(),
                description: String::new(),
            }],
            streams: vec![StreamSpec {
                name: "candidates".into(),
                kind: RecordKind::Candidate,
                default_interval_seconds: 60,
                incremental: true,
                lists_ids: true,
            }],
            writes: vec![],
            quota: None,
            list_staleness_seconds: 0,
            timestamp_precision_seconds: 1,
            event_verification: None,
        }
    }

    #[test]
    fn a_valid_description_has_no_problems() {
        assert_eq!(problems(&valid()), Vec::<String>::new());
    }

    #[test]
    fn each_rule_names_what_is_wrong() {
        let mut info = valid();
        info.version = "1.0".into();
        info.settings[0].key = "apiKey".into();
        info.api_hosts.clear();
        info.permissions.push(info.permissions[0].clone());
        let found = problems(&info).join("\n");
        assert!(found.contains("not semver"), "{found}");
        assert!(found.contains("`apiKey` is not kebab-case"), "{found}");
        assert!(
            found.contains("`api-key`, which is not declared"),
            "{found}"
        );
        assert!(found.contains("`api-hosts` is empty"), "{found}");
        assert!(found.contains("`read` is declared twice"), "{found}");
    }

    #[test]
    fn an_event_verification_needs_parse_event() {
        let mut info = valid();
        info.event_verification = Some(ats_model::EventVerification {
            scheme: ats_model::EventScheme::SharedToken,
            header: "authorization".into(),
            prefix: "Bearer ".into(),
            secret_setting: "api-key".into(),
            username_setting: None,
            timestamp_header: None,
            body_digest_header: None,
            signature_encoding: ats_model::SignatureEncoding::Hex,
        });
        let found = problems(&info).join("\n");
        assert!(
            found.contains("`parse-event` is not among the writes"),
            "{found}"
        );
        info.writes.push(WriteCapability::ParseEvent);
        assert_eq!(problems(&info), Vec::<String>::new());
    }

    #[test]
    fn semver_and_kebab_case() {
        assert!(is_semver("1.2.3") && is_semver("0.1.0-rc.1+abc"));
        assert!(!is_semver("01.2.3") && !is_semver("1.2") && !is_semver("v1.2.3"));
        assert!(is_kebab("base-url") && is_kebab("oauth2-token"));
        assert!(
            !is_kebab("Base-url") && !is_kebab("base_url") && !is_kebab("-x") && !is_kebab("a--b")
        );
    }
}
