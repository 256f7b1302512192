//! Resolved global options: flags > environment > `wfctl.toml` > defaults. The one place that
//! decides which store and which database a command uses.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use wfctl::config::{Config, sources};
use wfctl::db::{self, DatabaseUrl, PoolOptions};

use super::exit::{CONFIG, Exit};
use super::{GlobalArgs, Output};

/// Where cases live for this invocation.
#[derive(Debug, Clone)]
pub(crate) enum StoreLocation {
    /// PostgreSQL at this URL.
    Postgres(DatabaseUrl),
    /// The file store in this directory.
    Files(PathBuf),
}

/// Everything a command needs from the global options.
#[derive(Debug)]
pub(crate) struct Context {
    pub(crate) output: Output,
    pub(crate) config: Config,
    /// Where the configuration came from, if a file was read.
    pub(crate) config_path: Option<PathBuf>,
    /// How that file was chosen (`--config`, `WFCTL_CONFIG`, `current directory`, ...).
    pub(crate) config_origin: Option<String>,
    database_url: Option<Result<DatabaseUrl, Deferred>>,
    /// Which level set the database URL (`--database-url`, `DATABASE_URL`, the file).
    pub(crate) database_url_source: Option<String>,
    store: Result<StoreLocation, Deferred>,
    /// Which level chose the store (a flag, a variable, the file, the default).
    pub(crate) store_source: String,
    /// Whether the command opens a case store (only then does `-v` name it).
    uses_store: bool,
    /// A bad `[database]` section, set aside because the store is a file store named outside
    /// it: the error of any use of the database.
    database_section: Option<Deferred>,
}

const DEFAULT_STORE: &str = "./workflow-data";

impl Context {
    /// The context of a command that reads the configuration sections `reads` (`["*"]`: all).
    pub(crate) fn new(global: &GlobalArgs, output: Output, reads: &[&str]) -> anyhow::Result<Self> {
        // a command that reads no setting reads no file of settings either
        let (config, config_path, config_origin, database_section) = if reads.is_empty() {
            (Config::default(), None, None, None)
        } else {
            load_config(global.config.as_deref(), reads)?
        };
        // a URL is parsed here but its error waits for a command that uses it: `journey
        // validate` or `config show` must not fail on a database they never open
        let given_url = global
            .database_url
            .as_deref()
            .map(|text| Deferred::wrap(parse_given_url(text, "DATABASE_URL", "--database-url")));
        let configured_url = config.database.url.as_ref().map(|text| {
            let file = config_path
                .as_ref()
                .map_or_else(|| "config file".to_owned(), |p| p.display().to_string());
            Deferred::wrap(
                DatabaseUrl::parse(text)
                    .and_then(DatabaseUrl::checked)
                    .with_context(|| format!("{file}: [database] url")),
            )
        });
        // one level at a time (flags, environment, wfctl.toml, default); within a level an
        // explicit store directory beats a database URL. clap fills a field from the flag or
        // else its variable, so a value equal to the variable's counts as the environment's.
        let flag_store = global
            .store
            .clone()
            .filter(|dir| std::env::var_os("WFCTL_STORE").is_none_or(|v| *dir != Path::new(&v)));
        let flag_url = global
            .database_url
            .as_ref()
            .filter(|url| std::env::var("DATABASE_URL").map_or(true, |v| **url != v))
            .and(given_url.clone());
        let file_level = config_path
            .as_ref()
            .map_or_else(|| "config file".to_owned(), |p| p.display().to_string());
        let levels = [
            (flag_store, flag_url.clone(), "--store", "--database-url"),
            (
                global.store.clone(),
                given_url.clone(),
                "WFCTL_STORE",
                "DATABASE_URL",
            ),
            (
                config.store.dir.clone(),
                configured_url.clone(),
                "[store] dir",
                "[database] url",
            ),
        ];
        let (store, store_source) = levels
            .into_iter()
            .enumerate()
            .find_map(|(i, level)| {
                let place = |what: &str| match i {
                    2 => format!("{file_level} {what}"),
                    _ => what.to_owned(),
                };
                match level {
                    (Some(dir), _, flag, _) => Some((Ok(StoreLocation::Files(dir)), place(flag))),
                    (None, Some(url), _, flag) => {
                        Some((url.map(StoreLocation::Postgres), place(flag)))
                    }
                    (None, None, _, _) => None,
                }
            })
            .unwrap_or_else(|| {
                (
                    Ok(StoreLocation::Files(PathBuf::from(DEFAULT_STORE))),
                    "default".to_owned(),
                )
            });
        let database_url_source = if flag_url.is_some() {
            Some("--database-url".to_owned())
        } else if given_url.is_some() {
            Some("DATABASE_URL".to_owned())
        } else if configured_url.is_some() {
            Some(format!("{file_level} [database] url"))
        } else {
            None
        };
        // a bad [database] may hold the URL that would choose the store: it is set aside only
        // when a file store is named elsewhere (flag, variable, [store] dir)
        let database_section = match database_section {
            Some(error)
                if !matches!(store, Ok(StoreLocation::Files(_))) || store_source == "default" =>
            {
                return Err(error.into());
            }
            other => other.map(|e| Deferred::wrap(Err::<(), _>(e.into())).unwrap_err()),
        };
        let ctx = Self {
            output,
            config,
            config_path,
            config_origin,
            database_url: given_url.or(configured_url),
            database_url_source,
            store,
            store_source,
            uses_store: reads.contains(&"store") || reads.contains(&"*"),
            database_section,
        };
        if !reads.is_empty() {
            ctx.log_choices();
        }
        Ok(ctx)
    }

