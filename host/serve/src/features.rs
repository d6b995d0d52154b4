//! The recruiter features over HTTP: the same functions, validation and answers as the CLI's
//! `--json`, scoped to the caller's tenant. Writes spend from the connection's shared quota
//! ledger in the interactive lane.

use crate::api_error::{ApiError, ApiResult, ErrorBody};
use crate::auth::Tenant;
use crate::body::{JsonBody, OptionalJsonBody};
use crate::service::Service;
use ats_features::rediscovery::SearchFilters;
use ats_features::{
    DedupeOptions, DedupeReport, ExportOptions, ExportReport, MoveReport, PlatformCandidate,
    RediscoveryPage, RefreshOptions, RefreshReport, RejectReport, ReplyEvent, ReviewOptions,
    ReviewReport, unix_now,
};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use serde::Deserialize;
use std::sync::Arc;

/// The header a platform sends so a retried write is done once.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// Rediscovery: past applicants who fit, by text and filters, one result per person.
#[utoipa::path(post, path = "/v1/connections/{connection}/search", tag = "features",
    params(("connection" = String, Path, description = "The connection's name")),
    request_body = SearchFilters,
    responses((status = 200, description = "As `ats search --json`", body = Object),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn search(
    State(service): State<Arc<Service>>,
    tenant: Tenant,
    Path(name): Path<String>,
    JsonBody(filters): JsonBody<SearchFilters>,
) -> ApiResult<Json<RediscoveryPage>> {
    let row = service.connection_of(&tenant, &name).await?;
    let request = filters.resolve(unix_now())?;
    let page = ats_features::rediscover(service.host.mirror.as_ref(), &row.name, &request).await?;
    Ok(Json(page))
}

/// Rediscovery for a job: people in the mirror who did not apply to `job`, best fit first, one
/// row per person, with the search filters (`ats rediscover`).
#[utoipa::path(post, path = "/v1/connections/{connection}/jobs/{job}/rediscover", tag = "features",
    params(("connection" = String, Path, description = "The connection's name"),
        ("job" = String, Path, description = "The job's id")),
    request_body = SearchFilters,
    responses((status = 200, description = "As `ats rediscover --json`", body = Object),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, description = "The job is not in the mirror", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn rediscover_for_job(
    State(service): State<Arc<Service>>,
    tenant: Tenant,
    Path((name, job)): Path<(String, String)>,
    OptionalJsonBody(filters): OptionalJsonBody<SearchFilters>,
) -> ApiResult<Json<ats_features::JobRediscoveryPage>> {
    let row = service.connection_of(&tenant, &name).await?;
    let request = filters.resolve(unix_now())?;
    let page =
        ats_features::rediscover_for_job(service.host.mirror.as_ref(), &row.name, &job, &request)
            .await?;
    Ok(Json(page))
}

/// The `Idempotency-Key` header, checked against a key in the body.
fn idempotency_key(headers: &HeaderMap, in_body: Option<&str>) -> ApiResult<Option<String>> {
    let header = match headers.get(IDEMPOTENCY_KEY) {
        None => None,
        Some(v) => Some(
            v.to_str()
                .map_err(|_| ApiError::invalid("Idempotency-Key", "the header is not ASCII text"))?
                .trim()
                .to_string(),
        ),
    };
    match (header, in_body) {
        (Some(h), Some(b)) if h != b => Err(ApiError::invalid(
            "idempotency_key",
            "the body's idempotency_key differs from the Idempotency-Key header; send one of them",
        )),
        (Some(h), _) => Ok(Some(h)),
        (None, b) => Ok(b.map(str::to_string)),
    }
}

/// A resume must come inline: a path would read a file on the service's disk.
fn no_host_paths(profile: &PlatformCandidate) -> ApiResult<()> {
    if profile.resume.as_ref().is_some_and(|r| r.path.is_some()) {
        return Err(ApiError::invalid(
            "resume.path",
            "the service does not read files from its own disk: send the resume inline as `base64`",
        ));
    }
    Ok(())
}

/// Candidate export: found by email first, created or updated with only what is new, resume
/// uploaded, optionally applied to `job_id` with `status`. A retry with the same
/// `Idempotency-Key` resumes or replays instead of duplicating.
#[utoipa::path(post, path = "/v1/connections/{connection}/export", tag = "features",
    params(("connection" = String, Path, description = "The connection's name"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key write once")),
    request_body = PlatformCandidate,
    responses((status = 200, description = "As `ats export --json`", body = Object),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "The same key is still running", body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody),
        (status = 502, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn export(
    State(service): State<Arc<Service>>,
    tenant: Tenant,
    Path(name): Path<String>,
    headers: HeaderMap,
    JsonBody(mut profile): JsonBody<PlatformCandidate>,
) -> ApiResult<Json<ExportReport>> {
    let row = service.connection_of(&tenant, &name).await?;
    no_host_paths(&profile)?;
    profile.idempotency_key = idempotency_key(&headers, profile.idempotency_key.as_deref())?;
    let live = service.writer(&row).await?;
    let report = ats_features::export(
        service.host.mirror.as_ref(),
        &*live,
        &row.name,
        &profile,
        &ExportOptions::at(unix_now()),
    )
    .await?;
    Ok(Json(report))
}

/// Create-or-update from an email reply: the sender found by address, or created from the
/// display name, and applied to `job_id` when given.
#[utoipa::path(post, path = "/v1/connections/{connection}/reply", tag = "features",
    params(("connection" = String, Path, description = "The connection's name")),
    request_body = ReplyEvent,
    responses((status = 200, description = "As `ats reply --json`", body = Object),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn reply(
    State(service): State<Arc<Service>>,
    tenant: Tenant,
    Path(name): Path<String>,
    JsonBody(event): JsonBody<ReplyEvent>,
) -> ApiResult<Json<ExportReport>> {
    let row = service.connection_of(&tenant, &name).await?;
    let live = service.writer(&row).await?;
    let report = ats_features::reply(
        service.host.mirror.as_ref(),
        &*live,
        &row.name,
        &event,
        &ExportOptions::at(unix_now()),
    )
    .await?;
    Ok(Json(report))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    pub job_id: String,
    /// Most applicants ranked (default 100).
    #[serde(default)]
    pub limit: Option<usize>,
}

/// Application review: a job's applicants ranked by fit, each with the reasons.
#[utoipa::path(post, path = "/v1/connections/{connection}/review", tag = "features",
    params(("connection" = String, Path, description = "The connection's name")),
    request_body = ReviewBody,
    responses((status = 200, description = "As `ats review --json`", body = Object),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn review(
    State(service): State<Arc<Service>>,
    tenant: Tenant,
    Path(name): Path<String>,
    JsonBody(body): JsonBody<ReviewBody>,
) -> ApiResult<Json<ReviewReport>> {
    let row = service.connection_of(&tenant, &name).await?;
    let limit = body.limit.unwrap_or(100);
    if !(1..=10_000).contains(&limit) {
        return Err(ApiError::invalid(
            "limit",
            "rank between 1 and 10000 applicants",
        ));
    }
    let options = ReviewOptions {
        limit,
        ..ReviewOptions::at(unix_now())
    };
    let report = ats_features::review(
        service.host.mirror.as_ref(),
        &row.name,
        &body.job_id,
        &options,
    )
    .await?;
    Ok(Json(report))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshBody {
    pub candidate_id: String,
    /// The platform's current view of the person.
    pub profile: PlatformCandidate,
    /// Show the changes without writing them.
    #[serde(default)]
    pub dry_run: bool,
}

/// Candidate refresh: what the platform knows that the ATS does not, as a diff, written unless
/// `dry_run`.
#[utoipa::path(post, path = "/v1/connections/{connection}/refresh", tag = "features",
    params(("connection" = String, Path, description = "The connection's name")),
    request_body = RefreshBody,
    responses((status = 200, description = "As `ats refresh --json`", body = Object),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn refresh(
    State(service): State<Arc<Service>>,
    tenant: Tenant,
    Path(name): Path<String>,
    JsonBody(body): JsonBody<RefreshBody>,
) -> ApiResult<Json<RefreshReport>> {
    let row = service.connection_of(&tenant, &name).await?;
    no_host_paths(&body.profile)?;
    let live = service.writer(&row).await?;
    let options = RefreshOptions {
        dry_run: body.dry_run,
        ..RefreshOptions::at(unix_now())
    };
    let report = ats_features::refresh(
        service.host.mirror.as_ref(),
        &*live,
        &row.name,
        &body.candidate_id,
        &body.profile,
        &options,
    )
    .await?;
    Ok(Json(report))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct DuplicatesBody {
    /// Find links without storing them.
    pub dry_run: bool,
}

/// De-duplication: links the mirror's records of one person (same email, profile URL, phone
/// with a similar name).
#[utoipa::path(post, path = "/v1/connections/{connection}/duplicates", tag = "features",
    params(("connection" = String, Path, description = "The connection's name")),
    request_body = DuplicatesBody,
    responses((status = 200, description = "As `ats duplicates --json`", body = Object),
        (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn duplicates(
    State(service): State<Arc<Service>>,
    tenant: Tenant,
    Path(name): Path<String>,
    OptionalJsonBody(body): OptionalJsonBody<DuplicatesBody>,
) -> ApiResult<Json<DedupeReport>> {
    let row = service.connection_of(&tenant, &name).await?;
    let options = DedupeOptions {
        dry_run: body.dry_run,
        ..DedupeOptions::at(unix_now())
    };
    let report =
        ats_features::find_duplicates(service.host.mirror.as_ref(), &row.name, &options).await?;
    Ok(Json(report))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveBody {
    /// A stage (`screening`, …), an ATS status id or status name.
    pub status: String,
}

/// Moves an application to another status.
#[utoipa::path(post, path = "/v1/connections/{connection}/applications/{application}/move", tag = "features",
    params(("connection" = String, Path, description = "The connection's name"),
        ("application" = String, Path, description = "The application's id")),
    request_body = MoveBody,
    responses((status = 200, description = "As `ats move --json`", body = Object),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn move_application(
    State(service): State<Arc<Service>>,
    tenant: Tenant,
    Path((name, application)): Path<(String, String)>,
    JsonBody(body): JsonBody<MoveBody>,
) -> ApiResult<Json<MoveReport>> {
    let row = service.connection_of(&tenant, &name).await?;
    let live = service.writer(&row).await?;
    let report = ats_features::move_application(
        service.host.mirror.as_ref(),
        &*live,
        &row.name,
        &application,
        &body.status,
        unix_now(),
    )
    .await?;
    Ok(Json(report))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RejectBody {
    pub reason: Option<String>,
    pub rejected_by: Option<String>,
}

/// Rejects an application, with a reason when the ATS takes one.
#[utoipa::path(post, path = "/v1/connections/{connection}/applications/{application}/reject", tag = "features",
    params(("connection" = String, Path, description = "The connection's name"),
        ("application" = String, Path, description = "The application's id")),
    request_body = RejectBody,
    responses((status = 200, description = "As `ats reject --json`", body = Object),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn reject_application(
    State(service): State<Arc<Service>>,
    tenant: Tenant,
    Path((name, application)): Path<(String, String)>,
    OptionalJsonBody(body): OptionalJsonBody<RejectBody>,
) -> ApiResult<Json<RejectReport>> {
    let row = service.connection_of(&tenant, &name).await?;
    let live = service.writer(&row).await?;
    let report = ats_features::reject_application(
        service.host.mirror.as_ref(),
        &*live,
        &row.name,
        &application,
        body.reason.as_deref(),
        body.rejected_by.as_deref(),
        unix_now(),
    )
    .await?;
    Ok(Json(report))
}
