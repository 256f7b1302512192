//! bulk: one engine action (resume, change work basket) on every case pended in a work basket,
//! or a resume of every interrupted case (running, lock free, not written for a while), by any
//! number of workers on any number of hosts at once, with no case done twice.
//!
//! How a case is kept from being done twice:
//! 1. Work comes from a [`CaseSource`]: on PostgreSQL, batches claimed `FOR NO KEY UPDATE SKIP
//!    LOCKED` ([`PgClaims`]), so concurrent workers get different cases; elsewhere, pages of
//!    the listing.
//! 2. A worker only takes cases last written before it started, so a case it resumed that
//!    pends in the same basket again is not resumed a second time by the same run.
//! 3. The engine takes the case lock without waiting ([`LockWait::Try`]), or up to `--wait`;
//!    a case still locked by another process is [`CaseResult::Held`]: not done, and the run
//!    says so (workers of one run never meet on a case lock: they claim their cases first).
//! 4. Under the lock, [`Guarded`] compares the case with what was listed (status, basket,
//!    exec path, step, time of the last write); a case changed in between (another worker got
//!    there first) is skipped, not done again. A cancelled case is skipped as cancelled, and
//!    a case the action cannot take is refused by [`refusal`], the one decision the dry run
//!    and the real run share.

pub mod select;

use std::sync::{Mutex, PoisonError};

use serde::Serialize;

use crate::engine::{self, Engine, Outcome};
use crate::model::Variable;
use crate::store::Cancellation;
use crate::store::pg::PgClaims;
use crate::store::{
    self, CaseFilter, CaseLock, CaseQuery, CaseStatus, CaseSummary, Listing, LockWait, Store,
    Unreadable,
};

/// What to do with each case.
#[derive(Debug, Clone)]
pub enum Action {
    /// Resume with these variables.
    Resume(Vec<Variable>),
    /// Move to this work basket.
    ChangeWorkbasket(String),
    /// Add or replace these variables without running the case.
    SetVariables(Vec<Variable>),
    /// Reopen a completed case at a ticket's step.
    Reopen {
        /// The ticket.
        ticket: String,
        /// Pend in this basket instead of running at once.
        pend_workbasket: Option<String>,
        /// Variables to add or replace.
        variables: Vec<Variable>,
    },
    /// Cancel the case.
    Cancel {
        /// Why.
        reason: String,
        /// Who.
        by: String,
    },
}

impl Action {
    /// Refuses arguments no case could take, before any case is touched (a dry run says the
    /// same as the real run).
    pub fn check(&self) -> Result<(), String> {
        match self {
            Self::Resume(vars) => Variable::check_all_storable(vars),
            Self::ChangeWorkbasket(to) => basket_problem(to),
            Self::SetVariables(vars) => Variable::check_all_storable(vars),
            Self::Reopen {
                ticket,
                pend_workbasket,
                variables,
            } => {
                if ticket.trim().is_empty() {
                    return Err("--ticket is empty".to_owned());
                }
                pend_workbasket.as_deref().map_or(Ok(()), basket_problem)?;
                Variable::check_all_storable(variables)
            }
            Self::Cancel { reason, .. } if reason.trim().is_empty() => {
                Err("--reason is empty: say why the cases are cancelled".to_owned())
            }
            Self::Cancel { .. } => Ok(()),
        }
    }

    /// The action with all its arguments, as text: what names a run (with its selection)
    /// so that a re-run of the same command joins it. Who cancels is not part of it.
    pub fn describe(&self) -> String {
        match self {
            Self::Cancel { reason, .. } => format!("cancel {reason:?}"),
            other => format!("{other:?}"),
        }
    }

    /// Runs the action on one case.
    fn act(&self, engine: &Engine<'_>, case_id: &str) -> CaseResult {
        let outcome = match self {
            Self::Resume(vars) => engine.resume(case_id, vars.clone()),
            Self::ChangeWorkbasket(to) => engine.change_workbasket(case_id, to),
            Self::SetVariables(vars) => engine.set_variables(case_id, vars.clone()),
            Self::Reopen {
                ticket,
                pend_workbasket,
                variables,
            } => engine.reopen(
                case_id,
                ticket,
                pend_workbasket.as_deref(),
                variables.clone(),
            ),
            Self::Cancel { reason, by } => {
                return match engine.cancel(case_id, reason, by) {
                    Ok(cancel) => CaseResult::Cancelled {
                        reason: cancel.reason,
                    },
                    // done before (by this run, or by someone else): not done twice
                    Err(engine::Error::Cancelled { by, reason, .. }) => CaseResult::Skipped {
                        reason: format!("already cancelled by {by}: {reason}"),
                    },
                    Err(e) => classify(Err(e)),
                };
            }
        };
        classify(outcome)
    }
}

