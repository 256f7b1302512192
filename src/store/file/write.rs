//! Durable writes of the file store: one file by temp file + fsync + rename, several files as
//! one commit through a journal.
//!
//! A file never appears under its real name before its content is on disk, so a crash (or a
//! power loss) leaves the old or the new content, never a torn or empty file. A file that is
//! replaced again and again (process info, milestones, `counters.json`) keeps a hidden spare,
//! `.spare-{name}`, holding its previous version: the new content is written into the spare in
//! place, synced, and the two names are exchanged atomically (`renameat2(RENAME_EXCHANGE)`).
//! That costs no new inode per write; creating a file was the most expensive step of a
//! persistence point on the disks measured (about 1 ms, more than an fdatasync). File systems
//! without the exchange get the temp file + rename. Several files
//! that must change together (process info + milestones, journey + SLA) are first written as
//! one journal file `.journal/{case}.json` holding their new contents; its rename is the
//! commit. Then the files are written one by one and the journal removed. A journal found later
//! (the writer died) is rolled forward by the next writer of the case, and readers read through
//! it, so nobody ever sees half of a commit.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{FileExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rustix::fs::{CWD, OFlags, RenameFlags, renameat_with};

use serde::{Deserialize, Serialize};

use super::super::{Error, Result};
use super::layout::{JOURNAL_DIR, journal_file, journalled_files};

/// Wraps an I/O error with its path.
pub fn io_err(path: &Path) -> impl FnOnce(io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Prefix of the spare of a file that is replaced through an exchange.
pub const SPARE_PREFIX: &str = ".spare-";

static NO_EXCHANGE: AtomicBool = AtomicBool::new(false);

/// Refuses what a write must not go through: a symbolic link (it would write outside the store),
/// anything but a regular file, and a file with other hard links (an in-place write would
/// change them too).
fn refuse_unless_private(path: &Path, meta: &fs::Metadata) -> Result<()> {
    let reason = if meta.file_type().is_symlink() {
        "is a symbolic link; the store never follows links"
    } else if !meta.is_file() {
        "is not a regular file"
    } else if meta.nlink() > 1 {
        "has other hard links; the store never writes through them"
    } else {
        return Ok(());
    };
    Err(io_err(path)(io::Error::other(reason)))
}

/// Opens a file of the store for reading and writing (creating it if `create`), never
/// through a symbolic link and only when it is a regular file of its own (see
/// [`refuse_unless_private`]).
pub fn open_private(path: &Path, create: bool) -> Result<File> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(create)
        .truncate(false)
        .custom_flags(OFlags::NOFOLLOW.bits() as i32)
        .open(path)
        .map_err(|e| nofollow_err(path, e))?;
    let meta = file.metadata().map_err(io_err(path))?;
    refuse_unless_private(path, &meta)?;
    Ok(file)
}

/// An open refused by `O_NOFOLLOW` (`ELOOP`) named as what it is.
fn nofollow_err(path: &Path, e: io::Error) -> Error {
    if e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) {
        io_err(path)(io::Error::other(
            "is a symbolic link; the store never follows links",
        ))
    } else {
        io_err(path)(e)
    }
}

/// The metadata of `path` itself (not of a link's target); `None` when it does not exist.
fn lstat(path: &Path) -> Result<Option<fs::Metadata>> {
    match fs::symlink_metadata(path) {
        Ok(meta) => Ok(Some(meta)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_err(path)(e)),
    }
}

/// Makes sure `dir` (a directory of the store such as `.locks`) exists and is a real directory,
/// not a link to one elsewhere.
pub fn private_dir(dir: &Path) -> Result<()> {
    match lstat(dir)? {
        Some(meta) if meta.is_dir() => Ok(()),
        Some(meta) if meta.file_type().is_symlink() => Err(io_err(dir)(io::Error::other(
            "is a symbolic link; the store never follows links",
        ))),
        Some(_) => Err(io_err(dir)(io::Error::other("is not a directory"))),
        None => fs::create_dir(dir).or_else(|e| {
            if e.kind() == io::ErrorKind::AlreadyExists {
                private_dir(dir).map_err(|_| io_err(dir)(e))
            } else {
                Err(io_err(dir)(e))
            }
        }),
    }
}

