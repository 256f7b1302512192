//! `wfctl sla run`: every due milestone's action runs and is recorded once, with several
//! workers at once and a worker killed with SIGKILL; `CHG_WB` moves the case as the engine does.

use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;
use wfctl::engine::{ComponentError, Components, Engine, RouteResponse, StepContext, TaskResponse};
use wfctl::model::{JourneyRecord, Sla};
use wfctl::store::Store;

use crate::sensitive::keygen_json;
use crate::support::case_env::{Backend, Env, INBOX_JOURNEY};
use crate::support::poll_until;

/// Pends every case in `inbox` at its first step.
struct PendInInbox;

impl Components for PendInInbox {
    fn task(&self, _: &StepContext) -> Result<TaskResponse, ComponentError> {
        Ok(TaskResponse::pend("inbox"))
    }
    fn route(&self, _: &StepContext) -> Result<RouteResponse, ComponentError> {
        Ok(RouteResponse::branches(["x"]))
    }
}

/// An SLA of `n` case-level milestones due at once, each running `CUSTOM:mark`.
fn marking_sla(n: usize) -> Sla {
    let milestones: Vec<Value> = (0..n)
        .map(|i| {
            serde_json::json!({"name": format!("m{i}"), "setup_on": "case_start",
                "type": "case_level", "applied_at_age": "0m", "clock_starts": "immediately",
                "action": "CUSTOM:mark", "userdata": format!("u{i}")})
        })
        .collect();
    Sla::from_value(&serde_json::json!({ "milestones": milestones })).unwrap()
}

/// `cases` cases with `per_case` due milestones each, started through the library (fast).
fn start_cases(store: &dyn Store, cases: usize, per_case: usize) {
    let journey = JourneyRecord::parse(INBOX_JOURNEY).unwrap();
    let sla = marking_sla(per_case);
    let engine = Engine::new(store, &PendInInbox);
    for i in 0..cases {
        engine
            .start(&format!("c{i:04}"), &journey, Some(&sla), vec![])
            .unwrap();
    }
}

/// A config whose `CUSTOM:mark` program appends "KEY ATTEMPT" to `marks`.
fn mark_config(env: &Env) {
    let marks = env.path("marks");
    env.write(
        "mark.sh",
        &format!(
            "#!/bin/sh\ncat >/dev/null\necho \"$WFCTL_SLA_KEY $WFCTL_SLA_ATTEMPT\" >> {}\n",
            marks.display()
        ),
    );
    env.config("[sla.actions.\"CUSTOM:mark\"]\nexec = [\"./mark.sh\"]\n");
}

/// Each key's attempts, in the order the program ran.
fn marks(env: &Env) -> BTreeMap<String, Vec<u32>> {
    let text = std::fs::read_to_string(env.path("marks")).unwrap_or_default();
    let mut by_key: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for line in text.lines() {
        let (key, attempt) = line.rsplit_once(' ').expect("KEY ATTEMPT");
        by_key
            .entry(key.to_owned())
            .or_default()
            .push(attempt.parse().unwrap());
    }
    by_key
}

