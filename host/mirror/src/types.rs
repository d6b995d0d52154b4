//! The values that cross the mirror boundary: what the engine writes and what it reads back.

use ats_model::{AtsRecord, RecordKind, Stage, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where the host finds a secret at run time. There is deliberately no variant that holds the
/// value itself: the mirror can only ever store the reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SecretRef {
    /// An environment variable name, stored as `{"env":"NAME"}`.
    Env(String),
    /// A file path whose contents are the secret, stored as `{"file":"/path"}`.
    File(String),
}

/// What a plugin declared when the operator connected it: kept to show what changed when the
/// plugin does.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PluginDeclared {
    pub id: String,
    pub version: String,
    pub api_hosts: Vec<String>,
    pub token_url: Option<String>,
    pub permissions: Vec<String>,
}

/// One configured connection to an ATS.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectionRow {
    pub name: String,
    /// Who owns the connection: the service shows it only to that tenant's API tokens.
    /// Connections made with the CLI belong to [`DEFAULT_TENANT`](crate::DEFAULT_TENANT) unless
    /// their file says otherwise.
    pub tenant: String,
    /// Path of the connector component.
    pub plugin_path: String,
    /// Content hash of the component (hex) the operator connected: a plugin with another hash
    /// is not run until the operator connects it again.
    pub plugin_hash: String,
    /// What that plugin declared.
    pub plugin_declared: PluginDeclared,
    /// Non-secret settings (customer id, region, …).
    pub settings: BTreeMap<String, String>,
    /// Secret settings, by reference only.
    pub secrets: BTreeMap<String, SecretRef>,
    /// Per-stream interval overrides, seconds.
    pub stream_intervals: BTreeMap<String, u64>,
    /// Hosts the operator granted to receive the connection's credentials (`https://host`,
    /// `host:port`, `http://host:port` for plain HTTP).
    pub granted_api_hosts: Vec<String>,
    /// The URL the operator granted for the OAuth client secret.
    pub granted_token_url: Option<String>,
    /// Hosts the operator allows without credentials (e.g. a file store).
    pub extra_allowed_hosts: Vec<String>,
    /// Bounds overridden for this connection, by name (`call_cpu_seconds`, …).
    pub limits: BTreeMap<String, u64>,
    /// When the operator or the platform paused the connection: no sync runs until resumed
    /// (interactive features still work).
    pub paused_at: Option<Timestamp>,
    /// Kept from the first upsert; later upserts do not change it.
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// What kind of run a stream is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RunMode {
    /// Read everything from the start.
    Full,
    /// Read what changed since the high-water mark (minus the overlap).
    Incremental,
    /// Scan ids to detect deletes.
    Reconcile,
}

/// A stream's state as operators see it (Merge's and Findem's status model).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StreamLabel {
    NotStarted,
    Syncing,
    Done,
    Failed,
    /// Waiting for the ATS's quota to reset (`paused_until`).
    Paused,
    /// Failing in a way a person must fix (credentials, permissions, settings).
    NeedsAttention,
}

macro_rules! text_enum {
    ($ty:ident { $($variant:ident => $text:literal),* $(,)? }) => {
        impl $ty {
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $text),* }
            }
            pub fn parse(text: &str) -> Option<$ty> {
                match text { $($text => Some($ty::$variant),)* _ => None }
            }
        }
    };
}
pub(crate) use text_enum;

text_enum!(RunMode { Full => "full", Incremental => "incremental", Reconcile => "reconcile" });
text_enum!(StreamLabel {
    NotStarted => "not-started", Syncing => "syncing", Done => "done", Failed => "failed",
    Paused => "paused", NeedsAttention => "needs-attention",
});

/// The last error of a stream or run, as a person should read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamError {
    /// Machine-readable kind, e.g. `unauthorized`, `rate-limited`, `transient`.
    pub kind: String,
    pub message: String,
    /// What to do about it.
    pub advice: Option<String>,
}

