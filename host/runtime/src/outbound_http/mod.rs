//! Outgoing HTTP: the sandbox's only door to the network.
//!
//! Every `wasi:http` request a plugin makes reaches [`ConnectionHttp::handle`] through the
//! `WasiHttpHooks::send_request` hook. In order, it:
//! 1. refuses destinations the operator did not grant ([`grant`], [`allow_list`]): drains the
//!    plugin's body, logs a warning naming the host and connection, answers
//!    `HttpRequestDenied`;
//! 2. waits for one of the connection's in-flight slots, and buffers the body within the
//!    connection's budget of buffered bytes (both [`PluginLimits`](crate::PluginLimits)), so the
//!    request can be sent again after a token refresh;
//! 3. asks the [`RequestObserver`] (the quota meter) to admit it; a refusal is answered as
//!    HTTP 429 with the reason, which connectors already treat as "rate limited";
//! 4. removes the plugin's own credential headers and, for API hosts only, adds the
//!    connection's credentials ([`auth`], [`token_cache`]);
//! 5. sends it with the runtime's pooled client ([`send`]); on a 401 under OAuth it drops the
//!    token, fetches a new one and sends once more;
//! 6. reports every answer to the observer and counts everything in [`RequestStats`];
//! 7. scrubs every credential-derived value from the answer's headers and body before the
//!    plugin reads it ([`scrub`]).

pub mod allow_list;
pub(crate) mod auth;
pub mod grant;
pub(crate) mod scrub;
pub(crate) mod send;
pub(crate) mod token_cache;

#[cfg(test)]
mod tests;

use auth::{Credentials, secret_header};
use bytes::Bytes;
use grant::Granted;
use http::HeaderMap;
use send::{HttpClient, Timeouts, drain, host_body, plugin_body};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use token_cache::TokenError;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use wasmtime_wasi_http::{Error, RequestOptions, WasiBody, WasiHttpHooks};

pub use send::HttpClientConfig;

/// How long the host waits to drain the body of a refused request.
const DRAIN_WAIT: Duration = Duration::from_secs(10);

/// A request about to leave (or that left), as the observer sees it. No credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestInfo {
    /// The connection's name.
    pub connection: String,
    /// `GET`, `POST`…
    pub method: String,
    /// The destination authority, lowercase (`api.icims.com`, `127.0.0.1:5000`).
    pub host: String,
    /// The full URL the plugin asked for.
    pub url: String,
    /// True when the host is a granted API host (it carries credentials).
    pub api_host: bool,
}

/// An answer, as the observer sees it: borrowed from the response, so observing costs no copy
/// of its headers.
#[derive(Debug, Clone, Copy)]
pub struct ResponseInfo<'a> {
    pub status: u16,
    pub headers: &'a HeaderMap,
    /// From sending the request to receiving the answer's head.
    pub elapsed: std::time::Duration,
}

impl<'a> ResponseInfo<'a> {
    /// The first value of a header (any case), if it is text.
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// Every header whose value is text, names lowercase, in order.
    pub fn text_headers(&self) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.headers
            .iter()
            .filter_map(|(n, v)| Some((n.as_str(), v.to_str().ok()?)))
    }
}

/// The future that sends one request, as [`RequestObserver::carry_context`] wraps it.
pub type SendFuture = std::pin::Pin<Box<dyn Future<Output = ()> + Send>>;

/// What [`RequestObserver::carry_context`] returns: a wrapper putting the plugin call's context
/// around the future that sends a request.
pub type ContextCarrier = Box<dyn FnOnce(SendFuture) -> SendFuture + Send>;

/// Watches a connection's outgoing requests: the hook for the quota meter.
///
/// `admit`, `observe` and `failed` are called for every request a plugin sends to an allowed
/// host (refused destinations never reach the observer), inside the context
/// [`carry_context`](Self::carry_context) captured on the plugin call's task. They must return
/// quickly.
pub trait RequestObserver: Send + Sync {
    /// Called on the plugin call's task when the plugin sends a request. wasmtime-wasi-http
    /// sends it from a task of its own, where the caller's task-locals (the quota lane the
    /// request belongs to) are gone: the wrapper returned puts them back around the sending.
    fn carry_context(&self) -> ContextCarrier {
        Box::new(|send| send)
    }

    /// Called before a request leaves. `Err(reason)` holds it back: the plugin receives an
    /// HTTP 429 answer whose body is `reason`, and nothing is sent.
    fn admit(&self, request: &RequestInfo) -> Result<(), String> {
        let _ = request;
        Ok(())
    }

