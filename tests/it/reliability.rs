//! Reliability with real processes (issue 5, item 5), driven through `examples/drive_case.rs`
//! until `wfctl case` exists: `kill -9` at random moments during a long journey, 8 processes
//! resuming the same pended cases at once, and a PostgreSQL restart in the middle of a run.
//! Each runs on the file store and on PostgreSQL; the long variants (100 kills per store, 200
//! cases) run under `WFCTL_LONG_TESTS=1`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use wfctl::db::{DatabaseUrl, PoolOptions};
use wfctl::model::ProcessInfo;
use wfctl::store::{FileStore, PgStore, Store};

use crate::support::TestDb;
use crate::support::cluster::{as_owner, find_bin};

fn long_tests() -> bool {
    std::env::var_os("WFCTL_LONG_TESTS").is_some_and(|v| v == "1")
}

/// The driver binary.
fn drive_case() -> PathBuf {
    crate::support::example_bin("drive_case")
}

/// Where the cases live: a file store directory or a PostgreSQL database.
enum Target {
    Files(tempfile::TempDir),
    Pg(String),
}

impl Target {
    fn files() -> Self {
        // real disk, not tmpfs: the file store's fsync and rename are part of what is tested
        Self::Files(tempfile::tempdir().unwrap())
    }

    fn command(&self, marks: &Path) -> Command {
        let mut cmd = Command::new(drive_case());
        match self {
            Self::Files(dir) => {
                cmd.arg("--dir").arg(dir.path());
            }
            Self::Pg(url) => {
                cmd.arg("--pg").env("DATABASE_URL", url);
            }
        }
        cmd.arg("--marks").arg(marks);
        cmd
    }

    fn store(&self) -> Box<dyn Store> {
        match self {
            Self::Files(dir) => Box::new(FileStore::open(dir.path()).unwrap()),
            Self::Pg(url) => Box::new(
                PgStore::connect(&DatabaseUrl::parse(url).unwrap(), &PoolOptions::default())
                    .unwrap(),
            ),
        }
    }
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("drive_case runs")
}

#[track_caller]
fn expect_ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "drive_case failed ({:?}):\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// How often each (case, exec path, step) ran, from the marks file.
fn marks(path: &Path) -> BTreeMap<(String, String, String), usize> {
    let mut counts = BTreeMap::new();
    for line in std::fs::read_to_string(path).unwrap_or_default().lines() {
        let mut words = line.split(' ');
        let (Some(case), Some(exec_path), Some(step)) = (words.next(), words.next(), words.next())
        else {
            panic!("torn marks line {line:?}");
        };
        *counts
            .entry((case.to_owned(), exec_path.to_owned(), step.to_owned()))
            .or_default() += 1;
    }
    counts
}

/// A small time-seeded generator: kill moments differ between runs, and the seed is printed.
struct Rng(u64);

