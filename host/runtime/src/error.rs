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
    /// The call was stopped at a bound on a host-side resource (see `PluginLimits`).
    #[error("the plugin call was stopped: {bound}; report it to the connector's maintainers")]
    HostBound { bound: String },
    /// The plugin's stack overflowed (runaway recursion).
    #[error(
        "the plugin crashed: stack overflow (runaway recursion in `{function}`); report it to the connector's maintainers"
    )]
    StackOverflow { function: String },
    /// The plugin tried to use more memory than the configured limit.
    #[error("the plugin ran out of memory (limit {limit_bytes} bytes)")]
    OutOfMemory { limit_bytes: usize },
    /// A fresh instance could not be created for the call.
    #[error("cannot instantiate the plugin: {0}")]
    Instantiate(String),
    /// The plugin returned more than a limit allows (`PluginLimits`); none of it was kept.
    #[error(
        "the plugin returned {what} of {size} (limit {limit}, `{setting}`): report it to the connector's maintainers (raising `{setting}` lets it through)"
    )]
    ReturnedTooLarge {
        /// What was too large, in words: "candidate `4711`", "a page".
        what: String,
        size: Amount,
        limit: Amount,
        /// The `PluginLimits` setting that raises the limit.
        setting: &'static str,
    },
    /// The plugin returned a value the host cannot use (an id that is empty, too long or holds
    /// a control character); none of the answer was kept.
    #[error(
        "the plugin returned {what}, which {problem}: report it to the connector's maintainers"
    )]
    ReturnedInvalid { what: String, problem: String },
}

/// How much of something a plugin returned, or a limit allows, as messages print it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Amount {
    /// `104,857,612 bytes`; a whole number of KiB or MiB prints as `8 MiB`.
    Bytes(usize),
    /// `20,000 records`.
    Items { count: usize, of: &'static str },
}

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Amount::Bytes(n) if n >= 1 << 20 && n.is_multiple_of(1 << 20) => {
                write!(f, "{} MiB", grouped(n >> 20))
            }
            Amount::Bytes(n) if n >= 1 << 10 && n.is_multiple_of(1 << 10) => {
                write!(f, "{} KiB", grouped(n >> 10))
            }
            Amount::Bytes(1) => f.write_str("1 byte"),
            Amount::Bytes(n) => write!(f, "{} bytes", grouped(n)),
            Amount::Items { count, of } => write!(f, "{} {of}", grouped(count)),
        }
    }
}

/// `104857612` as `104,857,612`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_print_as_people_read_them() {
        assert_eq!(Amount::Bytes(104_857_612).to_string(), "104,857,612 bytes");
        assert_eq!(Amount::Bytes(8 << 20).to_string(), "8 MiB");
        assert_eq!(Amount::Bytes(64 << 10).to_string(), "64 KiB");
        assert_eq!(Amount::Bytes(999).to_string(), "999 bytes");
        assert_eq!(Amount::Bytes(0).to_string(), "0 bytes");
        assert_eq!(Amount::Bytes(1).to_string(), "1 byte");
        let records = |count| Amount::Items {
            count,
            of: "records",
        };
        assert_eq!(records(10_000).to_string(), "10,000 records");
        assert_eq!(records(1_000_000).to_string(), "1,000,000 records");
    }
}
