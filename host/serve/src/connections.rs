//! `/v1/connections`: the tenant's connections, their status in `ats status`'s words, and
//! syncs on demand.

use crate::api_error::{ApiError, ApiResult, ErrorBody};
use crate::auth::Tenant;
use crate::body::OptionalJsonBody;
use crate::service::{Service, SyncRequest};
use ats_app::status_view::{ConnectionStatus, connection_status, stream_statuses};
use ats_mirror::ConnectionRow;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A connection as the platform sees it: what it is and where it stands, never a secret.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ConnectionView {
    pub name: String,
    pub tenant: String,
    /// The connector's name and version as it declared them.
    pub connector: String,
    /// The pinned plugin's content hash (first 12 hex digits).
    pub plugin: String,
    /// The streams the connector declared.
    pub streams: Vec<String>,
    /// Hosts granted the connection's credentials.
    pub granted_api_hosts: Vec<String>,
    /// Overall sync status: `done`, `syncing`, `paused-for-quota`, `needs-attention`, `failed`, …
    pub status: String,
    /// When syncs were paused (`POST …/pause`); none while they run.
    pub paused_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

pub(crate) async fn view(service: &Service, row: ConnectionRow) -> ApiResult<ConnectionView> {
    // The streams alone: a list of connections must not count every one's records.
    let streams = stream_statuses(&service.host, &row).await?;
    let status =
        ats_sync::SyncStatus::of_connection(&streams.iter().map(|s| s.status).collect::<Vec<_>>());
    let words = serde_json::to_value(status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    Ok(ConnectionView {
        connector: format!("{} {}", row.plugin_declared.id, row.plugin_declared.version),
        plugin: row.plugin_hash.chars().take(12).collect(),
        streams: streams.into_iter().map(|s| s.stream).collect(),
        granted_api_hosts: row.granted_api_hosts.clone(),
        status: words,
        paused_at: row.paused_at,
        created_at: row.created_at,
        updated_at: row.updated_at,
        name: row.name,
        tenant: row.tenant,
    })
}

/// The tenant's connections.
#[utoipa::path(get, path = "/v1/connections", tag = "connections",
    responses((status = 200, body = [ConnectionView]), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(service): State<Arc<Service>>,
    tenant: Tenant,
) -> ApiResult<Json<Vec<ConnectionView>>> {
    let mut out = Vec::new();
    for row in service.host.mirror.connections().await? {
        if row.tenant == tenant.0 {
            out.push(view(&service, row).await?);
        }
    }
    Ok(Json(out))
}

/// One connection.
#[utoipa::path(get, path = "/v1/connections/{connection}", tag = "connections",
    params(("connection" = String, Path, description = "The connection's name")),
    responses((status = 200, body = ConnectionView), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    State(service): State<Arc<Service>>,
    tenant: Tenant,
    Path(name): Path<String>,
) -> ApiResult<Json<ConnectionView>> {
    let row = service.connection_of(&tenant, &name).await?;
    Ok(Json(view(&service, row).await?))
}

/// Status per stream (with the last error and what to do), mirror counts, and the request
/// quota by lane: what `ats status --json` prints.
#[utoipa::path(get, path = "/v1/connections/{connection}/status", tag = "connections",
    params(("connection" = String, Path, description = "The connection's name")),
    responses((status = 200, description = "As `ats status --json` prints one connection", body = Object),
        (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn status(
    State(service): State<Arc<Service>>,
    tenant: Tenant,
    Path(name): Path<String>,
) -> ApiResult<Json<ConnectionStatus>> {
    let row = service.connection_of(&tenant, &name).await?;
    Ok(Json(connection_status(&service.host, &row).await?))
}

/// Which streams to sync now.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SyncBody {
    /// Stream names; empty or absent: every stream.
    pub streams: Vec<String>,
    /// Read everything again, ignoring high-water marks.
    pub full: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SyncAccepted {
    pub connection: String,
    pub streams: Vec<String>,
    /// Follow it on `GET /v1/connections/{connection}/status`.
    pub status_url: String,
}

/// Runs a sync now, after what the connection is running (answers at once; the status shows
/// it).
#[utoipa::path(post, path = "/v1/connections/{connection}/sync", tag = "connections",
    params(("connection" = String, Path, description = "The connection's name")),
    request_body = SyncBody,
    responses((status = 202, body = SyncAccepted), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "The connection is paused", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn sync(
    State(service): State<Arc<Service>>,
    tenant: Tenant,
    Path(name): Path<String>,
    OptionalJsonBody(body): OptionalJsonBody<SyncBody>,
) -> ApiResult<(StatusCode, Json<SyncAccepted>)> {
    let row = service.connection_of(&tenant, &name).await?;
    if row.paused_at.is_some() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "paused",
            format!(
                "connection `{name}` is paused: resume it (POST /v1/connections/{name}/resume) to sync"
            ),
        ));
    }
    let live = service.live(&row).await?;
    let declared: Vec<String> = live
        .connection
        .info()
        .streams
        .iter()
        .map(|s| s.name.clone())
        .collect();
    if let Some(unknown) = body.streams.iter().find(|s| !declared.contains(s)) {
        return Err(ApiError::invalid(
            "streams",
            format!(
                "the connection has no stream `{unknown}`; it has: {}",
                declared.join(", ")
            ),
        ));
    }
    let streams = if body.streams.is_empty() {
        declared
    } else {
        body.streams.clone()
    };
    service
        .ask_sync(
            &row,
            SyncRequest {
                streams: body.streams,
                full: body.full,
            },
        )
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(SyncAccepted {
            status_url: format!("/v1/connections/{name}/status"),
            connection: name,
            streams,
        }),
    ))
}

