//! The service's API tokens, kept as hashes: which tenant each one acts for.
//!
//! The mirror never sees a token itself, only its SHA-256 (`ats-serve` makes and checks them),
//! so the database holds nothing a caller could present.

use crate::MirrorError;
use ats_model::Timestamp;

/// The tenant of connections made without one (the CLI's).
pub const DEFAULT_TENANT: &str = "default";

/// A tenant name: 1 to 64 of `a-z`, `0-9`, `-`, `_`, starting with a letter or digit.
pub fn check_tenant(name: &str) -> Result<(), String> {
    check_name("tenant", name)
}

/// A connection name made over the API must be the same kind of name as a tenant's: it goes
/// into URLs and into the name of the folder that holds its secrets.
pub fn check_connection_name(name: &str) -> Result<(), String> {
    check_name("connection", name)
}

fn check_name(what: &str, name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a {what} name: use 1 to 64 lowercase letters, digits, `-` or `_`, starting with a letter or digit"
        ))
    }
}

/// A stored API token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    /// Public handle for listing and revoking (`tok_…`, from the hash; not the token).
    pub id: String,
    pub tenant: String,
    /// SHA-256 of the token, hex.
    pub hash: String,
    pub label: Option<String>,
    pub created_at: Timestamp,
}

/// Where API tokens are kept.
#[async_trait::async_trait]
pub trait TokenStore: Send + Sync {
    /// Stores a new token (a token with the same id or hash is an error: they are random).
    async fn save_api_token(&self, token: &ApiToken) -> Result<(), MirrorError>;

    /// The token with this hash, unless revoked.
    async fn api_token_by_hash(&self, hash: &str) -> Result<Option<ApiToken>, MirrorError>;

    /// Every token not revoked, by tenant then id.
    async fn api_tokens(&self) -> Result<Vec<ApiToken>, MirrorError>;

    /// Revokes a token by id; `false` when no such token was live.
    async fn revoke_api_token(&self, id: &str) -> Result<bool, MirrorError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_names() {
        for ok in ["acme", "acme-corp", "t1", "a_b"] {
            assert!(check_tenant(ok).is_ok(), "{ok}");
        }
        for bad in ["", "Acme", "-a", "a b", "a/b", &"x".repeat(65)] {
            assert!(check_tenant(bad).is_err(), "{bad}");
        }
    }
}
