//! Recovery of interrupted cases: a `wfctl` killed mid-unit leaves its case `running` with a
//! free case lock; `case show` says so, and `case resume --all --stuck-for` takes it (and
//! never a case whose lock a live process holds).

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::support::case_env::Env;
use crate::support::poll_until;

const CONFIG: &str = "[components.worker]\nbuiltin = \"proceed\"\n\
[components.slow]\nexec = [\"./slow.sh\"]\n";

/// Says it started, then waits until the test releases it (a file per case).
const SLOW: &str = "#!/bin/sh\ncat >/dev/null\ntouch \"started-$WFCTL_CASE_ID\"\n\
while [ ! -e \"release-$WFCTL_CASE_ID\" ]; do sleep 0.05; done\n\
echo '{\"response\":\"ok_proceed\"}'\n";

/// `start` proceeds (a write), then `slow` runs until released, then the case completes.
const JOURNEY: &str = r#"{"journey": {"name": "slow_flow", "flow": [
  {"name": "start", "component": "worker", "next": "slow"},
  {"name": "slow", "component": "slow", "next": "end"}]}}"#;

fn setup(env: &Env) -> String {
    env.config(CONFIG);
    env.write("slow.sh", SLOW);
    env.write("slow.json", JOURNEY).display().to_string()
}

/// How long a test waits for a child to reach a unit or a case to become stuck.
const PATIENCE: Duration = Duration::from_secs(60);

/// `case start` of `case` in the background, returned once its slow unit runs.
fn start_in_slow_unit(env: &Env, journey: &str, case: &str) -> Child {
    let child = env
        .wf()
        .args(["case", "start", "--journey", journey, "--case-id", case])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("wfctl starts");
    let started = env.path(&format!("started-{case}"));
    poll_until(&format!("{case} to reach its slow unit"), PATIENCE, || {
        started.exists()
    });
    child
}

fn release(env: &Env, case: &str) {
    std::fs::write(env.path(&format!("release-{case}")), "").unwrap();
}

fn show(env: &Env, case: &str) -> Value {
    env.json(&["case", "show", case], 0)
}

fn listed(list: &Value, case: &str) -> bool {
    list["cases"]
        .as_array()
        .is_some_and(|cases| cases.iter().any(|c| c["case_id"] == case))
}

struct Released<'a>(&'a Path);

impl Drop for Released<'_> {
    // no script outlives the test, whatever happened to wfctl
    fn drop(&mut self) {
        for case in ["killed", "alive"] {
            let _ = std::fs::write(self.0.join(format!("release-{case}")), "");
        }
    }
}

#[test]
fn a_case_killed_mid_unit_is_recovered_by_resume_stuck_for_and_a_live_one_is_not_taken() {
    for env in Env::all() {
        let who = env.name();
        let journey = setup(&env);
        let _released = Released(env.dir.path());

        let mut killed = start_in_slow_unit(&env, &journey, "killed");
        killed.kill().unwrap(); // SIGKILL, mid-unit
        killed.wait().unwrap();
        release(&env, "killed");
        let mut alive = start_in_slow_unit(&env, &journey, "alive");

        let case = show(&env, "killed");
        assert_eq!(case["status"], "running", "{who}: {case}");
        assert!(case["interrupted_since"].is_string(), "{who}: {case}");
        let case = show(&env, "alive");
        assert_eq!(case["status"], "running", "{who}: {case}");
        assert!(
            case["interrupted_since"].is_null(),
            "{who}: lock held: {case}"
        );
        let text = env.run(&["case", "show", "killed"]).expect_code(0);
        assert!(
            text.stdout.contains("interrupted"),
            "{who}: {}",
            text.stdout
        );

        // both were last written over a second ago; only the killed one is free
        poll_until("both cases to be stuck for 1s", PATIENCE, || {
            let list = env.json(
                &["case", "list", "--status", "running", "--stuck-for", "1s"],
                0,
            );
            listed(&list, "killed") && listed(&list, "alive")
        });
        let run = env.run(&["--json", "case", "resume", "--all", "--stuck-for", "1s"]);
        let report: Value = serde_json::from_str(&run.stdout).expect("the report");
        assert_eq!(report["done"], 1, "{who}: {report}");
        let items = report["cases"].as_array().unwrap();
        let alive_item = items.iter().find(|i| i["case_id"] == "alive");
        assert!(
            alive_item.is_none_or(|i| i["result"] == "skipped"),
            "{who}: a case with a held lock is not taken: {report}"
        );
        // a held case is not done: the run says so with exit 3
        let expected = if alive_item.is_some() { 3 } else { 0 };
        assert_eq!(run.code, expected, "{who}: {}", run.stderr);
        let case = show(&env, "killed");
        assert_eq!(case["status"], "completed", "{who}: {case}");
        let case = show(&env, "alive");
        assert_eq!(case["status"], "running", "{who}: {case}");

        release(&env, "alive");
        let status = alive.wait().unwrap();
        assert!(status.success(), "{who}: the live run finishes: {status}");
        let case = show(&env, "alive");
        assert_eq!(case["status"], "completed", "{who}: {case}");
        let units: Vec<String> = env.audit("alive").iter().map(|r| r.unit.clone()).collect();
        assert_eq!(
            units.iter().filter(|u| *u == "slow").count(),
            1,
            "{who}: the live case ran its unit once: {units:?}"
        );
    }
}

