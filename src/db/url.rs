//! A PostgreSQL connection URL that never shows its password.
//!
//! Only [`DatabaseUrl::conninfo`] (for libpq) and [`DatabaseUrl::child_env`] (for `pg_dump`,
//! `psql`, ...) expose the secret; `Display` and `Debug` print `postgres://user:***@host/db`.
//! An empty URL means "libpq defaults": `PGHOST`, `PGUSER`, `PGDATABASE`, `~/.pgpass`, ...

use std::fmt;

use url::Url;

use super::Error;

/// A parsed `postgres://` URL (or the libpq environment defaults).
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    url: Option<Url>,
}

/// libpq query parameters and the environment variables that carry them to a child process.
const PARAM_ENV: &[(&str, &str)] = &[
    ("host", "PGHOST"),
    ("hostaddr", "PGHOSTADDR"),
    ("port", "PGPORT"),
    ("user", "PGUSER"),
    ("password", "PGPASSWORD"),
    ("dbname", "PGDATABASE"),
    ("sslmode", "PGSSLMODE"),
    ("sslcert", "PGSSLCERT"),
    ("sslkey", "PGSSLKEY"),
    ("sslrootcert", "PGSSLROOTCERT"),
    ("sslcrl", "PGSSLCRL"),
    ("connect_timeout", "PGCONNECT_TIMEOUT"),
    ("application_name", "PGAPPNAME"),
    ("options", "PGOPTIONS"),
    ("passfile", "PGPASSFILE"),
    ("service", "PGSERVICE"),
    ("target_session_attrs", "PGTARGETSESSIONATTRS"),
    ("gssencmode", "PGGSSENCMODE"),
    ("channel_binding", "PGCHANNELBINDING"),
];

impl DatabaseUrl {
    /// Parses a `postgres://` or `postgresql://` URL; the empty string means libpq defaults.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(Self::libpq_defaults());
        }
        let url = Url::parse(text).map_err(|e| Error::InvalidUrl {
            reason: format!("not a URL ({e})"),
        })?;
        if !matches!(url.scheme(), "postgres" | "postgresql") {
            return Err(Error::InvalidUrl {
                reason: format!(
                    "scheme '{}' is not postgres:// or postgresql://",
                    url.scheme()
                ),
            });
        }
        for (key, _) in url.query_pairs() {
            if !PARAM_ENV.iter().any(|(p, _)| *p == key) {
                return Err(Error::InvalidUrl {
                    reason: format!("unknown connection parameter '{key}'"),
                });
            }
        }
        Ok(Self { url: Some(url) })
    }

    /// Connect with whatever libpq finds in the environment (`PGHOST`, `~/.pgpass`, ...).
    pub fn libpq_defaults() -> Self {
        Self { url: None }
    }

    /// The string handed to libpq. Contains the password: never print it.
    pub fn conninfo(&self) -> String {
        self.url.as_ref().map(Url::to_string).unwrap_or_default()
    }

    /// Environment variables that make a libpq client program (`pg_dump`, `psql`) connect to
    /// this database, so that no secret ever appears in a process's arguments.
    pub fn child_env(&self) -> Vec<(&'static str, String)> {
        let Some(url) = &self.url else {
            return Vec::new();
        };
        let mut env = Vec::new();
        if let Some(host) = url.host_str().filter(|h| !h.is_empty()) {
            env.push(("PGHOST", decode(host)));
        }
        if let Some(port) = url.port() {
            env.push(("PGPORT", port.to_string()));
        }
        if !url.username().is_empty() {
            env.push(("PGUSER", decode(url.username())));
        }
        if let Some(password) = url.password() {
            env.push(("PGPASSWORD", decode(password)));
        }
        if let Some(db) = self.path_database() {
            env.push(("PGDATABASE", db));
        }
        for (key, value) in url.query_pairs() {
            if let Some((_, var)) = PARAM_ENV.iter().find(|(p, _)| *p == key) {
                env.retain(|(v, _)| v != var);
                env.push((var, value.into_owned()));
            }
        }
        env
    }

    /// The database name, from the URL or `PGDATABASE`/`PGUSER` as libpq would pick it.
    pub fn database(&self) -> Option<String> {
        self.child_env()
            .into_iter()
            .find(|(k, _)| *k == "PGDATABASE")
            .map(|(_, v)| v)
            .or_else(|| std::env::var("PGDATABASE").ok())
            .or_else(|| std::env::var("PGUSER").ok())
    }

    /// The user name, from the URL or `PGUSER`.
    pub fn user(&self) -> Option<String> {
        self.child_env()
            .into_iter()
            .find(|(k, _)| *k == "PGUSER")
            .map(|(_, v)| v)
            .or_else(|| std::env::var("PGUSER").ok())
    }

    /// Whether the URL carries a password of its own.
    pub fn has_password(&self) -> bool {
        self.url.as_ref().is_some_and(|u| u.password().is_some())
            || self
                .url
                .as_ref()
                .is_some_and(|u| u.query_pairs().any(|(k, _)| k == "password"))
    }

    /// The same server and credentials, another database.
    pub fn with_database(&self, database: &str) -> Self {
        let mut url = self
            .url
            .clone()
            .unwrap_or_else(|| Url::parse("postgres://").expect("a constant URL parses"));
        let encoded: String = url::form_urlencoded::byte_serialize(database.as_bytes()).collect();
        url.set_path(&format!("/{encoded}"));
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| k != "dbname")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if pairs.is_empty() {
            url.set_query(None);
        } else {
            url.query_pairs_mut().clear().extend_pairs(pairs);
        }
        Self { url: Some(url) }
    }

    /// The same URL with another user and password (for `db setup`'s checks).
    pub fn with_credentials(&self, user: &str, password: Option<&str>) -> Self {
        let mut this = self.clone();
        if let Some(url) = this.url.as_mut() {
            // set_username/set_password only fail for URLs that cannot have a host.
            let _ = url.set_username(user);
            let _ = url.set_password(password);
        }
        this
    }

    fn path_database(&self) -> Option<String> {
        let path = self.url.as_ref()?.path().trim_start_matches('/');
        (!path.is_empty()).then(|| decode(path))
    }
}

