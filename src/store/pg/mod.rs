//! PgStore: the case store in PostgreSQL (diesel + r2d2) over the seed guide's schema.
//!
//! Each write is ONE statement ([`sql`]): a persistence point (process info, exec paths,
//! variables, audit records numbered from `workflow_counters`, milestone changes) is one round
//! trip in autocommit, so one transaction and one commit (the commit, not the bytes, is the
//! cost). The row mapping is in [`rows`], shared with migrate-files.
//!
//! Connections: an r2d2 pool sized by [`PoolOptions`] (connection timeout, statement timeout),
//! without the per-checkout ping; a connection found dead is marked broken so the pool drops
//! it. A dead server or an exhausted pool is [`Error::Unavailable`] (exit 69), a statement or
//! lock timeout [`Error::Timeout`] (75); nothing waits longer than the configured timeouts.
//!
//! Case lock: a session advisory lock (`pg_try_advisory_lock`, one key per case for every process)
//! held by a dedicated connection (not from the pool) for as long as the guard lives; the server
//! drops it when the process or its connection dies. [`LockWait::Wait`] polls with a growing pause.
//! A case created under its lock is written with its first state in one transaction on the lock's
//! session, so a start killed midway leaves no journey without its case.
//! Lock sessions are kept for reuse after release, so a process that runs many cases does not pay a
//! new connection per case.

mod bulk_runs;
mod case_page;
mod lock;
// The row mapping and the statements are internals (shared with migrate-files and the SLA
// worker); the `testing` feature opens them to the store benchmark's bound, which times the
// same statements without the engine.
#[cfg(feature = "testing")]
pub mod rows;
#[cfg(not(feature = "testing"))]
pub(crate) mod rows;
#[cfg(feature = "testing")]
pub mod sql;
#[cfg(not(feature = "testing"))]
pub(crate) mod sql;
mod watch;

pub use bulk_runs::PgIdClaims;
pub use case_page::PgClaims;
pub use watch::Changes;

use std::time::{SystemTime, UNIX_EPOCH};

use diesel::connection::AnsiTransactionManager;
use diesel::connection::TransactionManager;
use diesel::pg::PgConnection;
use diesel::sql_types::{BigInt, Integer, Jsonb, Nullable, Text};
use diesel::{QueryableByName, RunQueryDsl};
use serde::de::DeserializeOwned;
use serde_json::Value;

use self::rows::{
    AuditRow, DefinitionRow, InfoRow, MilestoneRow, SummaryRow, audit_from_row, definition_rows,
    info_rows, milestone_ops, process_info_from_rows, queued_from_row, summary_from_row,
};
use self::sql::PointParts;
use super::{
    Cancellation, CaseFilter, CaseLock, CaseStore, CaseSummary, DueMilestone, Error, LockWait,
    PersistPoint, QueuedMilestone, Result, Saved, Store, StoredAttempt, UnitAttempt,
};
use crate::db::{self, DatabaseUrl, Pool, PoolOptions};
use crate::model::{AuditRecord, JourneyRecord, ProcessInfo, Sla, journey_key, process_info_key};

/// A store in a PostgreSQL database migrated to the current schema.
pub struct PgStore {
    pool: Pool,
    url: DatabaseUrl,
    options: PoolOptions,
    locks: lock::LockSessions,
}

#[derive(QueryableByName)]
struct LastSeq {
    #[diesel(sql_type = BigInt)]
    last_seq: i64,
}

#[derive(QueryableByName)]
struct AttemptRow {
    #[diesel(sql_type = Nullable<Text>)]
    key: Option<String>,
    #[diesel(sql_type = Nullable<Integer>)]
    attempt: Option<i32>,
}

#[derive(QueryableByName)]
struct CancelRow {
    #[diesel(sql_type = BigInt)]
    cancelled_ts: i64,
    #[diesel(sql_type = Text)]
    cancelled_by: String,
    #[diesel(sql_type = Text)]
    reason: String,
}

#[derive(QueryableByName)]
struct JsonRow {
    #[diesel(sql_type = Jsonb)]
    row: Value,
}

