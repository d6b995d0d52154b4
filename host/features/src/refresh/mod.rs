//! Candidate refresh: push a platform profile's new or changed fields to the ATS person.
//! The diff lists only fields that are non-empty on the platform side and differ from the
//! person as the ATS holds it now (read live, so an edit made in the ATS since the last sync is
//! neither missed nor reverted); nothing the ATS holds is erased. `dry_run` shows the diff; applying sends
//! exactly that diff with `update_candidate` and updates the mirror.

pub use crate::profile::{CandidateDiff, FieldChange, NamePolicy, diff};

use crate::profile::{PlatformCandidate, Profile};
use crate::{AtsWriter, FeatureError, Mirror, mirror_io};
use ats_model::Timestamp;
use serde::Serialize;

#[derive(Debug, Clone)]
pub struct RefreshOptions {
    pub now: Timestamp,
    /// Show the diff without writing.
    pub dry_run: bool,
    /// Region for national phone numbers.
    pub default_region: String,
}

impl RefreshOptions {
    pub fn at(now: Timestamp) -> Self {
        RefreshOptions {
            now,
            dry_run: false,
            default_region: "US".into(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RefreshReport {
    pub candidate_id: String,
    pub changes: Vec<FieldChange>,
    /// True when the changes were sent to the ATS.
    pub applied: bool,
    pub warnings: Vec<String>,
}

/// Refreshes mirrored candidate `candidate_id` from `profile`.
pub async fn refresh<M: Mirror + ?Sized, W: AtsWriter>(
    mirror: &M,
    writer: &W,
    conn: &str,
    candidate_id: &str,
    profile: &PlatformCandidate,
    options: &RefreshOptions,
) -> Result<RefreshReport, FeatureError> {
    let validated = Profile::from_platform(profile, &options.default_region, false)?;
    if mirror_io::live::<ats_model::Candidate>(mirror, conn, candidate_id)
        .await?
        .is_none()
    {
        return Err(FeatureError::UnknownRecord {
            kind: "candidate",
            id: candidate_id.to_string(),
        });
    }
    let ats = current(mirror, writer, conn, candidate_id, options.now).await?;
    let d = diff(&validated, &ats, NamePolicy::Replace);
    let mut report = RefreshReport {
        candidate_id: candidate_id.to_string(),
        changes: d.changes,
        applied: false,
        warnings: Vec::new(),
    };
    if options.dry_run || d.input.is_empty() {
        return Ok(report);
    }
    let w = writer.update_candidate(candidate_id, d.input).await?;
    report.warnings.extend(w.warnings);
    report.applied = true;
    mirror_io::reflect(
        mirror,
        writer.get_candidate(candidate_id),
        conn,
        candidate_id,
        options.now,
        &mut report.warnings,
    )
    .await?;
    Ok(report)
}

/// The person as the ATS holds it now, also written to the mirror.
///
/// The diff is taken against this, not the mirror's copy: lists are sent as the union of what
/// the ATS holds and what is new, so a copy older than an edit made in the ATS would write the
/// old values back (iCIMS keeps the first email it is sent, so a changed email would revert).
async fn current<M: Mirror + ?Sized, W: AtsWriter>(
    mirror: &M,
    writer: &W,
    conn: &str,
    candidate_id: &str,
    now: Timestamp,
) -> Result<ats_model::Candidate, FeatureError> {
    match writer.get_candidate(candidate_id).await {
        Ok(c) => {
            mirror
                .upsert_record(conn, ats_model::AtsRecord::Candidate(c.clone()), now)
                .await?;
            Ok(c)
        }
        Err(e @ ats_model::ConnectorError::NotFound { .. }) => {
            mirror
                .mark_deleted(conn, ats_model::RecordKind::Candidate, candidate_id, now)
                .await?;
            Err(e.into())
        }
        Err(e) => Err(e.into()),
    }
}
