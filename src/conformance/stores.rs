//! Fresh stores for the conformance runner and the store-parametrised tests: memory; a file
//! store in a new temporary directory; a PostgreSQL store in a new schema of `DATABASE_URL`'s
//! database, migrated by the runner itself. Every store is empty, so scenarios (which all use
//! case id "1") never see each other's cases; the directory or schema goes when the store is
//! dropped.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

#[cfg(feature = "postgres")]
use diesel::connection::SimpleConnection;

use super::{Error, StoreKind};
#[cfg(feature = "postgres")]
use crate::db::{self, DatabaseUrl, PoolOptions};
use crate::model::{AuditRecord, JourneyRecord, ProcessInfo, Sla};
#[cfg(feature = "postgres")]
use crate::store::PgStore;
use crate::store::{
    CaseFilter, CaseLock, CaseStore, CaseSummary, DueMilestone, FileStore, LockWait, MemoryStore,
    PersistPoint, QueuedMilestone, Result as StoreResult, Saved, Store,
};

/// Where the runner's stores come from.
#[derive(Debug, Clone, Default)]
pub struct StoreSource {
    /// The PostgreSQL database `pg` stores make their schemas in.
    #[cfg(feature = "postgres")]
    pub database_url: Option<DatabaseUrl>,
    /// The directory `file` stores make their directories in (default: the system temp dir).
    pub file_root: Option<PathBuf>,
}

static NEXT: AtomicU64 = AtomicU64::new(0);

fn unique_suffix() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

impl StoreSource {
    /// PostgreSQL from `DATABASE_URL` (if set), files under the system temp dir.
    #[cfg(feature = "postgres")]
    pub fn from_env() -> std::result::Result<Self, Error> {
        let database_url = match std::env::var("DATABASE_URL") {
            Ok(text) if !text.trim().is_empty() => {
                Some(DatabaseUrl::parse(&text).map_err(|e| Error::StoreOpen {
                    kind: StoreKind::Pg,
                    reason: format!("DATABASE_URL: {e}"),
                })?)
            }
            _ => None,
        };
        Ok(Self {
            database_url,
            file_root: None,
        })
    }

    /// Files under the system temp dir (this build has no PostgreSQL store).
    #[cfg(not(feature = "postgres"))]
    pub fn from_env() -> std::result::Result<Self, Error> {
        Ok(Self::default())
    }

    /// A fresh, empty store of `kind`.
    pub fn open(&self, kind: StoreKind) -> std::result::Result<Box<dyn Store>, Error> {
        let failed = |reason: String| Error::StoreOpen { kind, reason };
        match kind {
            StoreKind::Memory => Ok(Box::new(MemoryStore::new())),
            StoreKind::File => {
                let root = self.file_root.clone().unwrap_or_else(std::env::temp_dir);
                let dir = root.join(format!("wfctl-conformance-{}", unique_suffix()));
                let store = FileStore::open(&dir).map_err(|e| failed(e.to_string()))?;
                Ok(Box::new(Scratch {
                    store,
                    cleanup: Cleanup::Dir(dir),
                }))
            }
            #[cfg(not(feature = "postgres"))]
            StoreKind::Pg => Err(failed(
                "this build has no PostgreSQL store (feature `postgres`)".to_owned(),
            )),
            #[cfg(feature = "postgres")]
            StoreKind::Pg => {
                let url = self
                    .database_url
                    .as_ref()
                    .ok_or_else(|| failed("DATABASE_URL is not set".to_owned()))?;
                let (store, schema) = open_pg(url).map_err(failed)?;
                Ok(Box::new(Scratch {
                    store,
                    cleanup: Cleanup::Schema(url.clone(), schema),
                }))
            }
        }
    }
}

#[cfg(feature = "postgres")]
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// A new schema with every migration, and a store whose sessions use it.
#[cfg(feature = "postgres")]
fn open_pg(url: &DatabaseUrl) -> std::result::Result<(PgStore, String), String> {
    let schema = format!("wfctl_run_{}", unique_suffix());
    let mut conn = db::connect(url, CONNECT_TIMEOUT).map_err(|e| e.to_string())?;
    conn.batch_execute(&format!(
        "CREATE SCHEMA {schema}; SET search_path TO {schema}"
    ))
    .map_err(|e| format!("creating schema {schema}: {e}"))?;
    db::migrate::run_pending(&mut conn).map_err(|e| format!("migrating {schema}: {e}"))?;
    let scoped = with_search_path(url, &schema)?;
    let options = PoolOptions {
        max_size: 4,
        ..PoolOptions::default()
    };
    let store = PgStore::connect(&scoped, &options).map_err(|e| e.to_string())?;
    Ok((store, schema))
}

