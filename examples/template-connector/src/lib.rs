//! The template connector: the smallest complete `ats:connector` plugin.
//!
//! It talks to the example ATS in `examples/template-ats` (cursor-token paging, one API key) and
//! implements every export of the contract (`wit/connector.wit`). Copy this crate to start a
//! connector; `docs/writing-a-connector.md` walks through it method by method.
//!
//! | module | what it holds |
//! | --- | --- |
//! | [`connector`] | the [`Connector`] impl: one method per contract export — start reading here |
//! | [`api`] | URLs, sending, HTTP errors → typed [`ConnectorError`]s |
//! | [`mapping`] | the ATS's JSON ↔ contract records (pure, unit-tested natively) |
//!
//! The host does the rest: it authenticates requests (the plugin never sees the API key),
//! refuses hosts not in `api-hosts`, stores cursors, schedules streams and retries.

pub mod api;
pub mod connector;
pub mod mapping;

pub use connector::TemplateConnector;

// Registers the connector as the component's exports. Only the wasm build exports: a native
// build is for unit tests, which have no host.
#[cfg(target_arch = "wasm32")]
ats_connector_sdk::export_connector!(TemplateConnector);
