//! What must never happen: a killed or failed backup that looks finished, two backups at
//! once, a dump by a pg_dump older than the server, a corrupt backup restored, a restore that
//! half-happens or runs under an application's feet.

use std::io::{Read, Seek, SeekFrom, Write};
use std::time::Duration;

use diesel::connection::SimpleConnection;

use crate::pg_or_skip;
use crate::support::backup::*;
use crate::support::{Run, TestDb, poll_until};

/// Starts a backup of a database with a bulk table and freezes it in the middle of pg_dump's
/// output, whatever the machine's load: pg_dump first waits for a lock the test holds;
/// wfctl is frozen (SIGSTOP); the lock is released; pg_dump then writes until the pipe is
/// full and blocks there, alive. Returns wfctl, pg_dump's pid and the `.partial` file wfctl
/// has open.
pub(crate) fn frozen_backup(
    db: &TestDb,
    dir: &std::path::Path,
) -> (std::process::Child, u32, std::path::PathBuf, KillOnDrop) {
    add_bulk(&mut db.conn(), 4);
    let mut holder = hold_table_lock(&db.url, "bulk");
    let wfctl = spawn(wfctl_db(&db.url).args(["backup", "--dir", dir.to_str().unwrap()]));
    let guard = KillOnDrop(wfctl.id());
    let pg_dump = child_named(wfctl.id(), "pg_dump", "--snapshot=");
    signal(wfctl.id(), "STOP");
    holder.batch_execute("ROLLBACK").unwrap();
    poll_until(
        "pg_dump to block on the full pipe",
        Duration::from_secs(60),
        || blocked_on_pipe(pg_dump) || exited(pg_dump),
    );
    assert!(!exited(pg_dump), "pg_dump ended before filling the pipe");
    let partial = open_files(wfctl.id())
        .into_iter()
        .find(|p| p.to_string_lossy().ends_with(".sql.gz.partial"))
        .expect("wfctl writes a .partial file");
    (wfctl, pg_dump, partial, guard)
}

#[test]
fn killing_wfctl_mid_backup_leaves_no_final_file() {
    let db = pg_or_skip!(TestDb::new());
    let dir = tempfile::tempdir().unwrap();
    let (mut wfctl, pg_dump, partial, _guard) = frozen_backup(&db, dir.path());
    signal(wfctl.id(), "KILL");
    wfctl.wait().unwrap();
    // pg_dump's blocked write fails: nobody reads the pipe any more.
    poll_until(
        "the orphaned pg_dump to exit",
        Duration::from_secs(30),
        || exited(pg_dump),
    );
    assert_eq!(final_names(dir.path()), Vec::<String>::new());
    assert!(partial.exists());

    // The next backup removes the leftover and says so.
    let run = Run::of(wfctl_db(&db.url).args(["backup", "--dir", dir.path().to_str().unwrap()]))
        .expect_code(0);
    assert!(
        run.stderr.contains("left by an interrupted backup"),
        "{}",
        run.stderr
    );
    assert!(!partial.exists());
    assert_eq!(
        final_names(dir.path()).len(),
        2,
        "{:?}",
        listing(dir.path())
    );
}

#[test]
fn killing_pg_dump_fails_the_backup_and_removes_the_partial() {
    let db = pg_or_skip!(TestDb::new());
    let dir = tempfile::tempdir().unwrap();
    let (wfctl, pg_dump, _, _guard) = frozen_backup(&db, dir.path());
    signal(pg_dump, "KILL");
    signal(wfctl.id(), "CONT");
    let (code, stderr) = finish(wfctl);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("pg_dump failed (killed by signal 9)"),
        "{stderr}"
    );
    assert_eq!(listing(dir.path()), Vec::<String>::new());
}

