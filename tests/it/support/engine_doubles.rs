//! Test doubles for driving the engine: scripted components (FIFO responses per step name) and
//! a sink that records events, trace lines and SLA calls.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use wfctl::engine::{
    ComponentError, Components, EventContext, EventSink, EventType, HookError, RouteResponse,
    SlaQueue, SlaTrigger, StepContext, TaskResponse, Trace,
};
use wfctl::model::{JourneyRecord, Milestone, Sla};

type TaskAnswer = Result<TaskResponse, ComponentError>;
type RouteAnswer = Result<RouteResponse, ComponentError>;

/// Components answering from per-step queues; tasks proceed and routes take `default_branches`
/// when their queue is empty. Every call is recorded as `(step, exec path)`.
pub struct Script {
    tasks: Mutex<HashMap<String, VecDeque<TaskAnswer>>>,
    routes: Mutex<HashMap<String, VecDeque<RouteAnswer>>>,
    default_branches: Vec<String>,
    calls: Mutex<Vec<(String, String)>>,
    contexts: Mutex<Vec<StepContext>>,
}

impl Script {
    pub fn new(default_branches: &[&str]) -> Self {
        Self {
            tasks: Mutex::default(),
            routes: Mutex::default(),
            default_branches: default_branches.iter().map(|s| (*s).to_owned()).collect(),
            calls: Mutex::default(),
            contexts: Mutex::default(),
        }
    }

    pub fn task(self, step: &str, answer: TaskAnswer) -> Self {
        self.tasks
            .lock()
            .unwrap()
            .entry(step.to_owned())
            .or_default()
            .push_back(answer);
        self
    }

    pub fn route(self, step: &str, answer: RouteAnswer) -> Self {
        self.routes
            .lock()
            .unwrap()
            .entry(step.to_owned())
            .or_default()
            .push_back(answer);
        self
    }

    /// How often `step` ran.
    pub fn runs(&self, step: &str) -> usize {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|(s, _)| s == step)
            .count()
    }

    /// Every `(step, path)` call in order.
    pub fn calls(&self) -> Vec<(String, String)> {
        self.calls.lock().unwrap().clone()
    }

    /// The contexts components saw, in order.
    pub fn contexts(&self) -> Vec<StepContext> {
        self.contexts.lock().unwrap().clone()
    }

    fn record(&self, ctx: &StepContext) {
        self.calls
            .lock()
            .unwrap()
            .push((ctx.step.clone(), ctx.exec_path.clone()));
        self.contexts.lock().unwrap().push(ctx.clone());
    }
}

impl Components for Script {
    fn task(&self, ctx: &StepContext) -> TaskAnswer {
        self.record(ctx);
        let queued = self
            .tasks
            .lock()
            .unwrap()
            .get_mut(&ctx.step)
            .and_then(VecDeque::pop_front);
        queued.unwrap_or_else(|| Ok(TaskResponse::proceed()))
    }

    fn route(&self, ctx: &StepContext) -> RouteAnswer {
        self.record(ctx);
        let queued = self
            .routes
            .lock()
            .unwrap()
            .get_mut(&ctx.step)
            .and_then(VecDeque::pop_front);
        queued.unwrap_or_else(|| Ok(RouteResponse::branches(self.default_branches.clone())))
    }
}

/// Records events, trace lines and SLA calls; can fail chosen events.
#[derive(Default)]
pub struct Recorder {
    pub events: Mutex<Vec<EventContext>>,
    pub traces: Mutex<Vec<String>>,
    pub sla: Mutex<Vec<String>>,
    fail: Mutex<Vec<EventType>>,
}

impl Recorder {
    /// Fails the next `event` (once).
    pub fn fail_next(&self, event: EventType) {
        self.fail.lock().unwrap().push(event);
    }

    /// `EVENT path step component workbasket` per event.
    pub fn event_lines(&self) -> Vec<String> {
        self.events
            .lock()
            .unwrap()
            .iter()
            .map(|e| {
                format!(
                    "{} {} {} {} {}",
                    e.event, e.exec_path, e.step, e.component, e.workbasket
                )
                .trim_end()
                .to_owned()
            })
            .collect()
    }

