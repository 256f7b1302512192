//! Database access shared by every PostgreSQL-backed command: the redacting URL, connections
//! and the pool, the embedded migrations, and `db setup`.
//!
//! Knows nothing of the CLI; returns typed errors that the CLI maps to exit codes.

pub mod migrate;
pub mod names;
pub mod pool;
#[rustfmt::skip]
pub(crate) mod schema;
pub mod setup;
pub mod url;

pub use pool::{Pool, PoolOptions, connect, connect_pool, connect_pool_unpinged};
pub use url::DatabaseUrl;

/// What can go wrong talking to PostgreSQL.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The URL itself is unusable (a configuration problem).
    #[error("invalid database URL: {reason}")]
    InvalidUrl {
        /// What is wrong with it.
        reason: String,
    },
    /// A name given for the database (a role, a database) that wfctl refuses to send.
    #[error("{reason}")]
    InvalidName {
        /// What is wrong with it, naming the flag or the kind of name.
        reason: String,
    },
    /// The server could not be reached or refused the connection.
    #[error("cannot connect to {url}: {reason}")]
    Unreachable {
        /// The redacted URL.
        url: String,
        /// The server's or libpq's reason.
        reason: String,
    },
    /// No pooled connection became free in time.
    #[error("no database connection free within {} (pool of {size}): {reason}", crate::conventions::duration_text(std::time::Duration::from_millis(u64::try_from(*timeout_ms).unwrap_or(u64::MAX))))]
    PoolTimeout {
        /// The pool's size.
        size: u32,
        /// How long we waited.
        timeout_ms: u128,
        /// r2d2's last error.
        reason: String,
    },
    /// The database's schema does not match what `db migrate --adopt` expects.
    #[error("the existing tables do not match the seed guide's schema:\n{}", differences.join("\n"))]
    SchemaMismatch {
        /// One line per difference.
        differences: Vec<String>,
    },
    /// A migration failed to apply or revert.
    #[error("migration failed: {0}")]
    Migration(String),
    /// A statement failed.
    #[error("{context}: {source}")]
    Query {
        /// What we were doing.
        context: String,
        /// diesel's error.
        #[source]
        source: diesel::result::Error,
    },
}

impl Error {
    /// Wraps a diesel error with what we were doing.
    pub fn query(context: impl Into<String>) -> impl FnOnce(diesel::result::Error) -> Self {
        let context = context.into();
        move |source| Self::Query { context, source }
    }

    /// Whether this error means the server is not there (exit 69) rather than a failed query.
    pub fn is_unavailable(&self) -> bool {
        match self {
            Self::Unreachable { .. } | Self::PoolTimeout { .. } => true,
            Self::Query { source, .. } => is_connection_lost(source),
            _ => false,
        }
    }
}

/// Whether a diesel error means the connection went away (server restarted, network down).
pub fn is_connection_lost(error: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error as E};
    match error {
        E::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => true,
        E::DatabaseError(_, info) => {
            let m = info.message();
            m.contains("server closed the connection")
                || m.contains("terminating connection")
                || m.contains("no connection to the server")
                || m.contains("could not receive data")
        }
        E::BrokenTransactionManager => true,
        _ => false,
    }
}
