//! Retention that cannot do damage: runs only after a successful
//! backup, orders by the manifest's time (not names or mtimes, which lie after copies and
//! clock changes), never deletes the newest `keep_min` good backups, touches only backups
//! of the same database (or cluster) that this tool made, and reports every deletion.
//! Dumps and base backups share it.

use std::path::PathBuf;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::Error;
use super::catalog::{BackupEntry, EntryKind, Shape};
use super::files::{self, Format};

/// What to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionPolicy {
    /// Never delete the newest this many good backups (at least 1).
    pub keep_min: usize,
    /// Keep everything younger than this many days; None: keep only the newest `keep_min`.
    pub keep_days: Option<u32>,
}

/// One deletion, done or (dry run) planned.
#[derive(Debug, Clone, Serialize)]
pub struct Deletion {
    /// Always `backup_deleted`, so log readers can filter on it.
    pub event: &'static str,
    /// The file or directory.
    pub path: PathBuf,
    /// What it was.
    pub kind: EntryKind,
    /// Its format, if known.
    pub format: Option<Format>,
    /// Its database, if known.
    pub database: Option<String>,
    /// Its time (the manifest's, or the mtime of a leftover).
    pub taken_at: DateTime<Utc>,
    /// Bytes freed (`size_bytes`, as every size in JSON and as a WAL deletion says it).
    #[serde(rename = "size_bytes")]
    pub size: u64,
    /// Why.
    pub reason: String,
    /// True when nothing was deleted (`--dry-run`).
    pub dry_run: bool,
}

impl Deletion {
    fn of(entry: &BackupEntry, reason: String) -> Self {
        Self {
            event: "backup_deleted",
            path: entry.path.clone(),
            kind: entry.kind,
            format: entry.format,
            database: entry.database.clone(),
            taken_at: entry.time,
            size: entry.size,
            reason,
            dry_run: false,
        }
    }
}

/// The backups of `group` (see [`Manifest::group`](super::Manifest::group)) that `policy`
/// lets go, given the entries of the directory (newest first or not: they are sorted here).
pub fn plan(
    entries: &[BackupEntry],
    group: &str,
    policy: RetentionPolicy,
    now: DateTime<Utc>,
) -> Vec<Deletion> {
    plan_with(entries, group, policy, now, 0)
}

/// What [`plan`] would delete after one more good backup is taken now (`--dry-run`).
pub fn plan_after_next(
    entries: &[BackupEntry],
    group: &str,
    policy: RetentionPolicy,
    now: DateTime<Utc>,
) -> Vec<Deletion> {
    plan_with(entries, group, policy, now, 1)
}

fn plan_with(
    entries: &[BackupEntry],
    group: &str,
    policy: RetentionPolicy,
    now: DateTime<Utc>,
    already_kept: usize,
) -> Vec<Deletion> {
    let keep_min = policy.keep_min.max(1);
    let mut ours: Vec<&BackupEntry> = entries
        .iter()
        .filter(|e| e.kind == EntryKind::Backup)
        .filter(|e| e.manifest.as_ref().is_some_and(|m| m.group() == group))
        .collect();
    ours.sort_by_key(|e| std::cmp::Reverse(e.time));
    let max_age = policy.keep_days.map(|d| Duration::days(i64::from(d)));
    let mut good_kept = already_kept;
    let mut deletions = Vec::new();
    for entry in ours {
        if entry.is_good() && good_kept < keep_min {
            good_kept += 1;
            continue;
        }
        if entry.failed_verify_unproven() {
            // neither counted as good nor deleted: a failed run is no proof of damage
            continue;
        }
        let age = now - entry.time;
        if max_age.is_some_and(|max| age < max) {
            continue;
        }
        let mut reason = match policy.keep_days {
            Some(days) => format!(
                "older than {days} days ({} days) and not among the newest {keep_min} good backups",
                age.num_days()
            ),
            None => format!("not among the newest {keep_min} good backups"),
        };
        if let Some(problem) = &entry.problem {
            reason.push_str(&format!("; not good: {problem}"));
        }
        deletions.push(Deletion::of(entry, reason));
    }
    deletions
}

