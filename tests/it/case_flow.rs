//! The example journey end to end through the built binary, on every store: start → pend →
//! resume with variables → complete; reopen; change-workbasket; set-var; list; history; SLA.

use std::process::Command;

use serde_json::Value;

use crate::support::case_env::{Env, example_dir};
use crate::support::{Run, poll_for, wfctl_path};

fn journey() -> String {
    example_dir().join("journey.json").display().to_string()
}

fn sla() -> String {
    example_dir().join("sla.json").display().to_string()
}

/// Starts an order case of `amount`; returns the outcome.
fn start_order(env: &Env, id: &str, amount: u32) -> Value {
    start_order_with_sla(env, id, amount, &sla())
}

/// Starts an order case of `amount` with the SLA file `sla`; returns the outcome.
fn start_order_with_sla(env: &Env, id: &str, amount: u32, sla: &str) -> Value {
    let amount = format!("amount=long:{amount}");
    env.json(
        &[
            "case",
            "start",
            "--journey",
            &journey(),
            "--sla",
            sla,
            "--case-id",
            id,
            "--var",
            &amount,
        ],
        0,
    )
}

fn names(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|v| v[key].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn var<'a>(show: &'a Value, name: &str) -> &'a Value {
    show["variables"]
        .as_array()
        .and_then(|vars| vars.iter().find(|v| v["name"] == name))
        .map_or(&Value::Null, |v| &v["value"])
}

#[test]
fn quickstart_script_runs_the_example_to_completion() {
    let store = tempfile::tempdir().unwrap();
    let run = Run::of(
        Command::new("bash")
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/scripts/quickstart.sh"
            ))
            .env("WFCTL", wfctl_path())
            .env("STORE", store.path())
            .env("NO_COLOR", "1")
            .env_remove("DATABASE_URL")
            .env_remove("WFCTL_STORE")
            .env_remove("WFCTL_CONFIG"),
    )
    .expect_code(0);
    assert!(run.stdout.contains("approvals"), "{}", run.stdout);
    assert!(run.stdout.contains("completed"), "{}", run.stdout);
    assert!(
        run.stderr.contains("case order-1001 completed"),
        "{}",
        run.stderr
    );
    // the last line says where the store is and what to try next
    let last = run.stderr.trim_end().lines().last().unwrap_or_default();
    assert!(
        last.starts_with(&format!("store kept at {}; try: ", store.path().display())),
        "{}",
        run.stderr
    );
    assert!(
        store
            .path()
            .join("workflow_process_info-order-1001.json")
            .exists()
    );
}

#[test]
fn example_pends_in_approvals_then_resumes_with_a_variable_and_completes() {
    for env in Env::all() {
        let env = env.with_example_config();
        let who = env.name();
        let started = start_order(&env, "order-1", 1500);
        assert_eq!(started["status"], "pended", "{who}: {started}");
        assert_eq!(started["pend"]["work_basket"], "approvals", "{who}");
        assert_eq!(started["pend"]["step"], "manager_approval", "{who}");
        assert_eq!(started["pend"]["exec_path"], ".", "{who}");
        assert_eq!(
            started["units"],
            serde_json::json!(["start", "route_amount", "manager_approval"]),
            "{who}"
        );

        let shown = env.json(&["case", "show", "order-1"], 0);
        assert_eq!(shown["status"], "pended", "{who}");
        assert_eq!(shown["work_basket"], "approvals", "{who}");
        // returned by the check_order script and merged into the case
        assert_eq!(var(&shown, "approval_needed"), "yes", "{who}: {shown}");
        assert_eq!(var(&shown, "currency"), "EUR", "{who}");
        let milestones = names(&shown["milestones"], "name");
        assert!(
            milestones.contains(&"approval_reminder".to_owned()),
            "{who}: {milestones:?}"
        );
        assert!(milestones.contains(&"order_complete".to_owned()), "{who}");

        let listed = env.json(&["case", "list", "--workbasket", "approvals"], 0);
        assert_eq!(names(&listed["cases"], "case_id"), ["order-1"], "{who}");

        let done = env.json(
            &[
                "case",
                "resume",
                "order-1",
                "--var",
                "approved=boolean:true",
            ],
            0,
        );
        assert_eq!(done["status"], "completed", "{who}: {done}");
        assert!(done["pend"].is_null(), "{who}");
        let units = names(
            &done["units"]
                .as_array()
                .map(|u| Value::Array(u.iter().map(|n| serde_json::json!({ "n": n })).collect()))
                .unwrap(),
            "n",
        );
        for unit in ["route_decision", "fulfil", "pack", "invoice", "ship"] {
            assert!(
                units.contains(&unit.to_owned()),
                "{who}: {unit} not in {units:?}"
            );
        }

        let shown = env.json(&["case", "show", "order-1"], 0);
        assert_eq!(shown["status"], "completed", "{who}");
        assert_eq!(var(&shown, "approved"), "true", "{who}");
        // set by the fulfilment script from its configured environment
        assert_eq!(var(&shown, "packed_at"), "berlin-1", "{who}");
        assert_eq!(var(&shown, "invoice_no"), "INV-order-1", "{who}");
        assert_eq!(
            shown["milestones"],
            serde_json::json!([]),
            "{who}: dequeued at completion"
        );

        let history = env.json(&["case", "history", "order-1"], 0)["entries"].clone();
        let units = names(&history, "unit");
        assert_eq!(units.first().map(String::as_str), Some("start"), "{who}");
        assert_eq!(units.last().map(String::as_str), Some("ship"), "{who}");
        assert_eq!(
            units.iter().filter(|u| *u == "manager_approval").count(),
            1,
            "{who}"
        );
        assert_eq!(history[0]["seq"], 1, "{who}");
        assert!(history[0]["document"]["process_info"].is_object(), "{who}");

        // a small order needs no approval
        let small = start_order(&env, "order-2", 500);
        assert_eq!(small["status"], "completed", "{who}: {small}");
        // a rejected order ends at record_rejection
        start_order(&env, "order-3", 5000);
        let rejected = env.json(
            &[
                "case",
                "resume",
                "order-3",
                "--var",
                "approved=boolean:false",
            ],
            0,
        );
        assert_eq!(
            rejected["units"],
            serde_json::json!(["route_decision", "record_rejection"]),
            "{who}"
        );
    }
}

