//! Connection strings as libpq reads them, the same for wfctl and for the pg_dump/psql it
//! starts: passwords and database names with `+ / @ : % ' space` and non-ASCII, libpq
//! parameters, several hosts, the key=value form; and bad strings or configuration values
//! refused in one line with exit 78, never echoing the password.

use std::path::Path;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

use crate::backup_base::repl_cluster;
use crate::support::backup::*;
use crate::support::{Run, TestDb, poll_until, wfctl};

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

#[test]
fn an_empty_or_bad_database_url_names_where_it_came_from() {
    let dir = tempfile::tempdir().unwrap();
    for (value, source) in [("", "DATABASE_URL"), ("  ", "DATABASE_URL")] {
        let run = Run::of(
            with_url(value)
                .current_dir(dir.path())
                .args(["case", "list"]),
        );
        one_line_error(&run, 78);
        assert!(
            run.stderr.contains(&format!("{source} is empty")),
            "{}",
            run.stderr
        );
    }
    let mut cmd = wfctl();
    let run = Run::of(
        cmd.env_remove("DATABASE_URL")
            .current_dir(dir.path())
            .args(["--database-url", "", "db", "status"]),
    );
    one_line_error(&run, 78);
    assert!(
        run.stderr.contains("--database-url is empty"),
        "{}",
        run.stderr
    );

    let run = Run::of(with_url("postgres://u:hunter2@h/db?sslmode=on").args(["db", "status"]));
    one_line_error(&run, 78);
    assert!(
        run.stderr.starts_with("error: DATABASE_URL: "),
        "{}",
        run.stderr
    );
    let mut cmd = wfctl();
    let run = Run::of(cmd.env_remove("DATABASE_URL").args([
        "--database-url",
        "postgres://u:hunter2@h/db?sslmode=on",
        "db",
        "status",
    ]));
    one_line_error(&run, 78);
    assert!(
        run.stderr.starts_with("error: --database-url: "),
        "{}",
        run.stderr
    );

    // db setup's admin URL, the same way
    let mut cmd = wfctl();
    let run = Run::of(
        cmd.env("WFCTL_ADMIN_URL", "")
            .current_dir(dir.path())
            .args(["db", "setup"]),
    );
    one_line_error(&run, 78);
    assert!(
        run.stderr.contains("WFCTL_ADMIN_URL is empty"),
        "{}",
        run.stderr
    );
    let mut cmd = wfctl();
    let run = Run::of(
        cmd.env_remove("WFCTL_ADMIN_URL")
            .current_dir(dir.path())
            .args([
                "db",
                "setup",
                "--admin-url",
                "postgres://postgres:hunter2@h/postgres?sslmode=on",
            ]),
    );
    one_line_error(&run, 78);
    assert!(
        run.stderr.starts_with("error: --admin-url: "),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);

    // nothing was created where the command ran
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn an_unreadable_config_file_is_one_line_with_its_reason_once() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.toml");
    let mut cmd = wfctl();
    let run = Run::of(
        cmd.env("WFCTL_CONFIG", &missing)
            .env_remove("DATABASE_URL")
            .args(["case", "list"]),
    );
    one_line_error(&run, 78);
    assert!(
        run.stderr.contains(missing.to_str().unwrap()),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("os error 2").count(),
        1,
        "{}",
        run.stderr
    );
}

