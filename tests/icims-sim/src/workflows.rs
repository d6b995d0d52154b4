//! Recruiting workflows (`applicantworkflows`, §4): the person–job link. One workflow per
//! pair; GET shape as captured (three `rel:"self"` links differing by title); status changes
//! bump `updateddate`.

use serde_json::{Map, Value, json};

use crate::config::CustomerConfig;
use crate::errors::{ApiError, ApiResult};
use crate::fields::*;
use crate::profiles::View;
use crate::record_type::RecordType;
use crate::store::{CustomerData, NONE, Span, Workflow, from_minutes};

pub const WORKFLOW_FIELDS: &[&str] = &[
    "baseprofile",
    "associatedprofile",
    "status",
    "source",
    "sourcename",
    "createddate",
    "updateddate",
];
pub const WORKFLOW_OTHER: &[&str] = &["acceptdeclinedate", "assessmentresults", "bin"];

pub fn workflow_field(v: &View, _id: u32, w: &Workflow, name: &str) -> Option<Value> {
    if let Some(x) = extra_get(&w.extra, name) {
        return Some(x.clone());
    }
    match name {
        "baseprofile" => {
            let j = v.d.jobs.get(w.job as u64)?;
            Some(json!({"id": w.job, "value": j.title, "profile": v.url(RecordType::Jobs, w.job)}))
        }
        "associatedprofile" => v.person_link(w.person),
        "status" => node_json(&v.cfg.statuses, w.status),
        "source" => (w.source != NONE)
            .then(|| v.cfg.sources.get(w.source as usize).map(|n| json!(n.value)))
            .flatten(),
        "sourcename" => (!w.sourcename.is_empty()).then(|| json!(v.d.arena.get(w.sourcename))),
        "createddate" => Some(json!(crate::dates::format_datetime(from_minutes(
            w.created
        )))),
        "updateddate" => Some(json!(crate::dates::format_datetime(from_minutes(
            w.updated
        )))),
        _ => None,
    }
}

pub fn workflow_links(v: &View, id: u32) -> Value {
    let (job, person) =
        v.d.workflows
            .get(id as u64)
            .map_or((0, 0), |w| (w.job, w.person));
    json!([
        {"rel": "self", "title": "The current profile being viewed.", "url": v.url(RecordType::Workflows, id)},
        {"rel": "self", "title": "The base profile of this workflow.", "url": v.url(RecordType::Jobs, job)},
        {"rel": "self", "title": "The associated profile of this workflow.", "url": v.url(RecordType::People, person)}
    ])
}

/// Builds a new workflow from a POST body (§4.1). Checks run in this order: required keys,
/// person/job existence (404 code 2), status id (400), duplicate pair (setting).
pub fn build_workflow(
    d: &mut CustomerData,
    cfg: &CustomerConfig,
    body: &Map<String, Value>,
    duplicate_status: u16,
    now_minutes: u32,
    warnings: &mut Vec<Warning>,
) -> ApiResult<Workflow> {
    let job = body
        .get("baseprofile")
        .filter(|v| !is_delete(v))
        .ok_or_else(|| ApiError::field_required("baseprofile"))?;
    let person = body
        .get("associatedprofile")
        .filter(|v| !is_delete(v))
        .ok_or_else(|| ApiError::field_required("associatedprofile"))?;
    let job = parse_ref(job)
        .filter(|id| d.jobs.get(*id).is_some())
        .ok_or_else(|| ApiError::not_found("Job"))? as u32;
    let person = parse_ref(person)
        .filter(|id| d.people.get(*id).is_some())
        .ok_or_else(|| ApiError::not_found("Person"))? as u32;
    let mut w = Workflow {
        job,
        person,
        status: if cfg.statuses.is_empty() { NONE } else { 0 },
        source: NONE,
        sourcename: Span::default(),
        created: now_minutes,
        updated: now_minutes,
        extra: None,
    };
    let rest: Map<String, Value> = body
        .iter()
        .filter(|(k, _)| *k != "baseprofile" && *k != "associatedprofile")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    apply_workflow(&mut w, d, cfg, &rest, warnings)?;
    if d.pairs.contains(&(person, job)) {
        return Err(ApiError::new(
            duplicate_status,
            crate::errors::FIELD_REQUIRED,
            "A recruiting workflow already exists for this person and job.",
        ));
    }
    Ok(w)
}

/// Applies a PATCH body (status, source, sourcename, custom fields).
pub fn apply_workflow(
    w: &mut Workflow,
    d: &mut CustomerData,
    cfg: &CustomerConfig,
    body: &Map<String, Value>,
    warnings: &mut Vec<Warning>,
) -> ApiResult<()> {
    const READ_ONLY: &[&str] = &[
        "id",
        "createddate",
        "updateddate",
        "links",
        "baseprofile",
        "associatedprofile",
    ];
    for (k, val, del) in writable_fields(body, READ_ONLY, warnings) {
        match k {
            "status" if del => return Err(ApiError::field_required(k)),
            "status" => w.status = parse_node(&cfg.statuses, k, val)?,
            "source" => {
                w.source = if del {
                    NONE
                } else {
                    parse_node(&cfg.sources, k, val)?
                }
            }
            "sourcename" => {
                w.sourcename = if del {
                    Span::default()
                } else {
                    d.arena.push(&parse_text(k, val)?)
                }
            }
            _ => extra_set(&mut w.extra, k, (!del).then(|| val.clone())),
        }
    }
    Ok(())
}
