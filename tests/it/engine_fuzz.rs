//! Property test of the engine: random well-formed journeys (task chains, pauses, persist units,
//! singular routes, static and dynamic parallel blocks, nested; a ticket) run with random
//! component answers, sequentially or on threads. Every call must succeed, and after every
//! call the stored state must be consistent: complete, or pended on an existing path, with no
//! path left running.

use std::sync::Mutex;

use proptest::prelude::*;
use serde_json::{Value, json};
use wfctl::engine::{
    ComponentError, Components, Engine, EngineConfig, RouteResponse, StepContext, TaskResponse,
};
use wfctl::model::{Journey, JourneyRecord, PathStatus, PendError, Sla, UnitKind};
use wfctl::store::{CaseStore, FaultMode, FaultyStore, MemoryStore, Store};

#[derive(Debug, Clone)]
enum Shape {
    Task,
    Pause,
    Persist,
    SRoute(Vec<Vec<Shape>>),
    PRoute(Vec<Vec<Shape>>),
    Dynamic(Vec<Shape>),
}

fn shapes() -> impl Strategy<Value = Vec<Shape>> {
    let leaf =
        prop_oneof![6 => Just(Shape::Task), 1 => Just(Shape::Pause), 1 => Just(Shape::Persist)];
    let shape = leaf.prop_recursive(3, 24, 3, |inner| {
        let seq = prop::collection::vec(inner.clone(), 0..3);
        prop_oneof![
            prop::collection::vec(seq.clone(), 1..3).prop_map(Shape::SRoute),
            prop::collection::vec(seq.clone(), 1..4).prop_map(Shape::PRoute),
            seq.prop_map(Shape::Dynamic),
        ]
    });
    prop::collection::vec(shape, 1..5)
}

/// Turns shapes into units; returns the name of the first unit of `seq` (or `next`).
fn compile(
    seq: &[Shape],
    next: &str,
    units: &mut Vec<Value>,
    top: bool,
    targets: &mut Vec<String>,
) -> String {
    let mut entry = next.to_owned();
    for shape in seq.iter().rev() {
        let name = format!("u{}", units.len());
        let unit = match shape {
            Shape::Task => json!({"name": name, "component": "task", "next": entry}),
            Shape::Pause => json!({"name": name, "type": "pause", "next": entry}),
            Shape::Persist => json!({"name": name, "type": "persist", "next": entry}),
            Shape::SRoute(branches) => {
                units.push(Value::Null); // reserve the name
                let list: Vec<Value> = branches
                    .iter()
                    .enumerate()
                    .map(|(i, b)| json!({"name": format!("b{i}"), "next": compile(b, &entry, units, top, targets)}))
                    .collect();
                json!({"name": name, "type": "s_route", "component": "route", "branches": list})
            }
            Shape::PRoute(branches) => {
                units.push(Value::Null);
                let join = format!("j{}", units.len());
                units.push(json!({"name": join, "type": "p_join", "next": entry}));
                let list: Vec<Value> = branches
                    .iter()
                    .enumerate()
                    .map(|(i, b)| json!({"name": format!("{i}"), "next": compile(b, &join, units, false, targets)}))
                    .collect();
                json!({"name": name, "type": "p_route", "component": "route", "branches": list})
            }
            Shape::Dynamic(branch) => {
                units.push(Value::Null);
                let join = format!("j{}", units.len());
                units.push(json!({"name": join, "type": "p_join", "next": entry}));
                let first = compile(branch, &join, units, false, targets);
                json!({"name": name, "type": "p_route_dynamic", "component": "route", "next": first})
            }
        };
        match units.iter().position(|u| u.is_null()) {
            Some(slot) if !matches!(shape, Shape::Task | Shape::Pause | Shape::Persist) => {
                units[slot] = unit
            }
            _ => units.push(unit),
        }
        if top && matches!(shape, Shape::Task) {
            targets.push(name.clone());
        }
        entry = name;
    }
    entry
}

