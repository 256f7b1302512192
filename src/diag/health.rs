//! `diag health`: can we connect, how fast, which server, are the migrations applied, how
//! full is the server, how is the client pool, how far behind is a replica. The seed guide's
//! `/health` endpoint, as a command with an exit status.

use std::time::Instant;

use diesel::pg::PgConnection;
use diesel::sql_types::{BigInt, Double, Nullable, Text};
use diesel::{QueryableByName, RunQueryDsl};
use serde::Serialize;

use super::facts::Facts;
use super::{Error, Finding, Limitation, Outcome, Severity, Thresholds, is_access_problem, reason};
use crate::db::{self, DatabaseUrl, PoolOptions, migrate};

/// The whole health report.
#[derive(Debug, Clone, Serialize)]
pub struct Health {
    /// The worst level of its findings, in the one vocabulary of levels: `ok`, `warning`,
    /// `critical`.
    pub status: Severity,
    /// Why it is not `ok` (empty when it is).
    pub problems: Vec<String>,
    /// Milliseconds to open the first connection.
    #[serde(
        rename = "connect_seconds",
        serialize_with = "crate::conventions::ms_as_seconds"
    )]
    pub connect_ms: f64,
    /// `server_version`.
    pub server_version: String,
    /// Whether this is a replica.
    pub replica: bool,
    /// Migrations applied and pending (`None` when unreadable).
    pub migrations: Option<Migrations>,
    /// pg_stat_statements' state (`ready`, `not_installed`, ...).
    pub pg_stat_statements: String,
    /// Sessions on the server.
    pub connections: Connections,
    /// wfctl's own client pool, after the checks ran.
    pub pool: PoolState,
    /// Replica lag, or the primary's standbys.
    pub replication: Replication,
    /// What could not be seen.
    pub limitations: Vec<Limitation>,
}

/// Migration state.
#[derive(Debug, Clone, Serialize)]
pub struct Migrations {
    /// How many embedded migrations are applied.
    pub applied: usize,
    /// Names of those not applied.
    pub pending: Vec<String>,
}

/// Server sessions.
#[derive(Debug, Clone, Serialize)]
pub struct Connections {
    /// Client sessions by state (`hidden`: other roles' sessions, without pg_read_all_stats).
    pub by_state: Vec<StateCount>,
    /// All client sessions.
    pub total: i64,
    /// Of them, wfctl's (`application_name = wfctl`).
    pub wfctl: i64,
    /// `max_connections`.
    pub max_connections: i32,
    /// Slots kept for superusers.
    pub reserved_for_superusers: i32,
    /// `total` as a percentage of what ordinary roles may use.
    pub used_percent: f64,
}

/// Sessions in one state.
#[derive(Debug, Clone, Serialize, QueryableByName)]
pub struct StateCount {
    /// `active`, `idle`, `idle in transaction`, ...
    #[diesel(sql_type = Text)]
    pub state: String,
    /// How many.
    #[diesel(sql_type = BigInt)]
    pub sessions: i64,
    /// Of them, wfctl's.
    #[diesel(sql_type = BigInt)]
    pub wfctl: i64,
}

/// wfctl's r2d2 pool.
#[derive(Debug, Clone, Serialize)]
pub struct PoolState {
    /// Most connections.
    pub max_size: u32,
    /// Open now.
    pub connections: u32,
    /// Of them idle.
    pub idle: u32,
    /// Milliseconds to check a connection out.
    #[serde(
        rename = "checkout_seconds",
        serialize_with = "crate::conventions::ms_as_seconds"
    )]
    pub checkout_ms: f64,
}

/// Replication as seen from this server.
#[derive(Debug, Clone, Serialize)]
pub struct Replication {
    /// On a replica: seconds of replay lag.
    pub lag_seconds: Option<f64>,
    /// On a replica: bytes received but not replayed.
    pub bytes_behind: Option<f64>,
    /// On a primary: its standbys.
    pub standbys: Vec<Standby>,
}

