//! A connection's worker: the work queued for it first (events' re-reads, then asked syncs),
//! then whatever the schedule says is due; it sleeps until the next is due or it is woken.
//!
//! Every process sharing the mirror runs a worker per connection. Queued work is taken with a
//! claim (see `ats_mirror::work_queue`), so one process does each item; a stream runs under its
//! lease, so a sync another process is running is not run beside it but asked again shortly.

use crate::metrics::PageTimer;
use crate::service::Service;
use ats_app::live_connection::LiveConnection;
use ats_app::scheduler::run_due;
use ats_app::stream_lease::lease_seconds;
use ats_app::sync_runner::{SyncOptions, sync_connection};
use ats_mirror::{QueuedWork, Work};
use ats_model::RecordRef;
use ats_sync::meter::now;
use ats_sync::{Engine, EngineConfig, Lane};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Most queued items a worker takes at once.
const TAKE: u32 = 64;
/// Seconds before a sync asked while another process runs the stream is tried again.
const BUSY_RETRY_SECONDS: i64 = 5;
/// Seconds before a re-read that failed is tried again, and how many tries it gets.
const FAILED_RETRY_SECONDS: i64 = 60;
const FAILED_TRIES: u32 = 3;

/// How long a taken item stays claimed: long enough for the work, short enough that the items
/// of a killed process are taken over soon (a sync outliving it is merely asked once more).
fn claim_seconds() -> i64 {
    lease_seconds().saturating_mul(2)
}

