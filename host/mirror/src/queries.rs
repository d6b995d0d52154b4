//! Read-only queries the recruiter features run against the mirror.
//!
//! They live on their own trait so a backend can serve them from a replica or a search engine
//! later; the SQLite backend answers them from the same file with read connections that never
//! wait for the sync writer (WAL).
//!
//! The vocabulary means the same on every backend: a search word matches a whole word (`word*`
//! a prefix) in the indexed fields ([`crate::derived::CandidateColumns`], title, company, resume
//! text); every word must match; results are ordered by `relevance + recency`. Only the scale
//! of `relevance` is the backend's own.

use crate::{MirrorError, StatusChange};
use ats_model::{Stage, Timestamp};

/// Rediscovery search: free text plus filters. Empty filters match everything. Application
/// filters (`status_ids`, `stages`, `status_name`, `job_ids`, `rejected`, `applied_*`) must all
/// hold for the *same* application of the candidate.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchQuery {
    /// Words to find in names, emails, title, company, skills, resume text and location. Every
    /// word must match; `word*` matches as a prefix. `None` or blank lists by recency.
    pub text: Option<String>,
    /// Words of which at least one must match, besides every word of `text` (ranked the same
    /// way): how review and rediscovery by fit gather the people worth scoring.
    pub any_text: Option<String>,
    /// Leaves out candidate records with a live application to one of these jobs
    /// (rediscovery for a job looks among the people who did not apply to it).
    pub not_applied_to: Vec<String>,
    pub status_ids: Vec<String>,
    /// Generic stages; an application's own stage, else its status's stage.
    pub stages: Vec<Stage>,
    /// The ATS's status name, case-insensitive exact match.
    pub status_name: Option<String>,
    pub job_ids: Vec<String>,
    /// `Some(true)`: an application in the `rejected` stage; `Some(false)`: one that is not.
    pub rejected: Option<bool>,
    pub folder_ids: Vec<String>,
    /// Source or source detail (a campaign, a referrer, the platform that exported them) of the
    /// candidate or of one of their live applications, case-insensitive.
    pub source: Option<String>,
    /// Custom fields as `(name, value)`: the candidate has that field with that value (any
    /// case) or that list value id. Every pair must hold.
    pub custom_fields: Vec<(String, String)>,
    pub applied_from: Option<Timestamp>,
    pub applied_to: Option<Timestamp>,
    pub updated_from: Option<Timestamp>,
    pub updated_to: Option<Timestamp>,
    /// Reference time for the recency part of the score (pass "now"; tests pass a fixed time).
    pub now: Timestamp,
    pub limit: usize,
    /// Number of groups (people) to skip.
    pub offset: usize,
}

impl SearchQuery {
    pub fn has_application_filter(&self) -> bool {
        !self.status_ids.is_empty()
            || !self.stages.is_empty()
            || self.status_name.is_some()
            || !self.job_ids.is_empty()
            || self.rejected.is_some()
            || self.applied_from.is_some()
            || self.applied_to.is_some()
    }
}

/// One person in the results: the best-scoring candidate record of a duplicate cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub candidate_id: String,
    /// Other candidate records grouped with it (suggested or confirmed duplicate links).
    pub duplicates: Vec<String>,
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub title: Option<String>,
    pub company: Option<String>,
    pub updated_at: Option<Timestamp>,
    /// Text relevance, higher is better; 0 without text. Its scale is the backend's (SQLite:
    /// `-bm25` with weighted fields, name first): compare it within one result list only.
    pub relevance: f64,
    /// 1.0 for updated now, 0.5 after 180 days, towards 0 for older.
    pub recency: f64,
    /// `relevance + recency`: the order of results.
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchPage {
    pub hits: Vec<SearchHit>,
    /// True when more groups follow this page.
    pub more: bool,
}

/// One application of a job with what review needs of its candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applicant {
    pub application_id: String,
    pub candidate_id: String,
    pub status_id: Option<String>,
    pub status_name: Option<String>,
    /// The application's stage, else its status's stage.
    pub stage: Option<Stage>,
    pub applied_at: Option<Timestamp>,
    pub application_updated_at: Option<Timestamp>,
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub title: Option<String>,
    pub company: Option<String>,
    pub skills: Vec<String>,
    pub resume_text: Option<String>,
    pub candidate_updated_at: Option<Timestamp>,
}