fn worker(env: &Env) -> Child {
    let mut cmd: Command = env.wf();
    cmd.args(["--json", "sla", "run"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd.spawn().expect("wfctl sla run starts")
}

fn finish(child: Child) -> Value {
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout {stdout}\nstderr {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout).unwrap()
}

/// Every milestone's program ran; all ran once as attempt 1 except at most `killed` of them:
/// the one a killed worker had claimed runs again as attempt 2, after its first run (`[1, 2]`)
/// or without one when the kill came between the claim and the program (`[2]`).
fn assert_each_fired_once(env: &Env, expected: usize, killed: usize) {
    let marks = marks(env);
    assert_eq!(marks.len(), expected, "{}: marked keys", env.name());
    let retried: Vec<(&String, &Vec<u32>)> =
        marks.iter().filter(|(_, a)| a.as_slice() != [1]).collect();
    assert!(
        retried.len() <= killed,
        "{}: run again or as a retry without a kill: {retried:?}",
        env.name()
    );
    for (key, attempts) in &retried {
        assert!(
            matches!(attempts.as_slice(), [1, 2] | [2]),
            "{}: {key} ran {attempts:?}",
            env.name()
        );
    }
}

/// `diag cases`: the milestones overdue and never fired.
fn overdue(env: &Env) -> i64 {
    let run = crate::support::Run::of(env.wf().args(["--json", "diag", "cases"]));
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    report["overdue_milestones"]["total"].as_i64().unwrap()
}

/// One unlabelled value of `wfctl metrics`.
fn metric(env: &Env, name: &str) -> f64 {
    let run = env.run(&["metrics"]).expect_code(0);
    run.stdout
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("no {name} in {}", run.stdout))
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn workers_and_a_killed_one_fire_each_milestone_once_on_postgres() {
    let Some(env) = Env::postgres() else { return };
    mark_config(&env);
    // every action spawns a program (about 0.1 s each on a busy CI machine): 200 milestones by
    // default, WFCTL_SLA_CASES=100 for the 1,000 of a full run
    let cases = std::env::var("WFCTL_SLA_CASES")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(20);
    let total = cases * 10;
    start_cases(env.store().as_ref(), cases, 10);
    assert_eq!(overdue(&env), total as i64);
    assert_eq!(metric(&env, "workflow_sla_actions_fired_total"), 0.0);
    assert!(metric(&env, "workflow_sla_actions_lag_seconds") > 0.0);
    let killed = worker(&env);
    let workers = [worker(&env), worker(&env)];
    poll_until("the workers are acting", Duration::from_secs(60), || {
        marks(&env).len() >= total / 10
    });
    let mut killed = killed;
    killed.kill().unwrap();
    killed.wait().unwrap();
    for w in workers {
        finish(w);
    }
    // a last worker picks up whatever the killed one held; at most its one interrupted action
    let sweep = finish(worker(&env));
    let swept = sweep["fired"].as_u64().unwrap();
    assert!(swept <= 1, "{sweep}");
    assert_each_fired_once(&env, total, 1);
    let Backend::Postgres(db) = &env.backend else {
        unreachable!()
    };
    let summary = crate::support::backup::text(
        &mut db.conn(),
        "SELECT string_agg(status || ' ' || n || ' ' || recorded, ', ') AS v FROM ( \
         SELECT status, count(*) AS n, bool_and(sla_fired_ts IS NOT NULL) AS recorded \
         FROM milestone GROUP BY status) s",
    );
    assert_eq!(summary, format!("fired {total} true"));
    assert_eq!(overdue(&env), 0, "diag cases: overdue and never fired");
    assert_eq!(
        metric(&env, "workflow_sla_actions_fired_total"),
        total as f64
    );
    assert_eq!(metric(&env, "workflow_sla_actions_failed_total"), 0.0);
    assert_eq!(metric(&env, "workflow_sla_actions_lag_seconds"), 0.0);
    let due = env.json(&["sla", "due"], 0);
    assert_eq!(due["milestones"].as_array().unwrap().len(), total, "{due}");
    assert!(
        due["milestones"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["state"] == "fired" && m["late_seconds"].is_i64()),
        "{due}"
    );
}

/// The `runs` file of the gated action: `start PID ATTEMPT` and `done ATTEMPT` lines.
fn runs(env: &Env) -> Vec<String> {
    std::fs::read_to_string(env.path("runs"))
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn starts(env: &Env) -> Vec<(u32, u32)> {
    runs(env)
        .iter()
        .filter_map(|l| {
            let mut words = l.strip_prefix("start ")?.split(' ');
            Some((words.next()?.parse().ok()?, words.next()?.parse().ok()?))
        })
        .collect()
}

#[test]
fn a_worker_that_loses_its_claim_stops_its_action_before_another_runs_it() {
    let Some(env) = Env::postgres() else { return };
    // the program records its start and waits for `gate`, which only this test creates (or
    // for the test's directory to go)
    let (runs_file, gate) = (env.path("runs"), env.path("gate"));
    env.write(
        "gated.sh",
        &format!(
            "#!/bin/sh\ncat >/dev/null\necho \"start $$ $WFCTL_SLA_ATTEMPT\" >> {runs}\n\
             while [ ! -e {gate} ] && [ -d {dir} ]; do sleep 0.05; done\necho \"done $WFCTL_SLA_ATTEMPT\" >> {runs}\n",
            runs = runs_file.display(),
            gate = gate.display(),
            dir = env.dir.path().display()
        ),
    );
    env.config("[sla.actions.\"CUSTOM:mark\"]\nexec = [\"./gated.sh\"]\ntimeout = \"2m\"\n");
    start_cases(env.store().as_ref(), 1, 1);
    let mut first = worker(&env);
    poll_until(
        "the first worker runs the action",
        Duration::from_secs(60),
        || starts(&env).len() == 1,
    );
    let (first_pid, first_attempt) = starts(&env)[0];
    assert_eq!(first_attempt, 1);
    // the server ends every session of the first worker: its claim and case lock go with them
    let Backend::Postgres(db) = &env.backend else {
        unreachable!()
    };
    crate::support::backup::text(
        &mut db.conn(),
        "SELECT count(pg_terminate_backend(pid))::text AS v FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    let mut status = None;
    poll_until("the first worker stops", Duration::from_secs(20), || {
        status = first.try_wait().unwrap();
        status.is_some()
    });
    let out = first.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(status.unwrap().code(), Some(69), "{stderr}");
    assert!(stderr.contains("claim was lost"), "{stderr}");
    assert!(
        !std::path::Path::new(&format!("/proc/{first_pid}")).exists(),
        "the first run's program is still there"
    );
    assert_eq!(runs(&env), [format!("start {first_pid} 1")]);
    let second = worker(&env);
    poll_until(
        "the second worker runs the action",
        Duration::from_secs(60),
        || starts(&env).len() == 2,
    );
    std::fs::write(&gate, "").unwrap();
    let pass = finish(second);
    assert_eq!(pass["fired"], 1, "{pass}");
    let runs = runs(&env);
    assert_eq!(runs.len(), 3, "{runs:?}");
    assert_eq!(runs[1..][1], "done 2", "{runs:?}");
    assert_eq!(starts(&env)[1].1, 2, "{runs:?}");
    let again = finish(worker(&env));
    assert_eq!(again["milestones"], serde_json::json!([]), "{again}");
}

/// A milestone fired on the file store is fired on PostgreSQL after `migrate-files`: `sla run`
/// there runs nothing again, and `sla due` shows when it fired.
#[test]
fn migrate_files_carries_the_fired_state_of_milestones() {
    let Some(env) = Env::postgres() else { return };
    mark_config(&env);
    let store = wfctl::store::FileStore::open(env.path("fs")).unwrap();
    start_cases(&store, 3, 2);
    let mut on_files = env.wf();
    on_files.args(["--store", "fs", "--json", "sla", "run"]);
    let pass = crate::support::Run::of(&mut on_files).expect_code(0);
    let pass: Value = serde_json::from_str(&pass.stdout).unwrap();
    assert_eq!(pass["fired"], 6, "{pass}");
    assert_each_fired_once(&env, 6, 0);
    env.run(&["migrate-files", "fs", "--verify"]).expect_code(0);
    let again = finish(worker(&env));
    assert_eq!(again["milestones"], serde_json::json!([]), "{again}");
    assert_each_fired_once(&env, 6, 0);
    let due = env.json(&["sla", "due", "--fired-within", "1d"], 0);
    let shown = due["milestones"].as_array().unwrap();
    assert_eq!(shown.len(), 6, "{due}");
    assert!(shown.iter().all(|m| m["state"] == "fired"), "{due}");
    assert_eq!(overdue(&env), 0, "diag cases: overdue and never fired");
}

#[test]
fn two_workers_fire_each_milestone_once_on_the_file_store() {
    let env = Env::files();
    mark_config(&env);
    let Backend::Files(dir) = &env.backend else {
        unreachable!()
    };
    let store = wfctl::store::FileStore::open(dir).unwrap();
    start_cases(&store, 20, 5);
    let workers = [worker(&env), worker(&env)];
    let passes: Vec<Value> = workers.into_iter().map(finish).collect();
    let fired: u64 = passes.iter().map(|p| p["fired"].as_u64().unwrap()).sum();
    assert_eq!(fired, 100, "{passes:?}");
    assert_each_fired_once(&env, 100, 0);
    let again = finish(worker(&env));
    assert_eq!(again["milestones"], serde_json::json!([]), "{again}");
}

/// `manual` pends (in the basket its user data names), `worker` proceeds.
const PEND_CONFIG: &str =
    "[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nbuiltin = \"proceed\"\n";

const ESCALATION_SLA: &str = r#"{"milestones": [
  {"name": "escalate", "setup_on": "work_basket_entry", "type": "work_basket",
   "work_basket_name": "inbox", "applied_at_age": "0m", "clock_starts": "immediately",
   "action": "CHG_WB:supervisor"},
  {"name": "supervisor_deadline", "setup_on": "work_basket_entry", "type": "work_basket",
   "work_basket_name": "supervisor", "applied_at_age": "2h", "clock_starts": "immediately",
   "action": "CUSTOM:remind_manager"},
  {"name": "left_inbox", "setup_on": "work_basket_exit", "type": "case_level",
   "work_basket_name": "inbox", "applied_at_age": "1d", "clock_starts": "immediately"}
]}"#;

fn milestone_names(shown: &Value) -> Vec<String> {
    shown["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn chg_wb_moves_the_case_and_enqueues_the_new_baskets_milestones() {
    for env in Env::all() {
        let who = env.name();
        env.config(PEND_CONFIG);
        env.start_inbox_case("e1", ESCALATION_SLA);
        let pass = env.json(&["sla", "run"], 0);
        assert_eq!(pass["fired"], 1, "{who}: {pass}");
        assert_eq!(pass["milestones"][0]["milestone"], "escalate", "{who}");
        let shown = env.json(&["case", "show", "e1"], 0);
        assert_eq!(shown["work_basket"], "supervisor", "{who}: {shown}");
        // as `case change-workbasket` does: the basket left is dequeued, its exit milestones
        // and the new basket's entry milestones are set up
        let names = milestone_names(&shown);
        assert!(
            names.contains(&"supervisor_deadline".to_owned())
                && names.contains(&"left_inbox".to_owned())
                && !names.contains(&"escalate".to_owned()),
            "{who}: {names:?}"
        );
        let history = env.json(&["case", "history", "e1"], 0)["entries"].clone();
        let last = history.as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["outcome"], "moved to supervisor", "{who}");
        // fired once: a second pass has nothing to do
        let again = env.json(&["sla", "run"], 0);
        assert_eq!(again["milestones"], serde_json::json!([]), "{who}: {again}");
        let due = env.json(&["sla", "due"], 0)["milestones"].clone();
        assert_eq!(due[0]["name"], "escalate", "{who}: {due}");
        assert_eq!(due[0]["state"], "fired", "{who}: {due}");
        // lateness in the one printed form of durations (`1m`, not `1m 30s`)
        let table = env.run(&["sla", "due", "--at", "+2h1m30s"]).expect_code(0);
        let row = table
            .stdout
            .lines()
            .find(|l| l.contains("supervisor_deadline"))
            .unwrap_or_else(|| panic!("{who}: {}", table.stdout));
        let late = row.trim().trim_end_matches('|').rsplit('|').next().unwrap();
        assert_eq!(late.trim(), "1m", "{who}: {row}");
    }
}

#[test]
fn an_action_nothing_runs_is_reported_by_dry_run_and_fails_the_run() {
    let env = Env::files();
    env.config(PEND_CONFIG);
    env.start_inbox_case(
        "n1",
        r#"{"milestones": [{"name": "corr", "setup_on": "case_start", "type": "case_level",
            "applied_at_age": "0m", "clock_starts": "immediately", "action": "CORR:late"},
           {"name": "decline", "setup_on": "case_start", "type": "case_level",
            "applied_at_age": "0m", "clock_starts": "immediately", "action": "DECLINE:X1"}]}"#,
    );
    let dry = env.json(&["sla", "run", "--dry-run"], 0);
    let mut problems: Vec<&str> = dry["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["problem"].as_str().unwrap_or(""))
        .collect();
    problems.sort_unstable();
    assert_eq!(
        problems,
        [
            "nothing runs action CORR:late: configure [sla.actions.\"CORR\"]",
            "nothing runs action DECLINE:X1: configure [sla.actions.\"DECLINE\"]",
        ],
        "{dry}"
    );
    // a real run records both as failed (exit 3) and leaves them due
    let run = env.run(&["sla", "run"]).expect_code(3);
    assert!(
        run.stderr.contains("2 SLA action(s) failed"),
        "{}",
        run.stderr
    );
    let due = env.json(&["sla", "due"], 0)["milestones"].clone();
    assert!(
        due.as_array()
            .unwrap()
            .iter()
            .all(|m| m["state"] == "failed" && m["attempts"] == 1),
        "{due}"
    );
}

