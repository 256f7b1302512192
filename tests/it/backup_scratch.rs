//! A `db verify --restore-test` killed with kill -9 cannot drop its throwaway database: the
//! next run drops it (its name says whose it was), and leaves alone a database that only
//! looks like one.

use std::time::Duration;

use diesel::pg::PgConnection;

use crate::pg_or_skip;
use crate::support::backup::*;
use crate::support::{Run, poll_for};

/// The scratch database of the wfctl with this pid, if it exists now.
fn scratch_of(admin: &mut PgConnection, pid: u32) -> Option<String> {
    let name = text(
        admin,
        &format!(
            "SELECT coalesce(max(datname::text), '') AS v FROM pg_database \
             WHERE datname LIKE 'wfctl\\_verify\\_%{pid}%'"
        ),
    );
    (!name.is_empty()).then_some(name)
}

#[test]
fn a_killed_restore_test_leaves_a_scratch_database_the_next_run_drops() {
    let db = pg_or_skip!(db_with_cases(300));
    let dir = tempfile::tempdir().unwrap();
    Run::of(wfctl_db(&db.url).args(["backup", "--dir", dir.path().to_str().unwrap()]))
        .expect_code(0);
    let file = only_backup(dir.path(), ".sql.gz");
    let file = file.to_str().unwrap();
    // A user's database named like a scratch one, without wfctl's owner in it.
    let lookalike = "wfctl_verify_x";
    drop_database(&db, lookalike);
    let mut admin: PgConnection = diesel::Connection::establish(&db.admin_url()).unwrap();
    diesel::connection::SimpleConnection::batch_execute(
        &mut admin,
        &format!("CREATE DATABASE {lookalike}"),
    )
    .unwrap();

    // Stopped while its scratch database exists, then killed: nothing can drop it.
    let mut child = spawn(wfctl_db(&db.url).args(["verify", file, "--restore-test"]));
    let pid = child.id();
    let scratch = poll_for("the scratch database", Duration::from_secs(60), || {
        signal(pid, "STOP");
        let found = scratch_of(&mut admin, pid);
        if found.is_none() {
            signal(pid, "CONT");
            assert!(
                child.try_wait().unwrap().is_none(),
                "verify ended before its scratch database was seen"
            );
        }
        found
    });
    signal(pid, "KILL");
    let _ = child.wait();
    assert!(database_exists(&db, &scratch), "{scratch} was left behind");

    let run = Run::of(wfctl_db(&db.url).args(["verify", file, "--restore-test"])).expect_code(0);
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(&scratch))
        .collect();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(
        lines[0].contains("dropped stale scratch database"),
        "{}",
        run.stderr
    );
    assert!(!database_exists(&db, &scratch), "{scratch} is still there");
    assert!(
        database_exists(&db, lookalike),
        "the user's {lookalike} was dropped"
    );
    assert!(!run.stderr.contains(lookalike), "{}", run.stderr);
    drop_database(&db, lookalike);
}

/// A database this `db restore --create` (wfctl pid `pid`) made: its loading database or the
/// target itself.
fn made_by(admin: &mut PgConnection, pid: u32, target: &str) -> Option<String> {
    let name = text(
        admin,
        &format!(
            "SELECT coalesce(max(datname::text), '') AS v FROM pg_database \
             WHERE datname LIKE 'wfctl\\_restore\\_%\\_{pid}\\_%' OR datname = '{target}'"
        ),
    );
    (!name.is_empty()).then_some(name)
}

#[test]
fn a_killed_restore_create_leaves_nothing_the_next_create_cannot_replace() {
    let db = pg_or_skip!(db_with_cases(300));
    // enough data that psql loads long enough to be caught at it
    add_bulk(&mut db.conn(), 8);
    let dir = tempfile::tempdir().unwrap();
    Run::of(wfctl_db(&db.url).args(["backup", "--dir", dir.path().to_str().unwrap()]))
        .expect_code(0);
    let file = only_backup(dir.path(), ".sql.gz");
    let file = file.to_str().unwrap();
    let mut source: PgConnection = diesel::Connection::establish(&db.url).unwrap();
    let expected = counts(&mut source);
    let mut admin: PgConnection = diesel::Connection::establish(&db.admin_url()).unwrap();
    let target = format!("{}_kc", db.name);
    let create = |target: &str| {
        let mut cmd = wfctl_db(&db.url);
        cmd.args(["restore", file, "--target-db", target, "--create"]);
        cmd
    };

    // Killed as soon as a database of its exists (maybe before it is marked), and while psql
    // is loading it.
    type Moment = fn(&mut PgConnection, u32, &str) -> bool;
    let moments: [(&str, Moment); 2] = [
        ("its database exists", |admin, pid, target| {
            made_by(admin, pid, target).is_some()
        }),
        ("psql is loading", |admin, pid, target| {
            made_by(admin, pid, target).is_some()
                && descendants(pid).iter().any(|(child, name, _)| {
                    name == "psql" && cmdline(*child).iter().any(|a| a == "ON_ERROR_STOP=1")
                })
        }),
    ];
    for (moment, reached) in moments {
        drop_database(&db, &target);
        let mut child = spawn(&mut create(&target));
        let pid = child.id();
        poll_for(moment, Duration::from_secs(60), || {
            signal(pid, "STOP");
            if reached(&mut admin, pid, &target) {
                return Some(());
            }
            signal(pid, "CONT");
            assert!(
                child.try_wait().unwrap().is_none(),
                "the restore ended before {moment}"
            );
            None
        });
        signal(pid, "KILL");
        let _ = child.wait();

        Run::of(&mut create(&target)).expect_code(0);
        let mut restored: PgConnection =
            diesel::Connection::establish(&url_of(&db, &target)).unwrap();
        assert_eq!(counts(&mut restored), expected, "killed when {moment}");
        drop(restored);
        assert_eq!(
            made_by(&mut admin, pid, "-"),
            None,
            "killed when {moment}: its loading database is left"
        );
    }

    // A database nobody marked is the user's: --create refuses it and leaves it alone.
    drop_database(&db, &target);
    diesel::connection::SimpleConnection::batch_execute(
        &mut admin,
        &format!("CREATE DATABASE {target}"),
    )
    .unwrap();
    let run = Run::of(&mut create(&target)).expect_code(1);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert!(database_exists(&db, &target));
    drop_database(&db, &target);
}
