//! Idempotency keys and attempts: every unit execution tells its component a key that a re-run
//! after an interruption repeats, and how many times that key has been started; a component
//! that records the key does its work once.

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::support::case_env::Env;
use crate::support::poll_until;

const CONFIG: &str = "[components.worker]\nbuiltin = \"proceed\"\n\
[components.pay]\nexec = [\"./pay.sh\"]\n";

/// Logs what it was told (env and stdin, one line each per run). With `block-CASE` present it
/// removes it, says it started and waits for `release-CASE`; with `pend-CASE` present it
/// removes it and pends to be run again.
const PAY: &str = "#!/bin/sh\nin=$(cat)\n\
printf '%s %s %s\\n' \"$WFCTL_STEP\" \"$WFCTL_IDEMPOTENCY_KEY\" \"$WFCTL_ATTEMPT\" >>\"env-$WFCTL_CASE_ID.log\"\n\
printf '%s\\n' \"$in\" >>\"stdin-$WFCTL_CASE_ID.log\"\n\
if [ -e \"block-$WFCTL_CASE_ID\" ]; then\n\
  rm \"block-$WFCTL_CASE_ID\"; touch \"started-$WFCTL_CASE_ID\"\n\
  while [ ! -e \"release-$WFCTL_CASE_ID\" ]; do sleep 0.05; done\n\
fi\n\
if [ -e \"pend-$WFCTL_CASE_ID\" ]; then\n\
  rm \"pend-$WFCTL_CASE_ID\"; echo '{\"response\":\"ok_pend_eor\",\"workbasket\":\"again\"}'; exit 0\n\
fi\n\
echo '{\"response\":\"ok_proceed\"}'\n";

/// `start` proceeds (a write), `pay` and `check` (two units, one component) run, then `end`.
const JOURNEY: &str = r#"{"journey": {"name": "pay_flow", "flow": [
  {"name": "start", "component": "worker", "next": "pay"},
  {"name": "pay", "component": "pay", "next": "check"},
  {"name": "check", "component": "pay", "next": "end"}]}}"#;

/// One run of the component as it saw it: step, key and attempt from the environment, and the
/// same from stdin.
#[derive(Debug, PartialEq, Eq)]
struct Seen {
    step: String,
    key: String,
    attempt: u64,
}

fn setup(env: &Env) -> String {
    env.config(CONFIG);
    env.write("pay.sh", PAY);
    env.write("pay.json", JOURNEY).display().to_string()
}

/// The runs of `case`'s components, checking that stdin said what the environment said.
fn runs(env: &Env, case: &str) -> Vec<Seen> {
    let read = |name: &str| std::fs::read_to_string(env.path(name)).unwrap_or_default();
    let from_env: Vec<Seen> = read(&format!("env-{case}.log"))
        .lines()
        .map(|line| {
            let mut parts = line.split(' ');
            let mut next = || parts.next().unwrap_or_default().to_owned();
            Seen {
                step: next(),
                key: next(),
                attempt: next().parse().unwrap_or(0),
            }
        })
        .collect();
    let from_stdin: Vec<Seen> = read(&format!("stdin-{case}.log"))
        .lines()
        .map(|line| {
            let request: Value = serde_json::from_str(line).unwrap();
            Seen {
                step: request["step"].as_str().unwrap().to_owned(),
                key: request["idempotency_key"].as_str().unwrap().to_owned(),
                attempt: request["attempt"].as_u64().unwrap(),
            }
        })
        .collect();
    assert_eq!(from_env, from_stdin, "{}: env and stdin agree", env.name());
    from_env
}

fn start_blocked(env: &Env, journey: &str, case: &str) -> Child {
    env.write(&format!("block-{case}"), "");
    let child = env
        .wf()
        .args(["case", "start", "--journey", journey, "--case-id", case])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("wfctl starts");
    let started = env.path(&format!("started-{case}"));
    poll_until(
        &format!("{case} to block in its pay unit"),
        Duration::from_secs(60),
        || started.exists(),
    );
    child
}

struct Released<'a>(&'a Path, &'a str);

impl Drop for Released<'_> {
    // no script outlives the test, whatever happened to wfctl
    fn drop(&mut self) {
        let _ = std::fs::write(self.0.join(format!("release-{}", self.1)), "");
    }
}

