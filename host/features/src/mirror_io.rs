//! Small reads and read-backs shared by the features: live records from the mirror, and
//! reflecting an ATS write in the mirror at once.

use crate::{AtsWriter, FeatureError, Mirror};
use ats_model::{Application, AtsRecord, Candidate, Job, RecordKind, Status, Timestamp};

/// A live (not soft-deleted) record of the mirror.
fn live(
    mirror: &(impl Mirror + ?Sized),
    conn: &str,
    kind: RecordKind,
    id: &str,
) -> Result<Option<AtsRecord>, FeatureError> {
    Ok(mirror
        .record(conn, kind, id)?
        .filter(|s| s.deleted_at.is_none())
        .map(|s| s.record))
}

pub(crate) fn candidate(
    mirror: &(impl Mirror + ?Sized),
    conn: &str,
    id: &str,
) -> Result<Option<Candidate>, FeatureError> {
    Ok(match live(mirror, conn, RecordKind::Candidate, id)? {
        Some(AtsRecord::Candidate(c)) => Some(c),
        _ => None,
    })
}

pub(crate) fn job(
    mirror: &(impl Mirror + ?Sized),
    conn: &str,
    id: &str,
) -> Result<Option<Job>, FeatureError> {
    Ok(match live(mirror, conn, RecordKind::Job, id)? {
        Some(AtsRecord::Job(j)) => Some(j),
        _ => None,
    })
}

pub(crate) fn application(
    mirror: &(impl Mirror + ?Sized),
    conn: &str,
    id: &str,
) -> Result<Option<Application>, FeatureError> {
    Ok(match live(mirror, conn, RecordKind::Application, id)? {
        Some(AtsRecord::Application(a)) => Some(a),
        _ => None,
    })
}

pub(crate) fn statuses(
    mirror: &(impl Mirror + ?Sized),
    conn: &str,
) -> Result<Vec<Status>, FeatureError> {
    let mut out = Vec::new();
    for id in mirror.ids(conn, RecordKind::Status)? {
        if let Some(AtsRecord::Status(s)) = live(mirror, conn, RecordKind::Status, &id)? {
            out.push(s);
        }
    }
    Ok(out)
}

/// Reads a candidate back from the ATS after a write and stores it in the mirror. A failed
/// read-back is a warning, not an error: the write happened, and the next sync catches up.
pub(crate) async fn reflect_candidate(
    mirror: &(impl Mirror + ?Sized),
    writer: &impl AtsWriter,
    conn: &str,
    id: &str,
    now: Timestamp,
    warnings: &mut Vec<String>,
) -> Result<Option<Candidate>, FeatureError> {
    match writer.get_candidate(id).await {
        Ok(c) => {
            mirror.upsert_record(conn, &AtsRecord::Candidate(c.clone()), now)?;
            Ok(Some(c))
        }
        Err(e) => {
            warnings.push(format!(
                "wrote candidate {id} but could not read it back ({e}); the mirror shows it after the next sync"
            ));
            Ok(None)
        }
    }
}

/// As [`reflect_candidate`], for an application.
pub(crate) async fn reflect_application(
    mirror: &(impl Mirror + ?Sized),
    writer: &impl AtsWriter,
    conn: &str,
    id: &str,
    now: Timestamp,
    warnings: &mut Vec<String>,
) -> Result<Option<Application>, FeatureError> {
    match writer.get_application(id).await {
        Ok(a) => {
            mirror.upsert_record(conn, &AtsRecord::Application(a.clone()), now)?;
            Ok(Some(a))
        }
        Err(e) => {
            warnings.push(format!(
                "wrote application {id} but could not read it back ({e}); the mirror shows it after the next sync"
            ));
            Ok(None)
        }
    }
}
