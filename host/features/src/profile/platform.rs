//! The platform-side profile (`PlatformCandidate`, as JSON) and its validated form.

use crate::normalize::{self, EmailOptions};
use crate::{FeatureError, dedupe::PersonKeys};
use ats_model::{Address, CandidateInput, ProfileUrl, UrlKind};
use serde::{Deserialize, Serialize};

/// A person as the platform holds it. Unknown fields are refused (a misspelt `frist_name`
/// would otherwise be silently dropped).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PlatformCandidate {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    #[serde(default)]
    pub emails: Vec<String>,
    /// As written; national numbers use the export's default region.
    #[serde(default)]
    pub phones: Vec<String>,
    /// LinkedIn, GitHub or personal site URLs.
    #[serde(default)]
    pub profile_urls: Vec<String>,
    pub location: Option<Location>,
    pub current_title: Option<String>,
    pub current_company: Option<String>,
    pub resume: Option<ResumeInput>,
    /// Source attribution written on the candidate and the application.
    pub source: Option<String>,
    pub job_id: Option<String>,
    /// A stage (`new`, `screening`, …, or `stage:new`), an ATS status id or status name.
    pub status: Option<String>,
    pub idempotency_key: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Location {
    pub city: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
}

/// A resume file: inline (`base64`) or on the host's disk (`path`), exactly one of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResumeInput {
    pub file_name: String,
    pub content_type: String,
    pub base64: Option<String>,
    pub path: Option<String>,
}

/// Parses the JSON document; a syntax or shape error names its line and column.
pub fn parse_json(text: &str) -> Result<PlatformCandidate, FeatureError> {
    serde_json::from_str(text).map_err(|e| FeatureError::MalformedJson {
        line: e.line(),
        column: e.column(),
        message: e
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .to_string(),
    })
}

/// A validated, normalised profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Profile {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// Normalised, without repeats, in the given order.
    pub emails: Vec<String>,
    /// E.164.
    pub phones: Vec<String>,
    /// Canonical, with `https://`.
    pub urls: Vec<ProfileUrl>,
    pub address: Option<Address>,
    pub current_title: Option<String>,
    pub current_company: Option<String>,
    pub source: Option<String>,
}