    /// Called with the status and headers of every answer (including a 401 that the host then
    /// retries after refreshing its token).
    fn observe(&self, request: &RequestInfo, response: &ResponseInfo<'_>) {
        let _ = (request, response);
    }

    /// Called instead of [`observe`](Self::observe) when an admitted request got no answer
    /// (connection refused or reset, timeout, no credentials could be obtained).
    fn failed(&self, request: &RequestInfo) {
        let _ = request;
    }
}

/// An observer that admits everything and records nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoObserver;

impl RequestObserver for NoObserver {}

/// What a connection's plugin has sent so far.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RequestStats {
    /// Requests that left the host (token requests not included).
    pub sent: u64,
    /// Requests refused because their host is not allowed.
    pub refused: u64,
    /// Most requests the connection had in flight at once.
    pub peak_in_flight: u64,
    /// Requests refused because the connection's buffered request bytes were spent.
    pub refused_over_budget: u64,
    /// Answers in which the host masked an echoed credential.
    pub scrubbed_answers: u64,
    /// Requests the observer held back.
    pub held_back: u64,
    /// Requests sent, by destination authority.
    pub by_host: BTreeMap<String, u64>,
    /// OAuth tokens fetched.
    pub tokens_fetched: u64,
    /// Requests sent again after a 401 made the host refresh its token.
    pub unauthorized_refreshes: u64,
}

/// Everything the hook needs for one connection; shared by all of its calls.
pub(crate) struct ConnectionHttp {
    pub(crate) connection: String,
    pub(crate) granted: Granted,
    pub(crate) credentials: Credentials,
    pub(crate) observer: Arc<dyn RequestObserver>,
    pub(crate) client: HttpClient,
    pub(crate) stats: Mutex<RequestStats>,
    pub(crate) redactor: crate::secrets::Redactor,
    /// One permit per request in flight (`max_requests_in_flight`).
    pub(crate) in_flight: Arc<Semaphore>,
    /// One permit per buffered request byte (`max_buffered_request_bytes`).
    pub(crate) body_budget: Arc<Semaphore>,
    pub(crate) body_budget_bytes: usize,
    in_flight_max: usize,
}

impl ConnectionHttp {
    pub(crate) fn new(
        connection: &str,
        granted: Granted,
        credentials: Credentials,
        observer: Arc<dyn RequestObserver>,
        client: HttpClient,
        redactor: crate::secrets::Redactor,
        limits: &crate::PluginLimits,
    ) -> ConnectionHttp {
        let budget = limits
            .max_buffered_request_bytes
            .min(Semaphore::MAX_PERMITS);
        ConnectionHttp {
            connection: connection.to_string(),
            granted,
            credentials,
            observer,
            client,
            stats: Mutex::new(RequestStats::default()),
            redactor,
            in_flight: Arc::new(Semaphore::new(limits.max_requests_in_flight.max(1))),
            in_flight_max: limits.max_requests_in_flight.max(1),
            body_budget: Arc::new(Semaphore::new(budget)),
            body_budget_bytes: budget,
        }
    }

    /// A policy that refuses every request (for `describe`, which must not use the network).
    pub(crate) fn deny_all(connection: &str, client: HttpClient) -> ConnectionHttp {
        ConnectionHttp::new(
            connection,
            Granted::default(),
            Credentials::None,
            Arc::new(NoObserver),
            client,
            crate::secrets::Redactor::default(),
            &crate::PluginLimits::default(),
        )
    }

