//! What the engine refuses to run or to store, the same on every store: values no store can
//! hold (a NUL character) error-pend the unit that answered them or are refused before
//! anything is saved; a journey that runs away stops at the configured limits.

use serde_json::Value;

use diesel::connection::SimpleConnection;

use crate::support::case_env::{Backend, Env};

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
            vec!["case", "set-var", "c2", "--var", nested],
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

/// Answers a variable the database's own rule refuses until `fixed` exists.
const REFUSED_SCRIPT: &str = "#!/bin/sh\ncat >/dev/null\n\
    if [ -e fixed ]; then echo '{\"response\":\"ok_proceed\",\"variables\":{\"note\":\"fine\"}}'; exit 0; fi\n\
    echo '{\"response\":\"ok_proceed\",\"variables\":{\"note\":\"refused by the database\"}}'\n";

/// A value the engine has no reason to refuse but PostgreSQL does (here a site's CHECK
/// constraint on variable values; a server encoding that lacks a character does the same):
/// the save fails, and the case error-pends at the unit with the store's reason instead of
/// being left running; it resumes once the answer changes. (Every value the engine itself
/// knows to be unstorable, a NUL or an exec path too long, is refused before any save, so the
/// trigger has to be one only the database knows.)
#[test]
fn a_save_the_store_refuses_error_pends_the_case_instead_of_leaving_it_running() {
    let Some(env) = Env::postgres() else {
        return;
    };
    let Backend::Postgres(db) = &env.backend else {
        unreachable!("Env::postgres is on PostgreSQL")
    };
    db.conn()
        .batch_execute(
            "ALTER TABLE process_variable_value ADD CONSTRAINT site_rule \
             CHECK (value_string IS DISTINCT FROM 'refused by the database')",
        )
        .unwrap();
    env.config(
        "[engine]\nerror_workbasket = \"wf_errors\"\n\n\
         [components.refused]\nexec = [\"./scripts/refused.sh\"]\n\n\
         [components.manual]\nbuiltin = \"pend\"\n",
    );
    env.write("scripts/refused.sh", REFUSED_SCRIPT);
    let journey = env
        .write(
            "refused.json",
            r#"{"journey": {"name": "refused", "flow": [
              {"name": "start", "component": "builtin:proceed", "next": "ask"},
              {"name": "ask", "component": "refused", "next": "after"},
              {"name": "after", "component": "manual", "user_data": "done_basket", "next": "end"}]}}"#,
        )
        .display()
        .to_string();
    let outcome = env.json(
        &["case", "start", "--journey", &journey, "--case-id", "c1"],
        0,
    );
    let pend = &outcome["pend"];
    assert_eq!(pend["work_basket"], "wf_errors", "{outcome}");
    let message = pend["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("the store refused to save this case") && message.contains("site_rule"),
        "{message}"
    );
    let shown = env.json(&["case", "show", "c1"], 0);
    assert_eq!(shown["work_basket"], "wf_errors", "{shown}");
    assert_eq!(shown["status"], "pended", "{shown}");

    // the same answer again: the same error pend, never a case left running
    let again = env.json(&["case", "resume", "c1"], 0);
    assert_eq!(again["pend"]["work_basket"], "wf_errors", "{again}");

    env.write("fixed", "");
    let done = env.json(&["case", "resume", "c1"], 0);
    assert_eq!(done["pend"]["work_basket"], "done_basket", "{done}");
    let shown = env.json(&["case", "show", "c1"], 0);
    assert_eq!(var(&shown, "note").unwrap()["value"], "fine", "{shown}");
}