fn clean(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn push_unique(list: &mut Vec<String>, v: String) {
    if !list.contains(&v) {
        list.push(v);
    }
}

impl Profile {
    /// Validates and normalises. `require_names`: export and reply create people, so they need
    /// both names; refresh only sends what is present.
    pub fn from_platform(
        p: &PlatformCandidate,
        default_region: &str,
        require_names: bool,
    ) -> Result<Profile, FeatureError> {
        let first_name = clean(&p.first_name);
        let last_name = clean(&p.last_name);
        if require_names {
            for (field, v) in [("first_name", &first_name), ("last_name", &last_name)] {
                if v.is_none() {
                    return Err(FeatureError::invalid(
                        field,
                        "missing or blank; the ATS needs a first and a last name to create a person",
                    ));
                }
            }
        }
        let mut profile = Profile {
            first_name,
            last_name,
            current_title: clean(&p.current_title),
            current_company: clean(&p.current_company),
            source: clean(&p.source),
            ..Profile::default()
        };
        for (i, raw) in p.emails.iter().enumerate() {
            let e = normalize::email(raw, EmailOptions::default()).ok_or_else(|| {
                FeatureError::invalid(
                    format!("emails[{i}]"),
                    format!("`{raw}` is not an email address (expected name@domain.tld)"),
                )
            })?;
            push_unique(&mut profile.emails, e);
        }
        for (i, raw) in p.phones.iter().enumerate() {
            let e164 = normalize::phone(raw, default_region).ok_or_else(|| {
                FeatureError::invalid(
                    format!("phones[{i}]"),
                    format!(
                        "cannot read `{raw}` as a phone number for region {default_region}; write it with its country code, e.g. +44 20 7946 0958"
                    ),
                )
            })?;
            push_unique(&mut profile.phones, e164);
        }
        for (i, raw) in p.profile_urls.iter().enumerate() {
            let canonical = normalize::profile_url(raw).ok_or_else(|| {
                FeatureError::invalid(
                    format!("profile_urls[{i}]"),
                    format!("`{raw}` is not a URL"),
                )
            })?;
            let url = format!("https://{canonical}");
            if profile.urls.iter().all(|u| u.url != url) {
                profile.urls.push(ProfileUrl {
                    kind: url_kind(&canonical),
                    url,
                });
            }
        }
        profile.address = p.location.as_ref().and_then(|l| {
            let a = Address {
                city: clean(&l.city),
                region: clean(&l.region),
                postal_code: clean(&l.postal_code),
                country: clean(&l.country),
                ..Address::default()
            };
            (a != Address::default()).then_some(a)
        });
        Ok(profile)
    }

    /// True when the profile carries at least one strong identifier to match people by.
    pub fn has_identifier(&self) -> bool {
        !(self.emails.is_empty() && self.phones.is_empty() && self.urls.is_empty())
    }

    /// The ladder's view of this profile.
    pub fn keys(&self) -> PersonKeys {
        PersonKeys::new(
            "",
            self.first_name.as_deref(),
            self.last_name.as_deref(),
            self.emails.iter().map(String::as_str),
            self.phones.iter().cloned(),
            self.urls.iter().map(|u| u.url.as_str()),
            self.current_company.as_deref(),
            self.current_title.as_deref(),
        )
    }

    /// Everything the profile has, for creating a person.
    pub fn create_input(&self) -> CandidateInput {
        fn some_vec<T>(v: Vec<T>) -> Option<Vec<T>> {
            (!v.is_empty()).then_some(v)
        }
        CandidateInput {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            emails: some_vec(self.emails.clone()),
            phones: some_vec(
                self.phones
                    .iter()
                    .map(|p| ats_model::Phone {
                        number: p.clone(),
                        kind: None,
                    })
                    .collect(),
            ),
            addresses: self.address.clone().map(|a| vec![a]),
            urls: some_vec(self.urls.clone()),
            current_title: self.current_title.clone(),
            current_company: self.current_company.clone(),
            // The platform's attribution is detail text; the category (`source`) is left to
            // the connector's configured default, since ATSs such as iCIMS accept only their
            // own list values there.
            source_detail: self.source.clone(),
            ..CandidateInput::default()
        }
    }
}

fn url_kind(canonical: &str) -> UrlKind {
    if canonical.starts_with("linkedin.com/") {
        UrlKind::Linkedin
    } else if canonical.starts_with("github.com/") {
        UrlKind::Github
    } else {
        UrlKind::Website
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_json_names_line_and_column() {
        let err =
            parse_json("{\n  \"first_name\": \"Ada\",\n  \"emails\": [\"a@b.com\"\n}").unwrap_err();
        match err {
            FeatureError::MalformedJson { line, column, .. } => assert_eq!((line, column), (4, 1)),
            other => panic!("{other}"),
        }
        let err = parse_json("{\"frist_name\": \"Ada\"}").unwrap_err();
        assert!(
            err.to_string().contains("unknown field `frist_name`"),
            "{err}"
        );
    }

    #[test]
    fn validation_normalises_and_names_the_bad_field() {
        let mut p = PlatformCandidate {
            first_name: Some(" Ada ".into()),
            last_name: Some("Lovelace".into()),
            emails: vec!["Ada@Example.com".into(), "ada@example.com".into()],
            phones: vec!["020 7946 0958".into()],
            profile_urls: vec!["http://uk.linkedin.com/in/Ada/?trk=1".into()],
            ..PlatformCandidate::default()
        };
        let profile = Profile::from_platform(&p, "GB", true).unwrap();
        assert_eq!(profile.first_name.as_deref(), Some("Ada"));
        assert_eq!(profile.emails, vec!["ada@example.com"]);
        assert_eq!(profile.phones, vec!["+442079460958"]);
        assert_eq!(profile.urls[0].url, "https://linkedin.com/in/ada");
        assert_eq!(profile.urls[0].kind, UrlKind::Linkedin);
        p.emails.push("not-an-email".into());
        let err = Profile::from_platform(&p, "GB", true).unwrap_err();
        assert!(err.to_string().contains("`emails[2]`"), "{err}");
        p.emails.pop();
        p.last_name = Some("  ".into());
        let err = Profile::from_platform(&p, "GB", true).unwrap_err();
        assert!(err.to_string().contains("`last_name`"), "{err}");
        assert!(Profile::from_platform(&p, "GB", false).is_ok());
    }
}