#[test]
fn a_second_backup_exits_75_or_waits_for_the_first() {
    let db = pg_or_skip!(TestDb::new());
    let dir = tempfile::tempdir().unwrap();
    let dir_arg = dir.path().to_str().unwrap();
    // pg_dump waits for this lock, so the first backup runs until we let go.
    let mut holder = hold_table_lock(&db.url, "workflow_info");
    let first = spawn(wfctl_db(&db.url).args(["backup", "--dir", dir_arg]));
    child_named(first.id(), "pg_dump", "--snapshot=");

    let second = Run::of(wfctl_db(&db.url).args(["backup", "--dir", dir_arg])).expect_code(75);
    assert!(
        second.stderr.contains("another backup is running in"),
        "{}",
        second.stderr
    );
    let mut third = spawn(wfctl_db(&db.url).args(["backup", "--dir", dir_arg, "--wait", "2min"]));
    // it opens the lock file before it tries it, and keeps trying while the first holds it
    let lock_file = dir
        .path()
        .canonicalize()
        .unwrap()
        .join(".wfctl-backup.lock");
    poll_until(
        "the third backup to try the lock",
        Duration::from_secs(30),
        || open_files(third.id()).contains(&lock_file),
    );
    assert!(third.try_wait().unwrap().is_none(), "--wait did not wait");
    assert!(
        children(third.id()).is_empty(),
        "the waiting backup started pg_dump"
    );

    holder.batch_execute("ROLLBACK").unwrap();
    let (code, stderr) = finish(first);
    assert_eq!(code, 0, "{stderr}");
    let (code, stderr) = finish(third);
    assert_eq!(code, 0, "{stderr}");
    let backups: Vec<String> = final_names(dir.path())
        .into_iter()
        .filter(|n| n.ends_with(".sql.gz"))
        .collect();
    assert_eq!(backups.len(), 2, "{backups:?}");
}

fn fake_bindir(script: &str) -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pg_dump");
    std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

#[test]
fn a_pg_dump_older_than_the_server_is_refused_naming_both_versions() {
    let db = pg_or_skip!(TestDb::new());
    let bin = fake_bindir("echo 'pg_dump (PostgreSQL) 9.6.24'");
    let dir = tempfile::tempdir().unwrap();
    let backups = dir.path().join("backups");
    let run = Run::of(wfctl_db(&db.url).env("WFCTL_PG_BINDIR", bin.path()).args([
        "backup",
        "--dir",
        backups.to_str().unwrap(),
    ]))
    .expect_code(78);
    let server = text(
        &mut db.conn(),
        "SELECT split_part(current_setting('server_version'), ' ', 1) AS v",
    );
    assert!(run.stderr.contains("pg_dump 9.6.24"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("older than the server (PostgreSQL {server})")),
        "{}",
        run.stderr
    );
    assert!(!backups.exists(), "the preflight wrote something");
}

#[test]
fn a_failing_or_truncated_pg_dump_leaves_nothing() {
    let db = pg_or_skip!(TestDb::new());
    let dir = tempfile::tempdir().unwrap();
    let dir_arg = dir.path().to_str().unwrap();
    // Right version, then an error: its exit status and stderr are reported.
    let failing = fake_bindir(
        "case \"$1\" in --version) echo 'pg_dump (PostgreSQL) 99.1'; exit 0;; esac\n\
         echo 'pg_dump: error: simulated failure' >&2; exit 1",
    );
    let run = Run::of(
        wfctl_db(&db.url)
            .args(["backup", "--dir", dir_arg, "--pg-bindir"])
            .arg(failing.path()),
    )
    .expect_code(1);
    assert!(
        run.stderr
            .contains("pg_dump failed (exit code 1): pg_dump: error: simulated failure"),
        "{}",
        run.stderr
    );
    assert_eq!(listing(dir.path()), Vec::<String>::new());
    // Exit 0 but output that stops part way (a broken pipe upstream): not a backup.
    let truncated = fake_bindir(
        "case \"$1\" in --version) echo 'pg_dump (PostgreSQL) 99.1'; exit 0;; esac\n\
         printf 'CREATE TABLE t (x int);\\nCOPY t (x) FROM stdin;\\n1\\n'",
    );
    let run = Run::of(
        wfctl_db(&db.url)
            .args(["backup", "--dir", dir_arg, "--pg-bindir"])
            .arg(truncated.path()),
    )
    .expect_code(1);
    assert!(run.stderr.contains("incomplete output"), "{}", run.stderr);
    assert_eq!(listing(dir.path()), Vec::<String>::new());
}

fn flip_byte(path: &std::path::Path, at: u64) {
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .unwrap();
    let mut b = [0u8];
    f.seek(SeekFrom::Start(at)).unwrap();
    f.read_exact(&mut b).unwrap();
    f.seek(SeekFrom::Start(at)).unwrap();
    f.write_all(&[b[0] ^ 0x55]).unwrap();
}

