//! What the operator grants a connection: the hosts that receive its credentials, the URL its
//! OAuth client secret may be sent to, and other hosts it may reach without credentials.
//!
//! A plugin *asks* (its `describe` names `api-hosts` and a token URL); the operator *grants*
//! (the connection file, or a confirmation at `ats connect`); the host only ever narrows. A
//! plugin that asks for anything beyond the grant fails to connect with an error that names
//! what it asked for, so a plugin cannot choose where credentials go.

use super::allow_list::{AllowList, HostEntry};
use ats_model::{AuthScheme, ConnectorInfo};
use serde::{Deserialize, Serialize};

/// The destinations an operator allows one connection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostGrant {
    /// Hosts that may receive the connection's credentials: `host[:port]` or
    /// `https://host[:port]` (HTTPS only), or `http://host:port` (plain HTTP, for loopback test
    /// servers).
    #[serde(default)]
    pub api_hosts: Vec<String>,
    /// The one URL the OAuth client secret may be sent to (OAuth connections only).
    #[serde(default)]
    pub token_url: Option<String>,
    /// Hosts the plugin may reach without credentials (a file store, say).
    #[serde(default)]
    pub other_hosts: Vec<String>,
}

/// A grant narrowed to what the plugin asked for: what the HTTP hook enforces.
#[derive(Debug, Clone, Default)]
pub(crate) struct Granted {
    /// The hosts that receive credentials (granted and asked for).
    pub(crate) api_hosts: AllowList,
    /// Every host the plugin may reach.
    pub(crate) allowed: AllowList,
}

impl HostGrant {
    /// What a plugin asks for, as a grant for the operator to confirm: its API hosts over HTTPS
    /// and its token URL, as declared.
    pub fn declared_by(info: &ConnectorInfo) -> HostGrant {
        HostGrant {
            api_hosts: info.api_hosts.clone(),
            token_url: token_url(&info.auth).map(str::to_string),
            other_hosts: Vec::new(),
        }
    }

    /// True when the operator granted nothing at all.
    pub fn is_empty(&self) -> bool {
        self.api_hosts.is_empty() && self.token_url.is_none() && self.other_hosts.is_empty()
    }

    /// Narrows the grant to what `info` asks. Fails, naming every host and URL asked beyond
    /// the grant, when the plugin wants more than it was granted.
    pub(crate) fn narrow(&self, info: &ConnectorInfo) -> Result<Granted, String> {
        let parse_all = |entries: &[String], field: &str| -> Result<Vec<HostEntry>, String> {
            entries
                .iter()
                .map(|e| HostEntry::parse(e).map_err(|m| format!("grant `{field}`: {m}")))
                .collect()
        };
        let granted_api = AllowList::from_entries(parse_all(&self.api_hosts, "api_hosts")?);
        let other = parse_all(&self.other_hosts, "other_hosts")?;

        let mut refused = Vec::new();
        let asked_token_url = token_url(&info.auth);
        let token_host = match asked_token_url {
            Some(asked) => {
                let granted = self.token_url.as_deref().map(str::trim);
                if granted != Some(asked.trim()) {
                    refused.push(format!(
                        "its OAuth token URL `{asked}` (grant it with `token_url = \"{asked}\"`)"
                    ));
                }
                asked
                    .parse::<http::Uri>()
                    .ok()
                    .and_then(|u| u.authority().map(|a| a.as_str().to_ascii_lowercase()))
            }
            None => None,
        };

        let mut api_hosts = Vec::new();
        for asked in &info.api_hosts {
            let entry = match HostEntry::parse(asked) {
                Ok(entry) => entry,
                Err(e) => {
                    refused.push(format!("an API host that is not a host ({e})"));
                    continue;
                }
            };
            match granted_api.covering(&entry) {
                Some(granted) => api_hosts.push(granted.clone()),
                // The host fetches tokens itself; a plugin may name the token host among its
                // hosts without being able to send anything there.
                None if token_host.as_deref() == Some(entry.authority().as_str()) => {}
                None => refused.push(format!("API host `{asked}`")),
            }
        }
        if !refused.is_empty() {
            return Err(format!(
                "the plugin asks for destinations this connection does not grant: {}; \
                 grant them in the connection file's [grant] section only if you trust them \
                 (`api_hosts` receive credentials; plain HTTP only as `http://host:port`)",
                refused.join(", ")
            ));
        }
        let allowed = AllowList::from_entries(api_hosts.iter().cloned().chain(other));
        Ok(Granted {
            api_hosts: AllowList::from_entries(api_hosts),
            allowed,
        })
    }
}

