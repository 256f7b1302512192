//! Engine behaviour through its public API: variables, audit records, SLA records, locks,
//! errors, outcomes, threading bounds.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::json;
use wfctl::engine::{
    ComponentError, Components, Engine, EngineConfig, Error, EventType, FixedClock, RouteResponse,
    StepContext, TaskResponse,
};
use wfctl::model::{VarValue, Variable};
use wfctl::store::{CaseStatus, CaseStore, LockWait, MemoryStore, Store};

use crate::support::engine_doubles::{
    PARALLEL, Recorder, Script, conformance_journey, journey, sla,
};

fn sequential() -> EngineConfig {
    EngineConfig {
        max_threads: 0,
        ..EngineConfig::default()
    }
}

fn all_types() -> Vec<Variable> {
    vec![
        Variable::new("s", "text"),
        Variable::new("b", true),
        Variable::new("l", 9_000_000_000_i64),
        Variable::new("i", -7),
        Variable::new("o", json!({"nested": {"k": [1, null]}})),
        Variable::new("lo", vec![json!({"a": 1}), json!("x")]),
        Variable::new("ls", vec!["a", "b"]),
        Variable::new("lb", vec![true, false]),
        Variable::new("li", vec![1_i32, 2]),
        Variable::new("ll", vec![3_i64]),
    ]
}

#[test]
fn variables_of_every_type_flow_through_a_case() {
    let script = Script::new(&[])
        .task(
            "start",
            Ok(TaskResponse::proceed()
                .with_variables(vec![Variable::new("from_task", vec![5_i64])])),
        )
        .task("step3", Ok(TaskResponse::pend("wb")));
    let store = MemoryStore::new();
    let engine = Engine::new(&store, &script).with_config(sequential());
    engine
        .start(
            "1",
            &conformance_journey("test_journey_wms"),
            None,
            all_types(),
        )
        .unwrap();
    // the journey's own variable, the ten given, the one a task set
    let stored = store.process_info("1").unwrap().unwrap().process_variables;
    assert_eq!(stored.len(), 12);
    for v in all_types() {
        assert_eq!(stored.get(&v.name), Some(&v.value), "{}", v.name);
    }
    assert_eq!(
        stored.get("from_task"),
        Some(&VarValue::ListOfLong(vec![5]))
    );
    let step3 = script
        .contexts()
        .into_iter()
        .find(|c| c.step == "step3")
        .unwrap();
    assert_eq!(
        step3.variables.get("from_task"),
        Some(&VarValue::ListOfLong(vec![5])),
        "later units see it"
    );
    engine.resume("1", vec![Variable::new("i", 8)]).unwrap();
    let stored = store.process_info("1").unwrap().unwrap().process_variables;
    assert_eq!(
        stored.get("i"),
        Some(&VarValue::Integer(8)),
        "resume variables replace"
    );
}

#[test]
fn audit_records_follow_the_persistence_points() {
    let script = Script::new(&["no"]).task("step3", Ok(TaskResponse::pend("wb_1")));
    let store = MemoryStore::new();
    let engine = Engine::new(&store, &script).with_config(sequential());
    engine
        .start("1", &conformance_journey("test_journey_wms"), None, vec![])
        .unwrap();
    engine.change_workbasket("1", "wb_2").unwrap();
    engine.resume("1", vec![]).unwrap();
    let keys: Vec<String> = store
        .audit_records("1")
        .unwrap()
        .iter()
        .map(|r| r.key())
        .collect();
    assert_eq!(
        keys,
        [
            "audit_log-1_00001_start",
            "audit_log-1_00002_step3",
            "audit_log-1_00003_WorkflowManagerService",
            // an ok_pend resumes after the task: step3 does not run again
            "audit_log-1_00004_step4",
        ]
    );
    let records = store.audit_records("1").unwrap();
    assert_eq!(records[1].document.pend_exec_path, ".");
    assert_eq!(records[2].document.exec_paths[0].pend_workbasket, "wb_2");
    assert!(records[3].document.is_complete);
    assert_eq!(store.last_audit_seq("1").unwrap(), 4);
}

