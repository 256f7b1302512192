//! The archive of purged cases: a directory in the file store's layout (what `migrate-files`
//! reads), each case's files written by the file store's own writer (temp file + fsync +
//! rename), and beside them, hidden from `migrate-files` and the file store, one manifest per
//! case in `.archive/{case}.json`: its files with their sizes and SHA-256.
//!
//! A case's archive is complete when its manifest says so: the manifest is first written
//! incomplete, naming every file the case will have and every file an earlier version had
//! (synced before any of them is written), then the files are written and the directory
//! synced, and only then is the manifest rewritten complete. So a kill leaves an incomplete
//! manifest naming whatever may be half there, which the next run replaces; a complete one
//! whose files hold exactly what the case would be archived as now is reused, not written
//! again. Work is done a batch at a time: three directory syncs per batch, one file sync per
//! file.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::store::file::layout;
use crate::store::file::write::{self, create_file, io_err, private_dir, read_if_exists};
use crate::store::{Result, Store};

/// The hidden directory of the manifests.
pub const MANIFEST_DIR: &str = ".archive";

/// A case as the file store holds it: file names and contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseImage {
    /// Case id.
    pub case_id: String,
    /// File name (in the store directory) and content.
    pub files: Vec<(String, Vec<u8>)>,
    /// Whether the case has finished (completed or cancelled) in what was read.
    pub finished: bool,
}

impl CaseImage {
    /// Total bytes of its files.
    pub fn bytes(&self) -> u64 {
        self.files.iter().map(|(_, c)| c.len() as u64).sum()
    }
}

