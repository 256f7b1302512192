//! `diag all`'s case check runs its statements side by side on the pool's connections, all in
//! one exported snapshot: it finds what `diag cases` finds on one connection, and so does a pool
//! of one connection.

use std::time::Duration;

use diesel::connection::SimpleConnection;

use crate::pg_or_skip;
use crate::support::diag::{State, case, diag_json, milestone};
use crate::support::{Run, TestDb, wfctl};

/// The case check's summary line, as `diag all` writes it.
fn cases_summary(all: &serde_json::Value) -> String {
    all["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check"] == "cases")
        .map(|f| f["message"].as_str().unwrap().to_string())
        .find(|m| m.contains(" stuck, "))
        .unwrap_or_else(|| panic!("no case summary: {all:#}"))
}

#[test]
fn the_case_check_side_by_side_finds_what_one_connection_finds() {
    let db = pg_or_skip!(TestDb::new());
    let mut conn = db.conn();
    let hour = Duration::from_secs(3600);
    case(&mut conn, "A-CRASHED", State::Running, hour);
    case(&mut conn, "A-P1", State::Pended("review"), hour);
    case(&mut conn, "A-P2", State::Pended("approve"), hour);
    case(&mut conn, "A-ERR", State::Pended("workflow_error"), hour);
    case(&mut conn, "A-DONE", State::Completed { took_ms: 10 }, hour);
    milestone(&mut conn, "A-P1", "sla", "review", "enqueued", -60);
    milestone(&mut conn, "A-GONE", "sla", "review", "dequeued", -60);
    conn.batch_execute(
        "INSERT INTO audit_log (case_id, sequence, step_name, ts) VALUES ('A-GONE', 1, 'x', 0);
         INSERT INTO exec_path (workflow_info_hibid, name, status) VALUES (NULL, '.', 'started');
         INSERT INTO workflow_variables (workflow_info_hibid) VALUES (NULL);
         INSERT INTO process_variable_value (workflow_variables_id, name, type) VALUES (999999, 'v', 'string');",
    )
    .unwrap();

    let one = diag_json(&db.url, &["cases"], 0);
    let o = &one["orphans"];
    let orphans: i64 = [
        "exec_paths",
        "audit_rows",
        "variables",
        "variable_values",
        "milestones",
        "journeys",
    ]
    .iter()
    .map(|k| o[k].as_i64().unwrap())
    .sum();
    assert_eq!(orphans, 5, "{one:#}");
    let pended: i64 = one["pended"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["cases"].as_i64().unwrap())
        .sum();
    let want = format!(
        "{} stuck, {} SLA milestones overdue, {} in the error basket, {orphans} orphan rows; {pended} cases pended in {} work baskets",
        one["stuck"]["total"],
        one["overdue_milestones"]["total"],
        one["in_error_basket"]["total"],
        one["pended"].as_array().unwrap().len()
    );
    assert!(want.starts_with("1 stuck, 1 SLA milestones overdue, 1 in the error basket"));

    let args = ["all", "--skip", "slow-queries", "--skip", "explain"];
    let side_by_side = diag_json(&db.url, &args, 0);
    assert_eq!(cases_summary(&side_by_side), want);
    assert!(
        side_by_side["limitations"].as_array().unwrap().is_empty(),
        "{side_by_side:#}"
    );

    // a pool of one connection: the statements one after the other
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("wfctl.toml"), "[database]\npool_size = 1\n").unwrap();
    let run = Run::of(wfctl().current_dir(dir.path()).args([
        "--database-url",
        &db.url,
        "--json",
        "diag",
        "all",
        "--skip",
        "slow-queries",
        "--skip",
        "explain",
    ]))
    .expect_code(0);
    let sequential: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(cases_summary(&sequential), want);
}

/// The side-by-side check opens pool connections on r2d2's threads; one still inside libpq when
/// the process exits must not crash it. Every run ends with a code of its own, never a signal.
#[test]
fn repeated_runs_always_exit_with_a_code_of_their_own() {
    let db = pg_or_skip!(TestDb::new());
    let args = ["all", "--skip", "slow-queries", "--skip", "explain"];
    for round in 0..12 {
        let status = wfctl()
            .args(["--database-url", &db.url, "--json", "diag"])
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(
            status.code().is_some(),
            "round {round}: diag all died of a signal: {status:?}"
        );
    }
}

