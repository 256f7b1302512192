//! FileStore: the embedded default store, one directory with one file per record (`layout.rs`).
//!
//! ```text
//! journey-{case}.json                      the journey text as given
//! journey_sla-{case}.json                  {"milestones":[...]}
//! workflow_process_info-{case}.json        the process-info document
//! audit_log-{case}_{seq:05}_{unit}.json    one audit record (seq from 1)
//! milestones-{case}.json                   the case's queued SLA milestones
//! wfctl_cancel-{case}.json                 wfctl's own: who cancelled the case, when, why
//! counters.json                            {"workflow_audit_log_counter-{case}": last seq, ...}
//! .locks/{case}.lock                       case lock (flock) + sequence marker
//! .locks/.counters.lock                    serialises rewrites of counters.json
//! .journal/{case}.json                     a multi-file commit in progress (normally absent)
//! .attempts/{case}.json                    the unit an interrupted run left, and its attempt
//! .spare-{file}                            the previous version of a rewritten file
//! ```
//!
//! Writes: a new file is written as temp file + fsync + rename; a rewritten one (process
//! info, milestones, `counters.json`) is written into its spare, synced and exchanged with it
//! atomically (no new inode per persistence point, see [`write`]). The directory is synced
//! once per persistence point (renames in one directory reach an ext4/xfs journal in order, so
//! one sync makes all of them durable). The process info is the point's commit; when a point
//! changes two records (process info and milestones, or journey and SLA) they go through one
//! journal file ([`write`]), so no crash leaves half of them. Audit records are new files
//! written before the commit: a crash between them and the commit leaves records of the unit
//! that the resume then re-runs, which is the one re-run the engine allows.
//! A corrupt file is reported as [`Error::Corrupt`] naming it, and never overwritten (a write
//! that depends on it, such as a milestone change, fails first).
//!
//! The audit sequence and `counters.json`: one counters file shared by all cases would make
//! every persistence point of every process read-modify-write the same file. Two processes on
//! different cases would then need a store-wide lock for each point (contention), the file
//! would be rewritten (O(cases) bytes) with every audit record, and the counter would still
//! disagree with the audit files after a crash between the two writes (duplicate or skipped
//! numbers). So the truth is the audit files themselves: a case's last sequence is the highest
//! `audit_log-{case}_{seq}_*.json` present. Finding it needs a directory scan, so it is cached:
//!
//! - while a process holds the case lock, in memory (it is the only writer of the case);
//! - between lock holders, in the case's own lock file: "running" is written (and synced)
//!   before the first audit record of a lock session, "clean N" when the lock is released
//!   normally. A holder that dies leaves "running", and the next one recounts the files. A
//!   lock file that was never written (a new case) means 0 when the case has no process info;
//! - in `counters.json`, the documented name, for tools (migrate-files, people): it is updated
//!   when a lock is released, under `.locks/.counters.lock` and atomically (temp + rename), so
//!   writers of different cases never lose each other's entries. The store never trusts it.
//!
//! So a persistence point costs no shared-file traffic; `counters.json` is rewritten once per
//! lock session that wrote audit records (O(cases) bytes each time: fine for the embedded
//! store; large stores belong in PostgreSQL).
//!
//! Case lock: an exclusive `flock` on `.locks/{case}.lock`; the kernel drops it when the
//! process dies. [`LockWait::Wait`] polls with a growing pause up to the limit.

mod bulk_runs;
pub(crate) mod layout;
mod lock;
mod purge;
pub mod read;
pub(crate) mod write;

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use bulk_runs::FileIdClaims;
pub use layout::{FileKind, audit_owner, audit_readings, parse_name};
pub use lock::read_counters;

use self::lock::{Marker, Session, SessionState, Sessions};
use self::write::{Journal, create_new_file, io_err, pending_journal, read_if_exists, sync_dir};
use super::{
    Cancellation, CaseLock, CaseQuery, CaseStore, CaseSummary, Error, Listing, LockWait,
    PersistPoint, QueuedMilestone, Result, Saved, Store, Unreadable, apply_milestone_changes,
};
use crate::model::{AuditRecord, JourneyRecord, ProcessInfo, Sla};

/// How long a write outside a lock session waits for the case lock.
const IMPLICIT_LOCK_WAIT: Duration = Duration::from_secs(10);

/// A store in one directory of JSON files.
pub struct FileStore {
    dir: PathBuf,
    sessions: Sessions,
}

