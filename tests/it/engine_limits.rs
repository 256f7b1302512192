//! What the engine refuses to run or to store, the same on every store: values no store can
//! hold (a NUL character) error-pend the unit that answered them or are refused before
//! anything is saved; a journey that runs away stops at the configured limits.

use serde_json::Value;

use crate::case_support::Env;

const NUL_CONFIG: &str = r#"
[engine]
error_workbasket = "wf_errors"

[components.nul]
exec = ["./scripts/nul.sh"]

[components.manual]
builtin = "pend"
"#;

/// Answers a variable with a NUL character until `fixed` exists.
const NUL_SCRIPT: &str = "#!/bin/sh\ncat >/dev/null\n\
    if [ -e fixed ]; then printf '%s\\n' '{\"response\":\"ok_proceed\",\"variables\":{\"note\":\"fine\"}}'; exit 0; fi\n\
    printf '%s\\n' '{\"response\":\"ok_proceed\",\"variables\":{\"note\":\"a\\u0000b\",\"other\":\"kept?\"}}'\n";

fn nul_journey(env: &Env) -> String {
    env.write(
        "nul.json",
        r#"{"journey": {"name": "nul", "flow": [
          {"name": "start", "component": "nul", "next": "after"},
          {"name": "after", "component": "manual", "user_data": "done_basket", "next": "end"}]}}"#,
    )
    .display()
    .to_string()
}

fn var<'a>(show: &'a Value, name: &str) -> Option<&'a Value> {
    show["variables"]
        .as_array()?
        .iter()
        .find(|v| v["name"] == name)
}

#[test]
fn a_component_answer_no_store_can_hold_error_pends_and_the_case_resumes() {
    for env in Env::all() {
        let who = env.name();
        env.config(NUL_CONFIG);
        env.write("scripts/nul.sh", NUL_SCRIPT);
        let journey = nul_journey(&env);
        let outcome = env.json(
            &["case", "start", "--journey", &journey, "--case-id", "c1"],
            0,
        );
        assert_eq!(outcome["status"], "pended", "{who}: {outcome}");
        let pend = &outcome["pend"];
        assert_eq!(pend["work_basket"], "wf_errors", "{who}: {outcome}");
        assert_eq!(pend["response"], "error_pend", "{who}");
        let message = pend["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("note") && message.contains("NUL") && message.contains("nul"),
            "{who}: names the component, the variable and why: {message}"
        );
        // the answer is dropped whole
        let shown = env.json(&["case", "show", "c1"], 0);
        assert!(var(&shown, "note").is_none(), "{who}: {shown}");
        assert!(var(&shown, "other").is_none(), "{who}: {shown}");

        // once the program answers something storable, the case moves on
        env.write("fixed", "");
        let resumed = env.json(&["case", "resume", "c1"], 0);
        assert_eq!(
            resumed["pend"]["work_basket"], "done_basket",
            "{who}: {resumed}"
        );
        let shown = env.json(&["case", "show", "c1"], 0);
        assert_eq!(var(&shown, "note").unwrap()["value"], "fine", "{who}");
    }
}

#[test]
fn variables_no_store_can_hold_are_refused_before_anything_is_saved() {
    for env in Env::all() {
        let who = env.name();
        env.config("[components.manual]\nbuiltin = \"pend\"\n");
        let journey = env
            .write(
                "j.json",
                r#"{"journey": {"name": "j", "flow": [
                  {"name": "start", "component": "manual", "user_data": "wb", "next": "end"}]}}"#,
            )
            .display()
            .to_string();
        let vars = env.write("vars.json", r#"{"ok": 1, "note": "a\u0000b"}"#);
        let vars = vars.to_str().unwrap();
        // JSON values of `--var` and `set-var` can spell a NUL too
        let nested = r#"doc=object:{"k\u0000": [1]}"#;

        let run = env
            .run(&[
                "case",
                "start",
                "--journey",
                &journey,
                "--case-id",
                "c1",
                "--vars-file",
                vars,
            ])
            .expect_code(1);
        assert_eq!(run.stderr.lines().count(), 1, "{who}: {}", run.stderr);
        assert!(
            run.stderr.contains("c1") && run.stderr.contains("note") && run.stderr.contains("NUL"),
            "{who}: {}",
            run.stderr
        );
        env.run(&["case", "show", "c1"]).expect_code(1);

        // a started case refuses them on set-var and resume, and stays as it was
        env.json(
            &["case", "start", "--journey", &journey, "--case-id", "c2"],
            0,
        );
        for args in [
            vec!["case", "set-var", "c2", nested],
            vec!["case", "resume", "c2", "--vars-file", vars],
            vec!["case", "resume", "c2", "--var", nested],
        ] {
            let run = env.run(&args).expect_code(1);
            assert!(
                run.stderr.contains("NUL") && run.stderr.lines().count() == 1,
                "{who}: {args:?}: {}",
                run.stderr
            );
        }
        let shown = env.json(&["case", "show", "c2"], 0);
        assert_eq!(shown["work_basket"], "wb", "{who}: {shown}");
        assert!(var(&shown, "note").is_none() && var(&shown, "doc").is_none());
        let done = env.json(&["case", "resume", "c2"], 0);
        assert_eq!(done["status"], "completed", "{who}: {done}");
    }
}

