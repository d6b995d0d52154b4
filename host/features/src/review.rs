//! Application review: rank a job's applicants from the mirror with a transparent score.
//!
//! Score parts, each with a plain reason:
//! - **title** (up to 40): share of the job title's words in the candidate's title;
//! - **skills** (up to 25): 5 per skill named in the job's title or description;
//! - **resume** (up to 25): TF-IDF-ish overlap of the resume text with the job's words (rarer
//!   words among the applicants weigh more);
//! - **recency** (up to 10): linear over 90 days since the application (or its last update);
//! - **stage**: new +10, screening +8, interview +5, offer/hired 0, withdrawn -40, rejected -50.

use crate::terms::tokens;
use crate::{FeatureError, Mirror, mirror_io};
use ats_mirror::Applicant;
use ats_model::{Stage, Timestamp};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone)]
pub struct ReviewOptions {
    pub now: Timestamp,
    /// Most applicants ranked.
    pub limit: usize,
}

impl ReviewOptions {
    pub fn at(now: Timestamp) -> Self {
        ReviewOptions { now, limit: 10_000 }
    }
}

/// One named part of a score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScorePart {
    pub name: &'static str,
    pub points: f64,
    pub reason: String,
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

/// What the job asks for, tokenised once.
pub struct JobTerms {
    title: Vec<String>,
    /// Title and description words.
    all: BTreeSet<String>,
}

impl JobTerms {
    pub fn new(title: &str, description: &str) -> JobTerms {
        let title = tokens(title);
        let mut all: BTreeSet<String> = title.iter().cloned().collect();
        all.extend(tokens(description));
        JobTerms { title, all }
    }
}

/// Inverse document frequency of each job word over the applicants' text (title, skills,
/// resume): `ln((n + 1) / (df + 1)) + 1`.
pub fn idf(job: &JobTerms, docs: &[BTreeSet<String>]) -> BTreeMap<String, f64> {
    let n = docs.len() as f64;
    job.all
        .iter()
        .map(|t| {
            let df = docs.iter().filter(|d| d.contains(t)).count() as f64;
            (t.clone(), ((n + 1.0) / (df + 1.0)).ln() + 1.0)
        })
        .collect()
}

fn applicant_doc(a: &Applicant) -> BTreeSet<String> {
    let mut d: BTreeSet<String> = tokens(a.title.as_deref().unwrap_or_default())
        .into_iter()
        .collect();
    for s in &a.skills {
        d.extend(tokens(s));
    }
    d.extend(tokens(a.resume_text.as_deref().unwrap_or_default()));
    d
}

fn days_ago(days: i64) -> String {
    match days {
        0 => "today".into(),
        1 => "yesterday".into(),
        n => format!("{n} days ago"),
    }
}

