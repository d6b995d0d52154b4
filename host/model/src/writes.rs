//! Inputs and outcomes of writes to an ATS. `None` in an input always means "leave unchanged".

use crate::{Address, AttachmentKind, Phone, ProfileUrl, Stage};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchQuery {
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub urls: Vec<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateInput {
    pub first_name: Option<String>,
    pub middle_name: Option<String>,
    pub last_name: Option<String>,
    pub emails: Option<Vec<String>>,
    pub phones: Option<Vec<Phone>>,
    pub addresses: Option<Vec<Address>>,
    pub urls: Option<Vec<ProfileUrl>>,
    pub current_title: Option<String>,
    pub current_company: Option<String>,
    pub folder_id: Option<String>,
    pub source: Option<String>,
    pub source_detail: Option<String>,
}

impl CandidateInput {
    /// True when the input would write nothing.
    pub fn is_empty(&self) -> bool {
        *self == CandidateInput::default()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StatusTarget {
    StatusId(String),
    Stage(Stage),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationInput {
    pub candidate_id: String,
    pub job_id: String,
    pub status: Option<StatusTarget>,
    pub source: Option<String>,
    pub source_detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentUpload {
    pub kind: AttachmentKind,
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentFile {
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub content: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteInput {
    pub body: String,
    pub author: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteResult {
    pub id: String,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectResult {
    pub write: WriteResult,
    pub reason_stored: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncomingEvent {
    pub headers: Vec<(String, String)>,
    pub body: String,
}
