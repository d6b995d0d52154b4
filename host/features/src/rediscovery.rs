//! Rediscovery: a thin layer over the mirror's search. Parses CLI-style filters
//! (`--status`, `--stage`, `--job`, `--rejected`, `--folder`, `--source`, `--applied-from/-to`,
//! `--updated-from/-to` as `YYYY-MM-DD`, `--page`, `--per-page`; other words are search text)
//! and returns one result per person (duplicate clusters grouped by the mirror).

use crate::status::parse_stage;
use crate::{FeatureError, Mirror, table};
use ats_mirror::SearchQuery;
use ats_model::Timestamp;
use serde::Serialize;

/// A parsed search request.
#[derive(Debug, Clone, PartialEq)]
pub struct RediscoveryRequest {
    pub query: SearchQuery,
    /// 1-based.
    pub page: usize,
    pub per_page: usize,
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DD` as the UTC midnight starting that day.
pub fn parse_date(flag: &str, text: &str) -> Result<Timestamp, FeatureError> {
    let bad = || {
        FeatureError::invalid(
            flag,
            format!("`{text}` is not a date; write it as YYYY-MM-DD, e.g. 2024-03-31"),
        )
    };
    let parts: Vec<&str> = text.trim().split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let (y, m, d): (i64, i64, i64) = (
        y.parse().map_err(|_| bad())?,
        m.parse().map_err(|_| bad())?,
        d.parse().map_err(|_| bad())?,
    );
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month[(m - 1) as usize] {
        return Err(bad());
    }
    Ok(days_from_civil(y, m, d) * 86_400)
}

/// Parses CLI-style arguments. `--flag value` and `--flag=value` both work; `--*-to` dates are
/// inclusive (to the end of that day).
pub fn parse_args<S: AsRef<str>>(
    args: &[S],
    now: Timestamp,
) -> Result<RediscoveryRequest, FeatureError> {
    let mut q = SearchQuery {
        now,
        ..SearchQuery::default()
    };
    let (mut page, mut per_page) = (1usize, 20usize);
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
        let end_of = |v: &str| parse_date(flag, v).map(|t| t + 86_399);
        match flag {
            "status" => q.status_ids.push(value),
            "status-name" => q.status_name = Some(value),
            "stage" => q.stages.push(parse_stage(&value).ok_or_else(|| {
                FeatureError::invalid(
                    "stage",
                    format!("`{value}` is not a stage; use new, screening, interview, offer, hired, rejected, withdrawn or other"),
                )
            })?),
            "job" => q.job_ids.push(value),
            "rejected" => {
                q.rejected = Some(match value.to_ascii_lowercase().as_str() {
                    "yes" | "true" => true,
                    "no" | "false" => false,
                    _ => return Err(FeatureError::invalid("rejected", format!("`{value}`: use yes or no"))),
                })
            }
            "folder" => q.folder_ids.push(value),
            "source" => q.source = Some(value),
            "applied-from" => q.applied_from = Some(parse_date(flag, &value)?),
            "applied-to" => q.applied_to = Some(end_of(&value)?),
            "updated-from" => q.updated_from = Some(parse_date(flag, &value)?),
            "updated-to" => q.updated_to = Some(end_of(&value)?),
            "page" => page = number(&value)?,
            "per-page" => per_page = number(&value)?.min(500),
            other => {
                return Err(FeatureError::invalid(
                    other,
                    "unknown filter; use status, status-name, stage, job, rejected, folder, source, applied-from, applied-to, updated-from, updated-to, page or per-page",
                ));
            }
        }
    }
    q.text = (!words.is_empty()).then(|| words.join(" "));
    Ok(RediscoveryRequest {
        query: q,
        page,
        per_page,
    })
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

impl std::fmt::Display for RediscoveryPage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rows: Vec<Vec<String>> = self
            .hits
            .iter()
            .map(|h| {
                vec![
                    h.candidate_id.clone(),
                    h.name.clone().unwrap_or_default(),
                    h.title.clone().unwrap_or_default(),
                    h.company.clone().unwrap_or_default(),
                    h.email.clone().unwrap_or_default(),
                    h.duplicates.join(" "),
                    format!("{:.2}", h.score),
                ]
            })
            .collect();
        f.write_str(&table::render(
            &["id", "name", "title", "company", "email", "also", "score"],
            &rows,
        ))?;
        let more = if self.more {
            "; more on the next page"
        } else {
            ""
        };
        writeln!(f, "page {} ({} people){more}", self.page, self.hits.len())
    }
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
