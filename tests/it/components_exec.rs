//! Exec components through the built binary on every store: the protocol (context on stdin,
//! variables merged back) and every failure mode, each of which must end as an error pend in
//! the error work basket with the reason on the exec path, shown by `case show`; never a hang.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::Run;
use crate::support::case_env::Env;

const CONFIG: &str = r#"
[engine]
error_workbasket = "wf_errors"

[components.manual]
builtin = "pend"

[components.good]
exec = ["./scripts/good.sh", "--flag"]
env = { GREETING = "hello" }

[components.slow]
exec = ["./scripts/slow.sh"]
timeout = "1s"

[components.failing]
exec = ["./scripts/failing.sh"]

[components.garbage]
exec = ["./scripts/garbage.sh"]

[components.unknown]
exec = ["./scripts/unknown.sh"]

[components.killed]
exec = ["./scripts/killed.sh"]

[components.huge]
exec = ["./scripts/huge.sh"]

[components.missing]
exec = ["./scripts/does-not-exist.sh"]

[components.pender]
exec = ["./scripts/pender.sh"]
"#;

const SCRIPTS: [(&str, &str); 9] = [
    (
        "scripts/good.sh",
        "#!/bin/sh\ncat > \"$WFCTL_CASE_ID.request.json\"\necho \"args=$1 greeting=$GREETING db=${DATABASE_URL:-none}\" > \"$WFCTL_CASE_ID.env.txt\"\n\
         printf '{\"response\":\"ok_proceed\",\"variables\":{\"score\":42,\"tags\":[\"a\",\"b\"],\"label\":\"x\",\"count\":7}}'\n",
    ),
    // the sleep is a child that keeps stdout open: the whole process group must go
    (
        "scripts/slow.sh",
        "#!/bin/sh\necho starting >&2\nsleep 30\necho '{\"response\":\"ok_proceed\"}'\n",
    ),
    (
        "scripts/failing.sh",
        "#!/bin/sh\necho 'disk full on /var/orders' >&2\nexit 3\n",
    ),
    ("scripts/garbage.sh", "#!/bin/sh\necho 'this is not json'\n"),
    (
        "scripts/unknown.sh",
        "#!/bin/sh\necho '{\"response\":\"maybe_later\"}'\n",
    ),
    (
        "scripts/killed.sh",
        "#!/bin/sh\necho 'about to die' >&2\nkill -9 $$\n",
    ),
    (
        "scripts/huge.sh",
        "#!/bin/sh\nexec yes '{\"response\":\"ok_proceed\"}'\n",
    ),
    (
        "scripts/pender.sh",
        "#!/bin/sh\ncat >/dev/null\necho '{\"response\":\"ok_pend_eor\",\"workbasket\":\"review\",\"variables\":{\"tries\":1}}'\n",
    ),
    ("scripts/unused.sh", "#!/bin/sh\nexit 0\n"),
];

fn setup(env: &Env) {
    env.config(CONFIG);
    for (name, text) in SCRIPTS {
        env.write(name, text);
    }
}

/// A journey whose `start` runs `component`, then `after` pends in `done_basket`.
fn journey_with(env: &Env, component: &str) -> String {
    let text = format!(
        r#"{{"journey": {{"name": "probe_{component}", "process_variables": [
            {{"name": "count", "type": "integer", "value": "1"}}],
          "flow": [
          {{"name": "start", "component": "{component}", "user_data": "ud-{component}", "next": "after"}},
          {{"name": "after", "component": "manual", "user_data": "done_basket", "next": "end"}}]}}}}"#
    );
    env.write(&format!("{component}.json"), &text)
        .display()
        .to_string()
}

fn start(env: &Env, component: &str) -> Value {
    let journey = journey_with(env, component);
    env.json(
        &[
            "case",
            "start",
            "--journey",
            &journey,
            "--case-id",
            component,
        ],
        0,
    )
}

fn var<'a>(show: &'a Value, name: &str) -> Option<&'a Value> {
    show["variables"]
        .as_array()?
        .iter()
        .find(|v| v["name"] == name)
}

