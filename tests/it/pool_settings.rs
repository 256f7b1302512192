//! `[database]` pool settings reach the pool, and `lock_timeout` stops a statement that waits
//! for a lock (exit 75) instead of letting it hang.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use wfctl::db::{DatabaseUrl, PoolOptions, connect_pool};

use crate::pg_or_skip;
use crate::support::{TestDb, poll_until, wfctl};

#[test]
fn min_idle_idle_timeout_and_max_lifetime_reach_the_pool() {
    let db = pg_or_skip!(TestDb::new());
    let url = DatabaseUrl::parse(&db.url).unwrap();
    let pool = connect_pool(
        &url,
        &PoolOptions {
            min_idle: Some(2),
            idle_timeout: Some(Duration::from_secs(60)),
            max_lifetime: Some(Duration::from_secs(120)),
            ..PoolOptions::default()
        },
    )
    .unwrap();
    assert_eq!(pool.min_idle(), Some(2));
    assert_eq!(pool.idle_timeout(), Some(Duration::from_secs(60)));
    assert_eq!(pool.max_lifetime(), Some(Duration::from_secs(120)));
    // unset: r2d2's defaults, and no idle connections kept
    let plain = connect_pool(&url, &PoolOptions::default()).unwrap();
    assert_eq!(plain.min_idle(), Some(0));
    assert_eq!(plain.idle_timeout(), Some(Duration::from_secs(600)));
    assert_eq!(plain.max_lifetime(), Some(Duration::from_secs(1800)));
}

#[test]
fn lock_timeout_ends_a_blocked_command_with_75() {
    let db = pg_or_skip!(TestDb::new());
    let mut holder = db.conn();
    holder
        .batch_execute("BEGIN; LOCK TABLE workflow_info IN ACCESS EXCLUSIVE MODE")
        .unwrap();
    let cwd = tempfile::tempdir().unwrap();
    std::fs::write(
        cwd.path().join("wfctl.toml"),
        "[database]\nlock_timeout = \"300ms\"\n",
    )
    .unwrap();
    let mut child = wfctl()
        .current_dir(cwd.path())
        .args(["--database-url", &db.url, "case", "list"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // without a lock timeout it would wait as long as the lock is held: give it 30 s (on a
    // timeout the holder's connection closes as the test unwinds, which lets the child end)
    poll_until(
        "case list to give up on the lock",
        Duration::from_secs(30),
        || child.try_wait().unwrap().is_some(),
    );
    let out = child.wait_with_output().unwrap();
    holder.batch_execute("ROLLBACK").unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(75), "{stderr}");
    assert!(stderr.contains("lock timeout"), "{stderr}");
}

/// `statement_timeout` and `lock_timeout` of `"0s"` mean no limit, as in PostgreSQL (and as
/// documented), never "cancel every statement".
#[test]
fn a_zero_statement_or_lock_timeout_means_no_limit() {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Setting {
        #[diesel(sql_type = diesel::sql_types::Text)]
        value: String,
    }
    let db = pg_or_skip!(TestDb::new());
    let url = DatabaseUrl::parse(&db.url).unwrap();
    let pool = connect_pool(
        &url,
        &PoolOptions {
            statement_timeout: Some(Duration::ZERO),
            lock_timeout: Some(Duration::ZERO),
            ..PoolOptions::default()
        },
    )
    .unwrap();
    let mut conn = pool.get().unwrap();
    for name in ["statement_timeout", "lock_timeout"] {
        let rows: Vec<Setting> =
            diesel::sql_query(format!("SELECT current_setting('{name}') AS value"))
                .load(&mut conn)
                .unwrap();
        assert_eq!(rows[0].value, "0", "{name}");
    }
    // a statement that takes a while is not cancelled
    diesel::sql_query("SELECT pg_sleep(0.05)")
        .execute(&mut conn)
        .unwrap();

    // and through wfctl.toml the same: the command works
    let cwd = tempfile::tempdir().unwrap();
    std::fs::write(
        cwd.path().join("wfctl.toml"),
        "[database]\nstatement_timeout = \"0s\"\nlock_timeout = \"0s\"\n",
    )
    .unwrap();
    let out = wfctl()
        .current_dir(cwd.path())
        .args(["--database-url", &db.url, "case", "list"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A timeout below the unit its consumer counts in is refused naming the key and the file:
/// `connect_timeout` under 1s, a `statement_timeout` or `lock_timeout` between 0 and 1ms.
#[test]
fn a_sub_unit_timeout_is_a_configuration_error_naming_the_key() {
    let cwd = tempfile::tempdir().unwrap();
    for (key, value) in [
        ("connect_timeout", "1ns"),
        ("connect_timeout", "500ms"),
        ("connect_timeout", "0s"),
        ("statement_timeout", "1ns"),
        ("lock_timeout", "999us"),
    ] {
        std::fs::write(
            cwd.path().join("wfctl.toml"),
            format!("[database]\n{key} = \"{value}\"\n"),
        )
        .unwrap();
        // nothing listens there: a refusal must come before any connection
        let out = wfctl()
            .current_dir(cwd.path())
            .args([
                "--database-url",
                "postgres://u@127.0.0.1:1/db",
                "case",
                "list",
            ])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(78), "{key} = {value}: {stderr}");
        assert!(stderr.contains(key), "{stderr}");
        assert!(stderr.contains("wfctl.toml"), "{stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    }
}
