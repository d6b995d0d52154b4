//! The tenant's connections, and one connection: its streams in recruiters' words with the last
//! error and advice, the mirror's counts, the quota by lane with its chart, the run log, and the
//! permissions the last check found missing. Read through `ats_app::status_view` and the API's
//! own handlers, so a page says what `GET /v1/connections/{c}/status` and `…/runs` answer.

use crate::Admin;
use crate::chart::{LANE_COLOURS, quota_chart};
use crate::chrome::{Chrome, html};
use crate::health::Health;
use crate::page_error::{PageError, PageResult};
use crate::session::Signed;
use crate::words::{lag, or_dash, status_class, when};
use askama::Template;
use ats_app::run_log::{MAX_RUNS, RunEntry};
use ats_app::status_view::{ConnectionStatus, stream_statuses};
use ats_serve::connections::{self as api, RunsQuery};
use ats_sync::SyncStatus;
use ats_sync::meter::now;
use ats_sync::quota::Lane;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use serde::Deserialize;

/// Runs per page of the run log.
const RUNS_PER_PAGE: usize = 20;

pub struct ConnectionLine {
    pub name: String,
    pub connector: String,
    pub tenant: String,
    pub health: &'static str,
    pub health_class: &'static str,
    pub last_sync: String,
    pub next_run: String,
    pub paused: bool,
}

#[derive(Template)]
#[template(path = "connections.html")]
struct ConnectionsPage {
    chrome: Chrome,
    live: String,
}

/// The connections table, the part of the list that updates while a connection syncs.
#[derive(Template)]
#[template(path = "connections_live.html")]
pub struct ConnectionsLive {
    chrome: Chrome,
    connections: Vec<ConnectionLine>,
    running: bool,
    every_ms: u64,
}

/// The tenant's connections with their health.
pub async fn connections_live(admin: &Admin, signed: &Signed) -> PageResult<ConnectionsLive> {
    let service = &admin.service;
    let mut connections = Vec::new();
    let mut running = false;
    for row in service.host.mirror.connections().await? {
        if row.tenant != signed.tenant.0 {
            continue;
        }
        let streams = stream_statuses(&service.host, &row)
            .await
            .map_err(ats_serve::api_error::ApiError::from)?;
        running |= streams.iter().any(|s| s.status == SyncStatus::Syncing);
        let health = Health::of(row.paused_at, &streams);
        connections.push(ConnectionLine {
            connector: format!("{} {}", row.plugin_declared.id, row.plugin_declared.version),
            tenant: row.tenant.clone(),
            health: health.words(),
            health_class: health.class(),
            last_sync: when(streams.iter().filter_map(|s| s.last_success_at).max()),
            next_run: match row.paused_at {
                Some(_) => "paused".into(),
                None => when(streams.iter().map(|s| s.next_run_at).min()),
            },
            paused: row.paused_at.is_some(),
            name: row.name,
        });
    }
    Ok(ConnectionsLive {
        chrome: Chrome::signed("Connections", signed),
        connections,
        running,
        every_ms: crate::live::EVERY_MS,
    })
}

pub async fn list(State(admin): State<Admin>, signed: Signed) -> PageResult<Html<String>> {
    let live = connections_live(&admin, &signed).await?;
    html(ConnectionsPage {
        chrome: live.chrome.clone(),
        live: live.render()?,
    })
}

pub struct StreamLine {
    pub stream: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub status_class: &'static str,
    pub last_success: String,
    pub high_water_mark: String,
    pub lag: String,
    pub next_run: String,
    pub error: Option<String>,
    pub advice: Option<String>,
    /// When a stream paused for quota may run again.
    pub waits_until: Option<String>,
    /// How many records the connector could not translate, and the first of them.
    pub record_error_count: u64,
    pub record_errors: Vec<ats_app::status_view::RecordErrorView>,
    /// What reading records without an update date costs (issue 19's incremental health).
    pub incremental_health: Option<String>,
    /// The load in progress in words ("about 3 min left (300 of ~1,200 records)").
    pub load: Option<String>,
    pub load_mode: &'static str,
}

pub struct LaneLine {
    pub lane: &'static str,
    pub colour: &'static str,
    pub available: String,
    pub spent: u64,
    pub resumes_at: String,
}

pub struct QuotaView {
    pub limit: String,
    pub remaining: String,
    pub reset_at: String,
    pub lanes: Vec<LaneLine>,
    pub chart: String,
}

