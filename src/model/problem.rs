//! A problem found while parsing or validating a journey or SLA file: what is wrong, where
//! (JSON path) and in which unit.

use std::fmt;

/// One thing wrong with a document. Validation reports all of them at once.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// The unit (or milestone, variable, ticket) the problem belongs to, when known.
    pub unit: Option<String>,
    /// JSON path of the offending value, e.g. `$.journey.flow[3].next`.
    pub path: String,
    /// What is wrong, in one line.
    pub message: String,
}

impl Problem {
    /// A problem at `path`, optionally attributed to a unit.
    pub fn new(unit: Option<String>, path: &str, message: impl Into<String>) -> Self {
        Self {
            unit,
            path: path.to_owned(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.unit {
            Some(unit) => write!(f, "{} (unit {unit}): {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// Why a journey or SLA document was rejected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DocumentError {
    /// The text is not JSON at all.
    #[error("not valid JSON: {0}")]
    Syntax(String),
    /// The JSON does not describe a valid document; every problem found is listed.
    #[error("{} problem(s): {}", .0.len(), join(.0))]
    Invalid(Vec<Problem>),
}

impl DocumentError {
    /// The problems found (empty for a syntax error).
    pub fn problems(&self) -> &[Problem] {
        match self {
            Self::Syntax(_) => &[],
            Self::Invalid(problems) => problems,
        }
    }
}

fn join(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
