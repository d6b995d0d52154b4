//! Outgoing HTTP for connectors, with several requests in flight at once.
//!
//! Connector methods are synchronous; [`send_all`] runs a batch of requests concurrently on
//! `wstd`'s reactor (over `wasi:http`) and returns when all have answered. The host decides which
//! destinations are reachable and adds credentials, so requests carry no `authorization` header.

use crate::ConnectorError;
use crate::exchange::exchange;
use futures::StreamExt;
pub use http::Method;

/// Requests in flight at once when the caller does not say.
pub const DEFAULT_IN_FLIGHT: usize = 16;

/// An outgoing request.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Request {
            method,
            url: url.into(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn get(url: impl Into<String>) -> Self {
        Self::new(Method::GET, url)
    }

    pub fn post(url: impl Into<String>) -> Self {
        Self::new(Method::POST, url)
    }

    pub fn patch(url: impl Into<String>) -> Self {
        Self::new(Method::PATCH, url)
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    /// Sets a JSON body and its content type.
    pub fn json(self, value: &serde_json::Value) -> Self {
        let body = serde_json::to_vec(value).unwrap_or_default();
        self.body(body, "application/json")
    }

    /// Sets a raw body and its content type.
    pub fn body(mut self, body: Vec<u8>, content_type: &str) -> Self {
        self.body = body;
        self.header("content-type", content_type)
    }
}

/// A response, read to the end.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    /// Header names in lowercase.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The first value of a header (name in any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Parses the body as JSON; a body that is not JSON is a `transient` error (a proxy or a
    /// truncated answer), since retrying usually helps.
    pub fn json(&self) -> Result<serde_json::Value, ConnectorError> {
        serde_json::from_slice(&self.body).map_err(|e| {
            ConnectorError::Transient(format!(
                "the ATS answered HTTP {} with a body that is not valid JSON ({e})",
                self.status
            ))
        })
    }
}

/// Sends one request and reads the whole response.
pub fn send(request: Request) -> Result<Response, ConnectorError> {
    send_all(vec![request], 1)
        .pop()
        .expect("one request gives one answer")
}

/// Sends `requests` with at most `max_in_flight` in flight, and returns their answers in the
/// same order.
pub fn send_all(
    requests: Vec<Request>,
    max_in_flight: usize,
) -> Vec<Result<Response, ConnectorError>> {
    send_all_then(requests, max_in_flight, |_, answer| answer)
}

/// Like [`send_all`], but hands each answer (with its request's position) to `handle` as soon as
/// it arrives, and returns what
/// `handle` made of them, in request order. Parsing answers here overlaps with the requests still
/// in flight (a component runs on one thread: work done after the last answer is work the
/// network did not hide).
pub fn send_all_then<T>(
    requests: Vec<Request>,
    max_in_flight: usize,
    handle: impl Fn(usize, Result<Response, ConnectorError>) -> T,
) -> Vec<T> {
    let max_in_flight = max_in_flight.max(1);
    let handle = &handle;
    wstd::runtime::block_on(async move {
        // Unordered, so one slow answer does not hold back the requests behind it (an ordered
        // buffer starts the next request only when the oldest one is done); the answers are put
        // back in request order at the end.
        let count = requests.len();
        let mut slots: Vec<Option<T>> = std::iter::repeat_with(|| None).take(count).collect();
        let mut answers = futures::stream::iter(requests.into_iter().enumerate())
            .map(|(i, request)| async move { (i, handle(i, exchange(request).await)) })
            .buffer_unordered(max_in_flight);
        while let Some((i, answer)) = answers.next().await {
            slots[i] = Some(answer);
        }
        slots
            .into_iter()
            .map(|slot| slot.expect("every request is answered"))
            .collect()
    })
}

/// Waits, without busy-looping (e.g. between two attempts of an idempotent read).
pub fn pause(duration: std::time::Duration) {
    // The timer must be made inside the runtime: it registers with the reactor.
    wstd::runtime::block_on(async move { wstd::task::sleep(duration.into()).await });
}
