//! One engine call on one case: the execution loop of spec §3.5 on the root thread and on the
//! branch threads of parallel routes (scoped threads bounded by `max_threads`, decisions.md §6),
//! the units (§3.6), tickets (§3.8), joins (§3.10), events (§3.12) and the persistence points
//! (§3.16). The state lives behind one mutex; components run outside it.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::hooks::{EventContext, EventType, RouteResponse, StepContext, TaskResponse, Trace};
use super::paths::{self, ROOT};
use super::sla::{PendBaskets, SlaBook};
use super::state::{CaseState, PAUSE_WORKBASKET, component_of};
use super::{Engine, Error, Outcome, PersistMode};
use crate::model::{
    END, ExecPath, Journey, NewAuditRecord, PathStatus, PendError, ResponseType, SetupOn, Unit,
    UnitKind,
};
use crate::store::{MilestoneChange, PersistPoint};

type Result<T> = std::result::Result<T, Error>;

/// The state shared by the threads of a run.
pub(crate) struct Shared {
    pub state: CaseState,
    /// SLA changes not yet saved.
    pub changes: Vec<MilestoneChange>,
    /// Hook failures that did not stop the run.
    pub warnings: Vec<String>,
    /// The path a resume started from, for the SLA bookkeeping of the next pend (B37 fixed).
    pub leaving: Option<Leaving>,
}

/// The pended path a resume leaves, with its SLA baskets at that moment.
#[derive(Debug, Clone)]
pub(crate) struct Leaving {
    pub path: String,
    pub baskets: PendBaskets,
    /// Set when acting on a ticket discarded every path.
    pub discarded: bool,
}

/// How a thread's loop ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Stop {
    /// The path pended (or the root reports a pend elsewhere).
    Pended,
    /// The branch reached this join and stopped.
    Joined(String),
    /// A parallel parent stopped because some branch did not join.
    Waiting,
    /// The branch ended because a ticket was raised (by it or another branch).
    TicketExit,
    /// The case reached `end`.
    Completed,
}

enum Flow {
    Next(String),
    Stop(Stop),
}

/// One thread of execution.
struct Thread {
    path: String,
    is_root: bool,
    /// The unit's audit record was already written (routes write theirs early).
    suppress_audit: bool,
    /// Branches to put into the next audit record (routes).
    branches: Option<Vec<String>>,
}

impl Thread {
    fn new(path: String, is_root: bool) -> Self {
        Self {
            path,
            is_root,
            suppress_audit: false,
            branches: None,
        }
    }
}

pub(crate) struct Run<'r> {
    engine: &'r Engine<'r>,
    pub case_id: &'r str,
    pub journey: &'r Journey,
    pub sla: SlaBook<'r>,
    shared: Mutex<Shared>,
    permits: AtomicUsize,
    units: AtomicU64,
    aborted: AtomicBool,
}

pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl<'r> Run<'r> {
    pub fn new(
        engine: &'r Engine<'r>,
        case_id: &'r str,
        journey: &'r Journey,
        sla: SlaBook<'r>,
        state: CaseState,
    ) -> Self {
        Self {
            engine,
            case_id,
            journey,
            sla,
            shared: Mutex::new(Shared {
                state,
                changes: Vec::new(),
                warnings: Vec::new(),
                leaving: None,
            }),
            permits: AtomicUsize::new(engine.config.max_threads),
            units: AtomicU64::new(0),
            aborted: AtomicBool::new(false),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, Shared> {
        // a panicking thread aborts the run before anything else is saved
        self.shared.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn trace(&self, trace: Trace<'_>) {
        self.engine.events.trace(&trace);
    }

    /// The outcome once the run has ended.
    pub fn outcome(self) -> Outcome {
        let units = self.units.load(Ordering::SeqCst);
        let shared = self
            .shared
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        Outcome::from_state(
            self.case_id,
            self.journey,
            &shared.state,
            units,
            shared.warnings,
        )
    }

    // ----- events -----

    /// The context of `event` about `path`: its step and component, plus the pend details
    /// for pend and resume events.
    pub fn event_context(&self, sh: &Shared, event: EventType, path: &str) -> EventContext {
        let state = &sh.state;
        let mut ctx = EventContext {
            event,
            case_id: self.case_id.to_owned(),
            journey: self.journey.name.clone(),
            exec_path: path.to_owned(),
            step: String::new(),
            component: String::new(),
            user_data: None,
            workbasket: String::new(),
            pend_error: PendError::default(),
            ticket: String::new(),
            pend_at_same_step: state.pend_at_same_step,
            last_pend_workbasket: state.last_pend_workbasket.clone(),
            last_pend_step: state.last_pend_step.clone(),
            variables: state.variables.clone(),
        };
        if matches!(
            event,
            EventType::ProcessStart | EventType::ProcessComplete | EventType::Persist
        ) {
            return ctx;
        }
        if let Some(p) = state.paths.get(path) {
            ctx.step = p.step.clone();
            ctx.component = component_of(self.journey, &p.step);
            ctx.user_data = self.journey.unit(&p.step).and_then(|u| u.user_data.clone());
            if matches!(event, EventType::ProcessPend | EventType::ProcessResume) {
                ctx.workbasket = p.pend_workbasket.clone();
                ctx.pend_error = p.pend_error.clone();
            }
        }
        if event == EventType::TicketRaised {
            ctx.ticket = state.ticket.clone();
        }
        ctx
    }

    /// Calls the event sink.
    fn raise(&self, ctx: &EventContext) -> std::result::Result<(), String> {
        self.engine
            .events
            .event(ctx)
            .map_err(|e| format!("{} handler failed: {e}", ctx.event))
    }

    /// Calls the event sink; a failure does not stop the run and becomes a warning.
    pub fn notify(&self, sh: &mut Shared, ctx: &EventContext) {
        if let Err(message) = self.raise(ctx) {
            sh.warnings.push(message);
        }
    }

    /// `ON_PROCESS_START` and its SLA.
    pub fn raise_start(&self, sh: &mut Shared) {
        self.trace(Trace::CaseCreated);
        let ctx = self.event_context(sh, EventType::ProcessStart, ROOT);
        self.notify(sh, &ctx);
        self.sla
            .enqueue_case(&mut sh.changes, SetupOn::CaseStart, now_ms());
    }

    /// `ON_PROCESS_RESUME` (and `ON_TICKET_RAISED` if a ticket waits), with the last-pend
    /// values and the `ok_pend_eor` SLA bookkeeping. Remembers the path the case leaves.
    pub fn raise_resume(&self, sh: &mut Shared) {
        let pend = sh.state.pend_exec_path.clone();
        let ctx = self.event_context(sh, EventType::ProcessResume, &pend);
        self.notify(sh, &ctx);
        sh.state.last_pend_workbasket = ctx.workbasket.clone();
        sh.state.last_pend_step = ctx.step.clone();
        if let Some(p) = sh.state.paths.get_mut(&pend) {
            if p.unit_response_type == Some(ResponseType::OkPendEor) {
                p.tbc_sla_workbasket = p.pend_workbasket.clone();
            }
            sh.leaving = Some(Leaving {
                path: pend.clone(),
                baskets: PendBaskets {
                    prev: p.prev_pend_workbasket.clone(),
                    cur: p.pend_workbasket.clone(),
                    tbc: p.tbc_sla_workbasket.clone(),
                },
                discarded: false,
            });
        }
        if !sh.state.ticket.is_empty() {
            let ctx = self.event_context(sh, EventType::TicketRaised, &pend);
            self.notify(sh, &ctx);
        }
    }

    /// `ON_PROCESS_PEND` on the case's pend path and the SLA pend algorithm (spec §2.3), run
    /// against the basket the case actually leaves (B37 fixed).
    pub fn raise_pend(&self, sh: &mut Shared) {
        let pend = sh.state.pend_exec_path.clone();
        let ctx = self.event_context(sh, EventType::ProcessPend, &pend);
        self.notify(sh, &ctx);
        let Some(ep) = sh.state.paths.get(&pend).cloned() else {
            return;
        };
        let from_elsewhere = sh
            .leaving
            .as_ref()
            .filter(|l| l.discarded || l.path != pend)
            .cloned();
        let mut baskets = match &from_elsewhere {
            Some(l) => PendBaskets {
                prev: l.baskets.prev.clone(),
                cur: ep.pend_workbasket.clone(),
                tbc: l.baskets.tbc.clone(),
            },
            None => PendBaskets {
                prev: ep.prev_pend_workbasket.clone(),
                cur: ep.pend_workbasket.clone(),
                tbc: ep.tbc_sla_workbasket.clone(),
            },
        };
        let same = sh.state.pend_at_same_step && from_elsewhere.is_none();
        let mut changes = std::mem::take(&mut sh.changes);
        self.sla.on_pend(
            &mut changes,
            &mut baskets,
            same,
            ep.unit_response_type,
            now_ms(),
        );
        sh.changes = changes;
        if let Some(l) = &from_elsewhere
            && let Some(left) = sh.state.paths.get_mut(&l.path)
            && left.name != pend
        {
            // its milestones are dealt with: nothing of it remains to be cleared
            left.tbc_sla_workbasket.clear();
            left.prev_pend_workbasket.clear();
        }
        let ep = sh.state.path_mut(&pend);
        ep.tbc_sla_workbasket = baskets.tbc;
        ep.prev_pend_workbasket = ep.pend_workbasket.clone();
    }

    // ----- persistence -----

    /// Saves a persistence point: the process info (if `write_info`), this thread's audit
    /// record for `unit` (unless a route already wrote it), and pending SLA changes.
    fn write_state(
        &self,
        sh: &mut Shared,
        th: &mut Thread,
        unit: &str,
        write_info: bool,
    ) -> Result<()> {
        let audit = self.engine.config.write_audit && !std::mem::take(&mut th.suppress_audit);
        let branches = th.branches.take();
        if write_info {
            sh.state.last_unit = unit.to_owned();
        }
        if !write_info && !audit && sh.changes.is_empty() {
            return Ok(());
        }
        let ts = now_ms();
        let info = write_info.then(|| sh.state.to_process_info(self.journey, ts, None, None));
        let records: Vec<NewAuditRecord> = if audit {
            let document = match &info {
                Some(info) => crate::model::ProcessInfo {
                    branches,
                    ..info.clone()
                },
                None => sh
                    .state
                    .to_process_info(self.journey, ts, Some(unit), branches),
            };
            vec![NewAuditRecord {
                unit: unit.to_owned(),
                document,
            }]
        } else {
            Vec::new()
        };
        let changes = std::mem::take(&mut sh.changes);
        self.save(&PersistPoint {
            process_info: info.as_ref(),
            audit: &records,
            milestones: &changes,
        })
    }

    /// Saves the state without an audit record (start, reopen).
    pub fn write_info(&self, sh: &mut Shared) -> Result<()> {
        let info = sh.state.to_process_info(self.journey, now_ms(), None, None);
        let changes = std::mem::take(&mut sh.changes);
        self.save(&PersistPoint {
            process_info: Some(&info),
            audit: &[],
            milestones: &changes,
        })
    }

    /// Saves the state with an audit record named `unit` (work-basket changes, variables).
    pub fn write_with_audit(&self, sh: &mut Shared, unit: &str) -> Result<()> {
        let mut th = Thread::new(ROOT.to_owned(), true);
        self.write_state(sh, &mut th, unit, true)
    }

    fn save(&self, point: &PersistPoint<'_>) -> Result<()> {
        match self.engine.store.save_point(self.case_id, point) {
            Ok(_) => Ok(()),
            Err(e) => {
                self.aborted.store(true, Ordering::SeqCst);
                Err(e.into())
            }
        }
    }

    // ----- the loop -----

    /// Runs the root thread from `path` at `step` to the case's next stop.
    pub fn run_root(&self, path: String, step: String) -> Result<Stop> {
        self.run_thread(Thread::new(path, true), step)
    }

    fn run_thread(&self, mut th: Thread, start: String) -> Result<Stop> {
        let each_unit = self.engine.config.persist == PersistMode::EachUnit;
        let mut name = start;
        let mut last_unit = name.clone();
        let stop = loop {
            if self.aborted.load(Ordering::SeqCst) {
                return Err(Error::Aborted {
                    case: self.case_id.to_owned(),
                });
            }
            if name == END {
                // resumed after a unit whose next is `end`
                self.complete(&th);
                break Stop::Completed;
            }
            let unit = self
                .journey
                .unit(&name)
                .ok_or_else(|| Error::StepNotFound {
                    step: name.clone(),
                    case: self.case_id.to_owned(),
                })?;
            last_unit.clone_from(&unit.name);
            self.units.fetch_add(1, Ordering::Relaxed);
            let flow = match unit.kind {
                UnitKind::Task => self.task(&mut th, unit)?,
                UnitKind::SRoute => self.singular_route(&mut th, unit)?,
                UnitKind::PRoute | UnitKind::PRouteDynamic => self.parallel_route(&mut th, unit)?,
                UnitKind::PJoin => self.join(&mut th, unit),
                UnitKind::Pause => self.pause(&th, unit),
                UnitKind::Persist => self.persist(&th, unit),
            };
            match flow {
                Flow::Stop(stop) => break stop,
                Flow::Next(next) if next == END => {
                    self.complete(&th);
                    break Stop::Completed;
                }
                Flow::Next(next) => {
                    let mut sh = self.lock();
                    // a persist unit is a checkpoint even when only stops are persisted
                    let write_info = each_unit || unit.kind == UnitKind::Persist;
                    self.write_state(&mut sh, &mut th, &unit.name, write_info)?;
                    name = next;
                }
            }
        };
        let mut sh = self.lock();
        if th.is_root {
            self.finish_root(&mut sh, &th, &stop)?;
        }
        self.write_state(&mut sh, &mut th, &last_unit, true)?;
        Ok(stop)
    }

    /// The path reached `end`: the case is complete.
    fn complete(&self, th: &Thread) {
        let mut sh = self.lock();
        let path = sh.state.path_mut(&th.path);
        path.status = PathStatus::Completed;
        path.unit_response_type = Some(ResponseType::OkProceed);
        sh.state.pend_exec_path.clear();
        sh.state.is_complete = true;
    }

    /// The root's closing events: complete, or (ticket and) pend.
    fn finish_root(&self, sh: &mut Shared, th: &Thread, stop: &Stop) -> Result<()> {
        if *stop == Stop::Completed || sh.state.is_complete {
            let ctx = self.event_context(sh, EventType::ProcessComplete, &th.path);
            self.notify(sh, &ctx);
            let mut changes = std::mem::take(&mut sh.changes);
            self.sla.dequeue_all(&mut changes);
            sh.changes = changes;
            return Ok(());
        }
        if sh.state.pend_exec_path.is_empty()
            || !sh.state.paths.contains_key(&sh.state.pend_exec_path)
        {
            return Err(Error::NoPendPath {
                case: self.case_id.to_owned(),
            });
        }
        if !sh.state.ticket.is_empty() {
            let ctx = self.event_context(sh, EventType::TicketRaised, &th.path);
            self.notify(sh, &ctx);
        }
        self.raise_pend(sh);
        Ok(())
    }

    // ----- units -----

    fn step_context(&self, sh: &Shared, th: &Thread, unit: &Unit) -> StepContext {
        let state = &sh.state;
        let is_task = unit.kind == UnitKind::Task;
        StepContext {
            case_id: self.case_id.to_owned(),
            journey: self.journey.name.clone(),
            step: unit.name.clone(),
            component: unit.component_name().to_owned(),
            unit_type: unit.kind,
            exec_path: th.path.clone(),
            user_data: unit.user_data.clone(),
            variables: state.variables.clone(),
            // routes never see these (B26 kept)
            pend_at_same_step: is_task && state.pend_at_same_step,
            last_pend_workbasket: if is_task {
                state.last_pend_workbasket.clone()
            } else {
                String::new()
            },
            last_pend_step: if is_task {
                state.last_pend_step.clone()
            } else {
                String::new()
            },
        }
    }

    fn failure(&self, unit: &Unit, message: String, details: String) -> PendError {
        self.trace(Trace::ComponentFailed {
            step: &unit.name,
            component: unit.component_name(),
            message: &message,
        });
        PendError::new(0, message, details)
    }

    fn call_task(&self, ctx: &StepContext, unit: &Unit) -> TaskResponse {
        let error_basket = &self.engine.config.error_workbasket;
        match catch_unwind(AssertUnwindSafe(|| self.engine.components.task(ctx))) {
            Ok(Ok(response)) => response,
            Ok(Err(e)) => {
                TaskResponse::error_pend(error_basket, self.failure(unit, e.message, e.details))
            }
            Err(panic) => {
                let message = format!("component panicked: {}", panic_message(panic.as_ref()));
                TaskResponse::error_pend(error_basket, self.failure(unit, message, String::new()))
            }
        }
    }

    /// Calls a route component; answers a route cannot give (a pend, no branch, an unknown or
    /// repeated branch) become an error pend with the reason recorded (B6, B17 fixed).
    fn call_route(&self, ctx: &StepContext, unit: &Unit) -> RouteResponse {
        let error_basket = &self.engine.config.error_workbasket;
        let response = match catch_unwind(AssertUnwindSafe(|| self.engine.components.route(ctx))) {
            Ok(Ok(response)) => response,
            Ok(Err(e)) => {
                return RouteResponse::error_pend(
                    error_basket,
                    self.failure(unit, e.message, e.details),
                );
            }
            Err(panic) => {
                let message = format!("component panicked: {}", panic_message(panic.as_ref()));
                return RouteResponse::error_pend(
                    error_basket,
                    self.failure(unit, message, String::new()),
                );
            }
        };
        match route_problem(unit, &response) {
            None => response,
            Some(problem) => RouteResponse {
                variables: response.variables,
                ..RouteResponse::error_pend(
                    error_basket,
                    self.failure(unit, problem, String::new()),
                )
            },
        }
    }

    fn task(&self, th: &mut Thread, unit: &Unit) -> Result<Flow> {
        let component = unit.component_name();
        self.trace(Trace::ExecTask {
            step: &unit.name,
            component,
            path: &th.path,
        });
        let ctx = self.step_context(&self.lock(), th, unit);
        let response = self.call_task(&ctx, unit);
        let mut guard = self.lock();
        let sh = &mut *guard;
        sh.state.variables.merge(response.variables.iter().cloned());
        let urt = response.response;
        if matches!(urt, ResponseType::OkProceed | ResponseType::OkPend) {
            sh.state.pend_at_same_step = false;
        }
        match urt {
            ResponseType::OkPend | ResponseType::OkPendEor => {
                self.trace(Trace::PendTask {
                    step: &unit.name,
                    component,
                    path: &th.path,
                });
                sh.state.pend_path(
                    &th.path,
                    &unit.name,
                    urt,
                    &response.workbasket,
                    PendError::default(),
                );
                if !sh.state.ticket.is_empty() {
                    let ticket = sh.state.ticket.clone();
                    self.trace(Trace::TicketAbandon {
                        ticket: &ticket,
                        component,
                        path: &th.path,
                    });
                    return Ok(Flow::Stop(Stop::TicketExit));
                }
                if !response.ticket.is_empty() {
                    self.trace(Trace::Ticket {
                        ticket: &response.ticket,
                        component,
                        path: &th.path,
                    });
                    sh.state
                        .path_mut(&th.path)
                        .ticket
                        .clone_from(&response.ticket);
                    sh.state.raise_ticket(&response.ticket, urt);
                }
                sh.state.set_pend_exec_path(&th.path);
                Ok(Flow::Stop(Stop::Pended))
            }
            ResponseType::OkProceed => {
                let path = sh.state.path_mut(&th.path);
                path.step.clone_from(&unit.name);
                path.unit_response_type = Some(urt);
                path.pend_error = PendError::default();
                if !sh.state.ticket.is_empty() {
                    sh.state.path_mut(&th.path).status = PathStatus::Completed;
                    return Ok(Flow::Stop(Stop::TicketExit));
                }
                if response.ticket.is_empty() {
                    return Ok(Flow::Next(
                        unit.next.clone().unwrap_or_else(|| END.to_owned()),
                    ));
                }
                self.trace(Trace::Ticket {
                    ticket: &response.ticket,
                    component,
                    path: &th.path,
                });
                sh.state.raise_ticket(&response.ticket, urt);
                if th.is_root {
                    let ctx = self.event_context(sh, EventType::TicketRaised, &th.path);
                    self.notify(sh, &ctx);
                    return Ok(self.jump_to_ticket(sh, th));
                }
                // a branch leaves; the thread that started the parallel block acts on it
                self.trace(Trace::ChildExit { path: &th.path });
                let path = sh.state.path_mut(&th.path);
                path.status = PathStatus::Completed;
                path.ticket.clone_from(&response.ticket);
                Ok(Flow::Stop(Stop::TicketExit))
            }
            ResponseType::ErrorPend => {
                // a ticket with an error pend is ignored (B5 kept)
                self.trace(Trace::PendTask {
                    step: &unit.name,
                    component,
                    path: &th.path,
                });
                sh.state.pend_path(
                    &th.path,
                    &unit.name,
                    urt,
                    &response.workbasket,
                    response.error,
                );
                sh.state.set_pend_exec_path(&th.path);
                Ok(Flow::Stop(Stop::Pended))
            }
        }
    }

    /// Acts on the case's ticket from the root thread: every exec path is discarded (B24, B31
    /// fixed) and a fresh root path starts at the ticket's step. A ticket whose step the
    /// journey lacks error-pends the current path instead of crashing.
    fn jump_to_ticket(&self, sh: &mut Shared, th: &mut Thread) -> Flow {
        let ticket = sh.state.ticket.clone();
        let target = self
            .journey
            .ticket(&ticket)
            .map(|t| t.step.clone())
            .filter(|step| step == END || self.journey.unit(step).is_some());
        let Some(step) = target else {
            let message = Error::TicketNotFound {
                ticket,
                case: self.case_id.to_owned(),
            }
            .to_string();
            let current = sh.state.path_mut(&th.path).step.clone();
            let basket = self.engine.config.error_workbasket.clone();
            sh.state.clear_ticket();
            sh.state.pend_path(
                &th.path,
                &current,
                ResponseType::ErrorPend,
                &basket,
                PendError::new(0, message, ""),
            );
            sh.state.set_pend_exec_path(&th.path);
            return Flow::Stop(Stop::Pended);
        };
        if th.path != ROOT {
            self.trace(Trace::AssumeParent { path: &th.path });
        }
        discard_paths(sh);
        sh.state
            .paths
            .insert(ROOT.to_owned(), ExecPath::started(ROOT, step.clone()));
        sh.state.pend_exec_path.clear();
        sh.state.clear_ticket();
        th.path = ROOT.to_owned();
        Flow::Next(step)
    }

    fn singular_route(&self, th: &mut Thread, unit: &Unit) -> Result<Flow> {
        self.trace(Trace::ExecRoute {
            parallel: false,
            step: &unit.name,
            path: &th.path,
        });
        let ctx = self.step_context(&self.lock(), th, unit);
        let response = self.call_route(&ctx, unit);
        let mut sh = self.lock();
        sh.state.variables.merge(response.variables.iter().cloned());
        th.branches = Some(response.branches.clone());
        if response.response == ResponseType::ErrorPend {
            self.trace(Trace::PendRoute {
                parallel: false,
                step: &unit.name,
                component: unit.component_name(),
                path: &th.path,
            });
            sh.state.pend_path(
                &th.path,
                &unit.name,
                ResponseType::ErrorPend,
                &response.workbasket,
                response.error,
            );
            sh.state.set_pend_exec_path(&th.path);
            return Ok(Flow::Stop(Stop::Pended));
        }
        sh.state.pend_at_same_step = false;
        let next = unit
            .branch(&response.branches[0])
            .map(|b| b.next.clone())
            .expect("call_route checked the branch");
        let path = sh.state.path_mut(&th.path);
        if next == END {
            path.step.clone_from(&unit.name);
            path.unit_response_type = Some(ResponseType::OkProceed);
        } else {
            // recorded as "about to run the chosen branch" so that a crash re-runs that unit,
            // not the route (the branch taken is not part of the process info)
            path.step.clone_from(&next);
            path.unit_response_type = None;
        }
        Ok(Flow::Next(next))
    }

    fn parallel_route(&self, th: &mut Thread, unit: &Unit) -> Result<Flow> {
        let each_unit = self.engine.config.persist == PersistMode::EachUnit;
        self.trace(Trace::ExecRoute {
            parallel: true,
            step: &unit.name,
            path: &th.path,
        });
        let ctx = self.step_context(&self.lock(), th, unit);
        let response = self.call_route(&ctx, unit);
        let children = {
            let mut guard = self.lock();
            let sh = &mut *guard;
            sh.state.variables.merge(response.variables.iter().cloned());
            th.branches = Some(response.branches.clone());
            if response.response == ResponseType::ErrorPend {
                self.trace(Trace::PendRoute {
                    parallel: true,
                    step: &unit.name,
                    component: unit.component_name(),
                    path: &th.path,
                });
                sh.state.pend_path(
                    &th.path,
                    &unit.name,
                    ResponseType::ErrorPend,
                    &response.workbasket,
                    response.error,
                );
                sh.state.set_pend_exec_path(&th.path);
                self.write_state(sh, th, &unit.name, each_unit)?;
                th.suppress_audit = true;
                return Ok(Flow::Stop(Stop::Pended));
            }
            sh.state.pend_at_same_step = false;
            let path = sh.state.path_mut(&th.path);
            path.step.clone_from(&unit.name);
            path.unit_response_type = Some(ResponseType::OkProceed);
            // paths of an earlier run of this block are replaced, with their sub-branches
            let prefix = format!("{}{}.", th.path, unit.name);
            sh.state.paths.retain(|name, _| !name.starts_with(&prefix));
            let children: Vec<(String, String)> = response
                .branches
                .iter()
                .map(|b| {
                    let start = match unit.kind {
                        UnitKind::PRouteDynamic => unit.next.clone(),
                        _ => unit.branch(b).map(|br| br.next.clone()),
                    }
                    .expect("validated journey and checked branches");
                    (paths::child(&th.path, &unit.name, b), start)
                })
                .collect();
            for (name, start) in &children {
                sh.state
                    .paths
                    .insert(name.clone(), ExecPath::started(name.clone(), start.clone()));
            }
            self.write_state(sh, th, &unit.name, each_unit)?;
            th.suppress_audit = true;
            children
        };
        let stops = self.run_children(children)?;
        let mut guard = self.lock();
        let sh = &mut *guard;
        if sh.state.is_complete {
            return Ok(Flow::Stop(Stop::Completed));
        }
        if !sh.state.ticket.is_empty() {
            if th.is_root {
                return self.ticket_after_children(sh, th);
            }
            let path = sh.state.path_mut(&th.path);
            path.status = PathStatus::Completed;
            return Ok(Flow::Stop(Stop::TicketExit));
        }
        // continue after the join only if every branch reached it (B2, B33 fixed: the test is
        // scoped to this block's own branches and uses the join they reached)
        let join = match stops.first() {
            Some(Stop::Joined(join)) if stops.iter().all(|s| *s == Stop::Joined(join.clone())) => {
                Some(join.clone())
            }
            _ => None,
        };
        let path = sh.state.path_mut(&th.path);
        match join.and_then(|j| self.journey.unit(&j)) {
            Some(join) => {
                path.step.clone_from(&join.name);
                path.unit_response_type = Some(ResponseType::OkProceed);
                Ok(Flow::Next(
                    join.next.clone().unwrap_or_else(|| END.to_owned()),
                ))
            }
            None => {
                path.status = PathStatus::Completed;
                Ok(Flow::Stop(Stop::Waiting))
            }
        }
    }

    /// The root thread after a parallel block in which a branch raised a ticket.
    fn ticket_after_children(&self, sh: &mut Shared, th: &mut Thread) -> Result<Flow> {
        if sh.state.ticket_urt == ResponseType::OkProceed {
            // raised whether or not another branch pended (B4 fixed)
            let ctx = self.event_context(sh, EventType::TicketRaised, &th.path);
            self.notify(sh, &ctx);
            return Ok(self.jump_to_ticket(sh, th));
        }
        // the ticket came with a pend: the case pends on the root at the raising task, and
        // acts on the ticket when resumed
        let Some(raiser) = sh
            .state
            .paths
            .values()
            .find(|p| !p.ticket.is_empty())
            .cloned()
        else {
            return Err(Error::UnexpectedCondition {
                case: self.case_id.to_owned(),
                cause: format!("ticket {} has no exec path that raised it", sh.state.ticket),
            });
        };
        let root = ExecPath {
            name: ROOT.to_owned(),
            status: PathStatus::Completed,
            step: raiser.step,
            comp_name: String::new(),
            pend_workbasket: raiser.pend_workbasket,
            ticket: raiser.ticket,
            pend_error: PendError::default(),
            prev_pend_workbasket: raiser.prev_pend_workbasket,
            tbc_sla_workbasket: raiser.tbc_sla_workbasket,
            unit_response_type: Some(sh.state.ticket_urt),
        };
        discard_paths(sh);
        sh.state.paths.insert(ROOT.to_owned(), root);
        sh.state.pend_exec_path = ROOT.to_owned();
        th.path = ROOT.to_owned();
        Ok(Flow::Stop(Stop::Pended))
    }

    /// Runs the branches of a parallel block: each on its own scoped thread while permits
    /// last, the rest one after another on this thread. A thread waiting for its branches holds
    /// no permit they need, so nesting cannot deadlock (B9 fixed); `max_threads = 0` runs every
    /// branch here, in order.
    fn run_children(&self, children: Vec<(String, String)>) -> Result<Vec<Stop>> {
        let results: Vec<Result<Stop>> = std::thread::scope(|scope| {
            let mut spawned = Vec::new();
            let mut inline = Vec::new();
            for (path, start) in children {
                if self.take_permit() {
                    spawned.push(scope.spawn(move || {
                        let result =
                            self.guarded(|| self.run_thread(Thread::new(path, false), start));
                        self.permits.fetch_add(1, Ordering::SeqCst);
                        result
                    }));
                } else {
                    inline.push((path, start));
                }
            }
            let mut results: Vec<Result<Stop>> = inline
                .into_iter()
                .map(|(path, start)| {
                    self.guarded(|| self.run_thread(Thread::new(path, false), start))
                })
                .collect();
            for handle in spawned {
                // `guarded` catches panics, so joining cannot fail
                results.push(
                    handle
                        .join()
                        .unwrap_or_else(|panic| Err(self.internal(panic.as_ref()))),
                );
            }
            results
        });
        let mut stops = Vec::with_capacity(results.len());
        let mut first_error: Option<Error> = None;
        for result in results {
            match result {
                Ok(stop) => stops.push(stop),
                // the error that stopped the run beats the "aborted" of the other branches (B29)
                Err(e) => match &first_error {
                    None | Some(Error::Aborted { .. }) => first_error = Some(e),
                    Some(_) => {}
                },
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(stops),
        }
    }

    fn take_permit(&self) -> bool {
        self.permits
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
    }

    fn guarded(&self, f: impl FnOnce() -> Result<Stop>) -> Result<Stop> {
        catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| Err(self.internal(panic.as_ref())))
    }

    fn internal(&self, panic: &(dyn Any + Send)) -> Error {
        self.aborted.store(true, Ordering::SeqCst);
        Error::Internal {
            case: self.case_id.to_owned(),
            message: panic_message(panic),
        }
    }

    fn join(&self, th: &mut Thread, unit: &Unit) -> Flow {
        self.trace(Trace::Join { path: &th.path });
        let mut guard = self.lock();
        let state = &mut guard.state;
        state.stop_path(&th.path, &unit.name, ResponseType::OkProceed);
        let parent = paths::parent(&th.path).to_owned();
        let Some(block) = paths::block_prefix(&th.path) else {
            // a join on the root path closes nothing (the validator rules this out)
            return Flow::Stop(Stop::Joined(unit.name.clone()));
        };
        let depth = paths::depth(&th.path);
        // siblings = the other branches of this block (B1, B2 fixed: self and cousins excluded)
        let mut all_finished = true;
        let mut pended: Option<String> = None;
        for sibling in state.paths.values().filter(|p| {
            p.name != th.path && p.name.starts_with(block) && paths::depth(&p.name) == depth
        }) {
            let finished = sibling.status == PathStatus::Completed
                && sibling.step == unit.name
                && sibling.pend_workbasket.is_empty();
            if finished {
                continue;
            }
            all_finished = false;
            if pended.is_none() {
                pended = deepest_pended(state, &sibling.name);
            }
        }
        if let Some(pended) = pended {
            state.set_pend_exec_path(&pended);
            return Flow::Stop(Stop::Joined(unit.name.clone()));
        }
        let parent_gone = state
            .paths
            .get(&parent)
            .is_some_and(|p| p.status == PathStatus::Completed);
        if all_finished && parent_gone {
            // a resumed branch is the last to join: it carries on as its parent
            let p = state.path_mut(&parent);
            p.status = PathStatus::Started;
            p.step.clone_from(&unit.name);
            p.unit_response_type = Some(ResponseType::OkProceed);
            p.pend_workbasket.clear();
            p.pend_error = PendError::default();
            th.path = parent;
            return Flow::Next(unit.next.clone().unwrap_or_else(|| END.to_owned()));
        }
        Flow::Stop(Stop::Joined(unit.name.clone()))
    }

    fn pause(&self, th: &Thread, unit: &Unit) -> Flow {
        self.trace(Trace::ExecPause {
            step: &unit.name,
            path: &th.path,
        });
        let mut sh = self.lock();
        sh.state.pend_path(
            &th.path,
            &unit.name,
            ResponseType::OkPend,
            PAUSE_WORKBASKET,
            PendError::default(),
        );
        sh.state.set_pend_exec_path(&th.path);
        Flow::Stop(Stop::Pended)
    }

    fn persist(&self, th: &Thread, unit: &Unit) -> Flow {
        self.trace(Trace::ExecPersist {
            step: &unit.name,
            path: &th.path,
        });
        let mut guard = self.lock();
        let sh = &mut *guard;
        sh.state.pend_at_same_step = false;
        let ctx = self.event_context(sh, EventType::Persist, &th.path);
        if let Err(message) = self.raise(&ctx) {
            // B7 fixed: a failing ON_PERSIST handler pends the unit properly
            self.trace(Trace::PendPersist {
                step: &unit.name,
                path: &th.path,
            });
            let basket = self.engine.config.error_workbasket.clone();
            sh.state.pend_path(
                &th.path,
                &unit.name,
                ResponseType::ErrorPend,
                &basket,
                PendError::new(0, message, ""),
            );
            sh.state.set_pend_exec_path(&th.path);
            return Flow::Stop(Stop::Pended);
        }
        let path = sh.state.path_mut(&th.path);
        path.step.clone_from(&unit.name);
        path.unit_response_type = Some(ResponseType::OkProceed);
        Flow::Next(unit.next.clone().unwrap_or_else(|| END.to_owned()))
    }
}

/// Discards every exec path (acting on a ticket), remembering that the path a resume left is
/// gone.
fn discard_paths(sh: &mut Shared) {
    sh.state.paths.clear();
    if let Some(leaving) = &mut sh.leaving {
        leaving.discarded = true;
    }
}

/// The deepest pended path in the subtree of `root` (first in name order among equals).
fn deepest_pended(state: &CaseState, root: &str) -> Option<String> {
    state
        .paths
        .values()
        .filter(|p| paths::in_subtree(&p.name, root) && !p.pend_workbasket.is_empty())
        .max_by(|a, b| {
            paths::depth(&a.name)
                .cmp(&paths::depth(&b.name))
                .then_with(|| b.name.cmp(&a.name))
        })
        .map(|p| p.name.clone())
}

/// Why a route's answer cannot be followed, if it cannot.
fn route_problem(unit: &Unit, response: &RouteResponse) -> Option<String> {
    let name = &unit.name;
    match response.response {
        ResponseType::ErrorPend => return None,
        ResponseType::OkPend | ResponseType::OkPendEor => {
            return Some(format!(
                "route {name} answered {}: a route can only proceed or error-pend",
                response.response
            ));
        }
        ResponseType::OkProceed => {}
    }
    if response.branches.is_empty() {
        return Some(format!("route {name} returned no branch"));
    }
    let checked: &[String] = if unit.kind == UnitKind::SRoute {
        &response.branches[..1]
    } else {
        &response.branches
    };
    let mut seen = std::collections::HashSet::new();
    for branch in checked {
        if unit.kind != UnitKind::PRouteDynamic && unit.branch(branch).is_none() {
            return Some(format!("route {name} returned unknown branch \"{branch}\""));
        }
        if unit.kind == UnitKind::PRouteDynamic && (branch.is_empty() || branch.contains('.')) {
            return Some(format!(
                "route {name} returned branch name \"{branch}\" (empty names and \".\" are not allowed)"
            ));
        }
        if !seen.insert(branch) {
            return Some(format!("route {name} returned branch \"{branch}\" twice"));
        }
    }
    None
}

fn panic_message(panic: &(dyn Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}