    pub(crate) fn stats(&self) -> RequestStats {
        self.stats.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn count(&self, update: impl FnOnce(&mut RequestStats)) {
        if let Ok(mut stats) = self.stats.lock() {
            update(&mut stats);
        }
    }

    /// The whole life of one plugin request (see the module docs).
    pub(crate) async fn handle(
        &self,
        request: http::Request<WasiBody>,
        options: Option<RequestOptions>,
    ) -> Result<http::Response<WasiBody>, Error> {
        let (parts, body) = request.into_parts();
        let authority = parts
            .uri
            .authority()
            .cloned()
            .ok_or(Error::HttpRequestUriInvalid)?;
        let scheme = parts.uri.scheme().cloned();
        let host = authority.as_str().to_ascii_lowercase();

        if !self.granted.allowed.allows(scheme.as_ref(), &authority) {
            drain(body, self.client.config.max_request_body_bytes, DRAIN_WAIT).await;
            self.count(|s| s.refused += 1);
            tracing::warn!(
                connection = %self.connection,
                host = %host,
                "refused a plugin request to `{host}`: not an allowed host of connection `{}`",
                self.connection
            );
            return Err(Error::HttpRequestDenied);
        }

        // Waiting for a slot bounds what a flood of requests makes the host hold.
        let _slot = self
            .in_flight
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| Error::InternalError(Some("the connection is closing".into())))?;
        let in_use = (self.in_flight_max - self.in_flight.available_permits()) as u64;
        self.count(|s| s.peak_in_flight = s.peak_in_flight.max(in_use));
        let (body, _budget) = match self.buffer_body(body).await {
            Ok(buffered) => buffered,
            Err(e) => {
                if matches!(e, Error::InternalError(_)) {
                    self.count(|s| s.refused_over_budget += 1);
                }
                return Err(e);
            }
        };
        let info = RequestInfo {
            connection: self.connection.clone(),
            method: parts.method.to_string(),
            host: host.clone(),
            url: parts.uri.to_string(),
            api_host: self.granted.api_hosts.allows(scheme.as_ref(), &authority),
        };
        let mut headers = parts.headers.clone();
        self.credentials.strip_plugin_credentials(&mut headers);
        let timeouts = Timeouts::clamp(&self.client.config, options.as_ref());

        let mut refreshed = false;
        loop {
            if let Err(reason) = self.observer.admit(&info) {
                self.count(|s| s.held_back += 1);
                tracing::debug!(connection = %self.connection, host = %host, "request held back: {reason}");
                return Ok(host_answer(http::StatusCode::TOO_MANY_REQUESTS, reason));
            }
            let mut outgoing = http::Request::new(body.clone());
            *outgoing.method_mut() = parts.method.clone();
            *outgoing.uri_mut() = parts.uri.clone();
            *outgoing.headers_mut() = headers.clone();
            let used_token = if info.api_host {
                match self.authenticate(outgoing.headers_mut()).await {
                    Ok(token) => token,
                    Err(answer) => {
                        self.observer.failed(&info);
                        return *answer;
                    }
                }
            } else {
                None
            };
            self.count(|s| {
                s.sent += 1;
                match s.by_host.get_mut(&host) {
                    Some(n) => *n += 1,
                    None => {
                        s.by_host.insert(host.clone(), 1);
                    }
                }
            });
            let sent_at = std::time::Instant::now();
            let response = match self.client.send(outgoing, timeouts).await {
                Ok(response) => response,
                Err(e) => {
                    // Admitted but unanswered: the meter must not count it in flight forever.
                    self.observer.failed(&info);
                    return Err(e);
                }
            };
            self.observer.observe(
                &info,
                &ResponseInfo {
                    status: response.status().as_u16(),
                    headers: response.headers(),
                    elapsed: sent_at.elapsed(),
                },
            );
            if response.status() == http::StatusCode::UNAUTHORIZED
                && !refreshed
                && let (Some(token), Some(cache)) = (&used_token, self.credentials.token_cache())
            {
                cache.invalidate(token).await;
                refreshed = true;
                self.count(|s| s.unauthorized_refreshes += 1);
                tracing::info!(connection = %self.connection, host = %host, "the API refused the token (401): fetching a new one and sending again");
                continue;
            }
            return Ok(self.scrubbed(response.map(|b| plugin_body(b, timeouts.between_bytes))));
        }
    }

