//! Thresholds of `diag all --check`: one named figure per check, a warning and a critical
//! level (higher is worse), overridable with `--warn KEY=VALUE` / `--crit KEY=VALUE`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Error, Severity};

/// How a threshold's value is written and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Percent (`90` or `90%`).
    Percent,
    /// A duration (`30s`, `5m`, `2h`; a bare number is seconds).
    Seconds,
    /// A plain count.
    Count,
    /// Megabytes.
    Megabytes,
    /// Milliseconds (`250` or `250ms`).
    Milliseconds,
}

impl Unit {
    /// The Nagios performance-data unit.
    fn perf(self) -> &'static str {
        match self {
            Self::Percent => "%",
            Self::Seconds => "s",
            Self::Count => "",
            Self::Megabytes => "MB",
            Self::Milliseconds => "ms",
        }
    }
}

/// One threshold: key, unit, defaults, meaning.
pub struct Key {
    /// The name used with `--warn` / `--crit`.
    pub name: &'static str,
    /// How values are written.
    pub unit: Unit,
    /// Default warning level (`None`: never a warning).
    pub warn: Option<f64>,
    /// Default critical level.
    pub crit: Option<f64>,
    /// What the figure is.
    pub help: &'static str,
}

const fn key(
    name: &'static str,
    unit: Unit,
    warn: Option<f64>,
    crit: Option<f64>,
    help: &'static str,
) -> Key {
    Key {
        name,
        unit,
        warn,
        crit,
        help,
    }
}

/// Every threshold with its default (check_postgres' and PgHero's defaults where they have one).
pub(crate) const KEYS: &[Key] = &[
    key(
        "connections",
        Unit::Percent,
        Some(90.0),
        Some(95.0),
        "client connections, % of max_connections",
    ),
    key(
        "pending_migrations",
        Unit::Count,
        Some(1.0),
        None,
        "schema migrations not applied",
    ),
    key(
        "replication_lag",
        Unit::Seconds,
        Some(30.0),
        Some(300.0),
        "replica replay lag",
    ),
    key(
        "long_running",
        Unit::Seconds,
        Some(60.0),
        Some(300.0),
        "oldest active query",
    ),
    key(
        "idle_in_transaction",
        Unit::Seconds,
        Some(60.0),
        Some(600.0),
        "oldest idle-in-transaction transaction",
    ),
    key(
        "blocked",
        Unit::Seconds,
        Some(10.0),
        Some(60.0),
        "longest lock wait",
    ),
    key(
        "xid_age",
        Unit::Count,
        Some(1.3e9),
        Some(1.4e9),
        "transaction-id age (wraparound at 2^31)",
    ),
    key(
        "dead_tuples",
        Unit::Percent,
        Some(20.0),
        Some(50.0),
        "dead rows, % of live (tables of 10,000+ rows)",
    ),
    key(
        "prepared_xact",
        Unit::Seconds,
        Some(300.0),
        Some(3600.0),
        "oldest prepared transaction",
    ),
    key(
        "invalid_indexes",
        Unit::Count,
        Some(1.0),
        None,
        "invalid indexes (a failed CREATE INDEX CONCURRENTLY)",
    ),
    key(
        "duplicate_indexes",
        Unit::Count,
        None,
        None,
        "duplicate or redundant indexes (advice unless set)",
    ),
    key(
        "unused_index_mb",
        Unit::Megabytes,
        Some(10.0),
        None,
        "largest index never scanned (stats --min-stats-age old)",
    ),
    key(
        "missing_indexes",
        Unit::Count,
        None,
        None,
        "recommended indexes missing (advice unless set)",
    ),
    key(
        "slow_query_ms",
        Unit::Milliseconds,
        Some(100.0),
        Some(1000.0),
        "mean time of the slowest statement (10+ calls)",
    ),
    key(
        "bloat",
        Unit::Percent,
        Some(50.0),
        None,
        "estimated table bloat (10 MB+ tables, trusted estimates)",
    ),
    key(
        "stuck_cases",
        Unit::Count,
        Some(1.0),
        Some(100.0),
        "cases stuck running (crashed: they need a resume)",
    ),
    key(
        "overdue_milestones",
        Unit::Count,
        Some(1.0),
        Some(1000.0),
        "SLA milestones past due",
    ),
    key(
        "error_basket",
        Unit::Count,
        Some(1.0),
        Some(100.0),
        "cases pended in the error work basket",
    ),
    key(
        "orphans",
        Unit::Count,
        Some(1.0),
        None,
        "rows without their case",
    ),
    key(
        "seq_scans",
        Unit::Count,
        Some(1.0),
        None,
        "wfctl statements that scan a big table sequentially",
    ),
];

/// The thresholds in force.
#[derive(Debug, Clone, Serialize)]
pub struct Thresholds {
    levels: BTreeMap<&'static str, (Option<f64>, Option<f64>)>,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            levels: KEYS.iter().map(|k| (k.name, (k.warn, k.crit))).collect(),
        }
    }
}

/// A figure compared with its thresholds.
#[derive(Debug, Clone, Serialize)]
pub struct Measure {
    /// The threshold key.
    pub name: String,
    /// The figure.
    pub value: f64,
    /// Its unit.
    pub unit: Unit,
    /// Warning level in force.
    pub warn: Option<f64>,
    /// Critical level in force.
    pub crit: Option<f64>,
    /// Where `value` falls.
    pub severity: Severity,
}

