//! What the event receiver remembers of recent deliveries, per connection, for the replay
//! window: the signed requests (a replay repeats one exactly) and the event bodies (a second
//! delivery of one event repeats its body). Kept where every process sharing the mirror sees it,
//! so a replay is refused whichever process behind the receiver's URL it reaches.
//!
//! Times are the caller's (Unix seconds), as for leases.

use crate::MirrorError;
use ats_model::Timestamp;
use std::collections::HashMap;
use std::sync::Mutex;

/// Most deliveries one connection's memory holds (oldest forgotten first), so a flood of
/// signed deliveries cannot grow it without bound.
pub const MAX_REMEMBERED: usize = 10_000;

/// Whether a delivery was seen before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sighting {
    New,
    /// The same signed request again.
    Replayed,
    /// The same event, delivered again.
    Duplicate,
}

/// One delivery, as the receiver verified it.
#[derive(Debug, Clone, Copy)]
pub struct DeliveryKeys<'a> {
    /// What makes the signed request unique (signature, date).
    pub replay_key: &'a str,
    /// A digest of the body.
    pub body_digest: &'a str,
}

#[async_trait::async_trait]
pub trait DeliveryMemory: Send + Sync {
    /// Records a delivery to `conn` and says whether it is new. Deliveries older than
    /// `keep_seconds` are forgotten.
    async fn remember_delivery(
        &self,
        conn: &str,
        delivery: DeliveryKeys<'_>,
        keep_seconds: i64,
        now: Timestamp,
    ) -> Result<Sighting, MirrorError>;

    /// Forgets the body of a delivery that was refused after all (a malformed body), so a
    /// corrected delivery of the same event is not taken for a duplicate.
    async fn forget_delivery_body(&self, conn: &str, body_digest: &str) -> Result<(), MirrorError>;
}

/// The memory in this process, for a backend one process uses at a time (SQLite's file).
#[derive(Default)]
pub struct InProcessDeliveries {
    seen: Mutex<HashMap<String, Seen>>,
}

#[derive(Default)]
struct Seen {
    requests: HashMap<String, Timestamp>,
    bodies: HashMap<String, Timestamp>,
}

impl Seen {
    fn expire(&mut self, oldest: Timestamp) {
        for map in [&mut self.requests, &mut self.bodies] {
            map.retain(|_, at| *at >= oldest);
            while map.len() >= MAX_REMEMBERED {
                let Some(first) = map
                    .iter()
                    .min_by_key(|(_, at)| **at)
                    .map(|(k, _)| k.clone())
                else {
                    break;
                };
                map.remove(&first);
            }
        }
    }
}

impl InProcessDeliveries {
    pub fn new() -> InProcessDeliveries {
        InProcessDeliveries::default()
    }

    fn seen(&self) -> std::sync::MutexGuard<'_, HashMap<String, Seen>> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[async_trait::async_trait]
impl DeliveryMemory for InProcessDeliveries {
    async fn remember_delivery(
        &self,
        conn: &str,
        delivery: DeliveryKeys<'_>,
        keep_seconds: i64,
        now: Timestamp,
    ) -> Result<Sighting, MirrorError> {
        let mut all = self.seen();
        let seen = all.entry(conn.to_string()).or_default();
        seen.expire(now.saturating_sub(keep_seconds));
        if seen.requests.contains_key(delivery.replay_key) {
            return Ok(Sighting::Replayed);
        }
        seen.requests.insert(delivery.replay_key.to_string(), now);
        if seen
            .bodies
            .insert(delivery.body_digest.to_string(), now)
            .is_some()
        {
            return Ok(Sighting::Duplicate);
        }
        Ok(Sighting::New)
    }

    async fn forget_delivery_body(&self, conn: &str, body_digest: &str) -> Result<(), MirrorError> {
        if let Some(seen) = self.seen().get_mut(conn) {
            seen.bodies.remove(body_digest);
        }
        Ok(())
    }
}
