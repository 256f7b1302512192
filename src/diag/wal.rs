//! `diag wal`: is the WAL archive that point-in-time recovery depends on being fed? Archive
//! settings, `pg_stat_archiver` (last archived segment and its age, failures), segments waiting
//! to be archived, WAL volume and `max_wal_size` pressure. Reads only; works with a read-only
//! role (what it cannot see becomes a [`Limitation`]).
//!
//! Critical (exit 3 under `--check`): archiving off; `archive_mode` on with nothing to archive
//! with; the latest archive attempt failed; completed segments waiting longer than
//! `max_archive_age`. WAL in the current, unfinished segment is not "waiting": it cannot be
//! archived before the segment fills or `archive_timeout` switches it, which is why a missing
//! `archive_timeout` is a warning.
//!
//! `archive_command` can carry credentials, so only its program (first word) is reported.

pub mod archive;
mod read;

use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::pg::PgConnection;
use serde::Serialize;

use crate::db::Error;
use crate::diag::settings::{self, PgSetting};
use crate::diag::{Finding, Limitation, Outcome, Severity};

pub use read::{Archiver, CheckpointCounters, WalStat};

/// The default `--max-archive-age`.
pub(crate) const MAX_ARCHIVE_AGE: Duration = Duration::from_secs(15 * 60);
/// The guide's `archive_timeout = 300`.
pub const GUIDE_ARCHIVE_TIMEOUT: Duration = Duration::from_secs(300);

/// Thresholds.
#[derive(Debug, Clone)]
pub struct WalOptions {
    /// How long a completed segment may wait for the archive.
    pub max_archive_age: Duration,
}

impl Default for WalOptions {
    /// `--max-archive-age 15m`.
    fn default() -> Self {
        Self {
            max_archive_age: MAX_ARCHIVE_AGE,
        }
    }
}

/// The whole report; `findings` and `limitations` are what `diag all` collects.
#[derive(Debug, Clone, Serialize)]
pub struct WalReport {
    /// `server_version`.
    pub server_version: String,
    /// A standby (it writes no WAL of its own).
    pub in_recovery: bool,
    /// The archive settings.
    pub archiving: Archiving,
    /// `pg_stat_archiver` and its ages.
    pub archiver: Archiver,
    /// What waits for the archive.
    pub backlog: Backlog,
    /// WAL volume and checkpoint pressure.
    pub volume: Volume,
    /// What is off, worst first.
    pub findings: Vec<Finding>,
    /// What the repository holds of the archive (when one is configured).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archive: Option<archive::ArchiveContents>,
    /// `wal_segment_size` in bytes.
    #[serde(skip)]
    pub segment_size: u64,
    /// What the role could not see.
    pub limitations: Vec<Limitation>,
}

/// The settings that make archiving work.
#[derive(Debug, Clone, Serialize)]
pub struct Archiving {
    /// `archive_mode`: off, on, always.
    pub archive_mode: Option<String>,
    /// The first word of `archive_command` (`cp`, `pgbackrest`, ...); the rest may be secret.
    pub archive_program: Option<String>,
    /// `archive_library` (PostgreSQL 15+).
    pub archive_library: Option<String>,
    /// `archive_timeout` in seconds (0: never forces a segment switch).
    pub archive_timeout_seconds: Option<u64>,
    /// `wal_level`: archiving needs replica or logical.
    pub wal_level: Option<String>,
}

/// WAL not yet in the archive.
#[derive(Debug, Clone, Serialize)]
pub struct Backlog {
    /// The segment being written now.
    pub current_wal: Option<String>,
    /// Completed segments after the last archived one (from the segment numbers).
    pub segments_waiting: Option<u64>,
    /// Bytes written since the end of the last archived segment.
    pub unarchived_bytes: Option<u64>,
    /// `.ready` files in `pg_wal/archive_status` (needs pg_monitor).
    pub ready_files: Option<u64>,
    /// When the oldest of them became ready.
    pub oldest_ready: Option<DateTime<Utc>>,
    /// Segment files in `pg_wal` and their size (needs pg_monitor).
    pub pg_wal_files: Option<u64>,
    /// See `pg_wal_files`.
    pub pg_wal_bytes: Option<u64>,
}

