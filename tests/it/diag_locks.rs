//! `diag locks`: a real row lock and a real case lock, each blocking another session; the tree
//! shows both sessions and the case; `--terminate` asks, or needs `--yes`.

use std::time::Duration;

use diesel::connection::SimpleConnection;

use crate::pg_or_skip;
use crate::support::diag::{State, case, diag_json, pid, wait_until_blocked};
use crate::support::{Run, TestDb, wfctl};

#[test]
fn row_lock_tree_names_both_sessions_and_the_case() {
    let db = pg_or_skip!(TestDb::new());
    let mut setup = db.conn();
    case(
        &mut setup,
        "C-LOCK",
        State::Pended("review"),
        Duration::from_secs(60),
    );

    let mut holder = db.conn();
    let holder_pid = pid(&mut holder);
    holder
        .batch_execute("BEGIN; UPDATE /* wfctl:save_point */ workflow_info SET ts = ts + 1 WHERE case_id = 'C-LOCK'")
        .unwrap();
    let url = db.url.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    let waiter = std::thread::spawn(move || {
        use diesel::Connection;
        let mut conn = diesel::PgConnection::establish(&url).unwrap();
        tx.send(pid(&mut conn)).unwrap();
        conn.batch_execute(
            "UPDATE /* wfctl:case_resume */ workflow_info SET ts = ts + 2 WHERE case_id = 'C-LOCK'",
        )
    });
    let waiter_pid = rx.recv().unwrap();
    wait_until_blocked(&mut setup, waiter_pid);

    let report = diag_json(&db.url, &["locks"], 0);
    // Other tests' sessions on the shared server may block too: find this test's tree.
    let root = report["tree"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["pid"] == holder_pid)
        .unwrap_or_else(|| panic!("holder {holder_pid} not in the tree: {report:#}"));
    assert_eq!(root["state"], "idle in transaction");
    assert_eq!(root["operation"], "save_point");
    let child = &root["blocks"][0];
    assert_eq!(child["pid"], waiter_pid, "{report:#}");
    assert_eq!(child["operation"], "case_resume");
    assert_eq!(child["blocked_by"][0], holder_pid);
    assert!(child["wait_seconds"].as_f64().is_some());
    let cases = child["cases"].as_array().unwrap();
    assert!(
        cases
            .iter()
            .any(|c| c["case_id"] == "C-LOCK" && c["via"] == "row"),
        "{report:#}"
    );
    // other tests' sessions may be waiting too; this one is among them (found above)
    assert!(
        report["waiting"].as_u64().is_some_and(|n| n >= 1),
        "{report:#}"
    );

    // The human tree shows both pids and the case.
    let text = Run::of(wfctl().args(["--database-url", &db.url, "diag", "locks"])).expect_code(0);
    assert!(
        text.stdout.contains(&format!("pid {holder_pid}")),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains(&format!("pid {waiter_pid}")),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("case C-LOCK (row"), "{}", text.stdout);

    // Never without confirmation: no terminal and no --yes is a usage error.
    let refused = Run::of(
        wfctl()
            .args([
                "--database-url",
                &db.url,
                "diag",
                "locks",
                "--terminate",
                &holder_pid.to_string(),
            ])
            .stdin(std::process::Stdio::null()),
    )
    .expect_code(2);
    assert!(refused.stderr.contains("--yes"), "{}", refused.stderr);
    // With --yes the blocker goes and the waiter gets its lock.
    Run::of(wfctl().args([
        "--database-url",
        &db.url,
        "diag",
        "locks",
        "--terminate",
        &holder_pid.to_string(),
        "--yes",
    ]))
    .expect_code(0);
    waiter.join().unwrap().unwrap();
    assert!(
        holder.batch_execute("SELECT 1").is_err(),
        "the holder's session is gone"
    );
}

#[test]
fn case_lock_wait_names_the_case_exactly() {
    let db = pg_or_skip!(TestDb::new());
    let mut setup = db.conn();
    case(&mut setup, "C-ADV", State::Running, Duration::from_secs(5));
    let lock = "SELECT pg_advisory_lock(hashtextextended('wfctl-case:' || 'C-ADV', 0))";
    let mut holder = db.conn();
    let holder_pid = pid(&mut holder);
    holder.batch_execute(lock).unwrap();
    let url = db.url.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    let waiter = std::thread::spawn(move || {
        use diesel::Connection;
        let mut conn = diesel::PgConnection::establish(&url).unwrap();
        tx.send(pid(&mut conn)).unwrap();
        conn.batch_execute(lock)
    });
    let waiter_pid = rx.recv().unwrap();
    wait_until_blocked(&mut setup, waiter_pid);

    let report = diag_json(&db.url, &["locks"], 0);
    let root = &report["tree"][0];
    assert_eq!(root["pid"], holder_pid, "{report:#}");
    assert!(
        root["cases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["case_id"] == "C-ADV" && c["via"] == "case lock")
    );
    let child = &root["blocks"][0];
    assert_eq!(child["pid"], waiter_pid);
    assert!(
        child["waiting_for"].as_str().unwrap().contains("advisory"),
        "{child}"
    );
    assert!(
        child["cases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["case_id"] == "C-ADV")
    );
    assert!(
        report["case_locks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["case_id"] == "C-ADV" && l["pid"] == holder_pid),
        "{report:#}"
    );
    holder
        .batch_execute("SELECT pg_advisory_unlock(hashtextextended('wfctl-case:' || 'C-ADV', 0))")
        .unwrap();
    waiter.join().unwrap().unwrap();
}

#[test]
fn counter_row_lock_names_the_case() {
    let db = pg_or_skip!(TestDb::new());
    let mut setup = db.conn();
    let counter = wfctl::model::counter_key("C-CTR");
    setup
        .batch_execute(&format!(
            "INSERT INTO workflow_counters (name, value) VALUES ('{counter}', 3)"
        ))
        .unwrap();
    let update = format!("UPDATE workflow_counters SET value = value + 1 WHERE name = '{counter}'");
    let mut holder = db.conn();
    let holder_pid = pid(&mut holder);
    holder.batch_execute(&format!("BEGIN; {update}")).unwrap();
    let url = db.url.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    let waiter = std::thread::spawn(move || {
        use diesel::Connection;
        let mut conn = diesel::PgConnection::establish(&url).unwrap();
        tx.send(pid(&mut conn)).unwrap();
        conn.batch_execute(&update)
    });
    let waiter_pid = rx.recv().unwrap();
    wait_until_blocked(&mut setup, waiter_pid);

    let report = diag_json(&db.url, &["locks"], 0);
    let root = report["tree"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["pid"] == holder_pid)
        .unwrap_or_else(|| panic!("holder {holder_pid} not in the tree: {report:#}"));
    let child = &root["blocks"][0];
    assert_eq!(child["pid"], waiter_pid, "{report:#}");
    assert!(
        child["cases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["case_id"] == "C-CTR" && c["via"] == "row"),
        "{report:#}"
    );
    holder.batch_execute("ROLLBACK").unwrap();
    waiter.join().unwrap().unwrap();
}
