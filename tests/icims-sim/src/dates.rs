//! iCIMS date and time text: `yyyy-mm-dd hh:mm a` (UTC, minute precision) for DATETIME
//! fields and search filters, `yyyy-mm-dd` for DATEONLY (icims-api.md §3.1, §5.2, §13).
//!
//! The calendar is `time`'s; the text is written by hand rather than through `time`'s format
//! descriptions: these run once per rendered field on hot paths and must not allocate more than
//! the output.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime};

/// The UTC date-time of a unix timestamp, clamped to the years `time` represents.
fn utc(unix_secs: i64) -> OffsetDateTime {
    const FIRST: i64 = PrimitiveDateTime::MIN.assume_utc().unix_timestamp();
    const LAST: i64 = PrimitiveDateTime::MAX.assume_utc().unix_timestamp();
    OffsetDateTime::from_unix_timestamp(unix_secs.clamp(FIRST, LAST))
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The UTC year of a unix timestamp in seconds.
pub fn year(unix_secs: i64) -> i32 {
    utc(unix_secs).year()
}

/// `2024-01-31 10:00 PM` for a unix timestamp in seconds (UTC; seconds are dropped).
pub fn format_datetime(unix_secs: i64) -> String {
    let t = utc(unix_secs);
    let (y, m, d) = (t.year(), u8::from(t.month()), t.day());
    let (h24, min) = (t.hour(), t.minute());
    let (h12, ampm) = match h24 {
        0 => (12, "AM"),
        1..=11 => (h24, "AM"),
        12 => (12, "PM"),
        _ => (h24 - 12, "PM"),
    };
    format!("{y:04}-{m:02}-{d:02} {h12:02}:{min:02} {ampm}")
}

/// `2024-01-31` for a unix timestamp in seconds (UTC).
pub fn format_date(unix_secs: i64) -> String {
    let t = utc(unix_secs);
    let (y, m, d) = (t.year(), u8::from(t.month()), t.day());
    format!("{y:04}-{m:02}-{d:02}")
}

/// Parses a search-filter or field date: `yyyy-MM-dd hh:mm a` (hour may be one digit, AM/PM in
/// any case) or `yyyy-MM-dd` (midnight). Always UTC. `None` when it does not parse; callers
/// decide what that means (search: the bound is ignored, §5.2).
pub fn parse_datetime(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, rest) = match text.split_once(' ') {
        Some((d, r)) => (d, Some(r.trim())),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let y = parse_digits(parts.next()?, 4, 4)?;
    let m = parse_digits(parts.next()?, 1, 2)?;
    let d = parse_digits(parts.next()?, 1, 2)?;
    if parts.next().is_some() {
        return None;
    }
    // Four digits, one or two: each fits; `time` rejects a month or day the calendar lacks.
    let month = Month::try_from(m as u8).ok()?;
    let date = Date::from_calendar_date(y as i32, month, d as u8).ok()?;
    let mut secs = date.midnight().assume_utc().unix_timestamp();
    if let Some(rest) = rest {
        let (clock, ampm) = rest.split_once(' ')?;
        let (h, mi) = clock.split_once(':')?;
        let h = parse_digits(h, 1, 2)?;
        let mi = parse_digits(mi, 2, 2)?;
        if !(1..=12).contains(&h) || mi > 59 {
            return None;
        }
        let pm = if ampm.trim().eq_ignore_ascii_case("PM") {
            true
        } else if ampm.trim().eq_ignore_ascii_case("AM") {
            false
        } else {
            return None;
        };
        let h24 = (h % 12) + if pm { 12 } else { 0 };
        secs += h24 * 3600 + mi * 60;
    }
    Some(secs)
}

fn parse_digits(s: &str, min: usize, max: usize) -> Option<i64> {
    if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn formats_like_icims() {
        // 2024-01-31 22:00 UTC
        let t = datetime!(2024-01-31 22:00 UTC).unix_timestamp();
        assert_eq!(format_datetime(t), "2024-01-31 10:00 PM");
        assert_eq!(format_datetime(t - 22 * 3600), "2024-01-31 12:00 AM");
        assert_eq!(
            format_datetime(t - 10 * 3600 + 7 * 60),
            "2024-01-31 12:07 PM"
        );
        assert_eq!(format_date(t), "2024-01-31");
    }

    #[test]
    fn dates_round_trip() {
        for days in [-1000, 0, 59, 60, 11_016, 19_753, 20_000, 40_000] {
            let t = days * 86_400;
            assert_eq!(parse_datetime(&format_date(t)), Some(t));
        }
        assert_eq!(year(-1000 * 86_400), 1967);
    }

    #[test]
    fn parses_filter_dates() {
        let midnight = datetime!(2013-03-25 0:00 UTC).unix_timestamp();
        assert_eq!(parse_datetime("2013-03-25"), Some(midnight));
        assert_eq!(
            parse_datetime("2013-03-25 4:00 AM"),
            Some(midnight + 4 * 3600)
        );
        assert_eq!(
            parse_datetime("2013-03-25 04:00 am"),
            Some(midnight + 4 * 3600)
        );
        assert_eq!(parse_datetime("2013-03-25 12:00 AM"), Some(midnight));
        assert_eq!(
            parse_datetime("2013-03-25 12:30 PM"),
            Some(midnight + 12 * 3600 + 1800)
        );
        assert_eq!(
            parse_datetime("2013-03-25 11:59 PM"),
            Some(midnight + 86_340)
        );
    }

    #[test]
    fn rejects_bad_dates() {
        for bad in [
            "",
            "yesterday",
            "2013-13-01",
            "2013-02-30",
            "2013-03-25 13:00 PM",
            "2013-03-25 4:00",
            "2013-03-25T04:00:00Z",
            "2013-03-25 4:0 AM",
            "03/25/2013",
        ] {
            assert_eq!(parse_datetime(bad), None, "{bad}");
        }
    }
}
