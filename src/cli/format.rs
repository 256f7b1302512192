//! The one home of how durations are read and how times and sizes are written, so every command
//! takes and shows them the same way.

use chrono::{DateTime, SecondsFormat, Utc};

/// Every duration flag reads as every duration setting does (a bare number is seconds).
pub(crate) use wfctl::conventions::parse_duration;

/// Retention ages (`--keep 7d`): the same forms, except that a bare number is days (what
/// `--keep-days 7` always meant). Counted in whole days, rounded up.
pub(crate) fn parse_retention_days(text: &str) -> Result<u32, String> {
    let text = text.trim();
    if let Ok(days) = text.parse::<u32>() {
        return Ok(days);
    }
    let age = humantime::parse_duration(text)
        .map_err(|e| format!("{text:?}: {e} (e.g. 7 (days), 7d, 36h, 2weeks)"))?;
    let days = age.as_secs().div_ceil(86_400);
    u32::try_from(days).map_err(|_| format!("{text:?}: too long"))
}

/// A signed offset from now (`+2h`, `-30m`, `2h`): milliseconds, negative into the past.
pub(crate) fn parse_offset_ms(text: &str) -> Result<i64, String> {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    let ms = parse_duration(rest)?.as_millis();
    Ok(sign * i64::try_from(ms).unwrap_or(i64::MAX))
}

/// A time in JSON: RFC 3339 in UTC, whole seconds, `Z` (`2026-12-07T05:15:43Z`).
pub(crate) fn json_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
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

/// How long ago, for an age column: `45s`, `12m`, `3h 5m`, `2d 4h`.
pub(crate) fn age(seconds: i64) -> String {
    let s = seconds.max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3_600 => format!("{}m", s / 60),
        3_600..86_400 => format!("{}h {}m", s / 3_600, s % 3_600 / 60),
        _ => format!("{}d {}h", s / 86_400, s % 86_400 / 3_600),
    }
}

/// A size for people: 1024-based units (`1.50 MiB`), the same everywhere.
pub(crate) fn size(bytes: u64) -> String {
    indicatif::BinaryBytes(bytes).to_string()
}

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
        assert_eq!(parse_retention_days("36h"), Ok(2));
        assert!(parse_retention_days("x").is_err());
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
