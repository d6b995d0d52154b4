//! What the engine needs from a connector: paged reads. The host implements this for a
//! connection running in the wasm runtime; tests implement it natively.

use crate::paging::PagingError;
use ats_model::{ConnectorError, IdPage, ListRequest, Page, RecordKind};
use std::future::Future;

/// Why a read failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SourceError {
    /// The connector answered with a typed error.
    #[error(transparent)]
    Connector(#[from] ConnectorError),
    /// The host's quota ledger refused to send a request (the lane's share is spent).
    #[error("the request quota for this lane is spent until {until:?}")]
    QuotaExhausted { until: Option<ats_model::Timestamp> },
    /// The plugin trapped or its call timed out: possibly a one-off (a slow ATS), retried.
    #[error("the plugin failed: {0}")]
    Plugin(String),
    /// The plugin broke a bound it would break again (its CPU time, memory or stack, or an
    /// answer too large or malformed): its fault, never retried.
    #[error("the plugin failed: {0}")]
    PluginFault(String),
    /// The connector's pages would never end (see [`crate::paging`]): its fault, never retried.
    #[error(transparent)]
    Paging(#[from] PagingError),
}

/// Paged reads of one connection.
pub trait RecordSource: Send + Sync {
    fn list_records(
        &self,
        kind: RecordKind,
        request: ListRequest,
    ) -> impl Future<Output = Result<Page, SourceError>> + Send;

    fn list_ids(
        &self,
        kind: RecordKind,
        cursor: Option<String>,
    ) -> impl Future<Output = Result<IdPage, SourceError>> + Send;
}
