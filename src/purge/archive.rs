//! The archive of purged cases: a directory in the file store's layout (what `migrate-files`
//! reads) and beside them, hidden from `migrate-files` and the file store, one manifest per
//! case in `.archive/{case}.json`: its files with their sizes and SHA-256.
//!
//! A case's archive is complete when its manifest says so. Durability is paid per batch, not
//! per file: every file of a batch (each case's manifest marked incomplete, naming every file
//! the case will have and every file an earlier version had; the case's files; its manifest
//! marked complete) is first written under a temporary name, then
//!
//! 1. all of them are synced at once;
//! 2. the incomplete manifests are renamed into place and synced;
//! 3. the files an earlier version had are removed, the case files renamed into place and
//!    synced;
//! 4. the complete manifests are renamed over the incomplete ones and synced.
//!
//! A sync is one `syncfs` of the archive's file system (elsewhere than Linux: each file and
//! directory). So a file never appears before its content is durable, a kill leaves an
//! incomplete manifest naming whatever may be half there, which the next run replaces, and a
//! complete one whose files hold exactly what the case would be archived as now is reused,
//! not written again. Four syncs per batch, whatever its size.

use std::collections::BTreeSet;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::store::file::write::{self, io_err, private_dir, read_if_exists};
use crate::store::file::{layout, read};
use crate::store::{Error, Result, Store};

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
    /// When it finished (epoch ms: its cancellation, else its last save), `i64::MAX` when it
    /// has not.
    pub finished_at: i64,
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
    let finished_at = match (&cancel, &info) {
        (Some(c), _) => c.at,
        (None, Some(i)) if i.is_complete => i.ts,
        _ => i64::MAX,
    };
    Ok(Some(CaseImage {
        case_id: case_id.to_owned(),
        files,
        finished,
        finished_at,
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Archived {
    /// Its files were written (bytes).
    Written(u64),
    /// A complete, identical archive was there already (bytes).
    Reused(u64),
    /// Not archived, nothing written for it: why.
    Refused(String),
}

/// Whether `name`, read from the manifest of `case_id`, may be a file of that case in the
/// archive: a plain file name (no directory part, not hidden, no NUL) naming the case.
fn own_name(case_id: &str, name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', '\0'])
        && name.ends_with(layout::EXT)
        && (name.contains(&format!("-{case_id}_")) || name.contains(&format!("-{case_id}.")))
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
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&manifests, fs::Permissions::from_mode(0o700))
                .map_err(io_err(&manifests))?;
        }
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
        let Ok(manifest) = serde_json::from_str::<Manifest>(&text) else {
            return Ok(None);
        };
        if manifest.case_id != case_id {
            return Err(Error::Corrupt {
                what: crate::conventions::path_text(&path).to_string(),
                reason: "names another case".to_owned(),
            });
        }
        if let Some(bad) = manifest.files.iter().find(|e| !own_name(case_id, &e.name)) {
            return Err(Error::Corrupt {
                what: crate::conventions::path_text(&path).to_string(),
                reason: format!(
                    "names {:?}, not a file of the case; nothing of it is used",
                    crate::conventions::escaped_text(&bad.name)
                ),
            });
        }
        Ok(Some(manifest))
    }

    /// Whether the files a complete manifest names are there with its content.
    fn intact(&self, entries: &[Entry]) -> Result<bool> {
        for entry in entries {
            let path = self.dir.join(&entry.name);
            // no link followed, nothing but a regular file of the manifest's size read
            let Ok(content) = read::read_regular(&path, false, entry.bytes) else {
                return Ok(false);
            };
            if content.len() as u64 != entry.bytes || hex(&Sha256::digest(&content)) != entry.sha256
            {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn manifest_text(manifest: &Manifest) -> Vec<u8> {
        serde_json::to_vec(manifest).expect("a manifest serialises")
    }

    #[cfg(test)]
    fn put_manifest(&self, manifest: &Manifest) -> Result<()> {
        write::create_file(
            &self.manifests,
            &Self::manifest_name(&manifest.case_id),
            &Self::manifest_text(manifest),
        )
    }

    /// Archives `images` (see the module doc); when this returns, every case of it is in the
    /// archive completely and durably.
    pub fn write_batch(&self, images: &[CaseImage]) -> Result<Vec<Archived>> {
        let mut outcomes = Vec::with_capacity(images.len());
        let mut pending = Vec::new();
        for (i, image) in images.iter().enumerate() {
            let new = entries(image);
            let old = match self.manifest(&image.case_id) {
                Ok(old) => old,
                Err(e) => {
                    outcomes.push(Archived::Refused(e.to_string()));
                    continue;
                }
            };
            if let Some(old) = &old
                && old.complete
                && old.files == new
                && self.intact(&new)?
            {
                outcomes.push(Archived::Reused(image.bytes()));
                continue;
            }
            // a file of the case in DIR that no manifest names is not from an archive (another
            // store, or files put there by hand): never overwritten or merged into
            let known: BTreeSet<&str> = old
                .iter()
                .flat_map(|m| &m.files)
                .map(|e| e.name.as_str())
                .collect();
            if let Some(foreign) = new.iter().find(|e| {
                !known.contains(e.name.as_str())
                    && fs::symlink_metadata(self.dir.join(&e.name)).is_ok()
            }) {
                outcomes.push(Archived::Refused(format!(
                    "{} is in the archive directory but no manifest of the case names it (not from an archive); nothing written",
                    crate::conventions::path_text(&self.dir.join(&foreign.name))
                )));
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
        let mut intents = Staged::default();
        let mut files = Staged::default();
        let mut completes = Staged::default();
        for (i, new, intent, _) in &pending {
            let case_id = &images[*i].case_id;
            let name = Self::manifest_name(case_id);
            let mut manifest = Manifest {
                case_id: case_id.clone(),
                complete: false,
                files: intent.clone(),
            };
            intents.write(&self.manifests, &name, &Self::manifest_text(&manifest))?;
            manifest.complete = true;
            manifest.files = new.clone();
            completes.write(&self.manifests, &name, &Self::manifest_text(&manifest))?;
            for (name, content) in &images[*i].files {
                files.write(&self.dir, name, content)?;
            }
        }
        let all = [&intents, &files, &completes];
        self.sync(&all)?;
        intents.place()?;
        self.sync(&[&intents])?;
        for (_, _, _, stale) in &pending {
            for name in stale {
                write::remove_if_exists(&self.dir.join(name))?;
            }
        }
        files.place()?;
        self.sync(&[&files])?;
        completes.place()?;
        self.sync(&[&completes])?;
        Ok(outcomes)
    }

    /// Makes the content of `staged`'s files and the renames and removals done so far in the
    /// archive durable.
    #[cfg(target_os = "linux")]
    fn sync(&self, _staged: &[&Staged]) -> Result<()> {
        let dir = File::open(&self.dir).map_err(io_err(&self.dir))?;
        rustix::fs::syncfs(&dir).map_err(|e| io_err(&self.dir)(e.into()))?;
        let manifests = File::open(&self.manifests).map_err(io_err(&self.manifests))?;
        let same_fs = |a: &File, b: &File| -> std::io::Result<bool> {
            use std::os::unix::fs::MetadataExt;
            Ok(a.metadata()?.dev() == b.metadata()?.dev())
        };
        if !same_fs(&dir, &manifests).map_err(io_err(&self.manifests))? {
            rustix::fs::syncfs(&manifests).map_err(|e| io_err(&self.manifests)(e.into()))?;
        }
        Ok(())
    }

    #[cfg(not(target_os = "linux"))]
    fn sync(&self, staged: &[&Staged]) -> Result<()> {
        for s in staged {
            s.sync_contents()?;
        }
        write::sync_dir(&self.dir)?;
        write::sync_dir(&self.manifests)
    }
}

/// Files written under temporary names, not yet synced nor in place; those not placed are
/// removed when dropped (an error part way through a batch leaves no temporary).
#[derive(Default)]
struct Staged {
    /// (temporary, destination) paths, in the order written.
    files: Vec<(PathBuf, PathBuf)>,
    placed: usize,
}

impl Staged {
    /// Writes `bytes` to a new temporary file in `dir`, to be placed as `dir/name`.
    fn write(&mut self, dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
        let target = dir.join(name);
        let tmp = dir.join(crate::temp_files::temp_name());
        let written = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .and_then(|mut f| f.write_all(bytes));
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(io_err(&target)(e));
        }
        self.files.push((tmp, target));
        Ok(())
    }

    /// Renames every file into place (the caller synced their contents first).
    fn place(&mut self) -> Result<()> {
        while let Some((tmp, target)) = self.files.get(self.placed) {
            fs::rename(tmp, target).map_err(io_err(target))?;
            self.placed += 1;
        }
        Ok(())
    }

    #[cfg(not(target_os = "linux"))]
    fn sync_contents(&self) -> Result<()> {
        for (tmp, target) in &self.files[self.placed..] {
            File::open(tmp)
                .and_then(|f| f.sync_data())
                .map_err(io_err(target))?;
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (tmp, _) in &self.files[self.placed..] {
            let _ = fs::remove_file(tmp);
        }
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
            finished_at: 0,
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
