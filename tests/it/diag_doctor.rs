//! `diag doctor --write-migration` writes migrations diesel can run: CREATE INDEX CONCURRENTLY
//! outside a transaction, under a lock_timeout that really applies.

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel_migrations::{FileBasedMigrations, MigrationHarness};

use crate::pg_or_skip;
use crate::support::diag::diag_json;
use crate::support::{Run, TestDb, wfctl};

#[test]
fn written_migration_creates_the_index_concurrently_and_honours_lock_timeout() {
    let db = pg_or_skip!(TestDb::new());
    // The store's migration creates this index; without it, doctor has one to recommend.
    db.conn()
        .batch_execute("DROP INDEX idx_milestone_due")
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let run = Run::of(wfctl().args([
        "--database-url",
        &db.url,
        "diag",
        "doctor",
        "--write-migration",
        dir.path().to_str().unwrap(),
        "--lock-timeout",
        "1s",
    ]))
    .expect_code(0);
    assert!(
        run.stdout
            .contains("CREATE INDEX CONCURRENTLY idx_milestone_due"),
        "{}",
        run.stdout
    );
    let mut written: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    // Numbered after the newest embedded migration (numbers may have gaps: not a count).
    let n: u64 = wfctl::db::migrate::latest_version().parse().unwrap();
    assert_eq!(
        written,
        [
            format!("{:014}_diag_lock_timeout", n + 1),
            format!("{:014}_diag_idx_milestone_due", n + 2),
            format!("{:014}_diag_lock_timeout_reset", n + 3),
        ]
    );

    // Something holds a lock that CREATE INDEX CONCURRENTLY must wait for: lock_timeout ends the
    // wait after 1 s instead of queueing forever.
    let mut blocker = db.conn();
    blocker
        .batch_execute("BEGIN; LOCK TABLE milestone IN SHARE MODE")
        .unwrap();
    let mut conn = db.conn();
    let migrations = FileBasedMigrations::from_path(dir.path()).unwrap();
    let started = Instant::now();
    let failed = conn
        .run_pending_migrations(migrations.clone())
        .unwrap_err()
        .to_string();
    assert!(failed.contains("lock timeout"), "{failed}");
    assert!(started.elapsed() < Duration::from_secs(10));
    blocker.batch_execute("ROLLBACK").unwrap();

    // Applied for real (outside a transaction: CONCURRENTLY would be refused inside one).
    let mut conn = db.conn();
    let done = conn.run_pending_migrations(migrations.clone()).unwrap();
    assert_eq!(
        done.len(),
        2,
        "the lock_timeout migration was applied by the first run"
    );
    let report = diag_json(&db.url, &["indexes"], 0);
    let rec = report["recommended"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "idx_milestone_due")
        .unwrap()
        .clone();
    assert_eq!(rec["present_as"], "public.idx_milestone_due", "{rec}");
    assert!(report["invalid"].as_array().unwrap().is_empty());
    // And reverted.
    conn.revert_last_migration(migrations.clone()).unwrap();
    conn.revert_last_migration(migrations).unwrap();
    let report = diag_json(&db.url, &["indexes"], 0);
    assert!(
        report["recommended"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == "idx_milestone_due" && r["present_as"].is_null())
    );

    // Nothing missing: nothing written.
    let all_present = tempfile::tempdir().unwrap();
    db.conn()
        .batch_execute(
            "CREATE INDEX idx_milestone_due ON milestone(target_ts) WHERE status = 'enqueued'",
        )
        .unwrap();
    Run::of(wfctl().args([
        "--database-url",
        &db.url,
        "diag",
        "doctor",
        "--write-migration",
        all_present.path().to_str().unwrap(),
    ]))
    .expect_code(0);
    assert_eq!(std::fs::read_dir(all_present.path()).unwrap().count(), 0);
}

#[test]
fn a_managed_service_is_recognised_and_its_limits_named() {
    let db = pg_or_skip!(TestDb::new());
    let own = diag_json(&db.url, &["doctor"], 0);
    assert_eq!(own["managed"], serde_json::Value::Null, "{own:#}");
    assert_eq!(own["limitations"], serde_json::json!([]), "{own:#}");
    // what Amazon RDS adds to every server: settings of its own prefix
    db.conn()
        .batch_execute(&format!(
            "ALTER DATABASE \"{}\" SET rds.force_ssl = '0'",
            db.name
        ))
        .unwrap();
    let rds = diag_json(&db.url, &["doctor"], 0);
    assert_eq!(rds["managed"], "Amazon RDS / Aurora", "{rds:#}");
    let why = rds["limitations"][0]["enable"].as_str().unwrap_or_default();
    assert!(why.contains("parameter group"), "{rds:#}");
    let all = diag_json(&db.url, &["all", "--skip", "explain"], 0);
    assert!(
        all["limitations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["what"].as_str().unwrap().contains("Amazon RDS")),
        "{all:#}"
    );
}