#[test]
fn a_unit_rerun_after_a_kill_sees_its_key_again_with_attempt_2() {
    for env in Env::all() {
        let who = env.name();
        let journey = setup(&env);
        let _released = Released(env.dir.path(), "k");
        let mut killed = start_blocked(&env, &journey, "k");
        killed.kill().unwrap(); // SIGKILL, mid-unit
        killed.wait().unwrap();
        std::fs::write(env.path("release-k"), "").unwrap();

        let report = env.json(&["case", "resume", "--all", "--stuck-for", "0s"], 0);
        assert_eq!(report["done"], 1, "{who}: {report}");
        let case = env.json(&["case", "show", "k"], 0);
        assert_eq!(case["status"], "completed", "{who}: {case}");

        let seen = runs(&env, "k");
        let steps: Vec<&str> = seen.iter().map(|s| s.step.as_str()).collect();
        assert_eq!(steps, ["pay", "pay", "check"], "{who}: {seen:?}");
        assert_eq!(
            seen[0].key, seen[1].key,
            "{who}: the re-run repeats the key"
        );
        assert_eq!(
            (seen[0].attempt, seen[1].attempt),
            (1, 2),
            "{who}: {seen:?}"
        );
        assert!(seen[0].key.starts_with("k:"), "{who}: {seen:?}");
        assert_ne!(seen[2].key, seen[0].key, "{who}: another unit, another key");
        assert_eq!(seen[2].attempt, 1, "{who}: after the re-run: {seen:?}");
    }
}

