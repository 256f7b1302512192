//! `case list` on PostgreSQL answers a work-basket filter through the guide's partial index
//! (`idx_exec_path_workbasket`), not by reading every exec path: the reason it stays well under
//! a second on a million cases (scripts/bench-case-list.sh measures that). Checked on 30,000
//! generated cases with the server's own index statistics.

use std::process::Command;
use std::time::Duration;

use diesel::sql_types::{BigInt, Text};
use diesel::{QueryableByName, RunQueryDsl};

use crate::support::backup::pg_program;
use crate::support::{Run, TestDb, poll_for, wfctl};

#[derive(QueryableByName)]
struct Scans {
    #[diesel(sql_type = BigInt)]
    index_scans: i64,
    #[diesel(sql_type = BigInt)]
    seq_scans: i64,
}

#[derive(QueryableByName)]
struct Basket {
    #[diesel(sql_type = Text)]
    name: String,
}

/// Scans of `idx_exec_path_workbasket` and sequential scans of `exec_path` so far (a new
/// connection each time: a fresh statistics snapshot).
fn scans(db: &TestDb) -> Scans {
    diesel::sql_query(
        "SELECT (SELECT idx_scan FROM pg_stat_user_indexes \
             WHERE indexrelname = 'idx_exec_path_workbasket') AS index_scans, \
           (SELECT seq_scan FROM pg_stat_user_tables WHERE relname = 'exec_path') AS seq_scans",
    )
    .get_result(&mut db.conn())
    .unwrap()
}

#[test]
fn a_work_basket_listing_reads_the_partial_index_not_the_table() {
    let db = crate::pg_or_skip!(TestDb::new());
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/case-list-data.sql");
    let load = Command::new(pg_program("psql"))
        .args(["-X", "-q", "-v", "cases=30000", "-f"])
        .arg(&data)
        .arg(&db.url)
        .output()
        .unwrap();
    assert!(
        load.status.success(),
        "{}",
        String::from_utf8_lossy(&load.stderr)
    );
    let small: Basket = diesel::sql_query(
        "SELECT pend_workbasket AS name FROM exec_path WHERE pend_workbasket IS NOT NULL \
         GROUP BY 1 ORDER BY count(*), 1 LIMIT 1",
    )
    .get_result(&mut db.conn())
    .unwrap();

    let before = scans(&db);
    let run = Run::of(wfctl().env("DATABASE_URL", &db.url).args([
        "--json",
        "case",
        "list",
        "--workbasket",
        &small.name,
        "--limit",
        "100",
    ]))
    .expect_code(0);
    let listed: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(
        !listed["cases"].as_array().unwrap().is_empty(),
        "{}",
        run.stdout
    );
    // a backend reports its statistics as it exits, just after wfctl has gone
    let after = poll_for(
        "a scan of idx_exec_path_workbasket",
        Duration::from_secs(5),
        || {
            let after = scans(&db);
            (after.index_scans != before.index_scans).then_some(after)
        },
    );
    assert!(
        after.index_scans > before.index_scans,
        "idx_exec_path_workbasket was not used ({} scans before and after)",
        before.index_scans
    );
    assert_eq!(
        after.seq_scans, before.seq_scans,
        "exec_path was read sequentially"
    );
}
