//! A connection as the host runs it: the plugin instance factory plus its quota meter. It is
//! the engine's [`RecordSource`] and the features' writer.

use ats_mirror::ConnectionRow;
use ats_model::{AtsRecord, IdPage, ListRequest, Page, RecordKind};
use ats_runtime::{CallError, Connection};
use ats_sync::{QuotaMeter, RecordSource, SourceError};
use std::sync::Arc;

/// A running connection.
#[derive(Clone)]
pub struct LiveConnection {
    pub connection: Connection,
    pub meter: Arc<QuotaMeter>,
    pub row: ConnectionRow,
}

impl LiveConnection {
    pub fn name(&self) -> &str {
        self.connection.name()
    }
}

/// A call error as the sync engine sees it.
pub fn source_error(error: CallError) -> SourceError {
    match error {
        CallError::Connector(e) => SourceError::Connector(e),
        // The same call would break the same bound again: retrying only spends time.
        fault @ (CallError::CpuTimeExceeded { .. }
        | CallError::StackOverflow { .. }
        | CallError::HostBound { .. }
        | CallError::OutOfMemory { .. }
        | CallError::ReturnedTooLarge { .. }
        | CallError::ReturnedInvalid { .. }) => SourceError::PluginFault(fault.to_string()),
        other => SourceError::Plugin(other.to_string()),
    }
}

impl RecordSource for LiveConnection {
    async fn list_records(
        &self,
        kind: RecordKind,
        request: ListRequest,
    ) -> Result<Page, SourceError> {
        self.connection
            .list_records(kind, request)
            .await
            .map_err(source_error)
    }

    async fn list_ids(
        &self,
        kind: RecordKind,
        cursor: Option<String>,
    ) -> Result<IdPage, SourceError> {
        self.connection
            .list_ids(kind, cursor)
            .await
            .map_err(source_error)
    }

    async fn get(&self, kind: RecordKind, id: &str) -> Result<AtsRecord, SourceError> {
        self.connection.get(kind, id).await.map_err(source_error)
    }

    async fn attachment_text(
        &self,
        candidate_id: &str,
        attachment_id: &str,
    ) -> Result<Option<String>, SourceError> {
        self.connection
            .attachment_text(candidate_id, attachment_id)
            .await
            .map_err(source_error)
    }
}
