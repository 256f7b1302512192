//! store: the persistence interface the engine uses, and its in-process implementations.
//!
//! Two traits: [`CaseStore`], what the engine needs (load, lock, save), and [`Store`], which
//! adds the listings and queries of reports and bulk runs. Both are document-shaped: a case has
//! a journey (kept as the text given), an optional SLA, a process-info document, audit records with a per-case
//! sequence, and the SLA milestones it has queued. Every persistence point of the engine is ONE
//! call, [`CaseStore::save_point`], which a store must apply atomically: the PostgreSQL store as one
//! transaction, the file store as temp-file + fsync + rename writes ordered so that a crash
//! leaves either the old or the new state of the process info. The engine never knows which
//! store it has.
//!
//! Implementations: [`MemoryStore`] (tests, benchmarks), [`FaultyStore`] (wraps any store and
//! fails at the Nth write, for crash-recovery tests); the file and PostgreSQL stores live in
//! their own modules.

mod backoff;
mod cancel;
mod error;
#[cfg(feature = "testing")]
mod faulty;
pub mod file;
mod memory;
#[cfg(feature = "postgres")]
pub mod pg;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use cancel::Cancellation;
pub use error::Error;
#[cfg(feature = "testing")]
pub use faulty::{FaultMode, FaultyStore};
pub use file::FileStore;
pub use memory::MemoryStore;
#[cfg(feature = "postgres")]
pub use pg::PgStore;

use crate::model::{
    AuditRecord, JourneyRecord, Milestone, MilestoneType, NewAuditRecord, ProcessInfo, Sla,
};

/// Result of a store operation.
pub type Result<T> = std::result::Result<T, Error>;

/// Refuses a case id that breaks the rule every store applies to new cases
/// ([`crate::model::case_id_problem`]).
pub fn check_case_id(case_id: &str) -> Result<()> {
    match crate::model::case_id_problem(case_id) {
        None => Ok(()),
        Some(reason) => Err(Error::Unstorable {
            what: format!("case id {case_id:?}"),
            reason,
        }),
    }
}

/// Refuses a journey whose unit names cannot name the audit records of case `case_id` (their
/// file names would be too long), on every store, when the case is created rather than half
/// way through a run.
pub(crate) fn check_unit_names(case_id: &str, journey: &crate::model::Journey) -> Result<()> {
    for unit in &journey.units {
        if let Some(reason) = crate::model::unit_name_problem(case_id, &unit.name) {
            return Err(Error::Unstorable {
                what: format!("unit name {:?}", unit.name),
                reason,
            });
        }
    }
    Ok(())
}

/// An SLA milestone a case has queued (set up and not yet dequeued).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuedMilestone {
    /// The milestone as defined in the case's SLA.
    pub milestone: Milestone,
    /// The basket whose entry/exit set it up; `None` for `case_start` / `case_restart`.
    pub work_basket: Option<String>,
    /// When it was set up (epoch ms).
    pub enqueued_at: i64,
    /// When it is due (epoch ms), from its age and clock; `None` when it has no age.
    pub due_at: Option<i64>,
}

/// A change to the queued milestones of a case, applied with the persistence point.
#[derive(Debug, Clone, PartialEq)]
pub enum MilestoneChange {
    /// Queue these milestones.
    Enqueue(Vec<QueuedMilestone>),
    /// Clear the `work_basket`-type milestones of this basket (the case left it).
    DequeueWorkBasket(String),
    /// Clear everything (the case completed).
    DequeueAll,
}

/// Applies milestone changes to a case's queue, the same way in every store.
pub fn apply_milestone_changes(queue: &mut Vec<QueuedMilestone>, changes: &[MilestoneChange]) {
    for change in changes {
        match change {
            MilestoneChange::Enqueue(items) => queue.extend(items.iter().cloned()),
            MilestoneChange::DequeueWorkBasket(basket) => queue.retain(|q| {
                !(q.milestone.kind == MilestoneType::WorkBasket
                    && q.milestone.work_basket_name.as_deref() == Some(basket.as_str()))
            }),
            MilestoneChange::DequeueAll => queue.clear(),
        }
    }
}

