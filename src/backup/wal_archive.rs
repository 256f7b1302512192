//! Archived WAL in a repository: `wal push` (PostgreSQL's `archive_command`), `wal fetch`
//! (`restore_command`), the list of what is archived, and pruning what no kept base backup
//! needs.
//!
//! A pushed file is stored gzip-compressed under `wal/NAME.gz`; the gzip header's comment
//! carries the sha256 of the uncompressed file (`sha256:HEX`), checked on every read along
//! with gzip's own CRC. A file already archived is never replaced: the same content again is
//! a success (PostgreSQL retries an archive_command whose answer it did not see), different
//! content is an error that leaves the stored file as it is.
//!
//! In an encrypting repository the gzip comment is inside the ciphertext, so the push also
//! stores, after the segment, a small plain record of the uncompressed file's sha256
//! (`wal/NAME.gz.sha256`, holding `sha256:HEX`): a re-push compares against it without the
//! identity, which the archiving host does not have. A plain (unkeyed) SHA-256 is enough: the
//! host holds no secret to key it with, and the digest of a 16 MiB segment tells nothing
//! about its rows unless the whole segment (page LSNs, transaction ids, timestamps,
//! checksums) is already known byte for byte. The record is written only by the push that
//! stored the segment and never replaced, so a racing push of other content meets the
//! winner's digest and fails as a conflict. A segment without its record (a push killed in
//! between) is compared by decrypting it, which needs the identity; without one the push
//! fails, so PostgreSQL keeps the segment.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use flate2::Compression;
use sha2::{Digest, Sha256};

use super::catalog::BackupEntry;
use crate::repo::file::already_exists;
use crate::repo::layout::{self, wal_candidates, wal_key};
use crate::repo::stream::{get_object, put_object};
use crate::repo::{self, Repository};

/// gzip level of archived WAL: a segment is mostly repeated page headers and zeros, so the
/// fastest level compresses it nearly as well as level 6 in a fraction of the time.
const LEVEL: u32 = 1;

/// What went wrong archiving or fetching WAL.
#[derive(Debug, thiserror::Error)]
pub enum WalError {
    /// The repository failed.
    #[error(transparent)]
    Repo(#[from] repo::Error),
    /// A local file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: io::Error,
    },
    /// Not a WAL file name.
    #[error("{name:?} is not a WAL file name (a segment, .partial, .backup or .history file)")]
    BadName {
        /// The name given.
        name: String,
    },
    /// The repository holds other content under this name.
    #[error(
        "conflict: {location} already holds {name} with different content (sha256 {stored}, this file {local}); it was not overwritten: find out which is right before archiving continues"
    )]
    Conflict {
        /// The WAL file.
        name: String,
        /// Where it is stored.
        location: String,
        /// sha256 of what is stored.
        stored: String,
        /// sha256 of the local file.
        local: String,
    },
    /// A stored object failed its check.
    #[error("{location}: {reason}")]
    Corrupt {
        /// Where it is stored.
        location: String,
        /// What did not match.
        reason: String,
    },
    /// The file changed while it was being archived.
    #[error("{}: changed while it was being archived; nothing was stored", path.display())]
    Changed {
        /// The file.
        path: PathBuf,
    },
}

impl WalError {
    fn io(path: &Path) -> impl FnOnce(io::Error) -> Self + '_ {
        move |source| Self::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// What `push` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pushed {
    /// Stored now.
    Stored {
        /// Its key.
        key: String,
        /// Bytes of the file.
        size: u64,
        /// Bytes stored (compressed).
        stored_size: u64,
    },
    /// The same content was already stored under this key.
    AlreadyThere {
        /// Its key.
        key: String,
    },
}

/// The key of the plain record of a pushed segment's sha256 (see the module comment).
pub fn digest_key(name: &str) -> String {
    format!("{}.sha256", wal_key(name))
}

/// The WAL file name of a path, checked.
pub fn wal_name(path: &Path) -> Result<&str, WalError> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if !layout::is_wal_name(name) {
        return Err(WalError::BadName {
            name: path.display().to_string(),
        });
    }
    Ok(name)
}