/// How much WAL is written and whether `max_wal_size` keeps up.
#[derive(Debug, Clone, Serialize)]
pub struct Volume {
    /// `pg_stat_wal` (PostgreSQL 14+).
    pub stat: Option<WalStat>,
    /// Average since `stat.stats_reset`, bytes per second.
    pub bytes_per_second: Option<f64>,
    /// Written since the last checkpoint's redo point.
    pub since_checkpoint_bytes: Option<u64>,
    /// When the last checkpoint ran.
    pub last_checkpoint: Option<DateTime<Utc>>,
    /// Timed vs requested checkpoints.
    pub checkpoints: Option<CheckpointCounters>,
    /// `max_wal_size` in bytes.
    pub max_wal_size_bytes: Option<u64>,
    /// rate x checkpoint_timeout x (1 + checkpoint_completion_target): what lets checkpoints
    /// come from the timer, not from WAL volume.
    pub needed_max_wal_size_bytes: Option<u64>,
}

const NAMES: [&str; 10] = [
    "archive_mode",
    "archive_command",
    "archive_library",
    "archive_timeout",
    "wal_level",
    "max_wal_size",
    "checkpoint_timeout",
    "checkpoint_completion_target",
    "wal_segment_size",
    "server_version",
];

/// `diag all`'s WAL check: the findings and limitations of [`check`], in the one
/// [`super::all::Check`] shape.
pub(crate) fn evaluate(
    conn: &mut PgConnection,
    options: &WalOptions,
) -> Result<Outcome, super::Error> {
    let report = check(conn, options)?;
    Ok(Outcome {
        findings: report.findings,
        limitations: report.limitations,
        ..Outcome::default()
    })
}

/// Runs the check. Changes nothing.
pub fn check(conn: &mut PgConnection, options: &WalOptions) -> Result<WalReport, Error> {
    let mut limitations = Vec::new();
    let raw = read::all(conn, &mut limitations)?;
    let pg = settings::read_settings(conn, &NAMES)?;
    let find = |name: &str| pg.iter().find(|s| s.name == name);
    let text = |name: &str| find(name).map(|s| s.setting.clone());
    let amount = |name: &str| find(name).and_then(PgSetting::quantity).map(|q| q.value);

    let command = text("archive_command").filter(|c| !c.is_empty() && c != "(disabled)");
    let archiving = Archiving {
        archive_mode: text("archive_mode"),
        archive_program: command
            .as_deref()
            .and_then(|c| c.split_whitespace().next())
            .map(str::to_string),
        archive_library: text("archive_library").filter(|l| !l.is_empty()),
        archive_timeout_seconds: amount("archive_timeout").map(|ms| (ms / 1000.0) as u64),
        wal_level: text("wal_level"),
    };
    let segment_size = amount("wal_segment_size").unwrap_or(16.0 * 1024.0 * 1024.0) as u64;
    let status = &raw.status;
    let (segments_waiting, unarchived_bytes) = match (
        status.current_wal.as_deref(),
        status.current_lsn,
        &raw.archiver.last_archived_wal,
    ) {
        (Some(current), Some(lsn), Some(last)) => {
            match (
                segment_number(current, segment_size),
                segment_number(last, segment_size),
            ) {
                (Some(cur), Some(last)) => (
                    Some(cur.saturating_sub(last).saturating_sub(1)),
                    Some((lsn as u64).saturating_sub((last + 1) * segment_size)),
                ),
                _ => (None, None),
            }
        }
        _ => (None, None),
    };
    let backlog = Backlog {
        current_wal: status.current_wal.clone(),
        segments_waiting,
        unarchived_bytes,
        ready_files: raw.ready.as_ref().map(|r| r.ready as u64),
        oldest_ready: raw.ready.as_ref().and_then(|r| r.oldest),
        pg_wal_files: raw.dir.as_ref().map(|d| d.files as u64),
        pg_wal_bytes: raw.dir.as_ref().map(|d| d.bytes as u64),
    };
    let volume = volume(&raw, status.now, &amount);

    let mut findings = Vec::new();
    let judge = Judge {
        now: status.now,
        max_age: options.max_archive_age,
        findings: &mut findings,
    };
    judge.run(
        &archiving,
        &raw.archiver,
        &backlog,
        &volume,
        status.in_recovery,
    );
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    Ok(WalReport {
        server_version: text("server_version").unwrap_or_default(),
        in_recovery: status.in_recovery,
        archiving,
        archiver: raw.archiver,
        backlog,
        volume,
        findings,
        archive: None,
        segment_size,
        limitations,
    })
}