#[test]
fn stuck_for_needs_case_resume_and_no_workbasket() {
    let env = Env::files();
    let run = env.run(&["case", "resume", "--all"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    // an id file takes no filters
    let run = env.run(&[
        "case",
        "change-workbasket",
        "--ids-file",
        "ids.txt",
        "--stuck-for",
        "1s",
        "other",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    // one case by id takes no selection: the options are refused, not ignored
    for extra in [["--stuck-for", "99y"], ["--step", "nosuch"]] {
        let mut args = vec!["case", "resume", "w17"];
        args.extend(extra);
        let run = env.run(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("--all"), "{args:?}: {}", run.stderr);
    }
}

/// A finished case is never stuck: `--stuck-for` with `--status completed` or `cancelled`
/// would select nothing, so it is refused (exit 2) naming both, by every command that selects.
#[test]
fn stuck_for_with_a_finished_status_is_a_usage_error() {
    let env = Env::files();
    let journey = setup(&env);
    env.write("release-done", "");
    env.run(&["case", "start", "--journey", &journey, "--case-id", "done"])
        .expect_code(0);
    for args in [
        vec!["case", "list", "--stuck-for", "0s", "--status", "completed"],
        vec![
            "case",
            "resume",
            "--all",
            "--stuck-for",
            "0s",
            "--status",
            "completed",
        ],
        vec![
            "case",
            "resume",
            "--all",
            "--stuck-for",
            "1h",
            "--status",
            "cancelled",
        ],
        vec![
            "case",
            "cancel",
            "--all",
            "--stuck-for",
            "1h",
            "--status",
            "completed",
            "--reason",
            "x",
        ],
    ] {
        let run = env.run(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("--stuck-for") && run.stderr.contains("--status"),
            "{args:?}: {}",
            run.stderr
        );
        assert_eq!(
            run.stderr.trim().lines().count(),
            1,
            "{args:?}: {}",
            run.stderr
        );
    }
    // the statuses that can be stuck still select
    env.run(&["case", "list", "--stuck-for", "0s", "--status", "running"])
        .expect_code(0);
}

/// `start` pends in `inbox`; a resume runs `slow`, then the case completes.
const INBOX_SLOW: &str = r#"{"journey": {"name": "inbox_slow", "flow": [
  {"name": "start", "component": "manual", "user_data": "inbox", "next": "slow"},
  {"name": "slow", "component": "slow", "next": "end"}]}}"#;

#[test]
fn a_worker_whose_server_sessions_are_terminated_names_the_cases_it_left() {
    use diesel::RunQueryDsl;
    let Some(env) = Env::postgres() else { return };
    let crate::support::case_env::Backend::Postgres(db) = &env.backend else {
        unreachable!()
    };
    setup(&env);
    env.config(&format!(
        "{CONFIG}[components.manual]\nbuiltin = \"pend\"\n"
    ));
    let journey = env
        .write("inbox_slow.json", INBOX_SLOW)
        .display()
        .to_string();
    let _released = Released(env.dir.path());
    let cases = ["b1", "b2", "b3"];
    for case in cases {
        env.run(&["case", "start", "--journey", &journey, "--case-id", case])
            .expect_code(0);
    }
    let worker = env
        .wf()
        .args(["--json", "case", "resume", "--all", "--workbasket", "inbox"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wfctl starts");
    // claims are taken in case-id order: b1 runs first, the batch holds all three
    let started = env.path("started-b1");
    poll_until("b1 to reach its slow unit", PATIENCE, || started.exists());
    let mut conn = db.conn();
    diesel::sql_query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE application_name = 'wfctl' AND datname = current_database() \
         AND pid <> pg_backend_pid()",
    )
    .execute(&mut conn)
    .unwrap();
    for case in cases {
        release(&env, case);
    }
    let out = worker.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(69), "{stdout}\n{stderr}");
    let error = stderr
        .lines()
        .find(|l| l.starts_with("error:"))
        .unwrap_or_else(|| panic!("an error line: {stderr}"));
    assert!(error.contains("claimed and not finished: b1"), "{error}");
    let report: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("--json reports what it did ({e}): {stdout}"));
    let unfinished = report["stopped"]["unfinished"].as_array().unwrap();
    assert!(unfinished.contains(&Value::from("b1")), "{report}");
    // what it names is exactly what it did not finish
    for item in report["cases"].as_array().unwrap() {
        let named = unfinished.contains(&item["case_id"]);
        assert_eq!(named, item["result"] == "failed", "{report}");
    }
}