/// Leftovers of interrupted runs: `.partial` files and directories, and manifests whose
/// backup never got its final name. Only safe to delete while holding the directory lock.
pub fn leftovers(entries: &[BackupEntry]) -> Vec<Deletion> {
    entries
        .iter()
        .filter_map(|e| match e.kind {
            EntryKind::Incomplete => Some(Deletion::of(
                e,
                "left by an interrupted backup (never completed)".into(),
            )),
            EntryKind::OrphanManifest => Some(Deletion::of(
                e,
                "manifest of a backup that never got its final name".into(),
            )),
            _ => None,
        })
        .collect()
}

/// What a `--dry-run` of a backup reports: the leftovers of killed runs and what retention
/// would delete after one more good backup, none of it deleted.
pub fn dry_run(
    entries: &[BackupEntry],
    group: &str,
    policy: RetentionPolicy,
    on_delete: impl FnMut(&Deletion),
) -> Result<Vec<Deletion>, Error> {
    let all = leftovers(entries)
        .into_iter()
        .chain(plan_after_next(entries, group, policy, Utc::now()))
        .collect();
    apply(all, true, on_delete)
}

/// Before a backup: removes what killed runs left in the directory.
pub fn remove_leftovers(
    entries: &[BackupEntry],
    on_delete: impl FnMut(&Deletion),
) -> Result<Vec<Deletion>, Error> {
    apply(leftovers(entries), false, on_delete)
}

/// After a good backup (and under the same lock): reads the directory again and deletes what
/// `policy` lets go of `group`.
pub fn after_backup(
    dir: &std::path::Path,
    group: &str,
    policy: RetentionPolicy,
    on_delete: impl FnMut(&Deletion),
) -> Result<Vec<Deletion>, Error> {
    let entries = super::catalog::scan(dir)?;
    apply(plan(&entries, group, policy, Utc::now()), false, on_delete)
}

/// Deletes (unless `dry_run`) each planned entry and its manifest, calling `on_delete`
/// after each, so the caller can log it as it happens.
pub fn apply(
    deletions: Vec<Deletion>,
    dry_run: bool,
    mut on_delete: impl FnMut(&Deletion),
) -> Result<Vec<Deletion>, Error> {
    let mut done = Vec::new();
    for mut deletion in deletions {
        deletion.dry_run = dry_run;
        if !dry_run {
            remove(&deletion)?;
            if deletion.kind == EntryKind::Backup {
                let manifest = files::manifest_path(&deletion.path);
                // The backup goes first: a crash in between leaves an orphan manifest, which
                // the next run removes, never a backup without its manifest.
                match std::fs::remove_file(&manifest) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(Error::io(manifest)(e)),
                }
            }
        }
        on_delete(&deletion);
        done.push(deletion);
    }
    Ok(done)
}

