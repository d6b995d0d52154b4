//! Reading a job into what it asks for, and a person into what they offer, once each: the score
//! parts then only compare.

use super::vocab::{self, seniority_word, skill_key, title_word};
use super::words::{html_text, stems, stems_of, tokens};
use ats_model::{Candidate, Job, Timestamp};
use std::collections::HashSet;

/// One skill a job names, as written and as fit compares it.
#[derive(Debug, Clone, PartialEq)]
pub struct SkillAsk {
    pub name: String,
    /// Canonical tokens ([`vocab::skill_key`]).
    pub key: Vec<String>,
    /// Every known spelling, as tokens ([`vocab::skill_spellings`]).
    pub spellings: Vec<Vec<String>>,
}

/// What a job asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct JobAsk {
    pub title: String,
    /// The title's words that name the work: seniority words out, synonyms mapped.
    pub title_words: Vec<String>,
    /// 0 junior … 4 principal, with what said so.
    pub level: Option<(u8, String)>,
    pub required: Vec<SkillAsk>,
    pub nice: Vec<SkillAsk>,
    /// Folded city and region of the job's address.
    pub city: Option<String>,
    pub region: Option<String>,
    /// The city as the ATS wrote it, for reasons.
    pub city_name: Option<String>,
    /// Stems of the description and qualifications, each once.
    pub terms: Vec<String>,
}

/// What a person offers.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    /// The current title, else the newest position's.
    pub title: Option<String>,
    pub title_words: Vec<String>,
    /// Older positions' titles, as title words, with the title as written.
    pub past_titles: Vec<(String, Vec<String>)>,
    pub level: Option<(u8, String)>,
    /// Skills the profile lists, as canonical tokens.
    pub listed: Vec<Vec<String>>,
    /// Tokens of the résumé text and the work history, where unlisted skills are found.
    pub text_tokens: Vec<String>,
    /// Stems of the résumé text, history and skills.
    pub stems: HashSet<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    /// The city as the ATS wrote it, for reasons.
    pub city_name: Option<String>,
}

fn fold(text: &str) -> String {
    tokens(text).join(" ")
}

/// A place name as compared; `None` when there is none or it folds to nothing.
fn folded(text: Option<&str>) -> Option<String> {
    text.map(fold).filter(|t| !t.is_empty())
}

/// Title words as compared, and the seniority the title states. "Staff" is a level only in
/// engineering titles: a staff nurse or staff accountant is the regular grade.
pub fn title_words(title: &str) -> (Vec<String>, Option<u8>) {
    let words: Vec<String> = tokens(title).iter().flat_map(|t| title_word(t)).collect();
    let engineering = words.iter().any(|w| w == "engineer");
    let mut level = None;
    let mut kept = Vec::new();
    for w in words {
        let says = seniority_word(&w).filter(|_| w != "staff" || engineering);
        match says {
            Some(l) => {
                level.get_or_insert(l);
            }
            None if !matches!(w.as_str(), "of" | "and" | "the" | "i" | "iv") => kept.push(w),
            None => {}
        }
    }
    (kept, level)
}

/// The level the least number of years a job asks for means.
fn level_of_min_years(years: u32) -> u8 {
    match years {
        0..=1 => 0,
        2..=4 => 1,
        5..=7 => 2,
        8..=11 => 3,
        _ => 4,
    }
}

/// "5+ years", "5 years", "5-7 yrs": the first number followed by a word for years.
fn years_asked(text: &str) -> Option<u32> {
    let t = tokens(text);
    t.windows(2).find_map(|w| {
        matches!(w[1].as_str(), "years" | "year" | "yrs" | "yr")
            .then(|| w[0].parse::<u32>().ok())
            .flatten()
    })
}

/// Skills listed after a "Required:" / "Nice to have:" (or "Preferred:", "Bonus:") label, one
/// line each; with no such line, the known skills the text mentions count as required.
fn skill_lists(text: &str) -> (Vec<SkillAsk>, Vec<SkillAsk>) {
    let (mut required, mut nice) = (Vec::new(), Vec::new());
    for line in text.lines() {
        let Some((label, items)) = line.split_once(':') else {
            continue;
        };
        let label = fold(label);
        let list = if ["nice to have", "preferred", "bonus", "plus"]
            .iter()
            .any(|l| label.contains(l))
        {
            &mut nice
        } else if ["required", "requirements", "must have", "skills"]
            .iter()
            .any(|l| label.contains(l))
        {
            &mut required
        } else {
            continue;
        };
        for item in items.split([',', ';']).flat_map(|i| i.split(" and ")) {
            let name = item.trim().trim_end_matches('.').trim();
            // A sentence is not a skill.
            if name.split_whitespace().count() > 4 {
                continue;
            }
            if let Some(key) = skill_key(name)
                && !list.iter().any(|s: &SkillAsk| s.key == key)
            {
                list.push(SkillAsk {
                    name: name.to_string(),
                    spellings: vocab::skill_spellings(&key),
                    key,
                });
            }
        }
    }
    (required, nice)
}

