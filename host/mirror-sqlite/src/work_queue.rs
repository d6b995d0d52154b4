//! The service's work queue and event-delivery memory for SQLite: kept in the process
//! ([`ats_mirror::InProcessWorkQueue`], [`ats_mirror::InProcessDeliveries`]), as the stream
//! leases are (see `leases.rs`): a SQLite mirror is one host's file. PostgreSQL keeps both in
//! tables every process shares.

use crate::SqliteMirror;
use ats_mirror::{
    DeliveryKeys, DeliveryMemory, MirrorError, QueuedWork, Sighting, Work, WorkQueue,
};
use ats_model::Timestamp;

#[async_trait::async_trait]
impl WorkQueue for SqliteMirror {
    async fn enqueue_work(
        &self,
        conn: &str,
        work: &Work,
        available_at: Timestamp,
    ) -> Result<bool, MirrorError> {
        self.work.enqueue_work(conn, work, available_at).await
    }

    async fn take_work(
        &self,
        conn: &str,
        holder: &str,
        limit: u32,
        ttl_seconds: i64,
        now: Timestamp,
    ) -> Result<Vec<QueuedWork>, MirrorError> {
        self.work
            .take_work(conn, holder, limit, ttl_seconds, now)
            .await
    }

    async fn finish_work(&self, holder: &str, ids: &[i64]) -> Result<(), MirrorError> {
        self.work.finish_work(holder, ids).await
    }

    async fn defer_work(
        &self,
        holder: &str,
        ids: &[i64],
        available_at: Timestamp,
    ) -> Result<(), MirrorError> {
        self.work.defer_work(holder, ids, available_at).await
    }

    async fn connections_with_work(&self, now: Timestamp) -> Result<Vec<String>, MirrorError> {
        self.work.connections_with_work(now).await
    }

    async fn clear_work(&self, conn: &str) -> Result<(), MirrorError> {
        self.work.clear_work(conn).await
    }
}

#[async_trait::async_trait]
impl DeliveryMemory for SqliteMirror {
    async fn remember_delivery(
        &self,
        conn: &str,
        delivery: DeliveryKeys<'_>,
        keep_seconds: i64,
        now: Timestamp,
    ) -> Result<Sighting, MirrorError> {
        self.deliveries
            .remember_delivery(conn, delivery, keep_seconds, now)
            .await
    }

    async fn forget_delivery_body(&self, conn: &str, body_digest: &str) -> Result<(), MirrorError> {
        self.deliveries
            .forget_delivery_body(conn, body_digest)
            .await
    }
}
