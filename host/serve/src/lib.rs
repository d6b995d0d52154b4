//! `ats serve`: the connector host as a service the platform embeds.
//!
//! One process runs every connection's syncs (a worker per connection: what `ats run` does,
//! plus the syncs the API asks for) and answers a JSON API under `/v1`, scoped by the caller's
//! tenant token, that calls the same feature functions as the CLI. `/healthz` and `/readyz` are
//! for the orchestrator; `/v1/openapi.json` describes it all. Pages for people (the admin
//! pages of `ats-admin`) are mounted under `/admin` by whoever serves both ([`serve_with`]).

pub mod api_error;
pub mod auth;
pub mod body;
mod connection_lifecycle;
pub mod connections;
pub mod events;
pub mod features;
mod health;
pub mod metrics;
pub mod openapi;
pub mod service;
pub mod tokens;
mod worker;

pub use service::{DEFAULT_MAX_SYNCS, ServeOptions, Service};

use api_error::ApiError;
use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::future::Future;
use std::sync::Arc;

/// Every route of the service.
pub fn router(service: Arc<Service>) -> Router {
    router_with(service, None)
}

/// Every route of the service, and `pages` under `/admin` (they answer their own 404s).
pub fn router_with(service: Arc<Service>, pages: Option<Router<Arc<Service>>>) -> Router {
    let v1 = Router::new()
        .route(
            "/connections",
            get(connections::list).post(connection_lifecycle::create),
        )
        .route(
            "/connections/{connection}",
            get(connections::get).delete(connection_lifecycle::delete),
        )
        .route("/connections/{connection}/status", get(connections::status))
        .route("/connections/{connection}/sync", post(connections::sync))
        .route("/connections/{connection}/pause", post(connections::pause))
        .route(
            "/connections/{connection}/resume",
            post(connections::resume),
        )
        .route("/connections/{connection}/check", post(connections::check))
        .route("/connections/{connection}/runs", get(connections::runs))
        .route("/connections/{connection}/search", post(features::search))
        .route(
            "/connections/{connection}/jobs/{job}/rediscover",
            post(features::rediscover_for_job),
        )
        .route("/connections/{connection}/export", post(features::export))
        .route("/connections/{connection}/reply", post(features::reply))
        .route("/connections/{connection}/review", post(features::review))
        .route("/connections/{connection}/refresh", post(features::refresh))
        .route(
            "/connections/{connection}/duplicates",
            post(features::duplicates),
        )
        .route(
            "/connections/{connection}/applications/{application}/move",
            post(features::move_application),
        )
        .route(
            "/connections/{connection}/applications/{application}/reject",
            post(features::reject_application),
        )
        .route("/events/{connection}", post(events::receive))
        .route("/openapi.json", get(openapi_json));
    let routes = match pages {
        Some(pages) => Router::new().nest("/admin", pages),
        None => Router::new(),
    };
    routes
        .nest("/v1", v1)
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::scrape))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(service.clone(), within_time))
        .layer(DefaultBodyLimit::max(service.options.body_limit))
        .with_state(service)
}

async fn openapi_json() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        openapi::document(),
    )
        .into_response()
}

async fn not_found(request: Request) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!(
            "no route {} {}: the API is described at /v1/openapi.json",
            request.method(),
            request.uri().path()
        ),
    )
}

/// Answers 503 when a request takes longer than the service allows, and logs every request
/// (method, path, status, time; never a header, so never a token).
async fn within_time(
    State(service): State<Arc<Service>>,
    request: Request,
    next: Next,
) -> Response {
    let (method, path) = (request.method().clone(), request.uri().path().to_string());
    // The template (`/v1/connections/{connection}/search`), never the path: no ids in labels.
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |m| m.as_str())
        .to_string();
    let started = std::time::Instant::now();
    let response = match tokio::time::timeout(service.options.request_timeout, next.run(request))
        .await
    {
        Ok(response) => response,
        Err(_) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            format!(
                "the request took longer than {} s; retry (a write with the same Idempotency-Key is done once)",
                service.options.request_timeout.as_secs()
            ),
        )
        .into_response(),
    };
    let took = started.elapsed();
    service
        .metrics
        .api_request(&route, method.as_str(), response.status().as_u16(), took);
    tracing::info!(
        %method, path, status = response.status().as_u16(),
        ms = took.as_millis() as u64, "request"
    );
    response
}

/// Serves on `listener` until `shutdown` completes, then stops the workers (a page in flight is
/// written whole or not at all; the next run resumes from the last one written).
pub async fn serve(
    service: Arc<Service>,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    serve_with(service, listener, None, shutdown).await
}

/// As [`serve`], with `pages` under `/admin` (see [`router_with`]).
pub async fn serve_with(
    service: Arc<Service>,
    listener: tokio::net::TcpListener,
    pages: Option<Router<Arc<Service>>>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    if service.options.schedule {
        service.start_workers().await?;
    } else {
        // Without the schedule, workers start when work is asked, here or by another process.
        service.watch_shared_work();
    }
    // A first build of the search index takes a while on a big mirror; searches answer
    // without it meanwhile, so it is built beside the service rather than before it.
    let mirror = service.host.mirror.clone();
    tokio::spawn(async move {
        if let Err(e) = mirror.catch_up_search_index().await {
            tracing::warn!(error = %e, "search index not built; searches use the store alone");
        }
    });
    axum::serve(listener, router_with(service.clone(), pages))
        .with_graceful_shutdown(shutdown)
        .await?;
    service.stop().await;
    Ok(())
}