#[derive(QueryableByName)]
struct InfoJson {
    #[diesel(sql_type = Jsonb)]
    info: Value,
    #[diesel(sql_type = Jsonb)]
    paths: Value,
    #[diesel(sql_type = Jsonb)]
    vars: Value,
}

type Conn = crate::db::pool::PooledConnection;

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn from_db(error: db::Error) -> Error {
    if error.is_unavailable() {
        Error::Unavailable {
            reason: error.to_string(),
        }
    } else {
        Error::Database {
            reason: error.to_string(),
        }
    }
}

/// Classifies a diesel error: a lost connection is `Unavailable`, a timeout `Timeout`, a
/// serialization failure `Conflict`.
fn from_diesel(what: &str, error: diesel::result::Error) -> Error {
    use diesel::result::{DatabaseErrorKind, Error as E};
    let message = crate::db::pool::one_line(&error.to_string());
    if db::is_connection_lost(&error) {
        return Error::Unavailable {
            reason: format!("{what}: {message}"),
        };
    }
    match &error {
        E::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => Error::Conflict {
            what: what.to_owned(),
            reason: message,
        },
        E::DatabaseError(_, _)
            if message.contains("statement timeout") || message.contains("lock timeout") =>
        {
            Error::Timeout {
                what: what.to_owned(),
                reason: message,
            }
        }
        _ => Error::Database {
            reason: format!("{what}: {message}"),
        },
    }
}

fn parse_row<T: DeserializeOwned>(what: &str, value: Value) -> Result<T> {
    serde_json::from_value(value).map_err(|e| Error::Corrupt {
        what: what.to_owned(),
        reason: e.to_string(),
    })
}

impl PgStore {
    /// Connects to `url` with a pool per `options`. The database must be migrated
    /// (`wfctl db migrate`).
    pub fn connect(url: &DatabaseUrl, options: &PoolOptions) -> Result<Self> {
        let pool = db::connect_pool_unpinged(url, options).map_err(from_db)?;
        Ok(Self {
            pool,
            url: url.clone(),
            locks: lock::LockSessions::new(options.max_size as usize),
            options: options.clone(),
        })
    }

    /// The pool (for callers that run their own queries next to the store's).
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    fn conn(&self) -> Result<Conn> {
        db::pool::checkout(&self.pool).map_err(from_db)
    }

    /// Runs a statement on a pooled connection; a connection that turns out dead is marked
    /// broken so that the pool drops it.
    fn run<T>(
        &self,
        what: &str,
        query: impl FnOnce(&mut PgConnection) -> diesel::QueryResult<T>,
    ) -> Result<T> {
        let mut conn = self.conn()?;
        query(&mut conn).map_err(|e| {
            if db::is_connection_lost(&e) {
                AnsiTransactionManager::transaction_manager_status_mut(&mut *conn).set_in_error();
            }
            from_diesel(what, e)
        })
    }

    /// Runs a write of `case_id`: on the session holding its lock when this store holds it (so
    /// that a lost lock fails the write), else on a pooled connection.
    fn write_case<T>(
        &self,
        case_id: &str,
        what: &str,
        query: impl FnOnce(&mut PgConnection) -> diesel::QueryResult<T>,
    ) -> Result<T> {
        let mut query = Some(query);
        let on_lock = self.locks.on_lock(case_id, what, |c| {
            query.take().expect("the query runs once")(c)
        });
        match on_lock {
            Some(result) => result,
            None => self.run(what, query.take().expect("the query runs once")),
        }
    }

    fn json_rows(&self, what: &str, sql: &'static str, key: &str) -> Result<Vec<Value>> {
        let key = key.to_owned();
        let rows: Vec<JsonRow> = self.run(what, |c| {
            diesel::sql_query(sql).bind::<Text, _>(key).load(c)
        })?;
        Ok(rows.into_iter().map(|r| r.row).collect())
    }