impl Measure {
    /// `name=value[unit];warn;crit` (Nagios performance data).
    pub fn perfdata(&self) -> String {
        let level = |v: Option<f64>| v.map(perf_num).unwrap_or_default();
        format!(
            "{}={}{};{};{}",
            self.name,
            perf_num(self.value),
            self.unit.perf(),
            level(self.warn),
            level(self.crit)
        )
    }
}

/// Nagios performance data: digits only (no exponent).
fn perf_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

/// For people: big levels as `1.3e9`.
fn fmt_num(v: f64) -> String {
    if v.abs() >= 1e8 {
        format!("{v:e}")
    } else if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

impl Thresholds {
    /// Applies `KEY=VALUE` overrides (`none` switches a level off).
    pub fn with_overrides(mut self, warn: &[String], crit: &[String]) -> Result<Self, Error> {
        for (list, critical) in [(warn, false), (crit, true)] {
            for item in list {
                let (name, value) = item.split_once('=').ok_or_else(|| {
                    Error::Invalid(format!("threshold {item:?}: expected KEY=VALUE"))
                })?;
                let key = KEYS.iter().find(|k| k.name == name.trim()).ok_or_else(|| {
                    let names: Vec<&str> = KEYS.iter().map(|k| k.name).collect();
                    Error::Invalid(format!(
                        "threshold {name:?}: unknown key (known: {})",
                        names.join(", ")
                    ))
                })?;
                let parsed = parse_value(key.unit, value.trim())
                    .map_err(|why| Error::Invalid(format!("threshold {name}={value}: {why}")))?;
                let level = self.levels.entry(key.name).or_default();
                if critical {
                    level.1 = parsed;
                } else {
                    level.0 = parsed;
                }
            }
        }
        Ok(self)
    }

    /// Compares `value` with the levels of `name`.
    pub fn measure(&self, name: &'static str, value: f64) -> Measure {
        let (warn, crit) = self.levels.get(name).copied().unwrap_or_default();
        let unit = KEYS
            .iter()
            .find(|k| k.name == name)
            .map_or(Unit::Count, |k| k.unit);
        let severity = if crit.is_some_and(|c| value >= c) {
            Severity::Critical
        } else if warn.is_some_and(|w| value >= w) {
            Severity::Warning
        } else {
            Severity::Ok
        };
        Measure {
            name: name.to_string(),
            value,
            unit,
            warn,
            crit,
            severity,
        }
    }

    /// The levels of `name`.
    pub fn levels(&self, name: &str) -> (Option<f64>, Option<f64>) {
        self.levels.get(name).copied().unwrap_or_default()
    }
}

fn parse_value(unit: Unit, text: &str) -> Result<Option<f64>, String> {
    if text.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    let number = |t: &str| {
        t.trim()
            .parse::<f64>()
            .map_err(|_| format!("{t:?} is not a number"))
    };
    let value = match unit {
        Unit::Percent => number(text.trim_end_matches('%'))?,
        Unit::Milliseconds => number(text.trim_end_matches("ms"))?,
        Unit::Megabytes => number(text.trim_end_matches("MB").trim_end_matches("mb"))?,
        Unit::Count => number(text)?,
        Unit::Seconds => match text.parse::<f64>() {
            Ok(v) => v,
            Err(_) => humantime::parse_duration(text)
                .map_err(|e| format!("{text:?}: {e}"))?
                .as_secs_f64(),
        },
    };
    if value.is_finite() && value >= 0.0 {
        Ok(Some(value))
    } else {
        Err("must be a non-negative number".into())
    }
}

/// The thresholds for `--help` and the README: one line per key.
pub fn describe() -> String {
    let mut lines = vec![format!(
        "  {:<20} {:>6} {:>6}  {}",
        "KEY", "WARN", "CRIT", "FIGURE"
    )];
    lines.extend(KEYS.iter().map(|k| {
        let show = |v: Option<f64>| {
            v.map_or("-".to_string(), |v| {
                format!("{}{}", fmt_num(v), k.unit.perf())
            })
        };
        format!(
            "  {:<20} {:>6} {:>6}  {}",
            k.name,
            show(k.warn),
            show(k.crit),
            k.help
        )
    }));
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_parse_units_and_none() {
        let t = Thresholds::default()
            .with_overrides(
                &["long_running=2m".into(), "connections=80%".into()],
                &["long_running=none".into(), "stuck_cases=5".into()],
            )
            .unwrap();
        assert_eq!(t.levels("long_running"), (Some(120.0), None));
        assert_eq!(t.levels("connections"), (Some(80.0), Some(95.0)));
        assert_eq!(t.measure("stuck_cases", 5.0).severity, Severity::Critical);
        assert_eq!(t.measure("stuck_cases", 0.0).severity, Severity::Ok);
        assert_eq!(t.measure("long_running", 1e6).severity, Severity::Warning);
        assert!(
            Thresholds::default()
                .with_overrides(&["nope=1".into()], &[])
                .is_err()
        );
        assert!(
            Thresholds::default()
                .with_overrides(&["blocked=-1".into()], &[])
                .is_err()
        );
        assert!(
            Thresholds::default()
                .with_overrides(&["blocked".into()], &[])
                .is_err()
        );
    }

    #[test]
    fn perfdata_is_nagios_shaped() {
        let m = Thresholds::default().measure("connections", 12.5);
        assert_eq!(m.perfdata(), "connections=12.50%;90;95");
        let m = Thresholds::default().measure("orphans", 0.0);
        assert_eq!(m.perfdata(), "orphans=0;1;");
    }
}
