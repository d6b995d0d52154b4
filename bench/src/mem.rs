//! Process memory from /proc/self/status.

fn field_kib(name: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with(name))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Resident set size now, bytes.
pub fn rss() -> u64 {
    field_kib("VmRSS:").unwrap_or(0) * 1024
}

/// Peak resident set size (VmHWM), bytes.
pub fn hwm() -> u64 {
    field_kib("VmHWM:").unwrap_or(0) * 1024
}

/// Resets VmHWM to the current RSS (writing 5 to /proc/self/clear_refs). False if refused.
pub fn reset_hwm() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

pub fn mib(bytes: u64) -> String {
    format!("{:.0} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// Total memory of the machine, bytes.
pub fn mem_total() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
        })
        .unwrap_or(0)
        * 1024
}
