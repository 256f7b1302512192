//! A repository in a local directory (`file:///var/backups/wfctl`): one file per key.
//!
//! `put` writes a hidden temporary file beside the final name, fsyncs it, then links
//! (refusing an existing object) or renames (replacing one) it into place and fsyncs the
//! directory: a killed write leaves only a hidden temporary file, which `list`, `get` and
//! `head` never take for an object; a later `put` into the same directory removes those older
//! than [`LEFTOVER_AGE`]. Symlinks inside the directory are never followed: one where an
//! object or a directory on the way to it should be is refused by name.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{Error, LEFTOVER_AGE, ObjectInfo, Repository, Stored, check_key};

/// Temporary files start with this (hidden, so no key can name one).
const TEMP_PREFIX: &str = ".wfctl-tmp.";

/// A directory holding one file per key.
#[derive(Debug, Clone)]
pub struct FileRepository {
    root: PathBuf,
}

impl FileRepository {
    /// Opens `root`; a writable repository is created (mode 0700) when missing, a read-only
    /// one must exist. Writes to a read-only one are refused by [`super::ReadOnly`] (see
    /// [`super::open::open_dir`]), not here.
    pub fn open(root: &Path, read_only: bool) -> Result<Self, Error> {
        let repo = Self {
            root: root.to_path_buf(),
        };
        match fs::metadata(root) {
            Ok(meta) if meta.is_dir() => Ok(repo),
            Ok(_) => Err(Error::Invalid(format!(
                "{}: is not a directory",
                root.display()
            ))),
            Err(e) if e.kind() == io::ErrorKind::NotFound && !read_only => {
                fs::DirBuilder::new()
                    .recursive(true)
                    .mode(0o700)
                    .create(root)
                    .map_err(|source| repo.io("", source))?;
                Ok(repo)
            }
            // an archive that is only read is never created: missing is a configuration problem
            Err(e) if e.kind() == io::ErrorKind::NotFound => Err(Error::Invalid(format!(
                "{}: no such directory",
                repo.describe()
            ))),
            Err(source) => Err(repo.io("", source)),
        }
    }

    /// The directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn io(&self, key: &str, source: io::Error) -> Error {
        Error::Io {
            location: self.location(key),
            source,
        }
    }

    fn location(&self, key: &str) -> String {
        if key.is_empty() {
            self.describe()
        } else {
            format!("{}/{key}", self.describe())
        }
    }

    /// The path of `key`, after checking that no directory on the way to it is a symbolic
    /// link (which would lead out of the repository). A missing directory is no error: the
    /// object is then simply absent.
    fn path_of(&self, key: &str) -> Result<PathBuf, Error> {
        check_key(key)?;
        let mut dir = self.root.clone();
        let mut walked = String::new();
        let segments: Vec<&str> = key.split('/').collect();
        for segment in &segments[..segments.len() - 1] {
            dir.push(segment);
            if !walked.is_empty() {
                walked.push('/');
            }
            walked.push_str(segment);
            match fs::symlink_metadata(&dir) {
                Ok(meta) if meta.is_dir() => {}
                Ok(meta) => return Err(self.not_an_object(&walked, &meta)),
                Err(e) if e.kind() == io::ErrorKind::NotFound => break,
                Err(e) => return Err(self.io(&walked, e)),
            }
        }
        Ok(self.root.join(key))
    }

    fn not_an_object(&self, key: &str, meta: &fs::Metadata) -> Error {
        let what = if meta.is_symlink() {
            "a symbolic link"
        } else if meta.is_dir() {
            "a directory"
        } else if meta.is_file() {
            "a file where a directory should be"
        } else {
            "a special file"
        };
        Error::NotAnObject {
            location: self.location(key),
            what,
        }
    }

    /// Removes hidden temporaries of killed writers in `dir` (not below it).
    fn clean_dir(&self, dir: &Path, stale: std::time::Duration) -> usize {
        let Ok(entries) = fs::read_dir(dir) else {
            return 0;
        };
        let now = std::time::SystemTime::now();
        let mut removed = 0;
        for entry in entries.flatten() {
            let ours = entry
                .file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(TEMP_PREFIX));
            let old = entry.metadata().is_ok_and(|m| {
                m.is_file()
                    && m.modified()
                        .ok()
                        .and_then(|t| now.duration_since(t).ok())
                        .is_some_and(|age| age >= stale)
            });
            // best effort: another cleaner may have taken it first
            if ours && old && fs::remove_file(entry.path()).is_ok() {
                removed += 1;
            }
        }
        removed
    }

    fn clean_tree(&self, dir: &Path, stale: std::time::Duration) -> usize {
        let mut removed = self.clean_dir(dir, stale);
        if let Ok(entries) = fs::read_dir(dir) {
            for entry in entries.flatten() {
                // DirEntry::file_type does not follow symlinks
                let hidden = entry.file_name().to_string_lossy().starts_with('.');
                if !hidden && entry.file_type().is_ok_and(|t| t.is_dir()) {
                    removed += self.clean_tree(&entry.path(), stale);
                }
            }
        }
        removed
    }

    /// Each directory between the root and `path`'s parent, created when missing; a symlink
    /// on the way is refused rather than followed.
    fn make_parents(&self, key: &str) -> Result<PathBuf, Error> {
        let mut dir = self.root.clone();
        let segments: Vec<&str> = key.split('/').collect();
        for segment in &segments[..segments.len() - 1] {
            dir.push(segment);
            match fs::symlink_metadata(&dir) {
                Ok(meta) if meta.is_dir() => {}
                Ok(_) => {
                    return Err(self.io(
                        key,
                        io::Error::other(format!("{} is not a directory", dir.display())),
                    ));
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    match fs::DirBuilder::new().mode(0o700).create(&dir) {
                        Ok(()) => sync_dir(dir.parent().unwrap_or(&self.root))
                            .map_err(|e| self.io(key, e))?,
                        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                        Err(e) => return Err(self.io(key, e)),
                    }
                }
                Err(e) => return Err(self.io(key, e)),
            }
        }
        Ok(dir)
    }

    fn walk(&self, dir: &Path, rel: &str, out: &mut Vec<ObjectInfo>) -> Result<(), Error> {
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(self.io(rel, e)),
        };
        for entry in entries {
            let entry = entry.map_err(|e| self.io(rel, e))?;
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            // hidden files are temporaries (or not ours); keys never name them
            if name.starts_with('.') {
                continue;
            }
            let key = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let meta = entry.metadata().map_err(|e| self.io(&key, e))?;
            if meta.is_dir() {
                self.walk(&entry.path(), &key, out)?;
            } else if meta.is_file() {
                out.push(info(key, &meta));
            }
        }
        Ok(())
    }
}

