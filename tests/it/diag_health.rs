//! `diag health` exit codes, `diag all` on a healthy database, and a read-only role without
//! pg_stat_statements: a clear partial report, not an error.

use diesel::connection::SimpleConnection;

use crate::pg_or_skip;
use crate::support::diag::{Role, diag_json};
use crate::support::{Run, TestDb, poll_for, wfctl};

const UNREACHABLE: &str = "postgres://postgres@127.0.0.1:1/nothing";

#[test]
fn health_exit_codes_healthy_degraded_unreachable() {
    let db = pg_or_skip!(TestDb::new());
    let report = diag_json(&db.url, &["health"], 0);
    assert_eq!(report["status"], "ok", "{report:#}");
    assert_eq!(report["migrations"]["pending"].as_array().unwrap().len(), 0);
    assert_eq!(report["pg_stat_statements"], "ready");
    assert!(report["connections"]["total"].as_i64().unwrap() >= 1);
    assert!(
        report["connections"]["wfctl"].as_i64().unwrap() >= 1,
        "wfctl's own session counts"
    );
    assert!(report["connect_seconds"].as_f64().unwrap() > 0.0);
    assert!(report["pool"]["max_size"].as_u64().unwrap() >= 1);

    // Connections over a (lowered) threshold: degraded, exit 3.
    let degraded = diag_json(&db.url, &["health", "--warn", "connections=0%"], 3);
    assert_eq!(degraded["status"], "warning");
    assert!(
        degraded["problems"][0]
            .as_str()
            .unwrap()
            .contains("client connections"),
        "{degraded}"
    );

    // A database without the migrations: degraded, exit 3, and the table says why.
    let empty = pg_or_skip!(TestDb::empty());
    let run =
        Run::of(wfctl().args(["--database-url", &empty.url, "diag", "health"])).expect_code(3);
    assert!(run.stdout.contains("pending migrations"), "{}", run.stdout);

    let down =
        Run::of(wfctl().args(["--database-url", UNREACHABLE, "diag", "health"])).expect_code(69);
    assert!(down.stderr.contains("cannot connect"), "{}", down.stderr);
    let nagios = Run::of(wfctl().args(["--database-url", UNREACHABLE, "diag", "all", "--nagios"]))
        .expect_code(3);
    assert!(
        nagios.stdout.starts_with("WFCTL DIAG UNKNOWN:"),
        "{}",
        nagios.stdout
    );
    Run::of(wfctl().args(["--database-url", UNREACHABLE, "diag", "all", "--check"]))
        .expect_code(69);
}

#[test]
fn all_passes_on_a_healthy_database() {
    let db = pg_or_skip!(TestDb::new());
    let run =
        Run::of(wfctl().args(["--database-url", &db.url, "diag", "all", "--check"])).expect_code(0);
    assert!(run.stdout.contains("| health"), "{}", run.stdout);
    let nagios = Run::of(wfctl().args(["--database-url", &db.url, "diag", "all", "--nagios"]))
        .expect_code(0);
    assert!(
        nagios.stdout.starts_with("WFCTL DIAG OK: 10 checks OK"),
        "{}",
        nagios.stdout
    );
    assert!(
        nagios.stdout.contains("| connections="),
        "{}",
        nagios.stdout
    );
    let json = diag_json(&db.url, &["all"], 0);
    assert_eq!(json["status"], "ok");
    assert_eq!(json["checks"].as_array().unwrap().len(), 10);
    // The opt-in checks run when named: the test server does not archive WAL, so `wal` finds it.
    let with_opt_in = diag_json(
        &db.url,
        &["all", "--include", "settings", "--include", "wal"],
        0,
    );
    let checks = with_opt_in["checks"].as_array().unwrap();
    assert!(checks.iter().any(|c| c == "settings") && checks.iter().any(|c| c == "wal"));
    assert!(
        with_opt_in["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["check"] == "wal"
                && f["message"].as_str().unwrap().contains("archiving is off")),
        "{with_opt_in:#}"
    );
    // Bad thresholds are usage errors.
    let bad = Run::of(wfctl().args(["--database-url", &db.url, "diag", "all", "--warn", "nope=1"]))
        .expect_code(2);
    assert!(bad.stderr.contains("unknown key"), "{}", bad.stderr);
    let help = Run::of(wfctl().args(["diag", "all", "--help"])).expect_code(0);
    assert!(
        help.stdout.contains("idle_in_transaction"),
        "{}",
        help.stdout
    );
}

