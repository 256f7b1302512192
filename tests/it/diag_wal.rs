//! `diag wal` on a cluster of its own: archiving off, failing, on with a recent segment in a
//! real archive directory, then stuck behind a hung archive_command; as superuser and as a
//! role without privileges.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Text};
use diesel::{PgConnection, QueryableByName, RunQueryDsl};
use serde_json::Value;

use crate::pg_or_skip;
use crate::support::backup::{cmdline, descendants, stat};
use crate::support::cluster::DedicatedCluster;
use crate::support::{Run, poll_until, wfctl};

fn wal(url: &str, extra: &[&str]) -> (Run, Value) {
    let run = Run::of(
        wfctl()
            .args(["--database-url", url, "--json", "diag", "wal", "--check"])
            .args(extra),
    );
    let json = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("one JSON document ({e}):\n{}\n{}", run.stdout, run.stderr));
    (run, json)
}

#[derive(QueryableByName)]
struct Archiver {
    #[diesel(sql_type = BigInt)]
    archived_count: i64,
    #[diesel(sql_type = BigInt)]
    failed_count: i64,
}

#[derive(QueryableByName)]
struct Segment {
    #[diesel(sql_type = Text)]
    name: String,
}

fn archiver(conn: &mut PgConnection) -> Archiver {
    diesel::sql_query("SELECT archived_count, failed_count FROM pg_stat_archiver")
        .get_result(conn)
        .unwrap()
}

/// Writes some WAL and closes its segment; returns the closed segment's name.
#[derive(QueryableByName)]
struct Done {
    #[diesel(sql_type = Nullable<Bool>)]
    done: Option<bool>,
}

/// The server's archiver process: the postmaster's child titled "archiver" (found through
/// the parent of this session's backend: before PostgreSQL 14, pg_stat_activity does not list
/// the archiver).
fn archiver_pid(conn: &mut PgConnection) -> u32 {
    #[derive(QueryableByName)]
    struct Pid {
        #[diesel(sql_type = Integer)]
        pid: i32,
    }
    let backend = diesel::sql_query("SELECT pg_backend_pid() AS pid")
        .get_result::<Pid>(conn)
        .unwrap()
        .pid;
    let (_, _, postmaster) = stat(u32::try_from(backend).unwrap()).expect("the backend's /proc");
    descendants(postmaster)
        .into_iter()
        .map(|(pid, _, _)| pid)
        .find(|pid| cmdline(*pid).join(" ").contains("archiver"))
        .expect("an archiver process under the postmaster")
}

fn switch_segment(conn: &mut PgConnection) -> String {
    conn.batch_execute(
        "CREATE TABLE IF NOT EXISTS t (x int); INSERT INTO t SELECT generate_series(1, 100)",
    )
    .unwrap();
    diesel::sql_query("SELECT pg_walfile_name(pg_switch_wal()) AS name")
        .get_result::<Segment>(conn)
        .unwrap()
        .name
}

