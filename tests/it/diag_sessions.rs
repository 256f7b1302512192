//! `diag long-running` and `diag vacuum`: a real idle-in-transaction session, real dead rows,
//! and the session that keeps them.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::sql_types::BigInt;
use diesel::{QueryableByName, RunQueryDsl};

use crate::pg_or_skip;
use crate::support::diag::{diag_json, pid};
use crate::support::{Run, TestDb, poll_for, poll_until, wfctl};

/// `diag long-running --min MIN`'s sessions, and the one of `pid` if listed.
fn long_running(
    url: &str,
    min: &str,
    pid: i32,
) -> (Vec<serde_json::Value>, Option<serde_json::Value>) {
    let report = diag_json(url, &["long-running", "--min", min], 0);
    let sessions = report["sessions"].as_array().unwrap().clone();
    let found = sessions.iter().find(|s| s["pid"] == pid).cloned();
    (sessions, found)
}

#[test]
fn idle_in_transaction_session_is_found_and_fails_the_check() {
    let db = pg_or_skip!(TestDb::new());
    let mut idle = db.conn();
    let idle_pid = pid(&mut idle);
    idle.batch_execute("BEGIN; SELECT /* wfctl:case_list */ count(*) FROM workflow_info")
        .unwrap();
    let (sessions, s) = poll_for(
        "the idle transaction to pass 1 s",
        Duration::from_secs(30),
        || {
            let (sessions, s) = long_running(&db.url, "1s", idle_pid);
            s.map(|s| (sessions, s))
        },
    );
    assert_eq!(s["state"], "idle in transaction");
    assert!(s["age_seconds"].as_f64().unwrap() >= 1.0, "{s}");
    // The guide's query would show this very session; ours never does.
    assert!(
        !sessions
            .iter()
            .any(|s| s["query"].as_str().unwrap().contains("pg_backend_pid"))
    );
    assert!(long_running(&db.url, "1h", idle_pid).1.is_none());

    // diag all with a 1 s threshold: a warning, exit 3 under --check, WARNING for Nagios.
    let all = Run::of(wfctl().args([
        "--database-url",
        &db.url,
        "diag",
        "all",
        "--check",
        "--warn",
        "idle_in_transaction=1s",
        "--skip",
        "explain",
    ]))
    .expect_code(3);
    assert!(
        all.stdout.contains(&format!("pid {idle_pid}")),
        "{}",
        all.stdout
    );
    let nagios = Run::of(wfctl().args([
        "--database-url",
        &db.url,
        "diag",
        "all",
        "--nagios",
        "--crit",
        "idle_in_transaction=1s",
    ]))
    .expect_code(2);
    assert!(
        nagios.stdout.starts_with("WFCTL DIAG CRITICAL:"),
        "{}",
        nagios.stdout
    );
    assert_eq!(nagios.stdout.lines().count(), 1, "{}", nagios.stdout);
    assert!(
        nagios.stdout.contains("idle_in_transaction="),
        "{}",
        nagios.stdout
    );
}

