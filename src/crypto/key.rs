//! Key files: one line `wfctl-key-v1 KEYID BASE64(32 bytes)`, mode 0600. The key id is derived
//! from the key (the first 8 bytes of its SHA-256, in hex), so a file cannot name a wrong id.

use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

use super::Error;

const HEADER: &str = "wfctl-key-v1";

/// One 256-bit key and its id.
#[derive(Clone)]
pub struct Key {
    id: String,
    bytes: [u8; 32],
}

// the key bytes never reach a log or a panic message
impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Key({})", self.id)
    }
}

fn key_error(path: &Path, reason: impl Into<String>) -> Error {
    Error::KeyFile {
        path: crate::conventions::path_text(path),
        reason: reason.into(),
    }
}

/// `path` as named (a symbolic link not followed), made absolute through its directory's
/// real path.
fn named_in(path: &Path) -> Result<std::path::PathBuf, Error> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let dir = std::fs::canonicalize(dir).map_err(|e| key_error(path, e.to_string()))?;
    Ok(match path.file_name() {
        Some(name) => dir.join(name),
        None => dir,
    })
}

/// Like ssh: every directory above `file` up to / must be writable by its owner alone (or
/// have the sticky bit), else someone else could rename an entry away and plant a key.
fn check_directories(path: &Path, file: &Path) -> Result<(), Error> {
    for dir in file.ancestors().skip(1) {
        let meta = std::fs::metadata(dir).map_err(|e| key_error(path, e.to_string()))?;
        let mode = meta.permissions().mode();
        if mode & 0o022 != 0 && mode & 0o1000 == 0 {
            return Err(key_error(
                path,
                format!(
                    "its directory {} (mode {:o}) lets others replace it",
                    crate::conventions::path_text(dir),
                    mode & 0o7777
                ),
            ));
        }
    }
    Ok(())
}

impl Key {
    /// A key from its bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        let digest = Sha256::digest(bytes);
        let id = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        Self { id, bytes }
    }

    /// A new random key.
    pub fn generate() -> Result<Self, Error> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| Error::KeyFile {
            path: "(new key)".to_owned(),
            reason: format!("no randomness from the system: {e}"),
        })?;
        Ok(Self::from_bytes(bytes))
    }

    /// Its id, stored beside every value it seals.
    pub fn id(&self) -> &str {
        &self.id
    }

    pub(super) fn bytes(&self) -> &[u8; 32] {
        &self.bytes
    }

    /// Reads a key file. It must be readable by its owner alone: a key others can read is
    /// refused rather than used.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let meta = std::fs::metadata(path).map_err(|e| key_error(path, e.to_string()))?;
        if !meta.is_file() {
            return Err(key_error(path, "not a regular file"));
        }
        if meta.permissions().mode() & 0o077 != 0 {
            return Err(key_error(
                path,
                format!(
                    "mode {:o} lets others read or write it: chmod 600 it",
                    meta.permissions().mode() & 0o777
                ),
            ));
        }
        // like ssh: a key someone else owns, or can swap, is someone else's key
        let me = rustix::process::geteuid().as_raw();
        if meta.uid() != me && meta.uid() != 0 {
            return Err(key_error(
                path,
                format!("it is owned by user {}, not by you", meta.uid()),
            ));
        }
        // the file's own directory and the one that names it (a symbolic link's), and every
        // directory above each up to /
        let real = std::fs::canonicalize(path).map_err(|e| key_error(path, e.to_string()))?;
        check_directories(path, &real)?;
        check_directories(path, &named_in(path)?)?;
        let text = std::fs::read_to_string(path).map_err(|e| key_error(path, e.to_string()))?;
        let bad = || key_error(path, format!("not a wfctl key file (`{HEADER} KEYID KEY`)"));
        let mut words = text.split_whitespace();
        if words.next() != Some(HEADER) {
            return Err(bad());
        }
        let (Some(id), Some(encoded), None) = (words.next(), words.next(), words.next()) else {
            return Err(bad());
        };
        let decoded = STANDARD.decode(encoded).map_err(|_| bad())?;
        let bytes: [u8; 32] = decoded
            .try_into()
            .map_err(|_| key_error(path, "the key is not 32 bytes"))?;
        let key = Self::from_bytes(bytes);
        if key.id != id {
            return Err(key_error(
                path,
                format!("its id {id} does not match its key ({})", key.id),
            ));
        }
        Ok(key)
    }

    /// Writes this key to a new file `path` (mode 0600), atomically; an existing file is never
    /// replaced.
    pub fn write_new(&self, path: &Path) -> Result<(), Error> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        // the rule `load` applies: a key written where others can replace it is never usable
        check_directories(path, &named_in(path)?)?;
        if let Ok(meta) = std::fs::symlink_metadata(path) {
            let what = if meta.is_dir() {
                "is a directory: name the new key file"
            } else if meta.file_type().is_symlink() {
                "exists already (a symbolic link): a key is never overwritten"
            } else {
                "exists already: a key is never overwritten"
            };
            return Err(key_error(path, what));
        }
        // wfctl's temporary pattern: what a killed run left here is removed by the next
        crate::temp_files::remove_stale_temps(dir);
        let mut temp =
            crate::temp_files::TempFile::new_in(dir).map_err(|e| key_error(path, e.to_string()))?;
        let line = format!("{HEADER} {} {}\n", self.id, STANDARD.encode(self.bytes));
        temp.write_all(line.as_bytes())
            .and_then(|()| temp.persist_new(path))
            .map_err(|e| key_error(path, e.to_string()))?;
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

/// The keys loaded: the first seals, every one opens what names its id.
#[derive(Debug, Clone, Default)]
pub struct KeyRing {
    keys: Vec<Key>,
}

impl KeyRing {
    /// A ring of `keys`, the first sealing.
    pub fn new(keys: Vec<Key>) -> Self {
        Self { keys }
    }

    /// The key that seals new values.
    pub fn sealing(&self) -> Option<&Key> {
        self.keys.first()
    }

    /// The key of `id`.
    pub fn get(&self, id: &str) -> Option<&Key> {
        self.keys.iter().find(|k| k.id == id)
    }

    /// The ids loaded, for messages.
    pub fn ids(&self) -> String {
        if self.keys.is_empty() {
            return "none".to_owned();
        }
        self.keys
            .iter()
            .map(|k| k.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_key_reads_back_and_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        let key = Key::generate().unwrap();
        key.write_new(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(Key::load(&path).unwrap().id(), key.id());
        let other = Key::generate().unwrap();
        let err = other.write_new(&path).unwrap_err().to_string();
        assert!(err.contains("never overwritten"), "{err}");
        assert_eq!(Key::load(&path).unwrap().id(), key.id());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(
            Key::load(&path)
                .unwrap_err()
                .to_string()
                .contains("chmod 600")
        );
    }

    #[test]
    fn a_key_others_can_replace_or_that_is_no_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let open_dir = dir.path().join("open");
        std::fs::create_dir(&open_dir).unwrap();
        let path = open_dir.join("k");
        Key::generate().unwrap().write_new(&path).unwrap();
        std::fs::set_permissions(&open_dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        let err = Key::load(&path).unwrap_err().to_string();
        assert!(err.contains("lets others replace it"), "{err}");
        // a sticky shared directory (like /tmp) keeps others from replacing it
        std::fs::set_permissions(&open_dir, std::fs::Permissions::from_mode(0o1777)).unwrap();
        assert!(Key::load(&path).is_ok());
        let fifo = dir.path().join("fifo");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let err = Key::load(&fifo).unwrap_err().to_string();
        assert!(err.contains("not a regular file"), "{err}");
    }
}
