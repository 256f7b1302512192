//! `diag cases`: what only a workflow-aware tool can see. Pended cases per work basket and how
//! long they wait; cases stuck running (left mid-run as `CaseSummary::left_mid_run` says, not
//! holding their case lock, idle longer than `stuck_for`: their process died and they need a
//! resume); overdue SLA
//! milestones; cases in the error work basket; rows whose case is gone.

use std::time::Duration;

use diesel::pg::PgConnection;
use diesel::sql_types::{BigInt, Bool, Double, Integer, Nullable, Text};
use diesel::{QueryableByName, RunQueryDsl};
use serde::Serialize;

use crate::db::pool::Pool;

use super::facts::Facts;
use super::{Error, Finding, Limitation, Outcome, Severity, Thresholds, is_access_problem, reason};

/// The error work basket when `[engine] error_workbasket` is not set.
pub const DEFAULT_ERROR_BASKET: &str = "workflow_error";

/// What to look for.
#[derive(Debug, Clone)]
pub struct Options {
    /// A running case idle this long without its lock is stuck.
    pub stuck_for: Duration,
    /// The error work basket.
    pub error_basket: String,
    /// How many cases to list per section.
    pub limit: i64,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            stuck_for: Duration::from_secs(600),
            error_basket: DEFAULT_ERROR_BASKET.into(),
            limit: 20,
        }
    }
}

/// Pended cases of one work basket.
#[derive(Debug, Clone, Serialize, QueryableByName)]
pub struct BasketPended {
    /// Work basket.
    #[diesel(sql_type = Text)]
    pub basket: String,
    /// Cases pended there.
    #[diesel(sql_type = BigInt)]
    pub cases: i64,
    /// The longest wait, seconds.
    #[diesel(sql_type = Nullable<Double>)]
    pub oldest_seconds: Option<f64>,
    /// The median wait, seconds.
    #[diesel(sql_type = Nullable<Double>)]
    pub median_seconds: Option<f64>,
}

/// A case stuck running.
#[derive(Debug, Clone, Serialize, QueryableByName)]
pub struct StuckCase {
    /// Case id.
    #[diesel(sql_type = Text)]
    pub case_id: String,
    /// Journey name.
    #[diesel(sql_type = Text)]
    pub journey: String,
    /// Last step it executed.
    #[diesel(sql_type = Text)]
    pub last_step: String,
    /// Seconds since its last write.
    #[diesel(sql_type = Double)]
    pub idle_seconds: f64,
    #[serde(skip)]
    #[diesel(sql_type = BigInt)]
    total: i64,
}

/// An overdue milestone.
#[derive(Debug, Clone, Serialize, QueryableByName)]
pub struct Overdue {
    /// Case id.
    #[diesel(sql_type = Text)]
    pub case_id: String,
    /// Milestone name.
    #[diesel(sql_type = Text)]
    pub milestone: String,
    /// Its work basket, if any.
    #[diesel(sql_type = Text)]
    pub basket: String,
    /// Seconds past due.
    #[diesel(sql_type = Double)]
    pub overdue_seconds: f64,
    #[serde(skip)]
    #[diesel(sql_type = BigInt)]
    total: i64,
}

/// A case in the error work basket.
#[derive(Debug, Clone, Serialize, QueryableByName)]
pub struct ErrorCase {
    /// Case id.
    #[diesel(sql_type = Text)]
    pub case_id: String,
    /// The pended exec path.
    #[diesel(sql_type = Text)]
    pub exec_path: String,
    /// Its step.
    #[diesel(sql_type = Text)]
    pub step: String,
    /// The component's error code.
    #[diesel(sql_type = Nullable<Integer>)]
    pub error_code: Option<i32>,
    /// The error text.
    #[diesel(sql_type = Text)]
    pub error: String,
    /// Whether the component said a retry may work.
    #[diesel(sql_type = Nullable<Bool>)]
    pub retryable: Option<bool>,
    /// Seconds pended.
    #[diesel(sql_type = Double)]
    pub pended_seconds: f64,
    #[serde(skip)]
    #[diesel(sql_type = BigInt)]
    total: i64,
}