    /// Under `-v`: the configuration file, store and (redacted) URL this run uses.
    fn log_choices(&self) {
        match (&self.config_path, &self.config_origin) {
            (Some(path), Some(origin)) => {
                log::info!("config file {} ({origin})", path.display());
            }
            _ => log::info!("no config file (looked in {})", looked_in()),
        }
        match &self.store {
            _ if !self.uses_store => {}
            Ok(StoreLocation::Files(dir)) => {
                log::info!("store: files in {} ({})", dir.display(), self.store_source);
            }
            Ok(StoreLocation::Postgres(url)) => {
                log::info!("store: PostgreSQL {url} ({})", self.store_source);
            }
            Err(_) => log::info!("store: a URL that does not parse ({})", self.store_source),
        }
        if let (Some(Ok(url)), Some(source)) = (&self.database_url, &self.database_url_source) {
            log::info!("database {url} ({source})");
        }
    }

    /// The case store: `--store`, `--database-url`, `WFCTL_STORE`, `DATABASE_URL`, `[store] dir`,
    /// `[database] url`, the first that is set; else the directory `./workflow-data`.
    pub(crate) fn store_location(&self) -> anyhow::Result<StoreLocation> {
        self.store.clone().map_err(|e| e.error())
    }

    /// The database URL for commands that need PostgreSQL. Without one configured, libpq's
    /// own environment (`PGHOST`, `PGDATABASE`, `PGSERVICE`) is used if set; otherwise exit 78.
    pub(crate) fn database_url(&self) -> anyhow::Result<DatabaseUrl> {
        if let Some(bad) = &self.database_section {
            return Err(bad.error());
        }
        if let Some(url) = &self.database_url {
            return url.clone().map_err(|e| e.error());
        }
        if ["PGHOST", "PGDATABASE", "PGSERVICE", "PGHOSTADDR"]
            .iter()
            .any(|v| std::env::var_os(v).is_some())
        {
            return Ok(DatabaseUrl::libpq_defaults());
        }
        Err(Exit::new(
            CONFIG,
            "no database configured: pass --database-url, set DATABASE_URL (or PGHOST/PGDATABASE), or set [database] url in wfctl.toml",
        )
        .into())
    }

    /// The backup repository: `WFCTL_REPOSITORY`, else `[repository] url`; with where it came
    /// from. Every command that opens the repository, and `config show`, resolve it here.
    pub(crate) fn repository_url(&self) -> Option<(String, String)> {
        if let Some(url) = std::env::var("WFCTL_REPOSITORY")
            .ok()
            .filter(|u| !u.is_empty())
        {
            return Some((url, "WFCTL_REPOSITORY".to_owned()));
        }
        let file = self
            .config_path
            .as_ref()
            .map_or_else(|| "config file".to_owned(), |p| p.display().to_string());
        self.config
            .repository
            .url
            .clone()
            .map(|url| (url, format!("{file} [repository] url")))
    }

    /// Pool settings from the configuration.
    pub(crate) fn pool_options(&self) -> PoolOptions {
        let defaults = PoolOptions::default();
        PoolOptions {
            max_size: self.config.database.pool_size.unwrap_or(defaults.max_size),
            connection_timeout: self
                .config
                .database
                .connect_timeout
                .unwrap_or(defaults.connection_timeout),
            statement_timeout: self.config.database.statement_timeout,
            lock_timeout: self.config.database.lock_timeout,
            min_idle: self.config.database.min_idle,
            idle_timeout: self.config.database.idle_timeout,
            max_lifetime: self.config.database.max_lifetime,
        }
    }