impl JobAsk {
    pub fn of(job: &Job) -> JobAsk {
        let title = job.title.clone().unwrap_or_default();
        let description = html_text(job.description.as_deref().unwrap_or_default());
        let qualifications = html_text(job.qualifications.as_deref().unwrap_or_default());
        let text = format!("{qualifications}\n{description}");
        let (title_words, title_level) = title_words(&title);
        let level = match (title_level, years_asked(&text)) {
            (Some(l), _) => Some((l, "by the title".to_string())),
            (None, Some(y)) => Some((level_of_min_years(y), format!("asks {y}+ years"))),
            (None, None) => None,
        };
        let (required, nice) = skill_lists(&text);
        let address = job.address.as_ref();
        let mut seen = HashSet::new();
        let terms = stems(&text)
            .into_iter()
            .filter(|s| seen.insert(s.clone()))
            .collect();
        JobAsk {
            title,
            title_words,
            level,
            required,
            nice,
            city: folded(address.and_then(|a| a.city.as_deref())),
            region: folded(address.and_then(|a| a.region.as_deref())),
            city_name: address.and_then(|a| a.city.clone()),
            terms,
        }
    }
}

const YEAR: f64 = 365.25 * 86_400.0;

impl Offer {
    /// `resume_text` is what the mirror extracted from their résumé file, if anything.
    pub fn of(c: &Candidate, resume_text: Option<&str>, now: Timestamp) -> Offer {
        let newest = c.experience.first();
        let title = c
            .current_title
            .clone()
            .or_else(|| newest.and_then(|w| w.title.clone()));
        let (words, title_level) = title_words(title.as_deref().unwrap_or_default());
        let past_titles = c
            .experience
            .iter()
            .filter_map(|w| w.title.as_ref())
            .filter(|t| Some(*t) != title.as_ref())
            .map(|t| (t.clone(), title_words(t).0))
            .collect();
        let started = c.experience.iter().filter_map(|w| w.started_at).min();
        let years = started.map(|s| ((now - s).max(0) as f64) / YEAR);
        let level = match (title_level, years) {
            (Some(l), _) => Some((l, "by the title".to_string())),
            (None, Some(y)) => Some((
                vocab::level_of_years(y),
                format!("{y:.0} years of work history"),
            )),
            // A bare title with no history: the ordinary grade.
            (None, None) if title.is_some() => Some((1, "a title without a grade".into())),
            (None, None) => None,
        };
        let history = ats_mirror::derived::history_text(c).unwrap_or_default();
        let text = format!("{}\n{history}", resume_text.unwrap_or_default());
        let text_tokens = tokens(&text);
        let mut stem_set: HashSet<String> = stems_of(&text_tokens).into_iter().collect();
        for s in &c.skills {
            stem_set.extend(stems(s));
        }
        let address = c.addresses.first();
        Offer {
            title,
            title_words: words,
            past_titles,
            level,
            listed: c.skills.iter().filter_map(|s| skill_key(s)).collect(),
            text_tokens,
            stems: stem_set,
            city: folded(address.and_then(|a| a.city.as_deref())),
            region: folded(address.and_then(|a| a.region.as_deref())),
            city_name: address.and_then(|a| a.city.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ats_model::{Address, WorkExperience};

    pub(crate) fn job() -> Job {
        Job {
            id: "1001".into(),
            title: Some("Senior Software Engineer".into()),
            description: Some("<p>Build backend services.</p>".into()),
            qualifications: Some(
                "<ul><li>5+ years of experience</li><li>Required: Rust, Kafka, PostgreSQL</li>\
                 <li>Nice to have: Docker and K8s</li></ul>"
                    .into(),
            ),
            address: Some(Address {
                city: Some("Boston".into()),
                region: Some("Massachusetts".into()),
                ..Address::default()
            }),
            ..Job::default()
        }
    }

    #[test]
    fn a_job_reads_into_what_it_asks() {
        let ask = JobAsk::of(&job());
        assert_eq!(ask.title_words, ["software", "engineer"]);
        assert_eq!(ask.level.as_ref().map(|l| l.0), Some(2));
        let names = |s: &[SkillAsk]| s.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&ask.required), ["Rust", "Kafka", "PostgreSQL"]);
        assert_eq!(names(&ask.nice), ["Docker", "K8s"]);
        assert_eq!(ask.nice[1].key, ["kubernetes"]);
        assert_eq!(ask.city.as_deref(), Some("boston"));
        let bare = Job {
            title: Some("Accountant".into()),
            qualifications: Some("3+ years".into()),
            ..Job::default()
        };
        let ask = JobAsk::of(&bare);
        assert_eq!(ask.level.map(|l| l.0), Some(1));
        assert!(ask.required.is_empty() && ask.city.is_none());
    }

    #[test]
    fn a_person_reads_into_what_they_offer() {
        let c = Candidate {
            current_title: None,
            skills: vec!["JS".into(), "".into()],
            experience: vec![
                WorkExperience {
                    title: Some("Backend Developer".into()),
                    started_at: Some(0),
                    ..WorkExperience::default()
                },
                WorkExperience {
                    title: Some("Jr. Web Developer".into()),
                    description: Some("Built things with Apache Kafka".into()),
                    started_at: Some(-(3.0 * YEAR) as i64),
                    ..WorkExperience::default()
                },
            ],
            ..Candidate::default()
        };
        let o = Offer::of(&c, None, (3.0 * YEAR) as i64);
        assert_eq!(o.title.as_deref(), Some("Backend Developer"));
        assert_eq!(o.title_words, ["software", "engineer"]);
        assert_eq!(o.past_titles[0].1, ["frontend", "engineer"]);
        assert_eq!(
            o.level.as_ref().map(|l| l.0),
            Some(2),
            "6 years without a grade word"
        );
        assert_eq!(o.listed, [vec!["javascript".to_string()]]);
        assert!(o.text_tokens.windows(2).any(|w| w == ["apache", "kafka"]));
        assert_eq!(
            title_words("Staff Nurse"),
            (vec!["staff".to_string(), "nurse".to_string()], None)
        );
        assert_eq!(title_words("Staff Software Engineer").1, Some(3));
    }
}
