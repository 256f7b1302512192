//! model: journeys, SLA definitions, case state (process info), variables and audit records as
//! plain data with serde, plus the journey/SLA validators. No I/O.

mod audit;
mod case_id;
mod journey;
pub(crate) mod json;
mod problem;
mod process_info;
mod sla;
mod validate;
mod variables;

pub use audit::{
    AUDIT_PREFIX, AuditRecord, COUNTER_PREFIX, LEGACY_PROCESS_INFO_PREFIX, MAX_FILE_NAME_BYTES,
    MAX_UNIT_NAME_BYTES, NewAuditRecord, SET_VARIABLES_UNIT, WORK_BASKET_CHANGE_UNIT, audit_key,
    counter_key, journey_key, process_info_key, sla_key, unit_name_problem,
};
pub use case_id::{
    AUDIT_SEQ_MIN_DIGITS, MAX_CASE_ID_BYTES, case_id_problem, is_unprintable,
    name_component_problem, unprintable_problem,
};
pub use journey::{Branch, END, Journey, JourneyRecord, START, Ticket, Unit, UnitKind};
pub use problem::{DocumentError, Problem};
pub use process_info::{ExecPath, PathStatus, PendError, ProcessInfo, ResponseType};
pub use sla::{
    ClockStarts, FurtherMilestone, Milestone, MilestoneType, Offset, SetupOn, Sla, is_valid_action,
};
pub use variables::{
    UNSTORABLE_CHAR, VarType, VarValue, Variable, Variables, exact, storable_lossy,
    unstorable_name, unstorable_text, workbasket_problem,
};