fn basket_problem(to: &str) -> Result<(), String> {
    match crate::model::workbasket_problem(to) {
        Some(why) => Err(format!("work basket {to:?} {why}")),
        None => Ok(()),
    }
}

/// Where a worker gets its cases from.
pub trait CaseSource {
    /// The next cases to work on; empty when there are no more.
    fn next_batch(&mut self) -> store::Result<Vec<CaseSummary>>;

    /// Cases the last batch could not read (each one a failure of the run, not its end).
    fn take_unreadable(&mut self) -> Vec<Unreadable> {
        Vec::new()
    }

    /// How many cases it passed over because another worker of the run had claimed them: a
    /// worker that passed over some has not seen the end of the run (they may be left).
    fn passed_over(&self) -> usize {
        0
    }
}

impl CaseSource for PgClaims {
    fn next_batch(&mut self) -> store::Result<Vec<CaseSummary>> {
        PgClaims::next_batch(self)
    }
}

/// Pages of a store's listing, `batch` cases at a time (`None`: everything in one page).
pub struct Paged<'a> {
    store: &'a dyn Store,
    query: CaseQuery,
    done: bool,
    unreadable: Vec<Unreadable>,
}

impl<'a> Paged<'a> {
    /// Pages of `query` (its `limit` is the page size).
    pub fn new(store: &'a dyn Store, query: CaseQuery) -> Self {
        Self {
            store,
            query,
            done: false,
            unreadable: Vec::new(),
        }
    }
}

impl CaseSource for Paged<'_> {
    fn next_batch(&mut self) -> store::Result<Vec<CaseSummary>> {
        if self.done {
            return Ok(Vec::new());
        }
        let Listing {
            cases: page,
            unreadable,
        } = self.store.list_cases_lenient(&self.query)?;
        self.unreadable.extend(unreadable);
        match (page.last(), self.query.limit) {
            (Some(last), Some(n)) if page.len() >= n => {
                self.query.after = Some(last.case_id.clone());
            }
            _ => self.done = true,
        }
        Ok(page)
    }

    fn take_unreadable(&mut self) -> Vec<Unreadable> {
        std::mem::take(&mut self.unreadable)
    }
}

/// The query a bulk worker started at `started_ms` works through.
pub fn worker_query(workbasket: &str, journey: Option<&str>, started_ms: i64) -> CaseQuery {
    CaseQuery {
        filter: CaseFilter {
            status: Some(CaseStatus::Pended),
            work_basket: Some(workbasket.to_owned()),
            journey_name: journey.map(str::to_owned),
            updated_before: Some(started_ms.saturating_add(1)),
            ..CaseFilter::default()
        },
        ..CaseQuery::default()
    }
}

/// The query a recovery worker (`case resume --all --stuck-for`) works through: cases left
/// `running` and last written before `stuck_before_ms`. Whether a process still runs one is
/// the case lock's to say: the engine takes it without waiting, so a live run is skipped.
pub fn stuck_query(filter: CaseFilter, stuck_before_ms: i64) -> CaseQuery {
    CaseQuery {
        filter: CaseFilter {
            status: None,
            left_mid_run: true,
            work_basket: None,
            updated_before: Some(stuck_before_ms),
            ..filter
        },
        incomplete_only: true,
        ..CaseQuery::default()
    }
}

/// What happened to one case.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum CaseResult {
    /// The action ran; where the case stands now.
    Done {
        /// The engine's outcome.
        outcome: Box<Outcome>,
    },
    /// The case was cancelled.
    Cancelled {
        /// Why.
        reason: String,
    },
    /// `--dry-run`: the action would run.
    WouldRun,
    /// Another process held the case lock (past `--wait`, if given): not done.
    Held,
    /// The case changed since it was listed, or was cancelled.
    Skipped {
        /// Why.
        reason: String,
    },
    /// The action failed.
    Failed {
        /// The error.
        error: String,
        /// The failure is wfctl's configuration (a component with no mapping), not the
        /// case's: the run exits as a configuration error.
        #[serde(skip)]
        config: bool,
    },
}

/// One case of a bulk run.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// Case id.
    pub case_id: String,
    /// Its step when listed.
    pub step: String,
    /// What happened.
    #[serde(flatten)]
    pub result: CaseResult,
}

/// Everything a worker did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Cases in the order they were taken.
    pub items: Vec<Item>,
}

