//! The simulated clock. Token expiry, quota windows, search staleness and `updateddate` all
//! read it, so tests can jump hours ahead without sleeping (`advance_clock`).

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

#[derive(Debug)]
pub struct SimClock {
    started: Instant,
    /// Sim time (unix milliseconds) at `started`.
    start_ms: i64,
    /// Accumulated `advance` calls, in milliseconds.
    offset_ms: AtomicI64,
    /// When false the clock only moves through `advance` (deterministic tests).
    runs: bool,
}

impl SimClock {
    pub fn new(start_unix_secs: Option<i64>, runs: bool) -> Self {
        let start_ms = match start_unix_secs {
            Some(s) => s * 1000,
            None => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_millis() as i64)
                .unwrap_or(0),
        };
        SimClock {
            started: Instant::now(),
            start_ms,
            offset_ms: AtomicI64::new(0),
            runs,
        }
    }

    /// Current sim time in unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        let run = if self.runs {
            self.started.elapsed().as_millis() as i64
        } else {
            0
        };
        self.start_ms
            .saturating_add(run)
            .saturating_add(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Current sim time in unix seconds.
    pub fn now_secs(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    pub fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX / 4);
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frozen_clock_moves_only_when_advanced() {
        let c = SimClock::new(Some(1_700_000_000), false);
        assert_eq!(c.now_secs(), 1_700_000_000);
        c.advance(Duration::from_secs(90));
        assert_eq!(c.now_secs(), 1_700_000_090);
    }
}
