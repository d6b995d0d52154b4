//! The record types the API serves, with their path segment and search-filter prefix.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordType {
    People,
    Jobs,
    Companies,
    #[serde(rename = "applicantworkflows")]
    Workflows,
}

impl RecordType {
    pub const ALL: [RecordType; 4] = [
        RecordType::People,
        RecordType::Jobs,
        RecordType::Companies,
        RecordType::Workflows,
    ];

    /// Path segment: `/customers/{cid}/<segment>/{id}` and `/search/<segment>`.
    pub fn segment(self) -> &'static str {
        match self {
            RecordType::People => "people",
            RecordType::Jobs => "jobs",
            RecordType::Companies => "companies",
            RecordType::Workflows => "applicantworkflows",
        }
    }

    /// Search filter prefix (`person.lastname`, `applicantworkflow.status`).
    pub fn filter_prefix(self) -> &'static str {
        match self {
            RecordType::People => "person",
            RecordType::Jobs => "job",
            RecordType::Companies => "company",
            RecordType::Workflows => "applicantworkflow",
        }
    }

    pub fn from_segment(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.segment() == s)
    }

    /// Noun used in "<X> not found." messages.
    pub fn noun(self) -> &'static str {
        match self {
            RecordType::People => "Person",
            RecordType::Jobs => "Job",
            RecordType::Companies => "Company",
            RecordType::Workflows => "Recruiting Workflow",
        }
    }
}
