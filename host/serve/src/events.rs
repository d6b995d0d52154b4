//! `POST /v1/events/{connection}`: the receiver for events the ATS pushes (icims-api.md §10).
//!
//! No bearer token here: the ATS authenticates the way the connector's `event-verification`
//! says (Basic, a shared token, an HMAC of the body or of signed headers), with the secret the
//! host holds for the connection. A delivery that fails, is older than the replay window, or
//! repeats a signed request already seen gets 401 and a log line, and causes no request. One
//! that passes is answered 200 at once; the records it names are re-read by the connection's
//! worker in the applications lane, within the quota. A second delivery of the same event (same
//! body) within the window is answered 200 and read once.
//!
//! Errors use the vendor shape iCIMS documents for receivers:
//! `{"error": {"userMessage", "debugErrorMessage"}}`.

use crate::service::Service;
use ats_app::connection_file::resolve_secret_refs;
use ats_mirror::{DeliveryKeys, Sighting};
use ats_model::IncomingEvent;
use ats_runtime::inbound_event::{Delivery, EventCredentials, event_body_text, verify_event};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::sync::Arc;

/// How far a signed event's time may be from now, seconds.
pub const REPLAY_WINDOW_SECONDS: i64 = 300;

/// How long deliveries are remembered: twice the window, so a replay dated at the window's edge
/// is still recognised when the clocks of the ATS and the host differ a little.
const DELIVERY_MEMORY_SECONDS: i64 = REPLAY_WINDOW_SECONDS * 2;

/// Largest event body once decompressed.
const MAX_EVENT_BYTES: usize = 1 << 20;

/// Most records one event may name.
const MAX_REFS_PER_EVENT: usize = 100;

fn vendor_error(status: StatusCode, user: &str, debug: &str) -> Response {
    (
        status,
        Json(json!({"error": {"userMessage": user, "debugErrorMessage": debug}})),
    )
        .into_response()
}

fn refused(connection: &str, why: &str) -> Response {
    tracing::warn!(connection, "event refused: {why}");
    vendor_error(
        StatusCode::UNAUTHORIZED,
        "The event was not accepted.",
        "authentication failed; check the credentials configured for event notifications",
    )
}

/// Receives one pushed event.
#[utoipa::path(post, path = "/v1/events/{connection}", tag = "events",
    params(("connection" = String, Path, description = "The connection the ATS was configured with")),
    request_body(content = String, description = "The ATS's event, JSON, gzip'd or not", content_type = "application/json"),
    responses((status = 200, description = "Accepted; the named records are re-read"),
        (status = 400, description = "Malformed event (vendor error shape)"),
        (status = 401, description = "Not authenticated, stale or replayed (vendor error shape)")))]
pub async fn receive(
    State(service): State<Arc<Service>>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let headers: Vec<(String, String)> = headers
        .iter()
        .filter_map(|(n, v)| {
            Some((
                n.as_str().to_ascii_lowercase(),
                v.to_str().ok()?.to_string(),
            ))
        })
        .collect();
    // An unknown connection answers as a bad credential does: names do not leak.
    let row = match service.host.mirror.connection(&name).await {
        Ok(Some(row)) => row,
        Ok(None) => return refused(&name, "no such connection"),
        Err(e) => {
            tracing::error!(connection = %name, "event: the mirror failed: {e}");
            return vendor_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "Try again later.",
                "the mirror is unavailable",
            );
        }
    };
    let live = match service.live(&row).await {
        Ok(live) => live,
        Err(e) => {
            tracing::error!(connection = %name, "event: the connection cannot run: {}", e.message);
            return vendor_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "Try again later.",
                "the connection cannot run",
            );
        }
    };
    let Some(verification) = live.connection.info().event_verification.clone() else {
        return refused(
            &name,
            "the connection takes no events (its connector declares no event verification)",
        );
    };
    let secrets = match resolve_secret_refs(&row.name, &row.secrets) {
        Ok(secrets) => secrets,
        Err(e) => return refused(&name, &format!("the event secret cannot be read: {e}")),
    };
    let Some(secret) = secrets.get(&verification.secret_setting) else {
        return refused(
            &name,
            &format!(
                "the connection has no `{}` secret",
                verification.secret_setting
            ),
        );
    };
    let username = verification
        .username_setting
        .as_ref()
        .and_then(|s| row.settings.get(s))
        .map(String::as_str);
    let credentials = EventCredentials { secret, username };
    let delivery = Delivery {
        headers: &headers,
        body: &body,
    };
    let verified = match verify_event(
        &verification,
        &credentials,
        &delivery,
        ats_features::unix_now(),
        REPLAY_WINDOW_SECONDS,
    ) {
        Ok(v) => v,
        Err(why) => return refused(&name, &why.to_string()),
    };
    let keys = DeliveryKeys {
        replay_key: &verified.replay_key,
        body_digest: &verified.body_digest,
    };
    let sighting = service
        .host
        .mirror
        .remember_delivery(
            &row.name,
            keys,
            DELIVERY_MEMORY_SECONDS,
            ats_features::unix_now(),
        )
        .await;
    match sighting {
        Ok(Sighting::Replayed) => {
            return refused(&name, "a replay of a delivery already received");
        }
        Ok(Sighting::Duplicate) => {
            tracing::info!(connection = %name, "event: a second delivery of one event, read once");
            return (
                StatusCode::OK,
                Json(json!({"accepted": 0, "duplicate": true})),
            )
                .into_response();
        }
        Ok(Sighting::New) => {}
        Err(e) => {
            tracing::error!(connection = %name, "event: cannot check it against earlier deliveries: {e}");
            return vendor_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "Try again later.",
                "the service cannot reach its database",
            );
        }
    }
    let forget = || async {
        if let Err(e) = service
            .host
            .mirror
            .forget_delivery_body(&row.name, &verified.body_digest)
            .await
        {
            tracing::warn!(connection = %name, "event: cannot forget a refused delivery: {e}");
        }
    };
    let text = match event_body_text(&headers, &body, MAX_EVENT_BYTES) {
        Ok(text) => text,
        Err(e) => {
            forget().await;
            return vendor_error(
                StatusCode::BAD_REQUEST,
                "The event could not be read.",
                &e.to_string(),
            );
        }
    };
    let refs = match live
        .connection
        .parse_event(IncomingEvent {
            headers: headers.clone(),
            body: text,
        })
        .await
    {
        Ok(refs) => refs,
        Err(e) => {
            forget().await;
            tracing::warn!(connection = %name, "event: the connector could not read it: {e}");
            return vendor_error(
                StatusCode::BAD_REQUEST,
                "The event could not be read.",
                &e.to_string(),
            );
        }
    };
    if refs.len() > MAX_REFS_PER_EVENT {
        forget().await;
        return vendor_error(
            StatusCode::BAD_REQUEST,
            "The event names too many records.",
            &format!(
                "{} records; at most {MAX_REFS_PER_EVENT} per event",
                refs.len()
            ),
        );
    }
    let accepted = refs.len();
    if let Err(e) = service.ask_reread(&row, refs).await {
        return vendor_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "Try again later.",
            &e.message,
        );
    }
    tracing::info!(connection = %name, records = accepted, "event accepted");
    (StatusCode::OK, Json(json!({"accepted": accepted}))).into_response()
}
