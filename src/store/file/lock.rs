//! The file store's case lock (`flock` on `.locks/{case}.lock`), the sequence marker kept in
//! that lock file, and the `counters.json` cache. See the module doc of `file` for why the
//! audit sequence lives where it does.

use std::collections::{BTreeMap, HashMap};
use std::fs::{File, TryLockError};
use std::io::{self, Read};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use super::super::backoff::poll_with_backoff;
use super::super::{CaseLock, Error, LockWait, Result};
use super::layout::{COUNTERS, COUNTERS_LOCK, LOCKS_DIR, lock_file};
use super::write::{io_err, open_private, private_dir, read_if_exists, replace_file, sync_dir};
use crate::model::counter_key;

/// What the lock file says about the case's audit sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// Never written (a new lock file).
    Absent,
    /// The last holder released the lock normally; the last sequence is exact.
    Clean(u64),
    /// A holder was writing audit records and never released the lock normally (it died), or
    /// the content is unreadable: the sequence must be found from the audit files.
    Unknown,
}

// Fixed width, so that one positioned write replaces the whole content (no truncation step a
// crash could interrupt).
fn marker_text(state: &str, seq: u64) -> String {
    format!("{state:<8}{seq:020}\n")
}

fn parse_marker(text: &str) -> Marker {
    let mut words = text.split_whitespace();
    match (words.next(), words.next().map(str::parse::<u64>)) {
        (None, _) => Marker::Absent,
        (Some("clean"), Some(Ok(seq))) => Marker::Clean(seq),
        _ => Marker::Unknown,
    }
}

/// The marker of a case's lock file, read without taking the lock (for readers).
pub fn read_marker(path: &Path) -> Result<Marker> {
    match read_if_exists(path) {
        Ok(None) => Ok(Marker::Absent),
        Ok(Some(text)) => Ok(parse_marker(&text)),
        Err(Error::Corrupt { .. }) => Ok(Marker::Unknown),
        Err(e) => Err(e),
    }
}

/// Per-case state shared by a lock guard and the store that handed it out.
#[derive(Debug)]
pub struct Session {
    state: Mutex<SessionState>,
}

/// The audit sequence of a locked case, as far as this process knows it.
#[derive(Debug)]
pub struct SessionState {
    /// Last sequence used; `None` until first needed.
    pub last_seq: Option<u64>,
    /// What the lock file said when the lock was taken.
    pub marker: Marker,
    /// Whether the lock file now says "running" (set before the first audit write).
    pub marked_running: bool,
    /// The case's entry in `counters.json` when the lock was taken: no sequence goes below it.
    pub floor: u64,
    file: Arc<File>,
}

impl Session {
    /// The state, one point at a time (parallel branches of one case serialise here).
    pub fn lock(&self) -> MutexGuard<'_, SessionState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl SessionState {
    /// Marks the case as being written before its first audit record is, durably, so that a
    /// crash from here on makes the next holder recount the audit files.
    pub fn mark_running(&mut self, path: &Path) -> Result<()> {
        if self.marked_running {
            return Ok(());
        }
        let text = marker_text("running", self.last_seq.unwrap_or(0));
        self.file
            .write_all_at(text.as_bytes(), 0)
            .and_then(|()| self.file.sync_data())
            .map_err(io_err(path))?;
        self.marked_running = true;
        Ok(())
    }
}

/// The sessions of one store, by case id.
pub type Sessions = Arc<Mutex<HashMap<String, Arc<Session>>>>;

fn sessions_of(sessions: &Sessions) -> MutexGuard<'_, HashMap<String, Arc<Session>>> {
    sessions.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The session of a case locked through this store, if any.
pub fn session(sessions: &Sessions, case_id: &str) -> Option<Arc<Session>> {
    sessions_of(sessions).get(case_id).cloned()
}

/// An exclusive `flock` on a case's lock file.
pub struct FileLock {
    case_id: String,
    dir: PathBuf,
    path: PathBuf,
    session: Arc<Session>,
    sessions: Sessions,
    file: Arc<File>,
}

impl std::fmt::Debug for FileLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileLock")
            .field("case_id", &self.case_id)
            .field("path", &self.path)
            .finish()
    }
}

impl CaseLock for FileLock {
    fn case_id(&self) -> &str {
        &self.case_id
    }
}

fn try_flock(file: &File, path: &Path) -> Result<bool> {
    match file.try_lock() {
        Ok(()) => Ok(true),
        Err(TryLockError::WouldBlock) => Ok(false),
        Err(TryLockError::Error(e)) => Err(io_err(path)(e)),
    }
}

/// Takes the lock of `case_id` in store directory `dir` and registers its session.
pub fn lock_case(
    dir: &Path,
    sessions: &Sessions,
    case_id: &str,
    wait: LockWait,
) -> Result<FileLock> {
    let locks = dir.join(LOCKS_DIR);
    private_dir(&locks)?;
    let path = locks.join(lock_file(case_id));
    // the marker is written into it: never through a link
    let file = open_private(&path, true)?;
    let locked = poll_with_backoff(wait, || Ok(try_flock(&file, &path)?.then_some(())))?;
    if locked.is_none() {
        return Err(Error::Locked {
            case: case_id.to_owned(),
        });
    }
    let mut text = String::new();
    let marker = match (&file).read_to_string(&mut text) {
        Ok(_) => parse_marker(&text),
        Err(e) if e.kind() == io::ErrorKind::InvalidData => Marker::Unknown,
        Err(e) => return Err(io_err(&path)(e)),
    };
    let file = Arc::new(file);
    let session = Arc::new(Session {
        state: Mutex::new(SessionState {
            last_seq: match marker {
                Marker::Clean(seq) => Some(seq),
                _ => None,
            },
            marker,
            marked_running: false,
            floor: 0,
            file: Arc::clone(&file),
        }),
    });
    sessions_of(sessions).insert(case_id.to_owned(), Arc::clone(&session));
    Ok(FileLock {
        case_id: case_id.to_owned(),
        dir: dir.to_path_buf(),
        path,
        session,
        sessions: Arc::clone(sessions),
        file,
    })
}