/// One live application of a candidate, with what the candidate's page shows of it. The job
/// need not be in the mirror: an application to a job deleted in the ATS, or to one no stream
/// has read, is listed all the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateApplication {
    pub application_id: String,
    pub job_id: String,
    /// The job's title when the mirror holds the job (the last one seen if it was deleted).
    pub job_title: Option<String>,
    /// When the mirror saw the job deleted in the ATS.
    pub job_deleted_at: Option<Timestamp>,
    pub status_id: Option<String>,
    pub status_name: Option<String>,
    /// The application's stage, else its status's stage.
    pub stage: Option<Stage>,
    pub source: Option<String>,
    pub applied_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    /// Every status it was seen in, oldest first (as `MirrorStore::status_history`).
    pub history: Vec<StatusChange>,
}

/// The de-duplication keys the mirror indexes (see [`crate::normalize`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DedupeKeyKind {
    /// Normalised email.
    Email,
    /// Canonical profile URL (LinkedIn, GitHub, website).
    Url,
    /// E.164 phone.
    Phone,
    /// Blocking key `last:first-initial`; only a hint for review, never a match.
    Name,
}
crate::types::text_enum!(DedupeKeyKind { Email => "email", Url => "url", Phone => "phone", Name => "name" });

/// Queries for recruiter features.
#[async_trait::async_trait]
pub trait MirrorQueries: Send + Sync {
    /// Rediscovery: ranked, filtered, one hit per person, paged by `limit`/`offset` groups.
    async fn search_candidates(
        &self,
        conn: &str,
        q: &SearchQuery,
    ) -> Result<SearchPage, MirrorError>;

    /// Brings any search index the backend keeps beside its store up to date, returning when
    /// it is (a first build of 1M candidates takes a minute or so). Searches never need this:
    /// until the index is ready they answer another way. A service calls it at start, a
    /// benchmark before it measures.
    async fn catch_up_search_index(&self) -> Result<(), MirrorError> {
        Ok(())
    }

    /// Live applications of a job with their candidates, most recently updated first.
    async fn applicants(
        &self,
        conn: &str,
        job_id: &str,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<Applicant>, MirrorError>;

    /// The candidate's live applications, newest applied first (never-applied last), `limit` at
    /// most, each with its job's title when known and its status history. Read off the index
    /// of applications by candidate, so the cost follows the candidate's applications, not the
    /// connection's jobs.
    async fn applications_of_candidate(
        &self,
        conn: &str,
        candidate_id: &str,
        limit: usize,
    ) -> Result<Vec<CandidateApplication>, MirrorError>;

    /// The live application of a candidate to a job, if there is one (the smallest id when
    /// the ATS holds several).
    async fn application_of(
        &self,
        conn: &str,
        candidate_id: &str,
        job_id: &str,
    ) -> Result<Option<String>, MirrorError>;

    /// Live candidate ids holding a key, in descending id order (read straight off the key
    /// index, so the walk stops at `limit` however many share the key), `limit` at most. `key`
    /// is normalised here, so raw input works.
    async fn candidates_by_key(
        &self,
        conn: &str,
        kind: DedupeKeyKind,
        key: &str,
        limit: usize,
    ) -> Result<Vec<String>, MirrorError>;

    /// Keys of one kind shared by two or more live candidates, with those ids (a batch
    /// de-duplication pass). Ordered by key; `limit` keys at most.
    async fn shared_keys(
        &self,
        conn: &str,
        kind: DedupeKeyKind,
        limit: usize,
    ) -> Result<Vec<(String, Vec<String>)>, MirrorError>;

    /// Live candidates with this email (normalised here): export's first duplicate check.
    async fn candidates_by_email(
        &self,
        conn: &str,
        email: &str,
    ) -> Result<Vec<String>, MirrorError> {
        self.candidates_by_key(conn, DedupeKeyKind::Email, email, usize::MAX)
            .await
    }
}
