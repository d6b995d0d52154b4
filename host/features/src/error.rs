//! The one error type of the features boundary. The CLI and the service API match on it (an
//! input error is a 400, a connector error keeps its own advice), so it is typed.

use ats_mirror::MirrorError;
use ats_model::ConnectorError;

/// Why a feature call failed. Every message says what was wrong and what to do.
#[derive(Debug, thiserror::Error)]
pub enum FeatureError {
    /// The platform-side input is malformed or incomplete. Nothing was written.
    #[error(
        "invalid `{field}`: {message}; correct it and send the request again (nothing was written)"
    )]
    InvalidInput { field: String, message: String },

    /// The input is not valid JSON. Nothing was written.
    #[error(
        "malformed JSON at line {line}, column {column}: {message}; fix the document and send it again (nothing was written)"
    )]
    MalformedJson {
        line: usize,
        column: usize,
        message: String,
    },

    /// The job is neither in the mirror nor in the ATS. Nothing was written.
    #[error(
        "unknown job `{job_id}`: it is not in the mirror and the ATS does not know it; check the id (run a jobs sync if it is new)"
    )]
    UnknownJob { job_id: String },

    /// The status is not a generic stage nor a status id the mirror knows. Nothing was written.
    #[error(
        "unknown status `{status}`: use a stage ({stages}) or one of the ATS's status ids{known}"
    )]
    UnknownStatus {
        status: String,
        stages: String,
        /// `": A, B, …"`, or a hint to sync statuses when none are mirrored.
        known: String,
    },

    /// The candidate or application is not in the mirror (nor, where checked, in the ATS).
    #[error("unknown {kind} `{id}`: it is not in the mirror; check the id or sync first")]
    UnknownRecord { kind: &'static str, id: String },

    /// Another call with the same idempotency key is still running.
    #[error(
        "an export with idempotency key `{key}` is still in progress; retry in a minute with the same key"
    )]
    InProgress { key: String },

    /// The idempotency key was used before for a different profile or job.
    #[error(
        "idempotency key `{key}` was already used for a different request; use a new key for a new request"
    )]
    KeyReused { key: String },

    /// A connector write failed part-way through an export. Steps already done are recorded
    /// under the key, so a retry with the same key resumes instead of duplicating.
    #[error(
        "export `{key}` stopped at step `{step}`: {source}; {advice} Retry with the same idempotency key to resume (steps already done are not repeated)"
    )]
    Interrupted {
        key: String,
        step: &'static str,
        advice: &'static str,
        source: ConnectorError,
    },

    /// The connector (or the host running it) failed.
    #[error("the ATS connector failed: {0}; {advice}", advice = .0.advice())]
    Connector(#[from] ConnectorError),

    /// The mirror failed.
    #[error("the mirror failed: {0}")]
    Mirror(#[from] MirrorError),
}

impl FeatureError {
    pub(crate) fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        FeatureError::InvalidInput {
            field: field.into(),
            message: message.into(),
        }
    }

    /// True for errors in the caller's input (nothing was written).
    pub fn is_input_error(&self) -> bool {
        matches!(
            self,
            FeatureError::InvalidInput { .. }
                | FeatureError::MalformedJson { .. }
                | FeatureError::UnknownJob { .. }
                | FeatureError::UnknownStatus { .. }
                | FeatureError::UnknownRecord { .. }
                | FeatureError::KeyReused { .. }
        )
    }
}
