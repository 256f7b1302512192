//! What is in a backup directory: our backups (a name we make plus a manifest), the seed
//! script's files (`*.sql.gz`, no manifest), leftovers of interrupted runs, and nothing else:
//! other files are not ours and are never listed, counted or deleted.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::files::{self, Format};
use super::{Error, Manifest};

/// What an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntryKind {
    /// A backup with its manifest.
    Backup,
    /// A `.sql.gz` without a manifest (the seed guide's script made it, or an older tool).
    Legacy,
    /// A `.partial` left by an interrupted run.
    Incomplete,
    /// A manifest whose backup is gone (a run interrupted between the two renames).
    OrphanManifest,
}

/// One entry of the directory.
#[derive(Debug, Clone, Serialize)]
pub struct BackupEntry {
    /// Its path.
    pub path: PathBuf,
    /// Its file name.
    pub name: String,
    /// What it is.
    pub kind: EntryKind,
    /// Its format, when known.
    pub format: Option<Format>,
    /// The database, when known.
    pub database: Option<String>,
    /// The manifest's time; the file's mtime when there is no manifest.
    pub time: DateTime<Utc>,
    /// Bytes on disk (all files of a directory).
    #[serde(rename = "size_bytes")]
    pub size: u64,
    /// The manifest.
    #[serde(skip)]
    pub manifest: Option<Manifest>,
    /// Why it is not a good backup, if it is not.
    pub problem: Option<String>,
}

impl BackupEntry {
    /// A complete backup whose size matches its manifest and that did not fail its last
    /// verification: what retention's floor and `--check-fresh` count.
    pub fn is_good(&self) -> bool {
        self.kind == EntryKind::Backup && self.problem.is_none()
    }

    /// A base backup whose only problem is a failed verification that proved nothing (see
    /// [`Verification::damaged`](super::manifest::Verification::damaged)): retention keeps it.
    pub fn failed_verify_unproven(&self) -> bool {
        self.kind == EntryKind::Backup
            && self.format.is_some_and(|f| f.is_base())
            && self.manifest.as_ref().is_some_and(|m| {
                m.size == self.size && m.verification.as_ref().is_some_and(|v| !v.ok && !v.damaged)
            })
    }

    /// The last verification recorded in the manifest.
    pub fn verification(&self) -> Option<&super::manifest::Verification> {
        self.manifest.as_ref()?.verification.as_ref()
    }
}

/// The entries of `dir`, newest first. A missing directory has none.
pub fn scan(dir: &Path) -> Result<Vec<BackupEntry>, Error> {
    let read = match std::fs::read_dir(dir) {
        Ok(read) => read,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir)(e)),
    };
    let mut entries = Vec::new();
    for item in read {
        let item = item.map_err(Error::io(dir))?;
        let Some(name) = item.file_name().to_str().map(str::to_string) else {
            continue;
        };
        if let Some(entry) = classify(dir, &name)? {
            entries.push(entry);
        }
    }
    entries.sort_by(|a, b| b.time.cmp(&a.time).then_with(|| b.name.cmp(&a.name)));
    Ok(entries)
}

fn classify(dir: &Path, name: &str) -> Result<Option<BackupEntry>, Error> {
    let path = dir.join(name);
    let Some(shape) = Shape::of(&path) else {
        // A symlink (wherever it points), a socket, a FIFO: never ours, never followed.
        return Ok(None);
    };
    if let Some(stem) = name.strip_suffix(files::PARTIAL) {
        return Ok(is_our_leftover(&path, stem, shape)
            .then(|| bare(path, name, EntryKind::Incomplete, None)));
    }
    if let Some(stem) = name.strip_suffix(files::MANIFEST) {
        let orphan = shape == Shape::File
            && files::parse_name(stem).is_some()
            && std::fs::symlink_metadata(dir.join(stem)).is_err()
            && Manifest::read(&path).is_ok();
        return Ok(orphan.then(|| bare(path, name, EntryKind::OrphanManifest, None)));
    }
    let Some(parsed) = files::parse_name(name) else {
        // The seed's script names files like ours; anything else ending in .sql.gz is shown
        // too, as a legacy dump (never deleted).
        return Ok(name
            .ends_with(".sql.gz")
            .then(|| bare(path, name, EntryKind::Legacy, Some(Format::SqlGz))));
    };
    let size = files::size_of(&path).map_err(Error::io(&path))?;
    match Manifest::read_for(&path) {
        Ok(Some(manifest)) if manifest.format.is_base() != (shape == Shape::Dir) => {
            // A manifest beside something of the wrong kind: shown, never deleted.
            let mut entry = bare(path, name, EntryKind::Legacy, parsed.format);
            entry.problem = Some(format!(
                "its manifest describes a {} backup, but this is a {}",
                manifest.format.label(),
                if shape == Shape::Dir {
                    "directory"
                } else {
                    "file"
                }
            ));
            Ok(Some(entry))
        }
        Ok(Some(manifest)) => {
            let mut problem = None;
            if manifest.size != size {
                problem = Some(format!(
                    "size {size} differs from the manifest's {} (truncated or changed)",
                    manifest.size
                ));
            } else if let Some(v) = manifest.verification.as_ref().filter(|v| !v.ok) {
                problem = Some(format!("last verify failed: {}", v.detail));
            }
            Ok(Some(BackupEntry {
                name: name.to_string(),
                kind: EntryKind::Backup,
                format: Some(manifest.format),
                database: manifest.database.clone(),
                time: manifest.started_at,
                size,
                problem,
                manifest: Some(manifest),
                path,
            }))
        }
        Ok(None) => {
            let mut entry = bare(path, name, EntryKind::Legacy, parsed.format);
            entry.database = (parsed.label != files::BASE_PREFIX).then_some(parsed.label);
            entry.problem = Some("no manifest".into());
            Ok(Some(entry))
        }
        Err(e) => {
            let mut entry = bare(path, name, EntryKind::Backup, parsed.format);
            entry.problem = Some(e.to_string());
            Ok(Some(entry))
        }
    }
}