#[derive(QueryableByName)]
struct Dead {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[test]
fn an_active_query_over_the_threshold_is_found() {
    let db = pg_or_skip!(TestDb::new());
    let mut busy = db.conn();
    let busy_pid = pid(&mut busy);
    std::thread::scope(|scope| {
        // runs until cancelled below, so it is still active however slow the polls are
        let sleeper =
            scope.spawn(move || busy.batch_execute("SELECT /* wfctl:case_list */ pg_sleep(600)"));
        let s = poll_for("the query to pass 1 s", Duration::from_secs(30), || {
            long_running(&db.url, "1s", busy_pid).1
        });
        assert_eq!(s["state"], "active", "{s}");
        assert!(
            s["query"].as_str().unwrap().contains("pg_sleep(600)"),
            "{s}"
        );
        assert!(s["age_seconds"].as_f64().unwrap() >= 1.0, "{s}");
        assert!(long_running(&db.url, "5min", busy_pid).1.is_none());
        db.conn()
            .batch_execute(&format!("SELECT pg_cancel_backend({busy_pid})"))
            .unwrap();
        let cancelled = sleeper.join().unwrap().unwrap_err().to_string();
        assert!(cancelled.contains("cancel"), "{cancelled}");
    });
}

#[test]
fn dead_rows_and_the_transaction_that_keeps_them() {
    let db = pg_or_skip!(TestDb::new());
    let mut conn = db.conn();
    conn.batch_execute(
        "ALTER TABLE audit_log SET (autovacuum_enabled = false);
         INSERT INTO audit_log (case_id, sequence, step_name, ts, log_data)
           SELECT 'C-' || (s / 10), s, 'step', 0, '{}' FROM generate_series(1, 20000) s;",
    )
    .unwrap();
    // A snapshot older than the delete keeps the dead rows.
    let mut keeper = db.conn();
    let keeper_pid = pid(&mut keeper);
    keeper
        .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM audit_log")
        .unwrap();
    conn.batch_execute(
        "DELETE FROM audit_log WHERE sequence > 5000; SELECT pg_stat_force_next_flush()",
    )
    .unwrap();
    drop(conn);
    // Statistics reach the shared view when the deleting session reports them.
    let mut probe = db.conn();
    poll_until(
        "the dead rows in the statistics",
        Duration::from_secs(15),
        || {
            let dead: Dead = diesel::sql_query(
            "SELECT coalesce(n_dead_tup, 0) AS n FROM pg_stat_user_tables WHERE relname = 'audit_log'",
        )
        .get_result(&mut probe)
        .unwrap();
            dead.n >= 15_000
        },
    );
    let report = diag_json(&db.url, &["vacuum"], 0);
    let audit = report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table_name"] == "audit_log")
        .unwrap()
        .clone();
    assert_eq!(audit["dead_rows"], 15_000, "{audit}");
    assert_eq!(audit["autovacuum_on"], false);
    let horizon = report["horizon"].as_array().unwrap();
    assert!(
        horizon
            .iter()
            .any(|h| h["kind"] == "session" && h["holder"] == keeper_pid.to_string().as_str()),
        "{report:#}"
    );
    assert!(report["wraparound_margin"].as_i64().unwrap() > 2_000_000_000);
    // diag all joins the two facts.
    let all = diag_json(
        &db.url,
        &["all", "--skip", "explain", "--skip", "slow-queries"],
        0,
    );
    let finding = all["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "vacuum" && f["message"].as_str().unwrap().contains("audit_log"))
        .unwrap_or_else(|| panic!("{all:#}"))
        .clone();
    assert_eq!(finding["severity"], "critical", "{finding}");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains(&format!("session {keeper_pid}")),
        "{finding}"
    );
}

/// The first holder of `kind` back in `diag vacuum`'s xmin horizon.
fn horizon_holder(url: &str, kind: &str) -> serde_json::Value {
    let report = diag_json(url, &["vacuum"], 0);
    report["horizon"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {report:#}"))
        .clone()
}

/// The finding of a `diag all` report whose message mentions `text`.
fn finding_about(all: &serde_json::Value, text: &str) -> serde_json::Value {
    all["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["message"].as_str().unwrap().contains(text))
        .unwrap_or_else(|| panic!("no finding about {text} in {all:#}"))
        .clone()
}

#[test]
fn a_forgotten_prepared_transaction_is_named_with_the_line_that_ends_it() {
    // prepared transactions need max_prepared_transactions > 0: a cluster of this test's own
    let Some(cluster) = crate::support::own_cluster::OwnCluster::start(
        "prepared",
        &["max_prepared_transactions = 5".to_owned()],
    ) else {
        return;
    };
    let mut admin = cluster.admin("postgres");
    admin
        .batch_execute(
            "CREATE TABLE t (n int); BEGIN; INSERT INTO t VALUES (1); \
             PREPARE TRANSACTION 'wfctl_forgotten';",
        )
        .unwrap();
    let url = cluster.admin_url("postgres");
    let held = horizon_holder(&url, "prepared transaction");
    assert_eq!(held["holder"], "wfctl_forgotten", "{held}");
    // a warning once the prepared transaction is older than the 1 s limit
    let finding = poll_for(
        "the prepared transaction to pass 1 s",
        Duration::from_secs(30),
        || {
            let all = diag_json(
                &url,
                &[
                    "all",
                    "--skip",
                    "explain",
                    "--skip",
                    "slow-queries",
                    "--warn",
                    "prepared_xact=1s",
                ],
                0,
            );
            let mentions = |f: &&serde_json::Value| {
                f["message"].as_str().unwrap().contains("wfctl_forgotten")
                    && f["severity"] != "info"
            };
            all["findings"]
                .as_array()
                .unwrap()
                .iter()
                .find(mentions)
                .cloned()
        },
    );
    assert_eq!(finding["severity"], "warning", "{finding}");
    assert!(
        finding["fix"]
            .as_str()
            .unwrap()
            .contains("COMMIT PREPARED 'wfctl_forgotten'"),
        "{finding}"
    );
    admin
        .batch_execute("ROLLBACK PREPARED 'wfctl_forgotten'")
        .unwrap();
    let after = diag_json(&url, &["vacuum"], 0);
    assert!(
        !after["horizon"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["kind"] == "prepared transaction"),
        "{after:#}"
    );
}

#[test]
fn an_inactive_replication_slot_holding_the_horizon_is_named_with_its_drop_line() {
    let Some(cluster) =
        crate::support::own_cluster::OwnCluster::start("slot", &["wal_level = logical".to_owned()])
    else {
        return;
    };
    let mut admin = cluster.admin("postgres");
    admin
        .batch_execute(
            "SELECT pg_create_logical_replication_slot('wfctl_gone_consumer', 'test_decoding')",
        )
        .unwrap();
    let url = cluster.admin_url("postgres");
    let slot = horizon_holder(&url, "replication slot");
    assert_eq!(slot["holder"], "wfctl_gone_consumer", "{slot}");
    assert_eq!(slot["detail"], "logical inactive", "{slot}");
    let all = diag_json(
        &url,
        &["all", "--skip", "explain", "--skip", "slow-queries"],
        0,
    );
    let finding = finding_about(&all, "wfctl_gone_consumer");
    assert!(
        finding["fix"]
            .as_str()
            .unwrap()
            .contains("pg_drop_replication_slot('wfctl_gone_consumer')"),
        "{finding}"
    );
    admin
        .batch_execute("SELECT pg_drop_replication_slot('wfctl_gone_consumer')")
        .unwrap();
}