/// Rows without their case.
#[derive(Debug, Clone, Default, Serialize, QueryableByName)]
pub struct Orphans {
    /// exec_path rows.
    #[diesel(sql_type = BigInt)]
    pub exec_paths: i64,
    /// audit_log rows.
    #[diesel(sql_type = BigInt)]
    pub audit_rows: i64,
    /// workflow_variables rows.
    #[diesel(sql_type = BigInt)]
    pub variables: i64,
    /// process_variable_value rows.
    #[diesel(sql_type = BigInt)]
    pub variable_values: i64,
    /// milestone rows.
    #[diesel(sql_type = BigInt)]
    pub milestones: i64,
    /// workflow_definition rows (a start that died before its first save, or a leftover).
    #[diesel(sql_type = BigInt)]
    pub journeys: i64,
}

impl Orphans {
    /// All orphan rows.
    pub fn total(&self) -> i64 {
        self.exec_paths
            + self.audit_rows
            + self.variables
            + self.variable_values
            + self.milestones
            + self.journeys
    }
}

/// A listed section: the first rows and how many there are in all.
#[derive(Debug, Clone, Serialize)]
pub struct Listed<T> {
    /// How many in all.
    pub total: i64,
    /// The oldest ones, up to the limit.
    pub rows: Vec<T>,
}

/// The report.
#[derive(Debug, Clone, Serialize)]
pub struct CasesReport {
    /// Pended cases per work basket.
    pub pended: Vec<BasketPended>,
    /// `--stuck-for`, seconds.
    pub stuck_for_seconds: f64,
    /// Cases stuck running.
    pub stuck: Listed<StuckCase>,
    /// Overdue SLA milestones.
    pub overdue_milestones: Listed<Overdue>,
    /// The error work basket's name.
    pub error_basket: String,
    /// Cases in it.
    pub in_error_basket: Listed<ErrorCase>,
    /// Rows without their case.
    pub orphans: Orphans,
    /// What could not be seen.
    pub limitations: Vec<Limitation>,
}

/// Runs the case checks on one connection. A role without SELECT on the workflow tables gets a
/// limitation.
pub fn report(
    conn: &mut PgConnection,
    facts: &Facts,
    options: &Options,
) -> Result<CasesReport, Error> {
    let now_ms = facts.server.now.timestamp_millis();
    let grant = grant_for(facts);
    // every part reads one snapshot: rows a running `case start` writes between two
    // statements cannot show as orphans of one and cases of another
    let parts = in_snapshot(conn, None, |conn| {
        PARTS
            .iter()
            .map(|part| run_part(conn, *part, options, now_ms, &grant))
            .collect::<Result<Vec<_>, Error>>()
    })?;
    Ok(assemble(parts, options))
}

