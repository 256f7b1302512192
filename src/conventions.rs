//! Conventions every report keeps, whichever command prints it: how absent values and
//! durations look in JSON, and how a time, a duration, an age or a size reads in a message or a
//! table (the one home of those forms: every command and diag check formats through here).

/// Serializes an empty text as `null`: in JSON an absent value is `null`, never `""`.
pub fn empty_as_null<T: AsRef<str>, S: serde::Serializer>(
    text: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match text.as_ref() {
        "" => serializer.serialize_none(),
        text => serializer.serialize_str(text),
    }
}

/// Serializes a duration as seconds (a float): the unit goes in the key (`elapsed_seconds`),
/// never `{"secs", "nanos"}`.
pub fn duration_seconds<S: serde::Serializer>(
    duration: &std::time::Duration,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(duration.as_secs_f64())
}

/// Serializes milliseconds (a database's figure) as seconds: durations in JSON are
/// `_seconds`, one unit for the one concept (`mean_seconds`, not `mean_ms` beside
/// `lag_seconds`).
pub fn ms_as_seconds<S: serde::Serializer>(ms: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(ms / 1000.0)
}

/// [`ms_as_seconds`] of a figure that may be absent (`null`).
pub fn opt_ms_as_seconds<S: serde::Serializer>(
    ms: &Option<f64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match ms {
        Some(ms) => serializer.serialize_f64(ms / 1000.0),
        None => serializer.serialize_none(),
    }
}

/// A time for people (messages, tables): UTC to the second, `2026-12-07 05:15:43Z`.
pub fn time_text(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%SZ").to_string()
}

/// A duration or an age for people (messages, tables): `850ms` under a second, then the
/// largest unit and, from an hour on, the next one: `0s`, `45s`, `12m`, `3h 5m`, `2d 4h`.
/// Whole units, rounded down (an age is "at least").
pub fn duration_text(duration: std::time::Duration) -> String {
    let ms = duration.as_millis();
    let s = duration.as_secs();
    match s {
        0 if ms > 0 => format!("{ms}ms"),
        0..60 => format!("{s}s"),
        60..3_600 => format!("{}m", s / 60),
        3_600..86_400 => format!("{}h {}m", s / 3_600, s % 3_600 / 60),
        _ => format!("{}d {}h", s / 86_400, s % 86_400 / 3_600),
    }
}

/// [`duration_text`] of a number of seconds (a database's figure); `-` when it is not a
/// number, `0s` below zero (a clock a little ahead).
pub fn seconds_text(seconds: f64) -> String {
    if seconds.is_nan() {
        return "-".into();
    }
    std::time::Duration::try_from_secs_f64(seconds.max(0.0))
        .map_or_else(|_| "-".into(), duration_text)
}

/// A size for people: 1024-based units, `512 B`, `1.50 KiB`, `16.00 MiB` (the engine builds
/// without the CLI's crates, so this is written here rather than borrowed from indicatif).
pub fn size_text(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.2} {}", UNITS[unit])
}

/// What a duration or a count below zero is told (the flag is named by whoever calls).
const NEGATIVE: &str = "must not be negative";

/// The one way a number out of its range is told, for flags and configuration keys alike.
pub fn range_rule(min: impl std::fmt::Display, max: impl std::fmt::Display) -> String {
    format!("must be between {min} and {max}")
}

/// A whole number type a count flag or key can hold, with its largest value.
pub trait Whole: std::str::FromStr + Copy + PartialOrd + std::fmt::Display {
    /// The largest value.
    const MAX: Self;
}

macro_rules! whole {
    ($($t:ty),*) => { $(impl Whole for $t { const MAX: Self = <$t>::MAX; })* };
}
whole!(u8, u16, u32, u64, usize, i32, i64);

/// Every count flag (`--limit N`): a whole number, at least 0 (and at most what its type
/// holds: a larger one is told the range, not "not a number").
pub fn parse_count<T: Whole + From<u8>>(text: &str) -> Result<T, String> {
    parse_in_range(text, T::from(0), T::MAX)
}

/// A whole number from `min` to `max`; anything else is refused saying the range
/// ([`range_rule`]), a negative one saying it must not be negative.
pub fn parse_in_range<T: Whole>(text: &str, min: T, max: T) -> Result<T, String> {
    let text = text.trim();
    let digits = text.strip_prefix('+').unwrap_or(text);
    let is_number = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    // a negative number is told so on every flag alike, whatever its range
    if digits.starts_with('-') {
        return Err(NEGATIVE.to_owned());
    }
    if !is_number(digits) {
        return Err(format!(
            "{}: not a whole number (e.g. 10)",
            quoted_for_message(text)
        ));
    }
    match digits.parse::<T>() {
        Ok(n) if n >= min && n <= max => Ok(n),
        _ => Err(format!(
            "{}: {}",
            quoted_for_message(digits),
            range_rule(min, max)
        )),
    }
}

/// A flag's parser of a whole number from `MIN` to `MAX` (`value_parser =
/// parse_range::<u32, 0, 9>`): [`parse_in_range`] with the bounds in its type.
pub fn parse_range<T, const MIN: u64, const MAX: u64>(text: &str) -> Result<T, String>
where
    T: Whole + TryFrom<u64>,
{
    let bound = |n: u64| T::try_from(n).unwrap_or(T::MAX);
    parse_in_range(text, bound(MIN), bound(MAX))
}

