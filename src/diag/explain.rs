//! `diag explain`: `EXPLAIN (ANALYZE, BUFFERS)` of the statements wfctl issues most, with
//! parameters taken from the data (the busiest work basket, a recent case), in a read-only
//! transaction that is rolled back. Flags sequential scans of big tables: checked against the
//! statements themselves, so it works on a fresh database where usage statistics say nothing.
//!
//! `diag all` plans without running ([`How::Plan`]): what it reports, a sequential scan of a
//! big table, is in the plan, and running the heaviest statements would cost a monitoring
//! probe as much as the statements themselves.

use std::collections::BTreeMap;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sql_types::{BigInt, Double, Json, Nullable, Text};
use diesel::{QueryableByName, RunQueryDsl};
use serde::Serialize;

use super::indexes::SEQ_SCAN_MIN_ROWS;
use super::slow_queries::operation_of;
use super::{Error, Finding, Limitation, Outcome, Severity, Thresholds, is_access_problem, reason};

/// A statement's parameter, taken from the data.
#[derive(Debug, Clone, Copy)]
enum Param {
    Basket,
    CaseId,
    Hibid,
    CounterName,
    NowMs,
    StuckCutoff,
}

struct Statement {
    sql: &'static str,
    param: Option<Param>,
}

const STATEMENTS: &[Statement] = &[
    Statement {
        sql: include_str!("sql/explain/case_list_by_basket.sql"),
        param: Some(Param::Basket),
    },
    Statement {
        sql: include_str!("sql/explain/case_show.sql"),
        param: Some(Param::CaseId),
    },
    Statement {
        sql: include_str!("sql/explain/case_variables.sql"),
        param: Some(Param::Hibid),
    },
    Statement {
        sql: include_str!("sql/explain/case_history.sql"),
        param: Some(Param::CaseId),
    },
    Statement {
        sql: include_str!("sql/explain/audit_next_sequence.sql"),
        param: Some(Param::CounterName),
    },
    Statement {
        sql: include_str!("sql/explain/pended_by_basket.sql"),
        param: None,
    },
    Statement {
        sql: include_str!("sql/explain/sla_due.sql"),
        param: Some(Param::NowMs),
    },
    Statement {
        sql: include_str!("sql/explain/stuck_running.sql"),
        param: Some(Param::StuckCutoff),
    },
];

#[derive(QueryableByName)]
struct Params {
    #[diesel(sql_type = Nullable<Text>)]
    basket: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    case_id: Option<String>,
    #[diesel(sql_type = BigInt)]
    now_ms: i64,
}

#[derive(QueryableByName)]
struct TableRows {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Double)]
    rows: f64,
}

#[derive(QueryableByName)]
struct PlanRow {
    #[diesel(sql_type = Json)]
    #[diesel(column_name = "QUERY PLAN")]
    plan: serde_json::Value,
}

/// A sequential scan in a plan.
#[derive(Debug, Clone, Serialize)]
pub struct SeqScan {
    /// The table.
    pub table: String,
    /// Its estimated rows.
    pub table_rows: f64,
    /// Rows the scan kept.
    pub rows_kept: f64,
    /// Rows the scan read and threw away (its filter's `Rows Removed by Filter`).
    pub rows_removed: f64,
    /// Flagged: a big table (10,000+ rows) read to keep a few (under a tenth) of its rows, the
    /// work an index would save. A scan that keeps most rows (an aggregate over the table) is
    /// the right plan and is not flagged.
    pub big: bool,
}

/// One statement's plan.
#[derive(Debug, Clone, Serialize)]
pub struct Explained {
    /// The wfctl operation (the statement's tag).
    pub operation: String,
    /// The statement.
    pub sql: String,
    /// The parameter used.
    pub parameter: Option<String>,
    /// Whether the parameter came from the data (false: a placeholder, the table had none).
    pub parameter_from_data: bool,
    /// Execution time, ms.
    #[serde(
        rename = "execution_seconds",
        serialize_with = "crate::conventions::ms_as_seconds"
    )]
    pub execution_ms: f64,
    /// Planning time, ms.
    #[serde(
        rename = "planning_seconds",
        serialize_with = "crate::conventions::ms_as_seconds"
    )]
    pub planning_ms: f64,
    /// Rows returned.
    pub rows: f64,
    /// Shared buffers hit.
    pub shared_hit: i64,
    /// Shared buffers read from disk (or the OS cache).
    pub shared_read: i64,
    /// Indexes the plan uses.
    pub indexes: Vec<String>,
    /// Sequential scans in the plan.
    pub seq_scans: Vec<SeqScan>,
    /// The plan, one node per line.
    pub plan: Vec<String>,
}

/// Whether the statements run (their real rows, times and buffers) or are only planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// `EXPLAIN (ANALYZE, BUFFERS)`: runs each statement (rolled back).
    Analyze,
    /// `EXPLAIN`: the plan and the planner's row estimates only; times and buffers are 0.
    Plan,
}

/// The report.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainReport {
    /// Each statement.
    pub statements: Vec<Explained>,
    /// What could not be explained.
    pub limitations: Vec<Limitation>,
}