fn volume(raw: &read::Raw, now: DateTime<Utc>, amount: &dyn Fn(&str) -> Option<f64>) -> Volume {
    let per_second = |bytes: i64, since: Option<DateTime<Utc>>| {
        let seconds = (now - since?).num_seconds();
        (seconds >= 60).then(|| bytes as f64 / seconds as f64)
    };
    let average = raw
        .stat
        .as_ref()
        .and_then(|s| per_second(s.wal_bytes, s.stats_reset));
    let since_checkpoint = match (&raw.checkpoint, raw.status.current_lsn) {
        (Some(c), Some(lsn)) => Some((lsn - c.redo_lsn).max(0)),
        _ => None,
    };
    let recent = since_checkpoint
        .and_then(|bytes| per_second(bytes, raw.checkpoint.as_ref().map(|c| c.checkpoint_time)));
    let rate = match (average, recent) {
        (Some(a), Some(r)) => Some(a.max(r)),
        (a, r) => a.or(r),
    };
    let needed = match (
        rate,
        amount("checkpoint_timeout"),
        amount("checkpoint_completion_target"),
    ) {
        (Some(rate), Some(timeout_ms), Some(target)) => {
            Some((rate * timeout_ms / 1000.0 * (1.0 + target)) as u64)
        }
        _ => None,
    };
    Volume {
        stat: raw.stat.clone(),
        bytes_per_second: average,
        since_checkpoint_bytes: since_checkpoint.map(|b| b as u64),
        last_checkpoint: raw.checkpoint.as_ref().map(|c| c.checkpoint_time),
        checkpoints: raw.checkpoints.clone(),
        max_wal_size_bytes: amount("max_wal_size").map(|b| b as u64),
        needed_max_wal_size_bytes: needed,
    }
}

/// `TTTTTTTTXXXXXXXXYYYYYYYY[.partial|.00000028.backup]` → the segment number.
fn segment_number(name: &str, segment_size: u64) -> Option<u64> {
    let hex = name.get(..24)?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) || segment_size == 0 {
        return None;
    }
    let log = u64::from_str_radix(&hex[8..16], 16).ok()?;
    let seg = u64::from_str_radix(&hex[16..24], 16).ok()?;
    Some(log * (0x1_0000_0000 / segment_size) + seg)
}

struct Judge<'a> {
    now: DateTime<Utc>,
    max_age: Duration,
    findings: &'a mut Vec<Finding>,
}

