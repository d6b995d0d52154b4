//! The ETA of a load in progress, estimated honestly.
//!
//! iCIMS search gives no total count (1,000 ids a call, no cursor, no total), so the size of a
//! full load is known only from the mirror: the live count of the stream's kind once an earlier
//! run of the stream has completed (the mirror then holds the whole set). On a first load there
//! is no such number, and the estimate says so rather than inventing one. The speed is what the
//! run's committed pages cost per second of reading (time paused between runs is not counted),
//! and the quota ledger turns the requests still to send into time, waiting for the next
//! windows when the lane's share of this one will not do ([`QuotaLedger::eta_seconds`]).

use ats_mirror::{RunMode, RunProgress};
use ats_model::Timestamp;
use ats_sync::quota::{Lane, QuotaLedger};
use serde::Serialize;

/// Where a load in progress stands, for `ats status`, the API's status and the admin page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoadProgress {
    /// `full` or `incremental`.
    pub mode: &'static str,
    /// Records the load has read so far (over all its resumptions).
    pub read: u64,
    /// How many records the load should read in all, when the mirror knows (never on a first
    /// load, never for an incremental run: iCIMS tells no total).
    pub expected: Option<u64>,
    /// Seconds until the load should end, quota waits included; `None` when unknown.
    pub eta_seconds: Option<u64>,
    /// The same in words: "about 4 min left (300 of ~1,200 records)".
    pub words: String,
}

/// What the estimate is made from.
#[derive(Debug, Clone, Copy)]
pub struct LoadFacts {
    pub mode: RunMode,
    pub progress: RunProgress,
    /// The mirror's live count of the stream's kind, when an earlier run of the stream
    /// completed; `None` on a first load.
    pub known_size: Option<u64>,
    /// The lane the load spends quota from.
    pub lane: Lane,
}

