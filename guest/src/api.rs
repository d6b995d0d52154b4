//! The one place requests go to iCIMS and answers are checked.
//!
//! The host authenticates every request bound for the API host (OAuth2 token or Basic), so
//! requests carry no `authorization` header; the connector never sees a secret.

use ats_connector_sdk::http::{self, Request, Response};
use ats_connector_sdk::{ConnectorError, ConnectorResult};
use serde_json::Value;

use crate::errors;
use crate::fields;
use crate::profile::ProfileType;
use crate::search;
use crate::settings::Settings;
use crate::urls::Urls;

/// A request that wants JSON back.
pub fn json_request(request: Request) -> Request {
    request.header("accept", "application/json")
}

/// Settings and URLs of the connection.
pub struct Api {
    pub settings: Settings,
    pub urls: Urls,
}

impl Api {
    pub fn load() -> ConnectorResult<Api> {
        Ok(Api::new(Settings::load()?))
    }

    pub fn new(settings: Settings) -> Api {
        let urls = Urls::new(&settings.endpoints.api_base, settings.customer_id);
        Api { settings, urls }
    }

    /// Sends one request; any failure (status, `errors` body, quota) becomes a typed error.
    /// `permission` is the permission the operation needs, named if iCIMS denies it.
    pub fn call(&self, request: Request, permission: &str) -> ConnectorResult<Response> {
        let response = http::send(request)?;
        errors::check(
            response.status,
            &response.headers,
            &response.body,
            permission,
        )?;
        Ok(response)
    }

    /// Sends requests with up to `max-in-flight` in flight; answers in request order.
    pub fn call_all(
        &self,
        requests: Vec<Request>,
        permission: &str,
    ) -> Vec<ConnectorResult<Response>> {
        http::send_all(requests, self.settings.max_in_flight)
            .into_iter()
            .map(|answer| {
                let response = answer?;
                errors::check(
                    response.status,
                    &response.headers,
                    &response.body,
                    permission,
                )?;
                Ok(response)
            })
            .collect()
    }

    /// Runs a search and returns the ids, ascending.
    pub fn search(
        &self,
        profile: ProfileType,
        body: &Value,
        permission: &str,
    ) -> ConnectorResult<Vec<u64>> {
        let request = json_request(Request::post(
            self.urls.search(profile, self.settings.staleness_minutes),
        ))
        .json(body);
        let response = self.call(request, permission)?;
        search::result_ids(&response.json()?)
    }

    /// The GET of one record with its explicit `fields=` list.
    pub fn record_request(&self, profile: ProfileType, id: &str) -> Request {
        json_request(Request::get(self.urls.record_fields(
            profile,
            id,
            &fields::for_profile(profile, &self.settings.custom),
        )))
    }
}

/// The JSON of an answer and its text (kept as the record's `raw`).
pub fn json_and_text(response: &Response) -> ConnectorResult<(Value, String)> {
    Ok((response.json()?, response.text()))
}

/// The id of a record a create made: the last segment of `Location` (201 Created).
pub fn created_id(response: &Response, what: &str) -> ConnectorResult<String> {
    let location = response.header("location");
    location.and_then(crate::urls::trailing_id).ok_or_else(|| {
        ConnectorError::Internal(format!(
            "iCIMS answered HTTP {} to the {what} create without a usable Location header ({})",
            response.status,
            location.unwrap_or("none")
        ))
    })
}