#[test]
fn reopen_runs_from_the_ticket_step_or_pends_first() {
    for env in Env::all() {
        let env = env.with_example_config();
        let who = env.name();
        start_order(&env, "r1", 200);
        let reopened = env.json(&["case", "reopen", "r1", "--ticket", "cancel_order"], 0);
        assert_eq!(reopened["status"], "completed", "{who}: {reopened}");
        assert_eq!(
            reopened["units"],
            serde_json::json!(["record_rejection"]),
            "{who}"
        );

        let pended = env.json(
            &[
                "case",
                "reopen",
                "r1",
                "--ticket",
                "cancel_order",
                "--pend-workbasket",
                "review",
            ],
            0,
        );
        assert_eq!(pended["status"], "pended", "{who}: {pended}");
        assert_eq!(pended["pend"]["work_basket"], "review", "{who}");
        let done = env.json(&["case", "resume", "r1"], 0);
        assert_eq!(done["status"], "completed", "{who}");

        start_order(&env, "r2", 1500);
        let run = env
            .run(&["case", "reopen", "r2", "--ticket", "cancel_order"])
            .expect_code(1);
        // a pended case is continued, not reopened: the message says how
        assert!(
            run.stderr.contains("case \"r2\" is not completed")
                && run.stderr.contains("wfctl case resume r2"),
            "{who}: {}",
            run.stderr
        );
        // a ticket the journey lacks is a bad --ticket value (exit 2): the message lists the
        // journey's tickets
        let run = env
            .run(&["case", "reopen", "r1", "--ticket", "nope"])
            .expect_code(2);
        assert!(
            run.stderr.contains("no ticket \"nope\"") && run.stderr.contains("\"cancel_order\""),
            "{who}: {}",
            run.stderr
        );
    }
}

#[test]
fn change_workbasket_moves_a_pended_case_and_its_sla() {
    for env in Env::all() {
        let env = env.with_example_config();
        let who = env.name();
        start_order(&env, "w1", 1500);
        let moved = env.json(&["case", "change-workbasket", "w1", "escalations"], 0);
        assert_eq!(moved["status"], "pended", "{who}");
        assert_eq!(
            moved["pend"]["work_basket"], "escalations",
            "{who}: {moved}"
        );
        let shown = env.json(&["case", "show", "w1"], 0);
        assert_eq!(shown["work_basket"], "escalations", "{who}");
        let milestones = names(&shown["milestones"], "name");
        assert!(
            !milestones.contains(&"approval_reminder".to_owned()),
            "{who}: left approvals: {milestones:?}"
        );
        let history = env.json(&["case", "history", "w1"], 0)["entries"].clone();
        let last = history.as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["unit"], "WorkflowManagerService", "{who}");
        assert_eq!(last["outcome"], "moved to escalations", "{who}");
        assert_eq!(
            names(
                &env.json(&["case", "list", "--workbasket", "escalations"], 0)["cases"],
                "case_id"
            ),
            ["w1"],
            "{who}"
        );
        // it still continues where it was on resume
        let done = env.json(
            &["case", "resume", "w1", "--var", "approved=boolean:true"],
            0,
        );
        assert_eq!(done["status"], "completed", "{who}");
        let run = env
            .run(&["case", "change-workbasket", "w1", "x"])
            .expect_code(1);
        assert!(
            run.stderr.contains("completed case") && run.stderr.contains("w1"),
            "{who}: {}",
            run.stderr
        );
    }
}