#[test]
fn a_second_interruption_of_the_same_unit_counts_attempt_3() {
    for env in Env::all() {
        let who = env.name();
        let journey = setup(&env);
        let _released = Released(env.dir.path(), "k");
        let mut killed = start_blocked(&env, &journey, "k");
        killed.kill().unwrap();
        killed.wait().unwrap();
        // the recovering run is killed in the same unit too
        std::fs::remove_file(env.path("started-k")).unwrap();
        env.write("block-k", "");
        let mut again = env
            .wf()
            .args(["case", "resume", "k"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = env.path("started-k");
        poll_until("the re-run to block", Duration::from_secs(60), || {
            started.exists()
        });
        again.kill().unwrap();
        again.wait().unwrap();
        std::fs::write(env.path("release-k"), "").unwrap();
        env.run(&["case", "resume", "k"]).expect_code(0);

        let seen = runs(&env, "k");
        let pay: Vec<(&str, u64)> = seen
            .iter()
            .filter(|s| s.step == "pay")
            .map(|s| (s.key.as_str(), s.attempt))
            .collect();
        let key = pay[0].0;
        assert_eq!(pay, [(key, 1), (key, 2), (key, 3)], "{who}: {seen:?}");
    }
}

#[test]
fn normal_runs_are_attempt_1_and_every_visit_has_its_own_key() {
    for env in Env::all() {
        let who = env.name();
        let journey = setup(&env);
        // pay pends to run again: the second visit of the same step is a new execution
        env.write("pend-n", "");
        env.run(&["case", "start", "--journey", &journey, "--case-id", "n"])
            .expect_code(0);
        env.run(&["case", "resume", "n"]).expect_code(0);
        env.run(&["case", "start", "--journey", &journey, "--case-id", "m"])
            .expect_code(0);

        let seen = runs(&env, "n");
        let steps: Vec<&str> = seen.iter().map(|s| s.step.as_str()).collect();
        assert_eq!(steps, ["pay", "pay", "check"], "{who}: {seen:?}");
        assert!(seen.iter().all(|s| s.attempt == 1), "{who}: {seen:?}");
        let mut keys: Vec<String> = seen.iter().map(|s| s.key.clone()).collect();
        keys.extend(runs(&env, "m").into_iter().map(|s| s.key));
        let count = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(
            keys.len(),
            count,
            "{who}: every execution its own key: {seen:?}"
        );
    }
}

/// `case resume CASE` with `pay` blocked in its first unit, killed there (SIGKILL).
fn kill_resume_in_pay(env: &Env, case: &str) {
    let started = env.path(&format!("started-{case}"));
    let _ = std::fs::remove_file(&started);
    env.write(&format!("block-{case}"), "");
    let mut resume = env
        .wf()
        .args(["case", "resume", case])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("wfctl starts");
    poll_until(
        &format!("{case} to block in its pay unit"),
        Duration::from_secs(60),
        || started.exists(),
    );
    resume.kill().unwrap(); // SIGKILL, in the first unit of the resume
    resume.wait().unwrap();
}

#[test]
fn a_resume_killed_in_its_first_unit_counts_the_attempts_on() {
    for env in Env::all() {
        let who = env.name();
        let journey = setup(&env);
        let _released = Released(env.dir.path(), "p");
        // pay pends to run again: the case waits in `again`, its next unit is pay
        env.write("pend-p", "");
        env.run(&["case", "start", "--journey", &journey, "--case-id", "p"])
            .expect_code(0);
        kill_resume_in_pay(&env, "p");
        // the killed resume wrote nothing but its attempt: the case still waits in its basket
        let case = env.json(&["case", "show", "p"], 0);
        assert_eq!(case["status"], "pended", "{who}: {case}");
        assert_eq!(case["work_basket"], "again", "{who}: {case}");
        let stuck = env.json(&["case", "resume", "--all", "--stuck-for", "0s"], 0);
        assert_eq!(
            stuck["done"], 0,
            "{who}: a pended case is not stuck: {stuck}"
        );
        kill_resume_in_pay(&env, "p");
        std::fs::write(env.path("release-p"), "").unwrap();
        env.run(&["case", "resume", "p"]).expect_code(0);

        let seen = runs(&env, "p");
        let pay: Vec<(&str, u64)> = seen
            .iter()
            .filter(|s| s.step == "pay")
            .map(|s| (s.key.as_str(), s.attempt))
            .collect();
        assert_eq!(pay.len(), 4, "{who}: {seen:?}");
        let key = pay[1].0;
        assert_ne!(
            pay[0].0, key,
            "{who}: the resume is another visit: {seen:?}"
        );
        assert_eq!(pay[1..], [(key, 1), (key, 2), (key, 3)], "{who}: {seen:?}");
        let check = seen.last().unwrap();
        assert_eq!(
            (check.step.as_str(), check.attempt),
            ("check", 1),
            "{who}: {seen:?}"
        );
    }
}

/// `case set-var` and `case change-workbasket` would write an audit record and so change the
/// key of the unit a resume runs again: on an interrupted case they are refused until it is
/// resumed, and the re-run keeps its key.
#[test]
fn changes_to_an_interrupted_case_are_refused_so_the_rerun_keeps_its_key() {
    for env in Env::all() {
        let who = env.name();
        let journey = setup(&env);
        let _released = Released(env.dir.path(), "i");
        let mut killed = start_blocked(&env, &journey, "i");
        killed.kill().unwrap(); // SIGKILL, mid-unit: the case is interrupted
        killed.wait().unwrap();
        // the same after a resume killed in its first unit (the case reads as pended)
        let _released_p = Released(env.dir.path(), "q");
        env.write("pend-q", "");
        env.run(&["case", "start", "--journey", &journey, "--case-id", "q"])
            .expect_code(0);
        kill_resume_in_pay(&env, "q");
        for case in ["i", "q"] {
            for args in [
                vec!["case", "set-var", case, "--var", "x=string:1"],
                vec!["case", "change-workbasket", case, "elsewhere"],
            ] {
                let run = env.run(&args);
                assert_eq!(run.code, 1, "{who}: {args:?}: {}", run.stderr);
                assert!(
                    run.stderr.contains(case) && run.stderr.contains("resume it first"),
                    "{who}: {args:?}: {}",
                    run.stderr
                );
            }
        }
        std::fs::write(env.path("release-i"), "").unwrap();
        std::fs::write(env.path("release-q"), "").unwrap();
        env.run(&["case", "resume", "i"]).expect_code(0);
        env.run(&["case", "resume", "q"]).expect_code(0);
        let seen = runs(&env, "i");
        assert_eq!(
            (&seen[1].key, seen[1].attempt),
            (&seen[0].key, 2),
            "{who}: {seen:?}"
        );
        let pay: Vec<(String, u64)> = runs(&env, "q")
            .into_iter()
            .filter(|s| s.step == "pay")
            .map(|s| (s.key, s.attempt))
            .collect();
        assert_eq!(pay[2], (pay[1].0.clone(), 2), "{who}: {pay:?}");
        // resumed and pended or completed: set-var works again
        env.run(&["case", "set-var", "i", "--var", "x=string:1"])
            .expect_code(0);
    }
}

/// A payment program that deduplicates by the key, as the docs tell components to: it logs
/// every run (`exec path`, step, key, attempt), pays (appends the key to `paid-CASE.log`)
/// unless the key was paid already, and answers after `WAIT` seconds, so a kill lands while
/// branches are paying and others have saved.
const PAR_PAY: &str = "#!/bin/sh\ncat >/dev/null\n\
printf '%s %s %s %s\\n' \"$WFCTL_EXEC_PATH\" \"$WFCTL_STEP\" \"$WFCTL_IDEMPOTENCY_KEY\" \"$WFCTL_ATTEMPT\" >>\"runs-$WFCTL_CASE_ID.log\"\n\
if ! grep -qxF \"$WFCTL_IDEMPOTENCY_KEY\" \"paid-$WFCTL_CASE_ID.log\" 2>/dev/null; then\n\
  printf '%s\\n' \"$WFCTL_IDEMPOTENCY_KEY\" >>\"paid-$WFCTL_CASE_ID.log\"\n\
fi\n\
case \"$WFCTL_STEP\" in slow*) sleep 0.6;; *) sleep 0.15;; esac\n\
echo '{\"response\":\"ok_proceed\"}'\n";

/// Both p_routes take both their branches.
const FAN: &str = "#!/bin/sh\ncat >/dev/null\n\
case \"$WFCTL_STEP\" in outer) b='\"a\",\"b\"';; *) b='\"x\",\"y\"';; esac\n\
echo \"{\\\"response\\\":\\\"ok_proceed\\\",\\\"branches\\\":[$b]}\"\n";

/// A parallel block whose branch `b` holds another parallel block: paying units on every
/// level, fast and slow ones side by side.
const PAR_JOURNEY: &str = r#"{"journey": {"name": "par_pay", "flow": [
  {"name": "start", "component": "worker", "next": "outer"},
  {"name": "outer", "type": "p_route", "component": "fan",
   "branches": [{"name": "a", "next": "fast_a1"}, {"name": "b", "next": "inner"}]},
  {"name": "fast_a1", "component": "pay", "next": "slow_a2"},
  {"name": "slow_a2", "component": "pay", "next": "fast_a3"},
  {"name": "fast_a3", "component": "pay", "next": "join"},
  {"name": "inner", "type": "p_route", "component": "fan",
   "branches": [{"name": "x", "next": "slow_x"}, {"name": "y", "next": "fast_y1"}]},
  {"name": "slow_x", "component": "pay", "next": "join_inner"},
  {"name": "fast_y1", "component": "pay", "next": "fast_y2"},
  {"name": "fast_y2", "component": "pay", "next": "join_inner"},
  {"name": "join_inner", "type": "p_join", "next": "after_inner"},
  {"name": "after_inner", "component": "pay", "next": "join"},
  {"name": "join", "type": "p_join", "next": "last"},
  {"name": "last", "component": "pay", "next": "end"}]}}"#;

