//! The backend's own error: what its SQL code returns inside, turned into the neutral
//! [`MirrorError`] at the trait boundary (`async_api.rs`).

use ats_mirror::MirrorError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Mirror(#[from] MirrorError),
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    SearchIndex(#[from] ats_search_index::Error),
}

impl From<Error> for MirrorError {
    fn from(e: Error) -> MirrorError {
        match e {
            Error::Mirror(e) => e,
            Error::Sqlite(e) => MirrorError::backend("SQLite", e),
            Error::Json(e) => MirrorError::Json(e),
            Error::SearchIndex(e) => MirrorError::backend("search index", e),
        }
    }
}
