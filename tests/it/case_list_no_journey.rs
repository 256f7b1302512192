//! On PostgreSQL a case may have no journey row: migrate-files imports a case whose journey
//! file is missing. Such a case exists, so every listing shows it, and what cannot run it says
//! why in one line.

use std::fs;

use serde_json::Value;

use crate::import_conflict::{example_wfctl, start_on_files};
use crate::pg_or_skip;
use crate::support::import::migrate_files;
use crate::support::{Run, TestDb};

fn json(run: Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

fn ids(list: &Value) -> Vec<&str> {
    list["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["case_id"].as_str().unwrap())
        .collect()
}

#[test]
fn cases_without_a_journey_row_are_listed_shown_and_explained() {
    let db = pg_or_skip!(TestDb::new());
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    for case in ["order-a", "order-b", "order-c"] {
        start_on_files(&store, case);
    }
    for name in ["journey-order-a.json", "journey_sla-order-a.json"] {
        fs::remove_file(store.join(name)).unwrap();
    }
    let run = migrate_files(&db, &store, &[]);
    assert!(
        run.stderr.contains("case order-a has no journey file"),
        "{}",
        run.stderr
    );
    let pg = |args: &[&str]| Run::of(example_wfctl().env("DATABASE_URL", &db.url).args(args));

    let all = json(pg(&["--json", "case", "list"]).expect_code(0));
    assert_eq!(ids(&all), ["order-a", "order-b", "order-c"], "{all:#}");
    assert_eq!(all["cases"][0]["status"], "pended", "{all:#}");
    assert_eq!(all["cases"][0]["work_basket"], "approvals", "{all:#}");
    // paging walks through it too
    let first = json(pg(&["--json", "case", "list", "--limit", "1"]).expect_code(0));
    assert_eq!(ids(&first), ["order-a"], "{first:#}");
    let next = json(
        pg(&[
            "--json", "case", "list", "--limit", "2", "--after", "order-a",
        ])
        .expect_code(0),
    );
    assert_eq!(ids(&next), ["order-b", "order-c"], "{next:#}");
    let pended = json(pg(&["--json", "case", "list", "--status", "pended"]).expect_code(0));
    assert_eq!(
        ids(&pended),
        ["order-a", "order-b", "order-c"],
        "{pended:#}"
    );

    let show = json(pg(&["--json", "case", "show", "order-a"]).expect_code(0));
    assert_eq!(show["status"], "pended", "{show:#}");
    let history = json(pg(&["--json", "case", "history", "order-a"]).expect_code(0));
    assert!(
        !history["entries"].as_array().unwrap().is_empty(),
        "{history:#}"
    );

    // the counts read the case states: the case is counted
    let metrics = pg(&["metrics"]).expect_code(0);
    assert!(
        metrics.stdout.contains("workflow_cases_started_total 3"),
        "{}",
        metrics.stdout
    );
    assert!(
        metrics
            .stdout
            .contains("workflow_cases_pended{workbasket=\"approvals\"} 3"),
        "{}",
        metrics.stdout
    );

    // it cannot run: one line that says why
    let resume = pg(&[
        "case",
        "resume",
        "order-a",
        "--var",
        "approved=boolean:true",
    ]);
    assert!(
        ![0, 101].contains(&resume.code),
        "{} {}",
        resume.code,
        resume.stderr
    );
    assert_eq!(resume.stderr.trim().lines().count(), 1, "{}", resume.stderr);
    assert!(
        resume.stderr.contains("No process definition found"),
        "{}",
        resume.stderr
    );
}

#[test]
fn a_bulk_resume_reports_a_case_without_a_journey_row_as_failed_with_the_reason() {
    let db = pg_or_skip!(TestDb::new());
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    for case in ["order-a", "order-b"] {
        start_on_files(&store, case);
    }
    for name in ["journey-order-a.json", "journey_sla-order-a.json"] {
        fs::remove_file(store.join(name)).unwrap();
    }
    migrate_files(&db, &store, &[]);
    let pg = |args: &[&str]| Run::of(example_wfctl().env("DATABASE_URL", &db.url).args(args));
    let bulk = [
        "--json",
        "case",
        "resume",
        "--all",
        "--workbasket",
        "approvals",
        "--var",
        "approved=boolean:true",
    ];

    // the dry run (a listing) and the claiming run see the same cases
    let mut dry = bulk.to_vec();
    dry.push("--dry-run");
    let planned = json(pg(&dry).expect_code(0));
    assert_eq!(ids(&planned), ["order-a", "order-b"], "{planned:#}");

    let run = pg(&bulk).expect_code(3);
    let report: Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    assert_eq!(ids(&report), ["order-a", "order-b"], "{report:#}");
    assert_eq!(report["cases"][0]["result"], "failed", "{report:#}");
    assert!(
        report["cases"][0]["error"]
            .as_str()
            .unwrap()
            .contains("No process definition found"),
        "{report:#}"
    );
    assert_eq!(report["cases"][1]["result"], "done", "{report:#}");
    assert!(
        run.stderr.contains("1 case(s) failed: order-a"),
        "{}",
        run.stderr
    );
}

/// The file store lists a case whose journey file is missing as PostgreSQL lists the same case
/// imported without a journey row: present, its journey absent.
#[test]
fn the_file_store_lists_a_case_without_a_journey_file_like_postgresql() {
    let db = pg_or_skip!(TestDb::new());
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    for case in ["order-a", "order-b"] {
        start_on_files(&store, case);
    }
    for name in ["journey-order-a.json", "journey_sla-order-a.json"] {
        fs::remove_file(store.join(name)).unwrap();
    }
    let files = |args: &[&str]| Run::of(example_wfctl().arg("--store").arg(&store).args(args));
    let on_files = json(files(&["--json", "case", "list"]).expect_code(0));
    assert_eq!(ids(&on_files), ["order-a", "order-b"], "{on_files:#}");
    let table = files(&["case", "list"]).expect_code(0);
    assert!(table.stdout.contains("order-a"), "{}", table.stdout);

    migrate_files(&db, &store, &[]);
    let pg = |args: &[&str]| Run::of(example_wfctl().env("DATABASE_URL", &db.url).args(args));
    let on_pg = json(pg(&["--json", "case", "list"]).expect_code(0));
    for field in ["case_id", "journey", "status", "work_basket"] {
        assert_eq!(
            on_files["cases"][0][field], on_pg["cases"][0][field],
            "{field}: files {on_files:#} pg {on_pg:#}"
        );
    }
}
