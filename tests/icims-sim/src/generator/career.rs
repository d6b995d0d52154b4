//! Careers: what a generated person really is (profession, seniority, skill set, work history,
//! education) and what a generated job really asks for, and the graded ground truth that
//! follows from them.
//!
//! A career is not stored: it is drawn again from `(seed, profile id)` whenever it is needed
//! (rendering `workexperience`, a résumé, the ground truth), so a million people cost no memory
//! beyond the spans the generator keeps. Draws happen in a fixed order, cheap parts first, so
//! [`Head`] (what the ground truth and the profile fields need) is a prefix of [`Career`].

use std::fmt::Write;

use super::careers::{LEVEL_PREFIXES, LEVEL_YEARS, PROFESSIONS, SCHOOLS, employer};
use super::rng::SplitMix64;

/// How well a person fits a job, as the generator made them. The numbers are the grades of
/// NDCG (gain `2^grade - 1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fit {
    Not = 0,
    Partly = 1,
    Well = 2,
}

/// The cheap, decisive part of a person's career.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// Index into [`PROFESSIONS`].
    pub profession: u8,
    /// 0 junior … 4 principal.
    pub level: u8,
    pub years: u32,
    /// Indices into the profession's skills: what the person can do.
    pub skills: Vec<u8>,
    /// The skills their profile lists, as written (a subset, some in another spelling, plus at
    /// most one skill of another profession).
    pub listed: Vec<&'static str>,
    /// Current title as they write it.
    pub title: String,
    pub employer: &'static str,
}

/// One past or current position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub title: String,
    pub employer: &'static str,
    pub start_year: i32,
    /// `None` for the current position.
    pub end_year: Option<i32>,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Education {
    pub school: &'static str,
    /// "B.S.", "MBA", …
    pub degree: &'static str,
    /// "Computer Science"; empty when the degree names no field.
    pub field: &'static str,
    pub year: i32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Career {
    pub head: Head,
    /// Newest first.
    pub roles: Vec<Role>,
    pub education: Education,
}

/// What a generated job asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobNeeds {
    pub profession: u8,
    pub level: u8,
    /// Indices into the profession's skills.
    pub required: [u8; 3],
    pub nice: [u8; 2],
}

fn rng_for(seed: u64, salt: u64, id: u32) -> SplitMix64 {
    // A stream of its own per profile: drawing careers never shifts the generator's main stream.
    SplitMix64::new(seed.rotate_left(17) ^ salt ^ (id as u64).wrapping_mul(0xD134_2543_DE82_EF95))
}

/// `n` distinct indices below `m`, in draw order.
fn distinct(rng: &mut SplitMix64, n: usize, m: usize) -> Vec<u8> {
    let mut pool: Vec<u8> = (0..m as u8).collect();
    let mut out = Vec::with_capacity(n);
    for _ in 0..n.min(m) {
        let k = rng.below(pool.len() as u64) as usize;
        out.push(pool.swap_remove(k));
    }
    out
}

fn level_title(rng: &mut SplitMix64, level: u8, base: &str) -> String {
    let prefix = rng.pick(LEVEL_PREFIXES[level as usize]);
    format!("{prefix}{base}")
}

/// A seniority level 0 to 4, drawn from percent `below`: level `i` when the draw is under
/// `below[i]` (and over the one before), 4 above them all.
fn level(rng: &mut SplitMix64, below: [u64; 4]) -> u8 {
    let draw = rng.below(100);
    below.iter().position(|b| draw < *b).unwrap_or(4) as u8
}

