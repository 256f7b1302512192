//! JSON helpers shared by the journey and SLA parsers: `//` and `/* */` comments (the Java
//! engine's JSON library accepts them) and path-aware field access that turns shape errors into
//! [`Problem`]s instead of failing at the first one.

use serde_json::{Map, Value};

use super::problem::Problem;

/// Removes `//` line comments and `/* */` block comments outside strings. Newlines are kept so
/// that serde_json's line numbers still point into the original text.
pub fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                '\\' => {
                    if let Some(escaped) = chars.next() {
                        out.push(escaped);
                    }
                }
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match (c, chars.peek()) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('/')) => {
                for skipped in chars.by_ref() {
                    if skipped == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            ('/', Some('*')) => {
                chars.next();
                let mut prev = '\0';
                for skipped in chars.by_ref() {
                    if skipped == '\n' {
                        out.push('\n');
                    }
                    if prev == '*' && skipped == '/' {
                        break;
                    }
                    prev = skipped;
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Parses JSON text that may contain comments.
pub fn parse_with_comments(text: &str) -> Result<Value, serde_json::Error> {
    serde_json::from_str(&strip_comments(text))
}

/// Reads fields of one JSON object, recording a [`Problem`] for every field of the wrong type.
pub struct Fields<'a> {
    object: &'a Map<String, Value>,
    path: String,
    unit: Option<String>,
}

impl<'a> Fields<'a> {
    /// `value` must be an object; otherwise a problem is recorded and `None` returned.
    pub fn new(
        value: &'a Value,
        path: &str,
        unit: Option<String>,
        problems: &mut Vec<Problem>,
    ) -> Option<Self> {
        match value.as_object() {
            Some(object) => Some(Self {
                object,
                path: path.to_owned(),
                unit,
            }),
            None => {
                problems.push(Problem::new(unit, path, "expected a JSON object"));
                None
            }
        }
    }

    /// JSON path of a field of this object.
    pub fn path_of(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }

    /// The raw value of a field (`None` when absent or `null`).
    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        self.object.get(key).filter(|v| !v.is_null())
    }

    /// A string field; absent and `null` give `None`, any other non-string is a problem.
    pub fn string(&self, key: &str, problems: &mut Vec<Problem>) -> Option<String> {
        match self.raw(key)? {
            Value::String(s) => Some(s.clone()),
            other => {
                problems.push(Problem::new(
                    self.unit.clone(),
                    &self.path_of(key),
                    format!("expected a string, found {}", kind_of(other)),
                ));
                None
            }
        }
    }

    /// An array field; absent and `null` give `None`.
    pub fn array(&self, key: &str, problems: &mut Vec<Problem>) -> Option<&'a Vec<Value>> {
        match self.raw(key)? {
            Value::Array(items) => Some(items),
            other => {
                problems.push(Problem::new(
                    self.unit.clone(),
                    &self.path_of(key),
                    format!("expected an array, found {}", kind_of(other)),
                ));
                None
            }
        }
    }

    /// Whether the key is present at all (even as `null`), as the Java parser checks it.
    pub fn has(&self, key: &str) -> bool {
        self.object.contains_key(key)
    }
}

/// A short name for the JSON type of a value, for error messages.
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_removed_outside_strings_only() {
        let text = "{\n // a comment\n \"a\": \"x // not a comment\", /* block\n */ \"b\": 1 }";
        let value = parse_with_comments(text).unwrap();
        assert_eq!(value["a"], "x // not a comment");
        assert_eq!(value["b"], 1);
        assert_eq!(strip_comments(text).lines().count(), text.lines().count());
    }

    #[test]
    fn escaped_quotes_do_not_end_strings() {
        let value = parse_with_comments(r#"{"a": "q\"// x"}"#).unwrap();
        assert_eq!(value["a"], "q\"// x");
    }
}
