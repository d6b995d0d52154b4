//! The features' [`AtsWriter`] over a wasm connection (the host's own adapter is the features
//! CLI's business; this one maps errors the simplest way).

use ats_features::AtsWriter;
use ats_model::{
    Application, ApplicationInput, AtsRecord, AttachmentUpload, Candidate, CandidateInput,
    ConnectorError, Job, MatchQuery, RecordKind, RejectResult, StatusTarget, WriteResult,
};
use ats_runtime::{CallError, Connection};

pub struct PluginWriter(pub Connection);

fn err(e: CallError) -> ConnectorError {
    match e {
        CallError::Connector(e) => e,
        other => ConnectorError::Internal {
            message: other.to_string(),
        },
    }
}

fn wrong(kind: &str) -> ConnectorError {
    ConnectorError::Internal {
        message: format!("the connector answered a get of a {kind} with another kind"),
    }
}

impl AtsWriter for PluginWriter {
    async fn find_candidates(&self, query: MatchQuery) -> Result<Vec<Candidate>, ConnectorError> {
        self.0.find_candidates(query).await.map_err(err)
    }
    async fn get_candidate(&self, id: &str) -> Result<Candidate, ConnectorError> {
        match self.0.get(RecordKind::Candidate, id).await.map_err(err)? {
            AtsRecord::Candidate(c) => Ok(c),
            _ => Err(wrong("candidate")),
        }
    }
    async fn get_application(&self, id: &str) -> Result<Application, ConnectorError> {
        match self.0.get(RecordKind::Application, id).await.map_err(err)? {
            AtsRecord::Application(a) => Ok(a),
            _ => Err(wrong("application")),
        }
    }
    async fn get_job(&self, id: &str) -> Result<Job, ConnectorError> {
        match self.0.get(RecordKind::Job, id).await.map_err(err)? {
            AtsRecord::Job(j) => Ok(j),
            _ => Err(wrong("job")),
        }
    }
    async fn create_candidate(&self, input: CandidateInput) -> Result<WriteResult, ConnectorError> {
        self.0.create_candidate(input).await.map_err(err)
    }
    async fn update_candidate(
        &self,
        id: &str,
        input: CandidateInput,
    ) -> Result<WriteResult, ConnectorError> {
        self.0.update_candidate(id, input).await.map_err(err)
    }
    async fn create_application(
        &self,
        input: ApplicationInput,
    ) -> Result<WriteResult, ConnectorError> {
        self.0.create_application(input).await.map_err(err)
    }
    async fn move_application(
        &self,
        id: &str,
        target: StatusTarget,
    ) -> Result<WriteResult, ConnectorError> {
        self.0.move_application(id, target).await.map_err(err)
    }
    async fn reject_application(
        &self,
        id: &str,
        reason: Option<String>,
    ) -> Result<RejectResult, ConnectorError> {
        self.0.reject_application(id, reason).await.map_err(err)
    }
    async fn upload_attachment(
        &self,
        candidate_id: &str,
        file: AttachmentUpload,
    ) -> Result<WriteResult, ConnectorError> {
        self.0
            .upload_attachment(candidate_id, file)
            .await
            .map_err(err)
    }
}
