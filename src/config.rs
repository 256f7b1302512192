//! `wfctl.toml`: the configuration file, typed. Resolution against flags and environment
//! (flags > environment > file > defaults) happens in the CLI; this module only reads files.

pub mod sources;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Deserializer};

pub use crate::engine::PersistMode;

/// A configuration file that could not be used; always names the file (and key when known).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read (the reason is its source, printed after it).
    #[error("config file {}: cannot be read", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid, or a key has a bad value.
    #[error("config file {}: {location}{message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// `line N, key `x`: ` when known.
        location: String,
        /// toml's or our message.
        message: String,
    },
}

/// The whole file. Unknown keys are errors, so a typo never silently does nothing.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `[database]`
    #[serde(default)]
    pub database: DatabaseConfig,
    /// `[store]`
    #[serde(default)]
    pub store: StoreConfig,
    /// `[engine]`
    #[serde(default)]
    pub engine: EngineConfig,
    /// `[components.NAME]`: what each component name of a journey runs.
    #[serde(default)]
    pub components: BTreeMap<String, ComponentConfig>,
    /// `[backup]`
    #[serde(default)]
    pub backup: BackupConfig,
    /// `[sla]`
    #[serde(default)]
    pub sla: SlaConfig,
    /// `[variables]`
    #[serde(default)]
    pub variables: VariablesConfig,
    /// `[repository]`
    #[serde(default)]
    pub repository: RepositoryConfig,
    /// `[tools]`: where the PostgreSQL programs are.
    #[serde(default)]
    pub tools: ToolsConfig,
}

/// `[repository]`: where backups and archived WAL go, and whether they are encrypted.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepositoryConfig {
    /// `file:///var/backups/wfctl` or `s3://bucket/prefix`.
    pub url: Option<String>,
    /// Never write or delete in it (an adopted archive, e.g. the guide's `cp %p` directory).
    #[serde(default)]
    pub read_only: bool,
    /// A directory of plain WAL files (the guide's `cp %p DIR/%f` archive) that `wal fetch`,
    /// `db restore-pitr` and `diag wal` also read, after the repository; never written.
    pub wal_archive: Option<PathBuf>,
    /// `age` to encrypt every object to `recipients`.
    pub encrypt: Option<RepositoryEncryption>,
    /// age public keys (`age1...`) objects are encrypted to.
    #[serde(default)]
    pub recipients: Vec<String>,
    /// The age identity file (secret key) that restore and verify decrypt with
    /// (`WFCTL_AGE_IDENTITY` comes first).
    pub identity_file: Option<PathBuf>,
}

/// `[variables]`: which variables are sensitive, and the key that seals them.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariablesConfig {
    /// Names of sensitive variables; `*` matches any run of characters, `?` one.
    #[serde(default)]
    pub sensitive: Vec<String>,
    /// The key file (relative to the configuration file's directory); `WFCTL_KEY_FILE` wins.
    pub key_file: Option<PathBuf>,
}

/// How repository objects are encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RepositoryEncryption {
    /// age, to x25519 recipients.
    Age,
}

/// `[sla]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaConfig {
    /// `[sla.actions."RAISE_INC"]`, `[sla.actions."CUSTOM:remind_manager"]`: the program that
    /// carries out a milestone action (the most specific key wins).
    #[serde(default)]
    pub actions: BTreeMap<String, SlaActionConfig>,
}

/// `[sla.actions."KEY"]`: a program, run like an exec component.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaActionConfig {
    /// argv of the program to run.
    pub exec: Vec<String>,
    /// Its time limit, e.g. `"30s"`.
    #[serde(default, deserialize_with = "duration")]
    pub timeout: Option<Duration>,
    /// Extra environment for the program.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
}

/// `[database]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `url = "postgres://..."` (prefer `DATABASE_URL` or `~/.pgpass` for the password).
    pub url: Option<String>,
    /// Most pooled connections (default 8).
    pub pool_size: Option<u32>,
    /// How long to wait for a connection, e.g. `"5s"`.
    #[serde(default, deserialize_with = "duration")]
    pub connect_timeout: Option<Duration>,
    /// `statement_timeout` for every statement, e.g. `"30s"`.
    #[serde(default, deserialize_with = "duration")]
    pub statement_timeout: Option<Duration>,
    /// `lock_timeout` for every statement, e.g. `"5s"`.
    #[serde(default, deserialize_with = "duration")]
    pub lock_timeout: Option<Duration>,
    /// Idle connections the pool keeps (default 0).
    pub min_idle: Option<u32>,
    /// Close a connection idle this long, e.g. `"10m"` (the default).
    #[serde(default, deserialize_with = "duration")]
    pub idle_timeout: Option<Duration>,
    /// Close a connection this old, e.g. `"30m"` (the default).
    #[serde(default, deserialize_with = "duration")]
    pub max_lifetime: Option<Duration>,
}

