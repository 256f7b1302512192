//! `wfctl.toml`: the configuration file, typed. Resolution against flags and environment
//! (flags > environment > file > defaults) happens in the CLI; this module only reads files.

pub mod sources;

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
        toml::from_str(text).map_err(|e| {
            let location = e
                .span()
                .map(|span| {
                    let line = text[..span.start].matches('\n').count() + 1;
                    let key = text[span.clone()].lines().next().unwrap_or("").trim();
                    format!("line {line}, key `{key}`: ")
                })
                .unwrap_or_default();
            Error::Invalid {
                path: path.to_path_buf(),
                location,
                message: e.message().trim().replace('\n', " "),
            }
        })
    }
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