/// What the run in progress has done so far, over all its resumptions (a load paused for quota
/// or interrupted by a crash carries on counting). Saved with each page, so it says exactly
/// what the committed pages cost; the ETA of a load is estimated from it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunProgress {
    /// Records the committed pages brought (written or reported as unreadable).
    pub records: u64,
    /// Requests those pages cost.
    pub requests: u64,
    /// Milliseconds spent reading them: time spent paused between runs is not counted.
    pub busy_ms: u64,
}

/// Per-(connection, stream) sync state. The engine owns its meaning; the mirror stores it
/// atomically with each page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamState {
    pub label: StreamLabel,
    /// Mode of the run in progress, if any.
    pub mode: Option<RunMode>,
    /// Opaque connector cursor of the run in progress: where to resume after a crash.
    pub cursor: Option<String>,
    /// When the run in progress started (a candidate for the next high-water mark).
    pub run_started_at: Option<Timestamp>,
    /// Highest `updated_at` seen so far in the run in progress.
    pub run_max_updated_at: Option<Timestamp>,
    /// High-water mark committed by the last completed run; incremental runs read from it
    /// minus an overlap.
    pub high_water_mark: Option<Timestamp>,
    pub last_success_at: Option<Timestamp>,
    pub last_failure_at: Option<Timestamp>,
    pub last_error: Option<StreamError>,
    pub consecutive_failures: u32,
    /// Do not run before this time (quota exhausted until midnight UTC, …).
    pub paused_until: Option<Timestamp>,
    /// Records the last completed run of an incremental stream read without an update date:
    /// the high-water mark cannot move past them, so every run reads them again.
    pub unstamped_records: u64,
    /// Completed runs in a row that read records without an update date (the scheduler backs
    /// the stream's interval off by it).
    pub unstamped_runs: u32,
    /// Progress of the run in progress; zero when no run is in progress.
    pub run_progress: RunProgress,
}

impl Default for StreamState {
    fn default() -> Self {
        StreamState {
            label: StreamLabel::NotStarted,
            mode: None,
            cursor: None,
            run_started_at: None,
            run_max_updated_at: None,
            high_water_mark: None,
            last_success_at: None,
            last_failure_at: None,
            last_error: None,
            consecutive_failures: 0,
            paused_until: None,
            unstamped_records: 0,
            unstamped_runs: 0,
            run_progress: RunProgress::default(),
        }
    }
}

/// One page to store. Owned: the engine hands the page over, and the backend takes each record
/// apart (its raw payload goes to its own column) without a copy.
#[derive(Debug, Clone)]
pub struct PageWrite {
    /// The kind of the stream; `gone` ids are of this kind.
    pub kind: RecordKind,
    /// Records read; each goes to the table of its own kind.
    pub records: Vec<AtsRecord>,
    /// Ids the connector says no longer exist in the ATS: soft-deleted.
    pub gone: Vec<String>,
    /// Records of the page the connector could not translate: kept as the stream's record
    /// errors until a read of the record succeeds.
    pub record_errors: Vec<ats_model::RecordError>,
    /// The lease the writer runs under: the page is written only while it holds
    /// ([`crate::Fence`]); `None` for writers without one (tests, tools on a private mirror).
    pub fence: Option<crate::Fence>,
}

/// A record the connector could not translate, kept until a read of it succeeds (or it is
/// gone). Keyed by connection, kind and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordErrorRow {
    /// The stream whose read reported it.
    pub stream: String,
    pub kind: RecordKind,
    pub id: String,
    /// What is wrong with it, as the connector said.
    pub reason: String,
    /// What to do about it, as the connector said.
    pub advice: String,
    pub first_seen_at: Timestamp,
    pub last_seen_at: Timestamp,
    /// Reads that could not translate it, the first included.
    pub attempts: u32,
}

/// What applying a page (or one record) changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageOutcome {
    /// Records not in the mirror before.
    pub inserted: u64,
    /// Records whose content changed (or that came back after a delete).
    pub updated: u64,
    /// Records identical to the stored copy: only `last_seen_at` moved.
    pub unchanged: u64,
    /// Live records newly soft-deleted from `gone`.
    pub deleted: u64,
    /// Highest `updated_at` among the page's records.
    pub max_updated_at: Option<Timestamp>,
}