/// `[store]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreConfig {
    /// The file store's directory (default `./workflow-data`).
    pub dir: Option<PathBuf>,
}

/// `[engine]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EngineConfig {
    /// Most branch threads at once; 0 runs branches one after another.
    pub max_threads: Option<usize>,
    /// Where a case pends when a component fails.
    pub error_workbasket: Option<String>,
    /// `each-unit` (default: a crash re-runs at most one unit per path) or `on-stop`.
    pub persist: Option<PersistMode>,
    /// Units one call may run before the case error-pends (a journey looping without end).
    #[serde(default, deserialize_with = "at_least_one")]
    pub max_units_per_run: Option<u64>,
    /// Exec paths a case may have at once (parallel and dynamic branches).
    #[serde(default, deserialize_with = "at_least_one")]
    pub max_branches: Option<usize>,
}

/// `[components.NAME]`: an external program or a builtin.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentConfig {
    /// argv of the program to run.
    pub exec: Option<Vec<String>>,
    /// Its time limit, e.g. `"30s"`.
    #[serde(default, deserialize_with = "duration")]
    pub timeout: Option<Duration>,
    /// Extra environment for the program.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// `proceed`, `pend` or `route-by-variable`.
    pub builtin: Option<String>,
    /// The variables the program reads (exec only); unset: all of them. Without the key, a
    /// step runs when none of these is a sealed sensitive value.
    pub reads: Option<Vec<String>>,
}

/// `[tools]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolsConfig {
    /// The one directory of PostgreSQL client and server programs (pg_dump, psql,
    /// pg_basebackup, pg_ctl): `--pg-bindir` and `WFCTL_PG_BINDIR` override it.
    pub bin_dir: Option<PathBuf>,
}

/// `[backup]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupConfig {
    /// Backup directory.
    pub dir: Option<PathBuf>,
    /// Days to keep: the forms of `--keep` (`"7d"`, `"2w"`), or a bare number of days.
    #[serde(default, deserialize_with = "retention_days")]
    pub keep_days: Option<u32>,
    /// Backups always kept, however old (at least 1).
    #[serde(default, deserialize_with = "at_least_one")]
    pub keep_min: Option<u32>,
    /// gzip or pg_dump compression level, 0-9.
    #[serde(default, deserialize_with = "compression_level")]
    pub level: Option<u32>,
    /// `sql-gz` or `custom`.
    pub format: Option<BackupFormat>,
}

/// The file format of `db backup`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BackupFormat {
    /// Plain SQL through gzip (`.sql.gz`).
    SqlGz,
    /// pg_dump's custom format (`.dump`).
    Custom,
}

/// The most connections of the pool (`[database] pool_size`): more is a typo, and more than a
/// server is usually configured to take from one client.
pub const MAX_POOL_SIZE: u32 = 100;

fn compression_level<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    let level = u32::deserialize(d)?;
    if level > 9 {
        return Err(serde::de::Error::custom(format!(
            "a compression level is {level}: {}",
            crate::conventions::range_rule(0, 9)
        )));
    }
    Ok(Some(level))
}

/// A retention age as `--keep` reads it (`"7d"`); a bare number is days.
fn retention_days<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    let text = d.deserialize_any(DurationText("an age such as \"14d\", or a number of days"))?;
    crate::conventions::parse_retention_days(&text)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

/// A duration as the flags read it (`"30s"`); a bare number is seconds, as on the command line.
fn duration<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    let text = d.deserialize_any(DurationText(
        "a duration such as \"30s\", or a number of seconds",
    ))?;
    crate::conventions::parse_duration(&text)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

/// Every duration key takes a string or a bare number (in the key's documented unit), read as
/// the text the flags parse; anything else is refused saying what to write.
struct DurationText(&'static str);

impl serde::de::Visitor<'_> for DurationText {
    type Value = String;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(self.0)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
}

/// A limit: 0 would stop every run before it starts.
fn at_least_one<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + PartialOrd + From<u8> + std::fmt::Display,
{
    let n = T::deserialize(d)?;
    if n < T::from(1) {
        return Err(serde::de::Error::custom(format!(
            "{n} is not a limit; it must be at least 1"
        )));
    }
    Ok(Some(n))
}

/// A section of a file that does not parse or check, set aside so that only the commands that
/// read it fail (a bad `[diag]` must not stop `journey validate`).
#[derive(Debug)]
pub struct SectionError {
    /// The top-level section: `database`, `components`, `diag`...
    pub section: String,
    /// What is wrong, naming the file and the key.
    pub error: Error,
}

