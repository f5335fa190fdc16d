//! Calendar dates for dated rule data (office-holders' terms of office).
//!
//! The core never reads the clock (it must run the same in wasm and natively): callers pass
//! "today" in, as a [`Date`] built from a string or from days since the Unix epoch.

use std::fmt;

/// A proleptic Gregorian date. Ordered chronologically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`. Rejects impossible dates such as `2025-02-30`.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !(all_digits(y) && all_digits(m) && all_digits(d)) {
            return None;
        }
        let date = Date { year: y.parse().ok()?, month: m.parse().ok()?, day: d.parse().ok()? };
        (date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= days_in_month(date.year, date.month)).then_some(date)
    }

    /// (year, month 1–12, day 1–31).
    pub fn ymd(self) -> (i32, u8, u8) {
        (self.year, self.month, self.day)
    }

    /// The date `days` days after 1970-01-01 (negative: before). Callers get `days` from
    /// their clock, e.g. `SystemTime` natively or `Date.now() / 86_400_000` in JavaScript.
    pub fn from_unix_days(days: i64) -> Date {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_valid_dates_only() {
        assert_eq!(Date::parse("2024-07-05").unwrap().to_string(), "2024-07-05");
        assert!(Date::parse("2024-02-29").is_some());
        for bad in ["2025-02-29", "2025-13-01", "2025-1-01", "", "2025-01-01x", "abcd-ef-gh"] {
            assert!(Date::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn unix_days_convert() {
        assert_eq!(Date::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_days(20_423).to_string(), "2025-12-01");
        assert_eq!(Date::from_unix_days(-1).to_string(), "1969-12-31");
    }
}
