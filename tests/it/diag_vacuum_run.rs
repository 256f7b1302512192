//! `diag vacuum --run [--analyze] [--full]` vacuums the tables it flags, and only those;
//! `--full` warns about its lock and needs `--run`.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Text};
use diesel::{PgConnection, QueryableByName, RunQueryDsl};

use crate::pg_or_skip;
use crate::support::diag::diag_json;
use crate::support::{Run, TestDb, poll_until, wfctl};

#[derive(QueryableByName)]
struct Counts {
    #[diesel(sql_type = BigInt)]
    vacuums: i64,
    #[diesel(sql_type = BigInt)]
    analyzes: i64,
}

fn counts(conn: &mut PgConnection, table: &str) -> Counts {
    diesel::sql_query(
        "SELECT vacuum_count AS vacuums, analyze_count AS analyzes \
         FROM pg_stat_user_tables WHERE relname = $1",
    )
    .bind::<Text, _>(table)
    .get_result(conn)
    .unwrap()
}

/// Polls (up to 20 s) until `diag vacuum` sees `table` with at least `dead` dead rows.
fn wait_for_dead_rows(url: &str, table: &str, dead: i64) {
    poll_until(
        &format!("diag vacuum to see {dead} dead rows in {table}"),
        Duration::from_secs(20),
        || {
            let report = diag_json(url, &["vacuum"], 0);
            let seen = report["tables"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["table_name"] == table)
                .and_then(|t| t["dead_rows"].as_i64())
                .unwrap_or(0);
            seen >= dead
        },
    );
}

#[test]
fn run_vacuums_the_flagged_tables_only() {
    let db = pg_or_skip!(TestDb::new());
    // The setup's session ends before the poll: before PostgreSQL 15 an idle session never
    // sends its table counters (the stats collector gets them at a later statement or at
    // exit), so `diag vacuum` would see no dead rows however long it waited.
    let mut setup = db.conn();
    setup
        .batch_execute(
            "CREATE TABLE churned (id int PRIMARY KEY, n int) WITH (autovacuum_enabled = off);
         INSERT INTO churned SELECT g, g FROM generate_series(1, 20000) g;
         DELETE FROM churned WHERE id % 2 = 0;
         CREATE TABLE calm (id int PRIMARY KEY) WITH (autovacuum_enabled = off);
         INSERT INTO calm SELECT g FROM generate_series(1, 20000) g;",
        )
        .unwrap();
    drop(setup);
    let mut conn = db.conn();
    wait_for_dead_rows(&db.url, "churned", 10_000);
    let before = counts(&mut conn, "churned");

    let usage = Run::of(wfctl().args(["--database-url", &db.url, "diag", "vacuum", "--full"]));
    usage.expect_code(2);

    let run = Run::of(wfctl().args([
        "--database-url",
        &db.url,
        "diag",
        "vacuum",
        "--run",
        "--analyze",
    ]))
    .expect_code(0);
    assert!(
        run.stdout
            .contains("VACUUM (ANALYZE) \"public\".\"churned\";"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("calm"), "{}", run.stdout);
    // the statistics views catch up when the session ends: poll
    poll_until(
        "churned to be vacuumed and analysed",
        Duration::from_secs(20),
        || {
            let after = counts(&mut conn, "churned");
            after.vacuums > before.vacuums && after.analyzes > before.analyzes
        },
    );
    assert_eq!(counts(&mut conn, "calm").vacuums, 0);

    // nothing flagged now: nothing vacuumed, and --full says nothing about a lock
    let again = Run::of(wfctl().args([
        "--database-url",
        &db.url,
        "diag",
        "vacuum",
        "--run",
        "--full",
    ]))
    .expect_code(0);
    assert!(
        again.stderr.contains("nothing vacuumed"),
        "{}",
        again.stderr
    );
    assert!(
        !again.stderr.contains("ACCESS EXCLUSIVE"),
        "{}",
        again.stderr
    );

    // churn again: --full warns about its lock before it rewrites
    // in a session that ends, as above
    let mut churn = db.conn();
    churn
        .batch_execute("DELETE FROM churned WHERE id % 4 = 1")
        .unwrap();
    drop(churn);
    wait_for_dead_rows(&db.url, "churned", 5_000);
    let full = Run::of(wfctl().args([
        "--database-url",
        &db.url,
        "diag",
        "vacuum",
        "--run",
        "--full",
    ]))
    .expect_code(0);
    assert!(full.stderr.contains("ACCESS EXCLUSIVE"), "{}", full.stderr);
    assert!(
        full.stdout
            .contains("VACUUM (FULL, ANALYZE) \"public\".\"churned\";"),
        "{}",
        full.stdout
    );
}
