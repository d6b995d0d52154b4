//! The iCIMS permissions the connector needs, and `check-connection`, which proves each one
//! with the cheapest call that changes nothing (all probes in flight together).
//!
//! | permission | probe | granted when |
//! | --- | --- | --- |
//! | `*-list` | search `<type>.id < 0` (matches nothing) | 2xx |
//! | `status-list` | workflow search on `applicantworkflow.status` (+ `id < 0`) | 2xx |
//! | `*-get`, `status-get` | `GET /<type>/0` (`?fields=status` for status-get) | 404 errorCode 2 |
//! | `*-add` | `POST /<type>` with `{}` | 400 errorCode 1 (field required) |
//! | `*-update`, `status-update` | `PATCH /<type>/0` with `{}` / a status | 404 errorCode 2 |
//! | `person-folders-list` | `GET /v2/lists/lists.person.folders` | 2xx |
//!
//! iCIMS answers a denied resource with 404 **errorCode 3** (not 403); that means missing.
//! Any other answer proves nothing and is reported `not-checkable` with what iCIMS said.

use ats_connector_sdk::http::{self, Request, Response};
use ats_connector_sdk::{
    ConnectionReport, ConnectorError, ConnectorResult, PermissionCheck, PermissionSpec,
    PermissionState,
};
use serde_json::json;

use crate::api::{self, Api};
use crate::errors::{self, BodyErrors, CODE_ACCESS_DENIED, CODE_FIELD_REQUIRED, CODE_NOT_FOUND};
use crate::profile::ProfileType;
use crate::search;
use crate::urls::Urls;

/// Every permission, with what it allows in iCIMS's words.
pub const PERMISSIONS: &[(&str, &str)] = &[
    (
        "jobs-list",
        "Search API: search job profiles (POST /search/jobs). The integration user must be in the Integration User group.",
    ),
    (
        "jobs-get",
        "Profiles API: read job profiles and their fields (GET /jobs/{id}).",
    ),
    (
        "workflows-list",
        "Search API: search recruiting workflows (POST /search/applicantworkflows).",
    ),
    (
        "workflows-add",
        "Workflows API: create a recruiting workflow linking a person to a job (POST /applicantworkflows).",
    ),
    (
        "workflows-update",
        "Workflows API: update recruiting workflow fields (PATCH /applicantworkflows/{id}).",
    ),
    (
        "workflows-get",
        "Workflows API: read recruiting workflows (GET /applicantworkflows/{id}).",
    ),
    (
        "people-add",
        "Profiles API: create person profiles (POST /people).",
    ),
    (
        "people-list",
        "Search API: search person profiles (POST /search/people).",
    ),
    (
        "people-update",
        "Profiles API: update person profile fields, including the resume file field (PATCH /people/{id}).",
    ),
    (
        "people-get",
        "Profiles API: read person profiles and download the resume (GET /people/{id}).",
    ),
    (
        "status-list",
        "Search API: search recruiting workflows by Status (filter applicantworkflow.status).",
    ),
    (
        "status-get",
        "Read the Status field of a recruiting workflow (Recruiting Workflow Bins and Statuses).",
    ),
    (
        "status-update",
        "Change the Status of a recruiting workflow (move the candidate to another bin/status).",
    ),
    (
        "person-folders-list",
        "List API: read the person folder list (GET /v2/lists/lists.person.folders).",
    ),
];

pub fn specs() -> Vec<PermissionSpec> {
    PERMISSIONS
        .iter()
        .map(|(id, description)| PermissionSpec {
            id: id.to_string(),
            description: description.to_string(),
        })
        .collect()
}

/// What answer proves a permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// A 2xx (search or list read).
    Success,
    /// 404 errorCode 2: the call was allowed, record 0 just does not exist.
    NotFound,
    /// 400 errorCode 1: the empty body was validated, so creating is allowed.
    FieldRequired,
}

/// One permission probe.
pub struct Probe {
    pub permission: &'static str,
    pub request: Request,
    pub expect: Expect,
}

