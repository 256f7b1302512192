//! Error messages that say what to do next: the command or flag that helps, the limit that ran
//! out, and a connection failure that names the (redacted) URL once with the server's reason.

use diesel::connection::SimpleConnection;

use crate::pg_or_skip;
use crate::support::case_env::{Env, INBOX_JOURNEY};
use crate::support::{Run, TestDb, wfctl};

fn inbox_env() -> (Env, String) {
    let env = Env::files();
    env.config(
        "[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nbuiltin = \"proceed\"\n",
    );
    let journey = env.write("inbox.json", INBOX_JOURNEY).display().to_string();
    (env, journey)
}

#[track_caller]
fn one_line(stderr: &str) {
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
}

#[test]
fn resuming_a_completed_case_points_to_reopen() {
    let (env, journey) = inbox_env();
    env.run(&[
        "case",
        "start",
        "--journey",
        &journey,
        "--case-id",
        "done-1",
    ])
    .expect_code(0);
    env.run(&["case", "resume", "done-1"]).expect_code(0);
    let run = env.run(&["case", "resume", "done-1"]).expect_code(1);
    assert!(
        run.stderr
            .contains("wfctl case reopen done-1 --ticket TICKET"),
        "{}",
        run.stderr
    );
    one_line(&run.stderr);
}

#[test]
fn a_wait_that_runs_out_says_so() {
    let (env, journey) = inbox_env();
    env.run(&["case", "start", "--journey", &journey, "--case-id", "busy"])
        .expect_code(0);
    let crate::support::case_env::Backend::Files(store) = &env.backend else {
        unreachable!("inbox_env uses the file store")
    };
    // held the way another wfctl process holds it
    let locks = store.join(".locks");
    std::fs::create_dir_all(&locks).unwrap();
    let held = std::fs::File::create(locks.join("busy.lock")).unwrap();
    held.lock().unwrap();
    let run = env
        .run(&["case", "resume", "busy", "--wait", "1s"])
        .expect_code(75);
    assert!(
        run.stderr.contains("still held after waiting 1s"),
        "{}",
        run.stderr
    );
    one_line(&run.stderr);
    // the wait in the one printed form of durations (not humantime's `1s 500ms`)
    let run = env
        .run(&["case", "resume", "busy", "--wait", "1.5"])
        .expect_code(75);
    assert!(
        run.stderr.contains("still held after waiting 1s;"),
        "{}",
        run.stderr
    );
    // every case command says it the same way: cancel and set-var too (before, cancel said
    // "another process is working on it ... wait with --wait 30s" after waiting)
    for args in [
        &["case", "cancel", "busy", "--reason", "r", "--wait", "1s"][..],
        &[
            "case",
            "set-var",
            "busy",
            "--var",
            "a=string:b",
            "--wait",
            "1s",
        ][..],
    ] {
        let run = env.run(args).expect_code(75);
        assert!(
            run.stderr.contains("still held after waiting 1s;")
                && run.stderr.contains("a larger --wait"),
            "{args:?}: {}",
            run.stderr
        );
        one_line(&run.stderr);
    }
    drop(held);
}

#[test]
fn a_bare_duration_for_at_suggests_a_signed_offset() {
    let run = Run::of(wfctl().args(["sla", "due", "--at", "5h"])).expect_code(2);
    assert!(run.stderr.contains("+5h"), "{}", run.stderr);
    assert!(run.stderr.contains("-5h"), "{}", run.stderr);
    one_line(&run.stderr);
}