#[test]
fn a_null_object_value_round_trips_on_every_store() {
    for env in Env::all() {
        let who = env.name();
        env.config(NUL_CONFIG);
        env.write(
            "scripts/nul.sh",
            "#!/bin/sh\ncat >/dev/null\nprintf '%s\\n' '{\"response\":\"ok_proceed\",\"variables\":{\"answered\":null}}'\n",
        );
        let journey = nul_journey(&env);
        let vars = env.write("vars.json", r#"{"from_file": null}"#);
        let outcome = env.json(
            &[
                "case",
                "start",
                "--journey",
                &journey,
                "--case-id",
                "n1",
                "--var",
                "given=object:null",
                "--vars-file",
                vars.to_str().unwrap(),
            ],
            0,
        );
        assert_eq!(
            outcome["pend"]["work_basket"], "done_basket",
            "{who}: {outcome}"
        );
        env.run(&["case", "set-var", "n1", "--var", "set=object:null"])
            .expect_code(0);
        let shown = env.json(&["case", "show", "n1"], 0);
        for name in ["given", "from_file", "answered", "set"] {
            let v = var(&shown, name).unwrap_or_else(|| panic!("{who}: {name}: {shown}"));
            assert_eq!(v["type"], "object", "{who}: {name}: {shown}");
            assert_eq!(v["value"], Value::Null, "{who}: {name}: {shown}");
        }
        env.run(&["case", "resume", "n1"]).expect_code(0);
        env.run(&["case", "set-var", "n1", "--var", "later=string:x"])
            .expect_code(0);
    }
}

#[test]
fn bulk_arguments_no_case_could_take_are_refused_alike_in_dry_and_real_runs() {
    for env in Env::all() {
        let who = env.name();
        env.config(NUL_CONFIG);
        env.write("scripts/nul.sh", NUL_SCRIPT);
        env.write("fixed", "");
        let journey = nul_journey(&env);
        env.run(&["case", "start", "--journey", &journey, "--case-id", "b1"])
            .expect_code(0);
        for args in [
            &[
                "case",
                "change-workbasket",
                "--all",
                "--workbasket",
                "done_basket",
                "n\nb",
            ][..],
            &[
                "case",
                "change-workbasket",
                "--all",
                "--workbasket",
                "done_basket",
                " ",
            ],
            &[
                "case",
                "resume",
                "--all",
                "--workbasket",
                "done_basket",
                "--var",
                r#"x=object:{"a":"\u0000"}"#,
            ],
        ] {
            let dry = env.run(&[args, &["--dry-run"]].concat()).expect_code(2);
            let real = env.run(args).expect_code(2);
            assert_eq!(dry.stderr, real.stderr, "{who}: {args:?}");
            assert_eq!(dry.stderr.trim_end().lines().count(), 1, "{}", dry.stderr);
        }
        // one case: an empty basket is no basket
        let run = env.run(&["case", "change-workbasket", "b1", ""]);
        assert!(run.code != 0 && run.code != 101, "{who}: {}", run.stderr);
        assert!(run.stderr.contains("work basket"), "{who}: {}", run.stderr);
        let shown = env.json(&["case", "show", "b1"], 0);
        assert!(shown.to_string().contains("done_basket"), "{who}: {shown}");
    }
}

#[test]
fn integers_beyond_64_bits_are_kept_exactly_or_refused_naming_the_variable() {
    for env in Env::all() {
        let who = env.name();
        env.config(NUL_CONFIG);
        // 2^64 and beyond: JSON readers make them floats (1e20), so the store would round them
        env.write(
            "scripts/nul.sh",
            "#!/bin/sh\ncat >/dev/null\n\
             printf '%s\\n' '{\"response\":\"ok_proceed\",\"variables\":{\"big\":{\"n\":100000000000000000000}}}'\n",
        );
        let journey = nul_journey(&env);
        let outcome = env.json(
            &["case", "start", "--journey", &journey, "--case-id", "g1"],
            0,
        );
        assert_eq!(
            outcome["pend"]["response"], "error_pend",
            "{who}: {outcome}"
        );
        let message = outcome["pend"]["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("big") && message.contains("64-bit"),
            "{who}: names the variable and why: {message}"
        );

        let start = |id: &str, var: &str| {
            env.run(&[
                "case",
                "start",
                "--journey",
                &journey,
                "--case-id",
                id,
                "--var",
                var,
            ])
        };
        for var in [
            "big=object:100000000000000000000",
            "big=object:[1, -1e19]",
            "big=list_of_object:[{\"a\": 18446744073709551616}]",
        ] {
            let run = start("g2", var);
            assert_ne!(run.code, 0, "{who}: {var}");
            assert!(
                run.stderr.contains("big") && run.stderr.contains("64-bit"),
                "{who}: {var}: {}",
                run.stderr
            );
        }
        let vars = env.write("vars.json", r#"{"big": 123456789012345678901234}"#);
        let run = env.run(&[
            "case",
            "start",
            "--journey",
            &journey,
            "--case-id",
            "g3",
            "--vars-file",
            vars.to_str().unwrap(),
        ]);
        assert_ne!(run.code, 0, "{who}: {}", run.stderr);
        assert!(run.stderr.contains("big"), "{who}: {}", run.stderr);

        // what fits 64 bits is kept exactly, as a long or (unsigned) inside an object
        env.config("[components.manual]\nbuiltin = \"pend\"\n");
        let manual = env
            .write(
                "m.json",
                r#"{"journey": {"name": "m", "flow": [
                  {"name": "start", "component": "manual", "user_data": "wb", "next": "end"}]}}"#,
            )
            .display()
            .to_string();
        env.run(&[
            "case",
            "start",
            "--journey",
            &manual,
            "--case-id",
            "g4",
            "--var",
            "max=long:9223372036854775807",
            "--var",
            "u=object:{\"n\": 18446744073709551615}",
        ])
        .expect_code(0);
        let shown = env.json(&["case", "show", "g4"], 0);
        let max = var(&shown, "max").unwrap()["value"].to_string();
        assert!(max.contains("9223372036854775807"), "{who}: {max}");
        let u = var(&shown, "u").unwrap()["value"].to_string();
        assert!(u.contains("18446744073709551615"), "{who}: {u}");
    }
}