impl Drop for FileLock {
    fn drop(&mut self) {
        {
            let state = self.session.lock();
            // Both are caches (the audit files are the truth), so a failure here only costs
            // the next holder a directory scan. A session that only recounted (after a crash)
            // records the count too, so the next holder need not.
            if let Some(seq) = state.last_seq
                && (state.marked_running || matches!(state.marker, Marker::Unknown))
            {
                if state.marked_running {
                    let _ = update_counters(&self.dir, &self.case_id, seq);
                }
                let _ = self
                    .file
                    .write_all_at(marker_text("clean", seq).as_bytes(), 0);
            }
        }
        let mut sessions = sessions_of(&self.sessions);
        if sessions
            .get(&self.case_id)
            .is_some_and(|s| Arc::ptr_eq(s, &self.session))
        {
            sessions.remove(&self.case_id);
        }
        // Unlocked here, not left to the close: a process forked by another thread holds a
        // copy of this descriptor until it execs, and with it the lock, so the next lock_case
        // (even this process's own) would find the case locked.
        let _ = self.file.unlock();
    }
}

/// Reads `counters.json` (`{}` when absent).
pub fn read_counters(dir: &Path) -> Result<BTreeMap<String, u64>> {
    let path = dir.join(COUNTERS);
    match super::write::read_at_most(&path, super::read::MAX_COUNTERS_BYTES)? {
        None => Ok(BTreeMap::new()),
        Some(text) => serde_json::from_str(&text).map_err(|e| Error::Corrupt {
            what: crate::conventions::path_text(&path),
            reason: e.to_string(),
        }),
    }
}

/// Raises one case's entry in `counters.json` (never lowers it: migrate-files imports it as the
/// case's counter), under the counters lock so that writers of different cases do not lose
/// each other's entries. A corrupt file is left as it is.
pub fn update_counters(dir: &Path, case_id: &str, seq: u64) -> Result<()> {
    let locks = dir.join(LOCKS_DIR);
    private_dir(&locks)?;
    let path = locks.join(COUNTERS_LOCK);
    let lock = open_private(&path, true)?;
    let wait = LockWait::Wait(Duration::from_secs(5));
    if poll_with_backoff(wait, || Ok(try_flock(&lock, &path)?.then_some(())))?.is_none() {
        return Err(Error::Locked {
            case: COUNTERS.to_owned(),
        });
    }
    let mut counters = read_counters(dir)?;
    let key = counter_key(case_id);
    if counters.get(&key).is_some_and(|&known| known >= seq) {
        return Ok(());
    }
    counters.insert(key, seq);
    let text = serde_json::to_string_pretty(&counters).expect("counters always serialise");
    replace_file(dir, COUNTERS, text.as_bytes())?;
    sync_dir(dir)
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn markers_round_trip_and_garbage_is_unknown() {
        assert_eq!(parse_marker(&marker_text("clean", 42)), Marker::Clean(42));
        assert_eq!(parse_marker(&marker_text("running", 42)), Marker::Unknown);
        assert_eq!(parse_marker(""), Marker::Absent);
        assert_eq!(parse_marker("clean x"), Marker::Unknown);
        assert_eq!(
            marker_text("clean", 1).len(),
            marker_text("running", u64::MAX).len()
        );
    }

    #[test]
    fn a_released_lock_is_free_while_a_copy_of_its_descriptor_lives_on() {
        // a process that another thread forks holds a copy of every descriptor until it execs
        let dir = tempfile::tempdir().unwrap();
        let sessions = Sessions::default();
        let guard = lock_case(dir.path(), &sessions, "7", LockWait::Try).unwrap();
        let forked_copy = guard.file.try_clone().unwrap();
        drop(guard);
        let again = lock_case(dir.path(), &sessions, "7", LockWait::Try);
        assert!(again.is_ok(), "{:?}", again.err());
        drop(forked_copy);
    }

    #[test]
    fn counters_keep_other_cases_and_skip_a_corrupt_file() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join(LOCKS_DIR)).unwrap();
        update_counters(dir.path(), "1", 3).unwrap();
        update_counters(dir.path(), "2", 5).unwrap();
        let counters = read_counters(dir.path()).unwrap();
        assert_eq!(counters[&counter_key("1")], 3);
        assert_eq!(counters[&counter_key("2")], 5);
        update_counters(dir.path(), "2", 2).unwrap();
        assert_eq!(read_counters(dir.path()).unwrap()[&counter_key("2")], 5);
        fs::write(dir.path().join(COUNTERS), "{oops").unwrap();
        assert!(matches!(
            update_counters(dir.path(), "1", 4),
            Err(Error::Corrupt { .. })
        ));
        assert_eq!(
            fs::read_to_string(dir.path().join(COUNTERS)).unwrap(),
            "{oops"
        );
    }
}
