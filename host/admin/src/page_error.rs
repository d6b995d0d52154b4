//! What a page answers when it cannot show what was asked: an HTML page with the status, what
//! went wrong and what to do, in the words of the API's errors (never a secret: those name
//! secrets by reference only).

use crate::chrome::Chrome;
use askama::Template;
use ats_serve::api_error::ApiError;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

#[derive(Debug, Clone)]
pub struct PageError {
    pub status: StatusCode,
    pub title: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    chrome: Chrome,
    error: &'a PageError,
}

impl PageError {
    pub fn new(status: StatusCode, title: &str, message: impl Into<String>) -> Self {
        PageError {
            status,
            title: title.to_string(),
            message: message.into(),
        }
    }

    /// The same page whether the thing does not exist or is another tenant's.
    pub fn not_found() -> Self {
        PageError::new(
            StatusCode::NOT_FOUND,
            "Not found",
            "There is nothing here, or it is not yours to see. Go back to your connections.",
        )
    }

    /// An action without this session's CSRF token: refused, nothing done.
    pub fn forged(why: &str) -> Self {
        tracing::info!("admin action refused: {why}");
        PageError::new(
            StatusCode::FORBIDDEN,
            "Action refused",
            format!("Nothing was done: {why}. Reload the page you came from and use its buttons."),
        )
    }

    /// A form field the page could not use.
    pub fn invalid(field: &str, message: impl std::fmt::Display) -> Self {
        PageError::new(
            StatusCode::BAD_REQUEST,
            "Check the form",
            format!("`{field}`: {message}"),
        )
    }
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        if e.status == StatusCode::NOT_FOUND {
            return PageError::not_found();
        }
        let title = match e.status {
            s if s.is_server_error() => "The service could not answer",
            StatusCode::CONFLICT => "Not now",
            _ => "Check what you asked",
        };
        let message = match &e.field {
            Some(field) => format!("`{field}`: {}", e.message),
            None => e.message,
        };
        PageError::new(e.status, title, message)
    }
}

impl From<ats_mirror::MirrorError> for PageError {
    fn from(e: ats_mirror::MirrorError) -> Self {
        ApiError::from(e).into()
    }
}

impl From<askama::Error> for PageError {
    fn from(e: askama::Error) -> Self {
        tracing::error!("an admin page did not render: {e}");
        PageError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "The page did not render",
            "The service could not draw this page; its log says why.",
        )
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let page = ErrorPage {
            chrome: Chrome::plain(&self.title),
            error: &self,
        };
        let body = page.render().unwrap_or_else(|_| self.message.clone());
        (self.status, Html(body)).into_response()
    }
}

pub type PageResult<T> = Result<T, PageError>;
