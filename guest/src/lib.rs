//! The iCIMS connector: iCIMS's REST API mapped to the `ats:connector` contract.
//!
//! A map of the API for plugin authors (facts and confidence: `icims-api.md`):
//!
//! | what | iCIMS call | module |
//! | --- | --- | --- |
//! | list people/jobs/applications | `POST /search/{type}` (ids, ≤1,000, `id >` paging) + `GET /{type}/{id}?fields=…` each | [`reads`], [`search`], [`fields`] |
//! | statuses | none exists: `status-map` setting + names seen on workflows | [`mapping::lists`] |
//! | folders | `GET /v2/lists/lists.person.folders`, `lists.job.folders` | [`mapping::lists`] |
//! | create person / application | `POST /people`, `POST /applicantworkflows` → 201 + `Location` | [`writes`] |
//! | update person / move application | `PATCH` → 204 | [`writes`] |
//! | résumé | `PATCH|GET /people/{id}/fields/resume/binary` (multipart upload) | [`writes`], [`multipart`] |
//! | résumé text | `GET /people/{id}/fields/resume/text` (multipart answer; 404 = none) | [`resume_text`], [`multipart`] |
//! | connection check | `GET /customers/{cid}` + one harmless probe per permission | [`permissions`] |
//! | errors and quota | `{"errors":[…]}`, `x-ratelimit-*` | [`errors`] |
//! | push events | integration events JSON | [`events`] |
//!
//! The host authenticates every request (OAuth2 or Basic): this code never sees a secret.
//! Pure modules (everything but `api`, `reads`, `writes`, `permissions::check_connection`) are
//! unit-tested natively with `cargo test -p icims-connector`.

pub mod api;
pub mod cursor;
pub mod custom_fields;
pub mod dates;
pub mod describe;
pub mod errors;
pub mod events;
pub mod fields;
pub mod json;
pub mod mapping;
pub mod multipart;
pub mod permissions;
pub mod profile;
pub mod reads;
pub mod resume_text;
pub mod search;
pub mod settings;
pub mod urls;
pub mod writes;

use ats_connector_sdk::{
    ApplicationInput, AtsRecord, AttachmentFile, AttachmentUpload, Candidate, CandidateInput,
    ConnectionReport, ConnectorError, ConnectorInfo, ConnectorResult, Cursor, IdPage,
    IncomingEvent, ListRequest, MatchQuery, NoteInput, Page, RecordKind, RecordRef, RejectResult,
    StatusTarget, WriteResult, config,
};

/// The iCIMS connector.
pub struct Icims;

impl ats_connector_sdk::Connector for Icims {
    fn describe() -> ConnectorInfo {
        describe::info(&|key| config::get(key).ok().flatten())
    }

    fn check_connection() -> ConnectorResult<ConnectionReport> {
        permissions::check_connection()
    }

    fn list_records(kind: RecordKind, request: ListRequest) -> ConnectorResult<Page> {
        reads::list_records(kind, request)
    }

    fn list_ids(kind: RecordKind, cursor: Option<Cursor>) -> ConnectorResult<IdPage> {
        reads::list_ids(kind, cursor)
    }

    fn get(kind: RecordKind, id: String) -> ConnectorResult<AtsRecord> {
        reads::get(kind, id)
    }

    fn find_candidates(query: MatchQuery) -> ConnectorResult<Vec<Candidate>> {
        writes::find_candidates(query)
    }

    fn create_candidate(input: CandidateInput) -> ConnectorResult<WriteResult> {
        writes::create_candidate(input)
    }

    fn update_candidate(id: String, input: CandidateInput) -> ConnectorResult<WriteResult> {
        writes::update_candidate(id, input)
    }

    fn create_application(input: ApplicationInput) -> ConnectorResult<WriteResult> {
        writes::create_application(input)
    }

    fn move_application(id: String, target: StatusTarget) -> ConnectorResult<WriteResult> {
        writes::move_application(id, target)
    }

    fn reject_application(id: String, reason: Option<String>) -> ConnectorResult<RejectResult> {
        writes::reject_application(id, reason)
    }

    fn upload_attachment(
        candidate_id: String,
        file: AttachmentUpload,
    ) -> ConnectorResult<WriteResult> {
        writes::upload_attachment(candidate_id, file)
    }

    fn download_attachment(
        candidate_id: String,
        attachment_id: String,
    ) -> ConnectorResult<AttachmentFile> {
        writes::download_attachment(candidate_id, attachment_id)
    }

    fn attachment_text(
        candidate_id: String,
        attachment_id: String,
    ) -> ConnectorResult<Option<String>> {
        resume_text::attachment_text(candidate_id, attachment_id)
    }

    fn add_note(_candidate_id: String, _note: NoteInput) -> ConnectorResult<WriteResult> {
        Err(ConnectorError::Unsupported(
            "iCIMS's REST API has no endpoint for notes (the Notes tab exists only in the iCIMS UI); the host keeps notes itself".into(),
        ))
    }

    fn add_tag(_candidate_id: String, _tag: String) -> ConnectorResult<WriteResult> {
        Err(ConnectorError::Unsupported(
            "iCIMS's REST API has no tags for people; use a folder (`folder-id`) or let the host keep tags".into(),
        ))
    }

    fn parse_event(event: IncomingEvent) -> ConnectorResult<Vec<RecordRef>> {
        let settings = settings::Settings::load()?;
        events::records_to_reread(&event.body, settings.customer_id)
    }
}

// Exported only in the component: native builds (unit tests) link the crate as a plain library,
// and the component's export names (`ats:connector/connector@0.1.0#…`) are not valid there.
#[cfg(target_arch = "wasm32")]
ats_connector_sdk::export_connector!(Icims);
