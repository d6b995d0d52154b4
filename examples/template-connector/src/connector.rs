//! The [`Connector`] impl: one method per export of `wit/connector.wit`, in the contract's order.

use crate::{api, mapping};
use ats_connector_sdk::http::{self, Request};
use ats_connector_sdk::{
    ApiKey, ApplicationInput, AtsRecord, AuthScheme, Candidate, CandidateInput, ConnectionReport,
    Connector, ConnectorError, ConnectorInfo, ConnectorResult, Cursor, IdPage, ListRequest,
    MatchQuery, Page, PermissionCheck, PermissionSpec, PermissionState, RecordError, RecordKind,
    RejectResult, SettingSpec, StatusTarget, StreamSpec, WriteCapability, WriteResult, config,
};
use serde_json::{Value, json};

/// The connector. It has no fields: every call runs in a fresh instance, so state lives in the
/// host (cursors) or in `ats_connector_sdk::storage` (caches).
pub struct TemplateConnector;

/// Permission ids, as the example ATS names them in its 403 answers.
const READS: [&str; 3] = ["candidates-read", "jobs-read", "applications-read"];
const WRITES: [&str; 2] = ["candidates-write", "applications-write"];

fn setting(key: &str, description: &str, required: bool, secret: bool) -> SettingSpec {
    SettingSpec {
        key: key.into(),
        description: description.into(),
        required,
        secret,
        default_value: None,
    }
}

fn stream(name: &str, kind: RecordKind, default_interval_seconds: u64) -> StreamSpec {
    StreamSpec {
        name: name.into(),
        kind,
        default_interval_seconds,
        // The ATS filters by `updated_since`, so every run after the first is incremental.
        incremental: true,
        // `GET /ids/{kind}` lists ids cheaply, so the host can detect deletes.
        lists_ids: true,
    }
}

impl Connector for TemplateConnector {
    /// Who we are, what we need and what we can do. No network; works without settings.
    fn describe() -> ConnectorInfo {
        // `api-hosts` is the allow-list: derived from `base-url`, so a connection can only reach
        // its own ATS. Without settings (describing a plugin before any connection) it is empty.
        let base_url = config::get("base-url").ok().flatten().unwrap_or_default();
        ConnectorInfo {
            id: "template".into(),
            name: "Template ATS".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "The example connector for the tiny example ATS (examples/template-ats)."
                .into(),
            settings: vec![
                setting(
                    "base-url",
                    "The ATS API's URL, e.g. https://api.example-ats.com",
                    true,
                    false,
                ),
                setting(
                    "api-key",
                    "The ATS API key (kept by the host, never shown to the plugin)",
                    true,
                    true,
                ),
            ],
            // The host sends `authorization: Bearer <api-key>` on every request to `api-hosts`.
            auth: AuthScheme::ApiKey(ApiKey {
                header: "authorization".into(),
                prefix: "Bearer ".into(),
                key_setting: "api-key".into(),
            }),
            api_hosts: api::host_of(&base_url).into_iter().collect(),
            permissions: READS
                .iter()
                .chain(WRITES.iter())
                .map(|id| PermissionSpec {
                    id: id.to_string(),
                    description: format!("API key scope `{id}`"),
                })
                .collect(),
            streams: vec![
                stream("candidates", RecordKind::Candidate, 3600),
                stream("jobs", RecordKind::Job, 6 * 3600),
                stream("applications", RecordKind::Application, 900),
            ],
            writes: vec![
                WriteCapability::FindCandidates,
                WriteCapability::CreateCandidate,
                WriteCapability::UpdateCandidate,
                WriteCapability::CreateApplication,
                WriteCapability::MoveApplication,
                WriteCapability::RejectApplication,
                // Always "no text" (see `attachment_text`): offered so that the conformance
                // suite checks the answer; the host asks only for listed résumés, of which this
                // ATS has none, so it costs nothing.
                WriteCapability::AttachmentText,
            ],
            quota: None,
            list_staleness_seconds: 0,
            timestamp_precision_seconds: 1,
            // This ATS pushes no events. One that does names how the host verifies them, e.g.
            // `Some(EventVerification { scheme: EventScheme::HmacSha256Body, header:
            // "signature".into(), prefix: "sha256 ".into(), secret_setting: "webhook-secret"
            // .into(), .. })` with `webhook-secret` declared as a secret setting, and implements
            // `parse-event`: the host checks the signature, the plugin never sees the key.
            event_verification: None,
        }
    }