impl Report {
    fn count(&self, f: impl Fn(&CaseResult) -> bool) -> usize {
        self.items.iter().filter(|i| f(&i.result)).count()
    }

    /// Cases the action ran on.
    pub fn done(&self) -> usize {
        self.count(|r| matches!(r, CaseResult::Done { .. } | CaseResult::Cancelled { .. }))
    }

    /// Cases skipped (held ones included).
    pub fn skipped(&self) -> usize {
        self.count(|r| matches!(r, CaseResult::Skipped { .. } | CaseResult::Held))
    }

    /// Cases another process held: not done.
    pub fn held(&self) -> usize {
        self.count(|r| matches!(r, CaseResult::Held))
    }

    /// Cases that failed.
    pub fn failed(&self) -> usize {
        self.count(|r| matches!(r, CaseResult::Failed { .. }))
    }

    /// Cases a dry run would have done.
    pub fn would_run(&self) -> usize {
        self.count(|r| matches!(r, CaseResult::WouldRun))
    }
}

/// Told about each case as it finishes (the CLI draws its progress bar with it).
pub trait Observer {
    /// A case is finished.
    fn case_finished(&self, item: &Item);
}

/// Bulk options.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Work on at most this many cases (skipped ones do not count).
    pub limit: Option<usize>,
    /// Only list what would be done.
    pub dry_run: bool,
}

/// A run stopped by its case source (the database went away): what it did, and the cases it
/// had claimed and not finished (failed, or not reached), which it leaves to the next run.
#[derive(Debug)]
pub struct Interrupted {
    /// Why the source failed.
    pub error: store::Error,
    /// The cases handled before.
    pub report: Report,
    /// Claimed and not finished, in claim order.
    pub unfinished: Vec<String>,
}

/// Runs `action` on the cases `source` gives. `engine` must run over `guarded` (so that the
/// listed state is checked under the case lock) and use [`LockWait::Try`]. Stops early only
/// when the source fails.
pub fn run(
    engine: &Engine<'_>,
    guarded: &Guarded<'_>,
    source: &mut dyn CaseSource,
    action: &Action,
    options: Options,
    observer: &dyn Observer,
) -> Result<Report, Box<Interrupted>> {
    let mut report = Report::default();
    let mut taken = 0;
    // the current batch's cases not finished yet: what a failing source leaves behind
    let mut unfinished: Vec<String> = Vec::new();
    'batches: loop {
        let batch = match source.next_batch() {
            Ok(batch) => batch,
            Err(error) => {
                return Err(Box::new(Interrupted {
                    error,
                    report,
                    unfinished,
                }));
            }
        };
        unfinished = batch.iter().map(|c| c.case_id.clone()).collect();
        for unreadable in source.take_unreadable() {
            let item = Item {
                case_id: unreadable.case_id,
                step: String::new(),
                result: CaseResult::Failed {
                    error: unreadable.reason,
                    config: false,
                },
            };
            observer.case_finished(&item);
            report.items.push(item);
        }
        if batch.is_empty() {
            break;
        }
        for case in batch {
            if options.limit.is_some_and(|n| taken >= n) {
                // the rest of the batch was never started: released, not left
                break 'batches;
            }
            let result = if options.dry_run {
                probe(engine, guarded, &case, action)
            } else {
                guarded.require_unchanged(&case, action);
                let result = action.act(engine, &case.case_id);
                guarded.take_refusal().unwrap_or(result)
            };
            if !matches!(result, CaseResult::Skipped { .. } | CaseResult::Held) {
                taken += 1;
            }
            if !matches!(result, CaseResult::Failed { .. }) {
                unfinished.retain(|id| *id != case.case_id);
            }
            let item = Item {
                case_id: case.case_id,
                step: case.step,
                result,
            };
            observer.case_finished(&item);
            report.items.push(item);
        }
    }
    Ok(report)
}

/// Why a case whose lock another process holds is not done.
pub const HELD: &str = "held by a live worker (locked by another process)";

