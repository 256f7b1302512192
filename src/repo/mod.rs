//! A backup repository: where backups and archived WAL live, on a local directory
//! (`file:///var/backups/wfctl`) or an S3-compatible bucket (`s3://bucket/prefix`).
//!
//! Every backend keeps one promise: an object is visible under its key only once it is
//! complete. A killed upload or write leaves nothing that a listing, `get` or retention takes
//! for a finished object. Keys are `/`-separated relative paths (`backups/NAME.sql.gz`,
//! `wal/000000010000000000000001.gz`); a backend maps them onto its own namespace and refuses
//! keys that could escape it (`..`, absolute, empty segments).

pub mod crypt;
pub mod file;
pub mod layout;
pub mod open;
pub mod pipe;
pub mod s3;
pub mod stream;

use std::io::Read;

/// What a killed writer left (a temporary file, an incomplete upload) is removed once it has
/// not been touched for this long: a live writer writes at least every few seconds.
pub const LEFTOVER_AGE: std::time::Duration = std::time::Duration::from_secs(3600);

/// What can go wrong reading or writing a repository.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A local file operation failed.
    #[error("{location}: {source}")]
    Io {
        /// The repository and key, never with credentials.
        location: String,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// The object does not exist.
    #[error("{location}: no such object")]
    NotFound {
        /// The repository and key.
        location: String,
    },
    /// The remote store refused or failed a request.
    #[error("{location}: {reason}")]
    Remote {
        /// The repository and key.
        location: String,
        /// What the server said (one line, no credentials).
        reason: String,
    },
    /// The repository URL or key is not acceptable.
    #[error("{0}")]
    Invalid(String),
    /// The repository was adopted read-only (the guide's own WAL archive directory, or
    /// `[repository] read_only = true`).
    #[error("{location}: the repository is read-only ([repository] read_only = true)")]
    ReadOnly {
        /// The repository.
        location: String,
    },
    /// A write that must not replace found the key taken (checked atomically where the
    /// backend can: a hard link, or S3's `If-None-Match: *`).
    #[error("{location}: already exists; it was not replaced")]
    Exists {
        /// The repository and key.
        location: String,
    },
    /// Something other than a regular file is where an object should be (a symbolic link, a
    /// directory): refused, never followed.
    #[error("{location}: is {what}, not an object; refused")]
    NotAnObject {
        /// The repository and key.
        location: String,
        /// What is there.
        what: &'static str,
    },
    /// Encrypting or decrypting an object failed (no identity, the wrong one, a bad key).
    #[error(transparent)]
    Crypt(#[from] crypt::Error),
    /// The repository's server could not be reached (connection refused, DNS, timeout).
    #[error("{location}: unreachable: {reason}")]
    Unreachable {
        /// The repository.
        location: String,
        /// What the connection said.
        reason: String,
    },
}

/// One stored object as a listing or `head` sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectInfo {
    /// Its key, relative to the repository.
    pub key: String,
    /// Its size in bytes.
    pub size: u64,
    /// When it was last written, as the backend knows it.
    pub modified: Option<chrono::DateTime<chrono::Utc>>,
}

/// What `put` stored, measured on the bytes as they went in (verify against the manifest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// Bytes stored.
    pub size: u64,
    /// Lower-case hex SHA-256 of the bytes stored.
    pub sha256: String,
}

/// A place that stores objects by key, all-or-nothing.
pub trait Repository: Send + Sync {
    /// Where it is, for messages and manifests (never with credentials).
    fn describe(&self) -> String;
    /// Streams `body` into `key` without holding it in memory; the object appears only when
    /// complete and checked. Replaces an existing object only when `replace` is true.
    fn put(&self, key: &str, body: &mut dyn Read, replace: bool) -> Result<Stored, Error>;
    /// Streams an object back.
    fn get(&self, key: &str) -> Result<Box<dyn Read + Send>, Error>;
    /// The object's size and time, or `None` when absent.
    fn head(&self, key: &str) -> Result<Option<ObjectInfo>, Error>;
    /// Every complete object whose key starts with `prefix`, sorted by key.
    fn list(&self, prefix: &str) -> Result<Vec<ObjectInfo>, Error>;
    /// Removes an object; removing an absent one is not an error.
    fn delete(&self, key: &str) -> Result<(), Error>;
    /// Whether writes are refused (an adopted archive directory).
    fn read_only(&self) -> bool {
        false
    }
    /// Checks that the repository itself is there and answers (a bucket that exists, a
    /// directory that exists): "no such object" means something only after this passed.
    fn check(&self) -> Result<(), Error> {
        Ok(())
    }
    /// Removes what killed writers of wfctl left behind (hidden temporary files, incomplete
    /// uploads) once older than `stale`; returns how many. Never touches anything else.
    fn clean_leftovers(&self, _stale: std::time::Duration) -> Result<usize, Error> {
        Ok(0)
    }
    /// How its objects are encrypted ([`stream::put_object`] and [`stream::get_object`]
    /// apply it); `None`: stored as given.
    fn sealing(&self) -> Option<&stream::Sealing> {
        None
    }
}

