//! The matching ladder between two people. Pure: both sides are reduced to [`PersonKeys`] first.

use crate::normalize;
use ats_model::Candidate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Which rung of the ladder matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchRule {
    Email,
    ProfileUrl,
    Phone,
    Name,
}

impl MatchRule {
    /// The rule name stored on a duplicate link.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchRule::Email => "email",
            MatchRule::ProfileUrl => "url",
            MatchRule::Phone => "phone",
            MatchRule::Name => "name",
        }
    }

    pub fn certainty(self) -> Certainty {
        match self {
            MatchRule::Email | MatchRule::ProfileUrl => Certainty::Certain,
            MatchRule::Phone => Certainty::Strong,
            MatchRule::Name => Certainty::Suggested,
        }
    }
}

impl std::fmt::Display for MatchRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How far a match may be acted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Certainty {
    /// Same email or profile URL: the same person.
    Certain,
    /// Same phone and compatible names: almost surely the same person.
    Strong,
    /// Similar names and the same company or title: a person must review it.
    Suggested,
}

/// What the ladder compares, normalised once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonKeys {
    pub id: String,
    pub emails: BTreeSet<String>,
    pub urls: BTreeSet<String>,
    pub phones: BTreeSet<String>,
    /// [`normalize::first_name`] (nicknames resolved).
    pub first: String,
    /// [`normalize::name`].
    pub last: String,
    /// Lowercase, legal suffixes (`inc`, `gmbh`, …) dropped.
    pub company: String,
    pub title: String,
    /// For reasons: the name as written.
    pub display_name: String,
}

impl PersonKeys {
    /// Keys of a mirrored or ATS candidate. Phones use the mirror's rule (NANP for national
    /// numbers), like the mirror's blocking keys.
    pub fn from_candidate(c: &Candidate) -> PersonKeys {
        PersonKeys::new(
            &c.id,
            c.first_name.as_deref(),
            c.last_name.as_deref(),
            c.emails.iter().map(|e| e.address.as_str()),
            c.phones
                .iter()
                .filter_map(|p| ats_mirror::normalize::phone(&p.number)),
            c.urls.iter().map(|u| u.url.as_str()),
            c.current_company.as_deref(),
            c.current_title.as_deref(),
        )
    }

