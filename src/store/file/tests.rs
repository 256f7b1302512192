//! File-specific behaviour: crash leftovers, corrupt files, ambiguous names. The behaviour all
//! stores share is in the store contract test (tests/it/store_contract.rs).

use std::fs;

use super::*;
use crate::model::counter_key;
use crate::model::{ExecPath, NewAuditRecord};
use crate::store::MilestoneChange;

const JOURNEY: &str = r#"{"journey": {"name": "j", "flow": [
    {"name": "start", "component": "c", "next": "end"}]}}"#;

fn info(step: &str) -> ProcessInfo {
    let mut info = ProcessInfo::from_json(r#"{"process_info":{"is_complete":false}}"#).unwrap();
    info.last_executed_step = step.into();
    info.exec_paths = vec![ExecPath::started(".", step)];
    info
}

fn audit(unit: &str) -> NewAuditRecord {
    NewAuditRecord {
        unit: unit.into(),
        document: info(unit),
    }
}

fn store() -> (tempfile::TempDir, FileStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::open(dir.path()).unwrap();
    (dir, store)
}

fn save(store: &FileStore, case: &str, units: &[&str]) -> Vec<u64> {
    let audit: Vec<_> = units.iter().map(|u| audit(u)).collect();
    let info = info(units.last().copied().unwrap_or("start"));
    store
        .save_point(
            case,
            &PersistPoint {
                process_info: Some(&info),
                audit: &audit,
                milestones: &[],
            },
        )
        .unwrap()
        .audit_seqs
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn writes_the_documented_layout() {
    let (dir, store) = store();
    let journey = JourneyRecord::parse(JOURNEY).unwrap();
    store.create_case("42", &journey, None).unwrap();
    let lock = store.lock_case("42", LockWait::Try).unwrap();
    assert_eq!(save(&store, "42", &["start", "step_1"]), [1, 2]);
    drop(lock);
    assert_eq!(
        names(dir.path()),
        [
            ".locks",
            "audit_log-42_00001_start.json",
            "audit_log-42_00002_step_1.json",
            "counters.json",
            "journey-42.json",
            "workflow_process_info-42.json",
        ]
    );
    // the journey exactly as given
    assert_eq!(
        fs::read_to_string(dir.path().join("journey-42.json")).unwrap(),
        JOURNEY
    );
    assert_eq!(
        read_counters(dir.path()).unwrap()[&counter_key("42")],
        2,
        "counters.json follows the audit files"
    );
}

#[test]
fn a_crashed_writer_leaves_the_sequence_to_be_recounted() {
    let (dir, store) = store();
    save(&store, "7", &["a", "b"]);
    // the next writer died after writing record 3, before releasing its lock
    let lock = dir.path().join(".locks/7.lock");
    fs::write(&lock, "running 00000000000000000002\n").unwrap();
    fs::write(
        dir.path().join("audit_log-7_00003_c.json"),
        info("c").to_json_pretty(),
    )
    .unwrap();
    assert_eq!(store.last_audit_seq("7").unwrap(), 3);
    assert_eq!(save(&store, "7", &["c"]), [4]);
    let units: Vec<_> = store
        .audit_records("7")
        .unwrap()
        .into_iter()
        .map(|r| (r.seq, r.unit))
        .collect();
    assert_eq!(
        units,
        [
            (1, "a".into()),
            (2, "b".into()),
            (3, "c".into()),
            (4, "c".into())
        ]
    );
}

#[test]
fn case_ids_whose_audit_names_could_collide_are_refused_at_creation() {
    let (dir, store) = store();
    let journey = JourneyRecord::parse(JOURNEY).unwrap();
    store.create_case("c", &journey, None).unwrap();
    // `c` with a unit `a_00002_b` would write audit_log-c_00002_a_00002_b.json, and so would
    // `c_00002_a` with a unit `b`
    let err = store.create_case("c_00002_a", &journey, None).unwrap_err();
    assert!(
        matches!(&err, Error::Unstorable { reason, .. } if reason.contains("audit sequence")),
        "{err}"
    );
    assert!(!dir.path().join("journey-c_00002_a.json").exists());
}

#[test]
fn an_audit_record_never_replaces_an_existing_file() {
    let (dir, store) = store();
    // a record name already taken (an older store with colliding ids, or a foreign file)
    fs::write(dir.path().join("audit_log-1_00001_a.json"), "theirs").unwrap();
    let journey = JourneyRecord::parse(JOURNEY).unwrap();
    store.create_case("1", &journey, None).unwrap();
    let info = info("a");
    let audit = [audit("a")];
    let point = PersistPoint {
        process_info: Some(&info),
        audit: &audit,
        milestones: &[],
    };
    let _ = store.save_point("1", &point);
    assert_eq!(
        fs::read_to_string(dir.path().join("audit_log-1_00001_a.json")).unwrap(),
        "theirs"
    );
}

#[test]
fn corrupt_files_are_named_and_left_alone() {
    let (dir, store) = store();
    save(&store, "1", &["a"]);
    let info_path = dir.path().join("workflow_process_info-1.json");
    for garbage in ["", "{\"process_info\": ", "[1]"] {
        fs::write(&info_path, garbage).unwrap();
        let err = store.process_info("1").unwrap_err();
        assert!(
            matches!(&err, Error::Corrupt { what, .. } if what.ends_with("workflow_process_info-1.json")),
            "{err}"
        );
    }
    let milestones = dir.path().join("milestones-1.json");
    fs::write(&milestones, "not json").unwrap();
    let err = store
        .save_point(
            "1",
            &PersistPoint {
                process_info: Some(&info("b")),
                milestones: &[MilestoneChange::DequeueAll],
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(matches!(err, Error::Corrupt { .. }), "{err}");
    assert_eq!(fs::read_to_string(&milestones).unwrap(), "not json");
    assert_eq!(fs::read_to_string(&info_path).unwrap(), "[1]");
    fs::write(dir.path().join("audit_log-1_00001_a.json"), "{").unwrap();
    assert!(matches!(
        store.audit_records("1"),
        Err(Error::Corrupt { what, .. }) if what.ends_with("audit_log-1_00001_a.json")
    ));
    fs::write(dir.path().join("journey-1.json"), "{\"journey\": 3}").unwrap();
    assert!(matches!(
        store.journey("1"),
        Err(Error::Corrupt { what, .. }) if what.ends_with("journey-1.json")
    ));
}

#[test]
fn readers_see_an_unfinished_commit_and_the_next_lock_finishes_it() {
    let (dir, store) = store();
    save(&store, "1", &["a"]);
    let journal = Journal {
        files: vec![
            (layout::info_file("1"), Some(info("b").to_json_pretty())),
            (layout::milestones_file("1"), Some("[]".into())),
        ],
    };
    // as if the writer died right after committing the journal
    fs::create_dir_all(dir.path().join(".journal")).unwrap();
    fs::write(
        dir.path().join(".journal/1.json"),
        serde_json::to_string(&journal).unwrap(),
    )
    .unwrap();
    assert_eq!(store.process_info("1").unwrap().unwrap(), info("b"));
    let lock = store.lock_case("1", LockWait::Try).unwrap();
    assert!(!dir.path().join(".journal/1.json").exists());
    assert_eq!(store.process_info("1").unwrap().unwrap(), info("b"));
    assert!(dir.path().join("milestones-1.json").exists());
    drop(lock);
}

#[test]
fn unsafe_case_ids_are_refused_before_touching_files() {
    let (dir, store) = store();
    let journey = JourneyRecord::parse(JOURNEY).unwrap();
    let err = store.create_case("../evil", &journey, None).unwrap_err();
    assert!(matches!(err, Error::Unstorable { .. }), "{err}");
    assert!(store.process_info("a/b").is_err());
    assert!(store.lock_case(".locks", LockWait::Try).is_err());
    assert_eq!(names(dir.path()), Vec::<String>::new());
}

#[test]
fn a_failed_audit_write_consumes_no_numbers() {
    let (_dir, store) = store();
    save(&store, "1", &["a"]);
    let bad = [audit("ok"), audit("bad/unit")];
    let err = store
        .save_point(
            "1",
            &PersistPoint {
                audit: &bad,
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(matches!(err, Error::Unstorable { .. }), "{err}");
    assert_eq!(store.audit_records("1").unwrap().len(), 1);
    assert_eq!(save(&store, "1", &["b"]), [2]);
}

#[test]
fn a_second_handle_is_refused_while_the_lock_is_held_and_gets_it_after() {
    let (dir, first) = store();
    let second = FileStore::open(dir.path()).unwrap();
    let guard = first.lock_case("9", LockWait::Try).unwrap();
    let started = std::time::Instant::now();
    let waited = second.lock_case("9", LockWait::Wait(Duration::from_millis(150)));
    assert!(matches!(waited, Err(Error::Locked { case }) if case == "9"));
    assert!(started.elapsed() >= Duration::from_millis(150));
    // the holder's threads share its lock; the other handle must wait
    assert_eq!(save(&first, "9", &["a"]), [1]);
    drop(guard);
    let guard = second.lock_case("9", LockWait::Try).unwrap();
    assert_eq!(save(&second, "9", &["b"]), [2]);
    drop(guard);
}