impl PageOutcome {
    /// Inserted plus updated.
    pub fn upserted(&self) -> u64 {
        self.inserted + self.updated
    }
}

/// Identifies a run in the run log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RunId(pub i64);

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RunResult {
    Succeeded,
    Failed,
    /// Stopped before the end (shutdown, quota); resumes from the checkpoint.
    Interrupted,
}
text_enum!(RunResult { Succeeded => "succeeded", Failed => "failed", Interrupted => "interrupted" });

/// Totals the engine reports when a run ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOutcome {
    pub finished_at: Timestamp,
    pub result: RunResult,
    pub upserted: u64,
    pub unchanged: u64,
    pub deleted: u64,
    pub pages: u64,
    pub requests: u64,
    /// Records the run could not translate (reported by the connector, written nowhere).
    pub record_errors: u64,
    pub error: Option<StreamError>,
}

/// One row of the run log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRow {
    pub id: RunId,
    pub conn: String,
    pub stream: String,
    pub mode: RunMode,
    pub started_at: Timestamp,
    pub finished_at: Option<Timestamp>,
    /// `None` while the run is in progress (or the host died during it).
    pub outcome: Option<RunOutcome>,
}

/// Identifies a reconciliation scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ScanId(pub i64);

/// What a finished reconciliation changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReconcileOutcome {
    /// Ids the scan listed.
    pub seen: u64,
    /// Live records not listed, newly marked `missing_since`.
    pub newly_missing: u64,
    /// Records listed again after being missing: cleared.
    pub recovered: u64,
    /// Records missing for longer than the grace period: soft-deleted now.
    pub deleted: u64,
}

/// A record as the mirror holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecord {
    /// The record, `raw` included.
    pub record: AtsRecord,
    pub content_hash: i64,
    pub first_seen_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub deleted_at: Option<Timestamp>,
    pub missing_since: Option<Timestamp>,
}

/// Live and soft-deleted counts of one kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindCounts {
    pub live: u64,
    pub deleted: u64,
}

/// Counts per kind for one connection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MirrorCounts {
    pub per_kind: BTreeMap<RecordKind, KindCounts>,
}

impl MirrorCounts {
    pub fn get(&self, kind: RecordKind) -> KindCounts {
        self.per_kind.get(&kind).copied().unwrap_or_default()
    }

    /// Live records of `kinds` together.
    pub fn live_of(&self, kinds: &[RecordKind]) -> u64 {
        kinds.iter().map(|k| self.get(*k).live).sum()
    }
}

/// One status an application was seen in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub status_id: Option<String>,
    pub status_name: Option<String>,
    pub stage: Option<Stage>,
    /// When the ATS says the application last changed (its `updated_at`).
    pub changed_at: Option<Timestamp>,
    /// When the host saw it.
    pub seen_at: Timestamp,
}

/// The stored state of an idempotent export (or other write) keyed by the caller's key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyRecord {
    pub key: String,
    /// Caller-defined, e.g. `pending`, `done`, `failed`.
    pub state: String,
    pub result: Option<serde_json::Value>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Review state of a duplicate link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkStatus {
    Suggested,
    Confirmed,
    /// A person said these are different people; the link no longer groups them.
    Dismissed,
}
text_enum!(LinkStatus { Suggested => "suggested", Confirmed => "confirmed", Dismissed => "dismissed" });

/// Two candidate records that may be the same person. Stored with `a_id < b_id`.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicateLink {
    pub a_id: String,
    pub b_id: String,
    /// Which rule matched: `email`, `url`, `phone`, `name`, …
    pub rule: String,
    pub confidence: f64,
    pub status: LinkStatus,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A résumé attachment whose text the mirror does not hold for the candidate's current version
/// (see [`FeatureState::resume_texts_due`](crate::FeatureState::resume_texts_due)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumeTextDue {
    pub candidate_id: String,
    pub attachment_id: String,
}

/// A rejection reason kept locally (the ATS API may not expose them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectionReason {
    pub application_id: String,
    pub reason: String,
    pub rejected_at: Timestamp,
    pub rejected_by: Option<String>,
}
