//! The quota ledger: how many requests a connection may still send today, per priority lane.
//!
//! Every request a connector makes passes the host's HTTP hook, which asks this ledger first
//! (`try_admit`) and reports the ATS's rate-limit headers afterwards (`record_response`). The
//! ledger never admits a request that would overrun the quota: when a lane's share is spent it
//! answers with a [`QuotaPause`] that says until when, and the engine parks that lane.
//!
//! Lanes are ordered by priority. A lower lane may only spend while enough budget remains above
//! its *floor*, so that higher lanes (interactive writes first) always find budget left.

use crate::backoff::DAILY_WINDOW;
use ats_model::Timestamp;
use serde::{Deserialize, Serialize};

/// The length of a quota window: the ledger counts a connector's `requests-per-day`.
const WINDOW_SECONDS: u64 = DAILY_WINDOW.as_secs();

/// Work classes, highest priority first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Lane {
    /// Writes a person is waiting for: export, refresh, move, reject.
    Interactive,
    /// Incremental reads of applications (status changes matter most to recruiters).
    Applications,
    /// Incremental reads of jobs.
    Jobs,
    /// Incremental reads of candidates.
    People,
    /// First full loads and reconciliation scans: useful, never urgent.
    Backfill,
}

impl Lane {
    pub const ALL: [Lane; 5] = [
        Lane::Interactive,
        Lane::Applications,
        Lane::Jobs,
        Lane::People,
        Lane::Backfill,
    ];

    /// The share of the daily limit that must still remain after this lane's request, kept for
    /// the lanes above it.
    pub fn floor_fraction(self) -> f64 {
        match self {
            Lane::Interactive => 0.0,
            Lane::Applications => 0.05,
            Lane::Jobs => 0.08,
            Lane::People => 0.10,
            Lane::Backfill => 0.15,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Lane::Interactive => "interactive",
            Lane::Applications => "applications",
            Lane::Jobs => "jobs",
            Lane::People => "people",
            Lane::Backfill => "backfill",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A lane must wait: its share of the quota is spent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaPause {
    pub lane: Lane,
    /// When the quota window resets, when the ATS said.
    pub until: Option<Timestamp>,
}

/// The rate-limit facts one response carried.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateLimitHeaders {
    pub limit: Option<u64>,
    pub remaining: Option<u64>,
    /// Seconds until the window resets.
    pub reset_seconds: Option<u64>,
}

/// The quota ledger of one connection.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuotaLedger {
    /// Requests per window; `None` while unknown and no default was declared (no quota).
    limit: Option<u64>,
    /// Requests left in the window, as last reported by the ATS minus what we sent since.
    remaining: Option<u64>,
    /// When the current window ends.
    reset_at: Option<Timestamp>,
    /// Admitted requests whose answer has not come back yet.
    in_flight: u64,
    /// Requests sent per lane in the current window.
    spent: [u64; 5],
}

impl QuotaLedger {
    /// A ledger for an ATS that declares `requests_per_day` (before any header is seen).
    pub fn new(requests_per_day: Option<u64>) -> Self {
        QuotaLedger {
            limit: requests_per_day,
            remaining: requests_per_day,
            reset_at: None,
            in_flight: 0,
            spent: [0; 5],
        }
    }

    /// A ledger saved by an earlier process: requests it had in flight are over by now.
    pub fn restored(mut saved: QuotaLedger) -> Self {
        saved.in_flight = 0;
        saved
    }

    pub fn limit(&self) -> Option<u64> {
        self.limit
    }

    pub fn remaining(&self) -> Option<u64> {
        self.remaining
    }

    pub fn reset_at(&self) -> Option<Timestamp> {
        self.reset_at
    }

    pub fn spent(&self, lane: Lane) -> u64 {
        self.spent[lane.index()]
    }

    /// Starts a new window when the previous one has ended.
    fn roll_window(&mut self, now: Timestamp) {
        // A ledger saved before reset times were bounded may hold one beyond any window.
        if let Some(reset_at) = self.reset_at.as_mut() {
            *reset_at = (*reset_at).min(now.saturating_add(WINDOW_SECONDS as i64));
        }
        if let Some(reset_at) = self.reset_at
            && now >= reset_at
        {
            self.remaining = self.limit;
            self.reset_at = None;
            self.spent = [0; 5];
        }
    }

