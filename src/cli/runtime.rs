//! What the case commands run on: the store of `ctx.store_location()`, the components of
//! `[components]`, the engine settings of `[engine]`, and an event sink that reports what the
//! engine did (the units run; events under `-v`).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use anyhow::Context as _;
use wfctl::components::Configured;
use wfctl::crypto::{Key, KeyRing, Sensitive, View};
use wfctl::engine::{EngineConfig, EventContext, EventSink, HookError, Trace};
use wfctl::store::{FileStore, LockWait, PgStore, Store};

use super::Context;
use super::context::StoreLocation;
use super::exit::Exit;

/// An opened store; PostgreSQL is kept as itself for bulk claims.
pub(crate) enum Opened {
    Files(FileStore),
    Postgres(PgStore),
}

impl Opened {
    pub(crate) fn store(&self) -> &dyn Store {
        match self {
            Self::Files(s) => s,
            Self::Postgres(s) => s,
        }
    }
}

/// Opens the store this invocation uses. A file store must exist: reading never creates one.
pub(crate) fn open_store(ctx: &Context) -> anyhow::Result<Opened> {
    if let StoreLocation::Files(dir) = ctx.store_location()?
        && std::fs::symlink_metadata(&dir).is_err()
    {
        anyhow::bail!(
            "no file store at {} (`wfctl case start` creates one; check --store / WFCTL_STORE / [store] dir)",
            dir.display()
        );
    }
    open(ctx)
}

/// Opens the store, creating a missing file store directory (and saying so on stderr): only
/// `case start` does this.
pub(crate) fn open_store_creating(ctx: &Context) -> anyhow::Result<Opened> {
    if let StoreLocation::Files(dir) = ctx.store_location()?
        && std::fs::symlink_metadata(&dir).is_err()
    {
        let opened = open(ctx)?;
        ctx.output
            .status(&format!("created the file store {}", dir.display()));
        return Ok(opened);
    }
    open(ctx)
}

fn open(ctx: &Context) -> anyhow::Result<Opened> {
    Ok(match ctx.store_location()? {
        StoreLocation::Files(dir) => Opened::Files(
            FileStore::open(&dir)
                .with_context(|| format!("opening the file store {}", dir.display()))?,
        ),
        // the store's error names the (redacted) URL already: once is enough
        StoreLocation::Postgres(url) => {
            Opened::Postgres(PgStore::connect(&url, &ctx.pool_options())?)
        }
    })
}

