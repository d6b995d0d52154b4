//! Rediscovery: a thin layer over the mirror's search. A [`SearchFilters`] is the request as
//! the platform sends it (JSON) and as `ats search` builds it from its flags: the same typed
//! fields, validated once by [`SearchFilters::resolve`]. Results are one per person (duplicate
//! clusters grouped by the mirror).

use crate::status::parse_stage;
use crate::{FeatureError, Mirror};
use ats_mirror::SearchQuery;
use ats_model::Timestamp;
use serde::{Deserialize, Serialize};

/// Results per page when the request does not say.
pub const DEFAULT_PER_PAGE: usize = 20;
/// The most results one page may hold.
pub const MAX_PER_PAGE: usize = 500;

/// A search request: free text plus filters, every field optional. Dates are `YYYY-MM-DD`
/// (UTC days, both ends inclusive). Errors name the field as written here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct SearchFilters {
    /// Words to find in names, emails, title, company, skills, resume text and location.
    pub text: Option<String>,
    /// Has an application in one of these status ids.
    pub status: Vec<String>,
    /// Has an application in the status of this name (any case).
    pub status_name: Option<String>,
    /// Has an application at one of these stages (`new`, `screening`, …).
    pub stage: Vec<String>,
    /// Applied to one of these jobs.
    pub job: Vec<String>,
    /// Was (`true`) or was not (`false`) rejected.
    pub rejected: Option<bool>,
    /// In one of these folders.
    pub folder: Vec<String>,
    /// The ATS's source or its detail, of the person or of one of their applications, any case.
    pub source: Option<String>,
    /// Custom fields the connection reads, as `name=value`: the field has that value (any case)
    /// or that list value id, e.g. `field23848=C23900`. Every one must hold.
    pub field: Vec<String>,
    pub applied_after: Option<String>,
    pub applied_before: Option<String>,
    pub updated_after: Option<String>,
    pub updated_before: Option<String>,
    /// From 1.
    pub page: Option<usize>,
    /// At most [`MAX_PER_PAGE`] (larger asks are cut to it).
    pub per_page: Option<usize>,
}

/// A validated search request.
#[derive(Debug, Clone, PartialEq)]
pub struct RediscoveryRequest {
    pub query: SearchQuery,
    /// 1-based.
    pub page: usize,
    pub per_page: usize,
}

/// `YYYY-MM-DD` as the UTC midnight starting that day.
pub fn parse_date(field: &str, text: &str) -> Result<Timestamp, FeatureError> {
    let day = time::Date::parse(
        text.trim(),
        time::macros::format_description!("[year repr:full]-[month]-[day]"),
    )
    .map_err(|_| {
        FeatureError::invalid(
            field,
            format!("`{text}` is not a date; write it as YYYY-MM-DD, e.g. 2024-03-31"),
        )
    })?;
    Ok(day.midnight().assume_utc().unix_timestamp())
}