impl FileStore {
    /// Opens (creating if needed) the store in `dir`.
    pub fn open(dir: impl Into<PathBuf>) -> Result<Self> {
        let dir = dir.into();
        fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        // what a writer killed mid-write (kill -9) left behind
        write::remove_stale_temps(&dir);
        write::remove_stale_temps(&dir.join(layout::JOURNAL_DIR));
        Ok(Self {
            dir,
            sessions: Arc::new(Mutex::new(Default::default())),
        })
    }

    /// The store directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn corrupt(&self, name: &str, reason: impl ToString) -> Error {
        Error::Corrupt {
            what: crate::conventions::path_text(&self.path(name)),
            reason: reason.to_string(),
        }
    }

    /// A record's text, read through an unfinished commit of the case if there is one.
    fn read_record(&self, case_id: &str, name: &str) -> Result<Option<String>> {
        layout::check_case_id(case_id)?;
        if let Some(journal) = pending_journal(&self.dir, case_id)?
            && let Some(content) = journal.content(name)
        {
            return Ok(content.map(str::to_owned));
        }
        read_if_exists(&self.path(name))
    }

    fn parse_record<T>(
        &self,
        case_id: &str,
        name: &str,
        parse: impl FnOnce(&str) -> std::result::Result<T, String>,
    ) -> Result<Option<T>> {
        match self.read_record(case_id, name)? {
            None => Ok(None),
            Some(text) if text.trim().is_empty() => Err(self.corrupt(name, "empty file")),
            Some(text) => parse(&text).map(Some).map_err(|e| self.corrupt(name, e)),
        }
    }

    /// Runs a write with the case's lock session: the caller's if it holds the lock through
    /// this store, else a lock taken for this write only.
    fn with_session<T>(
        &self,
        case_id: &str,
        write: impl FnOnce(&mut SessionState, &Path) -> Result<T>,
    ) -> Result<T> {
        layout::check_case_id(case_id)?;
        let (session, _implicit) = match lock::session(&self.sessions, case_id) {
            Some(session) => (session, None),
            None => {
                let guard = self.take_lock(case_id, LockWait::Wait(IMPLICIT_LOCK_WAIT))?;
                let session = lock::session(&self.sessions, case_id)
                    .expect("a lock just taken has a session");
                (session, Some(guard))
            }
        };
        let session: Arc<Session> = session;
        let mut state = session.lock();
        let lock_path = self
            .dir
            .join(layout::LOCKS_DIR)
            .join(layout::lock_file(case_id));
        write(&mut state, &lock_path)
    }

    fn take_lock(&self, case_id: &str, wait: LockWait) -> Result<lock::FileLock> {
        let guard = lock::lock_case(&self.dir, &self.sessions, case_id, wait)?;
        // finish the commit of a holder that died in the middle of it
        if let Some(journal) = pending_journal(&self.dir, case_id)? {
            write::roll_forward(&self.dir, case_id, &journal)?;
        }
        // counters.json is what migrate-files imports as each case's counter: one that cannot
        // be read (a link, garbage) is refused before anything is written, and no sequence
        // goes below the entry it holds (a lower one would overwrite imported audit records)
        let floor = lock::read_counters(&self.dir)?
            .get(&crate::model::counter_key(case_id))
            .copied()
            .unwrap_or(0);
        // a lock file never written and no process info: a new case, nothing to count
        if let Some(session) = lock::session(&self.sessions, case_id) {
            let mut state = session.lock();
            if state.marker == Marker::Absent && !self.path(&layout::info_file(case_id)).exists() {
                state.last_seq = Some(0);
            }
            state.floor = floor;
            state.last_seq = state.last_seq.map(|seq| seq.max(floor));
        }
        Ok(guard)
    }

    /// The last audit sequence of a locked case, found once per lock session.
    fn session_seq(&self, state: &mut SessionState, case_id: &str) -> Result<u64> {
        if let Some(seq) = state.last_seq {
            return Ok(seq);
        }
        let seq = self.seq_from(state.marker, case_id)?.max(state.floor);
        state.last_seq = Some(seq);
        Ok(seq)
    }

    fn seq_from(&self, marker: Marker, case_id: &str) -> Result<u64> {
        match marker {
            Marker::Clean(seq) => Ok(seq),
            Marker::Absent if !self.path(&layout::info_file(case_id)).exists() => Ok(0),
            _ => Ok(self
                .audit_files(case_id)?
                .last()
                .map_or(0, |(seq, _, _)| *seq)),
        }
    }

    /// The audit files of a case, `(seq, unit, file name)` in sequence order.
    fn audit_files(&self, case_id: &str) -> Result<Vec<(u64, String, String)>> {
        let mut known = HashSet::from([case_id.to_owned()]);
        let mut audits = Vec::new();
        for entry in fs::read_dir(&self.dir).map_err(io_err(&self.dir))? {
            let entry = entry.map_err(io_err(&self.dir))?;
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            match parse_name(&name) {
                Some(FileKind::Journey(case)) => {
                    known.insert(case);
                }
                Some(FileKind::Audit(rest)) if rest.starts_with(case_id) => {
                    audits.push((name, rest));
                }
                _ => {}
            }
        }
        let mut files: Vec<(u64, String, String)> = audits
            .iter()
            .filter_map(|(name, rest)| {
                let (case, seq, unit) = audit_owner(rest, &known)?;
                (case == case_id).then(|| (seq, unit.to_owned(), name.clone()))
            })
            .collect();
        files.sort();
        Ok(files)
    }

    fn write_audit(
        &self,
        state: &mut SessionState,
        lock_path: &Path,
        case_id: &str,
        point: &PersistPoint<'_>,
    ) -> Result<(Vec<u64>, Vec<String>)> {
        if point.audit.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let last = self.session_seq(state, case_id)?;
        state.mark_running(lock_path)?;
        let mut written = Vec::new();
        let mut seqs = Vec::new();
        for (seq, record) in (last + 1..).zip(point.audit) {
            let result = layout::audit_file(case_id, seq, &record.unit).and_then(|name| {
                create_new_file(
                    &self.dir,
                    &name,
                    record.document.to_json_pretty().as_bytes(),
                )
                .map(|()| name)
            });
            match result {
                Ok(name) => {
                    written.push(name);
                    seqs.push(seq);
                }
                Err(e) => {
                    self.discard(&written);
                    return Err(e);
                }
            }
        }
        Ok((seqs, written))
    }

    /// Removes audit files of a point that was not committed (a failed call consumes no
    /// sequence numbers).
    fn discard(&self, written: &[String]) {
        for name in written {
            let _ = fs::remove_file(self.path(name));
        }
    }
}

