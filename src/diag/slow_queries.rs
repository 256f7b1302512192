//! `diag slow-queries`: where the time goes, from pg_stat_statements, with each statement that
//! touches a workflow table tagged with the wfctl operation that issues it (the
//! `/* wfctl:<op> */` comment after the first word of every wfctl statement).

use diesel::pg::PgConnection;
use diesel::sql_types::{BigInt, Double, Integer, Nullable, Text};
use diesel::{QueryableByName, RunQueryDsl};
use serde::Serialize;

use super::facts::{Facts, Since};
use super::pgss::Pgss;
use super::sql::{fill, ident};
use super::{Error, Finding, Limitation, Outcome, Severity, Thresholds, is_access_problem, reason};

/// Sort order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// Total time (where the time goes).
    Total,
    /// Mean time per call (what feels slow).
    Mean,
    /// Number of calls.
    Calls,
}

pub use crate::db::names::WORKFLOW_TABLES;

/// One statement: its figures and what issues it.
#[derive(Debug, Clone, Serialize)]
pub struct Statement {
    /// The figures.
    #[serde(flatten)]
    pub stats: StatementStats,
    /// The wfctl operation (`case_list`, ...) from the statement's tag comment.
    pub operation: Option<String>,
    /// Workflow tables the statement names (an untagged one is another application's).
    pub workflow_tables: Vec<String>,
}

/// pg_stat_statements' figures for one statement.
#[derive(Debug, Clone, Serialize, QueryableByName)]
pub struct StatementStats {
    /// pg_stat_statements' queryid (NULL for statements the role may not see).
    #[diesel(sql_type = Nullable<Text>)]
    pub query_id: Option<String>,
    /// Normalised text (`$1` for constants).
    #[diesel(sql_type = Text)]
    pub query: String,
    /// Calls.
    #[diesel(sql_type = BigInt)]
    pub calls: i64,
    /// Total execution time, ms.
    #[diesel(sql_type = Double)]
    #[serde(
        rename = "total_seconds",
        serialize_with = "crate::conventions::ms_as_seconds"
    )]
    pub total_ms: f64,
    /// Mean execution time, ms.
    #[diesel(sql_type = Double)]
    #[serde(
        rename = "mean_seconds",
        serialize_with = "crate::conventions::ms_as_seconds"
    )]
    pub mean_ms: f64,
    /// Share of this database's total statement time, %.
    #[diesel(sql_type = Double)]
    pub share_percent: f64,
    /// Rows returned or affected.
    #[diesel(sql_type = BigInt)]
    pub rows: i64,
    /// Shared-buffer hit ratio, % (NULL: no block access).
    #[diesel(sql_type = Nullable<Double>)]
    pub cache_hit_percent: Option<f64>,
    /// Time reading blocks, ms (only with track_io_timing).
    #[diesel(sql_type = Nullable<Double>)]
    #[serde(
        rename = "read_seconds",
        serialize_with = "crate::conventions::opt_ms_as_seconds"
    )]
    pub read_ms: Option<f64>,
}

/// The report.
#[derive(Debug, Clone, Serialize)]
pub struct SlowQueries {
    /// Since when pg_stat_statements counts.
    pub since: Since,
    /// Where it is installed and which version.
    pub extension: String,
    /// Statements of this database in the view.
    pub statements_total: i64,
    /// Of them, hidden from this role.
    pub hidden: i64,
    /// Sum of their execution time, ms.
    #[serde(
        rename = "total_seconds",
        serialize_with = "crate::conventions::ms_as_seconds"
    )]
    pub total_ms: f64,
    /// The top statements.
    pub statements: Vec<Statement>,
}

#[derive(QueryableByName)]
struct Totals {
    #[diesel(sql_type = BigInt)]
    statements: i64,
    #[diesel(sql_type = BigInt)]
    hidden: i64,
    #[diesel(sql_type = Double)]
    total_ms: f64,
}

