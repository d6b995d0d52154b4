//! The service's state: the host, a started plugin instance per connection for the features,
//! and one worker per connection that runs its syncs (what `ats run` does, plus syncs the API
//! asks for), so that a connection's streams never run twice at once.

use crate::api_error::{ApiError, ApiResult};
use crate::auth::Tenant;
use crate::event_memory::EventMemory;
use crate::metrics::{Metrics, PageTimer};
use ats_app::connection_templates::Templates;
use ats_app::host::Host;
use ats_app::live_connection::LiveConnection;
use ats_app::scheduler::{SchedulerOptions, run_due};
use ats_app::sync_runner::{SyncOptions, sync_connection};
use ats_mirror::ConnectionRow;
use ats_model::RecordRef;
use ats_sync::meter::now;
use ats_sync::{Engine, EngineConfig, Lane};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, watch};

/// How the service runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Run the scheduler (every connection's due streams). Off, syncs run only when asked.
    pub schedule: bool,
    pub scheduler: SchedulerOptions,
    /// Longest a request may take before it is answered 503 (a sync asked for runs on).
    pub request_timeout: Duration,
    /// Largest request body, bytes (a profile with an inline resume is the largest).
    pub body_limit: usize,
    /// The operator's templates tenants make connections from (none: they cannot).
    pub templates: Templates,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            schedule: true,
            scheduler: SchedulerOptions::default(),
            request_timeout: Duration::from_secs(60),
            body_limit: 16 << 20,
            templates: Templates::default(),
        }
    }
}

/// A sync the API asked for.
#[derive(Debug, Clone, Default)]
pub struct SyncRequest {
    pub streams: Vec<String>,
    pub full: bool,
}

/// What a connection's worker is asked to do.
#[derive(Debug)]
enum Ask {
    Sync(SyncRequest),
    /// Re-read the records events named (taken from [`Service::rereads`]).
    Reread,
}

struct Worker {
    asks: mpsc::UnboundedSender<Ask>,
    /// The connection row the worker started from; a changed row restarts it.
    updated_at: i64,
    task: tokio::task::JoinHandle<()>,
}

/// A live connection lent to one feature call (see [`Service::writer`]).
pub struct Writer(LiveConnection);

impl std::ops::Deref for Writer {
    type Target = LiveConnection;

    fn deref(&self) -> &LiveConnection {
        &self.0
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.0.meter.flush();
    }
}

/// Everything a request handler can reach.
pub struct Service {
    pub host: Host,
    pub options: ServeOptions,
    lives: tokio::sync::Mutex<HashMap<String, LiveConnection>>,
    workers: Mutex<HashMap<String, Worker>>,
    stopping: watch::Sender<bool>,
    scheduler_running: AtomicBool,
    /// Records events named, not re-read yet, by connection (one read per record however many
    /// events named it meanwhile).
    rereads: Mutex<HashMap<String, Vec<RecordRef>>>,
    /// Recent event deliveries, to refuse replays and read a duplicate once.
    pub events: EventMemory,
    pub metrics: Arc<Metrics>,
    /// Held while a connection is made (see `connection_lifecycle::create`).
    pub creating: tokio::sync::Mutex<()>,
}

impl Service {
    pub fn new(host: Host, options: ServeOptions) -> Arc<Service> {
        let metrics = Arc::new(Metrics::default());
        Arc::new(Service {
            host: host.with_request_tap(metrics.clone()),
            metrics,
            creating: Default::default(),
            options,
            lives: Default::default(),
            workers: Default::default(),
            stopping: watch::channel(false).0,
            scheduler_running: AtomicBool::new(false),
            rereads: Default::default(),
            events: EventMemory::default(),
        })
    }

    /// `name`'s row when it belongs to `tenant`; otherwise the same 404 as for a name that does
    /// not exist.
    pub async fn connection_of(&self, tenant: &Tenant, name: &str) -> ApiResult<ConnectionRow> {
        match self.host.mirror.connection(name).await? {
            Some(row) if row.tenant == tenant.0 => Ok(row),
            _ => Err(ApiError::unknown_connection(name)),
        }
    }

    /// A started instance of `row`'s plugin for the features (kept between requests, made again
    /// when the row changed).
    pub async fn live(&self, row: &ConnectionRow) -> ApiResult<LiveConnection> {
        let mut lives = self.lives.lock().await;
        if let Some(live) = lives.get(&row.name)
            && live.row.updated_at == row.updated_at
            && live.row.plugin_hash == row.plugin_hash
        {
            return Ok(live.clone());
        }
        let live = self.host.live_from_row(row.clone()).await?;
        lives.insert(row.name.clone(), live.clone());
        Ok(live)
    }

    /// `row`'s started instance for one feature call that may write to the ATS: dropping it
    /// gives back the quota the call reserved and did not send.
    pub async fn writer(&self, row: &ConnectionRow) -> ApiResult<Writer> {
        Ok(Writer(self.live(row).await?))
    }

    /// Forgets what the service holds of a removed connection.
    pub async fn forget(&self, name: &str) {
        self.lives.lock().await.remove(name);
        if let Some(worker) = self.workers().remove(name) {
            worker.task.abort();
        }
    }

    fn workers(&self) -> std::sync::MutexGuard<'_, HashMap<String, Worker>> {
        self.workers.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Asks `row`'s worker to run a sync now (starting the worker when it is not running).
    pub async fn ask_sync(
        self: &Arc<Self>,
        row: &ConnectionRow,
        ask: SyncRequest,
    ) -> ApiResult<()> {
        self.send(row, Ask::Sync(ask)).await
    }

