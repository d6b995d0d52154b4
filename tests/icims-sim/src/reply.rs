//! The request/response types handlers work with.

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue};
use http::{HeaderMap, Method};
use serde::Serialize;

use crate::errors::ApiError;

/// A fully read request.
#[derive(Debug)]
pub struct Req {
    pub method: Method,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Req {
    /// First value of a query parameter, percent-decoded.
    pub fn query_param(&self, name: &str) -> Option<String> {
        let q = self.query.as_deref()?;
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A response before the server turns it into hyper's type.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub body: Bytes,
}

pub const JSON: &str = "application/json;charset=UTF-8";

impl Reply {
    pub fn new(status: u16, content_type: &str, body: impl Into<Bytes>) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
        .header("content-type", content_type)
    }

    pub fn json(status: u16, v: &impl Serialize) -> Reply {
        Reply::new(status, JSON, serde_json::to_vec(v).unwrap_or_default())
    }

    /// A JSON body already serialised.
    pub fn json_text(status: u16, text: String) -> Reply {
        Reply::new(status, JSON, text)
    }

    pub fn empty(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }

    /// Adds a header; values that are not valid header text are dropped rather than panicking.
    pub fn header(mut self, name: &str, value: impl AsRef<str>) -> Reply {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value.as_ref()),
        ) {
            self.headers.push((n, v));
        }
        self
    }
}

impl From<&ApiError> for Reply {
    fn from(e: &ApiError) -> Reply {
        let mut r = Reply::new(e.status, JSON, e.body()).header("x-error", e.x_error());
        for (k, v) in &e.headers {
            r = r.header(k, v);
        }
        r
    }
}

impl From<ApiError> for Reply {
    fn from(e: ApiError) -> Reply {
        Reply::from(&e)
    }
}

/// What the server should do with a request.
#[derive(Debug)]
pub enum Outcome {
    Reply(Reply),
    /// Send status and headers (with the full `content-length`), half the body, then close.
    Truncated(Reply),
    /// Close with RST, no response.
    Reset,
    /// Hold the request this long, then close without answering.
    Hold(std::time::Duration),
}
