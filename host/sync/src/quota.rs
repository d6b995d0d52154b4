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
use std::collections::BTreeMap;

/// The length of a quota window: the ledger counts a connector's `requests-per-day`.
const WINDOW_SECONDS: u64 = DAILY_WINDOW.as_secs();

/// How long a sender's in-flight requests count after it last touched the ledger. Every request
/// is settled when its answer's headers arrive or it fails, within the HTTP client's connect and
/// first-byte timeouts (a minute or two), so a sender silent for this long has ended (a killed
/// process) and its requests are over.
pub const FLIGHT_LEASE_SECONDS: i64 = 15 * 60;

/// Two reset times closer than this belong to the same window (each answer's reset is counted
/// from the moment it arrived, so they differ by latency and rounding).
const RESET_SLACK_SECONDS: i64 = 2;

/// A reservation takes at most this share (1/N) of what the lane may still send.
pub const RESERVE_SHARE: u64 = 8;

/// The sender of this process when the ledger is not shared.
const LOCAL: &str = "";

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

    pub(crate) fn index(self) -> usize {
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
///
/// It may be shared by several processes (the mirror's database keeps it, see
/// [`QuotaMeter::shared`](crate::QuotaMeter::shared)): requests in flight are then counted per
/// sender, so a sender that dies with requests in flight stops holding budget back once its lease
/// ([`FLIGHT_LEASE_SECONDS`]) runs out, while the others' stay counted.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuotaLedger {
    /// Requests per window; `None` while unknown and no default was declared (no quota).
    limit: Option<u64>,
    /// Requests left in the window, as last reported by the ATS minus what we sent since.
    remaining: Option<u64>,
    /// When the current window ends.
    reset_at: Option<Timestamp>,
    /// Admitted requests whose answer has not come back yet, by sender. (Ledgers saved before
    /// senders had a single `in_flight` number, which restoring discarded anyway.)
    #[serde(default)]
    flights: BTreeMap<String, Flight>,
    /// Requests sent per lane in the current window.
    spent: [u64; 5],
    /// The same, by UTC hour of the current window, oldest first: what the admin page charts.
    /// (Ledgers saved before it start with none.)
    #[serde(default)]
    hourly: Vec<SpentHour>,
}

/// Requests sent per lane ([`Lane::ALL`]'s order) in one UTC hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpentHour {
    /// The hour's first second.
    pub hour: Timestamp,
    pub spent: [u64; 5],
}

/// One sender's requests in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Flight {
    requests: u64,
    /// When the sender last admitted or settled a request.
    seen_at: Timestamp,
}

impl QuotaLedger {
    /// A ledger for an ATS that declares `requests_per_day` (before any header is seen).
    pub fn new(requests_per_day: Option<u64>) -> Self {
        QuotaLedger {
            limit: requests_per_day,
            remaining: requests_per_day,
            reset_at: None,
            flights: BTreeMap::new(),
            spent: [0; 5],
            hourly: Vec::new(),
        }
    }

    /// A ledger saved by an earlier process: requests it had in flight are over by now.
    pub fn restored(mut saved: QuotaLedger) -> Self {
        saved.flights.clear();
        saved
    }

    /// Requests admitted and not settled yet, by every sender.
    pub fn in_flight(&self) -> u64 {
        self.flights.values().map(|f| f.requests).sum()
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

    /// Requests sent per lane by hour over the current window, oldest hour first (hours in
    /// which nothing was sent are absent).
    pub fn spent_by_hour(&self) -> &[SpentHour] {
        &self.hourly
    }

    /// Adds `requests` (negative: gives them back) to `lane`'s count of the hour of `now`.
    fn count_hourly(&mut self, lane: Lane, requests: i64, now: Timestamp) {
        let hour = now - now.rem_euclid(3600);
        // A window is a day: older hours belong to an earlier one.
        self.hourly
            .retain(|h| h.hour > hour - WINDOW_SECONDS as i64);
        if self.hourly.last().is_none_or(|h| h.hour < hour) {
            self.hourly.push(SpentHour {
                hour,
                spent: [0; 5],
            });
        }
        // Clocks of several senders may differ a little: count into the newest hour.
        if let Some(last) = self.hourly.last_mut() {
            let spent = &mut last.spent[lane.index()];
            *spent = spent.saturating_add_signed(requests);
        }
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
            self.hourly.clear();
        }
    }

