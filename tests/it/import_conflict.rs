//! `wfctl migrate-files` re-runs never replace what moved on in PostgreSQL: a case resumed
//! (or edited) in the database after its import, a case that exists there without having been
//! imported (even when an earlier run rejected its files), a case being run. `--force`
//! replaces the first two, never the last.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use diesel::connection::SimpleConnection;

use crate::pg_or_skip;
use crate::support::case_env::example_dir;
use crate::support::import::{count, migrate_files, summary};
use crate::support::{Run, TestDb, wfctl};

/// `wfctl` with the order-approval example's components.
pub fn example_wfctl() -> Command {
    let mut cmd = wfctl();
    cmd.arg("--config").arg(example_dir().join("wfctl.toml"));
    cmd
}

/// Starts an order of 1500 EUR in `store`: it pends in `approvals`.
pub fn start_on_files(store: &Path, case_id: &str) {
    Run::of(
        example_wfctl()
            .arg("--store")
            .arg(store)
            .args(start_args(case_id)),
    )
    .expect_code(0);
}

fn start_args(case_id: &str) -> Vec<String> {
    let ex = example_dir();
    vec![
        "case".into(),
        "start".into(),
        "--journey".into(),
        ex.join("journey.json").display().to_string(),
        "--sla".into(),
        ex.join("sla.json").display().to_string(),
        "--case-id".into(),
        case_id.into(),
        "--var".into(),
        "order_id=string:1001".into(),
        "--var".into(),
        "amount=long:1500".into(),
    ]
}

fn on_pg(db: &TestDb, args: &[&str]) -> Run {
    Run::of(example_wfctl().env("DATABASE_URL", &db.url).args(args))
}

fn status_on_pg(db: &TestDb, case_id: &str) -> String {
    let run = on_pg(db, &["--json", "case", "show", case_id]).expect_code(0);
    let show: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    show["status"].as_str().unwrap().to_owned()
}

/// The audit records and milestones of a case, as text (to compare before and after).
fn history_rows(db: &TestDb, case_id: &str) -> (i64, i64, String) {
    let mut conn = db.conn();
    let audits = count(
        &mut conn,
        &format!("SELECT count(*) AS n FROM audit_log WHERE case_id = '{case_id}'"),
    );
    let milestones = count(
        &mut conn,
        &format!("SELECT count(*) AS n FROM milestone WHERE case_id = '{case_id}'"),
    );
    let history = on_pg(db, &["--json", "case", "history", case_id]).expect_code(0);
    (audits, milestones, history.stdout)
}

/// Deletes every row of a case, as the Java application or psql would.
fn delete_whole_case(conn: &mut diesel::PgConnection, case: &str) {
    conn.batch_execute(&format!("DELETE FROM process_variable_value WHERE workflow_variables_id IN (SELECT id FROM \
           workflow_variables WHERE workflow_info_hibid = 'workflow_process_info-{case}'); \
         DELETE FROM workflow_variables WHERE workflow_info_hibid = 'workflow_process_info-{case}'; \
         DELETE FROM exec_path WHERE workflow_info_hibid = 'workflow_process_info-{case}'; \
         DELETE FROM workflow_info WHERE case_id = '{case}'; \
         DELETE FROM route_branch WHERE route_id IN (SELECT id FROM route \
           WHERE workflow_definition_hibid = 'journey-{case}'); \
         DELETE FROM route WHERE workflow_definition_hibid = 'journey-{case}'; \
         DELETE FROM step WHERE workflow_definition_hibid = 'journey-{case}'; \
         DELETE FROM workflow_definition WHERE case_id = '{case}'; \
         DELETE FROM milestone WHERE case_id = '{case}'; \
         DELETE FROM audit_log WHERE case_id = '{case}'; \
         DELETE FROM workflow_counters WHERE name LIKE '%{case}'"
    ))
    .unwrap();
}

fn process_info_file(store: &Path, case_id: &str) -> PathBuf {
    store.join(format!("workflow_process_info-{case_id}.json"))
}