#[test]
fn a_component_never_receives_a_secret_from_wfctl_s_environment() {
    let env = Env::files();
    setup(&env);
    env.write(
        "scripts/good.sh",
        "#!/bin/sh\ncat >/dev/null\nenv > \"$WFCTL_CASE_ID.env.txt\"\n\
         echo '{\"response\":\"ok_proceed\"}'\n",
    );
    let journey = journey_with(&env, "good");
    let secrets = [
        ("DATABASE_URL", "postgres://u:S1@h/d"),
        ("WFCTL_ADMIN_URL", "postgres://u:S2@h/d"),
        ("PGPASSWORD", "S3"),
        ("PGPASSFILE", "/tmp/S4"),
        ("WFCTL_USER_PASSWORD", "S5"),
        ("WFCTL_READONLY_PASSWORD", "S6"),
        ("PGSSLPASSPHRASE", "S7"),
        ("API_TOKEN", "S8"),
        ("MY_DSN", "postgres://a:S9@h/d"),
        ("DB_PASS", "S10"),
        ("PGPASS", "S11"),
        ("PGSERVICEFILE", "/tmp/S12"),
        ("AWS_SECRET_ACCESS_KEY", "S13"),
        ("GITHUB_TOKEN", "S14"),
        ("HARMLESS_MARKER", "S15"),
    ];
    let mut cmd = env.wf();
    for (name, value) in secrets {
        cmd.env(name, value);
    }
    // what a program needs to run is inherited; the component's own `env` is set
    // and what the caller names in WFCTL_COMPONENT_ENV, except wfctl's own secrets
    cmd.env("LC_TIME", "C").env("TZ", "UTC");
    cmd.env("ORDERS_API", "https://orders")
        .env("WFCTL_COMPONENT_ENV", "ORDERS_API,DATABASE_URL,PGPASSWORD");
    cmd.args(["case", "start", "--journey", &journey, "--case-id", "good"]);
    Run::of(&mut cmd).expect_code(0);
    let seen = std::fs::read_to_string(env.path("good.env.txt")).unwrap();
    for needed in [
        "PATH=",
        "LC_TIME=C",
        "TZ=UTC",
        "GREETING=hello",
        "WFCTL_CASE_ID=good",
        "ORDERS_API=https://orders",
    ] {
        assert!(
            seen.lines().any(|l| l.starts_with(needed)),
            "{needed}: {seen}"
        );
    }
    for (name, value) in secrets {
        assert!(
            !seen.contains(&format!("{name}=")) && !seen.contains(value),
            "{name} reached the component: {seen}"
        );
    }
}

#[test]
fn a_component_gets_the_step_context_and_its_variables_are_merged() {
    for env in Env::all() {
        setup(&env);
        let who = env.name();
        let outcome = start(&env, "good");
        assert_eq!(
            outcome["pend"]["work_basket"], "done_basket",
            "{who}: {outcome}"
        );
        let request: Value =
            serde_json::from_str(&std::fs::read_to_string(env.path("good.request.json")).unwrap())
                .unwrap();
        assert_eq!(request["case_id"], "good", "{who}");
        assert_eq!(request["journey"], "probe_good", "{who}");
        assert_eq!(request["step"], "start", "{who}");
        assert_eq!(request["component"], "good", "{who}");
        assert_eq!(request["unit_type"], "task", "{who}");
        assert_eq!(request["exec_path"], ".", "{who}");
        assert_eq!(request["user_data"], "ud-good", "{who}");
        assert_eq!(request["variables"]["count"], 1, "{who}: {request}");
        assert_eq!(request["variable_types"]["count"], "integer", "{who}");
        assert_eq!(request["pend_at_same_step"], false, "{who}");
        let env_seen = std::fs::read_to_string(env.path("good.env.txt")).unwrap();
        // configured argv and env reach the program; the database URL does not
        assert_eq!(
            env_seen.trim(),
            "args=--flag greeting=hello db=none",
            "{who}"
        );

        let shown = env.json(&["case", "show", "good"], 0);
        let types: Vec<(String, String)> = ["score", "tags", "label", "count"]
            .iter()
            .map(|n| {
                let v = var(&shown, n).unwrap_or_else(|| panic!("{who}: no {n} in {shown}"));
                (
                    v["type"].as_str().unwrap().to_owned(),
                    v["value"].to_string(),
                )
            })
            .collect();
        assert_eq!(types[0], ("long".to_owned(), "\"42\"".to_owned()), "{who}");
        assert_eq!(
            types[1],
            ("list_of_string".to_owned(), "[\"a\",\"b\"]".to_owned()),
            "{who}"
        );
        assert_eq!(types[2], ("string".to_owned(), "\"x\"".to_owned()), "{who}");
        // an existing variable keeps its type
        assert_eq!(
            types[3],
            ("integer".to_owned(), "\"7\"".to_owned()),
            "{who}"
        );

        // ok_pend_eor pends in the basket the program names; resume runs it again
        let pended = start(&env, "pender");
        assert_eq!(pended["pend"]["work_basket"], "review", "{who}");
        assert_eq!(pended["pend"]["response"], "ok_pend_eor", "{who}");
    }
}

