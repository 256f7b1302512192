//! Running the PostgreSQL client programs: credentials only in the environment, stderr kept
//! for the error message, exit status described in words.

use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, ExitStatus, Stdio};

use super::Error;
use crate::db::DatabaseUrl;

/// A command that connects to `url` with exactly the parameters wfctl itself uses: the
/// public ones as `--dbname=CONNINFO`, the password as PGPASSWORD in the environment, never
/// in argv, where `ps` would show it. `-w` style: the programs must never prompt (cron has
/// no terminal), which each caller passes.
pub(crate) fn connecting(mut cmd: Command, url: &DatabaseUrl) -> Command {
    cmd.args(url.child_args())
        .envs(url.child_env())
        .stdin(Stdio::null());
    cmd
}

/// Whether a variable of wfctl's environment is one a PostgreSQL program needs: libpq's own
/// (`PG*`), where to find programs and libraries, locale, time zone, home (`~/.pgpass`) and
/// temporary directory. Everything else (S3 credentials, `WFCTL_AGE_IDENTITY`,
/// `DATABASE_URL` with its password, whatever else the caller had) stays with wfctl.
fn needed_by_client(name: &str) -> bool {
    const EXACT: &[&str] = &[
        "PATH",
        "HOME",
        "USER",
        "LOGNAME",
        "LANG",
        "LANGUAGE",
        "TZ",
        "TMPDIR",
        "LD_LIBRARY_PATH",
    ];
    EXACT.contains(&name) || name.starts_with("PG") || name.starts_with("LC_")
}

/// Clears `cmd`'s environment down to what a PostgreSQL program needs (see
/// [`needed_by_client`]); what the caller adds afterwards (`PGPASSWORD`) still goes in.
pub(crate) fn only_needed_env(cmd: &mut Command) -> &mut Command {
    cmd.env_clear();
    for (name, value) in std::env::vars_os() {
        if name.to_str().is_some_and(needed_by_client) {
            cmd.env(name, value);
        }
    }
    cmd
}

/// Reads a child's stderr to the end on the calling thread, passing each line (split on `\n`
/// and `\r`, as progress lines use) to `on_line`; returns the last few KB.
pub(crate) fn read_stderr(mut stderr: impl Read, mut on_line: impl FnMut(&str)) -> String {
    const KEEP: usize = 16 * 1024;
    let mut kept = Vec::new();
    let mut line = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = match stderr.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        for &b in &buf[..n] {
            if b == b'\n' || b == b'\r' {
                if !line.is_empty() {
                    on_line(&String::from_utf8_lossy(&line));
                    line.clear();
                }
            } else {
                line.push(b);
            }
        }
        kept.extend_from_slice(&buf[..n]);
        if kept.len() > 2 * KEEP {
            kept.drain(..kept.len() - KEEP);
        }
    }
    if !line.is_empty() {
        on_line(&String::from_utf8_lossy(&line));
    }
    String::from_utf8_lossy(&kept).into_owned()
}

/// "exit code 1", "killed by signal 9".
pub(crate) fn describe(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit code {code}"),
        (None, Some(signal)) => format!("killed by signal {signal}"),
        _ => status.to_string(),
    }
}

/// The first real error of a program's stderr, on one line: its first error line and the
/// detail and hint lines that follow it. Later errors are consequences (a failed snapshot
/// import after the session that exported it was aborted, "could not read from input" after
/// the connection died), so they never replace the first. Without any error line, the last
/// lines say most.
pub(crate) fn error_summary(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .flat_map(|l| l.split('\r'))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let Some(first) = lines.iter().position(|l| is_error_line(l)) else {
        let start = lines.len().saturating_sub(3);
        return lines[start..].join(" | ");
    };
    let mut chosen = vec![lines[first]];
    chosen.extend(
        lines[first + 1..]
            .iter()
            .take_while(|l| is_detail_line(l))
            .take(2),
    );
    chosen.join(" | ")
}

/// `pg_dump: error: ...`, `ERROR:  ...`, `FATAL:  ...`, `psql:<stdin>:12: ERROR:  ...`.
fn is_error_line(line: &str) -> bool {
    line.contains("error:")
        || line.contains("ERROR:")
        || line.contains("FATAL:")
        || line.contains("PANIC:")
}

/// The lines that explain the error line before them (`pg_dump: detail: ...`, `DETAIL:`).
fn is_detail_line(line: &str) -> bool {
    ["detail:", "DETAIL:", "hint:", "HINT:"]
        .iter()
        .any(|tag| line.contains(tag))
}

