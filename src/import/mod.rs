//! import: `wfctl migrate-files`, moving a file store into PostgreSQL.
//! (Not to be confused with `db migrate`, which applies schema migrations.)
//!
//! Pipeline: [`scan`] lists the directory once and groups each case's files; `--jobs` threads
//! read, checksum and [`parse`] them (bounded channels, so memory does not grow with the
//! number of files); one loader writes batches of `--batch-size` cases per transaction with
//! COPY ([`load`]), together with their [`ledger`] rows, so a killed run resumes where it
//! stopped and a re-run never duplicates. Knows nothing of the CLI: it reports through
//! [`Event`]s and returns a [`Summary`].

pub mod copy;
pub(crate) mod encode;
pub mod ledger;
mod load;
pub mod names;
pub mod parse;
mod pipeline;
pub mod reject;
pub mod scan;
mod summary;
mod verify;

use std::collections::HashSet;
use std::path::PathBuf;

pub use parse::ParseOptions;
pub use pipeline::run;
pub use reject::{ErrorClass, Reject};
pub use scan::{Listing, Notice, ScanOptions};
pub use summary::{BasketCount, Summary, VerifySummary};
pub use verify::verify;

/// What went wrong with the run as a whole (bad files are not errors: they are rejected).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The directory (or a temporary file) could not be read or written.
    #[error("i/o error on {}: {source}", crate::conventions::path_text(path))]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A database operation failed.
    #[error(transparent)]
    Db(#[from] crate::db::Error),
    /// Another `migrate-files` holds the import lock on this database.
    #[error("another wfctl migrate-files is running against this database; retry when it ends")]
    Busy,
    /// A worker thread died (a bug).
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// Wraps a diesel error with what we were doing.
    pub fn query(context: &str) -> impl FnOnce(diesel::result::Error) -> Self + '_ {
        move |source| {
            Self::Db(crate::db::Error::Query {
                context: context.to_owned(),
                source,
            })
        }
    }
}

/// Settings of one run.
#[derive(Debug, Clone)]
pub struct Options {
    /// The file-store directory.
    pub dir: PathBuf,
    /// Reader/parser threads.
    pub jobs: usize,
    /// Cases per transaction.
    pub batch_size: usize,
    /// Database connections loading batches in parallel.
    pub connections: usize,
    /// Parse and validate only; write nothing (needs no database).
    pub dry_run: bool,
    /// Stop after this many rejected files.
    pub max_errors: Option<u64>,
    /// Re-read every imported case through the store and compare it with its source.
    pub verify: bool,
    /// Replace cases whose rows in the database were not written by an import, or changed
    /// since (never a case whose lock is held).
    pub force: bool,
    /// Directory walk settings (`only` = the files of a `--retry` report).
    pub scan: ScanOptions,
    /// Parse settings (`--no-update`, size limit).
    pub parse: ParseOptions,
}

impl Options {
    /// Defaults for `dir`: one job per core, 500 cases per transaction.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            jobs: std::thread::available_parallelism().map_or(2, usize::from),
            batch_size: 500,
            connections: 2,
            dry_run: false,
            max_errors: None,
            verify: false,
            force: false,
            scan: ScanOptions::default(),
            parse: ParseOptions::default(),
        }
    }

    /// Reads symbolic links that point outside the directory (`--follow-symlinks`); without
    /// it each such link is a rejected file of class `outside_link`.
    pub fn follow_symlinks(&mut self, follow: bool) {
        self.scan.follow_symlinks = follow;
        self.parse.follow_symlinks = follow;
    }

    /// Restricts the run to the cases of these files (a `--retry` report's paths).
    pub fn retry(&mut self, paths: impl IntoIterator<Item = String>) {
        let names: HashSet<String> = paths
            .into_iter()
            .map(|p| {
                std::path::Path::new(&p)
                    .file_name()
                    .map_or(p.clone(), |n| n.to_string_lossy().into_owned())
            })
            .collect();
        self.scan.only = Some(names);
    }
}

/// Progress so far, for a progress bar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Case files handled.
    pub files: u64,
    /// Case files in the directory (known once listed).
    pub total_files: Option<u64>,
    /// Cases handled.
    pub cases: u64,
    /// Bytes read.
    pub bytes: u64,
}

/// What the run reports while it goes.
#[derive(Debug)]
pub enum Event<'a> {
    /// The listing is complete.
    Listed(&'a Listing),
    /// A file was rejected (written to `--rejects`).
    Rejected(&'a Reject),
    /// Something noticed (orphans, unknown files, cases without a journey).
    Noticed(&'a Notice),
    /// Progress after a batch or case.
    Progress(Progress),
    /// A verification difference (`--verify`).
    Difference(&'a str),
}
