//! `wfctl migrate-files` on generated directories: every good case loaded, every bad file
//! rejected with its class, re-runs idempotent, changed files re-imported or refused.

use std::collections::{BTreeMap, HashSet};
use std::fs;

use crate::pg_or_skip;
use crate::support::import::{
    GenOptions, assert_same, count, generate, migrate_files, snapshot, summary,
};
use crate::support::{Run, TestDb, poll_until, wfctl};

fn rejects_of(path: &std::path::Path) -> Vec<serde_json::Value> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn every_good_case_loads_and_every_bad_file_is_rejected_with_its_class() {
    let db = pg_or_skip!(TestDb::new());
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    let generated = generate(
        &dir,
        &GenOptions {
            cases: 80,
            seed: 11,
            bad_share: 0.1,
            extras: true,
        },
    )
    .unwrap();
    let kinds: HashSet<&str> = generated
        .bad_files
        .iter()
        .map(|(_, c, _)| c.as_str())
        .collect();
    assert_eq!(kinds.len(), 8, "every bad kind is generated: {kinds:?}");
    let listing_before: BTreeMap<String, Vec<u8>> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().into_string().unwrap();
            (name, fs::read(e.path()).unwrap_or_default())
        })
        .collect();

    let rejects = tmp.path().join("rejects.jsonl");
    let run = migrate_files(
        &db,
        &dir,
        &[
            "--json",
            "--rejects",
            rejects.to_str().unwrap(),
            "--jobs",
            "3",
            "--batch-size",
            "7",
            "--verify",
        ],
    )
    .expect_code(3);
    let s = summary(&run);
    // every good case reads back through the PostgreSQL store exactly as its source
    assert_eq!(s["verify"]["differing_cases"], 0, "{s:#}");
    assert_eq!(s["verify"]["cases"], generated.good_cases.len(), "{s:#}");
    assert_eq!(s["imported"], generated.good_cases.len(), "{s:#}");
    assert_eq!(s["rejected_files"], generated.bad_files.len(), "{s:#}");
    assert_eq!(s["unknown_files"], generated.unknown.len());
    assert_eq!(s["orphan_files"], generated.orphans.len());
    assert_eq!(s["cases_without_journey"], 1);

    // every bad file, and nothing else, is in the rejects file with the expected class
    let reported: BTreeMap<String, String> = rejects_of(&rejects)
        .iter()
        .map(|r| {
            let name = std::path::Path::new(r["path"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            assert!(!r["message"].as_str().unwrap().is_empty());
            (name, r["class"].as_str().unwrap().to_owned())
        })
        .collect();
    let expected: BTreeMap<String, String> = generated
        .bad_files
        .iter()
        .map(|(f, c, _)| (f.clone(), c.clone()))
        .collect();
    assert_eq!(reported, expected);
    assert!(run.stderr.contains("README.txt"), "{}", run.stderr);

    // good cases are in the database with all their rows; bad ones are not
    let mut conn = db.conn();
    for case in &generated.good_cases {
        assert_eq!(
            count(
                &mut conn,
                &format!("SELECT count(*) AS n FROM workflow_info WHERE case_id = '{case}'")
            ),
            1,
            "{case}"
        );
        let audits = listing_before
            .keys()
            .filter(|n| n.starts_with(&format!("audit_log-{case}_")))
            .count() as i64;
        assert_eq!(
            count(
                &mut conn,
                &format!("SELECT count(*) AS n FROM audit_log WHERE case_id = '{case}'")
            ),
            audits,
            "{case}"
        );
    }
    for (_, _, case) in &generated.bad_files {
        assert_eq!(
            count(
                &mut conn,
                &format!("SELECT count(*) AS n FROM workflow_info WHERE case_id = '{case}'")
            ),
            0
        );
    }
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM workflow_definition"),
        generated.good_cases.len() as i64 - 1,
        "every good case but the one without a journey has its journey"
    );

    // cases whose process info has the Java code's name `worflow_info-` were imported too
    let legacy: Vec<&String> = generated
        .good_cases
        .iter()
        .filter(|c| listing_before.contains_key(&format!("worflow_info-{c}.json")))
        .collect();
    assert!(!legacy.is_empty(), "the generator writes some legacy names");

    // the report of what arrived: every imported case once, pended ones in their basket
    let report = s["report"].as_array().unwrap();
    let reported_cases: u64 = report.iter().map(|r| r["cases"].as_u64().unwrap()).sum();
    assert_eq!(reported_cases, s["imported"].as_u64().unwrap(), "{s:#}");
    // absent values are null, sizes are *_bytes (never "" or a bare unit as a key)
    assert!(
        s.get("bytes").is_none() && s.get("seconds").is_none(),
        "{s:#}"
    );
    assert!(s["read_bytes"].as_u64().unwrap() > 0, "{s:#}");
    assert!(s["elapsed_seconds"].is_number(), "{s:#}");
    let outside = report.iter().filter(|r| r["status"] != "pended");
    assert!(outside.clone().count() > 0, "{s:#}");
    for row in outside {
        assert!(row["work_basket"].is_null(), "{row}");
    }
    for row in report.iter().filter(|r| r["status"] == "pended") {
        let basket = row["work_basket"].as_str().unwrap();
        assert_eq!(
            count(
                &mut conn,
                &format!(
                    "SELECT count(*) AS n FROM workflow_info i JOIN exec_path e \
                     ON e.workflow_info_hibid = i.hibid AND e.name = i.pend_exec_path \
                     WHERE NOT i.is_complete AND e.pend_workbasket = '{basket}'"
                )
            ),
            row["cases"].as_i64().unwrap(),
            "pended in {basket}: {s:#}"
        );
    }
    assert!(
        report.iter().any(|r| r["status"] == "pended")
            && report.iter().any(|r| r["status"] == "completed"),
        "{s:#}"
    );
    // and the planner was told: ANALYZE ran on the loaded tables (reported as the backend exits)
    let analyzed = || {
        count(
            &mut db.conn(),
            "SELECT count(*) AS n FROM pg_stat_user_tables \
             WHERE relname IN ('workflow_info', 'exec_path', 'audit_log') AND last_analyze IS NOT NULL",
        )
    };
    poll_until(
        "ANALYZE of the loaded tables",
        std::time::Duration::from_secs(5),
        || analyzed() == 3,
    );

    // the source directory is untouched
    let listing_after: BTreeMap<String, Vec<u8>> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().into_string().unwrap();
            (name, fs::read(e.path()).unwrap_or_default())
        })
        .collect();
    assert!(
        listing_before == listing_after,
        "the source directory changed"
    );
}

