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
    if let Some(stem) = name.strip_suffix(files::PARTIAL) {
        let ours = files::parse_name(stem).is_some()
            || stem
                .strip_suffix(files::MANIFEST)
                .and_then(files::parse_name)
                .is_some()
            || stem
                .strip_suffix(".verify")
                .and_then(files::parse_name)
                .is_some();
        return Ok(ours.then(|| bare(path, name, EntryKind::Incomplete, None)));
    }
    if let Some(stem) = name.strip_suffix(files::MANIFEST) {
        let orphan = files::parse_name(stem).is_some() && !dir.join(stem).exists();
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
