//! Backup then restore gives the same database: row counts, every row of sample cases, whole
//! tables. Also the seed script's own `pg_dump | gzip` files, `verify --restore-test`, and
//! `db backups` with `--check-fresh`.

use std::process::Command;

use crate::pg_or_skip;
use crate::support::backup::*;
use crate::support::{Run, wfctl};

/// Backs up `db` in `format`, restores into a new database, and compares everything.
fn round_trip(format: &str, ext: &str) {
    let db = pg_or_skip!(db_with_cases(120));
    let dir = tempfile::tempdir().unwrap();
    let dir_arg = dir.path().to_str().unwrap();
    let run = Run::of(wfctl_db(&db.url).args(["backup", "--dir", dir_arg, "--format", format]))
        .expect_code(0);
    assert!(run.stderr.contains("rows in"), "{}", run.stderr);
    let file = only_backup(dir.path(), ext);
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{}.manifest.json", file.display())).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest["row_counts"]["public.audit_log"], 1200);
    assert_eq!(manifest["row_counts"]["public.workflow_info"], 120);
    assert_eq!(
        manifest["migration_version"],
        wfctl::db::migrate::latest_version()
    );
    assert_eq!(
        manifest["size"],
        std::fs::metadata(&file).unwrap().len(),
        "{manifest}"
    );
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let target = format!("{}_restored_{format}", db.name).replace('-', "_");
    let run = Run::of(wfctl_db(&db.url).args([
        "--json",
        "restore",
        file.to_str().unwrap(),
        "--target-db",
        &target,
        "--create",
    ]))
    .expect_code(0);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["counts_match"], true, "{report}");
    assert_eq!(report["analyzed"], true);

    let mut source = db.conn();
    let mut restored: diesel::PgConnection =
        diesel::Connection::establish(&url_of(&db, &target)).unwrap();
    assert_eq!(counts(&mut source), counts(&mut restored));
    let sample = sample_cases(&mut source, 5);
    assert_eq!(sample.len(), 5);
    let rows = case_rows(&mut source, &sample);
    assert!(rows.contains("\"audit_log\" : [{"), "{rows}");
    assert_eq!(rows, case_rows(&mut restored, &sample));
    // what an operator sees: `case show` and `case history` answer the same on both
    let restored_url = url_of(&db, &target);
    for case in &sample {
        for command in ["show", "history"] {
            let shown = |url: &str| {
                Run::of(
                    wfctl()
                        .env("DATABASE_URL", url)
                        .args(["--json", "case", command, case]),
                )
                .expect_code(0)
                .stdout
            };
            let before = shown(&db.url);
            assert!(before.contains(case.as_str()), "{before}");
            assert_eq!(before, shown(&restored_url), "case {command} {case}");
        }
    }
    for (table, order) in [
        ("workflow_info", "hibid"),
        ("exec_path", "id"),
        ("audit_log", "id"),
        ("process_variable_value", "id"),
        ("milestone", "id"),
    ] {
        assert_eq!(
            table_md5(&mut source, table, order),
            table_md5(&mut restored, table, order),
            "{table}"
        );
    }
    drop(restored);
    drop_database(&db, &target);
}

/// `db verify FILE --restore-test --json`, expected to pass.
fn restore_test_json(url: &str, file: &std::path::Path) -> serde_json::Value {
    let run =
        Run::of(wfctl_db(url).args(["--json", "verify", file.to_str().unwrap(), "--restore-test"]))
            .expect_code(0);
    serde_json::from_str(&run.stdout).unwrap()
}

#[test]
fn backup_restore_sql_gz_gives_identical_rows() {
    round_trip("sql-gz", ".sql.gz");
}

#[test]
fn backup_restore_custom_format_gives_identical_rows() {
    round_trip("custom", ".dump");
}

