//! Ranking by fit, measured: NDCG@10 and precision@10 of review and of rediscovery for a job
//! against the simulator generator's graded ground truth (`icims_sim::generator::ground_truth`,
//! decided by how people and jobs were generated, never by what the API shows), beside two
//! baselines run on the same mirror in the same run: recency + stage only, and a plain
//! full-text match of the job title. Then the latency of rediscovery for a job.
//!
//! Gains are `2^grade - 1` (well 3, partly 1, not 0); the ideal list is the best the eligible
//! people allow (review: the job's applicants; rediscovery: people none of whose records
//! applied). A person shown twice (two records of one human) earns once. Precision@10 counts
//! the people who fit well.

use crate::Scale;
use crate::env::{self, CONN, CUSTOM_FIELDS, Env};
use crate::report::{Report, quantile_ms, verdict};
use ats_app::sync_runner::{SyncOptions, sync_connection};
use ats_features::rediscovery::SearchFilters;
use ats_features::{DedupeOptions, ReviewOptions};
use ats_mirror::{Mirror, SearchQuery};
use ats_sync::NoProgress;
use icims_sim::generator::career::Fit;
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

const K: usize = 10;

/// NDCG@10 and precision@10 of one ranking.
#[derive(Debug, Clone, Copy, Default)]
struct Quality {
    ndcg: f64,
    precision: f64,
}

fn gain(f: Fit) -> f64 {
    (1u32 << f as u32) as f64 - 1.0
}

fn dcg(fits: &[Fit]) -> f64 {
    fits.iter()
        .take(K)
        .enumerate()
        .map(|(i, f)| gain(*f) / ((i + 2) as f64).log2())
        .sum()
}

/// The ground truth of one job: person id → (human, grade).
struct Truth(HashMap<u32, (u32, Fit)>);

impl Truth {
    fn of(&self, candidate_id: &str) -> (Option<u32>, Fit) {
        match candidate_id
            .parse::<u32>()
            .ok()
            .and_then(|id| self.0.get(&id))
        {
            Some((human, fit)) => (Some(*human), *fit),
            None => (None, Fit::Not),
        }
    }

    /// The grades of `ranked` as digits (`2 1 0 …`), for the per-job lines.
    fn grades(&self, ranked: &[String]) -> String {
        ranked
            .iter()
            .take(K)
            .map(|id| (self.of(id).1 as u8).to_string())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The quality of `ranked` (candidate ids) against the best of `eligible` humans' grades.
    fn quality(&self, ranked: &[String], ideal: &[Fit]) -> Option<Quality> {
        let mut shown = HashSet::new();
        let fits: Vec<Fit> = ranked
            .iter()
            .take(K)
            .map(|id| match self.of(id) {
                (Some(h), f) if shown.insert(h) => f,
                (None, _) => Fit::Not,
                _ => Fit::Not, // the same human again
            })
            .collect();
        let best = dcg(ideal);
        (best > 0.0).then(|| Quality {
            ndcg: dcg(&fits) / best,
            precision: fits.iter().filter(|f| **f == Fit::Well).count() as f64 / K as f64,
        })
    }
}

/// Best grades first, one per human.
fn ideal(grades: impl IntoIterator<Item = (u32, Fit)>) -> Vec<Fit> {
    let mut best: HashMap<u32, Fit> = HashMap::new();
    for (h, f) in grades {
        let e = best.entry(h).or_insert(f);
        *e = (*e).max(f);
    }
    let mut v: Vec<Fit> = best.into_values().collect();
    v.sort_by(|a, b| b.cmp(a));
    v.truncate(K);
    v
}

#[derive(Default)]
struct Tally {
    runs: Vec<Quality>,
}

impl Tally {
    fn add(&mut self, q: Option<Quality>) {
        self.runs.extend(q);
    }