#[test]
fn a_second_run_imports_nothing_new_and_changes_nothing() {
    let db = pg_or_skip!(TestDb::new());
    let tmp = tempfile::tempdir().unwrap();
    let generated = generate(
        tmp.path(),
        &GenOptions {
            cases: 40,
            seed: 3,
            bad_share: 0.1,
            extras: false,
        },
    )
    .unwrap();
    migrate_files(&db, tmp.path(), &["--json"]).expect_code(3);
    let mut conn = db.conn();
    let first = snapshot(&mut conn, false);
    let run = migrate_files(&db, tmp.path(), &["--json"]).expect_code(3);
    let s = summary(&run);
    assert_eq!(s["imported"], 0, "{s:#}");
    assert_eq!(s["unchanged"], generated.good_cases.len());
    assert_eq!(
        s["rejected_files"],
        generated.bad_files.len(),
        "failed files are retried"
    );
    assert_same(&first, &snapshot(&mut conn, false));
}

fn pick_good_pended(generated: &crate::support::import::GenReport) -> String {
    generated
        .pended
        .iter()
        .find(|c| generated.good_cases.contains(c))
        .expect("some good case is pended")
        .clone()
}

#[test]
fn a_changed_file_is_reimported_or_refused_with_no_update() {
    let db = pg_or_skip!(TestDb::new());
    let tmp = tempfile::tempdir().unwrap();
    let generated = generate(
        tmp.path(),
        &GenOptions {
            cases: 30,
            seed: 5,
            ..GenOptions::default()
        },
    )
    .unwrap();
    migrate_files(&db, tmp.path(), &[]).expect_code(0);
    let case = pick_good_pended(&generated);
    let file = tmp
        .path()
        .join(format!("workflow_process_info-{case}.json"));
    let text = fs::read_to_string(&file).unwrap();
    let changed = text.replacen("\"is_complete\": false", "\"is_complete\": true", 1);
    assert_ne!(text, changed);
    fs::write(&file, changed).unwrap();
    let mut conn = db.conn();
    let before = snapshot(&mut conn, true);

    let run = migrate_files(&db, tmp.path(), &["--json", "--no-update"]).expect_code(3);
    let s = summary(&run);
    assert_eq!(s["rejects_by_class"]["changed"], 1, "{s:#}");
    assert_eq!(s["unchanged"], generated.good_cases.len() - 1);
    assert!(
        run.stderr
            .contains(&format!("workflow_process_info-{case}.json")),
        "{}",
        run.stderr
    );
    assert_same(&before, &snapshot(&mut conn, true));

    let run = migrate_files(&db, tmp.path(), &["--json"]).expect_code(0);
    let s = summary(&run);
    assert_eq!(s["imported"], 1, "{s:#}");
    let complete = count(
        &mut conn,
        &format!(
            "SELECT count(*) AS n FROM workflow_info WHERE case_id = '{case}' AND is_complete"
        ),
    );
    assert_eq!(complete, 1);
    // replaced, not duplicated
    let after = snapshot(&mut conn, false);
    for table in [
        "exec_path",
        "audit_log",
        "process_variable_value",
        "step",
        "route_branch",
    ] {
        assert_eq!(after[table].len(), before[table].len(), "{table}");
    }
}