    /// Proves the key works, then probes each read permission with a one-record list. The
    /// probes go out together with `http::send_all`; writes cannot be probed without writing.
    fn check_connection() -> ConnectorResult<ConnectionReport> {
        let mut requests = vec![Request::get(api::url("account", &[])?)];
        for permission in READS {
            let path = permission.trim_end_matches("-read");
            requests.push(Request::get(api::url(
                path,
                &[("limit", Some("1".into()))],
            )?));
        }
        let mut answers = http::send_all(requests, 4).into_iter();
        let account = answers.next().expect("one answer per request")?;
        api::check(&account)?; // 401 here: `unauthorized`, nothing else is worth checking
        let account = account.json()?;

        let mut permissions = Vec::new();
        for (permission, answer) in READS.iter().zip(answers) {
            let (state, detail) = match api::check(&answer?) {
                Ok(()) => (PermissionState::Granted, None),
                Err(ConnectorError::PermissionMissing(denied)) => {
                    (PermissionState::Missing, Some(denied.message))
                }
                Err(other) => return Err(other),
            };
            permissions.push(PermissionCheck {
                permission: permission.to_string(),
                state,
                detail,
            });
        }
        for permission in WRITES {
            permissions.push(PermissionCheck {
                permission: permission.into(),
                state: PermissionState::NotCheckable,
                detail: Some("the ATS has no read-only call that proves a write scope".into()),
            });
        }
        Ok(ConnectionReport {
            account_name: account["name"].as_str().map(str::to_string),
            environment: account["environment"].as_str().map(str::to_string),
            permissions,
        })
    }

    /// One page. This ATS pages with an opaque token, so our cursor *is* its token, passed back
    /// verbatim; resuming from any page's cursor continues right after that page. (iCIMS has no
    /// token; its connector builds its own cursor from the last id: `guest/src/cursor.rs`.)
    fn list_records(kind: RecordKind, request: ListRequest) -> ConnectorResult<Page> {
        let limit = request.page_size_hint.unwrap_or(100).clamp(1, 200);
        let url = api::url(
            mapping::path_of(kind)?,
            &[
                ("cursor", request.cursor),
                (
                    "updated_since",
                    request.updated_since.map(|t| t.to_string()),
                ),
                ("limit", Some(limit.to_string())),
            ],
        )?;
        let body = api::call(Request::get(url))?;
        let data = body["data"]
            .as_array()
            .ok_or_else(|| ConnectorError::Internal("the ATS sent a page without `data`".into()))?;
        let (mut records, mut record_errors) = (Vec::new(), Vec::new());
        for record in data {
            match mapping::record_from_json(kind, record) {
                Ok(mapped) => records.push(mapped),
                // One record the contract cannot carry (an application without its job, say)
                // is reported and the page goes on: a stream never stops for one record.
                Err(ConnectorError::Internal(reason)) => {
                    match record.get("id").and_then(mapping::id_of) {
                        Some(id) => record_errors.push(RecordError {
                            id,
                            reason,
                            advice: "check the record in the ATS, or the API key's field \
                                     permissions"
                                .into(),
                        }),
                        None => return Err(ConnectorError::Internal(reason)),
                    }
                }
                Err(e) => return Err(e),
            }
        }
        Ok(Page {
            records,
            // Records come whole in the list, so nothing can vanish between list and fetch.
            gone: vec![],
            record_errors,
            next_cursor: body["next_cursor"].as_str().map(str::to_string),
        })
    }