    /// Asks `row`'s worker to re-read `refs` (in the applications lane).
    pub async fn ask_reread(
        self: &Arc<Self>,
        row: &ConnectionRow,
        refs: Vec<RecordRef>,
    ) -> ApiResult<()> {
        {
            let mut pending = self.rereads.lock().unwrap_or_else(|e| e.into_inner());
            let queued = pending.entry(row.name.clone()).or_default();
            for r in refs {
                if !queued.contains(&r) {
                    queued.push(r);
                }
            }
        }
        self.send(row, Ask::Reread).await
    }

    fn take_rereads(&self, connection: &str) -> Vec<RecordRef> {
        self.rereads
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(connection)
            .unwrap_or_default()
    }

    async fn send(self: &Arc<Self>, row: &ConnectionRow, ask: Ask) -> ApiResult<()> {
        self.ensure_worker(row).await?;
        let workers = self.workers();
        let worker = workers
            .get(&row.name)
            .ok_or_else(|| ApiError::internal("the connection's worker did not start"))?;
        worker
            .asks
            .send(ask)
            .map_err(|_| ApiError::internal("the connection's worker has stopped"))
    }

    /// Starts a worker for `row` unless one runs for this version of it.
    pub async fn ensure_worker(self: &Arc<Self>, row: &ConnectionRow) -> ApiResult<()> {
        {
            let workers = self.workers();
            if let Some(w) = workers.get(&row.name)
                && w.updated_at == row.updated_at
                && !w.task.is_finished()
            {
                return Ok(());
            }
        }
        let live = self.live(row).await?;
        let (asks, asked) = mpsc::unbounded_channel();
        let task = tokio::spawn(run_worker(self.clone(), live, asked));
        if let Some(old) = self.workers().insert(
            row.name.clone(),
            Worker {
                asks,
                updated_at: row.updated_at,
                task,
            },
        ) {
            old.task.abort();
        }
        Ok(())
    }

    /// Starts a worker for every saved connection.
    pub async fn start_workers(self: &Arc<Self>) -> anyhow::Result<()> {
        for row in self.host.mirror.connections().await? {
            if let Err(e) = self.ensure_worker(&row).await {
                tracing::error!(connection = %row.name, "cannot start the connection: {}", e.message);
            }
        }
        self.scheduler_running.store(true, Ordering::Relaxed);
        Ok(())
    }

    pub fn scheduler_running(&self) -> bool {
        self.scheduler_running.load(Ordering::Relaxed) && !*self.stopping.borrow()
    }

    /// Stops taking work: workers finish the page in flight's transaction (a page is written
    /// whole or not at all) and stop at the next await.
    pub async fn stop(&self) {
        self.stopping.send_replace(true);
        let tasks: Vec<_> = self.workers().drain().map(|(_, w)| w.task).collect();
        for task in tasks {
            task.abort();
            let _ = task.await;
        }
    }
}

/// One connection's syncs: what the API asked for first, then whatever is due; sleeps until the
/// next is due or something is asked.
async fn run_worker(
    service: Arc<Service>,
    live: LiveConnection,
    mut asked: mpsc::UnboundedReceiver<Ask>,
) {
    let host = &service.host;
    let options = &service.options;
    let pages = PageTimer::new(&service.metrics, live.name());
    let mut pending: Vec<SyncRequest> = Vec::new();
    loop {
        while let Ok(ask) = asked.try_recv() {
            if let Ask::Sync(ask) = ask {
                pending.push(ask);
            }
        }
        // Events first: a person is usually waiting on what they name.
        let refs = service.take_rereads(live.name());
        if !refs.is_empty() {
            let engine = Engine::new(host.store(), EngineConfig::default());
            match engine
                .reread(&live, &live.meter, live.name(), &refs, Lane::Applications)
                .await
            {
                Ok(outcome) => {
                    tracing::info!(connection = live.name(), ?outcome, "event records re-read")
                }
                Err(e) => {
                    tracing::error!(
                        connection = live.name(),
                        "re-reading event records failed: {e}"
                    )
                }
            }
            live.meter.flush();
        }
        let mut next_wake = now().saturating_add(options.scheduler.max_sleep.as_secs() as i64);
        for ask in pending.drain(..) {
            let sync = SyncOptions {
                streams: ask.streams,
                full: ask.full,
                page_size: options.scheduler.page_size,
                ..SyncOptions::default()
            };
            match sync_connection(host, &live, &sync, &pages).await {
                Ok(reports) => {
                    for r in reports {
                        tracing::info!(connection = live.name(), stream = %r.stream, outcome = %r.outcome, "asked sync ended");
                    }
                }
                Err(e) => tracing::error!(connection = live.name(), "asked sync failed: {e}"),
            }
        }
        if options.schedule {
            match run_due(host, &live, &options.scheduler, now(), &pages).await {
                Ok((reports, wake)) => {
                    if !reports.is_empty() {
                        continue;
                    }
                    next_wake = next_wake.min(wake);
                }
                Err(e) => {
                    tracing::error!(connection = live.name(), "scheduled sync failed: {e}");
                    next_wake = next_wake.min(now().saturating_add(30));
                }
            }
        }
        let wait = Duration::from_secs(next_wake.saturating_sub(now()).clamp(1, i64::MAX) as u64);
        tokio::select! {
            ask = asked.recv() => match ask {
                Some(Ask::Sync(ask)) => pending.push(ask),
                Some(Ask::Reread) => {}
                None => return,
            },
            _ = tokio::time::sleep(wait) => {}
        }
    }
}
