//! `diag long-running`: active statements and idle-in-transaction sessions older than a
//! threshold, oldest first, with how far back each holds the xmin horizon.

use std::time::Duration;

use diesel::pg::PgConnection;
use diesel::sql_types::{BigInt, Double, Integer, Nullable, Text};
use diesel::{QueryableByName, RunQueryDsl};
use serde::Serialize;

use super::facts::Facts;
use super::slow_queries::operation_of;
use super::{Error, Finding, Limitation, Outcome, Severity, Thresholds};

/// One long-running session.
#[derive(Debug, Clone, Serialize, QueryableByName)]
pub struct Session {
    /// Backend pid.
    #[diesel(sql_type = Integer)]
    pub pid: i32,
    /// Database.
    #[diesel(sql_type = Text)]
    pub database: String,
    /// Role.
    #[diesel(sql_type = Text)]
    pub role_name: String,
    /// `application_name`.
    #[diesel(sql_type = Text)]
    pub application: String,
    /// Client address.
    #[diesel(sql_type = Text)]
    pub client: String,
    /// `client backend`, `autovacuum worker`, ...
    #[diesel(sql_type = Text)]
    pub backend_type: String,
    /// `active` or `idle in transaction`.
    #[diesel(sql_type = Text)]
    pub state: String,
    /// Wait event.
    #[diesel(sql_type = Text)]
    pub wait_event: String,
    /// Active: the statement's age; idle in transaction: the transaction's age. Seconds.
    #[diesel(sql_type = Double)]
    pub age_seconds: f64,
    /// The transaction's age, seconds.
    #[diesel(sql_type = Nullable<Double>)]
    pub xact_seconds: Option<f64>,
    /// Time in the current state, seconds (idle for, when idle in transaction).
    #[diesel(sql_type = Nullable<Double>)]
    pub state_seconds: Option<f64>,
    /// Transactions since its snapshot's xmin (how much it holds vacuum back).
    #[diesel(sql_type = BigInt)]
    pub xmin_age: i64,
    /// The statement (the last one, when idle).
    #[diesel(sql_type = Text)]
    pub query: String,
}

/// The report.
#[derive(Debug, Clone, Serialize)]
pub struct LongRunning {
    /// The threshold used, seconds.
    pub min_seconds: f64,
    /// Sessions over it, oldest first.
    pub sessions: Vec<Session>,
    /// What could not be seen.
    pub limitations: Vec<Limitation>,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Sessions whose statement (active) or transaction (idle in transaction) is older than `min`.
pub fn report(conn: &mut PgConnection, facts: &Facts, min: Duration) -> Result<LongRunning, Error> {
    let sessions: Vec<Session> = diesel::sql_query(include_str!("sql/long_running.sql"))
        .bind::<Double, _>(min.as_secs_f64())
        .load(conn)
        .map_err(Error::query("reading pg_stat_activity"))?;
    let hidden: Count = diesel::sql_query(include_str!("sql/hidden_sessions.sql"))
        .get_result(conn)
        .map_err(Error::query("reading pg_stat_activity"))?;
    let mut limitations = Vec::new();
    if hidden.n > 0
        && let Some(mut l) = facts.hidden_sessions_limitation("long-running")
    {
        l.why = format!("{} ({} sessions hidden)", l.why, hidden.n);
        limitations.push(l);
    }
    Ok(LongRunning {
        min_seconds: min.as_secs_f64(),
        sessions,
        limitations,
    })
}

/// Findings for `diag all`: the oldest active statement and idle-in-transaction session.
pub(crate) fn evaluate(
    conn: &mut PgConnection,
    facts: &Facts,
    thresholds: &Thresholds,
) -> Result<Outcome, Error> {
    // every session, not only those over a threshold: the measures (Nagios perfdata) are the
    // oldest statement and transaction as they are, a 15 s statement included
    let report = report(conn, facts, Duration::ZERO)?;
    let mut out = Outcome {
        limitations: report.limitations.clone(),
        ..Outcome::default()
    };
    let is_idle = |s: &Session| s.state.starts_with("idle in transaction");
    for (key, idle) in [("long_running", false), ("idle_in_transaction", true)] {
        let oldest = report
            .sessions
            .iter()
            .filter(|s| is_idle(s) == idle && s.backend_type == "client backend")
            .map(|s| s.age_seconds)
            .fold(0.0, f64::max);
        out.measures.push(thresholds.measure(key, oldest));
        for s in report.sessions.iter().filter(|s| is_idle(s) == idle) {
            let severity = thresholds.measure(key, s.age_seconds).severity;
            if severity == Severity::Ok {
                continue;
            }
            let what = if idle {
                "idle in transaction for"
            } else {
                "running for"
            };
            let op = operation_of(&s.query)
                .map(|o| format!(" wfctl:{o}"))
                .unwrap_or_default();
            out.findings.push(
                Finding::new(
                    "long-running",
                    severity,
                    format!(
                        "pid {} ({}{op}, {}) {what} {}; holds back vacuum by {} transactions",
                        s.pid,
                        s.application,
                        s.role_name,
                        crate::conventions::seconds_text(s.age_seconds),
                        s.xmin_age
                    ),
                )
                .with_fix(format!(
                    "SELECT pg_terminate_backend({});  -- or: wfctl diag locks --terminate {}",
                    s.pid, s.pid
                )),
            );
        }
    }
    Ok(out)
}