impl Rng {
    fn new() -> Self {
        let seed = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64;
        eprintln!("reliability seed {seed}");
        Self(seed | 1)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

const LONG_UNITS: [(&str, &str); 14] = [
    (".", "start"),
    (".", "s2"),
    (".", "s3"),
    (".", "s4"),
    (".", "s5"),
    (".", "s6"),
    (".", "s7"),
    (".", "s8"),
    (".", "fan"),
    (".fan.1.", "b1_1"),
    (".fan.1.", "b1_2"),
    (".fan.2.", "b2_1"),
    (".fan.2.", "b2_2"),
    (".", "last"),
];

/// After a crash and recovery: complete, every unit ran, at most one unit per exec path ran
/// twice, and the audit log is numbered without gaps with at most those re-runs added.
fn check_recovered(
    store: &dyn Store,
    marks: &BTreeMap<(String, String, String), usize>,
    case: &str,
) {
    let info = store.process_info(case).unwrap().unwrap();
    assert!(info.is_complete, "case {case} not complete");
    let mut reruns: BTreeMap<&str, usize> = BTreeMap::new();
    for (exec_path, step) in LONG_UNITS {
        let n = marks
            .get(&(case.to_owned(), exec_path.to_owned(), step.to_owned()))
            .copied()
            .unwrap_or(0);
        assert!((1..=2).contains(&n), "case {case}: {step} ran {n} times");
        *reruns.entry(exec_path).or_default() += n - 1;
    }
    assert!(
        reruns.values().all(|&n| n <= 1),
        "case {case}: re-runs per exec path {reruns:?}"
    );
    let records = store.audit_records(case).unwrap();
    let seqs: Vec<u64> = records.iter().map(|r| r.seq).collect();
    assert_eq!(
        seqs,
        (1..=records.len() as u64).collect::<Vec<_>>(),
        "case {case}: audit numbering"
    );
    let mut per_unit: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &records {
        *per_unit.entry(r.unit.as_str()).or_default() += 1;
    }
    // an uninterrupted run records every unit once and the join once per branch
    let extra: usize = per_unit
        .iter()
        .map(|(unit, n)| n.saturating_sub(if *unit == "join" { 2 } else { 1 }))
        .sum();
    assert!(
        per_unit
            .iter()
            .all(|(unit, n)| *n <= if *unit == "join" { 4 } else { 2 }),
        "case {case}: audit units {per_unit:?}"
    );
    assert!(
        extra <= 3,
        "case {case}: {extra} extra audit records {per_unit:?}"
    );
    assert_eq!(per_unit.len(), LONG_UNITS.len() + 1, "{per_unit:?}");
}

fn kill_and_recover(target: &Target, iterations: usize) {
    let work = tempfile::tempdir().unwrap();
    let marks_file = work.path().join("marks");
    let mut rng = Rng::new();
    let mut crashed = 0;
    for i in 0..iterations {
        let case = format!("k{i}");
        let sleep_ms = 5 + rng.below(20);
        let mut child: Child = target
            .command(&marks_file)
            .args(["--sleep-ms", &sleep_ms.to_string(), &case])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // a run takes about 12 component sleeps plus start-up; kill anywhere in it
        let span = 12 * sleep_ms + 40;
        std::thread::sleep(Duration::from_millis(rng.below(span)));
        if child.try_wait().unwrap().is_none() {
            crashed += 1;
        }
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        // recovery parks the branches that were running: each parked branch is one more
        // resume (decisions.md §5), so a parallel section may need up to three
        let mut said = String::new();
        for _ in 0..4 {
            let out = run(target.command(&marks_file).args(["--sleep-ms", "1", &case]));
            said = expect_ok(&out);
            if said != format!("{case} pended\n") {
                break;
            }
        }
        assert!(
            said == format!("{case} completed\n") || said == format!("{case} already-complete\n"),
            "{said}"
        );
        check_recovered(target.store().as_ref(), &marks(&marks_file), &case);
    }
    eprintln!("{crashed} of {iterations} runs killed while running");
    assert!(crashed > 0, "no run was killed while running");
}

#[test]
fn kill_9_during_a_long_journey_on_files() {
    kill_and_recover(&Target::files(), if long_tests() { 100 } else { 4 });
}

#[test]
fn kill_9_during_a_long_journey_on_postgres() {
    let db = crate::pg_or_skip!(TestDb::new());
    kill_and_recover(
        &Target::Pg(db.url.clone()),
        if long_tests() { 100 } else { 4 },
    );
}

/// The state of a case without its timestamps, to compare runs made at different times.
fn timeless(mut info: ProcessInfo) -> ProcessInfo {
    info.ts = 0;
    info
}

fn concurrent_resumes(target: &Target, cases: usize) {
    let work = tempfile::tempdir().unwrap();
    let marks_file = work.path().join("marks");
    let ids: Vec<String> = (0..cases).map(|i| format!("p{i}")).collect();
    let manual = ["--journey", "manual", "--sleep-ms", "0"];
    let said = expect_ok(&run(target.command(&marks_file).args(manual).args(&ids)));
    assert_eq!(said.matches(" pended").count(), cases, "{said}");
    // the serial reference
    for _ in 0..2 {
        expect_ok(&run(target.command(&marks_file).args(manual).arg("ref")));
    }
    let before = marks(&marks_file);

    let started = Instant::now();
    let children: Vec<Child> = (0..8)
        .map(|k| {
            target
                .command(&marks_file)
                .args([
                    "--journey",
                    "manual",
                    "--sleep-ms",
                    "1",
                    "--lock-wait-ms",
                    "0",
                ])
                .args(["--shuffle", &(k + 1).to_string()])
                .args(&ids)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut completed_by: BTreeMap<String, usize> = BTreeMap::new();
    for child in children {
        let said = expect_ok(&child.wait_with_output().unwrap());
        for line in said.lines() {
            let (case, result) = line.split_once(' ').unwrap();
            assert!(
                ["completed", "locked", "already-complete"].contains(&result),
                "{line}"
            );
            if result == "completed" {
                *completed_by.entry(case.to_owned()).or_default() += 1;
            }
        }
    }
    eprintln!("8 processes over {cases} cases: {:?}", started.elapsed());
    assert_eq!(completed_by.len(), cases, "every case completed");
    assert!(completed_by.values().all(|&n| n == 1), "{completed_by:?}");

    // no unit ran twice: the resumes added exactly what the reference's resume added
    let after = marks(&marks_file);
    let added = |case: &str| -> Vec<(String, usize)> {
        after
            .iter()
            .filter(|((c, _, _), _)| c == case)
            .map(|((_, p, s), n)| {
                let old = before
                    .get(&(case.to_owned(), p.clone(), s.clone()))
                    .copied();
                (format!("{p}{s}"), n - old.unwrap_or(0))
            })
            .collect()
    };
    let reference_runs: Vec<(String, usize)> = after
        .iter()
        .filter(|((c, _, _), _)| c == "ref")
        .map(|((_, p, s), n)| (format!("{p}{s}"), *n))
        .collect();
    let store = target.store();
    let reference = timeless(store.process_info("ref").unwrap().unwrap());
    let reference_audit: Vec<(u64, String, ProcessInfo)> = store
        .audit_records("ref")
        .unwrap()
        .into_iter()
        .map(|r| (r.seq, r.unit, timeless(r.document)))
        .collect();
    for case in &ids {
        let runs: usize = added(case).iter().map(|(_, n)| n).sum();
        assert_eq!(
            runs,
            1,
            "case {case}: units run by the resumes {:?}",
            added(case)
        );
        let all: Vec<(String, usize)> = after
            .iter()
            .filter(|((c, _, _), _)| c == case)
            .map(|((_, p, s), n)| (format!("{p}{s}"), *n))
            .collect();
        assert_eq!(all, reference_runs, "case {case}");
        assert_eq!(
            timeless(store.process_info(case).unwrap().unwrap()),
            reference,
            "case {case}"
        );
        let audit: Vec<(u64, String, ProcessInfo)> = store
            .audit_records(case)
            .unwrap()
            .into_iter()
            .map(|r| (r.seq, r.unit, timeless(r.document)))
            .collect();
        assert_eq!(audit, reference_audit, "case {case}");
    }
}

#[test]
fn eight_processes_resume_the_same_pended_cases_on_files() {
    concurrent_resumes(&Target::files(), if long_tests() { 200 } else { 40 });
}

#[test]
fn eight_processes_resume_the_same_pended_cases_on_postgres() {
    let db = crate::pg_or_skip!(TestDb::new());
    concurrent_resumes(
        &Target::Pg(db.url.clone()),
        if long_tests() { 200 } else { 40 },
    );
}

/// A PostgreSQL cluster of this test's own (it gets restarted), removed when dropped.
struct OwnCluster {
    dir: PathBuf,
    bin: PathBuf,
    url: String,
}

impl OwnCluster {
    fn start() -> Option<Self> {
        let bin = match find_bin() {
            Ok(bin) => bin,
            Err(why) if std::env::var_os("WFCTL_REQUIRE_PG").is_some() => panic!("{why}"),
            Err(why) => {
                eprintln!("skipping: {why}");
                return None;
            }
        };
        let base = if Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("wfctl-restart-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let owner = std::env::var("WFCTL_TEST_PG_USER").unwrap_or_else(|_| "postgres".into());
        // as root the server runs as the postgres user, who must own the directory
        let _ = Command::new("chown").arg(&owner).arg(&dir).status();
        let data = dir.join("data");
        let init = as_owner(&bin.join("initdb"))
            .current_dir(&dir)
            .arg("-D")
            .arg(&data)
            .args(["-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C"])
            .args(["--no-sync", "--no-instructions"])
            .output()
            .unwrap();
        assert!(
            init.status.success(),
            "{}",
            String::from_utf8_lossy(&init.stderr)
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let conf = format!(
            "listen_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{}'\n\
             fsync = off\nsynchronous_commit = off\n",
            dir.display()
        );
        let mut config = std::fs::read_to_string(data.join("postgresql.conf")).unwrap();
        config.push_str(&conf);
        std::fs::write(data.join("postgresql.conf"), config).unwrap();
        let cluster = Self {
            url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
            dir,
            bin,
        };
        cluster.pg_ctl(&["start"]);
        let mut conn = wfctl::db::connect(
            &DatabaseUrl::parse(&cluster.url).unwrap(),
            Duration::from_secs(5),
        )
        .unwrap();
        wfctl::db::migrate::run_pending(&mut conn).unwrap();
        Some(cluster)
    }

    fn pg_ctl(&self, action: &[&str]) {
        let out = as_owner(&self.bin.join("pg_ctl"))
            .current_dir(&self.dir)
            .arg("-D")
            .arg(self.dir.join("data"))
            .arg("-l")
            .arg(self.dir.join("server.log"))
            .args(["-w", "-t", "60"])
            .args(action)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pg_ctl {action:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for OwnCluster {
    fn drop(&mut self) {
        let _ = as_owner(&self.bin.join("pg_ctl"))
            .current_dir("/")
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "-w", "stop"])
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn a_postgres_restart_fails_the_running_command_and_the_next_resume_completes() {
    let Some(cluster) = OwnCluster::start() else {
        return;
    };
    let target = Target::Pg(cluster.url.clone());
    let work = tempfile::tempdir().unwrap();
    let marks_file = work.path().join("marks");
    let child = target
        .command(&marks_file)
        .args(["--sleep-ms", "150", "r1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while marks(&marks_file).len() < 3 {
        assert!(Instant::now() < deadline, "the run never got going");
        std::thread::sleep(Duration::from_millis(10));
    }
    cluster.pg_ctl(&["-m", "fast", "restart"]);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("the interrupted run said: {stderr}");
    assert_eq!(out.status.code(), Some(69), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(
        stderr.starts_with("error: store unavailable: ") && stderr.contains("case r1"),
        "{stderr}"
    );
    let out = run(target.command(&marks_file).args(["--sleep-ms", "1", "r1"]));
    assert_eq!(expect_ok(&out), "r1 completed\n");
    check_recovered(target.store().as_ref(), &marks(&marks_file), "r1");
}
