//! `db setup`: the guide's database, roles and grants; idempotent; the read-only role is.

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

use crate::pg_or_skip;
use crate::support::{Run, TestDb, wfctl};

#[test]
fn setup_twice_is_idempotent_and_readonly_cannot_write() {
    // Any TestDb gives us the server; setup creates its own database and roles.
    let scratch = pg_or_skip!(TestDb::new());
    let admin_url = scratch.admin_url();
    let id = std::process::id();
    let (database, user, ro) = (
        format!("wf_setup_{id}"),
        format!("wf_user_{id}"),
        format!("wf_ro_{id}"),
    );
    let setup = |extra: &[&str]| {
        let mut cmd = wfctl();
        cmd.env("WFCTL_ADMIN_URL", &admin_url)
            .env("WFCTL_USER_PASSWORD", "UserPw-123")
            .env("WFCTL_READONLY_PASSWORD", "ReadPw-456")
            .args([
                "db",
                "setup",
                "--database",
                &database,
                "--user",
                &user,
                "--readonly-user",
                &ro,
            ])
            .args(extra);
        Run::of(&mut cmd)
    };
    let first = setup(&[]).expect_code(0);
    assert!(!first.stdout.contains("UserPw-123") && !first.stderr.contains("UserPw-123"));
    let second = setup(&[]).expect_code(0);
    assert!(
        second.stdout.contains("skipped: exists"),
        "{}",
        second.stdout
    );

    let printed = setup(&["--print-sql"]).expect_code(0);
    assert!(
        printed
            .stdout
            .contains(&format!("CREATE DATABASE \"{database}\""))
    );
    assert!(
        printed.stdout.contains("SCRAM-SHA-256$4096:"),
        "{}",
        printed.stdout
    );
    assert!(!printed.stdout.contains("UserPw-123"));

    // The application role migrates the new database; the read-only role reads, never writes.
    let (head, _) = admin_url.rsplit_once("postgres@").unwrap();
    let host_db = admin_url
        .rsplit_once('@')
        .unwrap()
        .1
        .rsplit_once('/')
        .unwrap()
        .0
        .to_string();
    let user_url = format!("{head}{user}:UserPw-123@{host_db}/{database}");
    let ro_url = format!("{head}{ro}:ReadPw-456@{host_db}/{database}");
    Run::of(wfctl().args(["--database-url", &user_url, "db", "migrate"])).expect_code(0);
    let mut app = PgConnection::establish(&user_url).unwrap();
    app.batch_execute("INSERT INTO workflow_counters VALUES ('c', 1)")
        .unwrap();
    let mut reader = PgConnection::establish(&ro_url).unwrap();
    reader
        .batch_execute("SELECT * FROM workflow_counters")
        .unwrap();
    reader.batch_execute("SELECT * FROM audit_log").unwrap();
    let denied = reader
        .batch_execute("INSERT INTO workflow_counters VALUES ('d', 2)")
        .unwrap_err()
        .to_string();
    assert!(denied.contains("permission denied"), "{denied}");
    let denied = reader
        .batch_execute("DELETE FROM workflow_counters")
        .unwrap_err()
        .to_string();
    assert!(denied.contains("permission denied"), "{denied}");
    drop((app, reader));

    let mut admin = PgConnection::establish(&admin_url).unwrap();
    wfctl::backup::server::drop_database(&mut admin, &database).unwrap();
    admin
        .batch_execute(&format!(
            "DROP OWNED BY {ro}, {user}; DROP ROLE {ro}; DROP ROLE {user}"
        ))
        .unwrap();
}

#[test]
fn setup_rejects_unsafe_names() {
    let run = Run::of(wfctl().args([
        "db",
        "setup",
        "--admin-url",
        "postgres://postgres@127.0.0.1:1/postgres",
        "--database",
        "x; DROP TABLE y",
        "--print-sql",
    ]));
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("database name"), "{}", run.stderr);
}