/// Everything the engine writes at one persistence point. A store applies it atomically.
#[derive(Debug, Clone, Copy, Default)]
pub struct PersistPoint<'a> {
    /// The new process-info document, if it is written at this point.
    pub process_info: Option<&'a ProcessInfo>,
    /// Audit records to append; the store numbers them `last_audit_seq + 1 ..` in order.
    pub audit: &'a [NewAuditRecord],
    /// Changes to the queued SLA milestones.
    pub milestones: &'a [MilestoneChange],
}

/// What a store assigned while saving a persistence point.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Saved {
    /// Sequence numbers given to `PersistPoint::audit`, in order.
    pub audit_seqs: Vec<u64>,
}

/// A unit that an interrupted run left and that a resume runs again: its idempotency key and
/// how many times it has been started ([`Store::unit_attempt`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitAttempt {
    /// The idempotency key of the unit (it names one audit sequence, so it goes stale by itself
    /// once the case writes an audit record).
    pub key: String,
    /// How many times the unit with that key has been started (2 on the first re-run).
    pub attempt: u32,
}

/// An attempt record as a store keeps it, before it is checked: either part may be missing or
/// out of range in a damaged record.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StoredAttempt {
    /// The idempotency key.
    #[serde(default)]
    pub key: Option<String>,
    /// How many times the unit has been started.
    #[serde(default)]
    pub attempt: Option<i64>,
}

impl UnitAttempt {
    /// The highest count a record may hold: a resume counts one more start, and that count must
    /// be storable in every store (PostgreSQL keeps it in an `integer`).
    pub const MAX: u32 = i32::MAX as u32 - 1;

    /// The one rule for a stored attempt record, in every store: no record is `None`; a record
    /// has a key and counts its starts from 1 to [`UnitAttempt::MAX`]. Anything else is
    /// [`Error::Corrupt`] naming the case and `record` (where it was read), so that a resume
    /// and its dry run fail on it alike and nothing counts it again from 1.
    pub fn from_stored(case_id: &str, record: &str, stored: StoredAttempt) -> Result<Option<Self>> {
        let corrupt = |reason: String| Error::Corrupt {
            what: format!("unit attempt record of case {case_id} ({record})"),
            reason,
        };
        match stored {
            StoredAttempt {
                key: None,
                attempt: None,
            } => Ok(None),
            StoredAttempt { key: None, .. } => Err(corrupt("the key is missing".into())),
            StoredAttempt { attempt: None, .. } => {
                Err(corrupt("the attempt count is missing".into()))
            }
            StoredAttempt {
                key: Some(key),
                attempt: Some(n),
            } => match u32::try_from(n) {
                Ok(attempt) if (1..=Self::MAX).contains(&attempt) => {
                    Ok(Some(Self { key, attempt }))
                }
                _ => Err(corrupt(format!(
                    "attempt {n} is not a count of starts (1 to {})",
                    Self::MAX
                ))),
            },
        }
    }
}

/// Where a case stands, derived from its process info the same way in every store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Journey stored, no process info yet (created, or crashed before the first write).
    NotStarted,
    /// Not pended and not complete: running now, or its process died (the case lock tells).
    Running,
    /// Waiting in a work basket.
    Pended,
    /// Reached `end`.
    Completed,
    /// Cancelled: it never runs again (its guide records still read as pended or running).
    Cancelled,
}

/// One row of a case listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    /// Case id.
    pub case_id: String,
    /// Journey name.
    pub journey_name: String,
    /// Status.
    pub status: CaseStatus,
    /// The exec path the case is pended on (`""` unless pended).
    pub pend_exec_path: String,
    /// The basket it is pended in (`""` unless pended).
    pub pend_workbasket: String,
    /// The pended step, or the last executed unit.
    pub step: String,
    /// Time of the last process-info write (epoch ms; 0 when never written).
    pub updated_at: i64,
}

