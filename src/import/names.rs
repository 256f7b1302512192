//! File names of the file store: which record a directory entry holds and
//! for which case. Pure string work; the scanner decides what to do with each kind.

use crate::model::LEGACY_PROCESS_INFO_PREFIX;

/// What a directory entry is, from its name alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    /// `workflow_process_info-{case}.json`
    ProcessInfo(String),
    /// `worflow_info-{case}.json`, the Java code's misspelt key.
    LegacyProcessInfo(String),
    /// `journey-{case}.json`
    Journey(String),
    /// `journey_sla-{case}.json`
    Sla(String),
    /// `milestones-{case}.json`
    Milestones(String),
    /// `wfctl_cancel-{case}.json`: wfctl's record of a cancelled case.
    Cancel(String),
    /// `audit_log-{case}_{seq:05}_{unit}.json`, with every reading of the name (a case id may
    /// itself contain `_00001_`), shortest case id first.
    Audit(Vec<AuditName>),
    /// `counters.json`
    Counters,
    /// A name the file store never writes.
    Unknown,
}

/// One reading of an audit file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditName {
    /// Case id.
    pub case_id: String,
    /// Audit sequence number.
    pub seq: u64,
    /// Recorded unit.
    pub unit: String,
}

/// The name of the file holding the audit counters.
pub(crate) const COUNTERS_FILE: &str = "counters.json";

/// Classifies a file name, with the file store's own parser (`store::file::parse_name`).
pub fn classify(name: &str) -> FileKind {
    use crate::store::file::{FileKind as Store, parse_name};
    if let Some(case) = cancel_case(name) {
        return FileKind::Cancel(case.to_owned());
    }
    match parse_name(name) {
        None => FileKind::Unknown,
        Some(Store::Counters) => FileKind::Counters,
        Some(Store::ProcessInfo(case)) if name.starts_with(LEGACY_PROCESS_INFO_PREFIX) => {
            FileKind::LegacyProcessInfo(case)
        }
        Some(Store::ProcessInfo(case)) => FileKind::ProcessInfo(case),
        Some(Store::Journey(case)) => FileKind::Journey(case),
        Some(Store::Sla(case)) => FileKind::Sla(case),
        Some(Store::Milestones(case)) => FileKind::Milestones(case),
        Some(Store::Audit(rest)) => {
            let readings = audit_readings(&rest);
            if readings.is_empty() {
                FileKind::Unknown
            } else {
                FileKind::Audit(readings)
            }
        }
    }
}

/// The case of a cancel record's name (`crate::store::file::layout::cancel_file`).
fn cancel_case(name: &str) -> Option<&str> {
    let prefix = crate::store::file::layout::cancel_file("");
    let (head, ext) = prefix.split_at(prefix.len() - crate::store::file::layout::EXT.len());
    name.strip_prefix(head)?
        .strip_suffix(ext)
        .filter(|case| !case.is_empty())
}

/// Every split of `{case}_{seq}_{unit}`, shortest case id first, exactly as the file store
/// reads them.
fn audit_readings(rest: &str) -> Vec<AuditName> {
    crate::store::file::audit_readings(rest)
        .into_iter()
        .map(|(case_id, seq, unit)| AuditName {
            case_id: case_id.to_owned(),
            seq,
            unit: unit.to_owned(),
        })
        .collect()
}

/// The reading of an ambiguous audit name, by the file store's rule
/// (`store::file::audit_owner`): the longest case id that has a journey file, else the
/// shortest reading.
pub(crate) fn owner_of(
    name: &str,
    readings: &[AuditName],
    has_journey: impl Fn(&str) -> bool,
) -> AuditName {
    let known: std::collections::HashSet<String> = readings
        .iter()
        .filter(|r| has_journey(&r.case_id))
        .map(|r| r.case_id.clone())
        .collect();
    let rest = name
        .strip_prefix(crate::model::AUDIT_PREFIX)
        .and_then(|r| r.strip_suffix(".json"))
        .unwrap_or(name);
    let owner = crate::store::file::audit_owner(rest, &known).map(|(case, _, _)| case.to_owned());
    readings
        .iter()
        .find(|r| Some(&r.case_id) == owner.as_ref())
        .unwrap_or(&readings[0])
        .clone()
}

/// The case a file belongs to, when its name says it unambiguously.
pub(crate) fn case_of(kind: &FileKind) -> Option<&str> {
    match kind {
        FileKind::ProcessInfo(c)
        | FileKind::LegacyProcessInfo(c)
        | FileKind::Journey(c)
        | FileKind::Sla(c)
        | FileKind::Milestones(c)
        | FileKind::Cancel(c) => Some(c),
        FileKind::Audit(readings) if readings.len() == 1 => Some(&readings[0].case_id),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn audit(case: &str, seq: u64, unit: &str) -> AuditName {
        AuditName {
            case_id: case.into(),
            seq,
            unit: unit.into(),
        }
    }

    #[test]
    fn every_record_kind_is_recognised() {
        assert_eq!(
            classify("workflow_process_info-42.json"),
            FileKind::ProcessInfo("42".into())
        );
        assert_eq!(
            classify("worflow_info-42.json"),
            FileKind::LegacyProcessInfo("42".into())
        );
        assert_eq!(
            classify("journey-a-b.json"),
            FileKind::Journey("a-b".into())
        );
        assert_eq!(classify("journey_sla-7.json"), FileKind::Sla("7".into()));
        assert_eq!(
            classify("milestones-7.json"),
            FileKind::Milestones("7".into())
        );
        assert_eq!(classify("counters.json"), FileKind::Counters);
        assert_eq!(
            classify("audit_log-42_00003_route_1.json"),
            FileKind::Audit(vec![audit("42", 3, "route_1")])
        );
        assert_eq!(
            classify("audit_log-42_123456_x.json"),
            FileKind::Audit(vec![audit("42", 123_456, "x")])
        );
    }

    #[test]
    fn odd_names_are_unknown() {
        for name in [
            "journey-.json",
            "notes.txt",
            "workflow_process_info-42.json.bak",
            "audit_log-42_x.json",
            "audit_log-42_00003_.json",
            "audit_log-_00003_x.json",
            ".tmp-journey-1.json",
        ] {
            assert_eq!(classify(name), FileKind::Unknown, "{name}");
        }
    }

    #[test]
    fn ambiguous_audit_names_go_to_the_longest_case_with_a_journey() {
        let name = "audit_log-a_00001_b_00002_c.json";
        let FileKind::Audit(readings) = classify(name) else {
            panic!("an audit name");
        };
        assert_eq!(
            readings,
            vec![audit("a", 1, "b_00002_c"), audit("a_00001_b", 2, "c")]
        );
        assert_eq!(case_of(&FileKind::Audit(readings.clone())), None);
        assert_eq!(
            owner_of(name, &readings, |c| c == "a_00001_b").case_id,
            "a_00001_b"
        );
        assert_eq!(owner_of(name, &readings, |c| c == "a").case_id, "a");
        assert_eq!(owner_of(name, &readings, |_| true).case_id, "a_00001_b");
        assert_eq!(owner_of(name, &readings, |_| false).case_id, "a");
    }
}