/// The score parts of one applicant. Pure.
pub fn score(
    a: &Applicant,
    job: &JobTerms,
    idf: &BTreeMap<String, f64>,
    now: Timestamp,
) -> Vec<ScorePart> {
    let mut parts = Vec::new();

    let title: BTreeSet<String> = tokens(a.title.as_deref().unwrap_or_default())
        .into_iter()
        .collect();
    let hits: Vec<&str> = job
        .title
        .iter()
        .filter(|t| title.contains(*t))
        .map(String::as_str)
        .collect();
    let points = if job.title.is_empty() {
        0.0
    } else {
        40.0 * hits.len() as f64 / job.title.len() as f64
    };
    parts.push(ScorePart {
        name: "title",
        points,
        reason: if hits.is_empty() {
            "title does not match the job title".into()
        } else {
            format!("title matches '{}'", hits.join(" "))
        },
    });

    let skills: Vec<&str> = a
        .skills
        .iter()
        .filter(|s| {
            let t = tokens(s);
            !t.is_empty() && t.iter().all(|w| job.all.contains(w))
        })
        .map(String::as_str)
        .collect();
    parts.push(ScorePart {
        name: "skills",
        points: (5.0 * skills.len() as f64).min(25.0),
        reason: if skills.is_empty() {
            "no listed skill is named in the job".into()
        } else {
            format!("skills named in the job: {}", skills.join(", "))
        },
    });

    let resume: BTreeSet<String> = tokens(a.resume_text.as_deref().unwrap_or_default())
        .into_iter()
        .collect();
    let total: f64 = idf.values().sum();
    let mut found: Vec<(&String, f64)> = idf
        .iter()
        .filter(|(t, _)| resume.contains(*t))
        .map(|(t, w)| (t, *w))
        .collect();
    found.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(y.0)));
    let points = if total > 0.0 {
        25.0 * found.iter().map(|f| f.1).sum::<f64>() / total
    } else {
        0.0
    };
    parts.push(ScorePart {
        name: "resume",
        points,
        reason: if resume.is_empty() {
            "no resume text in the mirror".into()
        } else {
            let top: Vec<&str> = found.iter().take(5).map(|f| f.0.as_str()).collect();
            format!(
                "resume mentions {} of {} job terms{}",
                found.len(),
                idf.len(),
                if top.is_empty() {
                    String::new()
                } else {
                    format!(": {}", top.join(", "))
                }
            )
        },
    });

    let (when, verb) = match (a.applied_at, a.application_updated_at) {
        (Some(t), _) => (Some(t), "applied"),
        (None, Some(t)) => (Some(t), "updated"),
        (None, None) => (None, ""),
    };
    parts.push(match when {
        Some(t) => {
            let days = ((now - t).max(0)) / 86_400;
            ScorePart {
                name: "recency",
                points: 10.0 * (1.0 - days as f64 / 90.0).max(0.0),
                reason: format!("{verb} {}", days_ago(days)),
            }
        }
        None => ScorePart {
            name: "recency",
            points: 0.0,
            reason: "application date unknown".into(),
        },
    });

    let (points, reason) = match a.stage {
        Some(Stage::New) => (10.0, "new, not yet reviewed".to_string()),
        Some(Stage::Screening) => (8.0, "in screening".into()),
        Some(Stage::Interview) => (5.0, "interviewing".into()),
        Some(Stage::Offer) => (0.0, "already at offer".into()),
        Some(Stage::Hired) => (0.0, "already hired".into()),
        Some(Stage::Withdrawn) => (-40.0, "withdrew: -40".into()),
        Some(Stage::Rejected) => (-50.0, "already rejected: -50".into()),
        Some(Stage::Other) | None => (0.0, "stage unknown".into()),
    };
    parts.push(ScorePart {
        name: "stage",
        points,
        reason,
    });
    parts
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
    let applicants = mirror.applicants(conn, job_id, options.limit, 0).await?;
    let terms = JobTerms::new(
        job.title.as_deref().unwrap_or_default(),
        job.description.as_deref().unwrap_or_default(),
    );
    let docs: Vec<BTreeSet<String>> = applicants.iter().map(applicant_doc).collect();
    let weights = idf(&terms, &docs);
    let mut ranked: Vec<ReviewedApplicant> = applicants
        .into_iter()
        .map(|a| {
            let parts = score(&a, &terms, &weights, options.now);
            ReviewedApplicant {
                rank: 0,
                score: parts.iter().map(|p| p.points).sum(),
                parts,
                application_id: a.application_id,
                candidate_id: a.candidate_id,
                name: a.display_name,
                title: a.title,
                stage: a.stage,
            }
        })
        .collect();
    ranked.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then(x.application_id.cmp(&y.application_id))
    });
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

    fn applicant(title: &str, skills: &[&str], stage: Stage, applied_days_ago: i64) -> Applicant {
        Applicant {
            application_id: "a".into(),
            candidate_id: "c".into(),
            status_id: None,
            status_name: None,
            stage: Some(stage),
            applied_at: Some(1_000_000 - applied_days_ago * 86_400),
            application_updated_at: None,
            display_name: None,
            email: None,
            title: Some(title.into()),
            company: None,
            skills: skills.iter().map(|s| s.to_string()).collect(),
            resume_text: Some("Built backend services in Rust and Kafka".into()),
            candidate_updated_at: None,
        }
    }

    #[test]
    fn parts_explain_the_score() {
        let job = JobTerms::new("Backend Engineer", "Rust, Kafka and PostgreSQL services");
        let a = applicant("Senior Backend Engineer", &["Rust", "Excel"], Stage::New, 3);
        let w = idf(&job, &[applicant_doc(&a)]);
        let parts = score(&a, &job, &w, 1_000_000);
        let by = |n: &str| parts.iter().find(|p| p.name == n).unwrap().clone();
        assert_eq!(by("title").points, 40.0);
        assert_eq!(by("title").reason, "title matches 'backend engineer'");
        assert_eq!(by("skills").reason, "skills named in the job: Rust");
        assert_eq!(by("recency").reason, "applied 3 days ago");
        assert!(
            by("resume")
                .reason
                .starts_with("resume mentions 4 of 6 job terms"),
            "{}",
            by("resume").reason
        );
        let rejected = applicant("Backend Engineer", &[], Stage::Rejected, 3);
        let parts = score(&rejected, &job, &w, 1_000_000);
        assert_eq!(parts.last().unwrap().reason, "already rejected: -50");
        assert_eq!(parts.last().unwrap().points, -50.0);
    }
}
