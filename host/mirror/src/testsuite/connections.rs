//! Connections keep their configuration, and their secrets only as references.

use super::fixtures::*;
use crate::{ApiToken, Mirror, SecretRef};

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

/// A connection's tenant and pause are kept and can be changed (the service scopes every call
/// by the tenant; the scheduler skips a paused connection).
pub async fn a_connection_keeps_its_tenant(m: &dyn Mirror) {
    let mut c = connection_row();
    m.upsert_connection(&c).await.unwrap();
    let mut other = connection_row();
    other.name = "beta-ats".into();
    other.tenant = "beta".into();
    m.upsert_connection(&other).await.unwrap();
    assert_eq!(
        m.connection(CONN).await.unwrap().unwrap().tenant,
        "acme-corp"
    );
    let tenants: Vec<_> = m
        .connections()
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.name, c.tenant))
        .collect();
    assert_eq!(
        tenants,
        vec![
            (CONN.to_string(), "acme-corp".to_string()),
            ("beta-ats".to_string(), "beta".to_string()),
        ]
    );
    c.tenant = "acme-holding".into();
    c.paused_at = Some(77);
    m.upsert_connection(&c).await.unwrap();
    let stored = m.connection(CONN).await.unwrap().unwrap();
    assert_eq!(
        (stored.tenant.as_str(), stored.paused_at),
        ("acme-holding", Some(77))
    );
    c.paused_at = None;
    m.upsert_connection(&c).await.unwrap();
    assert_eq!(m.connection(CONN).await.unwrap().unwrap().paused_at, None);
}

/// A token is found by its hash until revoked; revoking twice, or an unknown id, says so.
pub async fn api_tokens_are_found_by_hash_until_revoked(m: &dyn Mirror) {
    let token = |id: &str, tenant: &str| ApiToken {
        id: id.into(),
        tenant: tenant.into(),
        hash: format!("hash-of-{id}"),
        label: Some(format!("{tenant} web app")),
        created_at: 10,
    };
    let (a, b) = (token("tok_a", "acme"), token("tok_b", "beta"));
    m.save_api_token(&b).await.unwrap();
    m.save_api_token(&a).await.unwrap();
    assert!(m.save_api_token(&a).await.is_err(), "ids are unique");
    assert_eq!(
        m.api_token_by_hash("hash-of-tok_a").await.unwrap(),
        Some(a.clone())
    );
    assert_eq!(m.api_token_by_hash("tok_a").await.unwrap(), None);
    assert_eq!(m.api_tokens().await.unwrap(), vec![a.clone(), b.clone()]);
    assert!(m.revoke_api_token("tok_a").await.unwrap());
    assert!(!m.revoke_api_token("tok_a").await.unwrap());
    assert!(!m.revoke_api_token("tok_unknown").await.unwrap());
    assert_eq!(m.api_token_by_hash("hash-of-tok_a").await.unwrap(), None);
    assert_eq!(m.api_tokens().await.unwrap(), vec![b]);
}

/// Deleting a connection leaves nothing of it: no row, record, search hit, run, key or reason;
/// another connection's data stays whole.
pub async fn deleting_a_connection_leaves_nothing_of_it(m: &dyn Mirror) {
    use crate::{RejectionReason, RunMode};
    use ats_model::RecordKind;
    m.upsert_connection(&connection_row()).await.unwrap();
    let mut other = connection_row();
    other.name = "beta-ats".into();
    m.upsert_connection(&other).await.unwrap();
    search_fixture(m).await;
    let ada = candidates(vec![candidate("1", "Ada", "Lovelace", "ada@example.com")]);
    let page = crate::PageWrite {
        kind: RecordKind::Candidate,
        records: ada,
        gone: Vec::new(),
        record_errors: Vec::new(),
        fence: None,
    };
    m.apply_page("beta-ats", "candidates", page, &state("b1"), NOW)
        .await
        .unwrap();
    m.start_run(CONN, "candidates", RunMode::Full, NOW)
        .await
        .unwrap();
    m.idempotency_claim(CONN, "export-1", "pending", NOW)
        .await
        .unwrap();
    m.put_rejection_reason(
        CONN,
        &RejectionReason {
            application_id: "a1".into(),
            reason: "moved away".into(),
            rejected_at: NOW,
            rejected_by: None,
        },
    )
    .await
    .unwrap();
    assert!(!search_text(m, "Ada").await.is_empty());

    assert!(m.delete_connection(CONN).await.unwrap());
    assert!(!m.delete_connection(CONN).await.unwrap(), "gone already");
    assert_eq!(m.connection(CONN).await.unwrap(), None);
    for kind in RecordKind::ALL {
        assert_eq!(
            m.ids(CONN, kind).await.unwrap(),
            Vec::<String>::new(),
            "{kind}"
        );
        assert_eq!(m.counts(CONN).await.unwrap().get(kind).live, 0, "{kind}");
    }
    assert!(search_text(m, "Ada").await.is_empty());
    assert!(m.runs(CONN, 10).await.unwrap().is_empty());
    assert_eq!(m.stream_state(CONN, "candidates").await.unwrap(), None);
    assert_eq!(m.idempotency(CONN, "export-1").await.unwrap(), None);
    assert_eq!(m.rejection_reason(CONN, "a1").await.unwrap(), None);
    // The other connection is untouched.
    assert!(m.connection("beta-ats").await.unwrap().is_some());
    assert_eq!(
        m.ids("beta-ats", RecordKind::Candidate).await.unwrap(),
        ids(&["1"])
    );
    let q = crate::SearchQuery {
        text: Some("Ada".into()),
        limit: 10,
        ..crate::SearchQuery::default()
    };
    assert_eq!(
        m.search_candidates("beta-ats", &q)
            .await
            .unwrap()
            .hits
            .len(),
        1
    );
}
