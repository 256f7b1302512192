//! The store error type. The CLI maps `Locked`/`Conflict`/`Timeout` to exit 75 and
//! `Unavailable` to 69.

use std::io;
use std::path::PathBuf;

/// What went wrong in a store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A record that must exist does not.
    #[error("{what} not found")]
    NotFound {
        /// The record, e.g. `journey of case 42`.
        what: String,
    },
    /// A concurrent writer changed the record first (optimistic concurrency).
    #[error("conflict on {what}: {reason}")]
    Conflict {
        /// The record.
        what: String,
        /// Why.
        reason: String,
    },
    /// Another process holds the case lock.
    #[error("case {case} is being run by another process")]
    Locked {
        /// Case id.
        case: String,
    },
    /// The session that held the case lock ended (terminated, connection dropped) while the
    /// case was being run: another process may hold the lock now, so nothing more is saved.
    #[error(
        "lost the lock of case {case} (its database session ended: {reason}); this run stopped without saving, the case is left to whoever holds the lock now (retry later)"
    )]
    LockLost {
        /// Case id.
        case: String,
        /// Why the session ended.
        reason: String,
    },
    /// A stored record cannot be read back.
    #[error("corrupt {what}: {reason}")]
    Corrupt {
        /// The record, e.g. a file path or key.
        what: String,
        /// Why it cannot be read.
        reason: String,
    },
    /// The backing service cannot be reached (database down, pool timeout).
    #[error("store unavailable: {reason}")]
    Unavailable {
        /// Why.
        reason: String,
    },
    /// A file operation failed.
    #[error("i/o error on {}: {source}", crate::conventions::path_text(path))]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// The database rejected a statement.
    #[error("database error: {reason}")]
    Database {
        /// The server's message (never contains credentials).
        reason: String,
    },
    /// A value this store cannot keep: a case id or unit name that cannot be a file name, a
    /// number too large for its column.
    #[error("cannot store {what}: {reason}")]
    Unstorable {
        /// What it is, e.g. `case id "a/b"`.
        what: String,
        /// Why it is refused.
        reason: String,
    },
    /// The database gave up on a statement (statement or lock timeout); retrying later may work.
    #[error("{what} timed out: {reason}")]
    Timeout {
        /// What we were doing, e.g. `save point of case 42`.
        what: String,
        /// The server's message.
        reason: String,
    },
    /// A fault injected by [`FaultyStore`](super::FaultyStore) (tests of crash recovery).
    /// A sensitive value cannot be sealed or opened (no key, a wrong key, altered ciphertext);
    /// the reason names the case, the variable and the key id.
    #[error("{reason}")]
    Sealed {
        /// Why.
        reason: String,
    },
    #[error("injected fault at persistence point {point}")]
    InjectedFault {
        /// 1-based number of the write that failed.
        point: u64,
    },
}

impl Error {
    /// Whether retrying later may succeed (lock held, concurrent update): exit code 75.
    pub fn is_temporary(&self) -> bool {
        matches!(
            self,
            Self::Locked { .. }
                | Self::LockLost { .. }
                | Self::Conflict { .. }
                | Self::Timeout { .. }
        )
    }

    /// Whether the backing service is unreachable: exit code 69.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, Self::Unavailable { .. })
    }
}
