//! `diag vacuum`: dead rows per table, last (auto)vacuum and analyze, transaction-id age and
//! the wraparound margin, and what holds the xmin horizon back (old transactions, replication
//! slots, prepared transactions), joined: dead rows that cannot be removed, and who keeps them.

use chrono::{DateTime, Utc};
use diesel::pg::PgConnection;
use diesel::sql_types::{BigInt, Bool, Double, Nullable, Text, Timestamptz};
use diesel::{QueryableByName, RunQueryDsl};
use serde::Serialize;

use super::facts::{Facts, Since};
use super::{Error, Finding, Outcome, Severity, Thresholds};

/// PostgreSQL stops assigning transaction ids at about 2^31 - 3 million.
pub(crate) const WRAPAROUND: i64 = 2_147_483_647;
/// Dead-row ratios of tables smaller than this are not judged.
pub(crate) const MIN_ROWS: i64 = 10_000;

/// One table's vacuum state.
#[derive(Debug, Clone, Serialize, QueryableByName)]
pub struct TableVacuum {
    /// Schema.
    #[diesel(sql_type = Text)]
    pub schema_name: String,
    /// Table.
    #[diesel(sql_type = Text)]
    pub table_name: String,
    /// Estimated live rows.
    #[diesel(sql_type = BigInt)]
    pub live_rows: i64,
    /// Estimated dead rows.
    #[diesel(sql_type = BigInt)]
    pub dead_rows: i64,
    /// Rows changed since the last analyze.
    #[diesel(sql_type = BigInt)]
    pub changed_since_analyze: i64,
    /// Last vacuum or autovacuum.
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub last_vacuum: Option<DateTime<Utc>>,
    /// Last analyze or autoanalyze.
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub last_analyze: Option<DateTime<Utc>>,
    /// Vacuums since the stats reset.
    #[diesel(sql_type = BigInt)]
    pub vacuums: i64,
    /// Transaction-id age of the table (relfrozenxid).
    #[diesel(sql_type = BigInt)]
    pub xid_age: i64,
    /// Dead rows at which autovacuum starts on it.
    #[diesel(sql_type = Double)]
    pub autovacuum_at: f64,
    /// Whether autovacuum runs on it.
    #[diesel(sql_type = Bool)]
    pub autovacuum_on: bool,
}

impl TableVacuum {
    /// Dead rows as a percentage of live rows.
    pub fn dead_percent(&self) -> f64 {
        self.dead_rows as f64 * 100.0 / (self.live_rows.max(1) as f64)
    }
}

#[derive(QueryableByName)]
struct DatabaseAge {
    #[diesel(sql_type = BigInt)]
    xid_age: i64,
    #[diesel(sql_type = BigInt)]
    cluster_xid_age: i64,
    #[diesel(sql_type = BigInt)]
    freeze_max_age: i64,
}

/// Something that holds the xmin horizon back.
#[derive(Debug, Clone, Serialize, QueryableByName)]
pub struct HorizonHolder {
    /// `session`, `replication slot`, `prepared transaction`, `standby feedback`.
    #[diesel(sql_type = Text)]
    pub kind: String,
    /// pid, slot name, gid or standby.
    #[diesel(sql_type = Text)]
    pub holder: String,
    /// Application, state, database...
    #[diesel(sql_type = Text)]
    pub detail: String,
    /// Transactions it holds back.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub xmin_age: Option<i64>,
    /// Age of its transaction, seconds (when known).
    #[diesel(sql_type = Nullable<Double>)]
    pub seconds: Option<f64>,
}

/// The report.
#[derive(Debug, Clone, Serialize)]
pub struct VacuumReport {
    /// Since when the vacuum counters count.
    pub since: Since,
    /// Tables, most dead rows first.
    pub tables: Vec<TableVacuum>,
    /// Transaction-id age of this database.
    pub xid_age: i64,
    /// Of the oldest database in the cluster.
    pub cluster_xid_age: i64,
    /// Transaction ids left before wraparound protection stops writes (this database).
    pub wraparound_margin: i64,
    /// `autovacuum_freeze_max_age`: an anti-wraparound vacuum is forced past it.
    pub freeze_max_age: i64,
    /// What holds the xmin horizon back, oldest first.
    pub horizon: Vec<HorizonHolder>,
}