fn build(seq: &[Shape]) -> JourneyRecord {
    let (mut units, mut targets) = (Vec::new(), Vec::new());
    let first = compile(seq, "end", &mut units, true, &mut targets);
    units.push(json!({"name": "start", "component": "task", "next": first}));
    let ticket_step = targets
        .first()
        .cloned()
        .unwrap_or_else(|| "start".to_owned());
    let doc = json!({"journey": {"name": "fuzz", "tickets": [{"name": "t", "step": ticket_step}], "flow": units}});
    JourneyRecord::parse(doc.to_string())
        .unwrap_or_else(|e| panic!("generator made an invalid journey: {e}\n{doc:#}"))
}

/// Answers from a seeded generator; routes choose among the declared branches.
struct Random {
    journey: Journey,
    state: Mutex<u64>,
}

impl Random {
    fn next(&self, bound: u64) -> u64 {
        let mut s = self.state.lock().unwrap();
        *s = s
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (*s >> 33) % bound
    }
}

impl Components for Random {
    fn task(&self, _ctx: &StepContext) -> Result<TaskResponse, ComponentError> {
        Ok(match self.next(100) {
            0..=64 => TaskResponse::proceed(),
            65..=72 => TaskResponse::pend("wb_a"),
            73..=80 => TaskResponse::pend_eor("wb_b"),
            81..=88 => TaskResponse::error_pend("wb_err", PendError::new(1, "no", "")),
            89..=91 => TaskResponse::proceed().with_ticket("t"),
            92..=94 => TaskResponse::pend("wb_t").with_ticket("t"),
            95..=97 => return Err(ComponentError::new("component failed")),
            _ => TaskResponse::proceed().with_ticket("unknown_ticket"),
        })
    }

    fn route(&self, ctx: &StepContext) -> Result<RouteResponse, ComponentError> {
        if self.next(20) == 0 {
            return Ok(RouteResponse::error_pend("wb_route", PendError::default()));
        }
        let unit = self
            .journey
            .unit(&ctx.step)
            .expect("the engine routes declared units");
        let declared: Vec<String> = unit
            .branches
            .iter()
            .flatten()
            .map(|b| b.name.clone())
            .collect();
        Ok(match unit.kind {
            UnitKind::SRoute => RouteResponse::branches([declared
                [self.next(declared.len() as u64) as usize]
                .clone()]),
            UnitKind::PRoute => {
                let mut chosen: Vec<String> = declared
                    .iter()
                    .filter(|_| self.next(3) > 0)
                    .cloned()
                    .collect();
                if chosen.is_empty() {
                    chosen.push(declared[0].clone());
                }
                RouteResponse::branches(chosen)
            }
            _ => RouteResponse::branches((0..=self.next(3)).map(|i| format!("x{i}"))),
        })
    }
}

/// Milestones on every basket the random components use, of both lifetimes, plus case ones.
fn sla() -> Sla {
    let mut milestones = vec![
        json!({"name": "start", "setup_on": "case_start", "type": "case_level", "applied_at_age": "1d", "clock_starts": "immediately"}),
        json!({"name": "restart", "setup_on": "case_restart", "type": "case_level", "applied_at_age": "1d", "clock_starts": "next_day"}),
    ];
    for basket in [
        "wb_a",
        "wb_b",
        "wb_err",
        "wb_route",
        "wb_t",
        "wb_x",
        "wb_r",
        "workflow_error",
        "workflow_pause",
    ] {
        for (setup, kind) in [
            ("work_basket_entry", "work_basket"),
            ("work_basket_exit", "work_basket"),
            ("work_basket_entry", "case_level"),
        ] {
            milestones.push(json!({"name": format!("{basket}_{setup}_{kind}"), "setup_on": setup, "type": kind,
                "work_basket_name": basket, "applied_at_age": "30m", "clock_starts": "immediately", "action": "CORR"}));
        }
    }
    Sla::from_value(&json!({"milestones": milestones})).unwrap()
}

