//! Rediscovery for a job: the people in the mirror who did not apply to it, ranked by how well
//! they fit it ([`crate::fit`]), with the search filters (stage reached, rejected or not, dates,
//! folder, source, other jobs applied to), one row per duplicate cluster, each with the parts
//! of its score.
//!
//! Scoring every person of a million-record mirror is too slow for an interactive answer, so
//! the mirror's full-text index first gathers the people worth scoring, in two pools:
//! - **near**: people whose profile names the job's city and any of its title words (in any
//!   spelling people write them) or skills;
//! - **wide**: people anywhere whose profile holds every title word and any required skill.
//!
//! Both pools keep the filters and leave out the job's applicants; the union is scored and
//! sorted here. A person whose duplicate record applied to the job is left out too. Results
//! beyond the pools are not reachable by paging: [`POOL_NEAR`] + [`POOL_WIDE`] at most.

use crate::fit::vocab::title_spellings;
use crate::fit::{FIT_MAX, Idf, JobAsk, Offer, ScorePart, fit_parts};
use crate::rediscovery::RediscoveryRequest;
use crate::{FeatureError, Mirror, mirror_io};
use ats_model::{Candidate, Timestamp};
use serde::Serialize;
use std::collections::HashSet;

/// People gathered from the job's city.
pub const POOL_NEAR: usize = 300;
/// People gathered from anywhere.
pub const POOL_WIDE: usize = 150;

#[derive(Debug, Clone, Serialize)]
pub struct JobRediscoveryHit {
    pub rank: usize,
    pub candidate_id: String,
    /// Other records of the same person (duplicate links), shown as one result.
    pub duplicates: Vec<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub title: Option<String>,
    pub company: Option<String>,
    pub updated_at: Option<Timestamp>,
    /// Out of [`FIT_MAX`].
    pub score: f64,
    pub parts: Vec<ScorePart>,
}

#[derive(Debug, Clone, Serialize)]
pub struct JobRediscoveryPage {
    pub job_id: String,
    pub job_title: Option<String>,
    pub page: usize,
    pub per_page: usize,
    /// People scored (after the filters), of whom this page shows some.
    pub scored: usize,
    pub hits: Vec<JobRediscoveryHit>,
    pub more: bool,
}

/// The words that gather each pool: (required words, any-of words).
fn pool_words(ask: &JobAsk) -> (Option<String>, String, String) {
    let mut titles: Vec<String> = ask
        .title_words
        .iter()
        .flat_map(|w| title_spellings(w))
        .collect();
    titles.dedup();
    let skill_words = |list: &[crate::fit::SkillAsk]| -> Vec<String> {
        list.iter()
            .flat_map(|s| s.spellings.iter())
            .flatten()
            .cloned()
            .collect()
    };
    let required = skill_words(&ask.required);
    let mut near = titles.clone();
    near.extend(required.iter().cloned());
    near.extend(skill_words(&ask.nice));
    (ask.city.clone(), near.join(" "), required.join(" "))
}

fn joined(a: Option<&str>, b: Option<&str>) -> Option<String> {
    let text: Vec<&str> = [a, b]
        .into_iter()
        .flatten()
        .filter(|t| !t.trim().is_empty())
        .collect();
    (!text.is_empty()).then(|| text.join(" "))
}

