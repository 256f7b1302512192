//! One run of the benchmark journey recorded at the store interface: what the engine writes,
//! point by point, so the bounds can write exactly the same without the engine.

use wfctl::engine::{Engine, EngineConfig};
use wfctl::model::{AuditRecord, JourneyRecord, NewAuditRecord, ProcessInfo, Sla};
use wfctl::store::{
    CaseLock, CaseStore, CaseSummary, LockWait, MemoryStore, MilestoneChange, PersistPoint,
    QueuedMilestone, Result, Saved, Store,
};

use super::{Notes, Rng, initial_variables};

/// One persistence point, owned.
pub struct Point {
    pub info: Option<ProcessInfo>,
    pub audit: Vec<NewAuditRecord>,
    pub milestones: Vec<MilestoneChange>,
}

/// What one case wrote.
pub struct Recorded {
    pub journey: JourneyRecord,
    pub points: Vec<Point>,
}

struct Recorder {
    inner: MemoryStore,
    points: std::sync::Mutex<Vec<Point>>,
}

impl CaseStore for Recorder {
    fn describe(&self) -> String {
        "recorder".into()
    }
    fn create_case(&self, case_id: &str, journey: &JourneyRecord, sla: Option<&Sla>) -> Result<()> {
        self.inner.create_case(case_id, journey, sla)
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
        self.points.lock().unwrap().push(Point {
            info: point.process_info.cloned(),
            audit: point.audit.to_vec(),
            milestones: point.milestones.to_vec(),
        });
        self.inner.save_point(case_id, point)
    }
    fn lock_case(&self, case_id: &str, wait: LockWait) -> Result<Box<dyn CaseLock>> {
        self.inner.lock_case(case_id, wait)
    }
    fn last_audit_seq(&self, case_id: &str) -> Result<u64> {
        self.inner.last_audit_seq(case_id)
    }
    fn cancellation(&self, case_id: &str) -> Result<Option<wfctl::store::Cancellation>> {
        self.inner.cancellation(case_id)
    }
    fn save_cancel(
        &self,
        case_id: &str,
        cancel: &wfctl::store::Cancellation,
        point: &PersistPoint<'_>,
    ) -> Result<Saved> {
        self.inner.save_cancel(case_id, cancel, point)
    }
}

impl Store for Recorder {
    fn audit_records(&self, case_id: &str) -> Result<Vec<AuditRecord>> {
        self.inner.audit_records(case_id)
    }
    fn milestones(&self, case_id: &str) -> Result<Vec<QueuedMilestone>> {
        self.inner.milestones(case_id)
    }
    fn list_cases(&self) -> Result<Vec<CaseSummary>> {
        self.inner.list_cases()
    }
}

/// Runs one case of `journey` as the engine workers do, recording its points.
pub fn run(journey: &JourneyRecord) -> std::result::Result<Recorded, String> {
    let recorder = Recorder {
        inner: MemoryStore::new(),
        points: Default::default(),
    };
    let config = EngineConfig {
        max_threads: 0,
        ..EngineConfig::default()
    };
    let variables = initial_variables(&mut Rng::new(std::process::id().into()));
    Engine::new(&recorder, &Notes)
        .with_config(config)
        .start("recorded", journey, None, variables)
        .map_err(|e| e.to_string())?;
    Ok(Recorded {
        journey: journey.clone(),
        points: recorder.points.into_inner().unwrap(),
    })
}
