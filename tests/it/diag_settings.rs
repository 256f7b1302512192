//! `diag settings`: the guide's settings against a real server, the ALTER SYSTEM lines it
//! prints actually applied, per-table autovacuum from real churn, and what a role without
//! privileges is told.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::sql_types::BigInt;
use diesel::{PgConnection, QueryableByName, RunQueryDsl};
use serde_json::Value;

use crate::pg_or_skip;
use crate::support::cluster::DedicatedCluster;
use crate::support::{Run, TestDb, poll_until, wfctl};

/// The settings the guide's "PostgreSQL Configuration" names.
const GUIDE: [&str; 18] = [
    "shared_buffers",
    "effective_cache_size",
    "work_mem",
    "maintenance_work_mem",
    "checkpoint_completion_target",
    "wal_buffers",
    "max_wal_size",
    "min_wal_size",
    "random_page_cost",
    "effective_io_concurrency",
    "log_min_duration_statement",
    "log_statement",
    "log_line_prefix",
    "max_connections",
    "autovacuum",
    "autovacuum_max_workers",
    "autovacuum_naptime",
    "shared_preload_libraries",
];

fn settings(url: &str, extra: &[&str]) -> (Run, Value) {
    let run = Run::of(
        wfctl()
            .args(["--database-url", url, "--json", "diag", "settings"])
            .args(extra),
    );
    let json = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("one JSON document ({e}):\n{}\n{}", run.stdout, run.stderr));
    (run, json)
}

fn row<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no row for {name}"))
}