#[test]
fn names_longer_than_every_store_keeps_are_refused_at_start_naming_the_field() {
    for env in Env::all() {
        let who = env.name();
        env.config("[components.manual]\nbuiltin = \"pend\"\n");
        let long = "n".repeat(256);
        let fits = "é".repeat(255);
        for (field, journey) in [
            (
                "$.journey.name",
                format!(
                    r#"{{"journey": {{"name": "{long}", "flow": [
                      {{"name": "start", "component": "manual", "user_data": "wb", "next": "end"}}]}}}}"#
                ),
            ),
            (
                ".name",
                format!(
                    r#"{{"journey": {{"name": "j", "flow": [
                      {{"name": "start", "component": "manual", "user_data": "wb", "next": "{long}"}},
                      {{"name": "{long}", "component": "manual", "user_data": "wb", "next": "end"}}]}}}}"#
                ),
            ),
        ] {
            let path = env.write("long.json", &journey);
            let path = path.to_str().unwrap();
            let run = env
                .run(&["case", "start", "--journey", path, "--case-id", "l1"])
                .expect_code(1);
            assert!(
                run.stderr.contains(field) && run.stderr.contains("longer than 255 characters"),
                "{who}: {field}: {}",
                run.stderr
            );
            env.run(&["case", "show", "l1"]).expect_code(1);
        }
        // 255 characters (510 bytes) fit every store
        let path = env.write(
            "fits.json",
            &format!(
                r#"{{"journey": {{"name": "{fits}", "flow": [
                  {{"name": "start", "component": "manual", "user_data": "wb", "next": "end"}}]}}}}"#
            ),
        );
        env.run(&[
            "case",
            "start",
            "--journey",
            path.to_str().unwrap(),
            "--case-id",
            "l2",
        ])
        .expect_code(0);
        let shown = env.json(&["case", "show", "l2"], 0);
        assert_eq!(shown["journey"], fits.as_str(), "{who}");
    }
}

