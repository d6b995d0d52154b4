//! The iCIMS surface: routing of `/customers/{cid}/...` and the login host, in the order a
//! request is processed: count → latency → route → fault → auth → customer → quota →
//! permission → body validation → record lookup → handler. Every answer carries the headers
//! captured from real iCIMS responses (§12).

use serde_json::{Map, Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::config::Permission;
use crate::counters::Endpoint;
use crate::errors::{ApiError, ApiResult};
use crate::faults::FaultKind;
use crate::fields::{Selection, Warning};
use crate::profiles;
use crate::quota::QuotaSnapshot;
use crate::record_type::RecordType;
use crate::reply::{Outcome, Reply, Req};
use crate::state::{Customer, Inner};

/// A parsed API path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    CustomerProbe,
    Search(RecordType),
    Collection(RecordType),
    Record(RecordType, u64),
    Binary {
        ty: RecordType,
        id: u64,
        field: String,
        text: bool,
    },
    ListNames,
    List(String),
    /// A path under a customer that the simulator does not serve.
    Unknown,
}

/// `(customer id, route)`; `None` when the path is not under `/customers/{numeric id}`.
pub fn route(path: &str) -> Option<(u64, Route)> {
    let mut segs = path.trim_end_matches('/').split('/').skip(1);
    if segs.next()? != "customers" {
        return None;
    }
    let cid: u64 = segs.next()?.parse().ok()?;
    let rest: Vec<&str> = segs.collect();
    let id = |s: &str| s.parse::<u64>().ok();
    let r = match rest.as_slice() {
        [] => Route::CustomerProbe,
        ["v2", "lists"] => Route::ListNames,
        ["v2", "lists", name] => Route::List(name.to_string()),
        ["search", t] => RecordType::from_segment(t).map_or(Route::Unknown, Route::Search),
        [t] => RecordType::from_segment(t).map_or(Route::Unknown, Route::Collection),
        [t, i] => match (RecordType::from_segment(t), id(i)) {
            (Some(t), Some(i)) => Route::Record(t, i),
            (Some(t), None) => Route::Record(t, 0),
            _ => Route::Unknown,
        },
        [t, i, "fields", f, kind @ ("binary" | "text")] => {
            match (RecordType::from_segment(t), id(i)) {
                (Some(ty), Some(id)) => Route::Binary {
                    ty,
                    id,
                    field: f.to_string(),
                    text: *kind == "text",
                },
                _ => Route::Unknown,
            }
        }
        _ => Route::Unknown,
    };
    Some((cid, r))
}

fn endpoint_of(method: &http::Method, r: Option<&Route>) -> Endpoint {
    use http::Method as M;
    match r {
        None | Some(Route::Unknown) => Endpoint::Other,
        Some(Route::CustomerProbe) => Endpoint::Customer,
        Some(Route::Search(t)) => Endpoint::Search(*t),
        Some(Route::Collection(t)) if method == M::POST => Endpoint::Create(*t),
        Some(Route::Record(t, _)) if method == M::GET => Endpoint::Get(*t),
        Some(Route::Record(t, _)) if method == M::PATCH => Endpoint::Patch(*t),
        Some(Route::Record(t, _)) if method == M::DELETE => Endpoint::Delete(*t),
        Some(Route::Binary { text: true, .. }) => Endpoint::Text,
        Some(Route::Binary { .. }) => Endpoint::Binary,
        Some(Route::ListNames | Route::List(_)) => Endpoint::Lists,
        Some(_) => Endpoint::Other,
    }
}

static TXN: AtomicU64 = AtomicU64::new(1);

/// `x-transaction: {GUID}`-like value, unique per response.
fn transaction_id() -> String {
    let n = TXN.fetch_add(1, Ordering::Relaxed);
    let mut r = crate::generator::rng::SplitMix64::new(n);
    let (a, b) = (r.next_u64(), r.next_u64());
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | (b >> 48) & 0x3fff,
        b & 0xffff_ffff_ffff
    )
}

fn common_headers(r: Reply) -> Reply {
    r.header("x-transaction", transaction_id())
        .header("strict-transport-security", "max-age=7776000")
        .header("x-content-type-options", "nosniff")
        .header("x-frame-options", "SAMEORIGIN")
        .header("content-language", "en-US,us")
        .header("cache-control", "no-cache,no-store,must-revalidate")
}