#[test]
fn default_cluster_fails_the_check_until_its_alter_lines_are_applied() {
    let cluster = pg_or_skip!(DedicatedCluster::start(""));
    let mut admin = cluster.admin();
    admin.batch_execute("CREATE DATABASE workflow_db").unwrap();
    let url = cluster.url("workflow_db");
    Run::of(wfctl().args(["--database-url", &url, "db", "migrate"])).expect_code(0);
    let scale = ["--ram", "4GB", "--cores", "2", "--check"];

    let (run, report) = settings(&url, &scale);
    let run = run.expect_code(3);
    assert!(run.stderr.contains("check failed: "), "{}", run.stderr);
    for name in GUIDE {
        let r = row(&report, name);
        assert!(r["current"].is_string(), "{name} has a value: {r}");
        assert!(r["recommended"].is_string(), "{name}: {r}");
    }
    assert_eq!(report["machine"]["ram_source"], "given");
    let sb = row(&report, "shared_buffers");
    assert_eq!(sb["current"], "128MB");
    assert_eq!(sb["recommended"], "1GB", "25% of 4GB");
    assert_eq!(sb["source"], "configuration file", "initdb writes it");
    assert_eq!(sb["severity"], "critical");
    assert_eq!(sb["restart_required"], true);
    assert_eq!(sb["alter"], "ALTER SYSTEM SET shared_buffers = '1GB';");
    let wm = row(&report, "work_mem");
    assert_eq!(
        (&wm["source"], &wm["recommended"]),
        (&"default".into(), &"64MB".into())
    );
    assert_eq!(wm["restart_required"], false);
    assert_eq!(
        row(&report, "shared_preload_libraries")["severity"],
        "critical"
    );
    assert_eq!(row(&report, "max_connections")["severity"], "ok");
    // the guide sets slow-statement logging for its database, not server-wide
    assert_eq!(
        row(&report, "log_min_duration_statement")["alter"],
        "ALTER DATABASE \"workflow_db\" SET log_min_duration_statement = '1s';"
    );
    // initdb's '%m [%p] ' names no user, database or application
    let prefix = row(&report, "log_line_prefix");
    assert_eq!(prefix["severity"], "warning", "{prefix}");
    assert_eq!(row(&report, "log_statement")["severity"], "ok");
    assert_eq!(report["pool"]["formula"], 5, "2 cores * 2 + 1 spindle");
    assert_eq!(report["pool"]["wfctl_pool"], 8);
    assert_eq!(report["pool"]["usable_connections"], 97);
    let apply: Vec<String> = report["apply"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect();
    assert!(apply.contains(&"SELECT pg_reload_conf();".to_string()));

    // The table form carries the same lines for a person to paste.
    let human = Run::of(
        wfctl()
            .args(["--database-url", &url, "diag", "settings"])
            .args(&scale[..4]),
    )
    .expect_code(0);
    assert!(
        human
            .stdout
            .contains("ALTER SYSTEM SET shared_buffers = '1GB';"),
        "{}",
        human.stdout
    );
    assert!(
        human
            .stdout
            .contains("then restart PostgreSQL for: shared_buffers")
    );

    // Applied and reloaded: the restart-only settings are pending, so the check still fails.
    for line in &apply {
        admin
            .batch_execute(line)
            .unwrap_or_else(|e| panic!("{line}: {e}"));
    }
    let (run, report) = settings(&url, &scale);
    run.expect_code(3);
    assert_eq!(
        row(&report, "work_mem")["severity"],
        "ok",
        "a reload applies work_mem"
    );
    assert_eq!(row(&report, "work_mem")["source"], "ALTER SYSTEM");
    assert_eq!(row(&report, "shared_buffers")["pending_restart"], true);
    assert!(
        report["restart_needed_for"]
            .as_array()
            .unwrap()
            .contains(&"shared_buffers".into())
    );

    cluster.restart();
    let (run, report) = settings(&url, &scale);
    run.expect_code(0);
    for name in GUIDE {
        assert_eq!(
            row(&report, name)["severity"],
            "ok",
            "{name}: {}",
            row(&report, name)
        );
    }
    assert_eq!(report["apply"], Value::Array(vec![]));
    assert_eq!(
        row(&report, "log_min_duration_statement")["source"],
        "database"
    );
    // The preload line it printed really loads the library.
    let mut db = <PgConnection as diesel::Connection>::establish(&url).unwrap();
    db.batch_execute(
        "CREATE EXTENSION pg_stat_statements; SELECT count(*) FROM pg_stat_statements",
    )
    .unwrap();
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn updates_seen(conn: &mut PgConnection) -> i64 {
    diesel::sql_query(
        "SELECT coalesce(n_tup_upd, 0) AS n FROM pg_stat_user_tables WHERE relname = 'workflow_info'",
    )
    .get_result::<Count>(conn)
    .map(|c| c.n)
    .unwrap_or(0)
}

#[test]
fn busy_workflow_tables_get_their_own_autovacuum_settings() {
    let db = pg_or_skip!(TestDb::new());
    let mut conn = db.conn();
    conn.batch_execute(
        "INSERT INTO workflow_info (hibid, case_id, ts, is_complete)
           SELECT 'workflow_process_info-' || i, i::text, i, false FROM generate_series(1, 12000) i;
         UPDATE workflow_info SET ts = ts + 1;
         UPDATE workflow_info SET ts = ts + 1, is_complete = true;",
    )
    .unwrap();
    drop(conn);
    // Backends flush their statistics when idle; wait for them, not for a fixed time.
    let mut reader = db.conn();
    poll_until("the statistics", Duration::from_secs(20), || {
        updates_seen(&mut reader) >= 24_000
    });
    let args = ["--ram", "4GB", "--cores", "2"];
    let (run, report) = settings(&db.url, &args);
    run.expect_code(0);
    let tables = report["tables"].as_array().unwrap();
    let info = tables
        .iter()
        .find(|t| t["table"] == "workflow_info")
        .unwrap();
    assert_eq!(info["live_rows"], 12000, "{info}");
    assert!(info["churn"].as_f64().unwrap() >= 2.0, "{info}");
    let alter = info["alter"].as_str().unwrap();
    assert_eq!(
        alter,
        "ALTER TABLE workflow_info SET (autovacuum_vacuum_scale_factor = 0.05, \
         autovacuum_analyze_scale_factor = 0.025);"
    );
    let quiet = tables.iter().find(|t| t["table"] == "exec_path").unwrap();
    assert_eq!(
        (&quiet["alter"], &quiet["severity"]),
        (&Value::Null, &"ok".into())
    );
    assert!(report["apply"].as_array().unwrap().contains(&alter.into()));

    reader.batch_execute(alter).unwrap();
    let (_, report) = settings(&db.url, &args);
    let info = report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == "workflow_info")
        .unwrap()
        .clone();
    assert_eq!(info["alter"], Value::Null, "already tuned: {info}");
    assert!(
        info["options"]
            .as_array()
            .unwrap()
            .contains(&"autovacuum_vacuum_scale_factor=0.05".into())
    );
}

#[test]
fn a_role_without_privileges_is_told_what_it_cannot_see() {
    let db = pg_or_skip!(TestDb::new());
    let role = format!("diag_ro_{}", std::process::id());
    let mut conn = db.conn();
    conn.batch_execute(&format!("CREATE ROLE {role} LOGIN"))
        .unwrap();
    let ro_url = db.url.replacen("postgres@", &format!("{role}@"), 1);

    let (super_run, as_super) = settings(&db.url, &[]);
    super_run.expect_code(0);
    assert_eq!(
        as_super["machine"]["ram_source"], "server",
        "{}",
        as_super["machine"]
    );
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap();
    let total_kb: u64 = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap();
    let ram = as_super["machine"]["ram_bytes"].as_u64().unwrap();
    assert!(
        ram > 0 && ram <= total_kb * 1024,
        "{ram} vs MemTotal {total_kb} kB"
    );

    let (run, as_ro) = settings(&ro_url, &[]);
    let run = run.expect_code(0);
    conn.batch_execute(&format!("DROP ROLE {role}")).unwrap();
    assert_eq!(
        as_ro["machine"]["ram_source"], "local_host",
        "loopback: this machine's"
    );
    assert_eq!(as_ro["machine"]["ram_bytes"], ram, "the same machine");
    let spl = row(&as_ro, "shared_preload_libraries");
    assert_eq!(
        (&spl["current"], &spl["severity"]),
        (&Value::Null, &"unknown".into())
    );
    // hidden from this role, it still needs a restart, not a reload
    assert_eq!(spl["restart_required"], true, "{spl}");
    let limits = as_ro["limitations"].to_string();
    assert!(
        limits.contains(&format!("GRANT pg_read_all_settings TO {role}")),
        "{limits}"
    );
    assert!(limits.contains("pg_read_server_files"), "{limits}");
    assert!(
        run.stderr.contains("not seen: shared_preload_libraries"),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_sizes_and_factors_are_usage_errors() {
    let run = Run::of(wfctl().args(["diag", "settings", "--ram", "12parsecs"])).expect_code(2);
    assert!(run.stderr.contains("12parsecs"), "{}", run.stderr);
    Run::of(wfctl().args(["diag", "settings", "--far-off", "1"])).expect_code(2);
    Run::of(wfctl().args(["diag", "settings", "--cores", "0"])).expect_code(2);
}
