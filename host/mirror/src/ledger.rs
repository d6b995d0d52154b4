//! Request-quota ledgers kept in the mirror's database, one per connection, so every process on
//! that database (`ats run`, `ats export`, later the service) spends from the same budget.
//!
//! The store keeps each ledger as an opaque text value (the sync engine's JSON encoding of its
//! `QuotaLedger`) and guarantees one thing: [`LedgerStore::update_ledger`] reads, changes and
//! writes one connection's ledger as a single transaction, so no other update of that ledger, in
//! this process or any other on the database, runs between its read and its write. What the
//! value means (lanes, floors, windows, requests in flight) is the sync engine's business; a new
//! backend implements two small methods and needs no quota knowledge.
//!
//! Methods are synchronous, unlike [`MirrorStore`](crate::MirrorStore)'s: admission runs on
//! the runtime's HTTP hook, which is synchronous and called for every outgoing request, so
//! `update_ledger` must be one short transaction.

use crate::MirrorError;

/// Where connections' quota ledgers are kept, shared by every process on the database.
pub trait LedgerStore: Send + Sync {
    /// Updates `connection`'s ledger as one atomic read-modify-write: `update` receives the
    /// stored value (`None` before the first) and returns the value to store, or `None` to leave
    /// it as it is. `update` is called exactly once, while the ledger is locked against every
    /// other update, so it must be quick and must not call the store.
    ///
    /// SQLite: `BEGIN IMMEDIATE` on the writer connection; PostgreSQL: `SELECT … FOR UPDATE` of
    /// the connection's row (inserted first when missing).
    fn update_ledger(
        &self,
        connection: &str,
        update: &mut dyn FnMut(Option<&str>) -> Option<String>,
    ) -> Result<(), MirrorError>;

    /// The stored value of `connection`'s ledger, if any (for displays and decisions that do not
    /// spend: the engine asking what a lane may still send).
    fn ledger(&self, connection: &str) -> Result<Option<String>, MirrorError>;
}
