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
