//! What every page shares: its title, who is signed in, and the session's CSRF token for the
//! forms of the page (sign out included).

use crate::session::Signed;
use askama::Template;
use axum::response::Html;

#[derive(Debug, Clone)]
pub struct Chrome {
    pub title: String,
    /// The signed-in tenant; none on the sign-in and error pages.
    pub tenant: Option<String>,
    pub csrf: String,
}

impl Chrome {
    pub fn plain(title: &str) -> Self {
        Chrome {
            title: title.to_string(),
            tenant: None,
            csrf: String::new(),
        }
    }

    pub fn signed(title: impl Into<String>, signed: &Signed) -> Self {
        Chrome {
            title: title.into(),
            tenant: Some(signed.tenant.0.clone()),
            csrf: signed.csrf.clone(),
        }
    }
}

/// A rendered page.
pub fn html(page: impl Template) -> crate::page_error::PageResult<Html<String>> {
    Ok(Html(page.render()?))
}
