//! The ATS connector host as a library: everything the `ats` CLI does is a function here, so a
//! platform can embed the host instead of shelling out.
//!
//! - [`host`]: the data folder, the runtime and live connections.
//! - [`sync_runner`] and [`scheduler`]: syncing connections into the mirror, now or when due.
//! - [`status_view`]: where each connection and stream stands.
//! - [`cli`]: the command-line interface.

pub mod cli;
pub mod connection_file;
// Sync, mirror and feature modules below are the lead's.
pub mod display;
pub mod feature_writer;
pub mod grant_review;
pub mod host;
pub mod live_connection;
pub mod quota_observer;
pub mod scheduler;
pub mod status_view;
pub mod sync_runner;
