//! One engine call on one case: the execution loop on the root thread and on the branch threads of
//! parallel routes (scoped threads bounded by `max_threads`), the units, tickets, joins, events and
//! the persistence points. The state lives behind one mutex; components run outside it.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::hooks::Trace;
use super::paths::ROOT;
use super::sla::{PendBaskets, SlaBook};
use super::state::CaseState;
use super::{Engine, Error, Outcome, PersistMode};
use crate::model::{END, Journey, NewAuditRecord, PathStatus, ResponseType, UnitKind};
use crate::store::{MilestoneChange, PersistPoint, UnitAttempt};

mod events;
mod units;

type Result<T> = std::result::Result<T, Error>;

/// The state shared by the threads of a run.
pub(crate) struct Shared {
    pub state: CaseState,
    /// SLA changes not yet saved.
    pub changes: Vec<MilestoneChange>,
    /// Hook failures that did not stop the run.
    pub warnings: Vec<String>,
    /// The path a resume started from, for the SLA bookkeeping of the next pend.
    pub leaving: Option<Leaving>,
    /// Audit records waiting for the next process-info write (`PersistMode::OnStop` only).
    pub pending_audit: Vec<NewAuditRecord>,
    /// The case's last audit sequence as of the last save: the next unit's record is
    /// `audit_seq + pending_audit.len() + 1`, which its idempotency key names.
    pub audit_seq: u64,
    /// The unit an interrupted run left, which this call runs again, with its attempt.
    pub rerun: Option<UnitAttempt>,
}

impl Shared {
    /// Where the visits of a path created now start: above the case's last audit sequence
    /// (each earlier unit wrote one record) and above every visit of a path it holds, so a
    /// path re-created under an old name (a block run again, a ticket) never repeats a key.
    pub fn visit_base(&self) -> u64 {
        let written = self.audit_seq + self.pending_audit.len() as u64;
        let counted = self.state.paths.values().map(|p| p.visit).max();
        written.max(counted.unwrap_or(0))
    }
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

/// A unit's flow with the lock it changed the state under, still held: the caller saves that
/// change (with the unit's audit record) before another branch can save, so no stored state
/// shows a unit done whose audit record a crash could still lose.
type Held<'a> = (Flow, MutexGuard<'a, Shared>);

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

/// The idempotency key of a unit execution: the case, the exec path, the step and the path's
/// visit ([`crate::model::ExecPath::visit`]). Only the path's own thread counts its visits,
/// so the key does not depend on what parallel branches wrote meanwhile: a re-run after an
/// interruption repeats it, any other visit differs. Each part has its `%` and `:`
/// percent-encoded, so no two (case, path, step) triples share a key however their names use
/// the separator.
pub(crate) fn idempotency_key(case_id: &str, path: &str, step: &str, visit: u64) -> String {
    let part = |text: &str| text.replace('%', "%25").replace(':', "%3A");
    format!("{}:{}:{}:{visit}", part(case_id), part(path), part(step))
}

/// The step an idempotency key names when the key is current, that is when it names the
/// next visit of its path in `state` (a key goes stale once its path saves the unit).
pub(crate) fn unit_of_current_key(key: &str, state: &CaseState) -> Option<String> {
    let mut parts = key.rsplitn(4, ':');
    let visit: u64 = parts.next()?.parse().ok()?;
    let step = parts.next()?;
    let path = parts.next()?;
    let decode = |text: &str| text.replace("%3A", ":").replace("%25", "%");
    let current = state.paths.get(&decode(path))?.visit.checked_add(1)? == visit;
    current.then(|| decode(step))
}

impl<'r> Run<'r> {
    /// The time on the engine's clock.
    pub fn now_ms(&self) -> i64 {
        self.engine.clock.now_ms()
    }

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
                pending_audit: Vec::new(),
                audit_seq: 0,
                rerun: None,
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

