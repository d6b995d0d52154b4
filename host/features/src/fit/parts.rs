//! The fit score parts, one function each, every one returning its points and the sentence
//! that explains them (module docs of `fit` list the weights).

use super::ask::{JobAsk, Offer, SkillAsk};
use super::vocab::LEVEL_NAMES;
use super::words::{contains_phrase, near};
use super::{FIT_MAX, ScorePart};
use std::collections::{BTreeMap, HashSet};

// The weights say what "fits well" means to a recruiter: the right kind of work, most of the
// required skills, seniority within one level, and living where the job is. Each of those
// outweighs doing better than needed on another, so a local candidate who meets them ranks
// above a perfect-on-paper one elsewhere (README, "Ranking by fit").
const TITLE: f64 = 25.0;
/// A past title counts for this share of a current one.
const PAST_TITLE: f64 = 0.6;
const REQUIRED: f64 = 24.0;
/// Share of the required skills that earns all their points: one missing of three is common in
/// good hires; fewer than a third earn none.
const MOST_REQUIRED: f64 = 2.0 / 3.0;
const FEW_REQUIRED: f64 = 1.0 / 3.0;
const NICE: f64 = 4.0;
const SENIORITY: f64 = 15.0;
const ONE_LEVEL_OFF: f64 = 12.0;
const LOCATION: f64 = 25.0;
const SAME_REGION: f64 = 10.0;
const RESUME: f64 = 7.0;

/// The most fit points someone away from the job's city can score, résumé included.
pub const BEST_ELSEWHERE: f64 = FIT_MAX - LOCATION + SAME_REGION;
const _: () = assert!(TITLE + REQUIRED + NICE + SENIORITY + LOCATION + RESUME == FIT_MAX);

/// Share of `wanted` words that `have` holds (one typo allowed on long words).
fn cover(wanted: &[String], have: &[String]) -> f64 {
    if wanted.is_empty() {
        return 0.0;
    }
    let hits = wanted
        .iter()
        .filter(|w| have.iter().any(|h| near(w, h)))
        .count();
    hits as f64 / wanted.len() as f64
}

pub fn title(job: &JobAsk, offer: &Offer) -> ScorePart {
    let wanted = job.title_words.join(" ");
    let current = cover(&job.title_words, &offer.title_words);
    let past = offer
        .past_titles
        .iter()
        .map(|(t, w)| (t, cover(&job.title_words, w)))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    let (points, reason) = match (&offer.title, past) {
        _ if job.title_words.is_empty() => (0.0, "the job has no title to compare".to_string()),
        (Some(t), _) if current >= 1.0 => (TITLE, format!("title '{t}' is a {wanted}")),
        (Some(t), Some((p, share))) if share * PAST_TITLE > current => (
            TITLE * PAST_TITLE * share,
            format!("was '{p}' (current title '{t}')"),
        ),
        (None, _) => (0.0, "no title in the profile".to_string()),
        (Some(t), _) if current > 0.0 => (
            TITLE * current,
            format!("title '{t}' is partly a {wanted} ({:.0}%)", current * 100.0),
        ),
        (Some(t), _) => (0.0, format!("title '{t}' is not a {wanted}")),
    };
    ScorePart {
        name: "title",
        points,
        reason,
    }
}

/// Where the person shows a skill: `listed` on the profile, or in the résumé / history.
fn shows(offer: &Offer, skill: &SkillAsk) -> Option<&'static str> {
    if offer.listed.contains(&skill.key) {
        return Some("listed");
    }
    skill
        .spellings
        .iter()
        .any(|s| contains_phrase(&offer.text_tokens, s))
        .then_some("in the résumé or work history")
}

