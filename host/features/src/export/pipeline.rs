//! The export steps after validation: claim the idempotency key, find or create the person,
//! upload the resume, apply to the job. Progress is saved under the key after every step, so
//! a retry after a timeout or crash resumes where the last attempt stopped.

use super::ExportOptions;
use super::matching::{find_existing, suggestion};
use super::report::*;
use crate::dedupe::store_links;
use crate::profile::Profile;
use crate::profile::{NamePolicy, diff};
use crate::{AtsWriter, FeatureError, Mirror, mirror_io, status};
use ats_mirror::{IdempotencyRecord, LinkStatus};
use ats_model::{ApplicationInput, AttachmentUpload, ConnectorError, StatusTarget};
use serde::{Deserialize, Serialize};

/// A validated export, ready to write.
pub(crate) struct Plan {
    pub profile: Profile,
    pub resume: Option<AttachmentUpload>,
    pub job_id: Option<String>,
    pub status: Option<StatusTarget>,
    pub key: String,
    /// Hash of everything the export would write; a key reused for other content is refused.
    pub fingerprint: String,
    pub names: NamePolicy,
    /// False when no person may be created (a reply without a readable name).
    pub may_create: bool,
    pub warnings: Vec<String>,
}

/// What is stored under the idempotency key.
#[derive(Serialize, Deserialize)]
struct Stored {
    fingerprint: String,
    report: ExportReport,
}

enum Claim {
    Done(ExportReport),
    Go(ExportReport),
}

