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
}

/// `[backup]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupConfig {
    /// Backup directory.
    pub dir: Option<PathBuf>,
    /// Days to keep.
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

fn compression_level<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    let level = u32::deserialize(d)?;
    if level > 9 {
        return Err(serde::de::Error::custom(
            "a compression level is 0 to 9".to_string(),
        ));
    }
    Ok(Some(level))
}

fn duration<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    let text = String::deserialize(d)?;
    crate::conventions::parse_duration(&text)
        .map(Some)
        .map_err(serde::de::Error::custom)
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

impl Config {
    /// Reads and checks a file.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, path)
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
                message: e.message().trim().replace('\n', " "),
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
        if db.pool_size == Some(0) {
            return Err(fail("database", "pool_size", "must be at least 1".into()));
        }
        if let Some(t) = db.connect_timeout {
            check_duration(
                t,
                false,
                MAX_CONNECT_TIMEOUT,
                "libpq counts whole seconds in an int",
            )
            .map_err(|m| fail("database", "connect_timeout", m))?;
        }
        if let Some(t) = db.statement_timeout {
            check_duration(t, true, MAX_STATEMENT_TIMEOUT, "PostgreSQL's limit")
                .map_err(|m| fail("database", "statement_timeout", m))?;
        }
        if let Some(t) = db.lock_timeout {
            check_duration(t, true, MAX_STATEMENT_TIMEOUT, "PostgreSQL's limit")
                .map_err(|m| fail("database", "lock_timeout", m))?;
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
        for (section, key, dir) in [
            ("store", "dir", &self.store.dir),
            ("backup", "dir", &self.backup.dir),
        ] {
            if dir.as_ref().is_some_and(|d| d.as_os_str().is_empty()) {
                return Err(fail(section, key, "is empty; give a directory".into()));
            }
        }
        if self
            .engine
            .error_workbasket
            .as_ref()
            .is_some_and(|b| b.trim().is_empty())
        {
            return Err(fail(
                "engine",
                "error_workbasket",
                "is empty; give a work basket name".into(),
            ));
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
            if let Some(t) = component.timeout {
                check_duration(t, false, MAX_COMPONENT_TIMEOUT, "about 68 years")
                    .map_err(|m| fail(&section, "timeout", m))?;
            }
            for (var, value) in &component.env {
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
            humantime::format_duration(max)
        ));
    }
    Ok(())
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
        _ => text[offset..line_end]
            .split(|c: char| c.is_whitespace() || c == '=' || c == ']')
            .next()
            .unwrap_or("")
            .to_owned(),
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
        for (bad, key) in [
            ("level = 10", "level"),
            ("keep_min = 0", "keep_min"),
            ("format = \"zip\"", "format"),
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
