//! Signed-in sessions: a random id in an `HttpOnly`, `SameSite=Strict` cookie, the session
//! itself (its tenant, its CSRF token, when it ends) kept here on the server. A session holds the
//! hash of the token it was opened with, never the token, and ends as soon as that token is
//! revoked.

use crate::Admin;
use crate::page_error::PageError;
use ats_serve::auth::Tenant;
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "ats_admin_session";
/// The cookie that ties a sign-in form to the browser that asked for it (login CSRF).
pub const SIGN_IN_COOKIE: &str = "ats_admin_sign_in";
/// How long a session lasts after sign-in, whatever it does.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(8 * 3600);

/// 32 random bytes as hex: session ids and CSRF tokens.
pub fn random_token() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

#[derive(Debug, Clone)]
struct Session {
    tenant: String,
    token_hash: String,
    csrf: String,
    ends_at: Instant,
}

/// Every open session, by id.
#[derive(Debug, Default)]
pub struct Sessions {
    open: Mutex<HashMap<String, Session>>,
}

impl Sessions {
    fn open(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Opens a session for `tenant`; returns its id.
    pub fn start(&self, tenant: &str, token_hash: &str) -> String {
        let now = Instant::now();
        let id = random_token();
        let mut open = self.open();
        open.retain(|_, s| s.ends_at > now);
        open.insert(
            id.clone(),
            Session {
                tenant: tenant.to_string(),
                token_hash: token_hash.to_string(),
                csrf: random_token(),
                ends_at: now + SESSION_LIFETIME,
            },
        );
        id
    }

    pub fn end(&self, id: &str) {
        self.open().remove(id);
    }

    fn live(&self, id: &str) -> Option<Session> {
        let mut open = self.open();
        match open.get(id) {
            Some(s) if s.ends_at > Instant::now() => Some(s.clone()),
            Some(_) => {
                open.remove(id);
                None
            }
            None => None,
        }
    }
}

/// A cookie's value from the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` header for a cookie scoped to the admin pages (`max_age` 0 removes it).
/// `Secure` when the request came over HTTPS through a proxy that says so.
pub fn set_cookie(
    request: &HeaderMap,
    name: &str,
    value: &str,
    max_age: u64,
) -> (axum::http::HeaderName, HeaderValue) {
    let https = request
        .get("x-forwarded-proto")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
    let secure = if https { "; Secure" } else { "" };
    let text = format!(
        "{name}={value}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    );
    // Names and values are ours: hex and ASCII only.
    (
        SET_COOKIE,
        HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("")),
    )
}

/// Equal texts, compared in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The signed-in person of a request: their tenant and the session's CSRF token. A request
/// without a live session is sent to the sign-in page.
#[derive(Debug, Clone)]
pub struct Signed {
    pub id: String,
    pub tenant: Tenant,
    pub csrf: String,
}

impl Signed {
    /// Refuses a form whose CSRF token is not the session's.
    pub fn check_csrf(&self, sent: Option<&str>) -> Result<(), PageError> {
        match sent {
            Some(sent) if same_secret(sent, &self.csrf) => Ok(()),
            Some(_) => Err(PageError::forged(
                "the form's security token is not this session's",
            )),
            None => Err(PageError::forged("the form carries no security token")),
        }
    }
}

impl FromRequestParts<Admin> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, admin: &Admin) -> Result<Self, Response> {
        let to_sign_in = || Redirect::to("/admin/login").into_response();
        let Some(id) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(to_sign_in());
        };
        let Some(session) = admin.sessions.live(&id) else {
            return Err(to_sign_in());
        };
        // A revoked token ends its sessions at once.
        match admin
            .service
            .host
            .mirror
            .api_token_by_hash(&session.token_hash)
            .await
        {
            Ok(Some(token)) if token.tenant == session.tenant => Ok(Signed {
                id,
                tenant: Tenant(session.tenant),
                csrf: session.csrf,
            }),
            Ok(_) => {
                tracing::info!("admin session ended: its token was revoked");
                admin.sessions.end(&id);
                Err(to_sign_in())
            }
            Err(e) => Err(PageError::from(ats_serve::api_error::ApiError::from(e)).into_response()),
        }
    }
}

/// A page that also serves people not signed in (the sign-in form).
impl OptionalFromRequestParts<Admin> for Signed {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        admin: &Admin,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(
            <Signed as FromRequestParts<Admin>>::from_request_parts(parts, admin)
                .await
                .ok(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            HeaderValue::from_static("a=1; ats_admin_session=abc ; b=2"),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&headers, "missing"), None);
    }

    #[test]
    fn a_session_ends_when_ended_and_ids_are_random() {
        let sessions = Sessions::default();
        let (a, b) = (sessions.start("acme", "h"), sessions.start("acme", "h"));
        assert_ne!(a, b);
        assert_eq!(sessions.live(&a).map(|s| s.tenant).as_deref(), Some("acme"));
        sessions.end(&a);
        assert!(sessions.live(&a).is_none());
        assert!(sessions.live(&b).is_some());
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "ab"));
    }
}