fn quota_headers(r: Reply, q: &QuotaSnapshot) -> Reply {
    r.header("x-ratelimit-limit", q.limit.to_string())
        .header("x-ratelimit-remaining", q.remaining.to_string())
        .header("x-ratelimit-reset", q.reset_secs.to_string())
}

async fn latency(inner: &Inner) {
    if inner.cfg.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(inner.cfg.latency_ms)).await;
    }
}

/// Applies a drawn fault. `real` produces the genuine answer (only `truncated` needs it).
fn fault_outcome(inner: &Inner, f: FaultKind, real: impl FnOnce() -> Reply) -> Outcome {
    let err = |status: u16, code, msg: &str| {
        let mut e = ApiError::new(status, code, msg);
        if let (429 | 503, Some(secs)) = (status, inner.cfg.faults.retry_after_secs) {
            e = e.with_header("retry-after", secs.to_string());
        }
        Outcome::Reply(common_headers(Reply::from(e)))
    };
    match f {
        FaultKind::TooManyRequests => err(429, 429, "Too many requests; retry later."),
        FaultKind::InternalError => err(500, 0, "An internal error occurred."),
        FaultKind::Unavailable => err(503, 0, "Service temporarily unavailable."),
        FaultKind::Reset => Outcome::Reset,
        FaultKind::Timeout => {
            Outcome::Hold(Duration::from_millis(inner.cfg.faults.timeout_hold_ms))
        }
        FaultKind::Truncated => Outcome::Truncated(real()),
        FaultKind::Malformed => Outcome::Reply(common_headers(Reply::new(
            200,
            crate::reply::JSON,
            "<html><body><h1>Service Unavailable</h1>",
        ))),
    }
}

/// API host entry point.
pub async fn handle(inner: &Arc<Inner>, req: Req) -> Outcome {
    inner.counters.request();
    let started = inner.request_log.start();
    latency(inner).await;
    let routed = route(&req.path);
    let endpoint = endpoint_of(&req.method, routed.as_ref().map(|(_, r)| r));
    let customer = routed.as_ref().map(|(cid, _)| *cid);
    let log = |inner: &Inner| {
        if let Some(cid) = customer {
            let auth = req.header("authorization");
            inner
                .request_log
                .record(started, cid, endpoint.label(), auth);
        }
    };
    if let Some(f) = inner.faults.draw(endpoint.label(), &req.path) {
        inner.counters.faulted();
        let outcome = fault_outcome(inner, f, || answer(inner, &req, routed.clone()));
        log(inner);
        return outcome;
    }
    inner.counters.endpoint(endpoint);
    let reply = answer(inner, &req, routed);
    log(inner);
    Outcome::Reply(reply)
}

fn answer(inner: &Inner, req: &Req, routed: Option<(u64, Route)>) -> Reply {
    let Some((cid, route)) = routed else {
        return common_headers(ApiError::new(404, 2, "Resource not found.").into());
    };
    if let Err(e) = inner
        .auth
        .check(req.header("authorization"), inner.clock.now_secs())
    {
        return common_headers(e.into());
    }
    let cust = match inner.customer(cid) {
        Ok(c) => c.clone(),
        Err(e) => return common_headers(e.into()),
    };
    cust.requests.fetch_add(1, Ordering::Relaxed);
    let now = inner.clock.now_secs();
    let qcfg = &inner.cfg.quota;
    let snap = {
        let mut meter = cust.quota.lock().unwrap_or_else(|e| e.into_inner());
        if qcfg.enabled {
            match meter.consume(qcfg, now) {
                Ok(s) => s,
                Err(s) => {
                    let mut e = ApiError::new(
                        qcfg.exhausted_status,
                        qcfg.exhausted_error_code,
                        "The daily limit of API requests for this integration has been reached.",
                    );
                    if qcfg.retry_after {
                        e = e.with_header("retry-after", s.reset_secs.to_string());
                    }
                    return quota_headers(common_headers(e.into()), &s);
                }
            }
        } else {
            meter.peek(qcfg, now)
        }
    };
    let reply = match dispatch(inner, &cust, req, &route) {
        Ok(r) => r,
        Err(e) => e.into(),
    };
    quota_headers(common_headers(reply), &snap)
}

