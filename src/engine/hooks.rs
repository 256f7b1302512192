//! What the engine calls out to: the application's components, event sink, SLA queue and work
//! manager, and the values passed to them.

use std::fmt;

use serde::Serialize;

use crate::model::{Milestone, PendError, ResponseType, SetupOn, UnitKind, Variable, Variables};

/// The context a component runs in.
#[derive(Debug, Clone, Serialize)]
pub struct StepContext {
    /// Case id.
    pub case_id: String,
    /// Journey name.
    pub journey: String,
    /// The unit being executed.
    pub step: String,
    /// Its component name.
    pub component: String,
    /// Its unit type.
    #[serde(serialize_with = "unit_kind_str")]
    pub unit_type: UnitKind,
    /// The exec path running it.
    pub exec_path: String,
    /// The unit's `user_data`.
    pub user_data: Option<String>,
    /// A snapshot of the case's variables; changes go back through the response.
    pub variables: Variables,
    /// "Pended again at the step it pended at before" (always false for routes, as in the Java
    /// engine).
    pub pend_at_same_step: bool,
    /// Basket seen by the last resume (`""` for routes).
    pub last_pend_workbasket: String,
    /// Step seen by the last resume (`""` for routes).
    pub last_pend_step: String,
    /// The same for every run of this unit execution, different for any other: the case id,
    /// exec path, step and the audit sequence the unit's record will take, as
    /// `case:path:step:seq`. A unit re-run after an interruption gets the key it had.
    pub idempotency_key: String,
    /// 1 for a first run; more when the unit with this key runs again after its run was
    /// interrupted (wfctl died or lost the store before the unit's result was saved).
    pub attempt: u32,
}

fn unit_kind_str<S: serde::Serializer>(kind: &UnitKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(kind.as_str())
}

/// What a task component answers.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskResponse {
    /// Proceed, pend, pend-and-rerun, or error-pend.
    pub response: ResponseType,
    /// Basket to pend in (pends only).
    pub workbasket: String,
    /// Ticket to raise (`""` = none; ignored with `error_pend`, as in the Java engine).
    pub ticket: String,
    /// Error details (`error_pend` only).
    pub error: PendError,
    /// Variables to add or replace.
    pub variables: Vec<Variable>,
}

impl TaskResponse {
    fn new(response: ResponseType, workbasket: &str) -> Self {
        Self {
            response,
            workbasket: workbasket.to_owned(),
            ticket: String::new(),
            error: PendError::default(),
            variables: Vec::new(),
        }
    }

    /// Continue with the next unit.
    pub fn proceed() -> Self {
        Self::new(ResponseType::OkProceed, "")
    }

    /// Pend in `workbasket`; a resume continues after this unit.
    pub fn pend(workbasket: &str) -> Self {
        Self::new(ResponseType::OkPend, workbasket)
    }

    /// Pend in `workbasket`; a resume runs this unit again.
    pub fn pend_eor(workbasket: &str) -> Self {
        Self::new(ResponseType::OkPendEor, workbasket)
    }

    /// Pend with an error in `workbasket`; a resume runs this unit again.
    pub fn error_pend(workbasket: &str, error: PendError) -> Self {
        Self {
            error,
            ..Self::new(ResponseType::ErrorPend, workbasket)
        }
    }

    /// The same response raising `ticket`.
    pub fn with_ticket(mut self, ticket: &str) -> Self {
        self.ticket = ticket.to_owned();
        self
    }

    /// The same response setting variables.
    pub fn with_variables(mut self, variables: Vec<Variable>) -> Self {
        self.variables = variables;
        self
    }
}

/// What a route component answers.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteResponse {
    /// `ok_proceed` or `error_pend` (anything else error-pends the route with a readable reason).
    pub response: ResponseType,
    /// Branches to take: the first for an `s_route`, all for parallel routes.
    pub branches: Vec<String>,
    /// Basket to pend in (`error_pend` only).
    pub workbasket: String,
    /// Error details (`error_pend` only).
    pub error: PendError,
    /// Variables to add or replace.
    pub variables: Vec<Variable>,
}

impl RouteResponse {
    /// Take these branches.
    pub fn branches<S: Into<String>>(branches: impl IntoIterator<Item = S>) -> Self {
        Self {
            response: ResponseType::OkProceed,
            branches: branches.into_iter().map(Into::into).collect(),
            workbasket: String::new(),
            error: PendError::default(),
            variables: Vec::new(),
        }
    }

