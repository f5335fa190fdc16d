//! Timestamps as the archives write them, to seconds since the Unix epoch (UTC).
//!
//! No clock and no time-zone database: every format read carries its own offset or is UTC.

use serde::{Serialize, Serializer};

/// Seconds since 1970-01-01T00:00:00Z. Serialises as RFC 3339 (`2018-10-10T20:19:24Z`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.rfc3339())
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month, day) of the day `days` after 1970-01-01: the engine's own calendar.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let (y, m, d) = impartial_core::Date::from_unix_days(days).ymd();
    (i64::from(y), u32::from(m), u32::from(d))
}

fn valid(y: i64, m: i64, d: i64, hh: i64, mm: i64, ss: i64) -> bool {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let dim = match m {
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        1..=12 => 31,
        _ => return false,
    };
    (1..=dim).contains(&d) && (0..24).contains(&hh) && (0..60).contains(&mm) && (0..=60).contains(&ss)
}

fn num(s: &str) -> Option<i64> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

impl Timestamp {
    fn from_parts(y: i64, m: i64, d: i64, hh: i64, mm: i64, ss: i64, offset_s: i64) -> Option<Timestamp> {
        valid(y, m, d, hh, mm, ss).then(|| Timestamp(days_from_civil(y, m, d) * 86_400 + hh * 3600 + mm * 60 + ss - offset_s))
    }

    /// X's `created_at`: `Wed Oct 10 20:19:24 +0000 2018`.
    pub fn parse_twitter(s: &str) -> Option<Timestamp> {
        let parts: Vec<&str> = s.split_whitespace().collect();
        let [_, mon, day, time, offset, year] = parts[..] else { return None };
        const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        let m = MONTHS.iter().position(|&x| x == mon)? as i64 + 1;
        let (hh, mm, ss) = hms(time)?;
        Timestamp::from_parts(num(year)?, m, num(day)?, hh, mm, ss, offset_seconds(offset)?)
    }

    /// RFC 3339 / ISO 8601 (`2023-01-15T10:20:30.123Z`, `…+01:00`), LinkedIn's
    /// `2023-01-15 10:20:30` (UTC), or a bare date `2023-01-15`.
    pub fn parse_iso(s: &str) -> Option<Timestamp> {
        let s = s.trim();
        if s.len() < 10 || !s.is_char_boundary(10) {
            return None;
        }
        let (date, rest) = s.split_at(10);
        let mut dp = date.split('-');
        let (y, m, d) = (num(dp.next()?)?, num(dp.next()?)?, num(dp.next()?)?);
        if rest.is_empty() {
            return Timestamp::from_parts(y, m, d, 0, 0, 0, 0);
        }
        let rest = rest.strip_prefix(['T', 't', ' '])?;
        if rest.len() < 8 || !rest.is_char_boundary(8) {
            return None;
        }
        let (time, mut zone) = rest.split_at(8);
        let (hh, mm, ss) = hms(time)?;
        if let Some(frac) = zone.strip_prefix(['.', ',']) {
            let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
            zone = &frac[digits..];
        }
        let offset = match zone.trim() {
            "" | "Z" | "z" | "UTC" | "+00:00" | "+0000" => 0,
            z => offset_seconds(z)?,
        };
        Timestamp::from_parts(y, m, d, hh, mm, ss, offset)
    }

    /// `2018-10-10T20:19:24Z`.
    pub fn rfc3339(self) -> String {
        let (y, m, d) = civil_from_days(self.0.div_euclid(86_400));
        let s = self.0.rem_euclid(86_400);
        format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", s / 3600, s / 60 % 60, s % 60)
    }

    /// `2018-10-10 20:19` (UTC), for people.
    pub fn display(self) -> String {
        let (y, m, d) = civil_from_days(self.0.div_euclid(86_400));
        let s = self.0.rem_euclid(86_400);
        format!("{y:04}-{m:02}-{d:02} {:02}:{:02}", s / 3600, s / 60 % 60)
    }

    /// `(year, month)`.
    pub fn year_month(self) -> (i64, u32) {
        let (y, m, _) = civil_from_days(self.0.div_euclid(86_400));
        (y, m)
    }
}

fn hms(t: &str) -> Option<(i64, i64, i64)> {
    let mut p = t.split(':');
    let r = (num(p.next()?)?, num(p.next()?)?, num(p.next()?)?);
    p.next().is_none().then_some(r)
}

/// `+0000`, `-05:00` → seconds east of UTC.
fn offset_seconds(z: &str) -> Option<i64> {
    let sign = match z.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = z[1..].chars().filter(|&c| c != ':').collect();
    if digits.len() != 4 {
        return None;
    }
    let (h, m) = (num(&digits[..2])?, num(&digits[2..])?);
    (h < 24 && m < 60).then_some(sign * (h * 3600 + m * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twitter_dates() {
        let t = Timestamp::parse_twitter("Wed Oct 10 20:19:24 +0000 2018").unwrap();
        assert_eq!(t.rfc3339(), "2018-10-10T20:19:24Z");
        assert_eq!(Timestamp::parse_twitter("Wed Oct 10 20:19:24 -0100 2018").unwrap().rfc3339(), "2018-10-10T21:19:24Z");
        assert!(Timestamp::parse_twitter("Wed Foo 10 20:19:24 +0000 2018").is_none());
        assert!(Timestamp::parse_twitter("").is_none());
    }

    #[test]
    fn iso_dates() {
        assert_eq!(Timestamp::parse_iso("2023-01-15T10:20:30.123Z").unwrap().rfc3339(), "2023-01-15T10:20:30Z");
        assert_eq!(Timestamp::parse_iso("2023-01-15T10:20:30+01:00").unwrap().rfc3339(), "2023-01-15T09:20:30Z");
        assert_eq!(Timestamp::parse_iso("2023-01-15 10:20:30").unwrap().display(), "2023-01-15 10:20");
        assert_eq!(Timestamp::parse_iso("2024-02-29").unwrap().year_month(), (2024, 2));
        assert_eq!(Timestamp(0).rfc3339(), "1970-01-01T00:00:00Z");
        for bad in ["2023-02-30", "2023-01-15X10:20:30", "yesterday", "2023-01-15T25:00:00Z", "2023-01-1é"] {
            assert!(Timestamp::parse_iso(bad).is_none(), "{bad}");
        }
    }
}
