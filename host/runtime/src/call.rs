//! One call into a plugin: a fresh store and instance, bounded in memory and time.
//!
//! A store per call means nothing leaks between calls (a crashed call leaves no broken
//! instance behind) and a connection's calls may run concurrently. Instantiation from the
//! plugin's `InstancePre` is cheap. Limits:
//! - memory: a `ResourceLimiter` refuses growth past the configured limit and remembers it,
//!   so the resulting trap is reported as [`CallError::OutOfMemory`];
//! - time: at every epoch tick the call yields to the executor (a busy plugin must not hold
//!   a thread) and is interrupted once past its deadline ([`CallError::Timeout`]); a
//!   `tokio::time::timeout` also covers time spent in host calls (HTTP);
//! - guest execution time: the ticks in which guest code ran are counted, and the call is
//!   interrupted past `call_cpu_time` ([`CallError::CpuTimeExceeded`]), so a busy loop stops
//!   in seconds while a slow ATS may still take its time;
//! - host-side resources: the resource table and each header map are capped
//!   (`max_resources`, `max_header_bytes`), logs are rate-limited ([`PluginLog`]).

use crate::bindings::{self, wit};
use crate::config;
use crate::engine::{EPOCH_TICK, RuntimeInner};
use crate::error::CallError;
use crate::keyvalue::{KeyValue, KeyValueState, KeyValueView};
use crate::logging::PluginLog;
use crate::outbound_http::{ConnectionHttp, OutboundHooks};
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};
use wasmtime::component::{HasSelf, Linker, ResourceTable};
use wasmtime::{Store, UpdateDeadline};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_config::WasiConfigVariables;
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpView};

/// Most of a plugin's stderr (panic messages) kept per call.
const STDERR_CAPACITY: usize = 256 << 10;

/// What one call's store holds.
pub(crate) struct HostState {
    wasi: WasiCtx,
    table: ResourceTable,
    http_ctx: WasiHttpCtx,
    hooks: OutboundHooks,
    pub(crate) config: Arc<WasiConfigVariables>,
    keyvalue: KeyValueState,
    log: PluginLog,
    limiter: MemoryLimiter,
    timed_out: bool,
    /// Epoch ticks in which guest code ran (an upper bound of its CPU time, per tick).
    busy_ticks: u64,
    cpu_exceeded: bool,
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl WasiHttpView for HostState {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: &mut self.http_ctx,
            table: &mut self.table,
            hooks: &mut self.hooks,
        }
    }
}

/// Links every import of the `ats:connector/plugin` world, once per runtime.
pub(crate) fn linker(engine: &wasmtime::Engine) -> wasmtime::Result<Linker<HostState>> {
    let mut linker = Linker::new(engine);
    // WASI p2 as Rust's std needs it (clocks, random, stdio, cli, filesystem, sockets). The
    // per-call `WasiCtx` below grants none of the sensitive parts.
    wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
    wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)?;
    config::add_to_linker(&mut linker)?;
    bindings::wasi::keyvalue::store::add_to_linker::<HostState, KeyValue>(&mut linker, |s| {
        KeyValueView {
            state: &s.keyvalue,
            table: &mut s.table,
        }
    })?;
    bindings::wasi::logging::logging::add_to_linker::<HostState, HasSelf<PluginLog>>(
        &mut linker,
        |s| &mut s.log,
    )?;
    Ok(linker)
}

/// What a call runs against: the connection's settings, storage, HTTP policy and logging.
#[derive(Clone)]
pub(crate) struct CallContext {
    pub(crate) connection: String,
    pub(crate) config: Arc<WasiConfigVariables>,
    pub(crate) storage: Arc<dyn crate::storage::PluginStorage>,
    pub(crate) http: Arc<ConnectionHttp>,
    pub(crate) redactor: crate::secrets::Redactor,
    pub(crate) limits: Arc<crate::PluginLimits>,
}

/// The future an export call returns, borrowing the instance and the store.
pub(crate) type ExportFuture<'a, T> =
    Pin<Box<dyn Future<Output = wasmtime::Result<T>> + Send + 'a>>;