/// One statement per call (ALTER SYSTEM refuses a transaction block), then a reload.
#[track_caller]
fn alter_system(conn: &mut PgConnection, statements: &[&str]) {
    for sql in statements.iter().chain(&["SELECT pg_reload_conf()"]) {
        conn.batch_execute(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

/// How long the archiver may take to act on a change.
const ARCHIVER: Duration = Duration::from_secs(30);

fn messages(report: &Value) -> String {
    report["findings"].to_string()
}

#[test]
fn archiving_off_then_failing_then_on_with_a_recent_segment_then_behind() {
    let cluster = pg_or_skip!(DedicatedCluster::start(""));
    let url = cluster.url("postgres");
    let mut admin = cluster.admin();
    let role = "wal_reader";
    admin
        .batch_execute(&format!("CREATE ROLE {role} LOGIN"))
        .unwrap();
    let ro_url = url.replacen("postgres@", &format!("{role}@"), 1);

    // 1. A default cluster: archiving is off.
    let (run, report) = wal(&url, &[]);
    run.expect_code(3);
    assert_eq!(report["archiving"]["archive_mode"], "off");
    assert!(
        messages(&report).contains("WAL archiving is off"),
        "{report}"
    );

    // 2. On, but the command fails.
    alter_system(
        &mut admin,
        &[
            "ALTER SYSTEM SET archive_mode = on",
            "ALTER SYSTEM SET archive_command = 'exit 1'",
        ],
    );
    cluster.restart();
    let mut admin = cluster.admin();
    let failed = switch_segment(&mut admin);
    poll_until("a failed archive attempt", ARCHIVER, || {
        archiver(&mut admin).failed_count > 0
    });
    let (run, report) = wal(&url, &[]);
    let run = run.expect_code(3);
    assert!(
        run.stderr.contains("archiving is failing"),
        "{}",
        run.stderr
    );
    assert_eq!(report["archiver"]["last_failed_wal"], failed.as_str());
    assert_eq!(
        report["archiving"]["archive_program"], "exit",
        "only the program, never the whole command"
    );

    // 3. A working command: the failed segment reaches the archive directory.
    let archive = cluster.dir.join("archive");
    std::fs::create_dir(&archive).unwrap();
    // The server's OS user must write there (tests run as root here; the server does not).
    let owner = std::env::var("WFCTL_TEST_PG_USER").unwrap_or_else(|_| "postgres".into());
    let _ = std::process::Command::new("chown")
        .arg(owner)
        .arg(&archive)
        .status();
    alter_system(
        &mut admin,
        &[&format!(
            "ALTER SYSTEM SET archive_command = 'test ! -f {0}/%f && cp %p {0}/%f'",
            archive.display()
        )],
    );
    poll_until("the archive", ARCHIVER, || {
        archiver(&mut admin).archived_count > 0
    });
    let latest = switch_segment(&mut admin);
    poll_until("the second segment", ARCHIVER, || {
        archive.join(&latest).exists()
    });
    poll_until("the archiver statistics", ARCHIVER, || {
        archiver(&mut admin).archived_count >= 2
    });
    assert!(
        archive.join(&failed).exists(),
        "the failed segment was archived on retry"
    );
    let (run, report) = wal(&url, &["--max-archive-age", "15m"]);
    run.expect_code(0);
    assert_eq!(report["archiver"]["last_archived_wal"], latest.as_str());
    let archived_at: chrono::DateTime<chrono::Utc> = report["archiver"]["last_archived_time"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(chrono::Utc::now() - archived_at < chrono::Duration::seconds(60));
    assert_eq!(report["backlog"]["ready_files"], 0);
    assert!(
        messages(&report).contains("archive_timeout = 0"),
        "a warning: {report}"
    );
    let human = Run::of(wfctl().args(["--database-url", &url, "diag", "wal"])).expect_code(0);
    assert!(human.stdout.contains(&latest), "{}", human.stdout);

    // The same as a role without pg_monitor: less to see, the same verdict.
    let (run, report) = wal(&ro_url, &[]);
    let run = run.expect_code(0);
    assert_eq!(report["archiver"]["last_archived_wal"], latest.as_str());
    assert_eq!(report["backlog"]["ready_files"], Value::Null);
    assert_eq!(report["backlog"]["segments_waiting"], 0);
    assert!(
        run.stderr.contains(&format!("GRANT pg_monitor TO {role}")),
        "{}",
        run.stderr
    );

    // 4. A hung archive_command: completed segments wait, no failure is ever recorded.
    alter_system(
        &mut admin,
        &["ALTER SYSTEM SET archive_command = 'sleep 20'"],
    );
    // The segments below must close after the archiver took the reload: a segment the old
    // command copies looks the same as one the hung command holds. The hung command shows as
    // a `sleep 20` under the archiver process (the cluster is this machine's); until it does,
    // each closed segment is one the archiver may still copy with the old command.
    let archiver = archiver_pid(&mut admin);
    poll_until("the archiver to run the hung command", ARCHIVER, || {
        let hung = descendants(archiver)
            .iter()
            .any(|(pid, _, _)| cmdline(*pid).join(" ").contains("sleep 20"));
        if !hung {
            switch_segment(&mut admin);
        }
        hung
    });
    for _ in 0..3 {
        switch_segment(&mut admin);
    }
    // the segments, and the last archive, must be older than the 200 ms limit
    poll_until("a waiting segment older than 200 ms", ARCHIVER, || {
        diesel::sql_query(
            "SELECT (SELECT min(modification) < clock_timestamp() - interval '200 ms' \
               FROM pg_ls_archive_statusdir() WHERE name LIKE '%.ready') \
             AND (SELECT last_archived_time < clock_timestamp() - interval '200 ms' \
               FROM pg_stat_archiver) AS done",
        )
        .get_result::<Done>(&mut admin)
        .unwrap()
        .done
        .unwrap_or(false)
    });
    let (run, _) = wal(&url, &["--max-archive-age", "200ms"]);
    let run = run.expect_code(3);
    assert!(
        run.stderr.contains("wait for the archive"),
        "{}",
        run.stderr
    );
    let (run, report) = wal(&ro_url, &["--max-archive-age", "200ms"]);
    let run = run.expect_code(3);
    assert!(
        run.stderr.contains("not archived"),
        "estimated from segment numbers: {}",
        run.stderr
    );
    assert!(
        report["backlog"]["segments_waiting"].as_u64().unwrap() >= 1,
        "{report}"
    );
}
