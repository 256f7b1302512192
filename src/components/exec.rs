//! Exec components: run an external program per step (protocol in [`super::protocol`]).
//!
//! The program runs in its own process group ([`crate::process`]), so that a timeout, an
//! overflow or wfctl's death kills everything it started (a shell script's children too). stdout is capped
//! ([`Limits::max_stdout`]), stderr is kept as a short tail for the error details, and every
//! wait has a limit: after the program exits, its pipes are drained for at most
//! [`DRAIN_GRACE`], so a grandchild that escaped the group and holds a pipe open cannot hang
//! the case.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::protocol::{self, Invalid, Request};
use crate::engine::{ComponentError, RouteResponse, StepContext, TaskResponse};

/// Default time limit of a program.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default cap on a program's stdout (its answer is one small JSON object).
pub const DEFAULT_MAX_STDOUT: usize = 1024 * 1024;
/// How much of stderr is kept for the error details.
const STDERR_TAIL: usize = 2048;
/// How long to wait for the pipes after the program has exited.
const DRAIN_GRACE: Duration = Duration::from_millis(500);
/// Environment never passed to a component: every variable wfctl or libpq reads a secret
/// from. The rule: a connection string (`DATABASE_URL`, `WFCTL_ADMIN_URL`), a password file
/// (`PGPASSFILE`), or any name containing PASSWORD, PASSPHRASE or SECRET
/// (`PGPASSWORD`, `WFCTL_USER_PASSWORD`, `WFCTL_READONLY_PASSWORD`, ...).
fn is_withheld(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    ["DATABASE_URL", "WFCTL_ADMIN_URL", "PGPASSFILE"].contains(&upper.as_str())
        || ["PASSWORD", "PASSPHRASE", "SECRET"]
            .iter()
            .any(|word| upper.contains(word))
}

/// Resource limits of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Time limit.
    pub timeout: Duration,
    /// Most bytes read from stdout; more is a failure.
    pub max_stdout: usize,
}

impl Limits {
    /// The defaults with an optional configured timeout.
    pub fn with_timeout(timeout: Option<Duration>) -> Self {
        Self {
            timeout: timeout.unwrap_or(DEFAULT_TIMEOUT),
            max_stdout: DEFAULT_MAX_STDOUT,
        }
    }
}

/// Resolves a relative program path containing `/` against the configuration's directory.
pub fn resolve_argv(argv: &[String], base_dir: &Path) -> Vec<String> {
    let mut argv = argv.to_vec();
    let program = Path::new(&argv[0]);
    if program.is_relative() && argv[0].contains('/') {
        argv[0] = base_dir.join(program).to_string_lossy().into_owned();
    }
    argv
}

/// An external program mapped to a component name.
#[derive(Debug, Clone)]
pub struct ExecComponent {
    name: String,
    argv: Vec<String>,
    env: BTreeMap<String, String>,
    limits: Limits,
    error_workbasket: String,
}

/// What a finished run produced.
struct Finished {
    status: Option<ExitStatus>,
    stdout: Vec<u8>,
    stderr_tail: String,
    timed_out: bool,
    overflowed: bool,
}

impl ExecComponent {
    /// A program with its argv (already resolved), extra environment and limits.
    pub fn new(
        name: &str,
        argv: Vec<String>,
        env: BTreeMap<String, String>,
        limits: Limits,
    ) -> Self {
        Self {
            name: name.to_owned(),
            argv,
            env,
            limits,
            error_workbasket: crate::engine::EngineConfig::default().error_workbasket,
        }
    }

    /// Where an `error_pend` answer without a basket pends.
    pub fn with_error_workbasket(mut self, basket: &str) -> Self {
        basket.clone_into(&mut self.error_workbasket);
        self
    }

    /// The program's argv.
    pub fn argv(&self) -> &[String] {
        &self.argv
    }

    /// Runs the program for a task.
    pub fn task(&self, ctx: &StepContext) -> Result<TaskResponse, ComponentError> {
        let stdout = self.run(ctx)?;
        protocol::task_response(&stdout.0, &ctx.variables, &self.error_workbasket)
            .map_err(|e| self.invalid(e, &stdout.0, &stdout.1))
    }

    /// Runs the program for a route.
    pub fn route(&self, ctx: &StepContext) -> Result<RouteResponse, ComponentError> {
        let stdout = self.run(ctx)?;
        protocol::route_response(&stdout.0, &ctx.variables, &self.error_workbasket)
            .map_err(|e| self.invalid(e, &stdout.0, &stdout.1))
    }

    fn invalid(&self, e: Invalid, stdout: &[u8], stderr_tail: &str) -> ComponentError {
        let message = match e {
            Invalid::Json(reason) => {
                format!("component {} printed invalid JSON: {reason}", self.name)
            }
            Invalid::Response(reason) | Invalid::Content(reason) => {
                format!("component {} gave an unusable answer: {reason}", self.name)
            }
        };
        let head = String::from_utf8_lossy(&stdout[..stdout.len().min(512)]).into_owned();
        ComponentError {
            message,
            details: details(&[("stdout", &head), ("stderr", stderr_tail)]),
        }
    }

