//! The OpenAPI 3 document, generated from the handlers' annotations and the request and answer
//! types (utoipa), served at `/v1/openapi.json` and committed as `host/serve/openapi.json`; a
//! test fails when the committed copy is stale (`UPDATE_OPENAPI=1` rewrites it).

use crate::{connection_lifecycle, connections, events, features, health, metrics};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "ats connector host",
        version = "1",
        description = "The platform's API to its customers' ATS: connections and their syncs, and the recruiter features over the mirror. Every /v1 call carries a tenant's bearer token (`ats token create --tenant T`) and sees only that tenant's connections; another tenant's connection answers 404, as one that does not exist. Errors are `{\"error\": {\"code\", \"message\", \"field\"}}`."
    ),
    paths(
        connections::list,
        connection_lifecycle::create,
        connections::get,
        connection_lifecycle::delete,
        connections::status,
        connections::sync,
        connections::pause,
        connections::resume,
        connections::check,
        connections::runs,
        features::search,
        features::rediscover_for_job,
        features::export,
        features::reply,
        features::review,
        features::refresh,
        features::duplicates,
        features::move_application,
        features::reject_application,
        events::receive,
        health::healthz,
        health::readyz,
        metrics::scrape,
    ),
    modifiers(&BearerToken),
    tags(
        (name = "connections", description = "Connections and their syncs"),
        (name = "features", description = "Recruiter features: the same functions and answers as the CLI"),
        (name = "events", description = "Events the ATS pushes; authenticated as the connector declares, not with a token"),
        (name = "operations", description = "Health, readiness and metrics"),
    )
)]
pub struct ApiDoc;

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi
            .components
            .get_or_insert_with(utoipa::openapi::Components::new);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A tenant's API token, made by `ats token create --tenant T`",
                    ))
                    .build(),
            ),
        );
    }
}

/// The document as served and committed.
pub fn document() -> String {
    let mut text = ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_committed_document_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi.json");
        let current = super::document();
        if std::env::var_os("UPDATE_OPENAPI").is_some() {
            std::fs::write(&path, &current).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == current,
            "{} is stale: run `UPDATE_OPENAPI=1 cargo test --workspace -p ats-serve openapi` and commit it",
            path.display()
        );
    }
}
