//! MemoryStore: every record in process memory, for tests and benchmarks. Records are kept as
//! owned copies (never shared with the engine's live state, unlike the Java `MemoryDao`).

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use super::{
    CaseLock, CaseStore, CaseSummary, Error, LockWait, PersistPoint, QueuedMilestone, Result,
    Saved, Store, apply_milestone_changes,
};
use crate::model::{AuditRecord, JourneyRecord, ProcessInfo, Sla};

#[derive(Default)]
struct CaseData {
    journey: Option<JourneyRecord>,
    sla: Option<Sla>,
    process_info: Option<ProcessInfo>,
    audit: Vec<AuditRecord>,
    last_seq: u64,
    milestones: Vec<QueuedMilestone>,
    cancellation: Option<super::Cancellation>,
}

/// Case locks held in this process.
#[derive(Default)]
struct LockTable {
    held: Mutex<HashSet<String>>,
    released: Condvar,
}

/// A store that keeps everything in memory.
#[derive(Default)]
pub struct MemoryStore {
    cases: Mutex<BTreeMap<String, CaseData>>,
    locks: Arc<LockTable>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn cases(&self) -> MutexGuard<'_, BTreeMap<String, CaseData>> {
        // a panic while holding this lock cannot leave a half-applied point: every write
        // below builds its new values before touching the map
        self.cases.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn read<T>(&self, case_id: &str, f: impl FnOnce(&CaseData) -> T) -> Option<T> {
        self.cases().get(case_id).map(f)
    }

    /// Applies a persistence point to one case's records.
    fn apply_point(case: &mut CaseData, case_id: &str, point: &PersistPoint<'_>) -> Saved {
        let first = case.last_seq + 1;
        let audit_seqs: Vec<u64> = (first..first + point.audit.len() as u64).collect();
        for (record, &seq) in point.audit.iter().zip(&audit_seqs) {
            case.audit.push(AuditRecord {
                case_id: case_id.to_owned(),
                seq,
                unit: record.unit.clone(),
                document: record.document.clone(),
            });
        }
        case.last_seq += point.audit.len() as u64;
        if let Some(info) = point.process_info {
            case.process_info = Some(info.clone());
        }
        apply_milestone_changes(&mut case.milestones, point.milestones);
        Saved { audit_seqs }
    }
}

impl CaseStore for MemoryStore {
    fn describe(&self) -> String {
        "memory".to_owned()
    }

    fn create_case(&self, case_id: &str, journey: &JourneyRecord, sla: Option<&Sla>) -> Result<()> {
        super::check_case_id(case_id)?;
        let mut cases = self.cases();
        let case = cases.entry(case_id.to_owned()).or_default();
        case.journey = Some(journey.clone());
        case.sla = sla.cloned();
        Ok(())
    }

    fn journey(&self, case_id: &str) -> Result<Option<JourneyRecord>> {
        Ok(self.read(case_id, |c| c.journey.clone()).flatten())
    }

    fn sla(&self, case_id: &str) -> Result<Option<Sla>> {
        Ok(self.read(case_id, |c| c.sla.clone()).flatten())
    }

    fn process_info(&self, case_id: &str) -> Result<Option<ProcessInfo>> {
        Ok(self.read(case_id, |c| c.process_info.clone()).flatten())
    }

    fn save_point(&self, case_id: &str, point: &PersistPoint<'_>) -> Result<Saved> {
        let mut cases = self.cases();
        let case = cases.entry(case_id.to_owned()).or_default();
        Ok(Self::apply_point(case, case_id, point))
    }

    fn lock_case(&self, case_id: &str, wait: LockWait) -> Result<Box<dyn CaseLock>> {
        let deadline = match wait {
            LockWait::Try => None,
            LockWait::Wait(limit) => Some(Instant::now() + limit),
        };
        let table = &self.locks;
        let mut held = table.held.lock().unwrap_or_else(PoisonError::into_inner);
        while held.contains(case_id) {
            let now = Instant::now();
            match deadline {
                Some(deadline) if now < deadline => {
                    held = table
                        .released
                        .wait_timeout(held, deadline - now)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0;
                }
                _ => {
                    return Err(Error::Locked {
                        case: case_id.to_owned(),
                    });
                }
            }
        }
        held.insert(case_id.to_owned());
        Ok(Box::new(MemoryLock {
            case_id: case_id.to_owned(),
            table: Arc::clone(table),
        }))
    }
    fn last_audit_seq(&self, case_id: &str) -> Result<u64> {
        Ok(self.read(case_id, |c| c.last_seq).unwrap_or(0))
    }

