//! Candidate export: a platform-side profile into the ATS, optionally applied to a job.
//!
//! Order: validate everything (JSON, names, emails, phones, URLs, resume type and size, job,
//! status) before the first write; claim the idempotency key; find the existing person (mirror
//! by email, ATS by email, then the ladder); create, or update only what is new; upload the
//! resume; create the application with source attribution. The mirror reflects each write at
//! once. See [`pipeline`] for how retries resume.

mod matching;
mod pipeline;
mod report;
pub mod resume;

pub use crate::profile::{Location, PlatformCandidate, Profile, ResumeInput, parse_json};
pub use report::*;

use crate::profile::NamePolicy;
use crate::{AtsWriter, FeatureError, Mirror, mirror_io, status};
use ats_model::{AtsRecord, ConnectorError, JobState, Timestamp};
use pipeline::Plan;
pub(crate) use pipeline::run as run_plan;
use sha2::{Digest, Sha256};

/// How exports behave.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The time writes are recorded at.
    pub now: Timestamp,
    /// Region for phone numbers written without a country code (`US`, `GB`, …).
    pub default_region: String,
    /// Largest resume accepted, bytes.
    pub max_resume_bytes: usize,
    /// A `pending` key younger than this is another call still running; older, a crashed one
    /// to resume.
    pub lease_seconds: i64,
    /// Ask the ATS (`get_job`) about a job the mirror does not know yet.
    pub check_job_in_ats: bool,
}

impl ExportOptions {
    pub fn at(now: Timestamp) -> Self {
        ExportOptions {
            now,
            default_region: "US".into(),
            max_resume_bytes: resume::DEFAULT_MAX_RESUME_BYTES,
            lease_seconds: 300,
            check_job_in_ats: true,
        }
    }
}

/// Exports a profile given as JSON text (errors name the line and column).
pub async fn export_json<M: Mirror + ?Sized, W: AtsWriter>(
    mirror: &M,
    writer: &W,
    conn: &str,
    json: &str,
    options: &ExportOptions,
) -> Result<ExportReport, FeatureError> {
    let profile = parse_json(json)?;
    export(mirror, writer, conn, &profile, options).await
}

/// Exports a profile: see the module docs. Input errors come before any write.
pub async fn export<M: Mirror + ?Sized, W: AtsWriter>(
    mirror: &M,
    writer: &W,
    conn: &str,
    profile: &PlatformCandidate,
    options: &ExportOptions,
) -> Result<ExportReport, FeatureError> {
    let validated = Profile::from_platform(profile, &options.default_region, true)?;
    let plan = prepare(
        mirror,
        writer,
        conn,
        validated,
        profile.resume.as_ref(),
        profile.job_id.as_deref(),
        profile.status.as_deref(),
        profile.idempotency_key.as_deref(),
        NamePolicy::Replace,
        options,
    )
    .await?;
    pipeline::run(mirror, writer, conn, plan, options).await
}

/// Checks the job, status and resume and fixes the idempotency key. Reads only.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn prepare<M: Mirror + ?Sized, W: AtsWriter>(
    mirror: &M,
    writer: &W,
    conn: &str,
    profile: Profile,
    resume: Option<&ResumeInput>,
    job_id: Option<&str>,
    status_text: Option<&str>,
    key: Option<&str>,
    names: NamePolicy,
    options: &ExportOptions,
) -> Result<Plan, FeatureError> {
    if !profile.has_identifier() {
        return Err(FeatureError::invalid(
            "emails",
            "give at least one email, phone or profile URL, so the person can be found again and not duplicated",
        ));
    }
    let resume = resume
        .map(|r| resume::load(r, options.max_resume_bytes))
        .transpose()?;
    let job_id = job_id.map(str::trim).filter(|j| !j.is_empty());
    let mut warnings = Vec::new();
    if let Some(job_id) = job_id {
        let job = match mirror_io::live::<ats_model::Job>(mirror, conn, job_id).await? {
            Some(j) => j,
            None if options.check_job_in_ats => match writer.get_job(job_id).await {
                Ok(j) => {
                    mirror
                        .upsert_record(conn, AtsRecord::Job(j.clone()), options.now)
                        .await?;
                    j
                }
                Err(ConnectorError::NotFound { .. }) => {
                    return Err(FeatureError::UnknownJob {
                        job_id: job_id.to_string(),
                    });
                }
                Err(e) => return Err(e.into()),
            },
            None => {
                return Err(FeatureError::UnknownJob {
                    job_id: job_id.to_string(),
                });
            }
        };
        if matches!(job.state, Some(JobState::Closed) | Some(JobState::Draft)) {
            warnings.push(format!(
                "job {job_id} is not open ({:?}); the ATS may refuse or hide the application",
                job.state.unwrap_or(JobState::Closed)
            ));
        }
    }
    let status_text = status_text.map(str::trim).filter(|s| !s.is_empty());
    let status = match (status_text, job_id) {
        (Some(_), None) => {
            return Err(FeatureError::invalid(
                "status",
                "a status belongs to an application; give `job_id` too, or leave `status` out",
            ));
        }
        (Some(s), Some(_)) => Some(status::resolve(mirror, conn, s).await?),
        (None, _) => None,
    };
    let fingerprint = {
        let mut h = Sha256::new();
        h.update(serde_json::to_vec(&profile).map_err(ats_mirror::MirrorError::from)?);
        h.update([0]);
        h.update(job_id.unwrap_or_default());
        h.update([0]);
        h.update(format!("{status:?}"));
        if let Some(r) = &resume {
            h.update([0]);
            h.update(&r.file_name);
            h.update(Sha256::digest(&r.content));
        }
        hex::encode(h.finalize())
    };
    let key = match key.map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => k.to_string(),
        None => derived_key("export", &profile, job_id, &fingerprint),
    };
    Ok(Plan {
        profile,
        resume,
        job_id: job_id.map(str::to_string),
        status,
        key,
        fingerprint,
        names,
        may_create: true,
        warnings,
    })
}

/// `<prefix>:<hash>` of the person's first identifier (normalised email, else URL, else phone),
/// the job and the content. The content is included so that exporting a *changed* profile
/// later is a new export (it updates the person) rather than a replay of the old answer; a
/// retry of the same content maps to the same key and resumes.
pub(crate) fn derived_key(
    prefix: &str,
    profile: &Profile,
    job_id: Option<&str>,
    fingerprint: &str,
) -> String {
    let identity = profile
        .emails
        .first()
        .or(profile.urls.first().map(|u| &u.url))
        .or(profile.phones.first())
        .cloned()
        .unwrap_or_default();
    let mut h = Sha256::new();
    for part in [identity.as_str(), job_id.unwrap_or_default(), fingerprint] {
        h.update(part);
        h.update([0]);
    }
    format!("{prefix}:{}", &hex::encode(h.finalize())[..24])
}
