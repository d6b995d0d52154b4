//! The ATS connector host as a library: everything the `ats` CLI does is a function here, so the
//! service and a platform embedding the host call the same code.
//!
//! - [`host`]: the data folder, the runtime, the mirror (any backend, chosen by a store URL) and
//!   live connections.
//! - [`connect`], [`connection_file`] and [`grant_review`]: loading a plugin, what the operator
//!   grants it, and the connection file.
//! - [`sync_runner`], [`scheduler`] and [`due`]: syncing connections into the mirror, now or when
//!   due; [`stream_lease`]: one process at a time per stream.
//! - [`status_view`]: where each connection and stream stands, as data (the CLI renders it).
//! - [`feature_writer`]: the features' ATS writes through a live connection.

pub mod connect;
pub mod connection_file;
pub mod connection_templates;
pub mod describe_text;
pub mod due;
pub mod feature_writer;
pub mod grant_review;
pub mod host;
pub mod live_connection;
pub mod load_eta;
pub mod quota_observer;
pub mod run_log;
pub mod scheduler;
pub mod status_view;
pub mod stream_lease;
pub mod sync_runner;
pub mod when;