fn copy_with_manifest(file: &std::path::Path, to: &std::path::Path) {
    std::fs::copy(file, to).unwrap();
    let manifest = std::fs::read_to_string(format!("{}.manifest.json", file.display())).unwrap();
    let name = |p: &std::path::Path| p.file_name().unwrap().to_str().unwrap().to_string();
    std::fs::write(
        format!("{}.manifest.json", to.display()),
        manifest.replace(&name(file), &name(to)),
    )
    .unwrap();
}

/// verify exits 3 with `expect` in its output; restore refuses and creates nothing.
fn refused(db: &TestDb, file: &std::path::Path, expect: &str) {
    let run = Run::of(wfctl_db(&db.url).args(["verify", file.to_str().unwrap()])).expect_code(3);
    assert!(
        run.stdout.contains(expect) || run.stderr.contains(expect),
        "{expect}:\n{}\n{}",
        run.stdout,
        run.stderr
    );
    let target = format!("{}_refused", db.name);
    let run = Run::of(wfctl_db(&db.url).args([
        "restore",
        file.to_str().unwrap(),
        "--target-db",
        &target,
        "--create",
    ]))
    .expect_code(1);
    assert!(run.stderr.contains("refusing to restore"), "{}", run.stderr);
    assert!(!database_exists(db, &target));
}

#[test]
fn truncated_and_corrupted_backups_are_refused_by_verify_and_restore() {
    let db = pg_or_skip!(db_with_cases(60));
    let dir = tempfile::tempdir().unwrap();
    let dir_arg = dir.path().to_str().unwrap();
    Run::of(wfctl_db(&db.url).args(["backup", "--dir", dir_arg])).expect_code(0);
    Run::of(wfctl_db(&db.url).args(["backup", "--dir", dir_arg, "--format", "custom"]))
        .expect_code(0);
    let gz = only_backup(dir.path(), ".sql.gz");
    let custom = only_backup(dir.path(), ".dump");
    let bad = tempfile::tempdir().unwrap();
    let size = std::fs::metadata(&gz).unwrap().len();

    // Truncated, with its manifest.
    let t = bad.path().join("wf_20240101_000001.sql.gz");
    copy_with_manifest(&gz, &t);
    std::fs::OpenOptions::new()
        .write(true)
        .open(&t)
        .unwrap()
        .set_len(size / 2)
        .unwrap();
    refused(&db, &t, "truncated");

    // One byte changed, same size: the checksum catches it.
    let c = bad.path().join("wf_20240101_000002.sql.gz");
    copy_with_manifest(&gz, &c);
    flip_byte(&c, size / 2);
    refused(&db, &c, "but the manifest says");

    // No manifest (seed format): the gzip stream itself catches both.
    let t = bad.path().join("legacy_truncated.sql.gz");
    std::fs::copy(&gz, &t).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&t)
        .unwrap()
        .set_len(size - 100)
        .unwrap();
    refused(&db, &t, "the gzip stream ends early");
    let c = bad.path().join("legacy_corrupt.sql.gz");
    std::fs::copy(&gz, &c).unwrap();
    flip_byte(&c, size / 3);
    refused(&db, &c, "corrupt gzip data");

    // A custom archive cut short: pg_restore --list would pass it, a full read does not.
    let t = bad.path().join("wf_20240101_000003.dump");
    copy_with_manifest(&custom, &t);
    let csize = std::fs::metadata(&custom).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&t)
        .unwrap()
        .set_len(csize * 2 / 3)
        .unwrap();
    refused(&db, &t, "truncated or changed");
    // Also without the manifest's help.
    std::fs::remove_file(format!("{}.manifest.json", t.display())).unwrap();
    refused(&db, &t, "pg_restore exit code 1");

    // verify recorded the failure: `db backups` shows it as bad.
    flip_byte(&gz, size / 2);
    Run::of(wfctl_db(&db.url).args(["verify", gz.to_str().unwrap()])).expect_code(3);
    let run =
        Run::of(wfctl_db(&db.url).args(["--json", "backups", "--dir", dir_arg])).expect_code(0);
    let listed: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let entry = listed["backups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["format"] == "sql-gz")
        .unwrap();
    assert_eq!(entry["good"], false, "{entry}");
    assert_eq!(entry["verification"]["ok"], false);
}