/// Runs the case checks on up to `threads` connections of `pool` side by side (each statement
/// is a read of one or two tables; on a big database the orphan anti-joins dominate), all in
/// the snapshot `conn`'s transaction exports, so that the report is as consistent as one
/// connection's.
pub(crate) fn report_parallel(
    conn: &mut PgConnection,
    pool: &Pool,
    threads: usize,
    facts: &Facts,
    options: &Options,
) -> Result<CasesReport, Error> {
    let now_ms = facts.server.now.timestamp_millis();
    let grant = grant_for(facts);
    let parts = in_snapshot(conn, None, |conn| {
        let snapshot: Snapshot = diesel::sql_query("SELECT pg_export_snapshot() AS id")
            .get_result(conn)
            .map_err(Error::query("exporting the snapshot"))?;
        let next = std::sync::atomic::AtomicUsize::new(0);
        let results: Vec<std::sync::Mutex<Option<Result<Part, Error>>>> =
            PARTS.iter().map(|_| std::sync::Mutex::new(None)).collect();
        std::thread::scope(|scope| {
            for _ in 0..threads.clamp(1, PARTS.len()) {
                scope.spawn(|| {
                    let mut worker = match crate::db::pool::checkout(pool) {
                        Ok(c) => c,
                        Err(e) => {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                            if let Some(slot) = results.get(i) {
                                *slot.lock().unwrap_or_else(|p| p.into_inner()) =
                                    Some(Err(Error::Invalid(e.to_string())));
                            }
                            return;
                        }
                    };
                    let _ = in_snapshot(&mut worker, Some(&snapshot.id), |worker| {
                        loop {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                            let Some(part) = PARTS.get(i) else {
                                return Ok(());
                            };
                            let result = run_part(worker, *part, options, now_ms, &grant);
                            let failed = result.is_err();
                            *results[i].lock().unwrap_or_else(|p| p.into_inner()) = Some(result);
                            if failed {
                                // the transaction is aborted: leave the rest to the others
                                return Err(Error::Invalid("part failed".into()));
                            }
                        }
                    });
                });
            }
        });
        // a part no worker reached (every worker failed first) runs here
        let mut parts = Vec::with_capacity(PARTS.len());
        for (slot, part) in results.into_iter().zip(PARTS) {
            let result = slot.into_inner().unwrap_or_else(|p| p.into_inner());
            parts.push(match result {
                Some(r) => r?,
                None => run_part(conn, *part, options, now_ms, &grant)?,
            });
        }
        Ok(parts)
    })?;
    Ok(assemble(parts, options))
}

#[derive(QueryableByName)]
struct Snapshot {
    #[diesel(sql_type = Text)]
    id: String,
}

/// Runs `f` in a read-only repeatable-read transaction, importing `snapshot` when given (an
/// id `pg_export_snapshot()` returned).
fn in_snapshot<T>(
    conn: &mut PgConnection,
    snapshot: Option<&str>,
    f: impl FnOnce(&mut PgConnection) -> Result<T, Error>,
) -> Result<T, Error> {
    conn.build_transaction()
        .read_only()
        .repeatable_read()
        .run(|conn| {
            if let Some(id) = snapshot {
                // the id is the server's own, [0-9A-F-]; SET takes no parameters
                if !id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
                    return Err(InSnapshot::Failed(Error::Invalid(format!(
                        "unexpected snapshot id {id}"
                    ))));
                }
                diesel::sql_query(format!("SET TRANSACTION SNAPSHOT '{id}'")).execute(conn)?;
            }
            f(conn).map_err(InSnapshot::Failed)
        })
        .map_err(|e| match e {
            InSnapshot::Failed(e) => e,
            InSnapshot::Begin(e) => Error::query("reading the cases")(e),
        })
}

/// Why the snapshot transaction failed: a part's error, or the transaction itself.
enum InSnapshot {
    Failed(Error),
    Begin(diesel::result::Error),
}

impl From<diesel::result::Error> for InSnapshot {
    fn from(e: diesel::result::Error) -> Self {
        Self::Begin(e)
    }
}

fn grant_for(facts: &Facts) -> String {
    format!(
        "GRANT SELECT ON ALL TABLES IN SCHEMA public TO {};",
        super::sql::ident(&facts.server.role)
    )
}

/// The statements of the case checks, each independent of the others.
#[derive(Debug, Clone, Copy)]
enum PartKind {
    OrphanAudit,
    OrphanExecPaths,
    Pended,
    OrphanVariables,
    OrphanMilestones,
    Listed,
}

/// Heaviest first, so that side by side they finish together.
const PARTS: &[PartKind] = &[
    PartKind::OrphanAudit,
    PartKind::OrphanExecPaths,
    PartKind::Pended,
    PartKind::OrphanVariables,
    PartKind::OrphanMilestones,
    PartKind::Listed,
];