#[test]
fn backup_of_the_seed_script_verifies_and_restores() {
    let db = pg_or_skip!(db_with_cases(40));
    let dir = tempfile::tempdir().unwrap();
    // The guide's backup-workflow-db.sh: pg_dump | gzip, no manifest.
    let file = dir.path().join("workflow_db_20240101_020000.sql.gz");
    let status = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "set -o pipefail; '{}' '{}' | gzip > '{}'",
            pg_program("pg_dump").display(),
            db.url,
            file.display()
        ))
        .status()
        .unwrap();
    assert!(status.success());

    let run = Run::of(wfctl_db(&db.url).args(["verify", file.to_str().unwrap()])).expect_code(0);
    assert!(
        // a pipe table writes the `|` of a cell as `\|`
        run.stdout.contains("none (a plain pg_dump \\| gzip file)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("no checksum to compare"),
        "{}",
        run.stderr
    );
    assert!(!run.stdout.contains("sha256"), "{}", run.stdout);
    // the guide's disaster-recovery test works on its own backups too
    let report = restore_test_json(&db.url, &file);
    assert!(
        !report["restore_test"]["sampled_cases"]
            .as_array()
            .unwrap()
            .is_empty(),
        "{report:#}"
    );

    let target = format!("{}_seed", db.name);
    let run = Run::of(wfctl_db(&db.url).args([
        "restore",
        file.to_str().unwrap(),
        "--target-db",
        &target,
        "--create",
    ]))
    .expect_code(0);
    assert!(run.stderr.contains("has no manifest"), "{}", run.stderr);
    let mut restored: diesel::PgConnection =
        diesel::Connection::establish(&url_of(&db, &target)).unwrap();
    assert_eq!(counts(&mut db.conn()), counts(&mut restored));
    drop(restored);
    drop_database(&db, &target);

    // `db backups` shows it as a legacy file, never as a good backup.
    let run = Run::of(wfctl_db(&db.url).args([
        "--json",
        "backups",
        "--dir",
        dir.path().to_str().unwrap(),
        "--check-fresh",
        "1h",
    ]))
    .expect_code(3);
    let listed: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(listed["backups"][0]["kind"], "legacy");
    assert_eq!(listed["backups"][0]["good"], false);
    assert!(run.stderr.contains("no good backup"), "{}", run.stderr);
}

#[test]
fn verify_restore_test_restores_compares_and_drops() {
    let db = pg_or_skip!(db_with_cases(30));
    let dir = tempfile::tempdir().unwrap();
    Run::of(wfctl_db(&db.url).args(["backup", "--dir", dir.path().to_str().unwrap()]))
        .expect_code(0);
    let file = only_backup(dir.path(), ".sql.gz");
    let report = restore_test_json(&db.url, &file);
    assert_eq!(report["ok"], true);
    assert_eq!(report["restore_test"]["counts_match"], true, "{report}");
    assert_eq!(
        report["restore_test"]["migration_version"],
        wfctl::db::migrate::latest_version()
    );
    let checked = report["restore_test"]["counts"].as_array().unwrap();
    assert!(
        checked
            .iter()
            .any(|c| c["table"] == "public.audit_log" && c["found"] == 300)
    );
    // a sample of cases was read back the way `case show` reads them
    let sampled = report["restore_test"]["sampled_cases"].as_array().unwrap();
    assert!(
        (3..=5).contains(&sampled.len()),
        "{}",
        report["restore_test"]["sampled_cases"]
    );
    for case in sampled {
        assert_eq!(case["error"], serde_json::Value::Null, "{case}");
        assert!(case["audit_records"].as_u64().unwrap() > 0, "{case}");
    }
    // The throwaway database is gone.
    let throwaway = report["restore_test"]["target"].as_str().unwrap();
    assert!(throwaway.starts_with("wfctl_verify_"));
    assert!(!database_exists(&db, throwaway));
    // The result is recorded for `db backups`.
    let run = Run::of(wfctl_db(&db.url).args(["backups", "--dir", dir.path().to_str().unwrap()]))
        .expect_code(0);
    assert!(run.stdout.contains("restore-test"), "{}", run.stdout);
}

