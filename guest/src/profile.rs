//! The three iCIMS record types the connector reads, and their names in each part of the API.

use ats_connector_sdk::RecordKind;

/// A profile or workflow type: `people`, `jobs`, `applicantworkflows` (recruiting workflows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileType {
    Person,
    Job,
    Workflow,
}

impl ProfileType {
    /// The profile type behind a generic record kind, if any.
    pub fn of(kind: RecordKind) -> Option<Self> {
        match kind {
            RecordKind::Candidate => Some(ProfileType::Person),
            RecordKind::Job => Some(ProfileType::Job),
            RecordKind::Application => Some(ProfileType::Workflow),
            RecordKind::Status | RecordKind::Folder => None,
        }
    }

    /// Path segment in `/customers/{cid}/{path}` and `/search/{path}`.
    pub fn path(self) -> &'static str {
        match self {
            ProfileType::Person => "people",
            ProfileType::Job => "jobs",
            ProfileType::Workflow => "applicantworkflows",
        }
    }

    /// Prefix of search filter names (`person.id`, `job.updateddate`, `applicantworkflow.status`).
    pub fn filter_prefix(self) -> &'static str {
        match self {
            ProfileType::Person => "person",
            ProfileType::Job => "job",
            ProfileType::Workflow => "applicantworkflow",
        }
    }

    /// The permission a search of this type needs.
    pub fn list_permission(self) -> &'static str {
        match self {
            ProfileType::Person => "people-list",
            ProfileType::Job => "jobs-list",
            ProfileType::Workflow => "workflows-list",
        }
    }

    /// The permission a GET of this type needs.
    pub fn get_permission(self) -> &'static str {
        match self {
            ProfileType::Person => "people-get",
            ProfileType::Job => "jobs-get",
            ProfileType::Workflow => "workflows-get",
        }
    }
}