    /// Forgets the flights of senders silent for longer than their lease.
    fn expire_flights(&mut self, now: Timestamp) {
        self.flights
            .retain(|_, f| now.saturating_sub(f.seen_at) < FLIGHT_LEASE_SECONDS);
    }

    /// How many requests `lane` may send now without eating into higher lanes' reserve.
    pub fn available(&mut self, lane: Lane, now: Timestamp) -> Option<u64> {
        self.roll_window(now);
        self.expire_flights(now);
        let (limit, remaining) = (self.limit?, self.remaining?);
        let floor = (limit as f64 * lane.floor_fraction()).ceil() as u64;
        Some(
            remaining
                .saturating_sub(self.in_flight())
                .saturating_sub(floor),
        )
    }

    /// Reserves one request for `lane`, or says until when the lane must wait.
    pub fn try_admit(&mut self, lane: Lane, now: Timestamp) -> Result<(), QuotaPause> {
        self.try_admit_for(LOCAL, lane, now)
    }

    /// [`try_admit`](Self::try_admit) for one of several senders sharing the ledger.
    pub fn try_admit_for(
        &mut self,
        sender: &str,
        lane: Lane,
        now: Timestamp,
    ) -> Result<(), QuotaPause> {
        self.reserve_for(sender, lane, 1, now).map(|_| ())
    }

    /// Reserves up to `wanted` requests of `lane` for `sender` at once, so that it can admit
    /// them without asking the ledger again; returns how many (at least one), or until when the
    /// lane must wait. Fewer are given when little is left ([`RESERVE_SHARE`]), so that one
    /// sender's reserve never holds back much of what others could spend. Reserved requests
    /// count as the sender's requests in flight and as spent until each is settled or
    /// [given back](Self::give_back_for).
    pub fn reserve_for(
        &mut self,
        sender: &str,
        lane: Lane,
        wanted: u64,
        now: Timestamp,
    ) -> Result<u64, QuotaPause> {
        let granted = match self.available(lane, now) {
            Some(0) => {
                return Err(QuotaPause {
                    lane,
                    until: self.reset_at,
                });
            }
            Some(available) => wanted.min(available / RESERVE_SHARE).max(1),
            None => wanted.max(1),
        };
        let flight = self.flights.entry(sender.to_string()).or_insert(Flight {
            requests: 0,
            seen_at: now,
        });
        flight.requests += granted;
        flight.seen_at = flight.seen_at.max(now);
        self.spent[lane.index()] += granted;
        self.count_hourly(lane, granted as i64, now);
        Ok(granted)
    }

    /// Gives back `unused` requests `sender` reserved for `lane` and did not send.
    pub fn give_back_for(&mut self, sender: &str, lane: Lane, unused: u64, now: Timestamp) {
        if unused == 0 {
            return;
        }
        if let Some(flight) = self.flights.get_mut(sender) {
            flight.requests = flight.requests.saturating_sub(unused);
            flight.seen_at = flight.seen_at.max(now);
            if flight.requests == 0 {
                self.flights.remove(sender);
            }
        }
        let spent = &mut self.spent[lane.index()];
        *spent = spent.saturating_sub(unused);
        self.count_hourly(lane, -(unused as i64), now);
    }

    /// Takes one of `sender`'s requests out of flight.
    fn land(&mut self, sender: &str, now: Option<Timestamp>) {
        if let Some(flight) = self.flights.get_mut(sender) {
            flight.requests = flight.requests.saturating_sub(1);
            if let Some(now) = now {
                flight.seen_at = flight.seen_at.max(now);
            }
            if flight.requests == 0 {
                self.flights.remove(sender);
            }
        }
    }

