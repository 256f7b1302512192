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
//! `shared_preload_libraries` without `pg_stat_statements` are critical.

mod autovacuum;
mod machine;
mod values;

use diesel::pg::PgConnection;
use diesel::sql_types::{Array, Bool, Nullable, Text};
use diesel::{QueryableByName, RunQueryDsl};
use serde::Serialize;

use crate::db::Error;
use crate::diag::{Finding, Limitation, Severity};

pub use autovacuum::{HOT_TABLES, TableAutovacuum};
pub use machine::{Machine, Origin, REFERENCE_CORES, REFERENCE_RAM};
pub use values::{Quantity, parse_size};

/// The SQL operations of this module (`/* wfctl:<op> */` tags).
pub const OPERATIONS: [&str; 4] = [
    "diag_settings",
    "diag_settings_access",
    "diag_settings_machine",
    "diag_settings_tables",
];

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
    /// `pg_settings.source`: default, configuration file, override, ...
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

/// The guide's "Pool Size Calculation" for this server.
#[derive(Debug, Clone, Serialize)]
pub struct PoolAdvice {
    /// CPUs used in the formula.
    pub cores: u32,
    /// `effective_spindle_count`.
    pub spindles: u32,
    /// `cores * 2 + spindles`.
    pub formula: u32,
    /// wfctl's `[database] pool_size`.
    pub wfctl_pool: u32,
    /// The server's `max_connections`.
    pub max_connections: Option<u32>,
    /// Connections only superusers (and `pg_use_reserved_connections`) may use.
    pub reserved_connections: u32,
    /// `max_connections - reserved_connections`.
    pub usable_connections: Option<u32>,
    /// How wfctl's pool compares.
    pub severity: Severity,
    /// One line for a person.
    pub message: String,
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
pub fn read_settings(conn: &mut PgConnection, names: &[&str]) -> Result<Vec<PgSetting>, Error> {
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    diesel::sql_query(include_str!("sql/settings.sql"))
        .bind::<Array<Text>, _>(&names)
        .load(conn)
        .map_err(Error::query("reading pg_settings"))
}

/// What a setting should be.
enum Want {
    Amount(Quantity),
    On,
    Contains(&'static str),
}

struct Rule {
    name: &'static str,
    want: Want,
    rule: String,
    /// Never more than a warning: cheap to leave off.
    minor: bool,
}

const MB: f64 = 1024.0 * 1024.0;
const GB: f64 = 1024.0 * MB;

/// The guide's settings, in its order, scaled to `machine`.
fn rules(machine: &Machine, storage: Storage) -> Vec<Rule> {
    let ram = machine.ram_bytes as f64;
    let mem = |bytes: f64| Want::Amount(Quantity::bytes(values::round_memory(bytes)));
    let ssd = storage == Storage::Ssd;
    let rule = |name, want, rule: &str, minor| Rule {
        name,
        want,
        rule: rule.to_string(),
        minor,
    };
    vec![
        rule("shared_buffers", mem(ram * 0.25), "25% of RAM", false),
        rule("effective_cache_size", mem(ram * 0.75), "75% of RAM", false),
        rule(
            "work_mem",
            mem((ram / 64.0).clamp(4.0 * MB, 64.0 * MB)),
            "RAM/64, 4MB-64MB",
            false,
        ),
        rule(
            "maintenance_work_mem",
            mem((ram / 8.0).clamp(64.0 * MB, 2.0 * GB)),
            "RAM/8, 64MB-2GB",
            false,
        ),
        rule(
            "checkpoint_completion_target",
            Want::Amount(Quantity::plain(0.9)),
            "guide",
            true,
        ),
        rule(
            "wal_buffers",
            Want::Amount(Quantity::bytes(16.0 * MB)),
            "guide",
            true,
        ),
        rule(
            "max_wal_size",
            Want::Amount(Quantity::bytes(2.0 * GB)),
            "guide",
            false,
        ),
        rule(
            "min_wal_size",
            Want::Amount(Quantity::bytes(GB)),
            "guide",
            true,
        ),
        rule(
            "random_page_cost",
            Want::Amount(Quantity::plain(if ssd { 1.1 } else { 4.0 })),
            if ssd { "guide, SSD" } else { "guide, HDD" },
            false,
        ),
        rule(
            "effective_io_concurrency",
            Want::Amount(Quantity::plain(if ssd { 200.0 } else { 2.0 })),
            if ssd { "guide, SSD" } else { "guide, HDD" },
            false,
        ),
        rule(
            "log_min_duration_statement",
            Want::Amount(Quantity::millis(1000.0)),
            "guide: log statements over 1s",
            true,
        ),
        rule(
            "max_connections",
            Want::Amount(Quantity::plain(100.0)),
            "guide",
            false,
        ),
        rule("autovacuum", Want::On, "guide", false),
        rule(
            "autovacuum_max_workers",
            Want::Amount(Quantity::plain(3.0)),
            "guide",
            false,
        ),
        rule(
            "autovacuum_naptime",
            Want::Amount(Quantity::millis(60_000.0)),
            "guide",
            false,
        ),
        rule(
            "shared_preload_libraries",
            Want::Contains("pg_stat_statements"),
            "must include pg_stat_statements (diag slow-queries)",
            false,
        ),
    ]
}

/// Settings read for the pool advice and the version, not reported as rows.
const CONTEXT: [&str; 3] = [
    "superuser_reserved_connections",
    "reserved_connections",
    "server_version",
];

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
    let rules = rules(&machine, options.storage);
    let names: Vec<&str> = rules.iter().map(|r| r.name).chain(CONTEXT).collect();
    let pg = read_settings(conn, &names)?;
    let find = |name: &str| pg.iter().find(|s| s.name == name);

