//! iCIMS error answers (§11): `{"errors":[{"errorMessage","errorCode"}]}` plus an
//! `X-Error: <code>:<detail>` header. Codes: 0 internal (500), 1 field required (400),
//! 2 not found (404), 3 access denied (404, not 403), 6 bad credentials (401).

use serde_json::json;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("HTTP {status}, errorCode {code}: {message}")]
pub struct ApiError {
    pub status: u16,
    pub code: i64,
    pub message: String,
    /// Extra headers (e.g. `WWW-Authenticate`, `Retry-After`).
    pub headers: Vec<(&'static str, String)>,
}

pub const INTERNAL_ERROR: i64 = 0;
pub const FIELD_REQUIRED: i64 = 1;
pub const RESOURCE_NOT_FOUND: i64 = 2;
pub const RESOURCE_ACCESS_DENIED: i64 = 3;
pub const FIELD_WARNING: i64 = 4;
/// Chosen by the simulator (the reference's table is cut off after 4): unsupported method/route.
pub const NOT_SUPPORTED: i64 = 5;
pub const INVALID_CREDENTIALS: i64 = 6;

pub const BAD_CREDENTIALS_MESSAGE: &str = "Invalid Username or Password credentials provided.";

impl ApiError {
    pub fn new(status: u16, code: i64, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            headers: Vec::new(),
        }
    }

    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(404, RESOURCE_NOT_FOUND, format!("{what} not found."))
    }

    pub fn access_denied() -> Self {
        Self::new(
            404,
            RESOURCE_ACCESS_DENIED,
            "You do not have access to the requested resource.",
        )
    }

    pub fn field_required(field: &str) -> Self {
        Self::new(400, FIELD_REQUIRED, format!("{field}: Field is required."))
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, FIELD_REQUIRED, message)
    }

    pub fn invalid_json() -> Self {
        Self::new(400, FIELD_REQUIRED, "Request body is not valid JSON.")
    }

    pub fn not_supported() -> Self {
        Self::new(405, NOT_SUPPORTED, "Not Supported")
    }

    pub fn unauthorized() -> Self {
        Self::new(401, INVALID_CREDENTIALS, BAD_CREDENTIALS_MESSAGE).with_header(
            "www-authenticate",
            "Basic realm=\"iCIMS\", Bearer realm=\"iCIMS\"",
        )
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(500, INTERNAL_ERROR, message)
    }

    /// The JSON body iCIMS sends.
    pub fn body(&self) -> Vec<u8> {
        serde_json::to_vec(&json!({
            "errors": [{"errorMessage": self.message, "errorCode": self.code}]
        }))
        .unwrap_or_default()
    }

    /// `X-Error: <code>:<detail>` (header values must be visible ASCII).
    pub fn x_error(&self) -> String {
        let detail: String = self
            .message
            .chars()
            .map(|c| {
                if c.is_ascii_graphic() || c == ' ' {
                    c
                } else {
                    '?'
                }
            })
            .collect();
        format!("{}:{}", self.code, detail)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_has_icims_shape() {
        let e = ApiError::not_found("Job");
        let v: serde_json::Value = serde_json::from_slice(&e.body()).unwrap();
        assert_eq!(v["errors"][0]["errorCode"], 2);
        assert_eq!(v["errors"][0]["errorMessage"], "Job not found.");
        assert_eq!(e.status, 404);
        assert_eq!(e.x_error(), "2:Job not found.");
    }
}
