//! Engine throughput on the memory store: a 10-step journey and a 3x3 nested parallel journey,
//! persisting after every unit and only on stops, next to the bound measured in the same run:
//! the memory store's own `save_point` rate for a document of the same size (the floor for
//! per-unit persistence; the engine's ratio to it shows its own overhead).
//!
//! ```text
//! cargo run --release --example bench_engine [-- CASES]
//! ```

use std::time::Instant;

use wfctl::engine::{
    ComponentError, Components, Engine, EngineConfig, PersistMode, RouteResponse, StepContext,
    TaskResponse,
};
use wfctl::model::{JourneyRecord, NewAuditRecord, Variable};
use wfctl::store::{CaseStore, MemoryStore, PersistPoint};

/// Tasks proceed; routes take branches 1, 2, 3.
struct Proceed;

impl Components for Proceed {
    fn task(&self, _ctx: &StepContext) -> Result<TaskResponse, ComponentError> {
        Ok(TaskResponse::proceed())
    }
    fn route(&self, _ctx: &StepContext) -> Result<RouteResponse, ComponentError> {
        Ok(RouteResponse::branches(["1", "2", "3"]))
    }
}

fn ten_steps() -> JourneyRecord {
    let flow: Vec<String> = (0..10)
        .map(|i| {
            let name = if i == 0 {
                "start".to_owned()
            } else {
                format!("step_{i}")
            };
            let next = if i == 9 {
                "end".to_owned()
            } else {
                format!("step_{}", i + 1)
            };
            format!(r#"{{"name": "{name}", "component": "comp_{i}", "next": "{next}"}}"#)
        })
        .collect();
    JourneyRecord::parse(format!(
        r#"{{"journey": {{"name": "ten", "flow": [{}]}}}}"#,
        flow.join(",")
    ))
    .unwrap()
}

fn nested() -> JourneyRecord {
    let mut flow = vec![
        r#"{"name": "start", "component": "c", "next": "route_1"}"#.to_owned(),
        r#"{"name": "route_1", "type": "p_route", "component": "r", "branches": [{"name": "1", "next": "b1"}, {"name": "2", "next": "b2"}, {"name": "3", "next": "b3"}]}"#.to_owned(),
        r#"{"name": "join_1", "type": "p_join", "next": "last"}"#.to_owned(),
        r#"{"name": "last", "component": "c", "next": "end"}"#.to_owned(),
    ];
    for b in 1..=3 {
        flow.push(format!(
            r#"{{"name": "b{b}", "component": "c", "next": "route_b{b}"}}"#
        ));
        flow.push(format!(
            r#"{{"name": "route_b{b}", "type": "p_route", "component": "r", "branches": [{{"name": "1", "next": "b{b}_1"}}, {{"name": "2", "next": "b{b}_2"}}, {{"name": "3", "next": "b{b}_3"}}]}}"#
        ));
        for l in 1..=3 {
            flow.push(format!(
                r#"{{"name": "b{b}_{l}", "component": "c", "next": "join_b{b}"}}"#
            ));
        }
        flow.push(format!(
            r#"{{"name": "join_b{b}", "type": "p_join", "next": "after_b{b}"}}"#
        ));
        flow.push(format!(
            r#"{{"name": "after_b{b}", "component": "c", "next": "join_1"}}"#
        ));
    }
    JourneyRecord::parse(format!(
        r#"{{"journey": {{"name": "nested", "flow": [{}]}}}}"#,
        flow.join(",")
    ))
    .unwrap()
}

/// Ten variables with varied content (a small LCG, so runs are repeatable without a crate).
fn variables(seed: u64) -> Vec<Variable> {
    let mut x = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    let mut next = || {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        x >> 33
    };
    (0..10)
        .map(|i| {
            let text: String = (0..12 + next() % 40)
                .map(|_| char::from(b'a' + (next() % 26) as u8))
                .collect();
            match i % 3 {
                0 => Variable::new(format!("v{i}"), text),
                1 => Variable::new(format!("v{i}"), (next() as i64) - (1 << 30)),
                _ => Variable::new(
                    format!("v{i}"),
                    serde_json::json!({"id": next(), "note": text}),
                ),
            }
        })
        .collect()
}

struct Row {
    journey: &'static str,
    persist: &'static str,
    threads: String,
    cases: usize,
    units: u64,
    seconds: f64,
}

fn run(
    journey: &JourneyRecord,
    name: &'static str,
    cases: usize,
    persist: PersistMode,
    max_threads: usize,
) -> Row {
    let store = MemoryStore::new();
    let config = EngineConfig {
        max_threads,
        persist,
        ..EngineConfig::default()
    };
    let engine = Engine::new(&store, &Proceed).with_config(config);
    let started = Instant::now();
    let mut units = 0;
    for case in 0..cases {
        let outcome = engine
            .start(
                &format!("case-{case}"),
                journey,
                None,
                variables(case as u64),
            )
            .unwrap();
        assert!(outcome.is_complete());
        units += outcome.units_executed;
    }
    Row {
        journey: name,
        persist: persist.as_str(),
        threads: max_threads.to_string(),
        cases,
        units,
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// The bound: how fast the memory store takes persistence points with a document the size of
/// the 10-step case's (process info + one audit record each).
fn store_floor(journey: &JourneyRecord, writes: usize) -> f64 {
    let store = MemoryStore::new();
    let engine = Engine::new(&store, &Proceed).with_config(EngineConfig {
        max_threads: 0,
        ..EngineConfig::default()
    });
    engine.start("probe", journey, None, variables(7)).unwrap();
    let info = store.process_info("probe").unwrap().unwrap();
    let target = MemoryStore::new();
    let started = Instant::now();
    for i in 0..writes {
        let audit = [NewAuditRecord {
            unit: "step_1".to_owned(),
            document: info.clone(),
        }];
        target
            .save_point(
                &format!("case-{}", i / 10),
                &PersistPoint {
                    process_info: Some(&info),
                    audit: &audit,
                    milestones: &[],
                },
            )
            .unwrap();
    }
    writes as f64 / started.elapsed().as_secs_f64()
}

fn main() {
    let cases: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2000);
    let (ten, nested) = (ten_steps(), nested());
    let floor = store_floor(&ten, cases * 10);
    let rows = [
        run(&ten, "10-step", cases, PersistMode::EachUnit, 0),
        run(&ten, "10-step", cases, PersistMode::OnStop, 0),
        run(&nested, "3x3 nested", cases / 4, PersistMode::EachUnit, 0),
        run(&nested, "3x3 nested", cases / 4, PersistMode::EachUnit, 10),
        run(&nested, "3x3 nested", cases / 4, PersistMode::OnStop, 10),
    ];
    println!("bound: memory store save_point with a 10-step case document: {floor:.0} points/s");
    println!(
        "{:<11} {:<9} {:>7} {:>6} {:>7} {:>8} {:>10} {:>13}",
        "journey", "persist", "threads", "cases", "units", "seconds", "units/s", "ratio/bound"
    );
    for r in rows {
        let rate = r.units as f64 / r.seconds;
        println!(
            "{:<11} {:<9} {:>7} {:>6} {:>7} {:>8.3} {:>10.0} {:>13.2}",
            r.journey,
            r.persist,
            r.threads,
            r.cases,
            r.units,
            r.seconds,
            rate,
            rate / floor
        );
    }
}
