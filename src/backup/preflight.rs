//! The checks every backup makes before it starts, shared by
//! `db backup` and `db basebackup`: the client program is at least the server's major (the
//! caller found it), the directory exists and is ours to lock, and it has room for another
//! backup as large as the last one of the same group, times 1.5.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::server::ServerInfo;
use super::{BackupEntry, DirLock, Error, Tool, catalog, files};

/// A passed preflight. Holds the directory lock until dropped: retention runs under it too.
#[derive(Debug)]
pub struct Preflight {
    /// The backup directory.
    pub dir: PathBuf,
    /// The server.
    pub server: ServerInfo,
    /// The program that will make the backup.
    pub tool: Tool,
    /// The directory lock (None in a dry run, which writes nothing, not even the lock file).
    pub lock: Option<DirLock>,
    /// The directory's entries when the lock was taken.
    pub entries: Vec<BackupEntry>,
    /// The retention group of the backup to be made.
    pub group: String,
    /// Size of the newest backup of the group, if any.
    pub last_size: Option<u64>,
    /// Bytes free in the directory (in a dry run without it, in its nearest existing parent).
    pub available: u64,
}

/// Creates the directory if needed, takes its lock (waiting up to `wait`), reads what is in
/// it and checks the free space.
pub fn run(
    dir: &Path,
    wait: Option<Duration>,
    server: ServerInfo,
    tool: Tool,
    group: String,
) -> Result<Preflight, Error> {
    files::ensure_dir(dir)?;
    let lock = DirLock::acquire(dir, wait)?;
    check(dir, Some(lock), server, tool, group)
}

/// The same checks for a dry run, writing nothing: the directory is not created (a missing
/// one is empty, its space that of the nearest existing parent) and no lock is taken (a
/// backup running in it now is still refused with [`Error::Locked`]).
pub fn dry_run(
    dir: &Path,
    server: ServerInfo,
    tool: Tool,
    group: String,
) -> Result<Preflight, Error> {
    if files::refuse_non_dir(dir)? {
        // A running backup's leftovers are not leftovers: refused as a real run would be.
        DirLock::probe(dir)?;
    }
    check_writable(dir)?;
    check(dir, None, server, tool, group)
}

/// What a real run would fail on when it creates `dir` or its lock file, found without
/// writing: the nearest existing ancestor (the directory itself when it exists) must be a
/// directory this process may create entries in.
fn check_writable(dir: &Path) -> Result<(), Error> {
    let Some(existing) = dir
        .ancestors()
        .map(|d| {
            if d.as_os_str().is_empty() {
                Path::new(".")
            } else {
                d
            }
        })
        .find(|d| std::fs::symlink_metadata(d).is_ok())
    else {
        return Ok(());
    };
    if !existing.is_dir() {
        return Err(Error::io(dir)(std::io::Error::from_raw_os_error(
            rustix::io::Errno::NOTDIR.raw_os_error(),
        )));
    }
    let access = rustix::fs::Access::WRITE_OK | rustix::fs::Access::EXEC_OK;
    rustix::fs::access(existing, access).map_err(|e| Error::io(dir)(e.into()))
}

fn check(
    dir: &Path,
    lock: Option<DirLock>,
    server: ServerInfo,
    tool: Tool,
    group: String,
) -> Result<Preflight, Error> {
    let entries = catalog::scan(dir)?;
    let last_size = entries
        .iter()
        .filter(|e| e.is_good())
        .find(|e| e.manifest.as_ref().is_some_and(|m| m.group() == group))
        .map(|e| e.size);
    let existing = dir
        .ancestors()
        .find(|d| d.is_dir())
        .unwrap_or(Path::new("."));
    let available = files::available_space(existing)?;
    if let Some(last) = last_size {
        let needed = last.saturating_add(last / 2);
        if available < needed {
            return Err(Error::NoSpace {
                dir: dir.to_path_buf(),
                available,
                last,
                needed,
            });
        }
    }
    Ok(Preflight {
        dir: dir.to_path_buf(),
        server,
        tool,
        lock,
        entries,
        group,
        last_size,
        available,
    })
}