/// The wfctl operation named by a statement's `/* wfctl:<op> */` comment.
pub fn operation_of(query: &str) -> Option<String> {
    let start = query.find("/* wfctl:")? + "/* wfctl:".len();
    let name: String = query[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// Workflow tables named in a statement (whole words, case-insensitive).
pub(crate) fn workflow_tables_in(query: &str) -> Vec<String> {
    let lower = query.to_ascii_lowercase();
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    WORKFLOW_TABLES
        .iter()
        .filter(|table| {
            lower.match_indices(*table).any(|(at, _)| {
                !is_word(lower[..at].chars().next_back())
                    && !is_word(lower[at + table.len()..].chars().next())
            })
        })
        .map(|t| t.to_string())
        .collect()
}

fn fill_view(template: &str, pgss: &Pgss, order: Order) -> String {
    let c = &pgss.columns;
    let order_by = match order {
        Order::Total => "s.total_ms",
        Order::Mean => "s.mean_ms",
        Order::Calls => "s.calls",
    };
    let read_time = c
        .read_time
        .as_deref()
        .map_or("NULL::float8".to_string(), ident);
    fill(
        template,
        &[
            ("view", &pgss.view()),
            ("total", &ident(&c.total_time)),
            ("mean", &ident(&c.mean_time)),
            ("read_time", &read_time),
            ("toplevel", if c.toplevel { "AND toplevel" } else { "" }),
            ("order", order_by),
        ],
    )
}

/// The top `limit` statements; `Err(limitations)` when pg_stat_statements is not readable.
pub fn report(
    conn: &mut PgConnection,
    facts: &Facts,
    order: Order,
    limit: i64,
) -> Result<Result<SlowQueries, Vec<Limitation>>, Error> {
    let Some(pgss) = facts.pgss.ready() else {
        return Ok(Err(facts.pgss.limitations("slow queries", &facts.server)));
    };
    let totals: Totals = diesel::sql_query(fill_view(
        include_str!("sql/slow_queries_totals.sql"),
        pgss,
        order,
    ))
    .get_result(conn)
    .map_err(Error::query("reading pg_stat_statements"))?;
    let rows: Vec<StatementStats> =
        diesel::sql_query(fill_view(include_str!("sql/slow_queries.sql"), pgss, order))
            .bind::<BigInt, _>(limit)
            .load(conn)
            .map_err(Error::query("reading pg_stat_statements"))?;
    let statements = rows
        .into_iter()
        .map(|stats| Statement {
            operation: operation_of(&stats.query),
            workflow_tables: workflow_tables_in(&stats.query),
            stats,
        })
        .collect();
    Ok(Ok(SlowQueries {
        since: pgss.since.clone(),
        extension: format!(
            "pg_stat_statements {} in schema {}",
            pgss.version, pgss.schema
        ),
        statements_total: totals.statements,
        hidden: totals.hidden,
        total_ms: totals.total_ms,
        statements,
    }))
}

/// What `--reset` did.
#[derive(Debug, Clone, Serialize)]
pub struct ResetDone {
    /// `database NAME` or `all databases` (extension older than 1.7).
    pub scope: String,
}

/// Resets pg_stat_statements for this database (all databases with an extension older than
/// 1.7, whose reset takes no arguments). Needs EXECUTE on the function (superuser by default).
pub fn reset(conn: &mut PgConnection, facts: &Facts) -> Result<ResetDone, Error> {
    let Some(pgss) = facts.pgss.ready() else {
        let why = facts
            .pgss
            .limitations("reset", &facts.server)
            .into_iter()
            .next()
            .map_or_else(
                || "pg_stat_statements is not readable".to_string(),
                |l| l.why,
            );
        return Err(Error::Invalid(format!(
            "cannot reset pg_stat_statements: {why}"
        )));
    };
    #[derive(QueryableByName)]
    struct Args {
        #[diesel(sql_type = Integer)]
        args: i32,
    }
    let args: Args = diesel::sql_query(include_str!("sql/slow_queries_reset.sql"))
        .bind::<Text, _>(&pgss.schema)
        .get_result(conn)
        .map_err(Error::query("looking up pg_stat_statements_reset"))?;
    let function = format!("{}.pg_stat_statements_reset", ident(&pgss.schema));
    let (sql, scope) = if args.args >= 3 {
        (
            format!(
                "SELECT {function}(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)"
            ),
            format!("database {}", facts.server.database),
        )
    } else {
        (format!("SELECT {function}()"), "all databases".to_string())
    };
    match diesel::sql_query(sql).execute(conn) {
        Ok(_) => Ok(ResetDone { scope }),
        Err(e) if is_access_problem(&e) => Err(Error::Denied {
            action: "resetting pg_stat_statements".into(),
            reason: reason(&e),
            fix: format!(
                "as a superuser: GRANT EXECUTE ON FUNCTION {function} TO {};",
                ident(&facts.server.role)
            ),
        }),
        Err(e) => Err(Error::query("resetting pg_stat_statements")(e)),
    }
}

/// Findings for `diag all`: the slowest statement by mean time among those called 10+ times.
pub(crate) fn evaluate(
    conn: &mut PgConnection,
    facts: &Facts,
    thresholds: &Thresholds,
) -> Result<Outcome, Error> {
    let mut out = Outcome::default();
    let report = match report(conn, facts, Order::Mean, 200)? {
        Ok(r) => r,
        Err(limitations) => {
            out.limitations = limitations;
            return Ok(out);
        }
    };
    out.limitations = facts.pgss.limitations("slow queries", &facts.server);
    let frequent: Vec<&Statement> = report
        .statements
        .iter()
        .filter(|s| s.stats.calls >= 10)
        .collect();
    let worst = frequent.iter().map(|s| s.stats.mean_ms).fold(0.0, f64::max);
    let m = thresholds.measure("slow_query_ms", worst);
    for s in frequent.iter().take(5) {
        let severity = thresholds
            .measure("slow_query_ms", s.stats.mean_ms)
            .severity;
        if severity > Severity::Ok {
            let label = s
                .operation
                .as_deref()
                .map_or_else(|| one_line(&s.stats.query, 80), |op| format!("wfctl:{op}"));
            out.findings.push(Finding::new(
                "slow-queries",
                severity,
                format!(
                    "{label}: mean {} over {} calls ({})",
                    crate::conventions::seconds_text(s.stats.mean_ms / 1e3),
                    s.stats.calls,
                    report.since.text
                ),
            ));
        }
    }
    out.measures.push(m);
    Ok(out)
}

/// `text` on one line, cut to `max` characters.
pub fn one_line(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > max {
        format!("{}…", flat.chars().take(max).collect::<String>())
    } else {
        flat
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_tables() {
        assert_eq!(
            operation_of("SELECT /* wfctl:case_list */ * FROM workflow_info").as_deref(),
            Some("case_list")
        );
        assert_eq!(operation_of("SELECT 1 /* other */"), None);
        assert_eq!(
            workflow_tables_in("select * from WORKFLOW_INFO w join exec_path e on true"),
            vec!["workflow_info", "exec_path"]
        );
        assert!(workflow_tables_in("select * from my_workflow_info_copy").is_empty());
        assert!(workflow_tables_in("select step_name from x").is_empty());
        assert_eq!(one_line("a\n  b", 10), "a b");
    }
}
