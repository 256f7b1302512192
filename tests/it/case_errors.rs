//! Bad input to the case commands: the right exit code and one clear line naming the case,
//! file or field. Locked cases: 75 at once, or `--wait` until the lock is free.

use std::time::{Duration, Instant};

use diesel::RunQueryDsl;

use crate::support::backup::{open_files, text};
use crate::support::case_env::{Backend, Env, INBOX_JOURNEY};
use crate::support::poll_until;

fn setup(env: &Env) -> String {
    env.config(
        "[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nbuiltin = \"proceed\"\n",
    );
    env.write("inbox.json", INBOX_JOURNEY).display().to_string()
}

#[track_caller]
fn one_line(stderr: &str) {
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
}

#[test]
fn unknown_case_exits_1_naming_the_case() {
    for env in Env::all() {
        let journey = setup(&env);
        let who = env.name();
        // a store with another case in it (a missing file store is an error of its own)
        env.run(&[
            "case",
            "start",
            "--journey",
            &journey,
            "--case-id",
            "real-1",
        ])
        .expect_code(0);
        for args in [
            &["case", "show", "ghost-7"][..],
            &["case", "resume", "ghost-7"],
            &["case", "history", "ghost-7"],
            &["case", "set-var", "ghost-7", "--var", "a=long:1"],
            &["case", "change-workbasket", "ghost-7", "x"],
            &["case", "reopen", "ghost-7", "--ticket", "t"],
        ] {
            let run = env.run(args).expect_code(1);
            assert!(
                run.stderr.contains("case ghost-7 not found"),
                "{who} {args:?}: {}",
                run.stderr
            );
            one_line(&run.stderr);
        }
    }
}

#[test]
fn malformed_var_is_a_usage_error() {
    let env = Env::files();
    let journey = setup(&env);
    for (var, says) in [
        ("amount", "NAME=TYPE:VALUE"),
        ("amount=1500", "NAME=TYPE:VALUE"),
        ("amount=float:1.5", "unknown type \"float\""),
        ("amount=long:lots", "does not parse as long"),
        (
            "tags=list_of_string:[1]",
            "does not parse as list_of_string",
        ),
    ] {
        let run = env
            .run(&["case", "start", "--journey", &journey, "--var", var])
            .expect_code(2);
        assert!(run.stderr.contains(says), "{var}: {}", run.stderr);
        assert!(run.stderr.contains("--var"), "{var}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "one line: {}", run.stderr);
    }
    let vars = env.write(
        "vars.json",
        "[{\"name\": \"n\", \"type\": \"long\", \"value\": \"x\"}]",
    );
    let run = env
        .run(&[
            "case",
            "start",
            "--journey",
            &journey,
            "--vars-file",
            vars.to_str().unwrap(),
        ])
        .expect_code(1);
    assert!(run.stderr.contains("vars.json"), "{}", run.stderr);
    one_line(&run.stderr);
}

const BAD_JOURNEY: &str = r#"{"journey": {"name": "bad", "flow": [
  {"name": "start", "component": "manual", "next": "nowhere"},
  {"name": "dup", "component": "manual", "next": "end"},
  {"name": "dup", "component": "manual", "next": "end"}]}}"#;

#[test]
fn bad_journey_file_validate_exits_3_and_start_exits_1_with_all_problems() {
    for env in Env::all() {
        setup(&env);
        let who = env.name();
        let bad = env.write("bad.json", BAD_JOURNEY);
        let bad = bad.to_str().unwrap();
        let report = env.json(&["journey", "validate", bad], 3);
        assert_eq!(report["valid"], false, "{who}");
        let problems = report["files"][0]["problems"].as_array().unwrap();
        assert!(problems.len() >= 2, "{who}: {report}");
        let text = report.to_string();
        assert!(
            text.contains("nowhere") && text.contains("dup"),
            "{who}: {text}"
        );

        let run = env
            .run(&["case", "start", "--journey", bad, "--case-id", "b1"])
            .expect_code(1);
        assert!(run.stderr.contains("bad.json"), "{who}: {}", run.stderr);
        assert!(
            run.stderr.contains("nowhere") && run.stderr.contains("dup"),
            "{who}: {}",
            run.stderr
        );
        one_line(&run.stderr);
        env.run(&["case", "show", "b1"]).expect_code(1);

        let syntax = env.write("syntax.json", "{\"journey\": ");
        let run = env
            .run(&["case", "start", "--journey", syntax.to_str().unwrap()])
            .expect_code(1);
        assert!(
            run.stderr.contains("syntax.json") && run.stderr.contains("not valid JSON"),
            "{who}: {}",
            run.stderr
        );
        let run = env
            .run(&["case", "start", "--journey", "missing.json"])
            .expect_code(1);
        assert!(run.stderr.contains("missing.json"), "{who}: {}", run.stderr);
    }
}