/// What an entry of the backup directory is on disk, symlinks not followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A regular file.
    File,
    /// A real directory.
    Dir,
}

impl Shape {
    /// None for a symlink or anything else that is neither a regular file nor a directory.
    pub(crate) fn of(path: &Path) -> Option<Self> {
        let kind = std::fs::symlink_metadata(path).ok()?.file_type();
        if kind.is_file() {
            Some(Self::File)
        } else if kind.is_dir() {
            Some(Self::Dir)
        } else {
            None
        }
    }
}

/// Files pg_basebackup writes into its target directory, one of which an interrupted base
/// backup of ours has (unless it is still empty).
const BASE_BACKUP_MARKS: &[&str] = &[
    "PG_VERSION",
    "backup_label",
    "backup_manifest",
    "base.tar",
    "base.tar.gz",
    "pg_wal.tar",
    "pg_wal.tar.gz",
];

/// Whether `NAME.partial` is something an interrupted run of ours left: a file under a dump's
/// or a manifest's name, or a base backup's directory (by its name, holding nothing or what
/// pg_basebackup writes). A directory under a dump's name is someone else's.
fn is_our_leftover(path: &Path, stem: &str, shape: Shape) -> bool {
    let base_dir = |stem: &str| {
        files::parse_name(stem).is_some_and(|p| p.format.is_none() && p.label == files::BASE_PREFIX)
    };
    match shape {
        Shape::File => match files::parse_name(stem).and_then(|p| p.format) {
            Some(format) => begins_like(path, format),
            None => {
                stem.strip_suffix(files::MANIFEST)
                    .and_then(files::parse_name)
                    .is_some()
                    && Manifest::read(path).is_ok()
            }
        },
        Shape::Dir => {
            let named = base_dir(stem) || stem.strip_suffix(".verify").is_some_and(base_dir);
            named
                && std::fs::read_dir(path).is_ok_and(|mut items| {
                    let mut empty = true;
                    let marked = items.any(|item| {
                        empty = false;
                        item.is_ok_and(|i| BASE_BACKUP_MARKS.iter().any(|m| i.file_name() == *m))
                    });
                    marked || empty
                })
        }
    }
}

/// Whether a leftover file holds what wfctl writes in that format (or nothing yet): a name
/// alone is no proof, and a user's file that merely looks like ours is never deleted.
fn begins_like(path: &Path, format: Format) -> bool {
    use std::io::Read;
    let magic: &[u8] = match format {
        Format::SqlGz => &[0x1f, 0x8b],
        Format::Custom => b"PGDMP",
        Format::Tar | Format::Plain => return false,
    };
    let mut head = Vec::with_capacity(magic.len());
    let read =
        std::fs::File::open(path).and_then(|f| f.take(magic.len() as u64).read_to_end(&mut head));
    read.is_ok() && (head.is_empty() || head == magic)
}

fn bare(path: PathBuf, name: &str, kind: EntryKind, format: Option<Format>) -> BackupEntry {
    let meta = std::fs::symlink_metadata(&path).ok();
    let time = meta
        .as_ref()
        .and_then(|m| m.modified().ok())
        .map_or_else(Utc::now, DateTime::<Utc>::from);
    BackupEntry {
        size: files::size_of(&path).unwrap_or(0),
        name: name.to_string(),
        kind,
        format,
        database: None,
        time,
        manifest: None,
        problem: None,
        path,
    }
}
