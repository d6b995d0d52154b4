//! The one error type of the mirror boundary. Callers match on it (e.g. `SchemaTooNew` stops the
//! host with a clear message), so it is typed with `thiserror` rather than `anyhow`.

/// Why a mirror call failed.
#[derive(Debug, thiserror::Error)]
pub enum MirrorError {
    /// The database file was written by a newer host than this one.
    #[error(
        "the mirror database is at schema version {found}, newer than this host knows ({known}); \
         upgrade the host or point it at another mirror file"
    )]
    SchemaTooNew { found: i64, known: i64 },
    /// The database lacks something the backend needs (SQLite without FTS5, say).
    #[error("the mirror's database lacks {0}")]
    MissingFeature(&'static str),
    /// A record cannot be stored as given (empty id, application without candidate or job).
    #[error("invalid {kind} record `{id}`: {reason}")]
    InvalidRecord {
        kind: ats_model::RecordKind,
        id: String,
        reason: &'static str,
    },
    /// An id handed back by the mirror (run, scan) is unknown or already closed.
    #[error("{0}")]
    NotFound(String),
    /// A stored value could not be decoded (a damaged or hand-edited file).
    #[error("corrupt stored value in {table}.{column}: {detail}")]
    Corrupt {
        table: &'static str,
        column: &'static str,
        detail: String,
    },
    /// The backend's database failed (I/O, a lock held too long, a lost connection). The
    /// backend names itself in the message; callers only learn that the store failed.
    #[error("{backend}: {source}")]
    Backend {
        backend: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A page written under a lease another process has taken since: nothing of it was kept.
    #[error(
        "the stream `{stream}` of connection `{conn}` was taken over by another process; this \
         run's page was not written (the other process resumes from the last committed page)"
    )]
    LeaseLost { conn: String, stream: String },
}

impl MirrorError {
    /// A backend's own error, kept as the source.
    pub fn backend(
        backend: &'static str,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> MirrorError {
        MirrorError::Backend {
            backend,
            source: Box::new(source),
        }
    }
}