/// Kills `wfctl` (SIGKILL) `delay_ms` after it started running `args`.
fn kill_after(env: &Env, args: &[&str], delay_ms: u64) {
    let mut child = env
        .wf()
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("wfctl starts");
    std::thread::sleep(Duration::from_millis(delay_ms));
    let _ = child.kill();
    child.wait().unwrap();
}

/// kill -9 at many points of a run through nested parallel blocks, then of the recovering
/// runs: every (exec path, step) is one unit execution, so it must keep one key through all
/// its re-runs, with attempts counting up (a new key would make the component pay twice), and
/// the case completes with each unit paid once.
#[test]
fn kills_inside_parallel_blocks_keep_each_units_key_and_count_its_attempts() {
    for env in Env::all() {
        let who = env.name();
        env.config(&format!(
            "{CONFIG}[components.fan]\nexec = [\"./fan.sh\"]\n"
        ));
        env.write("pay.sh", PAR_PAY);
        env.write("fan.sh", FAN);
        let journey = env.write("par.json", PAR_JOURNEY).display().to_string();
        for (n, delay_ms) in [150_u64, 400, 650, 900, 1200, 1500].into_iter().enumerate() {
            let case = format!("par{n}");
            kill_after(
                &env,
                &["case", "start", "--journey", &journey, "--case-id", &case],
                delay_ms,
            );
            let show = env.run(&["case", "show", &case]);
            if show.code != 0 {
                // killed before the case was created: it is absent, and nothing was paid
                assert!(show.stderr.contains("not found"), "{who}: {}", show.stderr);
                assert!(!env.path(&format!("runs-{case}.log")).exists(), "{who}");
                continue;
            }
            // the recovering runs are killed too, at another point each time
            for later_ms in [300_u64, 700] {
                let status = env.json(&["case", "show", &case], 0)["status"].clone();
                if status == "completed" {
                    break;
                }
                kill_after(&env, &["case", "resume", &case], later_ms);
            }
            let mut status = Value::Null;
            for _ in 0..10 {
                status = env.json(&["case", "show", &case], 0)["status"].clone();
                if status == "completed" {
                    break;
                }
                env.run(&["case", "resume", &case]);
            }
            assert_eq!(status, "completed", "{who}: {case} (kill at {delay_ms} ms)");

            let log =
                std::fs::read_to_string(env.path(&format!("runs-{case}.log"))).unwrap_or_default();
            let mut units: std::collections::BTreeMap<(String, String), Vec<(String, u64)>> =
                std::collections::BTreeMap::new();
            for line in log.lines() {
                let p: Vec<&str> = line.split(' ').collect();
                units
                    .entry((p[0].to_owned(), p[1].to_owned()))
                    .or_default()
                    .push((p[2].to_owned(), p[3].parse().unwrap()));
            }
            assert_eq!(
                units.len(),
                8,
                "{who}: {case}: every paying unit ran: {log}"
            );
            for ((path, step), runs) in &units {
                let context = format!("{who}: {case} (kill at {delay_ms} ms): {path} {step}");
                assert!(
                    runs.iter().all(|(key, _)| *key == runs[0].0),
                    "{context} keeps its key:\n{log}"
                );
                // a kill between counting a start and the program's start skips a number
                assert!(
                    runs.windows(2).all(|w| w[0].1 < w[1].1) && runs[0].1 >= 1,
                    "{context} counts its attempts up:\n{log}"
                );
            }
            let paid =
                std::fs::read_to_string(env.path(&format!("paid-{case}.log"))).unwrap_or_default();
            assert_eq!(
                paid.lines().count(),
                8,
                "{who}: {case}: each unit paid once: {log}"
            );
        }
    }
}

