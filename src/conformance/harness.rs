//! Drives the engine through a scenario exactly as the upstream test harness does
//! (`tests/conformance/README.md`): scripted components with FIFO responses per step name, and a
//! recording event handler, SLA queue manager and work manager. The result is the list of
//! records the Java engine's log and test doubles would have printed.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use serde_json::{Value, json};

use super::scenario::{Action, RouteScript, Scenario, TaskScript};
use crate::engine::{
    ComponentError, Components, Engine, EngineConfig, EventContext, EventSink, EventType,
    HookError, RouteResponse, SlaQueue, SlaTrigger, StepContext, TaskResponse, Trace,
    WorkBasketChange, WorkManager,
};
use crate::model::{JourneyRecord, Milestone, PendError, ResponseType, Sla};
use crate::store::Store;

/// How many resumes `resume_until_error` makes at most (a scenario that never fails would
/// otherwise loop forever).
const MAX_RESUMES: usize = 1000;

/// Everything the doubles record, in call order.
#[derive(Default)]
struct Recorder(Mutex<Vec<Value>>);

impl Recorder {
    fn push(&self, record: Value) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(record);
    }

    fn take(&self) -> Vec<Value> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// The scripted components: responses are looked up by step name, not component name.
struct Scripted<'s> {
    scenario: &'s Scenario,
    tasks: Mutex<HashMap<String, VecDeque<TaskScript>>>,
    routes: Mutex<HashMap<String, VecDeque<RouteScript>>>,
}

fn response_type(name: &str) -> Result<ResponseType, ComponentError> {
    ResponseType::parse(name).ok_or_else(|| {
        ComponentError::new(format!("scenario response {name:?} is not a response type"))
    })
}

impl Components for Scripted<'_> {
    fn task(&self, ctx: &StepContext) -> Result<TaskResponse, ComponentError> {
        if let Some(&ms) = self.scenario.task_fixed_delay_ms.get(&ctx.step) {
            std::thread::sleep(Duration::from_millis(ms));
        }
        let script = self
            .tasks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get_mut(&ctx.step)
            .and_then(VecDeque::pop_front)
            .unwrap_or_else(|| self.scenario.defaults.task.clone());
        if script.delay_ms > 0 {
            std::thread::sleep(Duration::from_millis(script.delay_ms));
        }
        Ok(TaskResponse {
            response: response_type(&script.response)?,
            workbasket: script.workbasket.unwrap_or_default(),
            ticket: script.ticket.unwrap_or_default(),
            error: PendError::default(),
            variables: Vec::new(),
        })
    }

    fn route(&self, ctx: &StepContext) -> Result<RouteResponse, ComponentError> {
        let script = match self.scenario.routes_fixed.get(&ctx.step) {
            Some(fixed) => Some(fixed.clone()),
            None => self
                .routes
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get_mut(&ctx.step)
                .and_then(VecDeque::pop_front)
                .or_else(|| self.scenario.defaults.route.clone()),
        };
        let script =
            script.ok_or_else(|| ComponentError::new(format!("no route rule for {}", ctx.step)))?;
        Ok(RouteResponse {
            response: response_type(&script.response)?,
            branches: script.branches,
            workbasket: script.workbasket.unwrap_or_default(),
            error: PendError::default(),
            variables: Vec::new(),
        })
    }
}

/// The engine's log lines (trace) and the upstream `TestHandler`.
struct EventRecorder<'r> {
    records: &'r Recorder,
    handler: bool,
}

impl EventSink for EventRecorder<'_> {
    fn event(&self, ctx: &EventContext) -> Result<(), HookError> {
        // the engine logs "raising event" only when a handler is configured
        if self.handler {
            let mut record = json!({
                "kind": "event",
                "event": ctx.event.as_str(),
                "component": ctx.component,
                "workbasket": ctx.workbasket,
                "pend_at_same_step": ctx.pend_at_same_step,
            });
            if ctx.event == EventType::TicketRaised {
                record["ticket"] = json!(ctx.ticket);
            }
            self.records.push(record);
        }
        Ok(())
    }

    fn trace(&self, trace: &Trace<'_>) {
        let route_kind = |parallel: bool| if parallel { "parallel" } else { "singular" };
        let record = match *trace {
            Trace::CaseCreated => json!({"kind": "case_created"}),
            Trace::ExecTask {
                step,
                component,
                path,
            } => {
                json!({"kind": "exec_task", "step": step, "component": component, "path": path})
            }
            Trace::PendTask {
                step,
                component,
                path,
            } => {
                json!({"kind": "pend_task", "step": step, "component": component, "path": path})
            }
            Trace::ExecRoute {
                parallel,
                step,
                path,
            } => {
                json!({"kind": "exec_route", "route_kind": route_kind(parallel), "step": step, "path": path})
            }
            Trace::PendRoute {
                parallel,
                step,
                component,
                path,
            } => json!({
                "kind": "pend_route", "route_kind": route_kind(parallel), "step": step,
                "component": component, "path": path
            }),
            Trace::ExecPause { step, path } => {
                json!({"kind": "exec_pause", "step": step, "path": path})
            }
            Trace::ExecPersist { step, path } => {
                json!({"kind": "exec_persist", "step": step, "path": path})
            }
            Trace::PendPersist { step, path } => {
                json!({"kind": "pend_persist", "step": step, "path": path})
            }
            Trace::Join { path } => json!({"kind": "join", "path": path}),
            Trace::Ticket {
                ticket,
                component,
                path,
            } => {
                json!({"kind": "ticket", "ticket": ticket, "component": component, "path": path})
            }
            Trace::TicketAbandon {
                ticket,
                component,
                path,
            } => {
                json!({"kind": "ticket_abandon", "ticket": ticket, "component": component, "path": path})
            }
            Trace::ChildExit { path } => json!({"kind": "child_exit", "path": path}),
            Trace::AssumeParent { path } => json!({"kind": "assume_parent", "path": path}),
            // ERROR and recovery lines never occur in these scenarios and have no record kind
            Trace::ComponentFailed { .. } | Trace::Recovered { .. } => return,
        };
        self.records.push(record);
    }
}

