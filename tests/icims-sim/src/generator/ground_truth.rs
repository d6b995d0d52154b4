//! The graded ground truth of fit: for a generated job, how well each person fits it, decided
//! by how both were generated ([`career::grade`]), never by looking at what the API shows.
//! Ranking quality (NDCG, precision) is measured against it.

use super::career::{self, Fit};
use crate::store::CustomerData;

/// One person's grade for a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Graded {
    pub person: u32,
    /// The human behind the record: duplicates of one person share it.
    pub profile: u32,
    pub fit: Fit,
}

/// The grade of every live person with a generated career who fits job `job_id` at least
/// partly, ascending by person id; `None` when the job does not exist or was not generated.
pub fn job_grades(d: &CustomerData, job_id: u32) -> Option<Vec<Graded>> {
    let job = d.jobs.get(job_id as u64)?;
    let needs = job.needs?;
    let job_city = d.companies.get(job.location as u64).map(|c| c.city);
    let mut out = Vec::new();
    for (id, p) in d.people.iter_from(0) {
        if p.profile == 0 {
            continue;
        }
        let head = career::career_head(d.career_seed, p.profile);
        let fit = match job_city {
            Some(city) => career::grade(&needs, city, &head, p.city),
            // A job without a location: nobody is "near" it.
            None => career::grade(&needs, u16::MAX, &head, p.city).min(Fit::Partly),
        };
        if fit != Fit::Not {
            out.push(Graded {
                person: id,
                profile: p.profile,
                fit,
            });
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::CustomerConfig;

    #[test]
    fn every_generated_job_has_people_who_fit_it_well() {
        let mut c = CustomerConfig::default();
        c.generator.people = 20_000;
        c.generator.jobs = 10;
        c.generator.workflows = 1_000;
        let d = crate::generator::generate(&c, 1_700_000_000);
        for job in 1001..1011 {
            let g = job_grades(&d, job).unwrap();
            let well = g.iter().filter(|g| g.fit == Fit::Well).count();
            let partly = g.iter().filter(|g| g.fit == Fit::Partly).count();
            // 20k people over 10 professions and 18 cities: some fit well, ~2k partly.
            assert!(
                well >= 5 && partly > well * 20,
                "job {job}: {well} well, {partly} partly"
            );
        }
        assert!(job_grades(&d, 999).is_none());
    }
}
