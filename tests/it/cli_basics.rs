//! Exit codes and error lines that need no database.

use crate::support::{Run, wfctl};

#[test]
fn unreachable_database_exits_69_without_the_password() {
    let run = Run::of(wfctl().args([
        "--database-url",
        "postgres://alice:SuperSecret99@127.0.0.1:1/workflow_db",
        "db",
        "status",
    ]))
    .expect_code(69);
    assert!(
        run.stderr
            .contains("postgres://alice:***@127.0.0.1:1/workflow_db"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("SuperSecret99"), "{}", run.stderr);
    assert!(!run.stdout.contains("SuperSecret99"));
    assert_eq!(run.stderr.lines().count(), 1, "one line: {}", run.stderr);
}

#[test]
fn password_from_environment_is_not_printed_either() {
    let run = Run::of(
        wfctl()
            .env(
                "DATABASE_URL",
                "postgresql://bob:Hunter2Pass@127.0.0.1:1/db?sslmode=disable",
            )
            .args(["db", "migrate"]),
    )
    .expect_code(69);
    assert!(!run.stderr.contains("Hunter2Pass"), "{}", run.stderr);
}

#[test]
fn bad_config_key_exits_78_naming_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("wfctl.toml"),
        "[database]\nurl = \"postgres://u@h/db\"\npool_sise = 4\n",
    )
    .unwrap();
    let run = Run::of(wfctl().current_dir(dir.path()).args(["db", "status"])).expect_code(78);
    assert!(run.stderr.contains("wfctl.toml"), "{}", run.stderr);
    assert!(run.stderr.contains("pool_sise"), "{}", run.stderr);
    assert!(run.stderr.contains("line 3"), "{}", run.stderr);
}

#[test]
fn missing_config_file_exits_78() {
    let run = Run::of(wfctl().args(["--config", "/nonexistent/wfctl.toml", "db", "status"]))
        .expect_code(78);
    assert!(
        run.stderr.contains("/nonexistent/wfctl.toml"),
        "{}",
        run.stderr
    );
}

#[test]
fn no_database_configured_exits_78() {
    let dir = tempfile::tempdir().unwrap();
    let run = Run::of(wfctl().current_dir(dir.path()).args(["db", "status"])).expect_code(78);
    assert!(run.stderr.contains("DATABASE_URL"), "{}", run.stderr);
}

