//! The host's mirror of each connection's ATS data: the backend-neutral boundary.
//!
//! The sync engine fills it page by page and the recruiter features (rediscovery search,
//! application review, de-duplication, export idempotency) read it. Everything goes through the
//! traits in [`store`] and [`queries`]; a backend crate implements them (`ats-mirror-sqlite`, the
//! default: one file per host; `ats-mirror-postgres`: one database many hosts share). What a backend derives from a record (indexed columns,
//! de-duplication keys, the content hash) is computed here, in [`derived`], so every backend
//! stores and finds the same things.
//!
//! Guarantees every backend must keep (the `testsuite` module, behind the feature of that name,
//! checks them for any backend):
//! - a page and its checkpoint are committed together or not at all, and re-applying a page is
//!   harmless;
//! - sync never hard-deletes: records gone from the ATS get `deleted_at`, and reconciliation only
//!   marks records missing after a clean, complete id scan, deleting them after a grace period;
//! - only secret *references* are stored, never secret values.

pub mod deliveries;
pub mod derived;
mod error;
pub mod lease;
pub mod ledger;
pub mod normalize;
pub mod plugin_storage;
pub mod queries;
pub mod regions;
pub mod search_text;
pub mod store;
#[cfg(feature = "testsuite")]
pub mod testsuite;
pub mod tokens;
mod types;
pub mod work_queue;

pub use deliveries::{DeliveryKeys, DeliveryMemory, InProcessDeliveries, Sighting};
pub use error::MirrorError;
pub use lease::{Fence, InProcessLeases, Lease, LeaseStore};
pub use ledger::LedgerStore;
pub use queries::{
    Applicant, CandidateApplication, DedupeKeyKind, MirrorQueries, SearchHit, SearchPage,
    SearchQuery,
};
pub use store::{FeatureState, MirrorStore};
pub use tokens::{ApiToken, DEFAULT_TENANT, TokenStore, check_connection_name, check_tenant};
pub use types::*;
pub use work_queue::{InProcessWorkQueue, QueuedWork, Work, WorkQueue};

/// Everything the features and the host need of a mirror: records, feature state, queries,
/// the quota ledgers, the service's API tokens, stream leases, the service's work queue and its
/// memory of event deliveries. Any backend implementing the eight traits is one; hold it as
/// `Arc<dyn Mirror>`.
pub trait Mirror:
    MirrorStore
    + FeatureState
    + MirrorQueries
    + LedgerStore
    + TokenStore
    + LeaseStore
    + WorkQueue
    + DeliveryMemory
{
}
impl<
    T: MirrorStore
        + FeatureState
        + MirrorQueries
        + LedgerStore
        + TokenStore
        + LeaseStore
        + WorkQueue
        + DeliveryMemory
        + ?Sized,
> Mirror for T
{
}