#[test]
fn every_stops_cleanly_on_sigterm() {
    let env = Env::files();
    mark_config(&env);
    let Backend::Files(dir) = &env.backend else {
        unreachable!()
    };
    start_cases(&wfctl::store::FileStore::open(dir).unwrap(), 1, 2);
    let child = env
        .wf()
        .args(["sla", "run", "--every", "1h"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    poll_until("the first pass fired", Duration::from_secs(30), || {
        marks(&env).len() == 2
    });
    crate::support::backup::signal(child.id(), "TERM");
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("stopped by a signal"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn journey_validate_with_a_config_warns_of_actions_nothing_runs() {
    let env = Env::files();
    env.config("[sla.actions.\"CUSTOM:remind_manager\"]\nexec = [\"./remind.sh\"]\n");
    env.write("journey.json", INBOX_JOURNEY);
    env.write("sla.json", ESCALATION_SLA);
    env.write(
        "other.json",
        r#"{"milestones": [{"name": "inc", "setup_on": "case_start", "type": "case_level",
            "applied_at_age": "1h", "clock_starts": "immediately", "action": "RAISE_INC:P1"}]}"#,
    );
    let report = env.json(
        &[
            "journey",
            "validate",
            "journey.json",
            "--sla",
            "sla.json",
            "--sla",
            "other.json",
        ],
        0,
    );
    assert_eq!(
        report["files"][1]["warnings"],
        serde_json::json!([]),
        "{report}"
    );
    let warning = &report["files"][2]["warnings"][0];
    assert_eq!(warning["path"], "$.milestones[0].action", "{report}");
    assert_eq!(
        warning["message"],
        "nothing runs action RAISE_INC:P1: configure [sla.actions.\"RAISE_INC\"]",
        "{report}"
    );
}

#[test]
fn every_zero_is_refused_not_a_busy_loop() {
    let env = Env::files();
    env.config(PEND_CONFIG);
    for zero in ["0", "0s", "0m"] {
        let run = env.run(&["sla", "run", "--every", zero]).expect_code(2);
        assert!(
            run.stderr.contains("--every") && run.stderr.contains("more than 0"),
            "{}",
            run.stderr
        );
    }
}

/// A failed action's stderr is recorded with the failure, scrubbed of the case's sensitive
/// values and bounded.
#[test]
fn a_failed_actions_stderr_is_recorded_scrubbed() {
    for env in Env::all() {
        let who = env.name();
        keygen_json(&env, "k.key");
        env.write(
            "fail.sh",
            "#!/bin/sh\nhead -c 100000 /dev/zero | tr '\\0' x >&2\necho \"cannot reach the desk\" >&2\ncat >&2\necho 'last words' >&2\nexit 4\n",
        );
        env.config(&format!(
            "{PEND_CONFIG}[sla.actions.\"CUSTOM\"]\nexec = [\"./fail.sh\"]\n\
             [variables]\nsensitive = [\"ssn\"]\nkey_file = \"k.key\"\n"
        ));
        env.write("journey.json", INBOX_JOURNEY);
        env.write(
            "sla.json",
            r#"{"milestones": [{"name": "m", "setup_on": "case_start", "type": "case_level",
                "applied_at_age": "0m", "clock_starts": "immediately", "action": "CUSTOM:x"}]}"#,
        );
        env.json(
            &[
                "case",
                "start",
                "--case-id",
                "a1",
                "--journey",
                "journey.json",
                "--sla",
                "sla.json",
                "--var",
                "ssn=string:555-12-3456",
            ],
            0,
        );
        let run = env.run(&["--json", "sla", "run"]).expect_code(3);
        assert!(!run.stdout.contains("555-12-3456"), "{who}: {}", run.stdout);
        let due = env.json(&["sla", "due"], 0);
        let error = due["milestones"][0]["error"].as_str().unwrap_or_default();
        assert!(
            error.contains("last words") && error.contains("***"),
            "{who}: the stderr tail is recorded: {due}"
        );
        assert!(!error.contains("555-12-3456"), "{who}: {error}");
        assert!(error.len() < 8192, "{who}: bounded: {} bytes", error.len());
    }
}