pub struct RunLine {
    pub id: i64,
    pub stream: String,
    pub mode: String,
    pub started: String,
    pub finished: String,
    pub result: String,
    pub result_class: &'static str,
    pub upserted: u64,
    pub unchanged: u64,
    pub deleted: u64,
    pub pages: u64,
    pub requests: u64,
    pub error: Option<String>,
    pub advice: Option<String>,
}

pub struct PermissionLine {
    pub permission: String,
    pub state: &'static str,
    pub detail: String,
}

pub struct CheckView {
    pub at: String,
    pub account: String,
    pub permissions: Vec<PermissionLine>,
    pub missing: usize,
}

#[derive(Template)]
#[template(path = "connection.html")]
struct ConnectionPage {
    chrome: Chrome,
    name: String,
    paused: bool,
    notice: Option<String>,
    live: String,
    check: Option<CheckView>,
}

/// What updates while a sync runs: health, streams with their loads, counts, quota, run log.
#[derive(Template)]
#[template(path = "connection_live.html")]
pub struct ConnectionLive {
    name: String,
    /// This part alone, to fetch again (the run log's page, and when a sync was asked for).
    url: String,
    running: bool,
    every_ms: u64,
    health: &'static str,
    health_class: &'static str,
    status: &'static str,
    paused: bool,
    streams: Vec<StreamLine>,
    counts: Vec<(&'static str, u64, u64)>,
    quota: Option<QuotaView>,
    runs: Vec<RunLine>,
    page: usize,
    previous_page: Option<usize>,
    next_page: Option<usize>,
}

#[derive(Debug, Deserialize)]
pub struct ConnectionQuery {
    /// The run log's page, from 1.
    page: Option<String>,
    /// What the action just asked for did (`sync`, `check`, `pause`, `resume`).
    done: Option<String>,
    /// When a sync was asked for (the page updates until its runs have ended).
    asked: Option<String>,
}

impl ConnectionQuery {
    /// The run log's page, from 1.
    fn page(&self) -> PageResult<usize> {
        match self
            .page
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            None => Ok(1),
            Some(p) => p
                .parse::<usize>()
                .ok()
                .filter(|p| (1..=MAX_RUNS / RUNS_PER_PAGE).contains(p))
                .ok_or_else(|| {
                    PageError::invalid(
                        "page",
                        format!(
                            "the run log has pages 1 to {}, not `{p}`",
                            MAX_RUNS / RUNS_PER_PAGE
                        ),
                    )
                }),
        }
    }

    /// A link's time it cannot read is no ask (the page just does not wait for one).
    fn asked(&self) -> Option<i64> {
        self.asked.as_deref().and_then(|t| t.trim().parse().ok())
    }
}

fn stream_line(s: &ats_app::status_view::StreamStatus, at: i64) -> StreamLine {
    StreamLine {
        stream: s.stream.clone(),
        kind: s.kind.as_str(),
        status: s.status.as_str(),
        status_class: status_class(s.status),
        last_success: when(s.last_success_at),
        high_water_mark: when(s.high_water_mark),
        lag: lag(s.high_water_mark, at),
        next_run: when(Some(s.next_run_at)),
        error: s.error.clone(),
        advice: s.advice.clone(),
        waits_until: s.paused_until.filter(|t| *t > at).map(|t| when(Some(t))),
        record_error_count: s.record_error_count,
        record_errors: s.record_errors.clone(),
        incremental_health: s.incremental_health.clone(),
        load: s.load.as_ref().map(|l| l.words.clone()),
        load_mode: s.load.as_ref().map_or("", |l| l.mode),
    }
}

fn run_line(r: RunEntry) -> RunLine {
    RunLine {
        result_class: match r.result.as_str() {
            "succeeded" => "good",
            "failed" => "bad",
            "interrupted" => "warn",
            _ => "quiet",
        },
        id: r.id,
        stream: r.stream,
        mode: r.mode,
        started: when(Some(r.started_at)),
        finished: when(r.finished_at),
        result: r.result,
        upserted: r.upserted,
        unchanged: r.unchanged,
        deleted: r.deleted,
        pages: r.pages,
        requests: r.requests,
        error: r.error,
        advice: r.advice,
    }
}