#[test]
fn route_audit_records_carry_the_branches() {
    let store = MemoryStore::new();
    let script = Script::new(&["1", "2", "3"]);
    Engine::new(&store, &script)
        .with_config(sequential())
        .start("1", &journey(PARALLEL), None, vec![])
        .unwrap();
    let route = store
        .audit_records("1")
        .unwrap()
        .into_iter()
        .find(|r| r.unit == "route_1")
        .unwrap();
    assert_eq!(
        route.document.branches,
        Some(vec!["1".into(), "2".into(), "3".into()])
    );
    let names: Vec<_> = route
        .document
        .exec_paths
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, [".", ".route_1.1.", ".route_1.2.", ".route_1.3."]);
    assert_eq!(
        store
            .audit_records("1")
            .unwrap()
            .iter()
            .filter(|r| r.unit == "route_1")
            .count(),
        1
    );
}

#[test]
fn milestones_are_stored_with_the_case_until_it_completes() {
    let sla = sla(r#"{"milestones": [
        {"name": "whole_case", "setup_on": "case_start", "type": "case_level", "applied_at_age": "20d", "clock_starts": "immediately", "action": "CANCEL:CW"},
        {"name": "in_wb", "setup_on": "work_basket_entry", "type": "work_basket", "work_basket_name": "wb_1", "applied_at_age": "0m", "clock_starts": "immediately", "action": "CORR"}]}"#);
    let script = Script::new(&[]).task("step3", Ok(TaskResponse::pend("wb_1")));
    let store = MemoryStore::new();
    let engine = Engine::new(&store, &script).with_config(sequential());
    let before = chrono::Utc::now().timestamp_millis();
    engine
        .start(
            "1",
            &conformance_journey("test_journey_wms"),
            Some(&sla),
            vec![],
        )
        .unwrap();
    let queued = store.milestones("1").unwrap();
    let names: Vec<_> = queued
        .iter()
        .map(|q| q.milestone.name.clone().unwrap())
        .collect();
    assert_eq!(names, ["whole_case", "in_wb"]);
    let due = queued[0].due_at.unwrap();
    assert!(due >= before + 20 * 86_400_000, "due in 20 days");
    assert_eq!(queued[1].work_basket.as_deref(), Some("wb_1"));
    let overdue = store
        .due_milestones(chrono::Utc::now().timestamp_millis())
        .unwrap();
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0].queued.milestone.name.as_deref(), Some("in_wb"));
    engine.resume("1", vec![]).unwrap();
    assert!(
        store.milestones("1").unwrap().is_empty(),
        "dequeue_all at completion"
    );
}

#[test]
fn sla_due_times_and_saved_times_come_from_the_callers_clock() {
    let sla = sla(r#"{"milestones": [
        {"name": "whole_case", "setup_on": "case_start", "type": "case_level", "applied_at_age": "20d", "clock_starts": "immediately", "action": "CANCEL:CW"},
        {"name": "in_wb", "setup_on": "work_basket_entry", "type": "work_basket", "work_basket_name": "wb_1", "applied_at_age": "90m", "clock_starts": "immediately", "action": "CORR"}]}"#);
    let script = Script::new(&[]).task("step3", Ok(TaskResponse::pend("wb_1")));
    let store = MemoryStore::new();
    // a fixed instant far from today: any reading of the wall clock shows
    let now = 1_000_000_000_000;
    let clock = FixedClock(now);
    let engine = Engine::new(&store, &script)
        .with_config(sequential())
        .with_clock(&clock);
    engine
        .start(
            "1",
            &conformance_journey("test_journey_wms"),
            Some(&sla),
            vec![],
        )
        .unwrap();
    let due: Vec<_> = store
        .milestones("1")
        .unwrap()
        .iter()
        .map(|q| (q.milestone.name.clone().unwrap(), q.due_at))
        .collect();
    assert_eq!(
        due,
        [
            ("whole_case".to_owned(), Some(now + 20 * 86_400_000)),
            ("in_wb".to_owned(), Some(now + 90 * 60_000)),
        ]
    );
    assert_eq!(store.process_info("1").unwrap().unwrap().ts, now);
}