impl FileStore {
    fn attempts_dir(&self) -> PathBuf {
        self.dir.join(layout::ATTEMPTS_DIR)
    }

    /// A save ends the visit a resume claimed an attempt of (the claim is written right before
    /// the resume's first unit, and every save after it carries that unit's result, the
    /// completion or the cancellation): its record is stale, so it goes. A record that stays
    /// (the removal failed) is stale all the same and harmless.
    fn drop_unit_attempt(&self, case_id: &str) {
        let name = layout::attempt_file(case_id);
        let dir = self.attempts_dir();
        // the record and the spare its replacement left (write::replace_file)
        for file in [name.clone(), format!("{}{name}", write::SPARE_PREFIX)] {
            let _ = write::remove_if_exists(&dir.join(file));
        }
    }
}

impl CaseStore for FileStore {
    fn describe(&self) -> String {
        format!("file store {}", crate::conventions::path_text(&self.dir))
    }

    fn create_case(&self, case_id: &str, journey: &JourneyRecord, sla: Option<&Sla>) -> Result<()> {
        super::check_case_id(case_id)?;
        super::check_unit_names(case_id, &journey.journey)?;
        self.with_session(case_id, |_, _| {
            let sla_name = layout::sla_file(case_id);
            let mut journal = Journal::default();
            match sla {
                Some(sla) => journal.files.push((sla_name, Some(sla.to_json()))),
                None if self.read_record(case_id, &sla_name)?.is_some() => {
                    journal.files.push((sla_name, None));
                }
                None => {}
            }
            journal
                .files
                .push((layout::journey_file(case_id), Some(journey.text.clone())));
            write::commit(&self.dir, case_id, &journal)
        })
    }

    fn journey(&self, case_id: &str) -> Result<Option<JourneyRecord>> {
        self.parse_record(case_id, &layout::journey_file(case_id), |text| {
            JourneyRecord::parse(text).map_err(|e| e.to_string())
        })
    }

    fn sla(&self, case_id: &str) -> Result<Option<Sla>> {
        self.parse_record(case_id, &layout::sla_file(case_id), |text| {
            Sla::parse(text).map_err(|e| e.to_string())
        })
    }

    fn process_info(&self, case_id: &str) -> Result<Option<ProcessInfo>> {
        self.parse_record(case_id, &layout::info_file(case_id), |text| {
            ProcessInfo::from_json(text).map_err(|e| e.to_string())
        })
    }

