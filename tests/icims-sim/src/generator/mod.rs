//! Deterministic data generator: realistic people (with a recorded fraction of duplicates),
//! companies (locations), jobs and recruiting workflows. Same seed → same data; one million
//! people generate in about a second in release builds because strings are written once into
//! the arena and shared spans are reused for names, titles and companies.

pub mod career;
pub mod career_json;
pub mod careers;
pub mod ground_truth;
pub mod names;
pub mod rng;

use std::fmt::Write;

use crate::config::CustomerConfig;
use crate::store::{
    Company, CustomerData, Job, NONE, Person, ResumeKind, Span, Workflow, to_minutes,
};
use names::*;
use rng::SplitMix64;

const TWO_YEARS: i64 = 2 * 365 * 86_400;

pub fn generate(cfg: &CustomerConfig, clock_start_secs: i64) -> CustomerData {
    let g = &cfg.generator;
    let mut rng = SplitMix64::new(g.seed);
    let end = g.end_unix.unwrap_or(clock_start_secs);
    let start = g.start_unix.unwrap_or(end - TWO_YEARS).min(end);
    let mut d = CustomerData::new();
    d.career_year = crate::dates::year(end);
    d.career_seed = g.seed;
    // Careers use a stream of their own (see `career`); these draws only steer applications.
    let mut fit_rng = SplitMix64::new(g.seed ^ 0xF17_F17);

    let firsts: Vec<Span> = FIRST_NAMES.iter().map(|s| d.arena.push(s)).collect();
    let lasts: Vec<Span> = LAST_NAMES.iter().map(|s| d.arena.push(s)).collect();
    let titles: Vec<Span> = TITLES.iter().map(|s| d.arena.push(s)).collect();
    let employers: Vec<Span> = COMPANIES.iter().map(|s| d.arena.push(s)).collect();
    let nicks: Vec<Span> = NICKNAMES.iter().map(|(_, n)| d.arena.push(n)).collect();
    let other_source = d.arena.push("Career Fair");

    // Companies (locations) first: jobs point at them.
    for _ in 0..g.companies {
        let created = rand_between(&mut rng, start, end);
        let city = rng.below(CITIES.len() as u64) as u16;
        d.companies.insert(Company {
            name: format!("{} - {}", rng.pick(COMPANIES), rng.pick(LOCATION_NAMES)),
            folder: if cfg.company_folders.is_empty() {
                NONE
            } else {
                0
            },
            street: format!("{} {}", 1 + rng.below(999), rng.pick(STREETS)),
            city,
            zip: zip_for(&mut rng, city),
            created: to_minutes(created),
            updated: to_minutes(rand_between(&mut rng, created, end)),
            extra: None,
        });
    }

    // People. The first few are hiring managers/recruiters that jobs refer to.
    let hm_count = (g.people / 100).clamp(1, 500);
    let hm_folder = folder_index(cfg, "HM:").unwrap_or(0);
    let mut originals: Vec<u32> = Vec::new();
    let mut group_of: std::collections::HashMap<u32, usize> = Default::default();
    let mut buf = String::with_capacity(128);
    // Who does what where: applicants mostly come from the job's profession, often local.
    let mut by_profession: std::collections::HashMap<u8, Vec<u32>> = Default::default();
    // Titles and employers take few distinct values: one span each, shared.
    let mut spans: std::collections::HashMap<String, Span> = Default::default();
    let mut by_profession_city: std::collections::HashMap<(u8, u16), Vec<u32>> = Default::default();
    d.people.reserve(g.people as usize);
    for i in 0..g.people {
        let id = i + 1;
        if !originals.is_empty() && i >= hm_count && rng.chance(g.duplicate_people_rate) {
            let orig = originals[rng.below(originals.len() as u64) as usize];
            let p = duplicate_of(&mut d, &mut rng, &nicks, orig, end, &mut buf);
            let new_id = d.people.insert(p);
            let gi = *group_of.entry(orig).or_insert_with(|| {
                d.duplicate_groups.push(vec![orig]);
                d.duplicate_groups.len() - 1
            });
            d.duplicate_groups[gi].push(new_id);
            continue;
        }
        let fi = rng.below(firsts.len() as u64) as usize;
        let li = rng.below(lasts.len() as u64) as usize;
        let city = rng.below(CITIES.len() as u64) as u16;
        let created = rand_between(&mut rng, start, end);
        let updated = rand_between(&mut rng, created, end);

        let first_key = email_part(FIRST_NAMES[fi]);
        let last_key = email_part(LAST_NAMES[li]);
        buf.clear();
        let _ = match rng.below(5) {
            0 => write!(buf, "{first_key}.{last_key}{id}"),
            1 => write!(buf, "{}{last_key}{id}", &first_key[..1]),
            2 => write!(buf, "{first_key}_{last_key}{id}"),
            3 => write!(buf, "{last_key}.{first_key}{id}"),
            _ => write!(buf, "{first_key}{id}.{last_key}"),
        };
        let _ = write!(buf, "@{}", rng.pick(EMAIL_DOMAINS));
        let email = d.arena.push(&buf);

        buf.clear();
        format_phone(&mut buf, CITIES[city as usize].4, id, rng.below(2) as u8);
        let phone = d.arena.push(&buf);

        buf.clear();
        let _ = write!(buf, "{} {}", 1 + rng.below(9999), rng.pick(STREETS));
        let street = d.arena.push(&buf);
        let zip_text = zip_for(&mut rng, city);
        let zip = d.arena.push(&zip_text);

        let linkedin = if rng.chance(0.6) {
            buf.clear();
            let _ = write!(
                buf,
                "https://www.linkedin.com/in/{first_key}-{last_key}-{:06x}",
                (id as u64).wrapping_mul(0x9E37_79B1) & 0xFF_FFFF
            );
            d.arena.push(&buf)
        } else {
            Span::default()
        };
        // The main stream keeps its old draws (3 skills) so names, emails and dates stay as
        // they were; what the person does comes from their career.
        for _ in 0..3 {
            let _ = rng.pick(SKILLS);
        }
        let head = career::career_head(g.seed, id);
        let skills = d.arena.push(&head.listed.join(", "));
        let folder = if i < hm_count {
            hm_folder
        } else {
            weighted_folder(&mut rng, cfg.person_folders.len())
        };
        let source = if cfg.sources.is_empty() {
            NONE
        } else {
            rng.below(cfg.sources.len() as u64) as u16
        };
        let sourcename = match cfg.sources.get(source as usize) {
            Some(s) if s.value.starts_with("Other") => other_source,
            _ => Span::default(),
        };
        let p = Person {
            first: firsts[fi],
            middle: if rng.chance(0.15) {
                *rng.pick(&firsts)
            } else {
                Span::default()
            },
            last: lasts[li],
            email,
            phone,
            phone_type: rng.below(3) as u8,
            street,
            city,
            zip,
            folder,
            source,
            sourcename,
            linkedin,
            title: {
                let shown = rng.chance(0.9);
                let _ = rng.pick(&titles);
                if shown {
                    interned(&mut d, &mut spans, &head.title)
                } else {
                    Span::default()
                }
            },
            company: {
                let shown = rng.chance(0.8);
                let _ = rng.pick(&employers);
                if shown {
                    interned(&mut d, &mut spans, head.employer)
                } else {
                    Span::default()
                }
            },
            skills,
            created: to_minutes(created),
            updated: to_minutes(updated),
            resume: if rng.chance(g.resume_rate) {
                ResumeKind::Generated
            } else {
                ResumeKind::None
            },
            profile: id,
            extra: None,
        };
        let new_id = d.people.insert(p);
        if i >= hm_count {
            originals.push(new_id);
            let key = (head.profession, city);
            by_profession_city.entry(key).or_default().push(new_id);
            by_profession
                .entry(head.profession)
                .or_default()
                .push(new_id);
        }
    }

    // Jobs.
    for j in 0..g.jobs {
        let created = rand_between(&mut rng, start, end);
        let title = *rng.pick(TITLES);
        let location = if d.companies.is_empty() {
            0
        } else {
            d.companies
                .live_id_at(rng.below(d.companies.slots() as u64) as usize)
                .unwrap_or(0)
        };
        let hm = 1 + rng.below(hm_count.min(g.people) as u64) as u32;
        let recruiter = 1 + rng.below(hm_count.min(g.people) as u64) as u32;
        let year = crate::dates::year(created);
        let employer = rng.pick(COMPANIES);
        for _ in 0..3 {
            let _ = rng.pick(SKILLS); // the old overview's draws, kept for the main stream
        }
        let _ = title;
        let (needs, title) = career::job_needs(g.seed, 1001 + j);
        let city = d
            .companies
            .get(location as u64)
            .and_then(|c| CITIES.get(c.city as usize))
            .map_or("", |c| c.0);
        let (overview, qualifications) = career::job_texts(&needs, &title, employer, city);
        d.jobs.insert(Job {
            jobid: format!("{year}-{}", 1001 + j),
            title,
            folder: weighted_job_folder(&mut rng, cfg.job_folders.len()),
            overview,
            qualifications,
            needs: Some(needs),
            location,
            hiring_manager: if g.people > 0 { hm } else { 0 },
            recruiter: if g.people > 0 { recruiter } else { 0 },
            department: if cfg.departments.is_empty() {
                NONE
            } else {
                rng.below(cfg.departments.len() as u64) as u16
            },
            positions: 1 + rng.below(3) as u32,
            created: to_minutes(created),
            updated: to_minutes(rand_between(&mut rng, created, end)),
            extra: None,
        });
    }

    // Recruiting workflows: one per person–job pair, statuses biased toward early stages.
    if d.people.slots() > 0 && d.jobs.slots() > 0 && !cfg.statuses.is_empty() {
        let n_status = cfg.statuses.len() as u64;
        for _ in 0..g.workflows {
            for _attempt in 0..4 {
                let Some(person) = d
                    .people
                    .live_id_at(rng.below(d.people.slots() as u64) as usize)
                else {
                    break;
                };
                let Some(job) = d.jobs.live_id_at(rng.below(d.jobs.slots() as u64) as usize) else {
                    break;
                };
                let person = career_json::self_selected(
                    &d,
                    &mut fit_rng,
                    job,
                    person,
                    &by_profession,
                    &by_profession_city,
                );
                if d.pairs.contains(&(person, job)) {
                    continue;
                }
                let pc = d.people.get(person as u64).map(|p| p.created).unwrap_or(0);
                let jc = d.jobs.get(job as u64).map(|j| j.created).unwrap_or(0);
                let lo = crate::store::from_minutes(pc.max(jc)).min(end);
                let created = rand_between(&mut rng, lo, end);
                let status = rng.below(n_status).min(rng.below(n_status)) as u16;
                let source = if cfg.sources.is_empty() {
                    NONE
                } else {
                    rng.below(cfg.sources.len() as u64) as u16
                };
                d.pairs.insert((person, job));
                d.workflows.insert(Workflow {
                    job,
                    person,
                    status,
                    source,
                    sourcename: Span::default(),
                    created: to_minutes(created),
                    updated: to_minutes(rand_between(&mut rng, created, end)),
                    extra: None,
                });
                break;
            }
        }
    }
    d
}

