//! File names of the file store (decisions.md §4): which record a directory entry holds and
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
    /// `audit_log-{case}_{seq:05}_{unit}.json`; `candidates` lists every reading of the name
    /// (a case id may itself contain `_00001_`), longest case id first.
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
pub const COUNTERS_FILE: &str = "counters.json";

/// Classifies a file name.
pub fn classify(name: &str) -> FileKind {
    if name == COUNTERS_FILE {
        return FileKind::Counters;
    }
    let Some(stem) = name.strip_suffix(".json") else {
        return FileKind::Unknown;
    };
    let with_case = |prefix: &str| {
        stem.strip_prefix(prefix)
            .filter(|case| !case.is_empty())
            .map(str::to_owned)
    };
    if let Some(case) = with_case("workflow_process_info-") {
        FileKind::ProcessInfo(case)
    } else if let Some(case) = with_case(LEGACY_PROCESS_INFO_PREFIX) {
        FileKind::LegacyProcessInfo(case)
    } else if let Some(case) = with_case("journey_sla-") {
        FileKind::Sla(case)
    } else if let Some(case) = with_case("journey-") {
        FileKind::Journey(case)
    } else if let Some(case) = with_case("milestones-") {
        FileKind::Milestones(case)
    } else if let Some(rest) = stem.strip_prefix("audit_log-") {
        let candidates = audit_readings(rest);
        if candidates.is_empty() {
            FileKind::Unknown
        } else {
            FileKind::Audit(candidates)
        }
    } else {
        FileKind::Unknown
    }
}

/// Every split of `{case}_{seq}_{unit}` with a non-empty case, a sequence of at least five
/// digits (wider once past 99999) and a non-empty unit; longest case first.
fn audit_readings(rest: &str) -> Vec<AuditName> {
    let bytes = rest.as_bytes();
    let mut readings = Vec::new();
    for (i, _) in rest.match_indices('_') {
        if i == 0 {
            continue;
        }
        let digits = bytes[i + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let end = i + 1 + digits;
        if digits < 5 || bytes.get(end) != Some(&b'_') || end + 1 >= bytes.len() {
            continue;
        }
        let Ok(seq) = rest[i + 1..end].parse::<u64>() else {
            continue;
        };
        readings.push(AuditName {
            case_id: rest[..i].to_owned(),
            seq,
            unit: rest[end + 1..].to_owned(),
        });
    }
    readings.reverse();
    readings
}

/// The case a file belongs to, when its name says it unambiguously.
pub fn case_of(kind: &FileKind) -> Option<&str> {
    match kind {
        FileKind::ProcessInfo(c)
        | FileKind::LegacyProcessInfo(c)
        | FileKind::Journey(c)
        | FileKind::Sla(c)
        | FileKind::Milestones(c) => Some(c),
        FileKind::Audit(readings) if readings.len() == 1 => Some(&readings[0].case_id),
        _ => None,
    }
}

/// File names that may hold a case's process info or journey: a case "exists" in the file
/// store when one of them does.
pub fn anchor_names(case_id: &str) -> [String; 3] {
    [
        format!("workflow_process_info-{case_id}.json"),
        format!("{LEGACY_PROCESS_INFO_PREFIX}{case_id}.json"),
        format!("journey-{case_id}.json"),
    ]
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
            "audit_log-42_3_x.json",
            "audit_log-42_00003_.json",
            "audit_log-_00003_x.json",
            ".tmp-journey-1.json",
        ] {
            assert_eq!(classify(name), FileKind::Unknown, "{name}");
        }
    }

    #[test]
    fn ambiguous_audit_names_list_every_reading_longest_case_first() {
        assert_eq!(
            classify("audit_log-a_00001_b_00002_c.json"),
            FileKind::Audit(vec![audit("a_00001_b", 2, "c"), audit("a", 1, "b_00002_c")])
        );
        assert_eq!(case_of(&classify("audit_log-a_00001_b_00002_c.json")), None);
    }
}