    /// How many requests `lane` may send now without eating into higher lanes' reserve.
    pub fn available(&mut self, lane: Lane, now: Timestamp) -> Option<u64> {
        self.roll_window(now);
        let (limit, remaining) = (self.limit?, self.remaining?);
        let floor = (limit as f64 * lane.floor_fraction()).ceil() as u64;
        Some(
            remaining
                .saturating_sub(self.in_flight)
                .saturating_sub(floor),
        )
    }

    /// Reserves one request for `lane`, or says until when the lane must wait.
    pub fn try_admit(&mut self, lane: Lane, now: Timestamp) -> Result<(), QuotaPause> {
        match self.available(lane, now) {
            Some(0) => Err(QuotaPause {
                lane,
                until: self.reset_at,
            }),
            _ => {
                self.in_flight += 1;
                self.spent[lane.index()] += 1;
                Ok(())
            }
        }
    }

    /// Settles an admitted request with what its answer said.
    pub fn record_response(&mut self, headers: RateLimitHeaders, now: Timestamp) {
        self.in_flight = self.in_flight.saturating_sub(1);
        if let Some(limit) = headers.limit {
            self.limit = Some(limit);
        }
        if let Some(reset) = headers.reset_seconds {
            // The quota is counted per day, so its window ends within a day, whatever the
            // header says (an absurd value must not park the connection or overflow).
            self.reset_at = Some(now.saturating_add(reset.min(WINDOW_SECONDS) as i64));
        }
        match headers.remaining {
            // The ATS's count is the truth; requests still in flight are not in it yet.
            Some(remaining) => self.remaining = Some(remaining),
            None => {
                if let Some(remaining) = self.remaining.as_mut() {
                    *remaining = remaining.saturating_sub(1);
                }
            }
        }
    }

    /// Settles an admitted request that got no answer (connection failed before sending).
    pub fn record_no_response(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
        // The ATS may still have counted it: assume it did, to stay on the safe side.
        if let Some(remaining) = self.remaining.as_mut() {
            *remaining = remaining.saturating_sub(1);
        }
    }

