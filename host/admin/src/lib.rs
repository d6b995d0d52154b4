//! The admin pages of `ats serve`, under `/admin`: what an operator and a recruiter see in a
//! browser. Connections and their health, each stream's state with its last error and advice,
//! the quota by lane with a chart of the window, the run log, rediscovery search, a job's
//! applicants ranked by review, and a candidate's profile with the timeline of each
//! application.
//!
//! Pages are rendered on the server (askama templates, plain CSS served from here, inline SVG
//! charts), read through the same functions as the JSON API and the CLI, and act through the
//! API's own handlers. The one script, `assets/live.js` (ours, served from the binary: no build
//! step, nothing fetched from elsewhere), refreshes a page's live part while a sync runs. A person signs in with one of their tenant's API tokens and
//! gets a cookie session; every action carries the session's CSRF token; a tenant sees only
//! its own connections (another's answer 404); no secret is ever rendered.

mod actions;
mod candidate_page;
mod chart;
mod chrome;
mod connections_page;
mod health;
mod jobs_page;
mod live;
mod page_error;
mod search_page;
pub mod session;
mod settings_page;
mod sign_in;
mod words;

use ats_model::{ConnectionReport, Timestamp};
use ats_serve::Service;
use axum::Router;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use session::Sessions;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// What the pages share: the service, the open sessions, and each connection's last check.
#[derive(Clone)]
pub struct Admin {
    pub service: Arc<Service>,
    pub sessions: Arc<Sessions>,
    /// The last "check now" of each connection, with when it ran (kept while the service runs).
    checks: Arc<Mutex<HashMap<String, (Timestamp, ConnectionReport)>>>,
}

impl Admin {
    fn remember_check(&self, connection: &str, report: ConnectionReport) {
        self.checks
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(connection.to_string(), (ats_sync::meter::now(), report));
    }

    fn last_check(&self, connection: &str) -> Option<(Timestamp, ConnectionReport)> {
        self.checks
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(connection)
            .cloned()
    }
}

const CSS: &str = include_str!("../assets/admin.css");
const LIVE_JS: &str = include_str!("../assets/live.js");

async fn css() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "max-age=3600"),
        ],
        CSS,
    )
}

async fn live_js() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, "max-age=3600"),
        ],
        LIVE_JS,
    )
}

async fn not_found() -> page_error::PageError {
    page_error::PageError::not_found()
}

/// The pages, to mount under `/admin` (see `ats_serve::router_with`).
pub fn router(service: Arc<Service>) -> Router<Arc<Service>> {
    let admin = Admin {
        service,
        sessions: Arc::default(),
        checks: Arc::default(),
    };
    let c = "/connections/{connection}";
    Router::new()
        .route("/", get(connections_page::list))
        .route("/login", get(sign_in::form).post(sign_in::submit))
        .route("/logout", post(sign_in::sign_out))
        .route("/assets/admin.css", get(css))
        .route("/assets/live.js", get(live_js))
        .route("/live", get(live::connections_part))
        .route(c, get(connections_page::show))
        .route(&format!("{c}/live"), get(live::connection_part))
        .route(&format!("{c}/sync"), post(actions::sync))
        .route(&format!("{c}/check"), post(actions::check))
        .route(&format!("{c}/pause"), post(actions::pause))
        .route(&format!("{c}/resume"), post(actions::resume))
        .route(&format!("{c}/settings"), get(settings_page::show))
        .route(&format!("{c}/candidates"), get(search_page::search))
        .route(
            &format!("{c}/candidates/{{candidate}}"),
            get(candidate_page::show),
        )
        .route(&format!("{c}/jobs"), get(jobs_page::list))
        .route(&format!("{c}/jobs/{{job}}"), get(jobs_page::review))
        .fallback(not_found)
        .with_state(admin)
}
