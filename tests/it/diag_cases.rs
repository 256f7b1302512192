//! `diag cases`: pended per work basket, a crashed case (and a running one that holds its
//! lock, which is not stuck), an overdue milestone, the error basket, orphan rows.

use std::time::Duration;

use diesel::connection::SimpleConnection;

use crate::pg_or_skip;
use crate::support::diag::{State, case, diag_json, milestone};
use crate::support::{Run, TestDb, poll_until, wfctl};

#[test]
fn finds_stuck_overdue_error_and_orphan_cases() {
    let db = pg_or_skip!(TestDb::new());
    let mut conn = db.conn();
    let hour = Duration::from_secs(3600);
    case(&mut conn, "C-CRASHED", State::Running, hour);
    case(&mut conn, "C-LOCKED", State::Running, hour);
    case(
        &mut conn,
        "C-FRESH",
        State::Running,
        Duration::from_secs(30),
    );
    case(
        &mut conn,
        "C-P1",
        State::Pended("review"),
        Duration::from_secs(7200),
    );
    case(
        &mut conn,
        "C-P2",
        State::Pended("review"),
        Duration::from_secs(60),
    );
    case(
        &mut conn,
        "C-P3",
        State::Pended("approve"),
        Duration::from_secs(60),
    );
    case(
        &mut conn,
        "C-ERR",
        State::Pended("workflow_error"),
        Duration::from_secs(600),
    );
    case(
        &mut conn,
        "C-DONE",
        State::Completed { took_ms: 5000 },
        hour,
    );
    milestone(&mut conn, "C-P1", "review_sla", "review", "enqueued", -120);
    milestone(&mut conn, "C-P2", "review_sla", "review", "enqueued", 3600);
    milestone(&mut conn, "C-DONE", "old_sla", "review", "dequeued", -7200);
    conn.batch_execute(
        "INSERT INTO audit_log (case_id, sequence, step_name, ts) VALUES ('C-GONE', 1, 'x', 0), ('C-GONE', 2, 'y', 0);
         INSERT INTO exec_path (workflow_info_hibid, name, status) VALUES (NULL, '.', 'started');
         INSERT INTO process_variable_value (workflow_variables_id, name, type) VALUES (999999, 'v', 'string');",
    )
    .unwrap();
    // A live process holds C-LOCKED's case lock: it is running, not stuck.
    let mut runner = db.conn();
    runner
        .batch_execute("SELECT pg_advisory_lock(hashtextextended('wfctl-case:' || 'C-LOCKED', 0))")
        .unwrap();

    let report = diag_json(&db.url, &["cases", "--stuck-for", "10m"], 0);
    let stuck: Vec<&str> = report["stuck"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["case_id"].as_str().unwrap())
        .collect();
    assert_eq!(stuck, ["C-CRASHED"], "{report:#}");
    assert_eq!(report["stuck"]["total"], 1);
    assert!(report["stuck"]["rows"][0]["idle_seconds"].as_f64().unwrap() >= 3500.0);
    // `diag all` exits by its worst finding; only the fix text matters here
    let run = crate::support::Run::of(crate::support::wfctl().args([
        "--database-url",
        &db.url,
        "--json",
        "diag",
        "all",
        "--skip",
        "explain",
        "--skip",
        "slow-queries",
    ]));
    let all: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    let fix = all["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "cases" && f["message"].as_str().unwrap().contains("stuck"))
        .unwrap_or_else(|| panic!("a stuck finding: {all:#}"))["fix"]
        .clone();
    assert!(
        fix.as_str()
            .is_some_and(|f| f.starts_with("wfctl case resume --all --stuck-for ")),
        "{fix}"
    );

    let pended = report["pended"].as_array().unwrap();
    let review = pended.iter().find(|b| b["basket"] == "review").unwrap();
    assert_eq!(review["cases"], 2);
    assert!(
        review["oldest_seconds"].as_f64().unwrap() >= 7100.0,
        "{review}"
    );
    assert!(
        pended
            .iter()
            .any(|b| b["basket"] == "approve" && b["cases"] == 1)
    );

    let overdue = &report["overdue_milestones"];
    assert_eq!(overdue["total"], 1, "{report:#}");
    assert_eq!(overdue["rows"][0]["case_id"], "C-P1");
    assert!(overdue["rows"][0]["overdue_seconds"].as_f64().unwrap() >= 119.0);

    assert_eq!(report["in_error_basket"]["total"], 1);
    let err = &report["in_error_basket"]["rows"][0];
    assert_eq!(err["case_id"], "C-ERR");
    assert_eq!(err["error_code"], 500);
    assert_eq!(err["error"], "component failed");

    let orphans = &report["orphans"];
    assert_eq!(orphans["audit_rows"], 2, "{orphans}");
    assert_eq!(orphans["exec_paths"], 1);
    assert_eq!(orphans["variable_values"], 1);
    assert_eq!(orphans["milestones"], 0);

    // Once the runner's process dies its lock goes, and the case is stuck too.
    drop(runner);
    poll_until(
        "the dead runner's lock to go",
        Duration::from_secs(30),
        || diag_json(&db.url, &["cases"], 0)["stuck"]["total"] == 2,
    );

    // A different error basket from the configuration.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("wfctl.toml"),
        "[engine]\nerror_workbasket = \"review\"\n",
    )
    .unwrap();
    let run = Run::of(wfctl().current_dir(dir.path()).args([
        "--database-url",
        &db.url,
        "--json",
        "diag",
        "cases",
    ]))
    .expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["error_basket"], "review");
    assert_eq!(v["in_error_basket"]["total"], 2);

    // diag all: stuck and overdue are warnings; --check exits 3, Nagios WARNING.
    let nagios = Run::of(wfctl().args(["--database-url", &db.url, "diag", "all", "--nagios"]))
        .expect_code(1);
    assert!(
        nagios.stdout.starts_with("WFCTL DIAG WARNING:"),
        "{}",
        nagios.stdout
    );
    assert!(
        nagios.stdout.contains("stuck_cases=2;1;100"),
        "{}",
        nagios.stdout
    );
    assert!(
        nagios.stdout.contains("overdue_milestones=1;1;1000"),
        "{}",
        nagios.stdout
    );
}