#[test]
fn retry_reloads_the_rejected_cases_once_fixed() {
    let db = pg_or_skip!(TestDb::new());
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    let generated = generate(
        &dir,
        &GenOptions {
            cases: 24,
            seed: 9,
            bad_share: 0.1,
            extras: false,
        },
    )
    .unwrap();
    let rejects = tmp.path().join("rejects.jsonl");
    migrate_files(&db, &dir, &["--rejects", rejects.to_str().unwrap()]).expect_code(3);
    // "fix" every bad case by removing its bad files (a case then loads without them, or not at all)
    let (bad, _, case) = generated
        .bad_files
        .iter()
        .find(|(_, c, _)| c == "not_json")
        .unwrap()
        .clone();
    let good_copy = generate(
        &tmp.path().join("again"),
        &GenOptions {
            cases: 24,
            seed: 9,
            ..GenOptions::default()
        },
    )
    .unwrap();
    assert!(good_copy.good_cases.contains(&case));
    fs::copy(tmp.path().join("again").join(&bad), dir.join(&bad)).unwrap();

    let run =
        migrate_files(&db, &dir, &["--json", "--retry", rejects.to_str().unwrap()]).expect_code(3);
    let s = summary(&run);
    assert_eq!(s["imported"], 1, "{s:#}");
    assert_eq!(
        s["rejected_files"],
        generated.bad_files.len() - 1,
        "the others are still bad"
    );
    assert_eq!(s["unchanged"], 0, "only the rejected cases are looked at");
    let mut conn = db.conn();
    assert_eq!(
        count(
            &mut conn,
            &format!("SELECT count(*) AS n FROM workflow_info WHERE case_id = '{case}'")
        ),
        1
    );
}

#[test]
fn max_errors_stops_the_run_and_dry_run_writes_nothing() {
    let db = pg_or_skip!(TestDb::new());
    let tmp = tempfile::tempdir().unwrap();
    let generated = generate(
        tmp.path(),
        &GenOptions {
            cases: 60,
            seed: 4,
            bad_share: 0.2,
            extras: false,
        },
    )
    .unwrap();

    // a dry run needs no database and reports the same rejects
    let run = Run::of(
        wfctl()
            .arg("migrate-files")
            .arg(tmp.path())
            .args(["--dry-run", "--json"]),
    )
    .expect_code(3);
    let s = summary(&run);
    assert_eq!(s["dry_run"], true);
    assert_eq!(s["imported"], generated.good_cases.len());
    assert_eq!(s["rejected_files"], generated.bad_files.len());
    let mut conn = db.conn();
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM wfctl_import_ledger"),
        0
    );

    let run = migrate_files(
        &db,
        tmp.path(),
        &[
            "--json",
            "--max-errors",
            "2",
            "--batch-size",
            "1",
            "--jobs",
            "1",
        ],
    )
    .expect_code(3);
    let s = summary(&run);
    assert_eq!(s["stopped_early"], true, "{s:#}");
    assert!(s["rejected_files"].as_u64().unwrap() >= 2);
    assert!(
        s["imported"].as_u64().unwrap() < generated.good_cases.len() as u64,
        "{s:#}"
    );
    assert!(run.stderr.contains("max-errors"), "{}", run.stderr);
}

