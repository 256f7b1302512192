//! Backups that fail say why, with the right exit code; the application role restores its
//! own backups; retention and cleanup delete only what wfctl made; `[backup]` in wfctl.toml
//! is honoured and a dry run writes nothing.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

use crate::backup_safety::frozen_backup;
use crate::pg_or_skip;
use crate::support::backup::*;
use crate::support::{Run, TestDb, poll_until};

/// A login role of the test server, dropped with what it owns.
struct AppRole {
    name: String,
    admin_url: String,
}

impl AppRole {
    fn new(db: &TestDb, attributes: &str) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "app_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        let admin_url = db.admin_url();
        admin(&admin_url)
            .batch_execute(&format!("CREATE ROLE {name} LOGIN {attributes}"))
            .unwrap();
        Self { name, admin_url }
    }

    /// The URL of `database` as this role.
    fn url(&self, db: &TestDb, database: &str) -> String {
        let url = url_of(db, database);
        let (scheme, rest) = url.split_once("://").unwrap();
        let rest = rest.split_once('@').map_or(rest, |(_, host)| host);
        format!("{scheme}://{}@{rest}", self.name)
    }
}

impl Drop for AppRole {
    fn drop(&mut self) {
        let Ok(mut conn) = PgConnection::establish(&self.admin_url) else {
            return;
        };
        let sessions = format!(
            "SELECT count(pg_terminate_backend(pid))::text AS v FROM pg_stat_activity \
             WHERE usename = '{}'",
            self.name
        );
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while text(&mut conn, &sessions) != "0" && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        let _ = conn.batch_execute(&format!("DROP ROLE IF EXISTS {}", self.name));
    }
}

fn admin(url: &str) -> PgConnection {
    PgConnection::establish(url).unwrap()
}

fn dir_arg(dir: &std::path::Path) -> &str {
    dir.to_str().unwrap()
}

#[test]
fn a_terminated_pg_dump_backend_exits_69() {
    let db = pg_or_skip!(TestDb::new());
    let dir = tempfile::tempdir().unwrap();
    let (wfctl, _pg_dump, _partial, _guard) = frozen_backup(&db, dir.path());
    // pg_dump is in the middle of the bulk table's COPY; its session goes away.
    let terminated = text(
        &mut admin(&db.admin_url()),
        &format!(
            "SELECT count(pg_terminate_backend(pid))::text AS v FROM pg_stat_activity \
             WHERE application_name = 'pg_dump' AND datname = '{}'",
            db.name
        ),
    );
    assert_eq!(terminated, "1");
    signal(wfctl.id(), "CONT");
    let (code, stderr) = finish(wfctl);
    assert_eq!(code, 69, "{stderr}");
    assert!(
        stderr.contains("pg_dump lost the connection to the server"),
        "{stderr}"
    );
    assert_eq!(final_names(dir.path()), Vec::<String>::new());
}