/// The file store's `.attempts` records live only while a claimed visit waits for its result:
/// the save of that visit removes it, so a completed case leaves none behind.
#[test]
fn a_claimed_attempt_is_removed_once_its_visit_is_saved() {
    let env = Env::files();
    let journey = setup(&env);
    let attempts = env.path("workflow-data/.attempts");
    let records = || {
        std::fs::read_dir(&attempts)
            .map(|d| d.filter_map(|e| e.ok()).count())
            .unwrap_or(0)
    };
    let _released = Released(env.dir.path(), "c");
    env.write("pend-c", "");
    env.run(&["case", "start", "--journey", &journey, "--case-id", "c"])
        .expect_code(0);
    kill_resume_in_pay(&env, "c");
    assert_eq!(
        records(),
        1,
        "the killed resume's claim is kept for the next"
    );
    std::fs::write(env.path("release-c"), "").unwrap();
    env.run(&["case", "resume", "c"]).expect_code(0);
    assert_eq!(env.json(&["case", "show", "c"], 0)["status"], "completed");
    assert_eq!(records(), 0, "no record outlives the visit it counted");
    let pay: Vec<u64> = runs(&env, "c")
        .into_iter()
        .filter(|s| s.step == "pay")
        .map(|s| s.attempt)
        .collect();
    assert_eq!(pay, [1, 1, 2], "the claim still counted the re-run");
}

/// A corrupt `.attempts` record of an interrupted case: the dry run and the real run decide
/// the same (the case fails, naming it and the file), and nothing resets it to attempt 1.
#[test]
fn a_corrupt_attempt_record_fails_the_dry_run_and_the_real_run_alike() {
    let env = Env::files();
    let journey = setup(&env);
    let _released = Released(env.dir.path(), "z");
    let mut killed = start_blocked(&env, &journey, "z");
    killed.kill().unwrap();
    killed.wait().unwrap();
    std::fs::write(env.path("release-z"), "").unwrap();
    std::fs::create_dir_all(env.path("workflow-data/.attempts")).unwrap();
    let record = env.write("workflow-data/.attempts/z.json", "{not json");
    let dry = env.json(
        &["case", "resume", "--all", "--stuck-for", "0s", "--dry-run"],
        3,
    );
    let real = env.json(&["case", "resume", "--all", "--stuck-for", "0s"], 3);
    for report in [&dry, &real] {
        let errors = failed_errors(report);
        assert_eq!(errors.len(), 1, "{report}");
        assert!(
            errors[0].contains("case z") && errors[0].contains("z.json"),
            "{report}"
        );
    }
    let single = env.run(&["case", "resume", "z"]);
    assert_eq!(single.code, 1, "{}", single.stderr);
    assert!(single.stderr.contains("case z"), "{}", single.stderr);
    assert_eq!(std::fs::read_to_string(&record).unwrap(), "{not json");
    assert_eq!(runs(&env, "z").len(), 1, "the unit did not run again");
}