fn dispatch(inner: &Inner, cust: &Customer, req: &Req, route: &Route) -> ApiResult<Reply> {
    use http::Method as M;
    let m = &req.method;
    match route {
        Route::CustomerProbe if m == M::GET => Ok(probe(inner, cust)),
        Route::Search(ty) if m == M::GET || m == M::POST => {
            crate::search::handler::handle(inner, cust, *ty, req)
        }
        Route::Collection(ty) if m == M::POST => create(inner, cust, *ty, req),
        Route::Record(ty, id) if m == M::GET => get(inner, cust, *ty, *id, req),
        Route::Record(ty, id) if m == M::PATCH => patch(inner, cust, *ty, *id, req),
        Route::Binary {
            ty,
            id,
            field,
            text,
        } => crate::files::handle(inner, cust, *ty, *id, field, *text, req),
        Route::ListNames if m == M::GET => Ok(crate::lists::names()),
        Route::List(name) if m == M::GET => crate::lists::list(inner, cust, name, req),
        Route::Unknown => Err(ApiError::new(404, 2, "Resource not found.")),
        _ => Err(ApiError::not_supported()),
    }
}

fn probe(inner: &Inner, cust: &Customer) -> Reply {
    let c = &cust.cfg;
    let base = format!("{}/customers/{}", inner.api_base, c.id);
    let link = format!(
        "<{base}/jobs>;rel=\"profiles\";title=\"Available Job Profiles\", \
         <{base}/people>;rel=\"profiles\";title=\"Available Person Profiles\", \
         <{base}/companies>;rel=\"profiles\";title=\"Available Company Profiles\", \
         <{base}/applicantworkflows>;rel=\"profiles\";title=\"Available Recruiting Workflow Profiles\", \
         <{base}/forms>;rel=\"forms\";title=\"Available Forms\""
    );
    Reply::json(
        200,
        &json!({
            "platformUrl": format!("https://sim-{}.icims.com", c.id),
            "id": c.id,
            "customerType": c.customer_type,
            "name": c.name,
            "buildVersion": concat!("icims-sim-", env!("CARGO_PKG_VERSION")),
        }),
    )
    .header("link", link)
    .header("x-customer-type", &c.customer_type)
}

/// Permission needed to read / create / update a type (companies need none).
fn perm(ty: RecordType, op: char) -> Option<Permission> {
    use Permission::*;
    Some(match (ty, op) {
        (RecordType::People, 'r') => PeopleGet,
        (RecordType::People, 'c') => PeopleAdd,
        (RecordType::People, 'u') => PeopleUpdate,
        (RecordType::People, 'l') => PeopleList,
        (RecordType::Jobs, 'r') => JobsGet,
        (RecordType::Jobs, 'l') => JobsList,
        (RecordType::Workflows, 'r') => WorkflowsGet,
        (RecordType::Workflows, 'c') => WorkflowsAdd,
        (RecordType::Workflows, 'u') => WorkflowsUpdate,
        (RecordType::Workflows, 'l') => WorkflowsList,
        _ => return None,
    })
}

pub fn require(cust: &Customer, ty: RecordType, op: char) -> ApiResult<()> {
    match perm(ty, op) {
        Some(p) => cust.allows(p),
        None => Ok(()),
    }
}

/// JSON object body; an empty body counts as `{}` (so permission probes need no payload).
pub fn json_body(req: &Req) -> ApiResult<Map<String, Value>> {
    if req.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(&req.body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(ApiError::invalid_json()),
    }
}

fn with_warnings(mut r: Reply, warnings: &[Warning]) -> Reply {
    for w in warnings {
        r = r.header("x-warning", w.header());
    }
    r
}

fn get(inner: &Inner, cust: &Customer, ty: RecordType, id: u64, req: &Req) -> ApiResult<Reply> {
    require(cust, ty, 'r')?;
    let fields = req.query_param("fields");
    let sel = Selection::from_query(fields.as_deref());
    // Reading a workflow's status is its own permission (status-get): asking for it explicitly
    // is refused; a default read silently omits it (hidden fields are absent, §2.4).
    let status_hidden = ty == RecordType::Workflows && cust.allows(Permission::StatusGet).is_err();
    if status_hidden && matches!(&sel, Selection::Named(n) if n.contains(&"status")) {
        return Err(ApiError::access_denied());
    }
    let d = cust.read();
    let v = inner.view(cust, &d);
    let (mut map, warnings) = profiles::render(
        &v,
        ty,
        id,
        &sel,
        inner.cfg.profiles.default_fields.for_type(ty),
    )
    .ok_or_else(|| ApiError::not_found(ty.noun()))?;
    drop(d);
    if status_hidden {
        map.remove("status");
    }
    hide_fields(&cust.hidden_fields(), ty, id, &mut map);
    if !warnings.is_empty() {
        map.insert(
            "warnings".into(),
            Value::Array(warnings.iter().map(Warning::json).collect()),
        );
    }
    Ok(with_warnings(
        Reply::json(200, &Value::Object(map)),
        &warnings,
    ))
}