/// The upstream `TestSlaQueueManager`.
struct SlaRecorder<'r>(&'r Recorder);

impl SlaQueue for SlaRecorder<'_> {
    fn enqueue(&self, _case_id: &str, trigger: &SlaTrigger, milestones: &[Milestone]) {
        self.0.push(json!({
            "kind": "sla_enqueue",
            "trigger": trigger.setup_on.as_str(),
            "workbasket": trigger.workbasket,
            "milestones": milestones,
        }));
    }

    fn dequeue(&self, _case_id: &str, workbasket: &str) {
        self.0
            .push(json!({"kind": "sla_dequeue", "workbasket": workbasket}));
    }

    fn dequeue_all(&self, _case_id: &str) {
        self.0.push(json!({"kind": "sla_dequeue_all"}));
    }
}

/// The upstream `TestWorkManager`.
struct WorkRecorder<'r>(&'r Recorder);

impl WorkManager for WorkRecorder<'_> {
    fn change_workbasket(&self, change: &WorkBasketChange) -> Result<(), HookError> {
        self.0.push(json!({
            "kind": "change_workbasket",
            "old_workbasket": change.old_workbasket,
            "new_workbasket": change.new_workbasket,
        }));
        Ok(())
    }
}

/// The journey and SLA a scenario runs.
#[derive(Debug)]
pub struct Inputs {
    /// The journey.
    pub journey: JourneyRecord,
    /// The SLA, if the scenario has one.
    pub sla: Option<Sla>,
}

/// Runs `scenario` on `store` and returns the records produced. `max_threads` overrides the
/// scenario's pool size. `Err` means the scenario could not be driven at all.
pub fn drive(
    scenario: &Scenario,
    inputs: &Inputs,
    store: &dyn Store,
    max_threads: Option<usize>,
) -> Result<Vec<Value>, String> {
    let records = Recorder::default();
    let components = Scripted {
        scenario,
        tasks: Mutex::new(
            scenario
                .tasks
                .iter()
                .map(|(k, v)| (k.clone(), v.iter().cloned().collect()))
                .collect(),
        ),
        routes: Mutex::new(
            scenario
                .routes
                .iter()
                .map(|(k, v)| (k.clone(), v.iter().cloned().collect()))
                .collect(),
        ),
    };
    let events = EventRecorder {
        records: &records,
        handler: scenario.handlers.event_handler,
    };
    let sla_queue = SlaRecorder(&records);
    let work_manager = WorkRecorder(&records);
    let config = EngineConfig {
        max_threads: max_threads.unwrap_or(scenario.engine.max_threads),
        error_workbasket: scenario.engine.error_workbasket.clone(),
        ..EngineConfig::default()
    };
    let mut engine = Engine::new(store, &components)
        .with_events(&events)
        .with_config(config);
    if scenario.handlers.sla_queue_manager {
        engine = engine.with_sla_queue(&sla_queue);
    }
    if scenario.handlers.work_manager {
        engine = engine.with_work_manager(&work_manager);
    }
    let case = scenario.case_id.as_str();
    for action in &scenario.actions {
        match action {
            Action::Start => {
                engine
                    .start(case, &inputs.journey, inputs.sla.as_ref(), Vec::new())
                    .map_err(|e| format!("start failed: {e}"))?;
            }
            Action::ResumeUntilError => {
                let mut resumes = 0;
                loop {
                    records.push(json!({"kind": "resume_call"}));
                    if let Err(e) = engine.resume(case, Vec::new()) {
                        records.push(json!({"kind": "error", "message": e.to_string()}));
                        break;
                    }
                    resumes += 1;
                    if resumes == MAX_RESUMES {
                        return Err(format!("case still resumable after {MAX_RESUMES} resumes"));
                    }
                }
            }
            Action::Resume => {
                if let Err(e) = engine.resume(case, Vec::new()) {
                    records.push(json!({"kind": "error", "message": e.to_string()}));
                }
            }
            Action::ChangeWorkbasket { workbasket } => {
                if let Err(e) = engine.change_workbasket(case, workbasket) {
                    records.push(json!({"kind": "error", "message": e.to_string()}));
                }
            }
            Action::Reopen {
                ticket,
                pend_before_resume,
                workbasket,
            } => {
                let pend_in = pend_before_resume.then(|| workbasket.as_deref().unwrap_or(""));
                if let Err(e) = engine.reopen(case, ticket, pend_in, Vec::new()) {
                    records.push(json!({"kind": "error", "message": e.to_string()}));
                }
            }
        }
    }
    Ok(records.take())
}
