//! The bulk runs under way on a file store: one file per run in `.bulk-runs` holding its
//! selection time, shared by its workers and by a re-run after a kill (see
//! `wfctl::bulk::select`). Hidden, so that listings and the guide's tools pass over it.

use std::io;

use super::FileStore;
use super::write::{
    create_new_file, io_err, private_dir, read_if_exists, remove_if_exists, sync_dir,
};
use crate::store::{Error, Result};

const RUNS_DIR: &str = ".bulk-runs";

impl FileStore {
    /// Joins the unfinished bulk run `key` (a hex digest), or begins it with `now_ms` as its
    /// selection time; returns the run's selection time.
    pub fn bulk_run_begin(&self, key: &str, now_ms: i64) -> Result<i64> {
        let dir = self.dir().join(RUNS_DIR);
        private_dir(&dir)?;
        let path = dir.join(key);
        // the first worker's file wins: a name already taken is the run to join; one that
        // vanishes in between was a run that just ended, so this worker begins the next
        let mut attempts = 0;
        let (created, text) = loop {
            let created = create_new_file(&dir, key, now_ms.to_string().as_bytes());
            match read_if_exists(&path)? {
                Some(text) => break (created, text),
                None if created.is_err() && attempts < 3 => attempts += 1,
                None => {
                    created?;
                    return Err(io_err(&path)(io::Error::other("bulk run record vanished")));
                }
            }
        };
        if created.is_ok() {
            sync_dir(&dir)?;
        }
        text.trim().parse().map_err(|_| Error::Io {
            path: path.clone(),
            source: io::Error::other("not a bulk run record (a time in ms)"),
        })
    }

    /// Ends the bulk run `key` begun at `selected_before` (nothing left to take).
    pub fn bulk_run_finish(&self, key: &str, selected_before: i64) -> Result<()> {
        let dir = self.dir().join(RUNS_DIR);
        let path = dir.join(key);
        if read_if_exists(&path)?.is_some_and(|t| t.trim() == selected_before.to_string()) {
            remove_if_exists(&path)?;
            sync_dir(&dir)?;
        }
        Ok(())
    }
}

/// Claims of a bulk run's workers on its cases (`.bulk-runs/{key}.claims/{case}.lock`, an
/// `flock` each, kept across runs of the same key: a worker of a finished run may still hold
/// its last cases), so that concurrent workers of one run pass over each other's cases as the
/// PostgreSQL store's `SKIP LOCKED` claims do, and a case lock that a worker finds taken is a
/// process outside the run. The kernel drops the claims of a killed worker.
pub struct FileIdClaims {
    dir: std::path::PathBuf,
    held: Vec<std::fs::File>,
}

impl FileStore {
    /// The claims of bulk run `key`'s workers.
    pub fn bulk_claims(&self, key: &str) -> Result<FileIdClaims> {
        let runs = self.dir().join(RUNS_DIR);
        private_dir(&runs)?;
        let dir = runs.join(format!("{key}.claims"));
        private_dir(&dir)?;
        Ok(FileIdClaims {
            dir,
            held: Vec::new(),
        })
    }
}

impl FileIdClaims {
    /// Releases the previous chunk and claims `ids`; returns those another worker holds.
    pub fn claim(&mut self, ids: &[String]) -> Result<std::collections::HashSet<String>> {
        self.held.clear();
        let mut taken = std::collections::HashSet::new();
        for id in ids {
            let path = self.dir.join(super::layout::lock_file(id));
            let file = super::write::open_private(&path, true)?;
            match file.try_lock() {
                Ok(()) => self.held.push(file),
                Err(std::fs::TryLockError::WouldBlock) => {
                    taken.insert(id.clone());
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(io_err(&path)(e)),
            }
        }
        Ok(taken)
    }
}
