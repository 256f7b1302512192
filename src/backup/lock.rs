//! One backup at a time per directory: an exclusive `flock` on `DIR/.wfctl-backup.lock`.
//!
//! The kernel drops an flock when its last holder dies, so there are no stale lock files to
//! clean up. The descriptor is close-on-exec, so no child program holds it: the
//! lock ends with wfctl, and the children end with it too ([`crate::process`]), so the next
//! run never meets a `pg_basebackup` still writing its `.partial` directory.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{Error, files};

/// The held lock; released when dropped or when wfctl exits.
#[derive(Debug)]
pub struct DirLock {
    _file: File,
    /// The lock file.
    pub path: PathBuf,
}

/// The lock file is opened without following a symbolic link: a link planted in the backup
/// directory must never make wfctl create or open a file elsewhere.
const NO_FOLLOW: i32 = rustix::fs::OFlags::NOFOLLOW.bits() as i32;

/// The error for a lock file that is a symbolic link, in words (the kernel says ELOOP).
fn refuse_link(error: std::io::Error) -> std::io::Error {
    if error.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) {
        std::io::Error::other("is a symbolic link; wfctl never follows one in a backup directory")
    } else {
        error
    }
}

/// The lock file, created when missing (mode 0600), never through a symbolic link.
fn open_lock_file(path: &Path) -> std::io::Result<std::fs::File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .custom_flags(NO_FOLLOW)
        .open(path)
}

impl DirLock {
    /// Takes the lock on `dir`, waiting up to `wait` for another backup to finish;
    /// [`Error::Locked`] when it stays busy.
    pub fn acquire(dir: &Path, wait: Option<Duration>) -> Result<Self, Error> {
        let path = dir.join(files::LOCK_FILE);
        let file = open_lock_file(&path).map_err(|e| Error::io(&path)(refuse_link(e)))?;
        let deadline = wait.map(|w| Instant::now() + w);
        loop {
            // rustix's flock, not File::try_lock: that needs Rust 1.89, the crate's MSRV is 1.88.
            match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
                Ok(()) => break,
                Err(rustix::io::Errno::INTR) => {}
                Err(rustix::io::Errno::WOULDBLOCK) => {
                    if deadline.is_none_or(|d| Instant::now() >= d) {
                        return Err(Error::Locked {
                            dir: dir.to_path_buf(),
                            lock_file: path,
                        });
                    }
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(e) => return Err(Error::io(&path)(e.into())),
            }
        }
        Ok(Self { _file: file, path })
    }