#[test]
fn a_bulk_option_without_all_says_all_is_missing() {
    for args in [
        &["case", "resume", "--workbasket", "inbox"][..],
        &["case", "resume", "c1", "--workbasket", "inbox"],
        &[
            "case",
            "change-workbasket",
            "--workbasket",
            "inbox",
            "later",
        ],
    ] {
        let run = Run::of(wfctl().args(args)).expect_code(2);
        assert!(
            run.stderr
                .contains("--workbasket selects cases in bulk and needs --all"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("<ID>"), "{args:?}: {}", run.stderr);
        one_line(&run.stderr);
    }
    // and a resume with neither an id nor --all asks for one of them
    let run = Run::of(wfctl().args(["case", "resume"])).expect_code(2);
    assert!(
        run.stderr.contains("--all --workbasket W"),
        "{}",
        run.stderr
    );
}

#[test]
fn migrating_a_database_built_from_the_guide_points_to_adopt() {
    let db = pg_or_skip!(TestDb::empty());
    let guide = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations/00000000000001_seed_schema/up.sql"),
    )
    .unwrap();
    db.conn().batch_execute(&guide).unwrap();
    let run = Run::of(wfctl().args(["--database-url", &db.url, "db", "migrate"])).expect_code(78);
    assert!(
        run.stderr.contains("wfctl db migrate --adopt"),
        "{}",
        run.stderr
    );
    one_line(&run.stderr);
}

#[test]
fn a_connection_error_names_the_redacted_url_once_with_the_reason_intact() {
    // nothing listens on port 1
    let url = "postgres://bob:s3cret-pw@127.0.0.1:1/orders";
    for args in [
        &["case", "list"][..],
        &["db", "status"],
        &["diag", "health"],
    ] {
        let run = Run::of(wfctl().args(["--database-url", url]).args(args)).expect_code(69);
        assert!(
            !run.stderr.contains("s3cret-pw"),
            "{args:?}: {}",
            run.stderr
        );
        assert_eq!(
            run.stderr
                .matches("postgres://bob:***@127.0.0.1:1/orders")
                .count(),
            1,
            "{args:?}: {}",
            run.stderr
        );
        // libpq's two lines stay two sentences, not run together
        assert!(
            run.stderr
                .contains("Connection refused; Is the server running"),
            "{args:?}: {}",
            run.stderr
        );
        one_line(&run.stderr);
    }
}

