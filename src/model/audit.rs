//! Audit records and their keys (`audit_log-{case}_{seq:05}_{unit}`, sequence from 1).

use serde::{Deserialize, Serialize};

use super::process_info::ProcessInfo;

/// Key of a case's journey record.
pub fn journey_key(case_id: &str) -> String {
    format!("journey-{case_id}")
}

/// Key of a case's SLA record.
pub fn sla_key(case_id: &str) -> String {
    format!("journey_sla-{case_id}")
}

/// Key of a case's process-info record.
pub fn process_info_key(case_id: &str) -> String {
    format!("workflow_process_info-{case_id}")
}

/// The Java code's (misspelt) process-info key prefix, accepted as an alias when importing.
pub const LEGACY_PROCESS_INFO_PREFIX: &str = "worflow_info-";

/// Key of an audit record: `audit_log-{case}_{seq:05}_{unit}`.
pub fn audit_key(case_id: &str, seq: u64, unit: &str) -> String {
    format!("audit_log-{case_id}_{seq:05}_{unit}")
}

/// The audit name of a work-basket change.
pub const WORK_BASKET_CHANGE_UNIT: &str = "WorkflowManagerService";

/// The audit name of a variable change made outside a run.
pub const SET_VARIABLES_UNIT: &str = "set_variables";

/// An audit record before the store has given it a sequence number.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAuditRecord {
    /// The unit whose execution is recorded (or [`WORK_BASKET_CHANGE_UNIT`], ...).
    pub unit: String,
    /// The process-info document at that moment (with `branches` for routes).
    pub document: ProcessInfo,
}

/// A stored audit record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// Case id.
    pub case_id: String,
    /// Sequence number within the case, from 1, without gaps from failed writes.
    pub seq: u64,
    /// Recorded unit.
    pub unit: String,
    /// The process-info document at that moment (its `ts` is the record's time).
    pub document: ProcessInfo,
}

impl AuditRecord {
    /// The record key: `audit_log-{case}_{seq:05}_{unit}`.
    pub fn key(&self) -> String {
        audit_key(&self.case_id, self.seq, &self.unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_decisions() {
        assert_eq!(audit_key("42", 3, "route_1"), "audit_log-42_00003_route_1");
        assert_eq!(audit_key("42", 123_456, "x"), "audit_log-42_123456_x");
        assert_eq!(process_info_key("42"), "workflow_process_info-42");
        assert_eq!(journey_key("42"), "journey-42");
        assert_eq!(sla_key("42"), "journey_sla-42");
    }
}
