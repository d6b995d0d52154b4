//! The host runtime for `ats:connector` plugins.
//!
//! A plugin is a WebAssembly component that targets the `ats:connector/plugin` world
//! (`wit/connector.wit`). This crate loads it once ([`Runtime::load_plugin`]: compiled, cached on
//! disk, pre-linked), binds it to a customer's account ([`Runtime::connect`]) and calls its exports
//! ([`Connection`]), each call in a fresh, limited store.
//!
//! What a plugin may do is decided here, not in the plugin:
//! - outgoing HTTP only to the hosts the operator granted its connection
//!   (`outbound_http::grant`, `outbound_http::allow_list`), with credentials added by the host
//!   (`outbound_http::auth`) so secrets never enter the sandbox, and scrubbed from answers that
//!   echo them (`outbound_http::scrub`);
//! - every host-side resource bounded per call and per connection (`limits`);
//! - no files, no environment, no sockets;
//! - memory and wall-clock time bounded per call (`call`);
//! - storage in its own bucket, scoped to the connection (`keyvalue`, [`PluginStorage`]);
//! - every value it returns bounded before the host keeps, stores or prints it (`returned`).
//!
//! Each capability lives in its own module with its state and its linker set-up.

mod bindings;
mod call;
mod compile_cache;
mod config;
mod connection;
mod convert;
mod engine;
mod error;
pub mod inbound_event;
mod keyvalue;
mod limits;
mod logging;
pub mod outbound_http;
mod plugin;
mod returned;
mod secrets;
mod storage;

#[doc(hidden)]
pub use ats_model as __model; // for `candidate_from_bindings!`
pub use ats_model::{
    AtsRecord, ConnectionReport, ConnectorError, ConnectorInfo, IdPage, ListRequest, Page,
    RecordKind,
};
pub use connection::{Connection, ConnectionSpec};
pub use engine::{Runtime, RuntimeConfig};
pub use error::{Amount, CallError, RuntimeError};
pub use limits::{PluginLimits, cut_text};
pub use outbound_http::grant::HostGrant;
pub use outbound_http::{
    ContextCarrier, HttpClientConfig, NoObserver, RequestInfo, RequestObserver, RequestStats,
    ResponseInfo, SendFuture,
};
pub use plugin::{IdleInstance, Plugin};
pub use returned::MAX_ATTACHMENT_TEXT_BYTES;
pub use secrets::Secret;
pub use storage::{MemoryStorage, PluginStorage, StorageError};
