//! `diag locks`: who blocks whom (a tree from `pg_blocking_pids`), for how long, running what,
//! and for workflow tables the case involved: exactly from a wfctl case lock's advisory key,
//! or inferred from the row a session waits for (its ctid, read back from the table). Query
//! parameters are not visible to any tool, so a case is never guessed from the query text.

use std::collections::{BTreeMap, BTreeSet};

use diesel::pg::PgConnection;
use diesel::sql_types::{Array, BigInt, Bool, Double, Integer, Nullable, Text};
use diesel::{QueryableByName, RunQueryDsl};
use serde::Serialize;

use super::facts::Facts;
use super::slow_queries::{WORKFLOW_TABLES, operation_of};
use super::sql::fill;
use super::{Error, Finding, Limitation, Outcome, Severity, Thresholds, is_access_problem, reason};

#[derive(Debug, Clone, QueryableByName)]
struct SessionRow {
    #[diesel(sql_type = Integer)]
    pid: i32,
    #[diesel(sql_type = Array<Integer>)]
    blocked_by: Vec<i32>,
    #[diesel(sql_type = Text)]
    role_name: String,
    #[diesel(sql_type = Text)]
    application: String,
    #[diesel(sql_type = Text)]
    client: String,
    #[diesel(sql_type = Text)]
    state: String,
    #[diesel(sql_type = Text)]
    wait_event: String,
    #[diesel(sql_type = Nullable<Double>)]
    xact_seconds: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    query_seconds: Option<f64>,
    #[diesel(sql_type = Text)]
    query: String,
}

/// One lock of a session in the tree.
#[derive(Debug, Clone, Serialize, QueryableByName)]
pub struct LockRow {
    /// Session.
    #[diesel(sql_type = Integer)]
    pub pid: i32,
    /// `relation`, `tuple`, `transactionid`, `advisory`, ...
    #[diesel(sql_type = Text)]
    pub lock_type: String,
    /// `RowExclusiveLock`, ...
    #[diesel(sql_type = Text)]
    pub mode: String,
    /// Held (true) or waited for (false).
    #[diesel(sql_type = Bool)]
    pub granted: bool,
    /// Schema of the relation, if any.
    #[diesel(sql_type = Text)]
    pub schema_name: String,
    /// Relation, if any.
    #[diesel(sql_type = Text)]
    pub relation: String,
    /// Page of a tuple lock.
    #[diesel(sql_type = Nullable<Integer>)]
    pub page: Option<i32>,
    /// Tuple of a tuple lock.
    #[diesel(sql_type = Nullable<Integer>)]
    pub tuple: Option<i32>,
    /// The bigint key of an advisory lock taken with one bigint.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub advisory_key: Option<i64>,
    /// How long it has been waited for (PG14+, ungranted locks).
    #[diesel(sql_type = Nullable<Double>)]
    pub wait_seconds: Option<f64>,
}

/// A case involved in a lock, and how we know.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct CaseRef {
    /// The case id.
    pub case_id: String,
    /// `case lock` (exact: the advisory key of the wfctl case lock) or `row` (inferred: the
    /// row at the ctid of the tuple lock, read now).
    pub via: String,
    /// Details: the table and ctid, or the advisory key.
    pub detail: String,
}

/// A session in the blocking tree.
#[derive(Debug, Clone, Serialize)]
pub struct LockNode {
    /// Backend pid (0: a prepared transaction).
    pub pid: i32,
    /// Role.
    pub role: String,
    /// `application_name`.
    pub application: String,
    /// Client address.
    pub client: String,
    /// `active`, `idle in transaction`, ...
    pub state: String,
    /// Wait event (`Lock:transactionid`, ...).
    pub wait_event: String,
    /// Age of its transaction, seconds.
    pub xact_seconds: Option<f64>,
    /// Age of its current (or last) statement, seconds.
    pub query_seconds: Option<f64>,
    /// How long it has waited for its lock, seconds (from pg_locks.waitstart on PG14+, else
    /// the statement's age).
    pub wait_seconds: Option<f64>,
    /// Its current or last statement.
    pub query: String,
    /// wfctl operation from the statement's tag.
    pub operation: Option<String>,
    /// What it waits for, e.g. `ShareLock on transactionid`.
    pub waiting_for: Option<String>,
    /// Workflow tables it has locked.
    pub tables: Vec<String>,
    /// Cases involved.
    pub cases: Vec<CaseRef>,
    /// The pids that block it.
    pub blocked_by: Vec<i32>,
    /// Sessions it blocks.
    pub blocks: Vec<LockNode>,
}

/// A wfctl case lock held (whether or not anyone waits for it).
#[derive(Debug, Clone, Serialize)]
pub struct CaseLock {
    /// Holder.
    pub pid: i32,
    /// The case.
    pub case_id: String,
    /// Holder's application.
    pub application: String,
}