#[test]
fn a_locked_case_is_refused_as_temporary() {
    let store = MemoryStore::new();
    let script = Script::new(&[]).task("step3", Ok(TaskResponse::pend("wb")));
    let config = EngineConfig {
        lock_wait: LockWait::Try,
        ..sequential()
    };
    let engine = Engine::new(&store, &script).with_config(config);
    engine
        .start("1", &conformance_journey("test_journey_wms"), None, vec![])
        .unwrap();
    let held = store.lock_case("1", LockWait::Try).unwrap();
    let err = engine.resume("1", vec![]).unwrap_err();
    assert_eq!(err.to_string(), "case 1 is being run by another process");
    assert!(err.is_temporary());
    drop(held);
    assert!(engine.resume("1", vec![]).unwrap().is_complete());
}

#[test]
fn java_error_messages_are_kept() {
    let store = MemoryStore::new();
    let script = Script::new(&[]);
    let engine = Engine::new(&store, &script).with_config(sequential());
    let j = conformance_journey("test_journey_wms");
    assert_eq!(
        engine.resume("9", vec![]).unwrap_err().to_string(),
        "Could not resume case. No process definition found. Case id -> 9"
    );
    engine.start("1", &j, None, vec![]).unwrap();
    let again = engine.start("1", &j, None, vec![]).unwrap_err();
    assert_eq!(
        again.to_string(),
        "Cannot start a case which is already started. Case Id -> 1"
    );
    assert_eq!(
        engine.resume("1", vec![]).unwrap_err().to_string(),
        "Cannot resume a case that has already completed. Case id -> 1"
    );
    assert_eq!(
        engine
            .reopen("1", "", None, vec![])
            .unwrap_err()
            .to_string(),
        "1 -> ticket cannot be null or empty"
    );
    assert_eq!(
        engine
            .reopen("1", "final_step", Some(""), vec![])
            .unwrap_err()
            .to_string(),
        "1 -> pending work basket cannot be null or empty"
    );
}

#[test]
fn reopen_without_pend_acts_on_the_ticket_at_once() {
    let store = MemoryStore::new();
    let (script, rec) = (Script::new(&[]), Recorder::default());
    let engine = Engine::new(&store, &script)
        .with_events(&rec)
        .with_config(sequential());
    engine
        .start(
            "1",
            &conformance_journey("test_journey_reopen"),
            None,
            vec![],
        )
        .unwrap();
    let not_done = engine.reopen("1", "nope", None, vec![]).unwrap_err();
    assert_eq!(not_done.to_string(), "Ticket not found: nope for case: 1");
    rec.events.lock().unwrap().clear();
    assert!(
        engine
            .reopen("1", "reopen_ticket", None, vec![])
            .unwrap()
            .is_complete()
    );
    let events: Vec<_> = rec.events.lock().unwrap().iter().map(|e| e.event).collect();
    assert_eq!(
        events,
        [
            EventType::ProcessReopen,
            EventType::ProcessResume,
            EventType::TicketRaised,
            EventType::ProcessComplete
        ]
    );
    assert_eq!(script.runs("step2"), 2);
}

#[test]
fn event_handler_failures_become_warnings() {
    let store = MemoryStore::new();
    let (script, rec) = (Script::new(&[]), Recorder::default());
    rec.fail_next(EventType::ProcessStart);
    let outcome = Engine::new(&store, &script)
        .with_events(&rec)
        .with_config(sequential())
        .start("1", &conformance_journey("test_journey_wms"), None, vec![])
        .unwrap();
    assert!(outcome.is_complete());
    assert_eq!(
        outcome.warnings,
        ["ON_PROCESS_START handler failed: ON_PROCESS_START refused"]
    );
}

#[test]
fn unmapped_components_are_refused_at_start() {
    struct Only(Script);
    impl Components for Only {
        fn task(&self, ctx: &StepContext) -> Result<TaskResponse, ComponentError> {
            Components::task(&self.0, ctx)
        }
        fn route(&self, ctx: &StepContext) -> Result<RouteResponse, ComponentError> {
            Components::route(&self.0, ctx)
        }
        fn unmapped(&self, names: &[&str]) -> Vec<String> {
            names
                .iter()
                .filter(|n| !n.starts_with("comp"))
                .map(|n| (*n).to_owned())
                .collect()
        }
    }
    let store = MemoryStore::new();
    let components = Only(Script::new(&[]));
    let err = Engine::new(&store, &components)
        .start("1", &conformance_journey("test_journey_wms"), None, vec![])
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "journey of case 1 uses components with no mapping: start_comp"
    );
    assert!(
        store.journey("1").unwrap().is_none(),
        "the case was not created"
    );
}

