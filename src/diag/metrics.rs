//! `wfctl metrics`: the seed guide's Prometheus metrics (`workflow.cases.started`, ...), named
//! the Prometheus way, read from the database, in the text exposition format 0.0.4 (what the
//! node exporter's textfile collector reads; OpenMetrics' `# EOF` and `# UNIT` it rejects).
//!
//! A scrape must not read the completed history (it grows without end, and Prometheus asks
//! every 15 s): from [`EXACT_BELOW_CASES`] cases on, the history's totals are estimates from what
//! the server keeps (table statistics, the distribution ANALYZE keeps), and only what is active
//! (running and pended cases, due milestones, failed SLA actions) is counted, through partial
//! indexes. Each estimated figure says so in its HELP line.

use std::fmt::Write as _;
use std::time::Instant;

use diesel::pg::PgConnection;
use diesel::sql_types::{Array, BigInt, Double, Integer, Nullable, Text};
use diesel::{OptionalExtension, QueryableByName, RunQueryDsl};

use super::Error;
use super::facts::Facts;

/// Upper bounds of the execution-time histogram, seconds: cases run from milliseconds (all
/// automatic) to days (pended for a person).
pub(crate) const EXECUTION_BUCKETS: &[f64] = &[
    0.1, 0.5, 1.0, 5.0, 30.0, 60.0, 300.0, 1800.0, 3600.0, 14_400.0, 86_400.0, 604_800.0,
];

/// Below this many cases (as the statistics count them) every figure is counted exactly: reading
/// so small a table costs about as much as the estimate, and its statistics may not exist yet.
pub(crate) const EXACT_BELOW_CASES: f64 = 10_000.0;

/// Appended to the HELP of an estimated figure.
const ESTIMATE: &str = "an estimate from the table statistics from 10,000 cases on, exact below";

/// From 10,000 cases on, the pended exec paths of one work basket are counted up to this many
/// index entries: a basket that reaches it (or that the statistics put at this many or more,
/// which is then not counted at all) gets an estimate from exec_path's statistics, so the
/// scrape's cost does not follow the number of pended cases.
pub const EXACT_BELOW_BASKET: i64 = 1_000;

/// Newest audit rows read first for the per-second gauge, and at most (the read widens tenfold
/// while every row it read is from the last minute).
const AUDIT_RECENT_FIRST: i64 = 1_000;
const AUDIT_RECENT_MAX: i64 = 100_000;

/// A metric type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Only goes up (resets allowed).
    Counter,
    /// Goes up and down.
    Gauge,
    /// Buckets, sum and count.
    Histogram,
}

/// One sample line.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Appended to the family name (`_bucket`, `_sum`, `_count`, or empty).
    pub suffix: &'static str,
    /// Labels.
    pub labels: Vec<(String, String)>,
    /// Value.
    pub value: f64,
}

/// A metric family.
#[derive(Debug, Clone)]
pub struct Family {
    /// Name (`workflow_cases_started_total`).
    pub name: &'static str,
    /// HELP text.
    pub help: String,
    /// Type.
    pub kind: Kind,
    /// Samples.
    pub samples: Vec<Sample>,
}

impl Family {
    fn single(name: &'static str, kind: Kind, help: impl Into<String>, value: f64) -> Self {
        Self {
            name,
            help: help.into(),
            kind,
            samples: vec![Sample {
                suffix: "",
                labels: Vec::new(),
                value,
            }],
        }
    }

    fn labelled(
        name: &'static str,
        kind: Kind,
        help: impl Into<String>,
        label: &str,
        rows: Vec<(String, f64)>,
    ) -> Self {
        Self {
            name,
            help: help.into(),
            kind,
            samples: rows
                .into_iter()
                .map(|(l, value)| Sample {
                    suffix: "",
                    labels: vec![(label.to_string(), l)],
                    value,
                })
                .collect(),
        }
    }
}

