//! Dump backups kept in a repository (`db backup --repo`): `backups/NAME` with its manifest
//! `backups/NAME.manifest.json` beside it, on a `file://` directory or an S3 bucket, encrypted
//! as the repository is configured (through [`put_object`] / [`read_object`]).
//!
//! A backup counts as complete only once its manifest is stored, and the manifest is stored
//! only after the backup object is complete and its size checked: a killed upload leaves at
//! most a backup object without a manifest, which [`list`] never shows as a backup and
//! retention never has to trust. Manifests are stored unencrypted on purpose: they hold no
//! rows (names, sizes, checksums, row counts) and listing and retention must work without
//! the identity that only restore and verify need.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::Error;
use super::catalog::{BackupEntry, EntryKind};
use super::files;
use super::manifest::{Encryption, Manifest, Verification};
use super::retention::{self, Deletion, RetentionPolicy};
use super::verify::{Check, VerifyReport};
use crate::repo::layout::BACKUPS_PREFIX;
use crate::repo::stream::read_object;
use crate::repo::{Repository, Stored};

/// The key of the backup named `name` (a manifest's `file`).
pub fn backup_key(name: &str) -> String {
    format!("{BACKUPS_PREFIX}{name}")
}

/// The key of its manifest.
pub(crate) fn manifest_key(name: &str) -> String {
    format!("{BACKUPS_PREFIX}{name}{}", files::MANIFEST)
}

/// Stores the manifest of the backup object that `stored` describes (already complete under
/// [`backup_key`]), recording where it is and whether and to whom it is encrypted, with the
/// ciphertext's size and sha256 (checkable without the identity). Returns that manifest.
pub fn store_manifest(
    repo: &dyn Repository,
    manifest: &Manifest,
    stored: &Stored,
) -> Result<Manifest, Error> {
    let key = backup_key(&manifest.file);
    let recipients = repo.sealing().and_then(|s| s.recipients.as_ref());
    let plain_differs = stored.size != manifest.size
        || manifest
            .sha256
            .as_deref()
            .is_some_and(|s| s != stored.sha256);
    if recipients.is_none() && plain_differs {
        return Err(Error::BadBackup {
            path: PathBuf::from(&key),
            reason: format!(
                "stored {} bytes (sha256 {}); the manifest says {} bytes (sha256 {})",
                stored.size,
                stored.sha256,
                manifest.size,
                manifest.sha256.as_deref().unwrap_or("none")
            ),
        });
    }
    let mut remote = manifest.clone();
    remote.location = Some(repo.describe());
    remote.encryption = recipients.map(|r| Encryption {
        scheme: "age".into(),
        recipients: r.public_keys().to_vec(),
        stored_size: Some(stored.size),
        stored_sha256: Some(stored.sha256.clone()),
    });
    let text = serde_json::to_vec_pretty(&remote).expect("a manifest always serializes");
    // plain on purpose (see the module comment): `repo.put`, not `put_object`
    repo.put(&manifest_key(&manifest.file), &mut &text[..], false)?;
    Ok(remote)
}

/// The complete backups in `repo` (a manifest and its object), newest first. Entries' paths
/// are their keys.
pub fn list(repo: &dyn Repository) -> Result<Vec<BackupEntry>, Error> {
    let objects = repo.list(BACKUPS_PREFIX)?;
    let keys: BTreeSet<&str> = objects.iter().map(|o| o.key.as_str()).collect();
    let mut entries = Vec::new();
    for object in &objects {
        let Some(data_key) = object.key.strip_suffix(files::MANIFEST) else {
            continue;
        };
        let Some(data) = objects.iter().find(|o| o.key == data_key) else {
            continue; // an interrupted retention: the manifest without its backup
        };
        debug_assert!(keys.contains(data_key));
        let name = &data_key[BACKUPS_PREFIX.len()..];
        let mut entry = BackupEntry {
            path: PathBuf::from(data_key),
            name: name.to_string(),
            kind: EntryKind::Backup,
            format: None,
            database: None,
            time: data.modified.unwrap_or_default(),
            size: data.size,
            manifest: None,
            problem: None,
        };
        match read_manifest(repo, &object.key) {
            Ok(manifest) if manifest.file == name => {
                entry.format = Some(manifest.format);
                entry.database = manifest.database.clone();
                entry.time = manifest.started_at;
                entry.size = manifest.size;
                entry.manifest = Some(manifest);
            }
            Ok(_) => entry.problem = Some("its manifest names another file".into()),
            Err(e) => entry.problem = Some(e.to_string()),
        }
        entries.push(entry);
    }
    entries.sort_by(|a, b| b.time.cmp(&a.time).then_with(|| b.name.cmp(&a.name)));
    Ok(entries)
}

