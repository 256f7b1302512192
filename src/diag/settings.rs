//! `diag settings`: the server's values of every setting the seed guide's "Performance Tuning"
//! section names, beside the guide's recommendation scaled to this server, with the
//! `ALTER SYSTEM` line to apply each; the guide's pool-size formula against wfctl's pool and
//! `max_connections`; per-table autovacuum for the hot workflow tables. Reads only.
//!
//! Scaling: the guide's numbers fit a 1 GiB server (`shared_buffers = 256MB` is "25% of RAM"),
//! so memory settings keep the guide's ratios to RAM: `shared_buffers` 25%,
//! `effective_cache_size` 75% (the guide's "50-75%"; its literal 1GB is 100% of that server),
//! `work_mem` RAM/64 within 4-64MB (per sort, per connection: it must not grow without bound),
//! `maintenance_work_mem` RAM/8 within 64MB-2GB. The rest are the guide's values as written
//! (`random_page_cost` and `effective_io_concurrency` by storage: SSD 1.1/200, HDD 4.0/2).
//!
//! Severity: more than 1.5x away from the recommendation is a warning; more than `far_off`
//! times (default 4) is critical, except for settings that cost little when off
//! (`checkpoint_completion_target`, `wal_buffers`, `min_wal_size`,
//! `log_min_duration_statement`), which stay warnings. `autovacuum = off` and a
//! `shared_preload_libraries` without `pg_stat_statements` are critical. The guide's logging:
//! `log_statement = all` and a `log_line_prefix` without pid, user, database and application
//! are warnings; `log_min_duration_statement` is set per database (`ALTER DATABASE`).

mod autovacuum;
mod machine;
mod pool;
mod rules;
mod values;

use diesel::pg::PgConnection;
use diesel::sql_types::{Array, Bool, Nullable, Text};
use diesel::{QueryableByName, RunQueryDsl};
use serde::Serialize;

use crate::db::Error;
use crate::diag::{Finding, Limitation, Outcome, Severity};

pub use autovacuum::{HOT_TABLES, TableAutovacuum};
pub use machine::{Machine, Origin, REFERENCE_CORES, REFERENCE_RAM};
pub use pool::PoolAdvice;
pub use values::{Quantity, parse_size};

/// Default for [`SettingsOptions::far_off`].
pub const FAR_OFF: f64 = 4.0;
/// More than this many times away from the recommendation is a warning.
pub const WARN_FACTOR: f64 = 1.5;

/// The disks the data lives on (the guide's SSD/HDD choices).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Storage {
    /// Solid state: cheap random reads.
    Ssd,
    /// Spinning disks.
    Hdd,
}

/// What to scale the recommendations for.
#[derive(Debug, Clone)]
pub struct SettingsOptions {
    /// RAM for PostgreSQL in bytes; `None`: read it from the server.
    pub ram_bytes: Option<u64>,
    /// CPUs; `None`: read them from the server.
    pub cores: Option<u32>,
    /// The guide's `effective_spindle_count` (1 for an SSD).
    pub spindles: u32,
    /// SSD or HDD.
    pub storage: Storage,
    /// wfctl's configured pool size.
    pub pool_size: u32,
    /// How many times off the recommendation is critical.
    pub far_off: f64,
}

impl SettingsOptions {
    /// Everything read from the server, an SSD, one spindle, critical at 4x: what
    /// `diag all` uses (`SettingsOptions::for_pool(ctx.pool_options().max_size)`).
    pub fn for_pool(pool_size: u32) -> Self {
        Self {
            ram_bytes: None,
            cores: None,
            spindles: 1,
            storage: Storage::Ssd,
            pool_size,
            far_off: FAR_OFF,
        }
    }
}

