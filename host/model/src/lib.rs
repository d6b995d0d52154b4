//! The ATS vocabulary as the host uses it.
//!
//! These types mirror the `ats:connector` WIT contract (see `wit/types.wit` for the meaning of
//! every field) but belong to the host: the mirror stores them and the recruiter features read
//! them. The runtime converts each WIT version's generated types into these at its boundary, so a
//! new contract version changes one adapter, not the mirror or the sync engine.

mod describe;
mod error;
mod records;
mod typed;
mod writes;

pub use describe::*;
pub use error::*;
pub use records::*;
pub use typed::TypedRecord;
pub use writes::*;
