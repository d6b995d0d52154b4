//! The platform's view of a person and how it differs from the ATS's: what export and refresh
//! both start from. Export creates or fills a person from a [`Profile`]; refresh pushes its
//! [`diff`] against the ATS's copy.

mod diff;
mod platform;

pub use diff::{CandidateDiff, FieldChange, NamePolicy, diff};
pub use platform::{Location, PlatformCandidate, Profile, ResumeInput, parse_json};