#[derive(QueryableByName)]
struct CaseCounts {
    #[diesel(sql_type = BigInt)]
    started: i64,
    #[diesel(sql_type = BigInt)]
    completed: i64,
    #[diesel(sql_type = BigInt)]
    running: i64,
    #[diesel(sql_type = BigInt)]
    pended: i64,
}

#[derive(QueryableByName)]
struct Bucket {
    #[diesel(sql_type = Integer)]
    bucket: i32,
    #[diesel(sql_type = BigInt)]
    cases: i64,
    #[diesel(sql_type = Double)]
    sum_ms: f64,
}

#[derive(QueryableByName)]
struct Pended {
    #[diesel(sql_type = Text)]
    basket: String,
    #[diesel(sql_type = BigInt)]
    cases: i64,
    #[diesel(sql_type = Double)]
    oldest_seconds: f64,
}

#[derive(QueryableByName)]
struct OverdueRow {
    #[diesel(sql_type = Text)]
    basket: String,
    #[diesel(sql_type = BigInt)]
    milestones: i64,
}

#[derive(QueryableByName)]
struct SlaActions {
    #[diesel(sql_type = BigInt)]
    fired: i64,
    #[diesel(sql_type = BigInt)]
    failed: i64,
    #[diesel(sql_type = Double)]
    lag_seconds: f64,
}

#[derive(QueryableByName)]
struct Estimates {
    #[diesel(sql_type = Double)]
    cases: f64,
    #[diesel(sql_type = Double)]
    paths: f64,
    #[diesel(sql_type = Nullable<Double>)]
    fired: Option<f64>,
}

#[derive(QueryableByName)]
struct Active {
    #[diesel(sql_type = BigInt)]
    active: i64,
    #[diesel(sql_type = BigInt)]
    running: i64,
}

/// A count that stopped at `cap`, or the estimate beside it (never below the cap); `None`
/// when it stopped and there is no estimate: the caller counts in full.
fn capped(counted: i64, cap: i64, estimate: Option<f64>) -> Option<i64> {
    if counted < cap {
        return Some(counted);
    }
    estimate.map(|e| (e.round() as i64).max(cap))
}

/// One work basket's pended exec paths as `metrics_pended_paths.sql` returns them.
#[derive(QueryableByName)]
struct BasketPaths {
    #[diesel(sql_type = Text)]
    basket: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    counted: Option<i64>,
    #[diesel(sql_type = Nullable<Double>)]
    estimate: Option<f64>,
    #[diesel(sql_type = Double)]
    oldest_seconds: f64,
}

#[derive(QueryableByName)]
struct SlaEstimate {
    #[diesel(sql_type = BigInt)]
    failed: i64,
    #[diesel(sql_type = Double)]
    lag_seconds: f64,
}

#[derive(QueryableByName)]
struct Fired {
    #[diesel(sql_type = BigInt)]
    fired: i64,
}

/// The distribution of case execution times ANALYZE keeps (ms; see
/// `metrics_execution_estimate.sql`).
#[derive(QueryableByName)]
struct Distribution {
    #[diesel(sql_type = Double)]
    null_frac: f64,
    #[diesel(sql_type = Array<Double>)]
    common_values: Vec<f64>,
    #[diesel(sql_type = Array<Double>)]
    common_freqs: Vec<f64>,
    #[diesel(sql_type = Array<Double>)]
    bounds: Vec<f64>,
}

#[derive(QueryableByName)]
struct AuditInserted {
    #[diesel(sql_type = BigInt)]
    inserted: i64,
}

#[derive(QueryableByName)]
struct AuditRecent {
    #[diesel(sql_type = BigInt)]
    recent: i64,
}