pub fn skills(job: &JobAsk, offer: &Offer) -> ScorePart {
    if job.required.is_empty() && job.nice.is_empty() {
        return ScorePart {
            name: "skills",
            points: 0.0,
            reason: "the job names no skills".into(),
        };
    }
    let found = |list: &[SkillAsk]| -> (Vec<String>, usize) {
        let mut shown = Vec::new();
        for s in list {
            if let Some(how) = shows(offer, s) {
                shown.push(if how == "listed" {
                    s.name.clone()
                } else {
                    format!("{} ({how})", s.name)
                });
            }
        }
        let n = shown.len();
        (shown, n)
    };
    let (req, req_n) = found(&job.required);
    let (nice, nice_n) = found(&job.nice);
    let share = |n: usize, of: usize| if of == 0 { 0.0 } else { n as f64 / of as f64 };
    // Required skills: full points for most of them, none for few, linear between.
    let most = |n: usize, of: usize| {
        ((share(n, of) - FEW_REQUIRED) / (MOST_REQUIRED - FEW_REQUIRED)).clamp(0.0, 1.0)
    };
    // With no nice-to-have list, the required ones carry all the points.
    let (req_w, nice_w) = if job.nice.is_empty() {
        (REQUIRED + NICE, 0.0)
    } else if job.required.is_empty() {
        (0.0, REQUIRED + NICE)
    } else {
        (REQUIRED, NICE)
    };
    let points = req_w * most(req_n, job.required.len()) + nice_w * share(nice_n, job.nice.len());
    let mut reason = Vec::new();
    if !job.required.is_empty() {
        reason.push(if req.is_empty() {
            format!("none of the {} required skills", job.required.len())
        } else {
            format!(
                "{} of {} required skills: {}",
                req_n,
                job.required.len(),
                req.join(", ")
            )
        });
    }
    if !nice.is_empty() {
        reason.push(format!("nice to have: {}", nice.join(", ")));
    }
    ScorePart {
        name: "skills",
        points,
        reason: reason.join("; "),
    }
}

pub fn seniority(job: &JobAsk, offer: &Offer) -> ScorePart {
    let (points, reason) = match (&job.level, &offer.level) {
        (Some((want, _)), Some((have, why))) => {
            let points = match want.abs_diff(*have) {
                0 => SENIORITY,
                1 => ONE_LEVEL_OFF,
                _ => 0.0,
            };
            (
                points,
                format!(
                    "{} ({why}) for a {} role",
                    LEVEL_NAMES[*have as usize], LEVEL_NAMES[*want as usize]
                ),
            )
        }
        (None, _) => (0.0, "the job does not say its seniority".to_string()),
        (Some(_), None) => (
            0.0,
            "seniority unknown: no title or work history".to_string(),
        ),
    };
    ScorePart {
        name: "seniority",
        points,
        reason,
    }
}

pub fn location(job: &JobAsk, offer: &Offer) -> ScorePart {
    let name =
        |shown: &Option<String>, folded: &str| shown.clone().unwrap_or_else(|| folded.to_string());
    let (points, reason) = match (&job.city, &offer.city) {
        (None, _) => (0.0, "the job's city is unknown".to_string()),
        (Some(_), None) => (0.0, "the person's city is unknown".to_string()),
        (Some(j), Some(p)) => {
            let (j, p_name) = (name(&job.city_name, j), name(&offer.city_name, p));
            if job.city == offer.city {
                (LOCATION, format!("lives in {p_name}, where the job is"))
            } else if job.region.is_some() && job.region == offer.region {
                (
                    SAME_REGION,
                    format!("lives in {p_name}, same region as {j}"),
                )
            } else {
                (0.0, format!("lives in {p_name}; the job is in {j}"))
            }
        }
    };
    ScorePart {
        name: "location",
        points,
        reason,
    }
}

/// Inverse document frequency of the job's words over the people being ranked:
/// `ln((n + 1) / (df + 1)) + 1`, so words everyone has weigh least.
#[derive(Debug, Clone, Default)]
pub struct Idf(BTreeMap<String, f64>);

