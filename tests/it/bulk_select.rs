//! Bulk commands on a selection: the filters of `case list` or an id file (`--ids-file`,
//! `-` for stdin), with four workers at once on every store (each case done exactly once,
//! counted in the audit logs), a pipe from `case list -q` into `case cancel`, and a run killed
//! with SIGKILL then started again (it finishes the rest and does nothing twice).

use std::io::Write as _;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::support::case_env::{Env, INBOX_JOURNEY};
use crate::support::poll_until;

fn setup(env: &Env, worker: &str) -> String {
    env.config(
        "[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nexec = [\"./worker.sh\"]\n",
    );
    env.write("worker.sh", worker);
    env.write("inbox.json", INBOX_JOURNEY).display().to_string()
}

const OK: &str = "#!/bin/sh\ncat >/dev/null\necho '{\"response\":\"ok_proceed\"}'\n";
/// Slow enough that a run of a dozen cases can be killed half-way.
const SLOW_OK: &str =
    "#!/bin/sh\ncat >/dev/null\nsleep 0.2\necho '{\"response\":\"ok_proceed\"}'\n";

fn start_cases(env: &Env, journey: &str, ids: &[String]) {
    for id in ids {
        env.run(&["case", "start", "--journey", journey, "--case-id", id])
            .expect_code(0);
    }
}

fn spawn(mut cmd: Command) -> Child {
    cmd.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("a worker starts")
}

