//! Temporary files written beside their destination and renamed into place: one naming
//! pattern for all of wfctl, `.tmp-PID-N`, so that what a process killed mid-write (`kill -9`)
//! leaves behind is recognisable, and a later run removes the temporaries of dead PIDs (and
//! nothing else).

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Prefix of temporary files; listings skip names starting with `.`.
pub(crate) const TMP_PREFIX: &str = ".tmp-";

static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A new temporary file's name: `.tmp-PID-N`.
pub(crate) fn temp_name() -> String {
    let n = TMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{TMP_PREFIX}{}-{n}", std::process::id())
}

/// A temporary file in `dir`, created exclusively (never through a link) and private (0600:
/// what it receives may be a decrypted backup), removed when dropped unless
/// [`TempFile::persist`] moved it into place.
#[derive(Debug)]
pub struct TempFile {
    path: PathBuf,
    file: File,
    placed: bool,
}

impl TempFile {
    /// Creates `dir/.tmp-PID-N`.
    pub fn new_in(dir: &Path) -> io::Result<Self> {
        let path = dir.join(temp_name());
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)?;
        Ok(Self {
            path,
            file,
            placed: false,
        })
    }

    /// The open file.
    pub fn as_file_mut(&mut self) -> &mut File {
        &mut self.file
    }

    /// The open file.
    pub fn as_file(&self) -> &File {
        &self.file
    }

    /// Syncs the file and renames it to `dest` (replacing what is there).
    pub fn persist(mut self, dest: &Path) -> io::Result<()> {
        self.file.sync_all()?;
        fs::rename(&self.path, dest)?;
        self.placed = true;
        Ok(())
    }

    /// Syncs the file and links it at `dest`, which must not exist (never replaced).
    pub fn persist_new(self, dest: &Path) -> io::Result<()> {
        self.file.sync_all()?;
        // a hard link fails when the name exists: no window in which another file is replaced
        fs::hard_link(&self.path, dest)
        // dropped: the temporary name goes, the linked one stays
    }
}

impl io::Write for TempFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.placed {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Removes the temporary files (`.tmp-PID-N`) that a process killed mid-write left in `dir`:
/// only names of exactly that pattern, regular files, whose PID no longer runs (a live
/// writer's file is its own business). Nothing else is touched; a file that cannot be removed
/// stays (a later run tries again).
pub fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temp_writer) else {
            continue;
        };
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && !process_runs(pid) {
            log::info!("removing {}, left by process {pid}", entry.path().display());
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The PID in a name of the pattern `.tmp-PID-N` (both decimal).
pub(crate) fn temp_writer(name: &str) -> Option<i32> {
    let (pid, n) = name.strip_prefix(TMP_PREFIX)?.split_once('-')?;
    let decimal = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !decimal(pid) || !decimal(n) {
        return None;
    }
    pid.parse().ok().filter(|p| *p > 0)
}

/// Whether a process with this PID exists (one we may not signal exists too).
fn process_runs(pid: i32) -> bool {
    let Some(pid) = rustix::process::Pid::from_raw(pid) else {
        return false;
    };
    !matches!(
        rustix::process::test_kill_process(pid),
        Err(rustix::io::Errno::SRCH)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_temp_is_removed_and_a_persisted_one_is_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let temp = TempFile::new_in(dir.path()).unwrap();
        let name = temp.path.file_name().unwrap().to_str().unwrap().to_owned();
        assert_eq!(temp_writer(&name), Some(std::process::id() as i32));
        drop(temp);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
        let mut temp = TempFile::new_in(dir.path()).unwrap();
        io::Write::write_all(temp.as_file_mut(), b"x").unwrap();
        temp.persist(&dir.path().join("x")).unwrap();
        assert_eq!(fs::read(dir.path().join("x")).unwrap(), b"x");
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &fs::metadata(dir.path().join("x")).unwrap().permissions(),
        );
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn only_the_pattern_names_a_writer() {
        assert_eq!(temp_writer(".tmp-12-0"), Some(12));
        for name in [
            ".tmp-1",
            ".tmp--1",
            ".tmp-0-1",
            ".tmp-a-1",
            ".tmpAbc123",
            "tmp-1-2",
        ] {
            assert_eq!(temp_writer(name), None, "{name}");
        }
    }
}