    /// Settles an admitted request with what its answer said.
    pub fn record_response(&mut self, headers: RateLimitHeaders, now: Timestamp) {
        self.record_response_for(LOCAL, headers, now)
    }

    /// [`record_response`](Self::record_response) for one of several senders.
    pub fn record_response_for(&mut self, sender: &str, headers: RateLimitHeaders, now: Timestamp) {
        self.land(sender, Some(now));
        let limit_changed = headers.limit.is_some_and(|l| self.limit != Some(l));
        if let Some(limit) = headers.limit {
            self.limit = Some(limit);
        }
        // The quota is counted per day, so its window ends within a day, whatever the header
        // says (an absurd value must not park the connection or overflow).
        let reported_reset = headers
            .reset_seconds
            .map(|reset| now.saturating_add(reset.min(WINDOW_SECONDS) as i64));
        // Answers can come back in another order than the ATS counted them (several requests in
        // flight, several processes): within one window its count only goes down, so an older
        // answer must not give back budget that a newer one already took. A reset clearly later
        // than the known one (or the first, or a new limit) starts a new window, whose count is
        // taken as it is.
        let same_window = match (self.reset_at, reported_reset) {
            _ if limit_changed => false,
            (None, _) => false,
            (Some(known), Some(reported)) => reported <= known + RESET_SLACK_SECONDS,
            (Some(_), None) => true,
        };
        if reported_reset.is_some() {
            self.reset_at = reported_reset;
        }
        match headers.remaining {
            // The ATS's count is the truth; requests still in flight are not in it yet.
            Some(reported) => {
                self.remaining = Some(match self.remaining {
                    Some(known) if same_window => known.min(reported),
                    _ => reported,
                })
            }
            None => {
                if let Some(remaining) = self.remaining.as_mut() {
                    *remaining = remaining.saturating_sub(1);
                }
            }
        }
    }

    /// Settles an admitted request that got no answer (connection failed before sending).
    pub fn record_no_response(&mut self) {
        self.settle_unanswered(LOCAL, None)
    }

    /// [`record_no_response`](Self::record_no_response) for one of several senders.
    pub fn record_no_response_for(&mut self, sender: &str, now: Timestamp) {
        self.settle_unanswered(sender, Some(now))
    }