impl CaseSummary {
    /// The summary of a case from its journey name and process info.
    pub fn new(case_id: &str, journey_name: &str, info: Option<&ProcessInfo>) -> Self {
        let mut summary = Self {
            case_id: case_id.to_owned(),
            journey_name: journey_name.to_owned(),
            status: CaseStatus::NotStarted,
            pend_exec_path: String::new(),
            pend_workbasket: String::new(),
            step: String::new(),
            updated_at: 0,
        };
        let Some(info) = info else { return summary };
        summary.updated_at = info.ts;
        summary.step = info.last_executed_step.clone();
        summary.status = if info.is_complete {
            CaseStatus::Completed
        } else if info.pend_exec_path.is_empty() {
            CaseStatus::Running
        } else {
            CaseStatus::Pended
        };
        if let Some(path) = info.exec_path(&info.pend_exec_path) {
            summary.pend_exec_path = path.name.clone();
            summary.pend_workbasket = path.pend_workbasket.clone();
            summary.step = path.step.clone();
        }
        summary
    }

    /// Whether the case is as a run leaves it while it works on it: not started yet, running
    /// (neither pended nor complete), or pended in the basket recovery parks interrupted
    /// branches in (one recoverer re-runs them one after another under the case lock; nobody else works that
    /// basket). Such a case whose case lock is free and that nobody wrote for a while was
    /// interrupted: the one rule of `case show`, `case resume --stuck-for` and `diag cases`.
    pub fn left_mid_run(&self) -> bool {
        match self.status {
            // a journey stored without any process info: its start died before its first write
            CaseStatus::NotStarted | CaseStatus::Running => true,
            CaseStatus::Pended => self.pend_workbasket == crate::engine::TEMP_HOLD_WORKBASKET,
            _ => false,
        }
    }

    /// The summary with status [`CaseStatus::Cancelled`] when `cancelled` (it keeps where it
    /// was pended, so that operators see where it stopped).
    pub fn cancelled_if(mut self, cancelled: bool) -> Self {
        if cancelled {
            self.status = CaseStatus::Cancelled;
        }
        self
    }
}

/// A case a listing could not read; the listing went on without it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unreadable {
    /// Case id.
    pub case_id: String,
    /// The error, naming the record (file) that could not be read.
    pub reason: String,
}

/// One page of a listing and the cases in its range that could not be read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Listing {
    /// The cases that pass the query.
    pub cases: Vec<CaseSummary>,
    /// Cases that could not be read, in case id order.
    pub unreadable: Vec<Unreadable>,
}

/// One page of `query` over `cases`: the cases that pass `query.filter` in case id order, `Err`
/// for one that could not be read. `lenient` also sets aside a case whose milestones cannot be read
/// (`query.sla_due_by`) instead of failing. The one home of the paging rules.
pub(crate) fn page_of<S: Store + ?Sized>(
    store: &S,
    cases: impl IntoIterator<Item = std::result::Result<CaseSummary, Unreadable>>,
    query: &CaseQuery,
    lenient: bool,
) -> Result<Listing> {
    let mut listing = Listing::default();
    for case in cases {
        let id = match &case {
            Ok(c) => &c.case_id,
            Err(u) => &u.case_id,
        };
        if query.after.as_ref().is_some_and(|a| id <= a) {
            continue;
        }
        if query.limit.is_some_and(|n| listing.cases.len() >= n) {
            break;
        }
        let case = match case {
            Ok(case) => case,
            Err(unreadable) => {
                listing.unreadable.push(unreadable);
                continue;
            }
        };
        if query.incomplete_only
            && matches!(case.status, CaseStatus::Completed | CaseStatus::Cancelled)
        {
            continue;
        }
        if let Some(by) = query.sla_due_by {
            let due = match store.milestones(&case.case_id) {
                Ok(due) => due,
                Err(e) if lenient => {
                    listing.unreadable.push(Unreadable {
                        case_id: case.case_id,
                        reason: e.to_string(),
                    });
                    continue;
                }
                Err(e) => return Err(e),
            };
            if !due.iter().any(|q| q.due_at.is_some_and(|at| at <= by)) {
                continue;
            }
        }
        listing.cases.push(case);
    }
    Ok(listing)
}

