//! The admin side door: JSON over HTTP on its own listener, kept apart from the iCIMS
//! surface. Each route calls the `SimState` method of the same name (see README).

use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use crate::errors::ApiError;
use crate::faults::{FaultKind, FaultScript};
use crate::record_type::RecordType;
use crate::reply::{Reply, Req};
use crate::state::{Inner, SimState};

#[derive(Deserialize)]
struct Advance {
    #[serde(default)]
    seconds: u64,
    #[serde(default)]
    minutes: u64,
}

#[derive(Deserialize)]
struct QuotaUsed {
    used: u64,
}

#[derive(Deserialize)]
struct StatusBody {
    id: String,
}

pub fn handle(inner: &Arc<Inner>, req: Req) -> Reply {
    let state = SimState {
        inner: inner.clone(),
    };
    match route(&state, &req) {
        Ok(r) => r,
        Err(e) => e.into(),
    }
}

fn body<T: serde::de::DeserializeOwned>(req: &Req) -> Result<T, ApiError> {
    serde_json::from_slice(&req.body)
        .map_err(|e| ApiError::bad_request(format!("Invalid JSON body: {e}")))
}

fn ok_json(v: impl serde::Serialize) -> Result<Reply, ApiError> {
    Ok(Reply::json(200, &v))
}

fn route(s: &SimState, req: &Req) -> Result<Reply, ApiError> {
    use http::Method as M;
    let segs: Vec<&str> = req
        .path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let m = &req.method;
    let num = |x: &str| {
        x.parse::<u64>()
            .map_err(|_| ApiError::bad_request(format!("not a number: {x}")))
    };
    let ty =
        |x: &str| RecordType::from_segment(x).ok_or_else(|| ApiError::not_found("Record type"));
    match segs.as_slice() {
        ["health"] => ok_json(json!({"ok": true})),
        ["credentials"] => ok_json(s.credentials()),
        ["counters"] if m == M::GET => ok_json(s.counters()),
        ["counters", "reset"] if m == M::POST => {
            s.reset_counters();
            Ok(Reply::empty(204))
        }
        ["clock"] if m == M::GET => ok_json(json!({"now": s.now(), "icims": s.now_icims()})),
        ["clock", "advance"] if m == M::POST => {
            let a: Advance = body(req)?;
            s.advance_clock(Duration::from_secs(
                a.seconds.saturating_add(a.minutes.saturating_mul(60)),
            ));
            ok_json(json!({"now": s.now(), "icims": s.now_icims()}))
        }
        ["faults"] if m == M::GET => {
            ok_json(json!({"pending": s.pending_faults(), "rates": s.fault_rates()}))
        }
        ["faults"] if m == M::POST => {
            let f: FaultScript = body(req)?;
            s.push_fault(f);
            Ok(Reply::empty(204))
        }
        ["faults"] if m == M::DELETE => {
            s.clear_faults();
            Ok(Reply::empty(204))
        }
        ["faults", "rates"] if m == M::PUT => {
            let r: BTreeMap<FaultKind, f64> = body(req)?;
            s.set_fault_rates(r);
            Ok(Reply::empty(204))
        }
        // Where workflow status changes are pushed, and how they are signed (see events.rs).
        ["events"] if m == M::PUT => {
            let config: crate::events::EventConfig = body(req)?;
            s.set_events(config);
            Ok(Reply::empty(204))
        }
        ["events"] if m == M::GET => {
            let sent: Vec<_> = s
                .events_sent()
                .into_iter()
                .map(|e| json!({"url": e.url, "answered": e.answered}))
                .collect();
            ok_json(json!({ "sent": sent }))
        }
        ["search-cache", "clear"] if m == M::POST => {
            s.clear_search_cache();
            Ok(Reply::empty(204))
        }
        ["customers", cid, "quota"] if m == M::GET => ok_json(s.quota(num(cid)?)?),
        ["customers", cid, "quota"] if m == M::PUT => {
            let q: QuotaUsed = body(req)?;
            s.set_quota_used(num(cid)?, q.used)?;
            ok_json(s.quota(num(cid)?)?)
        }
        ["customers", cid, "duplicates"] => ok_json(s.duplicate_groups(num(cid)?)?),
        ["customers", cid, "counts"] => ok_json(s.record_counts(num(cid)?)?),
        ["customers", cid, t] if m == M::GET => {
            let after = req
                .query_param("after")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let limit = req
                .query_param("limit")
                .and_then(|v| v.parse().ok())
                .unwrap_or(1000);
            ok_json(s.snapshots(num(cid)?, ty(t)?, after, limit)?)
        }
        ["customers", cid, t] if m == M::POST => {
            let fields: Map<String, Value> = body(req)?;
            let id = s.create_record(num(cid)?, ty(t)?, &fields)?;
            Ok(Reply::json(201, &json!({ "id": id })))
        }
        ["customers", cid, t, id] if m == M::GET => {
            ok_json(s.snapshot(num(cid)?, ty(t)?, num(id)?)?)
        }
        ["customers", cid, t, id] if m == M::PATCH => {
            let fields: Map<String, Value> = body(req)?;
            s.update_record(num(cid)?, ty(t)?, num(id)?, &fields)?;
            Ok(Reply::empty(204))
        }
        ["customers", cid, t, id] if m == M::DELETE => {
            s.delete_record(num(cid)?, ty(t)?, num(id)?)?;
            Ok(Reply::empty(204))
        }
        ["customers", cid, "applicantworkflows", id, "status"] if m == M::PUT => {
            let st: StatusBody = body(req)?;
            s.set_workflow_status(num(cid)?, num(id)?, &st.id)?;
            Ok(Reply::empty(204))
        }
        _ => Err(ApiError::new(404, 2, "No such admin endpoint.")),
    }
}
