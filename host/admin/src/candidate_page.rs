//! A candidate as the mirror holds them: the profile, attachments, each application with the
//! timeline of statuses it was seen in (`MirrorQueries::applications_of_candidate`) and the
//! rejection reason kept locally, and the duplicate links and cluster de-duplication made.

use crate::Admin;
use crate::chrome::{Chrome, html};
use crate::page_error::{PageError, PageResult};
use crate::session::Signed;
use crate::words::{or_dash, when};
use askama::Template;
use ats_mirror::Mirror;
use ats_model::{AtsRecord, Candidate, RecordKind};
use axum::extract::{Path, State};
use axum::response::Html;

pub struct Step {
    pub status: String,
    pub stage: String,
    pub changed: String,
    pub seen: String,
}

pub struct ApplicationView {
    pub id: String,
    pub job_id: String,
    pub job_title: String,
    /// Why the job has no page: deleted in the ATS, or never read into the mirror.
    pub job_note: Option<String>,
    pub job_linked: bool,
    pub status: String,
    pub stage: String,
    pub applied: String,
    pub source: String,
    pub timeline: Vec<Step>,
    pub rejection: Option<String>,
}

pub struct LinkView {
    pub other: String,
    pub rule: String,
    pub confidence: String,
    pub status: &'static str,
}

pub struct Line {
    pub label: &'static str,
    pub value: String,
}

#[derive(Template)]
#[template(path = "candidate.html")]
struct CandidatePage {
    chrome: Chrome,
    name: String,
    id: String,
    display_name: String,
    deleted: Option<String>,
    profile: Vec<Line>,
    skills: Vec<String>,
    experience: Vec<String>,
    attachments: Vec<(String, String, String)>,
    applications: Vec<ApplicationView>,
    links: Vec<LinkView>,
    cluster: Vec<String>,
}

fn joined<'a>(parts: impl IntoIterator<Item = &'a String>) -> String {
    let parts: Vec<&str> = parts.into_iter().map(String::as_str).collect();
    or_dash(Some(&parts.join(", ")))
}

fn profile(c: &Candidate) -> Vec<Line> {
    let location = c
        .addresses
        .first()
        .map(|a| joined([&a.city, &a.region, &a.country].into_iter().flatten()));
    vec![
        Line {
            label: "Emails",
            value: joined(c.emails.iter().map(|e| &e.address)),
        },
        Line {
            label: "Phones",
            value: joined(c.phones.iter().map(|p| &p.number)),
        },
        Line {
            label: "Title",
            value: or_dash(c.current_title.as_deref()),
        },
        Line {
            label: "Company",
            value: or_dash(c.current_company.as_deref()),
        },
        Line {
            label: "Location",
            value: or_dash(location.as_deref()),
        },
        Line {
            label: "Profiles",
            value: joined(c.urls.iter().map(|u| &u.url)),
        },
        Line {
            label: "Source",
            value: joined(c.source.iter().chain(&c.source_detail)),
        },
        Line {
            label: "Folder",
            value: or_dash(
                c.folder
                    .as_ref()
                    .map(|f| f.name.as_deref().unwrap_or(&f.id)),
            ),
        },
        Line {
            label: "Tags",
            value: joined(&c.tags),
        },
        Line {
            label: "Updated in the ATS",
            value: when(c.updated_at),
        },
    ]
}

/// Most applications a candidate's page lists (newest applied first).
const MAX_APPLICATIONS: usize = 200;

/// The candidate's live applications, read off the mirror's index of applications by candidate
/// (so an application to a job deleted in the ATS, or never read, is listed too).
async fn applications_of(
    mirror: &dyn Mirror,
    conn: &str,
    candidate: &str,
) -> PageResult<Vec<ApplicationView>> {
    let mut out = Vec::new();
    for app in mirror
        .applications_of_candidate(conn, candidate, MAX_APPLICATIONS)
        .await?
    {
        let timeline = app
            .history
            .into_iter()
            .map(|s| Step {
                status: or_dash(s.status_name.as_deref().or(s.status_id.as_deref())),
                stage: s.stage.map_or("-".into(), |st| st.as_str().to_string()),
                changed: when(s.changed_at),
                seen: when(Some(s.seen_at)),
            })
            .collect();
        let rejection = mirror
            .rejection_reason(conn, &app.application_id)
            .await?
            .map(|r| {
                let by = r
                    .rejected_by
                    .map(|b| format!(" by {b}"))
                    .unwrap_or_default();
                format!("{} ({}{by})", r.reason, when(Some(r.rejected_at)))
            });
        let job_note = match (&app.job_title, app.job_deleted_at) {
            (None, _) => Some("the job is not in the mirror".to_string()),
            (Some(_), Some(at)) => Some(format!("job deleted in the ATS {}", when(Some(at)))),
            (Some(_), None) => None,
        };
        out.push(ApplicationView {
            job_linked: job_note.is_none(),
            job_title: app
                .job_title
                .unwrap_or_else(|| format!("Job {}", app.job_id)),
            job_note,
            status: or_dash(app.status_name.as_deref().or(app.status_id.as_deref())),
            stage: app.stage.map_or("-".into(), |s| s.as_str().to_string()),
            applied: when(app.applied_at),
            source: or_dash(app.source.as_deref()),
            id: app.application_id,
            job_id: app.job_id,
            timeline,
            rejection,
        });
    }
    Ok(out)
}

pub async fn show(
    State(admin): State<Admin>,
    signed: Signed,
    Path((name, id)): Path<(String, String)>,
) -> PageResult<Html<String>> {
    let row = admin.service.connection_of(&signed.tenant, &name).await?;
    let mirror = admin.service.host.mirror.as_ref();
    let stored = mirror
        .record(&row.name, RecordKind::Candidate, &id)
        .await?
        .ok_or_else(PageError::not_found)?;
    let AtsRecord::Candidate(c) = &stored.record else {
        return Err(PageError::not_found());
    };
    let applications = applications_of(mirror, &row.name, &id).await?;
    let links = mirror
        .duplicate_links(&row.name, &id)
        .await?
        .into_iter()
        .map(|l| LinkView {
            other: if l.a_id == id { l.b_id } else { l.a_id },
            rule: l.rule,
            confidence: format!("{:.0}%", l.confidence * 100.0),
            status: l.status.as_str(),
        })
        .collect();
    let cluster = mirror
        .cluster(&row.name, &id)
        .await?
        .into_iter()
        .filter(|other| *other != id)
        .collect();
    let display = c.display_name();
    html(CandidatePage {
        chrome: Chrome::signed(display.clone(), &signed),
        display_name: or_dash(Some(&display)),
        deleted: stored.deleted_at.map(|t| when(Some(t))),
        profile: profile(c),
        skills: c.skills.clone(),
        experience: c
            .experience
            .iter()
            .map(|w| joined([&w.title, &w.employer].into_iter().flatten()))
            .collect(),
        attachments: c
            .attachments
            .iter()
            .map(|a| {
                (
                    or_dash(a.file_name.as_deref()),
                    format!("{:?}", a.kind).to_lowercase(),
                    or_dash(a.content_type.as_deref()),
                )
            })
            .collect(),
        applications,
        links,
        cluster,
        id,
        name,
    })
}
