//! Conventions every report keeps, whichever command prints it: how absent values and
//! durations look in JSON, and how a time reads in a message or a table.

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

/// A time for people (messages, tables): UTC to the second, `2026-12-07 05:15:43Z`.
pub fn time_text(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%SZ").to_string()
}

const DURATION_EXAMPLES: &str = "e.g. 30 (seconds), 30s, 10m, 2h, 7d";

/// The longest duration any flag or setting takes: longer is a typo, and would overflow the
/// deadlines computed from it.
const MAX_DURATION: std::time::Duration = std::time::Duration::from_secs(100 * 365 * 86_400);

/// Every duration flag: `30s`, `10m`, `2h`, `7d`, `1h30m`; a bare number is seconds. At most
/// 100 years; NaN, infinity and negatives are refused.
pub fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let duration = match text.parse::<f64>() {
        Ok(n) if n.is_finite() && n >= 0.0 => {
            if n > MAX_DURATION.as_secs_f64() {
                return Err(too_long(text));
            }
            std::time::Duration::from_secs_f64(n)
        }
        Ok(_) => return Err(format!("{text:?}: not a duration ({DURATION_EXAMPLES})")),
        Err(_) => humantime::parse_duration(text)
            .map_err(|e| format!("{text:?}: {e} ({DURATION_EXAMPLES})"))?,
    };
    if duration > MAX_DURATION {
        return Err(too_long(text));
    }
    Ok(duration)
}

fn too_long(text: &str) -> String {
    format!("{text:?}: too long (at most 100 years)")
}
