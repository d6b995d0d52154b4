//! Recruiter features on the mirror: candidate export, email replies, application review,
//! rediscovery search, profile refresh, application moves and de-duplication.
//!
//! They run in the host, work for any connector, read the mirror and write to the ATS only
//! through [`AtsWriter`] (the host implements it for a running wasm connection; tests use a
//! native fake). Each feature keeps its pure logic (normalisation, scoring, diffs, filter
//! parsing, validation) apart from its orchestration so the logic is unit-tested natively.
//!
//! Rules every feature keeps:
//! - **Validate before writing.** Input errors surface before the first ATS write, so nothing is
//!   half-written.
//! - **Never erase ATS data.** Updates send only fields that are new or changed and non-empty on
//!   the platform side; lists (emails, phones, URLs) are sent as the union.
//! - **Never merge people in the ATS.** De-duplication links records in the mirror; a person
//!   reviews the fuzzy ones (peers' lesson: ATS merges are irreversible).
//! - **The mirror reflects every write at once**, by reading the record back from the ATS.
//!
//! Mirror calls are awaited: a backend never blocks the caller's executor.

pub mod dedupe;
mod error;
pub mod export;
pub mod fit;
pub mod job_rediscovery;
mod mirror_io;
pub mod moves;
pub mod normalize;
pub mod profile;
pub mod rediscovery;
pub mod refresh;
pub mod reply;
pub mod review;
pub mod status;
mod writer;

pub use dedupe::{DedupeOptions, DedupeReport, find_duplicates};
pub use error::FeatureError;
pub use export::{ExportOptions, ExportReport, PlatformCandidate, export, export_json};
pub use job_rediscovery::{JobRediscoveryPage, rediscover_for_job};
pub use moves::{MoveReport, RejectReport, move_application, reject_application};
pub use rediscovery::{RediscoveryPage, RediscoveryRequest, SearchFilters, rediscover};
pub use refresh::{RefreshOptions, RefreshReport, refresh};
pub use reply::{ReplyEvent, reply};
pub use review::{ReviewOptions, ReviewReport, review};
pub use writer::AtsWriter;

/// Everything the features need of a mirror (any backend).
pub use ats_mirror::Mirror;

/// Seconds since the Unix epoch, for callers filling the `now` of an options struct.
/// Features never read the clock themselves, so tests control time.
pub fn unix_now() -> ats_model::Timestamp {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}
