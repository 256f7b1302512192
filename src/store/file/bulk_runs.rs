//! The bulk runs under way on a file store: one file per run in `.bulk-runs` holding its
//! selection time, shared by its workers and by a re-run after a kill (see
//! `wfctl::bulk::select`). Hidden, so that listings and the guide's tools pass over it.

use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

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

    /// Ends the bulk run `key` begun at `selected_before` (nothing left to take), and prunes
    /// its workers' claims ([`prune_claims`]).
    pub fn bulk_run_finish(&self, key: &str, selected_before: i64) -> Result<()> {
        let dir = self.dir().join(RUNS_DIR);
        let path = dir.join(key);
        if read_if_exists(&path)?.is_some_and(|t| t.trim() == selected_before.to_string()) {
            remove_if_exists(&path)?;
            sync_dir(&dir)?;
        }
        prune_claims(&dir.join(claims_dir(key)))
    }
}

fn claims_dir(key: &str) -> String {
    format!("{key}.claims")
}

/// Removes the claim files of a finished run that no worker holds (each taken before it is
/// unlinked, so a worker still holding its last cases keeps them; a claimer checks that the
/// file it locked is still the one named, see [`FileIdClaims::claim`]), then the directory
/// when it is empty. Claim files are only locks: removing them loses nothing.
fn prune_claims(dir: &Path) -> Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_err(dir)(e)),
    };
    for entry in entries {
        let path = entry.map_err(io_err(dir))?.path();
        let Ok(file) = super::write::open_private(&path, false) else {
            continue;
        };
        if file.try_lock().is_ok() {
            remove_if_exists(&path)?;
        }
    }
    // not empty: a worker still holds a claim (the next finished run prunes it)
    let _ = std::fs::remove_dir(dir);
    Ok(())
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
        let dir = runs.join(claims_dir(key));
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
        // a finished run of the same key may have pruned the directory
        private_dir(&self.dir)?;
        let mut taken = std::collections::HashSet::new();
        for id in ids {
            let path = self.dir.join(super::layout::lock_file(id));
            loop {
                let file = super::write::open_private(&path, true)?;
                match file.try_lock() {
                    // a file pruned between the open and the lock claims nothing: again
                    Ok(()) if !same_file(&file, &path) => continue,
                    Ok(()) => self.held.push(file),
                    Err(std::fs::TryLockError::WouldBlock) => {
                        taken.insert(id.clone());
                    }
                    Err(std::fs::TryLockError::Error(e)) => return Err(io_err(&path)(e)),
                }
                break;
            }
        }
        Ok(taken)
    }
}

/// Whether `path` still names the open `file` (it was not removed or replaced meanwhile).
fn same_file(file: &std::fs::File, path: &Path) -> bool {
    match (file.metadata(), std::fs::symlink_metadata(path)) {
        (Ok(open), Ok(named)) => open.dev() == named.dev() && open.ino() == named.ino(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finished_run_prunes_the_claims_no_worker_holds() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::open(dir.path()).unwrap();
        let at = store.bulk_run_begin("k1", 5).unwrap();
        let mut done = store.bulk_claims("k1").unwrap();
        done.claim(&["a".into(), "b".into()]).unwrap();
        done.claim(&[]).unwrap();
        let mut still = store.bulk_claims("k1").unwrap();
        still.claim(&["c".into()]).unwrap();
        store.bulk_run_finish("k1", at).unwrap();
        let claims = dir.path().join(RUNS_DIR).join("k1.claims");
        let left: Vec<String> = std::fs::read_dir(&claims)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(left, ["c.lock"], "the held claim stays, the others go");
        // the held case is still claimed against another worker
        let mut other = store.bulk_claims("k1").unwrap();
        assert!(other.claim(&["c".into()]).unwrap().contains("c"));
        drop((still, other));
        store.bulk_run_finish("k1", at).unwrap();
        assert!(!claims.exists(), "nothing held: the directory goes");
        // a worker of a later run of the same key claims again
        let mut again = store.bulk_claims("k1").unwrap();
        std::fs::remove_dir(&claims).unwrap();
        assert!(again.claim(&["a".into()]).unwrap().is_empty());
    }
}
