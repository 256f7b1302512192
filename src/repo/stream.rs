//! The one way bytes go into a repository and the one way they come back: whatever wraps a
//! stored object (compression is the caller's; encryption belongs here) wraps it in these
//! two functions only.
//!
//! Encryption follows the repository's [`Sealing`] (set by [`super::open::open_sealed`] from
//! `[repository] encrypt`): [`put_object`] encrypts to its recipients; [`get_object`] decrypts
//! whatever is stored as an age file, whether or not the repository encrypts today, so that
//! objects written under an earlier setting stay readable.

use std::io::{Cursor, Read};
use std::path::PathBuf;

use super::crypt::{self, Identities, Recipients};
use super::{Error, ObjectInfo, Repository, Stored};

/// How a repository's objects are encrypted and decrypted.
#[derive(Debug, Clone, Default)]
pub struct Sealing {
    /// Encrypt every object written to these (`None`: store as given).
    pub recipients: Option<Recipients>,
    /// The identity file from config; `WFCTL_AGE_IDENTITY` comes first. Read only when an
    /// encrypted object is read.
    pub identity_file: Option<PathBuf>,
}

/// Stores `body` under `key` (see [`Repository::put`]), encrypted when the repository's
/// [`Sealing`] has recipients. What is returned measures the bytes as stored.
pub fn put_object(
    repo: &dyn Repository,
    key: &str,
    body: &mut dyn Read,
    replace: bool,
) -> Result<Stored, Error> {
    match repo.sealing().and_then(|s| s.recipients.as_ref()) {
        Some(recipients) => {
            let mut encrypted = recipients.encrypt(body)?;
            repo.put(key, &mut encrypted, replace)
        }
        None => repo.put(key, body, replace),
    }
}

/// Reads the object under `key` back as it was given to [`put_object`]: an age file is
/// decrypted with the identity (exit-78 kind of error, naming the object, when there is none).
pub fn get_object(repo: &dyn Repository, key: &str) -> Result<Box<dyn Read + Send>, Error> {
    Ok(read_object(repo, key)?.body)
}

/// An object as [`get_object`] reads it, and whether it was stored encrypted.
pub struct Object {
    /// The plaintext.
    pub body: Box<dyn Read + Send>,
    /// Whether the stored bytes are an age file (then `body` is their decryption).
    pub encrypted: bool,
}

/// [`get_object`], saying whether the object was encrypted.
pub fn read_object(repo: &dyn Repository, key: &str) -> Result<Object, Error> {
    let mut body = repo.get(key)?;
    let what = format!("{}/{key}", repo.describe());
    // an age file says so in its first line; only then is the identity needed
    let mut head = Vec::with_capacity(crypt::MAGIC_LEN);
    (&mut body)
        .take(crypt::MAGIC_LEN as u64)
        .read_to_end(&mut head)
        .map_err(|source| Error::Io {
            location: what.clone(),
            source,
        })?;
    let encrypted = crypt::is_encrypted(&head);
    let whole: Box<dyn Read + Send> = Box::new(Cursor::new(head).chain(body));
    if !encrypted {
        return Ok(Object {
            body: whole,
            encrypted,
        });
    }
    let configured = repo.sealing().and_then(|s| s.identity_file.as_deref());
    let identities = Identities::from_env_or(configured)?
        .ok_or_else(|| crypt::Error::NoIdentity { what: what.clone() })?;
    Ok(Object {
        body: Box::new(identities.decrypt(&what, whole)?),
        encrypted,
    })
}

/// `inner` with `sealing`: every other call passes through (see [`put_object`]).
pub fn sealed(inner: Box<dyn Repository>, sealing: Sealing) -> Box<dyn Repository> {
    Box::new(Sealed { inner, sealing })
}

struct Sealed {
    inner: Box<dyn Repository>,
    sealing: Sealing,
}

impl Repository for Sealed {
    fn describe(&self) -> String {
        self.inner.describe()
    }
    fn put(&self, key: &str, body: &mut dyn Read, replace: bool) -> Result<Stored, Error> {
        self.inner.put(key, body, replace)
    }
    fn get(&self, key: &str) -> Result<Box<dyn Read + Send>, Error> {
        self.inner.get(key)
    }
    fn head(&self, key: &str) -> Result<Option<ObjectInfo>, Error> {
        self.inner.head(key)
    }
    fn list(&self, prefix: &str) -> Result<Vec<ObjectInfo>, Error> {
        self.inner.list(prefix)
    }
    fn delete(&self, key: &str) -> Result<(), Error> {
        self.inner.delete(key)
    }
    fn read_only(&self) -> bool {
        self.inner.read_only()
    }
    fn check(&self) -> Result<(), Error> {
        self.inner.check()
    }
    fn clean_leftovers(&self, stale: std::time::Duration) -> Result<usize, Error> {
        self.inner.clean_leftovers(stale)
    }
    fn sealing(&self) -> Option<&Sealing> {
        Some(&self.sealing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo::file::FileRepository;
    use age::secrecy::ExposeSecret;

    #[test]
    fn a_sealed_repository_stores_ciphertext_and_reads_back_plaintext() {
        let identity = age::x25519::Identity::generate();
        let dir = tempfile::tempdir().unwrap();
        let id_file = dir.path().join("id.txt");
        std::fs::write(&id_file, identity.to_string().expose_secret()).unwrap();
        let root = dir.path().join("repo");
        let sealing = Sealing {
            recipients: Some(Recipients::parse(&[identity.to_public().to_string()]).unwrap()),
            identity_file: Some(id_file),
        };
        let repo = sealed(
            Box::new(FileRepository::open(&root, false).unwrap()),
            sealing,
        );
        let plain = b"secret customer row\n".repeat(10_000);
        put_object(repo.as_ref(), "backups/x", &mut &plain[..], false).unwrap();
        let stored = std::fs::read(root.join("backups/x")).unwrap();
        assert!(crypt::is_encrypted(&stored));
        assert!(!stored.windows(19).any(|w| w == b"secret customer row"));
        let mut back = Vec::new();
        get_object(repo.as_ref(), "backups/x")
            .unwrap()
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, plain);
        // a plain object (short, even empty) reads back as it is
        let unsealed = FileRepository::open(&root, false).unwrap();
        put_object(&unsealed, "plain", &mut &b"ab"[..], false).unwrap();
        let mut back = Vec::new();
        get_object(repo.as_ref(), "plain")
            .unwrap()
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, b"ab");
    }
}
