//! engine: the synchronous workflow engine (`docs/engine.md` describes how a case runs). It runs
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
//! Embedding it: the application brings its components, an event sink and an SLA queue.
//!
//! ```
//! use std::sync::Mutex;
//!
//! use wfctl::engine::{
//!     ComponentError, Components, Engine, EventContext, EventSink, HookError, RouteResponse,
//!     SlaQueue, SlaTrigger, StepContext, TaskResponse,
//! };
//! use wfctl::model::{JourneyRecord, Milestone, Sla, VarValue, Variable};
//! use wfctl::store::MemoryStore;
//!
//! /// Reviews pend in the reviewers' basket once; routing approves big orders by hand.
//! struct Orders;
//! impl Components for Orders {
//!     fn task(&self, ctx: &StepContext) -> Result<TaskResponse, ComponentError> {
//!         match ctx.component.as_str() {
//!             "review" if !ctx.pend_at_same_step => Ok(TaskResponse::pend("reviewers")),
//!             "ship" => Ok(TaskResponse::proceed().with_variables(vec![Variable::new("shipped", true)])),
//!             "review" | "bill" => Ok(TaskResponse::proceed()),
//!             other => Err(ComponentError::new(format!("no component {other}"))),
//!         }
//!     }
//!     fn route(&self, ctx: &StepContext) -> Result<RouteResponse, ComponentError> {
//!         let big = matches!(ctx.variables.get("amount"), Some(VarValue::Long(n)) if *n > 999);
//!         Ok(RouteResponse::branches([if big { "manual" } else { "auto" }]))
//!     }
//! }
//!
//! /// Keeps a log of events, as an application would send them to its monitoring.
//! #[derive(Default)]
//! struct Log(Mutex<Vec<String>>);
//! impl EventSink for Log {
//!     fn event(&self, ctx: &EventContext) -> Result<(), HookError> {
//!         self.0.lock().unwrap().push(format!("{} {}", ctx.event, ctx.workbasket).trim().to_owned());
//!         Ok(())
//!     }
//! }
//!
//! /// An SLA queue that only counts what it is told.
//! #[derive(Default)]
//! struct Timers(Mutex<Vec<String>>);
//! impl SlaQueue for Timers {
//!     fn enqueue(&self, _case: &str, trigger: &SlaTrigger, milestones: &[Milestone]) {
//!         self.0.lock().unwrap().push(format!("+{} on {}", milestones.len(), trigger.setup_on));
//!     }
//!     fn dequeue(&self, _case: &str, basket: &str) {
//!         self.0.lock().unwrap().push(format!("-{basket}"));
//!     }
//!     fn dequeue_all(&self, _case: &str) {
//!         self.0.lock().unwrap().push("-all".to_owned());
//!     }
//! }
//!
//! let journey = JourneyRecord::parse(r#"{"journey": {"name": "order", "flow": [
//!     {"name": "start", "type": "s_route", "component": "size",
//!      "branches": [{"name": "auto", "next": "bill"}, {"name": "manual", "next": "review"}]},
//!     {"name": "review", "component": "review", "next": "bill"},
//!     {"name": "bill", "component": "bill", "next": "ship"},
//!     {"name": "ship", "component": "ship", "next": "end"}]}}"#)?;
//! let sla = Sla::parse(r#"{"milestones": [
//!     // reviewers have two hours
//!     {"name": "review_2h", "setup_on": "work_basket_entry", "type": "work_basket",
//!      "work_basket_name": "reviewers", "applied_at_age": "2h", "clock_starts": "immediately",
//!      "action": "CORR"}]}"#)?;
//!
//! let (store, log, timers) = (MemoryStore::new(), Log::default(), Timers::default());
//! let engine = Engine::new(&store, &Orders).with_events(&log).with_sla_queue(&timers);
//!
//! let pended = engine.start("order-7", &journey, Some(&sla), vec![Variable::new("amount", 2500_i64)])?;
//! assert_eq!(pended.pend.as_ref().unwrap().workbasket, "reviewers");
//! let done = engine.resume("order-7", vec![])?;
//! assert!(done.is_complete());
//!
//! assert_eq!(*log.0.lock().unwrap(), [
//!     "ON_PROCESS_START", "ON_PROCESS_PEND reviewers", "ON_PROCESS_RESUME reviewers", "ON_PROCESS_COMPLETE",
//! ]);
//! assert_eq!(*timers.0.lock().unwrap(), ["+1 on work_basket_entry", "-all"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod cancel;
mod clock;
mod error;
mod hooks;
mod manage;
mod outcome;
mod paths;
mod recover;
mod run;
mod sla;
mod state;