/// The URL's parameters reach the pg_dump wfctl starts (its session carries the URL's
/// application_name, not pg_dump's own), while the password stays out of its arguments.
#[test]
fn url_parameters_reach_pg_dump_and_the_password_stays_in_its_environment() {
    let Some(cluster) = repl_cluster() else {
        return;
    };
    const PASSWORD: &str = "App+name/pw-4471";
    let mut admin = cluster.admin("postgres");
    for sql in [
        "DROP DATABASE IF EXISTS wf_conn_app WITH (FORCE)".to_string(),
        "DROP ROLE IF EXISTS wf_conn_app".to_string(),
        format!("CREATE ROLE wf_conn_app LOGIN PASSWORD '{PASSWORD}'"),
        "CREATE DATABASE wf_conn_app OWNER wf_conn_app".to_string(),
    ] {
        admin.batch_execute(&sql).unwrap();
    }
    let plain = format!(
        "postgres://wf_conn_app:{}@127.0.0.1:{}/wf_conn_app",
        encode(PASSWORD),
        cluster.port
    );
    let url =
        format!("{plain}?application_name=conn-probe-app&options=-c%20work_mem%3D7MB&keepalives=1");
    Run::of(wfctl_db(&url).arg("migrate")).expect_code(0);

    // pg_dump waits for this lock while we look at its session
    let mut holder = hold_table_lock(&plain, "workflow_info");
    let dir = tempfile::tempdir().unwrap();
    let wfctl = spawn(wfctl_db(&url).args(["backup", "--dir", dir.path().to_str().unwrap()]));
    let pg_dump = child_named(wfctl.id(), "pg_dump", "--snapshot=");
    let mut waiting = String::new();
    poll_until(
        "pg_dump's session to wait for the lock",
        std::time::Duration::from_secs(30),
        || {
            waiting = text(
                &mut admin,
                "SELECT coalesce(string_agg(application_name, ','), '') AS v \
                 FROM pg_stat_activity \
                 WHERE datname = 'wf_conn_app' AND wait_event_type = 'Lock' \
                 AND query ILIKE 'LOCK TABLE%'",
            );
            !waiting.is_empty()
        },
    );
    assert_eq!(waiting, "conn-probe-app");
    let argv = cmdline(pg_dump).join(" ");
    assert!(
        !argv.contains("App+name") && !argv.contains("App%2Bname"),
        "{argv}"
    );
    assert!(argv.contains("work_mem"), "{argv}");
    let environ = std::fs::read(format!("/proc/{pg_dump}/environ")).unwrap_or_default();
    assert!(
        environ
            .split(|b| *b == 0)
            .any(|v| v == format!("PGPASSWORD={PASSWORD}").as_bytes()),
        "PGPASSWORD is not in pg_dump's environment"
    );
    holder.batch_execute("ROLLBACK").unwrap();
    let (code, stderr) = finish(wfctl);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("App+name"), "{stderr}");
    drop(holder);
    let _ = admin.batch_execute("DROP DATABASE IF EXISTS wf_conn_app WITH (FORCE)");
}

#[test]
fn a_certificate_file_that_does_not_exist_is_configuration_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no such ca.crt");
    let missing = missing.to_str().unwrap();
    // Nothing listens on the port: a missing file must be found before any connection.
    let port = free_port();
    for key in ["sslrootcert", "sslcert", "sslkey"] {
        let url = format!(
            "postgres://u:hunter2@127.0.0.1:{port}/db?sslmode=verify-full&{key}={}",
            encode(missing)
        );
        let run = Run::of(with_url(&url).args(["case", "list"]));
        one_line_error(&run, 78);
        assert!(run.stderr.contains(key), "{}", run.stderr);
        assert!(run.stderr.contains(missing), "{}", run.stderr);
        assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);
        let keywords = format!("host=127.0.0.1 port={port} sslmode=require {key}='{missing}'");
        let path = config(dir.path(), &format!("[database]\nurl = \"{keywords}\"\n"));
        let run = Run::of(wfctl().arg("--config").arg(&path).args(["db", "status"]));
        one_line_error(&run, 78);
        assert!(run.stderr.contains(missing), "{}", run.stderr);
    }
}

#[test]
fn a_certificate_file_named_by_libpq_variables_that_does_not_exist_is_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no such ca.crt");
    let missing = missing.to_str().unwrap();
    let port = free_port();
    let url = format!("postgres://u:hunter2@127.0.0.1:{port}/db?sslmode=verify-full");
    for var in ["PGSSLROOTCERT", "PGSSLCERT", "PGSSLKEY", "PGSSLCRL"] {
        for args in [&["case", "list"][..], &["db", "backup", "--dry-run"][..]] {
            let run = Run::of(with_url(&url).env(var, missing).args(args));
            one_line_error(&run, 78);
            assert!(run.stderr.contains(var), "{args:?}: {}", run.stderr);
            assert!(run.stderr.contains(missing), "{args:?}: {}", run.stderr);
        }
    }
    // A parameter in the URL is the one libpq uses: the variable is not looked at then.
    let ca = dir.path().join("ca.crt");
    std::fs::write(&ca, "").unwrap();
    let url = format!("{url}&sslrootcert={}", encode(ca.to_str().unwrap()));
    let run = Run::of(
        with_url(&url)
            .env("PGSSLROOTCERT", missing)
            .args(["case", "list"]),
    );
    assert_eq!(run.code, 69, "{}", run.stderr);
}
