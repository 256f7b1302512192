//! `wfctl metrics`: the seed guide's Prometheus metrics (`workflow.cases.started`, ...), named
//! the Prometheus way, read from the database, in the text exposition format 0.0.4 (what the
//! node exporter's textfile collector reads; OpenMetrics' `# EOF` and `# UNIT` it rejects).

use std::fmt::Write as _;
use std::time::Instant;

use diesel::pg::PgConnection;
use diesel::sql_types::{Array, BigInt, Double, Integer, Nullable, Text};
use diesel::{QueryableByName, RunQueryDsl};

use super::Error;
use super::facts::Facts;

/// Upper bounds of the execution-time histogram, seconds: cases run from milliseconds (all
/// automatic) to days (pended for a person).
pub const EXECUTION_BUCKETS: &[f64] = &[
    0.1, 0.5, 1.0, 5.0, 30.0, 60.0, 300.0, 1800.0, 3600.0, 14_400.0, 86_400.0, 604_800.0,
];

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
struct Audit {
    #[diesel(sql_type = BigInt)]
    inserted: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    last_minute: Option<i64>,
}

/// Reads every metric. `error_basket` is the engine's error work basket.
pub fn collect(
    conn: &mut PgConnection,
    facts: &Facts,
    error_basket: &str,
) -> Result<Vec<Family>, Error> {
    let started = Instant::now();
    let counts: CaseCounts = diesel::sql_query(include_str!("sql/metrics_cases.sql"))
        .get_result(conn)
        .map_err(Error::query("counting cases"))?;
    let bounds: Vec<i64> = EXECUTION_BUCKETS
        .iter()
        .map(|s| (s * 1000.0) as i64 + 1)
        .collect();
    let buckets: Vec<Bucket> = diesel::sql_query(include_str!("sql/metrics_execution.sql"))
        .bind::<Array<BigInt>, _>(&bounds)
        .load(conn)
        .map_err(Error::query("reading case execution times"))?;
    let pended: Vec<Pended> = diesel::sql_query(include_str!("sql/metrics_pended.sql"))
        .load(conn)
        .map_err(Error::query("counting pended cases"))?;
    let overdue: Vec<OverdueRow> = diesel::sql_query(include_str!("sql/metrics_overdue.sql"))
        .load(conn)
        .map_err(Error::query("counting overdue milestones"))?;
    let audit: Audit = diesel::sql_query(include_str!("sql/metrics_audit.sql"))
        .get_result(conn)
        .map_err(Error::query("counting audit rows"))?;

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
            "Workflow cases started (rows of workflow_info; drops if cases are purged)",
            counts.started as f64,
        ),
        Family::single(
            "workflow_cases_completed_total",
            Kind::Counter,
            "Workflow cases completed",
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
            "Workflow cases pended, per work basket",
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
            audit.last_minute.unwrap_or(0) as f64 / 60.0,
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
        help: "Time from start to completion of completed workflow cases".into(),
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
    diesel::sql_query("/* wfctl:metrics_health */ SELECT 1")
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
