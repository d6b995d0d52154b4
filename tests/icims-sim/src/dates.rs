//! iCIMS date and time text: `yyyy-mm-dd hh:mm a` (UTC, minute precision) for DATETIME
//! fields and search filters, `yyyy-mm-dd` for DATEONLY (icims-api.md §3.1, §5.2, §13).
//!
//! Hand-rolled civil-date arithmetic (Hinnant's algorithms) rather than `time` formatting:
//! these run once per rendered field on hot paths and must not allocate more than the output.

/// Days since 1970-01-01 for a proleptic Gregorian date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month, day) for days since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `2024-01-31 10:00 PM` for a unix timestamp in seconds (UTC; seconds are dropped).
pub fn format_datetime(unix_secs: i64) -> String {
    let days = unix_secs.div_euclid(86_400);
    let secs = unix_secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let (h24, min) = (secs / 3600, (secs % 3600) / 60);
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
    let (y, m, d) = civil_from_days(unix_secs.div_euclid(86_400));
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
    let y: i64 = parse_digits(parts.next()?, 4, 4)?;
    let m: u32 = parse_digits(parts.next()?, 1, 2)? as u32;
    let d: u32 = parse_digits(parts.next()?, 1, 2)? as u32;
    if parts.next().is_some() || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    let mut secs = days_from_civil(y, m, d) * 86_400;
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

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_icims() {
        // 2024-01-31 22:00 UTC
        let t = days_from_civil(2024, 1, 31) * 86_400 + 22 * 3600;
        assert_eq!(format_datetime(t), "2024-01-31 10:00 PM");
        assert_eq!(format_datetime(t - 22 * 3600), "2024-01-31 12:00 AM");
        assert_eq!(
            format_datetime(t - 10 * 3600 + 7 * 60),
            "2024-01-31 12:07 PM"
        );
        assert_eq!(format_date(t), "2024-01-31");
    }

    #[test]
    fn civil_round_trip() {
        for days in [-1000, 0, 59, 60, 11_016, 19_753, 20_000, 40_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn parses_filter_dates() {
        let midnight = days_from_civil(2013, 3, 25) * 86_400;
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
