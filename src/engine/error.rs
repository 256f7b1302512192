//! The engine's error type. Messages of conditions the Java engine also reports keep its
//! wording (applications match on them).

use crate::store;

/// Why an engine call failed. Nothing is half-written: the store keeps the state of the last
/// persistence point.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `start` on a case that has process info.
    #[error("Cannot start a case which is already started. Case Id -> {case}")]
    AlreadyStarted {
        /// Case id.
        case: String,
    },
    /// The case has no journey record.
    #[error("Could not resume case. No process definition found. Case id -> {case}")]
    NoJourney {
        /// Case id.
        case: String,
    },
    /// `resume` on a completed case.
    #[error("Cannot resume a case that has already completed. Case id -> {case}")]
    Completed {
        /// Case id.
        case: String,
    },
    /// `change_workbasket` on a completed case (Flowret's message).
    #[error("Cannot change work basket on a completed case. Case id -> {case}")]
    CompletedWorkbasketChange {
        /// Case id.
        case: String,
    },
    /// `reopen` on a case that has not completed.
    #[error("Case id {case}-> cannot reopen a case which has not yet completed")]
    NotCompleted {
        /// Case id.
        case: String,
    },
    /// `reopen` asked to pend without a basket.
    #[error("{case} -> pending work basket cannot be null or empty")]
    EmptyWorkbasket {
        /// Case id.
        case: String,
    },
    /// `reopen` without a ticket.
    #[error("{case} -> ticket cannot be null or empty")]
    EmptyTicket {
        /// Case id.
        case: String,
    },
    /// A ticket the journey does not declare.
    #[error("Ticket not found: {ticket} for case: {case}")]
    TicketNotFound {
        /// Ticket name.
        ticket: String,
        /// Case id.
        case: String,
    },
    /// The state names an exec path that does not exist.
    #[error("Execution path not found: {path} for case: {case}")]
    ExecPathNotFound {
        /// Exec path name.
        path: String,
        /// Case id.
        case: String,
    },
    /// The state names a unit the journey does not have.
    #[error("Step not found: {step} for case: {case}")]
    StepNotFound {
        /// Unit name.
        step: String,
        /// Case id.
        case: String,
    },
    /// A stored state the engine cannot continue from.
    #[error("Unexpected condition encountered. Case id -> {case}. Cause -> {cause}")]
    UnexpectedCondition {
        /// Case id.
        case: String,
        /// What is inconsistent.
        cause: String,
    },
    /// An incomplete case in which no path can be pended (crash recovery failed).
    #[error(
        "Case id {case} -> could not find an exec path to pend to. This application cannot be repaired"
    )]
    NoPendPath {
        /// Case id.
        case: String,
    },
    /// The journey names components the application cannot run.
    #[error("journey of case {case} uses components with no mapping: {}", names.join(", "))]
    UnmappedComponents {
        /// Case id.
        case: String,
        /// Component names.
        names: Vec<String>,
    },
    /// The work manager refused a work-basket change; nothing was saved.
    #[error("work manager refused the work-basket change of case {case}: {reason}")]
    WorkManager {
        /// Case id.
        case: String,
        /// Its reason.
        reason: String,
    },
    /// The case was cancelled: no call runs or changes it again.
    #[error("case {case} was cancelled by {by} at {at}: {reason}")]
    Cancelled {
        /// Case id.
        case: String,
        /// Who cancelled it.
        by: String,
        /// When (RFC 3339, UTC).
        at: String,
        /// Why.
        reason: String,
    },
    /// `cancel` on a case that cannot be cancelled (completed, or never started).
    #[error("case {case} cannot be cancelled: {why}")]
    NotCancellable {
        /// Case id.
        case: String,
        /// Why not.
        why: String,
    },
    /// A change (variables, work basket) asked of a case interrupted in a unit that a resume
    /// runs again: the change would write an audit record and so give the re-run another
    /// idempotency key, and the component could not tell it is a retry.
    #[error(
        "case {case} was interrupted at step {step} and its unit runs again on resume: resume it first (wfctl case resume {case}), then {what}"
    )]
    Interrupted {
        /// Case id.
        case: String,
        /// The unit to run again.
        step: String,
        /// What was asked, e.g. `set its variables`.
        what: String,
    },
    /// The case does not exist (no journey, no process info).
    #[error("case {case} does not exist")]
    NoSuchCase {
        /// Case id.
        case: String,
    },
    /// A value given to the call that no store can hold (see
    /// [`Variable::check_storable`](crate::model::Variable::check_storable)); nothing was saved.
    #[error("case {case}: {reason}")]
    Unstorable {
        /// Case id.
        case: String,
        /// What is refused and why.
        reason: String,
    },
    /// The store failed; the run stopped at the last persistence point.
    #[error(transparent)]
    Store(#[from] store::Error),
    /// The run stopped because another branch of it failed (that failure is reported instead
    /// whenever it is known).
    #[error("run of case {case} stopped because another branch failed")]
    Aborted {
        /// Case id.
        case: String,
    },
    /// A bug in the engine (a branch thread panicked); the run stopped.
    #[error("internal engine error in case {case}: {message}")]
    Internal {
        /// Case id.
        case: String,
        /// Panic message.
        message: String,
    },
}

impl Error {
    /// Whether the call may succeed later unchanged (case locked, concurrent update): exit 75.
    pub fn is_temporary(&self) -> bool {
        matches!(self, Self::Store(e) if e.is_temporary())
    }

    /// Whether the store refused what it was asked to save (a value it cannot keep, a statement
    /// the database rejected), as opposed to being unreachable or busy.
    pub fn is_refused_save(&self) -> bool {
        matches!(
            self,
            Self::Store(
                crate::store::Error::Unstorable { .. } | crate::store::Error::Database { .. }
            )
        )
    }
}