/// Reads every metric. `error_basket` is the engine's error work basket.
pub fn collect(
    conn: &mut PgConnection,
    facts: &Facts,
    error_basket: &str,
) -> Result<Vec<Family>, Error> {
    let started = Instant::now();
    // every statement of a scrape reads a few index pages: starting parallel workers or
    // compiling it (the planner's penalty on the plans turned off below makes it look worth
    // compiling) costs more than it saves; the connection is the scrape's own
    {
        use diesel::connection::SimpleConnection as _;
        conn.batch_execute("SET jit = off; SET max_parallel_workers_per_gather = 0")
            .map_err(Error::query("setting up the scrape"))?;
    }
    let estimates: Estimates = diesel::sql_query(include_str!("sql/metrics_estimates.sql"))
        .get_result(conn)
        .map_err(Error::query("reading the table statistics"))?;
    let exact = estimates.cases < EXACT_BELOW_CASES;
    let counts = if exact {
        diesel::sql_query(include_str!("sql/metrics_cases.sql"))
            .get_result(conn)
            .map_err(Error::query("counting cases"))?
    } else {
        let counted: Active = diesel::sql_query(include_str!("sql/metrics_active.sql"))
            .get_result(conn)
            .map_err(Error::query("counting active cases"))?;
        let (active, running) = (counted.active, counted.running);
        // the estimate lags the inserts it has not counted yet: never below what is active
        let started = (estimates.cases.round() as i64).max(active);
        CaseCounts {
            started,
            completed: started - active,
            running,
            pended: active - running,
        }
    };
    let estimated = if exact {
        None
    } else {
        estimated_buckets(conn, facts, estimates.cases)?
    };
    let buckets = match estimated {
        Some(buckets) => buckets,
        None => exact_buckets(conn)?,
    };
    let pended: Vec<Pended> = if exact {
        diesel::sql_query(include_str!("sql/metrics_pended.sql")).load(conn)
    } else {
        pended_paths(conn, estimates.paths)
    }
    .map_err(Error::query("counting pended cases"))?;
    let overdue: Vec<OverdueRow> = diesel::sql_query(include_str!("sql/metrics_overdue.sql"))
        .load(conn)
        .map_err(Error::query("counting overdue milestones"))?;
    let sla = if exact {
        diesel::sql_query(include_str!("sql/metrics_sla_actions.sql"))
            .get_result(conn)
            .map_err(Error::query("counting SLA actions"))?
    } else {
        sla_estimate(conn, estimates.fired)?
    };
    let audit: AuditInserted = diesel::sql_query(include_str!("sql/metrics_audit_inserted.sql"))
        .get_result(conn)
        .map_err(Error::query("reading the audit table's statistics"))?;
    let last_minute = audit_last_minute(conn)?;

    let since = facts.stats_since();
    let mut families = vec![
        Family::single(
            "workflow_database_up",
            Kind::Gauge,
            "1 when wfctl could read the workflow database",
            1.0,
        ),
        Family::single(
            "workflow_cases_started_total",
            Kind::Counter,
            format!(
                "Workflow cases started (rows of workflow_info; drops if cases are purged); {ESTIMATE}"
            ),
            counts.started as f64,
        ),
        Family::single(
            "workflow_cases_completed_total",
            Kind::Counter,
            format!("Workflow cases completed (started less active); {ESTIMATE}"),
            counts.completed as f64,
        ),
        Family::single(
            "workflow_cases_active",
            Kind::Gauge,
            "Workflow cases not complete (running or pended)",
            (counts.running + counts.pended) as f64,
        ),
        Family::single(
            "workflow_cases_running",
            Kind::Gauge,
            "Workflow cases running (not complete, not pended)",
            counts.running as f64,
        ),
        histogram(&buckets),
        Family::labelled(
            "workflow_cases_pended",
            Kind::Gauge,
            "Workflow cases pended, per work basket (from 10,000 cases on: the exec paths pended \
             there, which counts a case pended on two branches twice, counted exactly below 1,000 \
             per basket, an estimate from the statistics of exec_path from there)",
            "workbasket",
            pended
                .iter()
                .map(|p| (p.basket.clone(), p.cases as f64))
                .collect(),
        ),
        Family::labelled(
            "workflow_cases_pended_oldest_seconds",
            Kind::Gauge,
            "How long the oldest pended case of a work basket has waited",
            "workbasket",
            pended
                .iter()
                .map(|p| (p.basket.clone(), p.oldest_seconds))
                .collect(),
        ),
        Family::labelled(
            "workflow_sla_milestones_overdue",
            Kind::Gauge,
            "SLA milestones enqueued and past due, per work basket",
            "workbasket",
            overdue
                .iter()
                .map(|o| (o.basket.clone(), o.milestones as f64))
                .collect(),
        ),
        Family::single(
            "workflow_sla_actions_fired_total",
            Kind::Counter,
            format!(
                "SLA milestones whose action `sla run` carried out and recorded; {ESTIMATE} \
                 (the fired milestones' index as the last VACUUM or ANALYZE of milestone counted it)"
            ),
            sla.fired as f64,
        ),
        Family::single(
            "workflow_sla_actions_failed_total",
            Kind::Counter,
            "SLA actions that failed (each failed run; the milestone stays due)",
            sla.failed as f64,
        ),
        Family::single(
            "workflow_sla_actions_lag_seconds",
            Kind::Gauge,
            "How long past its due time the oldest due milestone not fired yet has waited",
            sla.lag_seconds,
        ),
        Family::labelled(
            "workflow_error_basket_cases",
            Kind::Gauge,
            "Cases pended in the engine's error work basket",
            "workbasket",
            vec![(
                error_basket.to_string(),
                pended
                    .iter()
                    .filter(|p| p.basket == error_basket)
                    .map(|p| p.cases)
                    .sum::<i64>() as f64,
            )],
        ),
        Family::single(
            "workflow_audit_rows_inserted_total",
            Kind::Counter,
            format!(
                "Audit rows inserted, from the table statistics ({}); rate() gives rows/s",
                since.text
            ),
            audit.inserted as f64,
        ),
        Family::single(
            "workflow_audit_rows_per_second",
            Kind::Gauge,
            "Audit rows written per second over the last minute (by their ts)",
            last_minute as f64 / 60.0,
        ),
        Family::single(
            "workflow_stats_reset_timestamp_seconds",
            Kind::Gauge,
            if since.exact {
                "When the database statistics behind the _inserted_total counters were reset (unix time)"
            } else {
                "Statistics never reset: the server's start time (unix time), a lower bound for the counters' start"
            },
            since.since.timestamp() as f64,
        ),
    ];
    families.push(Family::single(
        "workflow_metrics_collect_seconds",
        Kind::Gauge,
        "Time wfctl took to read these metrics",
        started.elapsed().as_secs_f64(),
    ));
    Ok(families)
}

