//! `diag bloat`: estimated table and btree-index bloat. Statistical estimates from pg_stats
//! (not measurements: `pgstattuple` measures), labelled as such, and withheld where their
//! inputs cannot be trusted: no pg_stats rows (a role without SELECT sees none and the
//! estimate would be silently wrong), never analyzed, or stale statistics.

use diesel::pg::PgConnection;
use diesel::sql_types::{BigInt, Bool, Double, Text};
use diesel::{QueryableByName, RunQueryDsl};
use serde::Serialize;

use super::facts::Facts;
use super::{Error, Finding, Limitation, Outcome, Thresholds};

/// Relations smaller than this (10 pages of 8 kB, check_postgres' floor) are not reported.
pub const MIN_BYTES: i64 = 10 * 8192;

#[derive(Debug, Clone, QueryableByName)]
struct TableRow {
    #[diesel(sql_type = Text)]
    schema_name: String,
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = BigInt)]
    estimated_from_bytes: i64,
    #[diesel(sql_type = BigInt)]
    real_bytes: i64,
    #[diesel(sql_type = BigInt)]
    bloat_bytes: i64,
    #[diesel(sql_type = Double)]
    bloat_percent: f64,
    #[diesel(sql_type = Bool)]
    is_na: bool,
    #[diesel(sql_type = Double)]
    reltuples: f64,
    #[diesel(sql_type = BigInt)]
    mod_since_analyze: i64,
    #[diesel(sql_type = Bool)]
    analyzed: bool,
}

#[derive(Debug, Clone, QueryableByName)]
struct IndexRow {
    #[diesel(sql_type = Text)]
    schema_name: String,
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    index_name: String,
    #[diesel(sql_type = BigInt)]
    real_bytes: i64,
    #[diesel(sql_type = BigInt)]
    bloat_bytes: i64,
    #[diesel(sql_type = Double)]
    bloat_percent: f64,
    #[diesel(sql_type = Bool)]
    is_na: bool,
}

/// One estimate.
#[derive(Debug, Clone, Serialize)]
pub struct Estimate {
    /// `table` or `index`.
    pub kind: &'static str,
    /// `schema.name`.
    pub name: String,
    /// The table (for an index, its table).
    pub table: String,
    /// Size on disk.
    pub real_bytes: i64,
    /// Estimated bytes beyond what the rows need (`None` when withheld).
    pub bloat_bytes: Option<i64>,
    /// The same as a percentage (`None` when withheld).
    pub bloat_percent: Option<f64>,
    /// Why the estimate is withheld, if it is.
    pub withheld: Option<String>,
}

/// The report.
#[derive(Debug, Clone, Serialize)]
pub struct BloatReport {
    /// Always `estimate`: these are statistical estimates, not measurements.
    pub method: &'static str,
    /// Tables and indexes, largest estimated bloat first.
    pub estimates: Vec<Estimate>,
    /// What could not be estimated and why.
    pub limitations: Vec<Limitation>,
}