/// A repository whose writes are refused: the one place `read_only` is enforced, whatever the
/// backend (see [`open::open`]).
pub struct ReadOnly(pub Box<dyn Repository>);

impl ReadOnly {
    fn refuse(&self) -> Error {
        Error::ReadOnly {
            location: self.0.describe(),
        }
    }
}

impl Repository for ReadOnly {
    fn describe(&self) -> String {
        self.0.describe()
    }
    fn put(&self, key: &str, _body: &mut dyn Read, _replace: bool) -> Result<Stored, Error> {
        check_key(key)?;
        Err(self.refuse())
    }
    fn get(&self, key: &str) -> Result<Box<dyn Read + Send>, Error> {
        self.0.get(key)
    }
    fn head(&self, key: &str) -> Result<Option<ObjectInfo>, Error> {
        self.0.head(key)
    }
    fn list(&self, prefix: &str) -> Result<Vec<ObjectInfo>, Error> {
        self.0.list(prefix)
    }
    fn delete(&self, key: &str) -> Result<(), Error> {
        check_key(key)?;
        Err(self.refuse())
    }
    fn read_only(&self) -> bool {
        true
    }
    fn check(&self) -> Result<(), Error> {
        self.0.check()
    }
    fn clean_leftovers(&self, _stale: std::time::Duration) -> Result<usize, Error> {
        Ok(0)
    }
    fn sealing(&self) -> Option<&stream::Sealing> {
        self.0.sealing()
    }
}

/// The longest key: what S3 takes (1024 bytes).
pub(crate) const MAX_KEY: usize = 1024;

/// The longest segment of a key: what a file system takes as one name (255 bytes).
pub(crate) const MAX_KEY_SEGMENT: usize = 255;

/// The characters of a key besides `/`: ASCII letters and digits and `. _ - + = , @ : ~`,
/// which mean the same as a file name, in an S3 URL and in a shell.
fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._-+=,@:~".contains(c)
}

/// The one rule for keys, whatever the backend (so a key one repository takes, every other
/// takes too): at most [`MAX_KEY`] bytes of `/`-separated segments, each non-empty, at most
/// [`MAX_KEY_SEGMENT`] bytes, of [`is_key_char`] characters, and none hidden (starting with
/// `.`: that covers `.`, `..` and wfctl's own temporaries); so no leading `/` either.
pub(crate) fn check_key(key: &str) -> Result<(), Error> {
    let why = if key.is_empty() {
        Some("it is empty".to_owned())
    } else if key.len() > MAX_KEY {
        Some(format!("it is longer than {MAX_KEY} bytes"))
    } else if key.starts_with('/') {
        Some("it starts with '/'".to_owned())
    } else if let Some(c) = key.chars().find(|&c| c != '/' && !is_key_char(c)) {
        Some(format!(
            "{c:?} is not one of the letters, digits and . _ - + = , @ : ~ that keys are made of"
        ))
    } else if key.split('/').any(str::is_empty) {
        Some("it has an empty segment".to_owned())
    } else if key.split('/').any(|segment| segment.starts_with('.')) {
        Some("a segment starts with '.' (hidden, or . and ..)".to_owned())
    } else if key
        .split('/')
        .any(|segment| segment.len() > MAX_KEY_SEGMENT)
    {
        Some(format!("a segment is longer than {MAX_KEY_SEGMENT} bytes"))
    } else {
        None
    };
    match why {
        None => Ok(()),
        Some(why) => Err(Error::Invalid(format!(
            "invalid repository key {}: {why}",
            crate::conventions::quoted_for_message(key)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::{MAX_KEY, MAX_KEY_SEGMENT, check_key};

    #[test]
    fn keys_cannot_escape_the_repository() {
        for bad in [
            "",
            "/etc/passwd",
            "a/../b",
            "..",
            "a//b",
            "a/./b",
            "a/",
            "a\0b",
            ".hidden",
            "wal/.wfctl-tmp.x",
            "a/.b/c",
            "...",
            "a\\..\\b",
            "a b",
            "a\nb",
            "a?b",
            "a#b",
            "a%2e",
            "caf\u{e9}",
            "a*",
        ] {
            assert!(check_key(bad).is_err(), "{bad:?}");
        }
        assert!(check_key(&"a".repeat(MAX_KEY_SEGMENT + 1)).is_err());
        assert!(check_key("a/".repeat(MAX_KEY / 2 + 1).trim_end_matches('/')).is_err());
        for good in [
            "backups/x.sql.gz",
            "wal/000000010000000000000001.gz",
            "a",
            "backups/wfctl-2026-01-01T00:00:00Z_x+y=z,w@h~1",
        ] {
            assert!(check_key(good).is_ok(), "{good:?}");
        }
        assert!(check_key(&"a".repeat(MAX_KEY_SEGMENT)).is_ok());
    }
}