    /// One persistence point as one statement, with `cancel` (if any) in it.
    fn save_with(
        &self,
        case_id: &str,
        point: &PersistPoint<'_>,
        cancel: Option<&Cancellation>,
    ) -> Result<Saved> {
        let info = point
            .process_info
            .map(|info| info_rows(case_id, None, info))
            .transpose()?;
        let now = now_ms();
        let milestones = milestone_ops(case_id, point.milestones, now);
        let parts = PointParts {
            case_id,
            info: info.as_ref(),
            counter: crate::model::counter_key(case_id),
            audits: point
                .audit
                .iter()
                .map(|a| (a.unit.clone(), a.document.ts, a.document.to_document()))
                .collect(),
            milestones: &milestones,
            now,
            cancel,
        };
        let n = point.audit.len() as u64;
        if parts.info.is_none() && n == 0 && point.milestones.is_empty() && cancel.is_none() {
            return Ok(Saved::default());
        }
        let query = sql::save_point(&parts);
        let saved: Vec<LastSeq> =
            self.write_case(case_id, &format!("saving case {case_id}"), |c| {
                query.load(c)
            })?;
        let last = saved
            .first()
            .map_or(0, |s| u64::try_from(s.last_seq).unwrap_or(0));
        let first = (last + 1).saturating_sub(n);
        Ok(Saved {
            audit_seqs: (first..first + n).collect(),
        })
    }

    fn definition(&self, case_id: &str) -> Result<Option<DefinitionRow>> {
        let what = format!("workflow_definition of case {case_id}");
        self.json_rows(&what, sql::DEFINITION, &journey_key(case_id))?
            .into_iter()
            .next()
            .map(|v| parse_row(&what, v))
            .transpose()
    }
}

impl CaseStore for PgStore {
    fn describe(&self) -> String {
        format!("PostgreSQL {}", self.url)
    }

    fn create_case(&self, case_id: &str, journey: &JourneyRecord, sla: Option<&Sla>) -> Result<()> {
        super::check_case_id(case_id)?;
        super::check_unit_names(case_id, &journey.journey)?;
        let rows = definition_rows(case_id, journey, sla, Some(now_ms()));
        // under the case lock (a start), the journey is written with the case's first state,
        // in one transaction: a start that dies before it leaves nothing behind
        let pending = lock::PendingCase {
            journey: journey.clone(),
            sla: sla.cloned(),
            rows,
        };
        let Some(pending) = self.locks.defer_create(case_id, pending) else {
            return Ok(());
        };
        let query = sql::create_case(&pending.rows).finish();
        self.write_case(
            case_id,
            &format!("storing the journey of case {case_id}"),
            |c| query.load::<LastSeq>(c),
        )?;
        Ok(())
    }

    fn journey(&self, case_id: &str) -> Result<Option<JourneyRecord>> {
        if let Some((journey, _)) = self.locks.pending(case_id) {
            return Ok(Some(journey));
        }
        let Some(row) = self.definition(case_id)? else {
            return Ok(None);
        };
        let what = format!("workflow_definition.flow_json of case {case_id}");
        let text = row.flow_json.ok_or_else(|| Error::Corrupt {
            what: what.clone(),
            reason: "NULL".into(),
        })?;
        JourneyRecord::parse(text)
            .map(Some)
            .map_err(|e| Error::Corrupt {
                what,
                reason: e.to_string(),
            })
    }

    fn sla(&self, case_id: &str) -> Result<Option<Sla>> {
        if let Some((_, sla)) = self.locks.pending(case_id) {
            return Ok(sla);
        }
        let Some(text) = self.definition(case_id)?.and_then(|row| row.sla_json) else {
            return Ok(None);
        };
        Sla::parse(&text).map(Some).map_err(|e| Error::Corrupt {
            what: format!("workflow_definition.sla_json of case {case_id}"),
            reason: e.to_string(),
        })
    }

