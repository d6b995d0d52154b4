//! The service's state: the host, a started plugin instance per connection for the features,
//! and one worker per connection that runs its syncs (what `ats run` does, plus the work the API
//! and pushed events queue; see `worker.rs`).
//!
//! Asked work goes into the mirror's work queue rather than to a worker directly, so that any
//! process sharing the mirror can do it: the process that queued it wakes its own worker at
//! once, and every process looks for work queued by others every
//! [`ServeOptions::queue_poll`].

use crate::api_error::{ApiError, ApiResult};
use crate::auth::Tenant;
use crate::metrics::Metrics;
use ats_app::connection_templates::Templates;
use ats_app::host::Host;
use ats_app::live_connection::LiveConnection;
use ats_app::scheduler::SchedulerOptions;
use ats_mirror::{ConnectionRow, Work};
use ats_model::RecordRef;
use ats_sync::meter::now;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Notify, watch};

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
    /// How often the process looks for work other processes queued, and (every tenth look)
    /// for connections other processes made, changed or deleted.
    pub queue_poll: Duration,
    /// Most syncs (a connection's due streams, or an asked sync) this process runs at once. A
    /// connection waiting for a slot holds no lease, so another process sharing the mirror
    /// takes its streams: this is what makes a second process add throughput.
    pub max_syncs: usize,
}

/// The default of [`ServeOptions::max_syncs`].
pub const DEFAULT_MAX_SYNCS: usize = 8;

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            schedule: true,
            scheduler: SchedulerOptions::default(),
            request_timeout: Duration::from_secs(60),
            body_limit: 16 << 20,
            templates: Templates::default(),
            queue_poll: Duration::from_secs(1),
            max_syncs: DEFAULT_MAX_SYNCS,
        }
    }
}

/// A sync the API asked for.
#[derive(Debug, Clone, Default)]
pub struct SyncRequest {
    pub streams: Vec<String>,
    pub full: bool,
}

/// A connection's worker in this process: woken when work for it is queued.
struct Worker {
    wake: Arc<Notify>,
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
    pub(crate) stopping: watch::Sender<bool>,
    scheduler_running: AtomicBool,
    pub metrics: Arc<Metrics>,
    /// Held while a connection is made (see `connection_lifecycle::create`).
    pub creating: tokio::sync::Mutex<()>,
    /// One permit per sync running in this process ([`ServeOptions::max_syncs`]).
    pub(crate) sync_slots: Arc<tokio::sync::Semaphore>,
}

impl Service {
    pub fn new(host: Host, options: ServeOptions) -> Arc<Service> {
        let metrics = Arc::new(Metrics::default());
        let sync_slots = Arc::new(tokio::sync::Semaphore::new(options.max_syncs.max(1)));
        Arc::new(Service {
            sync_slots,
            host: host.with_request_tap(metrics.clone()),
            metrics,
            creating: Default::default(),
            options,
            lives: Default::default(),
            workers: Default::default(),
            stopping: watch::channel(false).0,
            scheduler_running: AtomicBool::new(false),
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

    /// Forgets what the service holds of a removed connection, and its queued work.
    pub async fn forget(&self, name: &str) {
        self.lives.lock().await.remove(name);
        if let Some(worker) = self.workers().remove(name) {
            worker.task.abort();
        }
        if let Err(e) = self.host.mirror.clear_work(name).await {
            tracing::warn!(
                connection = name,
                "could not drop the connection's queued work: {e}"
            );
        }
    }

    fn workers(&self) -> std::sync::MutexGuard<'_, HashMap<String, Worker>> {
        self.workers.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues a sync of `row` (any process sharing the mirror may run it; this one is woken).
    pub async fn ask_sync(
        self: &Arc<Self>,
        row: &ConnectionRow,
        ask: SyncRequest,
    ) -> ApiResult<()> {
        let work = Work::Sync {
            streams: ask.streams,
            full: ask.full,
        };
        self.host
            .mirror
            .enqueue_work(&row.name, &work, now())
            .await?;
        self.wake(row).await
    }

    /// Queues re-reads of `refs` (in the applications lane); a record already waiting for its
    /// re-read is not queued twice.
    pub async fn ask_reread(
        self: &Arc<Self>,
        row: &ConnectionRow,
        refs: Vec<RecordRef>,
    ) -> ApiResult<()> {
        for r in &refs {
            self.host
                .mirror
                .enqueue_work(&row.name, &Work::reread(r), now())
                .await?;
        }
        self.wake(row).await
    }

    /// Wakes `row`'s worker in this process (starting it when it is not running).
    pub async fn wake(self: &Arc<Self>, row: &ConnectionRow) -> ApiResult<()> {
        self.ensure_worker(row).await?;
        match self.workers().get(&row.name) {
            Some(worker) => {
                worker.wake.notify_one();
                Ok(())
            }
            None => Err(ApiError::internal("the connection's worker did not start")),
        }
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
        let wake = Arc::new(Notify::new());
        let task = tokio::spawn(crate::worker::run_worker(self.clone(), live, wake.clone()));
        if let Some(old) = self.workers().insert(
            row.name.clone(),
            Worker {
                wake,
                updated_at: row.updated_at,
                task,
            },
        ) {
            old.task.abort();
        }
        Ok(())
    }

    /// Starts a worker for every saved connection, and the watch for work and connections
    /// other processes add.
    pub async fn start_workers(self: &Arc<Self>) -> anyhow::Result<()> {
        self.refresh_workers().await?;
        self.watch_shared_work();
        self.scheduler_running.store(true, Ordering::Relaxed);
        Ok(())
    }

    /// Starts looking for work other processes queue (see `worker::watch_shared_work`).
    pub fn watch_shared_work(self: &Arc<Self>) {
        tokio::spawn(crate::worker::watch_shared_work(self.clone()));
    }

    /// Starts workers for connections that are new or changed, and stops those of connections
    /// that are gone (another process may have made or deleted them).
    pub(crate) async fn refresh_workers(self: &Arc<Self>) -> anyhow::Result<()> {
        let rows = self.host.mirror.connections().await?;
        for row in &rows {
            if let Err(e) = self.ensure_worker(row).await {
                tracing::error!(connection = %row.name, "cannot start the connection: {}", e.message);
            }
        }
        self.workers().retain(|name, worker| {
            let kept = rows.iter().any(|r| &r.name == name);
            if !kept {
                worker.task.abort();
            }
            kept
        });
        Ok(())
    }

    /// Wakes this process's worker of `name`, when it has one.
    pub(crate) fn wake_local(&self, name: &str) -> bool {
        match self.workers().get(name) {
            Some(worker) => {
                worker.wake.notify_one();
                true
            }
            None => false,
        }
    }

    pub fn scheduler_running(&self) -> bool {
        self.scheduler_running.load(Ordering::Relaxed) && !*self.stopping.borrow()
    }

    /// Stops taking work: workers finish the page in flight's transaction (a page is written
    /// whole or not at all) and stop at the next await.
    pub async fn stop(&self) {
        self.stopping.send_replace(true);
        self.sync_slots.close();
        let tasks: Vec<_> = self.workers().drain().map(|(_, w)| w.task).collect();
        for task in tasks {
            task.abort();
            let _ = task.await;
        }
    }
}
