//! One HTTP exchange over `wasi:http` 0.2, with as few calls into the host as the protocol
//! allows.
//!
//! A connector's full load is one GET per record, so each host call per request is paid a
//! million times. `wstd`'s client (which we used before) builds an `http::Request`, appends
//! headers one call at a time, always opens and finishes a request body, sets request options
//! and reads the body through trailers. Here a GET costs about half as many calls: the headers go
//! over in one `fields.from-list`, a request without a body never opens one, no request options
//! are sent (the host's own timeouts apply: it clamps a plugin's wishes to them anyway), and the
//! body is read until the stream closes, usually in a single `read`. `wstd` still drives the
//! waiting (its reactor polls our pollables), so several exchanges run at once on one thread.

use crate::ConnectorError;
use crate::http::{Request, Response};
use http::Method;
use wasip2::http::outgoing_handler;
use wasip2::http::types::{
    ErrorCode, Fields, HeaderError, IncomingBody, Method as WasiMethod, OutgoingBody,
    OutgoingRequest, Scheme,
};
use wasip2::io::streams::{InputStream, OutputStream, StreamError};
use wstd::io::AsyncPollable;

/// Largest read asked of the host at once; the host answers with what it has (one frame).
const READ_CHUNK: u64 = 1 << 20;

/// Why an exchange failed.
#[derive(Debug)]
enum ExchangeError {
    /// The request could not be built (bad URL, forbidden header): a bug in the connector.
    Request(String),
    /// The host or the network failed it.
    Transport(ErrorCode),
    /// A stream broke without an HTTP error code.
    Stream(String),
}

impl ExchangeError {
    /// The connector's view of the failure, naming the URL.
    fn for_url(self, url: &str) -> ConnectorError {
        match self {
            ExchangeError::Request(why) => {
                ConnectorError::Internal(format!("cannot build the request to {url}: {why}"))
            }
            ExchangeError::Transport(ErrorCode::HttpRequestDenied) => {
                ConnectorError::Misconfigured(format!(
                    "the host refused the request to {url}: its host is not in the connection's allow-list"
                ))
            }
            ExchangeError::Transport(code) => {
                ConnectorError::Transient(format!("request to {url} failed: {code:?}"))
            }
            ExchangeError::Stream(why) => {
                ConnectorError::Transient(format!("request to {url} failed: {why}"))
            }
        }
    }
}

/// Sends `request` and reads its whole answer.
pub(crate) async fn exchange(request: Request) -> Result<Response, ConnectorError> {
    let Request {
        method,
        url,
        headers,
        body,
    } = request;
    send(&method, &url, headers, body)
        .await
        .map_err(|e| e.for_url(&url))
}

async fn send(
    method: &Method,
    url: &str,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
) -> Result<Response, ExchangeError> {
    let outgoing = outgoing_request(method, url, headers)?;
    // The body must be taken before `handle` consumes the request, and written after it: the
    // host starts reading it only once the request is on its way.
    let body_handle =
        if body.is_empty() {
            None
        } else {
            Some(outgoing.body().map_err(|()| {
                ExchangeError::Request("the request body was already taken".into())
            })?)
        };
    let pending = outgoing_handler::handle(outgoing, None).map_err(ExchangeError::Transport)?;
    if let Some(body_handle) = body_handle {
        write_body(body_handle, &body).await?;
    }

    let subscription = AsyncPollable::new(pending.subscribe());
    let incoming = loop {
        match pending.get() {
            Some(Ok(Ok(response))) => break response,
            Some(Ok(Err(code))) => return Err(ExchangeError::Transport(code)),
            Some(Err(())) => {
                return Err(ExchangeError::Stream(
                    "the response was already taken".into(),
                ));
            }
            None => subscription.wait_for().await,
        }
    };
    drop(subscription);
    drop(pending);

    let status = incoming.status();
    let headers = {
        let fields = incoming.headers();
        fields
            .entries()
            .into_iter()
            .map(|(name, value)| (name, text(value)))
            .collect()
    };
    let body_handle = incoming
        .consume()
        .map_err(|()| ExchangeError::Stream("the response body was already taken".into()))?;
    let body = read_body(&body_handle).await?;
    drop(body_handle);
    drop(incoming);
    Ok(Response {
        status,
        headers,
        body,
    })
}

