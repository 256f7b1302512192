//! Running the PostgreSQL client programs: credentials only in the environment, stderr kept
//! for the error message, exit status described in words.

use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, ExitStatus, Stdio};

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

/// The error lines of a program's stderr, on one line (the last ones, which say why).
pub(crate) fn error_summary(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .flat_map(|l| l.split('\r'))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let errors: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| {
            l.contains("error")
                || l.contains("ERROR")
                || l.contains("FATAL")
                || l.contains("DETAIL")
        })
        .collect();
    let chosen = if errors.is_empty() { lines } else { errors };
    let start = chosen.len().saturating_sub(3);
    chosen[start..].join(" | ")
}