/// `--dry-run`: what the real run would do with `case`, tested the same way (the case
/// compared with what was listed and judged by [`refusal`]), without running it. A dry run
/// never makes anyone else find a case busy: where the store can tell whether another process
/// holds the lock without taking it, the lock is only looked at and the case read unlocked;
/// elsewhere it is taken as the engine takes it and released at once. What the real run reads
/// before its first unit is read here too, so a record it would fail on (a corrupt attempt
/// record) fails here, named the same way.
fn probe(
    engine: &Engine<'_>,
    guarded: &Guarded<'_>,
    case: &CaseSummary,
    action: &Action,
) -> CaseResult {
    let id = &case.case_id;
    guarded.require_unchanged(case, action);
    let looked = match store::CaseStore::lock_held(guarded, id) {
        Ok(Some(true)) => Err(store::Error::Locked { case: id.clone() }),
        Ok(Some(false)) => guarded.check(id).map(|()| None),
        Ok(None) => store::CaseStore::lock_case(guarded, id, engine.config().lock_wait).map(Some),
        Err(e) => Err(e),
    };
    if let Some(result) = guarded.take_refusal() {
        return result;
    }
    match looked {
        Ok(_released_here) => match store::CaseStore::unit_attempt(guarded, id) {
            Err(e) => classify(Err(e.into())),
            Ok(_) => CaseResult::WouldRun,
        },
        Err(e) => classify(Err(e.into())),
    }
}

/// Whether `action` can take a case as it is now (read under its lock): `None` when it can,
/// else what the run reports. The one decision of the real run and the dry run; a cancelled
/// case is skipped, named as cancelled, and a case in the wrong state fails with the engine's
/// own message.
pub fn refusal(
    action: &Action,
    now: &CaseSummary,
    cancellation: Option<&Cancellation>,
) -> Option<CaseResult> {
    let case = || now.case_id.clone();
    if let Some(c) = cancellation {
        let at = chrono::DateTime::from_timestamp_millis(c.at)
            .map_or_else(|| c.at.to_string(), crate::conventions::time_text);
        let already = if matches!(action, Action::Cancel { .. }) {
            "already "
        } else {
            ""
        };
        return Some(CaseResult::Skipped {
            reason: format!("{already}cancelled by {} at {at}: {}", c.by, c.reason),
        });
    }
    let completed = now.status == CaseStatus::Completed;
    let error = match action {
        Action::Resume(_) if completed => engine::Error::Completed { case: case() },
        Action::ChangeWorkbasket(_) if completed => {
            engine::Error::CompletedWorkbasketChange { case: case() }
        }
        Action::Reopen { .. } if !completed => engine::Error::NotCompleted { case: case() },
        Action::Cancel { .. } if completed => engine::Error::NotCancellable {
            case: case(),
            why: "it has completed".to_owned(),
        },
        Action::Cancel { .. } if now.status == CaseStatus::NotStarted => {
            engine::Error::NotCancellable {
                case: case(),
                why: "it has not started".to_owned(),
            }
        }
        _ => return None,
    };
    Some(CaseResult::Failed {
        error: error.to_string(),
        config: false,
    })
}

fn classify(outcome: Result<Outcome, engine::Error>) -> CaseResult {
    match outcome {
        Ok(outcome) => CaseResult::Done {
            outcome: Box::new(outcome),
        },
        Err(engine::Error::Store(store::Error::Locked { .. })) => CaseResult::Held,
        Err(engine::Error::Store(store::Error::Conflict { reason, .. })) => {
            CaseResult::Skipped { reason }
        }
        Err(e) => CaseResult::Failed {
            config: matches!(e, engine::Error::UnmappedComponents { .. }),
            error: e.to_string(),
        },
    }
}

/// A store that, when the engine locks a case, checks that the case is still as listed and
/// that the action can take it ([`refusal`]).
pub struct Guarded<'a> {
    inner: &'a dyn Store,
    expected: Mutex<Option<(CaseSummary, Action)>>,
    refused: Mutex<Option<CaseResult>>,
}

impl<'a> Guarded<'a> {
    /// Wraps a store.
    pub fn new(inner: &'a dyn Store) -> Self {
        Self {
            inner,
            expected: Mutex::new(None),
            refused: Mutex::new(None),
        }
    }

