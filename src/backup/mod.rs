//! Backups of the workflow database: `pg_dump` files (`db backup`, `verify`, `restore`) and
//! `pg_basebackup` directories (`db basebackup`), with one shared implementation of what makes
//! a backup trustworthy: the manifest beside each backup, the directory lock, retention, the
//! preflight and the discovery of the PostgreSQL client programs.
//!
//! Knows nothing of the CLI: it returns reports and typed errors, and tells the caller about
//! progress and deletions through callbacks. Child programs get credentials only through their
//! environment ([`DatabaseUrl::child_env`](crate::db::DatabaseUrl::child_env)), never argv.

pub mod archive_header;
pub mod base;
pub mod catalog;
pub mod dump;
pub mod files;
pub mod lock;
pub mod manifest;
pub mod pitr;
pub mod preflight;
pub mod repository;
pub mod restore;
pub mod restore_filter;
pub mod retention;
pub mod sample;
pub mod scratch;
pub mod server;
pub mod tools;
pub mod verify;
pub mod wal_archive;

mod child;

use crate::conventions::size_text;
use std::path::PathBuf;

pub use catalog::{BackupEntry, EntryKind};
pub use lock::DirLock;
pub use manifest::Manifest;
pub use retention::{Deletion, RetentionPolicy};
pub use tools::{Need, PgVersion, Tool, ToolSearch};

/// What can go wrong backing up, verifying or restoring.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Talking to PostgreSQL failed.
    #[error(transparent)]
    Db(#[from] crate::db::Error),
    /// Reading or writing the backup repository failed.
    #[error(transparent)]
    Repo(#[from] crate::repo::Error),
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
        "{tool} not found (looked in {searched}); install the PostgreSQL {major} client programs (Debian/Ubuntu: {package}) or point --pg-bindir (or [tools] bin_dir) at their directory"
    )]
    ToolMissing {
        /// `pg_dump`, `psql`, ...
        tool: &'static str,
        /// Where we looked.
        searched: String,
        /// The major version needed.
        major: u32,
        /// The Debian package that has it.
        package: String,
    },
    /// The client program is older than what it must read (pg_dump refuses to dump a newer
    /// server, pg_restore to read a newer archive).
    #[error("{tool} {tool_version} ({}) is older than {needed_for}; install the PostgreSQL {major} client programs (Debian/Ubuntu: {package}) or point --pg-bindir (or [tools] bin_dir) at their directory", path.display())]
    ToolTooOld {
        /// `pg_dump`, `psql`, ...
        tool: &'static str,
        /// Its version.
        tool_version: String,
        /// Where it is.
        path: PathBuf,
        /// "the server (PostgreSQL 17.4)" or "the archive (made by pg_dump 18.1)".
        needed_for: String,
        /// The major version needed.
        major: u32,
        /// The Debian package that would help.
        package: String,
    },
    /// A program of exactly one major is needed (pg_ctl for a data directory) and none is there.
    #[error(
        "{tool} of PostgreSQL {major} not found (looked in {searched}{others}); a PostgreSQL {major} data directory needs its own major's server programs: install {package} (Debian/Ubuntu) or point --pg-bindir at their directory"
    )]
    ToolWrongMajor {
        /// `pg_ctl`.
        tool: &'static str,
        /// The major version needed.
        major: u32,
        /// Where we looked.
        searched: String,
        /// "; found only /usr/bin/pg_ctl 18.1" or empty.
        others: String,
        /// The Debian package that has it.
        package: String,
    },
    /// The program's file is there but may not be run.
    #[error("{tool} at {} is not executable (chmod +x it, or point --pg-bindir at another directory)", path.display())]
    ToolNotExecutable {
        /// `pg_dump`, `psql`, ...
        tool: &'static str,
        /// The file.
        path: PathBuf,
    },
    /// The program did not answer `--version` in time.
    #[error("{tool} at {} did not print its version within {seconds}s (killed); check that program, or point --pg-bindir at another directory", path.display())]
    ToolHangs {
        /// `pg_dump`, `psql`, ...
        tool: &'static str,
        /// The file.
        path: PathBuf,
        /// The limit.
        seconds: u64,
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
    #[error("{} has {} free; the last backup took {} and the next needs 1.5x that ({})", dir.display(), size_text(*available), size_text(*last), size_text(*needed))]
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
    /// `--create` names a database that exists: a mistyped name must not restore into another.
    #[error(
        "target database {database} already exists; --create restores only into a new database (leave it out to restore into this one)"
    )]
    TargetExists {
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
    #[error("the server cannot give a verified base backup: {reason}")]
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