#[test]
fn bad_url_scheme_exits_78() {
    let run = Run::of(wfctl().args(["--database-url", "mysql://u:pw@h/db", "db", "status"]))
        .expect_code(78);
    // names what is wrong, never repeats the string (a mistyped URL may hold the password)
    assert!(
        run.stderr.contains("--database-url") && run.stderr.contains("scheme is not postgres"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("pw"), "{}", run.stderr);
}

#[test]
fn usage_error_exits_2() {
    Run::of(wfctl().args(["db", "frobnicate"])).expect_code(2);
}

#[test]
fn help_lists_exit_codes() {
    let run = Run::of(wfctl().arg("--help")).expect_code(0);
    assert!(
        run.stdout.contains("69  database unreachable"),
        "{}",
        run.stdout
    );
}

/// Which store `case list` used: the PostgreSQL URL (exit 69 for the unreachable one given) or
/// the file store directory it names as missing (a read command creates nothing).
fn store_chosen(cmd: &mut std::process::Command, cwd: &std::path::Path) -> String {
    let run = Run::of(cmd.current_dir(cwd).args(["case", "list"]));
    match run.code {
        69 => "postgres".to_owned(),
        1 if run.stderr.contains("no file store at ") => {
            let named = run
                .stderr
                .split("no file store at ")
                .nth(1)
                .unwrap_or_default();
            let dir = named.split(" (").next().unwrap_or_default();
            assert!(!cwd.join(dir).exists(), "case list created {dir}");
            std::path::Path::new(dir)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        }
        other => panic!("case list exited {other:?}: {}", run.stderr),
    }
}

#[test]
fn flags_beat_environment_beats_the_config_file_beats_defaults() {
    const UNREACHABLE: &str = "postgres://u:pw@127.0.0.1:1/db";
    let config = |dir: &std::path::Path, text: &str| {
        std::fs::write(dir.join("wfctl.toml"), text).unwrap();
    };
    let fresh = || tempfile::tempdir().unwrap();

    let d = fresh();
    assert_eq!(store_chosen(&mut wfctl(), d.path()), "workflow-data");

    let d = fresh();
    config(d.path(), "[store]\ndir = \"config-dir\"\n");
    assert_eq!(store_chosen(&mut wfctl(), d.path()), "config-dir");

    // DATABASE_URL in the environment beats the file's [store] dir
    let d = fresh();
    config(d.path(), "[store]\ndir = \"config-dir\"\n");
    assert_eq!(
        store_chosen(wfctl().env("DATABASE_URL", UNREACHABLE), d.path()),
        "postgres"
    );

    // WFCTL_STORE in the environment beats the file's [database] url
    let d = fresh();
    config(d.path(), &format!("[database]\nurl = \"{UNREACHABLE}\"\n"));
    assert_eq!(store_chosen(&mut wfctl(), d.path()), "postgres");
    assert_eq!(
        store_chosen(wfctl().env("WFCTL_STORE", "env-dir"), d.path()),
        "env-dir"
    );

    // a flag beats the environment
    let d = fresh();
    assert_eq!(
        store_chosen(
            wfctl()
                .env("DATABASE_URL", UNREACHABLE)
                .args(["--store", "flag-dir"]),
            d.path()
        ),
        "flag-dir"
    );
    let d = fresh();
    assert_eq!(
        store_chosen(
            wfctl()
                .env("WFCTL_STORE", "env-dir")
                .args(["--database-url", UNREACHABLE]),
            d.path()
        ),
        "postgres",
        "--database-url beats WFCTL_STORE"
    );
    let d = fresh();
    assert_eq!(
        store_chosen(
            wfctl().args(["--store", "flag-dir", "--database-url", UNREACHABLE]),
            d.path()
        ),
        "flag-dir",
        "within one level a store directory beats a URL"
    );
}

#[test]
fn libpq_environment_names_the_database_when_no_url_is_given() {
    let run = Run::of(
        wfctl()
            .env("PGHOST", "127.0.0.1")
            .env("PGPORT", "1")
            .env("PGDATABASE", "libpq_db")
            .args(["db", "status"]),
    )
    .expect_code(69);
    assert!(run.stderr.contains("127.0.0.1"), "{}", run.stderr);
}

#[test]
fn reopen_has_no_flag_that_does_nothing() {
    // --pend-workbasket alone decides whether a reopened case pends first; a flag that only
    // repeated it would let a script believe it chose something
    let dir = tempfile::tempdir().unwrap();
    let run = Run::of(wfctl().current_dir(dir.path()).args([
        "case",
        "reopen",
        "1",
        "--ticket",
        "t",
        "--pend-workbasket",
        "w",
        "--pend-before-resume",
    ]))
    .expect_code(2);
    assert!(
        run.stderr.contains("--pend-before-resume"),
        "{}",
        run.stderr
    );
}

/// Retention counts whole days: `--keep 1s` or `--keep 12h` is refused naming the flag and the
/// days either side (before: rounded up to a day, so `--keep 1s` kept a whole day's backups).
#[test]
fn a_retention_age_that_is_not_whole_days_is_refused() {
    for command in ["backup", "basebackup"] {
        for age in ["1s", "12h", "36h", "0.5"] {
            let run =
                Run::of(wfctl().args(["db", command, "--dir", "bk", "--keep", age, "--dry-run"]));
            assert_eq!(run.code, 2, "db {command} --keep {age}: {}", run.stderr);
            assert!(
                run.stderr.contains("--keep") && run.stderr.contains("whole days"),
                "db {command} --keep {age}: {}",
                run.stderr
            );
        }
    }
}
