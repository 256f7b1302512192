//! Backups that fail say why, with the right exit code; the application role restores its
//! own backups; retention and cleanup delete only what wfctl made; `[backup]` in wfctl.toml
//! is honoured and a dry run writes nothing.

use std::sync::atomic::{AtomicUsize, Ordering};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

use crate::backup_safety::frozen_backup;
use crate::backup_util::*;
use crate::pg_or_skip;
use crate::support::{Run, TestDb};

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
        if let Ok(mut conn) = PgConnection::establish(&self.admin_url) {
            let _ = conn.batch_execute(&format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{0}'; \
                 SELECT pg_sleep(0.1); DROP ROLE IF EXISTS {0}",
                self.name
            ));
        }
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
    assert!(stderr.contains("terminating connection"), "{stderr}");
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