/// One `case resume --all --stuck-for` recovers a case killed inside nested parallel blocks
/// to its end: every interrupted branch goes on, none is left parked in the temp-hold basket
/// where nobody works, and each unit is paid once.
#[test]
fn one_recovery_run_takes_every_interrupted_branch_of_a_parallel_case() {
    for env in Env::all() {
        let who = env.name();
        env.config(&format!(
            "{CONFIG}[components.fan]\nexec = [\"./fan.sh\"]\n"
        ));
        env.write("pay.sh", PAR_PAY);
        env.write("fan.sh", FAN);
        let journey = env.write("par.json", PAR_JOURNEY).display().to_string();
        let mut cases = Vec::new();
        for delay_ms in [300_u64, 450, 700] {
            let case = format!("rec{delay_ms}");
            kill_after(
                &env,
                &["case", "start", "--journey", &journey, "--case-id", &case],
                delay_ms,
            );
            if env.run(&["case", "show", &case]).code == 0 {
                cases.push(case);
            }
        }
        let run = env.run(&[
            "case",
            "resume",
            "--all",
            "--stuck-for",
            "0s",
            "--limit",
            "0",
        ]);
        assert_eq!(run.code, 0, "{who}: {}", run.stderr);
        for case in &cases {
            let shown = env.json(&["case", "show", case], 0);
            assert_eq!(shown["status"], "completed", "{who}: {case}: {shown}");
            let paid =
                std::fs::read_to_string(env.path(&format!("paid-{case}.log"))).unwrap_or_default();
            assert_eq!(
                paid.lines().count(),
                8,
                "{who}: {case}: each unit paid once"
            );
        }
    }
}

/// An attempt record whose count is not a count of starts (0, negative, missing, or so high the
/// next start cannot be counted) is corrupt in every store by one rule: the dry run and the real
/// run fail the case alike, naming it and the record, and the unit does not run again.
#[test]
fn an_attempt_count_out_of_range_fails_the_dry_run_and_the_real_run_alike_in_every_store() {
    for env in Env::all() {
        let who = env.name();
        let journey = setup(&env);
        let bad: [(&str, Option<i64>); 4] = [
            ("zero", Some(0)),
            ("negative", Some(-3)),
            ("missing", None),
            ("max", Some(i64::from(i32::MAX))),
        ];
        for (name, attempt) in bad {
            let case = format!("a{name}");
            let _released = Released(env.dir.path(), &case);
            let mut killed = start_blocked(&env, &journey, &case);
            killed.kill().unwrap();
            killed.wait().unwrap();
            std::fs::write(env.path(&format!("release-{case}")), "").unwrap();
            let record = match &env.backend {
                crate::support::case_env::Backend::Files(dir) => {
                    let value = attempt.map_or("null".to_owned(), |n| n.to_string());
                    std::fs::create_dir_all(dir.join(".attempts")).unwrap();
                    std::fs::write(
                        dir.join(format!(".attempts/{case}.json")),
                        format!("{{\"key\": \"k\", \"attempt\": {value}}}"),
                    )
                    .unwrap();
                    format!("{case}.json")
                }
                crate::support::case_env::Backend::Postgres(db) => {
                    use diesel::connection::SimpleConnection;
                    let value = attempt.map_or("NULL".to_owned(), |n| n.to_string());
                    db.conn()
                        .batch_execute(&format!(
                            "UPDATE workflow_info SET wfctl_attempt_key = 'k', \
                             wfctl_attempt = {value} WHERE case_id = '{case}'"
                        ))
                        .unwrap();
                    "wfctl_attempt".to_owned()
                }
            };
            let dry = env.json(
                &["case", "resume", "--all", "--stuck-for", "0s", "--dry-run"],
                3,
            );
            let real = env.json(&["case", "resume", "--all", "--stuck-for", "0s"], 3);
            for report in [&dry, &real] {
                let errors = failed_errors(report);
                assert_eq!(errors.len(), 1, "{who}: {name}: {report}");
                assert!(
                    errors[0].contains(&format!("case {case}")) && errors[0].contains(&record),
                    "{who}: {name}: {report}"
                );
            }
            let single = env.run(&["case", "resume", &case]);
            assert_eq!(single.code, 1, "{who}: {name}: {}", single.stderr);
            assert!(
                single.stderr.contains(&format!("case {case}")),
                "{who}: {name}: {}",
                single.stderr
            );
            assert_eq!(runs(&env, &case).len(), 1, "{who}: {name}: no re-run");
            // repaired (no record), the case recovers, out of the way of the next value's runs
            match &env.backend {
                crate::support::case_env::Backend::Files(dir) => {
                    std::fs::remove_file(dir.join(format!(".attempts/{case}.json"))).unwrap();
                }
                crate::support::case_env::Backend::Postgres(db) => {
                    use diesel::connection::SimpleConnection;
                    db.conn()
                        .batch_execute(&format!(
                            "UPDATE workflow_info SET wfctl_attempt_key = NULL, \
                             wfctl_attempt = NULL WHERE case_id = '{case}'"
                        ))
                        .unwrap();
                }
            }
            let repaired = env.run(&["case", "resume", &case]);
            assert_eq!(repaired.code, 0, "{who}: {name}: {}", repaired.stderr);
        }
    }
}