    /// Reads the plugin's request body within the size cap and the connection's budget of
    /// buffered bytes; the permit returns the bytes to the budget when dropped.
    async fn buffer_body(
        &self,
        body: WasiBody,
    ) -> Result<(Bytes, Option<OwnedSemaphorePermit>), Error> {
        use http_body_util::BodyExt;
        let limit = self.client.config.max_request_body_bytes;
        let mut body = body;
        let mut buffer = bytes::BytesMut::new();
        let mut held: Option<OwnedSemaphorePermit> = None;
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| Error::InternalError(Some(e.to_string())))?;
            let Ok(data) = frame.into_data() else {
                continue;
            };
            if buffer.len() + data.len() > limit {
                return Err(Error::HttpRequestBodySize(Some(
                    (buffer.len() + data.len()) as u64,
                )));
            }
            if !data.is_empty() {
                let permits = u32::try_from(data.len()).unwrap_or(u32::MAX);
                let permit = self
                    .body_budget
                    .clone()
                    .try_acquire_many_owned(permits)
                    .map_err(|_| {
                        Error::InternalError(Some(format!(
                            "refused: connection `{}` already holds {} bytes of request bodies in flight (limit `max_buffered_request_bytes`); send fewer large bodies at once",
                            self.connection, self.body_budget_bytes
                        )))
                    })?;
                match held.as_mut() {
                    Some(h) => h.merge(permit),
                    None => held = Some(permit),
                }
            }
            buffer.extend_from_slice(&data);
        }
        Ok((buffer.freeze(), held))
    }

    /// The answer with every credential-derived value masked (see [`scrub`]).
    fn scrubbed(&self, mut response: http::Response<WasiBody>) -> http::Response<WasiBody> {
        let needles = self.redactor.needles();
        if needles.is_empty() {
            return response;
        }
        if scrub::scrub_headers(response.headers_mut(), &needles) > 0 {
            self.count(|s| s.scrubbed_answers += 1);
            tracing::warn!(connection = %self.connection, "an answer echoed a credential in its headers: masked before the plugin read it");
        }
        response.map(|body| scrub::scrub_body(body, needles))
    }

    /// Adds the connection's credentials. Returns the OAuth token used, or the answer the
    /// plugin gets when no credentials could be obtained.
    async fn authenticate(
        &self,
        headers: &mut HeaderMap,
    ) -> Result<Option<crate::Secret>, Box<Result<http::Response<WasiBody>, Error>>> {
        let internal = |detail: String| Err(Box::new(Err(Error::InternalError(Some(detail)))));
        match &self.credentials {
            Credentials::None => Ok(None),
            Credentials::Header { name, value } => match secret_header(value.expose()) {
                Ok(v) => {
                    headers.insert(name.clone(), v);
                    Ok(None)
                }
                Err(detail) => internal(detail),
            },
            Credentials::OAuth2(cache) => {
                let token = cache
                    .token(&self.client, || self.count(|s| s.tokens_fetched += 1))
                    .await;
                match token {
                    Ok(token) => match secret_header(&format!("Bearer {}", token.expose())) {
                        Ok(v) => {
                            headers.insert(http::header::AUTHORIZATION, v);
                            Ok(Some(token))
                        }
                        Err(detail) => internal(detail),
                    },
                    Err(TokenError::Refused { status, message }) => {
                        tracing::warn!(connection = %self.connection, status, "the token endpoint refused the connection's credentials: {message}");
                        // Credentials refused: the plugin sees a 401 and reports `unauthorized`.
                        let status = match status {
                            400 | 401 | 403 => http::StatusCode::UNAUTHORIZED,
                            other => http::StatusCode::from_u16(other)
                                .unwrap_or(http::StatusCode::BAD_GATEWAY),
                        };
                        Err(Box::new(Ok(host_answer(
                            status,
                            format!(
                                "the host could not obtain an OAuth token: the token endpoint answered HTTP {status}: {message}"
                            ),
                        ))))
                    }
                    Err(TokenError::Failed(e)) => {
                        tracing::warn!(connection = %self.connection, "cannot obtain an OAuth token: {e}");
                        Err(Box::new(Err(e)))
                    }
                }
            }
        }
    }
}

fn host_answer(status: http::StatusCode, text: String) -> http::Response<WasiBody> {
    let mut response = http::Response::new(host_body(Bytes::from(text)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// The `WasiHttpHooks` of one call's store: forwards to the connection's [`ConnectionHttp`].
pub(crate) struct OutboundHooks {
    pub(crate) http: Arc<ConnectionHttp>,
}

type IoFuture = Box<dyn Future<Output = Result<(), Error>> + Send>;

impl WasiHttpHooks for OutboundHooks {
    fn send_request(
        &mut self,
        request: http::Request<WasiBody>,
        options: Option<RequestOptions>,
        _fut: IoFuture,
    ) -> Box<dyn Future<Output = Result<(http::Response<WasiBody>, IoFuture), Error>> + Send> {
        let http = self.http.clone();
        // Captured here, on the plugin call's task; the future below runs on another.
        let carry = http.observer.carry_context();
        Box::new(async move {
            let (answer, answered) = tokio::sync::oneshot::channel();
            carry(Box::pin(async move {
                let _ = answer.send(http.handle(request, options).await);
            }))
            .await;
            let response = answered.await.map_err(|_| {
                Error::InternalError(Some("the request's sender stopped unanswered".into()))
            })??;
            // The pooled client drives its connections itself: nothing left to drive here.
            Ok((response, Box::new(async { Ok(()) }) as IoFuture))
        })
    }
}
