//! The last step of `db verify --restore-test`: read a sample of restored cases the way `case
//! show` and `case history` read them (journey, process info, milestones, audit log), so that
//! a backup whose rows are all there but whose documents no longer load is caught.

use std::time::Duration;

use diesel::sql_types::{Bool, Text};
use diesel::{QueryableByName, RunQueryDsl};
use serde::Serialize;

use crate::db::{self, DatabaseUrl, Error as DbError, PoolOptions};
use crate::store::{CaseStatus, CaseStore, CaseSummary, PgStore, Store};

/// One sampled case.
#[derive(Debug, Clone, Serialize)]
pub struct CaseRead {
    /// Case id.
    pub case_id: String,
    /// Its status, when it could be read.
    pub status: Option<CaseStatus>,
    /// How many audit records it has.
    pub audit_records: usize,
    /// Why it could not be read.
    pub error: Option<String>,
}

impl CaseRead {
    /// Whether everything `case show` and `case history` need was read.
    pub fn ok(&self) -> bool {
        self.error.is_none()
    }
}

/// Two completed, two pended and one running case, newest first; nothing without the tables.
const SAMPLE: &str = "/* wfctl:restore_sample_cases */ \
    SELECT case_id FROM ( \
      SELECT case_id, row_number() OVER ( \
               PARTITION BY is_complete, coalesce(pend_exec_path, '') = '' \
               ORDER BY ts DESC NULLS LAST, case_id) AS n, \
             CASE WHEN is_complete THEN 2 \
                  WHEN coalesce(pend_exec_path, '') <> '' THEN 2 ELSE 1 END AS keep \
      FROM workflow_info) s \
    WHERE n <= keep ORDER BY case_id";

#[derive(QueryableByName)]
struct Present {
    #[diesel(sql_type = Bool)]
    present: bool,
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = Text)]
    case_id: String,
}

/// The newest completed, pended and running cases (up to five in all), each read completely.
/// Empty when the database has no workflow tables (a dump of something else).
pub(crate) fn read_sample_cases(
    url: &DatabaseUrl,
    timeout: Duration,
) -> Result<Vec<CaseRead>, DbError> {
    let mut conn = db::connect(url, timeout)?;
    let tables: Present = diesel::sql_query(
        "SELECT /* wfctl:restore_sample_cases */ to_regclass('workflow_info') IS NOT NULL AS present",
    )
    .get_result(&mut conn)
    .map_err(DbError::query("looking for the workflow tables"))?;
    if !tables.present {
        return Ok(Vec::new());
    }
    let ids: Vec<Id> = diesel::sql_query(SAMPLE)
        .load(&mut conn)
        .map_err(DbError::query("choosing cases to read"))?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let options = PoolOptions {
        max_size: 1,
        connection_timeout: timeout,
        ..PoolOptions::default()
    };
    let store = PgStore::connect(url, &options);
    Ok(ids
        .into_iter()
        .map(|id| match &store {
            Ok(store) => read_case(store, id.case_id),
            Err(e) => CaseRead {
                case_id: id.case_id,
                status: None,
                audit_records: 0,
                error: Some(format!("cannot open the case store: {e}")),
            },
        })
        .collect())
}

fn read_case(store: &PgStore, case_id: String) -> CaseRead {
    let read = || -> Result<(CaseStatus, usize), String> {
        let journey = store
            .journey(&case_id)
            .map_err(|e| e.to_string())?
            .ok_or("no journey")?;
        let info = store.process_info(&case_id).map_err(|e| e.to_string())?;
        store.milestones(&case_id).map_err(|e| e.to_string())?;
        let audit = store.audit_records(&case_id).map_err(|e| e.to_string())?;
        let summary = CaseSummary::new(&case_id, &journey.journey.name, info.as_ref());
        Ok((summary.status, audit.len()))
    };
    match read() {
        Ok((status, audit_records)) => CaseRead {
            case_id,
            status: Some(status),
            audit_records,
            error: None,
        },
        Err(error) => CaseRead {
            case_id,
            status: None,
            audit_records: 0,
            error: Some(error),
        },
    }
}