/// What [`Store::list_cases_filtered`] keeps; `None` fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    /// Only cases with this status.
    pub status: Option<CaseStatus>,
    /// Only cases pended in this work basket.
    pub work_basket: Option<String>,
    /// Only cases of this journey (by name).
    pub journey_name: Option<String>,
    /// Only cases whose [`CaseSummary::step`] is this unit.
    pub step: Option<String>,
    /// Only cases whose process info was last written before this time (epoch ms); cases
    /// without process info count as written at 0 (the file store's listing: when their
    /// journey file was).
    pub updated_before: Option<i64>,
    /// Only cases left as a run leaves them ([`CaseSummary::left_mid_run`]); with a free
    /// case lock and `updated_before`, these are the interrupted cases.
    pub left_mid_run: bool,
}

impl CaseFilter {
    /// Whether a summary passes the filter.
    pub fn matches(&self, case: &CaseSummary) -> bool {
        self.status.is_none_or(|s| s == case.status)
            && self
                .work_basket
                .as_ref()
                .is_none_or(|b| *b == case.pend_workbasket)
            && self
                .journey_name
                .as_ref()
                .is_none_or(|j| *j == case.journey_name)
            && self.step.as_ref().is_none_or(|s| *s == case.step)
            && self.updated_before.is_none_or(|t| case.updated_at < t)
            && (!self.left_mid_run || case.left_mid_run())
    }
}

/// One page of a filtered case listing: [`CaseFilter`] plus SLA state and keyset paging by case
/// id (`after` = the last case id of the previous page).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseQuery {
    /// What to keep.
    pub filter: CaseFilter,
    /// Only cases with a queued milestone due at or before this time (epoch ms).
    pub sla_due_by: Option<i64>,
    /// Only cases that have not completed (with `filter.updated_before`: stuck cases).
    pub incomplete_only: bool,
    /// Only cases whose id sorts after this one.
    pub after: Option<String>,
    /// At most this many cases.
    pub limit: Option<usize>,
}

/// A queued milestone that is due, with its case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DueMilestone {
    /// Case id.
    pub case_id: String,
    /// The queued milestone.
    pub queued: QueuedMilestone,
}

/// How long [`CaseStore::lock_case`] may wait for a case lock held elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockWait {
    /// Fail at once with [`Error::Locked`].
    Try,
    /// Wait up to this long, then fail with [`Error::Locked`].
    Wait(Duration),
}

/// An exclusive lock on one case; released when dropped (and by the OS or the database when
/// the process dies, so a crashed run never leaves a case locked).
pub trait CaseLock: Send + fmt::Debug {
    /// The locked case.
    fn case_id(&self) -> &str;
}

/// What the engine needs of a store: load a case, lock it, save it. `Send + Sync`: parallel
/// branches persist through a shared `&dyn CaseStore`. Readers return `Ok(None)` for a record
/// that does not exist and [`Error::Corrupt`] for one that cannot be read. A wrapper that only
/// changes how the engine writes (fault injection, a check under the lock) implements this
/// trait alone.
pub trait CaseStore: Send + Sync {
    /// A short description for messages, e.g. `memory` or `file store ./workflow-data`.
    fn describe(&self) -> String;

    /// Writes a case's journey and SLA (replacing earlier ones; `None` removes the SLA record).
    /// Called at start, before the case has process info. Atomic.
    fn create_case(&self, case_id: &str, journey: &JourneyRecord, sla: Option<&Sla>) -> Result<()>;