#[test]
fn verify_restore_test_fails_on_unreadable_cases_and_on_count_differences() {
    let db = pg_or_skip!(db_with_cases(12));
    // documents that no longer load: every row is there, but `case history` cannot read them
    diesel::connection::SimpleConnection::batch_execute(
        &mut db.conn(),
        "UPDATE audit_log SET log_data = '{\"process_info\": {\"is_complete\": \"no\"}}'",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    Run::of(wfctl_db(&db.url).args(["backup", "--dir", dir.path().to_str().unwrap()]))
        .expect_code(0);
    let file = only_backup(dir.path(), ".sql.gz");
    let verify =
        || Run::of(wfctl_db(&db.url).args(["verify", file.to_str().unwrap(), "--restore-test"]));
    let run = verify().expect_code(3);
    assert!(
        run.stderr
            .contains("restored cases that cannot be read: C0"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("log_data"), "{}", run.stdout);

    // a manifest that promises more rows than the backup holds
    let manifest_path = format!("{}.manifest.json", file.display());
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    manifest["row_counts"]["public.workflow_info"] = serde_json::json!(13);
    std::fs::write(&manifest_path, manifest.to_string()).unwrap();
    let run = verify().expect_code(3);
    assert!(run.stderr.contains("row counts differ"), "{}", run.stderr);
    assert!(run.stdout.contains("DIFFERS"), "{}", run.stdout);
}

#[test]
fn backups_lists_and_check_fresh_exits_3_when_stale() {
    let db = pg_or_skip!(db_with_cases(5));
    let dir = tempfile::tempdir().unwrap();
    let dir_arg = dir.path().to_str().unwrap();
    Run::of(wfctl_db(&db.url).args(["backups", "--dir", dir_arg, "--check-fresh", "26h"]))
        .expect_code(3);
    // Cron: nothing at all on success with -q.
    let quiet = Run::of(wfctl_db(&db.url).args(["-q", "backup", "--dir", dir_arg])).expect_code(0);
    assert_eq!((quiet.stdout.as_str(), quiet.stderr.as_str()), ("", ""));
    let run = Run::of(wfctl_db(&db.url).args([
        "--json",
        "backups",
        "--dir",
        dir_arg,
        "--check-fresh",
        "26h",
    ]))
    .expect_code(0);
    let listed: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(listed["fresh"], true);
    assert_eq!(listed["backups"][0]["good"], true);
    assert_eq!(listed["backups"][0]["database"], db.name.as_str());
    let table = Run::of(wfctl_db(&db.url).args(["backups", "--dir", dir_arg])).expect_code(0);
    assert!(table.stdout.contains("not verified"), "{}", table.stdout);

    // Two days old by its manifest (the file's mtime stays new): stale.
    let file = only_backup(dir.path(), ".sql.gz");
    let manifest_path = format!("{}.manifest.json", file.display());
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    let old = chrono::Utc::now() - chrono::Duration::hours(49);
    manifest["started_at"] = serde_json::json!(old.to_rfc3339());
    std::fs::write(&manifest_path, manifest.to_string()).unwrap();
    let run =
        Run::of(wfctl_db(&db.url).args(["backups", "--dir", dir_arg, "--check-fresh", "26h"]))
            .expect_code(3);
    assert!(
        run.stderr.contains("2d 1h old (limit 1d 2h)"),
        "{}",
        run.stderr
    );
    Run::of(wfctl_db(&db.url).args(["backups", "--dir", dir_arg, "--check-fresh", "3d"]))
        .expect_code(0);
}

#[test]
fn a_backup_of_an_older_schema_passes_the_restore_test_without_reading_cases() {
    use diesel_migrations::MigrationHarness;
    let db = pg_or_skip!(crate::support::TestDb::empty());
    let mut conn = db.conn();
    let all = wfctl::db::migrate::embedded().len();
    for _ in 1..all {
        conn.run_next_migration(wfctl::db::migrate::MIGRATIONS)
            .unwrap();
    }
    drop(conn);
    let dir = tempfile::tempdir().unwrap();
    Run::of(wfctl_db(&db.url).args(["backup", "--dir", dir.path().to_str().unwrap()]))
        .expect_code(0);
    let file = only_backup(dir.path(), ".sql.gz");
    let run = Run::of(wfctl_db(&db.url).args(["verify", file.to_str().unwrap(), "--restore-test"]))
        .expect_code(0);
    assert!(
        run.stderr.contains(
            "cases not read back: the backup's schema is not at this wfctl's newest migration"
        ),
        "{}",
        run.stderr
    );
}

/// On a terminal, a backup shows a progress line (bytes and rate) and clears it; `-q` shows
/// nothing. The terminal is a pseudo-terminal from util-linux's `script`.
#[test]
fn a_terminal_sees_the_progress_line() {
    if Command::new("script").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("WFCTL_REQUIRE_PG").is_none(),
            "script (util-linux) is needed"
        );
        return;
    }
    let db = pg_or_skip!(db_with_cases(3000));
    let dir = tempfile::tempdir().unwrap();
    let on_terminal = |quiet: &str| {
        let line = format!(
            "'{}' {quiet} db backup --dir '{}'",
            crate::support::wfctl_path().display(),
            dir.path().display()
        );
        let out = Command::new("script")
            .args(["-qec", &line, "/dev/null"])
            .env("DATABASE_URL", &db.url)
            .env("TERM", "xterm")
            .env_remove("NO_COLOR")
            // wfctl draws no progress under CI=true (CI logs are no terminal)
            .env_remove("CI")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let shown = on_terminal("");
    assert!(
        shown.contains("/s), written"),
        "no progress line on the terminal: {shown:?}"
    );
    let quiet = on_terminal("-q");
    assert_eq!(quiet, "", "-q prints nothing on success");
}