impl SearchFilters {
    /// Checks every field and builds the mirror's query; `now` is the reference time of the
    /// recency score.
    pub fn resolve(&self, now: Timestamp) -> Result<RediscoveryRequest, FeatureError> {
        let stages = self
            .stage
            .iter()
            .map(|s| {
                parse_stage(s).ok_or_else(|| {
                    FeatureError::invalid(
                        "stage",
                        format!("`{s}` is not a stage; use {}", ats_model::Stage::names()),
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        let day = |field: &str, text: &Option<String>| {
            text.as_deref().map(|t| parse_date(field, t)).transpose()
        };
        // The `…_before` days are inclusive: to the end of that day.
        let end_of = |field: &str, text: &Option<String>| {
            Ok::<_, FeatureError>(day(field, text)?.map(|t| t + 86_399))
        };
        let positive = |field: &str, n: Option<usize>, default: usize| match n {
            Some(0) => Err(FeatureError::invalid(field, "`0` is not a positive number")),
            Some(n) => Ok(n),
            None => Ok(default),
        };
        let text = self
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty());
        Ok(RediscoveryRequest {
            query: SearchQuery {
                text: text.map(str::to_string),
                status_ids: self.status.clone(),
                stages,
                status_name: self.status_name.clone(),
                job_ids: self.job.clone(),
                rejected: self.rejected,
                folder_ids: self.folder.clone(),
                source: self.source.clone(),
                custom_fields: self
                    .field
                    .iter()
                    .map(|f| parse_field(f))
                    .collect::<Result<_, _>>()?,
                applied_from: day("applied_after", &self.applied_after)?,
                applied_to: end_of("applied_before", &self.applied_before)?,
                updated_from: day("updated_after", &self.updated_after)?,
                updated_to: end_of("updated_before", &self.updated_before)?,
                now,
                ..SearchQuery::default()
            },
            page: positive("page", self.page, 1)?,
            per_page: positive("per_page", self.per_page, DEFAULT_PER_PAGE)?.min(MAX_PER_PAGE),
        })
    }
}

/// A `name=value` custom-field filter.
fn parse_field(text: &str) -> Result<(String, String), FeatureError> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() && !value.trim().is_empty() => {
            Ok((name.trim().to_string(), value.trim().to_string()))
        }
        _ => Err(FeatureError::invalid(
            "field",
            format!(
                "`{text}` is not `name=value`: write the custom field's name and a value or list id, e.g. field23848=C23900"
            ),
        )),
    }
}

/// `yes`/`true` or `no`/`false`, any case, as people write the `rejected` filter.
pub fn yes_or_no(text: &str) -> Result<bool, String> {
    match text.to_ascii_lowercase().as_str() {
        "yes" | "true" => Ok(true),
        "no" | "false" => Ok(false),
        _ => Err(format!("`{text}`: use yes or no")),
    }
}

/// Parses CLI-style words (tests and scripts): `--flag value` or `--flag=value` for each
/// field of [`SearchFilters`] (`--applied-from`/`--applied-to`/`--updated-from`/`--updated-to`
/// for the dates, `--rejected yes|no`); other words are search text.
pub fn parse_args<S: AsRef<str>>(
    args: &[S],
    now: Timestamp,
) -> Result<RediscoveryRequest, FeatureError> {
    let mut f = SearchFilters::default();
    let mut words = Vec::new();
    let mut it = args.iter().map(AsRef::as_ref);
    while let Some(arg) = it.next() {
        let Some(flag) = arg.strip_prefix("--") else {
            words.push(arg.to_string());
            continue;
        };
        let (flag, inline) = match flag.split_once('=') {
            Some((f, v)) => (f, Some(v.to_string())),
            None => (flag, None),
        };
        let value = match inline {
            Some(v) => v,
            None => it
                .next()
                .map(str::to_string)
                .ok_or_else(|| FeatureError::invalid(flag, "needs a value"))?,
        };
        let number = |v: &str| {
            v.parse::<usize>().ok().filter(|n| *n > 0).ok_or_else(|| {
                FeatureError::invalid(flag, format!("`{v}` is not a positive number"))
            })
        };
        match flag {
            "status" => f.status.push(value),
            "status-name" => f.status_name = Some(value),
            "stage" => f.stage.push(value),
            "job" => f.job.push(value),
            "rejected" => {
                f.rejected = Some(
                    yes_or_no(&value)
                        .map_err(|message| FeatureError::invalid("rejected", message))?,
                )
            }
            "folder" => f.folder.push(value),
            "source" => f.source = Some(value),
            "field" => f.field.push(value),
            "applied-from" => f.applied_after = Some(value),
            "applied-to" => f.applied_before = Some(value),
            "updated-from" => f.updated_after = Some(value),
            "updated-to" => f.updated_before = Some(value),
            "page" => f.page = Some(number(&value)?),
            "per-page" => f.per_page = Some(number(&value)?),
            other => {
                return Err(FeatureError::invalid(
                    other,
                    "unknown filter; use status, status-name, stage, job, rejected, folder, source, field, applied-from, applied-to, updated-from, updated-to, page or per-page",
                ));
            }
        }
    }
    f.text = (!words.is_empty()).then(|| words.join(" "));
    f.resolve(now)
}

#[derive(Debug, Clone, Serialize)]
pub struct RediscoveryHit {
    pub candidate_id: String,
    /// Other records of the same person (duplicate links), shown as one result.
    pub duplicates: Vec<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub title: Option<String>,
    pub company: Option<String>,
    pub updated_at: Option<Timestamp>,
    pub score: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RediscoveryPage {
    pub page: usize,
    pub per_page: usize,
    pub hits: Vec<RediscoveryHit>,
    pub more: bool,
}

/// Runs a search.
pub async fn rediscover<M: Mirror + ?Sized>(
    mirror: &M,
    conn: &str,
    request: &RediscoveryRequest,
) -> Result<RediscoveryPage, FeatureError> {
    let mut q = request.query.clone();
    q.limit = request.per_page;
    q.offset = (request.page - 1) * request.per_page;
    let page = mirror.search_candidates(conn, &q).await?;
    Ok(RediscoveryPage {
        page: request.page,
        per_page: request.per_page,
        more: page.more,
        hits: page
            .hits
            .into_iter()
            .map(|h| RediscoveryHit {
                candidate_id: h.candidate_id,
                duplicates: h.duplicates,
                name: h.display_name,
                email: h.email,
                title: h.title,
                company: h.company,
                updated_at: h.updated_at,
                score: h.score,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ats_model::Stage;

    #[test]
    fn dates() {
        assert_eq!(parse_date("d", "1970-01-01").unwrap(), 0);
        assert_eq!(parse_date("d", "2024-02-29").unwrap(), 1_709_164_800);
        assert!(parse_date("d", "2023-02-29").is_err());
        assert!(parse_date("d", "24-1-1").is_err());
    }

    #[test]
    fn flags_and_words() {
        let r = parse_args(
            &[
                "rust",
                "--stage",
                "Interview",
                "--job=J1",
                "--rejected",
                "no",
                "engineer",
                "--applied-to",
                "1970-01-02",
                "--page",
                "2",
            ],
            5,
        )
        .unwrap();
        assert_eq!(r.query.text.as_deref(), Some("rust engineer"));
        assert_eq!(r.query.stages, vec![Stage::Interview]);
        assert_eq!(r.query.job_ids, vec!["J1"]);
        assert_eq!(r.query.rejected, Some(false));
        assert_eq!(r.query.applied_to, Some(86_400 + 86_399));
        assert_eq!((r.page, r.per_page, r.query.now), (2, 20, 5));
        let err = parse_args(&["--colour", "red"], 0).unwrap_err();
        assert!(err.to_string().contains("unknown filter"), "{err}");
        assert!(parse_args(&["--stage", "maybe"], 0).is_err());
    }
}