impl Config {
    /// Reads a file as [`Config::load`] does, but sets each section that does not parse or
    /// check aside (its settings are the defaults) and returns it with its error. A problem
    /// outside any section (a key before the first `[section]`) is still an error.
    pub fn load_by_section(path: &Path) -> Result<(Self, Vec<SectionError>), Error> {
        let mut text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let mut set_aside: Vec<SectionError> = Vec::new();
        loop {
            match Self::parse(&text, path) {
                Ok(mut config) => {
                    config.resolve_paths(path.parent().unwrap_or(Path::new("")));
                    return Ok((config, set_aside));
                }
                Err(error) => {
                    let section = section_of_error(&error, &text);
                    // a section already set aside that still fails: nothing more to set aside
                    let Some(section) =
                        section.filter(|s| !set_aside.iter().any(|b| &b.section == s))
                    else {
                        return Err(error);
                    };
                    text = without_section(&text, &section);
                    set_aside.push(SectionError { section, error });
                }
            }
        }
    }

    /// Reads and checks a file.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let mut config = Self::parse(&text, path)?;
        config.resolve_paths(path.parent().unwrap_or(Path::new("")));
        Ok(config)
    }

    /// A relative directory in a file means relative to that file (as git and cargo read
    /// theirs), not to wherever wfctl happens to run (cron runs in `/`).
    fn resolve_paths(&mut self, base: &Path) {
        for dir in [
            &mut self.store.dir,
            &mut self.backup.dir,
            &mut self.repository.wal_archive,
            &mut self.repository.identity_file,
            &mut self.tools.bin_dir,
        ]
        .into_iter()
        .flatten()
        {
            if dir.is_relative() {
                *dir = base.join(&*dir);
            }
        }
    }

    /// Parses file content; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Self, Error> {
        let config: Self = toml::from_str(text).map_err(|e| {
            let location = e
                .span()
                .map(|span| {
                    let line = text[..span.start].matches('\n').count() + 1;
                    format!("line {line}, key `{}`: ", key_at(text, span.start))
                })
                .unwrap_or_default();
            Error::Invalid {
                path: path.to_path_buf(),
                location,
                message: rule_of(e.message()),
            }
        })?;
        config.check_values(text, path)?;
        Ok(config)
    }

    /// Values that parse but cannot work (a pool of 0, a timeout of 0, more than the server
    /// or libpq can hold) are refused here, naming the key, rather than failing later.
    fn check_values(&self, text: &str, path: &Path) -> Result<(), Error> {
        let fail = |section: &str, key: &str, message: String| Error::Invalid {
            path: path.to_path_buf(),
            location: locate(text, section, key),
            message,
        };
        let db = &self.database;
        if let Some(size) = db.pool_size
            && !(1..=MAX_POOL_SIZE).contains(&size)
        {
            let rule = crate::conventions::range_rule(1, MAX_POOL_SIZE);
            return Err(fail("database", "pool_size", format!("is {size}: {rule}")));
        }
        if let Some(t) = db.connect_timeout {
            check_duration(
                t,
                false,
                MAX_CONNECT_TIMEOUT,
                "libpq counts whole seconds in an int",
            )
            .map_err(|m| fail("database", "connect_timeout", m))?;
            // a sub-second wait would give up before any server could answer
            if t < Duration::from_secs(1) {
                return Err(fail(
                    "database",
                    "connect_timeout",
                    "must be at least 1s (libpq counts whole seconds)".into(),
                ));
            }
        }
        // r2d2 requires both positive; a deadline must fit an Instant
        for (key, value) in [
            ("idle_timeout", db.idle_timeout),
            ("max_lifetime", db.max_lifetime),
        ] {
            if let Some(t) = value {
                check_duration(t, false, MAX_COMPONENT_TIMEOUT, "about 68 years")
                    .map_err(|m| fail("database", key, m))?;
            }
        }
        for (key, value) in [
            ("statement_timeout", db.statement_timeout),
            ("lock_timeout", db.lock_timeout),
        ] {
            let Some(t) = value else { continue };
            check_duration(t, true, MAX_STATEMENT_TIMEOUT, "PostgreSQL's limit")
                .map_err(|m| fail("database", key, m))?;
            // PostgreSQL counts milliseconds: less would round to 0 (no limit) or up to 1ms
            // (cancel everything), neither what was asked
            if !t.is_zero() && t < Duration::from_millis(1) {
                return Err(fail(
                    "database",
                    key,
                    "must be 0s (no limit) or at least 1ms (PostgreSQL counts milliseconds)".into(),
                ));
            }
        }
        // a pool never keeps more idle connections than it holds: refuse rather than clamp
        #[cfg(feature = "postgres")]
        if let Some(min_idle) = db.min_idle {
            let pool_size = db
                .pool_size
                .unwrap_or(crate::db::PoolOptions::default().max_size);
            if min_idle > pool_size {
                return Err(fail(
                    "database",
                    "min_idle",
                    format!("is {min_idle}, more than the pool of {pool_size} (pool_size)"),
                ));
            }
        }
        #[cfg(feature = "postgres")]
        if let Some(url) = &db.url {
            if url.trim().is_empty() {
                return Err(fail(
                    "database",
                    "url",
                    "is empty; give a postgres:// URL, or remove the key to use libpq's PGHOST, PGDATABASE, ...".into(),
                ));
            }
            crate::db::DatabaseUrl::parse(url)
                .map_err(|e| fail("database", "url", e.to_string()))?;
        }
        #[cfg(feature = "ops")]
        if let Some(url) = &self.repository.url {
            crate::repo::open::parse_url(url)
                .map_err(|e| fail("repository", "url", e.to_string()))?;
        }
        for (section, key, dir) in [
            ("store", "dir", &self.store.dir),
            ("backup", "dir", &self.backup.dir),
            ("repository", "wal_archive", &self.repository.wal_archive),
            ("tools", "bin_dir", &self.tools.bin_dir),
        ] {
            if dir.as_ref().is_some_and(|d| d.as_os_str().is_empty()) {
                return Err(fail(section, key, "is empty; give a directory".into()));
            }
        }
        // encryption asked for but impossible to do is refused before any backup runs
        #[cfg(feature = "ops")]
        if self.repository.encrypt.is_some() {
            crate::repo::crypt::Recipients::parse(&self.repository.recipients)
                .map_err(|e| fail("repository", "recipients", e.to_string()))?;
        }
        // the error basket is stored with every case that error-pends: the work basket rule
        if let Some(why) = self
            .engine
            .error_workbasket
            .as_deref()
            .and_then(crate::model::workbasket_problem)
        {
            let hint = if why == "is empty" {
                "; give a work basket name"
            } else {
                ", which no store keeps as a work basket name"
            };
            return Err(fail("engine", "error_workbasket", format!("{why}{hint}")));
        }
        if let Some(n) = self.engine.max_units_per_run
            && n > MAX_UNITS_PER_RUN
        {
            return Err(fail(
                "engine",
                "max_units_per_run",
                format!("{n} is past the ceiling of {MAX_UNITS_PER_RUN}"),
            ));
        }
        if let Some(n) = self.engine.max_branches
            && n > MAX_BRANCHES
        {
            return Err(fail(
                "engine",
                "max_branches",
                format!("{n} is past the ceiling of {MAX_BRANCHES}"),
            ));
        }
        for (name, component) in &self.components {
            let section = format!("components.{name}");
            // an empty program is refused as it is for SLA actions (`exec` absent is a builtin)
            if component
                .exec
                .as_ref()
                .is_some_and(|exec| exec.first().is_none_or(|p| p.trim().is_empty()))
            {
                return Err(fail(
                    &section,
                    "exec",
                    "is empty; give the program to run".into(),
                ));
            }
            if let Some(t) = component.timeout {
                check_duration(t, false, MAX_COMPONENT_TIMEOUT, "about 68 years")
                    .map_err(|m| fail(&section, "timeout", m))?;
            }
            for (var, value) in &component.env {
                check_env_var(var, value).map_err(|m| fail(&section, "env", m))?;
            }
        }
        if self.variables.sensitive.iter().any(|p| p.trim().is_empty()) {
            return Err(fail(
                "variables",
                "sensitive",
                "holds an empty name; give variable names or globs such as \"card_*\"".into(),
            ));
        }
        for (key, action) in &self.sla.actions {
            let section = format!("sla.actions.\"{key}\"");
            if action.exec.first().is_none_or(String::is_empty) {
                return Err(fail(
                    &section,
                    "exec",
                    "is empty; give the program to run".into(),
                ));
            }
            if let Some(t) = action.timeout {
                check_duration(t, false, MAX_COMPONENT_TIMEOUT, "about 68 years")
                    .map_err(|m| fail(&section, "timeout", m))?;
            }
            for (var, value) in &action.env {
                check_env_var(var, value).map_err(|m| fail(&section, "env", m))?;
            }
        }
        Ok(())
    }
}

