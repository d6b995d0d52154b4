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

impl PluginLimits {
    /// The names operators use for each bound (a connection file's `[limits]`), with the unit.
    pub const NAMES: &'static [(&'static str, &'static str)] = &[
        ("call_cpu_seconds", "seconds"),
        ("max_resources", "resources"),
        ("max_header_bytes", "bytes"),
        ("max_buffered_request_bytes", "bytes"),
        ("max_requests_in_flight", "requests"),
        ("log_lines_per_second", "lines"),
        ("log_burst", "lines"),
        ("max_log_bytes", "bytes"),
        ("max_storage_bytes", "bytes"),
        ("max_record_bytes", "bytes"),
        ("max_page_records", "records"),
        ("max_page_bytes", "bytes"),
        ("max_error_text_bytes", "bytes"),
    ];

    /// These limits with some replaced by name (see [`PluginLimits::NAMES`]). The error names
    /// an unknown bound, or a zero one, and lists the known names.
    pub fn with_overrides<'a>(
        &self,
        overrides: impl IntoIterator<Item = (&'a String, &'a u64)>,
    ) -> Result<PluginLimits, String> {
        let mut limits = self.clone();
        for (name, &value) in overrides {
            if value == 0 {
                return Err(format!(
                    "limit `{name}` is 0: every bound must be at least 1"
                ));
            }
            let size = usize::try_from(value).unwrap_or(usize::MAX);
            let count = u32::try_from(value).unwrap_or(u32::MAX);
            match name.as_str() {
                "call_cpu_seconds" => limits.call_cpu_time = Duration::from_secs(value),
                "max_resources" => limits.max_resources = size,
                "max_header_bytes" => limits.max_header_bytes = size,
                "max_buffered_request_bytes" => limits.max_buffered_request_bytes = size,
                "max_requests_in_flight" => limits.max_requests_in_flight = size,
                "log_lines_per_second" => limits.log_lines_per_second = count,
                "log_burst" => limits.log_burst = count,
                "max_log_bytes" => limits.max_log_bytes = size,
                "max_storage_bytes" => limits.max_storage_bytes = value,
                "max_record_bytes" => limits.max_record_bytes = size,
                "max_page_records" => limits.max_page_records = size,
                "max_page_bytes" => limits.max_page_bytes = size,
                "max_error_text_bytes" => limits.max_error_text_bytes = size,
                other => {
                    let known: Vec<&str> = Self::NAMES.iter().map(|(n, _)| *n).collect();
                    return Err(format!(
                        "unknown limit `{other}`: the known limits are {}",
                        known.join(", ")
                    ));
                }
            }
        }
        Ok(limits)
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
    fn overrides_by_name_and_unknown_names_are_refused() {
        let overrides = std::collections::BTreeMap::from([
            ("call_cpu_seconds".to_string(), 5u64),
            ("max_requests_in_flight".to_string(), 8u64),
        ]);
        let limits = PluginLimits::default().with_overrides(&overrides).unwrap();
        assert_eq!(limits.call_cpu_time, Duration::from_secs(5));
        assert_eq!(limits.max_requests_in_flight, 8);
        let bad = std::collections::BTreeMap::from([("max_cpu".to_string(), 5u64)]);
        let error = PluginLimits::default().with_overrides(&bad).unwrap_err();
        assert!(
            error.contains("`max_cpu`") && error.contains("call_cpu_seconds"),
            "{error}"
        );
        let zero = std::collections::BTreeMap::from([("log_burst".to_string(), 0u64)]);
        assert!(PluginLimits::default().with_overrides(&zero).is_err());
    }

    #[test]
    fn short_text_is_kept_and_long_text_is_cut_on_a_char_boundary() {
        assert_eq!(cut_text("abc", 8), "abc");
        let cut = cut_text("ééééé", 3);
        assert!(cut.starts_with("é…"), "{cut}");
        assert!(cut.contains("8 more bytes cut"), "{cut}");
    }
}
