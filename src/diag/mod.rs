//! Diagnostics of the database and the cases: one module per check, SQL in `diag/sql/*.sql`.
//!
//! Every check returns data (serialisable), never prints. What a check could not see (missing
//! extension, missing privilege, managed server) is a [`Limitation`], not an error.

pub mod settings;
pub mod wal;

use serde::Serialize;

/// How bad a finding is; also the `--nagios` status (0/1/2/3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Nothing to do.
    Ok,
    /// Worth a look.
    Warning,
    /// Act now.
    Critical,
    /// Could not be checked.
    Unknown,
}

impl Severity {
    /// The Nagios plugin exit status.
    pub fn nagios_code(self) -> u8 {
        match self {
            Self::Ok => 0,
            Self::Warning => 1,
            Self::Critical => 2,
            Self::Unknown => 3,
        }
    }
}

/// One thing a check found.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// The check that found it, e.g. `indexes`.
    pub check: String,
    /// How bad.
    pub severity: Severity,
    /// One line for a person.
    pub message: String,
    /// What to do about it (an exact statement where there is one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// Something a check could not see, and how to let it.
#[derive(Debug, Clone, Serialize)]
pub struct Limitation {
    /// What is missing from the report.
    pub what: String,
    /// Why (missing extension, privilege, ...).
    pub why: String,
    /// The exact GRANT / CREATE EXTENSION / setting that enables it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable: Option<String>,
}
