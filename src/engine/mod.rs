//! engine: the synchronous workflow engine (spec §3 as amended by decisions.md). It runs
//! journeys for cases: start, resume, reopen, change work basket, set variables. It has no I/O
//! of its own: it talks to a [`Store`] (never knowing which), the application's
//! [`Components`], an [`EventSink`], an optional [`SlaQueue`] and [`WorkManager`].
//!
//! Every call takes the case lock, loads the case (repairing an interrupted run, see
//! `recover.rs`), runs until the case pends or completes, and returns an [`Outcome`]. State is
//! written at each persistence point as one atomic store call: after every unit by default,
//! or only when a thread stops with [`PersistMode::OnStop`] (faster; a crash then re-runs
//! everything since the last stop, the Java engine's weaker guarantee).
//!
//! ```
//! use wfctl::engine::{ComponentError, Components, Engine, RouteResponse, StepContext, TaskResponse};
//! use wfctl::model::JourneyRecord;
//! use wfctl::store::MemoryStore;
//!
//! struct Approvals;
//! impl Components for Approvals {
//!     fn task(&self, ctx: &StepContext) -> Result<TaskResponse, ComponentError> {
//!         Ok(match ctx.component.as_str() {
//!             "review" if !ctx.pend_at_same_step => TaskResponse::pend("reviewers"),
//!             _ => TaskResponse::proceed(),
//!         })
//!     }
//!     fn route(&self, _ctx: &StepContext) -> Result<RouteResponse, ComponentError> {
//!         Ok(RouteResponse::branches(["yes"]))
//!     }
//! }
//!
//! let journey = JourneyRecord::parse(r#"{"journey": {"name": "approval", "flow": [
//!     {"name": "start", "component": "review", "next": "end"}]}}"#)?;
//! let store = MemoryStore::new();
//! let engine = Engine::new(&store, &Approvals);
//! let pended = engine.start("case-1", &journey, None, vec![])?;
//! assert_eq!(pended.pend.unwrap().workbasket, "reviewers");
//! let done = engine.resume("case-1", vec![])?;
//! assert!(done.is_complete());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod hooks;
mod outcome;
mod paths;
mod recover;
mod run;
mod sla;
mod state;

use std::time::Duration;

pub use error::Error;
pub use hooks::{
    ComponentError, Components, EventContext, EventSink, EventType, HookError, NoEvents,
    RouteResponse, SlaQueue, SlaTrigger, StepContext, TaskResponse, Trace, WorkBasketChange,
    WorkManager,
};
pub use outcome::{Outcome, OutcomeStatus, PendInfo};
pub use paths::{ROOT, depth as exec_path_depth, parent as exec_path_parent};
pub use state::{PAUSE_WORKBASKET, TEMP_HOLD_WORKBASKET};

use paths::ROOT as ROOT_PATH;
use run::{Run, now_ms};
use sla::SlaBook;
use state::CaseState;

use crate::model::{
    ExecPath, Journey, JourneyRecord, PathStatus, ResponseType, SET_VARIABLES_UNIT, START, SetupOn,
    Sla, Variable, WORK_BASKET_CHANGE_UNIT,
};
use crate::store::{LockWait, Store};

/// When the process info is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PersistMode {
    /// After every unit: a crash re-runs at most one unit per exec path (decisions.md §5).
    #[default]
    EachUnit,
    /// Only when a thread stops (and at persist units): fewer writes, but a crash re-runs
    /// every unit since the last stop.
    OnStop,
}

/// Engine settings.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Branch threads a call may use besides its own; 0 runs branches one after another on
    /// the calling thread.
    pub max_threads: usize,
    /// Where a unit pends when its component fails.
    pub error_workbasket: String,
    /// When the process info is written.
    pub persist: PersistMode,
    /// Whether audit records are written.
    pub write_audit: bool,
    /// How long to wait for a case locked by someone else.
    pub lock_wait: LockWait,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            max_threads: 10,
            error_workbasket: "workflow_error".to_owned(),
            persist: PersistMode::EachUnit,
            write_audit: true,
            lock_wait: LockWait::Wait(Duration::from_secs(5)),
        }
    }
}

static NO_EVENTS: NoEvents = NoEvents;

/// A case as loaded for a call: journey, SLA, state, and the paths crash recovery parked.
type Loaded = (JourneyRecord, Option<Sla>, CaseState, Vec<recover::Parked>);

/// The workflow engine over one store and one set of components.
pub struct Engine<'a> {
    store: &'a dyn Store,
    components: &'a dyn Components,
    events: &'a dyn EventSink,
    sla_queue: Option<&'a dyn SlaQueue>,
    work_manager: Option<&'a dyn WorkManager>,
    config: EngineConfig,
}