const DURATION_EXAMPLES: &str = "e.g. 30 (seconds), 30s, 10m, 2h, 7d";

/// The longest duration any flag or setting takes: longer is a typo, and would overflow the
/// deadlines computed from it.
const MAX_DURATION: std::time::Duration = std::time::Duration::from_secs(100 * 365 * 86_400);

/// Every duration flag: `30s`, `10m`, `2h`, `7d`, `1h30m`; a bare number is seconds. At most
/// 100 years; NaN, infinity and negatives are refused.
pub fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    if text.starts_with('-') {
        return Err(NEGATIVE.to_owned());
    }
    let duration = match text.parse::<f64>() {
        Ok(n) if n.is_finite() && n >= 0.0 => {
            if n > MAX_DURATION.as_secs_f64() {
                return Err(too_long(text));
            }
            std::time::Duration::from_secs_f64(n)
        }
        Ok(_) => {
            return Err(format!(
                "{}: not a duration ({DURATION_EXAMPLES})",
                quoted_for_message(text)
            ));
        }
        Err(_) => humantime::parse_duration(text).map_err(|e| match e {
            // a number too large for any unit is a duration too long, whatever its unit
            humantime::DurationError::NumberOverflow => too_long(text),
            e => format!("{}: {e} ({DURATION_EXAMPLES})", quoted_for_message(text)),
        })?,
    };
    if duration > MAX_DURATION {
        return Err(too_long(text));
    }
    Ok(duration)
}

/// Retention ages (`--keep 7d`, `[backup] keep_days = "7d"`): the duration forms, except that
/// a bare number is days (what `--keep-days 7` and `keep_days = 7` always meant). Retention
/// counts whole days: an age that is not a whole number of days (`12h`, `1s`) is refused,
/// naming the days either side, never rounded. Read by the one duration parser (so the same
/// limits and forms hold as for every other duration).
pub fn parse_retention_days(text: &str) -> Result<u32, String> {
    let text = text.trim();
    let age = match text.parse::<f64>() {
        // a bare number of days, written as seconds for the one parser to check
        Ok(days) if days.is_finite() && days >= 0.0 => {
            parse_duration(&(days * 86_400.0).to_string()).map_err(|_| too_long(text))?
        }
        _ => parse_duration(text)?,
    };
    let days = age.as_secs() / 86_400;
    if age.as_secs() % 86_400 != 0 || age.subsec_nanos() != 0 {
        return Err(format!(
            "{}: retention counts whole days; give {days}d or {}d",
            quoted_for_message(text),
            days + 1
        ));
    }
    u32::try_from(days).map_err(|_| too_long(text))
}

fn too_long(text: &str) -> String {
    format!("{}: too long (at most 100 years)", quoted_for_message(text))
}

/// `text` with every character that could change how a line is shown (newline, ESC, other
/// controls, bidirectional overrides, invisible characters: [`crate::model::is_unprintable`])
/// written as an escape: `\n`, `\t`, `\r`, `\u{1b}`. The one form of stored or user-supplied
/// text (a name, a file name) in a table cell or a message; a name in a message is never
/// printed raw, so it can neither break the line nor forge another.
pub fn escaped_text(text: &str) -> std::borrow::Cow<'_, str> {
    use crate::model::is_unprintable;
    if !text.chars().any(is_unprintable) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_unprintable(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// [`escaped_text`] of a path (file names in messages).
pub fn path_text(path: &std::path::Path) -> String {
    escaped_text(&path.to_string_lossy()).into_owned()
}

/// Longest part of a value a message echoes: a hostile 5000-character id is not repeated.
const ECHO_CHARS: usize = 64;

/// A value as a message quotes it: escaped (no control character reaches a terminal) and, when
/// longer than 64 characters, its first 64 and `...`.
pub fn quoted_for_message(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(ECHO_CHARS).collect();
    let more = if chars.next().is_some() { "..." } else { "" };
    format!("{head:?}{more}")
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{duration_text, quoted_for_message, seconds_text, size_text};

    #[test]
    fn one_form_for_durations_and_sizes() {
        let cases = [
            (0, "0s"),
            (45_000, "45s"),
            (317_000, "5m"),
            (5_900, "5s"),
            (850, "850ms"),
            (11_100_000, "3h 5m"),
            (187_200_000, "2d 4h"),
        ];
        for (ms, text) in cases {
            assert_eq!(duration_text(Duration::from_millis(ms)), text);
        }
        assert_eq!(seconds_text(f64::NAN), "-");
        assert_eq!(seconds_text(-3.0), "0s");
        assert_eq!(seconds_text(f64::INFINITY), "-");
        assert_eq!(size_text(512), "512 B");
        assert_eq!(size_text(38_828), "37.92 KiB");
        assert_eq!(size_text(1023), "1023 B");
        assert_eq!(size_text(1024), "1.00 KiB");
        assert_eq!(size_text(16 << 20), "16.00 MiB");
        assert_eq!(size_text(u64::MAX), "16.00 EiB");
    }

    #[test]
    fn a_quoted_value_is_escaped_and_shortened() {
        assert_eq!(quoted_for_message("../x"), "\"../x\"");
        assert_eq!(quoted_for_message("a\u{1b}[31m"), "\"a\\u{1b}[31m\"");
        let long = "x".repeat(5000);
        let quoted = quoted_for_message(&long);
        assert_eq!(quoted, format!("{:?}...", "x".repeat(64)));
    }
}
