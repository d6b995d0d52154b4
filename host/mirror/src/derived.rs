//! What every backend derives from a record before storing it, so that search, review and
//! de-duplication mean the same on any backend: validation, the stored form and its content
//! hash, the candidate's indexed columns and its de-duplication keys.

use crate::{DedupeKeyKind, MirrorError, normalize};
use ats_model::{AtsRecord, Candidate};
use sha2::{Digest, Sha256};

/// Refuses a record the mirror cannot key: an empty id, an application without its candidate or
/// job.
pub fn validate(record: &AtsRecord) -> Result<(), MirrorError> {
    let invalid = |reason| MirrorError::InvalidRecord {
        kind: record.kind(),
        id: record.id().to_string(),
        reason,
    };
    if record.id().trim().is_empty() {
        return Err(invalid("empty id"));
    }
    if let AtsRecord::Application(a) = record {
        if a.candidate_id.trim().is_empty() {
            return Err(invalid("application without candidate id"));
        }
        if a.job_id.trim().is_empty() {
            return Err(invalid("application without job id"));
        }
    }
    Ok(())
}

/// A record as stored: its JSON without the raw payload (kept in its own column), the raw
/// payload, and the hash of both that decides whether a stored row changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredForm {
    pub json: String,
    pub raw: Option<String>,
    pub content_hash: i64,
}

impl StoredForm {
    /// Takes the raw payload out of `record` (no copy of either) and serialises the rest.
    pub fn of(record: &mut AtsRecord) -> Result<StoredForm, MirrorError> {
        let raw = match record {
            AtsRecord::Candidate(r) => r.raw.take(),
            AtsRecord::Job(r) => r.raw.take(),
            AtsRecord::Application(r) => r.raw.take(),
            AtsRecord::Status(r) => r.raw.take(),
            AtsRecord::Folder(r) => r.raw.take(),
        };
        let json = serde_json::to_string(&*record)?;
        let content_hash = content_hash(&json, raw.as_deref());
        Ok(StoredForm {
            json,
            raw,
            content_hash,
        })
    }
}

/// The first 8 bytes of SHA-256 over the JSON and the raw payload: a change the connector does
/// not map still counts as a change.
fn content_hash(json: &str, raw: Option<&str>) -> i64 {
    let mut h = Sha256::new();
    h.update(json.as_bytes());
    match raw {
        Some(raw) => {
            h.update([1u8]);
            h.update(raw.as_bytes());
        }
        None => h.update([0u8]),
    }
    let digest = h.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(first)
}

/// The candidate columns search and review read, derived one way for every backend.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CandidateColumns {
    /// First and last name, else what the ATS calls the person.
    pub display_name: Option<String>,
    /// The normalised primary email (the first when none is marked primary).
    pub email: Option<String>,
    /// Every address, lower-cased, space-separated: the text search indexes.
    pub emails_text: Option<String>,
    /// The first phone in E.164, else as written.
    pub phone: Option<String>,
    pub skills_text: Option<String>,
    /// `city, region, country` of the first address.
    pub location: Option<String>,
    /// Every address in full, for the text search: street, city, region in both spellings
    /// (see [`crate::regions`]), postal code and country, one address per line.
    pub location_text: Option<String>,
    /// Work history and education as text (titles, employers, descriptions, degrees, schools):
    /// indexed beside the resume text, since it is what a resume says.
    pub history_text: Option<String>,
}

impl From<&Candidate> for CandidateColumns {
    fn from(c: &Candidate) -> Self {
        let primary = c.emails.iter().find(|e| e.primary).or(c.emails.first());
        let display = c.display_name();
        let emails_text = c
            .emails
            .iter()
            .map(|e| e.address.trim().to_lowercase())
            .collect::<Vec<_>>()
            .join(" ");
        let location = c.addresses.first().map(|a| {
            [&a.city, &a.region, &a.country]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        });
        CandidateColumns {
            display_name: (!display.is_empty()).then_some(display),
            email: primary.and_then(|e| normalize::email(&e.address)),
            emails_text: (!emails_text.is_empty()).then_some(emails_text),
            phone: c.phones.first().map(|p| {
                normalize::phone(&p.number).unwrap_or_else(|| p.number.trim().to_string())
            }),
            skills_text: skills_text(c),
            location: location.filter(|l| !l.is_empty()),
            location_text: location_text(c),
            history_text: history_text(c),
        }
    }
}

