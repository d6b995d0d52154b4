//! iCIMS date-times ⇄ unix seconds.
//!
//! iCIMS writes every DATETIME as `yyyy-mm-dd hh:mm a` in UTC (`2015-09-30 02:07 PM`), minute
//! precision, 12-hour clock; real integrations also send single-digit hours (`2013-03-25 4:00 AM`).
//! DATEONLY values are `yyyy-mm-dd` (midnight UTC). icims-api.md §13.

/// Parses an iCIMS date-time or date (UTC) into unix seconds; `None` when it is not one.
pub fn parse(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, rest) = match text.split_once(char::is_whitespace) {
        Some((date, rest)) => (date, rest.trim()),
        None => (text, ""),
    };
    let days = parse_date(date)?;
    let seconds = if rest.is_empty() {
        0
    } else {
        parse_time(rest)?
    };
    Some(days * 86_400 + seconds)
}

/// Formats unix seconds as an iCIMS date-time (`2024-01-31 10:00 PM`, UTC), rounding down to
/// the minute — iCIMS cannot express seconds, so a search from this value never skips a change.
pub fn format(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let minute_of_day = unix_seconds.rem_euclid(86_400) / 60;
    let (year, month, day) = civil_from_days(days);
    let (hour24, minute) = (minute_of_day / 60, minute_of_day % 60);
    let hour12 = match hour24 % 12 {
        0 => 12,
        h => h,
    };
    let meridiem = if hour24 < 12 { "AM" } else { "PM" };
    format!("{year:04}-{month:02}-{day:02} {hour12:02}:{minute:02} {meridiem}")
}

fn parse_date(date: &str) -> Option<i64> {
    let mut parts = date.split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    // iCIMS writes four-digit years; a longer one is not a date, and would overflow the day
    // count below (a panic natively, a wrapped timestamp in the component).
    if parts.next().is_some() || !(0..=9999).contains(&year) || !(1..=12).contains(&month) {
        return None;
    }
    if day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

/// `hh:mm a` (12-hour, `AM`/`PM` in any case, space optional); a 24-hour `hh:mm` is accepted too.
fn parse_time(time: &str) -> Option<i64> {
    let upper = time.to_ascii_uppercase();
    let (clock, meridiem) = if let Some(clock) = upper.strip_suffix("AM") {
        (clock.trim(), Some(false))
    } else if let Some(clock) = upper.strip_suffix("PM") {
        (clock.trim(), Some(true))
    } else {
        (upper.trim(), None)
    };
    let (hour, minute) = clock.split_once(':')?;
    let hour: i64 = hour.parse().ok()?;
    // Tolerate seconds (`hh:mm:ss`), which iCIMS does not send but some tools do.
    let minute: i64 = minute.split(':').next()?.parse().ok()?;
    if !(0..60).contains(&minute) {
        return None;
    }
    let hour24 = match meridiem {
        Some(pm) => {
            if !(1..=12).contains(&hour) {
                return None;
            }
            (hour % 12) + if pm { 12 } else { 0 }
        }
        None if (0..24).contains(&hour) => hour,
        None => return None,
    };
    Some(hour24 * 3600 + minute * 60)
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_documented_examples() {
        assert_eq!(parse("2015-09-30 02:07 PM"), Some(1_443_622_020));
        assert_eq!(parse("2024-01-31 10:00 PM"), Some(1_706_738_400));
        assert_eq!(parse("1970-01-01 12:00 AM"), Some(0));
    }

    #[test]
    fn twelve_am_is_midnight_and_twelve_pm_is_noon() {
        assert_eq!(parse("2024-03-01 12:00 AM"), parse("2024-03-01"));
        assert_eq!(
            parse("2024-03-01 12:30 AM").unwrap() - parse("2024-03-01").unwrap(),
            1800
        );
        assert_eq!(
            parse("2024-03-01 12:00 PM").unwrap() - parse("2024-03-01").unwrap(),
            12 * 3600
        );
        assert_eq!(
            parse("2024-03-01 11:59 PM").unwrap() - parse("2024-03-01").unwrap(),
            86_340
        );
        assert_eq!(format(parse("2024-03-01").unwrap()), "2024-03-01 12:00 AM");
        assert_eq!(
            format(parse("2024-03-01").unwrap() + 12 * 3600),
            "2024-03-01 12:00 PM"
        );
        assert_eq!(
            format(parse("2024-03-01").unwrap() + 13 * 3600 + 5 * 60),
            "2024-03-01 01:05 PM"
        );
    }

    #[test]
    fn single_digit_hours_lowercase_and_no_space() {
        assert_eq!(parse("2013-03-25 4:00 AM"), parse("2013-03-25 04:00 AM"));
        assert_eq!(parse("2013-03-25 4:00 pm"), parse("2013-03-25 04:00 PM"));
        assert_eq!(parse("2013-03-25 4:00PM"), parse("2013-03-25 04:00 PM"));
        assert_eq!(parse("2013-03-25 16:00"), parse("2013-03-25 04:00 PM"));
    }

    #[test]
    fn rejects_nonsense() {
        for bad in [
            "",
            "yesterday",
            "2024-13-01",
            "2024-02-30",
            "2024-01-01 13:00 PM",
            "2024-01-01 0:10 AM",
            "2024-01-01 10:60 AM",
            "300000000000-1-1",
            "10000-01-01",
            "9223372036854775807-12-31 11:59 PM",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        assert!(parse("2024-02-29").is_some());
        assert!(parse("9999-12-31 11:59 PM").is_some());
        assert!(parse("2023-02-29").is_none());
    }

    #[test]
    fn format_rounds_down_to_the_minute_and_round_trips() {
        let t = parse("2024-07-04 09:41 AM").unwrap();
        assert_eq!(format(t + 59), "2024-07-04 09:41 AM");
        for t in [0, 951_782_400, 1_700_000_040, 4_102_444_800, -86_400] {
            assert_eq!(parse(&format(t)), Some(t), "{t}");
        }
    }
}
