//! Backups of the workflow database: `pg_dump` files (`db backup`, `verify`, `restore`) and
//! `pg_basebackup` directories (`db basebackup`), with one shared implementation of what makes
//! a backup trustworthy: the manifest beside each backup, the directory lock, retention, the
//! preflight and the discovery of the PostgreSQL client programs.
//!
//! Knows nothing of the CLI: it returns reports and typed errors, and tells the caller about
//! progress and deletions through callbacks. Child programs get credentials only through their
//! environment ([`DatabaseUrl::child_env`](crate::db::DatabaseUrl::child_env)), never argv.

pub mod base;
pub mod catalog;
pub mod dump;
pub mod files;
pub mod lock;
pub mod manifest;
pub mod preflight;
pub mod restore;
pub mod restore_filter;
pub mod retention;
pub mod sample;
pub mod server;
pub mod tools;
pub mod verify;

mod child;

use std::path::PathBuf;

pub use catalog::{BackupEntry, EntryKind};
pub use lock::DirLock;
pub use manifest::Manifest;
pub use retention::{Deletion, RetentionPolicy};
pub use tools::{PgVersion, Tool, ToolSearch};

/// The operation tags (`/* wfctl:<op> */`) of the SQL this module issues, for `diag
/// slow-queries`.
pub const SQL_OPERATIONS: &[&str] = &[
    "backup_snapshot",
    "backup_row_counts",
    "backup_server_info",
    "restore_check_target",
    "restore_sessions",
    "restore_row_counts",
    "restore_analyze",
    "restore_sample_cases",
];

/// What can go wrong backing up, verifying or restoring.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Talking to PostgreSQL failed.
    #[error(transparent)]
    Db(#[from] crate::db::Error),
    /// A file or directory operation failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// A client program was not found.
    #[error(
        "{tool} not found (looked in {searched}); install the PostgreSQL {major} client programs or point --pg-bindir at their directory"
    )]
    ToolMissing {
        /// `pg_dump`, `psql`, ...
        tool: &'static str,
        /// Where we looked.
        searched: String,
        /// The server's major version.
        major: u32,
    },
    /// The client program is older than the server (pg_dump refuses to dump a newer server).
    #[error("{tool} {tool_version} ({}) is older than the server (PostgreSQL {server_version}); install the PostgreSQL {server_major} client programs or point --pg-bindir at their directory", path.display())]
    ToolTooOld {
        /// `pg_dump`, `psql`, ...
        tool: &'static str,
        /// Its version.
        tool_version: String,
        /// Where it is.
        path: PathBuf,
        /// The server's version.
        server_version: String,
        /// The server's major version.
        server_major: u32,
    },
    /// A client program failed.
    #[error("{tool} failed ({status}){}", if stderr.is_empty() { String::new() } else { format!(": {stderr}") })]
    ToolFailed {
        /// `pg_dump`, `psql`, ...
        tool: &'static str,
        /// Exit code or signal.
        status: String,
        /// The tail of its stderr, one line.
        stderr: String,
    },
    /// A client program lost the server, or never reached it (retry later).
    #[error(
        "{tool} lost the connection to the server ({status}): {stderr}; retry when the server is back"
    )]
    ServerLost {
        /// `pg_dump`, `psql`, ...
        tool: &'static str,
        /// Exit code or signal.
        status: String,
        /// Its first real error, one line.
        stderr: String,
    },
    /// A restore must create a database and the role may not.
    #[error(
        "role {role} may not create database {database}: it needs CREATEDB (a superuser runs ALTER ROLE {role} CREATEDB;)"
    )]
    NoCreatedb {
        /// The connected role.
        role: String,
        /// The database to create.
        database: String,
    },
    /// Another backup holds the directory's lock.
    #[error("another backup is running in {} (lock {} is held); retry later or pass --wait DURATION", dir.display(), lock_file.display())]
    Locked {
        /// The backup directory.
        dir: PathBuf,
        /// The lock file.
        lock_file: PathBuf,
    },
    /// Not enough free space for the next backup.
    #[error("{} has {available} bytes free; the last backup took {last} bytes and the next needs 1.5x that ({needed} bytes)", dir.display())]
    NoSpace {
        /// The backup directory.
        dir: PathBuf,
        /// Bytes free.
        available: u64,
        /// Size of the last backup.
        last: u64,
        /// Bytes needed.
        needed: u64,
    },
    /// The backup failed verification; nothing was restored.
    #[error("{}: {reason}", path.display())]
    BadBackup {
        /// The backup.
        path: PathBuf,
        /// The first check that failed.
        reason: String,
    },
    /// A manifest is unreadable.
    #[error("{}: not a wfctl manifest: {reason}", path.display())]
    BadManifest {
        /// The manifest file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The restore target has data and `--force` was not given.
    #[error(
        "target database {database} is not empty ({contents}); pass --force to replace its contents (dropped inside the restore's transaction)"
    )]
    TargetNotEmpty {
        /// The target database.
        database: String,
        /// What is in it.
        contents: String,
    },
    /// The restore target does not exist and `--create` was not given.
    #[error("target database {database} does not exist; pass --create to create it")]
    TargetMissing {
        /// The target database.
        database: String,
    },
    /// Other sessions use the restore target.
    #[error("target database {database} has {} other session(s): {}; stop the application (or end them with SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}') and retry", sessions.len(), sessions.join("; "))]
    ActiveConnections {
        /// The target database.
        database: String,
        /// One description per session.
        sessions: Vec<String>,
    },
    /// The role may not take base backups.
    #[error(
        "role {role} lacks the REPLICATION attribute that pg_basebackup needs; as a superuser run: ALTER ROLE {role} REPLICATION;  (pg_hba.conf also needs a `host replication {role} ...` line)"
    )]
    NoReplication {
        /// The role.
        role: String,
    },
    /// The server is not set up for base backups.
    #[error("the server cannot stream a base backup: {reason}")]
    ServerNotReady {
        /// What to change.
        reason: String,
    },
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io { path, source }
    }
}