#[test]
fn a_table_the_role_cannot_read_is_named_not_the_snapshot() {
    let db = pg_or_skip!(TestDb::new());
    let role = AppRole::new(&db, "");
    db.conn()
        .batch_execute(&format!(
            "CREATE TABLE secret (x int); INSERT INTO secret VALUES (1); \
             GRANT CONNECT ON DATABASE {db} TO {r}; GRANT USAGE ON SCHEMA public TO {r}; \
             GRANT SELECT ON ALL TABLES IN SCHEMA public TO {r}; \
             GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO {r}; \
             REVOKE SELECT ON secret FROM {r};",
            db = db.name,
            r = role.name
        ))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let run =
        Run::of(wfctl_db(&role.url(&db, &db.name)).args(["backup", "--dir", dir_arg(dir.path())]))
            .expect_code(1);
    assert!(
        run.stderr.contains("permission denied for table secret"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("snapshot"), "{}", run.stderr);
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    assert_eq!(final_names(dir.path()), Vec::<String>::new());
}

#[test]
fn cleanup_deletes_only_what_wfctl_made() {
    let db = pg_or_skip!(TestDb::new());
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A user's directory named like a dump's leftover, with their files in it.
    let users = d.join("wf1_20200107_000000.sql.gz.partial");
    std::fs::create_dir(&users).unwrap();
    std::fs::write(users.join("notes.txt"), "mine").unwrap();
    // Symlinks named like leftovers, pointing out of the backup directory.
    let target_file = outside.path().join("precious.sql.gz");
    std::fs::write(&target_file, "precious").unwrap();
    let target_dir = outside.path().join("data");
    std::fs::create_dir(&target_dir).unwrap();
    std::fs::write(target_dir.join("PG_VERSION"), "15").unwrap();
    std::os::unix::fs::symlink(&target_file, d.join("wf2_20200107_000000.sql.gz.partial")).unwrap();
    std::os::unix::fs::symlink(&target_dir, d.join("base_20200107_000000.partial")).unwrap();
    std::os::unix::fs::symlink(
        &target_file,
        d.join("wf3_20200107_000000.sql.gz.manifest.json"),
    )
    .unwrap();
    // A directory named like a base leftover that pg_basebackup never wrote into.
    let other = d.join("base_20200108_000000.partial");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("photo.jpg"), "x").unwrap();
    // A real leftover of ours: the start of a gzip stream.
    std::fs::write(
        d.join("wf4_20200107_000000.sql.gz.partial"),
        [0x1f, 0x8b, 8, 0],
    )
    .unwrap();
    // Files the user made with names like ours: not what wfctl writes, so never deleted.
    std::fs::write(d.join("wf5_20200107_000000.sql.gz.partial"), "userfile").unwrap();
    std::fs::write(d.join("wf6_20200101_000000.sql.gz.manifest.json"), "{}").unwrap();

    let run = Run::of(wfctl_db(&db.url).args(["backup", "--dir", dir_arg(d)])).expect_code(0);
    assert!(
        run.stderr.contains("wf4_20200107_000000.sql.gz.partial"),
        "{}",
        run.stderr
    );
    assert!(!d.join("wf4_20200107_000000.sql.gz.partial").exists());
    assert_eq!(
        std::fs::read_to_string(users.join("notes.txt")).unwrap(),
        "mine"
    );
    assert_eq!(std::fs::read_to_string(&target_file).unwrap(), "precious");
    assert!(target_dir.join("PG_VERSION").exists());
    assert!(
        std::fs::symlink_metadata(d.join("wf2_20200107_000000.sql.gz.partial")).is_ok(),
        "the symlink itself stays"
    );
    assert!(std::fs::symlink_metadata(d.join("base_20200107_000000.partial")).is_ok());
    assert!(std::fs::symlink_metadata(d.join("wf3_20200107_000000.sql.gz.manifest.json")).is_ok());
    assert!(other.join("photo.jpg").exists());
    assert!(d.join("wf5_20200107_000000.sql.gz.partial").exists());
    assert!(d.join("wf6_20200101_000000.sql.gz.manifest.json").exists());
    for name in ["wf1_", "wf2_", "wf3_", "wf5_", "wf6_", "base_2020"] {
        assert!(
            !run.stderr
                .lines()
                .any(|l| l.contains("backup_deleted") && l.contains(name)),
            "{name}: {}",
            run.stderr
        );
    }
}

#[test]
fn a_dir_that_is_a_file_is_named_in_one_line() {
    let db = pg_or_skip!(TestDb::new());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backups");
    std::fs::write(&file, "not a directory").unwrap();
    let run = Run::of(wfctl_db(&db.url).args(["backup", "--dir", dir_arg(&file)])).expect_code(1);
    assert!(run.stderr.contains("not a directory"), "{}", run.stderr);
    assert!(run.stderr.contains(dir_arg(&file)), "{}", run.stderr);
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a directory");
}

