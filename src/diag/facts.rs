//! Facts about the server and the role that every check needs: version, privileges, since
//! when the cumulative statistics count, and the state of pg_stat_statements.

use chrono::{DateTime, Utc};
use diesel::pg::PgConnection;
use diesel::sql_types::{Bool, Integer, Nullable, Text, Timestamptz};
use diesel::{QueryableByName, RunQueryDsl};
use serde::Serialize;

use super::pgss::{self, PgssState};
use super::{Error, Limitation};

/// The server and the role, as one check run sees them.
#[derive(Debug, Clone, Serialize)]
pub struct Facts {
    /// Server, role and statistics.
    #[serde(flatten)]
    pub server: Server,
    /// pg_stat_statements: where, which columns, or why not.
    pub pgss: PgssState,
}

/// What `facts.sql` reads.
#[derive(Debug, Clone, Serialize, QueryableByName)]
pub struct Server {
    /// `server_version_num`, e.g. 150004.
    #[diesel(sql_type = Integer)]
    pub version_num: i32,
    /// `server_version`, e.g. `15.4 (Debian 15.4-1)`.
    #[diesel(sql_type = Text)]
    pub version: String,
    /// The database connected to.
    #[diesel(sql_type = Text)]
    pub database: String,
    /// The role checks run as.
    #[diesel(sql_type = Text)]
    pub role: String,
    /// Whether the role is a superuser.
    #[diesel(sql_type = Bool)]
    pub superuser: bool,
    /// Whether the role sees every session's query and statistics (`pg_read_all_stats`).
    #[diesel(sql_type = Bool)]
    pub read_all_stats: bool,
    /// Whether the role has `pg_monitor`.
    #[diesel(sql_type = Bool)]
    pub monitor: bool,
    /// Whether the role may terminate other roles' sessions (`pg_signal_backend`).
    #[diesel(sql_type = Bool)]
    pub signal_backend: bool,
    /// Whether this is a replica.
    #[diesel(sql_type = Bool)]
    pub in_recovery: bool,
    /// When the server started.
    #[diesel(sql_type = Timestamptz)]
    pub server_started: DateTime<Utc>,
    /// When this database's statistics were last reset (`None`: never).
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub stats_reset: Option<DateTime<Utc>>,
    /// The server's clock.
    #[diesel(sql_type = Timestamptz)]
    pub now: DateTime<Utc>,
    /// `max_connections`.
    #[diesel(sql_type = Integer)]
    pub max_connections: i32,
    /// `superuser_reserved_connections`.
    #[diesel(sql_type = Integer)]
    pub reserved_connections: i32,
    /// The managed service this server runs on (`Amazon RDS / Aurora`, ...), from the settings
    /// its provider adds; `None` for a server of one's own.
    #[diesel(sql_type = Nullable<Text>)]
    pub managed: Option<String>,
}

/// Since when a cumulative figure counts.
#[derive(Debug, Clone, Serialize)]
pub struct Since {
    /// The start of the count, or the earliest time known to be covered.
    pub since: DateTime<Utc>,
    /// True when `since` is the recorded reset; false when it is only a lower bound (never
    /// reset: the figures may go back further, to the last crash or the database's creation).
    pub exact: bool,
    /// For a person: "stats since 2024-05-01 10:00 UTC (reset)".
    pub text: String,
}

impl Since {
    /// From a reset time, falling back to the server's start as a lower bound.
    pub fn from_reset(reset: Option<DateTime<Utc>>, server_started: DateTime<Utc>) -> Self {
        match reset {
            Some(at) => Self {
                since: at,
                exact: true,
                text: format!(
                    "stats since {} (last reset)",
                    crate::conventions::time_text(at)
                ),
            },
            None => Self {
                since: server_started,
                exact: false,
                text: format!(
                    "stats never reset: counted at least since the server started at {} \
                     (they survive clean restarts; lost on a crash)",
                    crate::conventions::time_text(server_started)
                ),
            },
        }
    }

    /// How long the count has run (a lower bound when not exact).
    pub fn age(&self, now: DateTime<Utc>) -> std::time::Duration {
        (now - self.since).to_std().unwrap_or_default()
    }
}

impl Facts {
    /// Reads the facts and probes pg_stat_statements.
    pub fn read(conn: &mut PgConnection) -> Result<Self, Error> {
        let server: Server = diesel::sql_query(include_str!("sql/facts.sql"))
            .get_result(conn)
            .map_err(Error::query("reading server facts"))?;
        let pgss = pgss::probe(conn, &server)?;
        Ok(Self { server, pgss })
    }

    /// Since when this database's cumulative statistics (table, index counters) count.
    pub fn stats_since(&self) -> Since {
        Since::from_reset(self.server.stats_reset, self.server.server_started)
    }

    /// What no role can see or change on a managed service, if this is one.
    pub fn managed_limitation(&self) -> Option<Limitation> {
        self.server.managed.as_ref().map(|provider| {
            Limitation::new(
                format!("server settings and files ({provider}, a managed service)"),
                "no role is a real superuser there: ALTER SYSTEM, shared_preload_libraries, \
                 pg_ls_waldir() and the server's files are out of reach",
                Some(format!(
                    "change settings in the {provider} parameter group (or flags) and reboot \
                     from its console; the ALTER SYSTEM lines wfctl prints give the values"
                )),
            )
        })
    }

    /// What is hidden because the role cannot see other roles' sessions, if anything.
    pub fn hidden_sessions_limitation(&self, what: &str) -> Option<Limitation> {
        let role = &self.server.role;
        (!self.server.read_all_stats).then(|| {
            Limitation::new(
                format!("{what}: the query, state and timings of other roles' sessions"),
                format!("role {role} lacks pg_read_all_stats (pg_monitor includes it)"),
                Some(format!("GRANT pg_monitor TO {};", super::sql::ident(role))),
            )
        })
    }
}
