//! iCIMS answers → [`ConnectorError`] (icims-api.md §11, §12).
//!
//! iCIMS reports problems as `{"errors":[{"errorMessage":"…","errorCode":N}]}`, sometimes on a
//! 2xx (real integrations treat any `errors` body as a failure, and so do we). Known codes:
//! 1 field required (400), 2 resource not found (404), 3 resource access denied (**404**, not
//! 403), 6 bad credentials (401). The status for an exhausted daily quota is unknown (429 or
//! 403); `x-ratelimit-remaining: 0` tells it apart, and `x-ratelimit-reset` is the seconds
//! until the quota resets at midnight UTC.

use ats_connector_sdk::{ConnectorError, PermissionDenied, RateLimit, RateLimitScope};
use serde_json::Value;

pub const REMAINING_HEADER: &str = "x-ratelimit-remaining";
pub const RESET_HEADER: &str = "x-ratelimit-reset";
pub const LIMIT_HEADER: &str = "x-ratelimit-limit";

/// Most bytes of iCIMS's own error messages one typed error repeats. An answer listing
/// thousands of errors (or one huge message) must not become a message of megabytes; the rest
/// is counted, not copied.
pub const MAX_MESSAGE_BYTES: usize = 2 << 10;

/// iCIMS error codes the connector acts on.
pub const CODE_FIELD_REQUIRED: i64 = 1;
pub const CODE_NOT_FOUND: i64 = 2;
pub const CODE_ACCESS_DENIED: i64 = 3;
pub const CODE_BAD_CREDENTIALS: i64 = 6;

/// One entry of an iCIMS `errors` array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcimsError {
    pub code: Option<i64>,
    pub message: String,
}

/// What a response body says about errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyErrors {
    /// Empty, JSON without `errors`, or not JSON (binary downloads).
    None,
    /// A non-empty body that is not JSON.
    NotJson,
    Errors(Vec<IcimsError>),
}

/// Reads the `errors` array of a body.
pub fn body_errors(body: &[u8]) -> BodyErrors {
    if body.iter().all(u8::is_ascii_whitespace) {
        return BodyErrors::None;
    }
    // Answers whose caller parses them afterwards (searches, writes) pass here too: only
    // `errors` is built into values, the rest is skipped. Record reads avoid this second pass
    // altogether (`AnswerText::parse_checked`).
    #[derive(serde::Deserialize)]
    struct ErrorsOnly {
        errors: Option<Value>,
    }
    let errors = match serde_json::from_slice::<ErrorsOnly>(body) {
        Ok(only) => only.errors,
        // Valid JSON that is not an object (an array, a string) has no `errors` either.
        Err(_) if serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok() => None,
        Err(_) => return BodyErrors::NotJson,
    };
    match errors.as_ref().and_then(Value::as_array) {
        Some(list) if !list.is_empty() => {
            BodyErrors::Errors(list.iter().map(icims_error).collect())
        }
        _ => BodyErrors::None,
    }
}