/// The execution-time histogram counted case by case (reads every completed case).
fn exact_buckets(conn: &mut PgConnection) -> Result<Vec<Bucket>, Error> {
    diesel::sql_query(include_str!("sql/metrics_execution.sql"))
        .bind::<Array<BigInt>, _>(&bucket_bounds_ms())
        .load(conn)
        .map_err(Error::query("reading case execution times"))
}

/// Each bucket's upper bound in ms + 1: a case is in the bucket below it.
fn bucket_bounds_ms() -> Vec<i64> {
    EXECUTION_BUCKETS
        .iter()
        .map(|s| (s * 1000.0) as i64 + 1)
        .collect()
}

/// The execution-time histogram from the distribution ANALYZE keeps, scaled to `cases`; `None`
/// when there is none to read (before PostgreSQL 14, before the first ANALYZE, a role that may
/// not see it): the caller counts instead.
fn estimated_buckets(
    conn: &mut PgConnection,
    facts: &Facts,
    cases: f64,
) -> Result<Option<Vec<Bucket>>, Error> {
    if facts.server.version_num < 140_000 {
        return Ok(None);
    }
    let found: Option<Distribution> =
        diesel::sql_query(include_str!("sql/metrics_execution_estimate.sql"))
            .get_result(conn)
            .optional()
            .map_err(Error::query("reading the case execution time statistics"))?;
    Ok(found.map(|d| d.buckets(cases)))
}

