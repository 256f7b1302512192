//! Connections: one at a time for short commands, an r2d2 pool for the stores.
//!
//! r2d2's defaults suit servers, not a CLI: it opens every connection up front and waits 30 s
//! for a dead server. Here the pool opens lazily and fails after `connection_timeout`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, ManageConnection};
use diesel::{Connection, RunQueryDsl};

use super::{DatabaseUrl, Error};

/// A pool of PostgreSQL connections.
pub type Pool = diesel::r2d2::Pool<Manager>;

/// A connection taken from a [`Pool`].
pub type PooledConnection = diesel::r2d2::PooledConnection<Manager>;

/// Opens the pool's connections, counting those under way.
///
/// r2d2 opens connections on background threads that nothing joins. A process that exits while
/// one of them is inside libpq crashes in libc's exit handlers, so the command waits for
/// [`settle`] before it returns.
#[derive(Debug)]
pub struct Manager(ConnectionManager<PgConnection>);

/// How many connections the pools' threads are opening right now.
static OPENING: Mutex<usize> = Mutex::new(0);
static OPENED: Condvar = Condvar::new();

/// Counts one connection attempt for as long as it lasts, even if libpq unwinds.
struct Opening;

impl Opening {
    fn start() -> Self {
        *OPENING.lock().unwrap_or_else(|p| p.into_inner()) += 1;
        Opening
    }
}

impl Drop for Opening {
    fn drop(&mut self) {
        let mut opening = OPENING.lock().unwrap_or_else(|p| p.into_inner());
        *opening = opening.saturating_sub(1);
        OPENED.notify_all();
    }
}

impl ManageConnection for Manager {
    type Connection = PgConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<PgConnection, Self::Error> {
        let _counted = Opening::start();
        self.0.connect()
    }

    fn is_valid(&self, conn: &mut PgConnection) -> Result<(), Self::Error> {
        self.0.is_valid(conn)
    }

    fn has_broken(&self, conn: &mut PgConnection) -> bool {
        self.0.has_broken(conn)
    }
}

/// The longest `connect_timeout` of any pool built: how long an attempt may still take.
static LONGEST_CONNECT_MS: AtomicU64 = AtomicU64::new(0);

/// Waits until no pool thread is opening a connection (at most the longest connect timeout of
/// the pools, which bounds every attempt). Called once the command's pools are dropped (a
/// dropped pool starts no new attempt), before the process exits.
pub fn settle() {
    let limit =
        Duration::from_millis(LONGEST_CONNECT_MS.load(Ordering::Relaxed)) + Duration::from_secs(1);
    let deadline = Instant::now() + limit;
    let mut opening = OPENING.lock().unwrap_or_else(|p| p.into_inner());
    while *opening > 0 {
        let Some(left) = deadline.checked_duration_since(Instant::now()) else {
            log::debug!("{} connection attempt(s) still under way at exit", *opening);
            return;
        };
        opening = match OPENED.wait_timeout(opening, left) {
            Ok((guard, _)) => guard,
            Err(poisoned) => poisoned.into_inner().0,
        };
    }
}

/// How the pool is sized and how long it waits.
#[derive(Debug, Clone)]
pub struct PoolOptions {
    /// Most connections open at once.
    pub max_size: u32,
    /// How long to wait for a connection (also libpq's `connect_timeout`).
    pub connection_timeout: Duration,
    /// `statement_timeout` set on every connection; `None` keeps the server's.
    pub statement_timeout: Option<Duration>,
    /// `lock_timeout` set on every connection: how long a statement waits for a lock before
    /// it fails (exit 75) rather than hang; `None` keeps the server's.
    pub lock_timeout: Option<Duration>,
    /// Idle connections kept open (default 0: a command opens what it uses).
    pub min_idle: Option<u32>,
    /// An idle connection is closed after this (default 10 minutes).
    pub idle_timeout: Option<Duration>,
    /// A connection is closed after this age (default 30 minutes).
    pub max_lifetime: Option<Duration>,
}

/// A log line's `key=value` form (`max_size=5 connection_timeout=5s ...`), never a Debug struct.
impl std::fmt::Display for PoolOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = |d: Option<Duration>| {
            d.map_or_else(|| "-".to_owned(), crate::conventions::duration_text)
        };
        write!(
            f,
            "max_size={} connection_timeout={} statement_timeout={} lock_timeout={} min_idle={} idle_timeout={} max_lifetime={}",
            self.max_size,
            crate::conventions::duration_text(self.connection_timeout),
            text(self.statement_timeout),
            text(self.lock_timeout),
            self.min_idle.unwrap_or(0),
            text(self.idle_timeout),
            text(self.max_lifetime),
        )
    }
}

impl Default for PoolOptions {
    fn default() -> Self {
        Self {
            max_size: 8,
            connection_timeout: Duration::from_secs(5),
            statement_timeout: None,
            lock_timeout: None,
            min_idle: None,
            idle_timeout: None,
            max_lifetime: None,
        }
    }
}