/// Every finding of `diag all`'s case check that speaks of `what` (a message fragment) and
/// the severity of the measure `key`.
fn case_findings(all: &Value, what: &str, key: &str) -> (Vec<Value>, Value) {
    let findings = all["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check"] == "cases" && f["message"].as_str().unwrap().contains(what))
        .cloned()
        .collect();
    let measure = all["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == key)
        .unwrap_or_else(|| panic!("measure {key}: {all:#}"))["severity"]
        .clone();
    (findings, measure)
}

fn diag_all(url: &str) -> Value {
    let run = crate::support::Run::of(crate::support::wfctl().args([
        "--database-url",
        url,
        "--json",
        "diag",
        "all",
        "--skip",
        "explain",
        "--skip",
        "slow-queries",
    ]));
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr))
}

#[test]
fn diag_findings_take_their_severity_from_their_measure() {
    use diesel::RunQueryDsl;
    let db = crate::pg_or_skip!(crate::support::TestDb::new());
    let mut conn = db.conn();
    diesel::sql_query(
        "INSERT INTO audit_log (case_id, sequence, step_name, ts) VALUES ('C-GONE', 1, 'x', 0)",
    )
    .execute(&mut conn)
    .unwrap();
    let all = diag_all(&db.url);
    let (findings, measure) = case_findings(&all, "orphan", "orphans");
    assert_eq!(measure, "warning", "{all:#}");
    assert!(!findings.is_empty(), "{all:#}");
    for f in findings {
        assert_eq!(f["severity"], measure, "{f}");
    }
}

#[test]
fn the_journey_of_a_case_being_started_is_no_orphan() {
    use diesel::RunQueryDsl;
    let db = crate::pg_or_skip!(crate::support::TestDb::new());
    let mut conn = db.conn();
    // what a start has written before its first save, under the case lock
    diesel::sql_query(
        "INSERT INTO workflow_definition (hibid, case_id, ts, def_name, flow_json) \
         VALUES ('journey-C-NEW', 'C-NEW', 0, 'order', '{}')",
    )
    .execute(&mut conn)
    .unwrap();
    let lock = |f: &str| format!("SELECT {f}(hashtextextended('wfctl-case:' || 'C-NEW', 0))");
    diesel::sql_query(lock("pg_advisory_lock"))
        .execute(&mut conn)
        .unwrap();
    let journeys = || {
        let report = crate::support::diag::diag_json(&db.url, &["cases"], 0);
        report["orphans"]["journeys"].clone()
    };
    assert_eq!(journeys(), 0, "a start under way");
    diesel::sql_query(lock("pg_advisory_unlock"))
        .execute(&mut conn)
        .unwrap();
    assert_eq!(journeys(), 1, "a start that died before its first save");
}

