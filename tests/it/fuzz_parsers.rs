//! Property tests for the journey and SLA parsers and the validator: no input may panic (or
//! hang), and whatever is accepted round-trips through its own JSON.

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use wfctl::model::{Journey, ProcessInfo, Sla};

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        "[a-z_.]{0,6}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(("[a-z_]{1,10}", inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("start".to_owned()),
        Just("end".to_owned()),
        Just("END".to_owned()),
        "[a-e]".prop_map(String::from),
        "[a-e]\\.[1-3]".prop_map(String::from),
    ]
}

fn unit_type() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        Just("task".to_owned()),
        Just("s_route".to_owned()),
        Just("p_route".to_owned()),
        Just("P_ROUTE_DYNAMIC".to_owned()),
        Just("p_join".to_owned()),
        Just("pause".to_owned()),
        Just("persist".to_owned()),
        Just("step".to_owned()),
    ])
}

fn maybe(value: Option<Value>) -> Value {
    value.unwrap_or(Value::Null)
}

fn unit() -> impl Strategy<Value = Value> {
    (
        prop::option::of(name()),
        unit_type(),
        prop::option::of(name()),
        prop::option::of(prop::collection::vec((prop::option::of("[1-3.]{1,2}"), prop::option::of(name())), 0..4)),
        prop::option::of(prop_oneof!["[a-z]{0,3}".prop_map(Value::from), any::<i32>().prop_map(Value::from)]),
    )
        .prop_map(|(name, kind, next, branches, component)| {
            let mut unit = Map::new();
            unit.insert("name".into(), maybe(name.map(Value::from)));
            if let Some(kind) = kind {
                unit.insert("type".into(), kind.into());
            }
            if let Some(next) = next {
                unit.insert("next".into(), next.into());
            }
            if let Some(branches) = branches {
                let list = branches
                    .into_iter()
                    .map(|(n, x)| json!({"name": maybe(n.map(Value::from)), "next": maybe(x.map(Value::from))}))
                    .collect();
                unit.insert("branches".into(), Value::Array(list));
            }
            if let Some(component) = component {
                unit.insert("component".into(), component);
            }
            Value::Object(unit)
        })
}

fn variable() -> impl Strategy<Value = Value> {
    let types = prop_oneof![
        Just("string"),
        Just("boolean"),
        Just("long"),
        Just("integer"),
        Just("object"),
        Just("list_of_object"),
        Just("list_of_string"),
        Just("list_of_boolean"),
        Just("list_of_integer"),
        Just("LIST_OF_LONG"),
        Just("double"),
    ];
    ("[a-c]", types, json_value())
        .prop_map(|(name, ty, value)| json!({"name": name, "type": ty, "value": value}))
}

fn journey_doc() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(unit(), 0..12),
        prop::collection::vec((name(), name()), 0..3),
        prop::collection::vec(variable(), 0..4),
    )
        .prop_map(|(flow, tickets, vars)| {
            let tickets: Vec<Value> = tickets.into_iter().map(|(n, s)| json!({"name": n, "step": s})).collect();
            json!({"journey": {"name": "fuzz", "tickets": tickets, "process_variables": vars, "flow": flow}})
        })
}

fn milestone() -> impl Strategy<Value = Value> {
    let setup = prop_oneof![
        Just("case_start"),
        Just("case_restart"),
        Just("work_basket_entry"),
        Just("work_basket_exit"),
        Just("x")
    ];
    let kind = prop_oneof![Just("case_level"), Just("work_basket"), Just("y")];
    let clock = prop_oneof![Just("immediately"), Just("next_day"), Just("later")];
    let age = prop_oneof![
        Just("30m"),
        Just("1d:2h"),
        Just("99999999999999999999d"),
        Just(""),
        Just("m"),
        Just("5x")
    ];
    let action = prop_oneof![
        Just("CORR"),
        Just("CANCEL:a:C"),
        Just("CUSTOM:a.b"),
        Just("CUSTOM:."),
        Just("")
    ];
    let further = prop::collection::vec(
        (
            prop::option::of(json_value()),
            prop::option::of(prop_oneof![
                Just("1:2:3"),
                Just("1:2"),
                Just("a:b:c"),
                Just("")
            ]),
        ),
        0..3,
    );
    (setup, kind, clock, prop::option::of("[a-z_]{0,4}"), prop::option::of(age), prop::option::of(action), further).prop_map(
        |(setup, kind, clock, basket, age, action, further)| {
            let further: Vec<Value> = further
                .into_iter()
                .map(|(repeat, offset)| json!({"repeat": maybe(repeat), "offset": offset, "applied_at_age": "1h"}))
                .collect();
            json!({"name": "m", "setup_on": setup, "type": kind, "clock_starts": clock,
                   "work_basket_name": basket, "applied_at_age": age, "action": action, "further_milestones": further})
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn journey_text_never_panics(text in "\\PC{0,300}") {
        let _ = Journey::parse(&text);
        let _ = Sla::parse(&text);
        let _ = ProcessInfo::from_json(&text);
    }

    #[test]
    fn journey_text_with_json_tokens_never_panics(text in "[{}\\[\\]\":,/* \\n a-z0-9]{0,200}") {
        let _ = Journey::parse(&text);
        let _ = Sla::parse(&text);
    }

    #[test]
    fn arbitrary_json_never_panics(value in json_value()) {
        let _ = Journey::from_value(&value);
        let _ = Sla::from_value(&value);
        let _ = Journey::from_value(&json!({"journey": value.clone()}));
        let _ = Sla::from_value(&json!({"milestones": [value]}));
    }

    #[test]
    fn generated_journeys_validate_without_panic_and_round_trip(doc in journey_doc()) {
        match Journey::from_value(&doc) {
            Ok(journey) => {
                let again = Journey::parse(&journey.to_json()).expect("an accepted journey re-parses");
                prop_assert_eq!(again, journey);
            }
            Err(e) => prop_assert!(!e.problems().is_empty()),
        }
    }

    #[test]
    fn generated_slas_validate_without_panic_and_round_trip(ms in prop::collection::vec(milestone(), 0..5)) {
        match Sla::from_value(&json!({"milestones": ms})) {
            Ok(sla) => prop_assert_eq!(Sla::parse(&sla.to_json()).expect("an accepted SLA re-parses"), sla),
            Err(e) => prop_assert!(!e.problems().is_empty()),
        }
    }
}