/// A long case id the file store keeps (its file names bound it) is kept by PostgreSQL too:
/// its audit counter, named after the case, fits the counters table.
#[test]
fn the_longest_case_id_one_store_keeps_every_store_keeps() {
    // with the unit `start`, what the audit record's file name leaves a case id
    let id = "c".repeat(200);
    for env in Env::all() {
        let who = env.name();
        env.config("[components.manual]\nbuiltin = \"pend\"\n");
        let path = env.write(
            "short.json",
            r#"{"journey": {"name": "j", "flow": [
              {"name": "start", "component": "manual", "user_data": "wb", "next": "end"}]}}"#,
        );
        env.run(&[
            "case",
            "start",
            "--journey",
            path.to_str().unwrap(),
            "--case-id",
            &id,
        ])
        .expect_code(0);
        let shown = env.json(&["case", "show", &id], 0);
        // pended where the journey says, not error-pended by a save the store refused
        assert_eq!(
            (&shown["status"], &shown["work_basket"]),
            (&"pended".into(), &"wb".into()),
            "{who}: {shown}"
        );
    }
}

/// A cycle of units whose components the configuration maps to `builtin = "proceed"` warns
/// like one of `builtin:proceed`, whatever the names; one that can pend does not.
#[test]
fn validate_warns_of_a_cycle_through_configured_proceed_components() {
    let env = Env::files();
    env.config(
        "[components.go]\nbuiltin = \"proceed\"\n\n[components.step_two]\nbuiltin = \"proceed\"\n\n\
         [components.ask]\nbuiltin = \"pend\"\n",
    );
    let journey = env
        .write(
            "loop.json",
            r#"{"journey": {"name": "loop", "flow": [
              {"name": "start", "component": "go", "next": "again"},
              {"name": "again", "component": "go", "next": "two"},
              {"name": "two", "component": "step_two", "next": "again"},
              {"name": "asking", "component": "ask", "user_data": "b", "next": "asking2"},
              {"name": "asking2", "component": "go", "next": "asking"}]}}"#,
        )
        .display()
        .to_string();
    let checked = env.run(&["journey", "validate", &journey]).expect_code(0);
    let said = format!("{}{}", checked.stdout, checked.stderr);
    assert!(
        said.contains("units again, two form a cycle in which no unit can pend"),
        "{said}"
    );
    assert_eq!(said.matches("form a cycle").count(), 1, "{said}");
}

/// An exec path name longer than PostgreSQL's `VARCHAR(500)` error-pends the route naming the
/// path on every store (the file store used to keep it; PostgreSQL failed the save). Two
/// nested dynamic routes, each answering a 255-character branch: `.o.B.i.B.` is 517 long.
#[test]
fn an_exec_path_longer_than_a_store_keeps_error_pends_on_every_store() {
    let branch = "b".repeat(255);
    for env in Env::all() {
        let who = env.name();
        env.config(
            "[engine]\nerror_workbasket = \"wf_errors\"\n\n\
             [components.fan]\nexec = [\"./scripts/fan.sh\"]\n",
        );
        env.write(
            "scripts/fan.sh",
            &format!(
                "#!/bin/sh\ncat >/dev/null\n\
                 if [ -e short ]; then echo '{{\"response\":\"ok_proceed\",\"branches\":[\"b\"]}}'; exit 0; fi\n\
                 echo '{{\"response\":\"ok_proceed\",\"branches\":[\"{branch}\"]}}'\n"
            ),
        );
        let journey = env.write(
            "deep.json",
            r#"{"journey": {"name": "deep", "flow": [
              {"name": "start", "component": "builtin:proceed", "next": "o"},
              {"name": "o", "type": "p_route_dynamic", "component": "fan", "next": "i"},
              {"name": "i", "type": "p_route_dynamic", "component": "fan", "next": "work"},
              {"name": "work", "component": "builtin:proceed", "next": "j1"},
              {"name": "j1", "type": "p_join", "next": "j2"},
              {"name": "j2", "type": "p_join", "next": "end"}]}}"#,
        );
        let outcome = env.json(
            &[
                "case",
                "start",
                "--journey",
                journey.to_str().unwrap(),
                "--case-id",
                "c1",
            ],
            0,
        );
        let pend = &outcome["pend"];
        assert_eq!(pend["work_basket"], "wf_errors", "{who}: {outcome}");
        let message = pend["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("route i: exec path")
                && message.contains("longer than 500 characters (517)"),
            "{who}: {message}"
        );
        // the case is not bricked: a shorter answer goes on
        env.write("short", "");
        let done = env.json(&["case", "resume", "c1"], 0);
        assert_eq!(done["status"], "completed", "{who}: {done}");
    }
}