/// Ends the database session that holds a case's advisory lock (whatever process owns it).
fn terminate_lock_session(db: &crate::support::TestDb, case: &str) -> usize {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Ended {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        ended: bool,
    }
    let sql = format!(
        "SELECT pg_terminate_backend(l.pid) AS ended FROM pg_locks l \
         WHERE l.locktype = 'advisory' AND l.granted \
         AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
         AND ((l.classid::bigint << 32) | l.objid::bigint) \
             = hashtextextended('wfctl-case:' || '{case}', 0)"
    );
    let ended: Vec<Ended> = diesel::sql_query(sql).load(&mut db.conn()).unwrap();
    ended.iter().filter(|e| e.ended).count()
}

#[test]
fn a_worker_that_lost_its_lock_session_saves_nothing_and_the_recoverer_runs_the_step_once() {
    let Some(env) = Env::postgres() else { return };
    let crate::support::case_env::Backend::Postgres(db) = &env.backend else {
        unreachable!()
    };
    let journey = setup(&env);
    let _released = Released(env.dir.path());
    let case = "killed"; // released by the guard whatever happens
    let old = env
        .wf()
        .args(["case", "start", "--journey", &journey, "--case-id", case])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wfctl starts");
    let started = env.path(&format!("started-{case}"));
    poll_until("the slow unit to start", PATIENCE, || started.exists());
    assert_eq!(
        terminate_lock_session(db, case),
        1,
        "one session held the lock"
    );
    std::fs::remove_file(&started).unwrap();

    let recoverer = env
        .wf()
        .args(["--json", "case", "resume", "--all", "--stuck-for", "0s"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wfctl starts");
    poll_until("the recoverer to run the slow unit", PATIENCE, || {
        started.exists()
    });
    release(&env, case);

    let old = old.wait_with_output().unwrap();
    let old_err = String::from_utf8_lossy(&old.stderr);
    assert_eq!(old.status.code(), Some(75), "{old_err}");
    let error = old_err
        .lines()
        .find(|l| l.starts_with("error:"))
        .unwrap_or_else(|| panic!("an error line: {old_err}"));
    assert!(error.contains(case) && error.contains("lock"), "{error}");
    let recovered = recoverer.wait_with_output().unwrap();
    let report: Value = serde_json::from_slice(&recovered.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&recovered.stderr)));
    assert_eq!(report["done"], 1, "{report}");

    let units: Vec<String> = env.audit(case).iter().map(|r| r.unit.clone()).collect();
    assert_eq!(
        units.iter().filter(|u| *u == "slow").count(),
        1,
        "exactly one run recorded the step: {units:?}"
    );
    assert_eq!(show(&env, case)["status"], "completed");
}

#[test]
fn a_dry_run_tests_the_lock_like_the_real_run_and_limit_0_means_no_limit() {
    for env in Env::all() {
        let who = env.name();
        let journey = setup(&env);
        let _released = Released(env.dir.path());
        let mut killed = start_in_slow_unit(&env, &journey, "killed");
        killed.kill().unwrap(); // SIGKILL, mid-unit: interrupted, lock free
        killed.wait().unwrap();
        release(&env, "killed");
        let mut alive = start_in_slow_unit(&env, &journey, "alive");

        let dry = env.json(
            &["case", "resume", "--all", "--stuck-for", "0s", "--dry-run"],
            0,
        );
        let result_of = |report: &Value, case: &str| {
            report["cases"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["case_id"] == case)
                .cloned()
                .unwrap_or(Value::Null)
        };
        assert_eq!(
            result_of(&dry, "killed")["result"],
            "would_run",
            "{who}: {dry}"
        );
        let held = result_of(&dry, "alive");
        assert_eq!(held["result"], "skipped", "{who}: {dry}");
        assert!(
            held["reason"]
                .as_str()
                .is_some_and(|r| r.contains("held by a live worker")),
            "{who}: {dry}"
        );
        assert_eq!(dry["would_run"], 1, "{who}: {dry}");

        // --limit 0 means no limit here as in `case list`; the live case is not done: exit 3
        let report = env.json(
            &[
                "case",
                "resume",
                "--all",
                "--stuck-for",
                "0s",
                "--limit",
                "0",
            ],
            3,
        );
        assert_eq!(report["done"], 1, "{who}: {report}");
        assert_eq!(
            result_of(&report, "alive")["reason"],
            held["reason"],
            "{who}: {report}"
        );
        assert_eq!(show(&env, "killed")["status"], "completed", "{who}");
        release(&env, "alive");
        assert!(alive.wait().unwrap().success(), "{who}");
    }
}

