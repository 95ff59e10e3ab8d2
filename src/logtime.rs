//! Timestamps as logs write them, read as nanoseconds since the Unix epoch.
//!
//! A log imported with a `date` or `timestamp` group ([`crate::logimport`])
//! gives each event the time its host recorded. The formats read:
//!
//! | format | example | notes |
//! |---|---|---|
//! | ISO 8601 | `2013-05-24T23:28:00.637Z`, `2013-05-24T23:28:00+02:00` | `T` or a space between date and time; a fraction of any length after `.` or `,`; `Z`, `±hh:mm`, `±hhmm` or `±hh` |
//! | log4j / Python logging | `2013-05-24 23:28:00,637` | the ISO form with a space and a comma |
//! | US | `5/27/2013 10:53:39 AM`, `10/13/2014 04:23:20.113` | month first; `AM`/`PM` (12-hour) or none (24-hour) |
//! | epoch | `1456966522870845696`, `1700000000.25` | digits: seconds below 10¹¹, milliseconds below 10¹⁴, microseconds below 10¹⁷, else nanoseconds; a fraction means seconds |
//!
//! A time without a zone is read as UTC (the notes say so): only differences
//! between times matter here, so one zone for the whole log is what counts.
//!
//! ```
//! use hlcviz::logtime::{parse, Format};
//! let (ns, f) = parse("2013-05-24 23:28:00,637").unwrap();
//! assert_eq!(ns, 1_369_438_080_637_000_000);
//! assert_eq!(f, Format::Iso { zone: false });
//! assert_eq!(parse("5/27/2013 10:53:39 PM").unwrap().0, 1_369_695_219_000_000_000);
//! assert_eq!(parse("1369438080637").unwrap(), (1_369_438_080_637_000_000, Format::EpochMillis));
//! assert!(parse("yesterday").is_err());
//! ```

/// Longest time text read, in bytes.
pub const MAX_TIME_CHARS: usize = 64;

const NS_PER_S: i128 = 1_000_000_000;

/// Which format a time was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// ISO 8601 (or `YYYY-MM-DD hh:mm:ss,mmm`); `zone`: it named one.
    Iso {
        /// Whether the text had `Z` or an offset.
        zone: bool,
    },
    /// `M/D/YYYY h:mm:ss` with `AM`/`PM`.
    Us12,
    /// `M/D/YYYY hh:mm:ss` without `AM`/`PM` (24-hour).
    Us24,
    /// Whole seconds since the epoch, or seconds with a fraction.
    EpochSeconds,
    /// Milliseconds since the epoch.
    EpochMillis,
    /// Microseconds since the epoch.
    EpochMicros,
    /// Nanoseconds since the epoch.
    EpochNanos,
}

impl Format {
    /// How the format was read, in words, for the import's notes.
    pub fn describe(self) -> &'static str {
        match self {
            Format::Iso { zone: true } => "ISO 8601 date and time with a zone",
            Format::Iso { zone: false } => {
                "ISO 8601 date and time (YYYY-MM-DD hh:mm:ss[,.]fff) without a zone, read as UTC"
            }
            Format::Us12 => {
                "US date and 12-hour time (M/D/YYYY h:mm:ss AM/PM) without a zone, read as UTC"
            }
            Format::Us24 => {
                "US date and 24-hour time (M/D/YYYY hh:mm:ss) without a zone, read as UTC"
            }
            Format::EpochSeconds => {
                "seconds since the Unix epoch (a number below 10^11, or one with a fraction)"
            }
            Format::EpochMillis => {
                "milliseconds since the Unix epoch (a number from 10^11 to below 10^14)"
            }
            Format::EpochMicros => {
                "microseconds since the Unix epoch (a number from 10^14 to below 10^17)"
            }
            Format::EpochNanos => "nanoseconds since the Unix epoch (a number of 10^17 or more)",
        }
    }
}

/// Reads one time: nanoseconds since the Unix epoch (UTC when the text names
/// no zone) and the format it was read in. The error says what is wrong.
pub fn parse(text: &str) -> Result<(i64, Format), String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("the time is empty".to_string());
    }
    if t.len() > MAX_TIME_CHARS {
        return Err(format!(
            "the time is longer than {MAX_TIME_CHARS} characters"
        ));
    }
    let (ns, format) = if t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        epoch(t)?
    } else if t.contains('/') {
        us(t)?
    } else {
        iso(t)?
    };
    let ns =
        i64::try_from(ns).map_err(|_| "the time is outside the years 1678 to 2262".to_string())?;
    Ok((ns, format))
}

fn bad(t: &str) -> String {
    format!(
        "`{t}` is not a time in a known format (ISO 8601, YYYY-MM-DD hh:mm:ss,mmm, M/D/YYYY h:mm:ss AM/PM, or seconds/ms/µs/ns since the epoch)"
    )
}

