//! The HTTP hook driven directly, without a wasm guest (Spin's `factor_test` style): a local
//! OAuth token server and API server, many requests, one token; a 401 refreshes once.

use super::auth::Credentials;
use super::grant::HostGrant;
use super::send::{HttpClient, host_body};
use super::{ConnectionHttp, NoObserver};
use crate::secrets::{Redactor, Secret};
use ats_model::{AuthScheme, ConnectorInfo};
use http_body_util::BodyExt;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

type Handler = Arc<dyn Fn(&http::request::Parts, &[u8]) -> (u16, String) + Send + Sync>;

/// Serves `handler` on 127.0.0.1 and records each request's `authorization` header.
async fn serve(handler: Handler) -> (SocketAddr, Arc<Mutex<Vec<Option<String>>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let handler = handler.clone();
            let log = log.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                    let handler = handler.clone();
                    let log = log.clone();
                    async move {
                        let (parts, body) = request.into_parts();
                        let body = body
                            .collect()
                            .await
                            .map(|b| b.to_bytes())
                            .unwrap_or_default();
                        let auth = parts
                            .headers
                            .get("authorization")
                            .map(|v| v.to_str().unwrap_or_default().to_string());
                        log.lock().unwrap().push(auth);
                        let (status, text) = handler(&parts, &body);
                        let mut response = hyper::Response::new(http_body_util::Full::new(
                            bytes::Bytes::from(text),
                        ));
                        *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
                        Ok::<_, std::convert::Infallible>(response)
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(socket), service)
                    .await;
            });
        }
    });
    (addr, seen)
}