    /// Estimated seconds until `lane` can finish `requests` more requests, given the observed
    /// `requests_per_second` when not throttled. `None` when nothing is known.
    pub fn eta_seconds(
        &mut self,
        lane: Lane,
        requests: u64,
        requests_per_second: f64,
        now: Timestamp,
    ) -> Option<u64> {
        let speed = requests_per_second.max(0.001);
        let Some(available) = self.available(lane, now) else {
            return Some((requests as f64 / speed).ceil() as u64);
        };
        if requests <= available {
            return Some((requests as f64 / speed).ceil() as u64);
        }
        // The rest waits for later windows, each offering the lane its share above the floor.
        let limit = self.limit?;
        let per_window = limit
            .saturating_sub((limit as f64 * lane.floor_fraction()).ceil() as u64)
            .max(1);
        let first_wait = self.reset_at.map(|r| r.saturating_sub(now).max(0) as u64)?;
        let left = requests - available;
        let more_windows = left.div_ceil(per_window) - 1;
        let tail = left - more_windows * per_window;
        Some(
            first_wait
                .saturating_add(more_windows.saturating_mul(WINDOW_SECONDS))
                .saturating_add((tail as f64 / speed).ceil() as u64),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(limit: u64, remaining: u64, reset: u64) -> RateLimitHeaders {
        RateLimitHeaders {
            limit: Some(limit),
            remaining: Some(remaining),
            reset_seconds: Some(reset),
        }
    }

    #[test]
    fn unknown_quota_admits_everything() {
        let mut ledger = QuotaLedger::new(None);
        for _ in 0..10_000 {
            ledger.try_admit(Lane::Backfill, 0).unwrap();
        }
    }

    #[test]
    fn never_admits_past_the_remaining_budget() {
        let mut ledger = QuotaLedger::new(Some(100));
        ledger.try_admit(Lane::Interactive, 0).unwrap();
        ledger.record_response(headers(100, 3, 500), 0);
        // Three left: interactive may take exactly three, even all in flight at once.
        for _ in 0..3 {
            ledger.try_admit(Lane::Interactive, 1).unwrap();
        }
        let pause = ledger.try_admit(Lane::Interactive, 1).unwrap_err();
        assert_eq!(
            pause,
            QuotaPause {
                lane: Lane::Interactive,
                until: Some(500)
            }
        );
    }

    #[test]
    fn lower_lanes_leave_a_reserve_for_higher_ones() {
        let mut ledger = QuotaLedger::new(Some(1000));
        ledger.try_admit(Lane::Interactive, 0).unwrap();
        ledger.record_response(headers(1000, 200, 3600), 0);
        // Backfill keeps 15% (150) back, so it gets 50; people (10%) get 100.
        assert_eq!(ledger.available(Lane::Backfill, 0), Some(50));
        assert_eq!(ledger.available(Lane::People, 0), Some(100));
        assert_eq!(ledger.available(Lane::Applications, 0), Some(150));
        assert_eq!(ledger.available(Lane::Interactive, 0), Some(200));
        for _ in 0..50 {
            ledger.try_admit(Lane::Backfill, 0).unwrap();
        }
        assert!(ledger.try_admit(Lane::Backfill, 0).is_err());
        assert!(ledger.try_admit(Lane::Interactive, 0).is_ok());
    }

    #[test]
    fn the_window_resets_when_the_ats_said() {
        let mut ledger = QuotaLedger::new(Some(10));
        ledger.try_admit(Lane::People, 0).unwrap();
        ledger.record_response(headers(10, 0, 60), 0);
        assert!(ledger.try_admit(Lane::Interactive, 59).is_err());
        assert!(ledger.try_admit(Lane::People, 60).is_ok());
        assert_eq!(ledger.spent(Lane::People), 1);
    }

    #[test]
    fn an_unanswered_request_leaves_flight_and_counts_as_spent() {
        let mut ledger = QuotaLedger::new(Some(10));
        for _ in 0..10 {
            ledger.try_admit(Lane::Interactive, 0).unwrap();
        }
        assert!(ledger.try_admit(Lane::Interactive, 0).is_err());
        // Two requests got no answer (reset, timeout): no longer in flight, assumed counted.
        ledger.record_no_response();
        ledger.record_no_response();
        assert_eq!(ledger.remaining(), Some(8));
        assert_eq!(ledger.available(Lane::Interactive, 0), Some(0));
    }

    #[test]
    fn headers_override_the_declared_default() {
        let mut ledger = QuotaLedger::new(Some(10_000));
        ledger.try_admit(Lane::Jobs, 0).unwrap();
        ledger.record_response(headers(20_000, 19_902, 9_299), 0);
        assert_eq!(ledger.limit(), Some(20_000));
        assert_eq!(ledger.remaining(), Some(19_902));
        assert_eq!(ledger.reset_at(), Some(9_299));
    }

    #[test]
    fn an_absurd_reset_header_ends_the_window_within_a_day() {
        let mut ledger = QuotaLedger::new(Some(10));
        for reset in [u64::MAX, i64::MAX as u64, 1 << 63] {
            ledger.try_admit(Lane::Interactive, 1_000).unwrap();
            ledger.record_response(headers(10, 5, reset), 1_000);
            assert_eq!(ledger.reset_at(), Some(1_000 + 86_400));
        }
    }

    #[test]
    fn a_saved_reset_beyond_any_window_is_brought_back_within_a_day() {
        let mut saved = QuotaLedger::new(Some(10));
        saved.remaining = Some(0);
        saved.reset_at = Some(i64::MAX);
        let mut ledger = QuotaLedger::restored(saved);
        assert_eq!(ledger.available(Lane::Interactive, 1_000), Some(0));
        assert_eq!(ledger.reset_at(), Some(1_000 + 86_400));
        assert_eq!(
            ledger.eta_seconds(Lane::Interactive, u64::MAX, 1.0, 1_000),
            Some(u64::MAX)
        );
        assert_eq!(
            ledger.available(Lane::Interactive, 1_000 + 86_400),
            Some(10)
        );
    }

    #[test]
    fn eta_spans_windows_when_the_budget_is_short() {
        let mut ledger = QuotaLedger::new(Some(1000));
        ledger.try_admit(Lane::Interactive, 0).unwrap();
        ledger.record_response(headers(1000, 1000, 100), 0);
        // Backfill: 850 now, then 850 per day.
        assert_eq!(ledger.eta_seconds(Lane::Backfill, 850, 10.0, 0), Some(85));
        assert_eq!(
            ledger.eta_seconds(Lane::Backfill, 900, 10.0, 0),
            Some(100 + 5)
        );
        assert_eq!(
            ledger.eta_seconds(Lane::Backfill, 1800, 10.0, 0),
            Some(100 + 86_400 + 10)
        );
    }
}
