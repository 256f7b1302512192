//! Why a file was not loaded: an error class a script can match on, a one-line message and,
//! when known, the offending field (a JSON path).

use std::fmt;

use serde::{Deserialize, Serialize};

/// The kind of problem with a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorClass {
    /// The file could not be read (permissions, I/O error, vanished).
    Unreadable,
    /// A symbolic link to a file outside the source directory (read only with
    /// `--follow-symlinks`).
    OutsideLink,
    /// The file is empty.
    Empty,
    /// The content is not UTF-8 text.
    NotUtf8,
    /// The JSON ends early.
    Truncated,
    /// The content is not JSON.
    NotJson,
    /// JSON, but not the document the file name says (missing or mistyped field).
    WrongShape,
    /// A well-formed document the engine would refuse (journey/SLA rules, dangling references).
    Invalid,
    /// The same record of a case is present twice (both process-info spellings, two audit
    /// records with one sequence number).
    Duplicate,
    /// Larger than the import accepts for one document.
    TooLarge,
    /// This file is fine, but another file of its case was rejected, so the case was not loaded.
    CaseRejected,
    /// Changed since it was imported, and `--no-update` was given.
    Changed,
    /// The case already exists in the database and was not imported from files.
    Conflict,
    /// The case id in the file names breaks the store's id rules (a control character, a
    /// leading dot, a part that reads as an audit sequence): the message names the rule.
    BadCaseId,
    /// The case is locked by a running wfctl process; retry later.
    Locked,
    /// The database refused the case's rows.
    Database,
}

impl ErrorClass {
    /// The snake_case name used in reports and the ledger.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unreadable => "unreadable",
            Self::OutsideLink => "outside_link",
            Self::Empty => "empty",
            Self::NotUtf8 => "not_utf8",
            Self::Truncated => "truncated",
            Self::NotJson => "not_json",
            Self::WrongShape => "wrong_shape",
            Self::Invalid => "invalid",
            Self::Duplicate => "duplicate",
            Self::TooLarge => "too_large",
            Self::CaseRejected => "case_rejected",
            Self::Changed => "changed",
            Self::Conflict => "conflict",
            Self::BadCaseId => "bad_case_id",
            Self::Locked => "locked",
            Self::Database => "database",
        }
    }
}

impl fmt::Display for ErrorClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What is wrong with one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// Class.
    pub class: ErrorClass,
    /// One line.
    pub message: String,
    /// The offending field (JSON path), when known.
    pub field: Option<String>,
}

impl Rejection {
    /// A rejection.
    pub fn new(class: ErrorClass, message: impl Into<String>, field: Option<String>) -> Self {
        Self {
            class,
            message: one_line(&message.into()),
            field,
        }
    }
}

/// A rejected file, as reported (one JSON line of `--rejects`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reject {
    /// The file's path (the directory given, joined with the file name).
    pub path: String,
    /// The case the file belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_id: Option<String>,
    /// Error class.
    pub class: ErrorClass,
    /// One-line message.
    pub message: String,
    /// Offending field (JSON path), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// The class, message and field of a serde_json error on a document of `size` bytes.
pub(crate) fn classify_json_error(error: &serde_json::Error, size: u64) -> Rejection {
    use serde_json::error::Category;
    let message = error.to_string();
    match error.classify() {
        Category::Io => Rejection::new(ErrorClass::Unreadable, message, None),
        Category::Eof if size == 0 => Rejection::new(ErrorClass::Empty, "the file is empty", None),
        Category::Eof => Rejection::new(
            ErrorClass::Truncated,
            format!("truncated JSON: {message}"),
            None,
        ),
        Category::Syntax => {
            Rejection::new(ErrorClass::NotJson, format!("not JSON: {message}"), None)
        }
        Category::Data => {
            let field = field_in_message(&message);
            Rejection::new(ErrorClass::WrongShape, message, field)
        }
    }
}

/// serde names the field in messages such as "missing field `is_complete`".
fn field_in_message(message: &str) -> Option<String> {
    let start = message.find("field `")? + "field `".len();
    let len = message[start..].find('`')?;
    Some(message[start..start + len].to_owned())
}

/// Collapses whitespace so a message is one line.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class_of(text: &str) -> Rejection {
        let e = serde_json::from_str::<serde_json::Value>(text).unwrap_err();
        classify_json_error(&e, text.len() as u64)
    }

    #[test]
    fn json_errors_get_their_class() {
        assert_eq!(class_of("").class, ErrorClass::Empty);
        assert_eq!(class_of("{\"a\": [1, 2").class, ErrorClass::Truncated);
        assert_eq!(class_of("<html>").class, ErrorClass::NotJson);
    }

    #[test]
    fn data_errors_name_the_field() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code, reason = "only the error matters")]
        struct Doc {
            is_complete: bool,
        }
        let e = serde_json::from_str::<Doc>("{}").unwrap_err();
        let r = classify_json_error(&e, 2);
        assert_eq!(r.class, ErrorClass::WrongShape);
        assert_eq!(r.field.as_deref(), Some("is_complete"));
    }
}
