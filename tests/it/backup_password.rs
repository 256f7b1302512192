//! No password in any process's arguments while a backup runs: with SCRAM authentication
//! (an own cluster), the password reaches pg_dump and pg_basebackup only through PGPASSWORD
//! in their environment, and it works (a wrong one fails).

use std::process::Command;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

use crate::backup_base::repl_cluster;
use crate::support::backup::*;
use crate::support::{Run, poll_until};

const PASSWORD: &str = "Sekr1t-backup-pw-7731";

/// What `ps` shows of every process: the password must not be in it.
fn ps_everything() -> String {
    let out = Command::new("ps")
        .args(["-eww", "-o", "pid,args"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn environ(pid: u32) -> Vec<String> {
    std::fs::read(format!("/proc/{pid}/environ"))
        .unwrap_or_default()
        .split(|b| *b == 0)
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .collect()
}

/// The password is in `pid`'s environment as PGPASSWORD and nowhere in anyone's arguments.
fn assert_only_in_environment(wfctl: u32, child: u32) {
    assert!(
        !cmdline(child).join(" ").contains(PASSWORD),
        "{:?}",
        cmdline(child)
    );
    assert!(
        !cmdline(wfctl).join(" ").contains(PASSWORD),
        "{:?}",
        cmdline(wfctl)
    );
    assert!(!ps_everything().contains(PASSWORD));
    assert!(
        environ(child).contains(&format!("PGPASSWORD={PASSWORD}")),
        "PGPASSWORD not in the child's environment"
    );
}

#[test]
fn no_password_in_ps_while_pg_dump_and_pg_basebackup_run() {
    let Some(cluster) = repl_cluster() else {
        return;
    };
    let mut admin = cluster.admin("postgres");
    // One statement per call: CREATE/DROP DATABASE refuse to run in a transaction block.
    for sql in [
        "DROP DATABASE IF EXISTS wf_pw_db".to_string(),
        "DROP ROLE IF EXISTS wf_pw".to_string(),
        format!("CREATE ROLE wf_pw LOGIN REPLICATION PASSWORD '{PASSWORD}'"),
        "CREATE DATABASE wf_pw_db OWNER wf_pw".to_string(),
    ] {
        admin.batch_execute(&sql).unwrap();
    }
    let url = cluster.url("wf_pw", PASSWORD, "wf_pw_db");
    Run::of(wfctl_db(&url).arg("migrate")).expect_code(0);
    let mut conn = PgConnection::establish(&url).unwrap();
    conn.batch_execute(
        "INSERT INTO workflow_info (hibid, case_id, ts) \
         SELECT 'workflow_process_info-' || g, g::text, g FROM generate_series(1, 50) g",
    )
    .unwrap();

    // pg_dump waits for this lock while we look at it.
    let mut holder = hold_table_lock(&url, "workflow_info");
    let dir = tempfile::tempdir().unwrap();
    let wfctl = spawn(wfctl_db(&url).args(["backup", "--dir", dir.path().to_str().unwrap()]));
    let pg_dump = child_named(wfctl.id(), "pg_dump", "--snapshot=");
    assert_only_in_environment(wfctl.id(), pg_dump);
    holder.batch_execute("ROLLBACK").unwrap();
    let (code, stderr) = finish(wfctl);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("50 rows") || stderr.contains("rows in"),
        "{stderr}"
    );
    assert!(!stderr.contains(PASSWORD));

    // The password really is checked: a wrong one fails, and is not printed either.
    let wrong = cluster.url("wf_pw", "not-the-password-42", "wf_pw_db");
    let run = Run::of(wfctl_db(&wrong).args(["backup", "--dir", dir.path().to_str().unwrap()]));
    assert_eq!(run.code, 69, "{}", run.stderr);
    assert!(
        run.stderr.contains("password authentication failed"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("not-the-password-42"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("wf_pw:***@"), "{}", run.stderr);

    // pg_basebackup, slowed down so that it is still running while we look.
    let base = tempfile::tempdir().unwrap();
    let wfctl = spawn(wfctl_db(&url).args([
        "basebackup",
        "--dir",
        base.path().to_str().unwrap(),
        "--fast-checkpoint",
        "--max-rate",
        "32k",
    ]));
    let pg_basebackup = child_named(wfctl.id(), "pg_basebackup", "-D");
    // It authenticated with the password from its environment: data arrives.
    poll_until(
        "pg_basebackup to receive data",
        Duration::from_secs(60),
        || {
            listing(base.path()).iter().any(|n| {
                listing(&base.path().join(n))
                    .iter()
                    .any(|f| f == "base.tar.gz")
            })
        },
    );
    assert_only_in_environment(wfctl.id(), pg_basebackup);
    signal(pg_basebackup, "KILL");
    let (code, stderr) = finish(wfctl);
    assert_eq!(code, 1, "{stderr}");
    assert!(!stderr.contains(PASSWORD));
    assert!(processes_with_arg("pg_basebackup", base.path().to_str().unwrap()).is_empty());
}

/// libpq's password file works for wfctl and for the pg_dump it starts, and nothing else is
/// needed: no password in the URL, the environment or any argument.
#[test]
fn a_pgpass_file_is_all_the_password_wfctl_and_pg_dump_need() {
    use crate::support::own_cluster::{OwnCluster, SUPERUSER_PASSWORD};
    let Some(cluster) = OwnCluster::start("pgpass", &[]) else {
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let url = format!("postgres://postgres@127.0.0.1:{}/postgres", cluster.port);
    let wfctl = |pgpass: Option<&std::path::Path>| {
        let mut cmd = crate::support::wfctl();
        cmd.env("HOME", home.path()).env_remove("PGPASSFILE");
        if let Some(file) = pgpass {
            cmd.env("PGPASSFILE", file);
        }
        cmd.args(["--database-url", &url]);
        cmd
    };
    // without it: the server asks for a password, wfctl says so in one line (exit 69)
    let denied = Run::of(wfctl(None).args(["db", "migrate"])).expect_code(69);
    assert!(denied.stderr.contains("password"), "{}", denied.stderr);
    assert_eq!(denied.stderr.lines().count(), 1, "{}", denied.stderr);

    let pgpass = home.path().join("pgpass");
    std::fs::write(
        &pgpass,
        format!(
            "127.0.0.1:{}:*:postgres:{SUPERUSER_PASSWORD}\n",
            cluster.port
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).unwrap();
    Run::of(wfctl(Some(&pgpass)).args(["db", "migrate"])).expect_code(0);
    let backups = home.path().join("backups");
    let run =
        Run::of(wfctl(Some(&pgpass)).args(["db", "backup", "--dir", backups.to_str().unwrap()]))
            .expect_code(0);
    assert!(!run.stderr.contains(SUPERUSER_PASSWORD));
    assert_eq!(
        std::fs::read_dir(&backups)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".sql.gz")
            })
            .count(),
        1
    );
}