fn interned(
    d: &mut CustomerData,
    spans: &mut std::collections::HashMap<String, Span>,
    text: &str,
) -> Span {
    if let Some(s) = spans.get(text) {
        return *s;
    }
    let s = d.arena.push(text);
    spans.insert(text.to_string(), s);
    s
}

/// A second profile of an existing person as a re-applying candidate produces it: nickname,
/// email with changed case or dots, phone formatted differently, same LinkedIn URL.
fn duplicate_of(
    d: &mut CustomerData,
    rng: &mut SplitMix64,
    nicks: &[Span],
    orig: u32,
    end: i64,
    buf: &mut String,
) -> Person {
    let Some(o) = d.people.get(orig as u64).cloned() else {
        unreachable_person()
    };
    let mut p = o.clone();
    let first = d.arena.get(o.first).to_string();
    if let Some(k) = NICKNAMES.iter().position(|(f, _)| *f == first)
        && rng.chance(0.5)
    {
        p.first = nicks[k];
    }
    let email = d.arena.get(o.email).to_string();
    let (local, domain) = email.split_once('@').unwrap_or((&email, ""));
    buf.clear();
    match rng.below(3) {
        0 => {
            // Capitalised parts: John.Smith12@Gmail.com
            for (i, part) in local.split('.').enumerate() {
                if i > 0 {
                    buf.push('.');
                }
                capitalise_into(buf, part);
            }
            buf.push('@');
            capitalise_into(buf, domain);
        }
        1 => {
            // Dots toggled (gmail ignores dots).
            if local.contains('.') {
                buf.push_str(&local.replace('.', ""));
            } else if local.len() > 2 {
                buf.push_str(&local[..1]);
                buf.push('.');
                buf.push_str(&local[1..]);
            } else {
                buf.push_str(local);
            }
            buf.push('@');
            buf.push_str(domain);
        }
        _ => {
            buf.push_str(&email.to_uppercase());
        }
    }
    p.email = d.arena.push(buf);
    let digits: String = d
        .arena
        .get(o.phone)
        .chars()
        .filter(|c| c.is_ascii_digit())
        .collect();
    let digits = digits
        .strip_prefix('1')
        .filter(|d| d.len() == 10)
        .unwrap_or(&digits);
    buf.clear();
    if digits.len() == 10 {
        let style = 2 + rng.below(2) as usize;
        let (a, e, l) = (&digits[..3], &digits[3..6], &digits[6..]);
        let _ = match style {
            2 => write!(buf, "{a}.{e}.{l}"),
            _ => write!(buf, "+1 {a} {e} {l}"),
        };
        p.phone = d.arena.push(buf);
    }
    if !o.linkedin.is_empty() && rng.chance(0.5) {
        let url = format!("{}/", d.arena.get(o.linkedin));
        p.linkedin = d.arena.push(&url);
    }
    let created = rand_between(rng, crate::store::from_minutes(o.created), end);
    p.created = to_minutes(created);
    p.updated = to_minutes(rand_between(rng, created, end));
    p.extra = None;
    p
}

