//! The errors of the runtime's boundary, typed so callers can match on them.
//!
//! [`RuntimeError`] is about loading a plugin or setting up a connection (fix the file or the
//! configuration); [`CallError`] is about one call into a plugin (the call failed, the host and
//! other connections did not).

use std::path::PathBuf;
use std::time::Duration;

/// Loading a plugin or setting up a connection failed.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error("plugin file {} does not exist", path.display())]
    PluginNotFound { path: PathBuf },
    #[error("cannot read plugin file {}: {source}", path.display())]
    ReadPlugin {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{} is a core WebAssembly module, not a component: build the plugin for the wasm32-wasip2 target",
        path.display()
    )]
    CoreModule { path: PathBuf },
    #[error("{} is not a WebAssembly component: {detail}", path.display())]
    NotAComponent { path: PathBuf, detail: String },
    #[error("{} does not implement the ats:connector/plugin world: {detail}", path.display())]
    WrongWorld { path: PathBuf, detail: String },
    #[error("{} needs an import this host does not provide: {detail}", path.display())]
    UnsupportedImport { path: PathBuf, detail: String },
    #[error("cannot set up the WebAssembly engine: {0}")]
    Engine(String),
    #[error("cannot set up the HTTP client: {0}")]
    HttpClient(String),
    #[error("connection `{connection}`: required setting `{key}` is missing")]
    MissingSetting { connection: String, key: String },
    #[error("connection `{connection}`: required secret `{key}` is missing")]
    MissingSecret { connection: String, key: String },
    #[error("connection `{connection}`: {detail}")]
    InvalidConnection { connection: String, detail: String },
    /// The plugin asked for destinations the operator did not grant.
    #[error("connection `{connection}`: {detail}")]
    NotGranted { connection: String, detail: String },
    /// The plugin file changed since the operator connected it.
    #[error(
        "connection `{connection}`: the plugin {} changed since it was connected (sha256 {expected} then, {found} now); it is not run until an operator reviews it with `ats connect <file>` again",
        path.display()
    )]
    PluginChanged {
        connection: String,
        path: PathBuf,
        expected: String,
        found: String,
    },
    #[error("connection `{connection}`: describing the plugin failed: {source}")]
    Describe {
        connection: String,
        #[source]
        source: CallError,
    },
}

/// One call into a plugin failed. The plugin, its other connections and the host keep working.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    /// The connector answered with a typed error.
    #[error(transparent)]
    Connector(ats_model::ConnectorError),
    /// The plugin crashed (a WebAssembly trap: panic, unreachable, out-of-bounds access).
    #[error("the plugin crashed: {message}")]
    Trap { message: String },
    /// The call ran longer than the configured call timeout and was stopped.
    #[error("the plugin call was stopped after {after:?} (call timeout)")]
    Timeout { after: Duration },
    /// The call ran guest code for longer than `call_cpu_time` (a busy loop, say).
    #[error(
        "the plugin call was stopped after running for more than {limit:?} (`call_cpu_time`): the plugin is busy in a loop or far slower than it should be; report it to the connector's maintainers"
    )]
    CpuTimeExceeded { limit: Duration },
    /// The plugin's stack overflowed (runaway recursion).
    #[error(
        "the plugin crashed: stack overflow ({depth} nested calls); report it to the connector's maintainers"
    )]
    StackOverflow { depth: usize },
    /// The plugin tried to use more memory than the configured limit.
    #[error("the plugin ran out of memory (limit {limit_bytes} bytes)")]
    OutOfMemory { limit_bytes: usize },
    /// A fresh instance could not be created for the call.
    #[error("cannot instantiate the plugin: {0}")]
    Instantiate(String),
}

/// The plugin storage backend failed.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("storage backend: {0}")]
    Backend(String),
}

impl From<rusqlite::Error> for StorageError {
    fn from(e: rusqlite::Error) -> StorageError {
        StorageError::Backend(e.to_string())
    }
}
