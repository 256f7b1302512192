//! Databases wfctl creates and must drop again: the throwaway database of `db verify
//! --restore-test` and the target `db restore --create` creates. A wfctl killed with `kill -9`
//! cannot drop them, so each carries its owner (a key for the machine and boot, the pid, the
//! process's start time, when it was created), and the next run drops those whose owner is
//! gone. A scratch database has it in its name, so it is recognisable from the moment it
//! exists: the `--restore-test` database, and the loading database a `--create` restore fills
//! and renames to its target once everything is in. The renamed target keeps the owner in its
//! comment until that comment is cleared, the last step of a successful restore.
//! Nothing without a well-formed owner is ever dropped.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};
use sha2::{Digest, Sha256};

use super::server::quote_ident;
use crate::db::Error as DbError;

/// The start of every `--restore-test` database's name.
const VERIFY_PREFIX: &str = "wfctl_verify_";
/// The start of the name of the database a `--create` restore loads before it is renamed.
const RESTORE_PREFIX: &str = "wfctl_restore_";
/// The start of the comment that marks a `--create` target while it is restored.
const COMMENT_PREFIX: &str = "wfctl scratch:";
/// A scratch database created from another machine is dropped once it is this old: no
/// restore test runs that long, and its owner's pid cannot be checked from here.
pub(crate) const FOREIGN_AGE_LIMIT: Duration = Duration::from_secs(48 * 3600);

/// The process that created a scratch database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// Machine and boot (8 hex digits of a hash of the boot id and the host name).
    pub machine: String,
    /// Its pid.
    pub pid: u32,
    /// Its start time in clock ticks since boot (tells a reused pid apart).
    pub start: u64,
    /// When it created the database, in seconds since the epoch.
    pub since: u64,
}

impl Owner {
    /// This process.
    pub fn this_process() -> Self {
        let pid = std::process::id();
        Owner {
            machine: machine_key(),
            pid,
            start: process_start(pid).unwrap_or(0),
            since: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        }
    }

    /// The name of a `--restore-test` database owned by this owner.
    pub fn verify_name(&self) -> String {
        self.name(VERIFY_PREFIX)
    }

    /// The name of the database a `--create` restore by this owner loads.
    pub fn restore_name(&self) -> String {
        self.name(RESTORE_PREFIX)
    }

    fn name(&self, prefix: &str) -> String {
        format!(
            "{prefix}{}_{}_{}_{}",
            self.since, self.pid, self.start, self.machine
        )
    }

    /// The comment marking a `--create` target owned by this owner.
    pub fn comment(&self) -> String {
        format!(
            "{COMMENT_PREFIX} machine={} pid={} start={} since={}",
            self.machine, self.pid, self.start, self.since
        )
    }

    /// The owner a scratch database name encodes, if it is one of ours.
    pub fn from_name(name: &str) -> Option<Self> {
        let rest = name
            .strip_prefix(VERIFY_PREFIX)
            .or_else(|| name.strip_prefix(RESTORE_PREFIX))?;
        let parts: Vec<&str> = rest.split('_').collect();
        let [since, pid, start, machine] = parts.as_slice() else {
            return None;
        };
        Self::from_parts(machine, pid, start, since)
    }

    /// The owner a comment records, if it is wfctl's marker.
    pub fn from_comment(comment: &str) -> Option<Self> {
        let rest = comment.strip_prefix(COMMENT_PREFIX)?;
        let mut fields = rest.split_whitespace().map(|f| f.split_once('='));
        let mut take = |key: &str| match fields.next() {
            Some(Some((k, v))) if k == key => Some(v),
            _ => None,
        };
        let (machine, pid, start, since) = (
            take("machine")?,
            take("pid")?,
            take("start")?,
            take("since")?,
        );
        if fields.next().is_some() {
            return None;
        }
        Self::from_parts(machine, pid, start, since)
    }

    fn from_parts(machine: &str, pid: &str, start: &str, since: &str) -> Option<Self> {
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let hex = machine.len() == 8 && machine.bytes().all(|b| b.is_ascii_hexdigit());
        if !(hex && digits(pid) && digits(start) && digits(since)) {
            return None;
        }
        Some(Owner {
            machine: machine.to_string(),
            pid: pid.parse().ok()?,
            start: start.parse().ok()?,
            since: since.parse().ok()?,
        })
    }