#[test]
fn usage_errors_and_a_missing_database() {
    let tmp = tempfile::tempdir().unwrap();
    Run::of(wfctl().arg("migrate-files").arg(tmp.path().join("nope"))).expect_code(2);
    let run = Run::of(wfctl().arg("migrate-files").arg(tmp.path())).expect_code(78);
    assert!(run.stderr.contains("DATABASE_URL"), "{}", run.stderr);
    fs::write(tmp.path().join("bad.jsonl"), "not json\n").unwrap();
    let run = Run::of(
        wfctl()
            .arg("migrate-files")
            .arg(tmp.path())
            .args(["--dry-run", "--retry"])
            .arg(tmp.path().join("bad.jsonl")),
    )
    .expect_code(2);
    assert!(run.stderr.contains("bad.jsonl:1"), "{}", run.stderr);
}

#[test]
fn verify_reports_a_case_that_differs_from_its_source() {
    let db = pg_or_skip!(TestDb::new());
    let tmp = tempfile::tempdir().unwrap();
    let generated = generate(
        tmp.path(),
        &GenOptions {
            cases: 12,
            seed: 8,
            ..GenOptions::default()
        },
    )
    .unwrap();
    migrate_files(&db, tmp.path(), &["--verify"]).expect_code(0);
    let case = &generated.good_cases[3];
    let mut conn = db.conn();
    diesel::RunQueryDsl::execute(
        diesel::sql_query(format!(
            "UPDATE process_variable_value SET value_long = value_long + 1 WHERE name = 'amount_cents' \
             AND workflow_variables_id = (SELECT id FROM workflow_variables WHERE workflow_info_hibid = 'workflow_process_info-{case}')"
        )),
        &mut conn,
    )
    .unwrap();
    diesel::RunQueryDsl::execute(
        diesel::sql_query(format!(
            "DELETE FROM audit_log WHERE case_id = '{}' AND sequence = 1",
            generated.good_cases[5]
        )),
        &mut conn,
    )
    .unwrap();
    let run = migrate_files(&db, tmp.path(), &["--verify", "--json"]).expect_code(3);
    let s = summary(&run);
    assert_eq!(s["verify"]["differing_cases"], 2, "{s:#}");
    assert!(
        run.stderr.contains(&format!("case {case}: process info")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("audit records in the database"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_case_with_an_unfinished_file_store_write_is_left_for_later() {
    let db = pg_or_skip!(TestDb::new());
    let tmp = tempfile::tempdir().unwrap();
    let generated = generate(
        tmp.path(),
        &GenOptions {
            cases: 6,
            seed: 2,
            ..GenOptions::default()
        },
    )
    .unwrap();
    let case = &generated.good_cases[2];
    fs::create_dir(tmp.path().join(".journal")).unwrap();
    fs::write(
        tmp.path().join(".journal").join(format!("{case}.json")),
        "{}",
    )
    .unwrap();
    let run = migrate_files(&db, tmp.path(), &["--json"]).expect_code(3);
    let s = summary(&run);
    assert_eq!(s["imported"], 5, "{s:#}");
    assert_eq!(s["rejects_by_class"]["locked"], 1, "{s:#}");
    assert!(run.stderr.contains("unfinished write"), "{}", run.stderr);
    // once the file store has finished the write, the case loads
    fs::remove_file(tmp.path().join(".journal").join(format!("{case}.json"))).unwrap();
    let s = summary(&migrate_files(&db, tmp.path(), &["--json"]).expect_code(0));
    assert_eq!(s["imported"], 1, "{s:#}");
    assert_eq!(s["unchanged"], 5, "{s:#}");
}

#[test]
fn cases_that_exist_in_the_database_or_are_locked_are_not_touched() {
    use diesel::connection::SimpleConnection;
    let db = pg_or_skip!(TestDb::new());
    let tmp = tempfile::tempdir().unwrap();
    let generated = generate(
        tmp.path(),
        &GenOptions {
            cases: 8,
            seed: 12,
            ..GenOptions::default()
        },
    )
    .unwrap();
    let (started_in_pg, running) = (&generated.good_cases[1], &generated.good_cases[4]);
    let mut conn = db.conn();
    // a case started in PostgreSQL under the same id: never overwritten by an import
    conn.batch_execute(&format!(
        "INSERT INTO workflow_info (hibid, case_id, ts, is_complete) \
         VALUES ('workflow_process_info-{started_in_pg}', '{started_in_pg}', 1, false)"
    ))
    .unwrap();
    // a case being run right now by a wfctl process (its case lock is held)
    let mut holder = db.conn();
    holder
        .batch_execute(&format!(
            "SELECT pg_advisory_lock(hashtextextended('wfctl-case:' || '{running}', 0))"
        ))
        .unwrap();
    let run = migrate_files(&db, tmp.path(), &["--json"]).expect_code(3);
    let s = summary(&run);
    assert_eq!(s["imported"], 6, "{s:#}");
    assert_eq!(s["rejects_by_class"]["conflict"], 1, "{s:#}");
    assert_eq!(s["rejects_by_class"]["locked"], 1, "{s:#}");
    assert_eq!(
        count(
            &mut conn,
            &format!(
                "SELECT count(*) AS n FROM exec_path WHERE workflow_info_hibid = 'workflow_process_info-{started_in_pg}'"
            )
        ),
        0,
        "the case started in PostgreSQL keeps its own rows"
    );
    // a second import while one runs: exit 75
    let mut importer = db.conn();
    importer
        .batch_execute("SELECT pg_advisory_lock(hashtextextended('wfctl-import', 0))")
        .unwrap();
    let busy = migrate_files(&db, tmp.path(), &[]).expect_code(75);
    assert!(
        busy.stderr.contains("another wfctl migrate-files"),
        "{}",
        busy.stderr
    );
    drop(importer);
    // once the run ends, the locked case is imported; the conflicting one still is not
    drop(holder);
    let s = summary(&migrate_files(&db, tmp.path(), &["--json"]).expect_code(3));
    assert_eq!(s["imported"], 1, "{s:#}");
    assert_eq!(s["rejects_by_class"]["conflict"], 1, "{s:#}");
}

#[test]
fn a_listing_spilled_to_temporary_files_groups_the_same_cases() {
    let tmp = tempfile::tempdir().unwrap();
    let generated = generate(
        tmp.path(),
        &GenOptions {
            cases: 50,
            seed: 13,
            bad_share: 0.1,
            extras: true,
        },
    )
    .unwrap();
    let run = |threshold: usize| {
        let mut options = wfctl::import::Options::new(tmp.path());
        options.dry_run = true;
        options.scan.spill_threshold = threshold;
        options.scan.partitions = 7;
        let mut rejects = Vec::new();
        let mut spilled = false;
        let summary = wfctl::import::run(
            &options,
            None,
            std::time::Duration::from_secs(5),
            &mut |event| match event {
                wfctl::import::Event::Rejected(r) => rejects.push((r.path.clone(), r.class)),
                wfctl::import::Event::Listed(l) => spilled = l.spilled,
                _ => {}
            },
        )
        .unwrap();
        rejects.sort();
        (summary, rejects, spilled)
    };
    let (in_memory, rejects_a, spilled_a) = run(1_000_000);
    let (spilled, rejects_b, spilled_b) = run(10);
    assert!(
        !spilled_a && spilled_b,
        "the second run spilled its listing"
    );
    assert_eq!(in_memory.imported, generated.good_cases.len() as u64);
    assert_eq!(spilled.imported, in_memory.imported);
    assert_eq!(spilled.cases, in_memory.cases);
    assert_eq!(spilled.orphan_files, in_memory.orphan_files);
    assert_eq!(rejects_a, rejects_b);
    assert_eq!(rejects_a.len(), generated.bad_files.len());
}

/// Variable names no store could take as they are (empty, a control character, longer than
/// the 255-character column, twice in one case) reject the case with their class, naming the
/// file and the variable (escaped); nothing of the case is imported, the other cases are.
#[test]
fn odd_variable_names_reject_their_case_whole_naming_file_and_variable() {
    let db = pg_or_skip!(TestDb::new());
    let tmp = tempfile::tempdir().unwrap();
    let generated = generate(
        tmp.path(),
        &GenOptions {
            cases: 6,
            seed: 5,
            ..GenOptions::default()
        },
    )
    .unwrap();
    let var = |name: &str, value: &str| serde_json::json!({"name": name, "value": value, "type": "string"});
    let long = "n".repeat(256);
    let odd = [
        (
            vec![var("ok", "1"), var("", "2")],
            "\"\" is empty",
            "invalid",
        ),
        (
            vec![var("a\nb\u{1b}[31m", "1")],
            "\"a\\nb\\u{1b}[31m\" contains a control character",
            "invalid",
        ),
        (
            vec![var(&long, "1")],
            "is longer than 255 characters",
            "invalid",
        ),
        (
            vec![var("twice", "1"), var("other", "2"), var("twice", "3")],
            "\"twice\" is defined twice in the case",
            "duplicate",
        ),
    ];
    let cases: Vec<String> = generated.good_cases[..odd.len()].to_vec();
    for (case, (vars, _, _)) in cases.iter().zip(&odd) {
        let path = tmp
            .path()
            .join(format!("workflow_process_info-{case}.json"));
        let mut doc: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        doc["process_info"]["process_variables"] = serde_json::Value::Array(vars.clone());
        fs::write(&path, serde_json::to_string(&doc).unwrap()).unwrap();
    }
    let run = migrate_files(&db, tmp.path(), &["--json"]).expect_code(3);
    let s = summary(&run);
    assert_eq!(s["imported"], 2, "{s:#}");
    assert_eq!(s["rejects_by_class"]["invalid"], 3, "{s:#}");
    assert_eq!(s["rejects_by_class"]["duplicate"], 1, "{s:#}");
    for (case, (_, said, _)) in cases.iter().zip(&odd) {
        let line = run.stderr.lines().find(|l| {
            l.contains(&format!("workflow_process_info-{case}.json")) && l.contains(said)
        });
        assert!(line.is_some(), "{case}: {said}: {}", run.stderr);
    }
    assert!(!run.stderr.contains('\u{1b}'), "a raw ESC: {}", run.stderr);
    let mut conn = db.conn();
    for case in &cases {
        let rows = count(
            &mut conn,
            &format!("SELECT count(*) AS n FROM workflow_definition WHERE case_id = '{case}'"),
        );
        assert_eq!(rows, 0, "{case} not imported half");
    }
}

/// A directory with a store record's name is refused like a FIFO (the file store itself calls
/// it corrupt): its case is rejected with the reason and not imported without that record.
#[test]
fn a_directory_named_like_a_record_rejects_its_case() {
    let db = pg_or_skip!(TestDb::new());
    let tmp = tempfile::tempdir().unwrap();
    let generated = generate(
        tmp.path(),
        &GenOptions {
            cases: 6,
            seed: 3,
            ..GenOptions::default()
        },
    )
    .unwrap();
    let case = &generated.good_cases[1];
    let audit = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|n| n.starts_with(&format!("audit_log-{case}_")))
        .expect("the case has an audit record");
    fs::remove_file(tmp.path().join(&audit)).unwrap();
    fs::create_dir(tmp.path().join(&audit)).unwrap();
    let run = migrate_files(&db, tmp.path(), &["--json"]).expect_code(3);
    let s = summary(&run);
    assert_eq!(s["imported"], 5, "{s:#}");
    assert_eq!(s["rejects_by_class"]["unreadable"], 1, "{s:#}");
    assert!(run.stderr.contains(&audit), "{}", run.stderr);
}