impl Distribution {
    /// The share of all rows whose value is below `x` (NULLs are below nothing).
    fn share_below(&self, x: f64) -> f64 {
        let common: f64 = self
            .common_values
            .iter()
            .zip(&self.common_freqs)
            .filter(|(v, _)| **v < x)
            .map(|(_, f)| f)
            .sum();
        // the histogram's buckets hold equal shares of what the common values leave
        let rest = (1.0 - self.null_frac - self.common_freqs.iter().sum::<f64>()).max(0.0);
        let b = &self.bounds;
        let in_histogram = if b.len() < 2 || x <= b[0] {
            0.0
        } else if x > b[b.len() - 1] {
            1.0
        } else {
            let i = b.partition_point(|bound| *bound < x).max(1) - 1;
            let width = b[i + 1] - b[i];
            let within = if width > 0.0 { (x - b[i]) / width } else { 1.0 };
            (i as f64 + within.clamp(0.0, 1.0)) / (b.len() - 1) as f64
        };
        common + rest * in_histogram
    }

    /// The sum of the values at or above 0, as a share of all rows times the value.
    fn mean_share(&self) -> f64 {
        let common: f64 = self
            .common_values
            .iter()
            .zip(&self.common_freqs)
            .filter(|(v, _)| **v >= 0.0)
            .map(|(v, f)| v * f)
            .sum();
        let rest = (1.0 - self.null_frac - self.common_freqs.iter().sum::<f64>()).max(0.0);
        let b = &self.bounds;
        let buckets = b.len().saturating_sub(1);
        let histogram: f64 = b
            .windows(2)
            .map(|w| (w[0].max(0.0) + w[1].max(0.0)) / 2.0)
            .sum::<f64>()
            / buckets.max(1) as f64;
        common + rest * histogram
    }

    /// The histogram's buckets for `cases` rows (the same shape the exact count returns: bucket
    /// k below bound k, the last above all; negative times left out as there).
    fn buckets(&self, cases: f64) -> Vec<Bucket> {
        let floor = self.share_below(0.0);
        let mut bounds: Vec<f64> = bucket_bounds_ms().iter().map(|b| *b as f64).collect();
        bounds.push(f64::INFINITY);
        let mut out = Vec::with_capacity(bounds.len());
        let mut previous = 0i64;
        for (k, bound) in bounds.iter().enumerate() {
            let share = if bound.is_infinite() {
                1.0 - self.null_frac
            } else {
                self.share_below(*bound)
            };
            let cumulative = (((share - floor).max(0.0)) * cases).round() as i64;
            let cumulative = cumulative.max(previous);
            out.push(Bucket {
                bucket: k as i32,
                cases: cumulative - previous,
                sum_ms: 0.0,
            });
            previous = cumulative;
        }
        if let Some(last) = out.last_mut() {
            last.sum_ms = self.mean_share() * cases;
        }
        out
    }
}

/// `sla run`'s figures without reading the fired history: the fired count from the fired
/// milestones' index as VACUUM or ANALYZE counted it (counted when it has not yet).
fn sla_estimate(conn: &mut PgConnection, fired: Option<f64>) -> Result<SlaActions, Error> {
    let rest: SlaEstimate = diesel::sql_query(include_str!("sql/metrics_sla_actions_estimate.sql"))
        .get_result(conn)
        .map_err(Error::query("counting SLA actions"))?;
    let fired = match fired {
        Some(f) => f.round() as i64,
        None => {
            diesel::sql_query(
                "SELECT /* wfctl:metrics_sla_fired */ count(*) AS fired FROM milestone WHERE status = 'fired'",
            )
            .get_result::<Fired>(conn)
            .map_err(Error::query("counting fired milestones"))?
            .fired
        }
    };
    Ok(SlaActions {
        fired,
        failed: rest.failed,
        lag_seconds: rest.lag_seconds,
    })
}

