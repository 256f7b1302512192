//! The conformance suite (`tests/conformance`) on every store (memory, files, PostgreSQL),
//! and the parallel scenarios repeated with `max_threads` 10 and 0 (a pool and one thread).

use std::path::PathBuf;

use wfctl::conformance::{self, Loaded, StoreKind, StoreSource};
use wfctl::db::DatabaseUrl;

use crate::support::TestDb;

fn suite() -> Vec<Loaded> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
    let loaded: Vec<Loaded> = conformance::load_dir(&dir)
        .expect("the conformance directory is readable")
        .into_iter()
        .map(|entry| entry.expect("every scenario loads"))
        .collect();
    assert_eq!(loaded.len(), 24, "scenarios found under {}", dir.display());
    loaded
}

fn long_tests() -> bool {
    std::env::var_os("WFCTL_LONG_TESTS").is_some_and(|v| v == "1")
}

/// Stores for the suite: file stores on tmpfs when there is one (the scenarios test logic, not
/// the disk), PostgreSQL in schemas of a test database (`None` when PostgreSQL is unavailable
/// and not required).
pub fn test_stores(db: Option<&TestDb>) -> StoreSource {
    let shm = std::path::Path::new("/dev/shm");
    StoreSource {
        database_url: db.map(|db| DatabaseUrl::parse(&db.url).unwrap()),
        file_root: shm.is_dir().then(|| shm.to_path_buf()),
    }
}