/// The files of `case_id` as the file store writes them (the same names, the same
/// documents), from any store; `None` when the case has no journey (it is gone).
pub fn case_image(store: &dyn Store, case_id: &str) -> Result<Option<CaseImage>> {
    let Some(journey) = store.journey(case_id)? else {
        return Ok(None);
    };
    let mut files = vec![(layout::journey_file(case_id), journey.text.into_bytes())];
    if let Some(sla) = store.sla(case_id)? {
        files.push((layout::sla_file(case_id), sla.to_json().into_bytes()));
    }
    let info = store.process_info(case_id)?;
    if let Some(info) = &info {
        files.push((
            layout::info_file(case_id),
            info.to_json_pretty().into_bytes(),
        ));
    }
    let milestones = store.milestones(case_id)?;
    if !milestones.is_empty() {
        let text = serde_json::to_string_pretty(&milestones).expect("milestones serialise");
        files.push((layout::milestones_file(case_id), text.into_bytes()));
    }
    let cancel = store.cancellation(case_id)?;
    if let Some(cancel) = &cancel {
        let text = serde_json::to_string_pretty(cancel).expect("a cancellation serialises");
        files.push((layout::cancel_file(case_id), text.into_bytes()));
    }
    for record in store.audit_records(case_id)? {
        let name = layout::audit_file(case_id, record.seq, &record.unit)?;
        files.push((name, record.document.to_json_pretty().into_bytes()));
    }
    let finished = cancel.is_some() || info.as_ref().is_some_and(|i| i.is_complete);
    Ok(Some(CaseImage {
        case_id: case_id.to_owned(),
        files,
        finished,
    }))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    name: String,
    bytes: u64,
    sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Manifest {
    case_id: String,
    complete: bool,
    files: Vec<Entry>,
}

fn entries(image: &CaseImage) -> Vec<Entry> {
    image
        .files
        .iter()
        .map(|(name, content)| Entry {
            name: name.clone(),
            bytes: content.len() as u64,
            sha256: hex(&Sha256::digest(content)),
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What archiving one case did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Archived {
    /// Its files were written (bytes).
    Written(u64),
    /// A complete, identical archive was there already (bytes).
    Reused(u64),
}

/// An archive directory.
pub struct Archive {
    dir: PathBuf,
    manifests: PathBuf,
}

impl Archive {
    /// Opens (creating) the archive in `dir`, removing the temporaries a killed run left.
    pub fn open(dir: &Path) -> Result<Self> {
        fs::create_dir_all(dir).map_err(io_err(dir))?;
        let manifests = dir.join(MANIFEST_DIR);
        private_dir(&manifests)?;
        write::remove_stale_temps(dir);
        write::remove_stale_temps(&manifests);
        Ok(Self {
            dir: dir.to_path_buf(),
            manifests,
        })
    }

    /// The archive directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn manifest_name(case_id: &str) -> String {
        format!("{case_id}{}", layout::EXT)
    }

    fn manifest(&self, case_id: &str) -> Result<Option<Manifest>> {
        let path = self.manifests.join(Self::manifest_name(case_id));
        let Some(text) = read_if_exists(&path)? else {
            return Ok(None);
        };
        // an unreadable manifest is a half-written archive of an older wfctl: replaced
        Ok(serde_json::from_str(&text).ok())
    }

    /// Whether the files a complete manifest names are there with its content.
    fn intact(&self, entries: &[Entry]) -> Result<bool> {
        for entry in entries {
            let path = self.dir.join(&entry.name);
            let Ok(content) = fs::read(&path) else {
                return Ok(false);
            };
            if content.len() as u64 != entry.bytes || hex(&Sha256::digest(&content)) != entry.sha256
            {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn put_manifest(&self, manifest: &Manifest) -> Result<()> {
        let text = serde_json::to_string(manifest).expect("a manifest serialises");
        create_file(
            &self.manifests,
            &Self::manifest_name(&manifest.case_id),
            text.as_bytes(),
        )
    }

    /// Archives `images` (see the module doc); when this returns, every case of it is in the
    /// archive completely and durably.
    pub fn write_batch(&self, images: &[CaseImage]) -> Result<Vec<Archived>> {
        let mut outcomes = Vec::with_capacity(images.len());
        let mut pending = Vec::new();
        for (i, image) in images.iter().enumerate() {
            let new = entries(image);
            let old = self.manifest(&image.case_id)?;
            if let Some(old) = &old
                && old.complete
                && old.files == new
                && self.intact(&new)?
            {
                outcomes.push(Archived::Reused(image.bytes()));
                continue;
            }
            outcomes.push(Archived::Written(image.bytes()));
            let new_names: BTreeSet<&str> = new.iter().map(|e| e.name.as_str()).collect();
            let stale: Vec<String> = old
                .iter()
                .flat_map(|m| &m.files)
                .filter(|e| !new_names.contains(e.name.as_str()))
                .map(|e| e.name.clone())
                .collect();
            let mut intent = new.clone();
            intent.extend(stale.iter().map(|name| Entry {
                name: name.clone(),
                bytes: 0,
                sha256: String::new(),
            }));
            pending.push((i, new, intent, stale));
        }
        if pending.is_empty() {
            return Ok(outcomes);
        }
        for (i, _, intent, _) in &pending {
            self.put_manifest(&Manifest {
                case_id: images[*i].case_id.clone(),
                complete: false,
                files: intent.clone(),
            })?;
        }
        write::sync_dir(&self.manifests)?;
        for (i, _, _, stale) in &pending {
            for name in stale {
                write::remove_if_exists(&self.dir.join(name))?;
            }
            for (name, content) in &images[*i].files {
                create_file(&self.dir, name, content)?;
            }
        }
        write::sync_dir(&self.dir)?;
        for (i, new, _, _) in pending {
            self.put_manifest(&Manifest {
                case_id: images[i].case_id.clone(),
                complete: true,
                files: new,
            })?;
        }
        write::sync_dir(&self.manifests)?;
        Ok(outcomes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(id: &str, body: &str) -> CaseImage {
        CaseImage {
            case_id: id.to_owned(),
            files: vec![
                (layout::journey_file(id), b"{}".to_vec()),
                (layout::audit_file(id, 1, "start").unwrap(), body.into()),
            ],
            finished: true,
        }
    }

    #[test]
    fn a_complete_identical_archive_is_reused_and_a_half_written_one_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open(dir.path()).unwrap();
        let first = archive.write_batch(&[image("a", "one")]).unwrap();
        assert_eq!(first, [Archived::Written(5)]);
        assert_eq!(
            archive.write_batch(&[image("a", "one")]).unwrap(),
            [Archived::Reused(5)]
        );
        // as a kill between the intent and the files leaves it
        let mut manifest = archive.manifest("a").unwrap().unwrap();
        manifest.complete = false;
        archive.put_manifest(&manifest).unwrap();
        assert_eq!(
            archive.write_batch(&[image("a", "one")]).unwrap(),
            [Archived::Written(5)]
        );
        // a file damaged behind a complete manifest is written again
        fs::write(dir.path().join("audit_log-a_00001_start.json"), "x").unwrap();
        assert_eq!(
            archive.write_batch(&[image("a", "one")]).unwrap(),
            [Archived::Written(5)]
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("audit_log-a_00001_start.json")).unwrap(),
            "one"
        );
    }

    #[test]
    fn files_an_older_version_had_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open(dir.path()).unwrap();
        let mut two = image("b", "one");
        two.files
            .push((layout::audit_file("b", 2, "x").unwrap(), b"two".to_vec()));
        archive.write_batch(&[two]).unwrap();
        archive.write_batch(&[image("b", "one")]).unwrap();
        assert!(!dir.path().join("audit_log-b_00002_x.json").exists());
        assert!(dir.path().join("audit_log-b_00001_start.json").exists());
    }
}