impl Idf {
    pub fn new<'a>(job: &JobAsk, people: impl IntoIterator<Item = &'a HashSet<String>>) -> Idf {
        let mut df: BTreeMap<&str, usize> = job.terms.iter().map(|t| (t.as_str(), 0)).collect();
        let mut n = 0usize;
        for stems in people {
            n += 1;
            for (t, count) in df.iter_mut() {
                if stems.contains(*t) {
                    *count += 1;
                }
            }
        }
        Idf(df
            .into_iter()
            .map(|(t, d)| {
                (
                    t.to_string(),
                    ((n as f64 + 1.0) / (d as f64 + 1.0)).ln() + 1.0,
                )
            })
            .collect())
    }
}

pub fn resume(offer: &Offer, idf: &Idf) -> ScorePart {
    let total: f64 = idf.0.values().sum();
    let mut found: Vec<(&String, f64)> = idf
        .0
        .iter()
        .filter(|(t, _)| offer.stems.contains(*t))
        .map(|(t, w)| (t, *w))
        .collect();
    found.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(y.0)));
    let points = if total > 0.0 {
        RESUME * found.iter().map(|f| f.1).sum::<f64>() / total
    } else {
        0.0
    };
    let reason = if offer.stems.is_empty() {
        "no résumé text or work history".to_string()
    } else {
        let top: Vec<&str> = found.iter().take(5).map(|f| f.0.as_str()).collect();
        format!(
            "résumé and history share {} of the job's {} words{}",
            found.len(),
            idf.0.len(),
            if top.is_empty() {
                String::new()
            } else {
                format!(": {}", top.join(", "))
            }
        )
    };
    ScorePart {
        name: "resume",
        points,
        reason,
    }
}