fn head(rng: &mut SplitMix64) -> Head {
    let profession = rng.below(PROFESSIONS.len() as u64) as u8;
    let prof = &PROFESSIONS[profession as usize];
    let level = level(rng, [20, 50, 80, 94]);
    let (lo, hi) = LEVEL_YEARS[level as usize];
    let years = lo + rng.below((hi - lo + 1) as u64) as u32;
    let n_skills = 4 + rng.below(5) as usize;
    let skills = distinct(rng, n_skills, prof.skills.len());
    let mut listed = Vec::new();
    for &s in &skills {
        let forms = prof.skills[s as usize];
        // About a quarter of what people can do is only in their work history.
        if rng.chance(0.75) {
            listed.push(*rng.pick(forms));
        }
    }
    if rng.chance(0.25) {
        let other = rng.pick(PROFESSIONS);
        listed.push(rng.pick(other.skills)[0]);
    }
    let base = if rng.chance(0.55) {
        prof.titles[0]
    } else {
        *rng.pick(prof.titles)
    };
    let title = level_title(rng, level, base);
    let employer = employer(rng);
    Head {
        profession,
        level,
        years,
        skills,
        listed,
        title,
        employer,
    }
}

/// The part of profile `id`'s career that decides fit.
pub fn career_head(seed: u64, id: u32) -> Head {
    head(&mut rng_for(seed, 0xCA5E, id))
}

/// The whole career of profile `id`, dated back from `anchor_year` (the data set's "now").
pub fn career(seed: u64, id: u32, anchor_year: i32) -> Career {
    let mut rng = rng_for(seed, 0xCA5E, id);
    let head = head(&mut rng);
    let prof = &PROFESSIONS[head.profession as usize];
    let n_roles = (1 + head.years / 4).min(4) as usize;
    // Every skill shows in some description; the current role names the most.
    let mut skill_words: Vec<&'static str> = head
        .skills
        .iter()
        .map(|&s| *rng.pick(prof.skills[s as usize]))
        .collect();
    let mut roles = Vec::with_capacity(n_roles);
    let mut end: Option<i32> = None;
    let mut year = anchor_year;
    let mut left = head.years.max(1) as i32;
    for k in 0..n_roles {
        let span = if k + 1 == n_roles {
            left
        } else {
            (left / (n_roles - k) as i32).max(1)
        };
        left -= span;
        let start = year - span;
        let level = head.level.saturating_sub(k as u8);
        let (title, employer, from) = if k == 0 {
            (head.title.clone(), head.employer, prof)
        } else if k + 1 == n_roles && rng.chance(0.1) {
            // A career change: the first job was in another line of work.
            let other = rng.pick(PROFESSIONS);
            (
                level_title(&mut rng, 0, other.titles[0]),
                employer(&mut rng),
                other,
            )
        } else {
            (
                level_title(&mut rng, level, prof.titles[0]),
                employer(&mut rng),
                prof,
            )
        };
        let mut description = String::new();
        let duty = rng.pick(from.duties);
        let mut chars = duty.chars();
        if let Some(c) = chars.next() {
            description.extend(c.to_uppercase());
            description.push_str(chars.as_str());
        }
        let take = if k == 0 {
            skill_words.len().div_ceil(2).max(1)
        } else {
            skill_words.len().min(2)
        };
        // A role in another line of work names none of this profession's skills.
        if std::ptr::eq(from, prof) {
            let used: Vec<&str> = skill_words.drain(..take.min(skill_words.len())).collect();
            if !used.is_empty() {
                let _ = write!(description, " using {}", join_and(&used));
            }
        }
        let _ = write!(description, "; {}.", rng.pick(from.duties));
        roles.push(Role {
            title,
            employer,
            start_year: start,
            end_year: end,
            description,
        });
        end = Some(start);
        year = start;
    }
    // Whatever no description named yet goes to the current role.
    if !skill_words.is_empty()
        && let Some(r) = roles.first_mut()
    {
        let _ = write!(r.description, " Also: {}.", skill_words.join(", "));
    }
    let (degree, field) = rng
        .pick(prof.degrees)
        .split_once(' ')
        .unwrap_or((prof.degrees[0], ""));
    let school = *rng.pick(SCHOOLS);
    let education = Education {
        school,
        degree,
        field,
        year: year - rng.below(2) as i32,
    };
    Career {
        head,
        roles,
        education,
    }
}