/// A program's environment can hold neither an empty name, nor `=` in a name, nor NUL.
fn check_env_var(name: &str, value: &str) -> Result<(), String> {
    if name.is_empty() || name.contains(['=', '\0']) {
        return Err(format!(
            "variable name '{}' cannot be set: it must be non-empty, without '=' or NUL",
            name.escape_debug()
        ));
    }
    if value.contains('\0') {
        return Err(format!("the value of {name} contains a NUL character"));
    }
    Ok(())
}

/// Ceilings of the engine limits: a runaway journey must stop while its audit records still
/// fit on a disk (each unit writes one; a branch's record holds the whole case).
const MAX_UNITS_PER_RUN: u64 = 1_000_000;
const MAX_BRANCHES: usize = 10_000;

/// libpq's `connect_timeout` is an int of seconds.
const MAX_CONNECT_TIMEOUT: Duration = Duration::from_secs(i32::MAX as u64);
/// PostgreSQL's `statement_timeout` is an int of milliseconds.
const MAX_STATEMENT_TIMEOUT: Duration = Duration::from_millis(i32::MAX as u64);
/// Far beyond any real component, far below what a deadline can hold.
const MAX_COMPONENT_TIMEOUT: Duration = Duration::from_secs(i32::MAX as u64);

fn check_duration(
    value: Duration,
    zero_allowed: bool,
    max: Duration,
    why_max: &str,
) -> Result<(), String> {
    if value.is_zero() && !zero_allowed {
        return Err("must be more than 0s".into());
    }
    if value > max {
        return Err(format!(
            "must be at most {} ({why_max})",
            crate::conventions::duration_text(max)
        ));
    }
    Ok(())
}