/// Opens one connection, failing with the server's reason when it is unreachable.
pub fn connect(url: &DatabaseUrl, timeout: Duration) -> Result<PgConnection, Error> {
    // the URL's Display redacts the password
    log::debug!(
        "connecting to {url} (timeout {})",
        crate::conventions::duration_text(timeout)
    );
    url.check_files()?;
    PgConnection::establish(&conninfo_with_timeout(url, timeout)).map_err(|e| Error::Unreachable {
        url: url.to_string(),
        // libpq or the server may echo a parameter: never the password.
        reason: url.redact(&one_line(&e.to_string())),
    })
}

/// Opens a pool. One connection is made first, so that an unreachable server fails at once
/// with the server's own reason instead of a pool timeout.
pub fn connect_pool(url: &DatabaseUrl, options: &PoolOptions) -> Result<Pool, Error> {
    build_pool(url, options, true)
}

/// Like [`connect_pool`], without the `SELECT 1` r2d2 sends at every checkout: for the case
/// stores, whose persistence points are one round trip each. The caller must
/// mark a connection it found dead as broken, so that the pool drops it instead of handing it
/// out again (`store::pg` does).
pub fn connect_pool_unpinged(url: &DatabaseUrl, options: &PoolOptions) -> Result<Pool, Error> {
    build_pool(url, options, false)
}

fn build_pool(url: &DatabaseUrl, options: &PoolOptions, ping: bool) -> Result<Pool, Error> {
    log::debug!("pool for {url}: {options}");
    let timeout_ms = u64::try_from(options.connection_timeout.as_millis()).unwrap_or(u64::MAX);
    LONGEST_CONNECT_MS.fetch_max(timeout_ms, Ordering::Relaxed);
    drop(connect(url, options.connection_timeout)?);
    let manager = Manager(ConnectionManager::new(conninfo_with_timeout(
        url,
        options.connection_timeout,
    )));
    let mut builder = diesel::r2d2::Pool::builder()
        .max_size(options.max_size)
        .min_idle(Some(options.min_idle.unwrap_or(0).min(options.max_size)))
        .test_on_check_out(ping)
        .connection_timeout(options.connection_timeout)
        .connection_customizer(Box::new(SessionSettings {
            statement_timeout: options.statement_timeout,
            lock_timeout: options.lock_timeout,
        }));
    // unset: r2d2's own defaults (10 and 30 minutes)
    if let Some(idle) = options.idle_timeout {
        builder = builder.idle_timeout(Some(idle));
    }
    if let Some(lifetime) = options.max_lifetime {
        builder = builder.max_lifetime(Some(lifetime));
    }
    Ok(builder.build_unchecked(manager))
}

/// Takes a connection from the pool, as a typed error when none is free in time.
pub fn checkout(pool: &Pool) -> Result<PooledConnection, Error> {
    pool.get().map_err(|e| Error::PoolTimeout {
        size: pool.max_size(),
        timeout_ms: pool.connection_timeout().as_millis(),
        reason: e.to_string(),
    })
}

/// The conninfo with a connect timeout and `application_name=wfctl` (so `diag` and operators
/// can tell wfctl's sessions apart), unless the connection string sets them itself.
fn conninfo_with_timeout(url: &DatabaseUrl, timeout: Duration) -> String {
    // libpq counts whole seconds and treats 1 as 2; never pass 0 (= wait forever).
    let secs = timeout.as_secs().max(2);
    url.conninfo_with_defaults(&[
        ("connect_timeout", secs.to_string()),
        ("application_name", APPLICATION_NAME.to_string()),
    ])
}

/// The `application_name` of wfctl's sessions.
pub(crate) const APPLICATION_NAME: &str = "wfctl";

#[derive(Debug)]
struct SessionSettings {
    statement_timeout: Option<Duration>,
    lock_timeout: Option<Duration>,
}

impl CustomizeConnection<PgConnection, diesel::r2d2::Error> for SessionSettings {
    fn on_acquire(&self, conn: &mut PgConnection) -> Result<(), diesel::r2d2::Error> {
        for (name, value) in [
            ("statement_timeout", self.statement_timeout),
            ("lock_timeout", self.lock_timeout),
        ] {
            if let Some(timeout) = value {
                // whole milliseconds; 0 is PostgreSQL's "no limit", as documented for wfctl.toml
                let ms = timeout.as_millis();
                diesel::sql_query(format!("SET {name} = {ms}"))
                    .execute(conn)
                    .map_err(diesel::r2d2::Error::QueryError)?;
            }
        }
        Ok(())
    }
}

/// libpq's messages span lines ("... failed: Connection refused\n\tIs the server running");
/// an error here is one line, its lines kept apart by "; " so the server's reason reads intact.
pub(crate) fn one_line(text: &str) -> String {
    text.lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}
