//! `wasi:logging/logging` for plugins: each line becomes a `tracing` event with target
//! `plugin`, the connection's name and the plugin's context, with every secret value of the
//! connection replaced by `[redacted]`.

use crate::bindings::wasi::logging::logging::{Host, Level};
use crate::secrets::Redactor;

/// Longest message kept; the rest is cut so one call cannot flood the logs.
const MAX_MESSAGE_BYTES: usize = 16 << 10;

pub(crate) struct PluginLog {
    pub(crate) connection: String,
    pub(crate) redactor: Redactor,
}

impl PluginLog {
    /// Emits one plugin log line (also used for the plugin's captured stderr).
    pub(crate) fn emit(&self, level: Level, context: &str, message: &str) {
        let mut cut = message.len().min(MAX_MESSAGE_BYTES);
        while !message.is_char_boundary(cut) {
            cut -= 1;
        }
        let message = self.redactor.redact(&message[..cut]);
        let context = self.redactor.redact(context);
        let connection = self.connection.as_str();
        match level {
            Level::Trace => tracing::trace!(target: "plugin", connection, context, "{message}"),
            Level::Debug => tracing::debug!(target: "plugin", connection, context, "{message}"),
            Level::Info => tracing::info!(target: "plugin", connection, context, "{message}"),
            Level::Warn => tracing::warn!(target: "plugin", connection, context, "{message}"),
            Level::Error | Level::Critical => {
                tracing::error!(target: "plugin", connection, context, "{message}")
            }
        }
    }
}

impl Host for PluginLog {
    fn log(&mut self, level: Level, context: String, message: String) -> wasmtime::Result<()> {
        self.emit(level, &context, &message);
        Ok(())
    }
}
