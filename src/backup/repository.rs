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
use super::manifest::{Encryption, Manifest};
use super::retention::{self, Deletion, RetentionPolicy};
use crate::repo::Repository;
use crate::repo::layout::BACKUPS_PREFIX;
use crate::repo::stream::{put_object, read_object};

/// The key of the backup named `name` (a manifest's `file`).
pub fn backup_key(name: &str) -> String {
    format!("{BACKUPS_PREFIX}{name}")
}

/// The key of its manifest.
pub(crate) fn manifest_key(name: &str) -> String {
    format!("{BACKUPS_PREFIX}{name}{}", files::MANIFEST)
}

/// Stores the finished local dump at `path` (described by `manifest`) in `repo`: the object
/// first, then the manifest, which records where it is and whether and to whom it is
/// encrypted. Returns that manifest.
pub fn upload(repo: &dyn Repository, path: &Path, manifest: &Manifest) -> Result<Manifest, Error> {
    let key = backup_key(&manifest.file);
    let mut file = files::open_backup(path).map_err(Error::io(path))?;
    let stored = put_object(repo, &key, &mut file, false)?;
    let recipients = repo.sealing().and_then(|s| s.recipients.as_ref());
    if recipients.is_none() && stored.size != manifest.size {
        return Err(Error::BadBackup {
            path: PathBuf::from(&key),
            reason: format!(
                "stored {} bytes of {}; the manifest says {}",
                stored.size,
                path.display(),
                manifest.size
            ),
        });
    }
    let mut remote = manifest.clone();
    remote.location = Some(repo.describe());
    remote.encryption = recipients.map(|r| Encryption {
        scheme: "age".into(),
        recipients: r.public_keys().to_vec(),
    });
    let text = serde_json::to_vec_pretty(&remote).expect("a manifest always serializes");
    let manifest_key = manifest_key(&manifest.file);
    // plain on purpose (see the module comment): `repo.put`, not `put_object`
    repo.put(&manifest_key, &mut &text[..], false)?;
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
