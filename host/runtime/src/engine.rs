//! The runtime: one wasmtime engine, one linker and one HTTP client shared by every plugin and
//! connection, plus the epoch ticker that bounds how long a call may run.

use crate::call::HostState;
use crate::error::RuntimeError;
use crate::outbound_http::HttpClientConfig;
use crate::outbound_http::send::HttpClient;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use wasmtime::component::Linker;

/// How often the engine's epoch advances. A running call checks its deadline, and yields to
/// the async executor, at every tick.
pub(crate) const EPOCH_TICK: Duration = Duration::from_millis(10);

/// How the runtime runs plugins.
#[derive(Debug, Clone)]
pub struct RuntimeConfig {
    /// Where compiled plugins are cached (`<sha256>-<engine>.cwasm`). Created when missing.
    pub cache_dir: PathBuf,
    /// The most linear memory one call may use. Default 256 MiB.
    pub memory_limit_bytes: usize,
    /// The longest one call may run, wall clock, HTTP included. Default 10 minutes.
    pub call_timeout: Duration,
    /// Timeouts and pooling of outgoing HTTP.
    pub http: HttpClientConfig,
    /// Bounds on what a plugin can make the host spend; a connection may override them.
    pub limits: crate::PluginLimits,
}

impl RuntimeConfig {
    /// The defaults, caching compiled plugins in `cache_dir`.
    pub fn new(cache_dir: impl Into<PathBuf>) -> RuntimeConfig {
        RuntimeConfig {
            cache_dir: cache_dir.into(),
            memory_limit_bytes: 256 << 20,
            call_timeout: Duration::from_secs(600),
            http: HttpClientConfig::default(),
            limits: crate::PluginLimits::default(),
        }
    }
}

impl Default for RuntimeConfig {
    /// The defaults, caching in [`RuntimeConfig::default_cache_dir`].
    fn default() -> RuntimeConfig {
        RuntimeConfig::new(RuntimeConfig::default_cache_dir())
    }
}

impl RuntimeConfig {
    /// `$XDG_CACHE_HOME/ats`, else `~/.cache/ats`, else `<temp>/ats-cache`.
    pub fn default_cache_dir() -> PathBuf {
        let non_empty = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        if let Some(xdg) = non_empty("XDG_CACHE_HOME") {
            return PathBuf::from(xdg).join("ats");
        }
        if let Some(home) = non_empty("HOME") {
            return PathBuf::from(home).join(".cache").join("ats");
        }
        std::env::temp_dir().join("ats-cache")
    }
}

/// Runs plugins. Cheap to clone: clones share the engine, the compiled-code cache and the
/// HTTP connection pool.
#[derive(Clone)]
pub struct Runtime {
    pub(crate) inner: Arc<RuntimeInner>,
}

pub(crate) struct RuntimeInner {
    pub(crate) engine: wasmtime::Engine,
    pub(crate) linker: Linker<HostState>,
    pub(crate) config: RuntimeConfig,
    pub(crate) http: HttpClient,
    _ticker: EpochTicker,
}

impl Runtime {
    /// Creates the engine (component model, async, epoch interruption), links the host's
    /// capabilities and starts the epoch ticker thread.
    pub fn new(config: RuntimeConfig) -> Result<Runtime, RuntimeError> {
        let mut wasm = wasmtime::Config::new();
        wasm.wasm_component_model(true);
        wasm.epoch_interruption(true);
        // For profiling guests with `perf`: names compiled wasm functions in /tmp/perf-<pid>.map.
        if std::env::var_os("ATS_WASM_PERFMAP").is_some() {
            wasm.profiler(wasmtime::ProfilingStrategy::PerfMap);
        }
        let engine =
            wasmtime::Engine::new(&wasm).map_err(|e| RuntimeError::Engine(format!("{e:#}")))?;
        let linker =
            crate::call::linker(&engine).map_err(|e| RuntimeError::Engine(format!("{e:#}")))?;
        let http = HttpClient::new(&config.http)?;
        if let Err(e) = std::fs::create_dir_all(&config.cache_dir) {
            tracing::warn!(
                cache_dir = %config.cache_dir.display(),
                "cannot create the plugin cache folder, plugins will be compiled on every load: {e}"
            );
        }
        let ticker = EpochTicker::start(engine.clone());
        Ok(Runtime {
            inner: Arc::new(RuntimeInner {
                engine,
                linker,
                config,
                http,
                _ticker: ticker,
            }),
        })
    }

    /// The configuration this runtime was created with.
    pub fn config(&self) -> &RuntimeConfig {
        &self.inner.config
    }
}

/// Advances the engine's epoch every [`EPOCH_TICK`] until dropped.
///
/// Async wasm runs inside `Future::poll`: a plugin stuck in a loop would hold its executor
/// thread forever. Each tick makes running code check its deadline and yield, so a runaway call
/// is stopped on time and other calls keep running meanwhile.
struct EpochTicker {
    stop: Arc<AtomicBool>,
}

impl EpochTicker {
    fn start(engine: wasmtime::Engine) -> EpochTicker {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let spawned = std::thread::Builder::new()
            .name("ats-epoch-ticker".into())
            .spawn(move || {
                while !flag.load(Ordering::Relaxed) {
                    std::thread::sleep(EPOCH_TICK);
                    engine.increment_epoch();
                }
            });
        if let Err(e) = spawned {
            tracing::error!(
                "cannot start the epoch ticker thread, call timeouts rely on tokio only: {e}"
            );
        }
        EpochTicker { stop }
    }
}

impl Drop for EpochTicker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}