fn join_and(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// What job `id` asks for, and its title as posted.
pub fn job_needs(seed: u64, id: u32) -> (JobNeeds, String) {
    let mut rng = rng_for(seed, 0x10B5, id);
    let profession = rng.below(PROFESSIONS.len() as u64) as u8;
    let prof = &PROFESSIONS[profession as usize];
    let level = level(&mut rng, [15, 50, 85, 95]);
    let picks = distinct(&mut rng, 5, prof.skills.len());
    let base = if rng.chance(0.75) {
        prof.titles[0]
    } else {
        prof.titles[1]
    };
    let title = level_title(&mut rng, level, base);
    (
        JobNeeds {
            profession,
            level,
            required: [picks[0], picks[1], picks[2]],
            nice: [picks[3], picks[4]],
        },
        title,
    )
}

/// The job's description (HTML, as iCIMS `overview` holds it) and qualifications.
pub fn job_texts(needs: &JobNeeds, title: &str, employer: &str, city: &str) -> (String, String) {
    let prof = &PROFESSIONS[needs.profession as usize];
    let mut overview = format!(
        "<p>{employer} is hiring a <strong>{title}</strong>{}.</p><h3>What you will do</h3><ul>",
        if city.is_empty() {
            String::new()
        } else {
            format!(" in {city}")
        }
    );
    for d in prof.duties.iter().take(3) {
        let _ = write!(overview, "<li>{d}</li>");
    }
    overview.push_str("</ul><p>We offer competitive pay and benefits.</p>");
    let names =
        |idx: &[u8]| -> Vec<&str> { idx.iter().map(|&s| prof.skills[s as usize][0]).collect() };
    let years = LEVEL_YEARS[needs.level as usize].0;
    let qualifications = format!(
        "<ul><li>{years}+ years of experience as a {}</li><li>Required: {}</li><li>Nice to have: {}</li></ul>",
        prof.titles[0],
        names(&needs.required).join(", "),
        names(&needs.nice).join(", "),
    );
    (overview, qualifications)
}

/// The grade of a person (career head, home city) for a job (needs, city). Well: same
/// profession, seniority within one level, at least two of the three required skills, same
/// city. Partly: same profession otherwise. Not: another profession.
pub fn grade(job: &JobNeeds, job_city: u16, person: &Head, person_city: u16) -> Fit {
    if person.profession != job.profession {
        return Fit::Not;
    }
    let has = job
        .required
        .iter()
        .filter(|r| person.skills.contains(r))
        .count();
    if person.level.abs_diff(job.level) <= 1 && has >= 2 && person_city == job_city {
        Fit::Well
    } else {
        Fit::Partly
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn careers_are_deterministic_and_head_is_a_prefix() {
        let a = career(7, 123, 2026);
        assert_eq!(a, career(7, 123, 2026));
        assert_eq!(a.head, career_head(7, 123));
        assert_ne!(career_head(7, 123), career_head(8, 123));
    }

    #[test]
    fn histories_add_up_and_name_every_skill() {
        for id in 1..300 {
            let c = career(1, id, 2026);
            assert!(!c.roles.is_empty());
            assert_eq!(c.roles[0].end_year, None);
            assert_eq!(c.roles[0].title, c.head.title);
            let first = c.roles.last().unwrap().start_year;
            assert_eq!(2026 - first, c.head.years.max(1) as i32, "{c:?}");
            let text: String = c.roles.iter().map(|r| r.description.as_str()).collect();
            let prof = &PROFESSIONS[c.head.profession as usize];
            for &s in &c.head.skills {
                let forms = prof.skills[s as usize];
                assert!(
                    forms.iter().any(|f| text.contains(f)),
                    "{forms:?} in {text}"
                );
            }
        }
    }

    #[test]
    fn grades_follow_the_rule() {
        let job = JobNeeds {
            profession: 0,
            level: 2,
            required: [0, 1, 2],
            nice: [3, 4],
        };
        let mut p = career_head(1, 1);
        p.profession = 0;
        p.level = 3;
        p.skills = vec![0, 2, 9];
        assert_eq!(grade(&job, 4, &p, 4), Fit::Well);
        assert_eq!(grade(&job, 4, &p, 5), Fit::Partly, "another city");
        p.level = 0;
        assert_eq!(grade(&job, 4, &p, 4), Fit::Partly, "too junior");
        p.profession = 1;
        assert_eq!(grade(&job, 4, &p, 4), Fit::Not);
    }
}
