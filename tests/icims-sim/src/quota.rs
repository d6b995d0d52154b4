//! Per-customer request quota (§12): a fixed window on the sim clock aligned to the unix epoch,
//! so the default 86,400 s window resets at 00:00 UTC and `x-ratelimit-reset` is the number of
//! seconds until then (the captured headers satisfy exactly this).

use serde::{Deserialize, Serialize};

use crate::config::QuotaConfig;

#[derive(Debug, Default)]
pub struct QuotaMeter {
    window: i64,
    used: u64,
    /// Requests refused because the quota was spent, over the simulator's life: a well-behaved
    /// client keeps this at zero.
    refused: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaSnapshot {
    pub limit: u64,
    pub used: u64,
    pub remaining: u64,
    /// Seconds until the window resets.
    pub reset_secs: i64,
    pub window_secs: u64,
    /// Requests answered "quota exhausted" since the simulator started (all windows).
    pub refused_total: u64,
}

impl QuotaMeter {
    fn roll(&mut self, cfg: &QuotaConfig, now: i64) -> i64 {
        let len = cfg.window_secs.max(1) as i64;
        let window = now.div_euclid(len);
        if window != self.window {
            self.window = window;
            self.used = 0;
        }
        (window + 1) * len - now
    }

    fn snapshot(&self, cfg: &QuotaConfig, reset_secs: i64) -> QuotaSnapshot {
        QuotaSnapshot {
            limit: cfg.limit,
            used: self.used,
            remaining: cfg.limit.saturating_sub(self.used),
            reset_secs,
            window_secs: cfg.window_secs,
            refused_total: self.refused,
        }
    }

    /// Counts one request. `Err` when the window's quota is already spent (not counted).
    pub fn consume(&mut self, cfg: &QuotaConfig, now: i64) -> Result<QuotaSnapshot, QuotaSnapshot> {
        let reset = self.roll(cfg, now);
        if self.used >= cfg.limit {
            self.refused += 1;
            return Err(self.snapshot(cfg, reset));
        }
        self.used += 1;
        Ok(self.snapshot(cfg, reset))
    }

    pub fn peek(&mut self, cfg: &QuotaConfig, now: i64) -> QuotaSnapshot {
        let reset = self.roll(cfg, now);
        self.snapshot(cfg, reset)
    }

    pub fn set_used(&mut self, cfg: &QuotaConfig, now: i64, used: u64) {
        self.roll(cfg, now);
        self.used = used;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daily_window_resets_at_midnight_utc() {
        let cfg = QuotaConfig {
            limit: 2,
            ..QuotaConfig::default()
        };
        let mut m = QuotaMeter::default();
        // 21:25:01 UTC → 9299 s to midnight, as in the captured iCIMS headers.
        let t = 19_000 * 86_400 + 21 * 3600 + 25 * 60 + 1;
        let s = m.consume(&cfg, t).unwrap();
        assert_eq!((s.remaining, s.reset_secs), (1, 9299));
        assert!(m.consume(&cfg, t).is_ok());
        let e = m.consume(&cfg, t + 10).unwrap_err();
        assert_eq!((e.remaining, e.used), (0, 2));
        let next_day = m.consume(&cfg, t + 9299).unwrap();
        assert_eq!((next_day.used, next_day.reset_secs), (1, 86_400));
    }
}