/// Reads the vacuum state.
pub fn report(conn: &mut PgConnection, facts: &Facts) -> Result<VacuumReport, Error> {
    let tables: Vec<TableVacuum> = diesel::sql_query(include_str!("sql/vacuum_tables.sql"))
        .load(conn)
        .map_err(Error::query("reading table vacuum statistics"))?;
    let age: DatabaseAge = diesel::sql_query(include_str!("sql/vacuum_database.sql"))
        .get_result(conn)
        .map_err(Error::query("reading transaction-id age"))?;
    let horizon: Vec<HorizonHolder> = diesel::sql_query(include_str!("sql/vacuum_horizon.sql"))
        .load(conn)
        .map_err(Error::query("reading what holds the xmin horizon"))?;
    Ok(VacuumReport {
        since: facts.stats_since(),
        tables,
        xid_age: age.xid_age,
        cluster_xid_age: age.cluster_xid_age,
        wraparound_margin: WRAPAROUND - age.xid_age,
        freeze_max_age: age.freeze_max_age,
        horizon,
    })
}

/// The tables whose dead rows cross the `dead_tuples` warning level (tables of
/// [`MIN_ROWS`] or more): what `diag all` warns about and `diag vacuum --run` vacuums.
pub fn flagged<'a>(report: &'a VacuumReport, thresholds: &Thresholds) -> Vec<&'a TableVacuum> {
    report
        .tables
        .iter()
        .filter(|t| t.live_rows + t.dead_rows >= MIN_ROWS)
        .filter(|t| thresholds.measure("dead_tuples", t.dead_percent()).severity > Severity::Ok)
        .collect()
}

/// How `diag vacuum --run` vacuums a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VacuumKind {
    /// `VACUUM`: marks dead rows reusable; takes no lock that blocks reads or writes.
    Plain,
    /// `VACUUM (ANALYZE)`: also refreshes the planner's statistics.
    Analyze,
    /// `VACUUM (FULL, ANALYZE)`: rewrites the table to return space to the system; holds an
    /// ACCESS EXCLUSIVE lock (no reads, no writes) for the whole rewrite.
    Full,
}

/// One table vacuumed by `diag vacuum --run`.
#[derive(Debug, Clone, Serialize)]
pub struct Vacuumed {
    /// `schema.table`.
    pub table: String,
    /// The statement run.
    pub statement: String,
    /// How long it took, seconds.
    pub seconds: f64,
    /// The server's reason when it failed (e.g. not the table's owner).
    pub error: Option<String>,
}

/// Runs the `kind` of VACUUM on each table, one statement each (VACUUM cannot run in a
/// transaction); a failure is recorded and the next table still runs.
pub fn run(conn: &mut PgConnection, tables: &[&TableVacuum], kind: VacuumKind) -> Vec<Vacuumed> {
    let options = match kind {
        VacuumKind::Plain => "",
        VacuumKind::Analyze => " (ANALYZE)",
        VacuumKind::Full => " (FULL, ANALYZE)",
    };
    tables
        .iter()
        .map(|t| {
            let statement = format!(
                "VACUUM{options} {}.{}",
                super::sql::ident(&t.schema_name),
                super::sql::ident(&t.table_name)
            );
            let started = std::time::Instant::now();
            let result = diesel::sql_query(&statement).execute(conn);
            Vacuumed {
                table: format!("{}.{}", t.schema_name, t.table_name),
                statement,
                seconds: started.elapsed().as_secs_f64(),
                error: result.err().map(|e| e.to_string()),
            }
        })
        .collect()
}

