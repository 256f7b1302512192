//! The manifest beside each backup (`<backup>.manifest.json`): what is inside without
//! restoring it, and what a restore must find again. One format for dumps and base backups.
//!
//! Written atomically before the backup itself is renamed into place, so a backup under its
//! final name always has one. `db verify` records its result in it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::files::{self, Format};
use super::{Error, Tool};

/// Marks our manifests and their layout version.
pub(crate) const MANIFEST_VERSION: u32 = 1;

/// What a backup holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Layout version of this file (1).
    pub wfctl_manifest: u32,
    /// The backup's file or directory name, in the same directory.
    pub file: String,
    /// Its format.
    pub format: Format,
    /// The database dumped (None for a base backup: the whole cluster).
    pub database: Option<String>,
    /// Bytes of the file (a base backup: all its files).
    pub size: u64,
    /// sha256 of the file, hex (a base backup: see `files`).
    pub sha256: Option<String>,
    /// Bytes pg_dump produced before compression.
    pub uncompressed_size: Option<u64>,
    /// gzip level used (sql-gz), or pg_dump's `-Z` (custom).
    pub compression_level: Option<u32>,
    /// When the dump's snapshot was taken: the backup's point in time.
    pub started_at: DateTime<Utc>,
    /// When the backup was complete.
    pub finished_at: DateTime<Utc>,
    /// `server_version` of the server.
    pub server_version: String,
    /// The program that made it and its version.
    pub tool: String,
    /// Its version.
    pub tool_version: String,
    /// This program's version.
    pub wfctl_version: String,
    /// The newest applied wfctl schema migration, if the database has wfctl's schema.
    pub migration_version: Option<String>,
    /// Rows per table (`schema.table`), counted in the dump's own snapshot.
    #[serde(default)]
    pub row_counts: BTreeMap<String, i64>,
    /// Base backups: size and sha256 of each top-level file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<FileSum>,
    /// Base backups: where in the WAL the backup starts and ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wal: Option<WalRange>,
    /// Base backups: the cluster's system identifier (retention groups by it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_identifier: Option<String>,
    /// The last `db verify` (or the check made when the backup was taken).
    #[serde(default)]
    pub verification: Option<Verification>,
    /// Where the backup was written: the repository URL (`file:///var/backups/postgresql`).
    #[serde(default)]
    pub location: Option<String>,
    /// Whether and to whom the backup is encrypted; `null`: it is not.
    #[serde(default)]
    pub encryption: Option<Encryption>,
}

/// How a backup is encrypted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Encryption {
    /// The scheme (`age`).
    pub scheme: String,
    /// The public keys it is encrypted to.
    pub recipients: Vec<String>,
    /// Bytes of the stored ciphertext (`size` and `sha256` describe the plaintext): what
    /// `db verify` checks without the identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stored_size: Option<u64>,
    /// sha256 of the stored ciphertext, hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stored_sha256: Option<String>,
}

/// The repository URL of the directory holding `backup` (absolute, as `file:///DIR`).
pub(crate) fn location_of(backup: &Path) -> Option<String> {
    let dir = std::path::absolute(backup.parent()?).ok()?;
    Some(format!("file://{}", dir.display()))
}

/// One file of a base backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSum {
    /// Name inside the backup directory.
    pub name: String,
    /// Bytes.
    pub size: u64,
    /// sha256, hex.
    pub sha256: String,
}

/// The WAL a base backup needs, from pg_basebackup's `backup_manifest`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalRange {
    /// Timeline.
    pub timeline: u32,
    /// First LSN.
    pub start_lsn: String,
    /// Last LSN.
    pub end_lsn: String,
    /// The first WAL segment the backup needs (retention keeps it and every later one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_segment: Option<String>,
}

/// A verification result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    /// When.
    pub at: DateTime<Utc>,
    /// `checksum` (sha256 + full read), `restore-test` (also restored and compared), or
    /// `pg_verifybackup` (base backups).
    pub level: String,
    /// Whether it passed.
    pub ok: bool,
    /// A check of the content found a difference: the backup is proven damaged. A failed
    /// record without it (written before wfctl told a damaged backup from a failed run) is
    /// no proof, and retention never deletes a base backup on it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub damaged: bool,
    /// The failure, or what was checked.
    pub detail: String,
}