/// A standby of this primary.
#[derive(Debug, Clone, Serialize, QueryableByName)]
pub struct Standby {
    /// Its `application_name`.
    #[diesel(sql_type = Text)]
    pub name: String,
    /// `streaming`, `catchup`, ...
    #[diesel(sql_type = Text)]
    pub state: String,
    /// Replay lag in seconds, if known.
    #[diesel(sql_type = Nullable<Double>)]
    pub lag_seconds: Option<f64>,
}

#[derive(QueryableByName)]
struct ReplicaLag {
    #[diesel(sql_type = Nullable<Double>)]
    lag_seconds: Option<f64>,
    #[diesel(sql_type = Double)]
    bytes_behind: f64,
}

/// Connects (through a pool, as every wfctl command does) and checks. An unreachable server
/// is an error (`db::Error::Unreachable`, exit 69); everything else is in the report.
pub fn check(
    url: &DatabaseUrl,
    options: &PoolOptions,
    thresholds: &Thresholds,
) -> Result<(Health, Facts), HealthError> {
    let started = Instant::now();
    let pool = db::connect_pool(url, options)?;
    let connect_ms = started.elapsed().as_secs_f64() * 1e3;
    let started = Instant::now();
    let mut conn = db::pool::checkout(&pool)?;
    let checkout_ms = started.elapsed().as_secs_f64() * 1e3;
    let facts = Facts::read(&mut conn)?;
    let mut health = inspect(&mut conn, &facts, thresholds)?;
    health.connect_ms = connect_ms;
    drop(conn);
    let state = pool.state();
    health.pool = PoolState {
        max_size: pool.max_size(),
        connections: state.connections,
        idle: state.idle_connections,
        checkout_ms,
    };
    Ok((health, facts))
}