    /// Saves a persistence point: the process info, this thread's audit record for `unit`
    /// (unless a route already wrote it) and pending SLA changes, as one store call. Without
    /// `write_info` (`PersistMode::OnStop` between stops) the audit record waits for the next
    /// process-info write, so that mode costs the store one call per stop.
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
        if !write_info && !audit {
            return Ok(());
        }
        let ts = self.now_ms();
        let info = write_info.then(|| sh.state.to_process_info(self.journey, ts, None, None));
        if audit {
            let document = match &info {
                Some(info) => crate::model::ProcessInfo {
                    branches,
                    ..info.clone()
                },
                None => sh
                    .state
                    .to_process_info(self.journey, ts, Some(unit), branches),
            };
            sh.pending_audit.push(NewAuditRecord {
                unit: unit.to_owned(),
                document,
            });
        }
        if info.is_none() {
            // only stops write in this mode: the record goes with the next one, in order
            return Ok(());
        }
        let records = std::mem::take(&mut sh.pending_audit);
        let changes = std::mem::take(&mut sh.changes);
        self.save(
            sh,
            &PersistPoint {
                process_info: info.as_ref(),
                audit: &records,
                milestones: &changes,
            },
        )
    }

    /// Saves the state without an audit record (start, reopen).
    pub fn write_info(&self, sh: &mut Shared) -> Result<()> {
        let info = sh
            .state
            .to_process_info(self.journey, self.now_ms(), None, None);
        let records = std::mem::take(&mut sh.pending_audit);
        let changes = std::mem::take(&mut sh.changes);
        self.save(
            sh,
            &PersistPoint {
                process_info: Some(&info),
                audit: &records,
                milestones: &changes,
            },
        )
    }

    /// Saves the state with an audit record named `unit` (work-basket changes, variables).
    pub fn write_with_audit(&self, sh: &mut Shared, unit: &str) -> Result<()> {
        let mut th = Thread::new(ROOT.to_owned(), true);
        self.write_state(sh, &mut th, unit, true)
    }

    fn save(&self, sh: &mut Shared, point: &PersistPoint<'_>) -> Result<()> {
        match self.engine.store.save_point(self.case_id, point) {
            Ok(saved) => {
                if let Some(&last) = saved.audit_seqs.last() {
                    sh.audit_seq = last;
                }
                Ok(())
            }
            Err(e) => {
                self.aborted.store(true, Ordering::SeqCst);
                Err(e.into())
            }
        }
    }

    /// Runs the root thread from `path` at `step` to the case's next stop.
    pub fn run_root(&self, path: String, step: String) -> Result<Stop> {
        self.run_thread(Thread::new(path, true), step)
    }

    fn run_thread(&self, mut th: Thread, start: String) -> Result<Stop> {
        let each_unit = self.engine.config.persist == PersistMode::EachUnit;
        let mut name = start;
        let mut last_unit = name.clone();
        let (stop, mut sh) = loop {
            if self.aborted.load(Ordering::SeqCst) {
                return Err(Error::Aborted {
                    case: self.case_id.to_owned(),
                });
            }
            if name == END {
                // resumed after a unit whose next is `end`
                let mut sh = self.lock();
                self.complete(&mut sh, &th);
                break (Stop::Completed, sh);
            }
            if self.units.load(Ordering::Relaxed) >= self.engine.config.max_units_per_call {
                let mut sh = self.lock();
                self.stop_runaway(&mut sh, &th, &name);
                break (Stop::Pended, sh);
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
            let (flow, mut sh) = match unit.kind {
                UnitKind::Task => self.task(&mut th, unit)?,
                UnitKind::SRoute => self.singular_route(&mut th, unit)?,
                UnitKind::PRoute | UnitKind::PRouteDynamic => self.parallel_route(&mut th, unit)?,
                UnitKind::PJoin => self.join(&mut th, unit),
                UnitKind::Pause => self.pause(&th, unit),
                UnitKind::Persist => self.persist(&th, unit),
            };
            match flow {
                Flow::Stop(stop) => break (stop, sh),
                Flow::Next(next) if next == END => {
                    self.complete(&mut sh, &th);
                    break (Stop::Completed, sh);
                }
                Flow::Next(next) => {
                    // a persist unit is a checkpoint even when only stops are persisted
                    let write_info = each_unit || unit.kind == UnitKind::Persist;
                    self.write_state(&mut sh, &mut th, &unit.name, write_info)?;
                    name = next;
                }
            }
        };
        if th.is_root {
            self.finish_root(&mut sh, &th, &stop)?;
        }
        self.write_state(&mut sh, &mut th, &last_unit, true)?;
        Ok(stop)
    }

    /// The call ran `max_units_per_call` units: the path pends in the error basket before
    /// `step`, which a resume runs.
    fn stop_runaway(&self, sh: &mut Shared, th: &Thread, step: &str) {
        let limit = self.engine.config.max_units_per_call;
        let message = format!(
            "stopped after {limit} units in one call ([engine] max_units_per_run): the journey may loop without end"
        );
        let basket = self.engine.config.error_workbasket.clone();
        sh.state.pend_path(
            &th.path,
            step,
            ResponseType::ErrorPend,
            &basket,
            crate::model::PendError::new(0, message, ""),
        );
        sh.state.set_pend_exec_path(&th.path);
    }

    /// The path reached `end`: the case is complete.
    fn complete(&self, sh: &mut Shared, th: &Thread) {
        let path = sh.state.path_mut(&th.path);
        path.status = PathStatus::Completed;
        path.unit_response_type = Some(ResponseType::OkProceed);
        sh.state.pend_exec_path.clear();
        sh.state.is_complete = true;
    }

    /// Runs the branches of a parallel block: each on its own scoped thread while permits
    /// last, the rest one after another on this thread. A thread waiting for its branches holds
    /// no permit they need, so nesting cannot deadlock; `max_threads = 0` runs every
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
                // the error that stopped the run beats the "aborted" of the other branches
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
}

fn panic_message(panic: &(dyn Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}

#[cfg(test)]
mod key_tests {
    use super::idempotency_key;

    #[test]
    fn names_holding_the_separator_never_share_a_key() {
        assert_eq!(idempotency_key("order-7", ".", "pay", 3), "order-7:.:pay:3");
        assert_ne!(
            idempotency_key("B:.:pay", ".", "pay", 2),
            idempotency_key("B", ".", "pay:.:pay", 2)
        );
        assert_ne!(
            idempotency_key("a%3Ab", ".", "s", 1),
            idempotency_key("a:b", ".", "s", 1)
        );
    }
}
