//! Sync status in the words recruiters' tools use, with the last error in plain language.

use ats_model::{ConnectorError, Timestamp};
use serde::{Deserialize, Serialize};

/// Where a stream (or a whole connection) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SyncStatus {
    /// Never synced.
    NotStarted,
    /// A run is in progress (or was interrupted and will resume from its checkpoint).
    Syncing,
    /// The last run completed.
    Done,
    /// Some streams are done, others failed or wait.
    PartiallySynced,
    /// The last run failed with an error that a retry may fix.
    Failed,
    /// Waiting for the ATS's request quota to reset.
    PausedForQuota,
    /// A person must act (credentials, permissions, settings) before syncing can continue.
    NeedsAttention,
}

impl SyncStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SyncStatus::NotStarted => "not started",
            SyncStatus::Syncing => "syncing",
            SyncStatus::Done => "done",
            SyncStatus::PartiallySynced => "partially synced",
            SyncStatus::Failed => "failed",
            SyncStatus::PausedForQuota => "paused for quota",
            SyncStatus::NeedsAttention => "needs attention",
        }
    }

    pub fn parse(text: &str) -> Option<SyncStatus> {
        [
            SyncStatus::NotStarted,
            SyncStatus::Syncing,
            SyncStatus::Done,
            SyncStatus::PartiallySynced,
            SyncStatus::Failed,
            SyncStatus::PausedForQuota,
            SyncStatus::NeedsAttention,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    /// The status a failed run leaves its stream in.
    pub fn after_error(error: &ConnectorError) -> SyncStatus {
        match error {
            ConnectorError::Unauthorized { .. }
            | ConnectorError::PermissionMissing { .. }
            | ConnectorError::Misconfigured { .. } => SyncStatus::NeedsAttention,
            ConnectorError::RateLimited { .. } => SyncStatus::PausedForQuota,
            _ => SyncStatus::Failed,
        }
    }

    /// A connection's status from its streams' statuses.
    pub fn of_connection(streams: &[SyncStatus]) -> SyncStatus {
        use SyncStatus::*;
        if streams.is_empty() || streams.iter().all(|s| *s == NotStarted) {
            return NotStarted;
        }
        for urgent in [NeedsAttention, Syncing, PausedForQuota] {
            if streams.contains(&urgent) {
                return urgent;
            }
        }
        if streams.iter().all(|s| *s == Done) {
            Done
        } else if streams.contains(&Done) || streams.contains(&PartiallySynced) {
            PartiallySynced
        } else {
            Failed
        }
    }
}

impl std::fmt::Display for SyncStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The last error of a stream, as a person should read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorReport {
    /// What went wrong.
    pub message: String,
    /// What to do about it.
    pub advice: String,
    pub at: Timestamp,
}

impl ErrorReport {
    pub fn from_connector(error: &ConnectorError, at: Timestamp) -> Self {
        ErrorReport {
            message: error.to_string(),
            advice: error.advice().to_string(),
            at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SyncStatus::*;

    #[test]
    fn errors_map_to_what_a_person_must_do() {
        let unauthorized = ConnectorError::Unauthorized {
            message: "bad secret".into(),
        };
        assert_eq!(SyncStatus::after_error(&unauthorized), NeedsAttention);
        let transient = ConnectorError::Transient {
            message: "503".into(),
        };
        assert_eq!(SyncStatus::after_error(&transient), Failed);
        let limited = ConnectorError::RateLimited {
            retry_after_seconds: Some(10),
            scope: ats_model::RateLimitScope::Daily,
            message: "quota".into(),
        };
        assert_eq!(SyncStatus::after_error(&limited), PausedForQuota);
    }

    #[test]
    fn connection_status_summarises_streams() {
        assert_eq!(SyncStatus::of_connection(&[]), NotStarted);
        assert_eq!(SyncStatus::of_connection(&[Done, Done]), Done);
        assert_eq!(SyncStatus::of_connection(&[Done, Failed]), PartiallySynced);
        assert_eq!(SyncStatus::of_connection(&[Failed, Failed]), Failed);
        assert_eq!(
            SyncStatus::of_connection(&[Done, NeedsAttention]),
            NeedsAttention
        );
        assert_eq!(
            SyncStatus::of_connection(&[Done, PausedForQuota]),
            PausedForQuota
        );
        assert_eq!(
            SyncStatus::of_connection(&[NotStarted, Done]),
            PartiallySynced
        );
    }

    #[test]
    fn labels_round_trip() {
        for s in [
            NotStarted,
            Syncing,
            Done,
            PartiallySynced,
            Failed,
            PausedForQuota,
            NeedsAttention,
        ] {
            assert_eq!(SyncStatus::parse(s.as_str()), Some(s));
        }
    }
}
