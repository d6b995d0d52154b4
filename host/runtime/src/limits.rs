//! The bounds the host puts on every resource a plugin can make it spend.
//!
//! A plugin is untrusted code: its linear memory is limited by wasmtime, but what it makes the
//! *host* hold (wasi resources, buffered request bodies, requests in flight, log lines, stored
//! values, the values it returns) lives outside that memory. Each bound here is a setting with
//! a safe default; exceeding one fails that call (or that request) with an error naming the
//! bound and the setting that raises it, and never takes the process or another connection
//! down.
//!
//! | bound | default | per |
//! | --- | --- | --- |
//! | `call_cpu_time` | 30 s of guest execution | call |
//! | `max_resources` | 4,096 wasi resources (fields, requests, bodies, pollables…) | call |
//! | `max_header_bytes` | 64 KiB per `wasi:http` `fields` | fields |
//! | `max_buffered_request_bytes` | 64 MiB of request bodies held at once | connection |
//! | `max_requests_in_flight` | 64 | connection |
//! | `log_lines_per_second` / `log_burst` | 200 / 1,000 | call |
//! | `max_log_bytes` | 4 MiB | call |
//! | `max_storage_bytes` | 64 MiB of keyvalue | connection |
//! | `max_record_bytes` | 8 MiB | record |
//! | `max_page_records` / `max_page_bytes` | 10,000 / 128 MiB | page |
//! | `max_error_text_bytes` | 8 KiB (longer texts are cut) | error |
//!
//! The last four settings bound what a plugin returns; `returned` enforces them on every export's
//! answer.

use std::time::Duration;

/// Bounds on what one connection's plugin can make the host spend. See the module docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginLimits {
    /// Longest time one call may execute guest code (time spent waiting for HTTP answers is not
    /// counted; the wall-clock `call_timeout` bounds that). A busy loop fails after this.
    pub call_cpu_time: Duration,
    /// Most `wasi` resources (header fields, requests, bodies, pollables) one call may hold.
    pub max_resources: usize,
    /// Largest size of one `wasi:http` `fields` (header names and values together).
    pub max_header_bytes: usize,
    /// Most bytes of request bodies the host buffers for one connection at once.
    pub max_buffered_request_bytes: usize,
    /// Most requests one connection may have in flight at once; more wait their turn.
    pub max_requests_in_flight: usize,
    /// Log lines per second one call may emit (after a burst of `log_burst`); more are dropped
    /// and counted.
    pub log_lines_per_second: u32,
    /// Log lines one call may emit at once before the per-second rate applies.
    pub log_burst: u32,
    /// Most bytes of log text one call may emit; the rest is dropped and counted.
    pub max_log_bytes: usize,
    /// Most bytes (keys and values) one connection may keep in plugin storage.
    pub max_storage_bytes: u64,
    /// Largest record a plugin may return, by its footprint: its texts' bytes plus 48 per
    /// field, list item and number, at least its JSON size for plain text (`returned`).
    pub max_record_bytes: usize,
    /// Most records in one page; also most ids in an id page or in `gone`, candidates found
    /// and records named by an event.
    pub max_page_records: usize,
    /// Largest page (its records' footprints together; `gone` and id-page ids count too).
    pub max_page_bytes: usize,
    /// Longest text (error message, report detail) kept from a plugin; longer is cut.
    pub max_error_text_bytes: usize,
}

impl Default for PluginLimits {
    fn default() -> Self {
        PluginLimits {
            call_cpu_time: Duration::from_secs(30),
            max_resources: 4096,
            max_header_bytes: 64 << 10,
            max_buffered_request_bytes: 64 << 20,
            max_requests_in_flight: 64,
            log_lines_per_second: 200,
            log_burst: 1000,
            max_log_bytes: 4 << 20,
            max_storage_bytes: 64 << 20,
            max_record_bytes: 8 << 20,
            max_page_records: 10_000,
            max_page_bytes: 128 << 20,
            max_error_text_bytes: 8 << 10,
        }
    }
}

/// Cuts `text` to at most `max` bytes on a character boundary, saying how much was cut.
pub fn cut_text(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… [{} more bytes cut]", &text[..end], text.len() - end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_kept_and_long_text_is_cut_on_a_char_boundary() {
        assert_eq!(cut_text("abc", 8), "abc");
        let cut = cut_text("ééééé", 3);
        assert!(cut.starts_with("é…"), "{cut}");
        assert!(cut.contains("8 more bytes cut"), "{cut}");
    }
}