#[test]
fn missing_or_bad_config_exits_78() {
    let env = Env::files();
    let journey = env.write("inbox.json", INBOX_JOURNEY);
    let run = env
        .run(&[
            "--config",
            "nope.toml",
            "case",
            "start",
            "--journey",
            journey.to_str().unwrap(),
        ])
        .expect_code(78);
    assert!(run.stderr.contains("nope.toml"), "{}", run.stderr);
    one_line(&run.stderr);
    env.config("[components.manual]\nbuiltin = \"sleep\"\n");
    let run = env
        .run(&["case", "start", "--journey", journey.to_str().unwrap()])
        .expect_code(78);
    assert!(
        run.stderr.contains("[components.manual]") && run.stderr.contains("\"sleep\""),
        "{}",
        run.stderr
    );
    env.config("[components.manual]\nexec = [\"x\"]\nbuiltin = \"pend\"\n");
    let run = env
        .run(&["case", "start", "--journey", journey.to_str().unwrap()])
        .expect_code(78);
    assert!(run.stderr.contains("exactly one of"), "{}", run.stderr);
    // no config at all: the journey's components are unmapped
    std::fs::remove_file(env.path("wfctl.toml")).unwrap();
    let run = env
        .run(&["case", "start", "--journey", journey.to_str().unwrap()])
        .expect_code(78);
    assert!(run.stderr.contains("manual, worker"), "{}", run.stderr);
}

#[test]
fn starting_an_existing_case_says_to_resume_it() {
    for env in Env::all() {
        let journey = setup(&env);
        let who = env.name();
        env.run(&["case", "start", "--journey", &journey, "--case-id", "dup-1"])
            .expect_code(0);
        let run = env
            .run(&["case", "start", "--journey", &journey, "--case-id", "dup-1"])
            .expect_code(1);
        assert!(
            run.stderr.contains("case dup-1 already exists"),
            "{who}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("wfctl case resume dup-1"),
            "{who}: {}",
            run.stderr
        );
        one_line(&run.stderr);
        // a generated id is printed
        let outcome = env.json(&["case", "start", "--journey", &journey], 0);
        assert!(
            outcome["case_id"].as_str().unwrap().len() > 10,
            "{who}: {outcome}"
        );
    }
}

/// Holds a case's lock the way another wfctl process would (until dropped).
#[allow(dead_code, reason = "the value is held, never read")]
enum Holder {
    File(std::fs::File),
    Pg(diesel::PgConnection),
}

fn hold_lock(env: &Env, case_id: &str) -> Holder {
    match &env.backend {
        Backend::Files(dir) => {
            let locks = dir.join(".locks");
            std::fs::create_dir_all(&locks).unwrap();
            let file = std::fs::File::create(locks.join(format!("{case_id}.lock"))).unwrap();
            file.lock().unwrap();
            Holder::File(file)
        }
        Backend::Postgres(db) => {
            let mut conn = db.conn();
            diesel::sql_query(format!(
                "SELECT pg_advisory_lock(hashtextextended('wfctl-case:' || '{case_id}', 0))"
            ))
            .execute(&mut conn)
            .unwrap();
            Holder::Pg(conn)
        }
    }
}

/// What shows that a `wfctl` process is trying a case's lock: in the file store it has the
/// lock file open; in PostgreSQL a session ran the lock query after this moment.
enum Since {
    Files,
    Pg(String),
}

impl Since {
    fn now(env: &Env) -> Self {
        match &env.backend {
            Backend::Files(_) => Self::Files,
            Backend::Postgres(db) => {
                Self::Pg(text(&mut db.conn(), "SELECT clock_timestamp()::text AS v"))
            }
        }
    }

    fn tried_lock(&self, env: &Env, pid: u32, case_id: &str) -> bool {
        match (self, &env.backend) {
            (Self::Files, Backend::Files(dir)) => {
                let lock = dir
                    .canonicalize()
                    .unwrap()
                    .join(".locks")
                    .join(format!("{case_id}.lock"));
                open_files(pid).contains(&lock)
            }
            (Self::Pg(since), Backend::Postgres(db)) => {
                let sql = format!(
                    "SELECT count(*)::text AS v FROM pg_stat_activity \
                     WHERE query LIKE '%/* wfctl:case_lock */%' AND query_start > '{since}'"
                );
                text(&mut db.conn(), &sql) != "0"
            }
            _ => unreachable!("a moment of one store asked about another"),
        }
    }
}

#[test]
fn a_locked_case_exits_75_or_waits_with_wait() {
    for env in Env::all() {
        let journey = setup(&env);
        let who = env.name();
        env.run(&["case", "start", "--journey", &journey, "--case-id", "busy"])
            .expect_code(0);
        let holder = hold_lock(&env, "busy");
        let run = env.run(&["case", "resume", "busy"]).expect_code(75);
        assert!(
            run.stderr.contains("busy") && run.stderr.contains("--wait"),
            "{who}: {}",
            run.stderr
        );
        one_line(&run.stderr);
        let began = Instant::now();
        env.run(&["case", "resume", "busy", "--wait", "1"])
            .expect_code(75);
        assert!(
            began.elapsed() >= Duration::from_millis(900),
            "{who}: waited {:?}",
            began.elapsed()
        );
        // released while a --wait is pending: the resume goes through
        let since = Since::now(&env);
        let waiter = env
            .wf()
            .args(["--json", "case", "resume", "busy", "--wait", "20s"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("wfctl runs");
        poll_until(
            "the waiter to try the lock",
            Duration::from_secs(30),
            || since.tried_lock(&env, waiter.id(), "busy"),
        );
        drop(holder);
        let out = waiter.wait_with_output().expect("wfctl finishes");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{who}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let done: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(done["status"], "completed", "{who}: {done}");
    }
}
