//! The backend's own error: what its SQL code returns inside, turned into the neutral
//! [`MirrorError`] at the trait boundary.

use ats_mirror::MirrorError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Mirror(#[from] MirrorError),
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] sqlx::Error),
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
}

impl From<Error> for MirrorError {
    fn from(e: Error) -> MirrorError {
        match e {
            Error::Mirror(e) => e,
            Error::Postgres(e) => MirrorError::backend("PostgreSQL", e),
            Error::Json(e) => MirrorError::Json(e),
        }
    }
}

/// A stored value that does not decode (a hand-edited row).
pub(crate) fn corrupt(table: &'static str, column: &'static str, detail: String) -> Error {
    MirrorError::Corrupt {
        table,
        column,
        detail,
    }
    .into()
}

/// A stored count or id that does not fit the type the mirror hands out.
pub(crate) fn unsigned(
    table: &'static str,
    column: &'static str,
    value: i64,
) -> Result<u64, Error> {
    u64::try_from(value).map_err(|_| corrupt(table, column, format!("negative count {value}")))
}
