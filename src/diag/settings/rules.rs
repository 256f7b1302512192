//! The guide's settings, each with its recommendation scaled to the machine, and how far the
//! running value is from it (see the parent module for the scaling and the thresholds).

use super::values::{self, Quantity};
use super::{Machine, PgSetting, SettingRow, Storage, WARN_FACTOR};
use crate::diag::Severity;

/// What a setting should be.
pub(super) enum Want {
    Amount(Quantity),
    On,
    Contains(&'static str),
    /// Anything but this value (`log_statement = all` logs every statement).
    Not(&'static str, &'static str),
    /// Text holding each of these (`log_line_prefix` escapes); the value to set otherwise.
    Holds(&'static [&'static str], &'static str),
}

pub(super) struct Rule {
    pub(super) name: &'static str,
    want: Want,
    rule: String,
    /// Never more than a warning: cheap to leave off.
    minor: bool,
    /// Set per database (`ALTER DATABASE`), as the guide does, rather than server-wide.
    pub(super) per_database: bool,
}

/// The guide's `log_line_prefix`: time, pid, line, user, database, application, client.
const GUIDE_LINE_PREFIX: &str = "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ";

const MB: f64 = 1024.0 * 1024.0;
const GB: f64 = 1024.0 * MB;

/// The guide's settings, in its order, scaled to `machine`.
pub(super) fn rules(machine: &Machine, storage: Storage) -> Vec<Rule> {
    let ram = machine.ram_bytes as f64;
    let mem = |bytes: f64| Want::Amount(Quantity::bytes(values::round_memory(bytes)));
    let ssd = storage == Storage::Ssd;
    let rule = |name, want, rule: &str, minor| Rule {
        name,
        want,
        rule: rule.to_string(),
        minor,
        per_database: false,
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
        Rule {
            per_database: true,
            ..rule(
                "log_min_duration_statement",
                Want::Amount(Quantity::millis(1000.0)),
                "guide: log statements over 1s, set for this database",
                true,
            )
        },
        rule(
            "log_statement",
            Want::Not("all", "none"),
            "guide: none ('all' only while debugging)",
            true,
        ),
        rule(
            "log_line_prefix",
            Want::Holds(&["%p", "%u", "%d", "%a"], GUIDE_LINE_PREFIX),
            "guide: time, pid, user, database, application, client",
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

/// Settings of the rules that take effect only at a server start in every supported version:
/// what a role that cannot read a setting's `context` is told about it.
const RESTART_ONLY: &[&str] = &[
    "shared_preload_libraries",
    "shared_buffers",
    "max_connections",
    "wal_buffers",
];

/// One row of the report: the running value beside the recommendation.
pub(super) fn assess(rule: &Rule, pg: Option<&PgSetting>, far_off: f64) -> SettingRow {
    let recommended = match &rule.want {
        Want::Amount(q) => q.pg_text(),
        Want::On => "on".to_string(),
        Want::Contains(item) => format!("includes {item}"),
        Want::Not(_, want) => (*want).to_string(),
        Want::Holds(_, want) => format!("'{want}'"),
    };
    let mut row = SettingRow {
        name: rule.name.to_string(),
        current: pg.map(PgSetting::display),
        recommended,
        rule: rule.rule.clone(),
        source: pg.map(PgSetting::origin),
        restart_required: pg.map_or(RESTART_ONLY.contains(&rule.name), |s| {
            s.context == "postmaster"
        }),
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
        Want::Not(bad, want) => {
            if pg.setting == *bad {
                (Severity::Warning, format!("'{want}'"))
            } else {
                (Severity::Ok, String::new())
            }
        }
        Want::Holds(escapes, want) => {
            if escapes.iter().all(|e| pg.setting.contains(e)) {
                (Severity::Ok, String::new())
            } else {
                (Severity::Warning, format!("'{want}'"))
            }
        }
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

/// A per-database rule's statement: `ALTER DATABASE db SET ...` in place of `ALTER SYSTEM`
/// (new sessions of that database get it; no reload).
pub(super) fn for_database(rule: &Rule, row: &mut SettingRow, database: &str) {
    if !rule.per_database {
        return;
    }
    if let Some(rest) = row
        .alter
        .as_deref()
        .and_then(|a| a.strip_prefix("ALTER SYSTEM SET "))
    {
        row.alter = Some(format!(
            "ALTER DATABASE {} SET {rest}",
            crate::diag::sql::ident(database)
        ));
    }
}

/// One line for a person about a row that is off.
pub(super) fn describe(row: &SettingRow) -> String {
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
#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::settings::{FAR_OFF, Origin};

    fn pg(name: &str, setting: &str, unit: Option<&str>, vartype: &str) -> PgSetting {
        PgSetting {
            name: name.into(),
            setting: setting.into(),
            unit: unit.map(str::to_string),
            source: "default".into(),
            sourcefile: None,
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
    fn logging_all_statements_or_a_bare_prefix_is_a_warning() {
        let rules = rules(&machine(16, 4), Storage::Ssd);
        let all = assess(
            rule(&rules, "log_statement"),
            Some(&pg("log_statement", "all", None, "enum")),
            FAR_OFF,
        );
        assert_eq!(all.severity, Severity::Warning);
        assert_eq!(
            all.alter.as_deref(),
            Some("ALTER SYSTEM SET log_statement = 'none';")
        );
        let ddl = assess(
            rule(&rules, "log_statement"),
            Some(&pg("log_statement", "ddl", None, "enum")),
            FAR_OFF,
        );
        assert_eq!((ddl.severity, ddl.alter), (Severity::Ok, None));
        let bare = assess(
            rule(&rules, "log_line_prefix"),
            Some(&pg("log_line_prefix", "%m [%p] ", None, "string")),
            FAR_OFF,
        );
        assert_eq!(bare.severity, Severity::Warning);
        let custom = assess(
            rule(&rules, "log_line_prefix"),
            Some(&pg("log_line_prefix", "%m %p %u@%d %a ", None, "string")),
            FAR_OFF,
        );
        assert_eq!(custom.severity, Severity::Ok);
        let mut slow = assess(
            rule(&rules, "log_min_duration_statement"),
            Some(&pg(
                "log_min_duration_statement",
                "-1",
                Some("ms"),
                "integer",
            )),
            FAR_OFF,
        );
        for_database(
            rule(&rules, "log_min_duration_statement"),
            &mut slow,
            "workflow_db",
        );
        assert_eq!(
            slow.alter.as_deref(),
            Some("ALTER DATABASE \"workflow_db\" SET log_min_duration_statement = '1s';")
        );
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
        // a role that cannot read it still learns that it needs a restart
        assert!(hidden.restart_required);
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
}
