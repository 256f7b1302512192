//! Removing a whole case from the file store (`case purge`), so that a kill at any moment
//! leaves a case that the next purge (or the next opening of the store) finishes removing.
//!
//! The removal is recorded first: `.purge/{case}.json` lists the case's files and is synced
//! before any of them goes. Then every file but the journey is removed, the journey last (the
//! journey is what makes a case exist, and a case id whose journey exists cannot be started
//! again, so an unfinished removal can never meet a new case of the same id), the directory is
//! synced and the record removed. The record holds the SHA-256 of each file: a record found
//! later is finished the same way only while every file of the case still there is one it
//! names, with the content it names (the case that was archived, part removed); a case that
//! was changed or created anew since (a reopen after the kill, or a new case once the journey
//! was gone) is left and the record dropped. All of it under the case lock.
//! The lock file and the case's entry in `counters.json` stay: the counter is only a floor for
//! the sequence of a later case of the same id.

use std::fs;
use std::path::PathBuf;

use super::write::{
    SPARE_PREFIX, create_file, io_err, private_dir, read_if_exists, remove_if_exists, sync_dir,
};
use super::{FileStore, layout};
use crate::store::{CaseStore, Error, LockWait, Result};

const PURGE_DIR: &str = ".purge";

/// `.purge/{case}.json`: the files being removed, name and SHA-256 of the content.
#[derive(serde::Serialize, serde::Deserialize)]
struct Record {
    files: Vec<(String, String)>,
}

fn sha_of(path: &std::path::Path) -> Result<String> {
    use sha2::{Digest, Sha256};
    let bytes =
        super::read::read_regular(path, false, super::read::MAX_RECORD_BYTES).map_err(|e| {
            Error::Corrupt {
                what: crate::conventions::path_text(path),
                reason: e.to_string(),
            }
        })?;
    Ok(Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

impl FileStore {
    fn purge_dir(&self) -> PathBuf {
        self.dir().join(PURGE_DIR)
    }

    /// The files of a case in the store directory (names), the journey last: its records,
    /// audit records and the spares of rewritten records.
    fn case_file_names(&self, case_id: &str) -> Result<Vec<String>> {
        let mut names: Vec<String> = self
            .audit_files(case_id)?
            .into_iter()
            .map(|(_, _, name)| name)
            .collect();
        let legacy = format!(
            "{}{case_id}{}",
            crate::model::LEGACY_PROCESS_INFO_PREFIX,
            layout::EXT
        );
        let mut records: Vec<String> = layout::journalled_files(case_id).into();
        records.push(legacy);
        for name in &records {
            names.push(format!("{SPARE_PREFIX}{name}"));
        }
        // journey last: it is first in `journalled_files`
        records.rotate_left(1);
        names.extend(records);
        names.retain(|n| fs::symlink_metadata(self.dir().join(n)).is_ok());
        Ok(names)
    }

    /// Removes every file of `case_id`, which the caller holds the lock of (see the module
    /// doc); returns how many files were removed.
    pub fn remove_case(&self, case_id: &str) -> Result<usize> {
        layout::check_case_id(case_id)?;
        let names = self.case_file_names(case_id)?;
        let dir = self.purge_dir();
        private_dir(&dir)?;
        let record = layout::journal_file(case_id);
        let mut files = Vec::with_capacity(names.len());
        for name in &names {
            files.push((name.clone(), sha_of(&self.dir().join(name))?));
        }
        let text = serde_json::to_string(&Record { files }).expect("a record serialises");
        create_file(&dir, &record, text.as_bytes())?;
        sync_dir(&dir)?;
        self.finish_removal(case_id, &names)?;
        Ok(names.len())
    }

    fn finish_removal(&self, case_id: &str, names: &[String]) -> Result<()> {
        for name in names {
            remove_if_exists(&self.dir().join(name))?;
        }
        sync_dir(self.dir())?;
        let attempts = self.dir().join(layout::ATTEMPTS_DIR);
        let attempt = layout::attempt_file(case_id);
        for name in [attempt.clone(), format!("{SPARE_PREFIX}{attempt}")] {
            remove_if_exists(&attempts.join(name))?;
        }
        let dir = self.purge_dir();
        remove_if_exists(&dir.join(layout::journal_file(case_id)))?;
        sync_dir(&dir)
    }

    /// Finishes the removals a killed purge left (see the module doc); a case whose lock is
    /// held is left for later. Returns the cases finished.
    pub fn finish_interrupted_removals(&self) -> Result<Vec<String>> {
        let dir = self.purge_dir();
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_err(&dir)(e)),
        };
        let mut finished = Vec::new();
        for entry in entries {
            let entry = entry.map_err(io_err(&dir))?;
            let Some(case_id) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(layout::EXT))
                .map(str::to_owned)
            else {
                continue;
            };
            if layout::check_case_id(&case_id).is_err() {
                continue;
            }
            let _lock = match self.lock_case(&case_id, LockWait::Try) {
                Ok(lock) => lock,
                Err(Error::Locked { .. }) => continue,
                Err(e) => return Err(e),
            };
            let path = entry.path();
            let Some(text) = read_if_exists(&path)? else {
                continue;
            };
            // a record without contents (an older wfctl's) cannot tell the case it was from
            let recorded = serde_json::from_str::<Record>(&text)
                .map(|r| r.files)
                .unwrap_or_default();
            // only the case that was being removed: every file of the case now is one the
            // record names, with the same content
            let own = self.case_file_names(&case_id)?;
            let mut same = !recorded.is_empty();
            for name in &own {
                let Some((_, sha)) = recorded.iter().find(|(n, _)| n == name) else {
                    same = false;
                    break;
                };
                if sha_of(&self.dir().join(name)).ok().as_ref() != Some(sha) {
                    same = false;
                    break;
                }
            }
            if !same {
                let dir = self.purge_dir();
                remove_if_exists(&path)?;
                sync_dir(&dir)?;
                continue;
            }
            self.finish_removal(&case_id, &own)?;
            finished.push(case_id);
        }
        Ok(finished)
    }
}
