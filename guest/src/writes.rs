//! Writes: find, create and update candidates; create, move and reject applications; the
//! résumé file. Inputs are validated before any request, so a bad input costs no quota.

use ats_connector_sdk::http::Request;
use ats_connector_sdk::{
    AtsRecord, AttachmentFile, AttachmentKind, AttachmentUpload, Candidate, CandidateInput,
    ConnectorError, ConnectorResult, MatchQuery, RejectResult, Stage, StatusTarget, WriteResult,
};
use serde_json::Value;

use crate::api::{self, Api};
use crate::mapping::{person, workflow};
use crate::multipart;
use crate::profile::ProfileType;
use crate::reads;
use crate::search;

/// At most this many matches are fetched for one `find-candidates` call.
const MAX_MATCHES: usize = 50;

/// Finds people by email (any of them, exact and case-insensitive), or — when no email is
/// given — by first and last name. iCIMS's `=` on text means "contains", so matches are
/// re-checked exactly after the GET. Phones and URLs are not searchable here (no documented
/// person filter for them); the host matches those against its mirror.
pub fn find_candidates(query: MatchQuery) -> ConnectorResult<Vec<Candidate>> {
    let emails: Vec<String> = query
        .emails
        .iter()
        .map(|e| e.trim().to_string())
        .filter(|e| !e.is_empty())
        .collect();
    let first = query
        .first_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let last = query
        .last_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let body = if !emails.is_empty() {
        search::people_by_email(&emails)
    } else if let (Some(first), Some(last)) = (first, last) {
        search::people_by_name(first, last)
    } else {
        return Ok(Vec::new());
    };
    let api = Api::load()?;
    let ids = api.search(ProfileType::Person, &body, "people-list")?;
    let ids: Vec<String> = ids.iter().take(MAX_MATCHES).map(u64::to_string).collect();
    let records = reads::fetch(&api, ProfileType::Person, &ids)?.records;
    let same = |a: &Option<String>, b: Option<&str>| {
        a.as_deref()
            .zip(b)
            .is_some_and(|(a, b)| a.eq_ignore_ascii_case(b))
    };
    Ok(records
        .into_iter()
        .filter_map(|r| match r {
            AtsRecord::Candidate(c) => Some(c),
            _ => None,
        })
        .filter(|c| {
            if emails.is_empty() {
                same(&c.first_name, first) && same(&c.last_name, last)
            } else {
                c.emails
                    .iter()
                    .any(|e| emails.iter().any(|q| q.eq_ignore_ascii_case(&e.address)))
            }
        })
        .collect())
}

/// `POST /people` → 201 + `Location`.
pub fn create_candidate(input: CandidateInput) -> ConnectorResult<WriteResult> {
    let api = Api::load()?;
    let write = person::create_body(&input, &api.settings)?;
    let request = api::json_request(Request::post(api.urls.collection(ProfileType::Person)))
        .json(&Value::Object(write.body));
    let response = api.call(request, "people-add")?;
    Ok(WriteResult {
        id: api::created_id(&response, "person")?,
        warnings: write.warnings,
    })
}

/// `PATCH /people/{id}` with only the values given (204). Phones and addresses are merged with
/// the person's current ones (one GET first) so the PATCH erases nothing.
pub fn update_candidate(id: String, input: CandidateInput) -> ConnectorResult<WriteResult> {
    let id = numeric_id(&id, "candidate id")?;
    let api = Api::load()?;
    let current = if person::update_needs_collections(&input) {
        let url = api.urls.record_fields(
            ProfileType::Person,
            &id,
            &["phones".into(), "addresses".into()],
        );
        Some(
            api.call(api::json_request(Request::get(url)), "people-get")?
                .json()?,
        )
    } else {
        None
    };
    let mut write = person::update_body(&input, current.as_ref(), &api.settings);
    if write.body.is_empty() {
        write
            .warnings
            .push("nothing to write: every value given is already in iCIMS or was empty".into());
        return Ok(WriteResult {
            id,
            warnings: write.warnings,
        });
    }
    let request = api::json_request(Request::patch(api.urls.record(ProfileType::Person, &id)))
        .json(&Value::Object(write.body));
    api.call(request, "people-update")?;
    Ok(WriteResult {
        id,
        warnings: write.warnings,
    })
}