#[test]
fn a_journey_looping_without_a_pend_stops_at_max_units_per_run_and_validate_warns() {
    for env in Env::all() {
        let who = env.name();
        env.config(
            "[engine]\nerror_workbasket = \"wf_errors\"\nmax_units_per_run = 25\n\n\
             [components.go]\nbuiltin = \"proceed\"\n",
        );
        let journey = env
            .write(
                "loop.json",
                r#"{"journey": {"name": "loop", "flow": [
                  {"name": "start", "component": "go", "next": "again"},
                  {"name": "again", "component": "builtin:proceed", "next": "keep"},
                  {"name": "keep", "type": "persist", "next": "again"}]}}"#,
            )
            .display()
            .to_string();
        let checked = env.run(&["journey", "validate", &journey]).expect_code(0);
        let said = format!("{}{}", checked.stdout, checked.stderr);
        assert!(
            said.contains("units again, keep form a cycle in which no unit can pend"),
            "{who}: {said}"
        );

        let outcome = env.json(
            &["case", "start", "--journey", &journey, "--case-id", "c1"],
            0,
        );
        let pend = &outcome["pend"];
        assert_eq!(pend["work_basket"], "wf_errors", "{who}: {outcome}");
        assert_eq!(
            pend["error"]["message"],
            "stopped after 25 units in one call ([engine] max_units_per_run): the journey may \
             loop without end",
            "{who}: {outcome}"
        );
        // one audit record per unit: the limit bounds what a call writes
        let records = env.audit("c1").len();
        assert!(
            (20..=30).contains(&records),
            "{who}: {records} audit records"
        );
    }
}

/// Answers five branches until `few` exists, then two.
const FAN_SCRIPT: &str = "#!/bin/sh\ncat >/dev/null\n\
    if [ -e few ]; then echo '{\"response\":\"ok_proceed\",\"branches\":[\"a\",\"b\"]}'; exit 0; fi\n\
    echo '{\"response\":\"ok_proceed\",\"branches\":[\"1\",\"2\",\"3\",\"4\",\"5\"]}'\n";

#[test]
fn a_route_asking_for_more_branches_than_max_branches_error_pends() {
    for env in Env::all() {
        let who = env.name();
        env.config(
            "[engine]\nerror_workbasket = \"wf_errors\"\nmax_branches = 3\n\n\
             [components.fan]\nexec = [\"./scripts/fan.sh\"]\n",
        );
        env.write("scripts/fan.sh", FAN_SCRIPT);
        let journey = env
            .write(
                "fan.json",
                r#"{"journey": {"name": "fan", "flow": [
                  {"name": "start", "type": "p_route_dynamic", "component": "fan", "next": "work"},
                  {"name": "work", "component": "builtin:proceed", "next": "join"},
                  {"name": "join", "type": "p_join", "next": "end"}]}}"#,
            )
            .display()
            .to_string();
        let outcome = env.json(
            &["case", "start", "--journey", &journey, "--case-id", "c1"],
            0,
        );
        let pend = &outcome["pend"];
        assert_eq!(pend["work_basket"], "wf_errors", "{who}: {outcome}");
        let message = pend["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("route start asked for 5 branches")
                && message.contains("[engine] max_branches = 3"),
            "{who}: {message}"
        );
        let shown = env.json(&["case", "show", "c1"], 0);
        let paths = shown["exec_paths"].as_array().map_or(0, Vec::len);
        assert!(paths <= 1, "{who}: no branch was started: {shown}");

        // the root and two branches fit
        env.write("few", "");
        let done = env.json(&["case", "resume", "c1"], 0);
        assert_eq!(done["status"], "completed", "{who}: {done}");
    }
}

/// Pends in a 300-character basket, then (once `code` exists) error-pends with a code no
/// 32-bit column holds, then (once `fixed` exists) pends in `done_basket`.
const LONG_SCRIPT: &str = "#!/bin/sh\ncat >/dev/null\n\
    if [ -e fixed ]; then echo '{\"response\":\"ok_pend\",\"workbasket\":\"done_basket\"}'; exit 0; fi\n\
    if [ -e esc ]; then printf '%s\\n' '{\"response\":\"ok_pend\",\"workbasket\":\"w\\u001b[31mred\\nx\"}'; exit 0; fi\n\
    if [ -e code ]; then echo '{\"response\":\"error_pend\",\"workbasket\":\"mine\",\"error\":{\"code\":99999999999,\"message\":\"boom\"}}'; exit 0; fi\n\
    printf '{\"response\":\"ok_pend\",\"workbasket\":\"%0300d\"}\\n' 0\n";

