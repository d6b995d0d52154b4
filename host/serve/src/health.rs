//! `/healthz` (the process answers) and `/readyz` (the mirror answers and the scheduler runs):
//! what a load balancer or an orchestrator asks before sending traffic.

use crate::service::Service;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use std::sync::Arc;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok` or `unavailable`.
    pub status: &'static str,
    /// `ok`, or what failed.
    pub mirror: String,
    /// `running`, `off` (started without the scheduler) or `stopped`.
    pub scheduler: &'static str,
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "The process answers")))]
pub async fn healthz() -> &'static str {
    "ok\n"
}

/// Ready for traffic: the mirror answers and the scheduler runs.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses((status = 200, body = Health), (status = 503, body = Health)))]
pub async fn readyz(State(service): State<Arc<Service>>) -> (StatusCode, Json<Health>) {
    let mirror = match service.host.mirror.connections().await {
        Ok(_) => "ok".to_string(),
        Err(e) => format!("unavailable: {e}"),
    };
    let scheduler = match (service.options.schedule, service.scheduler_running()) {
        (false, _) => "off",
        (true, true) => "running",
        (true, false) => "stopped",
    };
    let ready = mirror == "ok" && scheduler != "stopped";
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(Health {
            status: if ready { "ok" } else { "unavailable" },
            mirror,
            scheduler,
        }),
    )
}
