//! Bulk resume and change-workbasket: four workers at once on every store, no case done twice
//! (checked in the audit logs), dry runs, limits, and exit 3 listing the cases that failed.

use std::process::{Command, Stdio};

use serde_json::Value;

use crate::support::case_env::{Env, INBOX_JOURNEY};

fn setup(env: &Env, worker: &str) -> String {
    env.config(
        "[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nexec = [\"./worker.sh\"]\n",
    );
    env.write("worker.sh", worker);
    env.write("inbox.json", INBOX_JOURNEY).display().to_string()
}

/// The worker sleeps a little so that the four bulk processes really overlap.
const SLOW_OK: &str =
    "#!/bin/sh\ncat >/dev/null\nsleep 0.05\necho '{\"response\":\"ok_proceed\"}'\n";

fn start_cases(env: &Env, journey: &str, ids: &[String]) {
    for id in ids {
        env.run(&["case", "start", "--journey", journey, "--case-id", id])
            .expect_code(0);
    }
}

#[test]
fn four_concurrent_bulk_resumes_do_every_case_exactly_once() {
    for env in Env::all() {
        let who = env.name();
        let journey = setup(&env, SLOW_OK);
        let ids: Vec<String> = (0..24).map(|i| format!("bulk-{i:03}")).collect();
        start_cases(&env, &journey, &ids);
        let workers: Vec<_> = (0..4)
            .map(|_| {
                env.wf()
                    .args(["--json", "case", "resume", "--all", "--workbasket", "inbox"])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("a worker starts")
            })
            .collect();
        let mut done_by_workers = Vec::new();
        for worker in workers {
            let out = worker.wait_with_output().expect("a worker finishes");
            assert_eq!(
                out.status.code(),
                Some(0),
                "{who}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let report: Value = serde_json::from_slice(&out.stdout).expect("one JSON report");
            assert_eq!(report["failed"], 0, "{who}: {report}");
            for item in report["cases"].as_array().unwrap() {
                if item["result"] == "done" {
                    done_by_workers.push(item["case_id"].as_str().unwrap().to_owned());
                }
            }
        }
        done_by_workers.sort();
        assert_eq!(
            done_by_workers, ids,
            "{who}: every case done by exactly one worker"
        );
        for id in &ids {
            let audit = env.audit(id);
            let resumed = audit.iter().filter(|r| r.unit == "work").count();
            assert_eq!(resumed, 1, "{who}: case {id} resumed {resumed} times");
            let info = env.store().process_info(id).unwrap().unwrap();
            assert!(info.is_complete, "{who}: {id}");
        }
        // nothing left: another run finds no work
        let again = env.json(&["case", "resume", "--all", "--workbasket", "inbox"], 0);
        assert_eq!(again["cases"], serde_json::json!([]), "{who}");
    }
}

#[test]
fn dry_run_and_limit_and_journey_filter() {
    for env in Env::all() {
        let who = env.name();
        let journey = setup(&env, SLOW_OK);
        let ids: Vec<String> = (0..5).map(|i| format!("d{i}")).collect();
        start_cases(&env, &journey, &ids);
        let dry = env.json(
            &[
                "case",
                "resume",
                "--all",
                "--workbasket",
                "inbox",
                "--dry-run",
            ],
            0,
        );
        assert_eq!(dry["would_run"], 5, "{who}: {dry}");
        assert_eq!(dry["done"], 0, "{who}");
        assert!(
            env.audit("d0").iter().all(|r| r.unit != "work"),
            "{who}: dry run changed nothing"
        );
        let other = env.json(
            &[
                "case",
                "resume",
                "--all",
                "--workbasket",
                "inbox",
                "--journey",
                "other",
            ],
            0,
        );
        assert_eq!(other["cases"], serde_json::json!([]), "{who}");
        let two = env.json(
            &[
                "case",
                "resume",
                "--all",
                "--workbasket",
                "inbox",
                "--limit",
                "2",
            ],
            0,
        );
        assert_eq!(two["done"], 2, "{who}: {two}");
        let left = env.json(&["case", "list", "--workbasket", "inbox"], 0);
        assert_eq!(left["cases"].as_array().unwrap().len(), 3, "{who}");
        // human output: a summary table
        let run = env
            .run(&["case", "resume", "--all", "--workbasket", "inbox"])
            .expect_code(0);
        assert!(
            run.stdout.contains("done") && run.stdout.contains("d4"),
            "{who}: {}",
            run.stdout
        );
    }
}

#[test]
fn bulk_change_workbasket_moves_every_case_of_a_basket() {
    for env in Env::all() {
        let who = env.name();
        let journey = setup(&env, SLOW_OK);
        let ids: Vec<String> = (0..4).map(|i| format!("m{i}")).collect();
        start_cases(&env, &journey, &ids);
        let moved = env.json(
            &[
                "case",
                "change-workbasket",
                "--all",
                "--workbasket",
                "inbox",
                "triage",
            ],
            0,
        );
        assert_eq!(moved["done"], 4, "{who}: {moved}");
        let triage = env.json(&["case", "list", "--workbasket", "triage"], 0);
        assert_eq!(triage["cases"].as_array().unwrap().len(), 4, "{who}");
        let usage = env
            .run(&[
                "case",
                "change-workbasket",
                "--all",
                "--workbasket",
                "triage",
                "m1",
                "x",
            ])
            .expect_code(2);
        assert!(
            usage.stderr.contains("only the new work basket"),
            "{who}: {}",
            usage.stderr
        );
    }
}

#[test]
fn bulk_failures_exit_3_and_list_the_cases() {
    for env in Env::all() {
        let who = env.name();
        // the worker fails for cases whose id ends in "bad"
        let journey = setup(
            &env,
            "#!/bin/sh\ncat >/dev/null\ncase \"$WFCTL_CASE_ID\" in *bad) exit 1;; esac\necho '{\"response\":\"ok_proceed\"}'\n",
        );
        env.config(
            "[engine]\nerror_workbasket = \"errors\"\n[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nexec = [\"./worker.sh\"]\n",
        );
        start_cases(&env, &journey, &["f1".to_owned(), "f2bad".to_owned()]);
        // an error pend is an outcome, not a failure of the bulk run
        let report = env.json(&["case", "resume", "--all", "--workbasket", "inbox"], 0);
        assert_eq!(report["done"], 2, "{who}: {report}");
        // a case the engine refuses is a failure
        start_cases(&env, &journey, &["g1".to_owned(), "g2".to_owned()]);
        break_journey(&env, "g2");
        let run = env
            .run(&["case", "resume", "--all", "--workbasket", "inbox"])
            .expect_code(3);
        assert!(
            run.stderr.contains("1 case(s) failed: g2"),
            "{who}: {}",
            run.stderr
        );
        assert!(run.stdout.contains("g1"), "{who}: {}", run.stdout);
        assert!(
            run.stdout.contains("Ticket not found: ghost"),
            "{who}: {}",
            run.stdout
        );
    }
}

/// Gives a case a raised ticket its journey does not have, so the engine refuses to resume it
/// (while listings still read it fine).
fn break_journey(env: &Env, case_id: &str) {
    match &env.backend {
        crate::support::case_env::Backend::Files(dir) => {
            let path = dir.join(format!("workflow_process_info-{case_id}.json"));
            let text = std::fs::read_to_string(&path).unwrap();
            let mut doc: Value = serde_json::from_str(&text).unwrap();
            doc["process_info"]["ticket"] = "ghost".into();
            std::fs::write(&path, doc.to_string()).unwrap();
        }
        crate::support::case_env::Backend::Postgres(db) => {
            let status = Command::new("psql")
                .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", &db.url, "-c"])
                .arg(format!(
                    "UPDATE workflow_info SET ticket = 'ghost' WHERE case_id = '{case_id}'"
                ))
                .status()
                .expect("psql runs");
            assert!(status.success());
        }
    }
}

/// The case `held` is locked by another process (this test) while bulk runs take the basket.
fn held_basket(env: &Env) -> Box<dyn wfctl::store::Store> {
    let journey = setup(env, OK);
    start_cases(env, &journey, &["free".to_owned(), "held".to_owned()]);
    env.store()
}

const OK: &str = "#!/bin/sh\ncat >/dev/null\necho '{\"response\":\"ok_proceed\"}'\n";

#[test]
fn a_case_held_by_another_process_is_not_done_exit_3_or_waited_for_with_wait() {
    use wfctl::store::LockWait;
    for env in Env::all() {
        let who = env.name();
        let store = held_basket(&env);
        let lock = store.lock_case("held", LockWait::Try).expect("the lock");
        let run = env
            .run(&["--json", "case", "resume", "--all", "--workbasket", "inbox"])
            .expect_code(3);
        let report: Value = serde_json::from_str(&run.stdout).expect("the report");
        assert_eq!(report["done"], 1, "{who}: {report}");
        let held = &report["cases"][1];
        assert_eq!(held["case_id"], "held", "{who}: {report}");
        assert_eq!(held["result"], "skipped", "{who}: {report}");
        assert!(
            run.stderr
                .contains("not done, locked by another process: held")
                && run.stderr.contains("--wait"),
            "{who}: {}",
            run.stderr
        );
        // --wait is used: still held after it, named
        let run = env
            .run(&[
                "case",
                "resume",
                "--all",
                "--workbasket",
                "inbox",
                "--wait",
                "1s",
            ])
            .expect_code(3);
        assert!(
            run.stderr.contains("held") && run.stderr.contains("after waiting 1s"),
            "{who}: {}",
            run.stderr
        );
        // released while a worker waits: done
        let waiting = env
            .wf()
            .args([
                "--json",
                "case",
                "resume",
                "--all",
                "--workbasket",
                "inbox",
                "--wait",
                "60s",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("a worker starts");
        drop(lock);
        let out = waiting.wait_with_output().expect("the worker ends");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{who}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["done"], 1, "{who}: {report}");
        assert!(
            store.process_info("held").unwrap().unwrap().is_complete,
            "{who}"
        );
    }
}
