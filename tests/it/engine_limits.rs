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
        assert_eq!(pend["workbasket"], "wf_errors", "{who}: {outcome}");
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
            resumed["pend"]["workbasket"], "done_basket",
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
        assert_eq!(shown["workbasket"], "wb", "{who}: {shown}");
        assert!(var(&shown, "note").is_none() && var(&shown, "doc").is_none());
        let done = env.json(&["case", "resume", "c2"], 0);
        assert_eq!(done["status"], "completed", "{who}: {done}");
    }
}
