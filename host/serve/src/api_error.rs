//! Errors as the API answers them: a status and `{"error": {"code", "message", "field"}}`.
//!
//! `code` is stable and meant for programs; `message` says what was wrong and what to do, in
//! the same words as the CLI. No message carries a secret: the host's errors name secrets by
//! reference (a file, an environment variable), never by value.

use ats_app::host::HostError;
use ats_features::FeatureError;
use ats_mirror::MirrorError;
use ats_model::ConnectorError;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An answer other than success.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// The request field that was wrong, when one was.
    pub field: Option<String>,
    /// Seconds to wait before retrying (429).
    pub retry_after: Option<u64>,
}

/// The body of an error answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable, for programs: `unauthorized`, `not_found`, `invalid_input`, …
    pub code: String,
    /// What was wrong and what to do.
    pub message: String,
    /// The request field that was wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            retry_after: None,
        }
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError {
            field: Some(field.into()),
            ..ApiError::new(StatusCode::BAD_REQUEST, "invalid_input", message)
        }
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// The same answer whether the connection does not exist or belongs to another tenant, so
    /// that names do not leak across tenants.
    pub fn unknown_connection(name: &str) -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no connection named `{name}`: list yours with GET /v1/connections"),
        )
    }

    pub fn internal(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            tracing::error!(code = self.code, status = %self.status, "{}", self.message);
        } else {
            tracing::info!(code = self.code, status = %self.status, "{}", self.message);
        }
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message,
                field: self.field,
            },
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<MirrorError> for ApiError {
    fn from(e: MirrorError) -> Self {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "mirror_failed",
            format!("the mirror failed: {e}; retry shortly"),
        )
    }
}

impl From<HostError> for ApiError {
    fn from(e: HostError) -> Self {
        match e {
            HostError::UnknownConnection(name) => ApiError::unknown_connection(&name),
            HostError::Mirror(e) => e.into(),
            HostError::Invalid(message) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_connection",
                message,
            ),
            HostError::Call(e) => ApiError::new(
                StatusCode::BAD_GATEWAY,
                "connector_failed",
                format!("the ATS connector failed: {e}"),
            ),
            other => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "host_failed",
                other.to_string(),
            ),
        }
    }
}

impl From<FeatureError> for ApiError {
    fn from(e: FeatureError) -> Self {
        let message = e.to_string();
        let (status, code) = match &e {
            FeatureError::InvalidInput { field, .. } => {
                return ApiError::invalid(field.clone(), message);
            }
            FeatureError::MalformedJson { .. } => (StatusCode::BAD_REQUEST, "malformed_json"),
            FeatureError::UnknownJob { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "unknown_job"),
            FeatureError::UnknownStatus { .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, "unknown_status")
            }
            FeatureError::UnknownRecord { .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, "unknown_record")
            }
            FeatureError::InProgress { .. } => (StatusCode::CONFLICT, "in_progress"),
            FeatureError::KeyReused { .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused")
            }
            FeatureError::Interrupted { .. } => (StatusCode::BAD_GATEWAY, "interrupted"),
            FeatureError::Connector(ConnectorError::RateLimited {
                retry_after_seconds,
                ..
            }) => {
                return ApiError {
                    retry_after: *retry_after_seconds,
                    ..ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", message)
                };
            }
            FeatureError::Connector(_) => (StatusCode::BAD_GATEWAY, "connector_failed"),
            FeatureError::Mirror(_) => (StatusCode::SERVICE_UNAVAILABLE, "mirror_failed"),
        };
        ApiError::new(status, code, message)
    }
}

/// The result type of every handler.
pub type ApiResult<T> = Result<T, ApiError>;