/// A parser's message as a rule: an integer out of range says the range (not "expected u32"),
/// and no word of it repeats more than 64 characters of a value (escaped, then `...`).
fn rule_of(message: &str) -> String {
    let message = message.trim().replace('\n', " ");
    let out_of_range = message
        .strip_prefix("invalid value: integer `")
        .and_then(|rest| rest.split_once("`, expected "));
    let message = match out_of_range {
        Some((value, kind)) => {
            let max = match kind.trim() {
                "u8" => u64::from(u8::MAX),
                "u16" => u64::from(u16::MAX),
                "u32" => u64::from(u32::MAX),
                _ => u64::MAX,
            };
            format!(
                "{value} is out of range: {}",
                crate::conventions::range_rule(0, max)
            )
        }
        None => message,
    };
    message
        .split(' ')
        // past 72: longer than a value already quoted and shortened (64, quotes, `...:`)
        .map(|word| match word.chars().nth(72) {
            Some(_) => crate::conventions::quoted_for_message(word),
            None => word.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The top-level section an error is in: the section of the line it names, else the first part
/// of the key it names. `None` for a key outside any section.
fn section_of_error(error: &Error, text: &str) -> Option<String> {
    let Error::Invalid { location, .. } = error else {
        return None;
    };
    let line = location
        .strip_prefix("line ")
        .and_then(|rest| rest.split(',').next())
        .and_then(|n| n.parse::<usize>().ok());
    let section = match line {
        Some(n) => {
            let offset: usize = text.lines().take(n).map(|l| l.len() + 1).sum();
            section_at(text, offset.min(text.len()))?
        }
        None => location
            .split_once("key `")?
            .1
            .split('.')
            .next()?
            .to_owned(),
    };
    let top = section.split('.').next()?.trim_matches(['"', '\'']).trim();
    (!top.is_empty()).then(|| top.to_owned())
}

/// `text` with the lines of top-level `section` (its header, its keys and its subsections)
/// emptied, so that line numbers in later messages still match the file.
fn without_section(text: &str, section: &str) -> String {
    let mut inside = false;
    text.split_inclusive('\n')
        .map(|line| {
            let trimmed = line.trim();
            if trimmed.starts_with('[') {
                let name = trimmed.trim_matches(|c| c == '[' || c == ']').trim();
                let top = name.split('.').next().unwrap_or("").trim();
                inside = top.trim_matches(['"', '\'']) == section;
            }
            if inside {
                if line.ends_with('\n') { "\n" } else { "" }
            } else {
                line
            }
        })
        .collect()
}

/// The key whose line holds `offset`: the text before `=` when the offset is in a value
/// (an error about a value names its key, not the value), else the word at the offset.
fn key_at(text: &str, offset: usize) -> String {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[line_start..line_end];
    match line.find('=') {
        Some(eq) if line_start + eq < offset => {
            let key = line[..eq].trim();
            match section_at(text, line_start) {
                Some(section) => format!("{section}.{key}"),
                None => key.to_owned(),
            }
        }
        _ => {
            let word = text[offset..line_end]
                .split(|c: char| c.is_whitespace() || c == '=' || c == ']')
                .next()
                .unwrap_or("");
            // a key of a section is named with its section (`sla.x`), a header by its name
            match section_at(text, line_start) {
                Some(section) if !line.trim_start().starts_with('[') => {
                    format!("{section}.{word}")
                }
                _ => word.to_owned(),
            }
        }
    }
}

/// The `[section]` a position of the file is in.
fn section_at(text: &str, offset: usize) -> Option<String> {
    text[..offset]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_owned())
}

/// `line N, key `section.key`: ` for a key of a section, as far as the text shows it.
fn locate(text: &str, section: &str, key: &str) -> String {
    let mut current = String::new();
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            current = trimmed
                .trim_matches(|c| c == '[' || c == ']')
                .trim()
                .replace(['"', '\''], "");
            continue;
        }
        let Some((k, _)) = trimmed.split_once('=') else {
            continue;
        };
        if current == section && k.trim() == key {
            return format!("line {}, key `{section}.{key}`: ", n + 1);
        }
    }
    format!("key `{section}.{key}`: ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_limits_are_read_and_zero_is_refused() {
        let c = Config::parse(
            "[engine]\nmax_units_per_run = 500\nmax_branches = 20\n",
            Path::new("wfctl.toml"),
        )
        .unwrap();
        assert_eq!(
            (c.engine.max_units_per_run, c.engine.max_branches),
            (Some(500), Some(20))
        );
        let err = Config::parse("[engine]\nmax_branches = 0\n", Path::new("wfctl.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("max_branches") && err.contains("at least 1"),
            "{err}"
        );
        for text in [
            "[engine]\nmax_units_per_run = 18446744073709551615\n",
            "[engine]\nmax_units_per_run = 1000001\n",
            "[engine]\nmax_branches = 100000000000\n",
        ] {
            let err = Config::parse(text, Path::new("wfctl.toml"))
                .unwrap_err()
                .to_string();
            assert!(err.contains("ceiling"), "{text}: {err}");
        }
    }

    #[test]
    fn every_duration_key_takes_a_bare_number_in_its_unit() {
        let c = Config::parse(
            "[database]\nconnect_timeout = 30\nlock_timeout = 1.5\n[components.x]\nexec = [\"/bin/true\"]\ntimeout = 30\n[sla.actions.\"CORR\"]\nexec = [\"/bin/true\"]\ntimeout = 20\n[backup]\nkeep_days = 14\n",
            Path::new("wfctl.toml"),
        )
        .unwrap();
        assert_eq!(c.database.connect_timeout, Some(Duration::from_secs(30)));
        assert_eq!(c.database.lock_timeout, Some(Duration::from_millis(1500)));
        assert_eq!(c.components["x"].timeout, Some(Duration::from_secs(30)));
        assert_eq!(c.sla.actions["CORR"].timeout, Some(Duration::from_secs(20)));
        assert_eq!(c.backup.keep_days, Some(14));
        for (text, key) in [
            ("[backup]\nkeep_days = 1.5\n", "backup.keep_days"),
            ("[components.x]\ntimeout = true\n", "components.x.timeout"),
            (
                "[database]\nconnect_timeout = \"soon\"\n",
                "database.connect_timeout",
            ),
        ] {
            let err = Config::parse(text, Path::new("wfctl.toml"))
                .unwrap_err()
                .to_string();
            assert!(err.contains(key), "{text}: {err}");
            assert!(
                !err.contains("enum") && !err.contains("Age"),
                "{text}: {err}"
            );
        }
        let err = Config::parse("[backup]\nkeep_days = 1.5\n", Path::new("wfctl.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("whole days"), "{err}");
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let err = Config::parse("[database]\npoolsize = 3\n", Path::new("wfctl.toml")).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("wfctl.toml"), "{text}");
        assert!(text.contains("line 2"), "{text}");
        assert!(text.contains("poolsize"), "{text}");
        assert!(!text.contains('\n'), "{text}");
    }

    #[test]
    fn bad_duration_names_the_value() {
        let err = Config::parse(
            "[database]\nconnect_timeout = \"soon\"\n",
            Path::new("w.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("soon") && err.contains("line 2"), "{err}");
        assert!(err.contains("key `database.connect_timeout`"), "{err}");
    }

    #[test]
    fn numbers_out_of_range_say_the_range() {
        for (text, key, rule) in [
            (
                "[database]\npool_size = 1000\n",
                "database.pool_size",
                "must be between 1 and 100",
            ),
            (
                "[database]\npool_size = 0\n",
                "database.pool_size",
                "must be between 1 and 100",
            ),
            (
                "[backup]\nlevel = 12\n",
                "backup.level",
                "must be between 0 and 9",
            ),
        ] {
            let err = Config::parse(text, Path::new("w.toml"))
                .unwrap_err()
                .to_string();
            assert!(err.contains(key) && err.contains(rule), "{text}: {err}");
        }
        assert!(Config::parse("[database]\npool_size = 100\n", Path::new("w.toml")).is_ok());
    }

    #[test]
    fn a_value_out_of_range_names_the_key_and_the_rule_not_a_huge_value() {
        let text = "[database]\npool_size = 4294967296\n";
        let err = Config::parse(text, Path::new("w.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("key `database.pool_size`"), "{err}");
        assert!(
            err.contains("must be between 0 and 4294967295") && !err.contains("u32"),
            "{err}"
        );
        let huge = format!("[database]\nconnect_timeout = \"{}s\"\n", "9".repeat(300));
        let err = Config::parse(&huge, Path::new("w.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("key `database.connect_timeout`"), "{err}");
        assert!(err.contains("too long (at most 100 years)"), "{err}");
        assert!(err.len() < 200 && !err.contains("\\\""), "{err}");
        let err = Config::parse(
            "[database]\nconnect_timeout = \"99999999999999999999s\"\n",
            Path::new("w.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("\"99999999999999999999s\": too long"), "{err}");
        assert!(!err.contains("precision"), "{err}");
        // the limit in the one printed form of durations (not `24days 20h 31m 23s 647ms`)
        let err = Config::parse(
            "[database]\nstatement_timeout = \"30d\"\n",
            Path::new("w.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("must be at most 24d 20h (PostgreSQL's limit)"),
            "{err}"
        );
    }

    #[test]
    fn a_value_error_names_its_key_not_the_value() {
        let err = Config::parse("[database]\npool_size = \"5\"\n", Path::new("w.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2, key `database.pool_size`"), "{err}");
        assert!(
            !err.contains("key `\"5\"`") && !err.contains("key `5`"),
            "{err}"
        );
    }

    #[test]
    fn values_that_cannot_work_are_refused_with_their_key() {
        for (text, key) in [
            (
                "[database]\npool_size = 0\n",
                "line 2, key `database.pool_size`",
            ),
            (
                "[database]\nconnect_timeout = \"0s\"\n",
                "key `database.connect_timeout`",
            ),
            (
                "[database]\nconnect_timeout = \"100years\"\n",
                "key `database.connect_timeout`",
            ),
            (
                "[database]\nstatement_timeout = \"30days\"\n",
                "key `database.statement_timeout`",
            ),
            ("[database]\nurl = \"mysql://h/db\"\n", "key `database.url`"),
            (
                "[database]\nidle_timeout = \"0s\"\n",
                "line 2, key `database.idle_timeout`",
            ),
            (
                "[database]\nmax_lifetime = \"0s\"\n",
                "line 2, key `database.max_lifetime`",
            ),
            (
                "[database]\nmax_lifetime = \"100000000000d\"\n",
                "line 2, key `database.max_lifetime`",
            ),
            (
                "[database]\nlock_timeout = \"100000000000d\"\n",
                "line 2, key `database.lock_timeout`",
            ),
            (
                "[database]\npool_size = 2\nmin_idle = 100\n",
                "line 3, key `database.min_idle`",
            ),
            (
                "[database]\nmin_idle = 100\n",
                "line 2, key `database.min_idle`",
            ),
            (
                "[components.score]\nexec = [\"x\"]\ntimeout = \"1e300\"\n",
                "line 3, key `components.score.timeout`",
            ),
            (
                "[components.score]\nexec = []\n",
                "key `components.score.exec`: is empty",
            ),
            (
                "[components.score]\nexec = [\"\"]\n",
                "key `components.score.exec`: is empty",
            ),
            (
                "[sla.actions.\"RAISE_INC\"]\nexec = []\n",
                "key `sla.actions.\"RAISE_INC\".exec`: is empty",
            ),
            (
                "[sla.actions.\"CUSTOM:remind\"]\nexec = [\"x\"]\ntimeout = \"0s\"\n",
                "key `sla.actions.\"CUSTOM:remind\".timeout`",
            ),
            (
                "[database]\nurl = \"postgres://h/db?sslmode=on\"\n",
                "key `database.url`",
            ),
            (
                "[components.score]\nexec = [\"x\"]\ntimeout = \"0s\"\n",
                "line 3, key `components.score.timeout`",
            ),
            (
                "[database]\npool_size = -1\n",
                "line 2, key `database.pool_size`",
            ),
            (
                "[database]\npool_size = 99999999999\n",
                "line 2, key `database.pool_size`",
            ),
            (
                "[engine]\npersist = \"never\"\n",
                "line 2, key `engine.persist`",
            ),
            (
                "[engine]\nmax_threads = 1.5\n",
                "line 2, key `engine.max_threads`",
            ),
        ] {
            // [database] is checked by the PostgreSQL layer, absent from a build without it
            if !cfg!(feature = "postgres") && text.starts_with("[database]") {
                continue;
            }
            let err = Config::parse(text, Path::new("w.toml"))
                .unwrap_err()
                .to_string();
            assert!(err.starts_with("config file w.toml: "), "{err}");
            assert!(err.contains(key), "{text}: {err}");
            assert!(!err.contains('\n'), "{err}");
        }
        // a bare number is seconds, as on every duration flag
        let config = Config::parse(
            "[components.score]\nexec = [\"x\"]\ntimeout = \"30\"\n",
            Path::new("w.toml"),
        )
        .unwrap();
        assert_eq!(
            config.components["score"].timeout,
            Some(Duration::from_secs(30))
        );
        // 0s statement_timeout means "none", as in PostgreSQL.
        Config::parse(
            "[database]\nstatement_timeout = \"0s\"\n",
            Path::new("w.toml"),
        )
        .unwrap();
    }

    #[test]
    fn persist_takes_the_engine_spelling_and_the_older_one() {
        let persist = |value: &str| {
            Config::parse(
                &format!("[engine]\npersist = \"{value}\"\n"),
                Path::new("w.toml"),
            )
            .map(|c| c.engine.persist)
        };
        assert_eq!(persist("each-unit").unwrap(), Some(PersistMode::EachUnit));
        assert_eq!(persist("every-unit").unwrap(), Some(PersistMode::EachUnit));
        assert_eq!(persist("on-stop").unwrap(), Some(PersistMode::OnStop));
        let err = persist("sometimes").unwrap_err().to_string();
        assert!(err.contains("w.toml") && err.contains("sometimes"), "{err}");
    }

    #[test]
    fn an_unknown_section_is_named_without_its_bracket() {
        let err = Config::parse("[databse]\nurl = \"x\"\n", Path::new("w.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 1, key `databse`: "), "{err}");
    }

    #[test]
    fn empty_names_and_unsettable_variables_are_refused_with_their_key() {
        for (text, key) in [
            ("[database]\nurl = \"\"\n", "line 2, key `database.url`"),
            ("[database]\nurl = \"  \"\n", "line 2, key `database.url`"),
            ("[store]\ndir = \"\"\n", "line 2, key `store.dir`"),
            ("[backup]\ndir = \"\"\n", "line 2, key `backup.dir`"),
            (
                "[engine]\nerror_workbasket = \" \"\n",
                "line 2, key `engine.error_workbasket`",
            ),
            (
                "[components.a]\nexec = [\"x\"]\nenv = { \"A=B\" = \"1\" }\n",
                "line 3, key `components.a.env`",
            ),
            (
                "[components.a]\nexec = [\"x\"]\nenv = { \"\" = \"1\" }\n",
                "line 3, key `components.a.env`",
            ),
            (
                "[components.a]\nexec = [\"x\"]\nenv = { A = \"x\\u0000y\" }\n",
                "line 3, key `components.a.env`",
            ),
        ] {
            // [database] is checked by the PostgreSQL layer, absent from a build without it
            if !cfg!(feature = "postgres") && text.starts_with("[database]") {
                continue;
            }
            let err = Config::parse(text, Path::new("w.toml"))
                .unwrap_err()
                .to_string();
            assert!(err.starts_with("config file w.toml: "), "{err}");
            assert!(err.contains(key), "{text}: {err}");
            assert!(!err.contains('\n') && !err.contains('\0'), "{err}");
        }
    }

    #[test]
    fn an_unreadable_file_gives_its_reason_once() {
        let err = anyhow::Error::from(Config::load(Path::new("/nonexistent/w.toml")).unwrap_err());
        let text = format!("{err:#}");
        assert_eq!(text.matches("os error 2").count(), 1, "{text}");
        assert!(
            text.starts_with("config file /nonexistent/w.toml: "),
            "{text}"
        );
    }

    #[test]
    fn backup_section_checks_its_values() {
        let c = Config::parse(
            "[backup]\ndir = \"/b\"\nkeep_days = 0\nkeep_min = 2\nlevel = 9\nformat = \"custom\"\n",
            Path::new("w.toml"),
        )
        .unwrap();
        assert_eq!(c.backup.format, Some(BackupFormat::Custom));
        assert_eq!((c.backup.level, c.backup.keep_min), (Some(9), Some(2)));
        // retention takes the forms of `--keep`; a bare integer is days, as it always was
        for (keep, days) in [("14", 14), ("\"14d\"", 14), ("\"2w\"", 14), ("\"48h\"", 2)] {
            let c = Config::parse(
                &format!("[backup]\nkeep_days = {keep}\n"),
                Path::new("w.toml"),
            )
            .unwrap();
            assert_eq!(c.backup.keep_days, Some(days), "{keep}");
        }
        for (bad, key) in [
            ("level = 10", "level"),
            ("keep_min = 0", "keep_min"),
            ("format = \"zip\"", "format"),
            ("keep_days = \"36h\"", "keep_days"),
            ("keep_days = -1", "keep_days"),
            ("keep_days = \"soon\"", "keep_days"),
        ] {
            let err = Config::parse(&format!("[backup]\n{bad}\n"), Path::new("w.toml"))
                .unwrap_err()
                .to_string();
            assert!(
                err.contains(&format!("line 2, key `backup.{key}`")),
                "{err}"
            );
        }
    }

    #[test]
    fn full_file_parses() {
        let c = Config::parse(
            r#"
[database]
url = "postgres://u@h/db"
pool_size = 4
connect_timeout = "2s"
[engine]
max_threads = 0
persist = "on-stop"
[components.approve]
builtin = "pend"
[components.score]
exec = ["./score.sh", "--fast"]
timeout = "30s"
env = { MODE = "test" }
"#,
            Path::new("w.toml"),
        )
        .unwrap();
        assert_eq!(c.database.pool_size, Some(4));
        assert_eq!(c.database.connect_timeout, Some(Duration::from_secs(2)));
        assert_eq!(c.engine.persist, Some(PersistMode::OnStop));
        assert_eq!(c.components["score"].exec.as_ref().unwrap()[1], "--fast");
    }
}
