//! `[database]` pool settings reach the pool, and `lock_timeout` stops a statement that waits
//! for a lock (exit 75) instead of letting it hang.

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use wfctl::db::{DatabaseUrl, PoolOptions, connect_pool};

use crate::pg_or_skip;
use crate::support::{TestDb, wfctl};

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
    // without a lock timeout it would wait as long as the lock is held: give it 30 s
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("case list still waiting for the lock after 30 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    holder.batch_execute("ROLLBACK").unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(75), "{stderr}");
    assert!(stderr.contains("lock timeout"), "{stderr}");
}
