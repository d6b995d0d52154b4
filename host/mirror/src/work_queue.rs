//! The work queue: what the service was asked to do for a connection, kept where every process
//! sharing the mirror sees it, so any of them can do it.
//!
//! Two kinds of work: a "sync now" (streams, full or not) and the re-read of one record a pushed
//! event named. A process takes work with a claim that lasts a while (`ttl_seconds`); finished
//! work is removed, work it could not do yet is handed back for later, and work whose claimant
//! died becomes available again when the claim expires, so nothing asked for is lost to a
//! `kill -9`. Taking never waits for another process: on PostgreSQL rows another process is
//! taking are skipped (`FOR UPDATE SKIP LOCKED`), so two processes never take the same item.
//!
//! Re-reads of one record coalesce: a record already queued and not taken yet is not queued
//! again, so duplicate events cost one read. Once taken, a new event for the record queues it
//! again (it may have changed after the read began).
//!
//! Times are the caller's (Unix seconds), as for leases.

use crate::MirrorError;
use ats_model::{RecordKind, RecordRef, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// One thing asked for a connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "work", rename_all = "kebab-case")]
pub enum Work {
    /// Run these streams now (empty: every stream).
    Sync { streams: Vec<String>, full: bool },
    /// Read this record again.
    Reread { kind: RecordKind, id: String },
}

impl Work {
    pub fn reread(r: &RecordRef) -> Work {
        Work::Reread {
            kind: r.kind,
            id: r.id.clone(),
        }
    }

    /// What makes two queued items the same work (re-reads only: two "sync now" asks are kept
    /// apart, they may name different streams).
    pub fn coalesce_key(&self) -> Option<String> {
        match self {
            Work::Sync { .. } => None,
            Work::Reread { kind, id } => Some(format!("reread:{kind}:{id}")),
        }
    }

    /// The stored form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Result<Work, MirrorError> {
        serde_json::from_str(text).map_err(|e| MirrorError::Corrupt {
            table: "work_queue",
            column: "work",
            detail: e.to_string(),
        })
    }
}

/// A work item taken by a process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedWork {
    pub id: i64,
    pub conn: String,
    pub work: Work,
    /// How many times it was taken before (a claim that expired, or work handed back).
    pub attempts: u32,
}

/// Where work is queued: every process sharing a mirror must see the same queue.
#[async_trait::async_trait]
pub trait WorkQueue: Send + Sync {
    /// Queues `work` for `conn`, available from `available_at`. `false` when it coalesced with
    /// the same work already queued and not taken.
    async fn enqueue_work(
        &self,
        conn: &str,
        work: &Work,
        available_at: Timestamp,
    ) -> Result<bool, MirrorError>;

    /// Takes up to `limit` items of `conn` available at `now` (never taken, handed back, or
    /// claimed by a holder whose claim expired), oldest first, claimed by `holder` until
    /// `now + ttl_seconds`.
    async fn take_work(
        &self,
        conn: &str,
        holder: &str,
        limit: u32,
        ttl_seconds: i64,
        now: Timestamp,
    ) -> Result<Vec<QueuedWork>, MirrorError>;

    /// Removes work `holder` finished (items it no longer holds are left alone).
    async fn finish_work(&self, holder: &str, ids: &[i64]) -> Result<(), MirrorError>;

    /// Hands work back, available again from `available_at` (a re-read the same work already
    /// waits for is dropped instead: one read will do).
    async fn defer_work(
        &self,
        holder: &str,
        ids: &[i64],
        available_at: Timestamp,
    ) -> Result<(), MirrorError>;

    /// The connections that have work available at `now`, for a process looking for work.
    async fn connections_with_work(&self, now: Timestamp) -> Result<Vec<String>, MirrorError>;

    /// Drops every item of `conn` (the connection is deleted).
    async fn clear_work(&self, conn: &str) -> Result<(), MirrorError>;
}

/// The queue in this process's memory, for a backend one process uses at a time (SQLite's
/// file), as [`InProcessLeases`](crate::InProcessLeases) are.
#[derive(Default)]
pub struct InProcessWorkQueue {
    state: Mutex<Queue>,
}