/// Removes what the integration user may not see (`CustomerConfig::hidden_fields`). A hidden
/// workflow person or job takes its link along: the answer then names neither.
fn hide_fields(
    rules: &[crate::config::HiddenFields],
    ty: RecordType,
    id: u64,
    map: &mut Map<String, Value>,
) {
    for rule in rules.iter().filter(|r| r.applies(ty, id)) {
        for field in &rule.fields {
            map.remove(field);
            let linked = match field.as_str() {
                "associatedprofile" if ty == RecordType::Workflows => "/people/",
                "baseprofile" if ty == RecordType::Workflows => "/jobs/",
                _ => continue,
            };
            if let Some(Value::Array(links)) = map.get_mut("links") {
                links.retain(|l| !l["url"].as_str().is_some_and(|u| u.contains(linked)));
            }
        }
    }
}

fn create(inner: &Inner, cust: &Customer, ty: RecordType, req: &Req) -> ApiResult<Reply> {
    require(cust, ty, 'c')?;
    let body = json_body(req)?;
    let mut warnings = Vec::new();
    let id = inner.create(cust, ty, &body, &mut warnings)?;
    let location = format!(
        "{}/customers/{}/{}/{}",
        inner.api_base,
        cust.cfg.id,
        ty.segment(),
        id
    );
    let r = Reply::empty(201)
        .header("content-type", "application/octet-stream")
        .header("location", location);
    Ok(with_warnings(r, &warnings))
}

fn patch(inner: &Inner, cust: &Customer, ty: RecordType, id: u64, req: &Req) -> ApiResult<Reply> {
    require(cust, ty, 'u')?;
    let body = json_body(req)?;
    if ty == RecordType::Workflows && body.contains_key("status") {
        cust.allows(Permission::StatusUpdate)?;
    }
    let mut warnings = Vec::new();
    inner.patch(cust, ty, id, &body, &mut warnings)?;
    let location = format!(
        "{}/customers/{}/{}/{}",
        inner.api_base,
        cust.cfg.id,
        ty.segment(),
        id
    );
    Ok(with_warnings(
        Reply::empty(204).header("location", location),
        &warnings,
    ))
}

/// Login host: `POST /oauth/token` only.
pub async fn handle_login(inner: &Arc<Inner>, req: Req) -> Outcome {
    inner.counters.request();
    latency(inner).await;
    let is_token = req.path.trim_end_matches('/') == "/oauth/token";
    let endpoint = if is_token {
        Endpoint::Token
    } else {
        Endpoint::Other
    };
    let answer = |inner: &Inner, req: &Req| -> Reply {
        let r = if !is_token {
            Reply::from(ApiError::new(404, 2, "Resource not found."))
        } else if req.method != http::Method::POST {
            Reply::from(ApiError::not_supported())
        } else {
            match inner.auth.issue(&req.body, inner.clock.now_secs()) {
                Ok(t) => Reply::json(200, &t),
                Err(e) => e.into(),
            }
        };
        common_headers(r)
    };
    if let Some(f) = inner.faults.draw(endpoint.label(), &req.path) {
        inner.counters.faulted();
        return fault_outcome(inner, f, || answer(inner, &req));
    }
    inner.counters.endpoint(endpoint);
    Outcome::Reply(answer(inner, &req))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_paths() {
        assert_eq!(route("/customers/1234"), Some((1234, Route::CustomerProbe)));
        assert_eq!(
            route("/customers/1/search/people"),
            Some((1, Route::Search(RecordType::People)))
        );
        assert_eq!(
            route("/customers/1/applicantworkflows/77"),
            Some((1, Route::Record(RecordType::Workflows, 77)))
        );
        assert_eq!(
            route("/customers/1/people/5/fields/resume/text"),
            Some((
                1,
                Route::Binary {
                    ty: RecordType::People,
                    id: 5,
                    field: "resume".into(),
                    text: true
                }
            ))
        );
        assert_eq!(route("/customers/x/people"), None);
        assert_eq!(route("/other"), None);
        assert_eq!(route("/customers/1/nope/1/2/3"), Some((1, Route::Unknown)));
    }

    #[test]
    fn transaction_ids_are_unique_and_guid_shaped() {
        let a = transaction_id();
        let b = transaction_id();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(a.matches('-').count(), 4);
    }
}
