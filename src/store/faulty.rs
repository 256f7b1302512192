//! FaultyStore: wraps any store and fails at the Nth write, to test crash recovery on every
//! store (memory, file, PostgreSQL). After the fault it behaves like a dead process: every later
//! write fails too, so the wrapped store keeps exactly the state the "crash" left.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use super::{CaseLock, CaseStore, Error, LockWait, PersistPoint, Result, Saved};
use crate::model::{JourneyRecord, ProcessInfo, Sla};

/// Whether the failing write reaches the wrapped store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultMode {
    /// The process dies before the write: nothing of it is stored.
    BeforeWrite,
    /// The process dies right after the write committed, before the engine goes on.
    AfterWrite,
}

/// A store that fails at its `fail_at`-th write (`create_case` and `save_point` count).
pub struct FaultyStore<S> {
    inner: S,
    fail_at: u64,
    mode: FaultMode,
    writes: AtomicU64,
    dead: AtomicBool,
}

impl<S: CaseStore> FaultyStore<S> {
    /// Fails at write number `fail_at` (1-based); `u64::MAX` never fails (to count writes).
    pub fn new(inner: S, fail_at: u64, mode: FaultMode) -> Self {
        Self {
            inner,
            fail_at,
            mode,
            writes: AtomicU64::new(0),
            dead: AtomicBool::new(false),
        }
    }

    /// Writes attempted so far (including the failed one).
    pub fn writes(&self) -> u64 {
        self.writes.load(Ordering::SeqCst)
    }

    /// Whether the fault has happened.
    pub fn tripped(&self) -> bool {
        self.dead.load(Ordering::SeqCst)
    }

    /// The wrapped store.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    fn write<T>(&self, op: impl FnOnce(&S) -> Result<T>) -> Result<T> {
        let n = self.writes.fetch_add(1, Ordering::SeqCst) + 1;
        if self.dead.load(Ordering::SeqCst) {
            return Err(Error::InjectedFault { point: n });
        }
        if n != self.fail_at {
            return op(&self.inner);
        }
        self.dead.store(true, Ordering::SeqCst);
        if self.mode == FaultMode::AfterWrite {
            op(&self.inner)?;
        }
        Err(Error::InjectedFault { point: n })
    }
}

impl<S: CaseStore> CaseStore for FaultyStore<S> {
    fn describe(&self) -> String {
        format!(
            "{} (fault at write {})",
            self.inner.describe(),
            self.fail_at
        )
    }
    fn create_case(&self, case_id: &str, journey: &JourneyRecord, sla: Option<&Sla>) -> Result<()> {
        self.write(|s| s.create_case(case_id, journey, sla))
    }
    fn journey(&self, case_id: &str) -> Result<Option<JourneyRecord>> {
        self.inner.journey(case_id)
    }
    fn sla(&self, case_id: &str) -> Result<Option<Sla>> {
        self.inner.sla(case_id)
    }
    fn process_info(&self, case_id: &str) -> Result<Option<ProcessInfo>> {
        self.inner.process_info(case_id)
    }
    fn save_point(&self, case_id: &str, point: &PersistPoint<'_>) -> Result<Saved> {
        self.write(|s| s.save_point(case_id, point))
    }
    fn lock_case(&self, case_id: &str, wait: LockWait) -> Result<Box<dyn CaseLock>> {
        self.inner.lock_case(case_id, wait)
    }
    fn unit_attempt(&self, case_id: &str) -> Result<Option<super::UnitAttempt>> {
        self.inner.unit_attempt(case_id)
    }
    fn record_unit_attempt(&self, case_id: &str, attempt: &super::UnitAttempt) -> Result<()> {
        self.write(|s| s.record_unit_attempt(case_id, attempt))
    }
    fn last_audit_seq(&self, case_id: &str) -> Result<u64> {
        self.inner.last_audit_seq(case_id)
    }
    fn lock_held(&self, case_id: &str) -> Result<Option<bool>> {
        self.inner.lock_held(case_id)
    }
    fn cancellation(&self, case_id: &str) -> Result<Option<super::Cancellation>> {
        self.inner.cancellation(case_id)
    }
    fn save_cancel(
        &self,
        case_id: &str,
        cancel: &super::Cancellation,
        point: &PersistPoint<'_>,
    ) -> Result<Saved> {
        self.write(|s| s.save_cancel(case_id, cancel, point))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{MemoryStore, Store};

    fn point(store: &dyn CaseStore) -> Result<Saved> {
        store.save_point("1", &PersistPoint::default())
    }

    #[test]
    fn fails_at_the_nth_write_and_stays_dead() {
        let store = FaultyStore::new(MemoryStore::new(), 2, FaultMode::BeforeWrite);
        assert!(point(&store).is_ok());
        assert!(matches!(
            point(&store),
            Err(Error::InjectedFault { point: 2 })
        ));
        assert!(matches!(
            point(&store),
            Err(Error::InjectedFault { point: 3 })
        ));
        assert!(store.tripped());
    }

    #[test]
    fn after_write_mode_stores_the_failing_point() {
        let audit = [crate::model::NewAuditRecord {
            unit: "u".into(),
            document: ProcessInfo::from_json(r#"{"process_info":{"is_complete":false}}"#).unwrap(),
        }];
        for (mode, stored) in [(FaultMode::BeforeWrite, 0), (FaultMode::AfterWrite, 1)] {
            let store = FaultyStore::new(MemoryStore::new(), 1, mode);
            let result = store.save_point(
                "1",
                &PersistPoint {
                    audit: &audit,
                    ..Default::default()
                },
            );
            assert!(result.is_err());
            assert_eq!(
                store.inner().last_audit_seq("1").unwrap(),
                stored,
                "{mode:?}"
            );
        }
    }

    #[test]
    fn wraps_a_boxed_dyn_store() {
        let boxed: Box<dyn Store> = Box::new(MemoryStore::new());
        let store = FaultyStore::new(boxed, u64::MAX, FaultMode::BeforeWrite);
        assert!(point(&store).is_ok());
        assert_eq!(store.writes(), 1);
    }
}