#[test]
fn every_scenario_passes_on_every_store() {
    let db = TestDb::new();
    let source = test_stores(db.as_ref());
    let mut stores = vec![StoreKind::Memory, StoreKind::File];
    if db.is_some() {
        stores.push(StoreKind::Pg);
    }
    // one thread per store: the scenarios' sleeps (about 5 s) then overlap
    let suite = suite();
    let failures: Vec<String> = std::thread::scope(|s| {
        let runs: Vec<_> = stores
            .into_iter()
            .map(|kind| {
                let (source, suite) = (&source, &suite);
                s.spawn(move || {
                    let mut failures = Vec::new();
                    for loaded in suite {
                        let store = source.open(kind).unwrap();
                        let verdict = conformance::run_on(loaded, store.as_ref(), None);
                        if !verdict.passed() {
                            failures.push(format!(
                                "{} [{kind}]: {}",
                                verdict.name, verdict.problems[0]
                            ));
                        }
                    }
                    failures
                })
            })
            .collect();
        runs.into_iter().flat_map(|r| r.join().unwrap()).collect()
    });
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Total delay the scripted components sleep in one run of a scenario (upper bound).
fn sleeps_ms(loaded: &Loaded) -> u64 {
    let s = &loaded.scenario;
    let queued: u64 = s.tasks.values().flatten().map(|t| t.delay_ms).sum();
    queued + s.task_fixed_delay_ms.values().sum::<u64>()
}

#[test]
fn parallel_scenarios_pass_repeatedly_with_10_threads_and_with_0() {
    // 50 runs each as issue 4 asks; scenarios that sleep (ticket ordering, 1 s steps) run 50
    // times only under WFCTL_LONG_TESTS=1, twice otherwise, to keep the suite fast
    let mut failures = Vec::new();
    let mut runs = 0;
    for loaded in suite()
        .iter()
        .filter(|l| l.scenario.ordering == "per_exec_path")
    {
        let repeats = if long_tests() || sleeps_ms(loaded) == 0 {
            50
        } else {
            2
        };
        for max_threads in [10, 0] {
            for _ in 0..repeats {
                let verdict =
                    conformance::run(loaded, StoreKind::Memory, Some(max_threads)).unwrap();
                runs += 1;
                if !verdict.passed() {
                    failures.push(format!(
                        "{} (max_threads {max_threads}): {}",
                        verdict.name, verdict.problems[0]
                    ));
                }
            }
        }
    }
    assert!(runs >= 9 * 2 * 2, "{runs} runs");
    assert!(
        failures.is_empty(),
        "{} failures, first: {:#?}",
        failures.len(),
        &failures[..failures.len().min(3)]
    );
}

#[test]
fn a_wrong_record_is_reported_as_a_failure() {
    // the comparator must be able to fail: change one expected record and run again
    let mut loaded = suite()
        .into_iter()
        .find(|l| l.scenario.name == "singular_test_scenario_3")
        .unwrap();
    loaded.scenario.expected[3]["step"] = serde_json::json!("step_x");
    let verdict = conformance::run(&loaded, StoreKind::Memory, None).unwrap();
    assert!(!verdict.passed());
    assert!(
        verdict.problems[0].starts_with("record 3: expected"),
        "{}",
        verdict.problems[0]
    );
}

#[test]
fn a_scenario_that_cannot_load_fails_alone() {
    let dir = tempfile::tempdir().unwrap();
    let suite_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
    std::fs::create_dir(dir.path().join("journeys")).unwrap();
    std::fs::create_dir(dir.path().join("scenarios")).unwrap();
    let journey = "journeys/parallel_test.json";
    std::fs::copy(suite_dir.join(journey), dir.path().join(journey)).unwrap();
    std::fs::copy(
        suite_dir.join("scenarios/parallel_test_scenario_1.json"),
        dir.path().join("scenarios/parallel_test_scenario_1.json"),
    )
    .unwrap();
    std::fs::write(dir.path().join("scenarios/broken.json"), "{\"name\": ").unwrap();
    let entries = conformance::load_dir(dir.path()).unwrap();
    assert_eq!(entries.len(), 2);
    let broken = entries[0].as_ref().unwrap_err();
    assert_eq!(broken.name, "broken");
    let verdict = conformance::run(entries[1].as_ref().unwrap(), StoreKind::Memory, None).unwrap();
    assert!(verdict.passed(), "{:?}", verdict.problems);
}

#[test]
fn stores_that_cannot_be_opened_say_why() {
    let source = StoreSource::default();
    assert!(source.open(StoreKind::Memory).is_ok());
    assert!(source.open(StoreKind::File).is_ok());
    let err = source.open(StoreKind::Pg).err().unwrap();
    assert_eq!(
        err.to_string(),
        "cannot open a `pg` store: DATABASE_URL is not set"
    );
}

#[test]
fn scratch_stores_leave_nothing_behind() {
    let db = crate::pg_or_skip!(TestDb::new());
    let dir = tempfile::tempdir().unwrap();
    let source = StoreSource {
        file_root: Some(dir.path().to_path_buf()),
        ..test_stores(Some(&db))
    };
    for kind in [StoreKind::File, StoreKind::Pg] {
        let store = source.open(kind).unwrap();
        assert!(store.list_cases().unwrap().is_empty(), "{kind}");
        drop(store);
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    use diesel::RunQueryDsl;
    let schemas: Count = diesel::sql_query(
        "SELECT count(*) AS n FROM pg_namespace WHERE nspname LIKE 'wfctl_run_%'",
    )
    .get_result(&mut db.conn())
    .unwrap();
    assert_eq!(schemas.n, 0);
}

/// The runner as users run it, and the reference comparator judging what it emits: every
/// scenario's records, written with `--emit`, are accepted by `check.py`.
#[test]
fn check_py_accepts_the_records_the_runner_emits() {
    if std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("WFCTL_REQUIRE_PG").is_none(),
            "python3 is needed for check.py"
        );
        eprintln!("skipping: no python3");
        return;
    }
    let suite_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
    let out = tempfile::tempdir().unwrap();
    let run = std::process::Command::new(crate::support::example_bin("conformance"))
        .arg(&suite_dir)
        .args(["--store", "memory", "--emit"])
        .arg(out.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{stdout}");
    assert_eq!(
        stdout.lines().last(),
        Some("24 passed, 0 failed"),
        "{stdout}"
    );
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("PASS ")).count(),
        24
    );
    let mut judged = 0;
    for loaded in suite() {
        let emitted = out.path().join(format!("{}.jsonl", loaded.scenario.name));
        let check = std::process::Command::new("python3")
            .arg(suite_dir.join("check.py"))
            .arg(&loaded.path)
            .arg(&emitted)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "check.py rejects {}: {}{}",
            emitted.display(),
            String::from_utf8_lossy(&check.stdout),
            String::from_utf8_lossy(&check.stderr)
        );
        judged += 1;
    }
    assert_eq!(judged, 24);
}
