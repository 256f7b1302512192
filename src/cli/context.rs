//! Resolved global options: flags > environment > `wfctl.toml` > defaults. The one place that
//! decides which store and which database a command uses.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use wfctl::config::Config;
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
    database_url: Option<DatabaseUrl>,
    store: StoreLocation,
}

const DEFAULT_CONFIG: &str = "wfctl.toml";
const DEFAULT_STORE: &str = "./workflow-data";

impl Context {
    pub(crate) fn new(global: &GlobalArgs, output: Output) -> anyhow::Result<Self> {
        let (config, config_path) = load_config(global.config.as_deref())?;
        let given_url = global
            .database_url
            .as_deref()
            .map(|text| parse_given_url(text, "DATABASE_URL", "--database-url"))
            .transpose()?;
        let configured_url = config
            .database
            .url
            .as_ref()
            .map(|text| DatabaseUrl::parse(text).context("[database] url"))
            .transpose()?;
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
        let levels = [
            (flag_store, flag_url),
            (global.store.clone(), given_url.clone()),
            (config.store.dir.clone(), configured_url.clone()),
        ];
        let store = levels
            .into_iter()
            .find_map(|level| match level {
                (Some(dir), _) => Some(StoreLocation::Files(dir)),
                (None, Some(url)) => Some(StoreLocation::Postgres(url)),
                (None, None) => None,
            })
            .unwrap_or_else(|| StoreLocation::Files(PathBuf::from(DEFAULT_STORE)));
        Ok(Self {
            output,
            config,
            config_path,
            database_url: given_url.or(configured_url),
            store,
        })
    }

    /// The case store: `--store`, `--database-url`, `WFCTL_STORE`, `DATABASE_URL`, `[store] dir`,
    /// `[database] url`, the first that is set; else the directory `./workflow-data`.
    pub(crate) fn store_location(&self) -> StoreLocation {
        self.store.clone()
    }

    /// The database URL for commands that need PostgreSQL. Without one configured, libpq's
    /// own environment (`PGHOST`, `PGDATABASE`, `PGSERVICE`) is used if set; otherwise exit 78.
    pub(crate) fn database_url(&self) -> anyhow::Result<DatabaseUrl> {
        if let Some(url) = &self.database_url {
            return Ok(url.clone());
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
    DatabaseUrl::parse(text).with_context(|| source.to_owned())
}

fn load_config(flag: Option<&Path>) -> anyhow::Result<(Config, Option<PathBuf>)> {
    if let Some(path) = flag {
        return Ok((Config::load(path)?, Some(path.to_path_buf())));
    }
    let default = Path::new(DEFAULT_CONFIG);
    if default.exists() {
        return Ok((Config::load(default)?, Some(default.to_path_buf())));
    }
    Ok((Config::default(), None))
}
