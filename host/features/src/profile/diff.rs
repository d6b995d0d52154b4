//! What a platform profile would change on an ATS person. Pure. Only fields that are non-empty
//! on the platform side and differ count; lists are sent as the union, so nothing the ATS holds
//! is ever erased.

use super::Profile;
use crate::normalize;
use ats_model::{Candidate, CandidateInput, Phone};
use serde::{Deserialize, Serialize};

/// Whether the platform's names may replace names the ATS already has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamePolicy {
    /// The platform's names are authoritative (export, refresh): replace a different name, but
    /// never with a mere variant (case, accents, nickname: `Bob` does not replace `Robert`).
    Replace,
    /// Names are guesses (parsed from an email display name): only fill names the ATS lacks.
    FillOnly,
}

/// One field that would change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    /// The ATS's current value (lists joined with `, `).
    pub ats: Option<String>,
    /// What would be sent (for lists, what is added).
    pub platform: String,
}

/// The changes and the exact update that carries them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CandidateDiff {
    pub changes: Vec<FieldChange>,
    pub input: CandidateInput,
}

impl CandidateDiff {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

fn same_text(a: &str, b: &str) -> bool {
    normalize::name(a) == normalize::name(b)
}

fn joined(list: &[String]) -> Option<String> {
    (!list.is_empty()).then(|| list.join(", "))
}

/// Computes the diff of `profile` against the ATS person `ats`.
pub fn diff(profile: &Profile, ats: &Candidate, names: NamePolicy) -> CandidateDiff {
    let mut d = CandidateDiff::default();
    let mut change = |field: &str, ats: Option<String>, platform: String| {
        d.changes.push(FieldChange {
            field: field.to_string(),
            ats,
            platform,
        })
    };

    let name_changes =
        |new: &Option<String>, old: &Option<String>, first: bool| -> Option<String> {
            let new = new.as_ref()?;
            match old {
                None => Some(new.clone()),
                Some(_) if names == NamePolicy::FillOnly => None,
                Some(old) => {
                    let variant = if first {
                        normalize::first_name(old) == normalize::first_name(new)
                    } else {
                        same_text(old, new)
                    };
                    (!variant).then(|| new.clone())
                }
            }
        };
    let mut input = CandidateInput::default();
    if let Some(v) = name_changes(&profile.first_name, &ats.first_name, true) {
        change("first_name", ats.first_name.clone(), v.clone());
        input.first_name = Some(v);
    }
    if let Some(v) = name_changes(&profile.last_name, &ats.last_name, false) {
        change("last_name", ats.last_name.clone(), v.clone());
        input.last_name = Some(v);
    }

    let plain = normalize::EmailOptions::default();
    let ats_emails: Vec<String> = ats.emails.iter().map(|e| e.address.clone()).collect();
    let added: Vec<String> = profile
        .emails
        .iter()
        .filter(|e| {
            !ats_emails
                .iter()
                .any(|a| normalize::email(a, plain).as_ref() == Some(*e))
        })
        .cloned()
        .collect();
    if !added.is_empty() {
        change("emails", joined(&ats_emails), added.join(", "));
        input.emails = Some(ats_emails.iter().cloned().chain(added).collect());
    }

    let ats_phones: Vec<String> = ats.phones.iter().map(|p| p.number.clone()).collect();
    let added: Vec<String> = profile
        .phones
        .iter()
        .filter(|p| {
            !ats_phones
                .iter()
                .any(|a| ats_mirror::normalize::phone(a).as_ref() == Some(*p))
        })
        .cloned()
        .collect();
    if !added.is_empty() {
        change("phones", joined(&ats_phones), added.join(", "));
        let mut all = ats.phones.clone();
        all.extend(added.into_iter().map(|number| Phone { number, kind: None }));
        input.phones = Some(all);
    }

    let ats_urls: Vec<String> = ats.urls.iter().map(|u| u.url.clone()).collect();
    let added: Vec<_> = profile
        .urls
        .iter()
        .filter(|u| {
            let canonical = normalize::profile_url(&u.url);
            !ats_urls
                .iter()
                .any(|a| normalize::profile_url(a) == canonical)
        })
        .cloned()
        .collect();
    if !added.is_empty() {
        let shown: Vec<String> = added.iter().map(|u| u.url.clone()).collect();
        change("profile_urls", joined(&ats_urls), shown.join(", "));
        let mut all = ats.urls.clone();
        all.extend(added);
        input.urls = Some(all);
    }

    if let Some(new) = &profile.address {
        let old = ats.addresses.first().cloned().unwrap_or_default();
        let mut merged = old.clone();
        let mut changed = Vec::new();
        for (name, new_v, slot) in [
            ("city", &new.city, &mut merged.city),
            ("region", &new.region, &mut merged.region),
            ("postal_code", &new.postal_code, &mut merged.postal_code),
            ("country", &new.country, &mut merged.country),
        ] {
            if let Some(v) = new_v
                && slot.as_deref().is_none_or(|o| !same_text(o, v))
            {
                changed.push(format!("{name} {v}"));
                *slot = Some(v.clone());
            }
        }
        if !changed.is_empty() {
            let show = |a: &ats_model::Address| {
                [&a.city, &a.region, &a.postal_code, &a.country]
                    .into_iter()
                    .flatten()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            change(
                "location",
                (old != ats_model::Address::default()).then(|| show(&old)),
                show(&merged),
            );
            let mut all = vec![merged];
            all.extend(ats.addresses.iter().skip(1).cloned());
            input.addresses = Some(all);
        }
    }

    for (field, new, old, slot) in [
        (
            "current_title",
            &profile.current_title,
            &ats.current_title,
            &mut input.current_title,
        ),
        (
            "current_company",
            &profile.current_company,
            &ats.current_company,
            &mut input.current_company,
        ),
    ] {
        if let Some(v) = new
            && old
                .as_deref()
                .is_none_or(|o| !o.trim().eq_ignore_ascii_case(v))
        {
            change(field, old.clone(), v.clone());
            *slot = Some(v.clone());
        }
    }
    d.input = input;
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use ats_model::{Email, ProfileUrl, UrlKind};

    fn ats() -> Candidate {
        Candidate {
            id: "7".into(),
            first_name: Some("Robert".into()),
            last_name: Some("Smith".into()),
            emails: vec![Email {
                address: "Bob@Example.com".into(),
                kind: None,
                primary: true,
            }],
            phones: vec![Phone {
                number: "(415) 555-0100".into(),
                kind: None,
            }],
            urls: vec![ProfileUrl {
                url: "https://www.linkedin.com/in/bobsmith/".into(),
                kind: UrlKind::Linkedin,
            }],
            current_title: Some("Engineer".into()),
            current_company: Some("Acme".into()),
            ..Candidate::default()
        }
    }

    fn profile() -> Profile {
        Profile {
            first_name: Some("Bob".into()),
            last_name: Some("SMITH".into()),
            emails: vec!["bob@example.com".into()],
            phones: vec!["+14155550100".into()],
            urls: vec![ProfileUrl {
                url: "https://linkedin.com/in/bobsmith".into(),
                kind: UrlKind::Linkedin,
            }],
            current_title: Some("engineer".into()),
            current_company: Some("Acme".into()),
            ..Profile::default()
        }
    }

    #[test]
    fn variants_are_not_changes() {
        let d = diff(&profile(), &ats(), NamePolicy::Replace);
        assert!(d.is_empty(), "{:?}", d.changes);
        assert!(d.input.is_empty());
    }

    #[test]
    fn only_changed_fields_are_sent_and_lists_are_unions() {
        let mut p = profile();
        p.current_title = Some("Staff Engineer".into());
        p.emails.push("bob@home.example".into());
        p.current_company = None;
        let d = diff(&p, &ats(), NamePolicy::Replace);
        let fields: Vec<&str> = d.changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["emails", "current_title"]);
        assert_eq!(
            d.input.emails,
            Some(vec!["Bob@Example.com".into(), "bob@home.example".into()])
        );
        assert_eq!(d.input.current_title.as_deref(), Some("Staff Engineer"));
        assert_eq!(d.input.current_company, None);
        assert_eq!(d.input.first_name, None);
    }

    #[test]
    fn fill_only_never_replaces_names() {
        let mut p = profile();
        p.first_name = Some("Alice".into());
        p.last_name = Some("Drop".into());
        assert!(diff(&p, &ats(), NamePolicy::FillOnly).is_empty());
        let replaced = diff(&p, &ats(), NamePolicy::Replace);
        assert_eq!(replaced.changes.len(), 2);
        let mut unnamed = ats();
        unnamed.last_name = None;
        let filled = diff(&p, &unnamed, NamePolicy::FillOnly);
        assert_eq!(filled.input.last_name.as_deref(), Some("Drop"));
        assert_eq!(filled.input.first_name, None);
    }
}