pub(crate) async fn run_worker(service: Arc<Service>, live: LiveConnection, wake: Arc<Notify>) {
    let host = &service.host;
    let options = &service.options;
    let pages = PageTimer::new(&service.metrics, live.name());
    loop {
        let mut next_wake = now().saturating_add(options.scheduler.max_sleep.as_secs() as i64);
        match host
            .mirror
            .take_work(
                live.name(),
                host.lease_holder(),
                TAKE,
                claim_seconds(),
                now(),
            )
            .await
        {
            Ok(taken) if !taken.is_empty() => {
                do_work(&service, &live, &pages, taken).await;
                continue; // more may have come meanwhile
            }
            Ok(_) => {}
            Err(e) => {
                tracing::error!(connection = live.name(), "cannot read the work queue: {e}");
                next_wake = next_wake.min(now().saturating_add(5));
            }
        }
        if options.schedule {
            let Some(_slot) = sync_slot(&service).await else {
                return; // the service is stopping
            };
            match run_due(host, &live, &options.scheduler, now(), &pages).await {
                Ok((reports, wake_at)) => {
                    // Streams another process runs are looked at again shortly, not at once:
                    // that would poll its lease in a loop for the length of its run.
                    let ran = reports.iter().any(|(_, r)| r.outcome != "busy");
                    if ran {
                        continue;
                    }
                    next_wake = next_wake.min(wake_at);
                    if !reports.is_empty() {
                        next_wake = next_wake.min(now().saturating_add(BUSY_RETRY_SECONDS));
                    }
                }
                Err(e) => {
                    tracing::error!(connection = live.name(), "scheduled sync failed: {e}");
                    next_wake = next_wake.min(now().saturating_add(30));
                }
            }
        }
        let wait = Duration::from_secs(next_wake.saturating_sub(now()).clamp(1, i64::MAX) as u64);
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

/// Re-reads first (a person is usually waiting on what an event names), then asked syncs.
async fn do_work(
    service: &Service,
    live: &LiveConnection,
    pages: &PageTimer<'_>,
    taken: Vec<QueuedWork>,
) {
    let (rereads, syncs): (Vec<_>, Vec<_>) = taken
        .into_iter()
        .partition(|w| matches!(w.work, Work::Reread { .. }));
    if !rereads.is_empty() {
        reread(service, live, rereads).await;
    }
    for item in syncs {
        if let Work::Sync { streams, full } = &item.work {
            let Some(_slot) = sync_slot(service).await else {
                return; // the service is stopping; the claim expires and another takes it
            };
            sync(service, live, pages, &item, streams, *full).await;
        }
    }
}

/// One of the process's [`ServeOptions::max_syncs`](crate::ServeOptions) slots, waited for;
/// `None` once the service closed them to stop.
async fn sync_slot(service: &Service) -> Option<tokio::sync::OwnedSemaphorePermit> {
    service.sync_slots.clone().acquire_owned().await.ok()
}

async fn reread(service: &Service, live: &LiveConnection, items: Vec<QueuedWork>) {
    let mirror = &service.host.mirror;
    let holder = service.host.lease_holder();
    let refs: Vec<RecordRef> = items.iter().filter_map(reference).collect();
    let engine = Engine::new(service.host.store(), EngineConfig::default());
    let outcome = engine
        .reread(live, &live.meter, live.name(), &refs, Lane::Applications)
        .await;
    live.meter.flush();
    let id_of = |r: &RecordRef| {
        items
            .iter()
            .find(|i| reference(i).as_ref() == Some(r))
            .map(|i| i.id)
    };
    let (mut done, mut later, mut failed_again) = (Vec::new(), Vec::new(), Vec::new());
    match outcome {
        Ok(outcome) => {
            tracing::info!(
                connection = live.name(),
                read = outcome.upserted.len() + outcome.unchanged.len(),
                deleted = outcome.deleted.len(),
                failed = outcome.failed.len(),
                waiting_for_quota = outcome.not_read.len(),
                "event records re-read"
            );
            later.extend(outcome.not_read.iter().filter_map(id_of));
            for (r, error) in &outcome.failed {
                let attempts = items.iter().find(|i| reference(i).as_ref() == Some(r));
                match attempts {
                    Some(i) if i.attempts + 1 < FAILED_TRIES => failed_again.push(i.id),
                    _ => tracing::error!(
                        connection = live.name(),
                        record = %r.id,
                        "re-reading an event's record failed for good: {}",
                        error.message
                    ),
                }
            }
            done.extend(
                items
                    .iter()
                    .map(|i| i.id)
                    .filter(|id| !later.contains(id) && !failed_again.contains(id)),
            );
            let resume = outcome.paused_until.unwrap_or_else(|| now() + 60);
            settle(mirror.as_ref(), holder, &later, Some(resume)).await;
        }
        Err(e) => {
            tracing::error!(
                connection = live.name(),
                "re-reading event records failed: {e}"
            );
            failed_again.extend(items.iter().map(|i| i.id));
        }
    }
    settle(
        mirror.as_ref(),
        holder,
        &failed_again,
        Some(now() + FAILED_RETRY_SECONDS),
    )
    .await;
    settle(mirror.as_ref(), holder, &done, None).await;
}

fn reference(item: &QueuedWork) -> Option<RecordRef> {
    match &item.work {
        Work::Reread { kind, id } => Some(RecordRef {
            kind: *kind,
            id: id.clone(),
        }),
        Work::Sync { .. } => None,
    }
}

/// Finishes `ids` (`None`) or hands them back for `Some(time)`.
async fn settle(mirror: &dyn ats_mirror::Mirror, holder: &str, ids: &[i64], later: Option<i64>) {
    if ids.is_empty() {
        return;
    }
    let settled = match later {
        None => mirror.finish_work(holder, ids).await,
        Some(at) => mirror.defer_work(holder, ids, at).await,
    };
    if let Err(e) = settled {
        // The claim expires by itself and the work is done again: harmless, only slower.
        tracing::warn!("could not settle queued work: {e}");
    }
}

async fn sync(
    service: &Service,
    live: &LiveConnection,
    pages: &PageTimer<'_>,
    item: &QueuedWork,
    streams: &[String],
    full: bool,
) {
    let mirror = service.host.mirror.as_ref();
    let holder = service.host.lease_holder();
    let options = SyncOptions {
        streams: streams.to_vec(),
        full,
        page_size: service.options.scheduler.page_size,
        ..SyncOptions::default()
    };
    let busy: Vec<String> = match sync_connection(&service.host, live, &options, pages).await {
        Ok(reports) => {
            for r in &reports {
                tracing::info!(connection = live.name(), stream = %r.stream, outcome = %r.outcome, "asked sync ended");
            }
            reports
                .into_iter()
                .filter(|r| r.outcome == "busy")
                .map(|r| r.stream)
                .collect()
        }
        Err(e) => {
            tracing::error!(connection = live.name(), "asked sync failed: {e}");
            Vec::new()
        }
    };
    if !busy.is_empty() {
        // Another process runs these streams now: ask again once it may be done, so that the
        // sync asked for still runs after what is running (which may have started before the
        // ask).
        let again = Work::Sync {
            streams: busy,
            full,
        };
        if let Err(e) = mirror
            .enqueue_work(live.name(), &again, now() + BUSY_RETRY_SECONDS)
            .await
        {
            tracing::warn!(
                connection = live.name(),
                "could not ask the busy streams again: {e}"
            );
        }
    }
    settle(mirror, holder, &[item.id], None).await;
}

/// Looks for work other processes queued (every `queue_poll`) and for connections they made,
/// changed or deleted (every tenth look), until the service stops.
pub(crate) async fn watch_shared_work(service: Arc<Service>) {
    let mut stopping = service.stopping.subscribe();
    let mut looks: u64 = 0;
    loop {
        tokio::select! {
            _ = tokio::time::sleep(service.options.queue_poll) => {}
            _ = stopping.changed() => return,
        }
        if *stopping.borrow() {
            return;
        }
        looks += 1;
        if looks.is_multiple_of(10)
            && let Err(e) = service.refresh_workers().await
        {
            tracing::warn!("cannot list the connections: {e:#}");
        }
        match service.host.mirror.connections_with_work(now()).await {
            Ok(conns) => {
                for conn in conns {
                    if !service.wake_local(&conn) {
                        wake_new(&service, &conn).await;
                    }
                }
            }
            Err(e) => tracing::warn!("cannot read the work queue: {e}"),
        }
    }
}

/// Work for a connection this process has no worker for yet (made by another process).
async fn wake_new(service: &Arc<Service>, conn: &str) {
    match service.host.mirror.connection(conn).await {
        Ok(Some(row)) => {
            if let Err(e) = service.wake(&row).await {
                tracing::error!(
                    connection = conn,
                    "cannot start the connection: {}",
                    e.message
                );
            }
        }
        Ok(None) => {} // deleted meanwhile: its work goes with it
        Err(e) => tracing::warn!(connection = conn, "cannot read the connection: {e}"),
    }
}