pub(crate) fn gzip_file(path: &std::path::Path, sql: &str) {
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(path).unwrap(),
        flate2::Compression::default(),
    );
    enc.write_all(sql.as_bytes()).unwrap();
    enc.finish().unwrap();
}

#[test]
fn restore_refuses_a_non_empty_target_and_force_says_what_it_drops() {
    let db = pg_or_skip!(db_with_cases(20));
    let dir = tempfile::tempdir().unwrap();
    Run::of(wfctl_db(&db.url).args(["backup", "--dir", dir.path().to_str().unwrap()]))
        .expect_code(0);
    let file = only_backup(dir.path(), ".sql.gz");
    let target = TestDb::new().unwrap();
    target
        .conn()
        .batch_execute("CREATE TABLE keep_me (x int); INSERT INTO keep_me VALUES (42)")
        .unwrap();
    let restore = |extra: &[&str]| {
        Run::of(
            wfctl_db(&db.url)
                .args([
                    "restore",
                    file.to_str().unwrap(),
                    "--target-db",
                    &target.name,
                ])
                .args(extra),
        )
    };
    let run = restore(&[]).expect_code(1);
    assert!(
        run.stderr.contains(&format!(
            "target database {} is not empty (schema public:",
            target.name
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("pass --force"), "{}", run.stderr);
    assert_eq!(
        text(&mut target.conn(), "SELECT x::text AS v FROM keep_me"),
        "42"
    );

    // Someone is connected: stop and explain, change nothing.
    let app = target.conn();
    let run = restore(&["--force"]).expect_code(75);
    assert!(
        run.stderr.contains("other session(s): pid"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("stop the application"),
        "{}",
        run.stderr
    );
    drop(app);

    // A restore that fails half way (--force included) leaves the target as it was.
    let failing = dir.path().join("failing.sql.gz");
    gzip_file(
        &failing,
        "CREATE TABLE half (x int);\nSELECT 1/0;\n--\n-- PostgreSQL database dump complete\n--\n",
    );
    let run = Run::of(wfctl_db(&db.url).args([
        "restore",
        failing.to_str().unwrap(),
        "--target-db",
        &target.name,
        "--force",
    ]))
    .expect_code(1);
    assert!(run.stderr.contains("division by zero"), "{}", run.stderr);
    assert!(run.stderr.contains("rolled back"), "{}", run.stderr);
    let mut t = target.conn();
    assert_eq!(text(&mut t, "SELECT x::text AS v FROM keep_me"), "42");
    assert_eq!(
        text(&mut t, "SELECT (to_regclass('half') IS NULL)::text AS v"),
        "true"
    );
    drop(t);

    let run = restore(&["--force"]).expect_code(0);
    assert!(
        run.stderr.contains("--force: dropping schema public:"),
        "{}",
        run.stderr
    );
    let mut t = target.conn();
    assert_eq!(
        text(&mut t, "SELECT (to_regclass('keep_me') IS NULL)::text AS v"),
        "true"
    );
    assert_eq!(counts(&mut db.conn()), counts(&mut t));
    // The public schema keeps its owner and privileges.
    assert_eq!(
        text(
            &mut t,
            "SELECT nspacl::text AS v FROM pg_namespace WHERE nspname = 'public'"
        ),
        text(
            &mut db.conn(),
            "SELECT nspacl::text AS v FROM pg_namespace WHERE nspname = 'public'"
        )
    );
}

#[test]
fn restore_into_a_missing_database_needs_create() {
    let db = pg_or_skip!(TestDb::new());
    let dir = tempfile::tempdir().unwrap();
    Run::of(wfctl_db(&db.url).args(["backup", "--dir", dir.path().to_str().unwrap()]))
        .expect_code(0);
    let file = only_backup(dir.path(), ".sql.gz");
    let target = format!("{}_absent", db.name);
    let run = Run::of(wfctl_db(&db.url).args([
        "restore",
        file.to_str().unwrap(),
        "--target-db",
        &target,
    ]))
    .expect_code(1);
    assert!(
        run.stderr.contains("does not exist; pass --create"),
        "{}",
        run.stderr
    );
    assert!(!database_exists(&db, &target));
}

#[test]
fn a_bad_stream_found_while_restoring_commits_nothing() {
    let db = pg_or_skip!(db_with_cases(60));
    let dir = tempfile::tempdir().unwrap();
    Run::of(wfctl_db(&db.url).args(["backup", "--dir", dir.path().to_str().unwrap()]))
        .expect_code(0);
    let file = only_backup(dir.path(), ".sql.gz");
    // Corrupt the data and make the manifest agree with it: the checksum before the restore
    // passes, so only the gzip check while streaming can catch it.
    let size = std::fs::metadata(&file).unwrap().len();
    flip_byte(&file, size * 3 / 4);
    let manifest_path = format!("{}.manifest.json", file.display());
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    let bytes = std::fs::read(&file).unwrap();
    manifest["sha256"] = sha256_hex(&bytes).into();
    std::fs::write(&manifest_path, manifest.to_string()).unwrap();

    let target = TestDb::new().unwrap();
    target
        .conn()
        .batch_execute("CREATE TABLE keep_me (x int); INSERT INTO keep_me VALUES (42)")
        .unwrap();
    let run = Run::of(wfctl_db(&db.url).args([
        "restore",
        file.to_str().unwrap(),
        "--target-db",
        &target.name,
        "--force",
    ]))
    .expect_code(1);
    assert!(run.stderr.contains("no COMMIT was sent"), "{}", run.stderr);
    let mut t = target.conn();
    assert_eq!(text(&mut t, "SELECT x::text AS v FROM keep_me"), "42");
    assert_eq!(
        text(
            &mut t,
            "SELECT (to_regclass('audit_log') IS NOT NULL)::text AS v"
        ),
        "true",
        "the target's own tables are back"
    );
    // verify (full read) says what is wrong.
    let run = Run::of(wfctl_db(&db.url).args(["verify", file.to_str().unwrap()])).expect_code(3);
    assert!(run.stdout.contains("corrupt gzip data"), "{}", run.stdout);
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn killing_wfctl_mid_restore_leaves_the_target_as_it_was() {
    let db = pg_or_skip!(db_with_cases(200));
    // Some megabytes of rows that barely compress: the restore streams for seconds, so the
    // moment its transaction is seen open is long before wfctl could have sent the COMMIT.
    add_bulk(&mut db.conn(), 16);
    let dir = tempfile::tempdir().unwrap();
    Run::of(wfctl_db(&db.url).args(["backup", "--dir", dir.path().to_str().unwrap()]))
        .expect_code(0);
    let file = only_backup(dir.path(), ".sql.gz");
    let target = TestDb::new().unwrap();
    target
        .conn()
        .batch_execute("CREATE TABLE keep_me (x int); INSERT INTO keep_me VALUES (42)")
        .unwrap();
    let mut wfctl = spawn(wfctl_db(&db.url).args([
        "restore",
        file.to_str().unwrap(),
        "--target-db",
        &target.name,
        "--force",
    ]));
    let _guard = KillOnDrop(wfctl.id());
    let psql = child_named(wfctl.id(), "psql", "ON_ERROR_STOP=1");
    let mut admin: diesel::PgConnection = diesel::Connection::establish(&db.admin_url()).unwrap();
    let in_transaction = format!(
        "SELECT count(*)::text AS v FROM pg_stat_activity WHERE datname = '{}' \
         AND xact_start IS NOT NULL",
        target.name
    );
    // Once the restore's transaction is open (BEGIN and the --force drops have run), freeze
    // wfctl: psql runs what is left in its pipe (perhaps part of a COPY), then waits for more
    // inside the open transaction. Loading 200 cases takes far longer than this window.
    poll_tightly_until("the restore's transaction", Duration::from_secs(60), || {
        text(&mut admin, &in_transaction) == "1"
    });
    signal(wfctl.id(), "STOP");
    poll_until(
        "psql to wait for more input",
        Duration::from_secs(60),
        || blocked_reading_stdin(psql) || exited(psql),
    );
    assert_eq!(
        text(&mut admin, &in_transaction),
        "1",
        "the restore finished too early"
    );
    assert!(!exited(psql));
    signal(wfctl.id(), "KILL");
    wfctl.wait().unwrap();
    // psql sees the end of its input without COMMIT and leaves; the server rolls back.
    poll_until("psql to exit", Duration::from_secs(30), || exited(psql));
    let gone = format!(
        "SELECT count(*)::text AS v FROM pg_stat_activity WHERE datname = '{}'",
        target.name
    );
    poll_until("the session to end", Duration::from_secs(30), || {
        text(&mut admin, &gone) == "0"
    });
    let mut t = target.conn();
    assert_eq!(text(&mut t, "SELECT x::text AS v FROM keep_me"), "42");
    assert_eq!(
        text(&mut t, "SELECT count(*)::text AS v FROM audit_log"),
        "0"
    );
    assert_eq!(
        text(&mut t, "SELECT (to_regclass('bulk') IS NULL)::text AS v"),
        "true",
        "none of the backup's tables arrived"
    );
}

/// Polls `done` every few milliseconds (no back-off): for a moment that must be caught while
/// it lasts, not merely some time after it came.
fn poll_tightly_until(what: &str, timeout: Duration, mut done: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + timeout;
    while !done() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn restore_create_into_a_database_that_exists_is_refused_naming_it() {
    let db = pg_or_skip!(db_with_cases(2));
    let dir = tempfile::tempdir().unwrap();
    Run::of(wfctl_db(&db.url).args(["backup", "--dir"]).arg(dir.path())).expect_code(0);
    let backup = only_backup(dir.path(), ".sql.gz");
    let target = format!("{}_exists", db.name);
    let restore = |extra: &[&str]| {
        Run::of(
            wfctl_db(&db.url)
                .arg("restore")
                .arg(&backup)
                .args(["--target-db", &target])
                .args(extra),
        )
    };
    restore(&["--create"]).expect_code(0);
    let mut conn: diesel::PgConnection =
        diesel::Connection::establish(&url_of(&db, &target)).unwrap();
    let before = counts(&mut conn);
    drop(conn);
    // a second --create (a mistyped name, a script run twice) does not reuse it
    let run = restore(&["--create", "--force"]).expect_code(1);
    assert!(
        run.stderr.contains(&target) && run.stderr.contains("already exists"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.trim_end().lines().count(), 1, "{}", run.stderr);
    let mut conn: diesel::PgConnection =
        diesel::Connection::establish(&url_of(&db, &target)).unwrap();
    assert_eq!(counts(&mut conn), before);
    drop(conn);
    // without --create it restores into the existing database, as documented
    restore(&["--force"]).expect_code(0);
    drop_database(&db, &target);
}

#[test]
fn restore_counts_the_sessions_of_other_roles_on_the_target() {
    let db = pg_or_skip!(db_with_cases(2));
    let dir = tempfile::tempdir().unwrap();
    Run::of(wfctl_db(&db.url).args(["backup", "--dir"]).arg(dir.path())).expect_code(0);
    let backup = only_backup(dir.path(), ".sql.gz");
    let target = format!("{}_busy", db.name);
    let role = format!("{}_other", db.name);
    let mut admin: diesel::PgConnection = diesel::Connection::establish(&db.admin_url()).unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE \"{target}\""))
        .unwrap();
    admin
        .batch_execute(&format!(
            "DROP ROLE IF EXISTS \"{role}\"; \
             CREATE ROLE \"{role}\" LOGIN PASSWORD 'other-pw'; \
             GRANT CONNECT ON DATABASE \"{target}\" TO \"{role}\""
        ))
        .unwrap();
    // another role's session: wfctl's role cannot see its query, but it is still a session
    let (scheme_and_user, rest) = url_of(&db, &target)
        .split_once('@')
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .unwrap();
    let scheme = scheme_and_user.split("//").next().unwrap().to_owned();
    let other_url = format!("{scheme}//{role}:other-pw@{rest}");
    let other: diesel::PgConnection = diesel::Connection::establish(&other_url).unwrap();
    let run = Run::of(wfctl_db(&db.url).arg("restore").arg(&backup).args([
        "--target-db",
        &target,
        "--force",
    ]))
    .expect_code(75);
    assert!(run.stderr.contains("1 other session"), "{}", run.stderr);
    drop(other);
    drop_database(&db, &target);
    let _ = admin.batch_execute(&format!("DROP ROLE IF EXISTS \"{role}\""));
}