/// Archives the WAL file at `path` (its name is the WAL file's name, as `%p` gives it).
pub fn push(repo: &dyn Repository, path: &Path) -> Result<Pushed, WalError> {
    let name = wal_name(path)?;
    if repo.read_only() {
        return Err(repo::Error::ReadOnly {
            location: repo.describe(),
        }
        .into());
    }
    let (size, sha256) = sha256_of(&mut open_regular(path)?).map_err(WalError::io(path))?;
    for key in wal_candidates(name) {
        if repo.head(&key)?.is_some() {
            return same_or_conflict(repo, name, &key, &sha256);
        }
    }
    let key = wal_key(name);
    let mut source = Hashing::new(open_regular(path)?);
    let stored = {
        let mut gz = flate2::GzBuilder::new()
            .comment(format!("sha256:{sha256}"))
            .read(&mut source, Compression::new(LEVEL));
        put_object(repo, &key, &mut gz, false)
    };
    match stored {
        Ok(stored) => {
            // what was compressed must be what was hashed: a file that changed in between
            // is not archived under a checksum it does not have
            if source.finish() != (size, sha256.clone()) {
                repo.delete(&key)?;
                return Err(WalError::Changed {
                    path: path.to_path_buf(),
                });
            }
            if encrypts(repo) {
                let record = format!("sha256:{sha256}\n");
                match repo.put(&digest_key(name), &mut record.as_bytes(), false) {
                    Ok(_) => {}
                    // left by an earlier segment of this name that retention deleted
                    // without it: the segment just stored decides
                    Err(e) if already_exists(&e) => {
                        repo.delete(&digest_key(name))?;
                        repo.put(&digest_key(name), &mut record.as_bytes(), false)?;
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            Ok(Pushed::Stored {
                key,
                size,
                stored_size: stored.size,
            })
        }
        // another push of the same file got there first
        Err(e) if already_exists(&e) => same_or_conflict(repo, name, &key, &sha256),
        Err(e) => Err(e.into()),
    }
}

fn encrypts(repo: &dyn Repository) -> bool {
    repo.sealing().is_some_and(|s| s.recipients.is_some())
}

/// The sha256 a segment's plain record holds, if it has one.
fn recorded_digest(repo: &dyn Repository, name: &str) -> Result<Option<String>, WalError> {
    let key = digest_key(name);
    let mut text = String::new();
    match repo.get(&key) {
        Ok(body) => {
            body.take(256)
                .read_to_string(&mut text)
                .map_err(|e| corrupt(&key, &e))?;
        }
        Err(repo::Error::NotFound { .. }) => return Ok(None),
        Err(e) => return Err(e.into()),
    }
    match text.trim().strip_prefix("sha256:") {
        Some(hex) if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
            Ok(Some(hex.to_ascii_lowercase()))
        }
        _ => Err(WalError::Corrupt {
            location: format!("{}/{key}", repo.describe()),
            reason: "not a sha256 record (sha256:HEX)".into(),
        }),
    }
}

fn same_or_conflict(
    repo: &dyn Repository,
    name: &str,
    key: &str,
    local: &str,
) -> Result<Pushed, WalError> {
    let location = format!("{}/{key}", repo.describe());
    let recorded = if key == wal_key(name) {
        recorded_digest(repo, name)?
    } else {
        None
    };
    let stored = match recorded {
        Some(digest) => digest,
        None => {
            sha256_of(&mut read(repo, key)?)
                .map_err(|e| corrupt(&location, &e))?
                .1
        }
    };
    if stored == local {
        Ok(Pushed::AlreadyThere {
            key: key.to_owned(),
        })
    } else {
        Err(WalError::Conflict {
            name: name.to_owned(),
            location,
            stored,
            local: local.to_owned(),
        })
    }
}

fn corrupt(location: &str, e: &io::Error) -> WalError {
    WalError::Corrupt {
        location: location.to_owned(),
        reason: e.to_string(),
    }
}

/// The uncompressed content of a stored WAL file, checked as it is read: a read error at the
/// end means the object is damaged.
pub fn read(repo: &dyn Repository, key: &str) -> Result<Box<dyn Read + Send>, WalError> {
    let body = get_object(repo, key)?;
    if key.ends_with(".gz") {
        Ok(Box::new(Checked::new(flate2::read::GzDecoder::new(body))))
    } else {
        // the guide's `cp %p` archive: plain files, nothing to check them against
        Ok(body)
    }
}

/// Fetches the WAL file `name` into `dest` (`%p`), written atomically; looks in each
/// repository in turn. `Ok(false)`: no repository has it (the end of the archive).
pub fn fetch(sources: &[&dyn Repository], name: &str, dest: &Path) -> Result<bool, WalError> {
    if !layout::is_wal_name(name) {
        return Err(WalError::BadName {
            name: name.to_owned(),
        });
    }
    for repo in sources {
        for key in wal_candidates(name) {
            if repo.head(&key)?.is_none() {
                continue;
            }
            let location = format!("{}/{key}", repo.describe());
            let mut body = read(*repo, &key)?;
            let dir = dest
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            // what a killed fetch left here is removed now (its PID is dead); ours is named so
            crate::temp_files::remove_stale_temps(dir);
            let mut temp = crate::temp_files::TempFile::new_in(dir).map_err(WalError::io(dest))?;
            copy(&mut body, temp.as_file_mut()).map_err(|e| match e {
                Copy::Read(e) => corrupt(&location, &e),
                Copy::Write(e) => WalError::Io {
                    path: dest.to_path_buf(),
                    source: e,
                },
            })?;
            temp.persist(dest).map_err(WalError::io(dest))?;
            File::open(dir)
                .and_then(|d| d.sync_all())
                .map_err(WalError::io(dir))?;
            return Ok(true);
        }
    }
    // "not there" is an answer only from a repository that is there: a missing bucket or
    // directory, or a server that does not answer, is an error, never the end of the archive
    for repo in sources {
        repo.check()?;
    }
    Ok(false)
}

/// One archived WAL file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Archived {
    /// The WAL file's name.
    pub name: String,
    /// Its key.
    pub key: String,
    /// Bytes stored.
    pub size: u64,
}

/// Every WAL file in a repository (pushed or plain), sorted by name.
pub fn list(repo: &dyn Repository) -> Result<Vec<Archived>, WalError> {
    let mut all: Vec<Archived> = repo
        .list("")?
        .into_iter()
        .filter_map(|o| {
            let name = layout::wal_name_of(&o.key)?.to_owned();
            // only `wal/...` keys and the top level: nothing else is WAL
            let placed = o.key.starts_with(layout::WAL_PREFIX) || !o.key.contains('/');
            placed.then_some(Archived {
                name,
                key: o.key,
                size: o.size,
            })
        })
        .collect();
    all.sort_by(|a, b| a.name.cmp(&b.name).then(a.key.cmp(&b.key)));
    Ok(all)
}

/// The archived files older than `oldest_needed` (a segment name), which no kept base backup
/// needs: segments, partial segments and backup labels whose position comes before it, on any
/// timeline (as `pg_archivecleanup` decides). History files are always kept.
pub(crate) fn unneeded(all: &[Archived], oldest_needed: &str) -> Vec<Archived> {
    let Some(keep_from) = layout::wal_position(oldest_needed) else {
        return Vec::new();
    };
    all.iter()
        .filter(|a| layout::wal_position(&a.name).is_some_and(|p| p < keep_from))
        .cloned()
        .collect()
}

/// One archived WAL file retention deleted (or, dry run, would delete).
#[derive(Debug, Clone, serde::Serialize)]
pub struct WalDeletion {
    /// Always `wal_deleted`, so log readers can filter on it.
    pub event: &'static str,
    /// The repository.
    pub repository: String,
    /// The key deleted.
    pub key: String,
    /// Bytes freed.
    #[serde(rename = "size_bytes")]
    pub size: u64,
    /// Why.
    pub reason: String,
    /// True when nothing was deleted.
    pub dry_run: bool,
}

/// The first WAL segment that a kept base backup of the cluster `system_identifier` needs: the
/// earliest start of the good base backups in `entries`. `None` when no good base backup says
/// where it starts (then no WAL may be deleted).
pub fn oldest_needed(entries: &[BackupEntry], system_identifier: Option<&str>) -> Option<String> {
    entries
        .iter()
        .filter(|e| e.is_good() && e.format.is_some_and(super::files::Format::is_base))
        .filter_map(|e| e.manifest.as_ref())
        .filter(|m| {
            system_identifier.is_none() || m.system_identifier.as_deref() == system_identifier
        })
        .filter_map(|m| m.wal.as_ref()?.start_segment.clone())
        .min_by(|a, b| layout::wal_position(a).cmp(&layout::wal_position(b)))
}

/// The record of one base backup in the repository: its system and a digest of its path, so
/// backups in different directories never share one.
fn base_record_key(system_identifier: Option<&str>, backup: &Path) -> String {
    // one backup, one record, whatever the working directory it was named from
    let backup = std::path::absolute(backup).unwrap_or_else(|_| backup.to_path_buf());
    let digest = Sha256::digest(backup.as_os_str().as_encoded_bytes());
    format!(
        "{}{}/{}",
        layout::BASES_PREFIX,
        system_identifier.unwrap_or("unknown"),
        &hex(&digest)[..24]
    )
}

/// Records in the repository that the base backup at `backup` needs WAL from `start_segment`
/// on, so that WAL retention run from any backup directory keeps it.
pub fn record_base(
    repo: &dyn Repository,
    system_identifier: Option<&str>,
    backup: &Path,
    start_segment: &str,
) -> Result<(), WalError> {
    let key = base_record_key(system_identifier, backup);
    let text = format!("{start_segment}\n{}\n", backup.display());
    put_object(repo, &key, &mut text.as_bytes(), true)?;
    Ok(())
}

/// Removes the record of a base backup that retention deleted.
pub fn forget_base(
    repo: &dyn Repository,
    system_identifier: Option<&str>,
    backup: &Path,
) -> Result<(), WalError> {
    Ok(repo.delete(&base_record_key(system_identifier, backup))?)
}

/// The earliest WAL segment any recorded base backup of the system needs.
pub fn oldest_needed_recorded(
    repo: &dyn Repository,
    system_identifier: Option<&str>,
) -> Result<Option<String>, WalError> {
    let prefix = format!(
        "{}{}/",
        layout::BASES_PREFIX,
        system_identifier.unwrap_or("unknown")
    );
    let mut oldest: Option<String> = None;
    for object in repo.list(&prefix)? {
        let mut text = String::new();
        get_object(repo, &object.key)?
            .take(4096)
            .read_to_string(&mut text)
            .map_err(|e| corrupt(&format!("{}/{}", repo.describe(), object.key), &e))?;
        let start = text.lines().next().unwrap_or("").trim();
        if layout::wal_position(start).is_none() {
            // a record that cannot be read keeps everything: never delete on a guess
            return Err(WalError::Corrupt {
                location: format!("{}/{}", repo.describe(), object.key),
                reason: "is not a base backup record (no WAL segment name)".into(),
            });
        }
        if oldest
            .as_deref()
            .is_none_or(|o| layout::wal_position(start) < layout::wal_position(o))
        {
            oldest = Some(start.to_owned());
        }
    }
    Ok(oldest)
}

/// Deletes the archived WAL that comes before `oldest_needed` (see [`unneeded`]), reporting
/// each deletion before it is made.
pub fn prune(
    repo: &dyn Repository,
    oldest_needed: &str,
    dry_run: bool,
    mut on_delete: impl FnMut(&WalDeletion),
) -> Result<Vec<WalDeletion>, WalError> {
    let mut done = Vec::new();
    // only what `wal push` wrote: its own layout, `wal/NAME.gz`; plain files that merely
    // look like WAL (the guide's archive, someone's copy at the top) are not ours to delete
    let ours: Vec<Archived> = list(repo)?
        .into_iter()
        .filter(|a| a.key == wal_key(&a.name))
        .collect();
    for old in unneeded(&ours, oldest_needed) {
        let deletion = WalDeletion {
            event: "wal_deleted",
            repository: repo.describe(),
            key: old.key.clone(),
            size: old.size,
            reason: format!("before {oldest_needed}, the first WAL file a kept base backup needs"),
            dry_run,
        };
        if !dry_run {
            repo.delete(&old.key)?;
            // its sha256 record, if it has one (absent is no error)
            repo.delete(&digest_key(&old.name))?;
        }
        on_delete(&deletion);
        done.push(deletion);
    }
    Ok(done)
}

enum Copy {
    Read(io::Error),
    Write(io::Error),
}

fn copy(from: &mut dyn Read, to: &mut dyn Write) -> Result<u64, Copy> {
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Copy::Read(e)),
        };
        to.write_all(&buf[..n]).map_err(Copy::Write)?;
        total += n as u64;
    }
}