    fn save_point(&self, case_id: &str, point: &PersistPoint<'_>) -> Result<Saved> {
        let saved = self.save_with(case_id, point, None)?;
        self.drop_unit_attempt(case_id);
        Ok(saved)
    }

    fn lock_case(&self, case_id: &str, wait: LockWait) -> Result<Box<dyn CaseLock>> {
        layout::check_case_id(case_id)?;
        Ok(Box::new(self.take_lock(case_id, wait)?))
    }

    fn last_audit_seq(&self, case_id: &str) -> Result<u64> {
        layout::check_case_id(case_id)?;
        if let Some(session) = lock::session(&self.sessions, case_id) {
            return self.session_seq(&mut session.lock(), case_id);
        }
        let lock_path = self
            .dir
            .join(layout::LOCKS_DIR)
            .join(layout::lock_file(case_id));
        let marker = lock::read_marker(&lock_path)?;
        self.seq_from(marker, case_id)
    }

    fn unit_attempt(&self, case_id: &str) -> Result<Option<super::UnitAttempt>> {
        layout::check_case_id(case_id)?;
        let path = self.attempts_dir().join(layout::attempt_file(case_id));
        let Some(text) = read_if_exists(&path)? else {
            return Ok(None);
        };
        let record = crate::conventions::path_text(&path);
        let corrupt = |reason: String| Error::Corrupt {
            what: format!(
                "unit attempt record of case {} ({record})",
                crate::conventions::escaped_text(case_id)
            ),
            reason,
        };
        let stored: super::StoredAttempt =
            serde_json::from_str(&text).map_err(|e| corrupt(e.to_string()))?;
        // a file that exists is a record: one without a key or count is damaged, not absent
        super::UnitAttempt::from_stored(case_id, &record, stored)?
            .map(Some)
            .ok_or_else(|| corrupt("the key and the attempt count are missing".into()))
    }

    fn record_unit_attempt(&self, case_id: &str, attempt: &super::UnitAttempt) -> Result<()> {
        layout::check_case_id(case_id)?;
        let dir = self.attempts_dir();
        write::private_dir(&dir)?;
        let text = serde_json::to_string(attempt).map_err(|e| Error::Corrupt {
            what: format!("unit attempt of case {case_id}"),
            reason: e.to_string(),
        })?;
        write::replace_file(&dir, &layout::attempt_file(case_id), text.as_bytes())?;
        sync_dir(&dir)
    }
    fn cancellation(&self, case_id: &str) -> Result<Option<Cancellation>> {
        self.parse_record(case_id, &layout::cancel_file(case_id), |text| {
            serde_json::from_str(text).map_err(|e| e.to_string())
        })
    }

    fn save_cancel(
        &self,
        case_id: &str,
        cancel: &Cancellation,
        point: &PersistPoint<'_>,
    ) -> Result<Saved> {
        let text = serde_json::to_string_pretty(cancel).expect("a cancellation serialises");
        let saved = self.save_with(case_id, point, Some((layout::cancel_file(case_id), text)))?;
        self.drop_unit_attempt(case_id);
        Ok(saved)
    }
}

impl Store for FileStore {
    fn audit_records(&self, case_id: &str) -> Result<Vec<AuditRecord>> {
        layout::check_case_id(case_id)?;
        let files = self.audit_files(case_id)?;
        if let Some(pair) = files.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(self.corrupt(
                &pair[1].2,
                format!("sequence {} is also used by {}", pair[1].0, pair[0].2),
            ));
        }
        files
            .into_iter()
            .map(|(seq, unit, name)| {
                let text = read_if_exists(&self.path(&name))?.unwrap_or_default();
                let document = ProcessInfo::from_json(&text).map_err(|e| self.corrupt(&name, e))?;
                Ok(AuditRecord {
                    case_id: case_id.to_owned(),
                    seq,
                    unit,
                    document,
                })
            })
            .collect()
    }

    fn milestones(&self, case_id: &str) -> Result<Vec<QueuedMilestone>> {
        Ok(self
            .parse_record(case_id, &layout::milestones_file(case_id), |text| {
                serde_json::from_str(text).map_err(|e| e.to_string())
            })?
            .unwrap_or_default())
    }

    fn list_cases(&self) -> Result<Vec<CaseSummary>> {
        self.case_ids(false)?
            .iter()
            .map(|case| self.summary(case))
            .collect()
    }

    fn list_cases_lenient(&self, query: &CaseQuery) -> Result<Listing> {
        // a journey file whose name no case id can have is a warning, not silently skipped
        let summaries =
            self.case_ids(true)?
                .into_iter()
                .filter_map(|case| match self.summary(&case) {
                    Ok(summary) => query.filter.matches(&summary).then_some(Ok(summary)),
                    Err(e) => Some(Err(Unreadable {
                        case_id: case,
                        reason: e.to_string(),
                    })),
                });
        super::page_of(self, summaries, query, true)
    }
}