fn outgoing_request(
    method: &Method,
    url: &str,
    headers: Vec<(String, String)>,
) -> Result<OutgoingRequest, ExchangeError> {
    let uri: http::Uri = url
        .parse()
        .map_err(|e| ExchangeError::Request(format!("`{url}` is not a valid URL: {e}")))?;
    let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
        return Err(ExchangeError::Request(format!(
            "`{url}` is not an absolute URL (it needs a scheme and a host)"
        )));
    };
    let entries: Vec<(String, Vec<u8>)> = headers
        .into_iter()
        .map(|(name, value)| (name, value.into_bytes()))
        .collect();
    let fields = Fields::from_list(&entries).map_err(|e| {
        let why = match e {
            HeaderError::InvalidSyntax => "is not a valid header",
            HeaderError::Forbidden => "is a header the host forbids",
            HeaderError::Immutable => "cannot be set",
        };
        let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
        ExchangeError::Request(format!(
            "one of the headers [{}] of the request to {url} {why}",
            names.join(", ")
        ))
    })?;
    let request = OutgoingRequest::new(fields);
    let refused =
        |what: &str| ExchangeError::Request(format!("the host refused the {what} of {url}"));
    // GET is the protocol's default: one call fewer for the commonest request.
    if method != Method::GET {
        request
            .set_method(&wasi_method(method))
            .map_err(|()| refused("method"))?;
    }
    let scheme = match scheme {
        "http" => Scheme::Http,
        "https" => Scheme::Https,
        other => Scheme::Other(other.to_string()),
    };
    request
        .set_scheme(Some(&scheme))
        .map_err(|()| refused("scheme"))?;
    request
        .set_authority(Some(authority.as_str()))
        .map_err(|()| refused("host"))?;
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    request
        .set_path_with_query(Some(path))
        .map_err(|()| refused("path"))?;
    Ok(request)
}

fn wasi_method(method: &Method) -> WasiMethod {
    match *method {
        Method::GET => WasiMethod::Get,
        Method::HEAD => WasiMethod::Head,
        Method::POST => WasiMethod::Post,
        Method::PUT => WasiMethod::Put,
        Method::DELETE => WasiMethod::Delete,
        Method::CONNECT => WasiMethod::Connect,
        Method::OPTIONS => WasiMethod::Options,
        Method::TRACE => WasiMethod::Trace,
        Method::PATCH => WasiMethod::Patch,
        ref other => WasiMethod::Other(other.as_str().to_string()),
    }
}

/// Header values as text; the rare value that is not UTF-8 keeps its bytes lossily.
fn text(value: Vec<u8>) -> String {
    String::from_utf8(value).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

async fn write_body(body_handle: OutgoingBody, bytes: &[u8]) -> Result<(), ExchangeError> {
    let stream = body_handle
        .write()
        .map_err(|()| ExchangeError::Stream("the request body stream was already taken".into()))?;
    let written = write_all(&stream, bytes).await;
    drop(stream);
    written?;
    OutgoingBody::finish(body_handle, None).map_err(ExchangeError::Transport)
}

/// Writes as fast as the host accepts. A stream the host closed (it refused the request and
/// stopped reading) ends the write quietly: the response says why.
async fn write_all(stream: &OutputStream, mut bytes: &[u8]) -> Result<(), ExchangeError> {
    let mut ready: Option<AsyncPollable> = None;
    while !bytes.is_empty() {
        match stream.check_write() {
            Ok(0) => wait_until_ready(&mut ready, || stream.subscribe()).await,
            Ok(permitted) => {
                let n = bytes
                    .len()
                    .min(usize::try_from(permitted).unwrap_or(usize::MAX));
                match stream.write(&bytes[..n]) {
                    Ok(()) => bytes = &bytes[n..],
                    Err(e) => return stream_end(e),
                }
            }
            Err(e) => return stream_end(e),
        }
    }
    if let Err(e) = stream.flush() {
        return stream_end(e);
    }
    // The flush is done when the stream accepts writes again.
    loop {
        match stream.check_write() {
            Ok(0) => wait_until_ready(&mut ready, || stream.subscribe()).await,
            Ok(_) => return Ok(()),
            Err(e) => return stream_end(e),
        }
    }
}

/// Waits on a stream's pollable, subscribing once per stream.
async fn wait_until_ready(
    ready: &mut Option<AsyncPollable>,
    subscribe: impl FnOnce() -> wasip2::io::poll::Pollable,
) {
    ready
        .get_or_insert_with(|| AsyncPollable::new(subscribe()))
        .wait_for()
        .await
}

fn stream_end(error: StreamError) -> Result<(), ExchangeError> {
    match error {
        StreamError::Closed => Ok(()),
        StreamError::LastOperationFailed(e) => Err(stream_error(&e)),
    }
}

fn stream_error(error: &wasip2::io::error::Error) -> ExchangeError {
    match wasip2::http::types::http_error_code(error) {
        Some(code) => ExchangeError::Transport(code),
        None => ExchangeError::Stream(error.to_debug_string()),
    }
}

async fn read_body(body_handle: &IncomingBody) -> Result<Vec<u8>, ExchangeError> {
    let stream: InputStream = body_handle
        .stream()
        .map_err(|()| ExchangeError::Stream("the response body stream was already taken".into()))?;
    let mut ready: Option<AsyncPollable> = None;
    let mut body: Vec<u8> = Vec::new();
    let outcome = loop {
        match stream.read(READ_CHUNK) {
            // Nothing yet: wait for the host to have more.
            Ok(chunk) if chunk.is_empty() => {
                wait_until_ready(&mut ready, || stream.subscribe()).await
            }
            // Most answers arrive in one chunk: keep it as it is.
            Ok(chunk) if body.is_empty() => body = chunk,
            Ok(chunk) => body.extend_from_slice(&chunk),
            Err(StreamError::Closed) => break Ok(body),
            Err(StreamError::LastOperationFailed(e)) => break Err(stream_error(&e)),
        }
    };
    // A pollable is a child of its stream: it goes first.
    drop(ready);
    drop(stream);
    outcome
}
