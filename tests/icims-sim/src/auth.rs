//! The login host's token endpoint (§2.1) and the API host's credential check: OAuth2
//! client-credentials Bearer tokens that expire on the sim clock, or HTTP Basic (§2.2).

use base64::Engine;
use serde::Serialize;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use crate::config::AuthConfig;
use crate::errors::{ApiError, ApiResult};
use crate::generator::rng::SplitMix64;

#[derive(Debug, Serialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: u64,
}

#[derive(Debug)]
struct AuthState {
    /// token → expiry (sim unix seconds).
    tokens: HashMap<String, i64>,
    /// client id → issue times inside the throttle window.
    issued: HashMap<String, VecDeque<i64>>,
    rng: SplitMix64,
}

#[derive(Debug)]
pub struct Auth {
    cfg: AuthConfig,
    state: Mutex<AuthState>,
}

impl Auth {
    pub fn new(cfg: AuthConfig) -> Self {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1);
        Auth {
            cfg,
            state: Mutex::new(AuthState {
                tokens: HashMap::new(),
                issued: HashMap::new(),
                rng: SplitMix64::new(seed),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, AuthState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    #[cfg(test)]
    pub fn config(&self) -> &AuthConfig {
        &self.cfg
    }

    /// `POST /oauth/token` with an `application/x-www-form-urlencoded` body.
    pub fn issue(&self, form_body: &[u8], now: i64) -> ApiResult<TokenResponse> {
        let mut grant = None;
        let mut id = None;
        let mut secret = None;
        let mut audience = None;
        for (k, v) in url::form_urlencoded::parse(form_body) {
            match k.as_ref() {
                "grant_type" => grant = Some(v.into_owned()),
                "client_id" => id = Some(v.into_owned()),
                "client_secret" => secret = Some(v.into_owned()),
                "audience" => audience = Some(v.into_owned()),
                _ => {}
            }
        }
        if grant.as_deref() != Some("client_credentials") {
            return Err(ApiError::bad_request(
                "grant_type must be client_credentials.",
            ));
        }
        if id.as_deref() != Some(self.cfg.client_id.as_str())
            || secret.as_deref() != Some(self.cfg.client_secret.as_str())
        {
            return Err(ApiError::unauthorized());
        }
        if audience.as_deref() != Some(self.cfg.audience.as_str()) {
            return Err(ApiError::new(
                403,
                crate::errors::INVALID_CREDENTIALS,
                "Service not enabled within domain: unknown audience.",
            ));
        }
        let client = self.cfg.client_id.clone();
        let mut st = self.lock();
        let window = self.cfg.token_throttle_window_secs as i64;
        let q = st.issued.entry(client).or_default();
        while q.front().is_some_and(|&t| t <= now.saturating_sub(window)) {
            q.pop_front();
        }
        if q.len() >= self.cfg.token_throttle_limit as usize {
            return Err(ApiError::new(
                self.cfg.token_throttle_status,
                crate::errors::INVALID_CREDENTIALS,
                "Too many token requests for this client; tokens must be cached.",
            ));
        }
        q.push_back(now);
        let token = format!("sim.{:016x}{:016x}", st.rng.next_u64(), st.rng.next_u64());
        let expiry = now.saturating_add(self.cfg.token_lifetime_secs.min(i64::MAX as u64) as i64);
        st.tokens.retain(|_, &mut exp| exp > now);
        st.tokens.insert(token.clone(), expiry);
        Ok(TokenResponse {
            access_token: token,
            token_type: "Bearer",
            expires_in: self.cfg.token_lifetime_secs,
        })
    }

    /// Checks an API request's `Authorization` header.
    pub fn check(&self, header: Option<&str>, now: i64) -> ApiResult<()> {
        let Some(h) = header else {
            return Err(ApiError::unauthorized());
        };
        let (scheme, value) = h.trim().split_once(' ').unwrap_or((h, ""));
        if scheme.eq_ignore_ascii_case("bearer") {
            let st = self.lock();
            return match st.tokens.get(value.trim()) {
                Some(&exp) if exp > now => Ok(()),
                _ => Err(ApiError::unauthorized()),
            };
        }
        if scheme.eq_ignore_ascii_case("basic") && self.cfg.basic_auth_enabled {
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(value.trim())
                .ok()
                .and_then(|b| String::from_utf8(b).ok());
            if let Some((u, p)) = decoded.as_deref().and_then(|s| s.split_once(':'))
                && u == self.cfg.username
                && p == self.cfg.password
            {
                return Ok(());
            }
        }
        Err(ApiError::unauthorized())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(cfg: &AuthConfig) -> String {
        format!(
            "grant_type=client_credentials&client_id={}&client_secret={}&audience={}",
            cfg.client_id,
            cfg.client_secret,
            url::form_urlencoded::byte_serialize(cfg.audience.as_bytes()).collect::<String>()
        )
    }

    #[test]
    fn token_expires_on_sim_clock() {
        let auth = Auth::new(AuthConfig::default());
        let t = auth.issue(form(auth.config()).as_bytes(), 1000).unwrap();
        let h = format!("Bearer {}", t.access_token);
        assert!(auth.check(Some(&h), 1000 + 86_399).is_ok());
        assert_eq!(auth.check(Some(&h), 1000 + 86_400).unwrap_err().code, 6);
    }

    #[test]
    fn throttles_token_requests() {
        let cfg = AuthConfig {
            token_throttle_limit: 3,
            ..AuthConfig::default()
        };
        let auth = Auth::new(cfg);
        let f = form(auth.config());
        for _ in 0..3 {
            auth.issue(f.as_bytes(), 50).unwrap();
        }
        assert_eq!(auth.issue(f.as_bytes(), 60).unwrap_err().status, 429);
        assert!(auth.issue(f.as_bytes(), 50 + 600).is_ok());
    }
}