    fn process_info(&self, case_id: &str) -> Result<Option<ProcessInfo>> {
        let what = format!("process info of case {case_id}");
        let hibid = process_info_key(case_id);
        let found: Vec<InfoJson> = self.run(&what, |c| {
            diesel::sql_query(sql::PROCESS_INFO)
                .bind::<Text, _>(hibid)
                .load(c)
        })?;
        let Some(found) = found.into_iter().next() else {
            return Ok(None);
        };
        let info: InfoRow = parse_row(&what, found.info)?;
        let paths = parse_row(&what, found.paths)?;
        let vars = parse_row(&what, found.vars)?;
        process_info_from_rows(info, paths, vars)
            .map(Some)
            .map_err(|reason| Error::Corrupt { what, reason })
    }

    fn save_point(&self, case_id: &str, point: &PersistPoint<'_>) -> Result<Saved> {
        self.save_with(case_id, point, None)
    }

    fn lock_case(&self, case_id: &str, wait: LockWait) -> Result<Box<dyn CaseLock>> {
        let lock = self.locks.lock_case(case_id, wait, || {
            db::connect(&self.url, self.options.connection_timeout).map_err(from_db)
        })?;
        Ok(Box::new(lock))
    }

    fn last_audit_seq(&self, case_id: &str) -> Result<u64> {
        let name = crate::model::counter_key(case_id);
        let found: Vec<LastSeq> = self.run(&format!("audit counter of case {case_id}"), |c| {
            diesel::sql_query(sql::AUDIT_SEQ)
                .bind::<Text, _>(name)
                .load(c)
        })?;
        Ok(found
            .first()
            .map_or(0, |s| u64::try_from(s.last_seq).unwrap_or(0)))
    }

    fn lock_held(&self, case_id: &str) -> Result<Option<bool>> {
        #[derive(QueryableByName)]
        struct Held {
            #[diesel(sql_type = diesel::sql_types::Bool)]
            locked: bool,
        }
        let held: Held = self.run(&format!("lock of case {case_id}"), |c| {
            diesel::sql_query(sql::CASE_LOCK_HELD)
                .bind::<Text, _>(case_id)
                .get_result(c)
        })?;
        Ok(Some(held.locked))
    }

    fn unit_attempt(&self, case_id: &str) -> Result<Option<UnitAttempt>> {
        let found: Vec<AttemptRow> = self.run(&format!("unit attempt of case {case_id}"), |c| {
            diesel::sql_query(sql::UNIT_ATTEMPT)
                .bind::<Text, _>(process_info_key(case_id))
                .load(c)
        })?;
        let Some(row) = found.into_iter().next() else {
            return Ok(None);
        };
        UnitAttempt::from_stored(
            case_id,
            "workflow_info.wfctl_attempt_key, wfctl_attempt",
            StoredAttempt {
                key: row.key,
                attempt: row.attempt.map(i64::from),
            },
        )
    }

    fn record_unit_attempt(&self, case_id: &str, attempt: &UnitAttempt) -> Result<()> {
        let n = i32::try_from(attempt.attempt).map_err(|_| Error::Unstorable {
            what: format!("unit attempt of case {case_id}"),
            reason: format!("attempt {} does not fit an integer column", attempt.attempt),
        })?;
        self.write_case(
            case_id,
            &format!("recording the unit attempt of case {case_id}"),
            |c| {
                diesel::sql_query(sql::RECORD_UNIT_ATTEMPT)
                    .bind::<Text, _>(process_info_key(case_id))
                    .bind::<Text, _>(&attempt.key)
                    .bind::<Integer, _>(n)
                    .execute(c)
            },
        )?;
        Ok(())
    }

    fn cancellation(&self, case_id: &str) -> Result<Option<Cancellation>> {
        let what = format!("cancellation of case {case_id}");
        let rows: Vec<CancelRow> = self.run(&what, |c| {
            diesel::sql_query(sql::CANCELLATION)
                .bind::<Text, _>(case_id.to_owned())
                .load(c)
        })?;
        Ok(rows.into_iter().next().map(|r| Cancellation {
            reason: r.reason,
            by: r.cancelled_by,
            at: r.cancelled_ts,
        }))
    }