    fn mean(&self) -> Quality {
        let n = self.runs.len().max(1) as f64;
        Quality {
            ndcg: self.runs.iter().map(|q| q.ndcg).sum::<f64>() / n,
            precision: self.runs.iter().map(|q| q.precision).sum::<f64>() / n,
        }
    }
}

fn shown(q: Quality) -> String {
    format!("{:.3} / {:.2}", q.ndcg, q.precision)
}

/// Loads a generated data set through the component and measures review and rediscovery.
pub async fn fit_group(scale: Scale, report: &Report) -> anyhow::Result<()> {
    println!(
        "\n## Ranking by fit: {} people, {} jobs, {} applications",
        scale.fit_people, scale.fit_jobs, scale.fit_workflows
    );
    let env = env::start(env::sim_config(
        scale.fit_people,
        scale.fit_jobs,
        scale.fit_workflows,
        0,
    ))
    .await?;
    let live = env.connect_with(&env.host, CONN, &CUSTOM_FIELDS).await?;
    let t = Instant::now();
    let reports = sync_connection(&env.host, &live, &SyncOptions::default(), &NoProgress).await?;
    anyhow::ensure!(
        reports.iter().all(|r| r.outcome == "completed"),
        "the load did not complete: {reports:?}"
    );
    println!("    loaded in {:.0} s", t.elapsed().as_secs_f64());
    let mirror = env.host.mirror.as_ref();
    let now = ats_features::unix_now();
    let links = ats_features::find_duplicates(mirror, CONN, &DedupeOptions::at(now)).await?;
    println!("    {} duplicate links", links.links.len());
    let (mut review, mut review_recent, mut review_text) = Default::default();
    let (mut found, mut found_recent, mut found_text) = Default::default();
    let mut times = Vec::new();
    for job in 1001..1001 + scale.fit_jobs {
        measure_job(
            &env,
            mirror,
            job,
            now,
            [&mut review, &mut review_recent, &mut review_text],
            [&mut found, &mut found_recent, &mut found_text],
            &mut times,
        )
        .await?;
    }
    let jobs = review.runs.len();
    let row = |what: &str, fit: &Tally, recent: &Tally, text: &Tally| {
        let (f, r, t) = (fit.mean(), recent.mean(), text.mean());
        report.add(
            &format!(
                "{what} by fit, NDCG@10 / P@10 ({jobs} jobs, {} people)",
                scale.fit_people
            ),
            format!("{} (jobs scored: {})", shown(f), fit.runs.len()),
            ">= 0.85, well above both baselines",
            format!(
                "recency + stage {}; job-title full text {}",
                shown(r),
                shown(t)
            ),
            verdict(f.ndcg >= 0.85 && f.ndcg >= r.ndcg + 0.2 && f.ndcg >= t.ndcg + 0.2),
        );
    };
    row("Review", &review, &review_recent, &review_text);
    row("Rediscovery for a job", &found, &found_recent, &found_text);
    latency_row(&mut times, scale.fit_people as usize, "", report);
    Ok(())
}

/// One job: review and rediscovery and their baselines, each tallied.
#[allow(clippy::too_many_arguments)]
async fn measure_job(
    env: &Env,
    mirror: &dyn Mirror,
    job: u32,
    now: i64,
    review: [&mut Tally; 3],
    found: [&mut Tally; 3],
    times: &mut Vec<Duration>,
) -> anyhow::Result<()> {
    let cid = env.customer();
    let job_id = job.to_string();
    let truth = Truth(
        env.sim
            .state()
            .job_grades(cid, job)?
            .into_iter()
            .map(|g| (g.person, (g.profile, g.fit)))
            .collect(),
    );
    let applicants = mirror.applicants(CONN, &job_id, usize::MAX, 0).await?;
    let applied: HashSet<u32> = applicants
        .iter()
        .filter_map(|a| truth.of(&a.candidate_id).0)
        .collect();
    let ideal_review = ideal(
        applicants
            .iter()
            .filter_map(|a| match truth.of(&a.candidate_id) {
                (Some(h), f) => Some((h, f)),
                _ => None,
            }),
    );
    let ideal_found = ideal(
        truth
            .0
            .values()
            .filter(|(h, _)| !applied.contains(h))
            .copied(),
    );

    // Review, and its baselines on the same applicants.
    let r = ats_features::review(mirror, CONN, &job_id, &ReviewOptions::at(now)).await?;
    let ids = |v: &mut dyn Iterator<Item = String>| v.collect::<Vec<_>>();
    let [fit, recent, text] = review;
    fit.add(truth.quality(
        &ids(&mut r.applicants.iter().map(|a| a.candidate_id.clone())),
        &ideal_review,
    ));
    let mut by_recency = r.applicants.clone();
    let rs = |a: &ats_features::review::ReviewedApplicant| -> f64 {
        a.parts
            .iter()
            .filter(|p| p.name == "recency" || p.name == "stage")
            .map(|p| p.points)
            .sum()
    };
    by_recency.sort_by(|x, y| {
        rs(y)
            .total_cmp(&rs(x))
            .then(x.application_id.cmp(&y.application_id))
    });
    recent.add(truth.quality(
        &ids(&mut by_recency.iter().map(|a| a.candidate_id.clone())),
        &ideal_review,
    ));
    let title = r.job_title.clone().unwrap_or_default();
    let by_title = mirror
        .search_candidates(
            CONN,
            &SearchQuery {
                text: Some(title.clone()),
                job_ids: vec![job_id.clone()],
                now,
                limit: K,
                ..SearchQuery::default()
            },
        )
        .await?;
    text.add(truth.quality(
        &ids(&mut by_title.hits.into_iter().map(|h| h.candidate_id)),
        &ideal_review,
    ));

    // Rediscovery for the job, and its baselines among the same people.
    let request = SearchFilters {
        per_page: Some(K),
        ..SearchFilters::default()
    }
    .resolve(now)?;
    let t = Instant::now();
    let page = ats_features::rediscover_for_job(mirror, CONN, &job_id, &request).await?;
    times.push(t.elapsed());
    let [fit, recent, text] = found;
    let top: Vec<String> = page.hits.iter().map(|h| h.candidate_id.clone()).collect();
    fit.add(truth.quality(&top, &ideal_found));
    if std::env::var_os("ATS_BENCH_FIT_DETAIL").is_some() {
        let reviewed: Vec<String> = r
            .applicants
            .iter()
            .map(|a| a.candidate_id.clone())
            .collect();
        let digits = |v: &[Fit]| {
            v.iter()
                .map(|f| (*f as u8).to_string())
                .collect::<Vec<_>>()
                .join(" ")
        };
        println!(
            "    job {job} {title:<36} review [{}] ideal [{}] | rediscover [{}] ideal [{}] ({} scored)",
            truth.grades(&reviewed),
            digits(&ideal_review),
            truth.grades(&top),
            digits(&ideal_found),
            page.scored
        );
        let all = SearchFilters {
            per_page: Some(500),
            ..SearchFilters::default()
        }
        .resolve(now)?;
        let all = ats_features::rediscover_for_job(mirror, CONN, &job_id, &all).await?;
        let well: HashSet<u32> = truth
            .0
            .values()
            .filter(|(h, f)| *f == Fit::Well && !applied.contains(h))
            .map(|(h, _)| *h)
            .collect();
        let ranks: Vec<usize> = all
            .hits
            .iter()
            .filter(
                |h| matches!(truth.of(&h.candidate_id), (Some(x), Fit::Well) if well.contains(&x)),
            )
            .map(|h| h.rank)
            .collect();
        println!(
            "      {} eligible well; in the pool at ranks {ranks:?}",
            well.len()
        );
        for h in page.hits.iter().take(4) {
            let why: Vec<String> = h
                .parts
                .iter()
                .map(|p| format!("{} {:.0}: {}", p.name, p.points, p.reason))
                .collect();
            println!(
                "      {} grade {} {:.1} {}",
                h.candidate_id,
                truth.of(&h.candidate_id).1 as u8,
                h.score,
                why.join("; ")
            );
        }
    }
    for (tally, text) in [(recent, None), (text, Some(title))] {
        let hits = mirror
            .search_candidates(
                CONN,
                &SearchQuery {
                    text,
                    not_applied_to: vec![job_id.clone()],
                    now,
                    limit: K,
                    ..SearchQuery::default()
                },
            )
            .await?;
        tally.add(truth.quality(
            &ids(&mut hits.hits.into_iter().map(|h| h.candidate_id)),
            &ideal_found,
        ));
    }
    Ok(())
}

fn latency_row(times: &mut [Duration], people: usize, note: &str, report: &Report) {
    times.sort();
    let p95 = quantile_ms(times, 0.95);
    report.add(
        &format!("Rediscovery for a job, {people} candidates in the mirror"),
        format!(
            "p95 {p95:.1} ms, p50 {:.1} ms, max {:.1} ms ({} calls{note})",
            quantile_ms(times, 0.5),
            quantile_ms(times, 1.0),
            times.len()
        ),
        "p95 <= 200 ms (1M)",
        "",
        if people >= 1_000_000 {
            verdict(p95 <= 200.0)
        } else {
            "report".into()
        },
    );
}

/// Rediscovery for each of the mirror's first jobs (3 calls each after a warm one), on a big
/// mirror loaded with the custom fields mapped.
pub async fn latency_on(mirror: &dyn Mirror, people: usize, report: &Report) -> anyhow::Result<()> {
    let now = ats_features::unix_now();
    let jobs = mirror.ids(CONN, ats_model::RecordKind::Job).await?;
    let request = SearchFilters {
        per_page: Some(K),
        ..SearchFilters::default()
    }
    .resolve(now)?;
    let mut times = Vec::new();
    for job in jobs.iter().take(20) {
        let _ = ats_features::rediscover_for_job(mirror, CONN, job, &request).await?;
        for _ in 0..3 {
            let t = Instant::now();
            let page = ats_features::rediscover_for_job(mirror, CONN, job, &request).await?;
            times.push(t.elapsed());
            std::hint::black_box(page);
        }
    }
    latency_row(
        &mut times,
        people,
        &format!(", {} jobs", jobs.len().min(20)),
        report,
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ndcg_is_one_for_the_ideal_order_and_counts_a_human_once() {
        let truth = Truth(
            [
                (1, (1, Fit::Well)),
                (2, (2, Fit::Partly)),
                (3, (1, Fit::Well)),
            ]
            .into(),
        );
        let ideal = ideal(truth.0.values().copied());
        assert_eq!(ideal, [Fit::Well, Fit::Partly]);
        let q = truth.quality(&["1".into(), "2".into()], &ideal).unwrap();
        assert!((q.ndcg - 1.0).abs() < 1e-12 && (q.precision - 0.1).abs() < 1e-12);
        let twice = truth
            .quality(&["1".into(), "3".into(), "2".into()], &ideal)
            .unwrap();
        assert!(
            twice.ndcg < 1.0,
            "a duplicate takes a slot and earns nothing"
        );
        let swapped = truth.quality(&["2".into(), "1".into()], &ideal).unwrap();
        assert!(swapped.ndcg < 1.0 && swapped.ndcg > 0.5);
        assert!(
            truth.quality(&["9".into()], &[]).is_none(),
            "nothing to find: not scored"
        );
    }
}