use std::time::Duration;

pub use clock::{Clock, FixedClock, SystemClock};
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
use run::Run;
use sla::SlaBook;
use state::CaseState;

use crate::model::{
    ExecPath, Journey, JourneyRecord, PathStatus, PendError, ResponseType, START, Sla, Variable,
    storable_lossy,
};
use crate::store::{CaseStore, LockWait, UnitAttempt};

/// When the process info is written; `wfctl.toml`'s `[engine] persist` reads it directly.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PersistMode {
    /// After every unit: a crash re-runs at most one unit per exec path. `every-unit` is an
    /// older spelling, still accepted.
    #[default]
    #[serde(alias = "every-unit")]
    EachUnit,
    /// Only when a thread stops (and at persist units), with the audit records of the units
    /// in between: one store call per stop, but a crash re-runs every unit since the last stop
    /// and loses their audit records.
    OnStop,
}

impl PersistMode {
    /// The configuration spelling: `each-unit` or `on-stop`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EachUnit => "each-unit",
            Self::OnStop => "on-stop",
        }
    }
}

impl std::str::FromStr for PersistMode {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s {
            "each-unit" => Ok(Self::EachUnit),
            "on-stop" => Ok(Self::OnStop),
            other => Err(format!(
                "unknown persist mode {other:?} (expected each-unit or on-stop)"
            )),
        }
    }
}

impl std::fmt::Display for PersistMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
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
    /// Units one call may run before it error-pends the case (a journey that loops without
    /// pending would otherwise never return, writing an audit record per unit):
    /// `[engine] max_units_per_run`.
    pub max_units_per_call: u64,
    /// Exec paths a case may have at once; a parallel route whose branches would pass it
    /// error-pends instead (every audit record holds every path, so the audit log grows with
    /// the square of the paths): `[engine] max_branches`.
    pub max_branches: usize,
}

/// The default of [`EngineConfig::max_units_per_call`].
pub const DEFAULT_MAX_UNITS_PER_RUN: u64 = 10_000;
/// The default of [`EngineConfig::max_branches`].
pub const DEFAULT_MAX_BRANCHES: usize = 100;

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            max_threads: 10,
            error_workbasket: "workflow_error".to_owned(),
            persist: PersistMode::EachUnit,
            write_audit: true,
            lock_wait: LockWait::Wait(Duration::from_secs(5)),
            max_units_per_call: DEFAULT_MAX_UNITS_PER_RUN,
            max_branches: DEFAULT_MAX_BRANCHES,
        }
    }
}

static NO_EVENTS: NoEvents = NoEvents;

/// A case as loaded for a call: journey, SLA, state, and the paths crash recovery parked.
type Loaded = (JourneyRecord, Option<Sla>, CaseState, Vec<recover::Parked>);

/// The workflow engine over one store and one set of components.
pub struct Engine<'a> {
    store: &'a dyn CaseStore,
    components: &'a dyn Components,
    events: &'a dyn EventSink,
    sla_queue: Option<&'a dyn SlaQueue>,
    work_manager: Option<&'a dyn WorkManager>,
    clock: &'a dyn Clock,
    config: EngineConfig,
}

type Result<T> = std::result::Result<T, Error>;

impl<'a> Engine<'a> {
    /// An engine with the default configuration, no event sink, SLA queue or work manager,
    /// on the [`SystemClock`].
    pub fn new(store: &'a dyn CaseStore, components: &'a dyn Components) -> Self {
        Self {
            store,
            components,
            events: &NO_EVENTS,
            sla_queue: None,
            work_manager: None,
            clock: &SystemClock,
            config: EngineConfig::default(),
        }
    }