#[test]
fn the_backup_section_of_wfctl_toml_sets_dir_format_level_and_retention() {
    let db = pg_or_skip!(TestDb::new());
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("configured");
    let config = work.path().join("wfctl.toml");
    std::fs::write(
        &config,
        format!(
            "[backup]\ndir = \"{}\"\nformat = \"custom\"\nlevel = 1\nkeep_min = 1\nkeep_days = 0\n",
            dir.display()
        ),
    )
    .unwrap();
    for _ in 0..2 {
        Run::of(
            wfctl_db(&db.url)
                .env("WFCTL_CONFIG", &config)
                .env_remove("WFCTL_BACKUP_DIR")
                .arg("backup"),
        )
        .expect_code(0);
    }
    // keep_min = 1 and keep_days = 0: the second run deleted the first.
    let names = final_names(&dir);
    assert_eq!(names.len(), 2, "{names:?}");
    let dump = names
        .iter()
        .find(|n| n.ends_with(".dump"))
        .expect("a custom-format dump");
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join(format!("{dump}.manifest.json"))).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest["compression_level"], 1, "{manifest}");
    assert_eq!(manifest["format"], "custom", "{manifest}");
    // Flags win over the file; `db backups` lists the configured directory.
    Run::of(wfctl_db(&db.url).env("WFCTL_CONFIG", &config).args([
        "backup",
        "--format",
        "sql-gz",
        "--keep-min",
        "5",
    ]))
    .expect_code(0);
    assert!(final_names(&dir).iter().any(|n| n.ends_with(".sql.gz")));
    let listed = Run::of(
        wfctl_db(&db.url)
            .env("WFCTL_CONFIG", &config)
            .args(["--json", "backups"]),
    )
    .expect_code(0);
    assert!(listed.stdout.contains(".sql.gz"), "{}", listed.stdout);

    // A bad value is a configuration error naming the key and the file.
    std::fs::write(&config, "[backup]\nlevel = 12\n").unwrap();
    let run = Run::of(
        wfctl_db(&db.url)
            .env("WFCTL_CONFIG", &config)
            .args(["backup", "--dry-run"]),
    )
    .expect_code(78);
    assert!(
        run.stderr.contains("wfctl.toml") && run.stderr.contains("level"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_dry_run_writes_nothing_not_even_the_lock_file() {
    let db = pg_or_skip!(TestDb::new());
    let work = tempfile::tempdir().unwrap();
    let missing = work.path().join("not").join("yet");
    Run::of(wfctl_db(&db.url).args(["backup", "--dry-run", "--dir", dir_arg(&missing)]))
        .expect_code(0);
    assert!(!work.path().join("not").exists());
    let empty = work.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let run = Run::of(wfctl_db(&db.url).args(["backup", "--dry-run", "--dir", dir_arg(&empty)]))
        .expect_code(0);
    assert!(run.stderr.contains("dry run"), "{}", run.stderr);
    assert_eq!(std::fs::read_dir(&empty).unwrap().count(), 0);
    // A backup running there now: its .partial is not a leftover, the dry run is refused.
    let held = wfctl::backup::DirLock::acquire(&empty, None).unwrap();
    std::fs::write(
        empty.join("wf_20200107_000000.sql.gz.partial"),
        "being written",
    )
    .unwrap();
    let run = Run::of(wfctl_db(&db.url).args(["backup", "--dry-run", "--dir", dir_arg(&empty)]))
        .expect_code(75);
    assert!(!run.stderr.contains("would delete"), "{}", run.stderr);
    drop(held);
}

#[test]
fn a_basebackup_dry_run_writes_nothing_either() {
    let db = pg_or_skip!(TestDb::new());
    let work = tempfile::tempdir().unwrap();
    let missing = work.path().join("base");
    let run =
        Run::of(wfctl_db(&db.url).args(["basebackup", "--dry-run", "--dir", dir_arg(&missing)]))
            .expect_code(0);
    assert!(run.stderr.contains("dry run"), "{}", run.stderr);
    assert!(!missing.exists());
}

#[test]
fn a_dir_that_is_a_symlink_is_used_as_its_target_and_a_dangling_one_is_refused() {
    let db = pg_or_skip!(TestDb::new());
    let work = tempfile::tempdir().unwrap();
    let real = work.path().join("real");
    std::fs::create_dir(&real).unwrap();
    let link = work.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    Run::of(wfctl_db(&db.url).args(["backup", "--dir", dir_arg(&link)])).expect_code(0);
    assert_eq!(final_names(&real).len(), 2, "{:?}", final_names(&real));
    let dangling = work.path().join("dangling");
    std::os::unix::fs::symlink(work.path().join("gone"), &dangling).unwrap();
    let run =
        Run::of(wfctl_db(&db.url).args(["backup", "--dir", dir_arg(&dangling)])).expect_code(1);
    assert!(run.stderr.contains("not a directory"), "{}", run.stderr);
    assert!(!work.path().join("gone").exists());
}

/// Databases the test created, dropped when it ends (before the role that owns them).
struct Databases<'a>(&'a TestDb, Vec<String>);

impl Drop for Databases<'_> {
    fn drop(&mut self) {
        for name in &self.1 {
            drop_database(self.0, name);
        }
    }
}

