//! A directory a backup command reads must exist, and a dry run fails where the real run
//! would: a mistyped path is never "no backups" nor a dry run that promised a backup.

use std::os::unix::fs::PermissionsExt;

use crate::pg_or_skip;
use crate::support::backup::*;
use crate::support::{Run, TestDb, wfctl};

#[test]
fn listing_a_missing_backup_directory_is_an_error_naming_it() {
    let work = tempfile::tempdir().unwrap();
    let missing = work.path().join("mistyped");
    let run = Run::of(wfctl().args(["db", "backups", "--dir"]).arg(&missing)).expect_code(1);
    assert!(
        run.stderr.contains(missing.to_str().unwrap()) && run.stderr.contains("does not exist"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("no backups"), "{}", run.stderr);
    // from wfctl.toml: a configuration error
    let config = work.path().join("wfctl.toml");
    std::fs::write(&config, format!("[backup]\ndir = {:?}\n", missing)).unwrap();
    let run = Run::of(wfctl().env("WFCTL_CONFIG", &config).args(["db", "backups"])).expect_code(78);
    assert!(run.stderr.contains("mistyped"), "{}", run.stderr);
    // a file where the directory should be
    let file = work.path().join("file");
    std::fs::write(&file, "x").unwrap();
    let run = Run::of(wfctl().args(["db", "backups", "--dir"]).arg(&file)).expect_code(1);
    assert!(run.stderr.contains("not a directory"), "{}", run.stderr);
    assert!(!missing.exists());
}

#[test]
fn a_dry_run_fails_where_the_real_run_would_and_still_writes_nothing() {
    let db = pg_or_skip!(TestDb::new());
    let work = tempfile::tempdir().unwrap();
    // a directory where the lock file goes: the real run cannot open it for writing
    let taken = work.path().join("taken");
    std::fs::create_dir_all(taken.join(".wfctl-backup.lock")).unwrap();
    let mut dirs = vec![taken.clone()];
    // a directory this process may not write in (root may write anywhere)
    let read_only = work.path().join("read-only");
    std::fs::create_dir(&read_only).unwrap();
    std::fs::set_permissions(&read_only, std::fs::Permissions::from_mode(0o500)).unwrap();
    if !rustix::process::geteuid().is_root() {
        dirs.push(read_only.join("backups"));
    }
    for dir in &dirs {
        let real = Run::of(wfctl_db(&db.url).args(["backup", "--dir"]).arg(dir));
        assert_ne!(real.code, 0, "{}: {}", dir.display(), real.stderr);
        for command in ["backup", "basebackup"] {
            let dry = Run::of(
                wfctl_db(&db.url)
                    .args([command, "--dry-run", "--dir"])
                    .arg(dir),
            );
            assert_eq!(
                dry.code,
                real.code,
                "{command} {}: {}",
                dir.display(),
                dry.stderr
            );
            assert_eq!(dry.stderr.trim_end().lines().count(), 1, "{}", dry.stderr);
        }
    }
    assert_eq!(std::fs::read_dir(&taken).unwrap().count(), 1);
    assert_eq!(std::fs::read_dir(&read_only).unwrap().count(), 0);
    std::fs::set_permissions(&read_only, std::fs::Permissions::from_mode(0o700)).unwrap();
}