/// One case whose records cannot be read never hides the others' milestones: `sla due` lists
/// them and `sla run` fires them, each warns naming the file and exits 3 (as `case list`).
#[test]
fn one_corrupt_case_does_not_stop_sla_due_or_run_on_the_file_store() {
    let env = Env::files();
    mark_config(&env);
    let Backend::Files(dir) = &env.backend else {
        unreachable!()
    };
    let store = wfctl::store::FileStore::open(dir).unwrap();
    start_cases(&store, 3, 2);
    // c0000 sorts first: a scan that stops at it sees nothing else
    for (case, bad) in [
        ("c0000", "workflow_process_info-c0000.json"),
        ("c0002", "milestones-c0002.json"),
    ] {
        let path = dir.join(bad);
        assert!(path.exists(), "{case}: {bad} is the file it reads");
        std::fs::write(&path, "{ not json").unwrap();
    }

    let due = env.run(&["--json", "sla", "due"]).expect_code(3);
    let listed: Value = serde_json::from_str(&due.stdout).unwrap();
    let cases: Vec<&str> = listed["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["case_id"].as_str().unwrap())
        .collect();
    assert_eq!(cases, ["c0001", "c0001"], "{}", due.stdout);
    for bad in ["workflow_process_info-c0000.json", "milestones-c0002.json"] {
        assert!(due.stderr.contains(bad), "names {bad}: {}", due.stderr);
    }

    let run = env.run(&["--json", "sla", "run"]).expect_code(3);
    let pass: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(pass["fired"], 2, "{pass}");
    assert!(
        run.stderr.contains("workflow_process_info-c0000.json")
            && run.stderr.contains("milestones-c0002.json"),
        "{}",
        run.stderr
    );
    assert_each_fired_once(&env, 2, 0);
}

/// Two baskets whose entry milestones (due at once) move the case to each other.
const PING_PONG_SLA: &str = r#"{"milestones": [
  {"name": "to_b", "setup_on": "work_basket_entry", "type": "work_basket",
   "work_basket_name": "inbox", "applied_at_age": "0m", "clock_starts": "immediately",
   "action": "CHG_WB:bbb"},
  {"name": "to_a", "setup_on": "work_basket_entry", "type": "work_basket",
   "work_basket_name": "bbb", "applied_at_age": "0m", "clock_starts": "immediately",
   "action": "CHG_WB:inbox"}
]}"#;