#[test]
fn the_owner_restores_its_backup_keeping_extensions_it_cannot_create() {
    let db = pg_or_skip!(TestDb::new());
    let app = AppRole::new(&db, "");
    let [src, kept, fresh, custom] =
        ["src", "kept", "fresh", "custom"].map(|n| format!("{}_{n}", db.name));
    let _dbs = Databases(
        &db,
        vec![src.clone(), kept.clone(), fresh.clone(), custom.clone()],
    );
    for name in [&src, &kept, &fresh, &custom] {
        admin(&db.admin_url())
            .batch_execute(&format!("CREATE DATABASE {name} OWNER {}", app.name))
            .unwrap();
    }
    // wfctl recommends pg_stat_statements: a superuser installs it; the owner uses a trusted
    // extension (citext) itself.
    admin(&url_of(&db, &src))
        .batch_execute("CREATE EXTENSION pg_stat_statements")
        .unwrap();
    admin(&app.url(&db, &src))
        .batch_execute(
            "CREATE EXTENSION citext; CREATE TABLE items (id int PRIMARY KEY, name citext); \
             INSERT INTO items SELECT g, 'n' || g FROM generate_series(1, 50) g",
        )
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let as_app = || wfctl_db(&app.url(&db, &src));
    Run::of(as_app().args(["backup", "--dir", dir_arg(dir.path())])).expect_code(0);
    let file = only_backup(dir.path(), ".sql.gz");
    let file = file.to_str().unwrap();

    // A superuser pre-created the extension in the target, which holds older data: --force
    // keeps the extension and replaces the data.
    admin(&url_of(&db, &kept))
        .batch_execute("CREATE EXTENSION pg_stat_statements")
        .unwrap();
    admin(&app.url(&db, &kept))
        .batch_execute("CREATE TABLE old (x int)")
        .unwrap();
    let run = Run::of(as_app().args(["restore", file, "--target-db", &kept, "--force"]));
    let run = run.expect_code(0);
    let mut restored = admin(&url_of(&db, &kept));
    assert_eq!(
        text(
            &mut restored,
            "SELECT string_agg(extname, ',' ORDER BY extname) AS v FROM pg_extension"
        ),
        "citext,pg_stat_statements,plpgsql",
        "{}",
        run.stderr
    );
    assert_eq!(
        text(&mut restored, "SELECT count(*)::text AS v FROM items"),
        "50"
    );
    assert_eq!(
        text(
            &mut restored,
            "SELECT (to_regclass('public.old') IS NULL)::text AS v"
        ),
        "true"
    );

    // Nobody created it in this one: the role cannot, so it is named and the data restores.
    let run = Run::of(as_app().args(["restore", file, "--target-db", &fresh])).expect_code(0);
    assert!(
        run.stderr
            .lines()
            .any(|l| l.contains("pg_stat_statements") && l.contains("superuser")),
        "{}",
        run.stderr
    );
    let mut restored = admin(&url_of(&db, &fresh));
    assert_eq!(
        text(
            &mut restored,
            "SELECT count(*)::text AS v FROM items WHERE name = 'N7'"
        ),
        "1"
    );
    // The same from pg_dump's custom format (its SQL comes from pg_restore).
    let custom_dir = tempfile::tempdir().unwrap();
    Run::of(as_app().args([
        "backup",
        "--format",
        "custom",
        "--dir",
        dir_arg(custom_dir.path()),
    ]))
    .expect_code(0);
    let archive = only_backup(custom_dir.path(), ".dump");
    let run =
        Run::of(as_app().args(["restore", archive.to_str().unwrap(), "--target-db", &custom]))
            .expect_code(0);
    assert!(run.stderr.contains("pg_stat_statements"), "{}", run.stderr);
    assert_eq!(
        text(
            &mut admin(&url_of(&db, &custom)),
            "SELECT count(*)::text AS v FROM items"
        ),
        "50"
    );

    // --restore-test creates a throwaway database: without CREATEDB, the hint says so.
    let run = Run::of(as_app().args(["verify", file, "--restore-test"])).expect_code(78);
    assert!(
        run.stderr.contains("CREATEDB") && run.stderr.contains(&app.name),
        "{}",
        run.stderr
    );
    admin(&db.admin_url())
        .batch_execute(&format!("ALTER ROLE {} CREATEDB", app.name))
        .unwrap();
    let run = Run::of(as_app().args(["verify", file, "--restore-test"])).expect_code(0);
    assert!(run.stderr.contains("pg_stat_statements"), "{}", run.stderr);
}

