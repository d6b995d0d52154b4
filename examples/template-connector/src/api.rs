//! Talking to the example ATS: URLs, sending, and turning its error answers into typed
//! [`ConnectorError`]s. Every request goes through here, so error mapping happens in one place.

use ats_connector_sdk::http::{self, Request, Response};
use ats_connector_sdk::{
    ConnectorError, ConnectorResult, PermissionDenied, RateLimit, RateLimitScope, config,
    error::misconfigured,
};
use serde_json::Value;

/// The `base-url` setting without a trailing slash, e.g. `https://api.example-ats.com`.
pub fn base_url() -> ConnectorResult<String> {
    let url = config::require("base-url")?;
    if host_of(&url).is_none() {
        return Err(misconfigured(
            "base-url",
            "must look like `https://host[:port]`",
        ));
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// `host[:port]` of an `http(s)://` URL: what goes in `api-hosts`.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then(|| host.to_string())
}

/// Percent-encodes a value for a URL path segment or query (ids and cursors are opaque).
pub fn encode(value: &str) -> String {
    let mut out = String::new();
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// `base-url` + `path` + the query parameters that are set.
pub fn url(path: &str, query: &[(&str, Option<String>)]) -> ConnectorResult<String> {
    let mut url = format!("{}/{path}", base_url()?);
    let mut separator = '?';
    for (name, value) in query {
        if let Some(value) = value {
            url.push_str(&format!("{separator}{name}={}", encode(value)));
            separator = '&';
        }
    }
    Ok(url)
}

/// Sends one request and returns the JSON of a successful answer, or a typed error.
///
/// No `authorization` header here: the host adds `Authorization: Bearer <api-key>` itself,
/// because the plugin never sees the key.
pub fn call(request: Request) -> ConnectorResult<Value> {
    let response = http::send(request.header("accept", "application/json"))?;
    check(&response)?;
    response.json()
}

/// Maps an HTTP answer to `Ok` or the [`ConnectorError`] case that tells the host what to do.
/// Pick the case by what the *host* can do next, not by the status code alone.
pub fn check(response: &Response) -> ConnectorResult<()> {
    if response.is_success() {
        return Ok(());
    }
    let body = response.json().unwrap_or(Value::Null);
    let message = body["message"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| format!("HTTP {}: {}", response.status, response.text()));
    Err(match response.status {
        401 => ConnectorError::Unauthorized(message),
        403 => ConnectorError::PermissionMissing(PermissionDenied {
            permission: body["permission"].as_str().unwrap_or("unknown").to_string(),
            message,
        }),
        404 => ConnectorError::NotFound(message),
        409 => ConnectorError::Conflict(message),
        400 | 422 => ConnectorError::InvalidInput(message),
        429 => ConnectorError::RateLimited(RateLimit {
            retry_after_seconds: response.header("retry-after").and_then(|s| s.parse().ok()),
            scope: RateLimitScope::ShortWindow,
            message,
        }),
        500..=599 => ConnectorError::Transient(message),
        status => ConnectorError::Internal(format!("unexpected HTTP {status}: {message}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: vec![("retry-after".into(), "7".into())],
            body: body.into(),
        }
    }

    #[test]
    fn hosts_come_from_the_base_url() {
        assert_eq!(
            host_of("https://api.example.com/v1").as_deref(),
            Some("api.example.com")
        );
        assert_eq!(
            host_of("http://127.0.0.1:8080").as_deref(),
            Some("127.0.0.1:8080")
        );
        assert_eq!(host_of("ftp://x"), None);
    }

    #[test]
    fn opaque_values_are_percent_encoded() {
        assert_eq!(encode("a b/c=="), "a%20b%2Fc%3D%3D");
    }

    #[test]
    fn error_answers_become_typed_errors() {
        let forbidden = check(&answer(
            403,
            r#"{"code":"forbidden","message":"no","permission":"jobs-read"}"#,
        ));
        assert!(
            matches!(forbidden, Err(ConnectorError::PermissionMissing(p)) if p.permission == "jobs-read")
        );
        assert!(matches!(
            check(&answer(404, "{}")),
            Err(ConnectorError::NotFound(_))
        ));
        assert!(matches!(
            check(&answer(503, "oops")),
            Err(ConnectorError::Transient(_))
        ));
        let limited = check(&answer(429, "{}"));
        assert!(
            matches!(limited, Err(ConnectorError::RateLimited(r)) if r.retry_after_seconds == Some(7))
        );
    }
}
