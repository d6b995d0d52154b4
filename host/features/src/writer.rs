//! The ATS writes (and the few reads) features need from a connection.

use ats_model::{
    Application, ApplicationInput, AttachmentUpload, Candidate, CandidateInput, ConnectorError,
    Job, MatchQuery, RejectResult, StatusTarget, WriteResult,
};
use std::future::Future;

/// The connector calls a feature makes. The host implements it for a wasm connection; tests
/// implement it with a fake that records calls.
///
/// The error type is the connector's [`ConnectorError`]. A host-side failure (the plugin
/// trapped, ran out of fuel or memory, the quota lane is spent) is reported as
/// `ConnectorError::Internal` or `ConnectorError::RateLimited` with a message saying so: features
/// only need to know whether a retry may help ([`ConnectorError::is_retryable`]), and one error
/// type keeps every feature's `?` simple.
///
/// Implementations should make `create_application` return the existing application when the
/// candidate already applied to the job (the contract asks connectors to), which is what makes
/// export retries safe after a timeout.
pub trait AtsWriter: Send + Sync {
    /// Candidates the ATS holds for any of the match keys (emails, phones, URLs, name).
    fn find_candidates(
        &self,
        query: MatchQuery,
    ) -> impl Future<Output = Result<Vec<Candidate>, ConnectorError>> + Send;

    fn get_candidate(
        &self,
        id: &str,
    ) -> impl Future<Output = Result<Candidate, ConnectorError>> + Send;

    fn get_application(
        &self,
        id: &str,
    ) -> impl Future<Output = Result<Application, ConnectorError>> + Send;

    fn get_job(&self, id: &str) -> impl Future<Output = Result<Job, ConnectorError>> + Send;

    fn create_candidate(
        &self,
        input: CandidateInput,
    ) -> impl Future<Output = Result<WriteResult, ConnectorError>> + Send;

    /// Writes the fields that are `Some`; a list is the whole list wanted (the ATS's entries,
    /// then additions, main first): the connector adds what the ATS lacks and erases nothing
    /// (see `candidate-input` in `wit/types.wit`).
    fn update_candidate(
        &self,
        id: &str,
        input: CandidateInput,
    ) -> impl Future<Output = Result<WriteResult, ConnectorError>> + Send;

    fn create_application(
        &self,
        input: ApplicationInput,
    ) -> impl Future<Output = Result<WriteResult, ConnectorError>> + Send;

    fn move_application(
        &self,
        id: &str,
        target: StatusTarget,
    ) -> impl Future<Output = Result<WriteResult, ConnectorError>> + Send;

    fn reject_application(
        &self,
        id: &str,
        reason: Option<String>,
    ) -> impl Future<Output = Result<RejectResult, ConnectorError>> + Send;

    fn upload_attachment(
        &self,
        candidate_id: &str,
        file: AttachmentUpload,
    ) -> impl Future<Output = Result<WriteResult, ConnectorError>> + Send;
}
