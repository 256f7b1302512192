//! Child processes that die with wfctl: every program wfctl starts (exec components, pg_dump,
//! psql, pg_restore, pg_basebackup) is built with [`command`] and stopped with [`kill_group`].
//!
//! The rule: a child and everything it starts live in one process group of their own, and that
//! whole group dies when wfctl dies, however it dies (`kill -9` included). A parent-death
//! signal alone cannot do it: the kernel sends it only to the direct child, so a shell
//! script's `sleep` or pg_basebackup's forked WAL streamer would live on. So the binary runs
//! each program under a small guardian:
//!
//! - [`command`] returns a command for `wfctl __guard <wfctl's pid> PROGRAM ARGS...` started
//!   in a new process group. The guardian is wfctl itself (`/proc/self/exe`), re-executed in a
//!   hidden mode ([`guard_main_if_asked`], called first thing by `main`).
//! - The guardian starts PROGRAM in its own group (it inherits stdio, environment and working
//!   directory), with a parent-death signal (SIGKILL) in case the guardian alone is killed. It
//!   exits with the program's status, or dies of the program's signal, so callers see the
//!   program's outcome.
//! - The guardian is a child subreaper: a descendant that leaves the group (`setsid`, a
//!   double fork) and loses its parent is re-parented to the guardian, not to init, so it
//!   stays findable as one of the guardian's descendants.
//! - A watcher thread of the guardian polls its parent every [`WATCH_INTERVAL`]: once wfctl is
//!   gone (the guardian was re-parented) it kills every descendant and the whole group, itself
//!   included. When the program ends, the guardian kills what it left behind the same way.
//! - [`kill_group`] kills the guardian's descendants and the group it leads: the program and
//!   all it started, whatever session or group they moved to.
//!
//! When the guardian is not available (wfctl's library inside another program, its unit
//! tests), the program runs directly in its own group with a parent-death signal, which stops
//! the program but not its children. A program that cannot be found or run is also started
//! directly, so that its spawn fails with the usual error.

use std::ffi::{OsStr, OsString};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rustix::process::{Pid, Signal};

/// The hidden first argument that runs the binary as a guardian.
pub(crate) const GUARD_ARG: &str = "__guard";
/// How often a guardian checks that wfctl still lives.
pub(crate) const WATCH_INTERVAL: Duration = Duration::from_millis(50);
/// The binary re-executed as guardian: the running program itself, even if replaced on disk.
const SELF_EXE: &str = "/proc/self/exe";
/// Exit status of a guardian that could not start its program (as shells use).
const CANNOT_RUN: i32 = 127;

static GUARDIAN_ENABLED: AtomicBool = AtomicBool::new(false);

/// Runs the guardian when the process was started as one (never returns then); otherwise
/// enables guardians for the children this process starts. The wfctl binary calls it first.
pub fn guard_main_if_asked() {
    let mut args = std::env::args_os().skip(1);
    if args.next().as_deref() != Some(OsStr::new(GUARD_ARG)) {
        GUARDIAN_ENABLED.store(
            cfg!(target_os = "linux") && Path::new(SELF_EXE).exists(),
            Ordering::SeqCst,
        );
        return;
    }
    let rest: Vec<OsString> = args.collect();
    std::process::exit(guard(&rest));
}

/// A command that runs `program` so that it dies with this process (see the module comment).
/// Add arguments, environment and stdio to it as to any command; spawn it as usual; stop it
/// with [`kill_group`].
pub fn command(program: impl AsRef<OsStr>) -> Command {
    let program = program.as_ref();
    match resolve(program) {
        Some(path) if GUARDIAN_ENABLED.load(Ordering::SeqCst) => {
            let mut cmd = Command::new(SELF_EXE);
            cmd.arg0("wfctl-guard")
                .arg(GUARD_ARG)
                .arg(rustix::process::getpid().as_raw_nonzero().to_string())
                .arg(path)
                .process_group(0);
            cmd
        }
        Some(_) => {
            let mut cmd = Command::new(program);
            cmd.process_group(0);
            die_with_parent(&mut cmd);
            cmd
        }
        // nothing to guard: let the spawn fail with the usual error
        None => Command::new(program),
    }
}

/// Kills the process group a child from [`command`] leads: the program and everything it
/// started. A group that is already gone is no error.
pub(crate) fn kill_group(child: &Child) {
    kill_descendants(child.id());
    let _ = rustix::process::kill_process_group(Pid::from_child(child), Signal::KILL);
}

/// How many rounds [`kill_descendants`] makes: a round kills what it saw, the next catches
/// what forked meanwhile (a process that forks faster than SIGKILL lands is not a real case).
const KILL_ROUNDS: usize = 20;

/// Kills (SIGKILL) every live descendant of `root`, round after round until none is left.
/// Under a subreaper guardian this includes the processes that left its group or session.
pub(crate) fn kill_descendants(root: u32) {
    for _ in 0..KILL_ROUNDS {
        let found = descendants(root);
        if found.is_empty() {
            return;
        }
        for pid in found {
            if let Some(pid) = Pid::from_raw(pid as i32) {
                let _ = rustix::process::kill_process(pid, Signal::KILL);
            }
        }
    }
}