    /// The journey of a case.
    fn journey(&self, case_id: &str) -> Result<Option<JourneyRecord>>;

    /// The SLA of a case.
    fn sla(&self, case_id: &str) -> Result<Option<Sla>>;

    /// The process info of a case.
    fn process_info(&self, case_id: &str) -> Result<Option<ProcessInfo>>;

    /// Applies one persistence point atomically: the process info (if given), the audit records
    /// (numbered after the case's last sequence; a failed call consumes no numbers) and the
    /// milestone changes. Either all of it is stored or none of it.
    fn save_point(&self, case_id: &str, point: &PersistPoint<'_>) -> Result<Saved>;

    /// Takes the exclusive lock of a case (single writer across processes and hosts).
    fn lock_case(&self, case_id: &str, wait: LockWait) -> Result<Box<dyn CaseLock>>;

    /// The last audit sequence number given for a case (0 when none).
    fn last_audit_seq(&self, case_id: &str) -> Result<u64>;

    /// Whether another process holds the lock of a case, read without taking it (so that a
    /// look never makes a taker find the case busy); `None` when the store cannot tell without
    /// taking the lock.
    fn lock_held(&self, case_id: &str) -> Result<Option<bool>> {
        let _ = case_id;
        Ok(None)
    }

    /// The last [`UnitAttempt`] recorded for a case, if any. Read once per resume; stores that
    /// cannot keep it answer `None` (a re-run is then attempt 2 after a run interrupted mid-way,
    /// 1 after a resume killed in its first unit).
    fn unit_attempt(&self, case_id: &str) -> Result<Option<UnitAttempt>> {
        let _ = case_id;
        Ok(None)
    }

    /// Records the attempt of the unit a resume runs first, before it runs (so that another
    /// interruption counts on from it): one small write per resume, none per unit.
    fn record_unit_attempt(&self, case_id: &str, attempt: &UnitAttempt) -> Result<()> {
        let _ = (case_id, attempt);
        Ok(())
    }

    // Case lifecycle: wfctl's own state of a case beside the guide's records.

    /// The cancellation of a case, `None` when it is not cancelled.
    fn cancellation(&self, case_id: &str) -> Result<Option<Cancellation>>;

    /// Cancels a case: stores `cancel` together with `point` (its audit record and milestone
    /// dequeue), atomically like [`Store::save_point`]. Called under the case lock.
    fn save_cancel(
        &self,
        case_id: &str,
        cancel: &Cancellation,
        point: &PersistPoint<'_>,
    ) -> Result<Saved>;
}

/// A whole store: the engine's [`CaseStore`] plus the listings and queries that reports, bulk
/// runs and `sla due` read.
pub trait Store: CaseStore {
    /// The audit records of a case, in sequence order.
    fn audit_records(&self, case_id: &str) -> Result<Vec<AuditRecord>>;

    /// The SLA milestones a case has queued, in the order they were queued.
    fn milestones(&self, case_id: &str) -> Result<Vec<QueuedMilestone>>;

    /// Every case that has a journey, ordered by case id.
    fn list_cases(&self) -> Result<Vec<CaseSummary>>;

    /// The cases that pass `filter`, ordered by case id. Stores that can filter where the data
    /// lives (SQL) should override this default, which filters [`Store::list_cases`].
    fn list_cases_filtered(&self, filter: &CaseFilter) -> Result<Vec<CaseSummary>> {
        let mut cases = self.list_cases()?;
        cases.retain(|c| filter.matches(c));
        Ok(cases)
    }

    /// One page of the cases that pass `query`, ordered by case id (the order `after` pages
    /// by). Stores with indexes should override this default, which reads every case.
    fn list_cases_query(&self, query: &CaseQuery) -> Result<Vec<CaseSummary>> {
        let cases = self.list_cases_filtered(&query.filter)?;
        Ok(page_of(self, cases.into_iter().map(Ok), query, false)?.cases)
    }