fn epoch(t: &str) -> Result<(i128, Format), String> {
    let (whole, fraction) = match t.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (t, None),
    };
    if whole.is_empty() || whole.len() > 20 || fraction.is_some_and(|f| f.contains('.')) {
        return Err(bad(t));
    }
    let value: i128 = whole.parse().map_err(|_| bad(t))?;
    if let Some(f) = fraction {
        return Ok((
            value * NS_PER_S + fraction_ns(f).ok_or_else(|| bad(t))?,
            Format::EpochSeconds,
        ));
    }
    Ok(if value < 100_000_000_000 {
        (value * NS_PER_S, Format::EpochSeconds)
    } else if value < 100_000_000_000_000 {
        (value * 1_000_000, Format::EpochMillis)
    } else if value < 100_000_000_000_000_000 {
        (value * 1_000, Format::EpochMicros)
    } else {
        (value, Format::EpochNanos)
    })
}

/// The digits of a fraction of a second, as nanoseconds (beyond 9 digits cut).
fn fraction_ns(digits: &str) -> Option<i128> {
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut ns: i128 = 0;
    for k in 0..9 {
        let d = digits.as_bytes().get(k).map_or(0, |b| i128::from(b - b'0'));
        ns = ns * 10 + d;
    }
    Some(ns)
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn number(s: &str, min_len: usize, max_len: usize) -> Option<u32> {
    if s.len() < min_len || s.len() > max_len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `hh:mm:ss` with an optional fraction: (h, m, s, ns).
fn clock(s: &str) -> Option<(u32, u32, u32, i128)> {
    let (hms, fraction) = match s.find(['.', ',']) {
        Some(i) => (s.get(..i)?, Some(s.get(i + 1..)?)),
        None => (s, None),
    };
    let mut parts = hms.split(':');
    let h = number(parts.next()?, 1, 2)?;
    let m = number(parts.next()?, 2, 2)?;
    let sec = number(parts.next()?, 2, 2)?;
    if parts.next().is_some() || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let ns = match fraction {
        Some("") => return None,
        Some(f) => fraction_ns(f)?,
        None => 0,
    };
    Some((h, m, sec, ns))
}

fn instant(y: i64, mo: u32, d: u32, (h, mi, s, ns): (u32, u32, u32, i128)) -> Option<i128> {
    if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) {
        return None;
    }
    let secs = i128::from(days_from_civil(y, mo, d)) * 86_400
        + i128::from(h) * 3_600
        + i128::from(mi) * 60
        + i128::from(s);
    Some(secs * NS_PER_S + ns)
}

fn iso(t: &str) -> Result<(i128, Format), String> {
    let parse = || -> Option<(i128, Format)> {
        let date = t.get(..10)?;
        let sep = t.get(10..11)?;
        if sep != "T" && sep != " " && sep != "t" {
            return None;
        }
        let rest = t.get(11..)?;
        let (y, m, d) = (date.get(..4)?, date.get(5..7)?, date.get(8..10)?);
        if date.get(4..5)? != "-" || date.get(7..8)? != "-" {
            return None;
        }
        let (y, m, d) = (
            i64::from(number(y, 4, 4)?),
            number(m, 2, 2)?,
            number(d, 2, 2)?,
        );
        // The zone: Z, or the last + or - (a time has neither).
        let (time, offset_s, zone) = if let Some(time) = rest.strip_suffix(['Z', 'z']) {
            (time, 0i128, true)
        } else if let Some(i) = rest.rfind(['+', '-']) {
            let (time, zone) = (rest.get(..i)?, rest.get(i..)?);
            let sign: i128 = if zone.starts_with('-') { -1 } else { 1 };
            let digits: String = zone.get(1..)?.chars().filter(|&c| c != ':').collect();
            let (hh, mm) = match digits.len() {
                2 => (number(&digits, 2, 2)?, 0),
                4 => (
                    number(digits.get(..2)?, 2, 2)?,
                    number(digits.get(2..)?, 2, 2)?,
                ),
                _ => return None,
            };
            if hh > 23 || mm > 59 {
                return None;
            }
            (time, sign * i128::from(hh * 3_600 + mm * 60), true)
        } else {
            (rest, 0, false)
        };
        let at = instant(y, m, d, clock(time.trim_end())?)?;
        Some((at - offset_s * NS_PER_S, Format::Iso { zone }))
    };
    parse().ok_or_else(|| bad(t))
}

fn us(t: &str) -> Result<(i128, Format), String> {
    let parse = || -> Option<(i128, Format)> {
        let mut words = t.split_whitespace();
        let date = words.next()?;
        let time = words.next()?;
        let meridiem = words.next();
        if words.next().is_some() {
            return None;
        }
        let mut parts = date.split('/');
        let m = number(parts.next()?, 1, 2)?;
        let d = number(parts.next()?, 1, 2)?;
        let y = i64::from(number(parts.next()?, 4, 4)?);
        if parts.next().is_some() {
            return None;
        }
        let (mut h, mi, s, ns) = clock(time)?;
        let format = match meridiem.map(str::to_ascii_uppercase).as_deref() {
            None => Format::Us24,
            Some(half @ ("AM" | "PM")) => {
                if !(1..=12).contains(&h) {
                    return None;
                }
                h %= 12;
                if half == "PM" {
                    h += 12;
                }
                Format::Us12
            }
            Some(_) => return None,
        };
        Some((instant(y, m, d, (h, mi, s, ns))?, format))
    };
    parse().ok_or_else(|| bad(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_epoch_and_leap_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert!(parse("2023-02-29 00:00:00").is_err());
        assert!(parse("2024-02-29 00:00:00").is_ok());
    }
}
