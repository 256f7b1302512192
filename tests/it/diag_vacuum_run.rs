//! `diag vacuum --run [--analyze] [--full]` vacuums the tables it flags, and only those;
//! `--full` warns about its lock and needs `--run`.

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Text};
use diesel::{PgConnection, QueryableByName, RunQueryDsl};

use crate::diag_fixtures::diag_json;
use crate::pg_or_skip;
use crate::support::{Run, TestDb, wfctl};

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
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let report = diag_json(url, &["vacuum"], 0);
        let seen = report["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["table_name"] == table)
            .and_then(|t| t["dead_rows"].as_i64())
            .unwrap_or(0);
        if seen >= dead {
            return;
        }
        assert!(Instant::now() < deadline, "{table}: {seen} dead rows seen");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn run_vacuums_the_flagged_tables_only() {
    let db = pg_or_skip!(TestDb::new());
    let mut conn = db.conn();
    conn.batch_execute(
        "CREATE TABLE churned (id int PRIMARY KEY, n int) WITH (autovacuum_enabled = off);
         INSERT INTO churned SELECT g, g FROM generate_series(1, 20000) g;
         DELETE FROM churned WHERE id % 2 = 0;
         CREATE TABLE calm (id int PRIMARY KEY) WITH (autovacuum_enabled = off);
         INSERT INTO calm SELECT g FROM generate_series(1, 20000) g;",
    )
    .unwrap();
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
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let after = counts(&mut conn, "churned");
        if after.vacuums > before.vacuums && after.analyzes > before.analyzes {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "churned was not vacuumed and analysed"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
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
    conn.batch_execute("DELETE FROM churned WHERE id % 4 = 1")
        .unwrap();
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
