//! Records read from an ATS.

use serde::{Deserialize, Serialize};

/// Whole seconds since the Unix epoch, UTC.
pub type Timestamp = i64;

/// The kinds of record a connector reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecordKind {
    Candidate,
    Job,
    Application,
    Status,
    Folder,
}

impl RecordKind {
    pub const ALL: [RecordKind; 5] = [
        RecordKind::Candidate,
        RecordKind::Job,
        RecordKind::Application,
        RecordKind::Status,
        RecordKind::Folder,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Candidate => "candidate",
            RecordKind::Job => "job",
            RecordKind::Application => "application",
            RecordKind::Status => "status",
            RecordKind::Folder => "folder",
        }
    }

    pub fn parse(text: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

impl std::fmt::Display for RecordKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The generic stage of an application; its names are written once, in `ats-vocab`.
pub use ats_vocab::Stage;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedRef {
    pub id: String,
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email {
    pub address: String,
    pub kind: Option<String>,
    pub primary: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone {
    pub number: String,
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub street: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UrlKind {
    Linkedin,
    Github,
    Website,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileUrl {
    pub url: String,
    pub kind: UrlKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AttachmentKind {
    Resume,
    CoverLetter,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentInfo {
    pub id: String,
    pub kind: AttachmentKind,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
}

/// One position in a candidate's work history.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkExperience {
    pub title: Option<String>,
    pub employer: Option<String>,
    pub started_at: Option<Timestamp>,
    /// `None` for the current position.
    pub ended_at: Option<Timestamp>,
    pub description: Option<String>,
}

/// One entry of a candidate's education.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Education {
    pub school: Option<String>,
    pub degree: Option<String>,
    pub field: Option<String>,
    pub ended_at: Option<Timestamp>,
}

/// One value of a customer's own field (the contract's `custom-field`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CustomField {
    pub name: String,
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub id: String,
    pub first_name: Option<String>,
    pub middle_name: Option<String>,
    pub last_name: Option<String>,
    pub emails: Vec<Email>,
    pub phones: Vec<Phone>,
    pub addresses: Vec<Address>,
    pub urls: Vec<ProfileUrl>,
    pub current_title: Option<String>,
    pub current_company: Option<String>,
    pub skills: Vec<String>,
    /// Work history, newest first. Absent in records mirrored before it was mapped.
    #[serde(default)]
    pub experience: Vec<WorkExperience>,
    #[serde(default)]
    pub education: Vec<Education>,
    pub folder: Option<NamedRef>,
    pub source: Option<String>,
    pub source_detail: Option<String>,
    pub tags: Vec<String>,
    pub attachments: Vec<AttachmentInfo>,
    /// Left out of the stored JSON when empty, so records without any keep their content hash.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom_fields: Vec<CustomField>,
    pub created_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    pub raw: Option<String>,
}

impl Candidate {
    /// "First Last", from whichever parts are present.
    pub fn display_name(&self) -> String {
        [&self.first_name, &self.last_name]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum JobState {
    Open,
    Closed,
    Draft,
    OnHold,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub id: String,
    pub requisition_number: Option<String>,
    pub title: Option<String>,
    pub state: Option<JobState>,
    pub folder: Option<NamedRef>,
    pub description: Option<String>,
    /// What the job requires, when the ATS keeps it apart from the description.
    #[serde(default)]
    pub qualifications: Option<String>,
    pub location: Option<String>,
    /// `location` in parts, when the connector can tell them apart.
    #[serde(default)]
    pub address: Option<Address>,
    pub department: Option<String>,
    pub hiring_manager: Option<NamedRef>,
    pub recruiter: Option<NamedRef>,
    pub openings: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom_fields: Vec<CustomField>,
    pub created_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    pub raw: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    pub id: String,
    pub candidate_id: String,
    pub job_id: String,
    pub status: Option<NamedRef>,
    pub stage: Option<Stage>,
    pub source: Option<String>,
    pub source_detail: Option<String>,
    pub applied_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom_fields: Vec<CustomField>,
    pub updated_at: Option<Timestamp>,
    pub raw: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    pub id: String,
    pub name: Option<String>,
    pub stage: Option<Stage>,
    pub raw: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FolderKind {
    Candidate,
    Job,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Folder {
    pub id: String,
    pub name: Option<String>,
    pub kind: FolderKind,
    pub raw: Option<String>,
}

/// Any record a read returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum AtsRecord {
    Candidate(Candidate),
    Job(Job),
    Application(Application),
    Status(Status),
    Folder(Folder),
}

impl AtsRecord {
    pub fn kind(&self) -> RecordKind {
        match self {
            AtsRecord::Candidate(_) => RecordKind::Candidate,
            AtsRecord::Job(_) => RecordKind::Job,
            AtsRecord::Application(_) => RecordKind::Application,
            AtsRecord::Status(_) => RecordKind::Status,
            AtsRecord::Folder(_) => RecordKind::Folder,
        }
    }

    pub fn id(&self) -> &str {
        match self {
            AtsRecord::Candidate(r) => &r.id,
            AtsRecord::Job(r) => &r.id,
            AtsRecord::Application(r) => &r.id,
            AtsRecord::Status(r) => &r.id,
            AtsRecord::Folder(r) => &r.id,
        }
    }

    /// When the ATS last changed the record, for kinds that carry it.
    pub fn updated_at(&self) -> Option<Timestamp> {
        match self {
            AtsRecord::Candidate(r) => r.updated_at,
            AtsRecord::Job(r) => r.updated_at,
            AtsRecord::Application(r) => r.updated_at,
            AtsRecord::Status(_) | AtsRecord::Folder(_) => None,
        }
    }
}

/// A typed pointer to one record.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RecordRef {
    pub kind: RecordKind,
    pub id: String,
}

/// What to read in one `list-records` call.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListRequest {
    pub cursor: Option<String>,
    pub updated_since: Option<Timestamp>,
    pub page_size_hint: Option<u32>,
}

/// A record the connector read but could not translate (the contract's `record-error`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordError {
    pub id: String,
    pub reason: String,
    pub advice: String,
}

/// One page of records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    pub records: Vec<AtsRecord>,
    pub gone: Vec<String>,
    /// Records of the page the connector could not translate; the rest are in `records`.
    #[serde(default)]
    pub record_errors: Vec<RecordError>,
    pub next_cursor: Option<String>,
}

/// One page of ids.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdPage {
    pub ids: Vec<String>,
    pub next_cursor: Option<String>,
}