fn info(key: String, meta: &fs::Metadata) -> ObjectInfo {
    ObjectInfo {
        key,
        size: meta.len(),
        modified: meta.modified().ok().map(chrono::DateTime::from),
    }
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// A temporary file removed when dropped, unless it was moved into place.
struct Temp {
    path: PathBuf,
    keep: bool,
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_file(&self.path);
        }
    }
}

impl Repository for FileRepository {
    fn describe(&self) -> String {
        format!("file://{}", self.root.display())
    }

    fn put(&self, key: &str, body: &mut dyn Read, replace: bool) -> Result<Stored, Error> {
        let path = self.path_of(key)?;
        let dir = self.make_parents(key)?;
        self.clean_dir(&dir, LEFTOVER_AGE);
        let name = key.rsplit('/').next().unwrap_or(key);
        let mut temp = Temp {
            path: dir.join(format!(
                "{TEMP_PREFIX}{name}.{}.{}",
                std::process::id(),
                unique()
            )),
            keep: false,
        };
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&temp.path)
            .map_err(|e| self.io(key, e))?;
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = match body.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(self.io(key, e)),
            };
            hasher.update(&buf[..n]);
            file.write_all(&buf[..n]).map_err(|e| self.io(key, e))?;
            size += n as u64;
        }
        file.sync_all().map_err(|e| self.io(key, e))?;
        drop(file);
        if replace {
            fs::rename(&temp.path, &path).map_err(|e| self.io(key, e))?;
            temp.keep = true;
        } else {
            // link fails when the name exists: no window in which an object is replaced
            fs::hard_link(&temp.path, &path).map_err(|e| {
                if e.kind() == io::ErrorKind::AlreadyExists {
                    Error::Exists {
                        location: self.location(key),
                    }
                } else {
                    self.io(key, e)
                }
            })?;
        }
        drop(temp);
        sync_dir(&dir).map_err(|e| self.io(key, e))?;
        Ok(Stored {
            size,
            sha256: hex(&hasher.finalize()),
        })
    }

    fn get(&self, key: &str) -> Result<Box<dyn Read + Send>, Error> {
        let path = self.path_of(key)?;
        match OpenOptions::new()
            .read(true)
            .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
            .open(&path)
        {
            Ok(file) => match file.metadata() {
                Ok(meta) if meta.is_file() => Ok(Box::new(file)),
                Ok(meta) => Err(self.not_an_object(key, &meta)),
                Err(e) => Err(self.io(key, e)),
            },
            Err(e) if e.kind() == io::ErrorKind::NotFound => Err(Error::NotFound {
                location: self.location(key),
            }),
            // O_NOFOLLOW on a symlink: ELOOP
            Err(e) if e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) => {
                Err(Error::NotAnObject {
                    location: self.location(key),
                    what: "a symbolic link",
                })
            }
            Err(e) => Err(self.io(key, e)),
        }
    }

    fn head(&self, key: &str) -> Result<Option<ObjectInfo>, Error> {
        let path = self.path_of(key)?;
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_file() => Ok(Some(info(key.to_owned(), &meta))),
            Ok(meta) => Err(self.not_an_object(key, &meta)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.io(key, e)),
        }
    }

    fn list(&self, prefix: &str) -> Result<Vec<ObjectInfo>, Error> {
        // walk only the directory the prefix names, then filter by the rest of it
        let dir_part = prefix.rsplit_once('/').map_or("", |(dir, _)| dir);
        if !dir_part.is_empty() {
            // refuses a symlink on the way, then the directory itself must be one
            match fs::symlink_metadata(self.path_of(dir_part)?) {
                Ok(meta) if meta.is_dir() => {}
                Ok(meta) => return Err(self.not_an_object(dir_part, &meta)),
                Err(_) => return Ok(Vec::new()),
            }
        }
        let mut out = Vec::new();
        self.walk(&self.root.join(dir_part), dir_part, &mut out)?;
        out.retain(|o| o.key.starts_with(prefix));
        out.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(out)
    }

    fn delete(&self, key: &str) -> Result<(), Error> {
        let path = self.path_of(key)?;
        match fs::symlink_metadata(&path) {
            Ok(meta) if !meta.is_file() => return Err(self.not_an_object(key, &meta)),
            _ => {}
        }
        match fs::remove_file(&path) {
            Ok(()) => sync_dir(path.parent().unwrap_or(&self.root)).map_err(|e| self.io(key, e)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(self.io(key, e)),
        }
    }

    fn check(&self) -> Result<(), Error> {
        match fs::symlink_metadata(&self.root) {
            Ok(meta) if meta.is_dir() => Ok(()),
            Ok(_) => Err(Error::Invalid(format!(
                "{}: is not a directory",
                self.describe()
            ))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Err(Error::Invalid(format!(
                "{}: no such directory",
                self.describe()
            ))),
            Err(e) => Err(self.io("", e)),
        }
    }

    fn clean_leftovers(&self, stale: std::time::Duration) -> Result<usize, Error> {
        Ok(self.clean_tree(&self.root, stale))
    }
}

/// A number no other put of this process uses at the same time.
fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Whether an error says the object already exists (a `put` without `replace`), on any
/// backend.
pub fn already_exists(error: &Error) -> bool {
    matches!(error, Error::Exists { .. })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> (tempfile::TempDir, FileRepository) {
        let dir = tempfile::tempdir().unwrap();
        let repo = FileRepository::open(&dir.path().join("repo"), false).unwrap();
        (dir, repo)
    }

    fn read(repo: &FileRepository, key: &str) -> Vec<u8> {
        let mut out = Vec::new();
        repo.get(key).unwrap().read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn put_get_list_delete() {
        let (_dir, repo) = repo();
        let stored = repo.put("wal/a.gz", &mut &b"hello"[..], false).unwrap();
        assert_eq!(stored.size, 5);
        assert_eq!(
            stored.sha256,
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
        );
        repo.put("backups/b", &mut &b"x"[..], false).unwrap();
        assert_eq!(read(&repo, "wal/a.gz"), b"hello");
        let keys: Vec<_> = repo.list("").unwrap().into_iter().map(|o| o.key).collect();
        assert_eq!(keys, ["backups/b", "wal/a.gz"]);
        let keys: Vec<_> = repo
            .list("wal/")
            .unwrap()
            .into_iter()
            .map(|o| o.key)
            .collect();
        assert_eq!(keys, ["wal/a.gz"]);
        assert_eq!(repo.head("wal/a.gz").unwrap().unwrap().size, 5);
        repo.delete("wal/a.gz").unwrap();
        repo.delete("wal/a.gz").unwrap();
        assert!(repo.head("wal/a.gz").unwrap().is_none());
        assert!(matches!(repo.get("wal/a.gz"), Err(Error::NotFound { .. })));
    }

    #[test]
    fn put_refuses_to_replace_unless_asked() {
        let (_dir, repo) = repo();
        repo.put("k", &mut &b"one"[..], false).unwrap();
        let err = repo.put("k", &mut &b"two"[..], false).unwrap_err();
        assert!(already_exists(&err), "{err}");
        assert_eq!(read(&repo, "k"), b"one");
        repo.put("k", &mut &b"two"[..], true).unwrap();
        assert_eq!(read(&repo, "k"), b"two");
        // neither attempt left a temporary file behind
        let names: Vec<_> = fs::read_dir(repo.root())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["k"]);
    }

    #[test]
    fn a_failed_put_leaves_nothing_listed() {
        struct Failing(usize);
        impl Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0 == 0 {
                    return Err(io::Error::other("source lost"));
                }
                self.0 -= 1;
                buf[0] = b'x';
                Ok(1)
            }
        }
        let (_dir, repo) = repo();
        assert!(repo.put("wal/k", &mut Failing(3), false).is_err());
        assert!(repo.list("").unwrap().is_empty());
        assert!(repo.head("wal/k").unwrap().is_none());
        // a temporary of a killed writer is hidden too
        fs::write(repo.root().join("wal/.wfctl-tmp.k.1.0"), "half").unwrap();
        assert!(repo.list("wal/").unwrap().is_empty());
    }

    #[test]
    fn read_only_refuses_writes_and_deletes() {
        let (dir, repo) = repo();
        repo.put("k", &mut &b"one"[..], false).unwrap();
        let ro = super::super::open::open_dir(repo.root(), true).unwrap();
        assert!(matches!(
            ro.put("j", &mut &b"x"[..], false),
            Err(Error::ReadOnly { .. })
        ));
        assert!(matches!(ro.delete("k"), Err(Error::ReadOnly { .. })));
        let mut back = Vec::new();
        ro.get("k").unwrap().read_to_end(&mut back).unwrap();
        assert_eq!(back, b"one");
        assert!(FileRepository::open(&dir.path().join("missing"), true).is_err());
    }

    #[test]
    fn symlinks_are_not_followed() {
        let (dir, repo) = repo();
        fs::write(dir.path().join("secret"), "s").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret"), repo.root().join("link")).unwrap();
        std::os::unix::fs::symlink(dir.path(), repo.root().join("sub")).unwrap();
        let refused = |r: Result<(), Error>| matches!(r, Err(Error::NotAnObject { .. }));
        assert!(refused(repo.get("link").map(drop)));
        assert!(refused(repo.head("link").map(drop)));
        assert!(repo.list("").unwrap().is_empty());
        assert!(repo.put("sub/x", &mut &b"x"[..], false).is_err());
        assert!(!dir.path().join("x").exists());
        // a symlinked directory on the way is refused, never followed out of the root
        assert!(refused(repo.get("sub/secret").map(drop)));
        assert!(refused(repo.head("sub/secret").map(drop)));
        assert!(refused(repo.delete("sub/secret")));
        assert!(refused(repo.list("sub/").map(drop)));
        assert!(refused(repo.delete("link")));
        assert!(dir.path().join("secret").exists());
        // a directory where an object should be is no object either
        fs::create_dir(repo.root().join("d")).unwrap();
        assert!(refused(repo.head("d").map(drop)));
        assert!(refused(repo.get("d").map(drop)));
    }

    #[test]
    fn stale_temporaries_of_killed_writers_are_cleaned() {
        let (_dir, repo) = repo();
        repo.put("wal/a", &mut &b"a"[..], false).unwrap();
        let stale = repo.root().join("wal/.wfctl-tmp.b.1.0");
        let fresh = repo.root().join("wal/.wfctl-tmp.c.1.1");
        let foreign = repo.root().join("wal/.other");
        for path in [&stale, &fresh, &foreign] {
            fs::write(path, "half").unwrap();
        }
        let long_ago = std::time::SystemTime::now() - LEFTOVER_AGE * 2;
        for path in [&stale, &foreign] {
            File::options()
                .write(true)
                .open(path)
                .unwrap()
                .set_modified(long_ago)
                .unwrap();
        }
        repo.put("wal/b", &mut &b"b"[..], false).unwrap();
        assert!(!stale.exists() && fresh.exists() && foreign.exists());
        assert_eq!(repo.clean_leftovers(std::time::Duration::ZERO).unwrap(), 1);
        assert!(!fresh.exists() && foreign.exists());
    }
}
