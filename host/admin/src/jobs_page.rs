//! Jobs: the connection's jobs in the mirror, and one job's applicants ranked by review with
//! every part of each score and its reason (the API's `POST …/review`, called as it is).

use crate::Admin;
use crate::chrome::{Chrome, html};
use crate::page_error::{PageError, PageResult};
use crate::session::Signed;
use crate::words::or_dash;
use askama::Template;
use ats_model::{AtsRecord, RecordKind};
use ats_serve::body::JsonBody;
use ats_serve::features::ReviewBody;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use serde::Deserialize;

/// Jobs per page of the list.
const JOBS_PER_PAGE: usize = 50;
/// Applicants a job's page ranks and shows.
const RANKED: usize = 100;

pub struct JobLine {
    pub id: String,
    pub title: String,
    pub state: String,
    pub location: String,
    pub requisition: String,
}

#[derive(Template)]
#[template(path = "jobs.html")]
struct JobsPage {
    chrome: Chrome,
    name: String,
    total: usize,
    jobs: Vec<JobLine>,
    page: usize,
    previous_page: Option<usize>,
    next_page: Option<usize>,
}

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

pub async fn list(
    State(admin): State<Admin>,
    signed: Signed,
    Path(name): Path<String>,
    Query(query): Query<PageQuery>,
) -> PageResult<Html<String>> {
    let row = admin.service.connection_of(&signed.tenant, &name).await?;
    let mirror = admin.service.host.mirror.as_ref();
    let ids = mirror.ids(&row.name, RecordKind::Job).await?;
    let pages = ids.len().div_ceil(JOBS_PER_PAGE).max(1);
    let page = match query
        .page
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        None => 1,
        Some(p) => p
            .parse::<usize>()
            .ok()
            .filter(|p| (1..=pages).contains(p))
            .ok_or_else(|| {
                PageError::invalid(
                    "page",
                    format!("the jobs have pages 1 to {pages}, not `{p}`"),
                )
            })?,
    };
    let mut jobs = Vec::new();
    for id in ids
        .iter()
        .skip((page - 1) * JOBS_PER_PAGE)
        .take(JOBS_PER_PAGE)
    {
        if let Some(stored) = mirror.record(&row.name, RecordKind::Job, id).await?
            && let AtsRecord::Job(j) = stored.record
        {
            jobs.push(JobLine {
                title: or_dash(j.title.as_deref()),
                state: j
                    .state
                    .map_or("-".into(), |s| format!("{s:?}").to_lowercase()),
                location: or_dash(j.location.as_deref()),
                requisition: or_dash(j.requisition_number.as_deref()),
                id: j.id,
            });
        }
    }
    html(JobsPage {
        chrome: Chrome::signed(format!("{name} jobs"), &signed),
        total: ids.len(),
        jobs,
        page,
        previous_page: (page > 1).then(|| page - 1),
        next_page: (page < pages).then_some(page + 1),
        name,
    })
}

pub struct RankedLine {
    pub rank: usize,
    pub candidate_id: String,
    pub application_id: String,
    pub name: String,
    pub title: String,
    pub stage: String,
    pub score: String,
    pub parts: Vec<(&'static str, String, String)>,
}

#[derive(Template)]
#[template(path = "job.html")]
struct JobPage {
    chrome: Chrome,
    name: String,
    job_id: String,
    job_title: String,
    applicants: Vec<RankedLine>,
}

pub async fn review(
    State(admin): State<Admin>,
    signed: Signed,
    Path((name, job)): Path<(String, String)>,
) -> PageResult<Html<String>> {
    let Json(report) = ats_serve::features::review(
        State(admin.service.clone()),
        signed.tenant.clone(),
        Path(name.clone()),
        JsonBody(ReviewBody {
            job_id: job.clone(),
            limit: Some(RANKED),
        }),
    )
    .await?;
    let applicants = report
        .applicants
        .into_iter()
        .map(|a| RankedLine {
            rank: a.rank,
            name: or_dash(a.name.as_deref()),
            title: or_dash(a.title.as_deref()),
            stage: a.stage.map_or("-".into(), |s| s.as_str().to_string()),
            score: format!("{:.1}", a.score),
            parts: a
                .parts
                .into_iter()
                .map(|p| (p.name, format!("{:+.1}", p.points), p.reason))
                .collect(),
            candidate_id: a.candidate_id,
            application_id: a.application_id,
        })
        .collect();
    html(JobPage {
        chrome: Chrome::signed(format!("job {job}"), &signed),
        job_title: or_dash(report.job_title.as_deref()),
        job_id: job,
        applicants,
        name,
    })
}
