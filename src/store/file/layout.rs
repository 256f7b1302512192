//! File names of the file store (one file per record) and the checks that keep ids usable as names.
//!
//! Pure functions: no I/O. The migrate-files importer reads file stores with the same parser
//! ([`parse_name`]) so that both sides agree on what a file is.

use std::collections::HashSet;

use super::super::Error;
use crate::model::{
    AUDIT_PREFIX, MAX_CASE_ID_BYTES, audit_key, journey_key, name_component_problem,
    process_info_key, sla_key,
};

/// Extension of every record file.
pub const EXT: &str = ".json";
/// The shared counters cache (see the module doc of `file`).
pub const COUNTERS: &str = "counters.json";
/// Directory of the case lock files (and the counters lock).
pub const LOCKS_DIR: &str = ".locks";
/// Directory of the multi-file commit journals.
pub const JOURNAL_DIR: &str = ".journal";
/// Directory of wfctl's own per-case sidecars (the unit attempt of an interrupted run); not
/// part of the Java file layout, hidden so that listings and tools skip it.
pub const ATTEMPTS_DIR: &str = ".attempts";
/// Lock file that serialises rewrites of `counters.json`; hidden, so that no case's lock file
/// (`{case}.lock`, case ids never start with `.`) can be it.
pub const COUNTERS_LOCK: &str = ".counters.lock";

const MILESTONES_PREFIX: &str = "milestones-";
/// Longest file name most file systems accept (bytes).
const NAME_MAX: usize = crate::model::MAX_FILE_NAME_BYTES;

/// `journey-{case}.json`
pub fn journey_file(case_id: &str) -> String {
    format!("{}{EXT}", journey_key(case_id))
}

/// `journey_sla-{case}.json`
pub fn sla_file(case_id: &str) -> String {
    format!("{}{EXT}", sla_key(case_id))
}

/// `workflow_process_info-{case}.json`
pub fn info_file(case_id: &str) -> String {
    format!("{}{EXT}", process_info_key(case_id))
}

/// `milestones-{case}.json`
pub fn milestones_file(case_id: &str) -> String {
    format!("{MILESTONES_PREFIX}{case_id}{EXT}")
}

/// `wfctl_cancel-{case}.json`: wfctl's own record of a cancelled case (see
/// [`crate::store::Cancellation`]). Its prefix is none of the guide's, so tools that read the
/// guide's files (and migrate-files) pass over it.
pub fn cancel_file(case_id: &str) -> String {
    format!("wfctl_cancel-{case_id}{EXT}")
}

/// `audit_log-{case}_{seq:05}_{unit}.json`
pub fn audit_file(case_id: &str, seq: u64, unit: &str) -> Result<String, Error> {
    let name = format!("{}{EXT}", audit_key(case_id, seq, unit));
    check_component(&format!("unit name {unit:?}"), unit)?;
    if name.len() > NAME_MAX {
        return Err(Error::Unstorable {
            what: format!("audit record name {name:?}"),
            reason: format!("longer than {NAME_MAX} bytes"),
        });
    }
    Ok(name)
}

/// `.locks/{case}.lock` (relative to the store directory).
pub fn lock_file(case_id: &str) -> String {
    format!("{case_id}.lock")
}

/// `.attempts/{case}.json` (relative to the store directory).
pub fn attempt_file(case_id: &str) -> String {
    format!("{case_id}{EXT}")
}

/// `.journal/{case}.json` (relative to the store directory).
pub fn journal_file(case_id: &str) -> String {
    format!("{case_id}{EXT}")
}

/// The only files a commit journal of `case_id` may name: the case's own one-per-case
/// records, wfctl's cancellation beside them (audit records are new files, never journalled).
pub fn journalled_files(case_id: &str) -> [String; 5] {
    [
        journey_file(case_id),
        sla_file(case_id),
        info_file(case_id),
        milestones_file(case_id),
        cancel_file(case_id),
    ]
}

/// Refuses case ids that cannot be one file name component, so that no id can reach outside
/// the store directory or collide with the store's own hidden files. New cases must also pass
/// the stricter shared rule ([`crate::store::check_case_id`]); this one keeps the cases of
/// older stores readable.
pub fn check_case_id(case_id: &str) -> Result<(), Error> {
    check_component(&format!("case id {case_id:?}"), case_id)?;
    if case_id.len() > MAX_CASE_ID_BYTES {
        return Err(Error::Unstorable {
            what: format!("case id {case_id:?}"),
            reason: format!("too long for a file name ({} bytes)", case_id.len()),
        });
    }
    Ok(())
}

fn check_component(what: &str, text: &str) -> Result<(), Error> {
    match name_component_problem(text) {
        None => Ok(()),
        Some(reason) => Err(Error::Unstorable {
            what: what.to_owned(),
            reason: reason.to_owned(),
        }),
    }
}

/// What a file in the store directory is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    /// `journey-{case}.json`
    Journey(String),
    /// `journey_sla-{case}.json`
    Sla(String),
    /// `workflow_process_info-{case}.json` (or the Java typo `worflow_info-{case}.json`)
    ProcessInfo(String),
    /// `milestones-{case}.json`
    Milestones(String),
    /// `audit_log-{rest}.json`: the case id is ambiguous until the known cases are known, see
    /// [`audit_owner`].
    Audit(String),
    /// `counters.json`
    Counters,
}