/// A pass takes only the milestones due when it began: those its own actions enqueue (due at
/// once) wait for the next pass, so one pass ends, on both stores.
#[test]
fn one_pass_ends_when_its_actions_enqueue_milestones_due_at_once() {
    for env in Env::all() {
        let who = env.name();
        env.config(PEND_CONFIG);
        env.start_inbox_case("pp", PING_PONG_SLA);
        let mut passes = Vec::new();
        for _ in 0..2 {
            let mut child = worker(&env);
            let ended = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                poll_until(
                    &format!("{who}: one sla run pass ends"),
                    Duration::from_secs(60),
                    || child.try_wait().unwrap().is_some(),
                );
            }));
            if ended.is_err() {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{who}: one `sla run` pass did not end");
            }
            passes.push(finish(child));
        }
        // the first pass fires what was due (to_b), the second the milestone it enqueued
        assert_eq!(passes[0]["fired"], 1, "{who}: {}", passes[0]);
        assert_eq!(passes[0]["milestones"][0]["milestone"], "to_b", "{who}");
        assert_eq!(passes[1]["fired"], 1, "{who}: {}", passes[1]);
        assert_eq!(passes[1]["milestones"][0]["milestone"], "to_a", "{who}");
        let shown = env.json(&["case", "show", "pp"], 0);
        assert_eq!(shown["work_basket"], "inbox", "{who}: {shown}");
    }
}