/// A fresh, limited store for one call against `context`, and the pipe holding its stderr.
pub(crate) fn new_store(
    runtime: &RuntimeInner,
    context: &CallContext,
) -> (Store<HostState>, MemoryOutputPipe) {
    let limit = runtime.config.memory_limit_bytes;
    let stderr = MemoryOutputPipe::new(STDERR_CAPACITY);
    let mut wasi = WasiCtx::builder();
    // No preopened folders, no environment, no arguments, no sockets, no name lookup: the
    // builder's defaults already deny these; spelled out because this is the sandbox.
    wasi.stderr(stderr.clone())
        .allow_tcp(false)
        .allow_udp(false)
        .allow_ip_name_lookup(false);
    let mut table = ResourceTable::new();
    table.set_max_capacity(context.limits.max_resources.max(16));
    let mut http_ctx = WasiHttpCtx::new();
    http_ctx.set_field_size_limit(context.limits.max_header_bytes.max(1024));
    let state = HostState {
        wasi: wasi.build(),
        table,
        http_ctx,
        hooks: OutboundHooks {
            http: context.http.clone(),
        },
        config: context.config.clone(),
        keyvalue: KeyValueState {
            storage: context.storage.clone(),
            scope: context.connection.clone(),
            max_bytes: context.limits.max_storage_bytes,
        },
        log: PluginLog::new(
            &context.connection,
            context.redactor.clone(),
            &context.limits,
        ),
        limiter: MemoryLimiter { limit, hit: false },
        timed_out: false,
        busy_ticks: 0,
        cpu_exceeded: false,
    };
    let mut store = Store::new(&runtime.engine, state);
    store.limiter(|s| &mut s.limiter);
    (store, stderr)
}

/// Runs one export in a fresh instance and maps every failure to a [`CallError`].
pub(crate) async fn run<T>(
    runtime: &RuntimeInner,
    pre: &bindings::PluginPre<HostState>,
    context: &CallContext,
    export: &'static str,
    call: impl for<'a> FnOnce(&'a wit::Guest, &'a mut Store<HostState>) -> ExportFuture<'a, T>,
) -> Result<T, CallError> {
    let limit = runtime.config.memory_limit_bytes;
    let timeout = runtime.config.call_timeout;
    let (mut store, stderr) = new_store(runtime, context);
    let deadline = Instant::now() + timeout;
    let cpu = context.limits.call_cpu_time;
    let max_busy_ticks = (cpu.as_millis() / EPOCH_TICK.as_millis().max(1)).max(1) as u64;
    store.set_epoch_deadline(1);
    store.epoch_deadline_callback(move |mut store| {
        // Called only when guest code runs past a tick: a call waiting on HTTP is not busy.
        let state = store.data_mut();
        state.busy_ticks += 1;
        if Instant::now() >= deadline {
            state.timed_out = true;
            Ok(UpdateDeadline::Interrupt)
        } else if state.busy_ticks > max_busy_ticks {
            state.cpu_exceeded = true;
            Ok(UpdateDeadline::Interrupt)
        } else {
            Ok(UpdateDeadline::Yield(1))
        }
    });

    let started = Instant::now();
    let outcome = tokio::time::timeout(timeout, async {
        let instance = pre
            .instantiate_async(&mut store)
            .await
            .map_err(|e| (true, e))?;
        let guest = instance.ats_connector_connector();
        call(guest, &mut store).await.map_err(|e| (false, e))
    })
    .await;

    forward_stderr(&mut store.data_mut().log, &stderr);
    store.data().log.finish(export);
    let state = store.data();
    match outcome {
        Ok(Ok(value)) => Ok(value),
        Err(_elapsed) => Err(timed_out(&context.connection, export, started.elapsed())),
        Ok(Err((_, _))) if state.timed_out => {
            Err(timed_out(&context.connection, export, started.elapsed()))
        }
        Ok(Err((_, _))) if state.cpu_exceeded => {
            tracing::warn!(connection = %context.connection, export, "plugin call stopped: it ran guest code for more than {cpu:?} (`call_cpu_time`)");
            Err(CallError::CpuTimeExceeded { limit: cpu })
        }
        Ok(Err((_, _))) if state.limiter.hit => {
            tracing::warn!(connection = %context.connection, export, "plugin call ran out of memory (limit {limit} bytes)");
            Err(CallError::OutOfMemory { limit_bytes: limit })
        }
        Ok(Err((true, e))) => Err(CallError::Instantiate(format!("{e:#}"))),
        Ok(Err((false, e))) => {
            if let Some(bound) = host_bound_hit(&e, &context.limits) {
                tracing::warn!(connection = %context.connection, export, "plugin call stopped: {bound}");
                return Err(CallError::HostBound { bound });
            }
            if let Some(function) = stack_overflow_in(&e) {
                tracing::warn!(connection = %context.connection, export, "plugin call failed: stack overflow in {function}");
                return Err(CallError::StackOverflow { function });
            }
            let mut message = match e.downcast_ref::<wasmtime::Trap>() {
                Some(trap) => trap.to_string(),
                None => crate::limits::cut_text(&format!("{e:#}"), 4096),
            };
            if let Some(panic) = panic_line(&stderr) {
                let panic = crate::limits::cut_text(&panic, context.limits.max_error_text_bytes);
                message = format!("{message} ({})", context.redactor.redact(&panic));
            }
            tracing::warn!(connection = %context.connection, export, "plugin call failed: {message}");
            Err(CallError::Trap { message })
        }
    }
}