/// Classifies a file name of the store directory; `None` for anything else (hidden files,
/// temporary files, foreign files).
pub fn parse_name(name: &str) -> Option<FileKind> {
    if name == COUNTERS {
        return Some(FileKind::Counters);
    }
    let stem = name.strip_suffix(EXT)?;
    type Kind = fn(String) -> FileKind;
    let prefixes: [(&str, Kind); 6] = [
        ("journey_sla-", FileKind::Sla),
        ("journey-", FileKind::Journey),
        ("workflow_process_info-", FileKind::ProcessInfo),
        (
            crate::model::LEGACY_PROCESS_INFO_PREFIX,
            FileKind::ProcessInfo,
        ),
        (MILESTONES_PREFIX, FileKind::Milestones),
        (AUDIT_PREFIX, FileKind::Audit),
    ];
    prefixes.iter().find_map(|(prefix, kind)| {
        stem.strip_prefix(prefix)
            .filter(|rest| !rest.is_empty())
            .map(|rest| kind(rest.to_owned()))
    })
}

/// The `(case, seq, unit)` readings of an audit name's `{rest}` (`{case}_{seq}_{unit}`): one
/// per `_digits_` boundary, shortest case id first. Case ids and unit names may themselves
/// contain `_digits_`, so a name can have several readings.
pub fn audit_readings(rest: &str) -> Vec<(&str, u64, &str)> {
    let bytes = rest.as_bytes();
    let mut readings = Vec::new();
    for (i, _) in rest.match_indices('_') {
        let digits = bytes[i + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let end = i + 1 + digits;
        if i == 0 || digits == 0 || bytes.get(end) != Some(&b'_') || end + 1 >= bytes.len() {
            continue;
        }
        if let Ok(seq) = rest[i + 1..end].parse() {
            readings.push((&rest[..i], seq, &rest[end + 1..]));
        }
    }
    readings
}

/// The reading of an audit name that belongs to a case: among the readings whose case id is
/// a known case (one with a journey file), the longest case id wins, so that the records of
/// case `7_00001` are never taken for those of case `7`. When no reading names a known case,
/// the shortest reading is used.
pub fn audit_owner<'a>(rest: &'a str, known: &HashSet<String>) -> Option<(&'a str, u64, &'a str)> {
    let readings = audit_readings(rest);
    readings
        .iter()
        .rev()
        .find(|(case, _, _)| known.contains(*case))
        .or_else(|| readings.first())
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_file_store_formats() {
        assert_eq!(journey_file("42"), "journey-42.json");
        assert_eq!(sla_file("42"), "journey_sla-42.json");
        assert_eq!(info_file("42"), "workflow_process_info-42.json");
        assert_eq!(milestones_file("42"), "milestones-42.json");
        assert_eq!(
            audit_file("42", 3, "route_1").unwrap(),
            "audit_log-42_00003_route_1.json"
        );
    }

    #[test]
    fn unsafe_case_ids_and_units_are_refused() {
        for bad in ["", "../x", "a/b", ".hidden", "a\\b", "a\nb"] {
            assert!(
                matches!(check_case_id(bad), Err(Error::Unstorable { .. })),
                "{bad:?}"
            );
        }
        assert!(check_case_id(&"x".repeat(300)).is_err());
        assert!(check_case_id("order-42_a b").is_ok());
        assert!(audit_file("1", 1, "a/b").is_err());
    }

    #[test]
    fn file_kinds_are_recognised() {
        assert_eq!(
            parse_name("journey_sla-7.json"),
            Some(FileKind::Sla("7".into()))
        );
        assert_eq!(
            parse_name("journey-7.json"),
            Some(FileKind::Journey("7".into()))
        );
        assert_eq!(
            parse_name("worflow_info-7.json"),
            Some(FileKind::ProcessInfo("7".into()))
        );
        assert_eq!(
            parse_name("audit_log-7_00001_start.json"),
            Some(FileKind::Audit("7_00001_start".into()))
        );
        assert_eq!(parse_name("counters.json"), Some(FileKind::Counters));
        assert_eq!(parse_name(".tmp-1-2"), None);
        assert_eq!(parse_name("journey-.json"), None);
        assert_eq!(parse_name("notes.txt"), None);
    }

    #[test]
    fn ambiguous_audit_names_go_to_the_longest_known_case() {
        let rest = "7_00001_00002_step_1";
        assert_eq!(
            audit_readings(rest),
            [("7", 1, "00002_step_1"), ("7_00001", 2, "step_1")]
        );
        let known: HashSet<String> = ["7".to_owned(), "7_00001".to_owned()].into();
        assert_eq!(audit_owner(rest, &known), Some(("7_00001", 2, "step_1")));
        let only_7: HashSet<String> = ["7".to_owned()].into();
        assert_eq!(audit_owner(rest, &only_7), Some(("7", 1, "00002_step_1")));
        assert_eq!(audit_owner("7_x_start", &known), None);
        assert_eq!(audit_owner("7_123456_u", &known), Some(("7", 123_456, "u")));
    }
}
