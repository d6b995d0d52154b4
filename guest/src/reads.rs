//! Reads: paged lists, id lists and single GETs.
//!
//! A page of people, jobs or workflows costs one search (≤1,000 ids) plus one GET per id, the
//! GETs sent `max-in-flight` at a time. Statuses and folders come from settings, a cache and the
//! List API.

use std::collections::BTreeMap;

use ats_connector_sdk::http::Response;
use ats_connector_sdk::{
    AtsRecord, ConnectorError, ConnectorResult, Cursor, FolderKind, IdPage, ListRequest, Page,
    RecordError, RecordKind, storage,
};
use serde_json::Value;

use crate::api::{self, Api};
use crate::cursor::ReadCursor;
use crate::fields;
use crate::mapping::{job, lists, person, workflow};
use crate::profile::ProfileType;
use crate::search::{self, PAGE_MAX};

/// Storage key of the status names seen on workflows (id → name).
pub const STATUS_NAMES_KEY: &str = "status-names";

pub fn list_records(kind: RecordKind, request: ListRequest) -> ConnectorResult<Page> {
    let api = Api::load()?;
    let Some(profile) = ProfileType::of(kind) else {
        let records = match kind {
            RecordKind::Status => statuses(&api)?,
            _ => folders(&api)?,
        };
        return Ok(Page {
            records,
            gone: Vec::new(),
            record_errors: Vec::new(),
            next_cursor: None,
        });
    };
    let cursor = match &request.cursor {
        Some(text) => ReadCursor::decode(text)?,
        None => ReadCursor::start(request.updated_since),
    };
    let limit = request
        .page_size_hint
        .map_or(PAGE_MAX, |hint| hint as usize);
    let ids = api.search(
        profile,
        &search::page_query(profile, &cursor),
        profile.list_permission(),
    )?;
    let (taken, next) = search::plan_page(&ids, limit, cursor);
    let ids: Vec<String> = taken.iter().map(u64::to_string).collect();
    let Fetched {
        records,
        gone,
        record_errors,
    } = fetch(&api, profile, &ids)?;
    Ok(Page {
        records,
        gone,
        record_errors,
        next_cursor: next.map(|c| c.encode()),
    })
}

pub fn list_ids(kind: RecordKind, cursor: Option<Cursor>) -> ConnectorResult<IdPage> {
    let api = Api::load()?;
    let profile = ProfileType::of(kind).ok_or_else(|| {
        ConnectorError::Unsupported(format!(
            "list-ids of {kind:?}: statuses and folders are read whole"
        ))
    })?;
    let cursor = match &cursor {
        Some(text) => ReadCursor::decode(text)?,
        None => ReadCursor::start(None),
    };
    let ids = api.search(
        profile,
        &search::page_query(profile, &cursor),
        profile.list_permission(),
    )?;
    let (taken, next) = search::plan_page(&ids, PAGE_MAX, cursor);
    Ok(IdPage {
        ids: taken.iter().map(u64::to_string).collect(),
        next_cursor: next.map(|c| c.encode()),
    })
}

pub fn get(kind: RecordKind, id: String) -> ConnectorResult<AtsRecord> {
    let api = Api::load()?;
    match ProfileType::of(kind) {
        Some(profile) => {
            let mut fetched = fetch(&api, profile, std::slice::from_ref(&id))?;
            if let Some(record) = fetched.records.pop() {
                return Ok(record);
            }
            // Still untranslatable: the host keeps its record error.
            if let Some(error) = fetched.record_errors.pop() {
                return Err(ConnectorError::Internal(format!(
                    "{} ({})",
                    error.reason, error.advice
                )));
            }
            Err(ConnectorError::NotFound(format!(
                "iCIMS has no {} {id}",
                profile.path()
            )))
        }
        None => {
            let records = if kind == RecordKind::Status {
                statuses(&api)?
            } else {
                folders(&api)?
            };
            records
                .into_iter()
                .find(|r| match r {
                    AtsRecord::Status(s) => s.id == id,
                    AtsRecord::Folder(f) => f.id == id,
                    _ => false,
                })
                .ok_or_else(|| ConnectorError::NotFound(format!("no {kind:?} with id {id}")))
        }
    }
}

/// Attempts per record GET within one page: a GET by id is idempotent, so a transient failure
/// (a reset, a 5xx, a truncated body) is retried here rather than failing the whole page, which
/// would cost the page's search and every other GET again.
const READ_ATTEMPTS: u32 = 3;

fn worth_retrying(error: &ConnectorError) -> bool {
    match error {
        ConnectorError::Transient(_) => true,
        ConnectorError::RateLimited(limit) => {
            limit.scope != ats_connector_sdk::RateLimitScope::Daily
        }
        _ => false,
    }
}

/// A record as mapped from its answer (or why it cannot be), with the status it names
/// (workflows only).
type Mapped = (Result<AtsRecord, RecordError>, Option<(String, String)>);

/// The records of a fetch, in id order, the ids gone since the search, and the records that
/// could not be translated.
pub struct Fetched {
    pub records: Vec<AtsRecord>,
    pub gone: Vec<String>,
    pub record_errors: Vec<RecordError>,
}