/// The live (not zombie) descendants of `root`, read from /proc (empty where there is none).
fn descendants(root: u32) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let parents: Vec<(u32, u32)> = dir
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| Some((pid, live_parent(pid)?)))
        .collect();
    let mut found = vec![root];
    let mut next = 0;
    while next < found.len() {
        let parent = found[next];
        found.extend(
            parents
                .iter()
                .filter(|(_, p)| *p == parent)
                .map(|(c, _)| *c),
        );
        next += 1;
    }
    found.remove(0);
    found
}

/// The parent of a live process (None once it is gone or a zombie), from /proc/PID/stat.
fn live_parent(pid: u32) -> Option<u32> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // the command name may hold spaces and parentheses: the fields follow the last ')'
    let mut rest = text[text.rfind(')')? + 1..].split_whitespace();
    let state = rest.next()?;
    if state == "Z" || state == "X" {
        return None;
    }
    rest.next()?.parse().ok()
}

/// The program's path as `Command` would find it (with a `/`: as given; without: in `PATH`),
/// if it is an executable file.
fn resolve(program: &OsStr) -> Option<PathBuf> {
    let runnable = |p: &Path| {
        p.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    let given = Path::new(program);
    if program.as_encoded_bytes().contains(&b'/') {
        return runnable(given).then(|| given.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(given))
        .find(|p| runnable(p))
}

/// Sets a parent-death signal (SIGKILL) on the child of `cmd`; the spawn fails if the parent
/// is already gone by then.
#[allow(unsafe_code)]
fn die_with_parent(cmd: &mut Command) {
    let parent = rustix::process::getpid();
    // SAFETY: the closure runs between fork and exec, where only async-signal-safe calls are
    // allowed. It makes two raw system calls (prctl, getppid) through rustix, which neither
    // allocates nor takes locks, and builds its error from a plain integer.
    unsafe {
        cmd.pre_exec(move || {
            rustix::process::set_parent_process_death_signal(Some(Signal::KILL))?;
            if rustix::process::getppid() != Some(parent) {
                return Err(std::io::Error::from_raw_os_error(
                    rustix::io::Errno::SRCH.raw_os_error(),
                ));
            }
            Ok(())
        });
    }
}

/// The guardian: `args` are wfctl's pid, the program and its arguments. Returns the exit status
/// to exit with (after dying of the program's signal if it died of one).
fn guard(args: &[OsString]) -> i32 {
    let (Some(parent), Some(program)) = (
        args.first()
            .and_then(|p| p.to_str()?.parse::<i32>().ok())
            .and_then(Pid::from_raw),
        args.get(1),
    ) else {
        eprintln!("wfctl: {GUARD_ARG} is for wfctl's own use");
        return 2;
    };
    if rustix::process::getppid() != Some(parent) {
        // wfctl died before the program could start: start nothing
        return CANNOT_RUN;
    }
    // orphans of the program's tree come to the guardian, which kills them with the rest
    let _ = rustix::process::set_child_subreaper(Some(rustix::process::getpid()));
    let mut cmd = Command::new(program);
    cmd.args(&args[2..]);
    die_with_parent(&mut cmd);
    let mut child = match cmd.spawn() {
        Ok(child) => child,
        Err(e) => {
            eprintln!("wfctl: cannot run {}: {e}", Path::new(program).display());
            return CANNOT_RUN;
        }
    };
    std::thread::spawn(move || {
        loop {
            if rustix::process::getppid() != Some(parent) {
                // wfctl is gone: so is everything it started here, this guardian included
                kill_descendants(std::process::id());
                let _ = rustix::process::kill_current_process_group(Signal::KILL);
                std::process::exit(CANNOT_RUN);
            }
            std::thread::sleep(WATCH_INTERVAL);
        }
    });
    let status = match child.wait() {
        Ok(status) => status,
        Err(e) => {
            eprintln!("wfctl: lost {}: {e}", Path::new(program).display());
            kill_descendants(std::process::id());
            return CANNOT_RUN;
        }
    };
    // what the program left running (in the background, in a session of its own) ends with it
    kill_descendants(std::process::id());
    if let Some(code) = status.code() {
        return code;
    }
    let signal = status.signal().unwrap_or(0);
    if let Some(sig) = Signal::from_named_raw(signal) {
        // die of the same signal; one that does not end a process falls through
        let _ = rustix::process::kill_process(rustix::process::getpid(), sig);
    }
    128 + signal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_program_is_found_in_path_or_by_its_path() {
        assert!(resolve(OsStr::new("sh")).is_some());
        assert!(resolve(OsStr::new("/bin/sh")).is_some());
        assert!(resolve(OsStr::new("./no-such-program")).is_none());
        assert!(resolve(OsStr::new("no-such-program-anywhere")).is_none());
        // a directory is not a program
        assert!(resolve(OsStr::new("/tmp")).is_none());
    }

    #[test]
    fn without_a_guardian_the_program_runs_in_its_own_group() {
        let mut child = command("sh")
            .args(["-c", "exit 3"])
            .spawn()
            .expect("sh runs");
        assert_eq!(child.wait().unwrap().code(), Some(3));
        let err = command("./no-such-program").spawn().unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
    }
}