fn icims_error(entry: &Value) -> IcimsError {
    let code = entry.get("errorCode");
    IcimsError {
        code: code.and_then(Value::as_i64).or_else(|| {
            code.and_then(Value::as_str)
                .and_then(|s| s.trim().parse().ok())
        }),
        message: entry
            .get("errorMessage")
            .and_then(Value::as_str)
            .unwrap_or("(no message)")
            .to_string(),
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

/// Checks an answer: `Ok` for a 2xx without `errors`; otherwise the typed error.
/// `permission` is the permission id of the operation attempted, named when access is denied.
pub fn check(
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    permission: &str,
) -> Result<(), ConnectorError> {
    let errors = body_errors(body);
    let messages = match &errors {
        BodyErrors::Errors(list) => describe_all(list),
        _ => String::new(),
    };
    let with_status = |fallback: &str| {
        if messages.is_empty() {
            format!("iCIMS answered HTTP {status}{fallback}")
        } else {
            format!("iCIMS answered HTTP {status}: {messages}")
        }
    };
    let codes: Vec<i64> = match &errors {
        BodyErrors::Errors(list) => list.iter().filter_map(|e| e.code).collect(),
        _ => Vec::new(),
    };
    let has_code = |c: i64| codes.contains(&c);

    let remaining = header(headers, REMAINING_HEADER);
    if (status == 429 || status == 403) && remaining == Some("0") {
        return Err(ConnectorError::RateLimited(RateLimit {
            retry_after_seconds: header(headers, RESET_HEADER).and_then(|v| v.parse().ok()),
            scope: RateLimitScope::Daily,
            message: with_status(": the daily request quota is used up until midnight UTC"),
        }));
    }
    if status == 429 {
        return Err(ConnectorError::RateLimited(RateLimit {
            retry_after_seconds: header(headers, "retry-after").and_then(|v| v.parse().ok()),
            scope: RateLimitScope::ShortWindow,
            message: with_status(": too many requests"),
        }));
    }
    if status == 401 || has_code(CODE_BAD_CREDENTIALS) {
        return Err(ConnectorError::Unauthorized(with_status(
            ": the credentials were refused",
        )));
    }
    if status == 408 || status >= 500 {
        return Err(ConnectorError::Transient(with_status("")));
    }
    if errors == BodyErrors::NotJson && !(200..300).contains(&status) {
        return Err(ConnectorError::Transient(format!(
            "iCIMS answered HTTP {status} with a body that is not JSON: {}",
            String::from_utf8_lossy(&body[..body.len().min(200)])
        )));
    }
    let denied = || {
        ConnectorError::PermissionMissing(PermissionDenied {
            permission: permission.to_string(),
            message: with_status(": access denied"),
        })
    };
    if has_code(CODE_ACCESS_DENIED) || status == 403 {
        return Err(denied());
    }
    if has_code(CODE_NOT_FOUND) || status == 404 {
        return Err(ConnectorError::NotFound(with_status(": not found")));
    }
    if status == 400 || has_code(CODE_FIELD_REQUIRED) {
        return Err(ConnectorError::InvalidInput(with_status(
            ": the request was refused",
        )));
    }
    if status == 409 {
        return Err(ConnectorError::Conflict(with_status("")));
    }
    if (200..300).contains(&status) {
        return match errors {
            BodyErrors::Errors(_) => Err(ConnectorError::Internal(with_status(""))),
            _ => Ok(()),
        };
    }
    Err(ConnectorError::Internal(with_status(": unexpected answer")))
}

/// The errors' descriptions joined, at most [`MAX_MESSAGE_BYTES`] of them (cut on a character
/// boundary) and a count of those left out.
fn describe_all(list: &[IcimsError]) -> String {
    let mut text = String::new();
    let mut described = 0;
    for e in list {
        if text.len() >= MAX_MESSAGE_BYTES {
            break;
        }
        if !text.is_empty() {
            text.push_str("; ");
        }
        text.push_str(&describe(e));
        described += 1;
    }
    if text.len() > MAX_MESSAGE_BYTES {
        let mut end = MAX_MESSAGE_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
    if described < list.len() {
        text.push_str(&format!(" (and {} more errors)", list.len() - described));
    }
    text
}

fn describe(e: &IcimsError) -> String {
    match e.code {
        Some(code) => format!("{} (errorCode {code})", e.message),
        None => e.message.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn err(code: i64, message: &str) -> Vec<u8> {
        format!(r#"{{"errors":[{{"errorMessage":"{message}","errorCode":{code}}}]}}"#).into_bytes()
    }

    fn run(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Result<(), ConnectorError> {
        check(status, &h(headers), body, "people-get")
    }

    #[test]
    fn success() {
        assert!(run(200, &[], br#"{"firstname":"Ada"}"#).is_ok());
        assert!(run(204, &[], b"").is_ok());
        assert!(run(201, &[], b"").is_ok());
        assert!(run(200, &[], b"%PDF-1.4 binary").is_ok());
        assert!(run(200, &[], br#"{"errors":[]}"#).is_ok());
    }

    #[test]
    fn only_the_errors_field_counts() {
        let profile = br#"{"firstname":"Ada","phones":[{"phonenumber":"1","phonetype":{"id":"P1"}}],"folder":{"id":"C1"}}"#;
        assert_eq!(body_errors(profile), BodyErrors::None);
        assert_eq!(body_errors(b"[1, 2]"), BodyErrors::None);
        assert_eq!(body_errors(br#""text""#), BodyErrors::None);
        assert_eq!(body_errors(b"{\"firstname\": "), BodyErrors::NotJson);
        assert_eq!(
            body_errors(br#"{"id":5,"errors":[{"errorCode":"2","errorMessage":"gone"}]}"#),
            BodyErrors::Errors(vec![IcimsError {
                code: Some(2),
                message: "gone".into()
            }])
        );
    }

    #[test]
    fn error_table() {
        let e = run(
            401,
            &[],
            &err(6, "Invalid Username or Password credentials provided."),
        );
        assert!(
            matches!(e, Err(ConnectorError::Unauthorized(m)) if m.contains("Invalid Username") && m.contains("errorCode 6"))
        );
        assert!(matches!(
            run(401, &[], b""),
            Err(ConnectorError::Unauthorized(_))
        ));

        let e = run(404, &[], &err(3, "Access denied."));
        assert!(
            matches!(e, Err(ConnectorError::PermissionMissing(p)) if p.permission == "people-get" && p.message.contains("Access denied"))
        );
        let e = run(404, &[], &err(2, "Person not found."));
        assert!(matches!(e, Err(ConnectorError::NotFound(m)) if m.contains("Person not found")));
        assert!(matches!(
            run(404, &[], b""),
            Err(ConnectorError::NotFound(_))
        ));

        let e = run(400, &[], &err(1, "firstname: Field is required."));
        assert!(
            matches!(e, Err(ConnectorError::InvalidInput(m)) if m.contains("firstname: Field is required."))
        );

        for status in [408, 500, 502, 503] {
            assert!(
                matches!(run(status, &[], b""), Err(ConnectorError::Transient(_))),
                "{status}"
            );
        }
        assert!(matches!(
            run(400, &[], b"<html>bad gateway</html>"),
            Err(ConnectorError::Transient(_))
        ));
        assert!(matches!(
            run(409, &[], b""),
            Err(ConnectorError::Conflict(_))
        ));
        assert!(matches!(
            run(405, &[], b""),
            Err(ConnectorError::Internal(_))
        ));
    }

    #[test]
    fn errors_on_a_2xx_are_failures() {
        assert!(matches!(
            run(200, &[], &err(2, "Job not found.")),
            Err(ConnectorError::NotFound(_))
        ));
        assert!(matches!(
            run(200, &[], &err(3, "Denied")),
            Err(ConnectorError::PermissionMissing(_))
        ));
        assert!(
            matches!(run(200, &[], &err(99, "Odd")), Err(ConnectorError::Internal(m)) if m.contains("Odd"))
        );
        // errorCode as a string, as the Search API doc shows it.
        assert!(matches!(
            run(
                200,
                &[],
                br#"{"errors":[{"errorMessage":"x","errorCode":"2"}]}"#
            ),
            Err(ConnectorError::NotFound(_))
        ));
    }

    #[test]
    fn many_or_huge_error_messages_are_cut_and_counted() {
        let many = format!("{{\"errors\":[{}{{}}]}}", "{},".repeat(5_000)).into_bytes();
        let e = run(400, &[], &many);
        assert!(
            matches!(&e, Err(ConnectorError::InvalidInput(m)) if m.len() < MAX_MESSAGE_BYTES + 200 && m.contains("more errors)")),
            "{e:?}"
        );
        let huge = err(99, &"é".repeat(MAX_MESSAGE_BYTES));
        let e = run(200, &[], &huge);
        assert!(
            matches!(&e, Err(ConnectorError::Internal(m)) if m.len() < MAX_MESSAGE_BYTES + 100 && m.ends_with('…')),
            "{e:?}"
        );
    }

    #[test]
    fn quota() {
        for status in [429, 403] {
            let e = run(
                status,
                &[
                    ("X-RateLimit-Remaining", "0"),
                    ("x-ratelimit-reset", "9299"),
                ],
                b"",
            );
            assert!(
                matches!(&e, Err(ConnectorError::RateLimited(r)) if r.scope == RateLimitScope::Daily && r.retry_after_seconds == Some(9299)),
                "{status}: {e:?}"
            );
        }
        let e = run(
            429,
            &[("x-ratelimit-remaining", "10"), ("retry-after", "30")],
            b"",
        );
        assert!(
            matches!(e, Err(ConnectorError::RateLimited(r)) if r.scope == RateLimitScope::ShortWindow && r.retry_after_seconds == Some(30))
        );
        let e = run(429, &[], b"");
        assert!(
            matches!(e, Err(ConnectorError::RateLimited(r)) if r.retry_after_seconds.is_none())
        );
        // A 403 with quota left is a permission problem.
        assert!(matches!(
            run(403, &[("x-ratelimit-remaining", "5")], b""),
            Err(ConnectorError::PermissionMissing(_))
        ));
    }
}
