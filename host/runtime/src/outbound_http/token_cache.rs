//! OAuth 2.0 client-credentials tokens, obtained by the host and cached per connection.
//!
//! One cache per [`Connection`](crate::Connection), shared by all its calls and their
//! concurrent requests. A token is reused until 60 s before it expires. Fetching is
//! single-flight: the first request that finds no valid token fetches one while the others
//! wait on the same lock and then reuse it, so a burst of 50 requests costs one token call
//! (token endpoints throttle). On a 401 from the API the caller drops exactly the token it
//! used ([`TokenCache::invalidate`]); if another request already replaced it, the new one is
//! kept.

use super::send::{HttpClient, Timeouts, collect_capped};
use crate::secrets::{Redactor, Secret};
use bytes::Bytes;
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;

/// Tokens are dropped this long before the server says they expire.
const EXPIRY_MARGIN: Duration = Duration::from_secs(60);
/// Lifetime assumed when the token endpoint does not send `expires_in`.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(300);
/// Longest a token is reused, whatever the endpoint says.
const MAX_LIFETIME: Duration = Duration::from_secs(86_400);
/// Largest token response read.
const MAX_TOKEN_RESPONSE: usize = 1 << 20;

/// Why no token could be obtained.
#[derive(Debug)]
pub(crate) enum TokenError {
    /// The token endpoint answered with an error status (bad client id or secret, throttled).
    Refused { status: u16, message: String },
    /// The token endpoint could not be reached or answered something unreadable.
    Failed(wasmtime_wasi_http::Error),
}

pub(crate) struct TokenCache {
    token_url: http::Uri,
    /// The urlencoded form, client secret included.
    form: Secret,
    current: Mutex<Option<CachedToken>>,
    /// Learns every token fetched, so an echoed token is scrubbed like a secret.
    redactor: Redactor,
}

struct CachedToken {
    value: Secret,
    valid_until: Instant,
}

impl TokenCache {
    pub(crate) fn new(
        token_url: http::Uri,
        client_id: &str,
        client_secret: &Secret,
        audience: Option<&str>,
        scopes: &[String],
        redactor: Redactor,
    ) -> TokenCache {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        form.append_pair("grant_type", "client_credentials");
        form.append_pair("client_id", client_id);
        form.append_pair("client_secret", client_secret.expose());
        if let Some(audience) = audience {
            form.append_pair("audience", audience);
        }
        if !scopes.is_empty() {
            form.append_pair("scope", &scopes.join(" "));
        }
        TokenCache {
            token_url,
            form: Secret::new(form.finish()),
            current: Mutex::new(None),
            redactor,
        }
    }

    /// A valid token, fetching one when none is cached (single-flight). `fetched` is called
    /// once per token actually fetched.
    pub(crate) async fn token(
        &self,
        client: &HttpClient,
        fetched: impl FnOnce(),
    ) -> Result<Secret, TokenError> {
        let mut current = self.current.lock().await;
        if let Some(token) = current.as_ref().filter(|t| Instant::now() < t.valid_until) {
            return Ok(token.value.clone());
        }
        let (value, lifetime) = self.fetch(client).await?;
        self.redactor.add_rotating(&value);
        fetched();
        *current = Some(CachedToken {
            value: value.clone(),
            valid_until: Instant::now() + lifetime,
        });
        Ok(value)
    }

    /// Forgets `used` if it is still the cached token (the API refused it).
    pub(crate) async fn invalidate(&self, used: &Secret) {
        let mut current = self.current.lock().await;
        if current
            .as_ref()
            .is_some_and(|t| t.value.expose() == used.expose())
        {
            *current = None;
        }
    }

    async fn fetch(&self, client: &HttpClient) -> Result<(Secret, Duration), TokenError> {
        let request = http::Request::post(self.token_url.clone())
            .header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .header(http::header::ACCEPT, "application/json")
            .body(Bytes::from(self.form.expose().to_string()))
            .map_err(|e| {
                TokenError::Failed(wasmtime_wasi_http::Error::InternalError(Some(
                    e.to_string(),
                )))
            })?;
        let timeouts = Timeouts::clamp(&client.config, None);
        let response = client
            .send(request, timeouts)
            .await
            .map_err(TokenError::Failed)?;
        let status = response.status().as_u16();
        let body = collect_capped(response.into_body(), MAX_TOKEN_RESPONSE)
            .await
            .map_err(TokenError::Failed)?;
        if !(200..300).contains(&status) {
            let text = String::from_utf8_lossy(&body);
            let message = text.chars().take(300).collect::<String>();
            // An endpoint may echo the form back: never pass the client secret on.
            let message = self.redactor.redact(&message);
            return Err(TokenError::Refused { status, message });
        }
        parse_token_response(&body).map_err(|detail| {
            TokenError::Failed(wasmtime_wasi_http::Error::InternalError(Some(detail)))
        })
    }
}

/// Reads `access_token` and `expires_in` (number or numeric string) from a token response.
fn parse_token_response(body: &[u8]) -> Result<(Secret, Duration), String> {
    let json: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| format!("the token endpoint answered with invalid JSON: {e}"))?;
    let token = json
        .get("access_token")
        .and_then(|v| v.as_str())
        .filter(|t| !t.is_empty())
        .ok_or("the token endpoint's answer has no `access_token`")?;
    let expires_in = json.get("expires_in").and_then(|v| {
        v.as_u64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
    });
    Ok((Secret::new(token), lifetime(expires_in)))
}

/// How long to reuse a token the server says lives `expires_in` seconds.
fn lifetime(expires_in: Option<u64>) -> Duration {
    match expires_in {
        None => DEFAULT_LIFETIME,
        Some(seconds) => {
            // A day at most: the answer is not trusted to keep `Instant` arithmetic in range.
            let total = Duration::from_secs(seconds.min(MAX_LIFETIME.as_secs()));
            if total > EXPIRY_MARGIN * 2 {
                total - EXPIRY_MARGIN
            } else {
                total / 2
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_dropped_a_minute_early() {
        assert_eq!(lifetime(Some(3600)), Duration::from_secs(3540));
        assert_eq!(lifetime(Some(60)), Duration::from_secs(30));
        assert_eq!(lifetime(None), DEFAULT_LIFETIME);
        assert_eq!(lifetime(Some(u64::MAX)), MAX_LIFETIME - EXPIRY_MARGIN);
    }

    #[test]
    fn token_responses() {
        let (token, life) =
            parse_token_response(br#"{"access_token":"abc","expires_in":"3600"}"#).unwrap();
        assert_eq!(token.expose(), "abc");
        assert_eq!(life, Duration::from_secs(3540));
        assert!(parse_token_response(br#"{"token":"abc"}"#).is_err());
        assert!(parse_token_response(b"<html>").is_err());
    }

    #[test]
    fn the_form_carries_the_grant() {
        let cache = TokenCache::new(
            "https://login.example.com/token".parse().unwrap(),
            "id",
            &Secret::new("s&cret"),
            Some("https://api.example.com"),
            &["read".into(), "write".into()],
            Redactor::default(),
        );
        assert_eq!(
            cache.form.expose(),
            "grant_type=client_credentials&client_id=id&client_secret=s%26cret&audience=https%3A%2F%2Fapi.example.com&scope=read+write"
        );
    }
}