    /// Reads the time from `clock` (SLA due times, the `ts` of what is saved).
    pub fn with_clock(mut self, clock: &'a dyn Clock) -> Self {
        self.clock = clock;
        self
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

    /// Refuses variables no store can hold before anything is saved: every value of a call
    /// passes here, as every component answer passes the run's own check.
    fn check_storable(&self, case_id: &str, variables: &[Variable]) -> Result<()> {
        Variable::check_all_storable(variables).map_err(|reason| Error::Unstorable {
            case: case_id.to_owned(),
            reason,
        })
    }

    /// Refuses a name (`what`) no store can hold before anything is saved.
    fn check_text(&self, case_id: &str, what: &str, text: &str) -> Result<()> {
        match crate::model::unstorable_name(text) {
            Some(why) => Err(Error::Unstorable {
                case: case_id.to_owned(),
                reason: format!("{what} {text:?} {why}"),
            }),
            None => Ok(()),
        }
    }

    /// Refuses a journey naming components this engine cannot run, before anything runs or
    /// is written: every call that runs a case (start, resume, reopen) checks the same way, so
    /// a resume without the mapping never error-pends the case in the error basket.
    fn check_mapped(&self, case_id: &str, journey: &Journey) -> Result<()> {
        let unmapped = self.components.unmapped(&journey.component_names());
        if unmapped.is_empty() {
            return Ok(());
        }
        Err(Error::UnmappedComponents {
            case: case_id.to_owned(),
            names: unmapped,
        })
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
        self.check_storable(case_id, &variables)?;
        self.check_mapped(case_id, &journey.journey)?;
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
            sh.audit_seq = self.store.last_audit_seq(case_id)?;
            if announce {
                run.raise_start(&mut sh);
            }
            // the first persistence point: from here on the case is resumable
            run.write_info(&mut sh)?;
        }
        match run.run_root(ROOT_PATH.to_owned(), START.to_owned()) {
            Err(e) if e.is_refused_save() => self.pend_refused_save(case_id, (ROOT_PATH, START), e),
            Err(e) => Err(e),
            Ok(_) => Ok(run.outcome()),
        }
    }

    /// A save the store refused leaves the case as last saved, mid-unit: resuming would run
    /// the unit again and fail the same way, every time. The interrupted units pend in the
    /// error work basket with the store's reason instead (a unit whose path was saved as
    /// running, else the unit the call started with, `start`), so the case stays resumable
    /// once what it was given is fixed. If that save fails too, the refusal is the error.
    fn pend_refused_save(
        &self,
        case_id: &str,
        (start_path, start_step): (&str, &str),
        refused: Error,
    ) -> Result<Outcome> {
        let Ok(Some((record, sla, mut state, parked))) = self.load(case_id) else {
            return Err(refused);
        };
        let basket = self.config.error_workbasket.clone();
        let message = format!("the store refused to save this case: {refused}");
        let error = PendError::new(0, storable_lossy(&message), "");
        // a path parked after its unit proceeded goes on: only the units to run again pend
        let mut rerun: Vec<(String, String)> = parked
            .iter()
            .filter_map(|p| {
                let path = state.paths.get(&p.path)?;
                (path.unit_response_type == Some(ResponseType::OkPendEor))
                    .then(|| (p.path.clone(), path.step.clone()))
            })
            .collect();
        if rerun.is_empty() {
            if !state.paths.contains_key(start_path) {
                return Err(refused);
            }
            rerun.push((start_path.to_owned(), start_step.to_owned()));
        }
        for (path, step) in &rerun {
            state.pend_path(path, step, ResponseType::ErrorPend, &basket, error.clone());
            state.set_pend_exec_path(path);
        }
        let sla = self.sla_book(case_id, sla.as_ref());
        let run = Run::new(self, case_id, &record.journey, sla, state);
        if run.write_info(&mut run.lock()).is_err() {
            return Err(refused);
        }
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
        // a cancelled case never runs or changes again, whichever call is made
        if let Some(cancel) = self.store.cancellation(case_id)? {
            return Err(cancel::refusal(case_id, cancel));
        }
        let mut state = CaseState::from_process_info(info);
        let parked =
            recover::sanitise(&mut state, &record.journey).map_err(|()| Error::NoPendPath {
                case: case_id.to_owned(),
            })?;
        Ok(Some((record, sla, state, parked)))
    }

    /// Resumes a pended (or interrupted) case: raises `ON_PROCESS_RESUME` (and
    /// `ON_TICKET_RAISED` if a ticket waits) and runs until it pends or completes. A case whose
    /// first run died before any write starts over.
    pub fn resume(&self, case_id: &str, variables: Vec<Variable>) -> Result<Outcome> {
        self.check_storable(case_id, &variables)?;
        let _lock = self.store.lock_case(case_id, self.config.lock_wait)?;
        self.resume_locked(case_id, variables)
    }