#[test]
fn read_only_role_without_pg_stat_statements_gets_a_partial_report() {
    let db = pg_or_skip!(TestDb::new());
    db.conn()
        .batch_execute("DROP EXTENSION pg_stat_statements")
        .unwrap();
    let role = Role::read_only(&db);
    // Another role's session the read-only role may not look into.
    let mut other = db.conn();
    other.batch_execute("BEGIN; SELECT 1").unwrap();

    let report = diag_json(&role.url, &["all"], 0);
    assert_ne!(report["status"], "unknown", "no check failed: {report:#}");
    let limitations = report["limitations"].to_string();
    assert!(
        limitations.contains("pg_stat_statements is not installed"),
        "{limitations}"
    );
    assert!(
        limitations.contains("CREATE EXTENSION pg_stat_statements"),
        "{limitations}"
    );
    assert!(
        limitations.contains(&format!("GRANT pg_monitor TO \\\"{}\\\"", role.name)),
        "{limitations}"
    );
    // Every check still ran and reported.
    for check in ["health", "vacuum", "cases", "sizes"] {
        assert!(
            report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["check"] == check),
            "{check}: {report:#}"
        );
    }
    let table = Run::of(wfctl().args(["--database-url", &role.url, "diag", "all"])).expect_code(0);
    assert!(table.stderr.contains("not visible"), "{}", table.stderr);

    let doctor = diag_json(&role.url, &["doctor"], 0);
    let caps = doctor["capabilities"].as_array().unwrap();
    let cap = |name: &str| caps.iter().find(|c| c["check"] == name).unwrap().clone();
    assert_eq!(cap("slow-queries")["status"], "unknown");
    assert!(
        cap("slow-queries")["enable"]
            .to_string()
            .contains("CREATE EXTENSION pg_stat_statements")
    );
    assert_eq!(cap("locks --terminate")["status"], "warning");
    assert!(
        cap("locks --terminate")["enable"]
            .to_string()
            .contains("GRANT pg_signal_backend")
    );
    assert_eq!(cap("cases")["status"], "ok");
    assert_eq!(cap("long-running")["status"], "warning");
}

/// A primary and a streaming standby of this test's own: the standby's health reports its
/// replay lag, the primary's its standby.
#[test]
fn a_standby_reports_its_lag_and_the_primary_its_standbys() {
    use crate::support::cluster::as_owner;
    use crate::support::own_cluster::{OwnCluster, give_to_server_user, server_dir};
    let Some(primary) = OwnCluster::start("primary", &[]) else {
        return;
    };
    let primary_url = primary.admin_url("postgres");
    Run::of(wfctl().args(["--database-url", &primary_url, "db", "migrate"])).expect_code(0);

    let dir = server_dir("standby");
    let data = dir.join("data");
    let base = as_owner(&crate::support::backup::pg_program("pg_basebackup"))
        .current_dir(&dir)
        .arg("-h")
        .arg(&primary.dir)
        .arg("-p")
        .arg(primary.port.to_string())
        .args(["-U", "postgres", "-X", "stream", "-R", "--no-sync", "-D"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        base.status.success(),
        "pg_basebackup: {}",
        String::from_utf8_lossy(&base.stderr)
    );
    // A newer pg_basebackup writes conninfo options an older server's libpq rejects.
    std::fs::OpenOptions::new()
        .append(true)
        .open(data.join("postgresql.auto.conf"))
        .and_then(|mut f| {
            std::io::Write::write_all(
                &mut f,
                format!(
                    "primary_conninfo = 'host={} port={} user=postgres'\n",
                    primary.dir.display(),
                    primary.port
                )
                .as_bytes(),
            )
        })
        .unwrap();
    give_to_server_user(&dir);
    let standby = OwnCluster::from_data(dir, data, primary.bin.clone(), &[]);
    let standby_url = standby.admin_url("postgres");

    let standbys = poll_for(
        "the standby to stream",
        std::time::Duration::from_secs(60),
        || {
            let report = diag_json(&primary_url, &["health"], 0);
            let standbys = report["replication"]["standbys"].clone();
            (standbys[0]["state"] == "streaming").then_some(standbys)
        },
    );
    assert_eq!(standbys.as_array().unwrap().len(), 1, "{standbys}");
    assert_eq!(standbys[0]["state"], "streaming", "{standbys}");

    // The replay lag is measured from the last replayed commit: none has been replayed until
    // the primary commits after the base backup (PostgreSQL 18 reported null here).
    primary
        .admin("postgres")
        .batch_execute("CREATE TABLE replayed_on_the_standby ()")
        .unwrap();
    let report = poll_for(
        "the standby to replay a commit",
        std::time::Duration::from_secs(60),
        || {
            let report = diag_json(&standby_url, &["health"], 0);
            report["replication"]["lag_seconds"]
                .is_number()
                .then_some(report)
        },
    );
    assert_eq!(report["replica"], true, "{report:#}");
    assert_eq!(report["status"], "ok", "{report:#}");
    let replication = &report["replication"];
    assert!(replication["lag_seconds"].is_number(), "{report:#}");
    assert!(
        replication["bytes_behind"].as_f64().unwrap() >= 0.0,
        "{report:#}"
    );
    assert_eq!(replication["standbys"], serde_json::json!([]), "{report:#}");
}
