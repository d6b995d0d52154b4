//! What the receiver remembers of recent deliveries, per connection, for the replay window: the
//! signed requests (a replay repeats one exactly) and the event bodies (a second delivery of one
//! event repeats its body). Kept in this process: several service processes behind one URL each
//! catch replays sent to them; a replay that lands on another process is read again, harmless
//! since events only cause re-reads.

use ats_runtime::inbound_event::VerifiedEvent;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a delivery is remembered.
const MEMORY: Duration = Duration::from_secs(crate::events::REPLAY_WINDOW_SECONDS as u64 * 2);

/// Most deliveries remembered per connection (oldest forgotten first).
const MAX_REMEMBERED: usize = 10_000;

#[derive(Debug, PartialEq, Eq)]
pub enum Sighting {
    New,
    /// The same signed request again.
    Replayed,
    /// The same event, delivered again.
    Duplicate,
}

#[derive(Default)]
pub struct EventMemory {
    seen: Mutex<HashMap<String, Seen>>,
}

#[derive(Default)]
struct Seen {
    requests: HashMap<String, Instant>,
    bodies: HashMap<String, Instant>,
}

impl Seen {
    fn expire(&mut self, now: Instant) {
        self.requests
            .retain(|_, at| now.duration_since(*at) < MEMORY);
        self.bodies.retain(|_, at| now.duration_since(*at) < MEMORY);
        for map in [&mut self.requests, &mut self.bodies] {
            while map.len() > MAX_REMEMBERED {
                let oldest = map
                    .iter()
                    .min_by_key(|(_, at)| **at)
                    .map(|(k, _)| k.clone());
                match oldest {
                    Some(k) => map.remove(&k),
                    None => break,
                };
            }
        }
    }
}

impl EventMemory {
    fn seen(&self) -> std::sync::MutexGuard<'_, HashMap<String, Seen>> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records a verified delivery and says whether it is new.
    pub fn first_sighting(&self, connection: &str, event: &VerifiedEvent) -> Sighting {
        let now = Instant::now();
        let mut all = self.seen();
        let seen = all.entry(connection.to_string()).or_default();
        seen.expire(now);
        if seen.requests.contains_key(&event.replay_key) {
            return Sighting::Replayed;
        }
        seen.requests.insert(event.replay_key.clone(), now);
        if seen.bodies.insert(event.body_digest.clone(), now).is_some() {
            return Sighting::Duplicate;
        }
        Sighting::New
    }

    /// Forgets a delivery that was refused after all (a malformed body), so a corrected
    /// delivery of the same event is not taken for a duplicate.
    pub fn forget(&self, connection: &str, event: &VerifiedEvent) {
        if let Some(seen) = self.seen().get_mut(connection) {
            seen.bodies.remove(&event.body_digest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(key: &str, body: &str) -> VerifiedEvent {
        VerifiedEvent {
            replay_key: key.into(),
            body_digest: body.into(),
        }
    }

    #[test]
    fn replays_and_duplicates() {
        let m = EventMemory::default();
        assert_eq!(m.first_sighting("a", &event("k1", "b1")), Sighting::New);
        assert_eq!(
            m.first_sighting("a", &event("k1", "b1")),
            Sighting::Replayed
        );
        assert_eq!(
            m.first_sighting("a", &event("k2", "b1")),
            Sighting::Duplicate
        );
        assert_eq!(m.first_sighting("a", &event("k3", "b2")), Sighting::New);
        assert_eq!(
            m.first_sighting("b", &event("k1", "b1")),
            Sighting::New,
            "per connection"
        );
        m.forget("a", &event("k3", "b2"));
        assert_eq!(m.first_sighting("a", &event("k4", "b2")), Sighting::New);
    }
}