/// Every failure mode: (component, words the recorded reason must contain, words the details
/// must contain).
const FAILURES: [(&str, &str, &str); 7] = [
    ("slow", "timed out after 1s", "starting"),
    (
        "failing",
        "exited with status 3",
        "disk full on /var/orders",
    ),
    ("garbage", "printed invalid JSON", "this is not json"),
    ("unknown", "unknown response \"maybe_later\"", ""),
    ("killed", "killed by signal 9 (SIGKILL)", "about to die"),
    ("huge", "printed more than 1.00 MiB on stdout", ""),
    ("missing", "cannot run", ""),
];

#[test]
fn every_component_failure_error_pends_with_the_reason_on_the_exec_path() {
    for env in Env::all() {
        setup(&env);
        let who = env.name();
        for (component, reason, detail) in FAILURES {
            let began = Instant::now();
            let outcome = start(&env, component);
            let took = began.elapsed();
            assert!(
                took < Duration::from_secs(10),
                "{who}/{component}: took {took:?}"
            );
            let pend = &outcome["pend"];
            assert_eq!(outcome["status"], "pended", "{who}/{component}: {outcome}");
            assert_eq!(
                pend["work_basket"], "wf_errors",
                "{who}/{component}: {outcome}"
            );
            assert_eq!(pend["response"], "error_pend", "{who}/{component}");
            assert_eq!(pend["step"], "start", "{who}/{component}");
            let message = pend["error"]["message"].as_str().unwrap();
            assert!(message.contains(reason), "{who}/{component}: {message}");
            assert!(
                message.contains(component),
                "{who}/{component}: names the component: {message}"
            );
            // no details is `null`, never ""
            let details = pend["error"]["details"].as_str().unwrap_or_default();
            assert_ne!(pend["error"]["details"], "", "{who}/{component}");
            assert!(
                details.contains(detail),
                "{who}/{component}: details {details:?}"
            );

            let shown = env.json(&["case", "show", component], 0);
            assert_eq!(shown["work_basket"], "wf_errors", "{who}/{component}");
            let path = &shown["exec_paths"][0];
            assert_eq!(path["response"], "error_pend", "{who}/{component}");
            assert!(
                path["error"]["message"].as_str().unwrap().contains(reason),
                "{who}/{component}: {shown}"
            );
            let human = env.run(&["case", "show", component]).expect_code(0);
            assert!(
                human.stdout.contains(reason),
                "{who}/{component}: {}",
                human.stdout
            );
        }
        let errors = env.json(&["case", "list", "--workbasket", "wf_errors"], 0);
        assert_eq!(
            errors["cases"].as_array().unwrap().len(),
            FAILURES.len(),
            "{who}"
        );
    }
}

#[test]
fn a_failed_component_is_run_again_on_resume() {
    for env in Env::all() {
        setup(&env);
        let who = env.name();
        start(&env, "failing");
        // fix the program, then resume: the failed step runs again and the case moves on
        env.write(
            "scripts/failing.sh",
            "#!/bin/sh\necho '{\"response\":\"ok_proceed\"}'\n",
        );
        let resumed = env.json(&["case", "resume", "failing"], 0);
        assert_eq!(
            resumed["pend"]["work_basket"], "done_basket",
            "{who}: {resumed}"
        );
        assert_eq!(resumed["units"][0], "start", "{who}");
    }
}