#[test]
fn a_case_resumed_in_postgres_is_not_replaced_when_its_file_changes() {
    let db = pg_or_skip!(TestDb::new());
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    start_on_files(&store, "order-1");
    start_on_files(&store, "order-2");
    let s = summary(&migrate_files(&db, &store, &["--json"]).expect_code(0));
    assert_eq!(s["imported"], 2, "{s:#}");

    // order-1 moves on in PostgreSQL: resumed to completion
    on_pg(
        &db,
        &[
            "case",
            "resume",
            "order-1",
            "--var",
            "approved=boolean:true",
        ],
    )
    .expect_code(0);
    assert_eq!(status_on_pg(&db, "order-1"), "completed");
    let before = history_rows(&db, "order-1");
    // both source files change afterwards; order-2 never moved in the database
    for case in ["order-1", "order-2"] {
        Run::of(example_wfctl().arg("--store").arg(&store).args([
            "case",
            "set-var",
            case,
            "--var",
            "note=string:late edit",
        ]))
        .expect_code(0);
    }

    for (imported, unchanged) in [(1, 0), (0, 1)] {
        let run = migrate_files(&db, &store, &["--json"]).expect_code(3);
        let s = summary(&run);
        assert_eq!(
            s["imported"], imported,
            "order-2 is re-imported once: {s:#}"
        );
        assert_eq!(s["unchanged"], unchanged, "{s:#}");
        assert_eq!(s["rejects_by_class"]["conflict"], 1, "{s:#}");
        assert!(
            run.stderr
                .contains("case order-1 changed in the database since it was imported"),
            "{}",
            run.stderr
        );
        assert_eq!(status_on_pg(&db, "order-1"), "completed");
        assert_eq!(
            history_rows(&db, "order-1"),
            before,
            "audit and milestones untouched"
        );
    }

    // the operator decides: the file wins
    let s = summary(&migrate_files(&db, &store, &["--json", "--force"]).expect_code(0));
    assert_eq!(s["imported"], 1, "{s:#}");
    assert_eq!(status_on_pg(&db, "order-1"), "pended");
    // and what --force wrote is the import's again: the next change re-imports quietly
    fs::write(
        process_info_file(&store, "order-1"),
        fs::read_to_string(process_info_file(&store, "order-1")).unwrap() + "\n",
    )
    .unwrap();
    let s = summary(&migrate_files(&db, &store, &["--json"]).expect_code(0));
    assert_eq!(s["imported"], 1, "{s:#}");
}

#[test]
fn a_row_edited_by_hand_after_the_import_is_a_conflict() {
    let db = pg_or_skip!(TestDb::new());
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    start_on_files(&store, "order-5");
    migrate_files(&db, &store, &[]).expect_code(0);
    // another writer (psql, the Java application) changes one variable row only
    db.conn()
        .batch_execute(
            "UPDATE process_variable_value SET value_long = 99 WHERE name = 'amount' \
             AND workflow_variables_id = (SELECT id FROM workflow_variables \
               WHERE workflow_info_hibid = 'workflow_process_info-order-5')",
        )
        .unwrap();
    let path = process_info_file(&store, "order-5");
    fs::write(&path, fs::read_to_string(&path).unwrap() + "\n").unwrap();
    let run = migrate_files(&db, &store, &["--json"]).expect_code(3);
    assert_eq!(
        summary(&run)["rejects_by_class"]["conflict"],
        1,
        "{}",
        run.stdout
    );
    let mut conn = db.conn();
    assert_eq!(
        count(
            &mut conn,
            "SELECT value_long AS n FROM process_variable_value WHERE name = 'amount'"
        ),
        99
    );
}

#[test]
fn a_case_whose_files_were_only_ever_rejected_is_not_ours_to_replace() {
    let db = pg_or_skip!(TestDb::new());
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    start_on_files(&store, "order-3");
    let path = process_info_file(&store, "order-3");
    let good = fs::read_to_string(&path).unwrap();
    fs::write(&path, "{ not json").unwrap();
    let s = summary(&migrate_files(&db, &store, &["--json"]).expect_code(3));
    assert_eq!(s["imported"], 0, "{s:#}");

    // meanwhile the same id is started in PostgreSQL, and runs on
    let args = start_args("order-3");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    on_pg(&db, &args).expect_code(0);
    on_pg(
        &db,
        &[
            "case",
            "resume",
            "order-3",
            "--var",
            "approved=boolean:true",
        ],
    )
    .expect_code(0);
    let before = history_rows(&db, "order-3");

    fs::write(&path, good).unwrap();
    let run = migrate_files(&db, &store, &["--json"]).expect_code(3);
    assert_eq!(
        summary(&run)["rejects_by_class"]["conflict"],
        1,
        "{}",
        run.stdout
    );
    assert!(
        run.stderr
            .contains("case order-3 already exists in the database and was not imported"),
        "{}",
        run.stderr
    );
    assert_eq!(status_on_pg(&db, "order-3"), "completed");
    assert_eq!(history_rows(&db, "order-3"), before);
}

