//! What diag advises matches what it says: no DROP INDEX while the statistics are too young to
//! call an index unused, never for wfctl's own indexes; no fix on an OK finding; a table never
//! analysed has no row estimate (not 0); a role that cannot read `shared_preload_libraries`
//! still learns it needs a restart (diag_settings); the Nagios perfdata shows a statement that
//! runs under the threshold.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::sql_types::{Double, Integer};
use diesel::{QueryableByName, RunQueryDsl};

use crate::pg_or_skip;
use crate::support::diag::{diag_json, pid};
use crate::support::{Run, TestDb, poll_until, wfctl};

fn diag_text(url: &str, args: &[&str]) -> String {
    Run::of(wfctl().args(["--database-url", url, "diag"]).args(args))
        .expect_code(0)
        .stdout
}

#[test]
fn fresh_statistics_get_no_drop_index_and_wfctls_own_indexes_never_do() {
    let db = pg_or_skip!(TestDb::new());
    db.conn()
        .batch_execute("CREATE INDEX idx_test_extra ON milestone(name)")
        .unwrap();
    // a new database's statistics are minutes old: no index can be called unused yet
    let fresh = diag_text(&db.url, &["indexes"]);
    assert!(fresh.contains("too recent"), "{fresh}");
    assert!(!fresh.contains("DROP INDEX"), "{fresh}");
    assert!(fresh.contains("have no scans yet"), "{fresh}");

    // old enough by decree: the extra index is offered, wfctl's own never
    let judged = diag_text(&db.url, &["indexes", "--min-stats-age", "0s"]);
    assert!(
        judged.contains("DROP INDEX CONCURRENTLY public.idx_test_extra;"),
        "{judged}"
    );
    for own in ["idx_pv_name", "idx_audit_log_data", "idx_milestone_status"] {
        assert!(!judged.contains(own), "{own} offered:\n{judged}");
    }
    let report = diag_json(&db.url, &["indexes"], 0);
    let unused: Vec<&str> = report["unused"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["index_name"].as_str().unwrap())
        .collect();
    assert_eq!(unused, ["idx_test_extra"], "{report}");
}

#[test]
fn an_ok_finding_carries_no_fix() {
    let db = pg_or_skip!(TestDb::new());
    db.conn()
        .batch_execute("CREATE INDEX idx_test_extra ON milestone(name)")
        .unwrap();
    let all = diag_json(&db.url, &["all", "--skip", "explain"], 0);
    let findings = all["findings"].as_array().unwrap();
    // the unused index is reported as a note (info): its statistics are too young to judge it
    assert!(
        findings
            .iter()
            .any(|f| f["severity"] == "info"
                && f["message"].as_str().unwrap().contains("too recent")),
        "{all}"
    );
    let advised: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["severity"] == "info" && !f["fix"].is_null())
        .collect();
    assert!(advised.is_empty(), "notes with a fix: {advised:#?}");
}

#[test]
fn a_table_never_analysed_has_no_row_estimate() {
    let db = pg_or_skip!(TestDb::new());
    let mut conn = db.conn();
    conn.batch_execute(
        "CREATE TABLE never_analysed AS SELECT g AS n FROM generate_series(1, 5000) g",
    )
    .unwrap();
    let table = |report: &serde_json::Value| {
        report["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["table_name"] == "never_analysed")
            .cloned()
            .unwrap_or_else(|| panic!("{report}"))
    };
    let before = table(&diag_json(&db.url, &["sizes"], 0));
    assert_eq!(before["rows_estimate"], serde_json::Value::Null, "{before}");
    let text = diag_text(&db.url, &["sizes"]);
    assert!(
        text.contains("not analysed (ANALYZE public.never_analysed)"),
        "{text}"
    );
    conn.batch_execute("ANALYZE never_analysed").unwrap();
    let after = table(&diag_json(&db.url, &["sizes"], 0));
    assert_eq!(after["rows_estimate"], 5000, "{after}");
}

#[derive(QueryableByName)]
struct Age {
    #[diesel(sql_type = Double)]
    seconds: f64,
}

#[test]
fn nagios_perfdata_shows_a_statement_running_under_the_threshold() {
    let db = pg_or_skip!(TestDb::new());
    let mut busy = db.conn();
    let busy_pid = pid(&mut busy);
    let mut watcher = db.conn();
    std::thread::scope(|scope| {
        let sleeper = scope.spawn(move || {
            // cancelled below; the error is the cancellation
            let _ = busy.batch_execute("SELECT pg_sleep(120)");
        });
        // wait (up to 20 s) until the statement has run for 2 s
        poll_until("pg_sleep to run for 2 s", Duration::from_secs(20), || {
            let age: Option<Age> = diesel::sql_query(
                "SELECT extract(epoch FROM now() - query_start)::float8 AS seconds \
                 FROM pg_stat_activity WHERE pid = $1 AND state = 'active'",
            )
            .bind::<Integer, _>(busy_pid)
            .get_result(&mut watcher)
            .ok();
            age.is_some_and(|a| a.seconds >= 2.0)
        });
        let nagios = Run::of(wfctl().args([
            "--database-url",
            &db.url,
            "diag",
            "all",
            "--nagios",
            "--skip",
            "explain",
        ]));
        diesel::sql_query("SELECT pg_cancel_backend($1)")
            .bind::<Integer, _>(busy_pid)
            .execute(&mut watcher)
            .unwrap();
        sleeper.join().unwrap();
        let perf = nagios
            .stdout
            .split_whitespace()
            .find_map(|w| w.strip_prefix("long_running="))
            .unwrap_or_else(|| panic!("{}", nagios.stdout));
        let seconds: f64 = perf
            .split(';')
            .next()
            .and_then(|v| v.strip_suffix('s'))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{perf}"));
        assert!(seconds >= 2.0, "{}", nagios.stdout);
    });
}
