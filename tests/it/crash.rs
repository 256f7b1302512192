//! Crash recovery (decisions.md §5): interrupt a case at every persistence point of its life
//! (store-level fault injection, before and after the write), recover with a fresh engine on
//! the same store, and check that the case completes with every unit of the uninterrupted run
//! executed, no unit that run did not have, and at most one unit per exec path run twice.

use std::collections::{BTreeMap, BTreeSet};

use wfctl::engine::{Engine, EngineConfig, PersistMode};
use wfctl::model::JourneyRecord;
use wfctl::store::{FaultMode, FaultyStore, MemoryStore, Store};

use crate::engine_support::{Script, conformance_journey};

const CASE: &str = "c1";

fn config(max_threads: usize) -> EngineConfig {
    EngineConfig {
        max_threads,
        ..EngineConfig::default()
    }
}

/// Drives the case to completion from whatever the store holds: start if nothing was stored,
/// else resume until complete. Returns the number of calls made.
fn drive_to_completion(
    store: &dyn Store,
    script: &Script,
    journey: &JourneyRecord,
    max_threads: usize,
) -> Result<usize, String> {
    let engine = Engine::new(store, script).with_config(config(max_threads));
    for calls in 1..=60 {
        if store
            .process_info(CASE)
            .unwrap()
            .is_some_and(|i| i.is_complete)
        {
            return Ok(calls - 1);
        }
        let result = if store.journey(CASE).unwrap().is_none() {
            engine.start(CASE, journey, None, vec![])
        } else {
            engine.resume(CASE, vec![])
        };
        result.map_err(|e| format!("call {calls}: {e}"))?;
    }
    Err("not complete after 60 calls".to_owned())
}

fn executions(script: &Script) -> BTreeMap<(String, String), usize> {
    let mut counts = BTreeMap::new();
    for (step, path) in script.calls() {
        *counts.entry((path, step)).or_default() += 1;
    }
    counts
}