#[cfg(feature = "postgres")]
fn with_search_path(url: &DatabaseUrl, schema: &str) -> std::result::Result<DatabaseUrl, String> {
    Ok(url.with_param("options", &format!("-csearch_path={schema}")))
}

enum Cleanup {
    Dir(PathBuf),
    #[cfg(feature = "postgres")]
    Schema(DatabaseUrl, String),
}

/// A store that removes its directory or schema when dropped.
struct Scratch<S> {
    store: S,
    cleanup: Cleanup,
}

impl<S> Drop for Scratch<S> {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Dir(dir) => remove_dir(dir),
            #[cfg(feature = "postgres")]
            Cleanup::Schema(url, schema) => {
                if let Ok(mut conn) = db::connect(url, CONNECT_TIMEOUT) {
                    let _ = conn.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
                }
            }
        }
    }
}

fn remove_dir(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
}

impl<S: Store> CaseStore for Scratch<S> {
    fn describe(&self) -> String {
        self.store.describe()
    }
    fn create_case(
        &self,
        case_id: &str,
        journey: &JourneyRecord,
        sla: Option<&Sla>,
    ) -> StoreResult<()> {
        self.store.create_case(case_id, journey, sla)
    }
    fn journey(&self, case_id: &str) -> StoreResult<Option<JourneyRecord>> {
        self.store.journey(case_id)
    }
    fn sla(&self, case_id: &str) -> StoreResult<Option<Sla>> {
        self.store.sla(case_id)
    }
    fn process_info(&self, case_id: &str) -> StoreResult<Option<ProcessInfo>> {
        self.store.process_info(case_id)
    }
    fn save_point(&self, case_id: &str, point: &PersistPoint<'_>) -> StoreResult<Saved> {
        self.store.save_point(case_id, point)
    }
    fn lock_case(&self, case_id: &str, wait: LockWait) -> StoreResult<Box<dyn CaseLock>> {
        self.store.lock_case(case_id, wait)
    }

    fn last_audit_seq(&self, case_id: &str) -> StoreResult<u64> {
        self.store.last_audit_seq(case_id)
    }

    fn unit_attempt(&self, case_id: &str) -> StoreResult<Option<crate::store::UnitAttempt>> {
        self.store.unit_attempt(case_id)
    }
    fn record_unit_attempt(
        &self,
        case_id: &str,
        attempt: &crate::store::UnitAttempt,
    ) -> StoreResult<()> {
        self.store.record_unit_attempt(case_id, attempt)
    }
    fn lock_held(&self, case_id: &str) -> StoreResult<Option<bool>> {
        self.store.lock_held(case_id)
    }
    fn cancellation(&self, case_id: &str) -> StoreResult<Option<crate::store::Cancellation>> {
        self.store.cancellation(case_id)
    }
    fn save_cancel(
        &self,
        case_id: &str,
        cancel: &crate::store::Cancellation,
        point: &PersistPoint<'_>,
    ) -> StoreResult<Saved> {
        self.store.save_cancel(case_id, cancel, point)
    }
}

impl<S: Store> Store for Scratch<S> {
    fn audit_records(&self, case_id: &str) -> StoreResult<Vec<AuditRecord>> {
        self.store.audit_records(case_id)
    }
    fn milestones(&self, case_id: &str) -> StoreResult<Vec<QueuedMilestone>> {
        self.store.milestones(case_id)
    }
    fn list_cases(&self) -> StoreResult<Vec<CaseSummary>> {
        self.store.list_cases()
    }
    fn list_cases_filtered(&self, filter: &CaseFilter) -> StoreResult<Vec<CaseSummary>> {
        self.store.list_cases_filtered(filter)
    }
    fn due_milestones(&self, now_ms: i64) -> StoreResult<Vec<DueMilestone>> {
        self.store.due_milestones(now_ms)
    }
}