type Result<T> = std::result::Result<T, Error>;

impl<'a> Engine<'a> {
    /// An engine with the default configuration, no event sink, SLA queue or work manager.
    pub fn new(store: &'a dyn Store, components: &'a dyn Components) -> Self {
        Self {
            store,
            components,
            events: &NO_EVENTS,
            sla_queue: None,
            work_manager: None,
            config: EngineConfig::default(),
        }
    }

    /// Sends events (and the trace) to `events`.
    pub fn with_events(mut self, events: &'a dyn EventSink) -> Self {
        self.events = events;
        self
    }

    /// Tells `queue` what to enqueue and dequeue.
    pub fn with_sla_queue(mut self, queue: &'a dyn SlaQueue) -> Self {
        self.sla_queue = Some(queue);
        self
    }

    /// Asks `manager` before every work-basket change.
    pub fn with_work_manager(mut self, manager: &'a dyn WorkManager) -> Self {
        self.work_manager = Some(manager);
        self
    }

    /// Replaces the configuration.
    pub fn with_config(mut self, config: EngineConfig) -> Self {
        self.config = config;
        self
    }

    /// The configuration.
    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    fn sla_book<'s>(&'s self, case_id: &'s str, sla: Option<&'s Sla>) -> SlaBook<'s> {
        SlaBook {
            case_id,
            sla,
            queue: self.sla_queue,
        }
    }

    /// Starts a new case: stores the journey (as given) and SLA, raises `ON_PROCESS_START` and
    /// runs until the case pends or completes. `variables` are added to the journey's.
    pub fn start(
        &self,
        case_id: &str,
        journey: &JourneyRecord,
        sla: Option<&Sla>,
        variables: Vec<Variable>,
    ) -> Result<Outcome> {
        let unmapped = self.components.unmapped(&journey.journey.component_names());
        if !unmapped.is_empty() {
            return Err(Error::UnmappedComponents {
                case: case_id.to_owned(),
                names: unmapped,
            });
        }
        let _lock = self.store.lock_case(case_id, self.config.lock_wait)?;
        if self.store.process_info(case_id)?.is_some() {
            return Err(Error::AlreadyStarted {
                case: case_id.to_owned(),
            });
        }
        // a journey without process info: an earlier start died before its first write
        let restarted = self.store.journey(case_id)?.is_some();
        self.store.create_case(case_id, journey, sla)?;
        self.start_locked(case_id, &journey.journey, sla, variables, !restarted)
    }

    fn start_locked(
        &self,
        case_id: &str,
        journey: &Journey,
        sla: Option<&Sla>,
        variables: Vec<Variable>,
        announce: bool,
    ) -> Result<Outcome> {
        let mut state = CaseState::fresh(journey);
        state.variables.merge(variables);
        state
            .paths
            .insert(ROOT_PATH.to_owned(), ExecPath::started(ROOT_PATH, START));
        let run = Run::new(self, case_id, journey, self.sla_book(case_id, sla), state);
        {
            let mut sh = run.lock();
            if announce {
                run.raise_start(&mut sh);
            }
            // the first persistence point: from here on the case is resumable
            run.write_info(&mut sh)?;
        }
        run.run_root(ROOT_PATH.to_owned(), START.to_owned())?;
        Ok(run.outcome())
    }

    /// Loads a case for a call: its journey, SLA and state (repaired if a run was interrupted);
    /// `None` when the case has a journey but no process info yet.
    fn load(&self, case_id: &str) -> Result<Option<Loaded>> {
        let Some(record) = self.store.journey(case_id)? else {
            return Err(Error::NoJourney {
                case: case_id.to_owned(),
            });
        };
        let sla = self.store.sla(case_id)?;
        let Some(info) = self.store.process_info(case_id)? else {
            return Ok(None);
        };
        let mut state = CaseState::from_process_info(info);
        let parked =
            recover::sanitise(&mut state, &record.journey).map_err(|()| Error::NoPendPath {
                case: case_id.to_owned(),
            })?;
        Ok(Some((record, sla, state, parked)))
    }

    /// Resumes a pended (or interrupted) case: raises `ON_PROCESS_RESUME` (and
    /// `ON_TICKET_RAISED` if a ticket waits) and runs until it pends or completes. A case whose
    /// first run died before any write starts over (B34 fixed).
    pub fn resume(&self, case_id: &str, variables: Vec<Variable>) -> Result<Outcome> {
        let _lock = self.store.lock_case(case_id, self.config.lock_wait)?;
        self.resume_locked(case_id, variables)
    }

    fn resume_locked(&self, case_id: &str, variables: Vec<Variable>) -> Result<Outcome> {
        let Some((record, sla, mut state, parked)) = self.load(case_id)? else {
            let record = self
                .store
                .journey(case_id)?
                .ok_or_else(|| Error::NoJourney {
                    case: case_id.to_owned(),
                })?;
            let sla = self.store.sla(case_id)?;
            return self.start_locked(case_id, &record.journey, sla.as_ref(), variables, false);
        };
        state.pend_at_same_step = true;
        state.variables.merge(variables);
        if state.is_complete {
            return Err(Error::Completed {
                case: case_id.to_owned(),
            });
        }
        let run = Run::new(
            self,
            case_id,
            &record.journey,
            self.sla_book(case_id, sla.as_ref()),
            state,
        );
        let (path, step) = {
            let mut sh = run.lock();
            for p in &parked {
                run.trace(Trace::Recovered {
                    path: &p.path,
                    workbasket: &p.workbasket,
                });
            }
            run.raise_resume(&mut sh);
            self.resume_point(case_id, &record.journey, &mut sh.state)?
        };
        run.run_root(path, step)?;
        Ok(run.outcome())
    }

    /// Where a resume continues (spec §3.5 `getStartContext`), updating the pend path.
    fn resume_point(
        &self,
        case_id: &str,
        journey: &Journey,
        state: &mut CaseState,
    ) -> Result<(String, String)> {
        let case = || case_id.to_owned();
        let start = if state.paths.is_empty() {
            state
                .paths
                .insert(ROOT_PATH.to_owned(), ExecPath::started(ROOT_PATH, START));
            (ROOT_PATH.to_owned(), START.to_owned())
        } else if !state.ticket.is_empty() {
            let ticket = journey
                .ticket(&state.ticket)
                .ok_or_else(|| Error::TicketNotFound {
                    ticket: state.ticket.clone(),
                    case: case(),
                })?;
            state.paths.clear();
            state.paths.insert(
                ROOT_PATH.to_owned(),
                ExecPath::started(ROOT_PATH, ticket.step.clone()),
            );
            (ROOT_PATH.to_owned(), ticket.step.clone())
        } else {
            let name = state.pend_exec_path.clone();
            let path = state
                .paths
                .get_mut(&name)
                .ok_or_else(|| Error::ExecPathNotFound {
                    path: name.clone(),
                    case: case(),
                })?;
            let unit = journey
                .unit(&path.step)
                .ok_or_else(|| Error::StepNotFound {
                    step: path.step.clone(),
                    case: case(),
                })?;
            let unexpected = |cause: String| Error::UnexpectedCondition {
                case: case(),
                cause,
            };
            let step = match (unit.kind, path.unit_response_type) {
                // B1 fixed: the pause basket is cleared like any other
                (crate::model::UnitKind::Pause, _) | (_, Some(ResponseType::OkPend)) => unit
                    .next
                    .clone()
                    .ok_or_else(|| unexpected(format!("unit {} has no next", unit.name)))?,
                (_, Some(ResponseType::OkPendEor | ResponseType::ErrorPend)) => unit.name.clone(),
                (_, urt) => {
                    return Err(unexpected(format!(
                        "exec path {name} is pended at {} with response {}",
                        unit.name,
                        urt.map_or("none", ResponseType::as_str)
                    )));
                }
            };
            path.status = PathStatus::Started;
            path.step.clone_from(&step);
            path.unit_response_type = None;
            path.pend_workbasket.clear();
            path.pend_error = crate::model::PendError::default();
            (name, step)
        };
        state.pend_exec_path.clear();
        state.clear_ticket();
        Ok(start)
    }

    /// Reopens a completed case at `ticket`'s step (spec §3.7). With `pend_in`, the case first
    /// pends in that basket and a resume then acts on the ticket; without, it resumes at once.
    pub fn reopen(
        &self,
        case_id: &str,
        ticket: &str,
        pend_in: Option<&str>,
        variables: Vec<Variable>,
    ) -> Result<Outcome> {
        let case = || case_id.to_owned();
        if pend_in.is_some_and(str::is_empty) {
            return Err(Error::EmptyWorkbasket { case: case() });
        }
        if ticket.is_empty() {
            return Err(Error::EmptyTicket { case: case() });
        }
        let _lock = self.store.lock_case(case_id, self.config.lock_wait)?;
        let Some((record, sla, mut state, _)) = self.load(case_id)? else {
            return Err(Error::NotCompleted { case: case() });
        };
        state.pend_at_same_step = false;
        state.variables.merge(variables);
        if !state.is_complete {
            return Err(Error::NotCompleted { case: case() });
        }
        if record.journey.ticket(ticket).is_none() {
            return Err(Error::TicketNotFound {
                ticket: ticket.to_owned(),
                case: case(),
            });
        }
        state.pend_exec_path = ROOT_PATH.to_owned();
        state.is_complete = false;
        let root = state.path_mut(ROOT_PATH);
        if let Some(basket) = pend_in {
            root.pend_workbasket = basket.to_owned();
            root.unit_response_type = Some(ResponseType::OkPend);
        }
        root.ticket = ticket.to_owned();
        state.raise_ticket(
            ticket,
            if pend_in.is_some() {
                ResponseType::OkPend
            } else {
                ResponseType::OkProceed
            },
        );
        let run = Run::new(
            self,
            case_id,
            &record.journey,
            self.sla_book(case_id, sla.as_ref()),
            state,
        );
        {
            let mut sh = run.lock();
            let ctx = run.event_context(&sh, EventType::ProcessReopen, ROOT_PATH);
            run.notify(&mut sh, &ctx);
            let mut changes = std::mem::take(&mut sh.changes);
            run.sla
                .enqueue_case(&mut changes, SetupOn::CaseRestart, now_ms());
            sh.changes = changes;
            if pend_in.is_some() {
                run.raise_pend(&mut sh);
            }
            // B16 fixed: saved after the events, so their bookkeeping is kept
            run.write_info(&mut sh)?;
        }
        if pend_in.is_some() {
            return Ok(run.outcome());
        }
        drop(run);
        self.resume_locked(case_id, Vec::new())
    }

    /// Moves a pended case to another work basket (spec §3.14). The work manager, if any, is
    /// asked first; its refusal changes nothing.
    pub fn change_workbasket(&self, case_id: &str, workbasket: &str) -> Result<Outcome> {
        let case = || case_id.to_owned();
        let _lock = self.store.lock_case(case_id, self.config.lock_wait)?;
        let Some((record, sla, state, _)) = self.load(case_id)? else {
            return Err(Error::NoSuchCase { case: case() });
        };
        if state.is_complete {
            return Err(Error::CompletedWorkbasketChange { case: case() });
        }
        let name = state.pend_exec_path.clone();
        let path = state
            .paths
            .get(&name)
            .ok_or_else(|| Error::ExecPathNotFound {
                path: name.clone(),
                case: case(),
            })?;
        let old = path.pend_workbasket.clone();
        let mut tbc = path.tbc_sla_workbasket.clone();
        if let Some(manager) = self.work_manager {
            let change = WorkBasketChange {
                case_id: case(),
                exec_path: name.clone(),
                step: path.step.clone(),
                component: state::component_of(&record.journey, &path.step),
                old_workbasket: old.clone(),
                new_workbasket: workbasket.to_owned(),
            };
            manager
                .change_workbasket(&change)
                .map_err(|e| Error::WorkManager {
                    case: case(),
                    reason: e.0,
                })?;
        }
        let run = Run::new(
            self,
            case_id,
            &record.journey,
            self.sla_book(case_id, sla.as_ref()),
            state,
        );
        {
            let mut sh = run.lock();
            let mut changes = std::mem::take(&mut sh.changes);
            run.sla
                .on_change(&mut changes, &old, workbasket, &mut tbc, now_ms());
            sh.changes = changes;
            let path = sh.state.path_mut(&name);
            path.pend_workbasket = workbasket.to_owned();
            path.prev_pend_workbasket = workbasket.to_owned();
            path.tbc_sla_workbasket = tbc;
            run.write_with_audit(&mut sh, WORK_BASKET_CHANGE_UNIT)?;
        }
        Ok(run.outcome())
    }

    /// Adds or replaces variables of a case without running it.
    pub fn set_variables(&self, case_id: &str, variables: Vec<Variable>) -> Result<Outcome> {
        let _lock = self.store.lock_case(case_id, self.config.lock_wait)?;
        let Some((record, sla, mut state, _)) = self.load(case_id)? else {
            return Err(Error::NoSuchCase {
                case: case_id.to_owned(),
            });
        };
        state.variables.merge(variables);
        let run = Run::new(
            self,
            case_id,
            &record.journey,
            self.sla_book(case_id, sla.as_ref()),
            state,
        );
        {
            let mut sh = run.lock();
            run.write_with_audit(&mut sh, SET_VARIABLES_UNIT)?;
        }
        Ok(run.outcome())
    }
}
