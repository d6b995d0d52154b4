//! A plugin reaches only its allowed hosts: a fetch elsewhere is refused with a clear error
//! and a warning, while a fetch to the allowed host works.

use ats_model::ConnectorError;
use ats_runtime::CallError;
use e2e_tests::runtime_fixtures::*;

#[tokio::test(flavor = "current_thread")]
async fn a_fetch_to_a_host_off_the_allow_list_is_refused_and_logged() {
    let (logs, _guard) = LogCapture::install();
    let allowed = LocalServer::start(|_| (200, vec![], "hello".into())).await;
    let elsewhere = LocalServer::start(|_| (200, vec![], "should never be reached".into())).await;
    let cache = tempfile::tempdir().unwrap();
    let runtime = runtime_in(cache.path(), |_| {});
    let plugin = probe_plugin(&runtime);
    let connection = connect_probe(
        &runtime,
        &plugin,
        probe_spec("denied-host", &allowed.authority()),
    )
    .await;

    let answer = probe(&connection, &format!("fetch:{}", allowed.url("/ok")))
        .await
        .unwrap();
    assert_eq!(answer, "status 200");

    let refused = probe(&connection, &format!("fetch:{}", elsewhere.url("/steal"))).await;
    match refused {
        Err(CallError::Connector(ConnectorError::Misconfigured { message })) => {
            assert!(message.contains("allow-list"), "{message}");
        }
        other => panic!("expected a misconfigured error, got {other:?}"),
    }
    assert!(
        elsewhere.requests().is_empty(),
        "the refused host received a request"
    );

    let stats = connection.stats();
    assert_eq!(stats.refused, 1);
    assert_eq!(stats.sent, 1);
    let text = logs.text();
    assert!(
        text.lines().any(|l| l.contains("WARN")
            && l.contains(&elsewhere.authority())
            && l.contains("denied-host")),
        "no warning naming the host and connection in:\n{text}"
    );
}