#[test]
fn set_var_changes_variables_without_running() {
    for env in Env::all() {
        let env = env.with_example_config();
        let who = env.name();
        start_order(&env, "v1", 1500);
        let set = env.json(
            &[
                "case",
                "set-var",
                "v1",
                "--var",
                "approved=boolean:false",
                "--var",
                "note=string:call back",
            ],
            0,
        );
        assert_eq!(set["status"], "pended", "{who}");
        assert_eq!(set["units"], serde_json::json!([]), "{who}");
        let shown = env.json(&["case", "show", "v1"], 0);
        assert_eq!(var(&shown, "note"), "call back", "{who}");
        let done = env.json(&["case", "resume", "v1"], 0);
        assert_eq!(
            done["units"],
            serde_json::json!(["route_decision", "record_rejection"]),
            "{who}"
        );
    }
}

#[test]
fn list_pages_by_case_id_and_filters() {
    for env in Env::all() {
        let env = env.with_example_config();
        let who = env.name();
        for (id, amount) in [
            ("c1", 1500),
            ("c2", 100),
            ("c3", 2000),
            ("c4", 3000),
            ("c5", 10),
        ] {
            start_order(&env, id, amount);
        }
        let page = env.json(&["case", "list", "--limit", "2"], 0);
        assert_eq!(names(&page["cases"], "case_id"), ["c1", "c2"], "{who}");
        assert_eq!(page["next_after"], "c2", "{who}");
        let page = env.json(&["case", "list", "--limit", "2", "--after", "c2"], 0);
        assert_eq!(names(&page["cases"], "case_id"), ["c3", "c4"], "{who}");
        let page = env.json(&["case", "list", "--limit", "2", "--after", "c4"], 0);
        assert_eq!(names(&page["cases"], "case_id"), ["c5"], "{who}");
        assert!(page["next_after"].is_null(), "{who}");

        let pended = env.json(&["case", "list", "--status", "pended"], 0);
        assert_eq!(
            names(&pended["cases"], "case_id"),
            ["c1", "c3", "c4"],
            "{who}"
        );
        assert_eq!(pended["cases"][0]["work_basket"], "approvals", "{who}");
        let done = env.json(&["case", "list", "--status", "completed"], 0);
        assert_eq!(names(&done["cases"], "case_id"), ["c2", "c5"], "{who}");
        let at_step = env.json(
            &[
                "case",
                "list",
                "--step",
                "manager_approval",
                "--after",
                "c1",
            ],
            0,
        );
        assert_eq!(names(&at_step["cases"], "case_id"), ["c3", "c4"], "{who}");
        let journey = env.json(
            &[
                "case",
                "list",
                "--journey",
                "order_approval",
                "--limit",
                "1",
            ],
            0,
        );
        assert_eq!(names(&journey["cases"], "case_id"), ["c1"], "{who}");
        let other = env.json(&["case", "list", "--journey", "other"], 0);
        assert_eq!(other["cases"], serde_json::json!([]), "{who}");
        let stuck = env.json(&["case", "list", "--stuck-for", "1h"], 0);
        assert_eq!(
            stuck["cases"],
            serde_json::json!([]),
            "{who}: nothing is an hour old"
        );
        // stuck for 0 s: untouched since a moment ago, which a fast machine may not have left
        let stuck_now = poll_for("a clock tick", std::time::Duration::from_secs(10), || {
            let list = env.json(&["case", "list", "--stuck-for", "0s", "--limit", "2"], 0);
            (list["cases"] != serde_json::json!([])).then_some(list)
        });
        assert_eq!(
            names(&stuck_now["cases"], "case_id"),
            ["c1", "c3"],
            "{who}: incomplete only"
        );
        assert_eq!(stuck_now["next_after"], "c3", "{who}");
        let overdue = env.json(&["case", "list", "--sla-overdue"], 0);
        assert_eq!(overdue["cases"], serde_json::json!([]), "{who}");
        let table = env
            .run(&["case", "list", "--workbasket", "approvals"])
            .expect_code(0);
        assert!(
            table.stdout.contains("c3") && !table.stdout.contains("c2"),
            "{who}: {}",
            table.stdout
        );
    }
}