/// Runs four workers of `args` at once; returns the cases they did, sorted.
fn four_workers(env: &Env, args: &[&str]) -> Vec<String> {
    let who = env.name();
    let workers: Vec<Child> = (0..4)
        .map(|_| {
            let mut cmd = env.wf();
            cmd.arg("--json").args(args);
            spawn(cmd)
        })
        .collect();
    let mut done = Vec::new();
    for worker in workers {
        let out = worker.wait_with_output().expect("a worker finishes");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{who} {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: Value = serde_json::from_slice(&out.stdout).expect("one JSON report");
        for item in report["cases"].as_array().unwrap() {
            if matches!(item["result"].as_str(), Some("done" | "cancelled")) {
                done.push(item["case_id"].as_str().unwrap().to_owned());
            }
        }
    }
    done.sort();
    done
}

fn count_units(env: &Env, case_id: &str, unit: &str) -> usize {
    env.audit(case_id).iter().filter(|r| r.unit == unit).count()
}

#[test]
fn filter_and_id_file_selections_with_four_workers_do_each_case_once() {
    for env in Env::all() {
        let who = env.name();
        let journey = setup(&env, OK);
        let ids: Vec<String> = (0..16).map(|i| format!("sel-{i:02}")).collect();
        start_cases(&env, &journey, &ids);
        // set-var leaves a case in the selection: only the run's selection time keeps a
        // worker that lists it late from setting it again
        let by_filter = four_workers(
            &env,
            &[
                "case",
                "set-var",
                "--all",
                "--status",
                "pended",
                "--journey",
                "inbox_flow",
                "--var",
                "tag=string:a",
            ],
        );
        assert_eq!(
            by_filter, ids,
            "{who}: every case set by exactly one worker"
        );
        let mut list = String::from("# the cases to tag again\n\n");
        for id in &ids {
            list.push_str(&format!("  {id}\n"));
        }
        list.push_str(&format!("{}\n", ids[0]));
        let file = env.write("ids.txt", &list);
        let by_file = four_workers(
            &env,
            &[
                "case",
                "set-var",
                "--ids-file",
                file.to_str().unwrap(),
                "--var",
                "tag=string:b",
            ],
        );
        assert_eq!(
            by_file, ids,
            "{who}: every listed case set by exactly one worker"
        );
        for id in &ids {
            let set = count_units(&env, id, "set_variables");
            assert_eq!(set, 2, "{who}: case {id} had its variables set {set} times");
        }
        let show = env.json(&["case", "show", &ids[3]], 0);
        assert!(show.to_string().contains("\"b\""), "{who}: {show}");
    }
}

#[test]
fn case_list_quiet_piped_into_bulk_cancel() {
    for env in Env::all() {
        let who = env.name();
        let journey = setup(&env, OK);
        let ids: Vec<String> = (0..6).map(|i| format!("pipe-{i}")).collect();
        start_cases(&env, &journey, &ids);
        // one case elsewhere stays out of the selection
        env.run(&["case", "change-workbasket", &ids[5], "elsewhere"])
            .expect_code(0);
        let listed = env
            .run(&["-q", "case", "list", "--workbasket", "inbox"])
            .expect_code(0)
            .stdout;
        for round in 0..2 {
            let mut cmd = env.wf();
            cmd.args([
                "--json",
                "case",
                "cancel",
                "--ids-file",
                "-",
                "--reason",
                "R",
            ])
            .stdin(Stdio::piped());
            let mut child = spawn(cmd);
            child
                .stdin
                .take()
                .unwrap()
                .write_all(listed.as_bytes())
                .unwrap();
            let out = child.wait_with_output().unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "{who}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let report: Value = serde_json::from_slice(&out.stdout).unwrap();
            // the second time every case is already cancelled: skipped, not cancelled again
            let (done, skipped) = if round == 0 { (5, 0) } else { (0, 5) };
            assert_eq!(report["done"], done, "{who} round {round}: {report}");
            assert_eq!(report["skipped"], skipped, "{who} round {round}: {report}");
        }
        let cancelled = env.json(&["case", "list", "--status", "cancelled"], 0);
        let got: Vec<&str> = cancelled["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["case_id"].as_str().unwrap())
            .collect();
        assert_eq!(got, &ids[..5], "{who}");
        for id in &ids[..5] {
            assert_eq!(count_units(&env, id, "wfctl_cancel"), 1, "{who}: {id}");
        }
        assert_eq!(count_units(&env, &ids[5], "wfctl_cancel"), 0, "{who}");
    }
}

#[test]
fn an_id_file_with_a_bad_line_is_refused_naming_the_line() {
    let env = Env::files();
    let journey = setup(&env, OK);
    start_cases(&env, &journey, &["good".to_owned()]);
    let file = env.write("ids.txt", "good\n# comment\n../etc/passwd\n");
    let run = env
        .run(&["case", "resume", "--ids-file", file.to_str().unwrap()])
        .expect_code(1);
    assert!(
        run.stderr.contains("line 3") && run.stderr.contains("../etc/passwd"),
        "{}",
        run.stderr
    );
    assert_eq!(count_units(&env, "good", "work"), 0, "nothing was done");
    // an id file takes no filters
    let run = env
        .run(&[
            "case",
            "resume",
            "--ids-file",
            file.to_str().unwrap(),
            "--status",
            "pended",
        ])
        .expect_code(2);
    assert!(run.stderr.contains("--status"), "{}", run.stderr);
}

#[test]
fn a_killed_bulk_run_started_again_finishes_the_rest_once() {
    for env in Env::all() {
        let who = env.name();
        let journey = setup(&env, SLOW_OK);
        let ids: Vec<String> = (0..12).map(|i| format!("kill-{i:02}")).collect();
        start_cases(&env, &journey, &ids);
        let file = env.write("ids.txt", &ids.join("\n"));
        let args = ["case", "resume", "--ids-file", file.to_str().unwrap()];
        let mut first = env.wf();
        first.args(args);
        let mut first = spawn(first);
        let store = env.store();
        let completed = |store: &dyn wfctl::store::Store| {
            ids.iter()
                .filter(|id| {
                    store
                        .process_info(id)
                        .ok()
                        .flatten()
                        .is_some_and(|i| i.is_complete)
                })
                .count()
        };
        poll_until(
            &format!("{who}: some cases resumed"),
            Duration::from_secs(60),
            || completed(store.as_ref()) >= 3,
        );
        first.kill().expect("SIGKILL");
        first.wait().unwrap();
        assert!(
            completed(store.as_ref()) < ids.len(),
            "{who}: killed half-way"
        );
        // the same command again: the completed cases are not taken again (resuming them
        // would fail), the others are done
        let again = env.json(&args, 0);
        assert_eq!(again["failed"], 0, "{who}: {again}");
        for id in &ids {
            assert_eq!(count_units(&env, id, "work"), 1, "{who}: case {id}");
            let info = store.process_info(id).unwrap().unwrap();
            assert!(info.is_complete, "{who}: {id} completed");
        }
    }
}

#[test]
fn workers_that_join_a_run_late_take_only_what_is_left() {
    for env in Env::all() {
        let who = env.name();
        let journey = setup(&env, SLOW_OK);
        let ids: Vec<String> = (0..12).map(|i| format!("late-{i:02}")).collect();
        start_cases(&env, &journey, &ids);
        let file = env.write("ids.txt", &ids.join("\n"));
        let args = [
            "--json",
            "case",
            "resume",
            "--ids-file",
            file.to_str().unwrap(),
        ];
        let mut first = env.wf();
        first.args(args);
        let first = spawn(first);
        let store = env.store();
        poll_until(
            &format!("{who}: the first worker has done some cases"),
            Duration::from_secs(60),
            || {
                ids.iter().any(|id| {
                    store
                        .process_info(id)
                        .ok()
                        .flatten()
                        .is_some_and(|i| i.is_complete)
                })
            },
        );
        // three more workers of the same run: the cases done before they started are not
        // theirs (resuming a completed case would fail)
        let mut workers = vec![first];
        for _ in 0..3 {
            let mut cmd = env.wf();
            cmd.args(args);
            workers.push(spawn(cmd));
        }
        let mut done = Vec::new();
        for worker in workers {
            let out = worker.wait_with_output().unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "{who}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            let report: Value = serde_json::from_slice(&out.stdout).unwrap();
            for item in report["cases"].as_array().unwrap() {
                if item["result"] == "done" {
                    done.push(item["case_id"].as_str().unwrap().to_owned());
                }
            }
        }
        done.sort();
        assert_eq!(done, ids, "{who}: every case done by exactly one worker");
        for id in &ids {
            assert_eq!(count_units(&env, id, "work"), 1, "{who}: case {id}");
        }
    }
}

#[test]
fn an_id_file_is_bounded_may_start_with_a_bom_and_a_closed_stdin_is_an_error() {
    let env = Env::files();
    let journey = setup(&env, OK);
    start_cases(&env, &journey, &["bom-1".to_owned(), "bom-2".to_owned()]);
    // a BOM (Windows editors) before the first id is not part of it
    let file = env.write("bom.txt", "\u{feff}bom-1\r\nbom-2\r\n");
    let report = env.json(&["case", "resume", "--ids-file", file.to_str().unwrap()], 0);
    assert_eq!(report["done"], 2, "{report}");

    // a line past the limit: one line naming it, nothing read past it, nothing done
    let long = format!("bom-1\n{}\n", "x".repeat(4 << 20));
    let file = env.write("long.txt", &long);
    let run = env
        .run(&[
            "case",
            "set-var",
            "--ids-file",
            file.to_str().unwrap(),
            "--var",
            "n=long:1",
        ])
        .expect_code(1);
    assert!(
        run.stderr.contains("line 2") && run.stderr.contains("longer than 1024 bytes"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert_eq!(count_units(&env, "bom-1", "set_variables"), 0);

    // more ids than a list may hold
    let mut many = String::with_capacity(12 << 20);
    for i in 0..=1_000_000 {
        many.push_str(&format!("m{i}\n"));
    }
    let file = env.write("many.txt", &many);
    let run = env
        .run(&[
            "case",
            "set-var",
            "--ids-file",
            file.to_str().unwrap(),
            "--var",
            "n=long:1",
        ])
        .expect_code(1);
    assert!(
        run.stderr.contains("line 1000001") && run.stderr.contains("more than 1000000"),
        "{}",
        run.stderr
    );

    // `--ids-file -` with standard input closed (not empty: closed) says so
    let base = env.wf();
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("exec \"$0\" \"$@\" <&-")
        .arg(base.get_program())
        .args(base.get_args())
        .args(["case", "resume", "--ids-file", "-"])
        .current_dir(base.get_current_dir().unwrap());
    for (k, v) in base.get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("standard input is closed"), "{stderr}");
}

#[test]
fn the_dry_run_refuses_what_the_real_run_refuses_and_names_a_cancelled_case() {
    for env in Env::all() {
        let who = env.name();
        let journey = setup(&env, OK);
        let ids: Vec<String> = ["r-done", "r-cancelled", "r-pended"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        start_cases(&env, &journey, &ids);
        env.run(&["case", "resume", "r-done"]).expect_code(0);
        env.run_with_user(
            "bob",
            &["case", "cancel", "r-cancelled", "--reason", "gone"],
        )
        .expect_code(0);
        let file = env.write("ids.txt", &ids.join("\n"));
        let file = file.to_str().unwrap();
        let results = |report: &Value| -> Vec<(String, String)> {
            report["cases"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    let why = c["reason"].as_str().or(c["error"].as_str()).unwrap_or("");
                    (
                        format!("{} {}", c["case_id"].as_str().unwrap(), c["result"]),
                        why.to_owned(),
                    )
                })
                .collect()
        };
        for action in [
            &["case", "resume", "--ids-file", file][..],
            &["case", "change-workbasket", "--ids-file", file, "elsewhere"],
            &["case", "cancel", "--ids-file", file, "--reason", "r"],
        ] {
            let mut dry_args = action.to_vec();
            dry_args.push("--dry-run");
            let dry = results(&env.json(&dry_args, 3));
            let real = results(&env.json(action, 3));
            // the same verdict on every case; where the dry run says "would run" the real
            // run acted
            let predicted: Vec<(String, String)> = real
                .iter()
                .map(|(what, why)| {
                    let what = what
                        .replace("\"done\"", "\"would_run\"")
                        .replace("\"cancelled\"", "\"would_run\"");
                    let why = if what.ends_with("\"would_run\"") {
                        ""
                    } else {
                        why
                    };
                    (what, why.to_owned())
                })
                .collect();
            assert_eq!(dry, predicted, "{who} {action:?}");
            let cancelled = dry
                .iter()
                .find(|(what, _)| what.starts_with("r-cancelled"))
                .unwrap();
            assert_eq!(cancelled.0, "r-cancelled \"skipped\"", "{who} {action:?}");
            assert!(
                cancelled.1.contains("cancelled by bob") && cancelled.1.contains("gone"),
                "{who} {action:?}: {cancelled:?}"
            );
        }
        // a selection of cancelled cases is skipped as cancelled, not as changed
        let report = env.json(
            &[
                "case",
                "set-var",
                "--all",
                "--status",
                "cancelled",
                "--var",
                "n=long:1",
            ],
            0,
        );
        assert_eq!(report["skipped"], 1, "{who}: {report}");
        let reason = report["cases"][0]["reason"].as_str().unwrap();
        assert!(reason.contains("cancelled by bob"), "{who}: {reason}");
    }
}