/// Writes `bytes` to `dir/name` atomically (a new version of an existing file goes through its
/// spare and an exchange). The directory is not synced: callers sync it once after all
/// renames of a point. A link in the way is refused, never followed.
pub fn replace_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let target = dir.join(name);
    let existing = lstat(&target)?;
    if let Some(meta) = &existing {
        refuse_unless_private(&target, meta)?;
    }
    if NO_EXCHANGE.load(Ordering::Relaxed) || existing.is_none() {
        return create_file(dir, name, bytes);
    }
    let spare = dir.join(format!("{SPARE_PREFIX}{name}"));
    let file = open_private(&spare, true)?;
    let written = (|| {
        // in place: no blocks freed and allocated again for a document of similar size
        file.write_all_at(bytes, 0)?;
        file.set_len(bytes.len() as u64)?;
        file.sync_data()
    })();
    written.map_err(io_err(&target))?;
    match renameat_with(CWD, &spare, CWD, &target, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        Err(e) if e == rustix::io::Errno::NOENT => {
            // the target went away since we looked (not under the case lock): a plain rename
            fs::rename(&spare, &target).map_err(io_err(&target))
        }
        Err(e) => {
            if !unsupported(e) {
                return Err(io_err(&target)(e.into()));
            }
            NO_EXCHANGE.store(true, Ordering::Relaxed);
            fs::rename(&spare, &target).map_err(io_err(&target))
        }
    }
}

fn unsupported(e: rustix::io::Errno) -> bool {
    [
        rustix::io::Errno::INVAL,
        rustix::io::Errno::NOSYS,
        rustix::io::Errno::OPNOTSUPP,
    ]
    .contains(&e)
}

/// Writes a file that does not exist yet (or replaces one without a spare): a temp file in the
/// same directory, fdatasync, rename. The directory is not synced (see [`replace_file`]).
pub fn create_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let target = dir.join(name);
    let tmp = write_temp(dir, &target, bytes)?;
    fs::rename(&tmp, &target).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        io_err(&target)(e)
    })
}

/// Writes a file that must not exist yet (an audit record): like [`create_file`], but a name
/// already taken, by anything, is an error and the file there is left as it was.
pub fn create_new_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let target = dir.join(name);
    let tmp = write_temp(dir, &target, bytes)?;
    let placed = match renameat_with(CWD, &tmp, CWD, &target, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(()),
        // a hard link fails the same way when the name is taken
        Err(e) if unsupported(e) => fs::hard_link(&tmp, &target),
        Err(e) => Err(e.into()),
    };
    let _ = fs::remove_file(&tmp).or_else(|e| {
        if e.kind() == io::ErrorKind::NotFound {
            Ok(())
        } else {
            Err(e)
        }
    });
    placed.map_err(|e| {
        if e.kind() == io::ErrorKind::AlreadyExists {
            io_err(&target)(io::Error::other(
                "already exists; a record is never replaced",
            ))
        } else {
            io_err(&target)(e)
        }
    })
}

