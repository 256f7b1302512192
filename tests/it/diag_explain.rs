//! `diag explain`: plans of wfctl's statements with parameters from the data; a sequential scan
//! of a big table is flagged; nothing is written.

use std::time::Duration;

use diesel::connection::SimpleConnection;

use crate::pg_or_skip;
use crate::support::TestDb;
use crate::support::diag::{State, analyze_when_counted, case, diag_json};

fn seed(db: &TestDb) {
    let mut conn = db.conn();
    // 20,000 cases in one statement each table (the fixtures insert one at a time).
    conn.batch_execute(
        "INSERT INTO workflow_info (hibid, case_id, ts, is_complete, pend_exec_path, journey_name, started_ts)
           SELECT 'workflow_process_info-B' || s, 'B' || s, 1700000000000 + s, s % 3 = 0,
                  CASE WHEN s % 3 = 1 THEN '.' ELSE '' END, 'order', 1700000000000
           FROM generate_series(1, 20000) s;
         INSERT INTO exec_path (workflow_info_hibid, name, status, step, pend_workbasket)
           SELECT 'workflow_process_info-B' || s, '.', 'started', 'step_1',
                  CASE WHEN s % 3 = 1 THEN 'basket_' || (s % 7) END
           FROM generate_series(1, 20000) s;",
    )
    .unwrap();
    drop(conn);
    analyze_when_counted(db, "workflow_info", 20_000);
    analyze_when_counted(db, "exec_path", 20_000);
    let mut conn = db.conn();
    case(
        &mut conn,
        "C-RECENT",
        State::Pended("basket_1"),
        Duration::from_secs(1),
    );
}

fn statement<'a>(report: &'a serde_json::Value, op: &str) -> &'a serde_json::Value {
    report["statements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["operation"] == op)
        .unwrap_or_else(|| panic!("{op}: {report:#}"))
}

#[test]
fn plans_use_data_parameters_and_flag_big_sequential_scans() {
    let db = pg_or_skip!(TestDb::new());
    seed(&db);
    let report = diag_json(&db.url, &["explain"], 0);
    let show = statement(&report, "case_show");
    assert_eq!(
        show["parameter"], "C-RECENT",
        "the most recently written case"
    );
    assert_eq!(show["parameter_from_data"], true);
    assert!(
        show["seq_scans"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["big"] == false),
        "{show:#}"
    );
    let list = statement(&report, "case_list");
    assert!(
        list["parameter"].as_str().unwrap().starts_with("basket_"),
        "{list}"
    );
    assert!(list["execution_seconds"].as_f64().unwrap() > 0.0);
    assert!(!list["plan"].as_array().unwrap().is_empty());

    // Without the case_id indexes, showing a case reads all of workflow_info.
    db.conn()
        .batch_execute(
            "DROP INDEX idx_wf_info_case_id, idx_wf_info_active;
             ALTER TABLE workflow_info DROP CONSTRAINT workflow_info_case_id_key;
             ANALYZE workflow_info;",
        )
        .unwrap();
    let report = diag_json(&db.url, &["explain"], 0);
    let show = statement(&report, "case_show");
    let scans = show["seq_scans"].as_array().unwrap();
    assert!(
        scans
            .iter()
            .any(|s| s["table"] == "workflow_info" && s["big"] == true),
        "{show:#}"
    );
    let all = diag_json(&db.url, &["all", "--skip", "slow-queries"], 0);
    assert!(
        all["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["check"] == "explain"
                && f["severity"] == "warning"
                && f["message"]
                    .as_str()
                    .unwrap()
                    .contains("wfctl:case_show scans workflow_info")),
        "{all:#}"
    );
    // EXPLAIN ANALYZE ran the statements, read-only: the data is unchanged.
    let again = diag_json(&db.url, &["cases"], 0);
    assert_eq!(
        again["pended"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["cases"].as_i64().unwrap())
            .sum::<i64>(),
        6668
    );
}

#[test]
fn bloat_estimates_are_withheld_until_statistics_exist() {
    let db = pg_or_skip!(TestDb::new());
    seed(&db);
    db.conn()
        .batch_execute("INSERT INTO audit_log (case_id, sequence, step_name, ts, log_data) SELECT 'B' || s, 1, 'x', 0, '{\"a\": 1}' FROM generate_series(1, 20000) s")
        .unwrap();
    let report = diag_json(&db.url, &["bloat"], 0);
    assert_eq!(report["method"], "estimate");
    let find = |r: &serde_json::Value, name: &str| {
        r["estimates"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name}: {r:#}"))
    };
    let audit = find(&report, "public.audit_log");
    assert!(
        audit["bloat_percent"].is_null(),
        "never analyzed: withheld: {audit}"
    );
    assert!(
        audit["withheld"].as_str().unwrap().contains("pg_stats"),
        "{audit}"
    );
    let info = find(&report, "public.workflow_info");
    assert!(
        info["bloat_percent"].as_f64().is_some(),
        "analyzed: estimated: {info}"
    );
    assert!(
        report["limitations"][0]["why"]
            .as_str()
            .unwrap()
            .contains("stale"),
        "{report:#}"
    );
    // Analyzed, it gets an estimate.
    analyze_when_counted(&db, "audit_log", 20_000);
    let report = diag_json(&db.url, &["bloat"], 0);
    let audit = find(&report, "public.audit_log");
    assert!(audit["bloat_percent"].as_f64().is_some(), "{audit}");
}