    /// Like [`Store::list_cases_query`], but a case whose records cannot be read is set aside
    /// in [`Listing::unreadable`] instead of failing the listing. Stores where one case's
    /// records can be unreadable on their own (files) override this default.
    fn list_cases_lenient(&self, query: &CaseQuery) -> Result<Listing> {
        Ok(Listing {
            cases: self.list_cases_query(query)?,
            unreadable: Vec::new(),
        })
    }

    /// Queued milestones due at or before `now_ms`, ordered by due time. Stores with an index
    /// should override this default, which reads every case.
    fn due_milestones(&self, now_ms: i64) -> Result<Vec<DueMilestone>> {
        let mut due = Vec::new();
        for case in self.list_cases()? {
            for queued in self.milestones(&case.case_id)? {
                if queued.due_at.is_some_and(|at| at <= now_ms) {
                    due.push(DueMilestone {
                        case_id: case.case_id.clone(),
                        queued,
                    });
                }
            }
        }
        due.sort_by_key(|d| d.queued.due_at);
        Ok(due)
    }
}

/// Implements [`CaseStore`] for a wrapper whose field `inner` (a `&dyn Store`) is the store it
/// forwards to, with its own lock: what such wrappers change is how a case is locked, so
/// `$lock` is a method of the wrapper with `lock_case`'s signature and the rest is forwarded.
#[cfg(feature = "ops")]
macro_rules! case_store_over_inner {
    ($ty:ty, lock_case = $lock:ident) => {
        impl $crate::store::CaseStore for $ty {
            fn describe(&self) -> String {
                self.inner.describe()
            }
            fn create_case(
                &self,
                case_id: &str,
                journey: &$crate::model::JourneyRecord,
                sla: Option<&$crate::model::Sla>,
            ) -> $crate::store::Result<()> {
                self.inner.create_case(case_id, journey, sla)
            }
            fn journey(
                &self,
                case_id: &str,
            ) -> $crate::store::Result<Option<$crate::model::JourneyRecord>> {
                self.inner.journey(case_id)
            }
            fn sla(&self, case_id: &str) -> $crate::store::Result<Option<$crate::model::Sla>> {
                self.inner.sla(case_id)
            }
            fn process_info(
                &self,
                case_id: &str,
            ) -> $crate::store::Result<Option<$crate::model::ProcessInfo>> {
                self.inner.process_info(case_id)
            }
            fn save_point(
                &self,
                case_id: &str,
                point: &$crate::store::PersistPoint<'_>,
            ) -> $crate::store::Result<$crate::store::Saved> {
                self.inner.save_point(case_id, point)
            }
            fn lock_case(
                &self,
                case_id: &str,
                wait: $crate::store::LockWait,
            ) -> $crate::store::Result<Box<dyn $crate::store::CaseLock>> {
                self.$lock(case_id, wait)
            }
            fn last_audit_seq(&self, case_id: &str) -> $crate::store::Result<u64> {
                self.inner.last_audit_seq(case_id)
            }
            fn lock_held(&self, case_id: &str) -> $crate::store::Result<Option<bool>> {
                self.inner.lock_held(case_id)
            }
            fn unit_attempt(
                &self,
                case_id: &str,
            ) -> $crate::store::Result<Option<$crate::store::UnitAttempt>> {
                self.inner.unit_attempt(case_id)
            }
            fn record_unit_attempt(
                &self,
                case_id: &str,
                attempt: &$crate::store::UnitAttempt,
            ) -> $crate::store::Result<()> {
                self.inner.record_unit_attempt(case_id, attempt)
            }
            fn cancellation(
                &self,
                case_id: &str,
            ) -> $crate::store::Result<Option<$crate::store::Cancellation>> {
                self.inner.cancellation(case_id)
            }
            fn save_cancel(
                &self,
                case_id: &str,
                cancel: &$crate::store::Cancellation,
                point: &$crate::store::PersistPoint<'_>,
            ) -> $crate::store::Result<$crate::store::Saved> {
                self.inner.save_cancel(case_id, cancel, point)
            }
        }
    };
}
#[cfg(feature = "ops")]
pub(crate) use case_store_over_inner;

macro_rules! forward_store {
    ($($ty:ty),*) => {$(
        impl<T: CaseStore + ?Sized> CaseStore for $ty {
            fn describe(&self) -> String { (**self).describe() }
            fn create_case(&self, case_id: &str, journey: &JourneyRecord, sla: Option<&Sla>) -> Result<()> {
                (**self).create_case(case_id, journey, sla)
            }
            fn journey(&self, case_id: &str) -> Result<Option<JourneyRecord>> { (**self).journey(case_id) }
            fn sla(&self, case_id: &str) -> Result<Option<Sla>> { (**self).sla(case_id) }
            fn process_info(&self, case_id: &str) -> Result<Option<ProcessInfo>> { (**self).process_info(case_id) }
            fn save_point(&self, case_id: &str, point: &PersistPoint<'_>) -> Result<Saved> {
                (**self).save_point(case_id, point)
            }
            fn lock_case(&self, case_id: &str, wait: LockWait) -> Result<Box<dyn CaseLock>> {
                (**self).lock_case(case_id, wait)
            }
            fn last_audit_seq(&self, case_id: &str) -> Result<u64> { (**self).last_audit_seq(case_id) }
            fn lock_held(&self, case_id: &str) -> Result<Option<bool>> { (**self).lock_held(case_id) }
            fn unit_attempt(&self, case_id: &str) -> Result<Option<UnitAttempt>> { (**self).unit_attempt(case_id) }
            fn record_unit_attempt(&self, case_id: &str, attempt: &UnitAttempt) -> Result<()> {
                (**self).record_unit_attempt(case_id, attempt)
            }
            fn cancellation(&self, case_id: &str) -> Result<Option<Cancellation>> {
                (**self).cancellation(case_id)
            }
            fn save_cancel(&self, case_id: &str, cancel: &Cancellation, point: &PersistPoint<'_>) -> Result<Saved> {
                (**self).save_cancel(case_id, cancel, point)
            }
        }
        impl<T: Store + ?Sized> Store for $ty {
            fn audit_records(&self, case_id: &str) -> Result<Vec<AuditRecord>> { (**self).audit_records(case_id) }
            fn milestones(&self, case_id: &str) -> Result<Vec<QueuedMilestone>> { (**self).milestones(case_id) }
            fn list_cases(&self) -> Result<Vec<CaseSummary>> { (**self).list_cases() }
            fn list_cases_filtered(&self, filter: &CaseFilter) -> Result<Vec<CaseSummary>> {
                (**self).list_cases_filtered(filter)
            }
            fn list_cases_query(&self, query: &CaseQuery) -> Result<Vec<CaseSummary>> {
                (**self).list_cases_query(query)
            }
            fn list_cases_lenient(&self, query: &CaseQuery) -> Result<Listing> {
                (**self).list_cases_lenient(query)
            }
            fn due_milestones(&self, now_ms: i64) -> Result<Vec<DueMilestone>> { (**self).due_milestones(now_ms) }
        }
    )*};
}

// So that wrappers such as `FaultyStore` work over `&S`, `Box<dyn Store>` and `Arc<S>`.
forward_store!(&T, Box<T>, Arc<T>);

/// Rewriting one recorded audit document in place, which only `keys rotate` does (re-sealing
/// sensitive values under a new key): its sequence, unit and time stay. The caller holds the
/// case lock.
pub trait AuditRewrite {
    /// Replaces the document of `record` (by its case and sequence).
    fn rewrite_audit(&self, record: &crate::model::AuditRecord) -> Result<()>;

    /// Discards what the store keeps of the case's earlier process info (the file store's
    /// spare holds the version before the last write), so no copy of a replaced value stays.
    fn forget_previous(&self, case_id: &str) -> Result<()>;
}
