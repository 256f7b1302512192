//! Durable writes of the file store: one file by temp file + fsync + rename, several files as
//! one commit through a journal.
//!
//! A file never appears under its real name before its content is on disk, so a crash (or a
//! power loss) leaves the old or the new content, never a torn or empty file. Several files
//! that must change together (process info + milestones, journey + SLA) are first written as
//! one journal file `.journal/{case}.json` holding their new contents; its rename is the
//! commit. Then the files are written one by one and the journal removed. A journal found later
//! (the writer died) is rolled forward by the next writer of the case, and readers read through
//! it, so nobody ever sees half of a commit.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use super::super::{Error, Result};
use super::layout::{JOURNAL_DIR, TMP_PREFIX, journal_file};

/// Wraps an I/O error with its path.
pub fn io_err(path: &Path) -> impl FnOnce(io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `dir/name` atomically: a temp file in the same directory, fsync, rename.
/// The directory itself is not synced: callers sync it once after all renames of a point.
pub fn replace_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let n = TMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!("{TMP_PREFIX}{}-{n}", std::process::id()));
    let target = dir.join(name);
    let written = (|| {
        let mut file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_data()
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(io_err(&target)(e));
    }
    fs::rename(&tmp, &target).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        io_err(&target)(e)
    })
}

/// Makes the renames and removals done in `dir` durable.
pub fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_err(dir))
}

/// Removes a file if it exists.
pub fn remove_if_exists(path: &Path) -> Result<bool> {
    match fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io_err(path)(e)),
    }
}

/// Reads a file; `None` when it does not exist.
pub fn read_if_exists(path: &Path) -> Result<Option<String>> {
    match fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|e| Error::Corrupt {
                what: path.display().to_string(),
                reason: format!("not UTF-8 text ({e})"),
            }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_err(path)(e)),
    }
}

/// New contents of the files of one commit: `Some(text)` writes, `None` removes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    /// File name (in the store directory) → new content.
    pub files: Vec<(String, Option<String>)>,
}

impl Journal {
    /// The pending content of `name`: `Some(Some(text))`, `Some(None)` (removed) or `None`
    /// (not part of this commit).
    pub fn content(&self, name: &str) -> Option<Option<&str>> {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.as_deref())
    }
}

fn journal_path(dir: &Path, case_id: &str) -> PathBuf {
    dir.join(JOURNAL_DIR).join(journal_file(case_id))
}

/// The unfinished commit of a case, if its writer died before finishing it.
pub fn pending_journal(dir: &Path, case_id: &str) -> Result<Option<Journal>> {
    let path = journal_path(dir, case_id);
    let Some(text) = read_if_exists(&path)? else {
        return Ok(None);
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| Error::Corrupt {
            what: path.display().to_string(),
            reason: e.to_string(),
        })
}

/// Applies the files of a commit atomically: one file directly, several through the journal.
pub fn commit(dir: &Path, case_id: &str, journal: &Journal) -> Result<()> {
    match journal.files.as_slice() {
        [] => Ok(()),
        [(name, content)] => {
            apply_one(dir, name, content.as_deref())?;
            sync_dir(dir)
        }
        _ => {
            let journal_dir = dir.join(JOURNAL_DIR);
            fs::create_dir_all(&journal_dir).map_err(io_err(&journal_dir))?;
            let text = serde_json::to_string(journal).expect("a journal always serialises");
            replace_file(&journal_dir, &journal_file(case_id), text.as_bytes())?;
            sync_dir(&journal_dir)?;
            roll_forward(dir, case_id, journal)
        }
    }
}

/// Writes the files of a committed journal, then removes it. Idempotent, so a journal left by a
/// dead writer can be applied again by the next one.
pub fn roll_forward(dir: &Path, case_id: &str, journal: &Journal) -> Result<()> {
    for (name, content) in &journal.files {
        apply_one(dir, name, content.as_deref())?;
    }
    sync_dir(dir)?;
    // the removal must be durable before any later write of the case: replaying an old journal
    // over newer files would undo them
    remove_if_exists(&journal_path(dir, case_id))?;
    sync_dir(&dir.join(JOURNAL_DIR))
}

fn apply_one(dir: &Path, name: &str, content: Option<&str>) -> Result<()> {
    match content {
        Some(text) => replace_file(dir, name, text.as_bytes()),
        None => remove_if_exists(&dir.join(name)).map(|_| ()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_leaves_no_temp_files_and_replaces_content() {
        let dir = tempfile::tempdir().unwrap();
        replace_file(dir.path(), "a.json", b"1").unwrap();
        replace_file(dir.path(), "a.json", b"2").unwrap();
        assert_eq!(fs::read_to_string(dir.path().join("a.json")).unwrap(), "2");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.json"]);
    }

    #[test]
    fn a_left_over_journal_is_read_and_rolled_forward() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("b.json"), "old").unwrap();
        let journal = Journal {
            files: vec![
                ("a.json".into(), Some("new a".into())),
                ("b.json".into(), None),
            ],
        };
        // as if the writer died right after the commit
        let jdir = dir.path().join(JOURNAL_DIR);
        fs::create_dir_all(&jdir).unwrap();
        fs::write(
            jdir.join(journal_file("1")),
            serde_json::to_string(&journal).unwrap(),
        )
        .unwrap();
        let pending = pending_journal(dir.path(), "1").unwrap().unwrap();
        assert_eq!(pending.content("a.json"), Some(Some("new a")));
        assert_eq!(pending.content("b.json"), Some(None));
        assert_eq!(pending.content("c.json"), None);
        roll_forward(dir.path(), "1", &pending).unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("a.json")).unwrap(),
            "new a"
        );
        assert!(!dir.path().join("b.json").exists());
        assert_eq!(pending_journal(dir.path(), "1").unwrap(), None);
    }

    #[test]
    fn a_corrupt_journal_is_reported_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let jdir = dir.path().join(JOURNAL_DIR);
        fs::create_dir_all(&jdir).unwrap();
        fs::write(jdir.join(journal_file("1")), "{").unwrap();
        let err = pending_journal(dir.path(), "1").unwrap_err();
        assert!(
            matches!(&err, Error::Corrupt { what, .. } if what.ends_with(".journal/1.json")),
            "{err}"
        );
    }
}