#[test]
fn force_never_replaces_a_case_being_run() {
    let db = pg_or_skip!(TestDb::new());
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    start_on_files(&store, "order-4");
    migrate_files(&db, &store, &[]).expect_code(0);
    on_pg(
        &db,
        &[
            "case",
            "resume",
            "order-4",
            "--var",
            "approved=boolean:true",
        ],
    )
    .expect_code(0);
    let path = process_info_file(&store, "order-4");
    fs::write(&path, fs::read_to_string(&path).unwrap() + "\n").unwrap();
    let mut holder = db.conn();
    holder
        .batch_execute("SELECT pg_advisory_lock(hashtextextended('wfctl-case:' || 'order-4', 0))")
        .unwrap();
    let run = migrate_files(&db, &store, &["--json", "--force"]).expect_code(3);
    let s = summary(&run);
    assert_eq!(s["rejects_by_class"]["locked"], 1, "{s:#}");
    assert!(
        run.stderr.contains("case order-4 is being run"),
        "{}",
        run.stderr
    );
    drop(holder);
    assert_eq!(status_on_pg(&db, "order-4"), "completed");
}

#[test]
fn an_audit_name_two_cases_could_own_and_ids_no_store_accepts_are_rejected() {
    let db = pg_or_skip!(TestDb::new());
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let config = tmp.path().join("wfctl.toml");
    fs::write(
        &config,
        "[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nbuiltin = \"proceed\"\n",
    )
    .unwrap();
    let journey = tmp.path().join("tricky.json");
    // `start` proceeds to the unit `a_00002_b`: c's second record is
    // audit_log-c_00002_a_00002_b.json, which reads as record 2 of a case `c_00002_a` too
    fs::write(
        &journey,
        r#"{"journey": {"name": "tricky", "flow": [
          {"name": "start", "component": "worker", "next": "a_00002_b"},
          {"name": "a_00002_b", "component": "manual", "user_data": "inbox", "next": "end"}]}}"#,
    )
    .unwrap();
    let mut start = wfctl();
    start
        .arg("--config")
        .arg(&config)
        .arg("--store")
        .arg(&store);
    start.args(["case", "start", "--case-id", "c", "--journey"]);
    Run::of(start.arg(&journey)).expect_code(0);
    for (prefix, ext) in [("journey-", ".json"), ("workflow_process_info-", ".json")] {
        for other in ["c_00002_a", "x\ny", "e\u{1b}[31m", ".dot"] {
            fs::copy(
                store.join(format!("{prefix}c{ext}")),
                store.join(format!("{prefix}{other}{ext}")),
            )
            .unwrap();
        }
    }
    let run = migrate_files(&db, &store, &["--json"]).expect_code(3);
    let s = summary(&run);
    assert_eq!(s["imported"], 0, "{s:#}");
    assert_eq!(s["rejects_by_class"]["conflict"], 1, "{s:#}");
    // c_00002_a (its id reads as an audit sequence), x\ny, the ESC one, .dot
    assert_eq!(s["rejects_by_class"]["bad_case_id"], 4, "{s:#}");
    assert!(
        run.stderr.contains("audit_log-c_00002_a_00002_b.json")
            && run.stderr.contains("\"c\"")
            && run.stderr.contains("\"c_00002_a\""),
        "names both candidates: {}",
        run.stderr
    );
    assert!(run.stderr.contains("audit sequence"), "{}", run.stderr);
    let mut conn = db.conn();
    assert_eq!(count(&mut conn, "SELECT count(*) AS n FROM audit_log"), 0);

    // the file store's own listing names the ids it cannot use instead of hiding them
    let mut list = wfctl();
    list.arg("--config").arg(&config).arg("--store").arg(&store);
    let run = Run::of(list.args(["case", "list"])).expect_code(3);
    for shown in ["x\\ny", ".dot", "\\u{1b}[31m"] {
        assert!(run.stderr.contains(shown), "{shown}: {}", run.stderr);
    }
}