/// The report.
#[derive(Debug, Clone, Serialize)]
pub struct LockReport {
    /// Root blockers with the sessions they block beneath them.
    pub tree: Vec<LockNode>,
    /// Sessions waiting for a lock.
    pub waiting: usize,
    /// The longest wait, seconds.
    pub longest_wait_seconds: f64,
    /// wfctl case locks held now (cases being run).
    pub case_locks: Vec<CaseLock>,
    /// What could not be seen.
    pub limitations: Vec<Limitation>,
}

#[derive(QueryableByName)]
struct Found {
    #[diesel(sql_type = Bool)]
    found: bool,
}

#[derive(QueryableByName)]
struct KeyCase {
    #[diesel(sql_type = Text)]
    case_id: String,
    #[diesel(sql_type = BigInt)]
    key: i64,
}

#[derive(QueryableByName)]
struct RowCase {
    #[diesel(sql_type = Nullable<Text>)]
    case_id: Option<String>,
}

/// Whether `relation` (e.g. `pg_catalog.pg_locks`) has `column`.
pub(crate) fn has_column(
    conn: &mut PgConnection,
    relation: &str,
    column: &str,
) -> Result<bool, Error> {
    let found: Found = diesel::sql_query(include_str!("sql/has_column.sql"))
        .bind::<Text, _>(relation)
        .bind::<Text, _>(column)
        .get_result(conn)
        .map_err(Error::query("reading the catalog"))?;
    Ok(found.found)
}

/// Builds the blocking tree.
pub fn report(conn: &mut PgConnection, facts: &Facts) -> Result<LockReport, Error> {
    let sessions: Vec<SessionRow> = diesel::sql_query(include_str!("sql/locks_sessions.sql"))
        .load(conn)
        .map_err(Error::query("reading sessions"))?;
    let wait_seconds = if has_column(conn, "pg_catalog.pg_locks", "waitstart")? {
        "extract(epoch FROM now() - l.waitstart)::float8"
    } else {
        "NULL::float8"
    };
    // Advisory locks of every session (case locks), plus the locks of the sessions in the tree.
    let mut pids: Vec<i32> = sessions.iter().map(|s| s.pid).collect();
    pids.extend(advisory_holders(conn)?);
    pids.sort_unstable();
    pids.dedup();
    let locks: Vec<LockRow> = diesel::sql_query(fill(
        include_str!("sql/locks_held.sql"),
        &[("wait_seconds", wait_seconds)],
    ))
    .bind::<Array<Integer>, _>(&pids)
    .load(conn)
    .map_err(Error::query("reading pg_locks"))?;
    let mut limitations = Vec::new();
    let keys: Vec<i64> = locks.iter().filter_map(|l| l.advisory_key).collect();
    let key_cases = resolve_keys(conn, &keys, &mut limitations)?;
    let mut row_cases: BTreeMap<(String, i32, i32), Option<String>> = BTreeMap::new();
    for l in locks.iter().filter(|l| l.lock_type == "tuple") {
        if let (Some(page), Some(tuple)) = (l.page, l.tuple) {
            let key = (l.relation.clone(), page, tuple);
            if let std::collections::btree_map::Entry::Vacant(slot) = row_cases.entry(key) {
                slot.insert(row_case(conn, &l.relation, page, tuple, &mut limitations)?);
            }
        }
    }
    let in_tree: BTreeSet<i32> = sessions.iter().map(|s| s.pid).collect();
    let applications: BTreeMap<i32, String> = sessions
        .iter()
        .map(|s| (s.pid, s.application.clone()))
        .collect();
    let case_locks = locks
        .iter()
        .filter(|l| l.granted)
        .filter_map(|l| {
            let case_id = key_cases.get(&l.advisory_key?)?;
            Some(CaseLock {
                pid: l.pid,
                case_id: case_id.clone(),
                application: applications.get(&l.pid).cloned().unwrap_or_default(),
            })
        })
        .collect();
    let nodes: BTreeMap<i32, LockNode> = sessions
        .iter()
        .map(|s| (s.pid, node(s, &locks, &key_cases, &row_cases)))
        .collect();
    let waiting = nodes.values().filter(|n| !n.blocked_by.is_empty()).count();
    let longest_wait_seconds = nodes
        .values()
        .filter(|n| !n.blocked_by.is_empty())
        .filter_map(|n| n.wait_seconds)
        .fold(0.0, f64::max);
    let mut roots: Vec<i32> = nodes
        .values()
        .filter(|n| n.blocked_by.is_empty() || n.blocked_by.iter().all(|b| !in_tree.contains(b)))
        .map(|n| n.pid)
        .collect();
    // A blocker outside pg_stat_activity (pid 0: a prepared transaction) gets a node of its own.
    let mut outside: BTreeSet<i32> = BTreeSet::new();
    for n in nodes.values() {
        outside.extend(n.blocked_by.iter().filter(|b| !in_tree.contains(b)));
    }
    let mut tree = Vec::new();
    for pid in outside {
        let mut root = placeholder(pid);
        root.blocks = children(pid, &nodes, &mut vec![pid]);
        tree.push(root);
        roots.retain(|r| !nodes[r].blocked_by.contains(&pid));
    }
    for pid in roots {
        let mut root = nodes[&pid].clone();
        root.blocks = children(pid, &nodes, &mut vec![pid]);
        tree.push(root);
    }
    if in_tree.iter().any(|pid| nodes[pid].state == "hidden") {
        limitations.extend(facts.hidden_sessions_limitation("locks"));
    }
    Ok(LockReport {
        tree,
        waiting,
        longest_wait_seconds,
        case_locks,
        limitations,
    })
}