/// The manifest of the backup named `name`.
pub fn manifest(repo: &dyn Repository, name: &str) -> Result<Manifest, Error> {
    match read_manifest(repo, &manifest_key(name)) {
        Err(Error::Repo(crate::repo::Error::NotFound { .. })) => Err(Error::BadBackup {
            path: PathBuf::from(name),
            reason: format!(
                "no such backup in {} (wfctl db backups --repo lists them)",
                repo.describe()
            ),
        }),
        other => other,
    }
}

fn read_manifest(repo: &dyn Repository, key: &str) -> Result<Manifest, Error> {
    let mut text = String::new();
    repo.get(key)?
        .take(1 << 20)
        .read_to_string(&mut text)
        .map_err(Error::io(Path::new(key)))?;
    serde_json::from_str(&text).map_err(|e| Error::BadManifest {
        path: PathBuf::from(format!("{}/{key}", repo.describe())),
        reason: e.to_string(),
    })
}

/// What can be checked of an encrypted backup without its identity: the object is there, its
/// size and the sha256 of its ciphertext are those the manifest recorded when it was stored,
/// and the manifest names its recipients. The contents (gzip stream, dump trailer, plaintext
/// checksum) are not checked: the caller says so ([`NOT_CHECKED`]).
pub fn verify_ciphertext(repo: &dyn Repository, name: &str) -> Result<VerifyReport, Error> {
    let manifest = manifest(repo, name)?;
    let key = backup_key(name);
    let mut report = VerifyReport {
        path: PathBuf::from(&key),
        format: manifest.format,
        has_manifest: true,
        checks: Vec::new(),
        ok: true,
        manifest: Some(manifest.clone()),
    };
    let mut push = |check: &'static str, ok: bool, detail: String| {
        report.checks.push(Check { check, ok, detail });
    };
    let encryption = manifest.encryption.clone().unwrap_or(Encryption {
        scheme: String::new(),
        recipients: Vec::new(),
        stored_size: None,
        stored_sha256: None,
    });
    push(
        "recipients",
        !encryption.recipients.is_empty(),
        format!(
            "{} to {}",
            encryption.scheme,
            encryption.recipients.join(", ")
        ),
    );
    match repo.head(&key)? {
        None => push("object", false, format!("{key}: missing")),
        Some(info) => {
            push("object", true, key.clone());
            match encryption.stored_size {
                Some(expected) => push(
                    "stored size",
                    info.size == expected,
                    if info.size == expected {
                        format!("{} bytes of ciphertext, as in the manifest", info.size)
                    } else {
                        format!(
                            "{} bytes of ciphertext; the manifest says {expected}",
                            info.size
                        )
                    },
                ),
                None => push(
                    "stored size",
                    true,
                    "not recorded (a backup stored before wfctl recorded it)".into(),
                ),
            }
            if let Some(expected) = &encryption.stored_sha256 {
                let mut hashing = files::HashingReader::new(repo.get(&key)?);
                std::io::copy(&mut hashing, &mut std::io::sink())
                    .map_err(Error::io(Path::new(&key)))?;
                let (_, found) = hashing.finish();
                let ok = &found == expected;
                push(
                    "stored sha256",
                    ok,
                    if ok {
                        format!("{found} (ciphertext), as in the manifest")
                    } else {
                        format!("{found} (ciphertext); the manifest says {expected}")
                    },
                );
            }
        }
    }
    report.ok = report.checks.iter().all(|c| c.ok);
    Ok(report)
}