async fn set_paused(
    service: &Arc<Service>,
    tenant: &Tenant,
    name: &str,
    paused: bool,
) -> ApiResult<Json<ConnectionView>> {
    let mut row = service.connection_of(tenant, name).await?;
    row.paused_at = match paused {
        true => row.paused_at.or(Some(ats_features::unix_now())),
        false => None,
    };
    // Not a change of configuration: `updated_at` stays, so the started instance stays too.
    service.host.mirror.upsert_connection(&row).await?;
    if !paused {
        // Wake the worker now rather than at its next look.
        service.ask_reread(&row, Vec::new()).await?;
    }
    Ok(Json(view(service, row).await?))
}

/// Pauses the connection's syncs (scheduled and asked for); the features still work.
#[utoipa::path(post, path = "/v1/connections/{connection}/pause", tag = "connections",
    params(("connection" = String, Path, description = "The connection's name")),
    responses((status = 200, body = ConnectionView), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn pause(
    State(service): State<Arc<Service>>,
    tenant: Tenant,
    Path(name): Path<String>,
) -> ApiResult<Json<ConnectionView>> {
    set_paused(&service, &tenant, &name, true).await
}

/// Resumes a paused connection: due streams run at once.
#[utoipa::path(post, path = "/v1/connections/{connection}/resume", tag = "connections",
    params(("connection" = String, Path, description = "The connection's name")),
    responses((status = 200, body = ConnectionView), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn resume(
    State(service): State<Arc<Service>>,
    tenant: Tenant,
    Path(name): Path<String>,
) -> ApiResult<Json<ConnectionView>> {
    set_paused(&service, &tenant, &name, false).await
}

/// Checks the credentials and every permission the connector needs again (`ats check`).
#[utoipa::path(post, path = "/v1/connections/{connection}/check", tag = "connections",
    params(("connection" = String, Path, description = "The connection's name")),
    responses((status = 200, description = "Each permission granted, missing or not checkable", body = Object),
        (status = 404, body = ErrorBody), (status = 502, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn check(
    State(service): State<Arc<Service>>,
    tenant: Tenant,
    Path(name): Path<String>,
) -> ApiResult<Json<ats_model::ConnectionReport>> {
    let row = service.connection_of(&tenant, &name).await?;
    let live = service.writer(&row).await?;
    let report = ats_sync::lane_context::with_lane(
        ats_sync::Lane::Interactive,
        live.connection.check_connection(),
    )
    .await;
    drop(live);
    let report = report.map_err(|e| {
        ApiError::new(
            axum::http::StatusCode::BAD_GATEWAY,
            "connector_failed",
            format!("the check could not run: {e}"),
        )
    })?;
    Ok(Json(report))
}

/// How many runs to show.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RunsQuery {
    /// Newest first; 1 to 500, 20 when absent.
    pub limit: Option<usize>,
}

/// The run log: the connection's last sync runs, newest first (`ats runs`).
#[utoipa::path(get, path = "/v1/connections/{connection}/runs", tag = "connections",
    params(("connection" = String, Path, description = "The connection's name"), RunsQuery),
    responses((status = 200, body = [ats_app::run_log::RunEntry]), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn runs(
    State(service): State<Arc<Service>>,
    tenant: Tenant,
    Path(name): Path<String>,
    query: Result<axum::extract::Query<RunsQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<Vec<ats_app::run_log::RunEntry>>> {
    let row = service.connection_of(&tenant, &name).await?;
    let query = query.map_err(|e| ApiError::invalid("limit", e.body_text()))?;
    let limit = query.limit.unwrap_or(20);
    if limit == 0 || limit > ats_app::run_log::MAX_RUNS {
        return Err(ApiError::invalid(
            "limit",
            format!(
                "limit must be 1 to {}, not {limit}",
                ats_app::run_log::MAX_RUNS
            ),
        ));
    }
    Ok(Json(
        ats_app::run_log::run_log(&service.host, &row.name, limit).await?,
    ))
}