enum StepError {
    Connector(&'static str, ConnectorError),
    Other(FeatureError),
}

impl From<FeatureError> for StepError {
    fn from(e: FeatureError) -> Self {
        match e {
            FeatureError::Connector(c) => StepError::Connector("match", c),
            other => StepError::Other(other),
        }
    }
}

fn at(step: &'static str) -> impl Fn(ConnectorError) -> StepError {
    move |e| StepError::Connector(step, e)
}

async fn save(
    mirror: &(impl Mirror + ?Sized),
    conn: &str,
    plan: &Plan,
    report: &ExportReport,
    state: &str,
    opts: &ExportOptions,
) -> Result<(), FeatureError> {
    let stored = Stored {
        fingerprint: plan.fingerprint.clone(),
        report: report.clone(),
    };
    // One write, no read first: the key exists since the claim, and a put keeps its
    // `created_at`.
    mirror
        .idempotency_put(
            conn,
            &IdempotencyRecord {
                key: plan.key.clone(),
                state: state.to_string(),
                result: Some(serde_json::to_value(stored).map_err(ats_mirror::MirrorError::from)?),
                created_at: opts.now,
                updated_at: opts.now,
            },
        )
        .await?;
    Ok(())
}

async fn claim(
    mirror: &(impl Mirror + ?Sized),
    conn: &str,
    plan: &Plan,
    opts: &ExportOptions,
) -> Result<Claim, FeatureError> {
    let fresh = ExportReport {
        idempotency_key: plan.key.clone(),
        warnings: plan.warnings.clone(),
        ..ExportReport::default()
    };
    let Some(existing) = mirror
        .idempotency_claim(conn, &plan.key, "pending", opts.now)
        .await?
    else {
        save(mirror, conn, plan, &fresh, "pending", opts).await?;
        return Ok(Claim::Go(fresh));
    };
    let stored: Option<Stored> = existing.result.and_then(|v| serde_json::from_value(v).ok());
    if let Some(s) = &stored
        && s.fingerprint != plan.fingerprint
    {
        return Err(FeatureError::KeyReused {
            key: plan.key.clone(),
        });
    }
    match (existing.state.as_str(), stored) {
        ("done", Some(s)) => Ok(Claim::Done(ExportReport {
            replayed: true,
            ..s.report
        })),
        ("pending", _) if opts.now - existing.updated_at < opts.lease_seconds => {
            Err(FeatureError::InProgress {
                key: plan.key.clone(),
            })
        }
        (_, stored) => {
            let mut report = stored.map_or(fresh, |s| s.report);
            report.resumed = true;
            save(mirror, conn, plan, &report, "pending", opts).await?;
            Ok(Claim::Go(report))
        }
    }
}

pub(crate) async fn run(
    mirror: &(impl Mirror + ?Sized),
    writer: &impl AtsWriter,
    conn: &str,
    plan: Plan,
    opts: &ExportOptions,
) -> Result<ExportReport, FeatureError> {
    let mut report = match claim(mirror, conn, &plan, opts).await? {
        Claim::Done(r) => return Ok(r),
        Claim::Go(r) => r,
    };
    match steps(mirror, writer, conn, &plan, opts, &mut report).await {
        Ok(()) => {
            save(mirror, conn, &plan, &report, "done", opts).await?;
            Ok(report)
        }
        Err(e) => {
            save(mirror, conn, &plan, &report, "failed", opts).await?;
            Err(match e {
                StepError::Connector(step, source) => FeatureError::Interrupted {
                    key: plan.key.clone(),
                    step,
                    advice: source.advice(),
                    source,
                },
                StepError::Other(e) => e,
            })
        }
    }
}

async fn steps(
    mirror: &(impl Mirror + ?Sized),
    writer: &impl AtsWriter,
    conn: &str,
    plan: &Plan,
    opts: &ExportOptions,
    report: &mut ExportReport,
) -> Result<(), StepError> {
    let now = opts.now;
    // The person is read back into the mirror once, after the last write to them: when a
    // resume follows, after its upload (one ATS read and one mirror write fewer per export).
    // Should the upload fail, the mirror learns of the person on the retry or the next sync.
    let reflected_after_upload = plan.resume.is_some() && report.resume.is_none();
    if report.person.is_none() {
        let m = find_existing(mirror, writer, conn, &plan.profile, now).await?;
        report.warnings.extend(m.warnings);
        let person = match m.found {
            Some(found) => {
                let id = found.candidate.id.clone();
                let d = diff(&plan.profile, &found.candidate, plan.names);
                let action = if d.is_empty() {
                    PersonAction::Matched
                } else {
                    let w = writer
                        .update_candidate(&id, d.input.clone())
                        .await
                        .map_err(at("update-candidate"))?;
                    report.warnings.extend(w.warnings);
                    if !reflected_after_upload {
                        mirror_io::reflect(
                            mirror,
                            writer.get_candidate(&id),
                            conn,
                            &id,
                            now,
                            &mut report.warnings,
                        )
                        .await?;
                    }
                    PersonAction::Updated
                };
                PersonOutcome {
                    candidate_id: id,
                    action,
                    matched_by: Some(found.rule),
                    changed_fields: d.changes,
                }
            }
            None if !plan.may_create => {
                return Err(StepError::Other(FeatureError::invalid(
                    "sender_name",
                    "no person with this email is in the ATS, and no first and last name could be read to create one; give the sender's name",
                )));
            }
            None => {
                let w = writer
                    .create_candidate(plan.profile.create_input())
                    .await
                    .map_err(at("create-candidate"))?;
                report.warnings.extend(w.warnings);
                if !reflected_after_upload {
                    mirror_io::reflect(
                        mirror,
                        writer.get_candidate(&w.id),
                        conn,
                        &w.id,
                        now,
                        &mut report.warnings,
                    )
                    .await?;
                }
                PersonOutcome {
                    candidate_id: w.id,
                    action: PersonAction::Created,
                    matched_by: None,
                    changed_fields: Vec::new(),
                }
            }
        };
        store_links(
            mirror,
            conn,
            &person.candidate_id,
            &m.suggestions,
            LinkStatus::Suggested,
            now,
        )
        .await?;
        for (other, v) in &m.suggestions {
            if *other != person.candidate_id {
                report.suggested_duplicates.push(suggestion(other, v));
            }
        }
        report.person = Some(person);
        save(mirror, conn, plan, report, "pending", opts).await?;
    }
    let candidate_id = report
        .person
        .as_ref()
        .map(|p| p.candidate_id.clone())
        .unwrap_or_default();

    if let Some(file) = &plan.resume
        && report.resume.is_none()
    {
        // A retry cannot know whether a lost answer's upload happened: look before uploading.
        let already = if report.resumed {
            let c = writer
                .get_candidate(&candidate_id)
                .await
                .map_err(at("check-attachments"))?;
            let found = c
                .attachments
                .iter()
                .any(|a| a.file_name.as_deref() == Some(file.file_name.as_str()));
            if found {
                // Fresh from the ATS, and nothing more will be written to this person.
                mirror
                    .upsert_record(conn, ats_model::AtsRecord::Candidate(c), now)
                    .await
                    .map_err(FeatureError::from)?;
            }
            found
        } else {
            false
        };
        report.resume = Some(if already {
            ResumeOutcome {
                file_name: file.file_name.clone(),
                attachment_id: None,
                skipped_because: Some(
                    "the ATS already holds a file of this name for this person (an earlier attempt uploaded it)".into(),
                ),
            }
        } else {
            let w = writer
                .upload_attachment(&candidate_id, file.clone())
                .await
                .map_err(at("upload-resume"))?;
            report.warnings.extend(w.warnings);
            mirror_io::reflect(
                mirror,
                writer.get_candidate(&candidate_id),
                conn,
                &candidate_id,
                now,
                &mut report.warnings,
            )
            .await?;
            ResumeOutcome {
                file_name: file.file_name.clone(),
                attachment_id: Some(w.id),
                skipped_because: None,
            }
        });
        save(mirror, conn, plan, report, "pending", opts).await?;
    }

    if let Some(job_id) = &plan.job_id
        && report.application.is_none()
    {
        let existing = mirror
            .application_of(conn, &candidate_id, job_id)
            .await
            .map_err(FeatureError::from)?;
        let (application_id, action) = match existing {
            Some(id) => (id, ApplicationAction::Existing),
            None => {
                let w = writer
                    .create_application(ApplicationInput {
                        candidate_id: candidate_id.clone(),
                        job_id: job_id.clone(),
                        status: plan.status.clone(),
                        source: None,
                        source_detail: plan.profile.source.clone(),
                    })
                    .await
                    .map_err(at("create-application"))?;
                report.warnings.extend(w.warnings);
                let known = mirror_io::live::<ats_model::Application>(mirror, conn, &w.id)
                    .await?
                    .is_some();
                mirror_io::reflect(
                    mirror,
                    writer.get_application(&w.id),
                    conn,
                    &w.id,
                    now,
                    &mut report.warnings,
                )
                .await?;
                let action = if known {
                    ApplicationAction::Existing
                } else {
                    ApplicationAction::Created
                };
                (w.id, action)
            }
        };
        report.application = Some(ApplicationOutcome {
            application_id,
            job_id: job_id.clone(),
            action,
            status: plan.status.as_ref().map(status::describe),
        });
    }
    Ok(())
}
