//! A live connection as the recruiter features' [`AtsWriter`]: each call runs in the quota's
//! interactive lane (a person is waiting for it), and host-side failures (trap, call timeout,
//! out of memory) become `ConnectorError::Internal` with the host's message, so features keep
//! one error type. Every request is admitted by, and counted in, the shared quota ledger.

use crate::live_connection::LiveConnection;
use ats_features::AtsWriter;
use ats_model::{
    Application, ApplicationInput, AtsRecord, AttachmentUpload, Candidate, CandidateInput,
    ConnectorError, Job, MatchQuery, RecordKind, RejectResult, StatusTarget, WriteResult,
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

/// Runs `call` in the interactive lane and maps its error.
async fn interactive<T>(
    call: impl Future<Output = Result<T, CallError>>,
) -> Result<T, ConnectorError> {
    with_lane(Lane::Interactive, call)
        .await
        .map_err(connector_error)
}

impl LiveConnection {
    /// Reads one record and checks it is of the kind asked for.
    async fn get_record(&self, kind: RecordKind, id: &str) -> Result<AtsRecord, ConnectorError> {
        let record = interactive(self.connection.get(kind, id)).await?;
        if record.kind() != kind {
            return Err(ConnectorError::Internal {
                message: format!(
                    "asked for {kind} `{id}`, the connector answered with a {}",
                    record.kind()
                ),
            });
        }
        Ok(record)
    }
}

impl AtsWriter for LiveConnection {
    async fn find_candidates(&self, query: MatchQuery) -> Result<Vec<Candidate>, ConnectorError> {
        interactive(self.connection.find_candidates(query)).await
    }

    async fn get_candidate(&self, id: &str) -> Result<Candidate, ConnectorError> {
        match self.get_record(RecordKind::Candidate, id).await? {
            AtsRecord::Candidate(c) => Ok(c),
            _ => unreachable!("kind checked by get_record"),
        }
    }

    async fn get_application(&self, id: &str) -> Result<Application, ConnectorError> {
        match self.get_record(RecordKind::Application, id).await? {
            AtsRecord::Application(a) => Ok(a),
            _ => unreachable!("kind checked by get_record"),
        }
    }

    async fn get_job(&self, id: &str) -> Result<Job, ConnectorError> {
        match self.get_record(RecordKind::Job, id).await? {
            AtsRecord::Job(j) => Ok(j),
            _ => unreachable!("kind checked by get_record"),
        }
    }

    async fn create_candidate(&self, input: CandidateInput) -> Result<WriteResult, ConnectorError> {
        interactive(self.connection.create_candidate(input)).await
    }

    async fn update_candidate(
        &self,
        id: &str,
        input: CandidateInput,
    ) -> Result<WriteResult, ConnectorError> {
        interactive(self.connection.update_candidate(id, input)).await
    }

    async fn create_application(
        &self,
        input: ApplicationInput,
    ) -> Result<WriteResult, ConnectorError> {
        interactive(self.connection.create_application(input)).await
    }

    async fn move_application(
        &self,
        id: &str,
        target: StatusTarget,
    ) -> Result<WriteResult, ConnectorError> {
        interactive(self.connection.move_application(id, target)).await
    }

    async fn reject_application(
        &self,
        id: &str,
        reason: Option<String>,
    ) -> Result<RejectResult, ConnectorError> {
        interactive(self.connection.reject_application(id, reason)).await
    }

    async fn upload_attachment(
        &self,
        candidate_id: &str,
        file: AttachmentUpload,
    ) -> Result<WriteResult, ConnectorError> {
        interactive(self.connection.upload_attachment(candidate_id, file)).await
    }
}
