//! A live connection as the recruiter features' [`AtsWriter`]: each call runs in the quota's
//! interactive lane (a person is waiting for it), and host-side failures (trap, call timeout,
//! out of memory) become `ConnectorError::Internal` with the host's message, so features keep
//! one error type. Every request is admitted by, and counted in, the shared quota ledger.

use crate::live_connection::LiveConnection;
use ats_features::AtsWriter;
use ats_model::{
    Application, ApplicationInput, AttachmentUpload, Candidate, CandidateInput, ConnectorError,
    Job, MatchQuery, RejectResult, StatusTarget, TypedRecord, WriteResult,
};
use ats_runtime::CallError;
use ats_sync::Lane;
use ats_sync::lane_context::with_lane;
use std::future::Future;

/// A runtime call error as the features see it.
pub fn connector_error(error: CallError) -> ConnectorError {
    match error {
        CallError::Connector(e) => e,
        other => ConnectorError::Internal {
            message: other.to_string(),
        },
    }
}

impl LiveConnection {
    /// Runs `call` in the interactive lane and maps its error. (Whoever runs the feature
    /// flushes the meter when the feature ends: once per export, not once per call.)
    async fn interactive<T>(
        &self,
        call: impl Future<Output = Result<T, CallError>>,
    ) -> Result<T, ConnectorError> {
        with_lane(Lane::Interactive, call)
            .await
            .map_err(connector_error)
    }

    /// Reads one record of the asked type. (The runtime already refuses an answer of another
    /// kind or id; this keeps the type system honest without a panic.)
    async fn get_typed<T: TypedRecord>(&self, id: &str) -> Result<T, ConnectorError> {
        let record = self.interactive(self.connection.get(T::KIND, id)).await?;
        let found = record.kind();
        T::from_record(record).ok_or_else(|| ConnectorError::Internal {
            message: format!(
                "asked for {} `{id}`, the connector answered with a {found}",
                T::KIND
            ),
        })
    }
}

impl AtsWriter for LiveConnection {
    async fn find_candidates(&self, query: MatchQuery) -> Result<Vec<Candidate>, ConnectorError> {
        self.interactive(self.connection.find_candidates(query))
            .await
    }

    async fn get_candidate(&self, id: &str) -> Result<Candidate, ConnectorError> {
        self.get_typed(id).await
    }

    async fn get_application(&self, id: &str) -> Result<Application, ConnectorError> {
        self.get_typed(id).await
    }

    async fn get_job(&self, id: &str) -> Result<Job, ConnectorError> {
        self.get_typed(id).await
    }

    async fn create_candidate(&self, input: CandidateInput) -> Result<WriteResult, ConnectorError> {
        self.interactive(self.connection.create_candidate(input))
            .await
    }

    async fn update_candidate(
        &self,
        id: &str,
        input: CandidateInput,
    ) -> Result<WriteResult, ConnectorError> {
        self.interactive(self.connection.update_candidate(id, input))
            .await
    }

    async fn create_application(
        &self,
        input: ApplicationInput,
    ) -> Result<WriteResult, ConnectorError> {
        self.interactive(self.connection.create_application(input))
            .await
    }

    async fn move_application(
        &self,
        id: &str,
        target: StatusTarget,
    ) -> Result<WriteResult, ConnectorError> {
        self.interactive(self.connection.move_application(id, target))
            .await
    }

    async fn reject_application(
        &self,
        id: &str,
        reason: Option<String>,
    ) -> Result<RejectResult, ConnectorError> {
        self.interactive(self.connection.reject_application(id, reason))
            .await
    }

    async fn upload_attachment(
        &self,
        candidate_id: &str,
        file: AttachmentUpload,
    ) -> Result<WriteResult, ConnectorError> {
        self.interactive(self.connection.upload_attachment(candidate_id, file))
            .await
    }
}