/// A synced temp file in `dir` holding `bytes`, created exclusively (never through a link).
fn write_temp(dir: &Path, target: &Path, bytes: &[u8]) -> Result<PathBuf> {
    let tmp = dir.join(crate::temp_files::temp_name());
    let written = (|| {
        let mut file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_data()
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(io_err(target)(e));
    }
    Ok(tmp)
}

/// Removes the temporary files (`.tmp-PID-N`) that a process killed mid-write left in `dir`
/// ([`crate::temp_files::remove_stale_temps`]).
pub fn remove_stale_temps(dir: &Path) {
    crate::temp_files::remove_stale_temps(dir);
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

/// Reads a file of the store; `None` when it does not exist. Only a regular file of at most
/// [`MAX_RECORD_BYTES`](super::read::MAX_RECORD_BYTES) is read: a symbolic link, a FIFO, a
/// device, a directory or a larger file is refused naming the file (see [`super::read`]).
pub fn read_if_exists(path: &Path) -> Result<Option<String>> {
    read_at_most(path, super::read::MAX_RECORD_BYTES)
}

/// [`read_if_exists`] with another limit: `counters.json` holds one entry per case of the
/// store, so it grows with the store rather than with one case.
pub fn read_at_most(path: &Path, max: u64) -> Result<Option<String>> {
    use super::read::{Refused, read_regular};
    let bytes = match read_regular(path, false, max) {
        Ok(bytes) => bytes,
        Err(Refused::Io(e)) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(Refused::Io(e)) => return Err(io_err(path)(e)),
        Err(refused @ Refused::Link) => {
            return Err(io_err(path)(io::Error::other(refused.to_string())));
        }
        Err(refused) => {
            return Err(Error::Corrupt {
                what: crate::conventions::path_text(path),
                reason: refused.to_string(),
            });
        }
    };
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|e| Error::Corrupt {
            what: crate::conventions::path_text(path),
            reason: format!("not UTF-8 text ({e})"),
        })
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
    let corrupt = |reason: String| Error::Corrupt {
        what: crate::conventions::path_text(&path),
        reason,
    };
    let journal: Journal = serde_json::from_str(&text).map_err(|e| corrupt(e.to_string()))?;
    // a journal is replayed by name: one naming anything but this case's own records (`..`,
    // an absolute path, another case's file) would write or delete it
    let allowed = journalled_files(case_id);
    if let Some((name, _)) = journal.files.iter().find(|(n, _)| !allowed.contains(n)) {
        return Err(corrupt(format!(
            "names {name:?}, which is not a record of case {case_id:?}; nothing of it was \
             applied"
        )));
    }
    Ok(Some(journal))
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
            private_dir(&journal_dir)?;
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
    fn writes_leave_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        create_file(dir.path(), "b.json", b"b").unwrap();
        replace_file(dir.path(), "a.json", b"1").unwrap();
        replace_file(dir.path(), "a.json", b"2").unwrap();
        assert_eq!(fs::read_to_string(dir.path().join("a.json")).unwrap(), "2");
        let mut names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| !n.starts_with(SPARE_PREFIX))
            .collect();
        names.sort();
        assert_eq!(names, ["a.json", "b.json"]);
    }

    #[test]
    fn a_replaced_file_keeps_its_previous_version_as_a_hidden_spare() {
        let dir = tempfile::tempdir().unwrap();
        replace_file(dir.path(), "a.json", b"first, longer").unwrap();
        replace_file(dir.path(), "a.json", b"second").unwrap();
        replace_file(dir.path(), "a.json", b"third").unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("a.json")).unwrap(),
            "third"
        );
        let spare = dir.path().join(format!("{SPARE_PREFIX}a.json"));
        // the spare holds an older version (or nothing where exchange is unsupported)
        if !NO_EXCHANGE.load(Ordering::Relaxed) {
            assert_eq!(fs::read_to_string(spare).unwrap(), "second");
        }
    }

    #[test]
    fn a_left_over_journal_is_read_and_rolled_forward() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("journey_sla-1.json"), "old").unwrap();
        let journal = Journal {
            files: vec![
                ("workflow_process_info-1.json".into(), Some("new a".into())),
                ("journey_sla-1.json".into(), None),
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
        assert_eq!(
            pending.content("workflow_process_info-1.json"),
            Some(Some("new a"))
        );
        assert_eq!(pending.content("journey_sla-1.json"), Some(None));
        assert_eq!(pending.content("journey-1.json"), None);
        roll_forward(dir.path(), "1", &pending).unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("workflow_process_info-1.json")).unwrap(),
            "new a"
        );
        assert!(!dir.path().join("journey_sla-1.json").exists());
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