    fn cancellation(&self, case_id: &str) -> Result<Option<super::Cancellation>> {
        Ok(self.read(case_id, |c| c.cancellation.clone()).flatten())
    }

    fn save_cancel(
        &self,
        case_id: &str,
        cancel: &super::Cancellation,
        point: &PersistPoint<'_>,
    ) -> Result<Saved> {
        // one map lock for both, so no reader sees half of it
        let mut cases = self.cases();
        let case = cases.entry(case_id.to_owned()).or_default();
        let saved = Self::apply_point(case, case_id, point);
        case.cancellation = Some(cancel.clone());
        Ok(saved)
    }
}

impl Store for MemoryStore {
    fn audit_records(&self, case_id: &str) -> Result<Vec<AuditRecord>> {
        Ok(self.read(case_id, |c| c.audit.clone()).unwrap_or_default())
    }

    fn milestones(&self, case_id: &str) -> Result<Vec<QueuedMilestone>> {
        Ok(self
            .read(case_id, |c| c.milestones.clone())
            .unwrap_or_default())
    }

    fn list_cases(&self) -> Result<Vec<CaseSummary>> {
        Ok(self
            .cases()
            .iter()
            .filter_map(|(id, case)| {
                let journey = case.journey.as_ref()?;
                let summary =
                    CaseSummary::new(id, &journey.journey.name, case.process_info.as_ref());
                Some(summary.cancelled_if(case.cancellation.is_some()))
            })
            .collect())
    }
}

struct MemoryLock {
    case_id: String,
    table: Arc<LockTable>,
}

impl std::fmt::Debug for MemoryLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryLock")
            .field("case_id", &self.case_id)
            .finish()
    }
}

impl CaseLock for MemoryLock {
    fn case_id(&self) -> &str {
        &self.case_id
    }
}

impl Drop for MemoryLock {
    fn drop(&mut self) {
        let mut held = self
            .table
            .held
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        held.remove(&self.case_id);
        self.table.released.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NewAuditRecord;
    use std::time::Duration;

    fn info() -> ProcessInfo {
        ProcessInfo::from_json(r#"{"process_info":{"is_complete":false}}"#).unwrap()
    }

    #[test]
    fn audit_sequence_starts_at_one_and_continues() {
        let store = MemoryStore::new();
        let rec = |unit: &str| NewAuditRecord {
            unit: unit.into(),
            document: info(),
        };
        let audit = [rec("start"), rec("step_1")];
        let saved = store
            .save_point(
                "1",
                &PersistPoint {
                    process_info: Some(&info()),
                    audit: &audit,
                    milestones: &[],
                },
            )
            .unwrap();
        assert_eq!(saved.audit_seqs, [1, 2]);
        let saved = store
            .save_point(
                "1",
                &PersistPoint {
                    audit: &audit[..1],
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(saved.audit_seqs, [3]);
        let keys: Vec<_> = store
            .audit_records("1")
            .unwrap()
            .iter()
            .map(AuditRecord::key)
            .collect();
        assert_eq!(
            keys,
            [
                "audit_log-1_00001_start",
                "audit_log-1_00002_step_1",
                "audit_log-1_00003_start"
            ]
        );
        assert_eq!(store.last_audit_seq("1").unwrap(), 3);
    }

    #[test]
    fn a_held_lock_refuses_a_second_taker_until_dropped() {
        let store = MemoryStore::new();
        let guard = store.lock_case("7", LockWait::Try).unwrap();
        assert!(
            matches!(store.lock_case("7", LockWait::Try), Err(Error::Locked { case }) if case == "7")
        );
        assert!(store.lock_case("8", LockWait::Try).is_ok());
        let waited = store.lock_case("7", LockWait::Wait(Duration::from_millis(20)));
        assert!(matches!(waited, Err(Error::Locked { .. })));
        drop(guard);
        assert_eq!(store.lock_case("7", LockWait::Try).unwrap().case_id(), "7");
    }

    #[test]
    fn a_waiting_taker_gets_the_lock_when_it_is_released() {
        let store = Arc::new(MemoryStore::new());
        let guard = store.lock_case("7", LockWait::Try).unwrap();
        let waiter = {
            let store = Arc::clone(&store);
            std::thread::spawn(move || {
                store
                    .lock_case("7", LockWait::Wait(Duration::from_secs(10)))
                    .map(|_| ())
            })
        };
        std::thread::sleep(Duration::from_millis(20));
        drop(guard);
        assert!(waiter.join().unwrap().is_ok());
    }
}
