//! Rediscovery for a job: the people in the mirror who did not apply to it, ranked by how well
//! they fit it ([`crate::fit`]), with the search filters (stage reached, rejected or not, dates,
//! folder, source, other jobs applied to), one row per duplicate cluster, each with the parts
//! of its score.
//!
//! Scoring every person of a million-record mirror is too slow for an interactive answer, so
//! the mirror's full-text index first gathers the people worth scoring, in two pools:
//! - **near**: people whose profile names the job's city and any of its title words (in any
//!   spelling people write them);
//! - **wide**: people anywhere whose profile holds every title word and any required skill.
//!
//! Both pools keep the filters and leave out the job's applicants; the union is scored and
//! sorted here. A person whose duplicate record applied to the job is left out too. The wide
//! pool is only read when the near one cannot fill the page with people nobody elsewhere could
//! outscore (location is worth [`BEST_ELSEWHERE`] less away from the job's city): on a big
//! mirror it is the slower query. Results beyond the pools are not reachable by paging:
//! [`POOL_NEAR`] + [`POOL_WIDE`] at most.

use crate::fit::vocab::title_spellings;
use crate::fit::{BEST_ELSEWHERE, FIT_MAX, Idf, JobAsk, Offer, ScorePart, fit_parts};
use crate::rediscovery::RediscoveryRequest;
use crate::{FeatureError, Mirror, mirror_io};
use ats_mirror::{SearchHit, SearchQuery};
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

/// The words that gather each pool: (city, near pool's any-of words, wide pool's any-of
/// words), each word once. The near pool looks for the title's words in every spelling people
/// write them; skills only score there (at a million profiles, adding them to the alternatives
/// doubled the matches FTS5 ranks, for people the title words already bring). The wide pool,
/// which requires the title's words, looks for the required skills.
fn pool_words(ask: &JobAsk) -> (Option<String>, String, String) {
    let once = |words: Vec<String>| -> Vec<String> {
        let mut seen = HashSet::new();
        words
            .into_iter()
            .filter(|w| seen.insert(w.clone()))
            .collect()
    };
    let titles: Vec<String> = ask
        .title_words
        .iter()
        .flat_map(|w| title_spellings(w))
        .collect();
    let required: Vec<String> = ask
        .required
        .iter()
        .flat_map(|s| s.spellings.iter())
        .flatten()
        .cloned()
        .collect();
    (
        ask.city.clone(),
        once(titles).join(" "),
        once(required).join(" "),
    )
}

fn joined(a: Option<&str>, b: Option<&str>) -> Option<String> {
    let text: Vec<&str> = [a, b]
        .into_iter()
        .flatten()
        .filter(|t| !t.trim().is_empty())
        .collect();
    (!text.is_empty()).then(|| text.join(" "))
}

/// People gathered so far, one per duplicate cluster, none of whose records applied.
struct Gathered<'a> {
    applied: &'a HashSet<String>,
    seen: HashSet<String>,
    people: Vec<(SearchHit, Offer)>,
}