/// Findings for `diag all`.
pub(crate) fn evaluate_report(report: &VacuumReport, thresholds: &Thresholds) -> Outcome {
    let mut out = Outcome::default();
    let m = thresholds.measure("xid_age", report.cluster_xid_age as f64);
    out.findings.push(Finding::new(
        "vacuum",
        m.severity,
        format!(
            "transaction-id age {} (this database {}; {} ids left before wraparound protection)",
            report.cluster_xid_age, report.xid_age, report.wraparound_margin
        ),
    ));
    out.measures.push(m);
    // The oldest holder of the horizon, named next to the tables whose dead rows it keeps.
    let keeper = report.horizon.iter().find(|h| h.xmin_age.unwrap_or(0) > 0);
    let worst = report
        .tables
        .iter()
        .filter(|t| t.live_rows + t.dead_rows >= MIN_ROWS)
        .map(TableVacuum::dead_percent)
        .fold(0.0, f64::max);
    for t in flagged(report, thresholds) {
        let m = thresholds.measure("dead_tuples", t.dead_percent());
        let kept = keeper
            .map(|h| {
                format!(
                    "; the oldest xmin holder is {} {} ({}, {} transactions back{})",
                    h.kind,
                    h.holder,
                    h.detail,
                    h.xmin_age.unwrap_or_default(),
                    h.seconds
                        .map(|s| format!(", {}", crate::conventions::seconds_text(s)))
                        .unwrap_or_default()
                )
            })
            .unwrap_or_default();
        let when = t.last_vacuum.map_or_else(
            || "never vacuumed".to_string(),
            |at| format!("last vacuum {}", crate::conventions::time_text(at)),
        );
        out.findings.push(
            Finding::new(
                "vacuum",
                m.severity,
                format!(
                    "table {}.{}: {} dead rows ({:.0}% of live; {when}; autovacuum {} at {:.0}){kept}",
                    t.schema_name,
                    t.table_name,
                    t.dead_rows,
                    t.dead_percent(),
                    if t.autovacuum_on { "starts" } else { "is OFF, would start" },
                    t.autovacuum_at
                ),
            )
            .with_fix(format!("VACUUM (ANALYZE) {}.{};", t.schema_name, t.table_name)),
        );
    }
    out.measures.push(thresholds.measure("dead_tuples", worst));
    let oldest_prepared = report
        .horizon
        .iter()
        .filter(|h| h.kind == "prepared transaction")
        .filter_map(|h| h.seconds)
        .fold(0.0, f64::max);
    let m = thresholds.measure("prepared_xact", oldest_prepared);
    for h in report
        .horizon
        .iter()
        .filter(|h| h.kind == "prepared transaction")
    {
        let severity = thresholds
            .measure("prepared_xact", h.seconds.unwrap_or_default())
            .severity;
        out.findings.push(
            Finding::new(
                "vacuum",
                severity,
                format!(
                    "prepared transaction {} ({}) open {}",
                    h.holder,
                    h.detail,
                    crate::conventions::seconds_text(h.seconds.unwrap_or_default())
                ),
            )
            .with_fix(format!(
                "COMMIT PREPARED '{}';  -- or ROLLBACK PREPARED",
                h.holder.replace('\'', "''")
            )),
        );
    }
    out.measures.push(m);
    for h in report
        .horizon
        .iter()
        .filter(|h| h.kind == "replication slot" && h.detail.ends_with("inactive"))
    {
        out.findings.push(
            Finding::new(
                "vacuum",
                Severity::Warning,
                format!(
                    "inactive replication slot {} holds the xmin horizon {} transactions back",
                    h.holder,
                    h.xmin_age.unwrap_or_default()
                ),
            )
            .with_fix(format!(
                "SELECT pg_drop_replication_slot('{}');  -- if its consumer is gone",
                h.holder.replace('\'', "''")
            )),
        );
    }
    out
}

/// `diag all`'s vacuum check.
pub(crate) fn evaluate(
    conn: &mut PgConnection,
    facts: &Facts,
    thresholds: &Thresholds,
) -> Result<Outcome, Error> {
    Ok(evaluate_report(&report(conn, facts)?, thresholds))
}
