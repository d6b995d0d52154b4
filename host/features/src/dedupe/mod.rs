//! De-duplication: the ladder (exact normalised email, canonical profile URL, E.164 phone, then
//! similar name plus same company or title), a batch pass over the mirror that uses its blocking
//! keys, and precision/recall for a labelled set.
//!
//! Links are stored in the mirror only ([`ats_mirror::FeatureState::put_duplicate_link`]);
//! nothing is ever merged in the ATS, where merges are irreversible and lose workflow data.

mod ladder;
mod metrics;
mod pass;

pub use ladder::{Certainty, MatchRule, PersonKeys, Verdict, compare, name_similarity};
pub use metrics::{PrecisionRecall, pair, pairs_from_groups, precision_recall};
pub(crate) use pass::store_links;
pub use pass::{DedupeOptions, DedupeReport, FoundLink, find_duplicates};
