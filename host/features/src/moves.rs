//! Moving an application to a status, and rejecting it with a reason.
//!
//! The reason is always kept in the mirror (`put_rejection_reason`), because many ATS APIs
//! cannot store one (iCIMS: rejection reasons are not writable through its API). When the
//! connector answers `reason_stored: false` the report says so plainly.

use crate::{AtsWriter, FeatureError, Mirror, mirror_io, status};
use ats_mirror::RejectionReason;
use ats_model::{Stage, Timestamp};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct MoveReport {
    pub application_id: String,
    /// What was asked, e.g. `stage interview` or `status C2028`.
    pub requested: String,
    /// The status and stage the ATS shows after the move (read back).
    pub status: Option<String>,
    pub stage: Option<Stage>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RejectReport {
    pub application_id: String,
    pub reason: Option<String>,
    /// The ATS stored the reason itself.
    pub reason_stored_in_ats: bool,
    /// The reason is kept in the host's mirror (always, when one was given).
    pub reason_kept_in_mirror: bool,
    /// Plain words about where the reason lives, when it matters.
    pub note: Option<String>,
    pub warnings: Vec<String>,
}

async fn known_application(
    mirror: &(impl Mirror + ?Sized),
    conn: &str,
    id: &str,
) -> Result<(), FeatureError> {
    mirror_io::live::<ats_model::Application>(mirror, conn, id)
        .await?
        .map(|_| ())
        .ok_or_else(|| FeatureError::UnknownRecord {
            kind: "application",
            id: id.to_string(),
        })
}

/// Moves application `id` to `target` (a stage, status id or status name).
pub async fn move_application<M: Mirror + ?Sized, W: AtsWriter>(
    mirror: &M,
    writer: &W,
    conn: &str,
    id: &str,
    target: &str,
    now: Timestamp,
) -> Result<MoveReport, FeatureError> {
    known_application(mirror, conn, id).await?;
    let target = status::resolve(mirror, conn, target).await?;
    let requested = status::describe(&target);
    let w = writer.move_application(id, target).await?;
    let mut warnings = w.warnings;
    let after = mirror_io::reflect(
        mirror,
        writer.get_application(id),
        conn,
        id,
        now,
        &mut warnings,
    )
    .await?;
    Ok(MoveReport {
        application_id: id.to_string(),
        requested,
        status: after
            .as_ref()
            .and_then(|a| a.status.as_ref())
            .map(|s| s.name.clone().unwrap_or_else(|| s.id.clone())),
        stage: after.and_then(|a| a.stage),
        warnings,
    })
}

/// Rejects application `id`, keeping `reason` in the mirror whatever the ATS can store.
pub async fn reject_application<M: Mirror + ?Sized, W: AtsWriter>(
    mirror: &M,
    writer: &W,
    conn: &str,
    id: &str,
    reason: Option<&str>,
    rejected_by: Option<&str>,
    now: Timestamp,
) -> Result<RejectReport, FeatureError> {
    known_application(mirror, conn, id).await?;
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let result = writer
        .reject_application(id, reason.map(str::to_string))
        .await?;
    let mut warnings = result.write.warnings;
    if let Some(r) = reason {
        mirror
            .put_rejection_reason(
                conn,
                &RejectionReason {
                    application_id: id.to_string(),
                    reason: r.to_string(),
                    rejected_at: now,
                    rejected_by: rejected_by.map(str::to_string),
                },
            )
            .await?;
    }
    mirror_io::reflect(
        mirror,
        writer.get_application(id),
        conn,
        id,
        now,
        &mut warnings,
    )
    .await?;
    let note = match (reason, result.reason_stored) {
        (Some(_), false) => Some(
            "the ATS's API cannot store rejection reasons: the reason is kept in this host's mirror only, not in the ATS".to_string(),
        ),
        _ => None,
    };
    Ok(RejectReport {
        application_id: id.to_string(),
        reason: reason.map(str::to_string),
        reason_stored_in_ats: reason.is_some() && result.reason_stored,
        reason_kept_in_mirror: reason.is_some(),
        note,
        warnings,
    })
}