    /// The next lock of `case` fails unless the case is still as listed and `action` can
    /// take it.
    fn require_unchanged(&self, case: &CaseSummary, action: &Action) {
        *self.expected.lock().unwrap_or_else(PoisonError::into_inner) =
            Some((case.clone(), action.clone()));
        *self.refused.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// Ends the check of the current case; what the check decided instead of the action, if
    /// it refused the case.
    fn take_refusal(&self) -> Option<CaseResult> {
        *self.expected.lock().unwrap_or_else(PoisonError::into_inner) = None;
        self.refused
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    fn check(&self, case_id: &str) -> store::Result<()> {
        let expected = self
            .expected
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let Some((expected, action)) = expected.filter(|(e, _)| e.case_id == case_id) else {
            return Ok(());
        };
        let info = self.inner.process_info(case_id)?;
        let cancellation = self.inner.cancellation(case_id)?;
        let now = CaseSummary::new(case_id, &expected.journey_name, info.as_ref())
            .cancelled_if(cancellation.is_some());
        // cancelled wins over changed: that is why it changed, and what the operator must read
        if cancellation.is_some() {
            return self.refuse(&action, &now, cancellation.as_ref());
        }
        let same = now.status == expected.status
            && now.pend_workbasket == expected.pend_workbasket
            && now.pend_exec_path == expected.pend_exec_path
            && now.step == expected.step
            // a case without process info has had no write since (its time is its journey's)
            && (now.updated_at == expected.updated_at || now.status == CaseStatus::NotStarted);
        if same {
            self.refuse(&action, &now, None)
        } else {
            Err(store::Error::Conflict {
                what: format!("case {case_id}"),
                reason: "changed since it was listed (another worker took it)".to_owned(),
            })
        }
    }
}

impl Guarded<'_> {
    /// Records [`refusal`]'s verdict, if any, and stops the engine's call with it.
    fn refuse(
        &self,
        action: &Action,
        now: &CaseSummary,
        cancellation: Option<&Cancellation>,
    ) -> store::Result<()> {
        let Some(result) = refusal(action, now, cancellation) else {
            return Ok(());
        };
        *self.refused.lock().unwrap_or_else(PoisonError::into_inner) = Some(result);
        Err(store::Error::Conflict {
            what: format!("case {}", now.case_id),
            reason: "refused before the action ran".to_owned(),
        })
    }

    fn lock_checked(&self, case_id: &str, wait: LockWait) -> store::Result<Box<dyn CaseLock>> {
        let lock = self.inner.lock_case(case_id, wait)?;
        // checked while holding the lock: nobody can change the case between check and run
        self.check(case_id)?;
        Ok(lock)
    }
}

store::case_store_over_inner!(Guarded<'_>, lock_case = lock_checked);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{
        ComponentError, Components, EngineConfig, RouteResponse, StepContext, TaskResponse,
    };
    use crate::model::JourneyRecord;
    use crate::store::MemoryStore;

    struct Manual;
    impl Components for Manual {
        fn task(&self, ctx: &StepContext) -> Result<TaskResponse, ComponentError> {
            Ok(match ctx.step.as_str() {
                "start" => TaskResponse::pend("inbox"),
                _ => TaskResponse::proceed(),
            })
        }
        fn route(&self, _: &StepContext) -> Result<RouteResponse, ComponentError> {
            Ok(RouteResponse::branches(["x"]))
        }
    }

    struct Quiet;
    impl Observer for Quiet {
        fn case_finished(&self, _: &Item) {}
    }

    const JOURNEY: &str = r#"{"journey": {"name": "j", "flow": [
        {"name": "start", "component": "c", "next": "step_2"},
        {"name": "step_2", "component": "c", "next": "end"}]}}"#;

    #[test]
    fn a_case_changed_after_listing_is_skipped_not_done_again() {
        let store = MemoryStore::new();
        let journey = JourneyRecord::parse(JOURNEY).unwrap();
        let plain = Engine::new(&store, &Manual);
        for id in ["a", "b"] {
            plain.start(id, &journey, None, vec![]).unwrap();
        }
        let query = worker_query("inbox", None, i64::MAX - 1);
        let mut source = Paged::new(&store, query.clone());
        let listed = source.next_batch().unwrap();
        assert_eq!(listed.len(), 2);
        // another worker resumes "a" after our listing
        plain.resume("a", vec![]).unwrap();
        struct Fixed(Vec<CaseSummary>);
        impl CaseSource for Fixed {
            fn next_batch(&mut self) -> store::Result<Vec<CaseSummary>> {
                Ok(std::mem::take(&mut self.0))
            }
        }
        let guarded = Guarded::new(&store);
        let config = EngineConfig {
            lock_wait: LockWait::Try,
            ..EngineConfig::default()
        };
        let engine = Engine::new(&guarded, &Manual).with_config(config);
        let report = run(
            &engine,
            &guarded,
            &mut Fixed(listed),
            &Action::Resume(vec![]),
            Options::default(),
            &Quiet,
        )
        .unwrap();
        assert_eq!(
            (report.done(), report.skipped(), report.failed()),
            (1, 1, 0)
        );
        assert!(matches!(report.items[0].result, CaseResult::Skipped { .. }));
        assert_eq!(
            store
                .audit_records("a")
                .unwrap()
                .iter()
                .filter(|r| r.unit == "step_2")
                .count(),
            1
        );
    }
}