#[test]
fn rows_or_whole_cases_deleted_in_postgres_after_the_import_are_a_conflict() {
    let db = pg_or_skip!(TestDb::new());
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let cases = ["order-6", "order-7", "order-8", "order-9"];
    for case in cases {
        start_on_files(&store, case);
    }
    migrate_files(&db, &store, &[]).expect_code(0);
    // another writer deletes: one audit record, one variable, one milestone, a whole case
    db.conn()
        .batch_execute(
            "DELETE FROM audit_log WHERE case_id = 'order-6' AND sequence = 2; \
             DELETE FROM process_variable_value WHERE name = 'amount' \
               AND workflow_variables_id = (SELECT id FROM workflow_variables \
                 WHERE workflow_info_hibid = 'workflow_process_info-order-7'); \
             DELETE FROM milestone WHERE ctid = (SELECT min(ctid) FROM milestone \
               WHERE case_id = 'order-8')",
        )
        .unwrap();
    // the whole of order-9, as the Java application or psql would delete it
    let mut conn = db.conn();
    delete_whole_case(&mut conn, "order-9");
    let snapshot = |conn: &mut diesel::PgConnection| {
        [
            "SELECT count(*) AS n FROM audit_log",
            "SELECT count(*) AS n FROM process_variable_value",
            "SELECT count(*) AS n FROM milestone",
            "SELECT count(*) AS n FROM workflow_info",
        ]
        .map(|sql| count(conn, sql))
    };
    let before = snapshot(&mut conn);
    for case in cases {
        let path = process_info_file(&store, case);
        fs::write(&path, fs::read_to_string(&path).unwrap() + "\n").unwrap();
    }
    let run = migrate_files(&db, &store, &["--json"]).expect_code(3);
    let s = summary(&run);
    assert_eq!(s["imported"], 0, "{s:#}");
    assert_eq!(s["rejects_by_class"]["conflict"], 4, "{s:#}");
    for case in &cases[..3] {
        assert!(
            run.stderr.contains(&format!(
                "case {case} changed in the database since it was imported"
            )),
            "{}",
            run.stderr
        );
    }
    assert!(
        run.stderr
            .contains("case order-9 was deleted from the database since it was imported"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&mut conn), before, "nothing was re-imported");

    // the operator decides: the files win
    let s = summary(&migrate_files(&db, &store, &["--json", "--force"]).expect_code(0));
    assert_eq!(s["imported"], 4, "{s:#}");
}

#[test]
fn a_case_deleted_in_postgres_whose_files_are_untouched_is_a_conflict_not_unchanged() {
    let db = pg_or_skip!(TestDb::new());
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    for case in ["order-1", "order-2"] {
        start_on_files(&store, case);
    }
    migrate_files(&db, &store, &[]).expect_code(0);
    delete_whole_case(&mut db.conn(), "order-2");

    // the files did not change, the database did: never silently "unchanged"
    let run = migrate_files(&db, &store, &["--json"]).expect_code(3);
    let s = summary(&run);
    assert_eq!(s["unchanged"], 1, "{s:#}");
    assert_eq!(s["imported"], 0, "{s:#}");
    assert_eq!(s["rejects_by_class"]["conflict"], 1, "{s:#}");
    assert!(
        run.stderr
            .contains("case order-2 was deleted from the database since it was imported"),
        "{}",
        run.stderr
    );
    let infos = |db: &TestDb| {
        count(
            &mut db.conn(),
            "SELECT count(*) AS n FROM workflow_info WHERE case_id = 'order-2'",
        )
    };
    assert_eq!(infos(&db), 0, "nothing re-imported without --force");

    // the operator decides: the files win
    let s = summary(&migrate_files(&db, &store, &["--json", "--force"]).expect_code(0));
    assert_eq!(s["imported"], 1, "{s:#}");
    assert_eq!(s["unchanged"], 1, "{s:#}");
    assert_eq!(infos(&db), 1);
    assert_eq!(status_on_pg(&db, "order-2"), "pended");
    // and the next run finds it unchanged again
    let s = summary(&migrate_files(&db, &store, &["--json"]).expect_code(0));
    assert_eq!(s["unchanged"], 2, "{s:#}");
}
