//! `wfctl diag ...`: diagnostics of the database and the cases. Parsing and dispatch here; each
//! command's rendering in `diag/<command>.rs`; all the work in the library's `wfctl::diag`.

mod all;
mod cases;
mod doctor;
mod explain;
mod health;
mod indexes;
mod locks;
mod long_running;
mod report;
mod settings;
mod slow_queries;
mod storage;
mod wal;

use std::time::Duration;

use clap::{Args, Subcommand};
use diesel::PgConnection;
use diesel::connection::SimpleConnection;
use wfctl::diag::{Facts, Limitation, Thresholds, thresholds};

use super::{Context, Output};

#[derive(Debug, Args)]
pub(crate) struct DiagArgs {
    #[command(subcommand)]
    command: DiagCommand,
}

#[derive(Debug, Subcommand)]
enum DiagCommand {
    /// Connect time, server version, migrations, pg_stat_statements, connections vs
    /// max_connections, the client pool, replica lag. Exit 0 healthy, 3 degraded, 69 unreachable
    Health(health::HealthArgs),
    /// Unused, duplicate, redundant and invalid indexes; tables read by sequential scans; the
    /// recommended indexes and the statement that adds a missing one
    Indexes(indexes::IndexesArgs),
    /// Where statement time goes (pg_stat_statements), tagged with the wfctl operation
    SlowQueries(slow_queries::SlowQueriesArgs),
    /// Who blocks whom, for how long, running what, and the case involved
    Locks(locks::LocksArgs),
    /// Active statements and idle-in-transaction sessions older than a threshold
    LongRunning(long_running::LongRunningArgs),
    /// Database and table sizes
    Sizes,
    /// Estimated table and index bloat (a statistical estimate, withheld when unreliable)
    Bloat,
    /// Dead rows, last (auto)vacuum, transaction-id age, and what holds vacuum back; --run
    /// vacuums the tables it flags
    Vacuum(storage::VacuumArgs),
    /// Workflow checks: pended per work basket, stuck cases, overdue SLA milestones, the error
    /// basket, orphan rows
    Cases(cases::CasesArgs),
    /// EXPLAIN (ANALYZE, BUFFERS) of wfctl's own statements with parameters from the data, in a
    /// rolled-back read-only transaction; flags sequential scans of big tables
    Explain(explain::ExplainArgs),
    /// Which checks this role can run here, the exact step that enables the others, and index
    /// advice as a migration
    Doctor(doctor::DoctorArgs),
    /// Server settings beside the seed guide's recommendations scaled to this server, the
    /// pool-size formula, per-table autovacuum for the workflow tables, and the ALTER lines
    /// to apply them (never applied by wfctl)
    Settings(settings::SettingsArgs),
    /// WAL archiving for point-in-time recovery: is it on, fed, failing or behind; WAL volume
    /// and max_wal_size pressure
    Wal(wal::WalArgs),
    /// Every check with thresholds, except the opt-in settings and wal (add them with
    /// --include wal --include settings) (--check: exit 3 on a warning; --nagios: one status
    /// line and 0/1/2/3)
    All(all::AllArgs),
}

impl DiagArgs {
    /// Whether the command reads `[repository]` (the WAL archive): `diag wal` and `diag all`.
    pub(crate) fn reads_repository(&self) -> bool {
        matches!(self.command, DiagCommand::Wal(_) | DiagCommand::All(_))
    }
}

pub(crate) fn run(args: DiagArgs, ctx: &Context) -> anyhow::Result<()> {
    match args.command {
        DiagCommand::Health(a) => health::run(&a, ctx),
        DiagCommand::Indexes(a) => indexes::run(&a, ctx),
        DiagCommand::SlowQueries(a) => slow_queries::run(&a, ctx),
        DiagCommand::Locks(a) => locks::run(&a, ctx),
        DiagCommand::LongRunning(a) => long_running::run(&a, ctx),
        DiagCommand::Sizes => storage::run_sizes(ctx),
        DiagCommand::Bloat => storage::run_bloat(ctx),
        DiagCommand::Vacuum(a) => storage::run_vacuum(&a, ctx),
        DiagCommand::Cases(a) => cases::run(&a, ctx),
        DiagCommand::Explain(a) => explain::run(&a, ctx),
        DiagCommand::Doctor(a) => doctor::run(&a, ctx),
        DiagCommand::Settings(a) => settings::run(a, ctx),
        DiagCommand::Wal(a) => wal::run(a, ctx),
        DiagCommand::All(a) => all::run(&a, ctx),
    }
}

/// How long a diagnostic statement may run when the configuration sets no statement_timeout:
/// diagnostics must not hang on a sick database.
const DEFAULT_STATEMENT_TIMEOUT: Duration = Duration::from_secs(60);

/// A connection for diagnostics: read-only by default, with a statement timeout, and the facts
/// every check needs.
pub(crate) fn open(ctx: &Context) -> anyhow::Result<(PgConnection, Facts)> {
    let mut conn = ctx.connect()?;
    let timeout = ctx
        .pool_options()
        .statement_timeout
        .unwrap_or(DEFAULT_STATEMENT_TIMEOUT);
    conn.batch_execute(&format!(
        "SET statement_timeout = {}; SET default_transaction_read_only = on",
        timeout.as_millis()
    ))?;
    let facts = Facts::read(&mut conn)?;
    Ok((conn, facts))
}

/// Prints what could not be seen on stderr (in JSON it is part of the document).
pub(crate) fn warn_limitations(out: &Output, limitations: &[Limitation]) {
    for l in limitations {
        let enable = l
            .enable
            .as_deref()
            .map(|e| format!("; to enable: {e}"))
            .unwrap_or_default();
        out.warn(&format!("not visible: {}: {}{enable}", l.what, l.why));
    }
}

/// Seconds for a person, in the one duration form (`850ms`, `45s`, `3h 2m`).
pub(crate) fn secs(seconds: f64) -> String {
    crate::cli::format::seconds(seconds)
}

/// An optional number of seconds.
pub(crate) fn opt_secs(seconds: Option<f64>) -> String {
    seconds.map_or_else(|| "-".into(), secs)
}

/// Parses `5s`, `10m`, `2h`, `7d` (a bare number is seconds).
pub(crate) fn duration(text: &str) -> Result<Duration, String> {
    crate::cli::format::parse_duration(text)
}

/// The thresholds table for `--help` and the README.
pub(crate) fn thresholds_help() -> String {
    format!(
        "Thresholds (--warn KEY=VALUE / --crit KEY=VALUE; higher is worse; `none` switches one off):\n{}",
        thresholds::describe()
    )
}

/// Thresholds with the command line's overrides.
pub(crate) fn thresholds_from(warn: &[String], crit: &[String]) -> anyhow::Result<Thresholds> {
    Thresholds::default()
        .with_overrides(warn, crit)
        .map_err(|e| super::Exit::new(super::exit::USAGE, e.to_string()).into())
}

/// The error work basket from the configuration.
pub(crate) fn error_basket(ctx: &Context, flag: Option<&str>) -> String {
    flag.map(str::to_string)
        .or_else(|| ctx.config.engine.error_workbasket.clone())
        .unwrap_or_else(|| wfctl::diag::cases::DEFAULT_ERROR_BASKET.to_string())
}
