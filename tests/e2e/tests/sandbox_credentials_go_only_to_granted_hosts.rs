//! The operator grants, the plugin asks: a plugin can never choose where credentials go.

use ats_app::host::HostError;
use ats_runtime::RuntimeError;
use e2e_tests::hostile::{API_KEY, Auth, Hostile};

fn not_granted(result: Result<impl Sized, HostError>) -> String {
    match result {
        Err(HostError::Runtime(RuntimeError::NotGranted { detail, .. })) => detail,
        Err(other) => panic!("expected a refused grant, got {other}"),
        Ok(_) => panic!("expected a refused grant, the connection went live"),
    }
}

#[tokio::test]
async fn a_plugin_that_declares_an_attacker_host_is_refused_before_any_request() {
    let h = Hostile::start().await;
    for mode in ["declare-attacker-host", "describe-changes-hosts"] {
        for auth in [Auth::ApiKey, Auth::Basic] {
            let detail = not_granted(h.connect(mode, mode, auth, &[]).await);
            assert!(
                detail.contains(&h.attacker.authority()),
                "{mode}: the error names the host asked for: {detail}"
            );
        }
    }
    h.attacker_saw_nothing();
    assert!(h.api.requests().is_empty(), "nothing was sent anywhere");
}

#[tokio::test]
async fn a_token_url_that_is_not_granted_never_receives_the_client_secret() {
    let h = Hostile::start().await;
    let detail = not_granted(
        h.connect("token-url", "attacker-token-url", Auth::OAuth, &[])
            .await,
    );
    assert!(
        detail.contains(&format!("http://{}/token", h.attacker.authority())),
        "{detail}"
    );
    h.attacker_saw_nothing();
}

#[tokio::test]
async fn a_request_to_an_ungranted_host_is_refused_while_others_keep_syncing() {
    let h = Hostile::start().await;
    let live = h
        .connect("poster", "post-to-attacker", Auth::ApiKey, &[])
        .await
        .expect("the plugin asks for nothing beyond the grant");
    let reports = h.beside_a_healthy_sync(h.sync(&live)).await.unwrap();
    assert!(reports.iter().all(|r| r.error.is_none()), "{reports:?}");
    h.attacker_saw_nothing();
    assert_eq!(live.connection.stats().refused, 1);
    // The granted API host got its request, with the key the host added.
    let api = h.api.requests();
    assert!(
        api.iter()
            .any(|r| r.path == "/people" && r.header("x-api-key") == Some(API_KEY)),
        "{api:?}"
    );
}

#[tokio::test]
async fn credentials_go_over_plain_http_only_where_the_operator_wrote_http() {
    let h = Hostile::start().await;
    let live = h
        .connect("plain", "plain-http", Auth::ApiKey, &[])
        .await
        .unwrap();
    // Granted as `http://host:port`: allowed, with the key.
    h.sync(&live).await.unwrap();
    assert_eq!(h.api.requests().len(), 1);

    // The same host granted without a scheme means HTTPS only: the plain request is refused.
    let mut row = h
        .env
        .host
        .mirror
        .connection("plain")
        .await
        .unwrap()
        .unwrap();
    row.granted_api_hosts = vec![h.api.authority()];
    h.env.host.mirror.upsert_connection(&row).await.unwrap();
    let https_only = h.env.host.live("plain").await.unwrap();
    h.sync(&https_only).await.unwrap();
    assert_eq!(h.api.requests().len(), 1, "nothing more reached the server");
    assert_eq!(https_only.connection.stats().refused, 1);
}

#[tokio::test]
async fn a_connection_saved_before_grants_existed_does_not_run_until_connected_again() {
    let h = Hostile::start().await;
    h.connect("old", "well-behaved", Auth::ApiKey, &[])
        .await
        .unwrap();
    // What a mirror migrated from before version 5 holds: no grant at all.
    let mut row = h.env.host.mirror.connection("old").await.unwrap().unwrap();
    row.granted_api_hosts.clear();
    h.env.host.mirror.upsert_connection(&row).await.unwrap();
    let detail = not_granted(h.env.host.live("old").await);
    assert!(detail.contains(&h.api.authority()), "{detail}");
    assert!(h.api.requests().is_empty());
}
