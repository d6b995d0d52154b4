//! Who is calling: `Authorization: Bearer <token>` on every `/v1` request, turned into the
//! token's tenant. A missing, malformed or unknown token gets 401 and nothing else; which of
//! the three it was is logged, not answered.

use crate::api_error::ApiError;
use crate::service::Service;
use crate::tokens::token_hash;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use std::sync::Arc;

/// The tenant the request's token belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant(pub String);

const CHALLENGE: &str =
    "send `Authorization: Bearer <token>` with a token made by `ats token create --tenant T`";

impl FromRequestParts<Arc<Service>> for Tenant {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        service: &Arc<Service>,
    ) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(AUTHORIZATION) else {
            tracing::info!(path = %parts.uri.path(), "refused: no Authorization header");
            return Err(ApiError::unauthorized(format!("no token: {CHALLENGE}")));
        };
        let token = value
            .to_str()
            .ok()
            .and_then(|v| {
                let (scheme, token) = v.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
            })
            .filter(|t| !t.is_empty());
        let Some(token) = token else {
            tracing::info!(path = %parts.uri.path(), "refused: Authorization is not a bearer token");
            return Err(ApiError::unauthorized(format!(
                "the Authorization header is not a bearer token: {CHALLENGE}"
            )));
        };
        match tenant_of_token(service, token).await? {
            Some(tenant) => Ok(tenant),
            None => {
                tracing::info!(path = %parts.uri.path(), "refused: unknown or revoked token");
                Err(ApiError::unauthorized(format!(
                    "the token is not valid (unknown or revoked): {CHALLENGE}"
                )))
            }
        }
    }
}

/// The tenant `token` belongs to; `None` when it is unknown or revoked. The API's bearer check
/// and the admin pages' sign-in both ask this.
pub async fn tenant_of_token(service: &Service, token: &str) -> Result<Option<Tenant>, ApiError> {
    Ok(service
        .host
        .mirror
        .api_token_by_hash(&token_hash(token))
        .await?
        .map(|stored| Tenant(stored.tenant)))
}