    let mut settings = Vec::new();
    for rule in &rules {
        let row = assess(rule, find(rule.name), options.far_off);
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
                message: describe(&row),
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
    let pool = pool_advice(
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
    if !apply.is_empty() {
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

fn assess(rule: &Rule, pg: Option<&PgSetting>, far_off: f64) -> SettingRow {
    let recommended = match &rule.want {
        Want::Amount(q) => q.pg_text(),
        Want::On => "on".to_string(),
        Want::Contains(item) => format!("includes {item}"),
    };
    let mut row = SettingRow {
        name: rule.name.to_string(),
        current: pg.map(PgSetting::display),
        recommended,
        rule: rule.rule.clone(),
        source: pg.map(|s| s.source.clone()),
        restart_required: pg.is_some_and(|s| s.context == "postmaster"),
        pending_restart: pg.is_some_and(|s| s.pending_restart),
        factor: None,
        severity: Severity::Unknown,
        alter: None,
    };
    let Some(pg) = pg else {
        return row;
    };
    let (severity, literal) = match &rule.want {
        Want::Amount(want) => match pg.quantity() {
            // -1 disables log_min_duration_statement (and means "automatic" elsewhere).
            Some(current) if current.value < 0.0 => (Severity::Warning, want.sql_literal()),
            Some(current) => {
                let factor = current.factor(*want);
                row.factor = Some(factor);
                let severity = if factor > far_off && !rule.minor {
                    Severity::Critical
                } else if factor > WARN_FACTOR {
                    Severity::Warning
                } else {
                    Severity::Ok
                };
                (severity, want.sql_literal())
            }
            None => (Severity::Unknown, want.sql_literal()),
        },
        Want::On => match pg.setting.as_str() {
            "on" => (Severity::Ok, "on".into()),
            _ => (Severity::Critical, "on".into()),
        },
        Want::Contains(item) => {
            let mut list = split_list(&pg.setting);
            if list.iter().any(|l| l == item) {
                (Severity::Ok, String::new())
            } else {
                list.push(item.to_string());
                (Severity::Critical, quote_list(&list))
            }
        }
    };
    row.severity = severity;
    if severity > Severity::Ok && severity != Severity::Unknown {
        row.alter = Some(format!("ALTER SYSTEM SET {} = {literal};", rule.name));
    }
    row
}

fn describe(row: &SettingRow) -> String {
    let current = row.current.as_deref().unwrap_or("?");
    let how_far = match row.factor {
        Some(f) if f.is_finite() => format!(": {f:.1}x off"),
        Some(_) => ": disabled".to_string(),
        None => String::new(),
    };
    format!(
        "{} = {current}, recommended {} ({}){how_far}",
        row.name, row.recommended, row.rule
    )
}

/// `shared_preload_libraries` as PostgreSQL shows it: `a, "b c"`.
fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(|item| item.trim().trim_matches('"').to_string())
        .filter(|item| !item.is_empty())
        .collect()
}

/// A list setting for `ALTER SYSTEM`: one quoted literal per item. A single `'a,b'` would be
/// taken as one library named "a,b".
fn quote_list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("'{}'", i.replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(", ")
}

fn pool_advice(
    machine: &Machine,
    options: &SettingsOptions,
    max_connections: Option<u32>,
    reserved: u32,
) -> PoolAdvice {
    let formula = machine.cores * 2 + options.spindles;
    let usable = max_connections.map(|m| m.saturating_sub(reserved));
    let pool = options.pool_size;
    let (severity, message) = match usable {
        Some(usable) if pool > usable => (
            Severity::Critical,
            format!(
                "wfctl's pool of {pool} is larger than the {usable} connections the server \
                 allows (max_connections {} - {reserved} reserved)",
                max_connections.unwrap_or_default()
            ),
        ),
        _ if pool > formula * 2 => (
            Severity::Warning,
            format!(
                "wfctl's pool of {pool} is more than twice cores*2+spindles = {formula}: \
                 the extra connections only queue inside PostgreSQL"
            ),
        ),
        _ => (
            Severity::Ok,
            format!(
                "wfctl's pool of {pool} is at most twice cores*2+spindles = {formula} \
                 (the guide rounds its 4-core example's 9 up to 10-20 for parallel branches)"
            ),
        ),
    };
    PoolAdvice {
        cores: machine.cores,
        spindles: options.spindles,
        formula,
        wfctl_pool: pool,
        max_connections,
        reserved_connections: reserved,
        usable_connections: usable,
        severity,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pg(name: &str, setting: &str, unit: Option<&str>, vartype: &str) -> PgSetting {
        PgSetting {
            name: name.into(),
            setting: setting.into(),
            unit: unit.map(str::to_string),
            source: "default".into(),
            context: "postmaster".into(),
            vartype: vartype.into(),
            pending_restart: false,
        }
    }

    fn machine(gib: u64, cores: u32) -> Machine {
        Machine {
            ram_bytes: gib << 30,
            ram_source: Origin::Given,
            cores,
            cores_source: Origin::Given,
        }
    }

    fn rule<'a>(rules: &'a [Rule], name: &str) -> &'a Rule {
        rules.iter().find(|r| r.name == name).unwrap()
    }

    #[test]
    fn the_reference_server_gets_the_guides_numbers() {
        let rules = rules(&machine(1, 4), Storage::Ssd);
        let text = |name| match &rule(&rules, name).want {
            Want::Amount(q) => q.pg_text(),
            _ => unreachable!("numeric"),
        };
        assert_eq!(text("shared_buffers"), "256MB");
        assert_eq!(text("work_mem"), "16MB");
        assert_eq!(text("maintenance_work_mem"), "128MB");
        assert_eq!(text("max_wal_size"), "2GB");
        assert_eq!(text("random_page_cost"), "1.1");
        assert_eq!(text("log_min_duration_statement"), "1s");
        assert_eq!(text("autovacuum_naptime"), "1min");
    }

    #[test]
    fn far_off_is_critical_near_is_ok_minor_stays_a_warning() {
        let rules = rules(&machine(16, 4), Storage::Ssd);
        let sb = assess(
            rule(&rules, "shared_buffers"),
            Some(&pg("shared_buffers", "16384", Some("8kB"), "integer")),
            FAR_OFF,
        );
        assert_eq!(sb.current.as_deref(), Some("128MB"));
        assert_eq!(sb.recommended, "4GB");
        assert_eq!(sb.severity, Severity::Critical);
        assert_eq!(sb.factor, Some(32.0));
        assert_eq!(
            sb.alter.as_deref(),
            Some("ALTER SYSTEM SET shared_buffers = '4GB';")
        );
        assert!(sb.restart_required);
        let near = assess(
            rule(&rules, "shared_buffers"),
            Some(&pg("shared_buffers", "3584", Some("MB"), "integer")),
            FAR_OFF,
        );
        assert_eq!((near.severity, near.alter), (Severity::Ok, None));
        let min_wal = assess(
            rule(&rules, "min_wal_size"),
            Some(&pg("min_wal_size", "80", Some("MB"), "integer")),
            FAR_OFF,
        );
        assert_eq!(min_wal.severity, Severity::Warning, "12.8x, but minor");
        let log = assess(
            rule(&rules, "log_min_duration_statement"),
            Some(&pg(
                "log_min_duration_statement",
                "-1",
                Some("ms"),
                "integer",
            )),
            FAR_OFF,
        );
        assert_eq!(log.severity, Severity::Warning);
        assert_eq!(
            log.alter.as_deref(),
            Some("ALTER SYSTEM SET log_min_duration_statement = '1s';")
        );
        let hidden = assess(rule(&rules, "shared_preload_libraries"), None, FAR_OFF);
        assert_eq!((hidden.severity, hidden.current), (Severity::Unknown, None));
    }

    #[test]
    fn preload_list_keeps_what_is_there_one_literal_per_library() {
        let rules = rules(&machine(1, 4), Storage::Ssd);
        let spl = rule(&rules, "shared_preload_libraries");
        let row = assess(
            spl,
            Some(&pg(
                "shared_preload_libraries",
                "auto_explain",
                None,
                "string",
            )),
            FAR_OFF,
        );
        assert_eq!(row.severity, Severity::Critical);
        assert_eq!(
            row.alter.as_deref(),
            Some(
                "ALTER SYSTEM SET shared_preload_libraries = 'auto_explain', 'pg_stat_statements';"
            )
        );
        let ok = assess(
            spl,
            Some(&pg(
                "shared_preload_libraries",
                "auto_explain, pg_stat_statements",
                None,
                "string",
            )),
            FAR_OFF,
        );
        assert_eq!((ok.severity, ok.alter), (Severity::Ok, None));
    }

    #[test]
    fn pool_against_formula_and_max_connections() {
        let options = SettingsOptions {
            ram_bytes: None,
            cores: None,
            spindles: 1,
            storage: Storage::Ssd,
            pool_size: 8,
            far_off: FAR_OFF,
        };
        let ok = pool_advice(&machine(4, 4), &options, Some(100), 3);
        assert_eq!((ok.formula, ok.severity), (9, Severity::Ok));
        assert_eq!(ok.usable_connections, Some(97));
        let big = SettingsOptions {
            pool_size: 50,
            ..options.clone()
        };
        assert_eq!(
            pool_advice(&machine(4, 4), &big, Some(100), 3).severity,
            Severity::Warning
        );
        assert_eq!(
            pool_advice(&machine(4, 4), &big, Some(40), 3).severity,
            Severity::Critical
        );
    }
}
