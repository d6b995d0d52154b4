//! A connection's health in one word for the list of connections, from its streams' statuses
//! (`ats_app::status_view`): what an operator scans for first.

use ats_app::status_view::StreamStatus;
use ats_model::Timestamp;
use ats_sync::SyncStatus;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    /// Every stream that ran is done or syncing.
    Ok,
    /// Some streams fail or need a person, others work; or streams work but leave records
    /// behind (record errors) or cannot sync incrementally.
    Degraded,
    /// Every stream that ran fails or needs a person.
    Failing,
    /// A stream waits for the ATS's request quota to reset.
    PausedForQuota,
    /// Someone paused the connection's syncs.
    Paused,
    /// Nothing has run yet.
    NotSynced,
}

impl Health {
    pub fn of(paused_at: Option<Timestamp>, streams: &[StreamStatus]) -> Health {
        if paused_at.is_some() {
            return Health::Paused;
        }
        let ran: Vec<SyncStatus> = streams
            .iter()
            .map(|s| s.status)
            .filter(|s| *s != SyncStatus::NotStarted)
            .collect();
        if ran.is_empty() {
            return Health::NotSynced;
        }
        if ran.contains(&SyncStatus::PausedForQuota) {
            return Health::PausedForQuota;
        }
        let bad = |s: &SyncStatus| matches!(s, SyncStatus::Failed | SyncStatus::NeedsAttention);
        let wanting = streams
            .iter()
            .any(|s| s.record_error_count > 0 || s.incremental_health.is_some());
        match ran.iter().filter(|s| bad(s)).count() {
            0 if wanting => Health::Degraded,
            0 => Health::Ok,
            n if n == ran.len() => Health::Failing,
            _ => Health::Degraded,
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Health::Ok => "ok",
            Health::Degraded => "degraded",
            Health::Failing => "failing",
            Health::PausedForQuota => "paused for quota",
            Health::Paused => "paused",
            Health::NotSynced => "not synced yet",
        }
    }

    /// The CSS class of its badge.
    pub fn class(self) -> &'static str {
        match self {
            Health::Ok => "good",
            Health::Degraded | Health::PausedForQuota | Health::Paused => "warn",
            Health::Failing => "bad",
            Health::NotSynced => "quiet",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ats_model::RecordKind;

    fn stream(status: SyncStatus) -> StreamStatus {
        StreamStatus {
            stream: "s".into(),
            kind: RecordKind::Candidate,
            status,
            last_success_at: None,
            high_water_mark: None,
            paused_until: None,
            interval_seconds: 60,
            next_run_at: 0,
            error: None,
            advice: None,
            record_error_count: 0,
            record_errors: Vec::new(),
            incremental_health: None,
            load: None,
        }
    }

    #[test]
    fn health_reads_the_worst_of_the_streams_that_ran() {
        use SyncStatus::*;
        let of =
            |s: &[SyncStatus]| Health::of(None, &s.iter().map(|s| stream(*s)).collect::<Vec<_>>());
        assert_eq!(of(&[Done, NotStarted]), Health::Ok);
        assert_eq!(of(&[Done, Failed]), Health::Degraded);
        assert_eq!(of(&[NeedsAttention, Failed, NotStarted]), Health::Failing);
        assert_eq!(of(&[Done, PausedForQuota]), Health::PausedForQuota);
        assert_eq!(of(&[NotStarted]), Health::NotSynced);
        assert_eq!(Health::of(Some(1), &[stream(Done)]), Health::Paused);
        let mut left_behind = stream(Done);
        left_behind.record_error_count = 1;
        assert_eq!(Health::of(None, &[left_behind]), Health::Degraded);
        let mut unstamped = stream(Done);
        unstamped.incremental_health = Some("every run re-reads 9 records".into());
        assert_eq!(Health::of(None, &[unstamped]), Health::Degraded);
    }
}