/// The five fit parts, in the order of the module table.
pub fn fit_parts(job: &JobAsk, offer: &Offer, idf: &Idf) -> Vec<ScorePart> {
    vec![
        title(job, offer),
        skills(job, offer),
        seniority(job, offer),
        location(job, offer),
        resume(offer, idf),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use ats_model::{Address, Candidate, Job, WorkExperience};

    const YEAR: i64 = 31_557_600;

    fn ask() -> JobAsk {
        JobAsk::of(&Job {
            title: Some("Senior Software Engineer".into()),
            description: Some("<p>Build backend services for payments.</p>".into()),
            qualifications: Some(
                "<li>5+ years</li><li>Required: Rust, Kafka, PostgreSQL</li><li>Nice to have: Docker, K8s</li>"
                    .into(),
            ),
            address: Some(Address { city: Some("Boston".into()), region: Some("MA".into()), ..Address::default() }),
            ..Job::default()
        })
    }

    fn person(title: &str, skills: &[&str], city: &str, history: &str, years: i64) -> Offer {
        let c = Candidate {
            current_title: (!title.is_empty()).then(|| title.to_string()),
            skills: skills.iter().map(|s| s.to_string()).collect(),
            addresses: vec![Address {
                city: Some(city.into()),
                region: Some("MA".into()),
                ..Address::default()
            }],
            experience: vec![WorkExperience {
                title: Some(title.into()),
                description: Some(history.into()),
                started_at: Some(10 * YEAR - years * YEAR),
                ..WorkExperience::default()
            }],
            ..Candidate::default()
        };
        Offer::of(&c, None, 10 * YEAR)
    }

    #[test]
    fn title_sees_through_synonyms_typos_and_grades() {
        let job = ask();
        let p = |t: &str| title(&job, &person(t, &[], "Boston", "", 6));
        assert_eq!(p("Sr. Backend Developer").points, TITLE);
        assert_eq!(p("Sofware Engineer").points, TITLE, "one typo");
        assert_eq!(p("Mechanical Engineer").points, TITLE / 2.0);
        assert_eq!(p("Registered Nurse").points, 0.0);
        assert_eq!(
            p("Registered Nurse").reason,
            "title 'Registered Nurse' is not a software engineer"
        );
        let mut switcher = person("Registered Nurse", &[], "Boston", "", 6);
        switcher.past_titles = vec![(
            "Software Engineer".into(),
            vec!["software".into(), "engineer".into()],
        )];
        let part = title(&job, &switcher);
        assert_eq!(part.points, TITLE * PAST_TITLE);
        assert_eq!(
            part.reason,
            "was 'Software Engineer' (current title 'Registered Nurse')"
        );
    }

    #[test]
    fn skills_count_listed_and_written_ones_in_any_spelling() {
        let job = ask();
        let all = skills(
            &job,
            &person(
                "x",
                &["rust", "Postgres"],
                "Boston",
                "Ran Apache Kafka and Kubernetes",
                6,
            ),
        );
        assert_eq!(all.points, REQUIRED + NICE / 2.0);
        let most = skills(&job, &person("x", &["rust", "Postgres"], "Boston", "", 6));
        assert_eq!(most.points, REQUIRED, "two of three required earn them all");
        let few = skills(&job, &person("x", &["Rust"], "Boston", "", 6));
        assert_eq!(
            (few.points, few.reason.as_str()),
            (0.0, "1 of 3 required skills: Rust")
        );
        assert_eq!(
            all.reason,
            "3 of 3 required skills: Rust, Kafka (in the résumé or work history), PostgreSQL; nice to have: K8s (in the résumé or work history)"
        );
        let none = skills(&job, &person("x", &["Excel"], "Boston", "", 6));
        assert_eq!(
            (none.points, none.reason.as_str()),
            (0.0, "none of the 3 required skills")
        );
        let no_skills = JobAsk {
            required: vec![],
            nice: vec![],
            ..ask()
        };
        assert_eq!(
            skills(&no_skills, &none_offer()).reason,
            "the job names no skills"
        );
    }

    fn none_offer() -> Offer {
        Offer::of(&Candidate::default(), None, 0)
    }

    #[test]
    fn seniority_compares_levels_from_titles_or_years() {
        let job = ask();
        let s = |t: &str, years: i64| seniority(&job, &person(t, &[], "Boston", "", years)).points;
        assert_eq!(
            s("Senior Software Engineer", 1),
            SENIORITY,
            "the title wins over the years"
        );
        assert_eq!(s("Software Engineer", 6), SENIORITY, "6 years: senior");
        assert_eq!(s("Lead Software Engineer", 6), ONE_LEVEL_OFF);
        assert_eq!(s("Junior Software Engineer", 6), 0.0, "two levels apart");
        assert_eq!(s("Principal Software Engineer", 6), 0.0);
        let part = seniority(&job, &none_offer());
        assert_eq!(
            (part.points, part.reason.as_str()),
            (0.0, "seniority unknown: no title or work history")
        );
    }

    #[test]
    fn location_prefers_the_city_then_the_region() {
        let job = ask();
        assert_eq!(
            location(&job, &person("x", &[], "boston", "", 1)).points,
            LOCATION
        );
        let near = location(&job, &person("x", &[], "Cambridge", "", 1));
        assert_eq!(
            (near.points, near.reason.as_str()),
            (SAME_REGION, "lives in Cambridge, same region as Boston")
        );
        let far = JobAsk {
            region: Some("tx".into()),
            ..ask()
        };
        assert_eq!(
            location(&far, &person("x", &[], "Cambridge", "", 1)).points,
            0.0
        );
        assert_eq!(
            location(&job, &none_offer()).reason,
            "the person's city is unknown"
        );
    }

    #[test]
    fn resume_weighs_rarer_job_words_more() {
        let job = ask();
        let a = person("x", &[], "Boston", "payments services", 1);
        let b = person("x", &[], "Boston", "services", 1);
        let idf = Idf::new(&job, [&a.stems, &b.stems]);
        let (ra, rb) = (resume(&a, &idf), resume(&b, &idf));
        assert!(ra.points > rb.points && rb.points > 0.0, "{ra:?} {rb:?}");
        assert!(ra.reason.contains("payment"), "{}", ra.reason);
        assert_eq!(
            resume(&none_offer(), &idf).reason,
            "no résumé text or work history"
        );
        assert_eq!(fit_parts(&job, &a, &idf).len(), 5);
    }
}
