//! How the host authenticates a plugin's requests, per the plugin's declared `auth-scheme`.
//!
//! Credentials are added only to requests bound for the API hosts the operator granted (a
//! token must not leak to an `other_hosts` destination), and any `authorization` header the
//! plugin set itself is removed first: a plugin never chooses what credentials leave. Every
//! value derived from a secret (the `Basic` base64, a prefixed key, the urlencoded client
//! secret) is handed to the connection's [`Redactor`] so it is scrubbed like the secret.

use super::token_cache::TokenCache;
use crate::secrets::{Redactor, Secret};
use ats_model::AuthScheme;
use base64::Engine;
use http::HeaderName;
use std::collections::BTreeMap;

/// The resolved credentials of one connection.
pub(crate) enum Credentials {
    None,
    OAuth2(TokenCache),
    /// A fixed header (`authorization: Basic …`, or an API key header).
    Header {
        name: HeaderName,
        value: Secret,
    },
}

impl Credentials {
    /// Resolves `scheme` against the connection's settings and secrets. Values are looked up
    /// among secrets first, then settings (a client id may be either). The error names the
    /// missing or invalid setting. The token URL must already be granted (see
    /// [`HostGrant::narrow`](super::grant::HostGrant)).
    pub(crate) fn resolve(
        scheme: &AuthScheme,
        settings: &BTreeMap<String, String>,
        secrets: &BTreeMap<String, Secret>,
        redactor: &Redactor,
    ) -> Result<Credentials, String> {
        let lookup = |key: &str| -> Result<Secret, String> {
            secrets
                .get(key)
                .filter(|s| !s.is_empty())
                .cloned()
                .or_else(|| settings.get(key).filter(|v| !v.is_empty()).map(Secret::new))
                .ok_or_else(|| {
                    format!("the plugin's authentication needs `{key}`, which is not set")
                })
        };
        match scheme {
            AuthScheme::None => Ok(Credentials::None),
            AuthScheme::Oauth2ClientCredentials {
                token_url,
                audience,
                scopes,
                client_id_setting,
                client_secret_setting,
            } => {
                let url: http::Uri = token_url
                    .parse()
                    .map_err(|e| format!("the plugin's token URL `{token_url}` is invalid: {e}"))?;
                if url.authority().is_none() {
                    return Err(format!("the plugin's token URL `{token_url}` has no host"));
                }
                let client_id = lookup(client_id_setting)?;
                let client_secret = lookup(client_secret_setting)?;
                let encoded: String =
                    url::form_urlencoded::byte_serialize(client_secret.expose().as_bytes())
                        .collect();
                redactor.add(&Secret::new(encoded));
                Ok(Credentials::OAuth2(TokenCache::new(
                    url,
                    client_id.expose(),
                    &client_secret,
                    audience.as_deref(),
                    scopes,
                    redactor.clone(),
                )))
            }
            AuthScheme::HttpBasic {
                username_setting,
                password_setting,
            } => {
                let user = lookup(username_setting)?;
                let password = lookup(password_setting)?;
                let encoded = base64::engine::general_purpose::STANDARD.encode(format!(
                    "{}:{}",
                    user.expose(),
                    password.expose()
                ));
                let value = Secret::new(format!("Basic {encoded}"));
                redactor.add(&Secret::new(encoded));
                redactor.add(&value);
                Ok(Credentials::Header {
                    name: http::header::AUTHORIZATION,
                    value,
                })
            }
            AuthScheme::ApiKey {
                header,
                prefix,
                key_setting,
            } => {
                let name = HeaderName::try_from(header.as_str()).map_err(|_| {
                    format!("the plugin's API key header `{header}` is not a valid header name")
                })?;
                let key = lookup(key_setting)?;
                let value = Secret::new(format!("{prefix}{}", key.expose()));
                redactor.add(&key);
                redactor.add(&value);
                Ok(Credentials::Header { name, value })
            }
        }
    }

    /// Removes every header through which the plugin could pass its own credentials.
    pub(crate) fn strip_plugin_credentials(&self, headers: &mut http::HeaderMap) {
        headers.remove(http::header::AUTHORIZATION);
        if let Credentials::Header { name, .. } = self {
            headers.remove(name);
        }
    }

    pub(crate) fn token_cache(&self) -> Option<&TokenCache> {
        match self {
            Credentials::OAuth2(cache) => Some(cache),
            _ => None,
        }
    }
}

/// A header value that carries a secret: marked sensitive so hyper never logs it.
pub(crate) fn secret_header(value: &str) -> Result<http::HeaderValue, String> {
    let mut header = http::HeaderValue::from_str(value).map_err(|_| {
        "a credential contains characters not allowed in an HTTP header".to_string()
    })?;
    header.set_sensitive(true);
    Ok(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets(pairs: &[(&str, &str)]) -> BTreeMap<String, Secret> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), Secret::new(*v)))
            .collect()
    }

    #[test]
    fn basic_auth_uses_both_settings() {
        let scheme = AuthScheme::HttpBasic {
            username_setting: "user".into(),
            password_setting: "password".into(),
        };
        let settings = BTreeMap::from([("user".to_string(), "ann".to_string())]);
        let creds = Credentials::resolve(
            &scheme,
            &settings,
            &secrets(&[("password", "pw")]),
            &Redactor::default(),
        )
        .unwrap();
        let Credentials::Header { name, value } = creds else {
            panic!("basic auth is a header")
        };
        assert_eq!(name, http::header::AUTHORIZATION);
        assert_eq!(value.expose(), "Basic YW5uOnB3");
    }

    #[test]
    fn missing_secret_is_named_and_not_echoed() {
        let scheme = AuthScheme::ApiKey {
            header: "x-api-key".into(),
            prefix: String::new(),
            key_setting: "api-key".into(),
        };
        let error = Credentials::resolve(
            &scheme,
            &BTreeMap::new(),
            &BTreeMap::new(),
            &Redactor::default(),
        )
        .err()
        .unwrap();
        assert!(error.contains("`api-key`"), "{error}");
    }

    #[test]
    fn derived_values_are_redacted_like_the_secret() {
        let scheme = AuthScheme::HttpBasic {
            username_setting: "user".into(),
            password_setting: "password".into(),
        };
        let settings = BTreeMap::from([("user".to_string(), "alice".to_string())]);
        let redactor = Redactor::default();
        Credentials::resolve(
            &scheme,
            &settings,
            &secrets(&[("password", "hunter22")]),
            &redactor,
        )
        .unwrap();
        // base64("alice:hunter22")
        assert_eq!(
            redactor.redact("echo: Basic YWxpY2U6aHVudGVyMjI="),
            "echo: [redacted]"
        );
        assert_eq!(redactor.redact("YWxpY2U6aHVudGVyMjI="), "[redacted]");
    }

    #[test]
    fn plugin_authorization_headers_are_removed() {
        let creds = Credentials::Header {
            name: HeaderName::from_static("x-api-key"),
            value: Secret::new("k"),
        };
        let mut headers = http::HeaderMap::new();
        headers.insert("authorization", "Bearer stolen".parse().unwrap());
        headers.insert("x-api-key", "guess".parse().unwrap());
        headers.insert("accept", "application/json".parse().unwrap());
        creds.strip_plugin_credentials(&mut headers);
        assert_eq!(headers.len(), 1);
    }
}
