//! The `sla run` ledger on PostgreSQL: wfctl's own columns of `milestone` (`sla_fired_ts`,
//! `sla_attempts`, `sla_failures`, `sla_failed_ts`, `sla_error`; a fired milestone also gets
//! `status = 'fired'`).
//!
//! Claims: a batch of due milestones is selected with `FOR NO KEY UPDATE OF d SKIP LOCKED` on
//! their cases' `workflow_definition` rows, in a transaction held on a connection of its own
//! while the worker acts on the batch, so workers on any host get disjoint cases. The lock is
//! on the definition row, not on the milestone row, because an action's own engine write
//! (`CHG_WB` dequeues the basket's milestones, a resume that completes the case dequeues them
//! all) updates the milestone rows and would wait for the worker's lock forever. The records
//! are written on a second connection in autocommit, each one durable before the next step.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sql_types::{Array, BigInt, Jsonb, Text};
use diesel::{QueryableByName, RunQueryDsl};
use serde::Deserialize;
use serde_json::Value;

use super::ledger::{DueItem, FireState, Ledger};
use super::watch::{RERUN_GRACE, Watch};
use crate::db::{self, DatabaseUrl, PoolOptions};
use crate::store::pg::rows::{MilestoneRow, queued_from_row};
use crate::store::{Error, Result};

const CLAIM: &str = "SELECT /* wfctl:sla_claim */ to_jsonb(m) AS row FROM milestone m
JOIN workflow_definition d ON d.hibid = 'journey-' || m.case_id
WHERE m.status = 'enqueued' AND m.target_ts <= $1
  AND (m.sla_failed_ts IS NULL OR m.sla_failed_ts < $2)
  AND NOT (m.id = ANY($3))
ORDER BY m.target_ts, m.id
LIMIT $4
FOR NO KEY UPDATE OF d SKIP LOCKED";

const RECHECK: &str = "SELECT /* wfctl:sla_record */ to_jsonb(m) AS row FROM milestone m WHERE id = $1 AND status = 'enqueued'";

const STARTED: &str =
    "UPDATE /* wfctl:sla_record */ milestone SET sla_attempts = sla_attempts + 1 WHERE id = $1
RETURNING jsonb_build_object('sla_attempts', sla_attempts) AS row";

// the action itself may have dequeued its milestone (CHG_WB leaves the basket): fired wins
const FIRED: &str = "UPDATE /* wfctl:sla_record */ milestone SET status = 'fired', sla_fired_ts = $2, actual_ts = $2, sla_error = NULL
WHERE id = $1 RETURNING jsonb_build_object('id', id) AS row";

const FAILED: &str = "UPDATE /* wfctl:sla_record */ milestone SET sla_failures = sla_failures + 1, sla_failed_ts = $2, sla_error = $3
WHERE id = $1 RETURNING jsonb_build_object('id', id) AS row";

const LISTING: &str = "SELECT /* wfctl:sla_due */ to_jsonb(m) AS row FROM milestone m
WHERE (status = 'enqueued' AND target_ts <= $1)
   OR (status = 'fired' AND sla_fired_ts >= $2)
ORDER BY target_ts, id";

#[derive(QueryableByName)]
struct JsonRow {
    #[diesel(sql_type = Jsonb)]
    row: Value,
}

/// wfctl's columns of a `milestone` row.
#[derive(Debug, Deserialize)]
struct FireColumns {
    id: i64,
    #[serde(default)]
    sla_attempts: i32,
    #[serde(default)]
    sla_failures: i32,
    sla_fired_ts: Option<i64>,
    sla_failed_ts: Option<i64>,
    sla_error: Option<String>,
}

impl FireColumns {
    fn state(&self) -> FireState {
        FireState {
            attempts: u32::try_from(self.sla_attempts).unwrap_or(0),
            failures: u32::try_from(self.sla_failures).unwrap_or(0),
            fired_at: self.sla_fired_ts,
            failed_at: self.sla_failed_ts,
            error: self.sla_error.clone(),
        }
    }
}

fn item_of(row: Value) -> Result<DueItem> {
    let corrupt = |reason: String| Error::Corrupt {
        what: "milestone row".to_owned(),
        reason,
    };
    let columns: FireColumns =
        serde_json::from_value(row.clone()).map_err(|e| corrupt(e.to_string()))?;
    let milestone: MilestoneRow =
        serde_json::from_value(row).map_err(|e| corrupt(e.to_string()))?;
    let case_id = milestone.case_id.clone().unwrap_or_default();
    Ok(DueItem {
        key: columns.id.to_string(),
        case_id,
        queued: queued_from_row(milestone).map_err(corrupt)?,
        state: columns.state(),
    })
}

fn from_diesel(what: &str, error: &diesel::result::Error) -> Error {
    let reason = format!("{what}: {}", crate::db::pool::one_line(&error.to_string()));
    if db::is_connection_lost(error) {
        Error::Unavailable { reason }
    } else {
        Error::Database { reason }
    }
}

fn id_of(item: &DueItem) -> Result<i64> {
    item.key.parse().map_err(|_| Error::Corrupt {
        what: format!("milestone key {:?}", item.key),
        reason: "not a row id".to_owned(),
    })
}