/// Pended exec paths per work basket: counted up to [`EXACT_BELOW_BASKET`] each, estimated
/// from there (see `metrics_pended_paths.sql`). The oldest case of each basket is found by
/// walking the incomplete cases in time order and stopping at the first one there; left to
/// itself the planner may instead hash every pended case once per basket.
fn pended_paths(
    conn: &mut PgConnection,
    paths_now: f64,
) -> Result<Vec<Pended>, diesel::result::Error> {
    use diesel::Connection as _;
    use diesel::connection::SimpleConnection as _;
    let rows: Vec<BasketPaths> = conn.transaction(|conn| {
        conn.batch_execute(
            "SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off; \
             SET LOCAL enable_bitmapscan = off",
        )?;
        diesel::sql_query(include_str!("sql/metrics_pended_paths.sql"))
            .bind::<BigInt, _>(EXACT_BELOW_BASKET)
            .bind::<Double, _>(paths_now)
            .load(conn)
    })?;
    let mut pended = Vec::with_capacity(rows.len());
    for b in rows {
        let cases = match b.counted {
            Some(n) => match capped(n, EXACT_BELOW_BASKET, b.estimate) {
                Some(cases) => cases,
                // past the bound and not among the values ANALYZE kept: counted in full
                None => {
                    diesel::sql_query(
                        "SELECT /* wfctl:metrics_pended_basket */ count(*) AS n \
                         FROM exec_path WHERE pend_workbasket = $1",
                    )
                    .bind::<Text, _>(&b.basket)
                    .get_result::<Counted>(conn)?
                    .n
                }
            },
            None => (b.estimate.unwrap_or_default().round() as i64).max(EXACT_BELOW_BASKET),
        };
        pended.push(Pended {
            basket: b.basket,
            cases,
            oldest_seconds: b.oldest_seconds,
        });
    }
    Ok(pended)
}