fn decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={text}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.url {
            None => write!(
                f,
                "postgres:// (libpq defaults: PGHOST, PGUSER, PGDATABASE)"
            ),
            Some(url) => {
                let mut shown = url.clone();
                if url.password().is_some() {
                    let _ = shown.set_password(Some("***"));
                }
                if url.query_pairs().any(|(k, _)| k == "password") {
                    let pairs: Vec<(String, String)> = url
                        .query_pairs()
                        .map(|(k, v)| {
                            let v = if k == "password" { "***".into() } else { v };
                            (k.into_owned(), v.into_owned())
                        })
                        .collect();
                    shown.query_pairs_mut().clear().extend_pairs(pairs);
                }
                f.write_str(shown.as_str())
            }
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_hides_the_password() {
        let url = DatabaseUrl::parse("postgres://alice:s3cr%40t@db.example:6543/wf").unwrap();
        assert_eq!(url.to_string(), "postgres://alice:***@db.example:6543/wf");
        assert!(!format!("{url:?}").contains("s3cr"));
        let url =
            DatabaseUrl::parse("postgres://alice@h/wf?password=hunter2&sslmode=require").unwrap();
        assert!(!url.to_string().contains("hunter2"), "{url}");
        assert!(url.to_string().contains("sslmode=require"));
    }

    #[test]
    fn child_env_carries_every_part() {
        let url = DatabaseUrl::parse(
            "postgresql://bob:p%20w@%2Ftmp%2Fsock:5433/work%20db?sslmode=disable",
        )
        .unwrap();
        let env = url.child_env();
        let get = |k| env.iter().find(|(v, _)| *v == k).map(|(_, v)| v.as_str());
        assert_eq!(get("PGHOST"), Some("/tmp/sock"));
        assert_eq!(get("PGPORT"), Some("5433"));
        assert_eq!(get("PGUSER"), Some("bob"));
        assert_eq!(get("PGPASSWORD"), Some("p w"));
        assert_eq!(get("PGDATABASE"), Some("work db"));
        assert_eq!(get("PGSSLMODE"), Some("disable"));
    }

    #[test]
    fn rejects_other_schemes_and_unknown_parameters() {
        assert!(DatabaseUrl::parse("mysql://x@h/db").is_err());
        assert!(DatabaseUrl::parse("postgres://x@h/db?sslmod=require").is_err());
    }

    #[test]
    fn with_database_keeps_credentials() {
        let url = DatabaseUrl::parse("postgres://a:b@h:1/one?sslmode=prefer").unwrap();
        let other = url.with_database("two");
        assert_eq!(other.database().as_deref(), Some("two"));
        assert!(other.conninfo().contains("a:b@h:1/two"));
    }
}