/// `slow` re-runs through a ticket, for `case reopen`.
const REOPENABLE: &str = r#"{"journey": {"name": "reopenable",
  "tickets": [{"name": "again", "step": "slow"}], "flow": [
  {"name": "start", "component": "worker", "next": "slow"},
  {"name": "slow", "component": "slow", "next": "end"}]}}"#;

/// A `case reopen` killed (SIGKILL) in the unit it runs leaves an interrupted case, not one
/// pended in no basket: `case show` says so, `case resume --all --stuck-for` takes it, a
/// single `case resume` too, and the reopened run completes.
#[test]
fn a_killed_case_reopen_is_recovered_by_resume_stuck_for_and_by_resume() {
    for env in Env::all() {
        let who = env.name();
        setup(&env);
        let journey = env
            .write("reopenable.json", REOPENABLE)
            .display()
            .to_string();
        for (case, bulk) in [("ro1", true), ("ro2", false)] {
            release(&env, case);
            env.run(&["case", "start", "--journey", &journey, "--case-id", case])
                .expect_code(0);
            std::fs::remove_file(env.path(&format!("release-{case}"))).unwrap();
            std::fs::remove_file(env.path(&format!("started-{case}"))).unwrap();
            let mut reopen = env
                .wf()
                .args(["case", "reopen", case, "--ticket", "again"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let started = env.path(&format!("started-{case}"));
            poll_until("the reopened run to reach slow", PATIENCE, || {
                started.exists()
            });
            reopen.kill().unwrap();
            reopen.wait().unwrap();
            let shown = show(&env, case);
            assert_eq!(shown["status"], "running", "{who}: {shown}");
            assert!(
                !shown["interrupted_since"].is_null(),
                "{who}: {case} reads interrupted: {shown}"
            );
            release(&env, case);
            if bulk {
                let report = env.json(&["case", "resume", "--all", "--stuck-for", "0s"], 0);
                assert_eq!(report["done"], 1, "{who}: {report}");
            } else {
                env.run(&["case", "resume", case]).expect_code(0);
            }
            assert_eq!(show(&env, case)["status"], "completed", "{who}: {case}");
        }
    }
}

/// `slow2` waits like `slow`, on files of its own.
const SLOW2: &str = "#!/bin/sh\ncat >/dev/null\ntouch \"started2-$WFCTL_CASE_ID\"\n\
while [ ! -e \"release2-$WFCTL_CASE_ID\" ]; do sleep 0.05; done\n\
echo '{\"response\":\"ok_proceed\"}'\n";

#[test]
fn a_recovery_run_again_after_its_recoverer_was_killed_takes_the_case_it_left() {
    for env in Env::all() {
        let who = env.name();
        setup(&env);
        env.config(&format!(
            "{CONFIG}[components.slow2]\nexec = [\"./slow2.sh\"]\n"
        ));
        env.write("slow2.sh", SLOW2);
        let journey = env
            .write(
                "two.json",
                r#"{"journey": {"name": "two_slow", "flow": [
  {"name": "start", "component": "worker", "next": "slow"},
  {"name": "slow", "component": "slow", "next": "slow2"},
  {"name": "slow2", "component": "slow2", "next": "end"}]}}"#,
            )
            .display()
            .to_string();
        let _released = Released(env.dir.path());
        let case = "killed";
        let mut start = start_in_slow_unit(&env, &journey, case);
        start.kill().unwrap();
        start.wait().unwrap();
        release(&env, case);

        // the recoverer saves `slow` (a write after its selection time), then dies in `slow2`
        let mut recoverer = env
            .wf()
            .args(["case", "resume", "--all", "--stuck-for", "0s"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("wfctl starts");
        let started = env.path(&format!("started2-{case}"));
        poll_until("the recoverer to reach slow2", PATIENCE, || {
            started.exists()
        });
        recoverer.kill().unwrap();
        recoverer.wait().unwrap();
        std::fs::write(env.path(&format!("release2-{case}")), "").unwrap();

        let run = env.run(&["--json", "case", "resume", "--all", "--stuck-for", "0s"]);
        assert_eq!(run.code, 0, "{who}: {}", run.stderr);
        let shown = show(&env, case);
        assert_eq!(
            shown["status"], "completed",
            "{who}: {}: {shown}",
            run.stdout
        );
        let units: Vec<String> = env.audit(case).iter().map(|r| r.unit.clone()).collect();
        for unit in ["start", "slow", "slow2"] {
            assert_eq!(
                units.iter().filter(|u| *u == unit).count(),
                1,
                "{who}: {unit} done once: {units:?}"
            );
        }
    }
}

/// A dry run never makes anyone find a case busy: on PostgreSQL it looks at the case lock in
/// `pg_locks` instead of taking it. The key function is made slow for the dry runs' release of
/// a lock (so a dry run that took a lock would hold it for seconds), and `case resume ID` of
/// each interrupted case, run while dry runs go on in a loop, is never refused as busy (75).
#[test]
fn a_dry_run_never_makes_a_concurrent_resume_exit_75() {
    use diesel::connection::SimpleConnection;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let Some(env) = Env::postgres() else { return };
    let crate::support::case_env::Backend::Postgres(db) = &env.backend else {
        unreachable!("a PostgreSQL env")
    };
    let journey = setup(&env);
    let cases = ["dry1", "dry2", "dry3"];
    for case in cases {
        let mut killed = start_in_slow_unit(&env, &journey, case);
        killed.kill().unwrap();
        killed.wait().unwrap();
        release(&env, case);
    }
    db.conn()
        .batch_execute(
            "CREATE OR REPLACE FUNCTION wfctl_case_lock_key(case_id text) RETURNS bigint
             LANGUAGE plpgsql AS $$
             BEGIN
               IF current_setting('wfctl.test_probe', true) = 'dry'
                  AND current_query() LIKE '%advisory_unlock%' THEN
                 PERFORM pg_sleep(2);
               END IF;
               RETURN hashtextextended('wfctl-case:' || case_id, 0);
             END $$;",
        )
        .unwrap();
    let stop = AtomicBool::new(false);
    let dry_runs = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            while !stop.load(Ordering::SeqCst) {
                let dry = crate::support::Run::of(
                    env.wf().env("PGOPTIONS", "-c wfctl.test_probe=dry").args([
                        "case",
                        "resume",
                        "--all",
                        "--stuck-for",
                        "0s",
                        "--dry-run",
                    ]),
                );
                assert!(matches!(dry.code, 0 | 3), "{}", dry.stderr);
                dry_runs.fetch_add(1, Ordering::SeqCst);
            }
        });
        poll_until("a dry run to finish", PATIENCE, || {
            dry_runs.load(Ordering::SeqCst) >= 1
        });
        let results: Vec<(&str, i32, String)> = cases
            .iter()
            .map(|case| {
                let run = env.run(&["case", "resume", case]);
                (*case, run.code, run.stderr)
            })
            .collect();
        stop.store(true, Ordering::SeqCst);
        for (case, code, stderr) in results {
            assert_eq!(code, 0, "{case}: {stderr}");
        }
    });
    for case in cases {
        assert_eq!(show(&env, case)["status"], "completed", "{case}");
    }
}

