//! `wasi:logging/logging` for plugins: each line becomes a `tracing` event with target
//! `plugin`, the connection's name and the plugin's context, with every secret value of the
//! connection (and every value derived from one) replaced by `[redacted]`.
//!
//! A call may log `log_burst` lines at once, then `log_lines_per_second`, and at most
//! `max_log_bytes` in all; what is over is dropped and counted, and one line at the end of the
//! call says how much, so a plugin cannot flood the host's logs or disk.

use crate::bindings::wasi::logging::logging::{Host, Level};
use crate::limits::PluginLimits;
use crate::secrets::Redactor;
use std::time::Instant;

/// Longest message kept; the rest is cut so one line cannot flood the logs.
const MAX_MESSAGE_BYTES: usize = 16 << 10;

pub(crate) struct PluginLog {
    pub(crate) connection: String,
    pub(crate) redactor: Redactor,
    budget: LogBudget,
}

/// A token bucket for lines plus a byte allowance, per call.
struct LogBudget {
    per_second: f64,
    burst: f64,
    tokens: f64,
    refilled: Instant,
    bytes_left: usize,
    dropped_lines: u64,
    dropped_bytes: u64,
}

impl LogBudget {
    fn new(limits: &PluginLimits) -> LogBudget {
        let burst = f64::from(limits.log_burst.max(1));
        LogBudget {
            per_second: f64::from(limits.log_lines_per_second),
            burst,
            tokens: burst,
            refilled: Instant::now(),
            bytes_left: limits.max_log_bytes,
            dropped_lines: 0,
            dropped_bytes: 0,
        }
    }

    /// Whether a line of `bytes` may be emitted now; counts it as dropped otherwise.
    fn admit(&mut self, bytes: usize) -> bool {
        let now = Instant::now();
        let earned = now.duration_since(self.refilled).as_secs_f64() * self.per_second;
        self.tokens = (self.tokens + earned).min(self.burst);
        self.refilled = now;
        if self.tokens >= 1.0 && bytes <= self.bytes_left {
            self.tokens -= 1.0;
            self.bytes_left -= bytes;
            true
        } else {
            self.dropped_lines += 1;
            self.dropped_bytes = self.dropped_bytes.saturating_add(bytes as u64);
            false
        }
    }
}

impl PluginLog {
    pub(crate) fn new(connection: &str, redactor: Redactor, limits: &PluginLimits) -> PluginLog {
        PluginLog {
            connection: connection.to_string(),
            redactor,
            budget: LogBudget::new(limits),
        }
    }

    /// Emits one plugin log line (also used for the plugin's captured stderr).
    pub(crate) fn emit(&mut self, level: Level, context: &str, message: &str) {
        let mut cut = message.len().min(MAX_MESSAGE_BYTES);
        while !message.is_char_boundary(cut) {
            cut -= 1;
        }
        if !self
            .budget
            .admit(cut + context.len().min(MAX_MESSAGE_BYTES))
        {
            return;
        }
        let message = self.redactor.redact(&message[..cut]);
        let context = self
            .redactor
            .redact(crate::limits::cut_text(context, 256).as_str());
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

    /// Says how much the call's log lost to its bounds, once, at the end of the call.
    pub(crate) fn finish(&self, export: &str) {
        let b = &self.budget;
        if b.dropped_lines > 0 {
            tracing::warn!(
                connection = %self.connection,
                export,
                "dropped {} plugin log lines ({} bytes) of this call: over `log_lines_per_second`, `log_burst` or `max_log_bytes`",
                b.dropped_lines,
                b.dropped_bytes
            );
        }
    }

    /// Lines dropped so far in this call.
    #[cfg(test)]
    pub(crate) fn dropped(&self) -> u64 {
        self.budget.dropped_lines
    }
}

impl Host for PluginLog {
    fn log(&mut self, level: Level, context: String, message: String) -> wasmtime::Result<()> {
        self.emit(level, &context, &message);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_is_cut_to_the_burst_and_the_byte_allowance() {
        let limits = PluginLimits {
            log_burst: 100,
            log_lines_per_second: 0,
            ..PluginLimits::default()
        };
        let mut log = PluginLog::new("c", Redactor::default(), &limits);
        for _ in 0..10_000 {
            log.emit(Level::Debug, "", "line");
        }
        assert_eq!(log.dropped(), 9_900);

        let limits = PluginLimits {
            max_log_bytes: 64 << 10,
            ..PluginLimits::default()
        };
        let mut log = PluginLog::new("c", Redactor::default(), &limits);
        let big = "x".repeat(16 << 10);
        for _ in 0..100 {
            log.emit(Level::Debug, "", &big);
        }
        assert_eq!(log.dropped(), 96, "four 16 KiB lines fit in 64 KiB");
    }
}