impl Gathered<'_> {
    async fn add<M: Mirror + ?Sized>(
        &mut self,
        mirror: &M,
        conn: &str,
        q: &SearchQuery,
    ) -> Result<(), FeatureError> {
        let mut new = Vec::new();
        for hit in mirror.search_candidates(conn, q).await?.hits {
            let members: Vec<&String> = std::iter::once(&hit.candidate_id)
                .chain(&hit.duplicates)
                .collect();
            if members
                .iter()
                .any(|m| self.applied.contains(*m) || self.seen.contains(*m))
            {
                continue;
            }
            self.seen.extend(members.into_iter().cloned());
            new.push(hit);
        }
        let ids: Vec<String> = new.iter().map(|h| h.candidate_id.clone()).collect();
        // The résumé texts the host fetched (`ats_sync::resume_text`), one query for the pool.
        let texts = mirror.resume_texts(conn, &ids).await?;
        let stored: Vec<Option<Candidate>> = mirror_io::live_many(mirror, conn, ids).await?;
        // A record deleted between the search and the read is no longer a person to show.
        for (hit, c) in new.into_iter().zip(stored) {
            if let Some(c) = c {
                let text = texts.get(&hit.candidate_id).map(String::as_str);
                self.people.push((hit, Offer::of(&c, text, q.now)));
            }
        }
        Ok(())
    }

    /// Everyone scored, best first.
    fn ranked(&self, ask: &JobAsk) -> Vec<JobRediscoveryHit> {
        let idf = Idf::new(ask, self.people.iter().map(|(_, o)| &o.stems));
        let mut ranked: Vec<JobRediscoveryHit> = self
            .people
            .iter()
            .map(|(h, offer)| {
                let parts = fit_parts(ask, offer, &idf);
                JobRediscoveryHit {
                    rank: 0,
                    score: parts.iter().map(|p| p.points).sum(),
                    parts,
                    candidate_id: h.candidate_id.clone(),
                    duplicates: h.duplicates.clone(),
                    name: h.display_name.clone(),
                    email: h.email.clone(),
                    title: offer.title.clone().or_else(|| h.title.clone()),
                    company: h.company.clone(),
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
        ranked
    }
}

/// Whether everyone down to `last` (1-based) of `ranked` scores more than anyone elsewhere
/// could, whatever their résumé words: then the wide pool cannot change the page.
fn local_page_is_safe(ranked: &[JobRediscoveryHit], last: usize) -> bool {
    last > 0
        && ranked.get(last - 1).is_some_and(|h| {
            let resume: f64 = h
                .parts
                .iter()
                .filter(|p| p.name == "resume")
                .map(|p| p.points)
                .sum();
            h.score - resume >= BEST_ELSEWHERE
        })
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
    let (city, near_any, required_any) = pool_words(&ask);
    let base = {
        let mut q = request.query.clone();
        q.not_applied_to.push(job_id.to_string());
        q.offset = 0;
        q
    };
    let user_text = request.query.text.as_deref();
    let applied: HashSet<String> = mirror
        .applicants(conn, job_id, usize::MAX, 0)
        .await?
        .into_iter()
        .map(|a| a.candidate_id)
        .collect();
    let mut gathered = Gathered {
        applied: &applied,
        seen: HashSet::new(),
        people: Vec::new(),
    };
    let skip = (request.page - 1).saturating_mul(request.per_page);
    let mut ranked = Vec::new();
    if city.is_some() {
        let mut q = base.clone();
        q.text = joined(user_text, city.as_deref());
        q.any_text = Some(near_any);
        q.limit = POOL_NEAR;
        gathered.add(mirror, conn, &q).await?;
        ranked = gathered.ranked(&ask);
    }
    // Past the job's city only when someone there could still make the page.
    if !local_page_is_safe(&ranked, skip + request.per_page) {
        let mut q = base;
        q.text = joined(user_text, Some(&ask.title_words.join(" ")));
        q.any_text = (!required_any.is_empty()).then_some(required_any);
        q.limit = if city.is_some() {
            POOL_WIDE
        } else {
            POOL_NEAR + POOL_WIDE
        };
        gathered.add(mirror, conn, &q).await?;
        ranked = gathered.ranked(&ask);
    }
    let scored = ranked.len();
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

    fn hit(score: f64, resume: f64) -> JobRediscoveryHit {
        JobRediscoveryHit {
            rank: 0,
            candidate_id: "1".into(),
            duplicates: vec![],
            name: None,
            email: None,
            title: None,
            company: None,
            updated_at: None,
            score,
            parts: vec![ScorePart {
                name: "resume",
                points: resume,
                reason: String::new(),
            }],
        }
    }

    #[test]
    fn the_wide_pool_is_skipped_only_when_nobody_elsewhere_could_make_the_page() {
        let ranked = [
            hit(99.0, 5.0),
            hit(BEST_ELSEWHERE + 2.0, 2.0),
            hit(80.0, 1.0),
        ];
        assert!(local_page_is_safe(&ranked, 2));
        assert!(
            !local_page_is_safe(&ranked, 3),
            "the third could be outscored"
        );
        assert!(
            !local_page_is_safe(&ranked, 4),
            "fewer people than the page"
        );
        let resume_counts = [hit(BEST_ELSEWHERE + 1.0, 3.0)];
        assert!(
            !local_page_is_safe(&resume_counts, 1),
            "résumé words may differ"
        );
        assert!(!local_page_is_safe(&[], 0));
    }

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
            "software backend back engineer developer programmer dev"
        );
        assert_eq!(required, "go golang kafka apache");
        assert_eq!(joined(Some(" "), None), None);
        assert_eq!(
            joined(Some("rust"), Some("new york")).as_deref(),
            Some("rust new york")
        );
    }
}
