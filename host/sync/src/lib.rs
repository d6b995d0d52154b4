//! The host's sync engine, for any connector that implements the `ats:connector` contract.
//!
//! - [`engine`]: one stream run (full or incremental), page by page, each page committed with its
//!   checkpoint; retries with back-off; pauses for quota.
//! - [`paging`]: the bounds that stop a connector whose pages never end.
//! - [`reconcile`]: id scans that find records deleted in the ATS.
//! - [`reread`]: targeted re-reads of named records (what a pushed event names).
//! - [`record_errors`]: records a connector could not translate, kept and asked for again.
//! - [`resume_text`]: the text of new or changed résumés, asked for after a candidates run.
//! - [`quota`] and [`meter`]: the per-connection request budget, spent by priority lane.
//! - [`status`]: the words a recruiter's tool shows.
//!
//! Which stream runs when is the host's scheduler (`ats_app::scheduler`, with `ats_app::due`).

pub mod backoff;
pub mod engine;
pub mod lane_context;
pub mod meter;
pub mod paging;
pub mod quota;
pub mod reconcile;
pub mod record_errors;
pub mod reread;
pub mod resume_text;
pub mod source;
pub mod status;

pub use engine::{
    Engine, EngineConfig, NoProgress, Progress, RunEnd, RunTotals, StreamRun, SyncError,
};
pub use meter::QuotaMeter;
pub use paging::PagingError;
pub use quota::Lane;
pub use reconcile::ReconcileEnd;
pub use reread::RereadOutcome;
pub use resume_text::{MAX_RESUME_TEXTS_PER_RUN, ResumeTextOutcome};
pub use source::{RecordSource, SourceError};
pub use status::SyncStatus;