    /// One connection to the configured database.
    pub(crate) fn connect(&self) -> anyhow::Result<diesel::PgConnection> {
        let url = self.database_url()?;
        Ok(db::connect(&url, self.connect_timeout())?)
    }

    /// How long to wait for the server.
    pub(crate) fn connect_timeout(&self) -> Duration {
        self.pool_options().connection_timeout
    }
}

/// A setting that did not parse, kept until a command uses it (then its error, with its exit
/// code); a command that does not use it never sees it.
#[derive(Debug, Clone)]
pub(crate) struct Deferred {
    code: u8,
    message: String,
}

impl Deferred {
    fn wrap<T>(parsed: anyhow::Result<T>) -> Result<T, Self> {
        parsed.map_err(|e| Self {
            code: super::exit::classify(&e),
            message: super::output::error_line(&e),
        })
    }

    fn error(&self) -> anyhow::Error {
        Exit::new(self.code, self.message.clone()).into()
    }
}

/// A connection string given by `flag` or else the variable `var` (clap fills the field from
/// either), its errors naming the one it came from. An empty one is a mistake (an unset
/// template value), never "connect somewhere by default": libpq's PGHOST & co. are used when
/// no URL is given at all.
pub(crate) fn parse_given_url(text: &str, var: &str, flag: &str) -> anyhow::Result<DatabaseUrl> {
    let source = if std::env::var(var).is_ok_and(|v| v == text) {
        var
    } else {
        flag
    };
    if text.trim().is_empty() {
        return Err(Exit::new(
            CONFIG,
            format!("{source} is empty: give a postgres:// URL or key=value pairs, or unset it"),
        )
        .into());
    }
    DatabaseUrl::parse(text)
        .and_then(DatabaseUrl::checked)
        .with_context(|| source.to_owned())
}

/// The configuration file: `--config`/`WFCTL_CONFIG`, else the first of
/// [`sources::candidates`] that exists; with how it was found.
type Loaded = (
    Config,
    Option<PathBuf>,
    Option<String>,
    Option<wfctl::config::Error>,
);

fn load_config(flag: Option<&Path>, reads: &[&str]) -> anyhow::Result<Loaded> {
    if let Some(path) = flag {
        let origin = match std::env::var_os("WFCTL_CONFIG") {
            Some(v) if Path::new(&v) == path => "WFCTL_CONFIG",
            _ => "--config",
        };
        let (config, database) = load_sections(path, reads)?;
        return Ok((
            config,
            Some(path.to_path_buf()),
            Some(origin.to_owned()),
            database,
        ));
    }
    match sources::find() {
        Some(found) => {
            let (config, database) = load_sections(&found.path, reads)?;
            Ok((
                config,
                Some(found.path),
                Some(found.place.to_owned()),
                database,
            ))
        }
        None => Ok((Config::default(), None, None, None)),
    }
}

/// Every section a command may read: one that is none of these (a typo) fails every command.
const KNOWN_SECTIONS: &[&str] = &[
    "database",
    "store",
    "engine",
    "components",
    "backup",
    "sla",
    "diag",
    "repository",
    "variables",
    "tools",
];

/// Reads the file; a bad section fails the command only when the command reads it (a bad
/// `[backup]` does not stop `journey validate` or `case list`). A known section no command
/// reads yet (`[diag]`) is reserved, not a typo. A bad `[database]` of a command that opens a
/// case store is returned: it fails the command only if its store is not a file store.
fn load_sections(
    path: &Path,
    reads: &[&str],
) -> anyhow::Result<(Config, Option<wfctl::config::Error>)> {
    let (config, set_aside) = Config::load_by_section(path)?;
    let mut database = None;
    for bad in set_aside {
        if bad.section == "database" && reads.contains(&"store") {
            database = Some(bad.error);
            continue;
        }
        let read = reads.contains(&"*")
            || reads.contains(&bad.section.as_str())
            || !KNOWN_SECTIONS.contains(&bad.section.as_str());
        if read {
            return Err(bad.error.into());
        }
        log::info!(
            "ignoring [{}], which this command does not read: {}",
            bad.section,
            bad.error
        );
    }
    Ok((config, database))
}

/// The places a configuration file is looked for, for messages.
pub(crate) fn looked_in() -> String {
    sources::candidates()
        .iter()
        .map(|c| c.path.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