/// The idempotent-payout example pays once when its recovery runs in another directory (on
/// another worker): its ledger is named in its `wfctl.toml`, not found in the directory
/// wfctl happens to run in.
#[test]
fn the_payout_example_pays_once_when_recovered_from_another_directory() {
    for mut env in Env::all() {
        let who = env.name();
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/idempotent-payout");
        let copy = env.path("example");
        std::fs::create_dir_all(&copy).unwrap();
        for name in ["wfctl.toml", "payout.sh", "payout.json"] {
            std::fs::copy(example.join(name), copy.join(name)).unwrap();
        }
        env.config_file = Some(copy.join("wfctl.toml"));
        let (first, second) = (env.path("worker-a"), env.path("worker-b"));
        for dir in [&first, &second] {
            std::fs::create_dir_all(dir).unwrap();
        }
        let journey = copy.join("payout.json").display().to_string();
        // paid, then killed while the payout waits to answer
        let mut start = env
            .wf()
            .current_dir(&first)
            .env("WFCTL_COMPONENT_ENV", "WFCTL_SOAK_PAYOUT_DELAY")
            .env("WFCTL_SOAK_PAYOUT_DELAY", "60")
            .args(["case", "start", "--journey", &journey, "--case-id", "ex1"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("wfctl starts");
        let waiting = [&first, &copy].map(|d| d.join("payouts.log.waiting"));
        poll_until(
            "the payout to pay and wait",
            Duration::from_secs(60),
            || waiting.iter().any(|w| w.exists()),
        );
        start.kill().unwrap();
        start.wait().unwrap();

        let run = crate::support::Run::of(env.wf().current_dir(&second).args([
            "case",
            "resume",
            "--all",
            "--stuck-for",
            "0s",
        ]));
        assert_eq!(run.code, 0, "{who}: {}", run.stderr);
        let ledgers: Vec<(String, String)> = [&first, &second, &copy]
            .iter()
            .map(|d| {
                let ledger = d.join("payouts.log");
                let text = std::fs::read_to_string(&ledger).unwrap_or_default();
                (ledger.display().to_string(), text)
            })
            .filter(|(_, text)| !text.is_empty())
            .collect();
        assert_eq!(
            ledgers.len(),
            1,
            "{who}: one ledger for both runs: {ledgers:?}"
        );
        assert_eq!(
            ledgers[0].1.lines().count(),
            1,
            "{who}: paid once: {ledgers:?}"
        );
        assert!(
            ledgers[0].0.starts_with(&copy.display().to_string()),
            "{who}: {ledgers:?}"
        );
    }
}

/// The error of each case a bulk report marks failed.
fn failed_errors(report: &Value) -> Vec<String> {
    report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["result"] == "failed")
        .map(|c| c["error"].as_str().unwrap().to_owned())
        .collect()
}