/// Estimates bloat for relations of at least [`MIN_BYTES`].
pub fn report(conn: &mut PgConnection, facts: &Facts) -> Result<BloatReport, Error> {
    let tables: Vec<TableRow> = diesel::sql_query(include_str!("sql/bloat_tables.sql"))
        .load(conn)
        .map_err(Error::query("estimating table bloat"))?;
    let indexes: Vec<IndexRow> = diesel::sql_query(include_str!("sql/bloat_indexes.sql"))
        .load(conn)
        .map_err(Error::query("estimating index bloat"))?;
    let mut estimates = Vec::new();
    let mut untrusted_tables = Vec::new();
    for t in tables.iter().filter(|t| t.real_bytes >= MIN_BYTES) {
        let withheld = if t.is_na {
            Some("pg_stats has no rows for some columns (never analyzed, or the role lacks SELECT on them)".to_string())
        } else if !t.analyzed {
            Some("never analyzed".to_string())
        } else if (t.estimated_from_bytes - t.real_bytes).abs() as f64 > 0.2 * t.real_bytes as f64 {
            Some(format!(
                "pg_class is out of date: {} on disk, {} as of the last vacuum/analyze",
                super::sizes::human(t.real_bytes),
                super::sizes::human(t.estimated_from_bytes)
            ))
        } else if t.mod_since_analyze as f64 > 0.2 * t.reltuples.max(1.0) {
            Some(format!(
                "statistics stale: {} rows changed since the last analyze",
                t.mod_since_analyze
            ))
        } else {
            None
        };
        if withheld.is_some() {
            untrusted_tables.push(t.table_name.clone());
        }
        estimates.push(Estimate {
            kind: "table",
            name: format!("{}.{}", t.schema_name, t.table_name),
            table: t.table_name.clone(),
            real_bytes: t.real_bytes,
            bloat_bytes: withheld.is_none().then_some(t.bloat_bytes),
            bloat_percent: withheld.is_none().then_some(t.bloat_percent),
            withheld,
        });
    }
    for i in indexes.iter().filter(|i| i.real_bytes >= MIN_BYTES) {
        let withheld = if i.is_na {
            Some("pg_stats has no rows for some key columns".to_string())
        } else if untrusted_tables.contains(&i.table_name) {
            Some("its table's statistics cannot be trusted".to_string())
        } else {
            None
        };
        estimates.push(Estimate {
            kind: "index",
            name: format!("{}.{}", i.schema_name, i.index_name),
            table: i.table_name.clone(),
            real_bytes: i.real_bytes,
            bloat_bytes: withheld.is_none().then_some(i.bloat_bytes),
            bloat_percent: withheld.is_none().then_some(i.bloat_percent),
            withheld,
        });
    }
    estimates.sort_by(|a, b| {
        b.bloat_bytes
            .unwrap_or(-1)
            .cmp(&a.bloat_bytes.unwrap_or(-1))
            .then(a.name.cmp(&b.name))
    });
    let mut limitations = Vec::new();
    let withheld = estimates.iter().filter(|e| e.withheld.is_some()).count();
    if withheld > 0 {
        limitations.push(Limitation::new(
            format!("bloat estimates for {withheld} relations"),
            "their statistics are missing, unreadable or stale (an estimate from them could be far off)",
            Some(format!(
                "ANALYZE the tables; make sure role {} has SELECT on them (pg_stats shows only readable columns)",
                facts.server.role
            )),
        ));
    }
    Ok(BloatReport {
        method: "estimate",
        estimates,
        limitations,
    })
}

/// Findings for `diag all`: tables of 10 MB or more whose trusted estimate crosses the threshold.
pub(crate) fn evaluate(
    conn: &mut PgConnection,
    facts: &Facts,
    thresholds: &Thresholds,
) -> Result<Outcome, Error> {
    let report = report(conn, facts)?;
    let mut out = Outcome {
        limitations: report.limitations.clone(),
        ..Outcome::default()
    };
    let big = |e: &&Estimate| e.kind == "table" && e.real_bytes >= 10 * 1_048_576;
    let worst = report
        .estimates
        .iter()
        .filter(big)
        .filter_map(|e| e.bloat_percent)
        .fold(0.0, f64::max);
    for e in report.estimates.iter().filter(big) {
        let Some(pct) = e.bloat_percent else { continue };
        let m = thresholds.measure("bloat", pct);
        if m.severity > super::Severity::Ok {
            out.findings.push(
                Finding::new(
                    "bloat",
                    m.severity,
                    format!(
                        "table {} estimated {:.0}% bloat ({} of {}; statistical estimate)",
                        e.name,
                        pct,
                        super::sizes::human(e.bloat_bytes.unwrap_or_default()),
                        super::sizes::human(e.real_bytes)
                    ),
                )
                .with_fix(format!(
                    "VACUUM (ANALYZE) {}; measure with pgstattuple before rewriting the table",
                    e.name
                )),
            );
        }
    }
    out.measures.push(thresholds.measure("bloat", worst));
    Ok(out)
}
