//! The HTTP/1.1 listeners (hyper 1 directly, keep-alive). Each connection can be killed from
//! inside a request, which is how the `reset` and `timeout` faults close a socket without a
//! response: a dup of the socket stays outside hyper, gets SO_LINGER=0 for a reset, and the
//! connection future is dropped. A `truncated` answer is written by hand on that dup after
//! hyper let go (hyper itself would refuse to send a body shorter than its content-length).

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};

use crate::reply::{Outcome, Reply, Req};
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
    // Bytes to write by hand after hyper lets go of the socket (the `truncated` fault).
    let tail: Arc<Mutex<Option<Vec<u8>>>> = Arc::new(Mutex::new(None));
    let svc = {
        let (kill, reset, tail) = (kill.clone(), reset.clone(), tail.clone());
        service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
            let (inner, kill, reset, tail) =
                (inner.clone(), kill.clone(), reset.clone(), tail.clone());
            async move {
                let outcome = handle(host, &inner, req).await;
                Ok::<_, Infallible>(match outcome {
                    Outcome::Reply(r) => to_response(r),
                    Outcome::Truncated(r) => {
                        *tail.lock().unwrap_or_else(|e| e.into_inner()) = Some(truncated_bytes(&r));
                        kill.notify_one();
                        std::future::pending().await
                    }
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
    let mut conn = Box::pin(
        http1::Builder::new()
            .keep_alive(true)
            .serve_connection(TokioIo::new(stream), svc),
    );
    let killed = tokio::select! {
        _ = &mut conn => false,
        _ = kill.notified() => true,
        _ = shutdown.changed() => false,
    };
    // Hyper's half of the socket goes first; `killer` is now the only descriptor left.
    drop(conn);
    if !killed {
        return;
    }
    let raw = tail.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let Some(bytes) = raw {
        if let Ok(mut s) = TcpStream::from_std(killer) {
            let _ = s.write_all(&bytes).await;
            let _ = s.shutdown().await;
        }
        return;
    }
    if reset.load(Ordering::SeqCst) {
        let _ = socket2::SockRef::from(&killer).set_linger(Some(Duration::ZERO));
    }
    drop(killer);
}

/// Status line, headers with the full `content-length`, then only half of the body.
fn truncated_bytes(r: &Reply) -> Vec<u8> {
    let status = http::StatusCode::from_u16(r.status).unwrap_or(http::StatusCode::OK);
    let mut out = format!(
        "HTTP/1.1 {} {}\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    )
    .into_bytes();
    for (k, v) in &r.headers {
        out.extend_from_slice(k.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(v.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("content-length: {}\r\n\r\n", r.body.len()).as_bytes());
    out.extend_from_slice(&r.body[..r.body.len() / 2]);
    out
}

fn to_response(r: Reply) -> hyper::Response<Full<Bytes>> {
    let mut resp = hyper::Response::new(Full::new(r.body));
    *resp.status_mut() =
        http::StatusCode::from_u16(r.status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    let h = resp.headers_mut();
    for (k, v) in r.headers {
        h.append(k, v);
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