    /// Ids only, for the host's reconciliation of deletes.
    fn list_ids(kind: RecordKind, cursor: Option<Cursor>) -> ConnectorResult<IdPage> {
        let url = api::url(
            &format!("ids/{}", mapping::path_of(kind)?),
            &[("cursor", cursor)],
        )?;
        let body = api::call(Request::get(url))?;
        Ok(IdPage {
            ids: body["ids"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(mapping::id_of)
                .collect(),
            next_cursor: body["next_cursor"].as_str().map(str::to_string),
        })
    }

    /// One record. A 404 becomes `not-found` in `api::check`, so the host can mark it deleted.
    fn get(kind: RecordKind, id: String) -> ConnectorResult<AtsRecord> {
        let url = api::url(
            &format!("{}/{}", mapping::path_of(kind)?, api::encode(&id)),
            &[],
        )?;
        mapping::record_from_json(kind, &api::call(Request::get(url))?)
    }

    /// This ATS searches by email only; other keys are ignored, as the contract allows. One
    /// request per email, all in flight at once.
    fn find_candidates(query: MatchQuery) -> ConnectorResult<Vec<Candidate>> {
        let requests = query
            .emails
            .iter()
            .map(|email| {
                Ok(Request::get(api::url(
                    "candidates",
                    &[("email", Some(email.clone()))],
                )?))
            })
            .collect::<ConnectorResult<Vec<_>>>()?;
        let mut found: Vec<Candidate> = Vec::new();
        for answer in http::send_all(requests, 8) {
            let answer = answer?;
            api::check(&answer)?;
            for record in answer.json()?["data"].as_array().into_iter().flatten() {
                let record = mapping::record_from_json(RecordKind::Candidate, record)?;
                if let AtsRecord::Candidate(c) = record
                    && !found.iter().any(|f| f.id == c.id)
                {
                    found.push(c);
                }
            }
        }
        Ok(found)
    }

    fn create_candidate(input: CandidateInput) -> ConnectorResult<WriteResult> {
        let (body, warnings) = mapping::candidate_to_json(&input);
        let created = api::call(Request::post(api::url("candidates", &[])?).json(&body))?;
        written(&created, warnings)
    }

    fn update_candidate(id: String, input: CandidateInput) -> ConnectorResult<WriteResult> {
        let (body, warnings) = mapping::candidate_to_json(&input);
        let path = format!("candidates/{}", api::encode(&id));
        let updated = api::call(Request::patch(api::url(&path, &[])?).json(&body))?;
        written(&updated, warnings)
    }

    /// Idempotent, as the contract asks: a second application to the same job answers the
    /// existing one (the ATS says `409 already_applied` with its id) plus a warning.
    fn create_application(input: ApplicationInput) -> ConnectorResult<WriteResult> {
        let mut body = json!({
            "candidate_id": numeric_id("candidate-id", &input.candidate_id)?,
            "job_id": numeric_id("job-id", &input.job_id)?,
        });
        if let Some(target) = input.status {
            body["status"] = json!(status_id(target)?);
        }
        if let Some(source) = input.source {
            body["source"] = json!(source);
        }
        let mut warnings = Vec::new();
        if input.source_detail.is_some() {
            warnings.push("this ATS has no field for the source detail; it was not written".into());
        }
        let response = http::send(Request::post(api::url("applications", &[])?).json(&body))?;
        if response.status == 409 {
            let existing = response.json()?;
            if let Some(id) = existing.get("existing_id").and_then(mapping::id_of) {
                warnings.push(
                    "the candidate had already applied to this job; nothing was created".into(),
                );
                return Ok(WriteResult { id, warnings });
            }
        }
        api::check(&response)?;
        written(&response.json()?, warnings)
    }

    fn move_application(id: String, target: StatusTarget) -> ConnectorResult<WriteResult> {
        let body = json!({"status": status_id(target)?});
        let path = format!("applications/{}", api::encode(&id));
        written(
            &api::call(Request::patch(api::url(&path, &[])?).json(&body))?,
            vec![],
        )
    }

    /// This ATS has a field for the reason, so `reason-stored` is true; an ATS without one
    /// answers false and the host keeps the reason itself.
    fn reject_application(id: String, reason: Option<String>) -> ConnectorResult<RejectResult> {
        let body = json!({"status": "rejected", "rejection_reason": reason});
        let path = format!("applications/{}", api::encode(&id));
        let write = written(
            &api::call(Request::patch(api::url(&path, &[])?).json(&body))?,
            vec![],
        )?;
        Ok(RejectResult {
            write,
            reason_stored: true,
        })
    }

    /// The template ATS keeps no files (its candidates list no attachments), so no attachment
    /// has text: always `none`, with no request. An ATS that extracts text from résumés fetches
    /// it here (one request per attachment; see the iCIMS connector's `resume_text.rs`) and
    /// answers `none` when it has none.
    fn attachment_text(
        candidate_id: String,
        attachment_id: String,
    ) -> ConnectorResult<Option<String>> {
        let _ = (candidate_id, attachment_id);
        Ok(None)
    }

    // Not implemented, so the SDK's defaults answer `unsupported` with a clear message — the
    // right answer for an ATS without these APIs, and matching `describe().writes`:
    // `upload-attachment`, `download-attachment`, `add-note`, `add-tag`, `parse-event`.
}

/// The write result for a record the ATS sent back.
fn written(record: &Value, warnings: Vec<String>) -> ConnectorResult<WriteResult> {
    let id = record.get("id").and_then(mapping::id_of).ok_or_else(|| {
        ConnectorError::Internal("the ATS confirmed the write without the record's id".into())
    })?;
    Ok(WriteResult { id, warnings })
}

/// This ATS's ids are numbers; anything else cannot exist there.
fn numeric_id(field: &str, id: &str) -> ConnectorResult<u64> {
    id.parse().map_err(|_| {
        ConnectorError::InvalidInput(format!("`{field}` `{id}` is not an id of this ATS"))
    })
}

fn status_id(target: StatusTarget) -> ConnectorResult<String> {
    match target {
        StatusTarget::StatusId(id) if mapping::stage_of(&id).is_some() => Ok(id),
        StatusTarget::StatusId(id) => Err(ConnectorError::InvalidInput(format!(
            "unknown status `{id}`"
        ))),
        StatusTarget::Stage(stage) => Ok(mapping::status_of(stage)?.to_string()),
    }
}
