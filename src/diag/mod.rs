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
    /// The one word for this level, as JSON writes it; tables show it upper-case (`WARNING`).
    pub fn word(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Warning => "warning",
            Self::Critical => "critical",
            Self::Unknown => "unknown",
        }
    }

    /// The word of a finding at this level: below every warning level a finding is a note,
    /// `info` (`ok` is the word of a figure, a setting or a whole run, never of a finding).
    pub fn finding_word(self) -> &'static str {
        match self {
            Self::Ok => "info",
            s => s.word(),
        }
    }

    /// The word for a run's status in tables and the Nagios line: [`Severity::word`]
    /// upper-case (`OK`, `WARNING`, `CRITICAL`, `UNKNOWN`).
    pub fn label(self) -> &'static str {
        match self {
            Self::Ok => "OK",
            Self::Warning => "WARNING",
            Self::Critical => "CRITICAL",
            Self::Unknown => "UNKNOWN",
        }
    }

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
    /// How bad (`info` in JSON below every warning level: [`Severity::finding_word`]).
    #[serde(serialize_with = "finding_word")]
    pub severity: Severity,
    /// One line for a person.
    pub message: String,
    /// What to do about it (an exact statement where there is one; JSON `null` if none).
    pub fix: Option<String>,
}

fn finding_word<S: serde::Serializer>(
    severity: &Severity,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(severity.finding_word())
}

/// Something a check could not see, and how to let it.
#[derive(Debug, Clone, Serialize)]
pub struct Limitation {
    /// What is missing from the report.
    pub what: String,
    /// Why (missing extension, privilege, ...).
    pub why: String,
    /// The exact GRANT / CREATE EXTENSION / setting that enables it (JSON `null` if none).
    pub enable: Option<String>,
}

pub mod all;
pub mod bloat;
pub mod cases;
pub mod doctor;
pub mod explain;
pub mod facts;
pub mod health;
pub mod indexes;
pub mod locks;
pub mod long_running;
pub mod metrics;
pub mod pgss;
pub mod serve;
pub mod sizes;
pub mod slow_queries;
mod sql;
pub mod terminate;
pub mod thresholds;
pub mod vacuum;

pub use facts::{Facts, Since};
pub use thresholds::{Measure, Thresholds};

/// What can go wrong in a check. A missing privilege or extension is not an error: checks
/// turn those into [`Limitation`]s. These are the failures left (a lost connection, a bug).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A statement failed.
    #[error("{context}: {source}")]
    Query {
        /// What we were doing.
        context: String,
        /// diesel's error.
        #[source]
        source: diesel::result::Error,
    },
    /// An argument that cannot be used (a threshold, a key).
    #[error("{0}")]
    Invalid(String),
    /// The role may not do what was asked (reset statistics, terminate a session).
    #[error("{action}: {reason} (to allow it: {fix})")]
    Denied {
        /// What was refused.
        action: String,
        /// The server's reason.
        reason: String,
        /// The GRANT that allows it.
        fix: String,
    },
    /// A check built on the database layer's reads (settings, wal) failed.
    #[error("{0}")]
    Database(#[from] crate::db::Error),
    /// A file could not be written.
    #[error("{path}: {source}")]
    Write {
        /// The file or directory.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// Whether the connection is gone (the database is unreachable, not a check broken).
    pub fn is_connection_lost(&self) -> bool {
        match self {
            Self::Query { source, .. } => crate::db::is_connection_lost(source),
            Self::Database(e) => e.is_unavailable(),
            _ => false,
        }
    }

    /// Wraps a diesel error with what we were doing.
    pub fn query(context: impl Into<String>) -> impl FnOnce(diesel::result::Error) -> Self {
        let context = context.into();
        move |source| Self::Query { context, source }
    }
}

impl Finding {
    /// A finding without a fix.
    pub fn new(check: &str, severity: Severity, message: impl Into<String>) -> Self {
        Self {
            check: check.to_string(),
            severity,
            message: message.into(),
            fix: None,
        }
    }

    /// A finding about a figure compared with thresholds: its severity is the measure's, the
    /// one rule, so a finding never reads `ok` while its figure is past a level.
    pub fn measured(check: &str, measure: &Measure, message: impl Into<String>) -> Self {
        Self::new(check, measure.severity, message)
    }

    /// The finding's label. A finding is never `OK`: one below every warning level is a note
    /// (`INFO`, and carries no fix); `OK` is only the status of a whole run.
    pub fn label(&self) -> &'static str {
        match self.severity {
            Severity::Ok => "INFO",
            s => s.label(),
        }
    }

    /// A finding that sums up several measures: as bad as the worst of them.
    pub fn summing(check: &str, measures: &[Measure], message: impl Into<String>) -> Self {
        let worst = measures
            .iter()
            .map(|m| m.severity)
            .max()
            .unwrap_or(Severity::Ok);
        Self::new(check, worst, message)
    }

    /// The same finding with what to do about it. An `Ok` finding found no problem, so it
    /// carries no fix: advice appears only where a check found something to act on.
    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        if self.severity != Severity::Ok {
            self.fix = Some(fix.into());
        }
        self
    }
}

impl Limitation {
    /// What could not be seen, why, and how to enable it.
    pub fn new(what: impl Into<String>, why: impl Into<String>, enable: Option<String>) -> Self {
        Self {
            what: what.into(),
            why: why.into(),
            enable,
        }
    }
}

/// What one check of `diag all` returns: its findings, what it could not see, and the figures
/// it compared with thresholds (the Nagios performance data).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Outcome {
    /// What it found (only problems and notable facts; `Ok` findings are allowed).
    pub findings: Vec<Finding>,
    /// What it could not see.
    pub limitations: Vec<Limitation>,
    /// Figures compared with thresholds.
    pub measures: Vec<Measure>,
}

/// Whether a failed statement means "you may not see this" (privilege, extension not loaded,
/// a managed server's restriction) rather than a broken database: such failures become
/// [`Limitation`]s.
pub(crate) fn is_access_problem(error: &diesel::result::Error) -> bool {
    let diesel::result::Error::DatabaseError(_, info) = error else {
        return false;
    };
    let m = info.message();
    m.contains("permission denied")
        || m.contains("must be superuser")
        || m.contains("must be a superuser")
        || m.contains("privileges of")
        || m.contains("must be loaded via")
}

/// The server's reason for an access problem, on one line.
pub fn reason(error: &diesel::result::Error) -> String {
    match error {
        diesel::result::Error::DatabaseError(_, info) => info.message().to_string(),
        other => other.to_string(),
    }
}
