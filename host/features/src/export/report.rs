//! What an export (or reply) did, for `--json` and for people.

use crate::dedupe::MatchRule;
use crate::profile::FieldChange;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PersonAction {
    /// No one matched: a new person was created.
    Created,
    /// An existing person matched and got the new or changed fields.
    Updated,
    /// An existing person matched and already had everything.
    Matched,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonOutcome {
    pub candidate_id: String,
    pub action: PersonAction,
    /// The ladder rule that found the existing person.
    pub matched_by: Option<MatchRule>,
    pub changed_fields: Vec<FieldChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResumeOutcome {
    pub file_name: String,
    /// The new attachment's id; `None` when skipped.
    pub attachment_id: Option<String>,
    pub skipped_because: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ApplicationAction {
    Created,
    /// The person had already applied to the job; nothing new was created.
    Existing,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationOutcome {
    pub application_id: String,
    pub job_id: String,
    pub action: ApplicationAction,
    /// The requested status, e.g. `stage screening`.
    pub status: Option<String>,
}

/// A person in the mirror who may be the same, stored as a suggested link for review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuggestedDuplicate {
    pub candidate_id: String,
    pub confidence: f64,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExportReport {
    pub idempotency_key: String,
    pub person: Option<PersonOutcome>,
    pub resume: Option<ResumeOutcome>,
    pub application: Option<ApplicationOutcome>,
    pub suggested_duplicates: Vec<SuggestedDuplicate>,
    pub warnings: Vec<String>,
    /// Answered from an earlier finished call with the same key; nothing was written now.
    pub replayed: bool,
    /// Continued an earlier interrupted call with the same key.
    pub resumed: bool,
}
