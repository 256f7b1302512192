//! The one home of how durations are read and how times and sizes are written, so every command
//! takes and shows them the same way.

use chrono::{DateTime, SecondsFormat, Utc};

/// Every duration flag reads as every duration setting does (a bare number is seconds).
pub(crate) use wfctl::conventions::parse_duration;

/// Every count flag: a whole number, a negative one refused naming the rule.
pub(crate) use wfctl::conventions::parse_count;

/// A count that must be at least 1 (`--keep-min`): the count's forms and messages, and 0
/// refused saying the range.
pub(crate) fn parse_at_least_one<T>(text: &str) -> Result<T, String>
where
    T: wfctl::conventions::Whole + From<u8>,
{
    wfctl::conventions::parse_in_range(text, T::from(1), T::MAX)
}

/// A whole number within bounds (`--level`, `--batch`): the range said when out of it.
pub(crate) use wfctl::conventions::parse_range;

/// Retention ages (`--keep 7d`, `[backup] keep_days`): whole days, a bare number is days.
pub(crate) use wfctl::conventions::parse_retention_days;

/// A signed offset from now (`+2h`, `-30m`, `2h`): milliseconds, negative into the past.
pub(crate) fn parse_offset_ms(text: &str) -> Result<i64, String> {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    let ms = parse_duration(rest)?.as_millis();
    Ok(sign * i64::try_from(ms).unwrap_or(i64::MAX))
}

/// A moment as every `--at`/`--target-time` takes it: `now`, an offset from now (`+5h`,
/// `-30m`), RFC 3339, or as PostgreSQL prints it (`2024-05-01 14:30:00.123+00`; no zone: UTC).
pub(crate) fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    let now = Utc::now();
    if text == "now" {
        return Ok(now);
    }
    if text.starts_with(['+', '-']) {
        let ms = parse_offset_ms(text)?;
        return Ok(now + chrono::TimeDelta::milliseconds(ms));
    }
    // a bare duration is ambiguous (ahead or ago?): say which forms mean what
    if parse_duration(text).is_ok() {
        return Err(format!(
            "{} is a duration, not a time: use +{text} ({text} from now) or -{text} ({text} ago)",
            wfctl::conventions::quoted_for_message(text)
        ));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f%#z", "%Y-%m-%d %H:%M:%S%.f %#z"] {
        if let Ok(t) = DateTime::parse_from_str(text, format) {
            return Ok(t.with_timezone(&Utc));
        }
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(text, format) {
            return Ok(t.and_utc());
        }
    }
    Err(format!(
        "{} is not a time: give RFC 3339 (2030-01-31T12:00:00Z), 2030-01-31 12:00:00+00, or +2h / -30m from now",
        wfctl::conventions::quoted_for_message(text)
    ))
}

/// A time in JSON: RFC 3339 in UTC, whole seconds, `Z` (`2026-12-07T05:15:43Z`).
pub(crate) fn json_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Every time in a JSON document as [`json_time`] writes it, whichever type produced it (a
/// library's `DateTime` serializes with nanoseconds): the one place the JSON time rule is
/// kept. Stored documents (`document`, `variables`, `manifest`) keep their own format.
pub(crate) fn json_times(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                if !["document", "variables", "manifest"].contains(&key.as_str()) {
                    json_times(item);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(json_times),
        Value::String(text) if text.len() >= 20 && text.as_bytes().get(10) == Some(&b'T') => {
            if let Ok(at) = DateTime::parse_from_rfc3339(text) {
                *text = json_time(at.to_utc());
            }
        }
        _ => {}
    }
}

/// [`json_time`] of epoch milliseconds.
pub(crate) fn json_time_ms(epoch_ms: i64) -> Option<String> {
    DateTime::from_timestamp_millis(epoch_ms).map(json_time)
}

/// A time in a table: UTC to the second, `2026-12-07 05:15:43Z`.
pub(crate) fn table_time(at: DateTime<Utc>) -> String {
    wfctl::conventions::time_text(at)
}

/// [`table_time`] of epoch milliseconds (`-` when out of range).
pub(crate) fn table_time_ms(epoch_ms: i64) -> String {
    DateTime::from_timestamp_millis(epoch_ms).map_or_else(|| "-".into(), table_time)
}

/// A JSON time (RFC 3339) as a table shows it; anything else unchanged.
pub(crate) fn table_time_of(json_time: &str) -> String {
    DateTime::parse_from_rfc3339(json_time)
        .map_or_else(|_| json_time.to_owned(), |t| table_time(t.to_utc()))
}

/// How long ago, for an age column (the one duration form: `45s`, `12m`, `3h 5m`, `2d 4h`).
pub(crate) fn age(seconds: i64) -> String {
    duration(std::time::Duration::from_secs(
        seconds.max(0).unsigned_abs(),
    ))
}

/// A duration for people, as every command writes one.
pub(crate) use wfctl::conventions::{duration_text as duration, seconds_text as seconds};

/// A size for people: 1024-based units (`1.50 MiB`), the same everywhere.
pub(crate) use wfctl::conventions::size_text as size;

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn one_duration_grammar() {
        assert_eq!(parse_duration("30"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7_200)));
        assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(7 * 86_400)));
        assert!(parse_duration("soon").unwrap_err().contains("soon"));
        assert!(parse_duration("-5s").is_err());
        for huge in [
            "1e300",
            "1e19",
            "18446744073709551615",
            "200years",
            "-1",
            "nan",
            "inf",
        ] {
            assert!(parse_duration(huge).is_err(), "{huge}");
        }
        assert!(parse_duration("36500d").is_ok());
    }

    #[test]
    fn retention_is_days() {
        assert_eq!(parse_retention_days("7"), Ok(7));
        assert_eq!(parse_retention_days("7d"), Ok(7));
        assert_eq!(parse_retention_days("48h"), Ok(2));
        assert_eq!(parse_retention_days("2weeks"), Ok(14));
        // never rounded: an age that is not whole days is refused
        assert!(parse_retention_days("36h").is_err());
        assert!(parse_retention_days("1s").is_err());
        assert!(parse_retention_days("0.5").is_err());
        assert_eq!(parse_retention_days("0"), Ok(0));
        assert!(parse_retention_days("x").is_err());
        // the same limits and forms as every duration flag
        assert_eq!(parse_retention_days("1e3"), Ok(1000));
        assert!(parse_retention_days("101y").is_err());
        assert!(parse_retention_days("-1").is_err());
    }

    #[test]
    fn offsets_take_a_sign() {
        assert_eq!(parse_offset_ms("-30m"), Ok(-1_800_000));
        assert_eq!(parse_offset_ms("+2h"), Ok(7_200_000));
        assert_eq!(parse_offset_ms("90"), Ok(90_000));
    }

    #[test]
    fn times_and_sizes_have_one_form() {
        let at = DateTime::from_timestamp(1_796_620_543, 0).unwrap();
        assert_eq!(json_time(at), "2026-12-07T05:15:43Z");
        assert_eq!(table_time(at), "2026-12-07 05:15:43Z");
        assert_eq!(age(3_700), "1h 1m");
        assert_eq!(size(1_572_864), "1.50 MiB");
    }
}
