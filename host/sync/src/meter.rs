//! The quota meter of one connection: the ledger behind a lock, fed by the HTTP hook.

use crate::lane_context::current_lane;
use crate::quota::{Lane, QuotaLedger, QuotaPause, RateLimitHeaders};
use ats_model::{QuotaSpec, Timestamp};
use std::sync::Mutex;

/// Counts a connection's requests and decides whether the next one may leave.
#[derive(Debug)]
pub struct QuotaMeter {
    ledger: Mutex<QuotaLedger>,
    headers: HeaderNames,
    sent: std::sync::atomic::AtomicU64,
    refused: std::sync::atomic::AtomicU64,
}

#[derive(Debug, Clone)]
struct HeaderNames {
    limit: Option<String>,
    remaining: Option<String>,
    reset: Option<String>,
}

/// Seconds since the epoch, now.
pub fn now() -> Timestamp {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as Timestamp)
        .unwrap_or(0)
}

impl QuotaMeter {
    pub fn new(spec: Option<&QuotaSpec>) -> Self {
        Self::with_ledger(spec, None)
    }

    /// A meter that continues from a ledger saved by an earlier process (when given), so a
    /// restart never forgets what the current window has already spent.
    pub fn with_ledger(spec: Option<&QuotaSpec>, saved: Option<QuotaLedger>) -> Self {
        let ledger = saved
            .map(QuotaLedger::restored)
            .unwrap_or_else(|| QuotaLedger::new(spec.and_then(|s| s.requests_per_day)));
        QuotaMeter {
            ledger: Mutex::new(ledger),
            headers: HeaderNames {
                limit: spec.and_then(|s| s.limit_header.clone()),
                remaining: spec.and_then(|s| s.remaining_header.clone()),
                reset: spec.and_then(|s| s.reset_header.clone()),
            },
            sent: Default::default(),
            refused: Default::default(),
        }
    }

    fn ledger(&self) -> std::sync::MutexGuard<'_, QuotaLedger> {
        // A panic while holding the lock cannot leave the ledger half-updated (every method is
        // a few integer updates), so a poisoned lock is still usable.
        self.ledger.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Admits one request of the current task's lane, or says why not.
    pub fn admit(&self) -> Result<(), QuotaPause> {
        let result = self.ledger().try_admit(current_lane(), now());
        let counter = if result.is_ok() {
            &self.sent
        } else {
            &self.refused
        };
        counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        result
    }

    /// Settles an admitted request with its response headers (`name`, `value`, any case).
    pub fn observe<'a>(&self, headers: impl IntoIterator<Item = (&'a str, &'a str)>) {
        let mut facts = RateLimitHeaders::default();
        for (name, value) in headers {
            let matches = |wanted: &Option<String>| {
                wanted
                    .as_deref()
                    .is_some_and(|w| w.eq_ignore_ascii_case(name))
            };
            let number = value.trim().parse::<u64>().ok();
            if matches(&self.headers.limit) {
                facts.limit = number;
            } else if matches(&self.headers.remaining) {
                facts.remaining = number;
            } else if matches(&self.headers.reset) {
                facts.reset_seconds = number;
            }
        }
        self.ledger().record_response(facts, now());
    }

    /// Settles an admitted request that got no response.
    pub fn observe_failure(&self) {
        self.ledger().record_no_response();
    }

    /// Requests `lane` may still send now (`None`: no quota known).
    pub fn available(&self, lane: Lane) -> Option<u64> {
        self.ledger().available(lane, now())
    }

    /// When the current quota window resets, if known.
    pub fn reset_at(&self) -> Option<Timestamp> {
        self.ledger().reset_at()
    }

    /// A copy of the ledger, for status displays.
    pub fn snapshot(&self) -> QuotaLedger {
        self.ledger().clone()
    }

    /// Requests admitted and refused since the meter was made.
    pub fn counts(&self) -> (u64, u64) {
        use std::sync::atomic::Ordering::Relaxed;
        (self.sent.load(Relaxed), self.refused.load(Relaxed))
    }
}
