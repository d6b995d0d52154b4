//! Timestamps and durations in words, for messages and status (UTC, second precision).

use ats_model::Timestamp;

/// A timestamp as `YYYY-MM-DD HH:MM:SS UTC`.
pub fn timestamp(at: Timestamp) -> String {
    time::OffsetDateTime::from_unix_timestamp(at)
        .ok()
        .and_then(|t| {
            t.format(time::macros::format_description!(
                "[year]-[month]-[day] [hour]:[minute]:[second] UTC"
            ))
            .ok()
        })
        .unwrap_or_else(|| at.to_string())
}

/// An optional timestamp, or a dash.
pub fn maybe_timestamp(at: Option<Timestamp>) -> String {
    at.map(timestamp).unwrap_or_else(|| "-".into())
}

/// A duration in seconds as `1h 02m`, `3m 05s` or `12s`.
pub fn duration(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, (seconds % 3600) / 60, seconds % 60);
    if h > 0 {
        format!("{h}h {m:02}m")
    } else if m > 0 {
        format!("{m}m {s:02}s")
    } else {
        format!("{s}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_times_and_durations() {
        assert_eq!(timestamp(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(duration(3725), "1h 02m");
        assert_eq!(duration(185), "3m 05s");
        assert_eq!(duration(7), "7s");
    }
}