    /// Pend with an error in `workbasket`; a resume runs the route again.
    pub fn error_pend(workbasket: &str, error: PendError) -> Self {
        Self {
            response: ResponseType::ErrorPend,
            branches: Vec::new(),
            workbasket: workbasket.to_owned(),
            error,
            variables: Vec::new(),
        }
    }
}

/// A component that could not answer. The engine error-pends the unit into the error basket
/// and records `message` and `details` on the exec path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ComponentError {
    /// One-line reason.
    pub message: String,
    /// Longer details (e.g. stderr tail).
    pub details: String,
}

impl ComponentError {
    /// An error with a message and no details.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            details: String::new(),
        }
    }
}

/// The application's tasks and routes. Called concurrently from parallel branches.
pub trait Components: Send + Sync {
    /// Runs a task.
    fn task(&self, ctx: &StepContext) -> Result<TaskResponse, ComponentError>;

    /// Evaluates a route.
    fn route(&self, ctx: &StepContext) -> Result<RouteResponse, ComponentError>;

    /// The names among `names` this implementation cannot run; a journey using any of them is
    /// refused at start. The default maps every name.
    fn unmapped(&self, names: &[&str]) -> Vec<String> {
        let _ = names;
        Vec::new()
    }
}

/// Engine events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum EventType {
    /// A new case starts.
    #[serde(rename = "ON_PROCESS_START")]
    ProcessStart,
    /// A pended case is resumed.
    #[serde(rename = "ON_PROCESS_RESUME")]
    ProcessResume,
    /// The case pends.
    #[serde(rename = "ON_PROCESS_PEND")]
    ProcessPend,
    /// The case reached `end`.
    #[serde(rename = "ON_PROCESS_COMPLETE")]
    ProcessComplete,
    /// A ticket is acted on, or raised together with a pend.
    #[serde(rename = "ON_TICKET_RAISED")]
    TicketRaised,
    /// A persist unit ran.
    #[serde(rename = "ON_PERSIST")]
    Persist,
    /// A completed case was reopened.
    #[serde(rename = "ON_PROCESS_REOPEN")]
    ProcessReopen,
    /// A case was cancelled (wfctl's own event; the reason and who are in the variables
    /// `wfctl_cancel_reason` and `wfctl_cancelled_by`).
    #[serde(rename = "ON_PROCESS_CANCEL")]
    ProcessCancel,
}

impl EventType {
    /// The Java name, e.g. `ON_PROCESS_PEND`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ProcessStart => "ON_PROCESS_START",
            Self::ProcessResume => "ON_PROCESS_RESUME",
            Self::ProcessPend => "ON_PROCESS_PEND",
            Self::ProcessComplete => "ON_PROCESS_COMPLETE",
            Self::TicketRaised => "ON_TICKET_RAISED",
            Self::Persist => "ON_PERSIST",
            Self::ProcessReopen => "ON_PROCESS_REOPEN",
            Self::ProcessCancel => "ON_PROCESS_CANCEL",
        }
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an event handler sees (pend and resume events name the path that pended).
#[derive(Debug, Clone, Serialize)]
pub struct EventContext {
    /// The event.
    pub event: EventType,
    /// Case id.
    pub case_id: String,
    /// Journey name.
    pub journey: String,
    /// The exec path the event is about.
    pub exec_path: String,
    /// Its step (`""` for start and complete).
    pub step: String,
    /// That step's component (`""` for start, complete and persist).
    pub component: String,
    /// That step's user data.
    pub user_data: Option<String>,
    /// The pend basket (pend and resume only; `""` otherwise).
    pub workbasket: String,
    /// The pend error (pend only).
    pub pend_error: PendError,
    /// The ticket (ticket events only).
    pub ticket: String,
    /// "Pended again at the same step".
    pub pend_at_same_step: bool,
    /// Basket seen by the previous resume.
    pub last_pend_workbasket: String,
    /// Step seen by the previous resume.
    pub last_pend_step: String,
    /// A snapshot of the case's variables.
    pub variables: Variables,
}

/// A failed hook (event handler or work manager).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct HookError(pub String);

