//! When each stream is due: pure functions of its stored state and interval, shared by the
//! scheduler (what to run) and the status view (what to show).

use ats_mirror::{ConnectionRow, StreamLabel, StreamState};
use ats_model::{StreamSpec, Timestamp};

/// When a stream should run next (pure: the scheduler and the status view share it). The
/// interval may be the plugin's own, so the arithmetic saturates.
pub fn next_run_at(
    state: Option<&StreamState>,
    interval_seconds: u64,
    now: Timestamp,
) -> Timestamp {
    let interval = i64::try_from(interval_seconds).unwrap_or(i64::MAX);
    let Some(state) = state else { return now };
    match state.label {
        StreamLabel::NotStarted | StreamLabel::Syncing => now,
        StreamLabel::Paused => state.paused_until.unwrap_or(now.saturating_add(300)),
        // A person must fix something; try again hourly in case they did.
        StreamLabel::NeedsAttention => state.last_failure_at.unwrap_or(now).saturating_add(3_600),
        StreamLabel::Failed => {
            let backoff = 60i64.saturating_mul(1 << state.consecutive_failures.min(10));
            state
                .last_failure_at
                .unwrap_or(now)
                .saturating_add(backoff.min(interval.max(60)))
        }
        StreamLabel::Done => state
            .last_success_at
            .unwrap_or(now)
            .saturating_add(unstamped_interval(state, interval)),
    }
}

/// The longest an incremental stream that keeps reading records without an update date is
/// backed off to: it still runs daily, so changes arrive, at the cost of one full read a day.
pub const MAX_UNSTAMPED_INTERVAL: i64 = 86_400;

/// The interval of a stream whose last completed runs read records without an update date:
/// doubled per such run in a row (up to [`MAX_UNSTAMPED_INTERVAL`], never below the stream's
/// own), since each run re-reads them all and would spend the quota unseen.
pub fn unstamped_interval(state: &StreamState, interval: i64) -> i64 {
    if state.unstamped_records == 0 {
        return interval;
    }
    let backed_off = interval.saturating_mul(1 << state.unstamped_runs.min(16));
    backed_off.min(MAX_UNSTAMPED_INTERVAL).max(interval)
}

/// The interval of a stream on a connection: the connection's override, else the default.
pub fn interval_of(row: &ConnectionRow, stream: &StreamSpec) -> u64 {
    row.stream_intervals
        .get(&stream.name)
        .copied()
        .unwrap_or(stream.default_interval_seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(label: StreamLabel) -> StreamState {
        StreamState {
            label,
            ..StreamState::default()
        }
    }

    #[test]
    fn next_run_follows_the_label() {
        let now = 1_000_000;
        assert_eq!(next_run_at(None, 600, now), now);
        let mut done = state(StreamLabel::Done);
        done.last_success_at = Some(now - 100);
        assert_eq!(next_run_at(Some(&done), 600, now), now + 500);
        let mut paused = state(StreamLabel::Paused);
        paused.paused_until = Some(now + 42);
        assert_eq!(next_run_at(Some(&paused), 600, now), now + 42);
        let mut failed = state(StreamLabel::Failed);
        failed.last_failure_at = Some(now);
        failed.consecutive_failures = 2;
        assert_eq!(next_run_at(Some(&failed), 3_600, now), now + 240);
        failed.consecutive_failures = 9;
        assert_eq!(next_run_at(Some(&failed), 600, now), now + 600);
    }

    #[test]
    fn a_stream_reading_records_without_update_dates_backs_off_to_a_day() {
        let now = 1_000_000;
        let mut done = state(StreamLabel::Done);
        done.last_success_at = Some(now);
        done.unstamped_records = 209;
        done.unstamped_runs = 1;
        assert_eq!(next_run_at(Some(&done), 900, now), now + 1_800);
        done.unstamped_runs = 3;
        assert_eq!(next_run_at(Some(&done), 900, now), now + 7_200);
        done.unstamped_runs = 30;
        assert_eq!(next_run_at(Some(&done), 900, now), now + 86_400);
        // Never shorter than the stream's own interval.
        assert_eq!(next_run_at(Some(&done), 172_800, now), now + 172_800);
        done.unstamped_records = 0;
        assert_eq!(next_run_at(Some(&done), 900, now), now + 900);
    }

    #[test]
    fn an_absurd_interval_from_the_plugin_means_never_again_not_a_panic_or_always() {
        let now = 1_000_000;
        let mut done = state(StreamLabel::Done);
        done.last_success_at = Some(now);
        for interval in [u64::MAX, i64::MAX as u64] {
            assert_eq!(next_run_at(Some(&done), interval, now), i64::MAX);
        }
    }
}
