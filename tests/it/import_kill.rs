//! A migrate-files run killed with SIGKILL at random moments, then run again, ends with exactly
//! the tables of an uninterrupted run: no duplicate, no missing case, the same ledger.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::pg_or_skip;
use crate::support::file_store_gen::Rng;
use crate::support::import::{GenOptions, assert_same, generate, migrate_files, snapshot};
use crate::support::{TestDb, poll_for, wfctl};

#[test]
fn killed_runs_resume_to_the_same_tables_as_an_uninterrupted_one() {
    let reference = pg_or_skip!(TestDb::new());
    let db = pg_or_skip!(TestDb::new());
    let tmp = tempfile::tempdir().unwrap();
    let long = std::env::var_os("WFCTL_LONG_TESTS").is_some();
    let cases = if long { 1200 } else { 300 };
    generate(
        tmp.path(),
        &GenOptions {
            cases,
            seed: 21,
            bad_share: 0.05,
            extras: true,
        },
    )
    .unwrap();
    let args = ["--batch-size", "8", "--jobs", "2"];

    let started = Instant::now();
    migrate_files(&reference, tmp.path(), &args).expect_code(3);
    let full = started.elapsed();

    let mut rng = Rng::new(5);
    let kills = if long { 12 } else { 5 };
    let mut killed_mid_run = 0;
    for _ in 0..kills {
        let mut child = wfctl()
            .env("DATABASE_URL", &db.url)
            .arg("migrate-files")
            .arg(tmp.path())
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let at = Duration::from_micros(rng.below(full.as_micros() as u64 + 1));
        std::thread::sleep(at);
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
    }
    assert!(killed_mid_run > 0, "no run was killed while it worked");
    // the server may take a moment to notice a killed client and release its import lock
    let run = poll_for(
        "the import lock to be free",
        Duration::from_secs(10),
        || {
            let run = migrate_files(&db, tmp.path(), &args);
            (run.code != 75).then_some(run)
        },
    );
    run.expect_code(3);

    let (mut a, mut b) = (reference.conn(), db.conn());
    assert_same(&snapshot(&mut a, true), &snapshot(&mut b, true));
}
