//! Recovery of interrupted cases: a `wfctl` killed mid-unit leaves its case `running` with a
//! free case lock; `case show` says so, and `case resume --all --stuck-for` takes it (and
//! never a case whose lock a live process holds).

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::case_support::Env;

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

#[track_caller]
fn poll(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

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
    poll(&format!("{case} to reach its slow unit"), || {
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
            case.get("interrupted_since").is_none(),
            "{who}: lock held: {case}"
        );
        let text = env.run(&["case", "show", "killed"]).expect_code(0);
        assert!(
            text.stdout.contains("interrupted"),
            "{who}: {}",
            text.stdout
        );

        // both were last written over a second ago; only the killed one is free
        poll("both cases to be stuck for 1s", || {
            let list = env.json(
                &["case", "list", "--status", "running", "--stuck-for", "1s"],
                0,
            );
            listed(&list, "killed") && listed(&list, "alive")
        });
        let report = env.json(&["case", "resume", "--all", "--stuck-for", "1s"], 0);
        assert_eq!(report["done"], 1, "{who}: {report}");
        let items = report["cases"].as_array().unwrap();
        let alive_item = items.iter().find(|i| i["case_id"] == "alive");
        assert!(
            alive_item.is_none_or(|i| i["result"] == "skipped"),
            "{who}: a case with a held lock is not taken: {report}"
        );
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
    let run = env.run(&[
        "case",
        "change-workbasket",
        "--all",
        "--stuck-for",
        "1s",
        "other",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

/// `start` pends in `inbox`; a resume runs `slow`, then the case completes.
const INBOX_SLOW: &str = r#"{"journey": {"name": "inbox_slow", "flow": [
  {"name": "start", "component": "manual", "user_data": "inbox", "next": "slow"},
  {"name": "slow", "component": "slow", "next": "end"}]}}"#;

#[test]
fn a_worker_whose_server_sessions_are_terminated_names_the_cases_it_left() {
    use diesel::RunQueryDsl;
    let Some(env) = Env::postgres() else { return };
    let crate::case_support::Backend::Postgres(db) = &env.backend else {
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
    poll("b1 to reach its slow unit", || started.exists());
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
        let report = crate::diag_fixtures::diag_json(&db.url, &["cases"], 0);
        report["orphans"]["journeys"].clone()
    };
    assert_eq!(journeys(), 0, "a start under way");
    diesel::sql_query(lock("pg_advisory_unlock"))
        .execute(&mut conn)
        .unwrap();
    assert_eq!(journeys(), 1, "a start that died before its first save");
}
