//! The guest-side SDK for `ats:connector` plugins.
//!
//! A connector is a type that implements [`Connector`] and is registered with
//! [`export_connector!`]. Every method but [`Connector::describe`] has a default that answers
//! `unsupported`, so a connector implements only what its ATS can do. The generated WIT bindings
//! stay behind this crate: connectors use the re-exported types and the small capability modules
//! ([`http`], [`config`], [`storage`], [`log`]).
//!
//! ```ignore
//! struct MyAts;
//! impl ats_connector_sdk::Connector for MyAts {
//!     fn describe() -> ConnectorInfo { /* ... */ }
//! }
//! ats_connector_sdk::export_connector!(MyAts);
//! ```

pub mod config;
pub mod error;
mod exchange;
pub mod http;
pub mod log;
mod stage;
pub mod storage;

#[doc(hidden)]
pub mod bindings {
    wit_bindgen::generate!({
        path: "../wit",
        world: "ats:connector/plugin",
        pub_export_macro: true,
        export_macro_name: "__export_plugin",
        default_bindings_module: "ats_connector_sdk::bindings",
        // Reuse the `wasip2` crate's WASI bindings (the ones `wstd` uses) instead of generating
        // a second, incompatible copy.
        with: {
            "wasi:http/types@0.2.12": wasip2::http::types,
            "wasi:http/outgoing-handler@0.2.12": wasip2::http::outgoing_handler,
            "wasi:io/error@0.2.12": wasip2::io::error,
            "wasi:io/poll@0.2.12": wasip2::io::poll,
            "wasi:io/streams@0.2.12": wasip2::io::streams,
            "wasi:clocks/monotonic-clock@0.2.12": wasip2::clocks::monotonic_clock,
            "wasi:config/store@0.2.0-rc.1": generate,
            "wasi:keyvalue/store@0.2.0-draft": generate,
            "wasi:logging/logging@0.1.0-draft": generate,
        },
    });
}

pub use bindings::exports::ats::connector::connector::{
    ApiKey, AuthScheme, ConnectionReport, ConnectorInfo, EventScheme, EventVerification, HttpBasic,
    Oauth2ClientCredentials, PermissionCheck, PermissionSpec, PermissionState, QuotaSpec,
    SettingSpec, SignatureEncoding, StreamSpec, WriteCapability,
};
pub use bindings::exports::ats::connector::types::*;
pub use error::{ConnectorResult, unsupported};

/// What a connector implements. Each method mirrors one export of the `connector` interface
/// (see `wit/connector.wit` for the full contract); defaults answer `unsupported`.
///
/// Methods are plain functions: the host creates a fresh instance for every call, so a
/// connector keeps nothing between calls except what it puts in [`storage`].
pub trait Connector {
    /// Describes the connector. Must succeed without settings and make no network calls.
    fn describe() -> ConnectorInfo;

    /// Verifies credentials and checks each declared permission.
    fn check_connection() -> ConnectorResult<ConnectionReport> {
        Err(unsupported("check-connection"))
    }

    /// Reads one page of `kind`.
    fn list_records(kind: RecordKind, request: ListRequest) -> ConnectorResult<Page> {
        let _ = request;
        Err(unsupported(&format!("list of {kind:?}")))
    }

    /// Lists all current ids of `kind`, page by page.
    fn list_ids(kind: RecordKind, cursor: Option<Cursor>) -> ConnectorResult<IdPage> {
        let _ = cursor;
        Err(unsupported(&format!("list-ids of {kind:?}")))
    }

    /// Reads one record.
    fn get(kind: RecordKind, id: String) -> ConnectorResult<AtsRecord> {
        let _ = id;
        Err(unsupported(&format!("get of {kind:?}")))
    }

    fn find_candidates(query: MatchQuery) -> ConnectorResult<Vec<Candidate>> {
        let _ = query;
        Err(unsupported("find-candidates"))
    }

    fn create_candidate(input: CandidateInput) -> ConnectorResult<WriteResult> {
        let _ = input;
        Err(unsupported("create-candidate"))
    }

    fn update_candidate(id: String, input: CandidateInput) -> ConnectorResult<WriteResult> {
        let _ = (id, input);
        Err(unsupported("update-candidate"))
    }

    fn create_application(input: ApplicationInput) -> ConnectorResult<WriteResult> {
        let _ = input;
        Err(unsupported("create-application"))
    }

    fn move_application(id: String, target: StatusTarget) -> ConnectorResult<WriteResult> {
        let _ = (id, target);
        Err(unsupported("move-application"))
    }

    fn reject_application(id: String, reason: Option<String>) -> ConnectorResult<RejectResult> {
        let _ = (id, reason);
        Err(unsupported("reject-application"))
    }

    fn upload_attachment(
        candidate_id: String,
        file: AttachmentUpload,
    ) -> ConnectorResult<WriteResult> {
        let _ = (candidate_id, file);
        Err(unsupported("upload-attachment"))
    }

    fn download_attachment(
        candidate_id: String,
        attachment_id: String,
    ) -> ConnectorResult<AttachmentFile> {
        let _ = (candidate_id, attachment_id);
        Err(unsupported("download-attachment"))
    }

