//! API tokens: each belongs to one tenant and lets the platform act for that tenant only.
//!
//! A token is shown once, when made (`ats token create --tenant T`); the mirror keeps only its
//! SHA-256, so a copy of the database does not hold a usable token. Tokens are 32 random bytes,
//! so a plain hash (no salt, no slow KDF) is enough: there is nothing to guess.

use ats_mirror::{ApiToken, Mirror, MirrorError, check_tenant};
use ats_model::Timestamp;
use sha2::{Digest, Sha256};

/// Every token starts with this, so a leaked one is easy to recognise (and to scan for).
pub const TOKEN_PREFIX: &str = "ats_";

/// A new token's text (`ats_` and 64 hex digits).
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    format!("{TOKEN_PREFIX}{}", hex::encode(bytes))
}

/// What the mirror keeps of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

/// A token just made: the text to hand over once, and what was stored.
#[derive(Debug)]
pub struct NewToken {
    pub token: String,
    pub stored: ApiToken,
}

/// Makes and stores a token for `tenant`.
pub async fn create_token(
    mirror: &dyn Mirror,
    tenant: &str,
    label: Option<&str>,
    now: Timestamp,
) -> Result<NewToken, CreateTokenError> {
    check_tenant(tenant).map_err(CreateTokenError::Tenant)?;
    let token = new_token();
    let hash = token_hash(&token);
    let stored = ApiToken {
        id: format!("tok_{}", &hash[..16]),
        tenant: tenant.to_string(),
        hash,
        label: label.map(str::to_string),
        created_at: now,
    };
    mirror.save_api_token(&stored).await?;
    Ok(NewToken { token, stored })
}

#[derive(Debug, thiserror::Error)]
pub enum CreateTokenError {
    #[error("{0}")]
    Tenant(String),
    #[error(transparent)]
    Mirror(#[from] MirrorError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert!(a.starts_with(TOKEN_PREFIX) && a.len() == 4 + 64);
        assert_eq!(token_hash(&a), token_hash(&format!(" {a}\n")));
        assert_ne!(token_hash(&a), token_hash(&b));
        assert!(!token_hash(&a).contains(&a[4..]));
    }
}
