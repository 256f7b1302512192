//! The life of a case beyond running it: `case cancel` on every store (refused by every way of
//! running the case, milestones dequeued, audit record, listing, events, the case lock).

use std::process::Stdio;

use wfctl::store::LockWait;

use crate::support::case_env::{Env, INBOX_JOURNEY};

/// Reviewers have two hours once a case enters `inbox`.
const INBOX_SLA: &str = r#"{"milestones": [
  {"name": "inbox_2h", "setup_on": "work_basket_entry", "type": "work_basket",
   "work_basket_name": "inbox", "applied_at_age": "2h", "clock_starts": "immediately",
   "action": "CORR"}]}"#;

const OK: &str = "#!/bin/sh\ncat >/dev/null\necho '{\"response\":\"ok_proceed\"}'\n";

/// Starts `ids`, each pended in `inbox` with its milestone queued.
fn pended_cases(env: &Env, ids: &[&str]) {
    env.config(
        "[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nexec = [\"./worker.sh\"]\n",
    );
    env.write("worker.sh", OK);
    let journey = env.write("inbox.json", INBOX_JOURNEY).display().to_string();
    let sla = env.write("inbox_sla.json", INBOX_SLA).display().to_string();
    for id in ids {
        env.run(&[
            "case",
            "start",
            "--journey",
            &journey,
            "--sla",
            &sla,
            "--case-id",
            id,
        ])
        .expect_code(0);
    }
}