#[cold]
fn unreachable_person() -> ! {
    // `orig` always comes from ids inserted above.
    unreachable!("duplicate source person exists")
}

fn capitalise_into(buf: &mut String, s: &str) {
    let mut chars = s.chars();
    if let Some(c) = chars.next() {
        buf.extend(c.to_uppercase());
        buf.push_str(chars.as_str());
    }
}

/// Lowercase ASCII letters only: "O'Brien" → "obrien", "Van der Berg" → "vanderberg".
fn email_part(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Unique per person id: the 7 local digits are a bijection of the id (for ids < 8M).
fn format_phone(buf: &mut String, area: u16, id: u32, style: u8) {
    let n = (id as u64 % 8_000_000).wrapping_mul(2_654_435_761) % 8_000_000;
    let exchange = 200 + n / 10_000;
    let line = n % 10_000;
    let _ = match style {
        0 => write!(buf, "({area}) {exchange:03}-{line:04}"),
        _ => write!(buf, "{area}-{exchange:03}-{line:04}"),
    };
}

fn zip_for(rng: &mut SplitMix64, city: u16) -> String {
    let prefix = CITIES[city as usize].5;
    if prefix < 100 {
        format!("{:03}{:02}", prefix, rng.below(100))
    } else {
        format!("{prefix}{:02}", rng.below(100))
    }
}

fn rand_between(rng: &mut SplitMix64, lo: i64, hi: i64) -> i64 {
    if hi <= lo {
        lo
    } else {
        lo + rng.below((hi - lo) as u64) as i64
    }
}

fn folder_index(cfg: &CustomerConfig, prefix: &str) -> Option<u16> {
    cfg.person_folders
        .iter()
        .position(|f| f.value.starts_with(prefix))
        .map(|i| i as u16)
}

/// Mostly the first folder (active candidates), some in the others.
fn weighted_folder(rng: &mut SplitMix64, n: usize) -> u16 {
    if n == 0 {
        return NONE;
    }
    if rng.chance(0.75) {
        0
    } else {
        rng.below(n as u64) as u16
    }
}

fn weighted_job_folder(rng: &mut SplitMix64, n: usize) -> u16 {
    if n == 0 {
        return NONE;
    }
    if rng.chance(0.6) {
        0
    } else {
        rng.below(n as u64) as u16
    }
}

/// Plain-text resume of a generated person, built on demand (nothing stored).
pub fn resume_text(p: &Person, d: &CustomerData) -> String {
    let a = &d.arena;
    let mut s = String::with_capacity(512);
    let _ = writeln!(s, "{} {}", a.get(p.first), a.get(p.last));
    let _ = writeln!(s, "{} | {}", a.get(p.email), a.get(p.phone));
    if !p.linkedin.is_empty() {
        let _ = writeln!(s, "{}", a.get(p.linkedin));
    }
    s.push('\n');
    if p.profile != 0 {
        let c = career::career(d.career_seed, p.profile, d.career_year);
        s.push_str("EXPERIENCE\n");
        for r in &c.roles {
            let until = r.end_year.map_or("present".to_string(), |y| y.to_string());
            let _ = writeln!(
                s,
                "{} - {}, {}-{}",
                r.title, r.employer, r.start_year, until
            );
            let _ = writeln!(s, "  {}", r.description);
        }
        let e = &c.education;
        let _ = writeln!(
            s,
            "\nEDUCATION\n{} {}, {}, {}\n",
            e.degree, e.field, e.school, e.year
        );
    } else if !p.title.is_empty() {
        let employer = if p.company.is_empty() {
            "a growing company"
        } else {
            a.get(p.company)
        };
        let _ = writeln!(s, "EXPERIENCE\n{} at {}", a.get(p.title), employer);
        s.push('\n');
    }
    let _ = writeln!(s, "SKILLS\n{}", a.get(p.skills));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(people: u32) -> CustomerConfig {
        let mut c = CustomerConfig::default();
        c.generator.people = people;
        c.generator.jobs = 10;
        c.generator.workflows = people;
        c.generator.duplicate_people_rate = 0.1;
        c
    }

    #[test]
    fn same_seed_same_data() {
        let a = generate(&cfg(300), 1_700_000_000);
        let b = generate(&cfg(300), 1_700_000_000);
        for id in 1..=300u64 {
            let (pa, pb) = (a.people.get(id).unwrap(), b.people.get(id).unwrap());
            assert_eq!(a.arena.get(pa.email), b.arena.get(pb.email));
            assert_eq!(pa.updated, pb.updated);
        }
        assert_eq!(a.duplicate_groups, b.duplicate_groups);
        assert_eq!(a.workflows.len(), b.workflows.len());
    }

    #[test]
    fn duplicates_share_identity_markers() {
        let d = generate(&cfg(2000), 1_700_000_000);
        assert!(!d.duplicate_groups.is_empty());
        for g in &d.duplicate_groups {
            let o = d.people.get(g[0] as u64).unwrap();
            for &dup in &g[1..] {
                let p = d.people.get(dup as u64).unwrap();
                assert_eq!(d.arena.get(o.last), d.arena.get(p.last));
                let norm = |s: &str| s.to_lowercase().replace('.', "");
                assert_eq!(norm(d.arena.get(o.email)), norm(d.arena.get(p.email)));
                let digits = |s: &str| -> String {
                    let d: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
                    d.trim_start_matches('1').to_string()
                };
                assert_eq!(digits(d.arena.get(o.phone)), digits(d.arena.get(p.phone)));
            }
        }
    }

    #[test]
    fn emails_of_distinct_people_are_distinct() {
        let d = generate(&cfg(3000), 1_700_000_000);
        let mut dup_ids = std::collections::HashSet::new();
        for g in &d.duplicate_groups {
            dup_ids.extend(g[1..].iter().copied());
        }
        let mut seen = std::collections::HashSet::new();
        for (id, p) in d.people.iter_from(0) {
            if !dup_ids.contains(&id) {
                assert!(seen.insert(d.arena.get(p.email).to_lowercase().replace('.', "")));
            }
        }
    }
}