/// A name PostgreSQL would truncate (over 63 bytes) is refused in one line with exit 2 before
/// anything is sent: for `db setup` roles and databases and for `db restore --target-db`.
#[test]
fn names_postgresql_would_truncate_are_refused_before_anything_is_sent() {
    let long = format!("wf_{}", "x".repeat(61));
    assert_eq!(long.len(), 64);
    for flag in ["--database", "--user", "--readonly-user"] {
        let run = Run::of(
            wfctl()
                .args([
                    "db",
                    "setup",
                    "--admin-url",
                    "postgres://postgres@127.0.0.1:1/postgres",
                    "--print-sql",
                ])
                .args([flag, &long]),
        )
        .expect_code(2);
        assert_eq!(run.stderr.trim_end().lines().count(), 1, "{}", run.stderr);
        assert!(
            run.stderr.contains("63 bytes") && !run.stderr.contains("URL"),
            "{flag}: {}",
            run.stderr
        );
    }
    let backup = tempfile::NamedTempFile::new().unwrap();
    for target in [long.as_str(), &"é".repeat(32)] {
        let run = Run::of(
            wfctl()
                .env("DATABASE_URL", "postgres://postgres@127.0.0.1:1/postgres")
                .args(["db", "restore"])
                .arg(backup.path())
                .args(["--target-db", target, "--create"]),
        )
        .expect_code(2);
        assert_eq!(run.stderr.trim_end().lines().count(), 1, "{}", run.stderr);
        assert!(
            run.stderr.contains("--target-db") && run.stderr.contains("63 bytes"),
            "{}",
            run.stderr
        );
    }
}

/// `db setup` never grants where the grant would reach further than its own database, and never
/// changes the password of a superuser or of the role it connects as: each refused in one line,
/// exit 2, nothing created. Names are quoted, so an SQL keyword is a name like any other.
#[test]
fn dangerous_targets_are_refused_and_keywords_are_plain_names() {
    let scratch = pg_or_skip!(TestDb::new());
    let admin_url = scratch.admin_url();
    let id = std::process::id();
    let mut admin = PgConnection::establish(&admin_url).unwrap();
    let su = format!("wf_su_{id}");
    admin
        .batch_execute(&format!(
            "CREATE ROLE {su} SUPERUSER LOGIN PASSWORD 'keep-me'"
        ))
        .unwrap();
    let connecting = admin_url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['@', ':']).next())
        .unwrap()
        .to_owned();
    let db = format!("wf_danger_{id}");
    let setup = |args: &[&str]| {
        Run::of(
            wfctl()
                .env("WFCTL_ADMIN_URL", &admin_url)
                .env("WFCTL_USER_PASSWORD", "NewPw-1")
                .env("WFCTL_READONLY_PASSWORD", "NewPw-2")
                .args(["db", "setup"])
                .args(args),
        )
    };
    let user = format!("wf_u_{id}");
    for (args, said) in [
        (
            vec!["--database", &db, "--user", &su, "--no-readonly"],
            "is a superuser",
        ),
        (
            vec!["--database", &db, "--user", &user, "--readonly-user", &su],
            "is a superuser",
        ),
        (
            vec!["--database", &db, "--user", &connecting, "--no-readonly"],
            "connects as",
        ),
        (
            vec!["--database", "template1", "--user", &user, "--no-readonly"],
            "template",
        ),
        (
            vec!["--database", "template0", "--user", &user, "--no-readonly"],
            "template",
        ),
        (
            vec!["--database", "postgres", "--user", &user, "--no-readonly"],
            "template",
        ),
        (
            vec!["--database", &db, "--user", &user, "--readonly-user", &user],
            "also --user",
        ),
    ] {
        let run = setup(&args).expect_code(2);
        assert_eq!(
            run.stderr.trim_end().lines().count(),
            1,
            "{args:?}: {}",
            run.stderr
        );
        assert!(run.stderr.contains(said), "{args:?}: {}", run.stderr);
    }
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut count = |sql: &str| {
        diesel::RunQueryDsl::get_result::<N>(diesel::sql_query(sql), &mut admin)
            .unwrap()
            .n
    };
    assert_eq!(
        count(&format!(
            "SELECT count(*) AS n FROM pg_database WHERE datname = '{db}'"
        )),
        0
    );
    assert_eq!(
        count(&format!(
            "SELECT count(*) AS n FROM pg_roles WHERE rolname = '{user}'"
        )),
        0
    );
    // a keyword is just a name
    let keyword_user = format!("select_{id}");
    setup(&[
        "--database",
        "select",
        "--user",
        &keyword_user,
        "--readonly-user",
        "table",
    ])
    .expect_code(0);
    assert_eq!(
        count("SELECT count(*) AS n FROM pg_database WHERE datname = 'select'"),
        1
    );
    assert_eq!(
        count("SELECT count(*) AS n FROM pg_roles WHERE rolname = 'table'"),
        1
    );
}