fn check_options() -> wfctl::diag::all::Options {
    use wfctl::diag::{all, cases, explain};
    all::Options {
        thresholds: wfctl::diag::Thresholds::default(),
        min_stats_age: Duration::from_secs(7 * 86_400),
        cases: cases::Options {
            stuck_for: Duration::from_secs(600),
            error_basket: cases::DEFAULT_ERROR_BASKET.into(),
            limit: 20,
        },
        pool_size: 10,
        pool: None,
        threads: 1,
        explain: explain::How::Plan,
    }
}

/// The registry lives in the library: an embedding program runs the same checks, the opt-in
/// ones (settings, wal) in the same `Check` shape as the rest.
#[test]
fn the_library_runs_the_selected_checks_settings_and_wal_among_them() {
    use wfctl::diag::all::{self, Selection};
    let db = pg_or_skip!(TestDb::new());
    let mut conn = db.conn();
    let facts = wfctl::diag::Facts::read(&mut conn).unwrap();
    let selection = Selection {
        skip: vec!["explain".into(), "slow-queries".into()],
        include: vec!["settings".into(), "wal".into()],
    };
    selection.validate().unwrap();
    let report = all::run(
        &mut conn,
        &facts,
        &check_options(),
        &selection,
        std::time::Instant::now(),
    )
    .unwrap();
    let ran: Vec<&str> = all::CHECKS
        .iter()
        .map(|c| c.name)
        .filter(|n| !["explain", "slow-queries"].contains(n))
        .collect();
    assert_eq!(report.checks, ran);
    assert_eq!(report.timings.len(), ran.len());
    for check in ["settings", "wal"] {
        assert!(
            report.findings.iter().any(|f| f.check == check),
            "no {check} finding: {report:#?}"
        );
    }
    assert!(
        !report
            .findings
            .iter()
            .any(|f| f.message.starts_with("check failed")),
        "{report:#?}"
    );
}

/// A lost connection ends the run (the database is unreachable: Nagios' UNKNOWN, exit 69),
/// rather than turning every later check into a failed one.
#[test]
fn a_lost_connection_ends_the_library_run() {
    use wfctl::diag::all::{self, Selection};
    let db = pg_or_skip!(TestDb::new());
    let mut conn = db.conn();
    let facts = wfctl::diag::Facts::read(&mut conn).unwrap();
    let _ = conn.batch_execute("SELECT pg_terminate_backend(pg_backend_pid())");
    let error = all::run(
        &mut conn,
        &facts,
        &check_options(),
        &Selection::default(),
        std::time::Instant::now(),
    )
    .unwrap_err();
    assert!(error.is_connection_lost(), "{error}");
}

/// `diag all`'s OK never reads as every check's: its status line names the checks it left out
/// and how to add the opt-in ones, and its help says which checks `--check` covers. With
/// `--include wal` the same run reports what `diag wal --check` reports (archiving off).
#[test]
fn an_ok_names_the_checks_it_did_not_run() {
    let db = pg_or_skip!(TestDb::new());
    let run = Run::of(
        wfctl()
            .env("DATABASE_URL", &db.url)
            .args(["diag", "all", "--skip", "explain"]),
    );
    assert!(
        run.stderr
            .contains("not run: settings, wal, explain (opt-in: --include settings --include wal)"),
        "{}",
        run.stderr
    );
    let help = Run::of(wfctl().args(["diag", "all", "--help"])).expect_code(0);
    assert!(
        help.stdout
            .contains("settings and wal run only with --include"),
        "{}",
        help.stdout
    );
    let wal = Run::of(
        wfctl()
            .env("DATABASE_URL", &db.url)
            .args(["diag", "wal", "--check"]),
    );
    let all = Run::of(wfctl().env("DATABASE_URL", &db.url).args([
        "--json",
        "diag",
        "all",
        "--check",
        "--include",
        "wal",
    ]));
    let doc: serde_json::Value = serde_json::from_str(&all.stdout).expect("JSON");
    assert!(
        doc["checks"].as_array().unwrap().iter().any(|c| c == "wal"),
        "{doc:#}"
    );
    if wal.code == 3 {
        assert_eq!(all.code, 3, "{}", all.stderr);
    }
}