/// What the engine did, one record per line of the Java engine's log (each variant's doc is
/// that line's text). For logging under `-v` and for the conformance runner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(
    missing_docs,
    reason = "the fields are the values of the Java log line"
)]
pub enum Trace<'a> {
    /// `successfully created case`
    CaseCreated,
    /// `executing task -> <step>, component -> <c>, execution path -> <p>`
    ExecTask {
        step: &'a str,
        component: &'a str,
        path: &'a str,
    },
    /// `pending at task -> ...`
    PendTask {
        step: &'a str,
        component: &'a str,
        path: &'a str,
    },
    /// `executing singular|parallel routing rule -> <step>, execution path -> <p>`
    ExecRoute {
        parallel: bool,
        step: &'a str,
        path: &'a str,
    },
    /// `pending at route|parallel route -> <step>, component -> <c>, execution path -> <p>`
    PendRoute {
        parallel: bool,
        step: &'a str,
        component: &'a str,
        path: &'a str,
    },
    /// `executing pause task -> <step>, execution path -> <p>`
    ExecPause { step: &'a str, path: &'a str },
    /// `executing persist task -> <step>, execution path -> <p>`
    ExecPersist { step: &'a str, path: &'a str },
    /// `pending at persist task -> <step>, execution path -> <p>`
    PendPersist { step: &'a str, path: &'a str },
    /// `handling join for execution path -> <p>`
    Join { path: &'a str },
    /// `encountered ticket -> <t>, component -> <c>, execution path -> <p>`
    Ticket {
        ticket: &'a str,
        component: &'a str,
        path: &'a str,
    },
    /// `abandoning as ticket is already set -> <t>, component -> <c>, execution path -> <p>`
    TicketAbandon {
        ticket: &'a str,
        component: &'a str,
        path: &'a str,
    },
    /// `child thread exiting, execution path -> <p>`
    ChildExit { path: &'a str },
    /// `child thread going to assume parent role, execution path -> <p>`
    AssumeParent { path: &'a str },
    /// A component failed; the unit error-pends.
    ComponentFailed {
        step: &'a str,
        component: &'a str,
        message: &'a str,
    },
    /// Crash recovery parked a path in a basket.
    Recovered { path: &'a str, workbasket: &'a str },
}

/// Receives events (and, optionally, the engine's trace).
pub trait EventSink: Send + Sync {
    /// Called for each event. An error from `ON_PERSIST` error-pends the persist unit (the case
    /// stays resumable); errors from other events are reported in the outcome's warnings. Called
    /// while the case's state is locked: do not call back into the engine for the same case.
    fn event(&self, ctx: &EventContext) -> Result<(), HookError>;

    /// Called for each trace record. The default ignores them.
    fn trace(&self, trace: &Trace<'_>) {
        let _ = trace;
    }
}

/// An event sink that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoEvents;

impl EventSink for NoEvents {
    fn event(&self, _ctx: &EventContext) -> Result<(), HookError> {
        Ok(())
    }
}

/// Why milestones are being enqueued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SlaTrigger {
    /// The set-up event.
    pub setup_on: SetupOn,
    /// The basket entered or left (work-basket triggers only).
    pub workbasket: Option<String>,
}

/// The application's SLA queue. The engine only says what to enqueue and dequeue;
/// the store keeps the queued milestones as well (for `wfctl sla due`).
pub trait SlaQueue: Send + Sync {
    /// Set up these milestones (copies of the case's SLA entries).
    fn enqueue(&self, case_id: &str, trigger: &SlaTrigger, milestones: &[Milestone]);
    /// The case left `workbasket`: clear its work-basket milestones.
    fn dequeue(&self, case_id: &str, workbasket: &str);
    /// The case completed: clear everything.
    fn dequeue_all(&self, case_id: &str);
}

/// A manual work-basket change, as the work manager sees it.
#[derive(Debug, Clone, Serialize)]
pub struct WorkBasketChange {
    /// Case id.
    pub case_id: String,
    /// The pended exec path.
    pub exec_path: String,
    /// Its step.
    pub step: String,
    /// That step's component.
    pub component: String,
    /// Basket the case leaves.
    pub old_workbasket: String,
    /// Basket the case moves to.
    pub new_workbasket: String,
}

/// Told about manual work-basket changes before they are saved; an error cancels the change.
pub trait WorkManager: Send + Sync {
    /// Approve and act on the change.
    fn change_workbasket(&self, change: &WorkBasketChange) -> Result<(), HookError>;
}