/// A token server that hands out `tok-1`, `tok-2`… and counts the grants.
async fn token_server() -> (SocketAddr, Arc<AtomicUsize>) {
    let grants = Arc::new(AtomicUsize::new(0));
    let counter = grants.clone();
    let (addr, _) = serve(Arc::new(move |parts, body| {
        let form = String::from_utf8_lossy(body);
        assert_eq!(parts.method, http::Method::POST);
        if !form.contains("client_secret=top-secret")
            || !form.contains("grant_type=client_credentials")
        {
            return (401, r#"{"error":"invalid_client"}"#.into());
        }
        // Slow enough that concurrent requests would all fetch without single-flight.
        std::thread::sleep(std::time::Duration::from_millis(50));
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        (
            200,
            format!(r#"{{"access_token":"tok-{n}","expires_in":3600,"token_type":"Bearer"}}"#),
        )
    }))
    .await;
    (addr, grants)
}

fn connection(api: SocketAddr, token: SocketAddr, extra: &[String]) -> Arc<ConnectionHttp> {
    connection_with(api, token, extra, &crate::PluginLimits::default())
}

fn connection_with(
    api: SocketAddr,
    token: SocketAddr,
    extra: &[String],
    limits: &crate::PluginLimits,
) -> Arc<ConnectionHttp> {
    let token_url = format!("http://{token}/oauth/token");
    let scheme = AuthScheme::Oauth2ClientCredentials {
        token_url: token_url.clone(),
        audience: Some("https://api.example.com".into()),
        scopes: vec![],
        client_id_setting: "client-id".into(),
        client_secret_setting: "client-secret".into(),
    };
    let info = ConnectorInfo {
        auth: scheme.clone(),
        api_hosts: vec![api.to_string(), token.to_string()],
        ..ConnectorInfo::default()
    };
    let grant = HostGrant {
        api_hosts: vec![format!("http://{api}")],
        token_url: Some(token_url),
        other_hosts: extra.iter().map(|h| format!("http://{h}")).collect(),
    };
    let granted = grant.narrow(&info).unwrap();
    let settings = BTreeMap::from([("client-id".to_string(), "the-client".to_string())]);
    let secrets = BTreeMap::from([("client-secret".to_string(), Secret::new("top-secret"))]);
    let redactor = Redactor::new(secrets.values().cloned());
    let credentials = Credentials::resolve(&scheme, &settings, &secrets, &redactor).unwrap();
    Arc::new(ConnectionHttp::new(
        "oauth-test",
        granted,
        credentials,
        Arc::new(NoObserver),
        HttpClient::new(&Default::default()).unwrap(),
        redactor,
        limits,
    ))
}

async fn get(http: &ConnectionHttp, url: &str, authorization: Option<&str>) -> u16 {
    let mut request = http::Request::get(url);
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    let request = request.body(host_body("")).unwrap();
    let response = http.handle(request, None).await.expect("request answered");
    let status = response.status().as_u16();
    let _ = response.into_body().collect().await;
    status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_concurrent_requests_share_one_token() {
    let (token, grants) = token_server().await;
    let (api, seen) = serve(Arc::new(|_, _| (200, "{}".into()))).await;
    let http = connection(api, token, &[]);

    let calls: Vec<_> = (0..20)
        .map(|i| {
            let http = http.clone();
            tokio::spawn(async move { get(&http, &format!("http://{api}/people/{i}"), None).await })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap(), 200);
    }
    assert_eq!(
        grants.load(Ordering::SeqCst),
        1,
        "one token for all requests"
    );
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 20);
    assert!(
        seen.iter().all(|a| a.as_deref() == Some("Bearer tok-1")),
        "{seen:?}"
    );
    let stats = http.stats();
    assert_eq!(
        (
            stats.sent,
            stats.tokens_fetched,
            stats.unauthorized_refreshes
        ),
        (20, 1, 0)
    );
}

#[tokio::test]
async fn a_401_refreshes_the_token_once_and_resends() {
    let (token, grants) = token_server().await;
    // The API has revoked tok-1: it accepts only later tokens.
    let (api, seen) = serve(Arc::new(|parts, _| {
        match parts
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
        {
            Some("Bearer tok-1") | None => (401, "expired".into()),
            Some(_) => (200, "{}".into()),
        }
    }))
    .await;
    let http = connection(api, token, &[]);

    assert_eq!(get(&http, &format!("http://{api}/jobs"), None).await, 200);
    assert_eq!(grants.load(Ordering::SeqCst), 2);
    assert_eq!(
        seen.lock().unwrap().clone(),
        vec![
            Some("Bearer tok-1".to_string()),
            Some("Bearer tok-2".to_string())
        ]
    );
    assert_eq!(get(&http, &format!("http://{api}/jobs"), None).await, 200);
    let stats = http.stats();
    assert_eq!(
        (
            stats.sent,
            stats.tokens_fetched,
            stats.unauthorized_refreshes
        ),
        (3, 2, 1)
    );
}

#[tokio::test]
async fn a_401_with_a_fresh_token_is_not_retried_forever() {
    let (token, grants) = token_server().await;
    let (api, seen) = serve(Arc::new(|_, _| (401, "nope".into()))).await;
    let http = connection(api, token, &[]);
    assert_eq!(get(&http, &format!("http://{api}/x"), None).await, 401);
    assert_eq!(seen.lock().unwrap().len(), 2, "one resend, no more");
    assert_eq!(grants.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn plugin_credentials_are_dropped_and_extra_hosts_get_none() {
    let (token, _) = token_server().await;
    let (api, api_seen) = serve(Arc::new(|_, _| (200, "{}".into()))).await;
    let (other, other_seen) = serve(Arc::new(|_, _| (200, "{}".into()))).await;
    let http = connection(api, token, &[other.to_string()]);

    assert_eq!(
        get(&http, &format!("http://{api}/a"), Some("Bearer forged")).await,
        200
    );
    assert_eq!(
        get(&http, &format!("http://{other}/b"), Some("Bearer forged")).await,
        200
    );
    assert_eq!(
        api_seen.lock().unwrap().clone(),
        vec![Some("Bearer tok-1".to_string())]
    );
    assert_eq!(other_seen.lock().unwrap().clone(), vec![None]);
}

#[tokio::test]
async fn refused_hosts_are_denied_and_counted() {
    let (token, _) = token_server().await;
    let (api, _) = serve(Arc::new(|_, _| (200, "{}".into()))).await;
    let http = connection(api, token, &[]);
    let request = http::Request::get("http://127.0.0.1:9/steal")
        .body(host_body("data"))
        .unwrap();
    let Err(error) = http.handle(request, None).await else {
        panic!("the request should be refused")
    };
    assert!(
        matches!(error, wasmtime_wasi_http::Error::HttpRequestDenied),
        "{error:?}"
    );
    assert_eq!(http.stats().refused, 1);
}

#[tokio::test]
async fn an_answer_that_echoes_the_token_is_masked_before_the_plugin_reads_it() {
    let (token, _) = token_server().await;
    let (api, _) = serve(Arc::new(|parts, _| {
        let auth = parts
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        (200, format!(r#"{{"you-sent":"{auth}"}}"#))
    }))
    .await;
    // tok-N is shorter than what the host scrubs from answers; a real token is not.
    let http = connection(api, token, &[]);
    http.redactor.add(&Secret::new("Bearer tok-1"));
    let request = http::Request::get(format!("http://{api}/echo"))
        .body(host_body(""))
        .unwrap();
    let response = http.handle(request, None).await.unwrap();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&body);
    assert!(!text.contains("tok-1"), "{text}");
    assert!(text.contains("[redacted]"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn request_bodies_beyond_the_connection_budget_are_refused() {
    let (token, _) = token_server().await;
    // The server holds each request a while so the bodies are in flight together.
    let (api, seen) = serve(Arc::new(|_, _| {
        std::thread::sleep(std::time::Duration::from_millis(300));
        (200, "{}".into())
    }))
    .await;
    let limits = crate::PluginLimits {
        max_buffered_request_bytes: 3 << 20,
        ..Default::default()
    };
    let http = connection_with(api, token, &[], &limits);
    let calls: Vec<_> = (0..6)
        .map(|_| {
            let http = http.clone();
            tokio::spawn(async move {
                let request = http::Request::post(format!("http://{api}/upload"))
                    .body(host_body(vec![7u8; 1 << 20]))
                    .unwrap();
                http.handle(request, None)
                    .await
                    .map(|r| r.status().as_u16())
            })
        })
        .collect();
    let mut refused = 0;
    for call in calls {
        match call.await.unwrap() {
            Ok(status) => assert_eq!(status, 200),
            Err(wasmtime_wasi_http::Error::InternalError(Some(message))) => {
                assert!(message.contains("max_buffered_request_bytes"), "{message}");
                refused += 1;
            }
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert!(
        refused >= 3,
        "at most three 1 MiB bodies fit in 3 MiB: {refused} refused"
    );
    assert_eq!(seen.lock().unwrap().len(), 6 - refused);
    assert_eq!(http.stats().refused_over_budget, refused as u64);
}

// Eight workers so the server could answer far more than the limit at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn requests_beyond_the_in_flight_limit_wait_their_turn() {
    let (token, _) = token_server().await;
    let now = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let (n, p) = (now.clone(), peak.clone());
    let (api, _) = serve(Arc::new(move |_, _| {
        let current = n.fetch_add(1, Ordering::SeqCst) + 1;
        p.fetch_max(current, Ordering::SeqCst);
        std::thread::sleep(std::time::Duration::from_millis(20));
        n.fetch_sub(1, Ordering::SeqCst);
        (200, "{}".into())
    }))
    .await;
    let limits = crate::PluginLimits {
        max_requests_in_flight: 2,
        ..Default::default()
    };
    let http = connection_with(api, token, &[], &limits);
    let calls: Vec<_> = (0..30)
        .map(|i| {
            let http = http.clone();
            tokio::spawn(async move { get(&http, &format!("http://{api}/p/{i}"), None).await })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap(), 200);
    }
    let peak = peak.load(Ordering::SeqCst);
    assert!((1..=2).contains(&peak), "peak {peak}");
}