/// A unit name is part of its audit records' file names (`audit_log-{case}_{seq}_{unit}.json`,
/// at most 255 bytes): one limit on every store, refused by `journey validate` and at
/// `case start` naming the unit, never a case the file store fails half way through its run.
#[test]
fn unit_names_too_long_for_an_audit_file_name_are_refused_alike_on_every_store() {
    // 231 bytes: no case id leaves room for it (230 with a one-character id)
    let too_long = "u".repeat(231);
    // 220 bytes: fits a short case id, not a 20-byte one (room 211)
    let long = "v".repeat(220);
    let journey_with = |unit: &str| {
        format!(
            r#"{{"journey": {{"name": "j", "flow": [
              {{"name": "start", "component": "builtin:proceed", "next": "{unit}"}},
              {{"name": "{unit}", "component": "manual", "user_data": "wb", "next": "end"}}]}}}}"#
        )
    };
    for env in Env::all() {
        let who = env.name();
        env.config("[components.manual]\nbuiltin = \"pend\"\n");
        let path = env.write("too_long.json", &journey_with(&too_long));
        let path = path.to_str().unwrap();
        let checked = env.run(&["journey", "validate", path]);
        assert_ne!(checked.code, 0, "{who}: {}", checked.stdout);
        let said = format!("{}{}", checked.stdout, checked.stderr);
        assert!(
            said.contains("longer than 230 bytes (231)"),
            "{who}: {said}"
        );
        let run = env
            .run(&["case", "start", "--journey", path, "--case-id", "a"])
            .expect_code(1);
        assert!(
            run.stderr.contains("longer than 230 bytes (231)") && run.stderr.contains(".name"),
            "{who}: {}",
            run.stderr
        );
        env.run(&["case", "show", "a"]).expect_code(1);

        // valid as a journey; too long for the audit names of this case id: refused at start
        let path = env.write("long.json", &journey_with(&long));
        let path = path.to_str().unwrap();
        env.run(&["journey", "validate", path]).expect_code(0);
        let case_id = "c".repeat(20);
        let run = env
            .run(&["case", "start", "--journey", path, "--case-id", &case_id])
            .expect_code(1);
        assert!(
            run.stderr.contains(&format!("unit name \"{long}\""))
                && run.stderr.contains("a unit name may have 211"),
            "{who}: {}",
            run.stderr
        );
        env.run(&["case", "show", &case_id]).expect_code(1);
        // a short id leaves room: the case runs into its long unit and pends there
        let started = env.json(&["case", "start", "--journey", path, "--case-id", "b"], 0);
        assert_eq!(started["pend"]["step"], long.as_str(), "{who}: {started}");
    }
}