/// What a verify without the identity says of the contents.
pub const NOT_CHECKED: &str =
    "contents not checked: no identity (set WFCTL_AGE_IDENTITY or [repository] identity_file)";

/// Records a verification in the manifest of the backup `name`: the manifest is read again
/// and replaced whole by one new object (a file repository renames a complete temporary into
/// place; S3 shows an object only once complete), so it is never half-written.
pub fn record_verification(
    repo: &dyn Repository,
    name: &str,
    verification: Verification,
) -> Result<(), Error> {
    let mut manifest = manifest(repo, name)?;
    manifest.verification = Some(verification);
    let text = serde_json::to_vec_pretty(&manifest).expect("a manifest always serializes");
    repo.put(&manifest_key(name), &mut &text[..], true)?;
    Ok(())
}

/// Downloads the backup `name`, decrypted, into `dir` under its own name, with its manifest
/// beside it (for `db restore`, which reads local files). Returns the backup's path.
pub fn download(repo: &dyn Repository, name: &str, dir: &Path) -> Result<PathBuf, Error> {
    let mut manifest = manifest(repo, name)?;
    let named_file = manifest.file == name && !name.contains('/');
    if manifest.format.is_base() || !named_file || files::parse_name(name).is_none() {
        return Err(Error::BadManifest {
            path: PathBuf::from(manifest_key(name)),
            reason: "names no dump file".into(),
        });
    }
    let key = backup_key(name);
    let mut body = read_object(repo, &key)?.body;
    let path = dir.join(&manifest.file);
    let mut out = files::create_new(&path)?;
    std::io::copy(&mut body, &mut out).map_err(Error::io(&path))?;
    out.sync_all().map_err(Error::io(&path))?;
    manifest.encryption = None;
    manifest.write_for(&path)?;
    Ok(path)
}

/// Retention on the repository: deletes the backups of `group` that `policy` lets go (as
/// [`retention::plan`] decides for a directory) and returns what it deleted.
pub fn apply_retention(
    repo: &dyn Repository,
    group: &str,
    policy: RetentionPolicy,
    now: DateTime<Utc>,
) -> Result<Vec<Deletion>, Error> {
    let entries = list(repo)?;
    let planned = retention::plan(&entries, group, policy, now);
    for deletion in &planned {
        let key = deletion.path.to_string_lossy();
        let name = key.strip_prefix(BACKUPS_PREFIX).unwrap_or(&key);
        delete(repo, name)?;
    }
    Ok(planned)
}

/// Deletes a backup: the manifest first, so that a backup is never listed without its object.
pub fn delete(repo: &dyn Repository, name: &str) -> Result<(), Error> {
    let manifest_key = manifest_key(name);
    repo.delete(&manifest_key)?;
    let key = backup_key(name);
    Ok(repo.delete(&key)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo::file::FileRepository;

    /// What a killed `db backup --repo` can leave (the object, no manifest) and what a killed
    /// retention can leave (the manifest, no object) are never listed as backups.
    #[test]
    fn only_a_manifest_with_its_object_is_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let repo = FileRepository::open(dir.path(), false).unwrap();
        let name = "app_20261207_120000.sql.gz";
        repo.put(&backup_key(name), &mut &b"half"[..], false)
            .unwrap();
        assert!(list(&repo).unwrap().is_empty());
        repo.delete(&backup_key(name)).unwrap();
        repo.put(&manifest_key(name), &mut &b"{}"[..], false)
            .unwrap();
        assert!(list(&repo).unwrap().is_empty());
        let err = manifest(&repo, "absent.sql.gz").unwrap_err().to_string();
        assert!(
            err.contains("absent.sql.gz: no such backup in file://"),
            "{err}"
        );
    }
}