#[test]
fn a_restore_whose_server_went_away_exits_69_and_changes_nothing() {
    // enough rows that the dump outgrows the pipe to psql: wfctl cannot have sent all of it
    // when it is stopped, so psql is still waiting inside the transaction
    let db = pg_or_skip!(db_with_cases(3000));
    let dir = tempfile::tempdir().unwrap();
    Run::of(wfctl_db(&db.url).args(["backup", "--dir", dir_arg(dir.path())])).expect_code(0);
    let file = only_backup(dir.path(), ".sql.gz");
    let target = TestDb::new().unwrap();
    target
        .conn()
        .batch_execute("CREATE TABLE keep_me (x int); INSERT INTO keep_me VALUES (42)")
        .unwrap();
    let wfctl = spawn(wfctl_db(&db.url).args([
        "restore",
        file.to_str().unwrap(),
        "--target-db",
        &target.name,
        "--force",
    ]));
    let guard = KillOnDrop(wfctl.id());
    let psql = child_named(wfctl.id(), "psql", "ON_ERROR_STOP=1");
    let mut admin = admin(&db.admin_url());
    let restoring = format!(
        "FROM pg_stat_activity WHERE datname = '{}' AND xact_start IS NOT NULL",
        target.name
    );
    // psql is inside the restore's transaction, waiting for more SQL, when its session ends.
    poll_until("the restore's transaction", Duration::from_secs(60), || {
        text(
            &mut admin,
            &format!("SELECT count(*)::text AS v {restoring}"),
        ) == "1"
    });
    signal(wfctl.id(), "STOP");
    poll_until(
        "psql to wait for more input",
        Duration::from_secs(60),
        || blocked_reading_stdin(psql) || exited(psql),
    );
    assert!(!exited(psql), "the restore finished too early");
    let terminated = text(
        &mut admin,
        &format!("SELECT count(pg_terminate_backend(pid))::text AS v {restoring}"),
    );
    assert_eq!(terminated, "1");
    signal(wfctl.id(), "CONT");
    let (code, stderr) = finish(wfctl);
    drop(guard);
    assert_eq!(code, 69, "{stderr}");
    assert!(
        stderr.contains("psql lost the connection to the server"),
        "{stderr}"
    );
    assert_eq!(
        text(&mut target.conn(), "SELECT x::text AS v FROM keep_me"),
        "42"
    );
}

#[test]
fn a_basebackup_whose_server_went_away_exits_69() {
    let Some(cluster) = crate::backup_base::repl_cluster() else {
        return;
    };
    let url = cluster.admin_url("postgres");
    let dir = tempfile::tempdir().unwrap();
    let app_name = format!("wfctl_lost_{}", std::process::id());
    // 32 kB/s: the transfer takes minutes, so it is running when its sessions end.
    let wfctl = spawn(wfctl_db(&url).env("PGAPPNAME", &app_name).args([
        "basebackup",
        "--dir",
        dir_arg(dir.path()),
        "--fast-checkpoint",
        "--max-rate",
        "32k",
    ]));
    let _guard = KillOnDrop(wfctl.id());
    child_named(wfctl.id(), "pg_basebackup", "-D");
    let mut admin = admin(&url);
    let senders = format!(
        "FROM pg_stat_activity WHERE backend_type = 'walsender' AND application_name = '{app_name}'"
    );
    poll_until("pg_basebackup's sessions", Duration::from_secs(60), || {
        text(&mut admin, &format!("SELECT count(*)::text AS v {senders}")) != "0"
    });
    text(
        &mut admin,
        &format!("SELECT count(pg_terminate_backend(pid))::text AS v {senders}"),
    );
    let (code, stderr) = finish(wfctl);
    assert_eq!(code, 69, "{stderr}");
    assert!(
        stderr.contains("pg_basebackup lost the connection to the server"),
        "{stderr}"
    );
    assert!(
        listing(dir.path())
            .iter()
            .all(|n| !n.starts_with("base_") || n.ends_with(".partial")),
        "{:?}",
        listing(dir.path())
    );
}
