//! `diag indexes`: unused, duplicate, invalid and missing recommended indexes, made for real.

use diesel::connection::SimpleConnection;

use crate::pg_or_skip;
use crate::support::diag::diag_json;
use crate::support::{TestDb, poll_for};

fn names(list: &serde_json::Value, key: &str) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v[key].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn finds_unused_duplicate_invalid_and_missing_indexes() {
    let db = pg_or_skip!(TestDb::new());
    let mut conn = db.conn();
    conn.batch_execute(
        "CREATE INDEX idx_test_unused ON milestone(name);
         CREATE INDEX idx_test_dup ON milestone(case_id);
         INSERT INTO workflow_counters VALUES ('a', 1), ('b', 1);
         DROP INDEX idx_wf_info_ts_incomplete;",
    )
    .unwrap();
    // A failed CREATE INDEX CONCURRENTLY leaves an invalid index behind.
    let failed = conn.batch_execute(
        "CREATE UNIQUE INDEX CONCURRENTLY idx_test_invalid ON workflow_counters(value)",
    );
    assert!(failed.is_err());

    let report = diag_json(&db.url, &["indexes"], 0);
    let unused = names(&report["unused"], "index_name");
    assert!(
        unused.contains(&"idx_test_unused".to_string()),
        "{unused:?}"
    );
    // Constraint and recommended indexes are never offered for dropping.
    assert!(
        !unused
            .iter()
            .any(|u| u.ends_with("_pkey") || u.ends_with("_key")),
        "{unused:?}"
    );
    assert!(
        !unused.contains(&"idx_exec_path_workbasket".to_string()),
        "{unused:?}"
    );

    let dups = report["duplicates"].as_array().unwrap();
    let dup = dups
        .iter()
        .find(|d| d["index"] == "public.idx_test_dup")
        .unwrap_or_else(|| panic!("{dups:?}"));
    assert_eq!(dup["kind"], "duplicate");
    assert_eq!(dup["covered_by"], "public.idx_milestone_case_id");
    // The seed guide's own schema has some (idx_wf_info_case_id repeats the UNIQUE(case_id)
    // index), but wfctl's own indexes are its schema: never offered for dropping.
    for own in ["public.idx_wf_info_case_id", "public.idx_audit_case_id"] {
        assert!(!dups.iter().any(|d| d["index"] == own), "{own}: {dups:?}");
    }

    let invalid = report["invalid"].as_array().unwrap();
    assert_eq!(invalid.len(), 1, "{invalid:?}");
    assert_eq!(invalid[0]["index"], "public.idx_test_invalid");
    let fix = invalid[0]["fix"].as_str().unwrap();
    assert!(fix.starts_with("DROP INDEX CONCURRENTLY public.idx_test_invalid; CREATE UNIQUE INDEX CONCURRENTLY idx_test_invalid"), "{fix}");

    let recommended = report["recommended"].as_array().unwrap();
    let missing: Vec<&serde_json::Value> = recommended
        .iter()
        .filter(|r| r["present_as"].is_null())
        .collect();
    let missing_names: Vec<&str> = missing
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert!(
        missing_names.contains(&"idx_wf_info_ts_incomplete"),
        "{missing_names:?}"
    );
    let create = missing
        .iter()
        .find(|r| r["name"] == "idx_wf_info_ts_incomplete")
        .unwrap()["create"]
        .as_str()
        .unwrap();
    assert_eq!(
        create,
        "CREATE INDEX CONCURRENTLY idx_wf_info_ts_incomplete ON workflow_info(ts) WHERE is_complete = FALSE;"
    );
    // The others the migrations created are recognised by table, columns and predicate.
    for present in ["idx_exec_path_workbasket", "idx_wf_info_active"] {
        assert!(
            recommended
                .iter()
                .any(|r| r["name"] == present && !r["present_as"].is_null()),
            "{present}"
        );
    }
    // The exact statement works.
    conn.batch_execute(create).unwrap();
    let again = diag_json(&db.url, &["indexes"], 0);
    assert!(
        again["recommended"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == "idx_wf_info_ts_incomplete" && !r["present_as"].is_null())
    );
    assert!(
        report["since"]["text"]
            .as_str()
            .unwrap()
            .starts_with("stats")
    );
}