    /// The text the ATS extracted from an attachment; `None` when it has none. Declare
    /// `WriteCapability::AttachmentText` in `describe` when you implement it.
    fn attachment_text(
        candidate_id: String,
        attachment_id: String,
    ) -> ConnectorResult<Option<String>> {
        let _ = (candidate_id, attachment_id);
        Err(unsupported("attachment-text"))
    }

    fn add_note(candidate_id: String, note: NoteInput) -> ConnectorResult<WriteResult> {
        let _ = (candidate_id, note);
        Err(unsupported("add-note"))
    }

    fn add_tag(candidate_id: String, tag: String) -> ConnectorResult<WriteResult> {
        let _ = (candidate_id, tag);
        Err(unsupported("add-tag"))
    }

    fn parse_event(event: IncomingEvent) -> ConnectorResult<Vec<RecordRef>> {
        let _ = event;
        Err(unsupported("parse-event"))
    }
}

/// Registers a [`Connector`] as the component's exports. Use it once, at the crate root.
#[macro_export]
macro_rules! export_connector {
    ($connector:ty) => {
        #[doc(hidden)]
        pub struct __AtsConnectorExports;

        impl $crate::bindings::exports::ats::connector::connector::Guest for __AtsConnectorExports {
            fn describe() -> $crate::ConnectorInfo {
                <$connector as $crate::Connector>::describe()
            }
            fn check_connection() -> $crate::ConnectorResult<$crate::ConnectionReport> {
                <$connector as $crate::Connector>::check_connection()
            }
            fn list_records(
                kind: $crate::RecordKind,
                request: $crate::ListRequest,
            ) -> $crate::ConnectorResult<$crate::Page> {
                <$connector as $crate::Connector>::list_records(kind, request)
            }
            fn list_ids(
                kind: $crate::RecordKind,
                cursor: Option<$crate::Cursor>,
            ) -> $crate::ConnectorResult<$crate::IdPage> {
                <$connector as $crate::Connector>::list_ids(kind, cursor)
            }
            fn get(
                kind: $crate::RecordKind,
                id: String,
            ) -> $crate::ConnectorResult<$crate::AtsRecord> {
                <$connector as $crate::Connector>::get(kind, id)
            }
            fn find_candidates(
                query: $crate::MatchQuery,
            ) -> $crate::ConnectorResult<Vec<$crate::Candidate>> {
                <$connector as $crate::Connector>::find_candidates(query)
            }
            fn create_candidate(
                input: $crate::CandidateInput,
            ) -> $crate::ConnectorResult<$crate::WriteResult> {
                <$connector as $crate::Connector>::create_candidate(input)
            }
            fn update_candidate(
                id: String,
                input: $crate::CandidateInput,
            ) -> $crate::ConnectorResult<$crate::WriteResult> {
                <$connector as $crate::Connector>::update_candidate(id, input)
            }
            fn create_application(
                input: $crate::ApplicationInput,
            ) -> $crate::ConnectorResult<$crate::WriteResult> {
                <$connector as $crate::Connector>::create_application(input)
            }
            fn move_application(
                id: String,
                target: $crate::StatusTarget,
            ) -> $crate::ConnectorResult<$crate::WriteResult> {
                <$connector as $crate::Connector>::move_application(id, target)
            }
            fn reject_application(
                id: String,
                reason: Option<String>,
            ) -> $crate::ConnectorResult<$crate::RejectResult> {
                <$connector as $crate::Connector>::reject_application(id, reason)
            }
            fn upload_attachment(
                candidate_id: String,
                file: $crate::AttachmentUpload,
            ) -> $crate::ConnectorResult<$crate::WriteResult> {
                <$connector as $crate::Connector>::upload_attachment(candidate_id, file)
            }
            fn download_attachment(
                candidate_id: String,
                attachment_id: String,
            ) -> $crate::ConnectorResult<$crate::AttachmentFile> {
                <$connector as $crate::Connector>::download_attachment(candidate_id, attachment_id)
            }
            fn attachment_text(
                candidate_id: String,
                attachment_id: String,
            ) -> $crate::ConnectorResult<Option<String>> {
                <$connector as $crate::Connector>::attachment_text(candidate_id, attachment_id)
            }
            fn add_note(
                candidate_id: String,
                note: $crate::NoteInput,
            ) -> $crate::ConnectorResult<$crate::WriteResult> {
                <$connector as $crate::Connector>::add_note(candidate_id, note)
            }
            fn add_tag(
                candidate_id: String,
                tag: String,
            ) -> $crate::ConnectorResult<$crate::WriteResult> {
                <$connector as $crate::Connector>::add_tag(candidate_id, tag)
            }
            fn parse_event(
                event: $crate::IncomingEvent,
            ) -> $crate::ConnectorResult<Vec<$crate::RecordRef>> {
                <$connector as $crate::Connector>::parse_event(event)
            }
        }

        $crate::bindings::__export_plugin!(__AtsConnectorExports with_types_in $crate::bindings);
    };
}