/// Removes what the catalog found to be ours, checking its shape again: a regular file, or a
/// real directory where a base backup (or its leftover) is expected. A symlink, or a file
/// where a directory belongs (or the reverse), is refused: never followed, never deleted.
fn remove(deletion: &Deletion) -> Result<(), Error> {
    let path = &deletion.path;
    if std::fs::symlink_metadata(path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound) {
        return Ok(());
    }
    let base = deletion.format.is_some_and(Format::is_base);
    let (file_ok, dir_ok) = match deletion.kind {
        EntryKind::Backup => (!base, base),
        EntryKind::Incomplete => (true, true),
        EntryKind::OrphanManifest => (true, false),
        EntryKind::Legacy => (false, false),
    };
    let result = match Shape::of(path) {
        Some(Shape::File) if file_ok => std::fs::remove_file(path),
        Some(Shape::Dir) if dir_ok => std::fs::remove_dir_all(path),
        _ => Err(std::io::Error::other(
            "not deleted: not a backup file or directory of wfctl (a symlink or the wrong kind)",
        )),
    };
    result.map_err(Error::io(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backup::Manifest;
    use crate::backup::manifest::Origin;
    use crate::backup::{PgVersion, Tool};

    fn entry(db: &str, days_old: i64, now: DateTime<Utc>, problem: Option<&str>) -> BackupEntry {
        let time = now - Duration::days(days_old) - Duration::minutes(1);
        let name = files::backup_name(db, time, Format::SqlGz);
        let origin = Origin {
            database: Some(db.into()),
            server_version: "15".into(),
            tool: Tool {
                name: "pg_dump",
                path: "/x".into(),
                version: PgVersion {
                    major: 15,
                    text: "15".into(),
                },
            },
            migration_version: None,
            started_at: time,
        };
        BackupEntry {
            path: PathBuf::from("/b").join(&name),
            manifest: Some(Manifest::new(&name, Format::SqlGz, &origin)),
            name,
            kind: EntryKind::Backup,
            format: Some(Format::SqlGz),
            database: Some(db.into()),
            time,
            size: 1,
            problem: problem.map(str::to_string),
        }
    }

    fn names(d: &[Deletion]) -> Vec<String> {
        d.iter()
            .map(|d| d.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn deletes_old_backups_beyond_the_floor_of_one_database() {
        let now = Utc::now();
        let entries = vec![
            entry("wf", 0, now, None),
            entry("wf", 3, now, None),
            entry("wf", 8, now, None),
            entry("wf", 9, now, None),
            entry("wf", 30, now, None),
            entry("other", 40, now, None),
        ];
        let policy = RetentionPolicy {
            keep_min: 3,
            keep_days: Some(7),
        };
        let d = plan(&entries, "dump:wf", policy, now);
        assert_eq!(names(&d), names_of(&entries, &[3, 4]));
        // The floor wins over age: everything old, the newest 3 stay.
        let old: Vec<_> = (10..15).map(|n| entry("wf", n, now, None)).collect();
        let d = plan(&old, "dump:wf", policy, now);
        assert_eq!(names(&d), names_of(&old, &[3, 4]));
        // Count only (base backups' --keep N).
        let count = RetentionPolicy {
            keep_min: 2,
            keep_days: None,
        };
        let d = plan(&entries, "dump:wf", count, now);
        assert_eq!(names(&d), names_of(&entries, &[2, 3, 4]));
    }

    #[test]
    fn bad_backups_do_not_count_towards_the_floor() {
        let now = Utc::now();
        let entries = vec![
            entry("wf", 10, now, Some("size differs")),
            entry("wf", 11, now, None),
            entry("wf", 12, now, None),
        ];
        let policy = RetentionPolicy {
            keep_min: 2,
            keep_days: Some(7),
        };
        let d = plan(&entries, "dump:wf", policy, now);
        assert_eq!(names(&d), names_of(&entries, &[0]));
        assert!(
            d[0].reason.contains("not good: size differs"),
            "{}",
            d[0].reason
        );
    }

    /// A tar base backup `days_old`, with a verification record when `failed` is Some(damaged).
    fn base(days_old: i64, now: DateTime<Utc>, failed: Option<bool>) -> BackupEntry {
        let mut e = entry("base", days_old, now, None);
        e.format = Some(Format::Tar);
        e.database = None;
        let m = e.manifest.as_mut().unwrap();
        m.format = Format::Tar;
        m.database = None;
        m.size = e.size;
        if let Some(damaged) = failed {
            m.verification = Some(crate::backup::manifest::Verification {
                at: now,
                level: "pg_verifybackup".into(),
                ok: false,
                damaged,
                detail: "pg_waldump cannot read tar files".into(),
            });
            e.problem = Some("last verify failed: pg_waldump cannot read tar files".into());
        }
        e
    }

    #[test]
    fn a_base_backup_is_deleted_for_a_failed_verify_only_when_it_proved_damage() {
        let now = Utc::now();
        let count = RetentionPolicy {
            keep_min: 1,
            keep_days: None,
        };
        let entries = vec![
            base(0, now, Some(false)),
            base(1, now, None),
            base(2, now, None),
        ];
        let group = entries[0].manifest.as_ref().unwrap().group();
        let d = plan(&entries, &group, count, now);
        assert_eq!(names(&d), names_of(&entries, &[2]));
        let entries = vec![
            base(0, now, Some(true)),
            base(1, now, None),
            base(2, now, None),
        ];
        let d = plan(&entries, &group, count, now);
        assert_eq!(names(&d), names_of(&entries, &[0, 2]));
    }

    fn names_of(entries: &[BackupEntry], idx: &[usize]) -> Vec<String> {
        idx.iter().map(|i| entries[*i].name.clone()).collect()
    }
}