    fn save_cancel(
        &self,
        case_id: &str,
        cancel: &Cancellation,
        point: &PersistPoint<'_>,
    ) -> Result<Saved> {
        // the cancel columns are updated beside the point: a row cannot be changed twice in
        // one statement, so the point must not rewrite the process info
        if point.process_info.is_some() {
            return Err(Error::Unstorable {
                what: format!("cancel of case {case_id}"),
                reason: "a cancel does not rewrite the process info".to_owned(),
            });
        }
        self.save_with(case_id, point, Some(cancel))
    }
}

impl Store for PgStore {
    fn audit_records(&self, case_id: &str) -> Result<Vec<AuditRecord>> {
        let what = format!("audit_log of case {case_id}");
        self.json_rows(&what, sql::AUDIT_LOG, case_id)?
            .into_iter()
            .map(|v| {
                let row: AuditRow = parse_row(&what, v)?;
                let seq = row.sequence;
                audit_from_row(row).map_err(|reason| Error::Corrupt {
                    what: format!("{what}, sequence {seq}"),
                    reason,
                })
            })
            .collect()
    }

    fn milestones(&self, case_id: &str) -> Result<Vec<QueuedMilestone>> {
        let what = format!("milestones of case {case_id}");
        self.json_rows(&what, sql::MILESTONES, case_id)?
            .into_iter()
            .map(|v| {
                let row: MilestoneRow = parse_row(&what, v)?;
                queued_from_row(row).map_err(|reason| Error::Corrupt {
                    what: what.clone(),
                    reason,
                })
            })
            .collect()
    }

    fn list_cases(&self) -> Result<Vec<CaseSummary>> {
        self.list_cases_filtered(&CaseFilter::default())
    }

    fn list_cases_filtered(&self, filter: &CaseFilter) -> Result<Vec<CaseSummary>> {
        let query = sql::case_list(filter);
        let rows: Vec<JsonRow> = self.run("listing cases", |c| query.load(c))?;
        let mut cases = rows
            .into_iter()
            .map(|r| parse_row::<SummaryRow>("case listing", r.row).map(summary_from_row))
            .collect::<Result<Vec<_>>>()?;
        // the statement's filters leave this one to the summary's own rule
        cases.retain(|c| !filter.left_mid_run || c.left_mid_run());
        Ok(cases)
    }

    fn list_cases_query(&self, query: &super::CaseQuery) -> Result<Vec<CaseSummary>> {
        self.case_page(query)
    }

    fn due_milestones(&self, now_ms: i64) -> Result<Vec<DueMilestone>> {
        let rows: Vec<JsonRow> = self.run("due milestones", |c| {
            diesel::sql_query(sql::SLA_DUE)
                .bind::<BigInt, _>(now_ms)
                .load(c)
        })?;
        rows.into_iter()
            .map(|r| {
                let row: MilestoneRow = parse_row("due milestones", r.row)?;
                let case_id = row.case_id.clone().unwrap_or_default();
                let queued = queued_from_row(row).map_err(|reason| Error::Corrupt {
                    what: format!("milestones of case {case_id}"),
                    reason,
                })?;
                Ok(DueMilestone { case_id, queued })
            })
            .collect()
    }
}

impl super::AuditRewrite for PgStore {
    fn rewrite_audit(&self, record: &AuditRecord) -> Result<()> {
        let seq = i32::try_from(record.seq).unwrap_or(i32::MAX);
        self.write_case(
            &record.case_id,
            &format!(
                "rewriting audit record {} of case {}",
                record.seq, record.case_id
            ),
            |c| {
                diesel::sql_query(
                    "UPDATE /* wfctl:rewrite_audit */ audit_log SET log_data = $3 \
                     WHERE case_id = $1 AND sequence = $2",
                )
                .bind::<Text, _>(&record.case_id)
                .bind::<Integer, _>(seq)
                .bind::<diesel::sql_types::Jsonb, _>(record.document.to_document())
                .execute(c)
            },
        )?;
        Ok(())
    }

    fn forget_previous(&self, _case_id: &str) -> Result<()> {
        // replaced rows are dead tuples, gone from dumps at once and from disk with VACUUM
        Ok(())
    }
}
