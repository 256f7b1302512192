//! The in-memory state of a case during a call, and its conversion to and from the
//! process-info document.

use std::collections::BTreeMap;

use super::paths::{self, ROOT};
use crate::model::{
    END, ExecPath, Journey, PathStatus, PendError, ProcessInfo, ResponseType, Variables,
};

/// The basket of a paused path.
pub const PAUSE_WORKBASKET: &str = "workflow_pause";
/// The basket crash recovery parks interrupted paths in.
pub const TEMP_HOLD_WORKBASKET: &str = "workflow_temp_hold";

/// The runtime state of one case.
#[derive(Debug, Clone)]
pub(crate) struct CaseState {
    pub is_complete: bool,
    pub variables: Variables,
    /// A raised ticket not yet acted on; first writer wins.
    pub ticket: String,
    pub ticket_urt: ResponseType,
    pub pend_exec_path: String,
    pub paths: BTreeMap<String, ExecPath>,
    pub last_unit: String,
    pub pend_at_same_step: bool,
    pub last_pend_workbasket: String,
    pub last_pend_step: String,
}

impl CaseState {
    /// A new case: the journey's variables and no exec path yet.
    pub fn fresh(journey: &Journey) -> Self {
        Self {
            is_complete: false,
            variables: journey.process_variables.iter().cloned().collect(),
            ticket: String::new(),
            ticket_urt: ResponseType::OkProceed,
            pend_exec_path: String::new(),
            paths: BTreeMap::new(),
            last_unit: String::new(),
            pend_at_same_step: false,
            last_pend_workbasket: String::new(),
            last_pend_step: String::new(),
        }
    }

    /// The state a stored document describes.
    pub fn from_process_info(info: ProcessInfo) -> Self {
        Self {
            is_complete: info.is_complete,
            variables: info.process_variables,
            ticket: info.ticket,
            ticket_urt: info.ticket_urt.unwrap_or(ResponseType::OkProceed),
            pend_exec_path: info.pend_exec_path,
            paths: info
                .exec_paths
                .into_iter()
                .map(|p| (p.name.clone(), p))
                .collect(),
            last_unit: info.last_executed_step,
            pend_at_same_step: info.is_pend_at_same_step,
            last_pend_workbasket: info.last_pend_workbasket,
            last_pend_step: info.last_pend_step,
        }
    }

    /// The process-info document of this state. `last_unit` overrides the recorded unit (audit
    /// records name the unit they record).
    pub fn to_process_info(
        &self,
        journey: &Journey,
        ts: i64,
        last_unit: Option<&str>,
        branches: Option<Vec<String>>,
    ) -> ProcessInfo {
        let last = last_unit.unwrap_or(&self.last_unit);
        ProcessInfo {
            last_executed_step: last.to_owned(),
            last_executed_comp_name: component_of(journey, last),
            pend_exec_path: self.pend_exec_path.clone(),
            ts,
            is_complete: self.is_complete,
            process_variables: self.variables.clone(),
            exec_paths: self
                .paths
                .values()
                .map(|p| ExecPath {
                    comp_name: component_of(journey, &p.step),
                    ..p.clone()
                })
                .collect(),
            ticket: self.ticket.clone(),
            branches,
            is_pend_at_same_step: self.pend_at_same_step,
            ticket_urt: (!self.ticket.is_empty()).then_some(self.ticket_urt),
            last_pend_workbasket: self.last_pend_workbasket.clone(),
            last_pend_step: self.last_pend_step.clone(),
        }
    }

    /// Records `name` as the pended path: `""` clears, `.` always wins, any other
    /// name only replaces a shallower one (so the deepest wins, then the first to pend).
    pub fn set_pend_exec_path(&mut self, name: &str) {
        if name.is_empty()
            || name == ROOT
            || paths::depth(name) > paths::depth(&self.pend_exec_path)
        {
            self.pend_exec_path = name.to_owned();
        }
    }

    /// Sets the case ticket; a second ticket while one is set is ignored (first writer wins).
    pub fn raise_ticket(&mut self, ticket: &str, urt: ResponseType) {
        if self.ticket.is_empty() {
            self.ticket = ticket.to_owned();
            self.ticket_urt = urt;
        }
    }

    /// Clears the case ticket.
    pub fn clear_ticket(&mut self) {
        self.ticket.clear();
        self.ticket_urt = ResponseType::OkProceed;
    }

    /// An exec path that the engine itself created or loaded. Missing paths are engine bugs
    /// reported as errors by the callers that can meet them (resume); here they are invariants.
    pub fn path_mut(&mut self, name: &str) -> &mut ExecPath {
        self.paths
            .entry(name.to_owned())
            .or_insert_with(|| ExecPath::started(name, ""))
    }

    /// Marks a path as stopped after running `step` with `urt`.
    pub fn stop_path(&mut self, name: &str, step: &str, urt: ResponseType) -> &mut ExecPath {
        let path = self.path_mut(name);
        path.status = PathStatus::Completed;
        path.step = step.to_owned();
        path.unit_response_type = Some(urt);
        path
    }

    /// Pends a path in `workbasket` after `step` answered `urt` (with `error` for error pends).
    pub fn pend_path(
        &mut self,
        name: &str,
        step: &str,
        urt: ResponseType,
        workbasket: &str,
        error: PendError,
    ) {
        let path = self.stop_path(name, step, urt);
        path.pend_workbasket = workbasket.to_owned();
        path.pend_error = error;
    }
}

/// The component name documents show for a step: `end` for `end`, `""` for unknown steps.
pub(crate) fn component_of(journey: &Journey, step: &str) -> String {
    if step == END {
        return END.to_owned();
    }
    journey
        .unit(step)
        .map(|u| u.component_name().to_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> CaseState {
        let journey = Journey::parse(
            r#"{"journey":{"name":"j","flow":[{"name":"start","component":"c","next":"end"}]}}"#,
        )
        .unwrap();
        CaseState::fresh(&journey)
    }

    #[test]
    fn pend_path_rule_deepest_wins_then_first() {
        let mut s = state();
        s.set_pend_exec_path(".r.2.");
        s.set_pend_exec_path(".r.3.");
        assert_eq!(s.pend_exec_path, ".r.2.", "equal depth: the first stays");
        s.set_pend_exec_path(".r.1.q.1.");
        assert_eq!(s.pend_exec_path, ".r.1.q.1.", "deeper wins");
        s.set_pend_exec_path(".");
        assert_eq!(s.pend_exec_path, ".", "the root always wins");
        s.set_pend_exec_path("");
        assert_eq!(s.pend_exec_path, "");
    }

    #[test]
    fn first_ticket_wins() {
        let mut s = state();
        s.raise_ticket("a", ResponseType::OkPend);
        s.raise_ticket("b", ResponseType::OkProceed);
        assert_eq!(
            (s.ticket.as_str(), s.ticket_urt),
            ("a", ResponseType::OkPend)
        );
        s.clear_ticket();
        assert_eq!(
            (s.ticket.as_str(), s.ticket_urt),
            ("", ResponseType::OkProceed)
        );
    }
}