    fn settle_unanswered(&mut self, sender: &str, now: Option<Timestamp>) {
        self.land(sender, now);
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
    fn spending_is_counted_by_hour_and_forgotten_with_the_window() {
        let mut ledger = QuotaLedger::new(Some(1_000));
        ledger.record_response(headers(1_000, 1_000, 86_400), 0);
        ledger.try_admit(Lane::Backfill, 10).unwrap();
        ledger.try_admit(Lane::Backfill, 20).unwrap();
        ledger.try_admit(Lane::Interactive, 3_700).unwrap();
        let granted = ledger.reserve_for("s", Lane::People, 4, 3_800).unwrap();
        ledger.give_back_for("s", Lane::People, granted - 1, 3_900);
        let hours = ledger.spent_by_hour();
        assert_eq!(hours.len(), 2);
        assert_eq!((hours[0].hour, hours[0].spent), (0, [0, 0, 0, 0, 2]));
        assert_eq!((hours[1].hour, hours[1].spent), (3_600, [1, 0, 0, 1, 0]));
        // The window ends at 86 400: a request after it starts a new history.
        ledger.try_admit(Lane::Jobs, 90_000).unwrap();
        let hours = ledger.spent_by_hour();
        assert_eq!(hours.len(), 1);
        assert_eq!(hours[0].spent, [0, 0, 1, 0, 0]);
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

    #[test]
    fn senders_share_the_budget_and_a_silent_one_stops_holding_it() {
        let mut ledger = QuotaLedger::new(Some(10));
        ledger.try_admit_for("a", Lane::Interactive, 0).unwrap();
        ledger.record_response_for("a", headers(10, 4, 3_600), 0);
        // Two senders, two requests each in flight: the last four are taken.
        for sender in ["a", "a", "b", "b"] {
            ledger.try_admit_for(sender, Lane::Interactive, 1).unwrap();
        }
        assert_eq!(ledger.in_flight(), 4);
        assert!(ledger.try_admit_for("c", Lane::Interactive, 1).is_err());
        // `a` answers; `b` dies with its two in flight.
        ledger.record_response_for("a", headers(10, 3, 3_599), 2);
        ledger.record_no_response_for("a", 2);
        assert_eq!(ledger.in_flight(), 2);
        assert_eq!(ledger.available(Lane::Interactive, 3), Some(0));
        // `b`'s requests are over once its lease ends (they were counted as spent by then).
        let later = 1 + FLIGHT_LEASE_SECONDS;
        assert_eq!(ledger.available(Lane::Interactive, later), Some(2));
        assert_eq!(ledger.in_flight(), 0);
    }

    #[test]
    fn an_older_answer_does_not_give_back_budget_within_a_window() {
        let mut ledger = QuotaLedger::new(Some(10));
        for _ in 0..2 {
            ledger.try_admit(Lane::Interactive, 0).unwrap();
        }
        // The ATS counted the first (5 left), then the second (4 left); answers come back
        // the other way round.
        ledger.record_response(headers(10, 4, 100), 0);
        ledger.record_response(headers(10, 5, 101), 1);
        assert_eq!(ledger.remaining(), Some(4));
        // The next window's first answer is taken as it is.
        ledger.try_admit(Lane::Interactive, 100).unwrap();
        ledger.record_response(headers(10, 9, 100), 100);
        assert_eq!(ledger.remaining(), Some(9));
        assert_eq!(ledger.reset_at(), Some(200));
    }

    #[test]
    fn a_reservation_takes_a_share_of_what_is_left_and_gives_back_what_it_did_not_use() {
        let mut ledger = QuotaLedger::new(Some(1000));
        ledger.try_admit(Lane::Interactive, 0).unwrap();
        ledger.record_response(headers(1000, 400, 3600), 0);
        // Backfill may send 250 (400 less its 150 floor): a reservation takes at most 1/8.
        assert_eq!(ledger.reserve_for("a", Lane::Backfill, 100, 1), Ok(31));
        assert_eq!(ledger.reserve_for("a", Lane::Backfill, 10, 1), Ok(10));
        assert_eq!(ledger.in_flight(), 41);
        assert_eq!(ledger.available(Lane::Backfill, 1), Some(250 - 41));
        // Near the end one at a time, then none.
        let mut ledger = QuotaLedger::new(Some(100));
        ledger.try_admit(Lane::Interactive, 0).unwrap();
        ledger.record_response(headers(100, 3, 3600), 0);
        for _ in 0..3 {
            assert_eq!(ledger.reserve_for("b", Lane::Interactive, 32, 1), Ok(1));
        }
        assert!(ledger.reserve_for("c", Lane::Interactive, 32, 1).is_err());
        // Two of the three were not sent: given back, they are free again and not spent.
        ledger.give_back_for("b", Lane::Interactive, 2, 2);
        assert_eq!(ledger.in_flight(), 1);
        assert_eq!(ledger.spent(Lane::Interactive), 2);
        assert_eq!(ledger.available(Lane::Interactive, 2), Some(2));
        // Without a known quota everything asked for is given.
        let mut open = QuotaLedger::new(None);
        assert_eq!(open.reserve_for("a", Lane::Backfill, 32, 0), Ok(32));
    }

    #[test]
    fn a_ledger_saved_with_a_single_in_flight_count_still_loads() {
        let saved =
            r#"{"limit":10,"remaining":7,"reset_at":null,"in_flight":3,"spent":[3,0,0,0,0]}"#;
        let mut ledger = QuotaLedger::restored(serde_json::from_str(saved).unwrap());
        assert_eq!(ledger.in_flight(), 0);
        assert_eq!(ledger.available(Lane::Interactive, 0), Some(7));
        assert_eq!(ledger.spent(Lane::Interactive), 3);
    }
}