/// The whole report; `findings` and `limitations` are what `diag all` collects.
#[derive(Debug, Clone, Serialize)]
pub struct SettingsReport {
    /// `server_version`.
    pub server_version: String,
    /// The server the recommendations are scaled for.
    pub machine: Machine,
    /// SSD or HDD.
    pub storage: Storage,
    /// One row per setting, in the guide's order.
    pub settings: Vec<SettingRow>,
    /// The guide's pool formula against wfctl's pool and `max_connections`.
    pub pool: PoolAdvice,
    /// The hot workflow tables' autovacuum state.
    pub tables: Vec<TableAutovacuum>,
    /// The statements that apply every recommendation, in order (review before running).
    pub apply: Vec<String>,
    /// Settings among `apply` (or already changed) that take effect only after a restart.
    pub restart_needed_for: Vec<String>,
    /// What is off, worst first.
    pub findings: Vec<Finding>,
    /// What could not be seen or had to be assumed.
    pub limitations: Vec<Limitation>,
}

/// One setting beside its recommendation.
#[derive(Debug, Clone, Serialize)]
pub struct SettingRow {
    /// The setting.
    pub name: String,
    /// The running value as PostgreSQL writes it; `None` when the role may not see it.
    pub current: Option<String>,
    /// What to set it to.
    pub recommended: String,
    /// How `recommended` was derived.
    pub rule: String,
    /// `pg_settings.source`: default, configuration file, ALTER SYSTEM (when the role may
    /// see `sourcefile`), override, ...
    pub source: Option<String>,
    /// Changing it needs a server restart (`context = 'postmaster'`).
    pub restart_required: bool,
    /// Changed in the configuration but not in effect until a restart.
    pub pending_restart: bool,
    /// How many times the running value is away from the recommendation.
    pub factor: Option<f64>,
    /// Ok, warning, critical; unknown when hidden.
    pub severity: Severity,
    /// The `ALTER SYSTEM` line, when the value should change.
    pub alter: Option<String>,
}

/// A row of `pg_settings`.
#[derive(Debug, Clone, QueryableByName)]
pub struct PgSetting {
    /// `name`.
    #[diesel(sql_type = Text)]
    pub name: String,
    /// `setting`, in `unit`s.
    #[diesel(sql_type = Text)]
    pub setting: String,
    /// `unit`.
    #[diesel(sql_type = Nullable<Text>)]
    pub unit: Option<String>,
    /// `source`.
    #[diesel(sql_type = Text)]
    pub source: String,
    /// `sourcefile`; `None` without superuser or pg_read_all_settings.
    #[diesel(sql_type = Nullable<Text>)]
    pub sourcefile: Option<String>,
    /// `context`: postmaster (restart), sighup (reload), user, ...
    #[diesel(sql_type = Text)]
    pub context: String,
    /// `vartype`.
    #[diesel(sql_type = Text)]
    pub vartype: String,
    /// `pending_restart`.
    #[diesel(sql_type = Bool)]
    pub pending_restart: bool,
}

impl PgSetting {
    /// The value in base units, if numeric.
    pub fn quantity(&self) -> Option<Quantity> {
        Quantity::from_pg(&self.setting, self.unit.as_deref())
    }

    /// `source`, with `ALTER SYSTEM` for values from `postgresql.auto.conf` (which
    /// `pg_settings.source` calls "configuration file" too).
    pub fn origin(&self) -> String {
        match &self.sourcefile {
            Some(file) if file.ends_with("postgresql.auto.conf") => "ALTER SYSTEM".into(),
            _ => self.source.clone(),
        }
    }

    /// The value as PostgreSQL writes it (`128MB`, `on`; `-1` stays `-1`, an empty list is
    /// `''`).
    pub fn display(&self) -> String {
        match (self.vartype.as_str(), self.quantity()) {
            ("integer" | "real", Some(q)) if q.value >= 0.0 => q.pg_text(),
            _ if self.setting.is_empty() => "''".to_string(),
            _ => self.setting.clone(),
        }
    }
}

/// Reads the named settings; those the role may not see are missing from the result.
pub(crate) fn read_settings(
    conn: &mut PgConnection,
    names: &[&str],
) -> Result<Vec<PgSetting>, Error> {
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    diesel::sql_query(include_str!("sql/settings.sql"))
        .bind::<Array<Text>, _>(&names)
        .load(conn)
        .map_err(Error::query("reading pg_settings"))
}

#[derive(QueryableByName)]
struct CurrentDatabase {
    #[diesel(sql_type = Text)]
    name: String,
}

/// Settings read for the pool advice and the version, not reported as rows.
const CONTEXT: [&str; 3] = [
    "superuser_reserved_connections",
    "reserved_connections",
    "server_version",
];