/// Links a person to a job (`POST /applicantworkflows` → 201 + `Location`), unless a workflow
/// for the pair exists: then its id comes back with a warning and nothing is created.
pub fn create_application(
    input: ats_connector_sdk::ApplicationInput,
) -> ConnectorResult<WriteResult> {
    let person_id = numeric_id(&input.candidate_id, "candidate-id")?;
    let job_id = numeric_id(&input.job_id, "job-id")?;
    let api = Api::load()?;
    let settings = &api.settings;
    let status = match &input.status {
        Some(target) => Some(settings.status_map.resolve(target)?),
        None => settings.default_status_id.clone(),
    };
    let existing = api.search(
        ProfileType::Workflow,
        &search::workflow_of(&person_id, &job_id),
        "workflows-list",
    )?;
    if let Some(id) = existing.first() {
        return Ok(WriteResult {
            id: id.to_string(),
            warnings: vec![format!(
                "candidate {person_id} already has application {id} on job {job_id}; no second application was created"
            )],
        });
    }
    let source = input
        .source
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or(&settings.new_candidate_source);
    let source_name = input
        .source_detail
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .or(settings.source_name.as_deref());
    let body = workflow::create_body(
        job_id.parse().unwrap_or_default(),
        person_id.parse().unwrap_or_default(),
        status.as_deref(),
        source,
        source_name,
    );
    let request =
        api::json_request(Request::post(api.urls.collection(ProfileType::Workflow))).json(&body);
    let response = api.call(request, "workflows-add")?;
    let mut warnings = Vec::new();
    if status.is_none() {
        warnings.push("no initial status given or configured (`default-status-id`, `status-map` new=…): iCIMS chose its default".into());
    }
    Ok(WriteResult {
        id: api::created_id(&response, "workflow")?,
        warnings,
    })
}

/// `PATCH /applicantworkflows/{id}` `{"status":{"id":…}}` (204).
pub fn move_application(id: String, target: StatusTarget) -> ConnectorResult<WriteResult> {
    let id = numeric_id(&id, "application id")?;
    let api = Api::load()?;
    let status = api.settings.status_map.resolve(&target)?;
    let request = api::json_request(Request::patch(api.urls.record(ProfileType::Workflow, &id)))
        .json(&workflow::status_body(&status));
    api.call(request, "status-update")?;
    Ok(WriteResult {
        id,
        warnings: Vec::new(),
    })
}

/// Moves the application to the first `rejected` status of the map. iCIMS's API has no field
/// for a rejection reason, so the reason stays with the host.
pub fn reject_application(id: String, reason: Option<String>) -> ConnectorResult<RejectResult> {
    let mut write = move_application(id, StatusTarget::Stage(Stage::Rejected))?;
    if reason.is_some_and(|r| !r.trim().is_empty()) {
        write
            .warnings
            .push("iCIMS's API cannot store rejection reasons; the reason was not sent".into());
    }
    Ok(RejectResult {
        write,
        reason_stored: false,
    })
}

/// `PATCH /people/{id}/fields/resume/binary` as `multipart/form-data` (204). Only the résumé
/// has a file field every customer has.
pub fn upload_attachment(
    candidate_id: String,
    file: AttachmentUpload,
) -> ConnectorResult<WriteResult> {
    if file.kind != AttachmentKind::Resume {
        return Err(ConnectorError::Unsupported(
            "iCIMS's API stores one file per person in the `resume` field; other attachments (cover letters, other files) have no REST endpoint"
                .into(),
        ));
    }
    let id = numeric_id(&candidate_id, "candidate id")?;
    let api = Api::load()?;
    let boundary = multipart::boundary_for(&file.content);
    let body = multipart::form_data(
        &boundary,
        &file.file_name,
        &file.content_type,
        &file.content,
    );
    let request = Request::patch(api.urls.resume(&id))
        .body(body, &format!("multipart/form-data; boundary={boundary}"));
    api.call(request, "people-update")?;
    Ok(WriteResult {
        id: person::RESUME_ATTACHMENT.into(),
        warnings: Vec::new(),
    })
}

/// `GET /people/{id}/fields/resume/binary`: the file, or JSON when the person has none.
pub fn download_attachment(
    candidate_id: String,
    attachment_id: String,
) -> ConnectorResult<AttachmentFile> {
    if attachment_id != person::RESUME_ATTACHMENT {
        return Err(ConnectorError::NotFound(format!(
            "iCIMS candidates have only the `resume` attachment, not `{attachment_id}`"
        )));
    }
    let id = numeric_id(&candidate_id, "candidate id")?;
    let api = Api::load()?;
    let response = api.call(Request::get(api.urls.resume(&id)), "people-get")?;
    let content_type = response.header("content-type").map(str::to_string);
    if content_type
        .as_deref()
        .is_some_and(|t| t.to_ascii_lowercase().starts_with("application/json"))
    {
        return Err(ConnectorError::NotFound(format!(
            "candidate {id} has no resume in iCIMS"
        )));
    }
    Ok(AttachmentFile {
        file_name: response
            .header("content-disposition")
            .and_then(multipart::file_name),
        content_type,
        content: response.body,
    })
}

/// iCIMS ids are numbers; anything else would become a wrong URL.
pub(crate) fn numeric_id(id: &str, what: &str) -> ConnectorResult<String> {
    let id = id.trim();
    if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
        Ok(id.to_string())
    } else {
        Err(ConnectorError::InvalidInput(format!(
            "{what} `{id}` is not an iCIMS id (iCIMS ids are numbers)"
        )))
    }
}
