//! The sync engine.
pub mod backoff;
pub mod quota;
pub mod status;
