//! Connection strings as libpq reads them, the same for wfctl and for the pg_dump/psql it
//! starts: passwords and database names with `+ / @ : % ' space` and non-ASCII, libpq
//! parameters, several hosts, the key=value form; and bad strings or configuration values
//! refused in one line with exit 78, never echoing the password.

use std::path::Path;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

use crate::backup_base::repl_cluster;
use crate::backup_util::*;
use crate::support::{Run, TestDb, wfctl};

/// Percent-encodes what a URI component needs, leaving `+` as users write it (libpq reads it
/// as a plus).
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~+".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port()
}

fn with_url(url: &str) -> std::process::Command {
    let mut cmd = wfctl();
    cmd.env("DATABASE_URL", url);
    cmd
}

#[track_caller]
fn one_line_error(run: &Run, code: i32) {
    assert_eq!(run.code, code, "{}", run.stderr);
    assert_eq!(run.stderr.trim_end().lines().count(), 1, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn special_characters_in_password_and_database_name_work_for_wfctl_and_its_children() {
    let Some(cluster) = repl_cluster() else {
        return;
    };
    const PASSWORD: &str = "S3cr+et/pw @:%'ü";
    const SOURCE: &str = "conn x+y @:%'ü";
    const TARGET: &str = "conn x y @:%'ü";
    let mut admin = cluster.admin("postgres");
    for sql in [
        format!("DROP DATABASE IF EXISTS \"{SOURCE}\""),
        format!("DROP DATABASE IF EXISTS \"{TARGET}\""),
        "DROP ROLE IF EXISTS wf_conn_sp".to_string(),
        format!(
            "CREATE ROLE wf_conn_sp LOGIN CREATEDB PASSWORD '{}'",
            PASSWORD.replace('\'', "''")
        ),
        format!("CREATE DATABASE \"{SOURCE}\" OWNER wf_conn_sp"),
    ] {
        admin.batch_execute(&sql).unwrap();
    }
    let url = format!(
        "postgres://wf_conn_sp:{}@127.0.0.1:{}/{}",
        encode(PASSWORD),
        cluster.port,
        encode(SOURCE)
    );
    assert!(url.contains("S3cr+et%2Fpw"), "{url}");

    // wfctl's own connections
    Run::of(wfctl_db(&url).arg("migrate")).expect_code(0);
    let mut conn = PgConnection::establish(&url).unwrap();
    conn.batch_execute(
        "INSERT INTO workflow_info (hibid, case_id, ts) \
         SELECT 'workflow_process_info-' || g, g::text, g FROM generate_series(1, 7) g",
    )
    .unwrap();
    Run::of(with_url(&url).args(["case", "list"])).expect_code(0);

    // pg_dump
    let dir = tempfile::tempdir().unwrap();
    let run = Run::of(wfctl_db(&url).args(["backup", "--dir", dir.path().to_str().unwrap()]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("S3cr"), "{}", run.stderr);
    let file = only_backup(dir.path(), ".sql.gz");

    // psql, into a database whose name differs from the source's only by ' ' for '+'
    let run = Run::of(wfctl_db(&url).args([
        "--json",
        "restore",
        file.to_str().unwrap(),
        "--target-db",
        TARGET,
        "--create",
    ]));
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["counts_match"], true, "{report}");
    let target_url = format!(
        "postgres://wf_conn_sp:{}@127.0.0.1:{}/{}",
        encode(PASSWORD),
        cluster.port,
        encode(TARGET)
    );
    let mut restored = PgConnection::establish(&target_url).unwrap();
    assert_eq!(
        text(
            &mut restored,
            "SELECT count(*)::text AS v FROM workflow_info"
        ),
        "7"
    );
    assert_eq!(
        text(&mut conn, "SELECT current_database()::text AS v"),
        SOURCE
    );

    // A wrong password: refused, exit 69, and no password in the message.
    let wrong = url.replace("S3cr+et", "Wr0ng+pw");
    let run = Run::of(with_url(&wrong).args(["case", "list"]));
    one_line_error(&run, 69);
    assert!(!run.stderr.contains("Wr0ng"), "{}", run.stderr);
    assert!(run.stderr.contains("wf_conn_sp:***@"), "{}", run.stderr);

    drop(conn);
    drop(restored);
    for db in [SOURCE, TARGET] {
        let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)"));
    }
}

#[test]
fn libpq_parameters_several_hosts_and_the_keyword_form_work_for_wfctl_and_pg_dump() {
    let db = crate::pg_or_skip!(TestDb::new());
    // the test server's URL is a plain postgres://USER@HOST:PORT/DB
    let parsed = url::Url::parse(&db.url).unwrap();
    let host = parsed.host_str().unwrap().to_string();
    let port = parsed.port().unwrap_or(5432);
    let user = parsed.username().to_string();
    let dead = free_port();
    let sep = if db.url.contains('?') { '&' } else { '?' };
    let forms = [
        format!(
            "{}{sep}keepalives=1&keepalives_idle=30&application_name=conn-test",
            db.url
        ),
        format!("postgres://{user}@{host}:{dead},{host}:{port}/{}", db.name),
        format!(
            "host={host},{host} port={dead},{port} user={user} dbname='{}' keepalives=1",
            db.name
        ),
    ];
    for url in &forms {
        let run = Run::of(with_url(url).args(["case", "list"]));
        assert_eq!(run.code, 0, "{url}: {}", run.stderr);
        let dir = tempfile::tempdir().unwrap();
        let run = Run::of(wfctl_db(url).args(["backup", "--dir", dir.path().to_str().unwrap()]));
        assert_eq!(run.code, 0, "{url}: {}", run.stderr);
    }
}

#[test]
fn bad_connection_strings_exit_78_in_one_line_without_the_password() {
    for url in [
        "garbage",
        "mysql://u@h/db",
        "postgres://u:hunter2@h/db?sslmode=on",
        "postgres://u:hunter2@h/db?sslmod=require",
        "postgres://u:hunter2@h:99999/db",
        "postgres://u:hunter2%zz@h/db",
        "host=h password='hunter2",
    ] {
        let run = Run::of(with_url(url).args(["case", "list"]));
        one_line_error(&run, 78);
        assert!(!run.stderr.contains("hunter2"), "{url}: {}", run.stderr);
        let run = Run::of(wfctl().args(["--database-url", url, "db", "status"]));
        one_line_error(&run, 78);
        assert!(!run.stderr.contains("hunter2"), "{url}: {}", run.stderr);
    }
}

fn config(dir: &Path, text: &str) -> std::path::PathBuf {
    let path = dir.join("wfctl.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn config_values_that_cannot_work_exit_78_naming_the_key_and_the_file() {
    let db = crate::pg_or_skip!(TestDb::new());
    let dir = tempfile::tempdir().unwrap();
    for (settings, key) in [
        ("pool_size = 0", "database.pool_size"),
        ("connect_timeout = \"0s\"", "database.connect_timeout"),
        ("pool_size = \"5\"", "database.pool_size"),
        (
            "statement_timeout = \"9999days\"",
            "database.statement_timeout",
        ),
    ] {
        let path = config(
            dir.path(),
            &format!("[database]\nurl = \"{}\"\n{settings}\n", db.url),
        );
        let run = Run::of(wfctl().arg("--config").arg(&path).args(["case", "list"]));
        one_line_error(&run, 78);
        assert!(
            run.stderr.contains(&format!("key `{key}`")),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains(path.to_str().unwrap()),
            "{}",
            run.stderr
        );
    }
}
