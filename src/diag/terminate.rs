//! Terminating a session (`diag locks --terminate`): what it is, then `pg_terminate_backend`.
//! Never called without the caller having shown the session and had it confirmed.

use diesel::pg::PgConnection;
use diesel::sql_types::{Bool, Integer, Text};
use diesel::{QueryableByName, RunQueryDsl};
use serde::Serialize;

use super::facts::Facts;
use super::{Error, is_access_problem, reason};

#[derive(QueryableByName)]
struct Found {
    #[diesel(sql_type = Bool)]
    found: bool,
}

/// A session, as shown before terminating it.
#[derive(Debug, Clone, Serialize, QueryableByName)]
pub struct SessionBrief {
    /// Backend pid.
    #[diesel(sql_type = Integer)]
    pub pid: i32,
    /// Role.
    #[diesel(sql_type = Text)]
    pub role_name: String,
    /// `application_name`.
    #[diesel(sql_type = Text)]
    pub application: String,
    /// State.
    #[diesel(sql_type = Text)]
    pub state: String,
    /// Database.
    #[diesel(sql_type = Text)]
    pub database: String,
    /// Current or last statement.
    #[diesel(sql_type = Text)]
    pub query: String,
}

/// The session with this pid, if there is one.
pub fn session(conn: &mut PgConnection, pid: i32) -> Result<Option<SessionBrief>, Error> {
    let rows: Vec<SessionBrief> = diesel::sql_query(include_str!("sql/locks_session.sql"))
        .bind::<Integer, _>(pid)
        .load(conn)
        .map_err(Error::query("reading pg_stat_activity"))?;
    Ok(rows.into_iter().next())
}

/// Terminates a session (`pg_terminate_backend`). Returns whether the server signalled it.
pub fn terminate(conn: &mut PgConnection, facts: &Facts, pid: i32) -> Result<bool, Error> {
    let done: Result<Found, _> = diesel::sql_query("SELECT pg_terminate_backend($1) AS found")
        .bind::<Integer, _>(pid)
        .get_result(conn);
    match done {
        Ok(f) => Ok(f.found),
        Err(e) if is_access_problem(&e) => Err(Error::Denied {
            action: format!("terminating pid {pid}"),
            reason: reason(&e),
            fix: format!(
                "GRANT pg_signal_backend TO {}; (superusers' sessions need a superuser)",
                super::sql::ident(&facts.server.role)
            ),
        }),
        Err(e) => Err(Error::query(format!("terminating pid {pid}"))(e)),
    }
}
