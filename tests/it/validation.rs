//! The journey validator: one bad journey per rule, each with its exact error,
//! plus "all problems at once" and the conformance journeys (which must all be valid).

use serde_json::{Value, json};
use wfctl::model::{DocumentError, Journey};

/// A valid journey with a task, an s_route, a p_route block, a pause and a ticket.
fn base() -> Value {
    json!({"journey": {
        "name": "j",
        "tickets": [{"name": "t", "step": "last"}],
        "process_variables": [{"name": "n", "type": "integer", "value": "3"}],
        "flow": [
            {"name": "start", "component": "c", "next": "route_s"},
            {"name": "route_s", "type": "s_route", "component": "r",
             "branches": [{"name": "yes", "next": "route_p"}, {"name": "no", "next": "last"}]},
            {"name": "route_p", "type": "p_route", "component": "p",
             "branches": [{"name": "1", "next": "b1"}, {"name": "2", "next": "b2"}]},
            {"name": "b1", "component": "c", "next": "join"},
            {"name": "b2", "type": "pause", "next": "join"},
            {"name": "join", "type": "p_join", "next": "last"},
            {"name": "last", "component": "c", "next": "end"}
        ]
    }})
}

fn problems(doc: &Value) -> Vec<String> {
    match Journey::from_value(doc) {
        Ok(_) => Vec::new(),
        Err(e) => e.problems().iter().map(ToString::to_string).collect(),
    }
}

fn flow(doc: &mut Value) -> &mut Vec<Value> {
    doc["journey"]["flow"].as_array_mut().unwrap()
}

#[test]
fn the_base_journey_is_valid() {
    assert_eq!(problems(&base()), Vec::<String>::new());
}

#[test]
fn missing_start() {
    let mut doc = base();
    flow(&mut doc)[0]["name"] = json!("begin");
    assert_eq!(problems(&doc), ["$.journey.flow: no unit named \"start\""]);
}

#[test]
fn duplicate_unit_names() {
    let mut doc = base();
    flow(&mut doc).push(json!({"name": "b1", "component": "x", "next": "end"}));
    assert_eq!(
        problems(&doc),
        [
            "$.journey.flow[7].name (unit b1): duplicate unit name \"b1\" (first defined at $.journey.flow[3])"
        ]
    );
}

#[test]
fn next_naming_no_unit() {
    let mut doc = base();
    flow(&mut doc)[6]["next"] = json!("END");
    assert_eq!(
        problems(&doc),
        ["$.journey.flow[6].next (unit last): next \"END\" names no unit"]
    );
}

#[test]
fn task_without_next() {
    let mut doc = base();
    flow(&mut doc)[6].as_object_mut().unwrap().remove("next");
    assert_eq!(
        problems(&doc),
        ["$.journey.flow[6].next (unit last): task has no \"next\""]
    );
}

#[test]
fn s_route_without_branches() {
    let mut doc = base();
    flow(&mut doc)[1]["branches"] = json!([]);
    assert_eq!(
        problems(&doc),
        ["$.journey.flow[1].branches (unit route_s): s_route has no branches"]
    );
}

#[test]
fn p_route_without_branches() {
    let mut doc = base();
    flow(&mut doc)[2]
        .as_object_mut()
        .unwrap()
        .remove("branches");
    let p = problems(&doc);
    assert_eq!(
        p[0],
        "$.journey.flow[2].branches (unit route_p): p_route has no branches"
    );
    // b1/b2 and the join are now unreachable from any parallel route
    assert!(
        p.contains(
            &"$.journey.flow[5] (unit join): p_join \"join\" is reachable from no parallel route"
                .to_owned()
        )
    );
}

#[test]
fn branch_naming_no_unit() {
    let mut doc = base();
    flow(&mut doc)[1]["branches"][1]["next"] = json!("nowhere");
    assert_eq!(
        problems(&doc),
        [
            "$.journey.flow[1].branches[1].next (unit route_s): branch \"no\" next \"nowhere\" names no unit"
        ]
    );
}

#[test]
fn p_route_dynamic_without_next() {
    let mut doc = base();
    flow(&mut doc)[2] = json!({"name": "route_p", "type": "p_route_dynamic", "component": "p"});
    let p = problems(&doc);
    assert_eq!(
        p[0],
        "$.journey.flow[2].next (unit route_p): p_route_dynamic has no \"next\""
    );
}

#[test]
fn p_route_dynamic_with_branches() {
    let mut doc = base();
    flow(&mut doc)[2]["type"] = json!("p_route_dynamic");
    flow(&mut doc)[2]["next"] = json!("b1");
    assert_eq!(
        problems(&doc),
        [
            "$.journey.flow[2].branches (unit route_p): A dynamic parallel route cannot have branches specified"
        ]
    );
}