/// Logs its step and waits until the test releases that step (a file per step).
const GATED: &str = "#!/bin/sh\ncat >/dev/null\n\
printf '%s\\n' \"$WFCTL_STEP\" >>\"runs-$WFCTL_CASE_ID.log\"\n\
while [ ! -e \"release-$WFCTL_STEP\" ]; do sleep 0.05; done\n\
echo '{\"response\":\"ok_proceed\"}'\n";

/// Takes both branches.
const BOTH: &str = "#!/bin/sh\ncat >/dev/null\n\
echo '{\"response\":\"ok_proceed\",\"branches\":[\"a\",\"b\"]}'\n";

fn runs_logged(env: &Env, case: &str) -> usize {
    std::fs::read_to_string(env.path(&format!("runs-{case}.log")))
        .map_or(0, |log| log.lines().count())
}

/// A recoverer killed in the second recovered branch of a parallel block leaves the case
/// pended on that branch in the temp-hold basket, which nobody works: the case is still
/// interrupted (`case show`), `diag cases` counts it stuck, and the next recovery takes it.
#[test]
fn a_recoverer_killed_in_the_second_parked_branch_leaves_an_interrupted_case() {
    for env in Env::all() {
        let who = env.name();
        env.config(
            "[components.worker]\nbuiltin = \"proceed\"\n\
             [components.gated]\nexec = [\"./gated.sh\"]\n\
             [components.both]\nexec = [\"./both.sh\"]\n",
        );
        env.write("gated.sh", GATED);
        env.write("both.sh", BOTH);
        let journey = env
            .write(
                "par.json",
                r#"{"journey": {"name": "par", "flow": [
  {"name": "start", "component": "worker", "next": "fork"},
  {"name": "fork", "type": "p_route", "component": "both",
   "branches": [{"name": "a", "next": "sa"}, {"name": "b", "next": "sb"}]},
  {"name": "sa", "component": "gated", "next": "j"},
  {"name": "sb", "component": "gated", "next": "j"},
  {"name": "j", "type": "p_join", "next": "end"}]}}"#,
            )
            .display()
            .to_string();
        let _released = ReleasedSteps(env.dir.path());
        let case = "par";
        let mut start = env
            .wf()
            .args(["case", "start", "--journey", &journey, "--case-id", case])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("wfctl starts");
        poll_until("both branches to run", PATIENCE, || {
            runs_logged(&env, case) >= 2
        });
        start.kill().unwrap();
        start.wait().unwrap();

        // the recoverer re-runs branch a (released), then dies in branch b
        std::fs::write(env.path("release-sa"), "").unwrap();
        let mut recoverer = env
            .wf()
            .args(["case", "resume", "--all", "--stuck-for", "0s"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("wfctl starts");
        poll_until("the recoverer to reach branch b", PATIENCE, || {
            runs_logged(&env, case) >= 4
        });
        recoverer.kill().unwrap();
        recoverer.wait().unwrap();

        let shown = show(&env, case);
        assert_eq!(
            (&shown["status"], &shown["work_basket"]),
            (&Value::from("pended"), &Value::from("workflow_temp_hold")),
            "{who}: {shown}"
        );
        assert!(
            shown["interrupted_since"].is_string(),
            "{who}: interrupted: {shown}"
        );
        if let crate::support::case_env::Backend::Postgres(db) = &env.backend {
            let diag = crate::support::Run::of(crate::support::wfctl().args([
                "--database-url",
                &db.url,
                "--json",
                "diag",
                "cases",
                "--stuck-for",
                "0s",
            ]));
            let diag: Value = serde_json::from_str(&diag.stdout)
                .unwrap_or_else(|e| panic!("{e}: {}\n{}", diag.stdout, diag.stderr));
            assert_eq!(diag["stuck"]["total"], 1, "{who}: {diag}");
        }
        std::fs::write(env.path("release-sb"), "").unwrap();
        let run = env.run(&["case", "resume", "--all", "--stuck-for", "0s"]);
        assert_eq!(run.code, 0, "{who}: {}", run.stderr);
        let shown = show(&env, case);
        assert_eq!(shown["status"], "completed", "{who}: {shown}");
    }
}