fn timed_out(connection: &str, export: &str, after: Duration) -> CallError {
    tracing::warn!(
        connection,
        export,
        "plugin call stopped after {after:?} (call timeout)"
    );
    CallError::Timeout { after }
}

/// Which host-side bound stopped the call, in words naming the setting, when wasmtime's own
/// enforcement of it trapped the call (resource table full, header map too large).
fn host_bound_hit(error: &wasmtime::Error, limits: &crate::PluginLimits) -> Option<String> {
    let text = format!("{error:#}");
    if text.contains("resource table has no free keys") {
        return Some(format!(
            "the plugin held more than {} wasi resources (header maps, requests, bodies, pollables) at once (limit `max_resources`)",
            limits.max_resources
        ));
    }
    if text.contains("fields exceeds limit") {
        return Some(format!(
            "the plugin built a header map larger than {} bytes (limit `max_header_bytes`)",
            limits.max_header_bytes
        ));
    }
    None
}

/// Of the innermost frames wasmtime keeps in a backtrace (20 by default), this many in one
/// function mean a runaway recursion: a Rust plugin's stack lives in its linear memory, so
/// overflowing it shows up as an out-of-bounds access, not as wasmtime's own stack overflow.
const RECURSION_FRAMES: usize = 12;

/// The function that overflowed the stack, when `error` is a stack overflow: wasmtime's own
/// (the native stack for wasm frames ran out) or a plugin's shadow stack running off its
/// memory in a recursion.
fn stack_overflow_in(error: &wasmtime::Error) -> Option<String> {
    let frames = error
        .downcast_ref::<wasmtime::WasmBacktrace>()
        .map(|b| b.frames())
        .unwrap_or_default();
    let name = |index: u32| {
        frames
            .iter()
            .find(|f| f.func_index() == index)
            .and_then(|f| f.func_name())
            .map_or_else(|| format!("wasm function {index}"), str::to_string)
    };
    let recursing = || {
        let mut counts = std::collections::BTreeMap::<u32, usize>::new();
        for frame in frames {
            *counts.entry(frame.func_index()).or_default() += 1;
        }
        counts
            .into_iter()
            .find(|(_, n)| *n >= RECURSION_FRAMES)
            .map(|(index, _)| name(index))
    };
    match error.downcast_ref::<wasmtime::Trap>() {
        Some(wasmtime::Trap::StackOverflow) => {
            Some(recursing().unwrap_or_else(|| "the plugin".into()))
        }
        Some(wasmtime::Trap::MemoryOutOfBounds) => recursing(),
        _ => None,
    }
}

/// Sends what the plugin wrote to stderr to the logs, line by line.
fn forward_stderr(log: &mut PluginLog, stderr: &MemoryOutputPipe) {
    let bytes = stderr.contents();
    for line in String::from_utf8_lossy(&bytes)
        .lines()
        .filter(|l| !l.trim().is_empty())
    {
        log.emit(
            bindings::wasi::logging::logging::Level::Warn,
            "stderr",
            line,
        );
    }
}

/// The `panicked at …` line (and the message after it) of a Rust plugin, if it panicked.
fn panic_line(stderr: &MemoryOutputPipe) -> Option<String> {
    let bytes = stderr.contents();
    let text = String::from_utf8_lossy(&bytes);
    let mut lines = text.lines().skip_while(|l| !l.contains("panicked at"));
    let first = lines.next()?;
    let detail = lines.next().unwrap_or_default();
    Some(
        format!("{} {}", first.trim(), detail.trim())
            .trim()
            .to_string(),
    )
}

/// Refuses memory growth past the limit, and remembers that it did.
struct MemoryLimiter {
    limit: usize,
    hit: bool,
}

impl wasmtime::ResourceLimiter for MemoryLimiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.limit {
            self.hit = true;
            return Ok(false);
        }
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= 1_000_000)
    }
}
