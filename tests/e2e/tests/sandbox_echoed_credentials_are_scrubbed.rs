//! An ATS (or a proxy) that echoes request headers never hands a credential to the plugin,
//! and nothing a plugin logs or returns shows one: raw secrets, the Basic base64, prefixed
//! keys and OAuth access tokens alike.

use ats_model::{ListRequest, RecordKind};
use e2e_tests::hostile::{Auth, Hostile};
use e2e_tests::runtime_fixtures::LogCapture;

#[tokio::test(flavor = "current_thread")]
async fn an_echoed_credential_is_masked_in_answers_errors_and_logs() {
    let (logs, _guard) = LogCapture::install();
    let h = Hostile::start().await;
    for auth in [Auth::ApiKey, Auth::Basic, Auth::OAuth] {
        let name = format!("echo-{auth:?}");
        let live = h.connect(&name, "echo-in-error", auth, &[]).await.unwrap();
        let error = live
            .connection
            .list_records(RecordKind::Candidate, ListRequest::default())
            .await
            .expect_err("echo-in-error fails with what it saw");
        let text = error.to_string();
        Hostile::assert_no_secret(&format!("{auth:?}: the error"), &text);
        assert!(
            text.contains("[redacted]"),
            "{auth:?}: the echo arrived masked: {text}"
        );
        assert!(
            live.connection.stats().scrubbed_answers >= 1,
            "{auth:?}: the header echo was counted"
        );
    }
    // The server did see the credentials the host added (so the echo really carried them).
    let api = h.api.requests();
    assert!(api.iter().any(|r| r.header("authorization").is_some()));
    Hostile::assert_no_secret("the logs", &logs.text());
}

#[tokio::test(flavor = "current_thread")]
async fn a_check_report_that_echoes_the_token_is_redacted() {
    let h = Hostile::start().await;
    let live = h
        .connect("echo-check", "echo-in-check", Auth::OAuth, &[])
        .await
        .unwrap();
    let report = live.connection.check_connection().await.unwrap();
    let json = serde_json::to_string(&report).unwrap();
    Hostile::assert_no_secret("the check report", &json);
    assert!(json.contains("[redacted]"), "{json}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_plugin_cannot_read_a_secret_through_its_settings() {
    let h = Hostile::start().await;
    for auth in [Auth::ApiKey, Auth::Basic, Auth::OAuth] {
        let live = h
            .connect("guess", "return-secret-guess", auth, &[])
            .await
            .unwrap();
        let error = live
            .connection
            .list_records(RecordKind::Candidate, ListRequest::default())
            .await
            .expect_err("the guess comes back as an error");
        let text = error.to_string();
        assert!(text.contains("mode=return-secret-guess"), "{text}");
        Hostile::assert_no_secret(&format!("{auth:?}: what the plugin read"), &text);
    }
}
