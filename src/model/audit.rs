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

/// What every audit record's key starts with.
pub const AUDIT_PREFIX: &str = "audit_log-";

/// Key of an audit record: `audit_log-{case}_{seq:05}_{unit}`.
pub fn audit_key(case_id: &str, seq: u64, unit: &str) -> String {
    format!("{AUDIT_PREFIX}{case_id}_{seq:05}_{unit}")
}

/// Longest file name most file systems accept (bytes): an audit record's file name in the
/// file store, `{audit_key}.json`, must fit it.
pub const MAX_FILE_NAME_BYTES: usize = 255;

/// Digits of the longest audit sequence a case gets in practice (`{seq:05}` grows past 5).
const AUDIT_SEQ_MAX_DIGITS: usize = 7;

/// Bytes of an audit record's file name besides its case id and unit name.
const AUDIT_NAME_FRAME: usize = AUDIT_PREFIX.len() + 1 + AUDIT_SEQ_MAX_DIGITS + 1 + ".json".len();

/// Longest unit name in bytes, whatever the case id: the audit record names of a case with a
/// one-character id must fit [`MAX_FILE_NAME_BYTES`]. The same limit on every store, so a
/// journey that runs on one runs on the other.
pub const MAX_UNIT_NAME_BYTES: usize = MAX_FILE_NAME_BYTES - AUDIT_NAME_FRAME - 1;

/// Why `unit` cannot name the audit records of case `case_id` (its record names would be too
/// long for a file name), `None` when it can.
pub fn unit_name_problem(case_id: &str, unit: &str) -> Option<String> {
    let room = MAX_FILE_NAME_BYTES
        .saturating_sub(AUDIT_NAME_FRAME)
        .saturating_sub(case_id.len());
    (unit.len() > room).then(|| {
        format!(
            "is {} bytes long; with case id {case_id:?} ({} bytes) a unit name may have {room} \
             (an audit record's name, {AUDIT_PREFIX}{{case}}_{{sequence}}_{{unit}}.json, must \
             fit {MAX_FILE_NAME_BYTES} bytes)",
            unit.len(),
            case_id.len()
        )
    })
}

/// What every case's audit counter name starts with.
pub const COUNTER_PREFIX: &str = "workflow_audit_log_counter-";

/// Name of a case's audit counter (the last sequence number given): its key in the file
/// store's `counters.json` and its `workflow_counters.name` in PostgreSQL.
pub fn counter_key(case_id: &str) -> String {
    format!("{COUNTER_PREFIX}{case_id}")
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
    fn keys_follow_the_seed_schema_formats() {
        assert_eq!(audit_key("42", 3, "route_1"), "audit_log-42_00003_route_1");
        assert_eq!(audit_key("42", 123_456, "x"), "audit_log-42_123456_x");
        assert_eq!(process_info_key("42"), "workflow_process_info-42");
        assert_eq!(journey_key("42"), "journey-42");
        assert_eq!(sla_key("42"), "journey_sla-42");
        assert_eq!(counter_key("42"), "workflow_audit_log_counter-42");
    }
}

#[cfg(test)]
mod unit_name_tests {
    use super::*;

    #[test]
    fn a_unit_name_fits_when_its_longest_audit_file_name_does() {
        let case = "c".repeat(20);
        let room = MAX_FILE_NAME_BYTES - AUDIT_NAME_FRAME - case.len();
        let fits = "u".repeat(room);
        assert_eq!(unit_name_problem(&case, &fits), None);
        assert_eq!(
            format!("{}.json", audit_key(&case, 9_999_999, &fits)).len(),
            MAX_FILE_NAME_BYTES
        );
        let why = unit_name_problem(&case, &format!("{fits}u")).unwrap();
        assert!(why.contains(&format!("may have {room}")), "{why}");
        assert_eq!(
            unit_name_problem("c", &"u".repeat(MAX_UNIT_NAME_BYTES)),
            None
        );
        assert!(unit_name_problem("c", &"u".repeat(MAX_UNIT_NAME_BYTES + 1)).is_some());
    }
}
