//! `describe` follows the settings; `check-connection` names the account and grants everything
//! for a fully permitted customer; an unknown customer id is a misconfiguration.

mod icims_support;

use ats_model::{AuthScheme, EventScheme, EventVerification, PermissionState, SignatureEncoding};
use ats_runtime::CallError;
use icims_support::*;

#[tokio::test(flavor = "multi_thread")]
async fn describe_and_check_connection() {
    let env = start(config(5, 2, 3), &[]).await;
    let info = env.conn.info();
    assert_eq!(info.id, "icims");
    // The login host is declared too: the host sends the client secret only to declared hosts.
    assert_eq!(
        info.api_hosts,
        vec![
            authority(&env.sim.api_base_url()),
            authority(&env.sim.login_base_url())
        ]
    );
    assert!(
        matches!(&info.auth, AuthScheme::Oauth2ClientCredentials { token_url, .. } if token_url == &format!("{}/oauth/token", env.sim.login_base_url()))
    );
    assert_eq!(info.permissions.len(), 14);
    assert_eq!(info.list_staleness_seconds, 0);

    let report = env.conn.check_connection().await.expect("check");
    assert_eq!(report.account_name.as_deref(), Some("Simulated Customer"));
    assert_eq!(report.environment.as_deref(), Some("sandbox"));
    assert_eq!(report.permissions.len(), 14);
    for p in &report.permissions {
        assert_eq!(p.state, PermissionState::Granted, "{p:?}");
    }

    // Describe without any settings uses the US defaults.
    let bare = env.plugin.describe(&Default::default()).await.unwrap();
    assert_eq!(bare.api_hosts, vec!["api.icims.com", "login.icims.com"]);
    assert_eq!(bare.list_staleness_seconds, 900);
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_customer_is_misconfigured() {
    let env = start(config(1, 1, 1), &[]).await;
    let settings = settings(&env.sim, &[("customer-id", "999999")]);
    let conn = connect(&env.runtime, &env.plugin, &env.sim, settings).await;
    match conn.check_connection().await {
        Err(CallError::Connector(ats_model::ConnectorError::Misconfigured { message })) => {
            assert!(message.contains("customer-id"), "{message}")
        }
        other => panic!("expected misconfigured, got {other:?}"),
    }
}

/// The declaration of how pushed events are verified crosses the runtime (converted and
/// bounded) and reads in `ats describe`; without `event-auth` there is none.
#[tokio::test(flavor = "multi_thread")]
async fn describe_declares_how_events_are_verified() {
    let env = start(config(1, 1, 1), &[]).await;
    assert_eq!(env.conn.info().event_verification, None);
    let text = ats_app::describe_text::render(env.conn.info());
    assert!(text.contains("Push events: none accepted"), "{text}");

    let settings = [("event-auth".to_string(), "hmac".to_string())].into();
    let info = env.plugin.describe(&settings).await.unwrap();
    assert_eq!(
        info.event_verification,
        Some(EventVerification {
            scheme: EventScheme::HmacSha256SignedHeaders,
            header: "authorization".into(),
            prefix: "x-icims-v1-hmac-sha256 ".into(),
            secret_setting: "event-secret".into(),
            username_setting: Some("event-username".into()),
            timestamp_header: Some("x-icims-date".into()),
            body_digest_header: Some("x-icims-content-sha256".into()),
            signature_encoding: SignatureEncoding::Hex,
        })
    );
    assert!(
        info.settings
            .iter()
            .any(|s| s.key == "event-secret" && s.secret)
    );
    let text = ats_app::describe_text::render(&info);
    assert!(
        text.contains("Push events: verified by HMAC-SHA256 (hex) over the signed headers"),
        "{text}"
    );

    let settings = [("event-auth".to_string(), "basic".to_string())].into();
    let basic = env.plugin.describe(&settings).await.unwrap();
    let basic = basic.event_verification.unwrap();
    assert_eq!(
        (basic.scheme, basic.prefix.as_str()),
        (EventScheme::HttpBasic, "Basic ")
    );
}