    fn resume_locked(&self, case_id: &str, variables: Vec<Variable>) -> Result<Outcome> {
        let (mut outcome, mut held) = self.resume_once(case_id, variables)?;
        // recovery parks every interrupted branch in the temp-hold basket and a resume runs
        // one: go on with the others, so that no recovered branch waits where nobody works
        while held > 1
            && outcome
                .pend
                .as_ref()
                .is_some_and(|p| p.workbasket == TEMP_HOLD_WORKBASKET)
        {
            held -= 1;
            let (next, _) = self.resume_once(case_id, Vec::new())?;
            let units = outcome.units_executed + next.units_executed;
            let mut warnings = std::mem::take(&mut outcome.warnings);
            outcome = next;
            warnings.append(&mut outcome.warnings);
            outcome.warnings = warnings;
            outcome.units_executed = units;
        }
        Ok(outcome)
    }

    /// One resume; with the number of branches recovery parked in the temp-hold basket.
    fn resume_once(&self, case_id: &str, variables: Vec<Variable>) -> Result<(Outcome, usize)> {
        let Some((record, sla, mut state, parked)) = self.load(case_id)? else {
            let record = self
                .store
                .journey(case_id)?
                .ok_or_else(|| Error::NoJourney {
                    case: case_id.to_owned(),
                })?;
            self.check_mapped(case_id, &record.journey)?;
            let sla = self.store.sla(case_id)?;
            let outcome =
                self.start_locked(case_id, &record.journey, sla.as_ref(), variables, false)?;
            return Ok((outcome, 0));
        };
        self.check_mapped(case_id, &record.journey)?;
        let held = parked
            .iter()
            .filter(|p| p.workbasket == TEMP_HOLD_WORKBASKET)
            .count();
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
            sh.audit_seq = self.store.last_audit_seq(case_id)?;
            for p in &parked {
                run.trace(Trace::Recovered {
                    path: &p.path,
                    workbasket: &p.workbasket,
                });
            }
            run.raise_resume(&mut sh);
            let acts_on_ticket = !sh.state.ticket.is_empty();
            let base = sh.visit_base();
            let start = self.resume_point(case_id, &record.journey, &mut sh.state, base)?;
            if acts_on_ticket && let Some(leaving) = &mut sh.leaving {
                // every path was discarded: the next pend leaves the ticket-raising pend's basket
                leaving.discarded = true;
            }
            // only a unit that runs a component has a key (not `end`, a join, pause or persist
            // unit): a claim for anything else would never go stale
            let keyed = record.journey.unit(&start.1).is_some_and(|u| {
                matches!(
                    u.kind,
                    crate::model::UnitKind::Task
                        | crate::model::UnitKind::SRoute
                        | crate::model::UnitKind::PRoute
                        | crate::model::UnitKind::PRouteDynamic
                )
            });
            if keyed {
                sh.rerun = Some(self.claim_attempt(case_id, &start, &sh.state)?);
            }
            start
        };
        match run.run_root(path.clone(), step.clone()) {
            Err(e) if e.is_refused_save() => self
                .pend_refused_save(case_id, (&path, &step), e)
                .map(|o| (o, 0)),
            Err(e) => Err(e),
            Ok(_) => Ok((run.outcome(), held)),
        }
    }

    /// Counts one more attempt of the unit this resume runs first, at `(path, step)`, and
    /// stores it before the unit runs (one small write per resume, none per unit): a resume
    /// killed in that unit writes nothing else, so only this record tells the next resume that
    /// the unit was started. A record for the same key counts on from it; a record for another
    /// key is stale (the path has saved since). Without one, the unit's first start is attempt
    /// 1, or one more than the starts recovery found cut short on its path (a run that died
    /// mid-unit, in this resume's load or an earlier one's for a parallel branch).
    fn claim_attempt(
        &self,
        case_id: &str,
        (path, step): &(String, String),
        state: &CaseState,
    ) -> Result<UnitAttempt> {
        let exec_path = state.paths.get(path);
        let visit = exec_path.map_or(0, |p| p.visit).saturating_add(1);
        let key = run::idempotency_key(case_id, path, step, visit);
        let before = self
            .store
            .unit_attempt(case_id)?
            .filter(|a| a.key == key)
            .map_or_else(
                || exec_path.map_or(0, |p| p.interrupted_starts),
                |a| a.attempt,
            );
        let claimed = UnitAttempt {
            key,
            attempt: before.saturating_add(1),
        };
        self.store.record_unit_attempt(case_id, &claimed)?;
        Ok(claimed)
    }

    /// Where a resume continues (the Java `getStartContext`), updating the pend path.
    fn resume_point(
        &self,
        case_id: &str,
        journey: &Journey,
        state: &mut CaseState,
        visit_base: u64,
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
                ExecPath::started_at(ROOT_PATH, ticket.step.clone(), visit_base),
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
                // the pause basket is cleared like any other, so a paused branch resumes
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
}
