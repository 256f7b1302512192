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
//! 3. The engine takes the case lock without waiting ([`LockWait::Try`]); a case locked by
//!    someone else is skipped.
//! 4. Under the lock, [`Guarded`] compares the case with what was listed (status, basket,
//!    exec path, step, time of the last write); a case changed in between (another worker got
//!    there first) is skipped, not done again.

use std::sync::{Mutex, PoisonError};

use serde::Serialize;

use crate::engine::{self, Engine, Outcome};
use crate::model::{AuditRecord, JourneyRecord, ProcessInfo, Sla, Variable};
use crate::store::pg::PgClaims;
use crate::store::{
    self, CaseFilter, CaseLock, CaseQuery, CaseStatus, CaseSummary, DueMilestone, Listing,
    LockWait, PersistPoint, QueuedMilestone, Saved, Store, Unreadable,
};

/// What to do with each case.
#[derive(Debug, Clone)]
pub enum Action {
    /// Resume with these variables.
    Resume(Vec<Variable>),
    /// Move to this work basket.
    ChangeWorkbasket(String),
}

/// Where a worker gets its cases from.
pub trait CaseSource {
    /// The next cases to work on; empty when there are no more.
    fn next_batch(&mut self) -> store::Result<Vec<CaseSummary>>;

    /// Cases the last batch could not read (each one a failure of the run, not its end).
    fn take_unreadable(&mut self) -> Vec<Unreadable> {
        Vec::new()
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
            status: Some(CaseStatus::Running),
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
    /// `--dry-run`: the action would run.
    WouldRun,
    /// Another process had the case, or it changed since it was listed.
    Skipped {
        /// Why.
        reason: String,
    },
    /// The action failed.
    Failed {
        /// The error.
        error: String,
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
        self.count(|r| matches!(r, CaseResult::Done { .. }))
    }

    /// Cases skipped.
    pub fn skipped(&self) -> usize {
        self.count(|r| matches!(r, CaseResult::Skipped { .. }))
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
                CaseResult::WouldRun
            } else {
                guarded.require_unchanged(&case);
                let outcome = match action {
                    Action::Resume(vars) => engine.resume(&case.case_id, vars.clone()),
                    Action::ChangeWorkbasket(to) => engine.change_workbasket(&case.case_id, to),
                };
                guarded.clear();
                classify(outcome)
            };
            if !matches!(result, CaseResult::Skipped { .. }) {
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

fn classify(outcome: Result<Outcome, engine::Error>) -> CaseResult {
    match outcome {
        Ok(outcome) => CaseResult::Done {
            outcome: Box::new(outcome),
        },
        Err(engine::Error::Store(store::Error::Locked { .. })) => CaseResult::Skipped {
            reason: "locked by another process".to_owned(),
        },
        Err(engine::Error::Store(store::Error::Conflict { reason, .. })) => {
            CaseResult::Skipped { reason }
        }
        Err(e) => CaseResult::Failed {
            error: e.to_string(),
        },
    }
}

/// A store that, when the engine locks a case, checks that the case is still as listed.
pub struct Guarded<'a> {
    inner: &'a dyn Store,
    expected: Mutex<Option<CaseSummary>>,
}

impl<'a> Guarded<'a> {
    /// Wraps a store.
    pub fn new(inner: &'a dyn Store) -> Self {
        Self {
            inner,
            expected: Mutex::new(None),
        }
    }

    /// The next lock of `case` fails unless the case is still as listed.
    fn require_unchanged(&self, case: &CaseSummary) {
        *self.expected.lock().unwrap_or_else(PoisonError::into_inner) = Some(case.clone());
    }

    fn clear(&self) {
        *self.expected.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }

    fn check(&self, case_id: &str) -> store::Result<()> {
        let expected = self
            .expected
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let Some(expected) = expected.filter(|e| e.case_id == case_id) else {
            return Ok(());
        };
        let info = self.inner.process_info(case_id)?;
        let now = CaseSummary::new(case_id, &expected.journey_name, info.as_ref());
        let same = now.status == expected.status
            && now.pend_workbasket == expected.pend_workbasket
            && now.pend_exec_path == expected.pend_exec_path
            && now.step == expected.step
            && now.updated_at == expected.updated_at;
        if same {
            Ok(())
        } else {
            Err(store::Error::Conflict {
                what: format!("case {case_id}"),
                reason: "changed since it was listed (another worker took it)".to_owned(),
            })
        }
    }
}

impl Store for Guarded<'_> {
    fn describe(&self) -> String {
        self.inner.describe()
    }
    fn create_case(
        &self,
        case_id: &str,
        journey: &JourneyRecord,
        sla: Option<&Sla>,
    ) -> store::Result<()> {
        self.inner.create_case(case_id, journey, sla)
    }
    fn journey(&self, case_id: &str) -> store::Result<Option<JourneyRecord>> {
        self.inner.journey(case_id)
    }
    fn sla(&self, case_id: &str) -> store::Result<Option<Sla>> {
        self.inner.sla(case_id)
    }
    fn process_info(&self, case_id: &str) -> store::Result<Option<ProcessInfo>> {
        self.inner.process_info(case_id)
    }
    fn save_point(&self, case_id: &str, point: &PersistPoint<'_>) -> store::Result<Saved> {
        self.inner.save_point(case_id, point)
    }
    fn audit_records(&self, case_id: &str) -> store::Result<Vec<AuditRecord>> {
        self.inner.audit_records(case_id)
    }
    fn last_audit_seq(&self, case_id: &str) -> store::Result<u64> {
        self.inner.last_audit_seq(case_id)
    }
    fn milestones(&self, case_id: &str) -> store::Result<Vec<QueuedMilestone>> {
        self.inner.milestones(case_id)
    }
    fn list_cases(&self) -> store::Result<Vec<CaseSummary>> {
        self.inner.list_cases()
    }
    fn list_cases_filtered(&self, filter: &CaseFilter) -> store::Result<Vec<CaseSummary>> {
        self.inner.list_cases_filtered(filter)
    }
    fn list_cases_query(&self, query: &CaseQuery) -> store::Result<Vec<CaseSummary>> {
        self.inner.list_cases_query(query)
    }
    fn list_cases_lenient(&self, query: &CaseQuery) -> store::Result<Listing> {
        self.inner.list_cases_lenient(query)
    }
    fn due_milestones(&self, now_ms: i64) -> store::Result<Vec<DueMilestone>> {
        self.inner.due_milestones(now_ms)
    }
    fn lock_case(&self, case_id: &str, wait: LockWait) -> store::Result<Box<dyn CaseLock>> {
        let lock = self.inner.lock_case(case_id, wait)?;
        // checked while holding the lock: nobody can change the case between check and run
        self.check(case_id)?;
        Ok(lock)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{
        ComponentError, Components, EngineConfig, RouteResponse, StepContext, TaskResponse,
    };
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
