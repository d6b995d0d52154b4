//! iCIMS date-times ⇄ unix seconds.
//!
//! iCIMS writes every DATETIME as `yyyy-mm-dd hh:mm a` in UTC (`2015-09-30 02:07 PM`), minute
//! precision, 12-hour clock; real integrations also send single-digit hours (`2013-03-25 4:00 AM`).
//! DATEONLY values are `yyyy-mm-dd` (midnight UTC). icims-api.md §13. The calendar is `time`'s.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime};

/// Parses an iCIMS date-time or date (UTC) into unix seconds; `None` when it is not one.
pub fn parse(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, rest) = match text.split_once(char::is_whitespace) {
        Some((date, rest)) => (date, rest.trim()),
        None => (text, ""),
    };
    let midnight = parse_date(date)?;
    let seconds = if rest.is_empty() {
        0
    } else {
        parse_time(rest)?
    };
    Some(midnight + seconds)
}

/// Formats unix seconds as an iCIMS date-time (`2024-01-31 10:00 PM`, UTC), rounding down to
/// the minute — iCIMS cannot express seconds, so a search from this value never skips a change.
/// Times beyond the years `time` represents are written as its first or last minute.
pub fn format(unix_seconds: i64) -> String {
    const FIRST: i64 = PrimitiveDateTime::MIN.assume_utc().unix_timestamp();
    const LAST: i64 = PrimitiveDateTime::MAX.assume_utc().unix_timestamp();
    let t = OffsetDateTime::from_unix_timestamp(unix_seconds.clamp(FIRST, LAST))
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let (year, month, day) = (t.year(), u8::from(t.month()), t.day());
    let (hour24, minute) = (t.hour(), t.minute());
    let hour12 = match hour24 % 12 {
        0 => 12,
        h => h,
    };
    let meridiem = if hour24 < 12 { "AM" } else { "PM" };
    format!("{year:04}-{month:02}-{day:02} {hour12:02}:{minute:02} {meridiem}")
}

/// Midnight UTC of a `yyyy-mm-dd` date, in unix seconds.
fn parse_date(date: &str) -> Option<i64> {
    let mut parts = date.split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    // iCIMS writes four-digit years; a longer one is not a date.
    if parts.next().is_some() || !(0..=9999).contains(&year) {
        return None;
    }
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    let date = Date::from_calendar_date(year as i32, month, u8::try_from(day).ok()?).ok()?;
    Some(date.midnight().assume_utc().unix_timestamp())
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
