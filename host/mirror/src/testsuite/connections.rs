//! Connections keep their configuration, and their secrets only as references.

use super::fixtures::*;
use crate::{Mirror, SecretRef};

/// What the mirror gives back of a connection is exactly what it was given: secrets as
/// [`SecretRef`]s (the type has no variant for a value), which every reader resolves itself.
pub async fn only_secret_references_are_stored(m: &dyn Mirror) {
    let mut c = connection_row();
    c.secrets.insert(
        "private-key".to_string(),
        SecretRef::File("/run/secrets/icims.pem".into()),
    );
    m.upsert_connection(&c).await.unwrap();

    assert_eq!(m.connection(CONN).await.unwrap(), Some(c.clone()));
    assert_eq!(m.connection("other-conn").await.unwrap(), None);
    let all = m.connections().await.unwrap();
    assert_eq!(all, vec![c]);
    assert_eq!(
        all[0].secrets.get("client-secret"),
        Some(&SecretRef::Env("ICIMS_CLIENT_SECRET".into()))
    );
    assert_eq!(
        all[0].secrets.get("private-key"),
        Some(&SecretRef::File("/run/secrets/icims.pem".into()))
    );
}
