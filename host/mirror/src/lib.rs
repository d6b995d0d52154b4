//! The host's local mirror of each connection's ATS data.
//!
//! The sync engine fills it page by page and the recruiter features (rediscovery search,
//! application review, de-duplication, export idempotency) read it. Everything goes through the
//! traits in [`store`] and [`queries`], so a PostgreSQL backend can be added later without touching
//! the engine; [`SqliteMirror`] is the default backend (one file per host, WAL, FTS5).
//!
//! Guarantees every backend must keep (the tests in `tests/` check them):
//! - a page and its checkpoint are committed together or not at all, and re-applying a page is
//!   harmless;
//! - sync never hard-deletes: records gone from the ATS get `deleted_at`, and reconciliation only
//!   marks records missing after a clean, complete id scan, deleting them after a grace period;
//! - only secret *references* are stored, never secret values.

mod error;
pub mod ledger;
pub mod normalize;
pub mod queries;
pub mod sqlite;
pub mod store;
mod types;

pub use error::MirrorError;
pub use ledger::LedgerStore;
pub use queries::{Applicant, DedupeKeyKind, MirrorQueries, SearchHit, SearchPage, SearchQuery};
pub use sqlite::SqliteMirror;
pub use store::{FeatureState, MirrorStore};
pub use types::*;