/// The directory relative component paths in the configuration are resolved against.
pub(crate) fn config_dir(ctx: &Context) -> PathBuf {
    ctx.config_path
        .as_deref()
        .and_then(Path::parent)
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// The engine settings from `[engine]`, with how long to wait for a locked case.
pub(crate) fn engine_config(ctx: &Context, lock_wait: LockWait) -> EngineConfig {
    let defaults = EngineConfig::default();
    let engine = &ctx.config.engine;
    EngineConfig {
        max_threads: engine.max_threads.unwrap_or(defaults.max_threads),
        error_workbasket: engine
            .error_workbasket
            .clone()
            .unwrap_or(defaults.error_workbasket),
        persist: engine.persist.unwrap_or(defaults.persist),
        lock_wait,
        max_units_per_call: engine
            .max_units_per_run
            .unwrap_or(defaults.max_units_per_call),
        max_branches: engine.max_branches.unwrap_or(defaults.max_branches),
        ..defaults
    }
}

/// The components of `[components]`.
pub(crate) fn components(ctx: &Context, config: &EngineConfig) -> anyhow::Result<Configured> {
    let origin = ctx
        .config_path
        .as_ref()
        .map_or_else(|| "wfctl.toml".to_owned(), |p| p.display().to_string());
    Configured::from_config(
        &ctx.config.components,
        &config_dir(ctx),
        &config.error_workbasket,
    )
    .with_context(|| format!("config file {origin}"))
}

/// `--wait`: how long to wait for a case another process holds (none: fail at once, exit 75).
pub(crate) fn lock_wait(wait: Option<Duration>) -> LockWait {
    wait.map_or(LockWait::Try, LockWait::Wait)
}

/// Parses `--wait` values: `10` (seconds) or a duration such as `2m`.
pub(crate) fn parse_wait(text: &str) -> Result<Duration, String> {
    super::format::parse_duration(text)
}

/// Collects the units a call ran and logs events (shown under `-v`).
#[derive(Default)]
pub(crate) struct Recorder {
    units: Mutex<Vec<String>>,
    // the sensitive values the run saw: a logged message is scrubbed of them
    seen: wfctl::crypto::Seen,
}

impl Recorder {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Logs scrubbed of the sensitive values in `seen`.
    pub(crate) fn scrubbing(mut self, seen: wfctl::crypto::Seen) -> Self {
        self.seen = seen;
        self
    }

    /// The units run so far, in order, and forgets them.
    pub(crate) fn take_units(&self) -> Vec<String> {
        std::mem::take(&mut *self.units.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn ran(&self, step: &str) {
        self.units
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(step.to_owned());
    }
}

impl EventSink for Recorder {
    fn event(&self, ctx: &EventContext) -> Result<(), HookError> {
        let place = match (ctx.step.is_empty(), ctx.workbasket.is_empty()) {
            (true, _) => String::new(),
            (false, true) => format!(" at {} ({})", ctx.step, ctx.exec_path),
            (false, false) => format!(" at {} ({}) in {}", ctx.step, ctx.exec_path, ctx.workbasket),
        };
        log::info!("event {} case {}{place}", ctx.event, ctx.case_id);
        Ok(())
    }

    fn trace(&self, trace: &Trace<'_>) {
        match trace {
            Trace::ExecTask { step, .. }
            | Trace::ExecRoute { step, .. }
            | Trace::ExecPause { step, .. }
            | Trace::ExecPersist { step, .. } => self.ran(step),
            Trace::Join { .. } => self.ran("(join)"),
            Trace::ComponentFailed {
                step,
                component,
                message,
            } => log::info!(
                "component {component} failed at {step}: {}",
                self.seen.scrub(message)
            ),
            _ => {}
        }
    }
}

/// The key file: `WFCTL_KEY_FILE`, else `[variables] key_file` (relative to the configuration
/// file's directory), with where it came from. Never a flag: argv is visible to every user.
pub(crate) fn key_file(ctx: &Context) -> Option<(PathBuf, String)> {
    if let Some(path) = std::env::var_os(KEY_FILE_VAR).filter(|p| !p.is_empty()) {
        return Some((PathBuf::from(path), KEY_FILE_VAR.to_owned()));
    }
    let path = ctx.config.variables.key_file.as_ref()?;
    let file = ctx
        .config_path
        .as_ref()
        .map_or_else(String::new, |p| p.display().to_string());
    Some((
        config_dir(ctx).join(path),
        format!("{file} [variables] key_file"),
    ))
}

/// The environment variable naming the key file.
pub(crate) const KEY_FILE_VAR: &str = "WFCTL_KEY_FILE";

/// `[variables] sensitive` and the key, loaded when one is configured (a key that is
/// configured and cannot be read is a configuration error, exit 78).
pub(crate) fn sensitive(ctx: &Context) -> anyhow::Result<Sensitive> {
    let keys = match key_file(ctx) {
        Some((path, _)) => KeyRing::new(vec![
            Key::load(&path).map_err(|e| Exit::new(super::exit::CONFIG, e.to_string()))?,
        ]),
        None => KeyRing::default(),
    };
    Ok(Sensitive::new(ctx.config.variables.sensitive.clone(), keys))
}

/// How a read-only command shows sensitive values: opened with `--reveal` (which needs the
/// key), else masked.
pub(crate) fn view(reveal: bool, sensitive: &Sensitive) -> anyhow::Result<View> {
    if !reveal {
        return Ok(View::Masked);
    }
    // without the key a sealed value opens to nothing: printing its ciphertext as if revealed
    // would mislead
    if sensitive.keys().sealing().is_none() {
        return Err(Exit::new(
            super::exit::CONFIG,
            format!(
                "--reveal needs the key: set {KEY_FILE_VAR} or [variables] key_file (or drop --reveal to see sensitive values as {})",
                wfctl::crypto::MASK
            ),
        )
        .into());
    }
    Ok(View::Plain)
}
