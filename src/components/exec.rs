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

/// Marks where a program's output was cut (the start of a stderr tail, the end of a stdout
/// head); the scrubber of sensitive values masks a piece of a secret beside it too.
pub const CUT: &str = "\u{2026}";

/// Default time limit of a program.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default cap on a program's stdout (its answer is one small JSON object).
pub const DEFAULT_MAX_STDOUT: usize = 1024 * 1024;
/// How much of stderr is kept for the error details.
const STDERR_TAIL: usize = 2048;

/// How often a watched run ([`ExecComponent::run_watched`]) asks whether to go on.
pub const WATCH_EVERY: Duration = Duration::from_millis(250);
/// How long to wait for the pipes after the program has exited.
const DRAIN_GRACE: Duration = Duration::from_millis(500);
/// Names wfctl's caller passes on to components, comma-separated.
pub const PASS_ENV: &str = "WFCTL_COMPONENT_ENV";

/// What a component inherits from wfctl's environment: only what any program needs to run
/// (search path, home, user, shell, locale, time zone, temporary directory, terminal) and the
/// names the caller lists in [`PASS_ENV`]. Anything else may be a secret under a name no rule
/// can recognise (`API_TOKEN`, `MY_DSN=postgres://u:pw@...`, `PGSERVICEFILE`). wfctl's own
/// connection secrets never pass, listed or not.
fn is_inherited(name: &str, listed: &str) -> bool {
    const NEEDED: &[&str] = &[
        "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TERM",
    ];
    let wanted = NEEDED.contains(&name)
        || name.starts_with("LC_")
        || listed.split(',').any(|n| n.trim() == name);
    wanted && !is_withheld(name)
}

/// wfctl's own secrets: a connection string, a password file, any name containing PASSWORD,
/// PASSPHRASE or SECRET.
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
    // `keep_going` said stop: the program's group was killed
    stopped: bool,
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
        let head = head_of(stdout, 512);
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
        let attempt = ctx.attempt.to_string();
        let env = [
            ("WFCTL_CASE_ID", ctx.case_id.as_str()),
            ("WFCTL_STEP", ctx.step.as_str()),
            ("WFCTL_EXEC_PATH", ctx.exec_path.as_str()),
            ("WFCTL_COMPONENT", ctx.component.as_str()),
            ("WFCTL_IDEMPOTENCY_KEY", ctx.idempotency_key.as_str()),
            ("WFCTL_ATTEMPT", attempt.as_str()),
        ];
        self.run_with(request, &env)
    }

    /// Runs the program with `request` on stdin and `env` added to its environment (under the
    /// same environment rules, limits and process group as a step); returns its stdout and
    /// stderr tail when it exited 0 in time. SLA actions run through this too.
    pub fn run_with(
        &self,
        request: Vec<u8>,
        env: &[(&str, &str)],
    ) -> Result<(Vec<u8>, String), ComponentError> {
        self.run_watched(request, env, &mut || Ok(()))
    }

    /// [`Self::run_with`], asking `keep_going` every [`WATCH_EVERY`] while the program runs: an
    /// `Err(reason)` kills the program's process group at once and fails the run with `reason`.
    pub fn run_watched(
        &self,
        request: Vec<u8>,
        env: &[(&str, &str)],
        keep_going: &mut dyn FnMut() -> Result<(), String>,
    ) -> Result<(Vec<u8>, String), ComponentError> {
        let mut cmd = crate::process::command(&self.argv[0]);
        // An allow-list: nothing else of wfctl's environment; the component's own `env` and
        // the case's WFCTL_* variables are added on top.
        cmd.env_clear();
        let listed = std::env::var(PASS_ENV).unwrap_or_default();
        for (name, value) in std::env::vars_os() {
            if name.to_str().is_some_and(|n| is_inherited(n, &listed)) {
                cmd.env(name, value);
            }
        }
        cmd.args(&self.argv[1..])
            .envs(&self.env)
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let child = cmd.spawn().map_err(|e| {
            ComponentError::new(format!(
                "component {}: cannot run {}: {e}",
                self.name, self.argv[0]
            ))
        })?;
        let mut stop_reason = None;
        let done = supervise(child, request, self.limits, &mut || {
            keep_going().map_err(|reason| stop_reason = Some(reason))
        });
        let limit = crate::conventions::duration_text(self.limits.timeout);
        let tail = || details(&[("stderr", &done.stderr_tail)]);
        let failed = |message: String| ComponentError {
            message,
            details: tail(),
        };
        if done.stopped {
            return Err(failed(format!(
                "component {} was stopped: {}",
                self.name,
                stop_reason.unwrap_or_default()
            )));
        }
        if done.timed_out {
            return Err(failed(format!(
                "component {} timed out after {limit}",
                self.name
            )));
        }
        if done.overflowed {
            return Err(failed(format!(
                "component {} printed more than {} on stdout",
                self.name,
                crate::conventions::size_text(self.limits.max_stdout as u64)
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

/// The first `max` bytes of `bytes` as text, cut on a character and marked when cut, so the
/// scrubber masks a secret the cut left only the start of.
fn head_of(bytes: &[u8], max: usize) -> String {
    if bytes.len() <= max {
        return String::from_utf8_lossy(bytes).into_owned();
    }
    let mut end = max;
    while end > 0 && bytes[end] & 0xC0 == 0x80 {
        end -= 1;
    }
    format!("{}{CUT}", String::from_utf8_lossy(&bytes[..end]))
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
    // the start of the output was dropped to keep its tail
    cut: bool,
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
                        if excess > 0 {
                            p.bytes.drain(..excess);
                            p.cut = true;
                        }
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
fn supervise(
    mut child: Child,
    request: Vec<u8>,
    limits: Limits,
    keep_going: &mut dyn FnMut() -> Result<(), ()>,
) -> Finished {
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
    let mut stopped = false;
    let mut next_watch = Instant::now() + WATCH_EVERY;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) => {}
            Err(_) => break None,
        }
        let now = Instant::now();
        if now >= next_watch {
            if keep_going().is_err() {
                stopped = true;
                crate::process::kill_group(&child);
                break child.wait().ok();
            }
            next_watch = Instant::now() + WATCH_EVERY;
        }
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
    let stderr_tail = {
        let pipe = lock(&stderr);
        if pipe.cut {
            // marked, so the scrubber masks a secret the cut left only the end of
            let whole = pipe
                .bytes
                .iter()
                .position(|b| b & 0xC0 != 0x80)
                .unwrap_or(0);
            format!("{CUT}{}", String::from_utf8_lossy(&pipe.bytes[whole..]))
        } else {
            String::from_utf8_lossy(&pipe.bytes).into_owned()
        }
    };
    Finished {
        status,
        stdout: stdout_bytes,
        stderr_tail,
        timed_out,
        overflowed: overflow.load(Ordering::SeqCst),
        stopped,
    }
}