/// Explains every statement, inside `BEGIN READ ONLY ... ROLLBACK`, each under a savepoint and
/// `statement_timeout`; with [`How::Analyze`] they run for real.
pub fn report(
    conn: &mut PgConnection,
    stuck_for_ms: i64,
    timeout_ms: u64,
    how: How,
) -> Result<ExplainReport, Error> {
    let params: Result<Params, _> =
        diesel::sql_query(include_str!("sql/explain_params.sql")).get_result(conn);
    let params = match params {
        Ok(p) => p,
        Err(e) if is_access_problem(&e) => {
            return Ok(ExplainReport {
                statements: Vec::new(),
                limitations: vec![Limitation::new(
                    "plans of wfctl's statements",
                    reason(&e),
                    Some("GRANT SELECT ON ALL TABLES IN SCHEMA public TO <role>;".into()),
                )],
            });
        }
        Err(e) => return Err(Error::query("choosing explain parameters")(e)),
    };
    let rows: Vec<TableRows> = diesel::sql_query(include_str!("sql/explain_table_rows.sql"))
        .load(conn)
        .map_err(Error::query("reading table sizes"))?;
    let table_rows: BTreeMap<String, f64> =
        rows.into_iter().map(|r| (r.table_name, r.rows)).collect();
    conn.batch_execute(&format!(
        "BEGIN READ ONLY; SET LOCAL statement_timeout = {timeout_ms}; SET LOCAL lock_timeout = 2000"
    ))
    .map_err(Error::query("starting the read-only transaction"))?;
    let result = explain_all(conn, &params, stuck_for_ms, &table_rows, how);
    let rollback = conn.batch_execute("ROLLBACK");
    let report = result?;
    rollback.map_err(Error::query("rolling back"))?;
    Ok(report)
}

fn explain_all(
    conn: &mut PgConnection,
    params: &Params,
    stuck_for_ms: i64,
    table_rows: &BTreeMap<String, f64>,
    how: How,
) -> Result<ExplainReport, Error> {
    let options = match how {
        How::Analyze => "ANALYZE, BUFFERS, FORMAT JSON",
        How::Plan => "FORMAT JSON",
    };
    let mut statements = Vec::new();
    let mut limitations = Vec::new();
    for statement in STATEMENTS {
        let (text, int, from_data) = match statement.param {
            None => (None, None, true),
            Some(Param::Basket) => (
                Some(params.basket.clone().unwrap_or_else(|| "(none)".into())),
                None,
                params.basket.is_some(),
            ),
            Some(Param::CaseId) => (
                Some(params.case_id.clone().unwrap_or_else(|| "(none)".into())),
                None,
                params.case_id.is_some(),
            ),
            Some(Param::Hibid) => (
                Some(crate::model::process_info_key(
                    params.case_id.as_deref().unwrap_or("(none)"),
                )),
                None,
                params.case_id.is_some(),
            ),
            Some(Param::CounterName) => (
                Some(crate::model::counter_key(
                    params.case_id.as_deref().unwrap_or("(none)"),
                )),
                None,
                params.case_id.is_some(),
            ),
            Some(Param::NowMs) => (None, Some(params.now_ms), true),
            Some(Param::StuckCutoff) => (None, Some(params.now_ms - stuck_for_ms), true),
        };
        let sql = format!("EXPLAIN ({options}) {}", statement.sql);
        conn.batch_execute("SAVEPOINT diag_explain")
            .map_err(Error::query("explain savepoint"))?;
        let query = diesel::sql_query(&sql);
        let result: Result<PlanRow, _> = match (&text, int) {
            (Some(t), _) => query.bind::<Text, _>(t).get_result(conn),
            (None, Some(i)) => query.bind::<BigInt, _>(i).get_result(conn),
            (None, None) => query.get_result(conn),
        };
        let operation = operation_of(statement.sql).unwrap_or_else(|| "unknown".into());
        match result {
            Ok(row) => {
                conn.batch_execute("RELEASE SAVEPOINT diag_explain")
                    .map_err(Error::query("explain savepoint"))?;
                statements.push(summarise(
                    operation,
                    statement.sql,
                    text.or(int.map(|i| i.to_string())),
                    from_data,
                    &row.plan,
                    table_rows,
                ));
            }
            Err(e) => {
                conn.batch_execute("ROLLBACK TO SAVEPOINT diag_explain")
                    .map_err(Error::query("explain savepoint"))?;
                if is_access_problem(&e) || reason(&e).contains("statement timeout") {
                    limitations.push(Limitation::new(
                        format!("plan of wfctl:{operation}"),
                        reason(&e),
                        None,
                    ));
                } else {
                    return Err(Error::query(format!("explaining wfctl:{operation}"))(e));
                }
            }
        }
    }
    Ok(ExplainReport {
        statements,
        limitations,
    })
}