#[test]
fn sla_due_lists_milestones_past_their_time_oldest_first() {
    for env in Env::all() {
        let env = env.with_example_config();
        let who = env.name();
        start_order(&env, "s1", 1500);
        assert_eq!(
            env.json(&["sla", "due"], 0)["milestones"],
            serde_json::json!([]),
            "{who}"
        );
        let in_5h = env.json(&["sla", "due", "--at", "+5h"], 0)["milestones"].clone();
        assert_eq!(
            names(&in_5h, "name"),
            ["approval_reminder"],
            "{who}: {in_5h}"
        );
        assert_eq!(in_5h[0]["case_id"], "s1", "{who}");
        assert_eq!(in_5h[0]["action"], "CUSTOM:remind_manager", "{who}");
        assert!(
            in_5h[0]["overdue_seconds"].as_i64().unwrap() > 3000,
            "{who}"
        );
        let in_3d = env.json(&["sla", "due", "--at", "+3d"], 0)["milestones"].clone();
        assert_eq!(
            names(&in_3d, "name"),
            ["approval_reminder", "order_complete"],
            "{who}"
        );
        let basket = env.json(
            &["sla", "due", "--at", "+3d", "--workbasket", "approvals"],
            0,
        )["milestones"]
            .clone();
        assert_eq!(names(&basket, "name"), ["approval_reminder"], "{who}");
        let at = env.json(&["sla", "due", "--at", "2000-01-01T00:00:00Z"], 0);
        assert_eq!(at["milestones"], serde_json::json!([]), "{who}");
        assert_eq!(at["at"], "2000-01-01T00:00:00Z", "{who}");
        // an offset into the past needs no `=` (`--at -30m`)
        let past = env.json(&["sla", "due", "--at", "-30m"], 0);
        assert_eq!(past["milestones"], serde_json::json!([]), "{who}");
        let overdue_later = env.json(&["case", "list", "--sla-overdue"], 0);
        assert_eq!(overdue_later["cases"], serde_json::json!([]), "{who}");
        let bad = env.run(&["sla", "due", "--at", "tomorrow"]).expect_code(2);
        assert!(bad.stderr.contains("RFC 3339"), "{who}: {}", bad.stderr);
    }
}

/// `text` without ANSI colour sequences.
fn strip_ansi(text: &str) -> String {
    let mut plain = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // ESC [ parameters final-letter
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            plain.push(c);
        }
    }
    plain
}

/// A table with its last column (the age, which grows between two runs) blanked out.
fn without_age(table: &str) -> String {
    table
        .lines()
        .map(|line| match line.trim_end_matches('|').rsplit_once('|') {
            Some((rest, _age)) => format!("{rest}|"),
            None => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn coloured_tables_stay_aligned_and_no_color_means_none() {
    let env = Env::files().with_example_config();
    start_order(&env, "colour-big", 1500);
    start_order(&env, "colour-small", 50);
    let coloured = Run::of(env.wf().args(["--color", "always", "case", "list"])).expect_code(0);
    assert!(
        coloured.stdout.contains('\x1b'),
        "--color always paints the status column:\n{}",
        coloured.stdout
    );
    let plain = strip_ansi(&coloured.stdout);
    let widths: Vec<usize> = plain.lines().map(|l| l.chars().count()).collect();
    assert!(
        widths.len() >= 3 && widths.iter().all(|w| *w == widths[0]),
        "every line of the table is as wide as the others: {widths:?}\n{plain}"
    );
    let never = Run::of(env.wf().args(["--color", "never", "case", "list"])).expect_code(0);
    assert_eq!(
        without_age(&never.stdout),
        without_age(&plain),
        "the same table without colour"
    );
    let no_color = Run::of(
        env.wf()
            .env("NO_COLOR", "1")
            .args(["--color", "auto", "case", "list"]),
    )
    .expect_code(0);
    assert!(!no_color.stdout.contains('\x1b'), "{}", no_color.stdout);
}

#[test]
fn case_list_sla_overdue_lists_exactly_the_cases_with_a_milestone_due() {
    for env in Env::all() {
        let env = env.with_example_config();
        let who = env.name();
        let due_now = env.write(
            "due-now.json",
            r#"{"milestones": [{"name": "due_at_once", "setup_on": "case_start",
                "type": "case_level", "applied_at_age": "0m", "clock_starts": "immediately",
                "action": "CORR"}]}"#,
        );
        let due_now = due_now.to_str().unwrap();
        start_order_with_sla(&env, "o1", 1500, due_now);
        start_order(&env, "o2", 1500);
        start_order_with_sla(&env, "o3", 1500, due_now);
        let overdue = env.json(&["case", "list", "--sla-overdue"], 0);
        assert_eq!(names(&overdue["cases"], "case_id"), ["o1", "o3"], "{who}");
        let page = env.json(&["case", "list", "--sla-overdue", "--limit", "1"], 0);
        assert_eq!(names(&page["cases"], "case_id"), ["o1"], "{who}");
        let next = env.json(
            &[
                "case",
                "list",
                "--sla-overdue",
                "--after",
                "o1",
                "--limit",
                "1",
            ],
            0,
        );
        assert_eq!(names(&next["cases"], "case_id"), ["o3"], "{who}");
    }
}