#[test]
fn names_too_long_and_error_codes_too_large_error_pend_on_every_store() {
    for env in Env::all() {
        let who = env.name();
        env.config(
            "[engine]\nerror_workbasket = \"wf_errors\"\n\n\
             [components.long]\nexec = [\"./scripts/long.sh\"]\n",
        );
        env.write("scripts/long.sh", LONG_SCRIPT);
        let journey = env
            .write(
                "long.json",
                r#"{"journey": {"name": "long", "flow": [
                  {"name": "start", "component": "long", "next": "end"}]}}"#,
            )
            .display()
            .to_string();
        let outcome = env.json(
            &["case", "start", "--journey", &journey, "--case-id", "c1"],
            0,
        );
        let pend = &outcome["pend"];
        assert_eq!(pend["work_basket"], "wf_errors", "{who}: {outcome}");
        let message = pend["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("work basket") && message.contains("longer than 255 characters"),
            "{who}: {message}"
        );

        env.write("code", "");
        let resumed = env.json(&["case", "resume", "c1"], 0);
        assert_eq!(
            resumed["pend"]["work_basket"], "wf_errors",
            "{who}: {resumed}"
        );
        let message = resumed["pend"]["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("error code 99999999999 does not fit"),
            "{who}: {message}"
        );

        // a name with a control character (ESC, newline) would forge table rows
        env.write("esc", "");
        let resumed = env.json(&["case", "resume", "c1"], 0);
        assert_eq!(
            resumed["pend"]["work_basket"], "wf_errors",
            "{who}: {resumed}"
        );
        let message = resumed["pend"]["error"]["message"].as_str().unwrap();
        assert!(message.contains("control character"), "{who}: {message}");
        env.write("fixed", "");
        let resumed = env.json(&["case", "resume", "c1"], 0);
        assert_eq!(
            resumed["pend"]["work_basket"], "done_basket",
            "{who}: {resumed}"
        );
    }
}

/// Answers one branch with a 250-character name until `fixed` exists, then a short one.
const DEEP_SCRIPT: &str = "#!/bin/sh\ncat >/dev/null\n\
    if [ -e fixed ]; then echo '{\"response\":\"ok_proceed\",\"branches\":[\"b\"]}'; exit 0; fi\n\
    printf '{\"response\":\"ok_proceed\",\"branches\":[\"%0250d\"]}\\n' 0\n";

/// A save PostgreSQL refuses (two nested branch names making an exec path longer than its
/// 500-character column) error-pends the interrupted unit with the store's reason: the case
/// is never left running, and resumes once the answer changes.
#[test]
fn a_save_the_store_refuses_error_pends_the_case_instead_of_leaving_it_running() {
    let Some(env) = Env::postgres() else {
        return;
    };
    env.config(
        "[engine]\nerror_workbasket = \"wf_errors\"\n\n\
         [components.fan]\nexec = [\"./scripts/fan.sh\"]\n",
    );
    env.write("scripts/fan.sh", DEEP_SCRIPT);
    let journey = env
        .write(
            "deep.json",
            r#"{"journey": {"name": "deep", "flow": [
              {"name": "start", "type": "p_route_dynamic", "component": "fan", "next": "inner"},
              {"name": "inner", "type": "p_route_dynamic", "component": "fan", "next": "work"},
              {"name": "work", "component": "builtin:proceed", "next": "join_in"},
              {"name": "join_in", "type": "p_join", "next": "join_out"},
              {"name": "join_out", "type": "p_join", "next": "end"}]}}"#,
        )
        .display()
        .to_string();
    let outcome = env.json(
        &["case", "start", "--journey", &journey, "--case-id", "c1"],
        0,
    );
    let pend = &outcome["pend"];
    assert_eq!(pend["work_basket"], "wf_errors", "{outcome}");
    assert_eq!(pend["step"], "inner", "{outcome}");
    let message = pend["error"]["message"].as_str().unwrap();
    assert!(message.contains("the store refused"), "{message}");
    let shown = env.json(&["case", "show", "c1"], 0);
    assert_eq!(shown["work_basket"], "wf_errors", "{shown}");

    // the same answer again: the same error pend, never a case left running
    let again = env.json(&["case", "resume", "c1"], 0);
    assert_eq!(again["pend"]["work_basket"], "wf_errors", "{again}");

    env.write("fixed", "");
    let done = env.json(&["case", "resume", "c1"], 0);
    assert_eq!(done["status"], "completed", "{done}");
}
