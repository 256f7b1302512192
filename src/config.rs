//! `wfctl.toml`: the configuration file, typed. Resolution against flags and environment
//! (flags > environment > file > defaults) happens in the CLI; this module only reads files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Deserializer};

/// A configuration file that could not be used; always names the file (and key when known).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read.
    #[error("config file {}: {source}", path.display())]
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
    /// `every-unit` (default: a crash re-runs at most one unit per path) or `on-stop`.
    pub persist: Option<PersistMode>,
}

/// When the engine writes the case state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PersistMode {
    /// After every unit.
    EveryUnit,
    /// Only when a thread stops (faster; the Java engine's weaker guarantee).
    OnStop,
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
    /// Backups always kept, however old.
    pub keep_min: Option<u32>,
}

fn duration<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    let text = String::deserialize(d)?;
    humantime::parse_duration(&text).map(Some).map_err(|e| {
        serde::de::Error::custom(format!(
            "'{text}' is not a duration ({e}); e.g. \"30s\", \"5m\""
        ))
    })
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
        #[cfg(feature = "postgres")]
        if let Some(url) = &db.url {
            crate::db::DatabaseUrl::parse(url)
                .map_err(|e| fail("database", "url", e.to_string()))?;
        }
        for (name, component) in &self.components {
            if let Some(t) = component.timeout {
                check_duration(t, false, MAX_COMPONENT_TIMEOUT, "about 68 years")
                    .map_err(|m| fail(&format!("components.{name}"), "timeout", m))?;
            }
        }
        Ok(())
    }
}

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
            .split(|c: char| c.is_whitespace() || c == '=')
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
        // 0s statement_timeout means "none", as in PostgreSQL.
        Config::parse(
            "[database]\nstatement_timeout = \"0s\"\n",
            Path::new("w.toml"),
        )
        .unwrap();
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