#[derive(QueryableByName)]
struct Counted {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Audit rows written in the last minute (by ts), reading the newest rows by id only as far
/// back as they are that recent.
fn audit_last_minute(conn: &mut PgConnection) -> Result<i64, Error> {
    let mut limit = AUDIT_RECENT_FIRST;
    loop {
        let recent: AuditRecent = diesel::sql_query(include_str!("sql/metrics_audit_recent.sql"))
            .bind::<BigInt, _>(limit)
            .get_result(conn)
            .map_err(Error::query("counting recent audit rows"))?;
        if recent.recent < limit || limit >= AUDIT_RECENT_MAX {
            return Ok(recent.recent);
        }
        limit = (limit * 10).min(AUDIT_RECENT_MAX);
    }
}

fn histogram(buckets: &[Bucket]) -> Family {
    let mut samples = Vec::new();
    let mut cumulative = 0i64;
    for (i, le) in EXECUTION_BUCKETS.iter().enumerate() {
        cumulative += buckets
            .iter()
            .filter(|b| b.bucket as usize == i)
            .map(|b| b.cases)
            .sum::<i64>();
        samples.push(Sample {
            suffix: "_bucket",
            labels: vec![("le".into(), format_value(*le))],
            value: cumulative as f64,
        });
    }
    let count: i64 = buckets.iter().map(|b| b.cases).sum();
    let sum: f64 = buckets.iter().map(|b| b.sum_ms).sum::<f64>() / 1000.0;
    samples.push(Sample {
        suffix: "_bucket",
        labels: vec![("le".into(), "+Inf".into())],
        value: count as f64,
    });
    samples.push(Sample {
        suffix: "_sum",
        labels: Vec::new(),
        value: sum,
    });
    samples.push(Sample {
        suffix: "_count",
        labels: Vec::new(),
        value: count as f64,
    });
    Family {
        name: "workflow_case_execution_time_seconds",
        help: format!(
            "Time from start to completion of completed workflow cases; {ESTIMATE} (the \
             distribution the last ANALYZE of workflow_info kept, statistics wfctl_case_duration)"
        ),
        kind: Kind::Histogram,
        samples,
    }
}

/// The text exposition format 0.0.4.
pub fn render(families: &[Family]) -> String {
    let mut out = String::new();
    for f in families {
        let kind = match f.kind {
            Kind::Counter => "counter",
            Kind::Gauge => "gauge",
            Kind::Histogram => "histogram",
        };
        let _ = writeln!(out, "# HELP {} {}", f.name, escape_help(&f.help));
        let _ = writeln!(out, "# TYPE {} {kind}", f.name);
        for s in &f.samples {
            out.push_str(f.name);
            out.push_str(s.suffix);
            if !s.labels.is_empty() {
                let labels: Vec<String> = s
                    .labels
                    .iter()
                    .map(|(k, v)| format!("{k}=\"{}\"", escape_label(v)))
                    .collect();
                let _ = write!(out, "{{{}}}", labels.join(","));
            }
            let _ = writeln!(out, " {}", format_value(s.value));
        }
    }
    out
}

/// Whether the database answers a trivial query (`/health`).
pub fn database_answers(conn: &mut PgConnection) -> Result<(), Error> {
    diesel::sql_query("SELECT /* wfctl:metrics_health */ 1")
        .execute(conn)
        .map(drop)
        .map_err(Error::query("asking the database for SELECT 1"))
}

/// The one family a failed scrape returns: `workflow_database_up 0`.
pub fn down() -> String {
    render(&[Family::single(
        "workflow_database_up",
        Kind::Gauge,
        "1 when wfctl could read the workflow database",
        0.0,
    )])
}

fn escape_help(text: &str) -> String {
    text.replace('\\', "\\\\").replace('\n', "\\n")
}

fn escape_label(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn format_value(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        }
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_that_reaches_its_bound_takes_the_estimate() {
        // below the bound the count is the figure, whatever the statistics say
        assert_eq!(capped(999, 1_000, Some(5_000.0)), Some(999));
        // at the bound: the estimate, never below what was counted
        assert_eq!(capped(1_000, 1_000, Some(5_000.4)), Some(5_000));
        assert_eq!(capped(1_000, 1_000, Some(10.0)), Some(1_000));
        // at the bound without an estimate: the caller counts in full
        assert_eq!(capped(1_000, 1_000, None), None);
    }

    #[test]
    fn renders_escaped_labels_and_histograms() {
        let text = render(&[
            Family::labelled(
                "x_total",
                Kind::Counter,
                "a\\b\nc",
                "workbasket",
                vec![("q\"u\\o\nte".into(), 2.0)],
            ),
            histogram(&[
                Bucket {
                    bucket: 0,
                    cases: 2,
                    sum_ms: 100.0,
                },
                Bucket {
                    bucket: 3,
                    cases: 1,
                    sum_ms: 4000.0,
                },
                Bucket {
                    bucket: EXECUTION_BUCKETS.len() as i32,
                    cases: 1,
                    sum_ms: 1e9,
                },
            ]),
        ]);
        assert!(text.contains("# HELP x_total a\\\\b\\nc\n"), "{text}");
        assert!(
            text.contains("x_total{workbasket=\"q\\\"u\\\\o\\nte\"} 2\n"),
            "{text}"
        );
        assert!(
            text.contains("workflow_case_execution_time_seconds_bucket{le=\"0.1\"} 2\n"),
            "{text}"
        );
        assert!(
            text.contains("workflow_case_execution_time_seconds_bucket{le=\"1\"} 2\n"),
            "{text}"
        );
        assert!(
            text.contains("workflow_case_execution_time_seconds_bucket{le=\"5\"} 3\n"),
            "{text}"
        );
        assert!(
            text.contains("workflow_case_execution_time_seconds_bucket{le=\"+Inf\"} 4\n"),
            "{text}"
        );
        assert!(
            text.contains("workflow_case_execution_time_seconds_count 4\n"),
            "{text}"
        );
        assert!(
            text.contains("workflow_case_execution_time_seconds_sum 1000004.1\n"),
            "{text}"
        );
        assert!(down().ends_with("workflow_database_up 0\n"));
    }
}