/// The ledger of a PostgreSQL store.
pub struct PgLedger {
    // shared with the watchdog of a running action
    claims: Arc<Mutex<PgConnection>>,
    records: std::cell::RefCell<PgConnection>,
    open: bool,
}

impl PgLedger {
    /// Opens the two connections of a worker.
    pub fn connect(url: &DatabaseUrl, options: &PoolOptions) -> Result<Self> {
        let connect = || {
            db::connect(url, options.connection_timeout).map_err(|e| {
                if e.is_unavailable() {
                    Error::Unavailable {
                        reason: e.to_string(),
                    }
                } else {
                    Error::Database {
                        reason: e.to_string(),
                    }
                }
            })
        };
        Ok(Self {
            claims: Arc::new(Mutex::new(connect()?)),
            records: std::cell::RefCell::new(connect()?),
            open: false,
        })
    }

    fn load(
        &self,
        what: &str,
        query: diesel::query_builder::BoxedSqlQuery<
            '_,
            diesel::pg::Pg,
            diesel::query_builder::SqlQuery,
        >,
    ) -> Result<Vec<Value>> {
        let rows: Vec<JsonRow> = query
            .load(&mut *self.records.borrow_mut())
            .map_err(|e| from_diesel(what, &e))?;
        Ok(rows.into_iter().map(|r| r.row).collect())
    }
}

impl Ledger for PgLedger {
    fn claim(
        &mut self,
        now: i64,
        pass_started: i64,
        batch: usize,
        skip: &HashSet<String>,
    ) -> Result<Vec<DueItem>> {
        self.release()?;
        let what = "claiming due milestones";
        let mut claims = self.claims.lock().unwrap_or_else(PoisonError::into_inner);
        claims
            .batch_execute("BEGIN")
            .map_err(|e| from_diesel(what, &e))?;
        self.open = true;
        let skip: Vec<i64> = skip.iter().filter_map(|k| k.parse().ok()).collect();
        let rows: Vec<JsonRow> = diesel::sql_query(CLAIM)
            .bind::<BigInt, _>(now)
            .bind::<BigInt, _>(pass_started)
            .bind::<Array<BigInt>, _>(skip)
            .bind::<BigInt, _>(i64::try_from(batch).unwrap_or(i64::MAX))
            .load(&mut *claims)
            .map_err(|e| from_diesel(what, &e))?;
        rows.into_iter().map(|r| item_of(r.row)).collect()
    }

    fn recheck(&self, item: &DueItem) -> Result<Option<FireState>> {
        let rows = self.load(
            "reading a due milestone",
            diesel::sql_query(RECHECK)
                .into_boxed()
                .bind::<BigInt, _>(id_of(item)?),
        )?;
        rows.into_iter()
            .next()
            .map(|row| item_of(row).map(|i| i.state))
            .transpose()
    }

    fn started(&self, item: &DueItem) -> Result<u32> {
        let rows = self.load(
            "recording an SLA action start",
            diesel::sql_query(STARTED)
                .into_boxed()
                .bind::<BigInt, _>(id_of(item)?),
        )?;
        Ok(rows
            .first()
            .and_then(|r| r.get("sla_attempts"))
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(1))
    }

    fn fired(&self, item: &DueItem, at: i64) -> Result<()> {
        self.load(
            "recording a fired milestone",
            diesel::sql_query(FIRED)
                .into_boxed()
                .bind::<BigInt, _>(id_of(item)?)
                .bind::<BigInt, _>(at),
        )
        .map(drop)
    }

    fn failed(&self, item: &DueItem, at: i64, error: &str) -> Result<()> {
        self.load(
            "recording a failed SLA action",
            diesel::sql_query(FAILED)
                .into_boxed()
                .bind::<BigInt, _>(id_of(item)?)
                .bind::<BigInt, _>(at)
                .bind::<Text, _>(error.to_owned()),
        )
        .map(drop)
    }

    fn release(&mut self) -> Result<()> {
        if std::mem::take(&mut self.open) {
            self.claims
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .batch_execute("COMMIT")
                .map_err(|e| from_diesel("releasing claimed milestones", &e))?;
        }
        Ok(())
    }

    fn watch(&self) -> Option<Watch> {
        let claims = Arc::clone(&self.claims);
        Some(Watch::start(move || {
            claims
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .batch_execute("SELECT /* wfctl:sla_watch */ 1")
                .map_err(|e| {
                    format!(
                        "the session holding its claim was lost ({})",
                        crate::db::pool::one_line(&e.to_string())
                    )
                })
        }))
    }

    fn rerun_grace(&self) -> Duration {
        RERUN_GRACE
    }

    fn listing(&mut self, at: i64, fired_since: Option<i64>) -> Result<Vec<DueItem>> {
        let rows = self.load(
            "listing due milestones",
            diesel::sql_query(LISTING)
                .into_boxed()
                .bind::<BigInt, _>(at)
                .bind::<BigInt, _>(fired_since.unwrap_or(i64::MAX)),
        )?;
        rows.into_iter().map(item_of).collect()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_statement_carries_a_known_tag() {
        for sql in [
            super::CLAIM,
            super::RECHECK,
            super::STARTED,
            super::FIRED,
            super::FAILED,
            super::LISTING,
        ] {
            crate::store::pg::sql::assert_tagged(sql);
        }
    }
}