fn advisory_holders(conn: &mut PgConnection) -> Result<Vec<i32>, Error> {
    #[derive(QueryableByName)]
    struct Pid {
        #[diesel(sql_type = Integer)]
        pid: i32,
    }
    let rows: Vec<Pid> = diesel::sql_query(
        "SELECT DISTINCT pid FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1 \
         AND pid IS NOT NULL AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
    .load(conn)
    .map_err(Error::query("reading advisory locks"))?;
    Ok(rows.into_iter().map(|p| p.pid).collect())
}

fn resolve_keys(
    conn: &mut PgConnection,
    keys: &[i64],
    limitations: &mut Vec<Limitation>,
) -> Result<BTreeMap<i64, String>, Error> {
    if keys.is_empty() {
        return Ok(BTreeMap::new());
    }
    let rows: Result<Vec<KeyCase>, _> = diesel::sql_query(include_str!("sql/locks_case_keys.sql"))
        .bind::<Array<BigInt>, _>(keys)
        .load(conn);
    match rows {
        Ok(rows) => Ok(rows.into_iter().map(|r| (r.key, r.case_id)).collect()),
        Err(e) if is_access_problem(&e) => {
            limitations.push(Limitation::new("case ids of case locks", reason(&e), None));
            Ok(BTreeMap::new())
        }
        Err(e) => Err(Error::query("matching case lock keys")(e)),
    }
}

fn row_case(
    conn: &mut PgConnection,
    table: &str,
    page: i32,
    tuple: i32,
    limitations: &mut Vec<Limitation>,
) -> Result<Option<String>, Error> {
    let Some(sql) = row_case_sql(table) else {
        return Ok(None);
    };
    let rows: Result<Vec<RowCase>, _> = diesel::sql_query(sql)
        .bind::<Text, _>(format!("({page},{tuple})"))
        .bind::<Text, _>(crate::model::COUNTER_PREFIX)
        .load(conn);
    match rows {
        Ok(rows) => Ok(rows.into_iter().next().and_then(|r| r.case_id)),
        Err(e) if is_access_problem(&e) => {
            limitations.push(Limitation::new(
                format!("the case of a locked {table} row"),
                reason(&e),
                None,
            ));
            Ok(None)
        }
        Err(e) => Err(Error::query(format!("reading the locked {table} row"))(e)),
    }
}

/// The statement that reads the case of a row of `table` by ctid.
fn row_case_sql(table: &str) -> Option<String> {
    let text = include_str!("sql/locks_row_case.sql");
    let marker = format!("-- table: {table}\n");
    let start = text.find(&marker)? + marker.len();
    let end = text[start..]
        .find("-- table: ")
        .map_or(text.len(), |e| start + e);
    Some(text[start..end].trim().to_string())
}

fn node(
    s: &SessionRow,
    locks: &[LockRow],
    key_cases: &BTreeMap<i64, String>,
    row_cases: &BTreeMap<(String, i32, i32), Option<String>>,
) -> LockNode {
    let mine: Vec<&LockRow> = locks.iter().filter(|l| l.pid == s.pid).collect();
    let waiting = mine.iter().find(|l| !l.granted);
    let mut cases = BTreeSet::new();
    for l in &mine {
        if let Some(case_id) = l.advisory_key.and_then(|k| key_cases.get(&k)) {
            cases.insert(CaseRef {
                case_id: case_id.clone(),
                via: "case lock".into(),
                detail: format!("advisory key {}", l.advisory_key.unwrap_or_default()),
            });
        }
        if let (Some(page), Some(tuple)) = (l.page, l.tuple)
            && let Some(Some(case_id)) = row_cases.get(&(l.relation.clone(), page, tuple))
        {
            cases.insert(CaseRef {
                case_id: case_id.clone(),
                via: "row".into(),
                detail: format!("{} row at ctid ({page},{tuple})", l.relation),
            });
        }
    }
    let tables: BTreeSet<String> = mine
        .iter()
        .filter(|l| l.lock_type == "relation" && WORKFLOW_TABLES.contains(&l.relation.as_str()))
        .map(|l| format!("{} ({})", l.relation, l.mode))
        .collect();
    LockNode {
        pid: s.pid,
        role: s.role_name.clone(),
        application: s.application.clone(),
        client: s.client.clone(),
        state: s.state.clone(),
        wait_event: s.wait_event.clone(),
        xact_seconds: s.xact_seconds,
        query_seconds: s.query_seconds,
        wait_seconds: waiting
            .and_then(|l| l.wait_seconds)
            .or(if s.blocked_by.is_empty() {
                None
            } else {
                s.query_seconds
            }),
        query: s.query.clone(),
        operation: operation_of(&s.query),
        waiting_for: waiting.map(|l| describe(l)),
        tables: tables.into_iter().collect(),
        cases: cases.into_iter().collect(),
        blocked_by: s.blocked_by.clone(),
        blocks: Vec::new(),
    }
}

fn describe(l: &LockRow) -> String {
    match (l.lock_type.as_str(), l.relation.is_empty()) {
        ("tuple", false) => format!(
            "{} on a row of {} (ctid ({},{}))",
            l.mode,
            l.relation,
            l.page.unwrap_or_default(),
            l.tuple.unwrap_or_default()
        ),
        (_, false) => format!("{} on {}.{}", l.mode, l.schema_name, l.relation),
        ("transactionid", true) => format!("{} on another transaction (a row it changed)", l.mode),
        ("advisory", true) => format!(
            "{} on advisory key {}",
            l.mode,
            l.advisory_key.unwrap_or_default()
        ),
        (kind, true) => format!("{} on {kind}", l.mode),
    }
}

fn placeholder(pid: i32) -> LockNode {
    LockNode {
        pid,
        role: String::new(),
        application: String::new(),
        client: String::new(),
        state: if pid == 0 {
            "prepared transaction".into()
        } else {
            "not visible".into()
        },
        wait_event: String::new(),
        xact_seconds: None,
        query_seconds: None,
        wait_seconds: None,
        query: String::new(),
        operation: None,
        waiting_for: None,
        tables: Vec::new(),
        cases: Vec::new(),
        blocked_by: Vec::new(),
        blocks: Vec::new(),
    }
}

fn children(pid: i32, nodes: &BTreeMap<i32, LockNode>, path: &mut Vec<i32>) -> Vec<LockNode> {
    let mut out = Vec::new();
    for n in nodes.values().filter(|n| n.blocked_by.contains(&pid)) {
        if path.contains(&n.pid) {
            continue; // a deadlock cycle; the server breaks it within deadlock_timeout
        }
        let mut child = n.clone();
        path.push(n.pid);
        child.blocks = children(n.pid, nodes, path);
        path.pop();
        out.push(child);
    }
    out
}

/// Findings for `diag all`.
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
    let m = thresholds.measure("blocked", report.longest_wait_seconds);
    fn walk(n: &LockNode, out: &mut Outcome, thresholds: &Thresholds) {
        for child in &n.blocks {
            let wait = child.wait_seconds.unwrap_or_default();
            let severity = thresholds
                .measure("blocked", wait)
                .severity
                .max(Severity::Ok);
            let cases: Vec<&str> = child.cases.iter().map(|c| c.case_id.as_str()).collect();
            out.findings.push(
                Finding::new(
                    "locks",
                    severity,
                    format!(
                        "pid {} waits {} for pid {} ({}){}",
                        child.pid,
                        crate::conventions::seconds_text(wait),
                        n.pid,
                        child.waiting_for.as_deref().unwrap_or("a lock"),
                        if cases.is_empty() {
                            String::new()
                        } else {
                            format!("; case {}", cases.join(", "))
                        }
                    ),
                )
                .with_fix(format!(
                    "wfctl diag locks --terminate {}  (after checking what it runs)",
                    n.pid
                )),
            );
            walk(child, out, thresholds);
        }
    }
    for root in &report.tree {
        walk(root, &mut out, thresholds);
    }
    out.measures.push(m);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_workflow_table_but_the_ledger_has_a_row_case_statement() {
        for table in WORKFLOW_TABLES
            .iter()
            .filter(|t| !["route_branch", "wfctl_import_ledger"].contains(t))
        {
            let sql = row_case_sql(table).unwrap_or_else(|| panic!("no statement for {table}"));
            assert!(sql.starts_with("SELECT /* wfctl:diag_row_case */"), "{sql}");
            assert!(!sql.contains("-- table"), "{sql}");
        }
        assert!(row_case_sql("pg_class").is_none());
    }
}
