//! The HTTP/1.1 listeners (hyper 1 directly, keep-alive). Each connection can be killed from
//! inside a request, which is how the `reset` and `timeout` faults close a socket without a
//! response: a dup of the socket stays outside hyper, gets SO_LINGER=0 for a reset, and the
//! connection future is dropped.

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};

use crate::reply::{Outcome, Reply, Req, SimBody};
use crate::state::Inner;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Host {
    Api,
    Login,
    Admin,
}

/// Accepts connections until `shutdown` flips (or its sender is dropped).
pub async fn serve(
    listener: TcpListener,
    host: Host,
    inner: Arc<Inner>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = shutdown.changed() => return,
        };
        let Ok((stream, _)) = accepted else {
            // Out of file descriptors or similar: back off instead of spinning.
            tokio::time::sleep(Duration::from_millis(5)).await;
            continue;
        };
        let inner = inner.clone();
        let shutdown = shutdown.clone();
        tokio::spawn(connection(stream, host, inner, shutdown));
    }
}

async fn connection(
    stream: TcpStream,
    host: Host,
    inner: Arc<Inner>,
    mut shutdown: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    // Keep a duplicate of the socket so a fault can set SO_LINGER=0 before it is closed.
    let Ok(std_stream) = stream.into_std() else {
        return;
    };
    let Ok(killer) = std_stream.try_clone() else {
        return;
    };
    let Ok(stream) = TcpStream::from_std(std_stream) else {
        return;
    };
    let kill = Arc::new(Notify::new());
    let reset = Arc::new(AtomicBool::new(false));
    let svc = {
        let (kill, reset) = (kill.clone(), reset.clone());
        service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
            let (inner, kill, reset) = (inner.clone(), kill.clone(), reset.clone());
            async move {
                let outcome = handle(host, &inner, req).await;
                Ok::<_, Infallible>(match outcome {
                    Outcome::Reply(r) => to_response(r, false),
                    Outcome::Truncated(r) => to_response(r, true),
                    Outcome::Reset => {
                        reset.store(true, Ordering::SeqCst);
                        kill.notify_one();
                        std::future::pending().await
                    }
                    Outcome::Hold(d) => {
                        tokio::time::sleep(d).await;
                        kill.notify_one();
                        std::future::pending().await
                    }
                })
            }
        })
    };
    let conn = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), svc);
    tokio::select! {
        _ = conn => {}
        _ = kill.notified() => {
            if reset.load(Ordering::SeqCst) {
                let _ = socket2::SockRef::from(&killer).set_linger(Some(Duration::ZERO));
            }
        }
        _ = shutdown.changed() => {}
    }
    drop(killer);
}

fn to_response(r: Reply, truncated: bool) -> hyper::Response<SimBody> {
    let len = r.body.len();
    let body = if truncated {
        SimBody::Truncated(Some(r.body.slice(..len / 2)), false)
    } else {
        SimBody::Full((!r.body.is_empty()).then_some(r.body))
    };
    let mut resp = hyper::Response::new(body);
    *resp.status_mut() =
        http::StatusCode::from_u16(r.status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    let h = resp.headers_mut();
    for (k, v) in r.headers {
        h.append(k, v);
    }
    if truncated {
        h.insert(http::header::CONTENT_LENGTH, http::HeaderValue::from(len));
    }
    resp
}

async fn handle(
    host: Host,
    inner: &Arc<Inner>,
    req: hyper::Request<hyper::body::Incoming>,
) -> Outcome {
    if req.version() != http::Version::HTTP_11 {
        let e = crate::errors::ApiError::new(505, 0, "HTTP Version Not Supported");
        return Outcome::Reply(e.into());
    }
    let (parts, body) = req.into_parts();
    let limit = inner.cfg.profiles.max_upload_bytes + 1024 * 1024;
    let body: Bytes = match Limited::new(body, limit).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            let e = crate::errors::ApiError::new(413, 1, "Request body too large.");
            return Outcome::Reply(e.into());
        }
    };
    let req = Req {
        method: parts.method,
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        headers: parts.headers,
        body,
    };
    match host {
        Host::Api => crate::api::handle(inner, req).await,
        Host::Login => crate::api::handle_login(inner, req).await,
        Host::Admin => Outcome::Reply(crate::admin::handle(inner, req)),
    }
}