    /// Keys from parts; `phones` must already be E.164.
    #[allow(clippy::too_many_arguments)]
    pub fn new<'a>(
        id: &str,
        first: Option<&str>,
        last: Option<&str>,
        emails: impl IntoIterator<Item = &'a str>,
        phones: impl IntoIterator<Item = String>,
        urls: impl IntoIterator<Item = &'a str>,
        company: Option<&str>,
        title: Option<&str>,
    ) -> PersonKeys {
        let plain = normalize::EmailOptions::default();
        PersonKeys {
            id: id.to_string(),
            emails: emails
                .into_iter()
                .filter_map(|e| normalize::email(e, plain))
                .collect(),
            urls: urls
                .into_iter()
                .filter_map(normalize::profile_url)
                .collect(),
            phones: phones.into_iter().collect(),
            first: first.map(normalize::first_name).unwrap_or_default(),
            last: last.map(normalize::name).unwrap_or_default(),
            company: company.map(company_key).unwrap_or_default(),
            title: title.map(normalize::name).unwrap_or_default(),
            display_name: [first, last]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

fn company_key(raw: &str) -> String {
    const SUFFIXES: &[&str] = &[
        "inc",
        "llc",
        "ltd",
        "limited",
        "gmbh",
        "ag",
        "corp",
        "corporation",
        "co",
        "plc",
        "sa",
        "bv",
        "srl",
    ];
    normalize::name(raw)
        .split(' ')
        .filter(|w| !SUFFIXES.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A match between two people and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub rule: MatchRule,
    pub certainty: Certainty,
    /// 0..=1.
    pub confidence: f64,
    /// Plain words, e.g. `same email jane@example.com`.
    pub reason: String,
}

/// Names this similar (0..=1) or more count as "similar" on the last rung.
pub const NAME_THRESHOLD: f64 = 0.9;
/// Phone matches need at least this name similarity (a shared office line is not a person).
const PHONE_NAME_FLOOR: f64 = 0.75;

/// The first rung that matches, or `None`.
pub fn compare(a: &PersonKeys, b: &PersonKeys) -> Option<Verdict> {
    if let Some(e) = a.emails.intersection(&b.emails).next() {
        return Some(verdict(MatchRule::Email, 1.0, format!("same email {e}")));
    }
    if let Some(u) = a.urls.intersection(&b.urls).next() {
        return Some(verdict(
            MatchRule::ProfileUrl,
            0.99,
            format!("same profile {u}"),
        ));
    }
    let names = name_similarity(a, b);
    if let Some(p) = a.phones.intersection(&b.phones).next() {
        let unnamed = a.last.is_empty() || b.last.is_empty();
        if unnamed || names >= PHONE_NAME_FLOOR {
            return Some(verdict(MatchRule::Phone, 0.9, format!("same phone {p}")));
        }
    }
    if names >= NAME_THRESHOLD {
        let company = !a.company.is_empty() && a.company == b.company;
        let title = !a.title.is_empty() && a.title == b.title;
        if company || title {
            let what = if company {
                format!("same company '{}'", a.company)
            } else {
                format!("same title '{}'", a.title)
            };
            return Some(verdict(
                MatchRule::Name,
                (0.5 + 0.4 * names).min(0.89),
                format!(
                    "similar names '{}' ~ '{}' ({names:.2}) and {what}",
                    a.display_name, b.display_name
                ),
            ));
        }
    }
    None
}

fn verdict(rule: MatchRule, confidence: f64, reason: String) -> Verdict {
    Verdict {
        rule,
        certainty: rule.certainty(),
        confidence,
        reason,
    }
}

/// Jaro-Winkler similarity of the names (0..=1): 60 % last name, 40 % first name, the better
/// of the straight and the transposed (first ↔ last) reading. A first name that is a lone
/// initial matching the other's first letter counts 0.9. 0 when a side lacks a last name.
pub fn name_similarity(a: &PersonKeys, b: &PersonKeys) -> f64 {
    if a.last.is_empty() || b.last.is_empty() {
        return 0.0;
    }
    let straight = pair_score(&a.first, &a.last, &b.first, &b.last);
    let transposed = pair_score(&a.first, &a.last, &b.last, &b.first);
    straight.max(transposed)
}

fn pair_score(first_a: &str, last_a: &str, first_b: &str, last_b: &str) -> f64 {
    let last = strsim::jaro_winkler(last_a, last_b);
    let first = first_similarity(first_a, first_b);
    0.6 * last + 0.4 * first
}

fn first_similarity(a: &str, b: &str) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.5;
    }
    let initial = |x: &str, y: &str| x.chars().count() == 1 && y.starts_with(x);
    if initial(a, b) || initial(b, a) {
        return 0.9;
    }
    strsim::jaro_winkler(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: &str, first: &str, last: &str) -> PersonKeys {
        PersonKeys::new(id, Some(first), Some(last), [], [], [], None, None)
    }

    #[test]
    fn email_beats_everything() {
        let mut a = person("1", "Jane", "Doe");
        let mut b = person("2", "Someone", "Else");
        a.emails.insert("jane@x.com".into());
        b.emails.insert("jane@x.com".into());
        let v = compare(&a, &b).unwrap();
        assert_eq!(v.rule, MatchRule::Email);
        assert_eq!(v.certainty, Certainty::Certain);
    }

    #[test]
    fn url_then_phone() {
        let a = PersonKeys::new(
            "1",
            Some("Jane"),
            Some("Doe"),
            ["jane@a.com"],
            ["+14155550100".to_string()],
            ["https://www.linkedin.com/in/JaneDoe/?trk=x"],
            None,
            None,
        );
        let mut b = a.clone();
        b.emails = ["jd@b.com".to_string()].into();
        assert_eq!(compare(&a, &b).unwrap().rule, MatchRule::ProfileUrl);
        b.urls.clear();
        assert_eq!(compare(&a, &b).unwrap().rule, MatchRule::Phone);
    }

    #[test]
    fn shared_phone_with_different_names_is_not_a_match() {
        let mut a = person("1", "Jane", "Doe");
        let mut b = person("2", "Mark", "Okafor");
        a.phones.insert("+14155550100".into());
        b.phones.insert("+14155550100".into());
        assert_eq!(compare(&a, &b), None);
    }

    #[test]
    fn similar_names_need_company_or_title() {
        let mut a = person("1", "Bob", "Smith");
        let mut b = person("2", "Robert", "Smith");
        assert!(name_similarity(&a, &b) > 0.99);
        assert_eq!(compare(&a, &b), None);
        a.company = "acme".into();
        b.company = "acme".into();
        let v = compare(&a, &b).unwrap();
        assert_eq!(v.rule, MatchRule::Name);
        assert_eq!(v.certainty, Certainty::Suggested);
        assert!(v.reason.contains("same company 'acme'"), "{}", v.reason);
    }

    #[test]
    fn name_similarity_handles_accents_initials_and_transposition() {
        let a = person("1", "José", "Núñez");
        assert!(name_similarity(&a, &person("2", "Jose", "Nunez")) > 0.99);
        assert!(name_similarity(&a, &person("3", "J.", "Nunez")) >= 0.9);
        assert!(name_similarity(&a, &person("4", "Nunez", "Jose")) > 0.99);
        assert!(name_similarity(&a, &person("5", "Maria", "Schmidt")) < 0.6);
    }

    #[test]
    fn company_suffixes_are_ignored() {
        assert_eq!(company_key("Acme, Inc."), "acme");
        assert_eq!(company_key("Müller GmbH"), "muller");
    }
}
