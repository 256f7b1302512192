//! Point-in-time restore: the newest good base backup taken before the target time, unpacked
//! into a new data directory with the recovery settings that replay the archived WAL (through
//! `wal fetch`) up to that time and then promote.

use std::fs;
use std::io::Write as _;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::catalog::BackupEntry;
use super::files::{self, Format};
use super::{Error, base};

/// The good base backups that finished before `target`, newest first: only a backup that
/// was complete (consistent) before the target can be replayed up to it.
pub fn candidates(entries: &[BackupEntry], target: DateTime<Utc>) -> Vec<&BackupEntry> {
    let mut found: Vec<&BackupEntry> = entries
        .iter()
        .filter(|e| e.is_good() && e.format.is_some_and(Format::is_base))
        .filter(|e| e.manifest.as_ref().is_some_and(|m| m.finished_at <= target))
        .collect();
    found.sort_by_key(|e| std::cmp::Reverse(e.time));
    found
}

/// What recovery is told.
#[derive(Debug, Clone)]
pub struct Recovery {
    /// The command PostgreSQL runs to fetch each WAL file (`... wal fetch %f %p`).
    pub restore_command: String,
    /// Replay up to this time.
    pub target: DateTime<Utc>,
}

impl Recovery {
    /// The lines appended to `postgresql.auto.conf`.
    pub fn settings(&self) -> String {
        format!(
            "# point-in-time restore by wfctl\nrestore_command = {}\nrecovery_target_time = {}\nrecovery_target_action = 'promote'\n",
            conf_quote(&self.restore_command),
            conf_quote(&self.target.format("%Y-%m-%d %H:%M:%S%.6f+00").to_string()),
        )
    }
}

/// A value in postgresql.conf: single-quoted, quotes doubled.
pub(crate) fn conf_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// A word for `sh -c` (PostgreSQL runs restore_command through the shell).
pub fn shell_quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-+=:,@".contains(&b))
    {
        return word.to_owned();
    }
    format!("'{}'", word.replace('\'', "'\\''"))
}

/// Unpacks `backup` into `data_dir` (which must not exist, or be empty), writes the recovery
/// settings and `recovery.signal`. A failure removes what it created.
pub fn prepare(backup: &BackupEntry, data_dir: &Path, recovery: &Recovery) -> Result<(), Error> {
    let created = make_data_dir(data_dir)?;
    let result = (|| {
        match backup.format {
            Some(Format::Plain) => copy_tree(&backup.path, data_dir)?,
            _ => base::unpack(&backup.path, data_dir)?,
        }
        // what pg_basebackup's manifest and a previous recovery leave must not steer this one
        for stale in ["backup_manifest", "recovery.signal", "standby.signal"] {
            let _ = fs::remove_file(data_dir.join(stale));
        }
        let auto = data_dir.join("postgresql.auto.conf");
        let mut conf = fs::read_to_string(&auto).unwrap_or_default();
        if !conf.is_empty() && !conf.ends_with('\n') {
            conf.push('\n');
        }
        conf.push_str(&recovery.settings());
        files::write_atomic(&auto, conf.as_bytes())?;
        let signal = data_dir.join("recovery.signal");
        let mut file = files::create_new(&signal)?;
        file.flush().map_err(Error::io(&signal))?;
        file.sync_all().map_err(Error::io(&signal))?;
        files::sync_dir(data_dir)
    })();
    if result.is_err() {
        clear(data_dir, created);
    }
    result
}

/// The data directory, new (mode 0700) or empty (made 0700): PostgreSQL refuses to start on
/// a data directory others can read, so a `mkdir` with the usual 0755 is fixed here rather
/// than found out at `pg_ctl start`. Returns whether it was created.
fn make_data_dir(dir: &Path) -> Result<bool, Error> {
    use std::os::unix::fs::PermissionsExt as _;
    match fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(Error::Io {
                    path: dir.to_path_buf(),
                    source: std::io::Error::other(
                        "is not empty; restore into a new or empty directory (move the old one aside first)",
                    ),
                });
            }
            fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(Error::io(dir))?;
            Ok(false)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            fs::DirBuilder::new()
                .mode(0o700)
                .create(dir)
                .map_err(Error::io(dir))?;
            Ok(true)
        }
        Err(e) => Err(Error::Io {
            path: dir.to_path_buf(),
            source: e,
        }),
    }
}

fn clear(dir: &Path, created: bool) {
    if created {
        let _ = fs::remove_dir_all(dir);
    } else if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            let _ = if entry.file_type().is_ok_and(|t| t.is_dir()) {
                fs::remove_dir_all(&path)
            } else {
                fs::remove_file(&path)
            };
        }
    }
}

/// Copies a plain base backup (files, directories and pg_tblspc's symlinks).
fn copy_tree(from: &Path, to: &Path) -> Result<(), Error> {
    for entry in fs::read_dir(from).map_err(Error::io(from))? {
        let entry = entry.map_err(Error::io(from))?;
        let kind = entry.file_type().map_err(Error::io(&entry.path()))?;
        let dest: PathBuf = to.join(entry.file_name());
        if kind.is_dir() {
            fs::DirBuilder::new()
                .mode(0o700)
                .create(&dest)
                .map_err(Error::io(&dest))?;
            copy_tree(&entry.path(), &dest)?;
        } else if kind.is_symlink() {
            let target = fs::read_link(entry.path()).map_err(Error::io(&entry.path()))?;
            std::os::unix::fs::symlink(target, &dest).map_err(Error::io(&dest))?;
        } else if kind.is_file() {
            fs::copy(entry.path(), &dest).map_err(Error::io(&dest))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_directory_is_new_or_empty_and_private() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let new = dir.path().join("new");
        assert!(make_data_dir(&new).unwrap());
        assert_eq!(mode(&new), 0o700);
        let existing = dir.path().join("existing");
        fs::create_dir(&existing).unwrap();
        fs::set_permissions(&existing, fs::Permissions::from_mode(0o755)).unwrap();
        assert!(!make_data_dir(&existing).unwrap());
        assert_eq!(mode(&existing), 0o700);
        fs::write(existing.join("PG_VERSION"), "17").unwrap();
        fs::set_permissions(&existing, fs::Permissions::from_mode(0o755)).unwrap();
        let err = make_data_dir(&existing).unwrap_err().to_string();
        assert!(err.contains("is not empty"), "{err}");
        // refused without touching it
        assert_eq!(mode(&existing), 0o755);
    }

    #[test]
    fn quoting() {
        assert_eq!(conf_quote("it's"), "'it''s'");
        assert_eq!(shell_quote("/usr/bin/wfctl"), "/usr/bin/wfctl");
        assert_eq!(shell_quote("/a b/it's"), "'/a b/it'\\''s'");
        let r = Recovery {
            restore_command: "/usr/bin/wfctl --config '/etc/wf it.toml' wal fetch %f %p".into(),
            target: "2024-05-01T14:30:00.25Z".parse().unwrap(),
        };
        assert_eq!(
            r.settings(),
            "# point-in-time restore by wfctl\n\
             restore_command = '/usr/bin/wfctl --config ''/etc/wf it.toml'' wal fetch %f %p'\n\
             recovery_target_time = '2024-05-01 14:30:00.250000+00'\n\
             recovery_target_action = 'promote'\n"
        );
    }
}
