//! The live parts of the pages: while a sync runs, `assets/live.js` fetches a page's part
//! again every [`EVERY_MS`] and swaps it in. A part is a GET under the same session as its page
//! (another tenant's connection is 404, a signed-out browser is sent to sign in) and says in
//! `data-running` whether to fetch it again, so the browser stops asking once nothing runs.

use crate::Admin;
use crate::connections_page::{ConnectionQuery, connection_live, connections_live};
use crate::page_error::PageResult;
use crate::session::Signed;
use askama::Template;
use ats_app::run_log::RunEntry;
use ats_model::Timestamp;
use ats_sync::SyncStatus;
use axum::extract::{Path, Query, State};
use axum::http::header::CACHE_CONTROL;
use axum::response::{Html, IntoResponse};

/// How often a running page fetches its part again, milliseconds.
pub const EVERY_MS: u64 = 2_000;

/// How long after "sync now" a page waits for the runs it asked for to start and end. The
/// ask queues behind what the connection is running; after this the page stops waiting.
pub const ASKED_WINDOW_SECONDS: i64 = 120;

/// Whether a connection's page should keep updating: a stream is syncing, or a sync was asked
/// for at `asked` and some stream has not yet finished a run started since (within
/// [`ASKED_WINDOW_SECONDS`]).
pub fn connection_running<'a>(
    streams: impl IntoIterator<Item = (&'a str, SyncStatus)>,
    runs: &[RunEntry],
    asked: Option<Timestamp>,
    now: Timestamp,
) -> bool {
    let streams: Vec<(&str, SyncStatus)> = streams.into_iter().collect();
    if streams.iter().any(|(_, s)| *s == SyncStatus::Syncing) {
        return true;
    }
    let Some(asked) = asked.filter(|t| now.saturating_sub(*t) <= ASKED_WINDOW_SECONDS) else {
        return false;
    };
    streams.iter().any(|(stream, _)| {
        !runs
            .iter()
            .any(|r| r.stream == *stream && r.started_at >= asked && r.finished_at.is_some())
    })
}

/// Never cached: it is fetched again to see what changed.
fn fresh(body: String) -> impl IntoResponse {
    ([(CACHE_CONTROL, "no-store")], Html(body))
}

/// `GET /admin/connections/{c}/live`: the live part of one connection's page.
pub async fn connection_part(
    State(admin): State<Admin>,
    signed: Signed,
    Path(name): Path<String>,
    Query(query): Query<ConnectionQuery>,
) -> PageResult<impl IntoResponse> {
    let live = connection_live(&admin, &signed, &name, &query).await?;
    Ok(fresh(live.render()?))
}

/// `GET /admin/live`: the connections table of the list.
pub async fn connections_part(
    State(admin): State<Admin>,
    signed: Signed,
) -> PageResult<impl IntoResponse> {
    let live = connections_live(&admin, &signed).await?;
    Ok(fresh(live.render()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(stream: &str, started_at: i64, finished_at: Option<i64>) -> RunEntry {
        RunEntry {
            id: 1,
            stream: stream.into(),
            mode: "incremental".into(),
            started_at,
            finished_at,
            result: if finished_at.is_some() {
                "succeeded"
            } else {
                "running"
            }
            .into(),
            upserted: 0,
            unchanged: 0,
            deleted: 0,
            pages: 0,
            requests: 0,
            error: None,
            advice: None,
        }
    }

    const DONE: SyncStatus = SyncStatus::Done;

    #[test]
    fn a_syncing_stream_keeps_the_page_updating_and_nothing_running_stops_it() {
        let streams = [("candidates", SyncStatus::Syncing), ("jobs", DONE)];
        assert!(connection_running(streams, &[], None, 1_000));
        assert!(!connection_running(
            [("candidates", DONE)],
            &[],
            None,
            1_000
        ));
        assert!(!connection_running(
            [("candidates", SyncStatus::PausedForQuota)],
            &[],
            None,
            1_000
        ));
    }

    #[test]
    fn an_asked_sync_is_waited_for_until_every_stream_ran_or_the_window_ends() {
        let streams = [("candidates", DONE), ("jobs", DONE)];
        // Asked at 1 000: nothing started yet, then one stream done, then both.
        assert!(connection_running(streams, &[], Some(1_000), 1_001));
        let one = [
            run("candidates", 1_002, Some(1_003)),
            run("jobs", 900, Some(901)),
        ];
        assert!(connection_running(streams, &one, Some(1_000), 1_004));
        let both = [
            run("candidates", 1_002, Some(1_003)),
            run("jobs", 1_003, Some(1_005)),
        ];
        assert!(!connection_running(streams, &both, Some(1_000), 1_006));
        // A queue that never gets to it: the page stops waiting.
        assert!(!connection_running(
            streams,
            &[],
            Some(1_000),
            1_000 + ASKED_WINDOW_SECONDS + 1
        ));
    }
}
