//! `POST /v1/connections` and `DELETE /v1/connections/{connection}`: a tenant makes a
//! connection from one of the operator's templates (checked against the ATS first, as
//! `ats connect` does) and removes it, leaving no secret behind.

use crate::api_error::{ApiError, ApiResult, ErrorBody};
use crate::auth::Tenant;
use crate::body::JsonBody;
use crate::connections::{ConnectionView, view};
use crate::service::Service;
use ats_app::connection_templates::{
    CreateError, NewConnection, create_connection, delete_connection,
};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A connection to make from a template.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    /// 1 to 64 of `a-z`, `0-9`, `-`, `_`; unique on this host.
    pub name: String,
    /// One of the operator's templates (`ats serve --templates DIR`).
    pub template: String,
    /// The connector's settings the template leaves to the tenant (e.g. `customer-id`).
    #[serde(default)]
    pub settings: BTreeMap<String, String>,
    /// The connector's secrets (e.g. `client-secret`): kept by the host, never answered back.
    #[serde(default)]
    pub secrets: BTreeMap<String, String>,
    /// Save even when the ATS account lacks permissions the connector needs.
    #[serde(default)]
    pub allow_missing: bool,
}

impl std::fmt::Debug for CreateBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateBody")
            .field("name", &self.name)
            .field("template", &self.template)
            .field("settings", &self.settings)
            .field("secrets", &self.secrets.keys().collect::<Vec<_>>())
            .finish()
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Created {
    pub connection: ConnectionView,
    /// Each permission granted, missing or not checkable.
    #[schema(value_type = Object)]
    pub report: ats_model::ConnectionReport,
}

/// Makes a connection from a template: checks the credentials and every permission first and
/// saves it only when nothing is missing (or `allow_missing`); its syncs start at once.
#[utoipa::path(post, path = "/v1/connections", tag = "connections",
    request_body = CreateBody,
    responses((status = 201, body = Created), (status = 400, body = ErrorBody),
        (status = 409, description = "The name is taken", body = ErrorBody),
        (status = 422, description = "Permissions are missing, or the connector could not start", body = ErrorBody),
        (status = 502, description = "The check could not reach the ATS", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(service): State<Arc<Service>>,
    tenant: Tenant,
    JsonBody(body): JsonBody<CreateBody>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let ask = NewConnection {
        name: body.name,
        template: body.template,
        settings: body.settings,
        secrets: body
            .secrets
            .into_iter()
            .map(|(k, v)| (k, secrecy::SecretString::from(v)))
            .collect(),
        allow_missing: body.allow_missing,
    };
    let (row, report) = {
        // One create at a time: two of one name must not both pass the "is it taken" look.
        let _one = service.creating.lock().await;
        create_connection(&service.host, &service.options.templates, &tenant.0, ask)
            .await
            .map_err(create_error)?
    };
    tracing::info!(connection = %row.name, tenant = %row.tenant, "connection created");
    if service.options.schedule {
        service.ensure_worker(&row).await?;
    }
    Ok((
        StatusCode::CREATED,
        Json(Created {
            connection: view(&service, row).await?,
            report,
        }),
    ))
}

fn create_error(e: CreateError) -> ApiError {
    match e {
        CreateError::Invalid { field, message } => ApiError::invalid(field, message),
        CreateError::NameTaken(_) => {
            ApiError::new(StatusCode::CONFLICT, "name_taken", e.to_string())
        }
        CreateError::Missing { report, .. } => {
            let names: Vec<String> = report.missing().map(|p| p.permission.clone()).collect();
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "permissions_missing",
                format!(
                    "the ATS account lacks permissions the connector needs: {}; grant them in the ATS, or send allow_missing: true to save anyway. Nothing was saved",
                    names.join(", ")
                ),
            )
        }
        CreateError::Host(e) => e.into(),
    }
}

/// Removes a connection: its worker stops, and its mirror data, plugin storage and the secrets
/// the host kept for it are deleted.
#[utoipa::path(delete, path = "/v1/connections/{connection}", tag = "connections",
    params(("connection" = String, Path, description = "The connection's name")),
    responses((status = 204, description = "Removed"), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn delete(
    State(service): State<Arc<Service>>,
    tenant: Tenant,
    Path(name): Path<String>,
) -> ApiResult<StatusCode> {
    let row = service.connection_of(&tenant, &name).await?;
    service.forget(&row.name).await;
    if !delete_connection(&service.host, &row.name).await? {
        return Err(ApiError::unknown_connection(&name));
    }
    tracing::info!(connection = %row.name, tenant = %row.tenant, "connection deleted");
    Ok(StatusCode::NO_CONTENT)
}
