//! Retention deletes exactly the right files: by the manifest's time (names and mtimes are
//! made to lie here), never the newest --keep-min good backups, never another database's
//! backups, the seed script's files or anything else in the directory.

use std::path::Path;
use std::time::SystemTime;

use chrono::{DateTime, Duration, Utc};

use crate::pg_or_skip;
use crate::support::backup::*;
use crate::support::{Run, TestDb};

/// Copies the real backup `from` as `name` with a manifest saying `taken`, and an mtime of
/// `mtime`; `size_lie` makes the manifest disagree with the file (a bad backup).
fn fake(
    dir: &Path,
    from: &Path,
    name: &str,
    database: &str,
    taken: DateTime<Utc>,
    mtime: DateTime<Utc>,
    size_lie: bool,
) {
    let to = dir.join(name);
    std::fs::copy(from, &to).unwrap();
    let mut manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{}.manifest.json", from.display())).unwrap(),
    )
    .unwrap();
    manifest["file"] = name.into();
    manifest["database"] = database.into();
    manifest["started_at"] = taken.to_rfc3339().into();
    if size_lie {
        manifest["size"] = 1.into();
    }
    std::fs::write(
        format!("{}.manifest.json", to.display()),
        manifest.to_string(),
    )
    .unwrap();
    let file = std::fs::File::options().write(true).open(&to).unwrap();
    file.set_modified(SystemTime::from(mtime)).unwrap();
}

/// A real backup of `db`, in a directory of its own (kept while the TempDir lives).
fn real_backup(db: &TestDb) -> (tempfile::TempDir, std::path::PathBuf) {
    let staging = tempfile::tempdir().unwrap();
    Run::of(wfctl_db(&db.url).args(["backup", "--dir", staging.path().to_str().unwrap()]))
        .expect_code(0);
    let real = only_backup(staging.path(), ".sql.gz");
    (staging, real)
}

#[test]
fn retention_deletes_exactly_the_old_backups_of_this_database() {
    let db = pg_or_skip!(TestDb::new());
    let db_name = db.name.clone();
    let (_staging, real) = real_backup(&db);

    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let now = Utc::now();
    let days = |n: i64| now - Duration::days(n);
    // Young by its manifest; its name says 2020 and its mtime a month ago: kept.
    let young = format!("{db_name}_20200101_000000.sql.gz");
    fake(d, &real, &young, &db_name, days(1), days(30), false);
    // Old by its manifest, though named and modified today: deleted.
    let old1 = format!("{db_name}_{}.sql.gz", now.format("%Y%m%d_%H%M%S"));
    fake(d, &real, &old1, &db_name, days(10), now, false);
    let old2 = format!("{db_name}_20210101_000000.sql.gz");
    fake(d, &real, &old2, &db_name, days(20), days(20), false);
    // Old and bad (size differs from its manifest): deleted, and never counted as good.
    let bad = format!("{db_name}_20210201_000000.sql.gz");
    fake(d, &real, &bad, &db_name, days(30), days(30), true);
    // Another database's old backup, the seed script's file, anything else: untouched.
    let other = "other_db_20210101_000000.sql.gz".to_string();
    fake(d, &real, &other, "other_db", days(40), days(40), false);
    let seed = format!("{db_name}_20190101_000000.sql.gz");
    std::fs::copy(&real, d.join(&seed)).unwrap();
    std::fs::write(d.join("notes.txt"), "mine").unwrap();
    std::fs::write(d.join("random.partial"), "not ours").unwrap();
    // Leftovers of an interrupted run, and a manifest whose backup never got its name.
    let leftover = format!("{db_name}_20240101_000000.sql.gz.partial");
    std::fs::write(d.join(&leftover), [0x1f, 0x8b, 8, 0]).unwrap();
    let orphan = format!("{db_name}_20240102_000000.sql.gz.manifest.json");
    std::fs::copy(format!("{}.manifest.json", real.display()), d.join(&orphan)).unwrap();

    let expected_deleted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    let want = expected_deleted(vec![
        d.join(&old1).display().to_string(),
        d.join(&old2).display().to_string(),
        d.join(&bad).display().to_string(),
        d.join(&leftover).display().to_string(),
        d.join(&orphan).display().to_string(),
    ]);
    let before = listing(d);
    let args = [
        "backup",
        "--dir",
        d.to_str().unwrap(),
        "--keep-days",
        "7",
        "--keep-min",
        "2",
    ];

    // --dry-run: the same list, nothing deleted, no backup taken.
    let run = Run::of(wfctl_db(&db.url).args(args).arg("--dry-run")).expect_code(0);
    let logged = deletion_lines(&run.stderr);
    assert!(logged.iter().all(|l| l["dry_run"] == true));
    assert_eq!(paths(&logged), want, "{}", run.stderr);
    assert_eq!(listing(d), before);

    let run = Run::of(wfctl_db(&db.url).args(args)).expect_code(0);
    let logged = deletion_lines(&run.stderr);
    assert_eq!(paths(&logged), want, "{}", run.stderr);
    assert!(
        logged
            .iter()
            .all(|l| l["event"] == "backup_deleted" && l["dry_run"] == false)
    );
    let reason = &logged
        .iter()
        .find(|l| l["path"].as_str().unwrap().ends_with(&old2))
        .unwrap()["reason"];
    assert!(
        reason
            .as_str()
            .unwrap()
            .contains("older than 7 days (20 days)"),
        "{reason}"
    );

    let mut expect_left: Vec<String> = vec![
        young.clone(),
        format!("{young}.manifest.json"),
        other.clone(),
        format!("{other}.manifest.json"),
        seed,
        "notes.txt".into(),
        "random.partial".into(),
    ];
    expect_left.sort();
    let new: Vec<String> = listing(d)
        .into_iter()
        .filter(|n| !before.contains(n))
        .collect();
    assert_eq!(new.len(), 2, "the new backup and its manifest: {new:?}");
    let mut rest: Vec<String> = listing(d)
        .into_iter()
        .filter(|n| !new.contains(n))
        .collect();
    rest.sort();
    assert_eq!(rest, expect_left);

    // Run again: the floor (new backup + `young`) holds, nothing else is old: no deletions.
    let run = Run::of(wfctl_db(&db.url).args(args)).expect_code(0);
    let logged = deletion_lines(&run.stderr);
    assert!(logged.is_empty(), "{}", run.stderr);

    // With everything old, the newest --keep-min survive however old they are.
    let run = Run::of(wfctl_db(&db.url).args([
        "backup",
        "--dir",
        d.to_str().unwrap(),
        "--keep-days",
        "0",
        "--keep-min",
        "2",
    ]))
    .expect_code(0);
    let logged = deletion_lines(&run.stderr);
    let ours: Vec<String> = listing(d)
        .into_iter()
        .filter(|n| n.starts_with(&db_name) && n.ends_with(".sql.gz") && n != &seed_name(&db_name))
        .collect();
    assert_eq!(ours.len(), 2, "{ours:?} after {}", run.stderr);
    assert_eq!(logged.len(), 2, "{}", run.stderr);
    assert!(listing(d).contains(&other));
}