#[test]
fn a_big_table_read_by_sequential_scans_is_listed_and_a_small_one_is_not() {
    let db = pg_or_skip!(TestDb::new());
    let mut conn = db.conn();
    conn.batch_execute(
        "CREATE TABLE scanned (n int, note text);
         INSERT INTO scanned SELECT g, md5(g::text) FROM generate_series(1, 20000) g;
         CREATE TABLE tiny (n int);
         INSERT INTO tiny SELECT generate_series(1, 100);
         ANALYZE scanned, tiny;",
    )
    .unwrap();
    for _ in 0..5 {
        conn.batch_execute(
            "SELECT count(*) FROM scanned WHERE note LIKE 'ab%'; \
             SELECT count(*) FROM tiny WHERE n = 7; SELECT pg_stat_force_next_flush()",
        )
        .unwrap();
    }
    drop(conn);
    // statistics reach the shared view when the session reports them
    let report = poll_for(
        "the sequential scans of `scanned` in the statistics",
        std::time::Duration::from_secs(10),
        || {
            let report = diag_json(&db.url, &["indexes"], 0);
            let seen = names(&report["seq_scans"], "table_name").contains(&"scanned".to_owned());
            seen.then_some(report)
        },
    );
    let tables = names(&report["seq_scans"], "table_name");
    assert!(tables.contains(&"scanned".to_owned()), "{report:#}");
    assert!(!tables.contains(&"tiny".to_owned()), "{report:#}");
    let scanned = report["seq_scans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table_name"] == "scanned")
        .unwrap();
    assert!(scanned["seq_scans"].as_i64().unwrap() >= 5, "{scanned}");
    assert!(
        scanned["seq_rows_read"].as_i64().unwrap() >= 100_000,
        "{scanned}"
    );
}

/// `--all` lists every index (wfctl's, constraint ones, the user's) with scans, tuples read and
/// fetched, and size; an index a query used shows its scan.
#[test]
fn all_lists_every_index_with_its_usage() {
    let db = pg_or_skip!(TestDb::new());
    let mut conn = db.conn();
    conn.batch_execute(
        "CREATE TABLE usage_probe (id int PRIMARY KEY, n int);
         INSERT INTO usage_probe SELECT g, g FROM generate_series(1, 1000) g;
         CREATE INDEX idx_usage_probe_n ON usage_probe(n);
         ANALYZE usage_probe;
         SET enable_seqscan = off;
         SELECT * FROM usage_probe WHERE n = 7;",
    )
    .unwrap();
    let probe = |report: &serde_json::Value| {
        report["indexes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["index_name"] == "idx_usage_probe_n")
            .cloned()
            .unwrap_or_else(|| panic!("{report}"))
    };
    // statistics reach the views when the session is idle
    let (report, used) = poll_for(
        "the probe's index scan in the statistics",
        std::time::Duration::from_secs(10),
        || {
            let report = diag_json(&db.url, &["indexes", "--all"], 0);
            let used = probe(&report);
            (used["scans"].as_i64().unwrap() >= 1).then_some((report, used))
        },
    );
    assert!(used["scans"].as_i64().unwrap() >= 1, "{used}");
    assert!(used["tuples_read"].as_i64().unwrap() >= 1, "{used}");
    assert!(used["size_bytes"].as_i64().unwrap() > 0, "{used}");
    let all = names(&report["indexes"], "index_name");
    for index in [
        "usage_probe_pkey",
        "idx_pv_name",
        "workflow_info_case_id_key",
    ] {
        assert!(all.contains(&index.to_string()), "{index} missing: {all:?}");
    }
    let text = crate::support::Run::of(crate::support::wfctl().args([
        "--database-url",
        &db.url,
        "diag",
        "indexes",
        "--all",
    ]))
    .expect_code(0)
    .stdout;
    assert!(
        text.contains("tuples fetched") && text.contains("idx_usage_probe_n"),
        "{text}"
    );
}
