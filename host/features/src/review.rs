//! Application review: rank a job's applicants from the mirror by how well each fits the job,
//! then by recency and stage, every part of the score named and explained.
//!
//! The fit parts (title, skills, seniority, location, résumé; up to 100 points) are
//! [`crate::fit`]'s. Review adds:
//! - **recency** (up to 5): linear over 90 days since the application (or its last update);
//! - **stage**: new +3, screening +2, interview +1, offer/hired 0, withdrawn -40, rejected -50,
//!   so people already turned down sink whatever their fit.

use crate::fit::{Idf, JobAsk, Offer, fit_parts};
use crate::{FeatureError, Mirror, mirror_io};
use ats_mirror::Applicant;
use ats_model::{Candidate, Stage, Timestamp};
use serde::Serialize;

pub use crate::fit::ScorePart;

/// Most applicants of one job read and ranked.
pub const MAX_APPLICANTS: usize = 10_000;

#[derive(Debug, Clone)]
pub struct ReviewOptions {
    pub now: Timestamp,
    /// Most applicants returned: the best ones (all of them are ranked, up to
    /// [`MAX_APPLICANTS`]).
    pub limit: usize,
}

impl ReviewOptions {
    pub fn at(now: Timestamp) -> Self {
        ReviewOptions {
            now,
            limit: MAX_APPLICANTS,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewedApplicant {
    pub rank: usize,
    pub application_id: String,
    pub candidate_id: String,
    pub name: Option<String>,
    pub title: Option<String>,
    pub stage: Option<Stage>,
    pub score: f64,
    pub parts: Vec<ScorePart>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewReport {
    pub job_id: String,
    pub job_title: Option<String>,
    pub applicants: Vec<ReviewedApplicant>,
}

fn days_ago(days: i64) -> String {
    match days {
        0 => "today".into(),
        1 => "yesterday".into(),
        n => format!("{n} days ago"),
    }
}

/// How recent the application is. Pure.
pub fn recency(a: &Applicant, now: Timestamp) -> ScorePart {
    let (when, verb) = match (a.applied_at, a.application_updated_at) {
        (Some(t), _) => (Some(t), "applied"),
        (None, Some(t)) => (Some(t), "updated"),
        (None, None) => (None, ""),
    };
    match when {
        Some(t) => {
            let days = ((now - t).max(0)) / 86_400;
            ScorePart {
                name: "recency",
                points: 5.0 * (1.0 - days as f64 / 90.0).max(0.0),
                reason: format!("{verb} {}", days_ago(days)),
            }
        }
        None => ScorePart {
            name: "recency",
            points: 0.0,
            reason: "application date unknown".into(),
        },
    }
}

/// Where the application stands. Pure.
pub fn stage(stage: Option<Stage>) -> ScorePart {
    let (points, reason) = match stage {
        Some(Stage::New) => (3.0, "new, not yet reviewed".to_string()),
        Some(Stage::Screening) => (2.0, "in screening".into()),
        Some(Stage::Interview) => (1.0, "interviewing".into()),
        Some(Stage::Offer) => (0.0, "already at offer".into()),
        Some(Stage::Hired) => (0.0, "already hired".into()),
        Some(Stage::Withdrawn) => (-40.0, "withdrew: -40".into()),
        Some(Stage::Rejected) => (-50.0, "already rejected: -50".into()),
        Some(Stage::Other) | None => (0.0, "stage unknown".into()),
    };
    ScorePart {
        name: "stage",
        points,
        reason,
    }
}

/// The candidate as review sees them: the mirrored record, or what the applicant row holds
/// when the record is gone.
fn candidate_of(a: &Applicant, stored: Option<Candidate>) -> Candidate {
    stored.unwrap_or_else(|| Candidate {
        id: a.candidate_id.clone(),
        current_title: a.title.clone(),
        current_company: a.company.clone(),
        skills: a.skills.clone(),
        ..Candidate::default()
    })
}

/// Ranks the applicants of `job_id`, best first (ties by application id).
pub async fn review<M: Mirror + ?Sized>(
    mirror: &M,
    conn: &str,
    job_id: &str,
    options: &ReviewOptions,
) -> Result<ReviewReport, FeatureError> {
    let job = mirror_io::live::<ats_model::Job>(mirror, conn, job_id)
        .await?
        .ok_or_else(|| FeatureError::UnknownJob {
            job_id: job_id.to_string(),
        })?;
    let applicants = mirror.applicants(conn, job_id, MAX_APPLICANTS, 0).await?;
    let stored: Vec<Option<Candidate>> = mirror_io::live_many(
        mirror,
        conn,
        applicants.iter().map(|a| a.candidate_id.clone()).collect(),
    )
    .await?;
    let offers: Vec<Offer> = applicants
        .iter()
        .zip(stored)
        .map(|(a, c)| Offer::of(&candidate_of(a, c), a.resume_text.as_deref(), options.now))
        .collect();
    let ask = JobAsk::of(&job);
    let idf = Idf::new(&ask, offers.iter().map(|o| &o.stems));
    let mut ranked: Vec<ReviewedApplicant> = applicants
        .into_iter()
        .zip(offers)
        .map(|(a, offer)| {
            let mut parts = fit_parts(&ask, &offer, &idf);
            parts.push(recency(&a, options.now));
            parts.push(stage(a.stage));
            ReviewedApplicant {
                rank: 0,
                score: parts.iter().map(|p| p.points).sum(),
                parts,
                application_id: a.application_id,
                candidate_id: a.candidate_id,
                name: a.display_name,
                title: offer.title,
                stage: a.stage,
            }
        })
        .collect();
    ranked.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then(x.application_id.cmp(&y.application_id))
    });
    ranked.truncate(options.limit);
    for (i, r) in ranked.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    Ok(ReviewReport {
        job_id: job_id.to_string(),
        job_title: job.title,
        applicants: ranked,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applicant(stage: Stage, applied_days_ago: Option<i64>) -> Applicant {
        Applicant {
            application_id: "a".into(),
            candidate_id: "c".into(),
            status_id: None,
            status_name: None,
            stage: Some(stage),
            applied_at: applied_days_ago.map(|d| 1_000_000 - d * 86_400),
            application_updated_at: None,
            display_name: None,
            email: None,
            title: Some("Backend Engineer".into()),
            company: None,
            skills: vec!["Rust".into()],
            resume_text: None,
            candidate_updated_at: None,
        }
    }

    #[test]
    fn recency_fades_over_ninety_days() {
        let r = recency(&applicant(Stage::New, Some(3)), 1_000_000);
        assert_eq!(r.reason, "applied 3 days ago");
        assert!((r.points - 5.0 * 87.0 / 90.0).abs() < 1e-9);
        assert_eq!(
            recency(&applicant(Stage::New, Some(200)), 1_000_000).points,
            0.0
        );
        let unknown = recency(&applicant(Stage::New, None), 1_000_000);
        assert_eq!(
            (unknown.points, unknown.reason.as_str()),
            (0.0, "application date unknown")
        );
    }

    #[test]
    fn stage_sinks_people_already_turned_down() {
        assert_eq!(stage(Some(Stage::New)).points, 3.0);
        let r = stage(Some(Stage::Rejected));
        assert_eq!(
            (r.points, r.reason.as_str()),
            (-50.0, "already rejected: -50")
        );
        assert_eq!(stage(Some(Stage::Withdrawn)).points, -40.0);
        assert_eq!(stage(None).reason, "stage unknown");
    }

    #[test]
    fn a_missing_record_falls_back_to_the_applicant_row() {
        let c = candidate_of(&applicant(Stage::New, Some(1)), None);
        assert_eq!(c.current_title.as_deref(), Some("Backend Engineer"));
        assert_eq!(c.skills, ["Rust"]);
    }
}