/// `diag all`'s settings check: the findings and limitations of [`check`], in the one
/// [`super::all::Check`] shape.
pub(crate) fn evaluate(
    conn: &mut PgConnection,
    options: &SettingsOptions,
) -> Result<Outcome, super::Error> {
    let report = check(conn, options)?;
    Ok(Outcome {
        findings: report.findings,
        limitations: report.limitations,
        ..Outcome::default()
    })
}

/// Runs the check. Changes nothing.
pub fn check(conn: &mut PgConnection, options: &SettingsOptions) -> Result<SettingsReport, Error> {
    let mut findings = Vec::new();
    let mut limitations = Vec::new();
    let access = machine::access(conn)?;
    let machine = machine::detect(
        conn,
        &access,
        options.ram_bytes,
        options.cores,
        &mut limitations,
    )?;
    let rules = rules::rules(&machine, options.storage);
    let names: Vec<&str> = rules.iter().map(|r| r.name).chain(CONTEXT).collect();
    let pg = read_settings(conn, &names)?;
    let find = |name: &str| pg.iter().find(|s| s.name == name);

    let database: CurrentDatabase = diesel::sql_query("SELECT current_database()::text AS name")
        .get_result(conn)
        .map_err(Error::query("reading the database name"))?;
    let mut settings = Vec::new();
    for rule in &rules {
        let mut row = rules::assess(rule, find(rule.name), options.far_off);
        rules::for_database(rule, &mut row, &database.name);
        if row.current.is_none() {
            limitations.push(Limitation {
                what: format!("{} (the role may not read it)", rule.name),
                why: "a superuser-only setting".into(),
                enable: Some(format!(
                    "GRANT pg_read_all_settings TO {}; (pg_monitor includes it)",
                    access.role_name
                )),
            });
        } else if row.severity > Severity::Ok {
            findings.push(Finding {
                check: "settings".into(),
                severity: row.severity,
                message: rules::describe(&row),
                fix: row.alter.clone(),
            });
        }
        settings.push(row);
    }

    let number = |name: &str| {
        find(name)
            .and_then(PgSetting::quantity)
            .map(|q| q.value as u32)
    };
    let pool = pool::advice(
        &machine,
        options,
        number("max_connections"),
        number("superuser_reserved_connections").unwrap_or(0)
            + number("reserved_connections").unwrap_or(0),
    );
    if pool.severity > Severity::Ok {
        findings.push(Finding {
            check: "settings".into(),
            severity: pool.severity,
            message: pool.message.clone(),
            fix: Some(format!(
                "set pool_size = {} under [database] in wfctl.toml",
                pool.formula
            )),
        });
    }
    let tables = autovacuum::check(conn, &mut findings, &mut limitations)?;

    let mut apply: Vec<String> = settings.iter().filter_map(|s| s.alter.clone()).collect();
    let restart_needed_for: Vec<String> = settings
        .iter()
        .filter(|s| (s.alter.is_some() && s.restart_required) || s.pending_restart)
        .map(|s| s.name.clone())
        .collect();
    // ALTER DATABASE reaches new sessions by itself; ALTER SYSTEM needs the reload
    if apply.iter().any(|a| a.starts_with("ALTER SYSTEM")) {
        apply.push("SELECT pg_reload_conf();".into());
    }
    apply.extend(tables.iter().filter_map(|t| t.alter.clone()));
    let pending: Vec<&str> = settings
        .iter()
        .filter(|s| s.pending_restart)
        .map(|s| s.name.as_str())
        .collect();
    if !pending.is_empty() {
        findings.push(Finding {
            check: "settings".into(),
            severity: Severity::Warning,
            message: format!(
                "changed but not in effect until PostgreSQL restarts: {}",
                pending.join(", ")
            ),
            fix: Some("restart PostgreSQL".into()),
        });
    }
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    Ok(SettingsReport {
        server_version: find("server_version")
            .map(|s| s.setting.clone())
            .unwrap_or_default(),
        machine,
        storage: options.storage,
        settings,
        pool,
        tables,
        apply,
        restart_needed_for,
        findings,
        limitations,
    })
}