    /// Runs the program; returns its stdout and stderr tail when it exited 0 in time.
    fn run(&self, ctx: &StepContext) -> Result<(Vec<u8>, String), ComponentError> {
        let request = serde_json::to_vec(&Request::new(ctx)).map_err(|e| {
            ComponentError::new(format!(
                "component {}: request not encodable: {e}",
                self.name
            ))
        })?;
        let mut cmd = crate::process::command(&self.argv[0]);
        // Inherited secrets go; what the component's own `env` configures stays.
        for (name, _) in std::env::vars_os() {
            if name.to_str().is_some_and(is_withheld) {
                cmd.env_remove(name);
            }
        }
        cmd.args(&self.argv[1..])
            .envs(&self.env)
            .env("WFCTL_CASE_ID", &ctx.case_id)
            .env("WFCTL_STEP", &ctx.step)
            .env("WFCTL_EXEC_PATH", &ctx.exec_path)
            .env("WFCTL_COMPONENT", &ctx.component)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let child = cmd.spawn().map_err(|e| {
            ComponentError::new(format!(
                "component {}: cannot run {}: {e}",
                self.name, self.argv[0]
            ))
        })?;
        let done = supervise(child, request, self.limits);
        let limit = humantime::format_duration(self.limits.timeout);
        let tail = || details(&[("stderr", &done.stderr_tail)]);
        let failed = |message: String| ComponentError {
            message,
            details: tail(),
        };
        if done.timed_out {
            return Err(failed(format!(
                "component {} timed out after {limit}",
                self.name
            )));
        }
        if done.overflowed {
            return Err(failed(format!(
                "component {} printed more than {} bytes on stdout",
                self.name, self.limits.max_stdout
            )));
        }
        match done.status {
            Some(s) if s.success() => Ok((done.stdout, done.stderr_tail)),
            Some(s) => Err(failed(match (s.code(), s.signal()) {
                (Some(code), _) => format!("component {} exited with status {code}", self.name),
                (None, Some(sig)) => format!(
                    "component {} was killed by signal {sig} ({})",
                    self.name,
                    signal_name(sig)
                ),
                _ => format!("component {} ended abnormally: {s}", self.name),
            })),
            None => Err(failed(format!(
                "component {}: its exit status could not be read",
                self.name
            ))),
        }
    }
}

fn details(parts: &[(&str, &str)]) -> String {
    parts
        .iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(label, text)| format!("{label}: {}", text.trim_end()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn signal_name(sig: i32) -> &'static str {
    match sig {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        6 => "SIGABRT",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        15 => "SIGTERM",
        _ => "signal",
    }
}

#[derive(Default)]
struct Pipe {
    bytes: Vec<u8>,
    done: bool,
}

type Shared = Arc<Mutex<Pipe>>;

fn lock(pipe: &Shared) -> std::sync::MutexGuard<'_, Pipe> {
    pipe.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Reads a pipe into `pipe`: at most `cap` bytes (setting `overflow` past it), or only the
/// last `tail` bytes when `tail` is set.
fn reader(
    mut from: impl Read + Send + 'static,
    pipe: Shared,
    cap: usize,
    tail: Option<usize>,
    overflow: Arc<AtomicBool>,
) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        loop {
            match from.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let mut p = lock(&pipe);
                    p.bytes.extend_from_slice(&buf[..n]);
                    if let Some(keep) = tail {
                        let excess = p.bytes.len().saturating_sub(keep);
                        p.bytes.drain(..excess);
                    } else if p.bytes.len() > cap {
                        p.bytes.truncate(cap);
                        overflow.store(true, Ordering::SeqCst);
                        break;
                    }
                }
            }
        }
        lock(&pipe).done = true;
    });
}

/// Feeds the request, collects the output and waits for the program within the limits.
fn supervise(mut child: Child, request: Vec<u8>, limits: Limits) -> Finished {
    if let Some(mut stdin) = child.stdin.take() {
        // A program that does not read its input must not block us: write on a thread.
        std::thread::spawn(move || {
            let _ = stdin.write_all(&request);
        });
    }
    let overflow = Arc::new(AtomicBool::new(false));
    let stdout = Shared::default();
    let stderr = Shared::default();
    if let Some(out) = child.stdout.take() {
        reader(
            out,
            stdout.clone(),
            limits.max_stdout,
            None,
            overflow.clone(),
        );
    } else {
        lock(&stdout).done = true;
    }
    if let Some(err) = child.stderr.take() {
        reader(err, stderr.clone(), 0, Some(STDERR_TAIL), overflow.clone());
    } else {
        lock(&stderr).done = true;
    }
    let deadline = Instant::now() + limits.timeout;
    let mut pause = Duration::from_millis(1);
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) => {}
            Err(_) => break None,
        }
        let now = Instant::now();
        if overflow.load(Ordering::SeqCst) || now >= deadline {
            timed_out = now >= deadline && !overflow.load(Ordering::SeqCst);
            crate::process::kill_group(&child);
            break child.wait().ok();
        }
        std::thread::sleep(pause.min(deadline - now));
        pause = (pause * 2).min(Duration::from_millis(50));
    };
    // Whatever the program left behind in its group goes too, so the pipes close.
    crate::process::kill_group(&child);
    let grace = Instant::now() + DRAIN_GRACE;
    while !(lock(&stdout).done && lock(&stderr).done) && Instant::now() < grace {
        std::thread::sleep(Duration::from_millis(2));
    }
    let stdout_bytes = std::mem::take(&mut lock(&stdout).bytes);
    let stderr_tail = String::from_utf8_lossy(&lock(&stderr).bytes).into_owned();
    Finished {
        status,
        stdout: stdout_bytes,
        stderr_tail,
        timed_out,
        overflowed: overflow.load(Ordering::SeqCst),
    }
}