/// Whether a client program's messages say it lost, or never reached, the server: a closed
/// or refused connection, a terminated session, a server shutting down. Worth a retry later
/// (exit 69), unlike an error of the backup itself.
pub(crate) fn lost_server(stderr: &str) -> bool {
    const SIGNS: &[&str] = &[
        "server closed the connection unexpectedly",
        "terminating connection due to",
        "no connection to the server",
        "could not receive data from server",
        "could not send data to server",
        "connection to server at",
        "connection to server on socket",
        "could not connect to server",
        "Connection refused",
        "the database system is shutting down",
        "the database system is starting up",
        "the database system is in recovery mode",
        "SSL SYSCALL error: EOF detected",
        "connection timed out",
        "Connection timed out",
    ];
    // Reached, and turned away for good: fix the configuration, a retry will not help. Read
    // in the error itself only: a notice such as `table "x" does not exist, skipping` before
    // it says nothing about the connection.
    const REFUSALS: &[&str] = &["pg_hba.conf", "authentication failed", "does not exist"];
    let error = error_summary(stderr);
    SIGNS.iter().any(|sign| stderr.contains(sign))
        && !REFUSALS.iter().any(|refusal| error.contains(refusal))
}

/// A failed client program as an error: [`Error::ServerLost`] when its messages say the
/// server went away or refused it (retry later), [`Error::ToolFailed`] otherwise. The message
/// is the first real error, followed by `note` when given.
pub(crate) fn failure(tool: &'static str, status: String, stderr: &str, note: &str) -> Error {
    let mut summary = error_summary(stderr);
    if !note.is_empty() {
        summary = if summary.is_empty() {
            note.to_string()
        } else {
            format!("{summary} {note}")
        };
    }
    if lost_server(stderr) {
        Error::ServerLost {
            tool,
            status,
            stderr: summary,
        }
    } else {
        Error::ToolFailed {
            tool,
            status,
            stderr: summary,
        }
    }
}

#[cfg(test)]
mod env_tests {
    use super::needed_by_client;

    #[test]
    fn secrets_of_wfctl_are_not_passed_on() {
        for kept in ["PATH", "PGPASSWORD", "PGHOST", "LC_ALL", "HOME", "TZ"] {
            assert!(needed_by_client(kept), "{kept}");
        }
        for dropped in [
            "AWS_SECRET_ACCESS_KEY",
            "AWS_ACCESS_KEY_ID",
            "AWS_SESSION_TOKEN",
            "WFCTL_AGE_IDENTITY",
            "WFCTL_REPOSITORY",
            "DATABASE_URL",
            "WFCTL_ADMIN_URL",
            "WFCTL_KEY_FILE",
        ] {
            assert!(!needed_by_client(dropped), "{dropped}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_error_is_the_cause_not_its_consequences() {
        let stderr = "pg_dump: error: query failed: ERROR:  permission denied for table secret\n\
                      pg_dump: detail: Query was: LOCK TABLE public.secret IN ACCESS SHARE MODE\n\
                      pg_dump: error: query failed: ERROR:  could not import the requested snapshot\n\
                      pg_dump: detail: The source transaction 1234 is not running anymore.\n";
        let summary = error_summary(stderr);
        assert!(
            summary.starts_with(
                "pg_dump: error: query failed: ERROR:  permission denied for table secret"
            ),
            "{summary}"
        );
        assert!(summary.contains("LOCK TABLE public.secret"), "{summary}");
        assert!(!summary.contains("snapshot"), "{summary}");
        // psql's own prefix, and a message with no error line at all.
        assert_eq!(
            error_summary(
                "psql:<stdin>:9: NOTICE:  x\npsql:<stdin>:12: ERROR:  relation \"t\" exists\n"
            ),
            "psql:<stdin>:12: ERROR:  relation \"t\" exists"
        );
        assert_eq!(error_summary("a\nb\nc\nd\n"), "b | c | d");
    }

    #[test]
    fn a_lost_or_refused_server_is_told_apart_from_a_failed_backup() {
        let lost = "pg_dump: error: Dumping the contents of table \"audit_log\" failed: PQgetResult() failed.\n\
                    pg_dump: detail: Error message from server: FATAL:  terminating connection due to administrator command\n";
        assert!(matches!(
            failure("pg_dump", "exit code 1".into(), lost, ""),
            Error::ServerLost { .. }
        ));
        let after_notices = "psql:<stdin>:3: NOTICE:  table \"old\" does not exist, skipping\n\
                             FATAL:  terminating connection due to administrator command\n";
        assert!(lost_server(after_notices));
        let no_database = "psql: error: connection to server on socket \"/tmp/.s.PGSQL.5432\" failed: FATAL:  database \"x\" does not exist\n";
        assert!(!lost_server(no_database));
        let refused = "pg_dump: error: connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n";
        assert!(lost_server(refused));
        let no_hba = "pg_basebackup: error: connection to server at \"h\" (10.0.0.1), port 5432 failed: FATAL:  no pg_hba.conf entry for replication connection\n";
        assert!(!lost_server(no_hba));
        let denied = "pg_dump: error: query failed: ERROR:  permission denied for table secret\n";
        let err = failure("pg_dump", "exit code 1".into(), denied, "(nothing kept)");
        assert!(matches!(err, Error::ToolFailed { .. }), "{err}");
        assert!(err.to_string().ends_with("secret (nothing kept)"), "{err}");
    }
}