/// Skills, then the values of custom fields, one value per line: what the `skills` part of
/// the text search holds.
pub fn skills_text(c: &Candidate) -> Option<String> {
    let values: Vec<&str> = c
        .skills
        .iter()
        .map(String::as_str)
        .chain(c.custom_fields.iter().map(|f| f.value.as_str()))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect();
    (!values.is_empty()).then(|| values.join("\n"))
}

/// The kind under which a backend keeps [`custom_field_keys`] beside the de-duplication keys.
pub const CUSTOM_FIELD_KEY_KIND: &str = "field";

/// The key a custom field is found by: `name=value`, lower-cased and trimmed.
pub fn custom_field_key(name: &str, value: &str) -> String {
    format!(
        "{}={}",
        name.trim().to_lowercase(),
        value.trim().to_lowercase()
    )
}

/// The keys a candidate's custom fields are found by (a filter `name=value` matches a value or
/// a list value id), sorted, without repeats.
pub fn custom_field_keys(c: &Candidate) -> Vec<String> {
    let mut keys: Vec<String> = c
        .custom_fields
        .iter()
        .flat_map(|f| {
            std::iter::once(custom_field_key(&f.name, &f.value)).chain(
                f.value_id
                    .as_deref()
                    .map(|id| custom_field_key(&f.name, id)),
            )
        })
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Every address of a candidate as searchable text; `None` when there is none.
pub fn location_text(c: &Candidate) -> Option<String> {
    let lines: Vec<String> = c
        .addresses
        .iter()
        .map(|a| {
            let other = a.region.as_deref().and_then(crate::regions::other_spelling);
            [
                a.street.as_deref(),
                a.city.as_deref(),
                a.region.as_deref(),
                other,
                a.postal_code.as_deref(),
                a.country.as_deref(),
            ]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
        })
        .filter(|l| !l.is_empty())
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// A candidate's work history and education as lines of text; `None` when there is neither.
pub fn history_text(c: &Candidate) -> Option<String> {
    let mut lines: Vec<String> = Vec::new();
    for w in &c.experience {
        let parts: Vec<&str> = [&w.title, &w.employer, &w.description]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        lines.push(parts.join(" - "));
    }
    for e in &c.education {
        let parts: Vec<&str> = [&e.degree, &e.field, &e.school]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        lines.push(parts.join(" "));
    }
    lines.retain(|l| !l.is_empty());
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// What the full-text index holds as a candidate's resume: the extracted resume text, then
/// the work history and education.
pub fn resume_index_text(resume_text: Option<&str>, history_text: Option<&str>) -> Option<String> {
    match (resume_text.filter(|t| !t.is_empty()), history_text) {
        (Some(r), Some(h)) => Some(format!("{r}\n{h}")),
        (r, h) => r.or(h).map(str::to_string),
    }
}

/// The de-duplication keys a candidate is indexed under, normalised (see [`crate::normalize`]).
pub fn dedupe_keys(c: &Candidate) -> Vec<(DedupeKeyKind, String)> {
    let mut keys = Vec::new();
    keys.extend(
        c.emails
            .iter()
            .filter_map(|e| normalize::email(&e.address))
            .map(|k| (DedupeKeyKind::Email, k)),
    );
    keys.extend(
        c.urls
            .iter()
            .filter_map(|u| normalize::profile_url(&u.url))
            .map(|k| (DedupeKeyKind::Url, k)),
    );
    keys.extend(
        c.phones
            .iter()
            .filter_map(|p| normalize::phone(&p.number))
            .map(|k| (DedupeKeyKind::Phone, k)),
    );
    keys.extend(
        normalize::name_key(c.first_name.as_deref(), c.last_name.as_deref())
            .map(|k| (DedupeKeyKind::Name, k)),
    );
    keys
}

/// A raw key as typed by a person, normalised the way [`dedupe_keys`] stored it; `None` when it
/// cannot be a key.
pub fn normalise_key(kind: DedupeKeyKind, key: &str) -> Option<String> {
    match kind {
        DedupeKeyKind::Email => normalize::email(key),
        DedupeKeyKind::Url => normalize::profile_url(key),
        DedupeKeyKind::Phone => normalize::phone(key),
        DedupeKeyKind::Name => Some(key.trim().to_lowercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_covers_raw() {
        assert_ne!(content_hash("{}", None), content_hash("{}", Some("")));
        assert_ne!(content_hash("{}", Some("a")), content_hash("{}", Some("b")));
        assert_eq!(content_hash("{}", Some("a")), content_hash("{}", Some("a")));
    }
}
