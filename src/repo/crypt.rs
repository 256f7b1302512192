//! Repository encryption with age: objects are encrypted to x25519 recipients (`age1...`
//! public keys in config) as they stream out, and decrypted as they stream back with the
//! identity (`AGE-SECRET-KEY-1...`) from a file that only restore and verify need. A stolen
//! repository holds ciphertext and public keys only.
//!
//! Messages name files and recipients, never key material.

use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex};

/// The environment variable naming the identity file (before the config's `identity_file`).
pub(crate) const IDENTITY_ENV: &str = "WFCTL_AGE_IDENTITY";

/// What starts every age file, so an encrypted object is known without its identity.
const AGE_MAGIC: &[u8] = b"age-encryption.org/v1\n";

/// How many first bytes of an object [`is_encrypted`] needs.
pub(crate) const MAGIC_LEN: usize = AGE_MAGIC.len();

/// What can go wrong encrypting or decrypting.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A configured recipient is not an age x25519 public key.
    #[error("recipient {recipient:?} is not an age public key (age1...)")]
    Recipient {
        /// The value as configured (a public key, or a typo of one).
        recipient: String,
    },
    /// Encryption was asked for with no recipient.
    #[error("encryption needs at least one recipient: set [repository] recipients = [\"age1...\"]")]
    NoRecipients,
    /// The identity file cannot be read or holds no usable identity.
    #[error("age identity file {}: {reason}", path.display())]
    Identity {
        /// The file.
        path: PathBuf,
        /// Why (never its content).
        reason: String,
    },
    /// Decryption needs an identity and none was configured.
    #[error(
        "{what} is encrypted; give the age identity file in {IDENTITY_ENV} or [repository] identity_file"
    )]
    NoIdentity {
        /// The object.
        what: String,
    },
    /// The object could not be decrypted.
    #[error("{what}: {reason}")]
    Decrypt {
        /// The object.
        what: String,
        /// Why.
        reason: String,
    },
    /// Writing or reading the stream failed.
    #[error("{what}: {source}")]
    Io {
        /// The object.
        what: String,
        /// What the OS or the stream said.
        #[source]
        source: io::Error,
    },
}

/// The public keys objects are encrypted to.
#[derive(Clone)]
pub struct Recipients {
    keys: Vec<age::x25519::Recipient>,
    texts: Vec<String>,
}

impl std::fmt::Debug for Recipients {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(&self.texts).finish()
    }
}