#[test]
fn an_unmigrated_database_points_to_db_migrate() {
    let empty = pg_or_skip!(TestDb::empty());
    let guide_only = pg_or_skip!(TestDb::empty());
    let guide = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations/00000000000001_seed_schema/up.sql"),
    )
    .unwrap();
    guide_only.conn().batch_execute(&guide).unwrap();
    let example = crate::support::case_env::example_dir();
    let config = example.join("wfctl.toml").display().to_string();
    let journey = example.join("journey.json").display().to_string();
    let store = tempfile::tempdir().unwrap();
    let store = store.path().display().to_string();
    // the guide's tables serve some commands; where one is missing, the same pointer
    for (db, every_command) in [(&empty, true), (&guide_only, false)] {
        for args in [
            &["case", "list"][..],
            &["sla", "due"],
            &["diag", "cases"],
            &["case", "show", "c1"],
            &["--config", &config, "case", "start", "--journey", &journey],
            &["case", "resume", "--all", "--workbasket", "w"],
            &["case", "resume", "--all", "--stuck-for", "1m"],
            &[
                "case",
                "change-workbasket",
                "--all",
                "--workbasket",
                "w",
                "z",
            ],
            &["migrate-files", &store],
        ] {
            let run = Run::of(wfctl().env("DATABASE_URL", &db.url).args(args));
            if !every_command && !run.stderr.contains("does not exist") && run.code != 78 {
                continue;
            }
            assert_eq!(run.code, 78, "{args:?}: {}", run.stderr);
            let advice = if every_command {
                "run `wfctl db migrate`"
            } else {
                "wfctl db migrate --adopt"
            };
            assert!(run.stderr.contains(advice), "{args:?}: {}", run.stderr);
            assert_eq!(run.stdout, "", "{args:?}");
            one_line(&run.stderr);
        }
    }
    // plain `db migrate` on the guide's tables is refused the same way; status says so too
    let run = Run::of(
        wfctl()
            .env("DATABASE_URL", &guide_only.url)
            .args(["db", "migrate"]),
    );
    assert_eq!(run.code, 78, "{}", run.stderr);
    assert!(
        run.stderr.contains("wfctl db migrate --adopt"),
        "{}",
        run.stderr
    );
    let run = Run::of(
        wfctl()
            .env("DATABASE_URL", &guide_only.url)
            .args(["db", "status"]),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("wfctl db migrate --adopt"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_error_says_each_reason_once() {
    let run = Run::of(wfctl().args(["--store", "/etc/passwd", "case", "list"]));
    assert_ne!(run.code, 0);
    one_line(&run.stderr);
    let line = run.stderr.trim_end();
    // the OS's reason, however worded, appears once
    let reason = line.rsplit(": ").next().unwrap();
    assert_eq!(line.matches(reason).count(), 1, "{line}");
}

/// A cancelled case's refusal says when, as every message writes a time (UTC to the second,
/// `2026-12-07 05:15:43Z`), not RFC 3339 with `T` and `+00:00`.
#[test]
fn a_cancelled_case_says_when_in_the_one_time_form() {
    let (env, journey) = inbox_env();
    env.run(&["case", "start", "--journey", &journey, "--case-id", "gone"])
        .expect_code(0);
    env.run(&["case", "cancel", "gone", "--reason", "duplicate"])
        .expect_code(0);
    let run = env.run(&["case", "resume", "gone"]);
    assert_ne!(run.code, 0, "{}", run.stderr);
    let at = run
        .stderr
        .split(" at ")
        .nth(1)
        .and_then(|rest| rest.split_once(": "))
        .map(|(at, _)| at.to_owned())
        .unwrap_or_else(|| panic!("no time in {}", run.stderr));
    assert!(
        chrono::NaiveDateTime::parse_from_str(&at, "%Y-%m-%d %H:%M:%SZ").is_ok(),
        "{at:?} in {}",
        run.stderr
    );
    one_line(&run.stderr);
}

/// `db restore-pitr` names the target time as every message writes a time.
#[test]
fn restore_pitr_names_its_target_in_the_one_time_form() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("backups")).unwrap();
    std::fs::create_dir(dir.path().join("archive")).unwrap();
    std::fs::write(
        dir.path().join("wfctl.toml"),
        format!(
            "[repository]\nurl = \"file://{}\"\n",
            dir.path().join("archive").display()
        ),
    )
    .unwrap();
    let run = Run::of(wfctl().current_dir(dir.path()).args([
        "db",
        "restore-pitr",
        "--target-time",
        "2000-01-01T00:00:00Z",
        "--data-dir",
        "restored",
        "--dir",
        "backups",
    ]))
    .expect_code(1);
    assert!(
        run.stderr
            .contains("no good base backup finished before 2000-01-01 00:00:00Z;"),
        "{}",
        run.stderr
    );
    one_line(&run.stderr);
}

/// `wal fetch` of a segment the archive does not have: silent on stderr without `--json` (it
/// is PostgreSQL's restore_command), but under `--json` the error object says what happened
/// (before: `{"error":{"code":1,"message":""}}`).
#[test]
fn wal_fetch_of_an_absent_segment_says_so_in_json() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("repo")).unwrap();
    let config = dir.path().join("r.toml");
    std::fs::write(
        &config,
        format!(
            "[repository]\nurl = \"file://{}\"\n",
            dir.path().join("repo").display()
        ),
    )
    .unwrap();
    let segment = "000000010000000000000009";
    let fetch = |json: bool| {
        let mut cmd = crate::support::wfctl();
        if json {
            cmd.arg("--json");
        }
        crate::support::Run::of(
            cmd.arg("--config")
                .arg(&config)
                .args(["wal", "fetch", segment])
                .arg(dir.path().join("out")),
        )
        .expect_code(1)
    };
    let run = fetch(true);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(
        doc["error"]["message"],
        format!("{segment} is not in the archive"),
        "{doc}"
    );
    assert_eq!(fetch(false).stderr, "");
}
