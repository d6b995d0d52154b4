//! Retry delays: exponential back-off with full jitter, never shorter than what the ATS asked
//! for. This is the one place where retry timing is decided.
//!
//! What the ATS asked for reaches us through the plugin, so it is untrusted: a retry-after is
//! honoured only up to the window of the limit it refers to ([`RetryAfterCaps`]). Without the
//! cap a plugin saying "retry in `u64::MAX` seconds" parks a run for ever, or overflows the
//! engine's time arithmetic.

use ats_model::RateLimitScope;
use std::time::Duration;

/// The window of a daily limit: connectors declare their quota per day (`requests-per-day`).
pub const DAILY_WINDOW: Duration = Duration::from_secs(24 * 60 * 60);

/// The longest window taken for a short (per-second, per-minute) limit: the contract declares
/// no short window, and no ATS we know of counts a "short" one over more than a few minutes.
pub const SHORT_WINDOW: Duration = Duration::from_secs(15 * 60);

/// The longest wait a plugin's retry-after may ask for, by the scope of its limit: at most the
/// window the limit counts over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfterCaps {
    /// Daily limits, and limits of unknown scope (a day is the longest window there is).
    pub daily: Duration,
    /// Short-window limits.
    pub short_window: Duration,
}

impl Default for RetryAfterCaps {
    fn default() -> Self {
        RetryAfterCaps {
            daily: DAILY_WINDOW,
            short_window: SHORT_WINDOW,
        }
    }
}

impl RetryAfterCaps {
    /// The longest wait a limit of `scope` may ask for.
    pub fn cap(&self, scope: RateLimitScope) -> Duration {
        match scope {
            RateLimitScope::ShortWindow => self.short_window,
            RateLimitScope::Daily | RateLimitScope::Unknown => self.daily,
        }
    }

    /// A retry-after of `seconds` as a wait, at most the window of its limit.
    pub fn clamp(&self, scope: RateLimitScope, seconds: u64) -> Duration {
        Duration::from_secs(seconds).min(self.cap(scope))
    }
}

/// How retries of one call are spaced and bounded.
#[derive(Debug, Clone)]
pub struct BackoffPolicy {
    /// The ceiling of the first delay.
    pub base: Duration,
    /// No delay exceeds this (unless the ATS's own retry-after is longer).
    pub cap: Duration,
    /// Attempts after the first; the call fails for good after that many retries.
    pub max_retries: u32,
}

impl Default for BackoffPolicy {
    fn default() -> Self {
        BackoffPolicy {
            base: Duration::from_millis(500),
            cap: Duration::from_secs(60),
            max_retries: 6,
        }
    }
}

impl BackoffPolicy {
    /// The delay before retry number `attempt` (0 for the first retry), or `None` when the
    /// retries are used up. `jitter` is a uniform sample in [0, 1) (injected so tests are exact).
    /// `retry_after` is the ATS's requested wait, which is honoured in full (the caller has
    /// already bounded it with [`RetryAfterCaps`]).
    pub fn delay(
        &self,
        attempt: u32,
        jitter: f64,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        if attempt >= self.max_retries {
            return None;
        }
        let exponential = self
            .base
            .saturating_mul(1u32.checked_shl(attempt.min(31)).unwrap_or(u32::MAX))
            .min(self.cap);
        // Full jitter (uniform between zero and the exponential ceiling) spreads the retries of
        // many connections that failed together.
        let jittered = exponential.mul_f64(jitter.clamp(0.0, 1.0));
        Some(match retry_after {
            Some(wait) => wait.max(jittered),
            None => jittered,
        })
    }

    /// [`delay`](Self::delay) with a random jitter.
    pub fn delay_random(&self, attempt: u32, retry_after: Option<Duration>) -> Option<Duration> {
        self.delay(attempt, rand::random::<f64>(), retry_after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_exponentially_up_to_the_cap() {
        let policy = BackoffPolicy {
            base: Duration::from_secs(1),
            cap: Duration::from_secs(10),
            max_retries: 10,
        };
        let full = |attempt| {
            policy
                .delay(attempt, 0.999_999, None)
                .unwrap()
                .as_secs_f64()
        };
        assert!((full(0) - 1.0).abs() < 0.01);
        assert!((full(1) - 2.0).abs() < 0.01);
        assert!((full(2) - 4.0).abs() < 0.01);
        assert!((full(3) - 8.0).abs() < 0.01);
        assert!((full(4) - 10.0).abs() < 0.01);
        assert!((full(9) - 10.0).abs() < 0.01);
    }

    #[test]
    fn jitter_scales_the_delay() {
        let policy = BackoffPolicy::default();
        assert_eq!(policy.delay(2, 0.0, None), Some(Duration::ZERO));
        assert_eq!(policy.delay(1, 0.5, None), Some(Duration::from_millis(500)));
    }

    #[test]
    fn retry_after_is_honoured_in_full() {
        let policy = BackoffPolicy::default();
        let wait = Duration::from_secs(3600);
        assert_eq!(policy.delay(0, 0.3, Some(wait)), Some(wait));
    }

    #[test]
    fn a_retry_after_is_at_most_the_window_of_its_limit() {
        let caps = RetryAfterCaps::default();
        for seconds in [u64::MAX, i64::MAX as u64, 86_401] {
            assert_eq!(caps.clamp(RateLimitScope::Daily, seconds), DAILY_WINDOW);
            assert_eq!(caps.clamp(RateLimitScope::Unknown, seconds), DAILY_WINDOW);
            assert_eq!(
                caps.clamp(RateLimitScope::ShortWindow, seconds),
                SHORT_WINDOW
            );
        }
        assert_eq!(
            caps.clamp(RateLimitScope::ShortWindow, 30),
            Duration::from_secs(30)
        );
        assert_eq!(
            caps.clamp(RateLimitScope::Daily, 9_299),
            Duration::from_secs(9_299)
        );
    }

    #[test]
    fn retries_run_out() {
        let policy = BackoffPolicy {
            max_retries: 2,
            ..BackoffPolicy::default()
        };
        assert!(policy.delay(1, 0.5, None).is_some());
        assert!(policy.delay(2, 0.5, None).is_none());
    }
}