#[test]
fn a_cancelled_case_refuses_every_way_of_running_it() {
    for env in Env::all() {
        let who = env.name();
        pended_cases(&env, &["c-1", "c-2"]);
        let before = env.json(&["case", "show", "c-1"], 0);
        assert_eq!(before["milestones"].as_array().unwrap().len(), 1, "{who}");

        let cancel = env
            .run_with_user(
                "alice",
                &["-v", "case", "cancel", "c-1", "--reason", "order withdrawn"],
            )
            .expect_code(0);
        assert!(
            cancel.stderr.contains("ON_PROCESS_CANCEL"),
            "{who}: the event sink sees the cancel: {}",
            cancel.stderr
        );

        let shown = env.json(&["case", "show", "c-1"], 0);
        assert_eq!(shown["status"], "cancelled", "{who}: {shown}");
        assert_eq!(shown["cancelled"]["reason"], "order withdrawn", "{who}");
        assert_eq!(shown["cancelled"]["by"], "alice", "{who}");
        assert_eq!(
            shown["milestones"],
            serde_json::json!([]),
            "{who}: dequeued"
        );
        assert!(env.store().milestones("c-1").unwrap().is_empty(), "{who}");

        let audit = env.audit("c-1");
        let last = audit.last().expect("an audit record");
        assert_eq!(last.unit, "wfctl_cancel", "{who}");
        let vars = &last.document.process_variables;
        assert_eq!(
            vars.get("wfctl_cancel_reason")
                .map(|v| v.as_text())
                .as_deref(),
            Some("order withdrawn"),
            "{who}"
        );
        assert_eq!(
            vars.get("wfctl_cancelled_by")
                .map(|v| v.as_text())
                .as_deref(),
            Some("alice"),
            "{who}"
        );

        let cancelled = env.json(&["case", "list", "--status", "cancelled"], 0);
        let ids: Vec<&str> = cancelled["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["case_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["c-1"], "{who}: {cancelled}");
        let pended = env.json(&["case", "list", "--status", "pended"], 0);
        assert_eq!(
            pended["cases"].as_array().unwrap().len(),
            1,
            "{who}: {pended}"
        );

        for args in [
            &["case", "resume", "c-1"][..],
            &["case", "set-var", "c-1", "--var", "n=long:1"],
            &["case", "change-workbasket", "c-1", "elsewhere"],
            &["case", "reopen", "c-1", "--ticket", "t"],
            &["case", "cancel", "c-1", "--reason", "again"],
        ] {
            let refused = env.run(args).expect_code(1);
            assert!(
                refused.stderr.contains("order withdrawn") && refused.stderr.contains("alice"),
                "{who}: {args:?} names who and why: {}",
                refused.stderr
            );
        }
        // a bulk run passes over it and takes the other case
        let bulk = env.json(&["case", "resume", "--all", "--workbasket", "inbox"], 0);
        let taken: Vec<&str> = bulk["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["case_id"].as_str().unwrap())
            .collect();
        assert_eq!(taken, ["c-2"], "{who}: {bulk}");
        assert_eq!(
            env.audit("c-1").len(),
            audit.len(),
            "{who}: nothing written"
        );

        // a completed case is not cancelled
        let done = env
            .run(&["case", "cancel", "c-2", "--reason", "late"])
            .expect_code(1);
        assert!(done.stderr.contains("completed"), "{who}: {}", done.stderr);
        let empty = env
            .run(&["case", "cancel", "c-2", "--reason", " "])
            .expect_code(2);
        assert!(empty.stderr.contains("--reason"), "{who}: {}", empty.stderr);
    }
}

#[test]
fn cancel_waits_for_the_case_lock_only_with_wait() {
    for env in Env::all() {
        let who = env.name();
        pended_cases(&env, &["held"]);
        let store = env.store();
        let lock = store.lock_case("held", LockWait::Try).expect("the lock");
        let refused = env
            .run(&["case", "cancel", "held", "--reason", "r"])
            .expect_code(75);
        assert!(
            refused.stderr.contains("--wait"),
            "{who}: {}",
            refused.stderr
        );
        let waiting = env
            .wf()
            .args(["case", "cancel", "held", "--reason", "r", "--wait", "60s"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cancel starts");
        drop(lock);
        let out = waiting.wait_with_output().expect("cancel ends");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{who}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let shown = env.json(&["case", "show", "held"], 0);
        assert_eq!(shown["status"], "cancelled", "{who}");
    }
}

/// Starts `case wait ID ARGS...` and returns once it says it is waiting (its stderr line).
fn waiting(
    env: &Env,
    args: &[&str],
) -> (
    std::process::Child,
    std::io::BufReader<std::process::ChildStderr>,
) {
    use std::io::BufRead;
    let mut child = env
        .wf()
        .args(["--json", "case", "wait"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("case wait starts");
    let mut err = std::io::BufReader::new(child.stderr.take().expect("stderr"));
    let mut line = String::new();
    err.read_line(&mut line).expect("a line on stderr");
    assert!(line.starts_with("waiting for case"), "{line}");
    (child, err)
}

fn finish(
    child: std::process::Child,
    mut err: std::io::BufReader<std::process::ChildStderr>,
) -> (i32, serde_json::Value, String) {
    use std::io::Read;
    let out = child.wait_with_output().expect("case wait ends");
    let mut rest = String::new();
    err.read_to_string(&mut rest).expect("stderr");
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code().unwrap_or(-1), json, rest)
}

#[test]
fn case_wait_returns_when_another_process_gets_the_case_there() {
    for env in Env::all() {
        let who = env.name();
        pended_cases(&env, &["w-1", "w-2"]);
        // already there: at once, without waiting
        let now = env.json(&["case", "wait", "w-1", "--until", "pended:inbox"], 0);
        assert_eq!(now["status"], "pended", "{who}: {now}");

        let (child, err) = waiting(&env, &["w-1", "--until", "completed", "--timeout", "2m"]);
        env.run(&["case", "resume", "w-1"]).expect_code(0);
        let (code, shown, rest) = finish(child, err);
        assert_eq!(code, 0, "{who}: {rest}");
        assert_eq!(shown["status"], "completed", "{who}: {shown}");
        assert_eq!(
            shown,
            env.json(&["case", "show", "w-1"], 0),
            "{who}: as case show --json"
        );

        let (child, err) = waiting(
            &env,
            &["w-2", "--until", "pended:review", "--timeout", "2m"],
        );
        env.run(&["case", "change-workbasket", "w-2", "review"])
            .expect_code(0);
        let (code, shown, rest) = finish(child, err);
        assert_eq!(code, 0, "{who}: {rest}");
        assert_eq!(shown["work_basket"], "review", "{who}: {shown}");

        let (child, err) = waiting(&env, &["w-2", "--until", "changed", "--timeout", "2m"]);
        env.run(&["case", "set-var", "w-2", "--var", "n=long:2"])
            .expect_code(0);
        let (code, shown, rest) = finish(child, err);
        assert_eq!(code, 0, "{who}: {rest}");
        assert_eq!(shown["status"], "pended", "{who}: {shown}");

        let late = env
            .run(&[
                "case",
                "wait",
                "w-2",
                "--until",
                "completed",
                "--timeout",
                "1s",
            ])
            .expect_code(3);
        assert!(
            late.stderr.contains("not completed"),
            "{who}: {}",
            late.stderr
        );
        let bad = env
            .run(&["case", "wait", "w-2", "--until", "done"])
            .expect_code(2);
        assert!(bad.stderr.contains("--until"), "{who}: {}", bad.stderr);
    }
}

#[test]
fn history_follow_prints_every_record_once_in_order_until_the_case_completes() {
    use std::io::BufRead;
    for env in Env::all() {
        let who = env.name();
        pended_cases(&env, &["f-1"]);
        let mut child = env
            .wf()
            .args(["--json", "case", "history", "f-1", "--follow"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("follow starts");
        let mut lines = std::io::BufReader::new(child.stdout.take().expect("stdout")).lines();
        // the record of the start is printed before anything else happens
        let first: serde_json::Value =
            serde_json::from_str(&lines.next().expect("a line").expect("text")).unwrap();
        assert_eq!(first["seq"], 1, "{who}: {first}");
        env.run(&["case", "set-var", "f-1", "--var", "n=long:1"])
            .expect_code(0);
        env.run(&["case", "resume", "f-1"]).expect_code(0);
        let mut seqs = vec![1u64];
        for line in lines {
            let v: serde_json::Value = serde_json::from_str(&line.expect("text")).unwrap();
            seqs.push(v["seq"].as_u64().unwrap());
        }
        let status = child.wait().expect("follow ends once the case completed");
        assert!(status.success(), "{who}");
        let all: Vec<u64> = env.audit("f-1").iter().map(|r| r.seq).collect();
        assert_eq!(seqs, all, "{who}: every record once, in order");

        // on a completed case it prints the log and ends; `case watch` is the same
        let watch = env.run(&["--json", "case", "watch", "f-1"]).expect_code(0);
        assert_eq!(
            watch.stdout.lines().count(),
            all.len(),
            "{who}: {}",
            watch.stdout
        );
    }
}

#[test]
fn a_cancel_reason_and_user_are_shown_escaped() {
    for env in Env::all() {
        let who = env.name();
        pended_cases(&env, &["esc-1"]);
        let out = env
            .run_with_user(
                "eve\u{1b}[2J",
                &[
                    "case",
                    "cancel",
                    "esc-1",
                    "--reason",
                    "late\n\u{1b}[31mforged",
                ],
            )
            .expect_code(0);
        assert!(!out.stdout.contains('\u{1b}'), "{who}: {:?}", out.stdout);
        assert_eq!(out.stdout.lines().count(), 1, "{who}: {:?}", out.stdout);
        assert!(
            out.stdout.contains("eve\\u{1b}[2J") && out.stdout.contains("late\\n\\u{1b}[31mforged"),
            "{who}: {:?}",
            out.stdout
        );
        // --json keeps the values as stored
        let shown = env.json(&["case", "show", "esc-1"], 0);
        assert_eq!(
            shown["cancelled"]["reason"], "late\n\u{1b}[31mforged",
            "{who}"
        );
    }
}

#[test]
fn history_follow_ends_with_exit_0_when_its_reader_closes_the_pipe() {
    use std::io::BufRead;
    for env in Env::all() {
        let who = env.name();
        pended_cases(&env, &["pipe-1"]);
        let mut child = env
            .wf()
            .args(["case", "history", "pipe-1", "--follow"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("follow starts");
        let mut lines = std::io::BufReader::new(child.stdout.take().expect("stdout")).lines();
        lines.next().expect("a first record").expect("text");
        drop(lines); // the reader goes away (`| head -1`)
        // more records: the follower's next write meets the closed pipe
        env.run(&["case", "set-var", "pipe-1", "--var", "n=long:1"])
            .expect_code(0);
        env.run(&["case", "set-var", "pipe-1", "--var", "n=long:2"])
            .expect_code(0);
        let status = crate::support::poll_for(
            &format!("{who}: the follower ends"),
            std::time::Duration::from_secs(30),
            || child.try_wait().expect("wait"),
        );
        assert_eq!(status.code(), Some(0), "{who}");
    }
}

/// Deletes every record of case `id` behind wfctl's back: its files, or its rows by plain SQL
/// (no notification: the waiter must notice by looking).
fn delete_behind_wfctls_back(env: &Env, id: &str) {
    use crate::support::case_env::Backend;
    match &env.backend {
        Backend::Files(store) => {
            for entry in std::fs::read_dir(store).unwrap() {
                let path = entry.unwrap().path();
                if path.file_name().unwrap().to_str().unwrap().contains(id) {
                    std::fs::remove_file(path).unwrap();
                }
            }
        }
        Backend::Postgres(db) => {
            use diesel::connection::SimpleConnection;
            db.conn()
                .batch_execute(&format!(
                    "BEGIN;
                     DELETE FROM process_variable_value WHERE workflow_variables_id IN
                       (SELECT id FROM workflow_variables WHERE workflow_info_hibid = 'workflow_process_info-{id}');
                     DELETE FROM workflow_variables WHERE workflow_info_hibid = 'workflow_process_info-{id}';
                     DELETE FROM exec_path WHERE workflow_info_hibid = 'workflow_process_info-{id}';
                     DELETE FROM workflow_info WHERE case_id = '{id}';
                     DELETE FROM step WHERE workflow_definition_hibid = 'journey-{id}';
                     DELETE FROM workflow_definition WHERE case_id = '{id}';
                     DELETE FROM milestone WHERE case_id = '{id}';
                     DELETE FROM audit_log WHERE case_id = '{id}';
                     COMMIT;"
                ))
                .expect("the case's rows are deleted");
        }
    }
}

#[test]
fn case_wait_and_follow_on_a_case_deleted_meanwhile_end_with_one_line() {
    for env in Env::all() {
        let who = env.name();
        pended_cases(&env, &["gone-1"]);
        let (wait, wait_err) = waiting(
            &env,
            &["gone-1", "--until", "completed", "--timeout", "10m"],
        );
        let mut follow = env
            .wf()
            .args(["case", "history", "gone-1", "--follow"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("follow starts");
        let mut first = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(follow.stdout.as_mut().unwrap()),
            &mut first,
        )
        .unwrap();
        delete_behind_wfctls_back(&env, "gone-1");
        let (code, _, rest) = finish(wait, wait_err);
        assert_eq!(code, 1, "{who}: {rest}");
        assert!(rest.contains("no longer exists"), "{who}: {rest}");
        let out = follow.wait_with_output().expect("follow ends");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{who}: {err}");
        assert!(err.contains("gone-1 no longer exists"), "{who}: {err}");
        assert_eq!(err.lines().count(), 1, "{who}: {err}");
    }
}