fn check_stored_state(store: &MemoryStore) -> Result<(), String> {
    let info = store.process_info("1").unwrap().ok_or("no process info")?;
    if info
        .exec_paths
        .iter()
        .any(|p| p.status == PathStatus::Started)
    {
        return Err(format!("a path is left running: {:#?}", info.exec_paths));
    }
    if !info.is_complete && info.exec_path(&info.pend_exec_path).is_none() {
        return Err(format!("pended on missing path {:?}", info.pend_exec_path));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_journeys_run_to_consistent_states(
        seq in shapes(),
        seed in any::<u64>(),
        threads in prop_oneof![Just(0_usize), Just(3)],
        reopen in prop::option::of(any::<bool>()),
    ) {
        let record = build(&seq);
        let components = Random { journey: record.journey.clone(), state: Mutex::new(seed) };
        let store = MemoryStore::new();
        let config = EngineConfig { max_threads: threads, max_units_per_call: 400, ..EngineConfig::default() };
        let engine = Engine::new(&store, &components).with_config(config);
        let sla = sla();
        let mut outcome = engine.start("1", &record, Some(&sla), vec![]).map_err(|e| TestCaseError::fail(format!("start: {e}")))?;
        check_stored_state(&store).map_err(TestCaseError::fail)?;
        for round in 0..2 {
            for _ in 0..40 {
                if outcome.is_complete() {
                    break;
                }
                prop_assert!(outcome.pend.is_some(), "a pended outcome names its pend");
                if components.next(5) == 0 {
                    let basket = ["wb_a", "wb_b", "wb_x"][components.next(3) as usize];
                    engine.change_workbasket("1", basket).map_err(|e| TestCaseError::fail(format!("change: {e}")))?;
                    check_stored_state(&store).map_err(TestCaseError::fail)?;
                }
                outcome = engine.resume("1", vec![]).map_err(|e| TestCaseError::fail(format!("resume: {e}")))?;
                check_stored_state(&store).map_err(TestCaseError::fail)?;
            }
            if outcome.is_complete() {
                prop_assert!(store.milestones("1").unwrap().is_empty(), "a completed case has no queued milestone");
            }
            match reopen {
                Some(pend) if round == 0 && outcome.is_complete() => {
                    outcome = engine
                        .reopen("1", "t", pend.then_some("wb_r"), vec![])
                        .map_err(|e| TestCaseError::fail(format!("reopen: {e}")))?;
                    check_stored_state(&store).map_err(TestCaseError::fail)?;
                }
                _ => break,
            }
        }
        let seqs: Vec<u64> = store.audit_records("1").unwrap().iter().map(|r| r.seq).collect();
        prop_assert_eq!(seqs, (1..=store.last_audit_seq("1").unwrap()).collect::<Vec<_>>());
    }

    #[test]
    fn random_journeys_recover_from_a_crash_anywhere(
        seq in shapes(),
        seed in any::<u64>(),
        threads in prop_oneof![Just(0_usize), Just(3)],
        fail_at in 1_u64..60,
        after in any::<bool>(),
    ) {
        let record = build(&seq);
        let components = Random { journey: record.journey.clone(), state: Mutex::new(seed) };
        let config = EngineConfig { max_threads: threads, max_units_per_call: 400, ..EngineConfig::default() };
        let mode = if after { FaultMode::AfterWrite } else { FaultMode::BeforeWrite };
        let faulty = FaultyStore::new(MemoryStore::new(), fail_at, mode);
        let engine = Engine::new(&faulty, &components).with_config(config.clone());
        // run until the fault (or the end, if the case needs fewer writes)
        let mut call = engine.start("1", &record, None, vec![]);
        for _ in 0..40 {
            match &call {
                Ok(outcome) if !outcome.is_complete() => call = engine.resume("1", vec![]),
                _ => break,
            }
        }
        let store = faulty.inner();
        let engine = Engine::new(store, &components).with_config(config);
        if store.journey("1").unwrap().is_none() {
            engine.start("1", &record, None, vec![]).map_err(|e| TestCaseError::fail(format!("restart: {e}")))?;
        }
        for _ in 0..60 {
            if store.process_info("1").unwrap().is_some_and(|i| i.is_complete) {
                break;
            }
            engine.resume("1", vec![]).map_err(|e| TestCaseError::fail(format!("resume after crash at {fail_at}: {e}")))?;
            check_stored_state(store).map_err(TestCaseError::fail)?;
        }
    }
}