fn records(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "less than a minute", "about 7 min", "about 3 h 20 min", "about 2 days".
pub fn time_left(seconds: u64) -> String {
    let minutes = seconds.div_ceil(60);
    if seconds < 60 {
        "less than a minute".into()
    } else if minutes < 120 {
        format!("about {minutes} min")
    } else if minutes < 48 * 60 {
        match minutes % 60 {
            0 => format!("about {} h", minutes / 60),
            m => format!("about {} h {m} min", minutes / 60),
        }
    } else {
        format!("about {} days", minutes.div_ceil(24 * 60))
    }
}

/// Estimates how long the load has left. `ledger` is the connection's quota ledger when the
/// host knows one (without it, only the observed speed counts).
pub fn estimate(
    facts: LoadFacts,
    ledger: Option<&mut QuotaLedger>,
    now: Timestamp,
) -> LoadProgress {
    let p = facts.progress;
    let read = p.records;
    let unknown = |expected, words| LoadProgress {
        mode: facts.mode.as_str(),
        read,
        expected,
        eta_seconds: None,
        words,
    };
    if facts.mode != RunMode::Full {
        return unknown(
            None,
            format!(
                "catching up: {} changed records read (iCIMS does not say how many changed)",
                records(read)
            ),
        );
    }
    let Some(size) = facts.known_size else {
        return unknown(
            None,
            format!(
                "{} records read; size unknown until the first full load ends",
                records(read)
            ),
        );
    };
    // More records than last time: the load is near its end, however many more there are.
    let expected = size.max(read);
    let of = format!("{} of ~{} records", records(read), records(expected));
    if read >= expected {
        return LoadProgress {
            eta_seconds: Some(0),
            ..unknown(Some(expected), format!("almost done ({of})"))
        };
    }
    if read == 0 || p.busy_ms == 0 {
        return unknown(Some(expected), format!("measuring the speed ({of})"));
    }
    let busy = p.busy_ms as f64 / 1000.0;
    // Requests per record (one search per page besides a GET per record, for iCIMS); a source
    // that reports no requests is timed by records.
    let (per_record, per_second) = match p.requests {
        0 => (1.0, read as f64 / busy),
        r => (r as f64 / read as f64, r as f64 / busy),
    };
    let requests_left = ((expected - read) as f64 * per_record).ceil() as u64;
    let seconds = match ledger {
        Some(ledger) => ledger.eta_seconds(facts.lane, requests_left, per_second, now),
        None => Some((requests_left as f64 / per_second.max(0.001)).ceil() as u64),
    };
    match seconds {
        Some(s) => LoadProgress {
            eta_seconds: Some(s),
            ..unknown(Some(expected), format!("{} left ({of})", time_left(s)))
        },
        None => unknown(
            Some(expected),
            format!("time left unknown until the ATS tells its quota ({of})"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ats_sync::quota::RateLimitHeaders;

    fn full(records: u64, requests: u64, busy_ms: u64, known_size: Option<u64>) -> LoadFacts {
        LoadFacts {
            mode: RunMode::Full,
            progress: RunProgress {
                records,
                requests,
                busy_ms,
            },
            known_size,
            lane: Lane::Backfill,
        }
    }

    #[test]
    fn a_first_load_says_its_size_is_unknown_instead_of_inventing_one() {
        let e = estimate(full(1_500, 1_502, 60_000, None), None, 0);
        assert_eq!(e.expected, None);
        assert_eq!(e.eta_seconds, None);
        assert_eq!(
            e.words,
            "1,500 records read; size unknown until the first full load ends"
        );
    }

    #[test]
    fn a_reload_divides_what_is_left_by_the_observed_speed() {
        // 300 records in 60 s of reading, 10 requests a page of 100 besides one GET each.
        let e = estimate(full(300, 303, 60_000, Some(1_200)), None, 0);
        assert_eq!(e.expected, Some(1_200));
        // 900 left × 1.01 requests each = 909 requests at 5.05 a second: 180 s.
        assert_eq!(e.eta_seconds, Some(180));
        assert_eq!(e.words, "about 3 min left (300 of ~1,200 records)");
    }

    #[test]
    fn the_quota_windows_the_rest_must_wait_for_are_counted() {
        let mut ledger = QuotaLedger::new(Some(1_000));
        ledger.record_response(
            RateLimitHeaders {
                limit: Some(1_000),
                remaining: Some(100),
                reset_seconds: Some(3_600),
            },
            0,
        );
        let facts = full(500, 500, 50_000, Some(1_000));
        let alone = estimate(facts, None, 0);
        assert_eq!(alone.eta_seconds, Some(50), "10 records a second");
        let with_quota = estimate(facts, Some(&mut ledger), 0);
        // 500 requests, about 100 of them in this window: the rest after the reset in an hour.
        let s = with_quota.eta_seconds.unwrap();
        assert!((3_600..3_700).contains(&s), "{s}");
        assert_eq!(
            with_quota.words,
            "about 61 min left (500 of ~1,000 records)"
        );
    }

    #[test]
    fn no_pages_yet_means_no_speed_and_more_than_expected_means_almost_done() {
        let e = estimate(full(0, 0, 0, Some(1_000)), None, 0);
        assert_eq!(e.eta_seconds, None);
        assert_eq!(e.words, "measuring the speed (0 of ~1,000 records)");
        let e = estimate(full(1_040, 1_042, 9_000, Some(1_000)), None, 0);
        assert_eq!(e.expected, Some(1_040));
        assert_eq!(e.eta_seconds, Some(0));
        assert_eq!(e.words, "almost done (1,040 of ~1,040 records)");
    }

    #[test]
    fn an_incremental_run_has_no_total_to_count_down() {
        let mut facts = full(42, 43, 1_000, Some(1_000));
        facts.mode = RunMode::Incremental;
        let e = estimate(facts, None, 0);
        assert_eq!((e.expected, e.eta_seconds), (None, None));
        assert!(e.words.starts_with("catching up: 42 changed records read"));
    }

    #[test]
    fn time_left_reads_as_a_person_says_it() {
        assert_eq!(time_left(59), "less than a minute");
        assert_eq!(time_left(61), "about 2 min");
        assert_eq!(time_left(7_200), "about 2 h");
        assert_eq!(time_left(12_000), "about 3 h 20 min");
        assert_eq!(time_left(3 * 86_400), "about 3 days");
    }
}
