//! `wfctl migrate-files` re-runs never replace what moved on in PostgreSQL: a case resumed
//! (or edited) in the database after its import, a case that exists there without having been
//! imported (even when an earlier run rejected its files), a case being run. `--force`
//! replaces the first two, never the last.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use diesel::connection::SimpleConnection;

use crate::case_support::example_dir;
use crate::import_support::{count, migrate_files, summary};
use crate::pg_or_skip;
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