#[test]
fn p_route_with_next() {
    let mut doc = base();
    flow(&mut doc)[2]["next"] = json!("b1");
    assert_eq!(
        problems(&doc),
        ["$.journey.flow[2].next (unit route_p): A parallel route cannot have next specified"]
    );
}

#[test]
fn join_reachable_from_no_parallel_route() {
    let mut doc = base();
    flow(&mut doc).push(json!({"name": "lost_join", "type": "p_join", "next": "end"}));
    assert_eq!(
        problems(&doc),
        [
            "$.journey.flow[7] (unit lost_join): p_join \"lost_join\" is reachable from no parallel route"
        ]
    );
}

#[test]
fn duplicate_branch_names() {
    let mut doc = base();
    flow(&mut doc)[2]["branches"][1]["name"] = json!("1");
    assert_eq!(
        problems(&doc),
        ["$.journey.flow[2].branches[1].name (unit route_p): duplicate branch name \"1\""]
    );
}

#[test]
fn ticket_naming_no_unit_is_a_warning() {
    // A warning, not an error: the Java engine runs such a journey correctly until the ticket is
    // raised, and the conformance journey test_journey_wms has one (what the Java engine runs must
    // run here).
    let mut doc = base();
    doc["journey"]["tickets"][0]["step"] = json!("gone");
    let journey = Journey::from_value(&doc).unwrap();
    let warnings: Vec<String> = journey.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["$.journey.tickets[0].step (unit t): ticket \"t\" step \"gone\" names no unit"]
    );
}

#[test]
fn variable_value_not_of_its_type() {
    let mut doc = base();
    doc["journey"]["process_variables"][0]["value"] = json!("three");
    assert_eq!(
        problems(&doc),
        [
            "$.journey.process_variables[0].value (unit n): value \"three\" does not parse as integer"
        ]
    );
}

#[test]
fn unit_named_end() {
    let mut doc = base();
    flow(&mut doc).push(json!({"name": "end", "component": "c", "next": "last"}));
    assert_eq!(
        problems(&doc),
        ["$.journey.flow[7].name (unit end): a unit cannot be named \"end\""]
    );
}

#[test]
fn parallel_branch_reaching_end_without_its_join() {
    let mut doc = base();
    flow(&mut doc)[4]["next"] = json!("end");
    assert_eq!(
        problems(&doc),
        [
            "$.journey.flow[2].branches[1] (unit route_p): branch \"2\" of parallel route \"route_p\" reaches \"end\" without passing its p_join"
        ]
    );
}

#[test]
fn unknown_unit_type() {
    let mut doc = base();
    flow(&mut doc)[3]["type"] = json!("step");
    assert_eq!(
        problems(&doc),
        [
            "$.journey.flow[3].type (unit b1): unknown unit type \"step\" (expected task, s_route, p_route, p_route_dynamic, p_join, pause or persist)"
        ]
    );
}

#[test]
fn string_field_of_the_wrong_json_type() {
    let mut doc = base();
    flow(&mut doc)[3]["component"] = json!(7);
    assert_eq!(
        problems(&doc),
        ["$.journey.flow[3].component (unit b1): expected a string, found a number"]
    );
}

#[test]
fn dots_in_parallel_route_and_branch_names() {
    let mut doc = base();
    flow(&mut doc)[2]["branches"][0]["name"] = json!("a.b");
    assert_eq!(
        problems(&doc),
        [
            "$.journey.flow[2].branches[0].name (unit route_p): a parallel branch name cannot contain \".\" (it is part of exec path names)"
        ]
    );
}

#[test]
fn branches_reaching_different_joins() {
    let mut doc = base();
    flow(&mut doc)[4]["next"] = json!("join2");
    flow(&mut doc).push(json!({"name": "join2", "type": "p_join", "next": "last"}));
    assert_eq!(
        problems(&doc),
        [
            "$.journey.flow[2] (unit route_p): the branches of parallel route \"route_p\" reach different joins: join, join2"
        ]
    );
}

#[test]
fn all_problems_are_reported_at_once() {
    let mut doc = base();
    flow(&mut doc)[0]["next"] = json!("missing");
    flow(&mut doc)[6].as_object_mut().unwrap().remove("next");
    flow(&mut doc)[3]["component"] = json!(false);
    let err = Journey::from_value(&doc).unwrap_err();
    assert!(
        matches!(err, DocumentError::Invalid(ref p) if p.len() == 3),
        "{err}"
    );
}

#[test]
fn every_conformance_journey_is_valid() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/journeys");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy();
        if name.ends_with("_sla.json") {
            wfctl::model::Sla::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        } else {
            Journey::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        checked += 1;
    }
    assert_eq!(checked, 12);
}
