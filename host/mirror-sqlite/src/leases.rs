//! Stream leases for SQLite: kept in the process ([`ats_mirror::InProcessLeases`]). A SQLite
//! mirror is one host's file, and the syncs of one process already take turns per stream; a
//! lease two processes on one file would both see needs a shared table, which PostgreSQL has.

use crate::SqliteMirror;
use ats_mirror::{Lease, LeaseStore, MirrorError};
use ats_model::Timestamp;

#[async_trait::async_trait]
impl LeaseStore for SqliteMirror {
    async fn try_lease(
        &self,
        conn: &str,
        stream: &str,
        holder: &str,
        ttl_seconds: i64,
        now: Timestamp,
    ) -> Result<Option<Lease>, MirrorError> {
        self.leases
            .try_lease(conn, stream, holder, ttl_seconds, now)
            .await
    }

    async fn renew_lease(
        &self,
        lease: &Lease,
        ttl_seconds: i64,
        now: Timestamp,
    ) -> Result<Option<Lease>, MirrorError> {
        self.leases.renew_lease(lease, ttl_seconds, now).await
    }

    async fn release_lease(&self, lease: &Lease) -> Result<(), MirrorError> {
        self.leases.release_lease(lease).await
    }
}