/// Why `diag health` could not produce a report.
#[derive(Debug, thiserror::Error)]
pub enum HealthError {
    /// Connecting failed (unreachable, pool timeout).
    #[error(transparent)]
    Db(#[from] db::Error),
    /// A check failed.
    #[error(transparent)]
    Diag(#[from] Error),
}

/// The report from an open connection (no connect time, no pool).
pub fn inspect(
    conn: &mut PgConnection,
    facts: &Facts,
    thresholds: &Thresholds,
) -> Result<Health, Error> {
    let server = &facts.server;
    let mut limitations = Vec::new();
    let migrations = match migrate::status(conn) {
        Ok(states) => Some(Migrations {
            applied: states.iter().filter(|m| m.applied).count(),
            pending: states
                .iter()
                .filter(|m| !m.applied)
                .map(|m| m.name.clone())
                .collect(),
        }),
        Err(db::Error::Query { source, .. }) if is_access_problem(&source) => {
            limitations.push(Limitation::new(
                "migration state",
                reason(&source),
                Some(format!(
                    "GRANT SELECT ON __diesel_schema_migrations TO {};",
                    super::sql::ident(&server.role)
                )),
            ));
            None
        }
        Err(e) => return Err(Error::Invalid(format!("reading migration state: {e}"))),
    };
    let by_state: Vec<StateCount> = diesel::sql_query(include_str!("sql/health_connections.sql"))
        .load(conn)
        .map_err(Error::query("counting sessions"))?;
    let total: i64 = by_state.iter().map(|s| s.sessions).sum();
    let usable = f64::from((server.max_connections - server.reserved_connections).max(1));
    let connections = Connections {
        wfctl: by_state.iter().map(|s| s.wfctl).sum(),
        total,
        max_connections: server.max_connections,
        reserved_for_superusers: server.reserved_connections,
        used_percent: total as f64 * 100.0 / usable,
        by_state,
    };
    if by_state_hidden(&connections) {
        limitations.extend(facts.hidden_sessions_limitation("connections by state"));
    }
    let replication = if server.in_recovery {
        let lag: ReplicaLag = diesel::sql_query(include_str!("sql/health_replica.sql"))
            .get_result(conn)
            .map_err(Error::query("reading replica lag"))?;
        Replication {
            lag_seconds: lag.lag_seconds,
            bytes_behind: Some(lag.bytes_behind),
            standbys: Vec::new(),
        }
    } else {
        Replication {
            lag_seconds: None,
            bytes_behind: None,
            standbys: diesel::sql_query(include_str!("sql/health_standbys.sql"))
                .load(conn)
                .map_err(Error::query("listing standbys"))?,
        }
    };
    let pgss_state = serde_json::to_value(&facts.pgss)
        .ok()
        .and_then(|v| v.get("state").and_then(|s| s.as_str()).map(str::to_string))
        .unwrap_or_else(|| "ready".into());
    let mut health = Health {
        status: Severity::Ok,
        problems: Vec::new(),
        connect_ms: 0.0,
        server_version: server.version.clone(),
        replica: server.in_recovery,
        migrations,
        pg_stat_statements: pgss_state,
        connections,
        pool: PoolState {
            max_size: 0,
            connections: 0,
            idle: 0,
            checkout_ms: 0.0,
        },
        replication,
        limitations,
    };
    let outcome = evaluate_report(&health, thresholds);
    health.problems = outcome
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .map(|f| f.message.clone())
        .collect();
    health.status = outcome
        .findings
        .iter()
        .map(|f| f.severity)
        .filter(|s| *s >= Severity::Warning)
        .max()
        .unwrap_or(Severity::Ok);
    Ok(health)
}

fn by_state_hidden(c: &Connections) -> bool {
    c.by_state.iter().any(|s| s.state == "hidden")
}

/// Findings and measures for `diag all`.
pub(crate) fn evaluate_report(health: &Health, thresholds: &Thresholds) -> Outcome {
    let mut out = Outcome {
        limitations: health.limitations.clone(),
        ..Outcome::default()
    };
    let m = thresholds.measure("connections", health.connections.used_percent);
    out.findings.push(Finding::new(
        "health",
        m.severity,
        format!(
            "{} of {} client connections in use ({:.0}%; {} wfctl)",
            health.connections.total,
            health.connections.max_connections - health.connections.reserved_for_superusers,
            health.connections.used_percent,
            health.connections.wfctl
        ),
    ));
    out.measures.push(m);
    if let Some(migrations) = &health.migrations {
        let m = thresholds.measure("pending_migrations", migrations.pending.len() as f64);
        if !migrations.pending.is_empty() {
            out.findings.push(
                Finding::new(
                    "health",
                    m.severity,
                    format!("pending migrations: {}", migrations.pending.join(", ")),
                )
                .with_fix("wfctl db migrate"),
            );
        }
        out.measures.push(m);
    }
    if let Some(lag) = health.replication.lag_seconds {
        let m = thresholds.measure("replication_lag", lag);
        out.findings.push(Finding::new(
            "health",
            m.severity,
            format!(
                "replica replay lag {}",
                crate::conventions::seconds_text(lag)
            ),
        ));
        out.measures.push(m);
    }
    for standby in &health.replication.standbys {
        if let Some(lag) = standby.lag_seconds {
            let m = thresholds.measure("replication_lag", lag);
            if m.severity > Severity::Ok {
                out.findings.push(Finding::new(
                    "health",
                    m.severity,
                    format!(
                        "standby {} replay lag {}",
                        standby.name,
                        crate::conventions::seconds_text(lag)
                    ),
                ));
            }
            out.measures.push(m);
        }
    }
    out
}

/// `diag all`'s health check on an open connection.
pub(crate) fn evaluate(
    conn: &mut PgConnection,
    facts: &Facts,
    thresholds: &Thresholds,
) -> Result<Outcome, Error> {
    Ok(evaluate_report(
        &inspect(conn, facts, thresholds)?,
        thresholds,
    ))
}