fn seed_name(db: &str) -> String {
    format!("{db}_20190101_000000.sql.gz")
}

fn deletion_lines(stderr: &str) -> Vec<serde_json::Value> {
    stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn paths(lines: &[serde_json::Value]) -> Vec<String> {
    let mut p: Vec<String> = lines
        .iter()
        .map(|l| l["path"].as_str().unwrap().to_string())
        .collect();
    p.sort();
    p
}

/// Bytes free for us in `dir`.
fn available(dir: &Path) -> u64 {
    let st = rustix::fs::statvfs(dir).unwrap();
    st.f_bavail * st.f_frsize
}

#[test]
fn no_room_for_another_backup_fails_before_pg_dump_and_deletes_nothing() {
    let db = pg_or_skip!(TestDb::new());
    let db_name = db.name.clone();
    let (_staging, real) = real_backup(&db);

    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // an old backup retention would delete after a successful run
    let old = format!("{db_name}_20200101_000000.sql.gz");
    fake(
        d,
        &real,
        &old,
        &db_name,
        Utc::now() - Duration::days(30),
        Utc::now(),
        false,
    );
    // the newest backup is (sparsely) as large as the free space: 1.5x of it cannot fit
    let last = format!("{db_name}_20200102_000000.sql.gz");
    fake(
        d,
        &real,
        &last,
        &db_name,
        Utc::now() - Duration::days(1),
        Utc::now(),
        false,
    );
    let size = available(d);
    std::fs::File::options()
        .write(true)
        .open(d.join(&last))
        .unwrap()
        .set_len(size)
        .unwrap();
    let manifest_path = d.join(format!("{last}.manifest.json"));
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    manifest["size"] = size.into();
    std::fs::write(&manifest_path, manifest.to_string()).unwrap();
    let before = listing(d);

    let run = Run::of(wfctl_db(&db.url).args([
        "backup",
        "--dir",
        d.to_str().unwrap(),
        "--keep-days",
        "7",
        "--keep-min",
        "1",
    ]));
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("needs 1.5x"), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert_eq!(listing(d), before, "nothing written, nothing deleted");
}