/// Ranks the people who did not apply to `job_id` by fit. `request` carries the filters and
/// the page; its text (if any) must match as in a search.
pub async fn rediscover_for_job<M: Mirror + ?Sized>(
    mirror: &M,
    conn: &str,
    job_id: &str,
    request: &RediscoveryRequest,
) -> Result<JobRediscoveryPage, FeatureError> {
    let job = mirror_io::live::<ats_model::Job>(mirror, conn, job_id)
        .await?
        .ok_or_else(|| FeatureError::UnknownJob {
            job_id: job_id.to_string(),
        })?;
    let ask = JobAsk::of(&job);
    let now = request.query.now;
    let (city, near_any, required_any) = pool_words(&ask);
    let base = {
        let mut q = request.query.clone();
        q.not_applied_to.push(job_id.to_string());
        q.offset = 0;
        q
    };
    let user_text = request.query.text.as_deref();
    let mut pools = Vec::new();
    if city.is_some() {
        let mut q = base.clone();
        q.text = joined(user_text, city.as_deref());
        q.any_text = Some(near_any.clone());
        q.limit = POOL_NEAR;
        pools.push(q);
    }
    let mut q = base;
    q.text = joined(user_text, Some(&ask.title_words.join(" ")));
    q.any_text = (!required_any.is_empty()).then_some(required_any);
    q.limit = if city.is_some() {
        POOL_WIDE
    } else {
        POOL_NEAR + POOL_WIDE
    };
    pools.push(q);

    let applied: HashSet<String> = mirror
        .applicants(conn, job_id, usize::MAX, 0)
        .await?
        .into_iter()
        .map(|a| a.candidate_id)
        .collect();
    let mut seen = HashSet::new();
    let mut hits = Vec::new();
    for q in &pools {
        for hit in mirror.search_candidates(conn, q).await?.hits {
            let cluster = std::iter::once(&hit.candidate_id).chain(&hit.duplicates);
            let members: Vec<&String> = cluster.collect();
            if members
                .iter()
                .any(|m| applied.contains(*m) || seen.contains(*m))
            {
                continue;
            }
            seen.extend(members.into_iter().cloned());
            hits.push(hit);
        }
    }
    let stored: Vec<Option<Candidate>> = mirror_io::live_many(
        mirror,
        conn,
        hits.iter().map(|h| h.candidate_id.clone()).collect(),
    )
    .await?;
    let offers: Vec<Option<Offer>> = stored
        .iter()
        .map(|c| c.as_ref().map(|c| Offer::of(c, None, now)))
        .collect();
    let idf = Idf::new(&ask, offers.iter().flatten().map(|o| &o.stems));
    let mut ranked: Vec<JobRediscoveryHit> = hits
        .into_iter()
        .zip(offers)
        // A record deleted between the search and the read is no longer a person to show.
        .filter_map(|(h, offer)| offer.map(|o| (h, o)))
        .map(|(h, offer)| {
            let parts = fit_parts(&ask, &offer, &idf);
            JobRediscoveryHit {
                rank: 0,
                score: parts.iter().map(|p| p.points).sum(),
                parts,
                candidate_id: h.candidate_id,
                duplicates: h.duplicates,
                name: h.display_name,
                email: h.email,
                title: offer.title.or(h.title),
                company: h.company,
                updated_at: h.updated_at,
            }
        })
        .collect();
    ranked.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then(y.updated_at.cmp(&x.updated_at))
            .then(x.candidate_id.cmp(&y.candidate_id))
    });
    let scored = ranked.len();
    let skip = (request.page - 1).saturating_mul(request.per_page);
    let mut page: Vec<JobRediscoveryHit> = ranked
        .into_iter()
        .skip(skip)
        .take(request.per_page)
        .collect();
    for (i, h) in page.iter_mut().enumerate() {
        h.rank = skip + i + 1;
    }
    debug_assert!(page.iter().all(|h| h.score <= FIT_MAX + 1e-9));
    Ok(JobRediscoveryPage {
        job_id: job_id.to_string(),
        job_title: job.title,
        page: request.page,
        per_page: request.per_page,
        scored,
        more: scored > skip + page.len(),
        hits: page,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ats_model::{Address, Job};

    #[test]
    fn pools_search_every_spelling_of_the_title_and_skills() {
        let ask = JobAsk::of(&Job {
            title: Some("Senior Software Engineer".into()),
            qualifications: Some("Required: Go, Kafka\nNice to have: K8s".into()),
            address: Some(Address {
                city: Some("New York".into()),
                ..Address::default()
            }),
            ..Job::default()
        });
        let (city, near, required) = pool_words(&ask);
        assert_eq!(city.as_deref(), Some("new york"));
        assert_eq!(
            near,
            "software backend back engineer developer programmer dev go golang kafka apache kafka kubernetes k8s"
        );
        assert_eq!(required, "go golang kafka apache kafka");
        assert_eq!(joined(Some(" "), None), None);
        assert_eq!(
            joined(Some("rust"), Some("new york")).as_deref(),
            Some("rust new york")
        );
    }
}