fn open_regular(path: &Path) -> Result<File, WalError> {
    super::files::open_backup(path).map_err(WalError::io(path))
}

fn sha256_of(r: &mut dyn Read) -> io::Result<(u64, String)> {
    let mut h = Hashing::new(r);
    io::copy(&mut h, &mut io::sink())?;
    Ok(h.finish())
}

/// Counts and hashes what is read through it.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R: Read> Hashing<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    fn finish(&mut self) -> (u64, String) {
        (
            self.bytes,
            hex(&std::mem::take(&mut self.hasher).finalize()),
        )
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Decompresses and, at the end, checks the sha256 the gzip header names: the end of the
/// stream is an error when they differ (gzip's CRC and length are checked by the decoder).
struct Checked<R: Read> {
    inner: Hashing<flate2::read::GzDecoder<R>>,
    done: bool,
}

impl<R: Read> Checked<R> {
    fn new(inner: flate2::read::GzDecoder<R>) -> Self {
        Self {
            inner: Hashing::new(inner),
            done: false,
        }
    }
}

impl<R: Read> Read for Checked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.done {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        if n > 0 || buf.is_empty() {
            return Ok(n);
        }
        self.done = true;
        let expected = self
            .inner
            .inner
            .header()
            .and_then(|h| h.comment())
            .and_then(|c| std::str::from_utf8(c).ok())
            .and_then(|c| c.strip_prefix("sha256:"))
            .map(str::to_owned);
        let Some(expected) = expected else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "no sha256 in the gzip header: not written by wal push",
            ));
        };
        let (_, actual) = self.inner.finish();
        if actual != expected {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("content has sha256 {actual}, the header says {expected}"),
            ));
        }
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo::file::FileRepository;

    const SEG: &str = "000000010000000000000001";

    fn setup() -> (tempfile::TempDir, FileRepository) {
        let dir = tempfile::tempdir().unwrap();
        let repo = FileRepository::open(&dir.path().join("repo"), false).unwrap();
        (dir, repo)
    }

    fn segment(dir: &Path, name: &str, fill: u8) -> PathBuf {
        let path = dir.join(name);
        let mut bytes = vec![fill; 1 << 16];
        bytes[7] = 42;
        std::fs::write(&path, bytes).unwrap();
        path
    }

    #[test]
    fn push_then_fetch_gives_the_same_bytes() {
        let (dir, repo) = setup();
        let src = segment(dir.path(), SEG, 1);
        assert!(matches!(push(&repo, &src).unwrap(), Pushed::Stored { .. }));
        let dest = dir.path().join("RECOVERYXLOG");
        assert!(fetch(&[&repo], SEG, &dest).unwrap());
        assert_eq!(std::fs::read(&dest).unwrap(), std::fs::read(&src).unwrap());
        assert!(!fetch(&[&repo], "000000010000000000000002", &dest).unwrap());
    }

    #[test]
    fn a_damaged_object_is_refused_on_fetch() {
        let (dir, repo) = setup();
        let src = segment(dir.path(), SEG, 1);
        push(&repo, &src).unwrap();
        // recompress other content under the original header's name: gzip's CRC is right,
        // the sha256 in the header is not
        let other = segment(&dir.path().join("x").tap_mkdir(), SEG, 2);
        let stored = repo.root().join(wal_key(SEG));
        let mut gz = Vec::new();
        let mut original = flate2::read::GzDecoder::new(File::open(&stored).unwrap());
        io::copy(&mut original, &mut io::sink()).unwrap();
        let comment = original.header().unwrap().comment().unwrap().to_vec();
        flate2::GzBuilder::new()
            .comment(comment)
            .read(File::open(&other).unwrap(), Compression::fast())
            .read_to_end(&mut gz)
            .unwrap();
        std::fs::write(&stored, gz).unwrap();
        let dest = dir.path().join("RECOVERYXLOG");
        let err = fetch(&[&repo], SEG, &dest).unwrap_err();
        assert!(matches!(err, WalError::Corrupt { .. }), "{err}");
        assert!(!dest.exists());
    }

    #[test]
    fn plain_files_of_the_guides_archive_are_fetched() {
        let (dir, _) = setup();
        let archive = dir.path().join("wal_archive").tap_mkdir();
        let src = segment(&archive, SEG, 3);
        let adopted = FileRepository::open(&archive, true).unwrap();
        let dest = dir.path().join("RECOVERYXLOG");
        assert!(fetch(&[&adopted], SEG, &dest).unwrap());
        assert_eq!(std::fs::read(&dest).unwrap(), std::fs::read(&src).unwrap());
        assert_eq!(list(&adopted).unwrap().len(), 1);
    }

    #[test]
    fn prune_deletes_only_what_wal_push_wrote() {
        let (dir, repo) = setup();
        let src = segment(dir.path(), SEG, 1);
        push(&repo, &src).unwrap();
        // look-alikes: a plain copy at the top and one under wal/, and a backup's object
        for key in [
            SEG.to_string(),
            format!("wal/{SEG}"),
            format!("backups/{SEG}"),
        ] {
            repo.put(&key, &mut &b"not ours"[..], false).unwrap();
        }
        let deleted: Vec<_> = prune(&repo, "000000010000000000000009", false, |_| {})
            .unwrap()
            .into_iter()
            .map(|d| d.key)
            .collect();
        assert_eq!(deleted, [wal_key(SEG)]);
        let left: Vec<_> = repo.list("").unwrap().into_iter().map(|o| o.key).collect();
        assert_eq!(left.len(), 3, "{left:?}");
    }

    #[test]
    fn base_backups_of_every_directory_keep_their_wal() {
        let (_dir, repo) = setup();
        let sys = Some("7312");
        let a = Path::new("/backups/a/base-1");
        let b = Path::new("/other/dir/base-1");
        record_base(&repo, sys, a, "000000010000000000000005").unwrap();
        record_base(&repo, sys, b, "000000010000000000000003").unwrap();
        record_base(&repo, Some("9999"), a, "000000010000000000000001").unwrap();
        assert_eq!(
            oldest_needed_recorded(&repo, sys).unwrap().as_deref(),
            Some("000000010000000000000003")
        );
        forget_base(&repo, sys, b).unwrap();
        assert_eq!(
            oldest_needed_recorded(&repo, sys).unwrap().as_deref(),
            Some("000000010000000000000005")
        );
        // a record that cannot be read stops retention rather than guessing
        repo.put("bases/7312/bad", &mut &b"??"[..], false).unwrap();
        assert!(oldest_needed_recorded(&repo, sys).is_err());
    }

    #[test]
    fn a_repository_that_is_not_there_is_no_end_of_the_archive() {
        let (dir, repo) = setup();
        std::fs::remove_dir(repo.root()).unwrap();
        let dest = dir.path().join("RECOVERYXLOG");
        let err = fetch(&[&repo], SEG, &dest).unwrap_err();
        assert!(
            matches!(err, WalError::Repo(repo::Error::Invalid(_))),
            "{err}"
        );
    }

    #[test]
    fn a_link_or_directory_where_a_segment_should_be_is_refused() {
        let (dir, repo) = setup();
        let outside = segment(dir.path(), SEG, 1);
        std::fs::create_dir_all(repo.root().join("wal")).unwrap();
        std::os::unix::fs::symlink(&outside, repo.root().join(wal_key(SEG))).unwrap();
        let dest = dir.path().join("RECOVERYXLOG");
        let err = fetch(&[&repo], SEG, &dest).unwrap_err();
        assert!(
            matches!(err, WalError::Repo(repo::Error::NotAnObject { .. })),
            "{err}"
        );
        std::fs::create_dir(repo.root().join(SEG)).unwrap();
        std::fs::remove_file(repo.root().join(wal_key(SEG))).unwrap();
        let err = fetch(&[&repo], SEG, &dest).unwrap_err();
        assert!(err.to_string().contains("a directory"), "{err}");
        assert!(!dest.exists());
        // and push refuses rather than archives beside it
        assert!(push(&repo, &outside).is_err());
    }

    #[test]
    fn unneeded_is_what_comes_before_the_oldest_needed_segment() {
        let names = [
            "000000010000000000000001",
            "000000010000000000000002.00000028.backup",
            "000000010000000000000003",
            "00000002.history",
            "000000020000000000000003.partial",
            "000000020000000000000004",
        ];
        let all: Vec<Archived> = names
            .iter()
            .map(|n| Archived {
                name: (*n).into(),
                key: wal_key(n),
                size: 1,
            })
            .collect();
        let gone: Vec<_> = unneeded(&all, "000000020000000000000003")
            .into_iter()
            .map(|a| a.name)
            .collect();
        assert_eq!(
            gone,
            [
                "000000010000000000000001",
                "000000010000000000000002.00000028.backup"
            ]
        );
    }

    trait TapMkdir {
        fn tap_mkdir(self) -> Self;
    }
    impl TapMkdir for PathBuf {
        fn tap_mkdir(self) -> Self {
            std::fs::create_dir_all(&self).unwrap();
            self
        }
    }
}