/// Maps one GET answer; runs as the answer arrives, while other requests are in flight.
fn map_answer(
    api: &Api,
    profile: ProfileType,
    id: &str,
    response: Response,
) -> ConnectorResult<Mapped> {
    let answer = api::answer_text(response)?;
    let raw = &answer.text;
    let settings = &api.settings;
    // Read through borrowed JSON (see `crate::json`), checked for errors in the same pass: most
    // of a load's time in the component went into building `Value` trees, and then into reading
    // each body twice.
    let body = answer.parse_checked(profile.get_permission())?;
    let custom_fields = crate::custom_fields::read(&body, settings.named.of(profile));
    let mut mapped = match profile {
        ProfileType::Person => (
            Ok(AtsRecord::Candidate(person::candidate(
                id,
                &body,
                raw,
                &settings.custom,
            ))),
            None,
        ),
        ProfileType::Job => (
            Ok(AtsRecord::Job(job::job(
                id,
                &body,
                raw,
                &settings.job_state_map,
            ))),
            None,
        ),
        ProfileType::Workflow => {
            let seen = workflow::status_seen(&body);
            let application = workflow::application(id, &body, raw, &settings.status_map);
            (application.map(AtsRecord::Application), seen)
        }
    };
    match &mut mapped.0 {
        Ok(AtsRecord::Candidate(c)) => c.custom_fields = custom_fields,
        Ok(AtsRecord::Job(j)) => j.custom_fields = custom_fields,
        Ok(AtsRecord::Application(a)) => a.custom_fields = custom_fields,
        _ => {}
    }
    Ok(mapped)
}

/// GETs records (in flight together) and maps them, in id order. Ids answering "not found"
/// (404 errorCode 2, deleted since the search) are returned as gone, answers that cannot be
/// translated as record errors; transient failures are retried (see [`READ_ATTEMPTS`]); any
/// other failure fails the call, so the host retries the page.
pub fn fetch(api: &Api, profile: ProfileType, ids: &[String]) -> ConnectorResult<Fetched> {
    let mut answers: Vec<Option<ConnectorResult<Mapped>>> = Vec::new();
    answers.resize_with(ids.len(), || None);
    let mut pending: Vec<usize> = (0..ids.len()).collect();
    let fields = fields::for_profile(profile, &api.settings.custom, &api.settings.named);
    for attempt in 0..READ_ATTEMPTS {
        if attempt > 0 {
            ats_connector_sdk::http::pause(std::time::Duration::from_millis(200 << attempt));
        }
        let requests = pending
            .iter()
            .map(|&i| api.record_request(profile, &ids[i], &fields))
            .collect();
        let results = api.send_all(requests, |n, answer| {
            answer.and_then(|response| map_answer(api, profile, &ids[pending[n]], response))
        });
        let mut again = Vec::new();
        for (&i, result) in pending.iter().zip(results) {
            match result {
                Err(e) if worth_retrying(&e) && attempt + 1 < READ_ATTEMPTS => again.push(i),
                other => answers[i] = Some(other),
            }
        }
        pending = again;
        if pending.is_empty() {
            break;
        }
    }
    let mut fetched = Fetched {
        records: Vec::with_capacity(ids.len()),
        gone: Vec::new(),
        record_errors: Vec::new(),
    };
    let mut statuses_seen = BTreeMap::new();
    for (id, answer) in ids.iter().zip(answers) {
        match answer.expect("every id is answered after the last attempt") {
            Ok((mapped, seen)) => {
                if let Some((status_id, name)) = seen {
                    statuses_seen.insert(status_id, name);
                }
                match mapped {
                    Ok(record) => fetched.records.push(record),
                    Err(error) => fetched.record_errors.push(error),
                }
            }
            Err(ConnectorError::NotFound(_)) => fetched.gone.push(id.clone()),
            Err(e) => return Err(e),
        }
    }
    remember_status_names(statuses_seen)?;
    Ok(fetched)
}

/// Adds status names seen on workflows to the cache that feeds the `statuses` stream.
fn remember_status_names(seen: BTreeMap<String, String>) -> ConnectorResult<()> {
    if seen.is_empty() {
        return Ok(());
    }
    let mut names: BTreeMap<String, String> =
        storage::get_json(STATUS_NAMES_KEY)?.unwrap_or_default();
    let before = names.clone();
    names.extend(seen);
    if names != before {
        storage::set_json(STATUS_NAMES_KEY, &names)?;
    }
    Ok(())
}

/// The `statuses` stream: the status map plus names seen on workflows. No request.
fn statuses(api: &Api) -> ConnectorResult<Vec<AtsRecord>> {
    let names: BTreeMap<String, String> = storage::get_json(STATUS_NAMES_KEY)?.unwrap_or_default();
    Ok(lists::statuses(&api.settings.status_map, &names)
        .into_iter()
        .map(AtsRecord::Status)
        .collect())
}

/// The `folders` stream: person and job folder lists, both requested at once.
fn folders(api: &Api) -> ConnectorResult<Vec<AtsRecord>> {
    let mut records = Vec::new();
    let sources = [
        (
            "lists.person.folders",
            FolderKind::Candidate,
            "person-folders-list",
        ),
        ("lists.job.folders", FolderKind::Job, "jobs-list"),
    ];
    let first = sources
        .iter()
        .map(|(list, _, _)| {
            api::json_request(ats_connector_sdk::http::Request::get(api.urls.list(list)))
        })
        .collect();
    let answers = ats_connector_sdk::http::send_all(first, 2);
    for ((_, kind, permission), answer) in sources.iter().zip(answers) {
        let mut response = answer?;
        // Follow `_links.next` should a list ever have more than one page of 1,000 nodes.
        for _ in 0..50 {
            crate::errors::check(
                response.status,
                &response.headers,
                &response.body,
                permission,
            )?;
            let body: Value = response.json()?;
            records.extend(
                lists::folders(&body, *kind)
                    .into_iter()
                    .map(AtsRecord::Folder),
            );
            let Some(next) = lists::next_page(&body) else {
                break;
            };
            response = ats_connector_sdk::http::send(api::json_request(
                ats_connector_sdk::http::Request::get(api.urls.resolve_link(next)),
            ))?;
        }
    }
    Ok(records)
}