#[test]
fn a_ticket_naming_no_unit_error_pends_instead_of_crashing() {
    // test_journey_wms declares ticket final_step -> step29, which it lacks
    let script = Script::new(&[]).task(
        "step3",
        Ok(TaskResponse::proceed().with_ticket("final_step")),
    );
    let store = MemoryStore::new();
    let outcome = Engine::new(&store, &script)
        .with_config(sequential())
        .start("1", &conformance_journey("test_journey_wms"), None, vec![])
        .unwrap();
    let pend = outcome.pend.unwrap();
    assert_eq!(
        (pend.step.as_str(), pend.workbasket.as_str()),
        ("step3", "workflow_error")
    );
    assert_eq!(
        pend.error.message,
        "Ticket not found: final_step for case: 1"
    );
}

#[test]
fn outcome_and_listing_report_where_the_case_waits() {
    let script = Script::new(&["1", "2", "3"]).task("step_2_2", Ok(TaskResponse::pend_eor("wb_x")));
    let store = MemoryStore::new();
    let engine = Engine::new(&store, &script).with_config(sequential());
    let outcome = engine.start("1", &journey(PARALLEL), None, vec![]).unwrap();
    // start, route_1, three branch tasks, the joins of branches 1 and 3
    assert_eq!(outcome.units_executed, 7);
    let pend = outcome.pend.clone().unwrap();
    assert_eq!(
        (
            pend.exec_path.as_str(),
            pend.step.as_str(),
            pend.component.as_str()
        ),
        (".route_1.2.", "step_2_2", "c22")
    );
    let listed = &store.list_cases().unwrap()[0];
    assert_eq!(
        (
            listed.status,
            listed.pend_workbasket.as_str(),
            listed.step.as_str()
        ),
        (CaseStatus::Pended, "wb_x", "step_2_2")
    );
    let json = serde_json::to_value(&outcome).unwrap();
    assert_eq!(json["status"], "pended");
    assert_eq!(json["pend"]["response"], "ok_pend_eor");
}

/// Counts how many components run at once.
struct Concurrency {
    now: AtomicUsize,
    max: AtomicUsize,
}

impl Components for Concurrency {
    fn task(&self, _ctx: &StepContext) -> Result<TaskResponse, ComponentError> {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.max.fetch_max(now, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(20));
        self.now.fetch_sub(1, Ordering::SeqCst);
        Ok(TaskResponse::proceed())
    }
    fn route(&self, _ctx: &StepContext) -> Result<RouteResponse, ComponentError> {
        Ok(RouteResponse::branches(["1", "2", "3"]))
    }
}

#[test]
fn max_threads_bounds_concurrency() {
    for (max_threads, bound) in [(0, 1), (2, 3), (20, 9)] {
        let components = Concurrency {
            now: AtomicUsize::new(0),
            max: AtomicUsize::new(0),
        };
        let store = MemoryStore::new();
        let config = EngineConfig {
            max_threads,
            ..EngineConfig::default()
        };
        let outcome = Engine::new(&store, &components)
            .with_config(config)
            .start(
                "1",
                &conformance_journey("parallel_in_parallel"),
                None,
                vec![],
            )
            .unwrap();
        assert!(outcome.is_complete());
        let max = components.max.load(Ordering::SeqCst);
        // the calling thread plus max_threads branch threads; 9 leaves at most
        assert!(max <= bound, "max_threads {max_threads}: {max} at once");
        if max_threads == 20 {
            assert!(max > 3, "branches do run in parallel: {max}");
        }
    }
}

#[test]
fn set_variables_needs_an_existing_case() {
    let store = MemoryStore::new();
    let script = Script::new(&[]);
    let err = Engine::new(&store, &script)
        .set_variables("x", vec![])
        .unwrap_err();
    assert!(matches!(err, Error::NoJourney { .. }), "{err}");
}

