//! What an engine call returns: where the case stands and what the call did.

use serde::Serialize;

use super::state::{CaseState, component_of};
use crate::model::{Journey, PendError, ResponseType};

/// Whether the case pended or completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeStatus {
    /// Waiting in a work basket.
    Pended,
    /// Reached `end`.
    Completed,
}

/// Where a pended case waits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PendInfo {
    /// The pended exec path.
    pub exec_path: String,
    /// Its step.
    pub step: String,
    /// That step's component.
    pub component: String,
    /// The basket.
    pub workbasket: String,
    /// The response that pended it.
    pub response: Option<ResponseType>,
    /// Error details of an error pend.
    pub error: PendError,
    /// A ticket that will be acted on at the next resume.
    pub ticket: String,
}

/// The result of an engine call.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// Case id.
    pub case_id: String,
    /// Pended or completed.
    pub status: OutcomeStatus,
    /// Set when pended.
    pub pend: Option<PendInfo>,
    /// Units executed by this call (all threads).
    pub units_executed: u64,
    /// Hook failures that did not stop the run.
    pub warnings: Vec<String>,
}

impl Outcome {
    pub(crate) fn from_state(
        case_id: &str,
        journey: &Journey,
        state: &CaseState,
        units: u64,
        warnings: Vec<String>,
    ) -> Self {
        let pend = (!state.is_complete)
            .then(|| state.paths.get(&state.pend_exec_path))
            .flatten()
            .map(|p| PendInfo {
                exec_path: p.name.clone(),
                step: p.step.clone(),
                component: component_of(journey, &p.step),
                workbasket: p.pend_workbasket.clone(),
                response: p.unit_response_type,
                error: p.pend_error.clone(),
                ticket: state.ticket.clone(),
            });
        Self {
            case_id: case_id.to_owned(),
            status: if state.is_complete {
                OutcomeStatus::Completed
            } else {
                OutcomeStatus::Pended
            },
            pend,
            units_executed: units,
            warnings,
        }
    }

    /// Whether the case completed.
    pub fn is_complete(&self) -> bool {
        self.status == OutcomeStatus::Completed
    }
}