    /// A shared hold for a reader of the directory's backups (`db verify DIR`): readers run
    /// side by side, while a backup (and its retention, which deletes) waits for them or is
    /// refused. [`Error::Locked`] when a backup holds `dir` now. On storage this process may
    /// not write (a read-only snapshot, another host's mount) no lock file can be created, and
    /// no wfctl can write a backup there either: the read goes on without a hold (None).
    pub fn acquire_shared(dir: &Path) -> Result<Option<Self>, Error> {
        let path = dir.join(files::LOCK_FILE);
        let opened = open_lock_file(&path).or_else(|e| match e.raw_os_error() {
            Some(code)
                if code == rustix::io::Errno::ROFS.raw_os_error()
                    || code == rustix::io::Errno::ACCESS.raw_os_error() =>
            {
                OpenOptions::new()
                    .read(true)
                    .custom_flags(NO_FOLLOW)
                    .open(&path)
            }
            _ => Err(e),
        });
        let file = match opened {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(&path)(refuse_link(e))),
        };
        loop {
            match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockShared) {
                Ok(()) => return Ok(Some(Self { _file: file, path })),
                Err(rustix::io::Errno::INTR) => {}
                Err(rustix::io::Errno::WOULDBLOCK) => {
                    return Err(Error::Locked {
                        dir: dir.to_path_buf(),
                        lock_file: path,
                    });
                }
                Err(e) => return Err(Error::io(&path)(e.into())),
            }
        }
    }

    /// [`Error::Locked`] when another backup holds `dir` now; creates and changes nothing
    /// (a missing lock file means nobody holds it), for a dry run.
    pub fn probe(dir: &Path) -> Result<(), Error> {
        let path = dir.join(files::LOCK_FILE);
        let file = match OpenOptions::new()
            .read(true)
            .custom_flags(NO_FOLLOW)
            .open(&path)
        {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(Error::io(&path)(refuse_link(e))),
        };
        // a directory opens for reading but never for the real run's writing
        if file.metadata().map_err(Error::io(&path))?.is_dir() {
            return Err(Error::io(&path)(std::io::Error::from_raw_os_error(
                rustix::io::Errno::ISDIR.raw_os_error(),
            )));
        }
        loop {
            // Taken and released at once (when the file closes): a peek, not a hold.
            match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockShared) {
                Ok(()) => return Ok(()),
                Err(rustix::io::Errno::INTR) => {}
                Err(rustix::io::Errno::WOULDBLOCK) => {
                    return Err(Error::Locked {
                        dir: dir.to_path_buf(),
                        lock_file: path,
                    });
                }
                Err(e) => return Err(Error::io(&path)(e.into())),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_file_that_is_a_link_is_refused_and_nothing_is_created_elsewhere() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let target = elsewhere.path().join("planted");
        std::os::unix::fs::symlink(&target, dir.path().join(files::LOCK_FILE)).unwrap();
        let err = DirLock::acquire(dir.path(), None).unwrap_err().to_string();
        assert!(err.contains("symbolic link"), "{err}");
        let err = DirLock::probe(dir.path()).unwrap_err().to_string();
        assert!(err.contains("symbolic link"), "{err}");
        assert!(!target.exists(), "a file was created through the link");
    }

    #[test]
    fn a_probe_sees_a_holder_and_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        DirLock::probe(dir.path()).unwrap();
        assert!(!dir.path().join(files::LOCK_FILE).exists());
        let held = DirLock::acquire(dir.path(), None).unwrap();
        let err = DirLock::probe(dir.path()).unwrap_err();
        assert!(matches!(err, Error::Locked { .. }), "{err}");
        drop(held);
        DirLock::probe(dir.path()).unwrap();
        DirLock::acquire(dir.path(), None).unwrap();
    }

    #[test]
    fn shared_holders_run_side_by_side_and_keep_a_backup_out() {
        let dir = tempfile::tempdir().unwrap();
        let first = DirLock::acquire_shared(dir.path()).unwrap();
        let second = DirLock::acquire_shared(dir.path()).unwrap();
        assert!(first.is_some() && second.is_some());
        let err = DirLock::acquire(dir.path(), None).unwrap_err();
        assert!(matches!(err, Error::Locked { .. }), "{err}");
        drop((first, second));
        let backup = DirLock::acquire(dir.path(), None).unwrap();
        let err = DirLock::acquire_shared(dir.path()).unwrap_err();
        assert!(matches!(err, Error::Locked { .. }), "{err}");
        drop(backup);
    }

    #[test]
    fn a_second_holder_is_refused_then_waits() {
        let dir = tempfile::tempdir().unwrap();
        let first = DirLock::acquire(dir.path(), None).unwrap();
        let err = DirLock::acquire(dir.path(), None).unwrap_err();
        assert!(matches!(err, Error::Locked { .. }), "{err}");
        let started = Instant::now();
        let err = DirLock::acquire(dir.path(), Some(Duration::from_millis(300))).unwrap_err();
        assert!(matches!(err, Error::Locked { .. }));
        assert!(started.elapsed() >= Duration::from_millis(300));
        let releaser = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            drop(first);
        });
        DirLock::acquire(dir.path(), Some(Duration::from_secs(10))).unwrap();
        releaser.join().unwrap();
    }
}
