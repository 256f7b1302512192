//! Crash recovery (at most one unit per exec path re-runs): interrupt a case at every persistence
//! point of its life (store-level fault injection, before and after the write), recover with a
//! fresh engine on the same store, and check that the case completes with every unit of the
//! uninterrupted run executed, no unit that run did not have, and at most one unit per exec path
//! run twice.

use std::collections::{BTreeMap, BTreeSet};

use wfctl::conformance::StoreKind;
use wfctl::engine::{Engine, EngineConfig, PersistMode};
use wfctl::model::JourneyRecord;
use wfctl::store::{CaseStore, FaultMode, FaultyStore, MemoryStore, Store};

use crate::support::TestDb;
use crate::support::engine_doubles::{Script, conformance_journey};

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
    store: &dyn CaseStore,
    case: &str,
    script: &Script,
    journey: &JourneyRecord,
    max_threads: usize,
) -> Result<usize, String> {
    let engine = Engine::new(store, script).with_config(config(max_threads));
    for calls in 1..=60 {
        if store
            .process_info(case)
            .unwrap()
            .is_some_and(|i| i.is_complete)
        {
            return Ok(calls - 1);
        }
        let result = if store.journey(case).unwrap().is_none() {
            engine.start(case, journey, None, vec![])
        } else {
            engine.resume(case, vec![])
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

/// Runs the whole matrix for one journey on memory stores; returns how many crash points were
/// tried.
fn crash_matrix(journey: &JourneyRecord, script: impl Fn() -> Script, max_threads: usize) -> u64 {
    crash_matrix_in(None, journey, script, max_threads)
}

/// The matrix on a fresh memory store per crash point (`shared` None), or on one shared store
/// (file, PostgreSQL) with a case of its own per crash point.
fn crash_matrix_in(
    shared: Option<&dyn Store>,
    journey: &JourneyRecord,
    script: impl Fn() -> Script,
    max_threads: usize,
) -> u64 {
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let memory = MemoryStore::new();
    let reference = script();
    let counting = FaultyStore::new(shared.unwrap_or(&memory), u64::MAX, FaultMode::BeforeWrite);
    let reference_case = format!("{CASE}-{run}");
    drive_to_completion(&counting, &reference_case, &reference, journey, max_threads).unwrap();
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
            let memory = MemoryStore::new();
            let case = format!("{reference_case}-{fail_at}-{mode:?}");
            let faulty = FaultyStore::new(shared.unwrap_or(&memory), fail_at, mode);
            let crashed = drive_to_completion(&faulty, &case, &script, journey, max_threads);
            assert!(
                crashed.is_err() && faulty.tripped(),
                "{label}: the fault did not stop the run"
            );
            if let Err(e) =
                drive_to_completion(*faulty.inner(), &case, &script, journey, max_threads)
            {
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
    let journey = crate::support::engine_doubles::journey(
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
    let journey = crate::support::engine_doubles::journey(crate::support::engine_doubles::PARALLEL);
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

fn singular_journey() -> JourneyRecord {
    crate::support::engine_doubles::journey(
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
    )
}

/// The matrix on the file and PostgreSQL stores: a singular journey always, a nested parallel
/// one with pends always on files; more journeys (and PostgreSQL's nested runs) under
/// `WFCTL_LONG_TESTS=1`.
#[test]
fn crash_matrix_on_the_file_and_postgres_stores() {
    let long = std::env::var_os("WFCTL_LONG_TESTS").is_some_and(|v| v == "1");
    let db = TestDb::new();
    let source = crate::conformance::test_stores(db.as_ref());
    let mut kinds = vec![StoreKind::File];
    if db.is_some() {
        kinds.push(StoreKind::Pg);
    }
    std::thread::scope(|s| {
        for kind in kinds {
            let source = &source;
            s.spawn(move || {
                let store = source.open(kind).unwrap();
                let store = store.as_ref();
                let nested = conformance_journey("parallel_in_parallel");
                crash_matrix_in(
                    Some(store),
                    &singular_journey(),
                    || Script::new(&["yes"]),
                    0,
                );
                // PostgreSQL pays a round trip per store call: its nested runs are long ones
                if long || kind != StoreKind::Pg {
                    crash_matrix_in(Some(store), &nested, three_branches_with_pends, 0);
                }
                if long {
                    crash_matrix_in(Some(store), &nested, three_branches_with_pends, 4);
                    crash_matrix_in(Some(store), &nested, three_branches, 4);
                    let pidp = conformance_journey("pidp_test");
                    crash_matrix_in(Some(store), &pidp, three_branches, 0);
                }
            });
        }
    });
}

#[test]
fn on_stop_persistence_writes_once_per_stop_and_keeps_the_audit_trail() {
    let journey = conformance_journey("parallel_in_parallel");
    let each = FaultyStore::new(MemoryStore::new(), u64::MAX, FaultMode::BeforeWrite);
    Engine::new(&each, &three_branches())
        .with_config(config(0))
        .start(CASE, &journey, None, vec![])
        .unwrap();
    let on_stop = FaultyStore::new(MemoryStore::new(), u64::MAX, FaultMode::BeforeWrite);
    let cfg = EngineConfig {
        persist: PersistMode::OnStop,
        ..config(0)
    };
    let outcome = Engine::new(&on_stop, &three_branches())
        .with_config(cfg)
        .start(CASE, &journey, None, vec![])
        .unwrap();
    assert!(outcome.is_complete());
    // create, first state, 9 inner and 3 outer branch stops, the root's stop
    assert_eq!(
        on_stop.writes(),
        15,
        "vs {} with a write per unit",
        each.writes()
    );
    let units = |store: &MemoryStore| -> Vec<String> {
        store
            .audit_records(CASE)
            .unwrap()
            .into_iter()
            .map(|r| r.unit)
            .collect()
    };
    assert_eq!(
        units(on_stop.inner()),
        units(each.inner()),
        "the same audit trail, in order"
    );
    assert!(
        on_stop
            .inner()
            .process_info(CASE)
            .unwrap()
            .unwrap()
            .is_complete
    );
}