/// The facts common to every manifest, known before the backup is written.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The database (None: a base backup).
    pub database: Option<String>,
    /// `server_version`.
    pub server_version: String,
    /// The program that made the backup.
    pub tool: Tool,
    /// The newest applied migration.
    pub migration_version: Option<String>,
    /// When it started.
    pub started_at: DateTime<Utc>,
}

impl Manifest {
    /// A manifest for `file` with the facts of `origin`; the caller fills in the rest.
    pub fn new(file: &str, format: Format, origin: &Origin) -> Self {
        Self {
            wfctl_manifest: MANIFEST_VERSION,
            file: file.to_string(),
            format,
            database: origin.database.clone(),
            size: 0,
            sha256: None,
            uncompressed_size: None,
            compression_level: None,
            started_at: origin.started_at,
            finished_at: origin.started_at,
            server_version: origin.server_version.clone(),
            tool: origin.tool.name.to_string(),
            tool_version: origin.tool.version.text.clone(),
            wfctl_version: env!("CARGO_PKG_VERSION").to_string(),
            migration_version: origin.migration_version.clone(),
            row_counts: BTreeMap::new(),
            files: Vec::new(),
            wal: None,
            system_identifier: None,
            verification: None,
            location: None,
            encryption: None,
        }
    }

    /// Reads the manifest of `backup`, if it has one. A manifest that does not describe
    /// `backup` (another file name) is an error, so a copied or edited manifest cannot vouch
    /// for the wrong file.
    pub fn read_for(backup: &Path) -> Result<Option<Self>, Error> {
        let path = files::manifest_path(backup);
        if !path.exists() {
            return Ok(None);
        }
        let manifest = Self::read(&path)?;
        let name = backup.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if manifest.file != name {
            return Err(Error::BadManifest {
                path,
                reason: format!("it describes {}, not {name}", manifest.file),
            });
        }
        Ok(Some(manifest))
    }

    /// Reads a manifest file.
    pub fn read(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(Error::io(path))?;
        let manifest: Self = serde_json::from_str(&text).map_err(|e| Error::BadManifest {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        if manifest.wfctl_manifest != MANIFEST_VERSION {
            return Err(Error::BadManifest {
                path: path.to_path_buf(),
                reason: format!(
                    "layout version {} (this wfctl reads {MANIFEST_VERSION})",
                    manifest.wfctl_manifest
                ),
            });
        }
        Ok(manifest)
    }

    /// Writes it beside `backup` atomically.
    pub fn write_for(&self, backup: &Path) -> Result<PathBuf, Error> {
        let path = files::manifest_path(backup);
        let mut text = serde_json::to_vec_pretty(self).expect("a manifest always serializes");
        text.push(b'\n');
        files::write_atomic(&path, &text)?;
        Ok(path)
    }

    /// Group for retention: backups of one database, or base backups of one cluster.
    pub fn group(&self) -> String {
        match (&self.database, self.format.is_base()) {
            (_, true) => format!(
                "base:{}",
                self.system_identifier.as_deref().unwrap_or("unknown")
            ),
            (Some(db), false) => format!("dump:{db}"),
            (None, false) => "dump:".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backup::PgVersion;

    #[test]
    fn round_trips_and_refuses_another_files_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let origin = Origin {
            database: Some("wf".into()),
            server_version: "15.18".into(),
            tool: Tool {
                name: "pg_dump",
                path: "/x/pg_dump".into(),
                version: PgVersion {
                    major: 15,
                    text: "15.18".into(),
                },
            },
            migration_version: Some("00000000000002".into()),
            started_at: Utc::now(),
        };
        let backup = dir.path().join("wf_20240101_020000.sql.gz");
        let mut m = Manifest::new("wf_20240101_020000.sql.gz", Format::SqlGz, &origin);
        m.row_counts.insert("public.audit_log".into(), 7);
        m.write_for(&backup).unwrap();
        assert_eq!(Manifest::read_for(&backup).unwrap(), Some(m.clone()));
        assert_eq!(m.group(), "dump:wf");

        let other = dir.path().join("wf_20240102_020000.sql.gz");
        std::fs::copy(files::manifest_path(&backup), files::manifest_path(&other)).unwrap();
        let err = Manifest::read_for(&other).unwrap_err().to_string();
        assert!(
            err.contains("it describes wf_20240101_020000.sql.gz"),
            "{err}"
        );
        assert_eq!(
            Manifest::read_for(&dir.path().join("none.sql.gz")).unwrap(),
            None
        );
    }
}
