//! Every state a store holds must be recoverable without losing an audit record: when a saved
//! process info shows a task as done on an exec path, that task's audit record is stored in the
//! same or an earlier persistence point. Otherwise a crash right after that save leaves a unit
//! that ran (recovery does not re-run a task that proceeded) with no audit record: the bug the
//! 100-kill reliability run found under load, when one branch's save carried another branch's
//! finished task before that branch had written its record.
//!
//! The audit log is the witness: with the default persistence every save carries one audit
//! record whose document is the process info saved with it, so record `k`'s document must be
//! explained by records `1..=k`.

use std::time::Duration;

use wfctl::db::{DatabaseUrl, PoolOptions};
use wfctl::engine::{
    ComponentError, Components, Engine, EngineConfig, OutcomeStatus, RouteResponse, StepContext,
    TaskResponse,
};
use wfctl::model::{AuditRecord, Journey, PathStatus, ResponseType, UnitKind};
use wfctl::store::{FileStore, MemoryStore, PgStore, Store};

use crate::support::TestDb;
use crate::support::engine_doubles::journey;

const BRANCHES: usize = 6;
const TASKS_PER_BRANCH: usize = 4;

/// A parallel block of `BRANCHES` branches of `TASKS_PER_BRANCH` tasks each, then two tasks.
fn wide_journey() -> String {
    let mut units = vec![
        r#"{"name": "start", "component": "c", "next": "fan"}"#.to_owned(),
        format!(
            r#"{{"name": "fan", "type": "p_route", "component": "r", "branches": [{}]}}"#,
            (1..=BRANCHES)
                .map(|b| format!(r#"{{"name": "{b}", "next": "b{b}_1"}}"#))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ];
    for b in 1..=BRANCHES {
        for t in 1..=TASKS_PER_BRANCH {
            let next = if t == TASKS_PER_BRANCH {
                "join".to_owned()
            } else {
                format!("b{b}_{}", t + 1)
            };
            units.push(format!(
                r#"{{"name": "b{b}_{t}", "component": "c", "next": "{next}"}}"#
            ));
        }
    }
    units.push(r#"{"name": "join", "type": "p_join", "next": "after"}"#.to_owned());
    units.push(r#"{"name": "after", "component": "c", "next": "last"}"#.to_owned());
    units.push(r#"{"name": "last", "component": "c", "next": "end"}"#.to_owned());
    format!(
        r#"{{"journey": {{"name": "wide", "flow": [{}]}}}}"#,
        units.join(",\n")
    )
}

/// Tasks that proceed after a short pause of varying length (so that branches interleave in
/// many orders), routes that take every branch.
struct Jittery;

impl Components for Jittery {
    fn task(&self, ctx: &StepContext) -> Result<TaskResponse, ComponentError> {
        let spread = ctx.step.len() * 37 + ctx.exec_path.len() * 11 + ctx.case_id.len();
        std::thread::sleep(Duration::from_micros((spread % 7) as u64 * 40));
        Ok(TaskResponse::proceed())
    }

    fn route(&self, _ctx: &StepContext) -> Result<RouteResponse, ComponentError> {
        Ok(RouteResponse::branches(
            (1..=BRANCHES).map(|b| b.to_string()).collect::<Vec<_>>(),
        ))
    }
}

/// The records of `records` whose document shows a task done with no record of it before.
fn unexplained(journey: &Journey, records: &[AuditRecord]) -> Vec<String> {
    let mut problems = Vec::new();
    for (k, record) in records.iter().enumerate() {
        for path in &record.document.exec_paths {
            let is_task = journey
                .unit(&path.step)
                .is_some_and(|u| u.kind == UnitKind::Task);
            if !is_task
                || path.status != PathStatus::Started
                || path.unit_response_type != Some(ResponseType::OkProceed)
            {
                continue;
            }
            let recorded = records[..=k].iter().any(|earlier| {
                earlier.unit == path.step
                    && earlier.document.exec_path(&path.name).is_some_and(|p| {
                        p.step == path.step && p.unit_response_type == Some(ResponseType::OkProceed)
                    })
            });
            if !recorded {
                problems.push(format!(
                    "record {} ({}) shows {} done on {} with no audit record of it",
                    record.seq, record.unit, path.step, path.name
                ));
            }
        }
    }
    problems
}

fn every_save_explained_by_the_audit_log(store: &dyn Store, cases: usize) {
    let record = journey(&wide_journey());
    let parsed = Journey::parse(&record.text).unwrap();
    let engine = Engine::new(store, &Jittery).with_config(EngineConfig {
        max_threads: BRANCHES,
        ..EngineConfig::default()
    });
    let run = std::process::id();
    let mut problems = Vec::new();
    for i in 0..cases {
        let case = format!("ap-{run}-{i}");
        let outcome = engine.start(&case, &record, None, vec![]).unwrap();
        assert_eq!(
            outcome.status,
            OutcomeStatus::Completed,
            "{case}: {outcome:?}"
        );
        let records = store.audit_records(&case).unwrap();
        assert!(
            records.len() > BRANCHES * TASKS_PER_BRANCH,
            "{case}: {} audit records",
            records.len()
        );
        problems.extend(
            unexplained(&parsed, &records)
                .into_iter()
                .map(|p| format!("{case}: {p}")),
        );
    }
    assert!(
        problems.is_empty(),
        "{} saves show a task done before its audit record:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_save_is_explained_by_the_audit_log_on_memory() {
    every_save_explained_by_the_audit_log(&MemoryStore::new(), 200);
}

#[test]
fn every_save_is_explained_by_the_audit_log_on_files() {
    let dir = tempfile::tempdir().unwrap();
    every_save_explained_by_the_audit_log(&FileStore::open(dir.path()).unwrap(), 20);
}

#[test]
fn every_save_is_explained_by_the_audit_log_on_postgres() {
    let db = crate::pg_or_skip!(TestDb::new());
    let url = DatabaseUrl::parse(&db.url).unwrap();
    let store = PgStore::connect(&url, &PoolOptions::default()).unwrap();
    every_save_explained_by_the_audit_log(&store, 20);
}
