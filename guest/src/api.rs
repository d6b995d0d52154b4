//! The one place requests go to iCIMS and answers are checked.
//!
//! The host authenticates every request bound for the API host (OAuth2 token or Basic), so
//! requests carry no `authorization` header; the connector never sees a secret.

use ats_connector_sdk::http::{self, Request, Response};
use ats_connector_sdk::{ConnectorError, ConnectorResult};
use serde_json::Value;

use crate::errors;
use crate::json::{Borrowed, JsonView};
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

    /// Sends requests with up to `max-in-flight` in flight and hands each checked answer (with
    /// its request's position) to `handle` as it arrives; results in request order.
    pub fn call_all<T>(
        &self,
        requests: Vec<Request>,
        permission: &str,
        handle: impl Fn(usize, ConnectorResult<Response>) -> T,
    ) -> Vec<T> {
        http::send_all_then(requests, self.settings.max_in_flight, |i, answer| {
            let checked = answer.and_then(|response| {
                errors::check(
                    response.status,
                    &response.headers,
                    &response.body,
                    permission,
                )?;
                Ok(response)
            });
            handle(i, checked)
        })
    }

    /// Sends `requests` like [`Api::call_all`] but hands `handle` the answers unchecked: for
    /// reads that check and parse each answer in one pass ([`AnswerText::parse_checked`]).
    pub fn send_all<T>(
        &self,
        requests: Vec<Request>,
        handle: impl Fn(usize, ConnectorResult<Response>) -> T,
    ) -> Vec<T> {
        http::send_all_then(requests, self.settings.max_in_flight, handle)
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
    /// A GET of one record asking for `fields` (see [`crate::fields::for_profile`]).
    pub fn record_request(&self, profile: ProfileType, id: &str, fields: &[String]) -> Request {
        json_request(Request::get(self.urls.record_fields(profile, id, fields)))
    }
}

/// The text of a JSON answer, kept as the record's `raw` and parsed from the string by
/// [`AnswerText::parse`] or [`AnswerText::parse_checked`]. An answer that is not UTF-8 JSON is
/// `transient` (a proxy or a truncated body), like [`Response::json`].
pub fn answer_text(response: Response) -> ConnectorResult<AnswerText> {
    let status = response.status;
    let text = String::from_utf8(response.body).map_err(|e| not_json(status, &e))?;
    Ok(AnswerText {
        status,
        headers: response.headers,
        text,
    })
}

/// A JSON answer's text; [`AnswerText::parse`] reads it.
pub struct AnswerText {
    status: u16,
    headers: Vec<(String, String)>,
    pub text: String,
}

impl AnswerText {
    pub fn parse<'a, J: serde::Deserialize<'a>>(&'a self) -> ConnectorResult<J> {
        serde_json::from_str(&self.text).map_err(|e| not_json(self.status, &e))
    }

    /// Parses the answer as borrowed JSON and checks it as [`errors::check`] does, reading the
    /// body once: a 2xx without `errors` (nearly every answer of a load) is parsed and returned;
    /// anything else gets the full check and its typed error.
    pub fn parse_checked(&self, permission: &str) -> ConnectorResult<Borrowed<'_>> {
        let check = || errors::check(self.status, &self.headers, self.text.as_bytes(), permission);
        if !(200..300).contains(&self.status) {
            check()?;
        }
        let body: Borrowed = self.parse()?;
        let listed = body
            .get("errors")
            .and_then(JsonView::as_array)
            .is_some_and(|errors| !errors.is_empty());
        if listed {
            check()?;
        }
        Ok(body)
    }
}

fn not_json(status: u16, e: &dyn std::fmt::Display) -> ConnectorError {
    ConnectorError::Transient(format!(
        "the ATS answered HTTP {status} with a body that is not valid JSON ({e})"
    ))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> AnswerText {
        answer_text(Response {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        })
        .expect("UTF-8")
    }

    /// The one-pass read agrees with checking first and parsing after.
    #[test]
    fn parse_checked_types_answers_like_the_full_check() {
        let cases = [
            (200, r#"{"firstname":"Ada","errors":[]}"#),
            (200, r#"{"errors":[{"errorMessage":"gone","errorCode":2}]}"#),
            (
                200,
                r#"{"errors":[{"errorMessage":"no","errorCode":7}],"firstname":"Ada"}"#,
            ),
            (404, r#"{"errors":[{"errorMessage":"gone","errorCode":2}]}"#),
            (500, r#"{"errors":[{"errorMessage":"boom","errorCode":0}]}"#),
            (403, "not json"),
            (200, "not json"),
            (200, r#"{"firstname":"Ada"}"#),
        ];
        for (status, body) in cases {
            let a = answer(status, body);
            let one_pass = a
                .parse_checked("people-get")
                .map(|b| b.get("firstname").is_some());
            let two_passes = errors::check(status, &a.headers, body.as_bytes(), "people-get")
                .and_then(|()| a.parse::<Borrowed>())
                .map(|b| b.get("firstname").is_some());
            assert_eq!(
                format!("{one_pass:?}"),
                format!("{two_passes:?}"),
                "HTTP {status} {body}"
            );
        }
        assert!(matches!(
            answer(200, r#"{"errors":[{"errorMessage":"gone","errorCode":2}]}"#)
                .parse_checked("people-get"),
            Err(ConnectorError::NotFound(_))
        ));
        assert!(
            answer(200, r#"{"firstname":"Ada"}"#)
                .parse_checked("people-get")
                .is_ok()
        );
    }
}