    pub fn sla_calls(&self) -> Vec<String> {
        self.sla.lock().unwrap().clone()
    }
}

impl EventSink for Recorder {
    fn event(&self, ctx: &EventContext) -> Result<(), HookError> {
        self.events.lock().unwrap().push(ctx.clone());
        let mut fail = self.fail.lock().unwrap();
        if let Some(i) = fail.iter().position(|e| *e == ctx.event) {
            fail.remove(i);
            return Err(HookError(format!("{} refused", ctx.event)));
        }
        Ok(())
    }

    fn trace(&self, trace: &Trace<'_>) {
        self.traces.lock().unwrap().push(format!("{trace:?}"));
    }
}

impl SlaQueue for Recorder {
    fn enqueue(&self, _case: &str, trigger: &SlaTrigger, milestones: &[Milestone]) {
        let names: Vec<_> = milestones
            .iter()
            .map(|m| m.name.clone().unwrap_or_default())
            .collect();
        let basket = trigger.workbasket.clone().unwrap_or_default();
        self.sla.lock().unwrap().push(format!(
            "enqueue {} {basket} {}",
            trigger.setup_on,
            names.join(",")
        ));
    }

    fn dequeue(&self, _case: &str, workbasket: &str) {
        self.sla
            .lock()
            .unwrap()
            .push(format!("dequeue {workbasket}"));
    }

    fn dequeue_all(&self, _case: &str) {
        self.sla.lock().unwrap().push("dequeue_all".to_owned());
    }
}

/// A journey from JSON text (panics with the problems when invalid).
pub fn journey(text: &str) -> JourneyRecord {
    JourneyRecord::parse(text).unwrap_or_else(|e| panic!("test journey: {e}"))
}

/// A conformance journey by file stem.
pub fn conformance_journey(name: &str) -> JourneyRecord {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/conformance/journeys/{name}.json"));
    journey(&std::fs::read_to_string(path).unwrap())
}

/// An SLA from JSON text.
pub fn sla(text: &str) -> Sla {
    Sla::parse(text).unwrap_or_else(|e| panic!("test SLA: {e}"))
}

/// A work-basket-entry milestone of type work_basket for each basket, plus `extra`.
pub fn entry_milestones(baskets: &[&str]) -> Sla {
    let milestones: Vec<String> = baskets
        .iter()
        .map(|b| {
            format!(
                r#"{{"name": "{b}_in", "setup_on": "work_basket_entry", "type": "work_basket",
                    "work_basket_name": "{b}", "applied_at_age": "30m", "clock_starts": "immediately", "action": "CORR"}}"#
            )
        })
        .collect();
    sla(&format!(r#"{{"milestones": [{}]}}"#, milestones.join(",")))
}

/// A three-branch parallel journey: start → route_1 (1,2,3 → step_2_N) → join_1 → step_3 → end,
/// with ticket `reject` → step_4 → step_5 → end.
pub const PARALLEL: &str = r#"{"journey": {"name": "parallel", "tickets": [{"name": "reject", "step": "step_4"}],
  "flow": [
    {"name": "start", "component": "start", "next": "route_1"},
    {"name": "route_1", "type": "p_route", "component": "route_1_comp",
     "branches": [{"name": "1", "next": "step_2_1"}, {"name": "2", "next": "step_2_2"}, {"name": "3", "next": "step_2_3"}]},
    {"name": "step_2_1", "component": "c21", "next": "join_1"},
    {"name": "step_2_2", "component": "c22", "next": "join_1"},
    {"name": "step_2_3", "component": "c23", "next": "join_1"},
    {"name": "join_1", "type": "p_join", "next": "step_3"},
    {"name": "step_3", "component": "c3", "next": "end"},
    {"name": "step_4", "component": "c4", "next": "step_5"},
    {"name": "step_5", "component": "c5", "next": "end"}
  ]}}"#;
