//! Shared by the migrate-files tests: running the command, and a snapshot of every table the
//! import writes (serial ids replaced by the natural keys they stand for, so two databases
//! loaded in different orders compare equal). The test data comes from `super::file_store_gen`.

use std::collections::BTreeMap;
use std::path::Path;

use diesel::sql_types::Text;
use diesel::{PgConnection, QueryableByName, RunQueryDsl};

use super::{Run, TestDb, wfctl};

pub use super::file_store_gen::{GenOptions, GenReport, generate};

/// Runs `wfctl migrate-files DIR ARGS...` against `db`.
pub fn migrate_files(db: &TestDb, dir: &Path, args: &[&str]) -> Run {
    Run::of(
        wfctl()
            .env("DATABASE_URL", &db.url)
            .arg("migrate-files")
            .arg(dir)
            .args(args),
    )
}

/// The `--json` summary of a run.
pub fn summary(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "--json prints one document ({e}):\n{}\n{}",
            run.stdout, run.stderr
        )
    })
}

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

/// Every row of every table the import writes, as sorted JSON text per table.
pub fn snapshot(conn: &mut PgConnection, with_ledger: bool) -> BTreeMap<&'static str, Vec<String>> {
    let mut queries = vec![
        (
            "workflow_definition",
            "SELECT to_jsonb(t)::text AS line FROM workflow_definition t",
        ),
        (
            "step",
            "SELECT (to_jsonb(t) - 'id')::text AS line FROM step t",
        ),
        (
            "route",
            "SELECT (to_jsonb(t) - 'id')::text AS line FROM route t",
        ),
        (
            "route_branch",
            "SELECT (to_jsonb(b) - 'id' - 'route_id' || jsonb_build_object('route', r.workflow_definition_hibid || '/' || r.name))::text AS line \
             FROM route_branch b JOIN route r ON r.id = b.route_id",
        ),
        (
            "workflow_info",
            "SELECT to_jsonb(t)::text AS line FROM workflow_info t",
        ),
        (
            "exec_path",
            "SELECT (to_jsonb(t) - 'id')::text AS line FROM exec_path t",
        ),
        (
            "workflow_variables",
            "SELECT (to_jsonb(t) - 'id')::text AS line FROM workflow_variables t",
        ),
        (
            "process_variable_value",
            "SELECT (to_jsonb(v) - 'id' - 'workflow_variables_id' || jsonb_build_object('case', w.workflow_info_hibid))::text AS line \
             FROM process_variable_value v JOIN workflow_variables w ON w.id = v.workflow_variables_id",
        ),
        (
            "milestone",
            "SELECT (to_jsonb(t) - 'id')::text AS line FROM milestone t",
        ),
        (
            "workflow_counters",
            "SELECT to_jsonb(t)::text AS line FROM workflow_counters t",
        ),
        (
            "audit_log",
            "SELECT (to_jsonb(t) - 'id')::text AS line FROM audit_log t",
        ),
    ];
    if with_ledger {
        queries.push((
            "wfctl_import_ledger",
            "SELECT (to_jsonb(t) - 'imported_at' - 'imported_xid')::text AS line FROM wfctl_import_ledger t",
        ));
    }
    queries
        .into_iter()
        .map(|(table, sql)| {
            let mut lines: Vec<String> = diesel::sql_query(sql)
                .load::<Line>(conn)
                .unwrap_or_else(|e| panic!("{table}: {e}"))
                .into_iter()
                .map(|l| l.line)
                .collect();
            lines.sort();
            (table, lines)
        })
        .collect()
}

/// Asserts two snapshots are equal, naming the first table and row that differ.
#[track_caller]
pub fn assert_same(
    left: &BTreeMap<&'static str, Vec<String>>,
    right: &BTreeMap<&'static str, Vec<String>>,
) {
    for (table, rows) in left {
        let other = &right[table];
        if rows != other {
            let only_left: Vec<_> = rows.iter().filter(|r| !other.contains(r)).take(2).collect();
            let only_right: Vec<_> = other.iter().filter(|r| !rows.contains(r)).take(2).collect();
            panic!(
                "{table} differs: {} vs {} rows\nonly left: {only_left:#?}\nonly right: {only_right:#?}",
                rows.len(),
                other.len()
            );
        }
    }
}

/// A single number from SQL.
pub fn count(conn: &mut PgConnection, sql: &str) -> i64 {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query(sql)
        .get_result::<N>(conn)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .n
}