impl Judge<'_> {
    fn push(&mut self, severity: Severity, message: String, fix: Option<String>) {
        let finding = Finding::new("wal", severity, message);
        self.findings.push(match fix {
            Some(fix) => finding.with_fix(fix),
            None => finding,
        });
    }

    fn age(&self, at: DateTime<Utc>) -> String {
        let seconds = (self.now - at).num_seconds().max(0) as u64;
        crate::conventions::duration_text(Duration::from_secs(seconds))
    }

    fn run(
        mut self,
        archiving: &Archiving,
        archiver: &Archiver,
        backlog: &Backlog,
        volume: &Volume,
        in_recovery: bool,
    ) {
        let mode = archiving.archive_mode.as_deref().unwrap_or("off");
        if mode == "off" || (in_recovery && mode != "always") {
            if in_recovery {
                self.push(
                    Severity::Ok,
                    "a standby with archive_mode not 'always': the primary archives".into(),
                    None,
                );
            } else {
                let mut fix = String::new();
                if archiving.wal_level.as_deref() == Some("minimal") {
                    fix.push_str("ALTER SYSTEM SET wal_level = replica; ");
                }
                fix.push_str(
                    "ALTER SYSTEM SET archive_mode = on; ALTER SYSTEM SET archive_command = \
                     'test ! -f /var/lib/postgresql/wal_archive/%f && cp %p /var/lib/postgresql/wal_archive/%f'; \
                     ALTER SYSTEM SET archive_timeout = '5min'; then restart PostgreSQL",
                );
                self.push(
                    Severity::Critical,
                    "WAL archiving is off (archive_mode = off): no point-in-time recovery".into(),
                    Some(fix),
                );
            }
            self.pressure(volume);
            return;
        }
        if archiving.archive_program.is_none() && archiving.archive_library.is_none() {
            self.push(
                Severity::Critical,
                "archive_mode is on but neither archive_command nor archive_library is set: \
                 nothing is archived and WAL piles up in pg_wal"
                    .into(),
                Some("ALTER SYSTEM SET archive_command = '...'; SELECT pg_reload_conf();".into()),
            );
        }
        self.failures(archiver);
        self.backlog(archiver, backlog);
        match archiving.archive_timeout_seconds {
            Some(0) => self.push(
                Severity::Warning,
                "archive_timeout = 0: on a quiet server the last WAL stays out of the archive \
                 until its segment fills (the guide sets 300)"
                    .into(),
                Some("ALTER SYSTEM SET archive_timeout = '5min'; SELECT pg_reload_conf();".into()),
            ),
            Some(seconds) if Duration::from_secs(seconds) > self.max_age => self.push(
                Severity::Warning,
                format!(
                    "archive_timeout ({}) is longer than the allowed archive age ({})",
                    crate::conventions::duration_text(Duration::from_secs(seconds)),
                    crate::conventions::duration_text(self.max_age)
                ),
                None,
            ),
            _ => {}
        }
        self.pressure(volume);
    }

    fn failures(&mut self, archiver: &Archiver) {
        if archiver.failed_count == 0 {
            return;
        }
        let failed_last = match (archiver.last_failed_time, archiver.last_archived_time) {
            (Some(failed), Some(archived)) => failed >= archived,
            (Some(_), None) => true,
            _ => false,
        };
        let when = archiver
            .last_failed_time
            .map(|t| format!("{} ago", self.age(t)))
            .unwrap_or_default();
        let wal = archiver.last_failed_wal.as_deref().unwrap_or("?");
        if failed_last {
            self.push(
                Severity::Critical,
                format!(
                    "archiving is failing: {wal} failed {when} ({} failures since the statistics \
                     reset); the server log has the command's error",
                    archiver.failed_count
                ),
                Some("fix archive_command (test it by hand as the postgres user), then SELECT pg_reload_conf();".into()),
            );
        } else {
            self.push(
                Severity::Warning,
                format!(
                    "{} archive failures, the last ({wal}) {when}; archiving has succeeded since",
                    archiver.failed_count
                ),
                Some("SELECT pg_stat_reset_shared('archiver'); once understood".into()),
            );
        }
    }

    fn backlog(&mut self, archiver: &Archiver, backlog: &Backlog) {
        let max = crate::conventions::duration_text(self.max_age);
        let too_old =
            |at: DateTime<Utc>| (self.now - at).to_std().is_ok_and(|age| age > self.max_age);
        if let (Some(ready), Some(oldest)) = (backlog.ready_files, backlog.oldest_ready) {
            if ready > 0 && too_old(oldest) {
                let age = self.age(oldest);
                self.push(
                    Severity::Critical,
                    format!(
                        "{ready} WAL segments wait for the archive, the oldest for {age} (more than {max})"
                    ),
                    None,
                );
            }
            return;
        }
        match (backlog.segments_waiting, archiver.last_archived_time) {
            (Some(waiting), Some(last)) if waiting > 0 && too_old(last) => {
                let age = self.age(last);
                self.push(
                    Severity::Critical,
                    format!(
                        "{waiting} completed WAL segments are not archived and the last archive \
                         was {age} ago (more than {max})"
                    ),
                    None,
                );
            }
            _ => {}
        }
    }

    fn pressure(&mut self, volume: &Volume) {
        if let (Some(needed), Some(max)) =
            (volume.needed_max_wal_size_bytes, volume.max_wal_size_bytes)
            && needed > max
        {
            let gb = needed.div_ceil(1 << 30);
            self.push(
                Severity::Warning,
                format!(
                    "WAL volume needs max_wal_size of about {} MB for checkpoints to come from \
                     checkpoint_timeout; it is {} MB",
                    needed >> 20,
                    max >> 20
                ),
                Some(format!(
                    "ALTER SYSTEM SET max_wal_size = '{gb}GB'; SELECT pg_reload_conf();"
                )),
            );
        } else if let Some(c) = &volume.checkpoints
            && c.timed + c.requested >= 10
            && c.requested * 2 > c.timed + c.requested
        {
            self.push(
                Severity::Warning,
                format!(
                    "{} of {} checkpoints were requested, not timed: WAL bursts beyond \
                     max_wal_size, or frequent CHECKPOINT / base backups / CREATE DATABASE",
                    c.requested,
                    c.timed + c.requested
                ),
                None,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(volume: &Volume) -> Vec<Finding> {
        let mut findings = Vec::new();
        Judge {
            now: Utc::now(),
            max_age: Duration::from_secs(900),
            findings: &mut findings,
        }
        .pressure(volume);
        findings
    }

    fn volume(needed: Option<u64>, timed: i64, requested: i64) -> Volume {
        Volume {
            stat: None,
            bytes_per_second: None,
            since_checkpoint_bytes: None,
            last_checkpoint: None,
            checkpoints: Some(read::CheckpointCounters {
                timed,
                requested,
                stats_reset: None,
            }),
            max_wal_size_bytes: Some(1 << 30),
            needed_max_wal_size_bytes: needed,
        }
    }

    #[test]
    fn wal_volume_beyond_max_wal_size_says_how_large_to_make_it() {
        let found = judged(&volume(Some(5 << 29), 100, 0));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].severity, Severity::Warning);
        assert!(
            found[0].message.contains("about 2560 MB"),
            "{}",
            found[0].message
        );
        assert!(
            found[0].message.contains("it is 1024 MB"),
            "{}",
            found[0].message
        );
        assert_eq!(
            found[0].fix.as_deref(),
            Some("ALTER SYSTEM SET max_wal_size = '3GB'; SELECT pg_reload_conf();")
        );
    }

    #[test]
    fn mostly_requested_checkpoints_are_a_warning_and_timed_ones_are_fine() {
        let found = judged(&volume(Some(1 << 29), 2, 8));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .message
                .starts_with("8 of 10 checkpoints were requested")
        );
        assert!(judged(&volume(Some(1 << 29), 9, 1)).is_empty());
        // too few checkpoints to say
        assert!(judged(&volume(None, 1, 5)).is_empty());
    }

    #[test]
    fn segment_numbers_follow_the_file_names() {
        let size = 16 << 20;
        assert_eq!(segment_number("000000010000000000000001", size), Some(1));
        assert_eq!(
            segment_number("0000000100000001000000FF", size),
            Some(256 + 255)
        );
        assert_eq!(
            segment_number("000000010000000000000002.00000028.backup", size),
            Some(2)
        );
        assert_eq!(segment_number("00000002.history", size), None);
        assert_eq!(segment_number("000000010000000100000001", 1 << 30), Some(5));
    }
}