/// The probes, one per permission, in [`PERMISSIONS`] order.
pub fn probes(urls: &Urls, staleness: Option<u32>, status_id: &str) -> Vec<Probe> {
    use ProfileType::{Job, Person, Workflow};
    let search = |p: ProfileType| {
        api::json_request(Request::post(urls.search(p, staleness)))
            .json(&search::matching_nothing(p))
    };
    let get = |p: ProfileType, field: &str| {
        api::json_request(Request::get(urls.record_fields(
            p,
            "0",
            &[field.to_string()],
        )))
    };
    let add =
        |p: ProfileType| api::json_request(Request::post(urls.collection(p))).json(&json!({}));
    let update =
        |p: ProfileType| api::json_request(Request::patch(urls.record(p, "0"))).json(&json!({}));
    let probe = |permission, request, expect| Probe {
        permission,
        request,
        expect,
    };
    vec![
        probe("jobs-list", search(Job), Expect::Success),
        probe("jobs-get", get(Job, "jobtitle"), Expect::NotFound),
        probe("workflows-list", search(Workflow), Expect::Success),
        probe("workflows-add", add(Workflow), Expect::FieldRequired),
        probe("workflows-update", update(Workflow), Expect::NotFound),
        probe(
            "workflows-get",
            get(Workflow, "baseprofile"),
            Expect::NotFound,
        ),
        probe("people-add", add(Person), Expect::FieldRequired),
        probe("people-list", search(Person), Expect::Success),
        probe("people-update", update(Person), Expect::NotFound),
        probe("people-get", get(Person, "firstname"), Expect::NotFound),
        probe(
            "status-list",
            api::json_request(Request::post(urls.search(Workflow, staleness)))
                .json(&search::workflows_in_status_matching_nothing(status_id)),
            Expect::Success,
        ),
        probe("status-get", get(Workflow, "status"), Expect::NotFound),
        probe(
            "status-update",
            api::json_request(Request::patch(urls.record(Workflow, "0")))
                .json(&crate::mapping::workflow::status_body(status_id)),
            Expect::NotFound,
        ),
        probe(
            "person-folders-list",
            api::json_request(Request::get(urls.list("lists.person.folders"))),
            Expect::Success,
        ),
    ]
}

/// What a probe's answer proves.
pub fn verdict(expect: Expect, response: &Response) -> (PermissionState, Option<String>) {
    let said = match errors::body_errors(&response.body) {
        BodyErrors::Errors(list) => list
            .iter()
            .map(|e| format!("{} (errorCode {})", e.message, e.code.unwrap_or(-1)))
            .collect::<Vec<_>>()
            .join("; "),
        _ => String::new(),
    };
    let codes: Vec<i64> = match errors::body_errors(&response.body) {
        BodyErrors::Errors(list) => list.iter().filter_map(|e| e.code).collect(),
        _ => Vec::new(),
    };
    let status = response.status;
    let detail = |text: &str| {
        Some(if said.is_empty() {
            format!("{text} (HTTP {status})")
        } else {
            format!("{text}: {said}")
        })
    };
    let quota = response.header(errors::REMAINING_HEADER).map(str::trim) == Some("0");
    if status == 429 || (status == 403 && quota) {
        return (
            PermissionState::NotCheckable,
            detail("iCIMS is rate-limiting this integration; check again later"),
        );
    }
    if codes.contains(&CODE_ACCESS_DENIED) || status == 403 {
        return (PermissionState::Missing, detail("iCIMS denied access"));
    }
    let success = (200..300).contains(&status) && codes.is_empty();
    let proven = match expect {
        Expect::Success => success,
        Expect::NotFound => success || (status == 404 && codes.contains(&CODE_NOT_FOUND)),
        Expect::FieldRequired => success || (status == 400 && codes.contains(&CODE_FIELD_REQUIRED)),
    };
    if proven {
        (PermissionState::Granted, None)
    } else {
        (
            PermissionState::NotCheckable,
            detail("the probe's answer neither proves nor disproves this permission"),
        )
    }
}