fn summarise(
    operation: String,
    sql: &str,
    parameter: Option<String>,
    parameter_from_data: bool,
    json: &serde_json::Value,
    table_rows: &BTreeMap<String, f64>,
) -> Explained {
    let top = json.get(0).cloned().unwrap_or_default();
    let root = top.get("Plan").cloned().unwrap_or_default();
    let num = |v: &serde_json::Value, k: &str| {
        v.get(k).and_then(serde_json::Value::as_f64).unwrap_or(0.0)
    };
    let mut out = Explained {
        operation,
        sql: sql
            .lines()
            .filter(|l| !l.starts_with("/*"))
            .collect::<Vec<_>>()
            .join(" "),
        parameter,
        parameter_from_data,
        execution_ms: num(&top, "Execution Time"),
        planning_ms: num(&top, "Planning Time"),
        rows: num(&root, "Actual Rows"),
        shared_hit: num(&root, "Shared Hit Blocks") as i64,
        shared_read: num(&root, "Shared Read Blocks") as i64,
        indexes: Vec::new(),
        seq_scans: Vec::new(),
        plan: Vec::new(),
    };
    walk(&root, 0, &mut out, table_rows);
    out.indexes.sort();
    out.indexes.dedup();
    out
}

fn walk(
    node: &serde_json::Value,
    depth: usize,
    out: &mut Explained,
    table_rows: &BTreeMap<String, f64>,
) {
    let text = |k: &str| {
        node.get(k)
            .and_then(serde_json::Value::as_str)
            .unwrap_or("")
    };
    let kind = text("Node Type");
    let relation = text("Relation Name");
    let index = text("Index Name");
    let mut line = format!("{}{kind}", "  ".repeat(depth));
    if !relation.is_empty() {
        line.push_str(&format!(" on {relation}"));
    }
    if !index.is_empty() {
        line.push_str(&format!(" using {index}"));
        out.indexes.push(index.to_string());
    }
    // a plan that did not run has the planner's estimates only
    let analyzed = node.get("Actual Rows").is_some();
    let rows = node
        .get("Actual Rows")
        .or_else(|| node.get("Plan Rows"))
        .and_then(serde_json::Value::as_f64)
        .unwrap_or(0.0);
    let loops = node
        .get("Actual Loops")
        .and_then(serde_json::Value::as_f64)
        .unwrap_or(1.0);
    if analyzed {
        line.push_str(&format!(" (rows={rows:.0} loops={loops:.0})"));
    } else {
        line.push_str(&format!(" (estimated rows={rows:.0})"));
    }
    out.plan.push(line);
    if kind == "Seq Scan" && !relation.is_empty() {
        let table = table_rows.get(relation).copied().unwrap_or(0.0);
        let kept = rows * loops;
        let removed = if analyzed {
            node.get("Rows Removed by Filter")
                .and_then(serde_json::Value::as_f64)
                .unwrap_or(0.0)
                * loops
        } else {
            // planned only: what a filtered scan would read and not keep
            let filtered = node.get("Filter").is_some();
            if filtered {
                (table - kept).max(0.0)
            } else {
                0.0
            }
        };
        out.seq_scans.push(SeqScan {
            table: relation.to_string(),
            table_rows: table,
            rows_kept: kept,
            rows_removed: removed,
            big: table >= SEQ_SCAN_MIN_ROWS as f64 && removed >= 10.0 * kept.max(1.0),
        });
    }
    if let Some(children) = node.get("Plans").and_then(serde_json::Value::as_array) {
        for child in children {
            walk(child, depth + 1, out, table_rows);
        }
    }
}

/// Findings for `diag all`: each statement that scans a big table sequentially.
pub(crate) fn evaluate_report(report: &ExplainReport, thresholds: &Thresholds) -> Outcome {
    let mut out = Outcome {
        limitations: report.limitations.clone(),
        ..Outcome::default()
    };
    let flagged: Vec<(&Explained, &SeqScan)> = report
        .statements
        .iter()
        .flat_map(|s| {
            s.seq_scans
                .iter()
                .filter(|scan| scan.big)
                .map(move |scan| (s, scan))
        })
        .collect();
    let m = thresholds.measure("seq_scans", flagged.len() as f64);
    for (s, scan) in &flagged {
        out.findings.push(
            Finding::new(
                "explain",
                m.severity.max(Severity::Ok),
                if s.execution_ms > 0.0 {
                    format!(
                        "wfctl:{} scans {} sequentially ({:.0} rows; {:.1} ms)",
                        s.operation, scan.table, scan.table_rows, s.execution_ms
                    )
                } else {
                    format!(
                        "wfctl:{} scans {} sequentially ({:.0} rows; planned, not run)",
                        s.operation, scan.table, scan.table_rows
                    )
                },
            )
            .with_fix("wfctl diag doctor --write-migration DIR  (adds the recommended indexes)"),
        );
    }
    out.measures.push(m);
    out
}

/// `diag all`'s explain check.
pub(crate) fn evaluate(
    conn: &mut PgConnection,
    thresholds: &Thresholds,
    stuck_for_ms: i64,
    how: How,
) -> Result<Outcome, Error> {
    Ok(evaluate_report(
        &report(conn, stuck_for_ms, 30_000, how)?,
        thresholds,
    ))
}