#[derive(Default)]
struct Queue {
    next_id: i64,
    items: BTreeMap<i64, Item>,
}

struct Item {
    conn: String,
    work: Work,
    available_at: Timestamp,
    holder: Option<String>,
    claimed_until: Timestamp,
    attempts: u32,
}

impl Item {
    fn waiting_with(&self, conn: &str, key: &Option<String>) -> bool {
        self.holder.is_none()
            && self.conn == conn
            && key.is_some()
            && self.work.coalesce_key() == *key
    }

    fn available(&self, now: Timestamp) -> bool {
        match self.holder {
            None => self.available_at <= now,
            Some(_) => self.claimed_until <= now,
        }
    }
}

impl InProcessWorkQueue {
    pub fn new() -> InProcessWorkQueue {
        InProcessWorkQueue::default()
    }

    fn with<T>(&self, f: impl FnOnce(&mut Queue) -> T) -> T {
        f(&mut self.state.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

#[async_trait::async_trait]
impl WorkQueue for InProcessWorkQueue {
    async fn enqueue_work(
        &self,
        conn: &str,
        work: &Work,
        available_at: Timestamp,
    ) -> Result<bool, MirrorError> {
        Ok(self.with(|q| {
            let key = work.coalesce_key();
            if let Some(same) = q.items.values_mut().find(|i| i.waiting_with(conn, &key)) {
                same.available_at = same.available_at.min(available_at);
                return false;
            }
            q.next_id += 1;
            let id = q.next_id;
            q.items.insert(
                id,
                Item {
                    conn: conn.to_string(),
                    work: work.clone(),
                    available_at,
                    holder: None,
                    claimed_until: 0,
                    attempts: 0,
                },
            );
            true
        }))
    }

    async fn take_work(
        &self,
        conn: &str,
        holder: &str,
        limit: u32,
        ttl_seconds: i64,
        now: Timestamp,
    ) -> Result<Vec<QueuedWork>, MirrorError> {
        Ok(self.with(|q| {
            let mut taken = Vec::new();
            for (id, item) in q.items.iter_mut() {
                if taken.len() >= limit as usize {
                    break;
                }
                if item.conn != conn || !item.available(now) {
                    continue;
                }
                if item.holder.is_some() {
                    item.attempts += 1; // its claimant died or stalled
                }
                item.holder = Some(holder.to_string());
                item.claimed_until = now + ttl_seconds;
                taken.push(QueuedWork {
                    id: *id,
                    conn: item.conn.clone(),
                    work: item.work.clone(),
                    attempts: item.attempts,
                });
            }
            taken
        }))
    }

    async fn finish_work(&self, holder: &str, ids: &[i64]) -> Result<(), MirrorError> {
        self.with(|q| {
            for id in ids {
                if q.items
                    .get(id)
                    .is_some_and(|i| i.holder.as_deref() == Some(holder))
                {
                    q.items.remove(id);
                }
            }
        });
        Ok(())
    }

    async fn defer_work(
        &self,
        holder: &str,
        ids: &[i64],
        available_at: Timestamp,
    ) -> Result<(), MirrorError> {
        self.with(|q| {
            for id in ids {
                let Some(item) = q.items.get(id) else {
                    continue;
                };
                if item.holder.as_deref() != Some(holder) {
                    continue;
                }
                let (conn, key) = (item.conn.clone(), item.work.coalesce_key());
                if q.items.values().any(|i| i.waiting_with(&conn, &key)) {
                    q.items.remove(id);
                    continue;
                }
                if let Some(item) = q.items.get_mut(id) {
                    item.holder = None;
                    item.available_at = available_at;
                    item.attempts += 1;
                }
            }
        });
        Ok(())
    }

    async fn connections_with_work(&self, now: Timestamp) -> Result<Vec<String>, MirrorError> {
        Ok(self.with(|q| {
            let mut conns: Vec<String> = q
                .items
                .values()
                .filter(|i| i.available(now))
                .map(|i| i.conn.clone())
                .collect();
            conns.sort();
            conns.dedup();
            conns
        }))
    }

    async fn clear_work(&self, conn: &str) -> Result<(), MirrorError> {
        self.with(|q| q.items.retain(|_, i| i.conn != conn));
        Ok(())
    }
}
