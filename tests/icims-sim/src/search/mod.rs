//! Search API (§5): the filter language (`filter`), its evaluation over compact records
//! (`eval`), and the shared staleness cache (`cache`).

pub mod cache;
pub mod eval;
pub mod filter;
pub(crate) mod handler;