#[test]
fn a_journey_with_unmapped_components_fails_at_start_listing_them() {
    for env in Env::all() {
        setup(&env);
        let who = env.name();
        let journey = env.write(
            "unmapped.json",
            r#"{"journey": {"name": "j", "flow": [
              {"name": "start", "component": "nobody_a", "next": "s2"},
              {"name": "s2", "component": "good", "next": "s3"},
              {"name": "s3", "component": "nobody_b", "next": "end"}]}}"#,
        );
        let run = env
            .run(&[
                "case",
                "start",
                "--journey",
                journey.to_str().unwrap(),
                "--case-id",
                "u1",
            ])
            .expect_code(78);
        assert!(
            run.stderr.contains("nobody_a, nobody_b"),
            "{who}: {}",
            run.stderr
        );
        assert_eq!(run.stderr.lines().count(), 1, "{who}: {}", run.stderr);
        // nothing was written: no case, and a file store not even created
        let gone = env.run(&["case", "show", "u1"]).expect_code(1);
        assert!(
            gone.stderr.contains("case u1 not found") || gone.stderr.contains("no file store at"),
            "{who}: {}",
            gone.stderr
        );
    }
}

/// `builtin = "route-by-variable"` takes the branch its variable names; a missing variable or a
/// value that names no branch error-pends the route with the reason. Variables come from a
/// `--vars-file` (object form) here.
#[test]
fn route_by_variable_takes_the_named_branch_or_error_pends_with_why() {
    for env in Env::all() {
        let who = env.name();
        env.config(
            "[engine]\nerror_workbasket = \"wf_errors\"\n\n\
             [components.by_lane]\nbuiltin = \"route-by-variable\"\n\n\
             [components.ok]\nbuiltin = \"proceed\"\n",
        );
        let journey = env.write(
            "lanes.json",
            r#"{"journey": {"name": "lanes", "flow": [
              {"name": "start", "type": "s_route", "component": "by_lane", "user_data": "lane",
               "branches": [{"name": "fast", "next": "done_fast"}, {"name": "slow", "next": "done_slow"}]},
              {"name": "done_fast", "component": "ok", "next": "end"},
              {"name": "done_slow", "component": "ok", "next": "end"}]}}"#,
        );
        let journey = journey.to_str().unwrap();
        let vars = env.write("vars.json", r#"{"lane": "slow", "note": "from a file"}"#);
        let slow = env.json(
            &[
                "case",
                "start",
                "--journey",
                journey,
                "--case-id",
                "r1",
                "--vars-file",
                vars.to_str().unwrap(),
            ],
            0,
        );
        assert_eq!(slow["status"], "completed", "{who}: {slow}");
        let units: Vec<&str> = slow["units"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u.as_str().unwrap())
            .collect();
        assert!(
            units.contains(&"done_slow") && !units.contains(&"done_fast"),
            "{who}: {slow}"
        );
        let shown = env.json(&["case", "show", "r1"], 0);
        assert_eq!(
            var(&shown, "note").map(|v| &v["value"]),
            Some(&Value::from("from a file")),
            "{who}"
        );

        for (id, extra, why) in [
            (
                "r2",
                None,
                "branches on variable lane, which the case does not have",
            ),
            ("r3", Some("lane=string:sideways"), "sideways"),
        ] {
            let mut args = vec!["case", "start", "--journey", journey, "--case-id", id];
            if let Some(var) = extra {
                args.extend(["--var", var]);
            }
            let pended = env.json(&args, 0);
            assert_eq!(pended["status"], "pended", "{who}: {pended}");
            assert_eq!(
                pended["pend"]["work_basket"], "wf_errors",
                "{who}: {pended}"
            );
            assert_eq!(pended["pend"]["step"], "start", "{who}: {pended}");
            let message = pended["pend"]["error"]["message"].as_str().unwrap();
            assert!(message.contains(why), "{who}: {message}");
        }
    }
}