    /// Why the owner is gone, or None while it may still be running. On this machine: its
    /// pid is gone or now belongs to a later process; from another machine: it is older than
    /// [`FOREIGN_AGE_LIMIT`].
    pub fn gone(&self) -> Option<String> {
        if self.machine == machine_key() {
            return match process_start(self.pid) {
                None => Some(format!("its wfctl (pid {}) is gone", self.pid)),
                Some(start) if start != self.start => {
                    Some(format!("its wfctl (pid {}) is gone", self.pid))
                }
                Some(_) => None,
            };
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let age = now.saturating_sub(self.since);
        (age > FOREIGN_AGE_LIMIT.as_secs())
            .then(|| format!("created from another machine {} h ago", age / 3600))
    }
}

/// A stale scratch database that was dropped.
#[derive(Debug, Clone)]
pub struct Dropped {
    /// Its name.
    pub database: String,
    /// Why its owner counts as gone.
    pub reason: String,
}

/// A stale scratch database that could not be dropped.
#[derive(Debug, Clone)]
pub struct Kept {
    /// Its name.
    pub database: String,
    /// The server's answer.
    pub error: String,
}

#[derive(QueryableByName)]
struct Candidate {
    #[diesel(sql_type = Text)]
    datname: String,
    #[diesel(sql_type = Nullable<Text>)]
    comment: Option<String>,
}

/// Drops every scratch database whose owner is gone. A database counts as scratch only by a
/// well-formed owner in its name (`wfctl_verify_…`, `wfctl_restore_…`) or in its comment; any
/// other is left alone, whatever its name.
pub fn drop_stale(conn: &mut PgConnection) -> Result<(Vec<Dropped>, Vec<Kept>), DbError> {
    let candidates: Vec<Candidate> = diesel::sql_query(
        "/* wfctl:scratch_list */ \
         SELECT d.datname::text AS datname, c.description AS comment \
         FROM pg_database d \
         LEFT JOIN pg_shdescription c \
           ON c.objoid = d.oid AND c.classoid = 'pg_database'::regclass \
         WHERE d.datname LIKE 'wfctl\\_verify\\_%' OR d.datname LIKE 'wfctl\\_restore\\_%' \
            OR c.description LIKE 'wfctl scratch:%'",
    )
    .load(conn)
    .map_err(DbError::query("looking for stale scratch databases"))?;
    let (mut dropped, mut kept) = (Vec::new(), Vec::new());
    for candidate in candidates {
        let owner = Owner::from_name(&candidate.datname)
            .or_else(|| candidate.comment.as_deref().and_then(Owner::from_comment));
        let Some(reason) = owner.and_then(|o| o.gone()) else {
            continue;
        };
        let sql = format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            quote_ident(&candidate.datname)
        );
        match conn.batch_execute(&sql) {
            Ok(()) => dropped.push(Dropped {
                database: candidate.datname,
                reason,
            }),
            Err(e) => kept.push(Kept {
                database: candidate.datname,
                error: e.to_string(),
            }),
        }
    }
    Ok((dropped, kept))
}

/// Marks a database this process created as its scratch: the mark goes with it when it is
/// renamed.
pub fn mark(conn: &mut PgConnection, database: &str, owner: &Owner) -> Result<(), DbError> {
    // The comment holds only digits, hex and fixed words: nothing to quote.
    conn.batch_execute(&format!(
        "COMMENT ON DATABASE {} IS '{}'",
        quote_ident(database),
        owner.comment()
    ))
    .map_err(DbError::query(format!(
        "marking {database} as wfctl's while restoring"
    )))
}

/// Makes a database marked by [`mark`] the user's: it is no longer dropped as stale.
pub(crate) fn unmark(conn: &mut PgConnection, database: &str) -> Result<(), DbError> {
    conn.batch_execute(&format!(
        "COMMENT ON DATABASE {} IS NULL",
        quote_ident(database)
    ))
    .map_err(DbError::query(format!(
        "handing {database} over to its owner"
    )))
}

/// 8 hex digits naming this machine and boot: a pid means the same process only under both.
fn machine_key() -> String {
    let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
    let mut hash = Sha256::new();
    hash.update(read("/proc/sys/kernel/random/boot_id").trim());
    hash.update(b"\n");
    hash.update(read("/proc/sys/kernel/hostname").trim());
    hash.finalize()[..4]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A process's start time (clock ticks since boot), or None when there is no such process.
fn process_start(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name in parentheses may hold spaces; the fields after it are plain.
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().nth(19)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_owner_survives_its_name_and_its_comment() {
        let owner = Owner::this_process();
        assert_ne!(owner.start, 0);
        assert!(owner.verify_name().len() <= 63, "{}", owner.verify_name());
        assert_eq!(Owner::from_name(&owner.verify_name()), Some(owner.clone()));
        assert!(owner.restore_name().len() <= 63, "{}", owner.restore_name());
        assert_eq!(Owner::from_name(&owner.restore_name()), Some(owner.clone()));
        assert_eq!(Owner::from_comment(&owner.comment()), Some(owner.clone()));
        assert_eq!(owner.gone(), None, "this process is alive");
    }

    #[test]
    fn scratch_names_fit_a_postgresql_name_for_any_realistic_owner() {
        // pid_max is at most 2^22; ten years of uptime at 1000 ticks/s; the year 5000
        let owner = Owner {
            machine: "ffffffff".into(),
            pid: 1 << 22,
            start: 10 * 365 * 86_400 * 1000,
            since: 95_000_000_000,
        };
        for name in [owner.verify_name(), owner.restore_name()] {
            assert_eq!(
                crate::db::names::identifier_problem("scratch", &name),
                None,
                "{name}"
            );
        }
    }

    #[test]
    fn names_and_comments_not_written_by_wfctl_have_no_owner() {
        for name in [
            "wfctl_verify_x",
            "wfctl_verify_1_2_3",
            "wfctl_verify_1_2_3_zzzzzzzz",
            "wfctl_restore_x",
            "wfctl_restored_1_2_3_0badcafe",
        ] {
            assert_eq!(Owner::from_name(name), None, "{name}");
        }
        assert_eq!(Owner::from_comment("wfctl scratch: pid=1"), None);
    }
}