impl Recipients {
    /// Parses `age1...` public keys; refuses an empty list and names a bad entry.
    pub fn parse(recipients: &[String]) -> Result<Recipients, Error> {
        if recipients.is_empty() {
            return Err(Error::NoRecipients);
        }
        let keys = recipients
            .iter()
            .map(|text| {
                age::x25519::Recipient::from_str(text.trim()).map_err(|_| Error::Recipient {
                    recipient: shorten(text),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Recipients {
            keys,
            texts: recipients.iter().map(|t| t.trim().to_string()).collect(),
        })
    }

    /// The public keys as configured, for manifests ("encrypted to").
    pub fn public_keys(&self) -> &[String] {
        &self.texts
    }

    /// A reader of the age encryption of `plain`, produced as `plain` is read.
    pub fn encrypt<R: Read>(&self, plain: R) -> Result<EncryptingReader<R>, Error> {
        let out = SharedBuffer::default();
        let encryptor =
            age::Encryptor::with_recipients(self.keys.iter().map(|key| key as &dyn age::Recipient))
                .map_err(|e| Error::Decrypt {
                    what: "encryption".into(),
                    reason: e.to_string(),
                })?;
        let writer = encryptor
            .wrap_output(out.clone())
            .map_err(|source| Error::Io {
                what: "encryption".into(),
                source,
            })?;
        Ok(EncryptingReader {
            plain,
            writer: Some(writer),
            out,
            at: 0,
        })
    }
}

/// The identities that decrypt, read from a file.
pub struct Identities {
    keys: Vec<Box<dyn age::Identity>>,
    path: PathBuf,
}

impl Identities {
    /// Reads an identity file (`AGE-SECRET-KEY-1...` lines, `#` comments).
    pub fn load(path: &Path) -> Result<Identities, Error> {
        let fail = |reason: String| Error::Identity {
            path: path.to_path_buf(),
            reason,
        };
        let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
        let not_identities =
            || fail("holds no age identity (expected AGE-SECRET-KEY-1... lines)".into());
        let keys = age::IdentityFile::from_buffer(BufReader::new(file))
            .map_err(|_| not_identities())?
            .into_identities()
            .map_err(|_| not_identities())?;
        if keys.is_empty() {
            return Err(not_identities());
        }
        Ok(Identities {
            keys,
            path: path.to_path_buf(),
        })
    }

    /// The file named by `WFCTL_AGE_IDENTITY`, else `configured`, else `None`.
    pub fn from_env_or(configured: Option<&Path>) -> Result<Option<Identities>, Error> {
        let from_env = std::env::var_os(IDENTITY_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        match from_env.as_deref().or(configured) {
            Some(path) => Identities::load(path).map(Some),
            None => Ok(None),
        }
    }

    /// A reader of the plaintext of the age file `encrypted` (`what` names it in errors).
    pub fn decrypt<R: Read>(&self, what: &str, encrypted: R) -> Result<impl Read + use<R>, Error> {
        let failed = |reason: &str| Error::Decrypt {
            what: what.to_string(),
            reason: reason.to_string(),
        };
        let decryptor = age::Decryptor::new(encrypted).map_err(|e| match e {
            age::DecryptError::Io(source) => Error::Io {
                what: what.to_string(),
                source,
            },
            _ => failed("is not an age-encrypted object"),
        })?;
        decryptor
            .decrypt(self.keys.iter().map(|key| key.as_ref()))
            .map_err(|e| match e {
                age::DecryptError::NoMatchingKeys => failed(&format!(
                    "none of the identities in {} can decrypt it (encrypted to other recipients)",
                    self.path.display()
                )),
                age::DecryptError::Io(source) => Error::Io {
                    what: what.to_string(),
                    source,
                },
                _ => failed("the age header is damaged"),
            })
    }
}

/// A new key pair: the public key (`age1...`) and the identity (`AGE-SECRET-KEY-1...`),
/// the latter wiped from memory when dropped.
pub fn generate() -> (String, age::secrecy::SecretString) {
    let identity = age::x25519::Identity::generate();
    (identity.to_public().to_string(), identity.to_string())
}

/// Whether `head` (the first bytes of an object) starts an age file.
pub(crate) fn is_encrypted(head: &[u8]) -> bool {
    head.starts_with(AGE_MAGIC)
}

/// A recipient list is public, but a pasted secret key must not be echoed back whole.
fn shorten(text: &str) -> String {
    let text = text.trim();
    if text.to_ascii_uppercase().starts_with("AGE-SECRET-KEY-") {
        return "AGE-SECRET-KEY-... (a secret key; recipients are public age1... keys)".into();
    }
    if text.chars().count() > 20 {
        text.chars().take(12).collect::<String>() + "..."
    } else {
        text.to_string()
    }
}

/// The encrypted bytes written so far and not yet read.
#[derive(Clone, Default)]
struct SharedBuffer(Arc<Mutex<Vec<u8>>>);

impl Write for SharedBuffer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.lock().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl SharedBuffer {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<u8>> {
        // a panic while holding it leaves bytes, never a broken invariant
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Encrypts while read: pulls plaintext, pushes it through age's stream writer, hands out
/// the ciphertext. Holds at most one age chunk (64 KiB) and one read of plaintext.
pub struct EncryptingReader<R> {
    plain: R,
    writer: Option<age::stream::StreamWriter<SharedBuffer>>,
    out: SharedBuffer,
    at: usize,
}

impl<R: Read> Read for EncryptingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            {
                let mut out = self.out.lock();
                if self.at < out.len() {
                    let n = buf.len().min(out.len() - self.at);
                    buf[..n].copy_from_slice(&out[self.at..self.at + n]);
                    self.at += n;
                    if self.at == out.len() {
                        out.clear();
                        self.at = 0;
                    }
                    return Ok(n);
                }
            }
            let Some(writer) = self.writer.as_mut() else {
                return Ok(0);
            };
            let mut chunk = [0u8; 64 * 1024];
            let n = match self.plain.read(&mut chunk) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if n == 0 {
                // the last chunk is written, tagged as last, only by finish
                if let Some(writer) = self.writer.take() {
                    writer.finish()?;
                }
            } else {
                writer.write_all(&chunk[..n])?;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use age::secrecy::ExposeSecret;

    fn key_pair() -> (String, String) {
        let identity = age::x25519::Identity::generate();
        (
            identity.to_public().to_string(),
            identity.to_string().expose_secret().to_string(),
        )
    }

    #[test]
    fn round_trip_through_the_identity_file() {
        let (public, secret) = key_pair();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("id.txt");
        std::fs::write(&file, format!("# created: test\n{secret}\n")).unwrap();
        // several age chunks and a partial last one
        let plain: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let recipients = Recipients::parse(std::slice::from_ref(&public)).unwrap();
        let mut encrypted = Vec::new();
        recipients
            .encrypt(&plain[..])
            .unwrap()
            .read_to_end(&mut encrypted)
            .unwrap();
        assert!(is_encrypted(&encrypted));
        assert!(!encrypted.windows(64).any(|w| w == &plain[..64]));
        let identities = Identities::load(&file).unwrap();
        let mut back = Vec::new();
        identities
            .decrypt("x", &encrypted[..])
            .unwrap()
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, plain);
    }

    #[test]
    fn the_wrong_identity_is_named_and_no_key_is_printed() {
        let (public, _) = key_pair();
        let (_, other_secret) = key_pair();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("other.txt");
        std::fs::write(&file, &other_secret).unwrap();
        let mut encrypted = Vec::new();
        Recipients::parse(&[public])
            .unwrap()
            .encrypt(&b"secret rows"[..])
            .unwrap()
            .read_to_end(&mut encrypted)
            .unwrap();
        let err = Identities::load(&file)
            .unwrap()
            .decrypt("backups/x", &encrypted[..])
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains("backups/x") && err.contains("other.txt"),
            "{err}"
        );
        assert!(!err.contains(&other_secret[15..40]), "{err}");
    }

    #[test]
    fn bad_recipients_and_identity_files_are_refused_by_name() {
        let (_, secret) = key_pair();
        let err = Recipients::parse(std::slice::from_ref(&secret))
            .unwrap_err()
            .to_string();
        assert!(!err.contains(&secret[15..]), "{err}");
        assert!(Recipients::parse(&[]).is_err());
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("empty.txt");
        std::fs::write(&file, "# nothing\n").unwrap();
        let err = Identities::load(&file).err().unwrap().to_string();
        assert!(err.contains("empty.txt"), "{err}");
        let err = Identities::load(&dir.path().join("absent"))
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("absent"), "{err}");
    }
}
