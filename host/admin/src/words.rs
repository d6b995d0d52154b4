//! Small shared wording for the pages: times, durations, optional values.

use ats_model::Timestamp;

pub fn when(at: Option<Timestamp>) -> String {
    ats_app::when::maybe_timestamp(at)
}

/// How far behind `mark` is `now`, in words ("3m 05s"), or a dash.
pub fn lag(mark: Option<Timestamp>, now: Timestamp) -> String {
    mark.map_or_else(
        || "-".into(),
        |m| ats_app::when::duration(now.saturating_sub(m).max(0) as u64),
    )
}

pub fn or_dash(text: Option<&str>) -> String {
    text.filter(|t| !t.is_empty()).unwrap_or("-").to_string()
}

/// The CSS class of a sync status's badge.
pub fn status_class(status: ats_sync::SyncStatus) -> &'static str {
    use ats_sync::SyncStatus::*;
    match status {
        Done => "good",
        Syncing | NotStarted => "quiet",
        PartiallySynced | PausedForQuota => "warn",
        Failed | NeedsAttention => "bad",
    }
}
