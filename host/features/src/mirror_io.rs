//! Small reads and read-backs shared by the features: live records from the mirror, and
//! reflecting an ATS write in the mirror at once.

use crate::{FeatureError, Mirror};
use ats_model::{ConnectorError, RecordKind, Status, Timestamp, TypedRecord};
use std::future::Future;

/// A live (not soft-deleted) record of the mirror, of the asked type.
pub(crate) async fn live<T: TypedRecord>(
    mirror: &(impl Mirror + ?Sized),
    conn: &str,
    id: &str,
) -> Result<Option<T>, FeatureError> {
    Ok(mirror
        .record(conn, T::KIND, id)
        .await?
        .filter(|s| s.deleted_at.is_none())
        .and_then(|s| T::from_record(s.record)))
}

/// Reads of one call kept in flight by [`live_many`].
const READS_IN_FLIGHT: usize = 4;

/// Live records by id, in the order asked, a few reads in flight: every read is a hop to the
/// backend (a blocking thread and a pooled connection for SQLite), and starting hundreds at
/// once opened as many connections and cost ~0.5 ms a record instead of ~50 µs.
pub(crate) async fn live_many<T: TypedRecord>(
    mirror: &(impl Mirror + ?Sized),
    conn: &str,
    ids: Vec<String>,
) -> Result<Vec<Option<T>>, FeatureError> {
    use futures::stream::{self, StreamExt, TryStreamExt};
    // Owned ids: a closure over borrowed ones makes the future not `Send` for every lifetime,
    // which the service's handlers need.
    stream::iter(ids)
        .map(|id| async move { live::<T>(mirror, conn, &id).await })
        .buffered(READS_IN_FLIGHT)
        .try_collect()
        .await
}

pub(crate) async fn statuses(
    mirror: &(impl Mirror + ?Sized),
    conn: &str,
) -> Result<Vec<Status>, FeatureError> {
    // Read side by side: each read is a hop to the backend (a blocking thread for SQLite, a
    // round trip for a server), and an export resolving a stage waits for all of them.
    let ids = mirror.ids(conn, RecordKind::Status).await?;
    let reads = ids.iter().map(|id| live::<Status>(mirror, conn, id));
    let mut out = Vec::with_capacity(ids.len());
    for status in futures::future::join_all(reads).await {
        out.extend(status?);
    }
    Ok(out)
}

/// Stores what `read_back` (the ATS's copy of record `id`, after a write) returns in the mirror.
/// A failed read-back is a warning, not an error: the write happened, and the next sync catches
/// up.
pub(crate) async fn reflect<T: TypedRecord>(
    mirror: &(impl Mirror + ?Sized),
    read_back: impl Future<Output = Result<T, ConnectorError>>,
    conn: &str,
    id: &str,
    now: Timestamp,
    warnings: &mut Vec<String>,
) -> Result<Option<T>, FeatureError> {
    match read_back.await {
        Ok(record) => {
            mirror
                .upsert_record(conn, record.clone().into_record(), now)
                .await?;
            Ok(Some(record))
        }
        Err(e) => {
            warnings.push(format!(
                "wrote {} {id} but could not read it back ({e}); the mirror shows it after the next sync",
                T::KIND
            ));
            Ok(None)
        }
    }
}
