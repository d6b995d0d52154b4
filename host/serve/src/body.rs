//! Request bodies: JSON read with the path of a bad field (`resume.base64`, `emails[2]`), so
//! an error can name it, and answered in the API's error shape instead of axum's plain text.
//! A body may come without a `Content-Type`; a wrong one is refused.

use crate::api_error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;

/// A JSON body that must be there.
pub struct JsonBody<T>(pub T);

/// A JSON body that may be empty (then `T::default()`).
pub struct OptionalJsonBody<T>(pub T);

async fn read<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    if let Some(kind) = req.headers().get(CONTENT_TYPE) {
        let kind = kind.to_str().unwrap_or_default().to_ascii_lowercase();
        if !(kind.starts_with("application/json") || kind.contains("+json")) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                format!("the body must be JSON (`Content-Type: application/json`), not `{kind}`"),
            ));
        }
    }
    Bytes::from_request(req, state).await.map_err(|rejection| {
        let status = rejection.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                status,
                "body_too_large",
                "the body is larger than the service accepts; send a smaller resume",
            )
        } else {
            ApiError::new(status, "bad_body", rejection.body_text())
        }
    })
}

fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        refused(e.into_inner(), path)
    })?;
    de.end().map_err(|e| refused(e, String::new()))?;
    Ok(value)
}

/// A body that did not parse: the field's path for a wrong value, "malformed" for broken JSON.
fn refused(error: serde_json::Error, path: String) -> ApiError {
    match error.classify() {
        serde_json::error::Category::Data => ApiError::invalid(
            if path.is_empty() || path == "." {
                "body".to_string()
            } else {
                path
            },
            format!("{error}; correct it and send the request again (nothing was written)"),
        ),
        _ => ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            format!("the body is not valid JSON: {error}; nothing was written"),
        ),
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = read(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::invalid("body", "the request needs a JSON body"));
        }
        parse(&bytes).map(JsonBody)
    }
}

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequest<S> for OptionalJsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = read(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJsonBody(T::default()));
        }
        parse(&bytes).map(OptionalJsonBody)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        inner: Inner,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        count: u32,
    }

    #[test]
    fn errors_name_the_field_or_say_the_json_is_broken() {
        let e = parse::<Outer>(br#"{"inner": {"count": "three"}}"#).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            ("invalid_input", Some("inner.count"))
        );
        let e = parse::<Outer>(br#"{"inner": {"count": 3}, "extra": 1}"#).unwrap_err();
        assert!(e.message.contains("unknown field `extra`"), "{}", e.message);
        let e = parse::<Outer>(br#"{"inner": "#).unwrap_err();
        assert_eq!(e.code, "malformed_json");
        let e = parse::<Outer>(br#"{"inner": {"count": 3}} trailing"#).unwrap_err();
        assert_eq!(e.code, "malformed_json");
        assert!(parse::<Outer>(br#"{"inner": {"count": 3}}"#).is_ok());
    }
}
