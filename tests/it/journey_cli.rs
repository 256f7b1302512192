//! `wfctl journey validate|show` on the example and on broken files.

use crate::support::case_env::{Env, example_dir};
use crate::support::{Run, wfctl};

fn example(name: &str) -> String {
    example_dir().join(name).display().to_string()
}

#[test]
fn the_example_validates_with_its_sla() {
    let run = Run::of(wfctl().args([
        "--config",
        &example("wfctl.toml"),
        "journey",
        "validate",
        &example("journey.json"),
        "--sla",
        &example("sla.json"),
    ]))
    .expect_code(0);
    assert_eq!(run.stdout.matches("| ok").count(), 2, "{}", run.stdout);
}

#[test]
fn validate_reports_every_problem_of_every_file_and_exits_3() {
    let env = Env::files();
    let bad = env.write(
        "bad.json",
        r#"{"journey": {"name": "b", "flow": [{"name": "start", "component": "c", "next": "zzz"},
           {"name": "r", "type": "s_route", "component": "c"}]}}"#,
    );
    let sla = env.write(
        "bad_sla.json",
        r#"{"milestones": [{"name": "m", "setup_on": "whenever", "type": "case_level", "clock_starts": "immediately", "action": "CORR"}]}"#,
    );
    let good = example("journey.json");
    let run = Run::of(wfctl().args([
        "journey",
        "validate",
        &good,
        bad.to_str().unwrap(),
        "--sla",
        sla.to_str().unwrap(),
    ]))
    .expect_code(3);
    assert!(run.stdout.contains("zzz"), "{}", run.stdout);
    assert!(run.stdout.contains("whenever"), "{}", run.stdout);
    assert!(run.stderr.contains("in 2 of 3 file(s)"), "{}", run.stderr);
    let json = Run::of(wfctl().args([
        "--json",
        "journey",
        "validate",
        &good,
        bad.to_str().unwrap(),
    ]))
    .expect_code(3);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report["files"][0]["valid"], true);
    assert_eq!(report["files"][1]["valid"], false);
    let problems = report["files"][1]["problems"].as_array().unwrap();
    assert!(problems.len() >= 2, "{report}");
    assert!(
        problems
            .iter()
            .all(|p| p["path"].as_str().unwrap().starts_with('$')),
        "{report}"
    );
}

#[test]
fn show_prints_units_and_a_graphviz_graph() {
    let table = Run::of(wfctl().args(["journey", "show", &example("journey.json")])).expect_code(0);
    for text in [
        "manager_approval",
        "s_route",
        "p_join",
        "yes → manager_approval",
        "approvals",
    ] {
        assert!(table.stdout.contains(text), "{text}: {}", table.stdout);
    }
    let dot = Run::of(wfctl().args([
        "journey",
        "show",
        "--format",
        "dot",
        &example("journey.json"),
    ]))
    .expect_code(0);
    assert!(
        dot.stdout.starts_with("digraph \"order_approval\" {"),
        "{}",
        dot.stdout
    );
    assert!(
        dot.stdout
            .contains("\"route_amount\" -> \"manager_approval\" [label=\"yes\"];"),
        "{}",
        dot.stdout
    );
    assert!(
        dot.stdout.contains("\"fulfil_join\" [shape=circle"),
        "{}",
        dot.stdout
    );
    assert!(
        dot.stdout
            .contains("\"ticket cancel_order\" -> \"record_rejection\" [style=dashed];"),
        "{}",
        dot.stdout
    );
    assert!(dot.stdout.trim_end().ends_with('}'));
    let json = Run::of(wfctl().args(["--json", "journey", "show", &example("journey.json")]))
        .expect_code(0);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(doc["journey"]["name"], "order_approval");
    let missing = Run::of(wfctl().args(["journey", "show", "nope.json"])).expect_code(1);
    assert!(missing.stderr.contains("nope.json"), "{}", missing.stderr);
}

#[test]
fn validate_warns_about_components_the_config_does_not_map() {
    let env = Env::files();
    env.config("[components.c]\nbuiltin = \"proceed\"\n");
    let journey = env.write(
        "j.json",
        r#"{"journey": {"name": "j", "flow": [{"name": "start", "component": "c", "next": "s2"},
           {"name": "s2", "component": "unknown_comp", "next": "end"}]}}"#,
    );
    let run = env
        .run(&["journey", "validate", journey.to_str().unwrap()])
        .expect_code(0);
    assert!(
        run.stdout.contains("unknown_comp has no mapping"),
        "{}",
        run.stdout
    );
}