/// What one part found, and what it could not see.
#[derive(Default)]
struct Part {
    pended: Option<Vec<BasketPended>>,
    stuck: Option<Vec<StuckCase>>,
    overdue: Option<Vec<Overdue>>,
    errors: Option<Vec<ErrorCase>>,
    orphans: Orphans,
    limitations: Vec<Limitation>,
}

#[derive(QueryableByName)]
struct OrphanPair {
    #[diesel(sql_type = BigInt)]
    n: i64,
    #[diesel(sql_type = BigInt)]
    m: i64,
}

#[derive(QueryableByName)]
struct OrphanCount {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn run_part(
    conn: &mut PgConnection,
    kind: PartKind,
    options: &Options,
    now_ms: i64,
    grant: &str,
) -> Result<Part, Error> {
    use diesel::Connection as _;
    let mut part = Part::default();
    let limitations = &mut part.limitations;
    let cutoff = now_ms - i64::try_from(options.stuck_for.as_millis()).unwrap_or(i64::MAX);
    // each statement in a savepoint: one the role may not read does not abort the others
    match kind {
        PartKind::Pended => {
            part.pended = guarded(
                "pended cases per work basket",
                conn.transaction(|conn| {
                    diesel::sql_query(include_str!("sql/cases_pended.sql"))
                        .load::<BasketPended>(conn)
                }),
                grant,
                limitations,
            )?;
        }
        PartKind::Listed => {
            part.stuck = guarded(
                "cases stuck running",
                conn.transaction(|conn| {
                    diesel::sql_query(include_str!("sql/cases_stuck.sql"))
                        .bind::<BigInt, _>(cutoff)
                        .bind::<BigInt, _>(options.limit)
                        .load::<StuckCase>(conn)
                }),
                grant,
                limitations,
            )?;
            part.overdue = guarded(
                "overdue SLA milestones",
                conn.transaction(|conn| {
                    diesel::sql_query(include_str!("sql/cases_overdue.sql"))
                        .bind::<BigInt, _>(options.limit)
                        .load::<Overdue>(conn)
                }),
                grant,
                limitations,
            )?;
            part.errors = guarded(
                "cases in the error work basket",
                conn.transaction(|conn| {
                    diesel::sql_query(include_str!("sql/cases_error_basket.sql"))
                        .bind::<Text, _>(&options.error_basket)
                        .bind::<BigInt, _>(options.limit)
                        .load::<ErrorCase>(conn)
                }),
                grant,
                limitations,
            )?;
        }
        PartKind::OrphanExecPaths => {
            let n = orphan_scan::<OrphanCount>(
                conn,
                include_str!("sql/cases_orphans_exec_paths.sql"),
                grant,
                limitations,
            )?;
            part.orphans.exec_paths = n.map_or(0, |c| c.n);
        }
        PartKind::OrphanAudit => {
            let n = orphan_scan::<OrphanCount>(
                conn,
                include_str!("sql/cases_orphans_audit.sql"),
                grant,
                limitations,
            )?;
            part.orphans.audit_rows = n.map_or(0, |c| c.n);
        }
        PartKind::OrphanVariables => {
            let pair = orphan_scan::<OrphanPair>(
                conn,
                include_str!("sql/cases_orphans_variables.sql"),
                grant,
                limitations,
            )?;
            part.orphans.variables = pair.as_ref().map_or(0, |p| p.n);
            part.orphans.variable_values = pair.as_ref().map_or(0, |p| p.m);
        }
        PartKind::OrphanMilestones => {
            let pair = orphan_scan::<OrphanPair>(
                conn,
                include_str!("sql/cases_orphans_milestones.sql"),
                grant,
                limitations,
            )?;
            part.orphans.milestones = pair.as_ref().map_or(0, |p| p.n);
            part.orphans.journeys = pair.as_ref().map_or(0, |p| p.m);
        }
    }
    Ok(part)
}

/// The parts, in one report.
fn assemble(parts: Vec<Part>, options: &Options) -> CasesReport {
    let mut pended = Vec::new();
    let mut stuck = Vec::new();
    let mut overdue = Vec::new();
    let mut errors = Vec::new();
    let mut orphans = Orphans::default();
    let mut limitations: Vec<Limitation> = Vec::new();
    for part in parts {
        pended.extend(part.pended.unwrap_or_default());
        stuck.extend(part.stuck.unwrap_or_default());
        overdue.extend(part.overdue.unwrap_or_default());
        errors.extend(part.errors.unwrap_or_default());
        orphans.exec_paths += part.orphans.exec_paths;
        orphans.audit_rows += part.orphans.audit_rows;
        orphans.variables += part.orphans.variables;
        orphans.variable_values += part.orphans.variable_values;
        orphans.milestones += part.orphans.milestones;
        orphans.journeys += part.orphans.journeys;
        for l in part.limitations {
            // the orphan parts share one name: one limitation for them
            if !limitations.iter().any(|k| k.what == l.what) {
                limitations.push(l);
            }
        }
    }
    CasesReport {
        pended,
        stuck_for_seconds: options.stuck_for.as_secs_f64(),
        stuck: Listed {
            total: stuck.first().map_or(0, |r| r.total),
            rows: stuck,
        },
        overdue_milestones: Listed {
            total: overdue.first().map_or(0, |r| r.total),
            rows: overdue,
        },
        error_basket: options.error_basket.clone(),
        in_error_basket: Listed {
            total: errors.first().map_or(0, |r| r.total),
            rows: errors,
        },
        orphans,
        limitations,
    }
}

/// Counts rows without their case: an anti-join of a big table against workflow_info. Merging
/// the indexes both sides have (read once, in order) beats hashing every case id: 0.64 s
/// against 1.38 s on 300,000 cases (2.7 M rows), on one core instead of three (the other
/// cores run the other parts).
fn orphans<T: QueryableByName<diesel::pg::Pg> + 'static>(
    conn: &mut PgConnection,
    sql: &str,
) -> Result<T, diesel::result::Error> {
    use diesel::Connection;
    conn.transaction(|conn| {
        // one round trip; JIT off: compiling a plain count costs more than it saves
        diesel::sql_query(
            "SELECT set_config('enable_hashjoin', 'off', true), \
                    set_config('max_parallel_workers_per_gather', '0', true), \
                    set_config('jit', 'off', true)",
        )
        .execute(conn)?;
        diesel::sql_query(sql).get_result::<T>(conn)
    })
}

