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
    /// The SQLite library lacks something the mirror needs (FTS5).
    #[error("the SQLite build lacks {0}")]
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
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
}