#[test]
fn persist_mode_reads_its_configuration_spelling() {
    use wfctl::engine::PersistMode;
    assert_eq!("on-stop".parse::<PersistMode>(), Ok(PersistMode::OnStop));
    assert_eq!(
        "each-unit".parse::<PersistMode>(),
        Ok(PersistMode::EachUnit)
    );
    assert_eq!(
        "sometimes".parse::<PersistMode>(),
        Err("unknown persist mode \"sometimes\" (expected each-unit or on-stop)".to_owned())
    );
    assert_eq!(PersistMode::default().to_string(), "each-unit");
}

#[test]
fn a_pend_after_acting_on_a_ticket_leaves_the_ticket_pend_basket() {
    // the basket the case leaves is dequeued, also on a ticket jump: the case left wb_t (where it
    // pended with the ticket); the fresh root path the ticket starts has no basket history of its
    // own
    let script = Script::new(&["1"])
        .task(
            "start",
            Ok(TaskResponse::pend("wb_t").with_ticket("reject")),
        )
        .task("step_4", Ok(TaskResponse::pend("wb_x")));
    let (store, rec) = (MemoryStore::new(), Recorder::default());
    let engine = Engine::new(&store, &script)
        .with_sla_queue(&rec)
        .with_config(sequential());
    let sla = crate::support::engine_doubles::entry_milestones(&["wb_t", "wb_x"]);
    engine
        .start("1", &journey(PARALLEL), Some(&sla), vec![])
        .unwrap();
    assert_eq!(rec.sla_calls(), ["enqueue work_basket_entry wb_t wb_t_in"]);
    let outcome = engine.resume("1", vec![]).unwrap();
    assert_eq!(outcome.pend.unwrap().step, "step_4");
    assert_eq!(
        rec.sla_calls()[1..],
        ["dequeue wb_t", "enqueue work_basket_entry wb_x wb_x_in"]
    );
}

#[test]
fn a_journey_that_loops_without_pending_is_stopped() {
    let j = journey(
        r#"{"journey": {"name": "loop", "flow": [
        {"name": "start", "component": "c", "next": "again"},
        {"name": "again", "type": "s_route", "component": "r", "branches": [{"name": "no", "next": "start"}]}]}}"#,
    );
    let (store, script) = (MemoryStore::new(), Script::new(&["no"]));
    let config = EngineConfig {
        max_units_per_call: 100,
        ..sequential()
    };
    let engine = Engine::new(&store, &script).with_config(config);
    let outcome = engine.start("1", &j, None, vec![]).unwrap();
    assert_eq!(outcome.units_executed, 100);
    let pend = outcome.pend.unwrap();
    assert_eq!(
        (pend.step.as_str(), pend.workbasket.as_str()),
        ("start", "workflow_error")
    );
    assert_eq!(
        pend.error.message,
        "stopped after 100 units in one call ([engine] max_units_per_run): the journey may loop without end"
    );
    // a resume runs the next 100
    assert_eq!(engine.resume("1", vec![]).unwrap().units_executed, 100);
}

#[test]
fn a_branch_raising_an_undeclared_ticket_error_pends_that_branch() {
    // found by engine_fuzz: the branch used to exit for a ticket nobody could act on, and the
    // block it left could never join
    let script = Script::new(&["1", "2", "3"])
        .task("step_2_3", Ok(TaskResponse::proceed().with_ticket("nope")));
    let store = MemoryStore::new();
    let engine = Engine::new(&store, &script).with_config(sequential());
    let outcome = engine.start("1", &journey(PARALLEL), None, vec![]).unwrap();
    let pend = outcome.pend.unwrap();
    assert_eq!(
        (pend.exec_path.as_str(), pend.workbasket.as_str()),
        (".route_1.3.", "workflow_error")
    );
    assert_eq!(pend.error.message, "Ticket not found: nope for case: 1");
    assert!(pend.ticket.is_empty());
    assert!(
        engine.resume("1", vec![]).unwrap().is_complete(),
        "the re-run proceeds and the block joins"
    );
    assert_eq!(script.runs("step_3"), 1);
}