impl FileStore {
    /// Saves a persistence point, with `extra` (a file name and its text) in the same commit.
    fn save_with(
        &self,
        case_id: &str,
        point: &PersistPoint<'_>,
        extra: Option<(String, String)>,
    ) -> Result<Saved> {
        self.with_session(case_id, |state, lock_path| {
            let mut journal = Journal::default();
            if let Some((name, text)) = extra {
                journal.files.push((name, Some(text)));
            }
            if let Some(info) = point.process_info {
                journal
                    .files
                    .push((layout::info_file(case_id), Some(info.to_json_pretty())));
            }
            if !point.milestones.is_empty() {
                // read (and so check) the current queue before anything is written
                let mut queue = self.milestones(case_id)?;
                apply_milestone_changes(&mut queue, point.milestones);
                let text = serde_json::to_string_pretty(&queue).expect("milestones serialise");
                journal
                    .files
                    .push((layout::milestones_file(case_id), Some(text)));
            }
            let (audit_seqs, written) = self.write_audit(state, lock_path, case_id, point)?;
            let committed = if journal.files.is_empty() {
                if written.is_empty() {
                    Ok(())
                } else {
                    sync_dir(&self.dir)
                }
            } else {
                write::commit(&self.dir, case_id, &journal)
            };
            if let Err(e) = committed {
                self.discard(&written);
                return Err(e);
            }
            if let Some(&last) = audit_seqs.last() {
                state.last_seq = Some(last);
            }
            Ok(Saved { audit_seqs })
        })
    }

    /// The ids of the cases that have a journey or a process-info file, sorted (a case whose
    /// journey file is missing still exists, as on PostgreSQL where a case may have no
    /// journey row); with `unsafe_too` also the ids the store refuses (for a listing to name
    /// them).
    fn case_ids(&self, unsafe_too: bool) -> Result<Vec<String>> {
        let mut cases = std::collections::BTreeSet::new();
        for entry in fs::read_dir(&self.dir).map_err(io_err(&self.dir))? {
            let entry = entry.map_err(io_err(&self.dir))?;
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            let case = match parse_name(&name) {
                Some(FileKind::Journey(case)) => case,
                // the Java typo's name is not one this store reads
                Some(FileKind::ProcessInfo(case)) if name == layout::info_file(&case) => case,
                _ => continue,
            };
            if unsafe_too || layout::check_case_id(&case).is_ok() {
                cases.insert(case);
            }
        }
        Ok(cases.into_iter().collect())
    }

    /// One case's row of a listing.
    fn summary(&self, case: &str) -> Result<CaseSummary> {
        let name = layout::journey_file(case);
        let journey_name = self
            .parse_record(case, &name, journey_name)?
            .unwrap_or_default();
        let info = self.process_info(case)?;
        let cancelled = self.cancellation(case)?.is_some();
        let mut summary = CaseSummary::new(case, &journey_name, info.as_ref());
        if info.is_none() {
            // a start that died before its first write left the journey alone: its last
            // write is the journey file's (PostgreSQL's start leaves nothing in that case)
            summary.updated_at = std::fs::metadata(self.path(&name))
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        }
        Ok(summary.cancelled_if(cancelled))
    }
}

/// The journey's name without validating the whole journey (listings read every case).
fn journey_name(text: &str) -> std::result::Result<String, String> {
    let value = crate::model::json::parse_with_comments(text).map_err(|e| e.to_string())?;
    value["journey"]["name"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| "no journey.name".to_owned())
}

#[cfg(test)]
mod tests;

impl super::AuditRewrite for FileStore {
    fn rewrite_audit(&self, record: &AuditRecord) -> Result<()> {
        let name = layout::audit_file(&record.case_id, record.seq, &record.unit)?;
        // a new file renamed over the old one: no spare keeps the old version
        write::create_file(
            &self.dir,
            &name,
            record.document.to_json_pretty().as_bytes(),
        )?;
        sync_dir(&self.dir)
    }

    fn forget_previous(&self, case_id: &str) -> Result<()> {
        let spare = format!("{}{}", write::SPARE_PREFIX, layout::info_file(case_id));
        write::remove_if_exists(&self.dir.join(spare))?;
        sync_dir(&self.dir)
    }
}