/// `check-connection`: the customer, then every permission.
pub fn check_connection() -> ConnectorResult<ConnectionReport> {
    let api = Api::load()?;
    let settings = &api.settings;
    let customer = http::send(api::json_request(Request::get(api.urls.customer())))?;
    match errors::check(
        customer.status,
        &customer.headers,
        &customer.body,
        "customer",
    ) {
        Ok(()) => {}
        Err(
            ConnectorError::NotFound(m)
            | ConnectorError::PermissionMissing(ats_connector_sdk::PermissionDenied {
                message: m,
                ..
            }),
        ) => {
            return Err(ats_connector_sdk::error::misconfigured(
                "customer-id",
                &format!(
                    "iCIMS does not know customer {} at {} ({m})",
                    settings.customer_id, settings.endpoints.api_base
                ),
            ));
        }
        Err(e) => return Err(e),
    }
    let body = customer.json()?;
    let account_name = body
        .get("name")
        .and_then(|v| v.as_str())
        .map(str::to_string);
    let customer_type = body
        .get("customerType")
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .or_else(|| customer.header("x-customer-type").map(str::to_string));
    let environment = match customer_type.as_deref() {
        Some(t) if t.eq_ignore_ascii_case("test") => Some("sandbox".to_string()),
        _ => settings.environment.clone().or(customer_type),
    };

    let status_id = settings
        .status_map
        .pairs()
        .next()
        .map_or("D10100", |(_, id)| id)
        .to_string();
    let probes = probes(&api.urls, settings.staleness_minutes, &status_id);
    let expectations: Vec<_> = probes.iter().map(|p| (p.permission, p.expect)).collect();
    let answers = http::send_all(
        probes.into_iter().map(|p| p.request).collect(),
        settings.max_in_flight,
    );
    let permissions = expectations
        .into_iter()
        .zip(answers)
        .map(|((permission, expect), answer)| {
            let (state, detail) = match answer {
                Ok(response) => verdict(expect, &response),
                Err(e) => (
                    PermissionState::NotCheckable,
                    Some(format!("the probe failed: {e:?}")),
                ),
            };
            PermissionCheck {
                permission: permission.to_string(),
                state,
                detail,
            }
        })
        .collect();
    Ok(ConnectionReport {
        account_name,
        environment,
        permissions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &str, headers: &[(&str, &str)]) -> Response {
        Response {
            status,
            headers: headers
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    fn err(code: i64) -> String {
        format!(r#"{{"errors":[{{"errorMessage":"m","errorCode":{code}}}]}}"#)
    }

    #[test]
    fn one_probe_per_permission_in_order() {
        let probes = probes(&Urls::new("http://sim", 1), Some(0), "D10100");
        let ids: Vec<_> = probes.iter().map(|p| p.permission).collect();
        let declared: Vec<_> = PERMISSIONS.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, declared);
        assert_eq!(ids.len(), 14);
        let status_list = &probes[10];
        assert_eq!(
            status_list.request.url,
            "http://sim/customers/1/search/applicantworkflows?staleness=0"
        );
        assert!(
            String::from_utf8_lossy(&status_list.request.body).contains("applicantworkflow.status")
        );
        assert_eq!(
            probes[11].request.url,
            "http://sim/customers/1/applicantworkflows/0?fields=status"
        );
        assert!(probes.iter().all(|p| {
            !p.request
                .headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case("authorization"))
        }));
    }

    #[test]
    fn verdicts() {
        use PermissionState::*;
        let v = |expect, status, body: &str| verdict(expect, &response(status, body, &[])).0;
        assert_eq!(v(Expect::Success, 200, r#"{"searchResults":[]}"#), Granted);
        assert_eq!(v(Expect::Success, 404, &err(3)), Missing);
        assert_eq!(v(Expect::NotFound, 404, &err(2)), Granted);
        assert_eq!(v(Expect::NotFound, 404, &err(3)), Missing);
        assert_eq!(v(Expect::FieldRequired, 400, &err(1)), Granted);
        assert_eq!(v(Expect::FieldRequired, 404, &err(3)), Missing);
        assert_eq!(v(Expect::FieldRequired, 500, ""), NotCheckable);
        assert_eq!(v(Expect::NotFound, 400, &err(1)), NotCheckable);
        assert_eq!(v(Expect::Success, 403, ""), Missing);
        let (state, detail) = verdict(
            Expect::Success,
            &response(429, "", &[("x-ratelimit-remaining", "0")]),
        );
        assert_eq!(state, NotCheckable);
        assert!(detail.unwrap().contains("rate-limiting"));
    }
}
