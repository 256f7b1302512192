//! Resolved global options: flags > environment > `wfctl.toml` > defaults. The one place that
//! decides which store and which database a command uses.

#![allow(
    dead_code,
    reason = "shared helpers; some are used only by commands of later issues"
)]

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
    explicit_store: Option<PathBuf>,
}

const DEFAULT_CONFIG: &str = "wfctl.toml";
const DEFAULT_STORE: &str = "./workflow-data";

impl Context {
    pub(crate) fn new(global: &GlobalArgs, output: Output) -> anyhow::Result<Self> {
        let (config, config_path) = load_config(global.config.as_deref())?;
        let url_text = global
            .database_url
            .clone()
            .or_else(|| config.database.url.clone());
        let database_url = url_text
            .map(|text| DatabaseUrl::parse(&text))
            .transpose()
            .with_context(|| "--database-url / DATABASE_URL / [database] url".to_string())?;
        let explicit_store = global.store.clone().or_else(|| config.store.dir.clone());
        Ok(Self {
            output,
            config,
            config_path,
            database_url,
            explicit_store,
        })
    }

    /// The case store: an explicit `--store` wins, then a database URL, then the default
    /// directory `./workflow-data`.
    pub(crate) fn store_location(&self) -> StoreLocation {
        match (&self.explicit_store, &self.database_url) {
            (Some(dir), _) => StoreLocation::Files(dir.clone()),
            (None, Some(url)) => StoreLocation::Postgres(url.clone()),
            (None, None) => StoreLocation::Files(PathBuf::from(DEFAULT_STORE)),
        }
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