fn quota_view(admin: &Admin, name: &str, status: &ConnectionStatus, at: i64) -> Option<QuotaView> {
    let quota = status.quota.as_ref()?;
    let ledger = admin.service.host.saved_ledger(name)?;
    let lanes = quota
        .lanes
        .iter()
        .map(|l| LaneLine {
            lane: l.lane.as_str(),
            colour: LANE_COLOURS[Lane::ALL.iter().position(|x| *x == l.lane).unwrap_or(0)],
            available: l.available.map_or("no limit".into(), |a| a.to_string()),
            spent: ledger.spent(l.lane),
            resumes_at: when(l.resumes_at),
        })
        .collect();
    Some(QuotaView {
        limit: quota.limit.map_or("unknown".into(), |l| l.to_string()),
        remaining: quota.remaining.map_or("unknown".into(), |r| r.to_string()),
        reset_at: when(quota.reset_at),
        lanes,
        chart: quota_chart(ledger.spent_by_hour(), quota.reset_at, at),
    })
}

fn notice(done: Option<&str>) -> Option<String> {
    Some(
        match done? {
            "sync" => "Sync asked for: it runs after what the connection is running; the run log shows it when it starts.",
            "check" => "Checked: the permissions below are what the ATS granted just now.",
            "pause" => "Paused: no sync runs until you resume (the features still work).",
            "resume" => "Resumed: due streams run at once.",
            _ => return None,
        }
        .to_string(),
    )
}

/// The live part of one connection's page.
pub async fn connection_live(
    admin: &Admin,
    signed: &Signed,
    name: &str,
    query: &ConnectionQuery,
) -> PageResult<ConnectionLive> {
    let service = admin.service.clone();
    let tenant = signed.tenant.clone();
    let page = query.page()?;
    let Json(status) = api::status(
        State(service.clone()),
        tenant.clone(),
        Path(name.to_string()),
    )
    .await?;
    // The run log answers the newest runs: read up to this page's end and show its part.
    let limit = page * RUNS_PER_PAGE;
    let Json(runs) = api::runs(
        State(service.clone()),
        tenant,
        Path(name.to_string()),
        Ok(Query(RunsQuery { limit: Some(limit) })),
    )
    .await?;
    let more = runs.len() == limit && limit < MAX_RUNS;
    let at = now();
    let asked = query.asked();
    let running = crate::live::connection_running(
        status.streams.iter().map(|s| (s.stream.as_str(), s.status)),
        &runs,
        asked,
        at,
    );
    let mut url = format!("/admin/connections/{name}/live?page={page}");
    if let Some(t) = asked {
        url.push_str(&format!("&asked={t}"));
    }
    let health = Health::of(status.paused_at, &status.streams);
    Ok(ConnectionLive {
        url,
        running,
        every_ms: crate::live::EVERY_MS,
        health: health.words(),
        health_class: health.class(),
        status: status.status.as_str(),
        paused: status.paused_at.is_some(),
        streams: status.streams.iter().map(|s| stream_line(s, at)).collect(),
        counts: status
            .counts
            .iter()
            .map(|c| (c.kind.as_str(), c.live, c.deleted))
            .collect(),
        quota: quota_view(admin, name, &status, at),
        runs: runs
            .into_iter()
            .skip((page - 1) * RUNS_PER_PAGE)
            .map(run_line)
            .collect(),
        page,
        previous_page: (page > 1).then(|| page - 1),
        next_page: more.then_some(page + 1),
        name: name.to_string(),
    })
}

/// One connection.
pub async fn show(
    State(admin): State<Admin>,
    signed: Signed,
    Path(name): Path<String>,
    Query(query): Query<ConnectionQuery>,
) -> PageResult<Html<String>> {
    let live = connection_live(&admin, &signed, &name, &query).await?;
    let check = admin.last_check(&name).map(|(at, report)| CheckView {
        at: when(Some(at)),
        account: or_dash(report.account_name.as_deref()),
        missing: report.missing().count(),
        permissions: report
            .permissions
            .iter()
            .map(|p| PermissionLine {
                permission: p.permission.clone(),
                state: match p.state {
                    ats_model::PermissionState::Granted => "granted",
                    ats_model::PermissionState::Missing => "missing",
                    ats_model::PermissionState::NotCheckable => "not checkable",
                },
                detail: or_dash(p.detail.as_deref()),
            })
            .collect(),
    });
    html(ConnectionPage {
        chrome: Chrome::signed(name.clone(), &signed),
        paused: live.paused,
        notice: notice(query.done.as_deref()),
        live: live.render()?,
        check,
        name,
    })
}