/// Runs the whole matrix for one journey; returns how many crash points were tried.
fn crash_matrix(journey: &JourneyRecord, script: impl Fn() -> Script, max_threads: usize) -> u64 {
    let reference = script();
    let counting = FaultyStore::new(MemoryStore::new(), u64::MAX, FaultMode::BeforeWrite);
    drive_to_completion(&counting, &reference, journey, max_threads).unwrap();
    let expected = executions(&reference);
    assert!(
        expected.values().all(|&n| n == 1),
        "the reference run runs each unit once: {expected:?}"
    );
    let writes = counting.writes();
    assert!(writes > 10, "{writes} writes");

    let mut problems = Vec::new();
    for fail_at in 1..=writes {
        for mode in [FaultMode::BeforeWrite, FaultMode::AfterWrite] {
            let label =
                format!("crash at write {fail_at}/{writes} {mode:?} max_threads {max_threads}");
            let script = script();
            let faulty = FaultyStore::new(MemoryStore::new(), fail_at, mode);
            let crashed = drive_to_completion(&faulty, &script, journey, max_threads);
            assert!(
                crashed.is_err() && faulty.tripped(),
                "{label}: the fault did not stop the run"
            );
            if let Err(e) = drive_to_completion(faulty.inner(), &script, journey, max_threads) {
                problems.push(format!("{label}: recovery failed: {e}"));
                continue;
            }
            let actual = executions(&script);
            let ran: BTreeSet<_> = actual.keys().collect();
            let wanted: BTreeSet<_> = expected.keys().collect();
            if ran != wanted {
                let skipped: Vec<_> = wanted.difference(&ran).collect();
                let extra: Vec<_> = ran.difference(&wanted).collect();
                problems.push(format!(
                    "{label}: skipped {skipped:?}, units not in the reference run {extra:?}"
                ));
            }
            let mut reruns_per_path: BTreeMap<&str, usize> = BTreeMap::new();
            for ((path, _), n) in &actual {
                *reruns_per_path.entry(path).or_default() += n - 1;
            }
            for (path, reruns) in reruns_per_path {
                if reruns > 1 {
                    problems.push(format!("{label}: {reruns} units re-run on path {path}"));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    writes
}

fn three_branches() -> Script {
    Script::new(&["1", "2", "3"])
}

/// Pends in two inner groups and one outer branch: crashes also hit the resumes that unravel
/// them (a resumed branch joining, taking over its parent, reporting the next pend).
fn three_branches_with_pends() -> Script {
    three_branches()
        .task(
            "step_b1_b2_1",
            Ok(wfctl::engine::TaskResponse::pend("wb_1")),
        )
        .task(
            "step_b2_b3_1",
            Ok(wfctl::engine::TaskResponse::pend("wb_2")),
        )
        .task("step_b3_2", Ok(wfctl::engine::TaskResponse::pend("wb_3")))
}

#[test]
fn crash_matrix_nested_parallel_with_pends() {
    crash_matrix(
        &conformance_journey("parallel_in_parallel"),
        three_branches_with_pends,
        0,
    );
    crash_matrix(
        &conformance_journey("parallel_in_parallel"),
        three_branches_with_pends,
        4,
    );
}

#[test]
fn crash_matrix_nested_parallel_sequential() {
    crash_matrix(
        &conformance_journey("parallel_in_parallel"),
        three_branches,
        0,
    );
}

#[test]
fn crash_matrix_nested_parallel_threaded() {
    crash_matrix(
        &conformance_journey("parallel_in_parallel"),
        three_branches,
        4,
    );
}

#[test]
fn crash_matrix_dynamic_around_static_parallel() {
    crash_matrix(&conformance_journey("pidp_test"), three_branches, 0);
}

#[test]
fn crash_matrix_singular_routes_pause_and_persist() {
    let journey = crate::engine_support::journey(
        r#"{"journey": {"name": "singular", "flow": [
        {"name": "start", "component": "c", "next": "route_a"},
        {"name": "route_a", "type": "s_route", "component": "r",
         "branches": [{"name": "yes", "next": "step_b"}, {"name": "no", "next": "step_c"}]},
        {"name": "step_b", "component": "c", "next": "wait"},
        {"name": "wait", "type": "pause", "next": "step_c"},
        {"name": "step_c", "component": "c", "next": "keep"},
        {"name": "keep", "type": "persist", "next": "route_b"},
        {"name": "route_b", "type": "s_route", "component": "r",
         "branches": [{"name": "yes", "next": "step_d"}, {"name": "no", "next": "step_e"}]},
        {"name": "step_d", "component": "c", "next": "step_e"},
        {"name": "step_e", "component": "c", "next": "end"}]}}"#,
    );
    crash_matrix(&journey, || Script::new(&["yes"]), 0);
}

/// The same answer on every call of a step, so that a re-run after a crash behaves like the
/// first run (components are expected to be idempotent per step).
fn repeated(mut script: Script, step: &str, answer: &wfctl::engine::TaskResponse) -> Script {
    for _ in 0..8 {
        script = script.task(step, Ok(answer.clone()));
    }
    script
}

#[test]
fn crash_matrix_branch_tickets() {
    use wfctl::engine::TaskResponse;
    let journey = crate::engine_support::journey(crate::engine_support::PARALLEL);
    // branch 2 pends, branch 3 raises a ticket and proceeds: the root jumps to step_4
    let proceed_ticket = || {
        let s = repeated(three_branches(), "step_2_2", &TaskResponse::pend("wb"));
        repeated(
            s,
            "step_2_3",
            &TaskResponse::proceed().with_ticket("reject"),
        )
    };
    crash_matrix(&journey, proceed_ticket, 0);
    // branch 3 raises the ticket with a pend: the case pends on the root, the resume jumps
    let pend_ticket = || {
        let s = repeated(three_branches(), "step_2_2", &TaskResponse::pend("wb"));
        repeated(
            s,
            "step_2_3",
            &TaskResponse::pend("wb_t").with_ticket("reject"),
        )
    };
    crash_matrix(&journey, pend_ticket, 0);
}

#[test]
fn on_stop_persistence_writes_less_and_still_recovers() {
    let journey = conformance_journey("parallel_in_parallel");
    let each = FaultyStore::new(MemoryStore::new(), u64::MAX, FaultMode::BeforeWrite);
    let script = Script::new(&["1", "2", "3"]);
    Engine::new(&each, &script)
        .with_config(config(0))
        .start(CASE, &journey, None, vec![])
        .unwrap();
    let on_stop = FaultyStore::new(MemoryStore::new(), u64::MAX, FaultMode::BeforeWrite);
    let script = Script::new(&["1", "2", "3"]);
    let cfg = EngineConfig {
        persist: PersistMode::OnStop,
        write_audit: false,
        ..config(0)
    };
    let outcome = Engine::new(&on_stop, &script)
        .with_config(cfg)
        .start(CASE, &journey, None, vec![])
        .unwrap();
    assert!(outcome.is_complete());
    // without audit records, only thread stops write: 9 inner joins, 3 outer joins, the root
    assert!(
        on_stop.writes() < each.writes() / 2,
        "{} vs {}",
        on_stop.writes(),
        each.writes()
    );
    let info = on_stop.inner().process_info(CASE).unwrap().unwrap();
    assert!(info.is_complete);
}