/// Every name PostgreSQL keeps in a `VARCHAR(255)` column (ticket names, SLA milestone and work
/// basket names, like journey and unit names) is refused at start on every store, before
/// anything is written: no store keeps a case the other would refuse.
#[test]
fn ticket_and_sla_names_longer_than_a_store_keeps_are_refused_before_anything_is_written() {
    for env in Env::all() {
        let who = env.name();
        env.config("[components.manual]\nbuiltin = \"pend\"\n");
        let long = "n".repeat(256);
        let flow = r#""flow": [
          {"name": "start", "component": "manual", "user_data": "wb", "next": "end"}]"#;
        let plain = env.write(
            "plain.json",
            &format!(r#"{{"journey": {{"name": "j", {flow}}}}}"#),
        );
        let ticketed = env.write(
            "ticketed.json",
            &format!(
                r#"{{"journey": {{"name": "j", "tickets": [{{"name": "{long}", "step": "start"}}], {flow}}}}}"#
            ),
        );
        let milestone = |name: &str, basket: &str| {
            format!(
                r#"{{"milestones": [{{"name": "{name}", "setup_on": "work_basket_entry",
                "type": "work_basket", "work_basket_name": "{basket}", "applied_at_age": "1d",
                "clock_starts": "immediately", "action": "CORR"}}]}}"#
            )
        };
        let long_name = env.write("sla-name.json", &milestone(&long, "wb"));
        let long_basket = env.write("sla-basket.json", &milestone("m", &long));
        let cases: [(&std::path::Path, Option<&std::path::Path>, &str); 3] = [
            (&ticketed, None, "$.journey.tickets[0].name"),
            (&plain, Some(&long_name), "$.milestones[0].name"),
            (
                &plain,
                Some(&long_basket),
                "$.milestones[0].work_basket_name",
            ),
        ];
        for (journey, sla, field) in cases {
            let mut args = vec!["case", "start", "--case-id", "t1", "--journey"];
            args.push(journey.to_str().unwrap());
            if let Some(sla) = sla {
                args.extend(["--sla", sla.to_str().unwrap()]);
            }
            let run = env.run(&args);
            assert!(
                run.code == 1 || run.code == 2,
                "{who}: {field}: {} {}",
                run.code,
                run.stderr
            );
            assert!(
                run.stderr.contains(field) && run.stderr.contains("longer than 255 characters"),
                "{who}: {field}: {}",
                run.stderr
            );
            assert_eq!(run.stderr.trim_end().lines().count(), 1, "{}", run.stderr);
            env.run(&["case", "show", "t1"]).expect_code(1);
        }
        let run = env.run(&["journey", "validate", ticketed.to_str().unwrap()]);
        assert_ne!(run.code, 0, "{who}: {}", run.stdout);
        assert!(
            format!("{}{}", run.stdout, run.stderr).contains("$.journey.tickets[0].name"),
            "{who}: {} {}",
            run.stdout,
            run.stderr
        );
    }
}

/// The error work basket is stored with every case that error-pends: a name no store keeps as
/// a work basket (too long, invisible characters) is refused when the config is read, exit 78,
/// naming the key and the file, before any case is touched.
#[test]
fn an_error_workbasket_no_store_keeps_is_refused_at_config_load() {
    let journey = r#"{"journey": {"name": "j", "flow": [
      {"name": "start", "component": "builtin:proceed", "next": "end"}]}}"#;
    for env in Env::all() {
        let who = env.name();
        for (basket, why) in [
            ("b".repeat(300), "is longer than 255 characters"),
            ("a\u{202e}b".to_owned(), "invisible control character"),
            ("a\\nb".to_owned(), "contains a control character"),
        ] {
            let config = env.config(&format!("[engine]\nerror_workbasket = \"{basket}\"\n"));
            let path = env.write("j.json", journey);
            let run = env
                .run(&[
                    "case",
                    "start",
                    "--journey",
                    path.to_str().unwrap(),
                    "--case-id",
                    "e1",
                ])
                .expect_code(78);
            assert!(
                run.stderr.contains("key `engine.error_workbasket`")
                    && run.stderr.contains(why)
                    && run.stderr.contains(&config.display().to_string()),
                "{who}: {}",
                run.stderr
            );
            assert_eq!(run.stderr.lines().count(), 1, "{who}: {}", run.stderr);
            assert!(!run.stderr.contains('\u{202e}'), "{who}: {}", run.stderr);
        }
        env.config("[engine]\nerror_workbasket = \"wf_errors\"\n");
        env.run(&["case", "show", "e1"]).expect_code(1);
    }
}