struct ReleasedSteps<'a>(&'a Path);

impl Drop for ReleasedSteps<'_> {
    // no script outlives the test, whatever happened to wfctl
    fn drop(&mut self) {
        for step in ["sa", "sb"] {
            let _ = std::fs::write(self.0.join(format!("release-{step}")), "");
        }
    }
}

/// A file-store start killed before its first write leaves the journey alone (a PostgreSQL
/// start leaves nothing): the case reads as interrupted and the recovery starts it.
#[test]
fn a_case_whose_start_died_before_its_first_write_is_recovered() {
    let env = Env::files();
    let journey = setup(&env);
    let crate::support::case_env::Backend::Files(store) = &env.backend else {
        unreachable!("a file store")
    };
    release(&env, "donor");
    env.run(&["case", "start", "--journey", &journey, "--case-id", "donor"])
        .expect_code(0);
    // what such a start leaves: the journey file, no process info
    std::fs::copy(
        store.join("journey-donor.json"),
        store.join("journey-early.json"),
    )
    .unwrap();
    let shown = show(&env, "early");
    assert_eq!(shown["status"], "not_started", "{shown}");
    assert!(shown["interrupted_since"].is_string(), "{shown}");
    release(&env, "early");
    let run = env.json(&["case", "resume", "--all", "--stuck-for", "0s"], 0);
    assert_eq!(run["done"], 1, "{run}");
    let shown = show(&env, "early");
    assert_eq!(shown["status"], "completed", "{shown}");
}
