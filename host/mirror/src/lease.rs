//! Stream leases: a stream runs in one process at a time.
//!
//! Before a run, a process takes the stream's lease for a while (`ttl_seconds`) and renews it
//! while it works (the heartbeat); a process killed mid-page stops renewing, its lease expires,
//! and another process takes the stream and resumes from the committed cursor. Every taking of
//! a lease by a new holder raises its `token`, so a holder that was too slow to renew learns it
//! lost the stream (its renewal fails) instead of running beside the new holder.
//!
//! Times are the caller's (Unix seconds), so tests control them and the processes on one
//! database must roughly agree on the clock (leases last seconds to minutes; NTP suffices).

use crate::MirrorError;
use ats_model::Timestamp;
use std::collections::HashMap;
use std::sync::Mutex;

/// A lease held on one stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub conn: String,
    pub stream: String,
    /// Who holds it: a process's own random name.
    pub holder: String,
    /// Raised each time a different holder takes the stream (fencing).
    pub token: i64,
    pub expires_at: Timestamp,
}

impl Lease {
    /// What a write made under this lease carries, so the store refuses it once the lease is
    /// lost (renewals change the expiry, never the holder or token).
    pub fn fence(&self) -> Fence {
        Fence {
            holder: self.holder.clone(),
            token: self.token,
        }
    }
}

/// A lease's holder and token, carried by a page write ([`crate::PageWrite::fence`]): the store
/// writes the page only while that holder still holds the stream with that token (a shared
/// store checks it in the page's own transaction). A run that stalled past its lease (a long pause, a slow disk)
/// thus cannot commit one more page, and move the checkpoint, after another process took over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fence {
    pub holder: String,
    pub token: i64,
}

/// Where leases are kept: every process sharing a mirror must see the same ones.
#[async_trait::async_trait]
pub trait LeaseStore: Send + Sync {
    /// Takes `(conn, stream)` for `holder` until `now + ttl_seconds` when it is free, expired or
    /// already `holder`'s (then it is extended, same token). `None` while another holder's lease
    /// is live, or while another process is taking it at this very moment (no waiting).
    async fn try_lease(
        &self,
        conn: &str,
        stream: &str,
        holder: &str,
        ttl_seconds: i64,
        now: Timestamp,
    ) -> Result<Option<Lease>, MirrorError>;

    /// The heartbeat: extends `lease` to `now + ttl_seconds`. `None` when it was lost (another
    /// holder took the stream since): stop working on it.
    async fn renew_lease(
        &self,
        lease: &Lease,
        ttl_seconds: i64,
        now: Timestamp,
    ) -> Result<Option<Lease>, MirrorError>;

    /// Gives the stream up (a lease already lost is left alone).
    async fn release_lease(&self, lease: &Lease) -> Result<(), MirrorError>;
}

/// Leases kept in this process's memory: enough for a backend only one process uses at a time
/// (SQLite's file); processes do not see each other's.
#[derive(Default)]
pub struct InProcessLeases {
    leases: Mutex<HashMap<(String, String), Lease>>,
}

impl InProcessLeases {
    pub fn new() -> InProcessLeases {
        InProcessLeases::default()
    }

    fn with<T>(&self, f: impl FnOnce(&mut HashMap<(String, String), Lease>) -> T) -> T {
        f(&mut self.leases.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// `Ok` while `fence` holds `(conn, stream)`, else [`MirrorError::LeaseLost`]. Checked
    /// before a page is written, not held through its commit: the leases are one process's,
    /// whose own tasks share one holder name, so what the fence guards against (another process
    /// taking over) cannot happen here, and holding the lock through a commit would block the
    /// heartbeats of every stream.
    pub fn check_fence(&self, conn: &str, stream: &str, fence: &Fence) -> Result<(), MirrorError> {
        self.with(|leases| {
            let held = leases
                .get(&(conn.to_string(), stream.to_string()))
                .is_some_and(|l| l.holder == fence.holder && l.token == fence.token);
            if held {
                Ok(())
            } else {
                Err(MirrorError::LeaseLost {
                    conn: conn.to_string(),
                    stream: stream.to_string(),
                })
            }
        })
    }
}

#[async_trait::async_trait]
impl LeaseStore for InProcessLeases {
    async fn try_lease(
        &self,
        conn: &str,
        stream: &str,
        holder: &str,
        ttl_seconds: i64,
        now: Timestamp,
    ) -> Result<Option<Lease>, MirrorError> {
        Ok(self.with(|leases| {
            let key = (conn.to_string(), stream.to_string());
            let token = match leases.get(&key) {
                Some(l) if l.holder == holder => l.token,
                Some(l) if l.expires_at > now => return None,
                Some(l) => l.token + 1,
                None => 1,
            };
            let lease = Lease {
                conn: conn.to_string(),
                stream: stream.to_string(),
                holder: holder.to_string(),
                token,
                expires_at: now + ttl_seconds,
            };
            leases.insert(key, lease.clone());
            Some(lease)
        }))
    }

    async fn renew_lease(
        &self,
        lease: &Lease,
        ttl_seconds: i64,
        now: Timestamp,
    ) -> Result<Option<Lease>, MirrorError> {
        Ok(self.with(|leases| {
            let held = leases.get_mut(&(lease.conn.clone(), lease.stream.clone()))?;
            if held.holder != lease.holder || held.token != lease.token {
                return None;
            }
            held.expires_at = now + ttl_seconds;
            Some(held.clone())
        }))
    }

    async fn release_lease(&self, lease: &Lease) -> Result<(), MirrorError> {
        self.with(|leases| {
            let key = (lease.conn.clone(), lease.stream.clone());
            if leases
                .get(&key)
                .is_some_and(|l| l.holder == lease.holder && l.token == lease.token)
            {
                // Kept with an expired time, so the next holder's token is higher.
                if let Some(l) = leases.get_mut(&key) {
                    l.holder.clear();
                    l.expires_at = i64::MIN;
                }
            }
        });
        Ok(())
    }
}
