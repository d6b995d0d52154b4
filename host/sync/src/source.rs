//! What the engine needs from a connector: paged reads and targeted reads of named records. The
//! host implements this for a connection running in the wasm runtime; tests implement it
//! natively.

use crate::paging::PagingError;
use ats_model::{AtsRecord, ConnectorError, IdPage, ListRequest, Page, RecordKind};
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

/// Reads of one connection: pages, id pages, and single named records.
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

    /// Reads the record of `kind` with id `id` as the ATS holds it now (the contract's `get`):
    /// a record of that kind and id, or `ConnectorError::NotFound` when the ATS says it is
    /// gone. The engine's [`reread`](crate::Engine::reread) calls it for the records a pushed
    /// event names.
    fn get(
        &self,
        kind: RecordKind,
        id: &str,
    ) -> impl Future<Output = Result<AtsRecord, SourceError>> + Send;

    /// The text the ATS extracted from attachment `attachment_id` of candidate `candidate_id`
    /// (the contract's `attachment-text`), already bounded; `None` when it has none. Sources
    /// that cannot answer keep this default, `unsupported`.
    fn attachment_text(
        &self,
        candidate_id: &str,
        attachment_id: &str,
    ) -> impl Future<Output = Result<Option<String>, SourceError>> + Send {
        let _ = (candidate_id, attachment_id);
        std::future::ready(Err(SourceError::Connector(ConnectorError::Unsupported {
            message: "this source gives no attachment text".into(),
        })))
    }
}