/// A section's rows, or a limitation when the role may not read them.
/// One orphan scan, its permission or absence turned into a limitation like any other part.
fn orphan_scan<T: QueryableByName<diesel::pg::Pg> + 'static>(
    conn: &mut PgConnection,
    sql: &str,
    grant: &str,
    limitations: &mut Vec<Limitation>,
) -> Result<Option<T>, Error> {
    guarded(
        "rows without their case",
        orphans::<T>(conn, sql),
        grant,
        limitations,
    )
}

fn guarded<T>(
    what: &str,
    result: Result<T, diesel::result::Error>,
    grant: &str,
    limitations: &mut Vec<Limitation>,
) -> Result<Option<T>, Error> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(e) if is_access_problem(&e) => {
            limitations.push(Limitation::new(what, reason(&e), Some(grant.to_string())));
            Ok(None)
        }
        Err(e) => Err(Error::query(what)(e)),
    }
}

/// Findings for `diag all`.
pub(crate) fn evaluate_report(r: &CasesReport, thresholds: &Thresholds) -> Outcome {
    use crate::conventions::seconds_text;
    let mut out = Outcome {
        limitations: r.limitations.clone(),
        ..Outcome::default()
    };
    let ids = |ids: Vec<&str>| ids.join(", ");
    let m = thresholds.measure("stuck_cases", r.stuck.total as f64);
    if r.stuck.total > 0 {
        out.findings.push(
            Finding::measured(
                "cases",
                &m,
                format!(
                    "{} cases stuck running (no lock, idle over {}): {}",
                    r.stuck.total,
                    seconds_text(r.stuck_for_seconds),
                    ids(r
                        .stuck
                        .rows
                        .iter()
                        .take(5)
                        .map(|c| c.case_id.as_str())
                        .collect())
                ),
            )
            .with_fix(format!(
                "wfctl case resume --all --stuck-for {}s  (their process died mid-run; \
                 the resume recovers each under its lock and continues)",
                r.stuck_for_seconds.round()
            )),
        );
    }
    out.measures.push(m);
    let m = thresholds.measure("overdue_milestones", r.overdue_milestones.total as f64);
    if r.overdue_milestones.total > 0 {
        out.findings.push(
            Finding::measured(
                "cases",
                &m,
                format!(
                    "{} SLA milestones overdue (oldest {} past due, case {})",
                    r.overdue_milestones.total,
                    seconds_text(
                        r.overdue_milestones
                            .rows
                            .first()
                            .map_or(0.0, |o| o.overdue_seconds)
                    ),
                    r.overdue_milestones
                        .rows
                        .first()
                        .map_or("", |o| o.case_id.as_str())
                ),
            )
            .with_fix("wfctl sla due  (is the SLA processor running?)"),
        );
    }
    out.measures.push(m);
    let m = thresholds.measure("error_basket", r.in_error_basket.total as f64);
    if r.in_error_basket.total > 0 {
        out.findings.push(Finding::measured(
            "cases",
            &m,
            format!(
                "{} cases in error work basket {}: {}",
                r.in_error_basket.total,
                r.error_basket,
                ids(r
                    .in_error_basket
                    .rows
                    .iter()
                    .take(5)
                    .map(|c| c.case_id.as_str())
                    .collect())
            ),
        ));
    }
    out.measures.push(m);
    let total = r.orphans.total();
    let m = thresholds.measure("orphans", total as f64);
    if total > 0 {
        let o = &r.orphans;
        out.findings.push(Finding::measured(
            "cases",
            &m,
            format!(
                "{total} rows without their case: {} exec paths, {} audit rows, {} variables, {} variable values, {} milestones, {} journeys",
                o.exec_paths, o.audit_rows, o.variables, o.variable_values, o.milestones, o.journeys
            ),
        ));
    }
    out.measures.push(m);
    let pended: i64 = r.pended.iter().map(|b| b.cases).sum();
    out.findings.push(Finding::summing(
        "cases",
        &out.measures,
        format!(
            "{} stuck, {} SLA milestones overdue, {} in the error basket, {total} orphan rows; {pended} cases pended in {} work baskets",
            r.stuck.total,
            r.overdue_milestones.total,
            r.in_error_basket.total,
            r.pended.len()
        ),
    ));
    for b in &r.pended {
        out.findings.push(Finding::new(
            "cases",
            Severity::Ok,
            format!(
                "{} cases pended in {} (oldest {}, median {})",
                b.cases,
                b.basket,
                seconds_text(b.oldest_seconds.unwrap_or_default()),
                seconds_text(b.median_seconds.unwrap_or_default())
            ),
        ));
    }
    out
}

/// `diag all`'s case check.
pub(crate) fn evaluate(
    conn: &mut PgConnection,
    facts: &Facts,
    thresholds: &Thresholds,
    options: &Options,
) -> Result<Outcome, Error> {
    Ok(evaluate_report(&report(conn, facts, options)?, thresholds))
}

/// `diag all`'s case check, its statements side by side on up to `threads` connections of
/// `pool` (see [`report_parallel`]).
pub(crate) fn evaluate_parallel(
    conn: &mut PgConnection,
    pool: &Pool,
    threads: usize,
    facts: &Facts,
    thresholds: &Thresholds,
    options: &Options,
) -> Result<Outcome, Error> {
    Ok(evaluate_report(
        &report_parallel(conn, pool, threads, facts, options)?,
        thresholds,
    ))
}