fn token_url(auth: &AuthScheme) -> Option<&str> {
    match auth {
        AuthScheme::Oauth2ClientCredentials { token_url, .. } => Some(token_url.as_str()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(api_hosts: &[&str], token_url: Option<&str>) -> ConnectorInfo {
        ConnectorInfo {
            auth: match token_url {
                Some(url) => AuthScheme::Oauth2ClientCredentials {
                    token_url: url.into(),
                    audience: None,
                    scopes: vec![],
                    client_id_setting: "client-id".into(),
                    client_secret_setting: "client-secret".into(),
                },
                None => AuthScheme::None,
            },
            api_hosts: api_hosts.iter().map(|s| s.to_string()).collect(),
            ..ConnectorInfo::default()
        }
    }

    fn grant(api: &[&str], token_url: Option<&str>) -> HostGrant {
        HostGrant {
            api_hosts: api.iter().map(|s| s.to_string()).collect(),
            token_url: token_url.map(str::to_string),
            other_hosts: vec![],
        }
    }

    fn allows(list: &AllowList, url: &str) -> bool {
        let uri: http::Uri = url.parse().unwrap();
        list.allows(uri.scheme(), uri.authority().unwrap())
    }

    #[test]
    fn a_plugin_gets_what_it_asks_within_the_grant() {
        let g = grant(
            &["https://api.icims.com"],
            Some("https://login.icims.com/oauth/token"),
        )
        .narrow(&info(
            &["api.icims.com", "login.icims.com"],
            Some("https://login.icims.com/oauth/token"),
        ))
        .unwrap();
        assert!(allows(&g.api_hosts, "https://api.icims.com/customers/1"));
        assert!(!allows(&g.allowed, "https://login.icims.com/oauth/token"));
        assert!(!allows(&g.allowed, "http://api.icims.com/customers/1"));
    }

    #[test]
    fn a_host_beyond_the_grant_fails_and_is_named() {
        let error = grant(&["api.icims.com"], None)
            .narrow(&info(&["api.icims.com", "127.0.0.1:9999"], None))
            .unwrap_err();
        assert!(error.contains("`127.0.0.1:9999`"), "{error}");
    }

    #[test]
    fn a_token_url_beyond_the_grant_fails_and_is_named() {
        let error = grant(
            &["api.icims.com"],
            Some("https://login.icims.com/oauth/token"),
        )
        .narrow(&info(
            &["api.icims.com"],
            Some("http://127.0.0.1:9999/token"),
        ))
        .unwrap_err();
        assert!(error.contains("http://127.0.0.1:9999/token"), "{error}");
        let error = grant(&["api.icims.com"], None)
            .narrow(&info(&["api.icims.com"], Some("https://login.icims.com/t")))
            .unwrap_err();
        assert!(error.contains("token_url"), "{error}");
    }

    #[test]
    fn the_grant_is_narrowed_to_what_the_plugin_asks() {
        let g = grant(&["api.icims.com", "other.example.com"], None)
            .narrow(&info(&["api.icims.com"], None))
            .unwrap();
        assert!(allows(&g.allowed, "https://api.icims.com/"));
        assert!(!allows(&g.allowed, "https://other.example.com/"));
    }

    #[test]
    fn plain_http_is_granted_only_explicitly() {
        let asked = info(&["127.0.0.1:5000"], None);
        let https_only = grant(&["127.0.0.1:5000"], None).narrow(&asked).unwrap();
        assert!(!allows(&https_only.allowed, "http://127.0.0.1:5000/"));
        let plain = grant(&["http://127.0.0.1:5000"], None)
            .narrow(&asked)
            .unwrap();
        assert!(allows(&plain.api_hosts, "http://127.0.0.1:5000/"));
    }
}
