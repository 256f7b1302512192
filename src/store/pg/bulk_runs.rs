//! The bulk runs under way on PostgreSQL (`wfctl_bulk_run`): each run's selection time,
//! shared by its workers on every host and by a re-run after a kill (see `wfctl::bulk::select`);
//! and the claims of an id list's workers ([`PgIdClaims`]).

use std::collections::HashSet;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sql_types::{Array, BigInt, Text};
use diesel::{QueryableByName, RunQueryDsl};

use super::{PgStore, from_db, from_diesel};
use crate::db;
use crate::store::Result;

#[derive(QueryableByName)]
struct CaseId {
    #[diesel(sql_type = Text)]
    case_id: String,
}

// the journey rows of the ids; claimed ones are locked as the listing claims are
const CLAIM_IDS: &str = "SELECT d.case_id FROM workflow_definition d \
     WHERE d.hibid = ANY($1) FOR NO KEY UPDATE OF d SKIP LOCKED";
const EXISTING_IDS: &str = "SELECT d.case_id FROM workflow_definition d WHERE d.hibid = ANY($1)";

/// A bulk worker's claims on the cases of an id list, like [`super::PgClaims`] for a listing:
/// each chunk's journey rows are locked `FOR NO KEY UPDATE SKIP LOCKED` in a transaction held
/// until the next chunk, so workers on other hosts pass over them.
pub struct PgIdClaims {
    conn: PgConnection,
    open: bool,
}

impl PgIdClaims {
    /// Releases the previous chunk and claims `ids`; returns those another worker holds.
    pub fn claim(&mut self, ids: &[String]) -> Result<HashSet<String>> {
        self.release()?;
        let what = "claiming cases";
        self.conn
            .batch_execute("BEGIN")
            .map_err(|e| from_diesel(what, e))?;
        self.open = true;
        let keys: Vec<String> = ids.iter().map(|id| crate::model::journey_key(id)).collect();
        let load = |conn: &mut PgConnection, sql: &str| -> Result<HashSet<String>> {
            let rows: Vec<CaseId> = diesel::sql_query(sql)
                .bind::<Array<Text>, _>(&keys)
                .load(conn)
                .map_err(|e| from_diesel(what, e))?;
            Ok(rows.into_iter().map(|r| r.case_id).collect())
        };
        let claimed = load(&mut self.conn, CLAIM_IDS)?;
        let existing = load(&mut self.conn, EXISTING_IDS)?;
        Ok(existing.difference(&claimed).cloned().collect())
    }

    /// Ends the current claim.
    pub fn release(&mut self) -> Result<()> {
        if std::mem::take(&mut self.open) {
            self.conn
                .batch_execute("COMMIT")
                .map_err(|e| from_diesel("releasing claimed cases", e))?;
        }
        Ok(())
    }
}

#[derive(QueryableByName)]
struct Selected {
    #[diesel(sql_type = BigInt)]
    selected_before: i64,
}

// the no-op update makes RETURNING give the row a concurrent worker inserted first
const BEGIN: &str = "INSERT INTO wfctl_bulk_run (run_key, selected_before, started_ts) \
     VALUES ($1, $2, $2) \
     ON CONFLICT (run_key) DO UPDATE SET run_key = EXCLUDED.run_key \
     RETURNING selected_before";

const FINISH: &str = "DELETE FROM wfctl_bulk_run WHERE run_key = $1 AND selected_before = $2";

impl PgStore {
    /// Starts claiming cases of an id list, on a connection of its own.
    pub fn id_claims(&self) -> Result<PgIdClaims> {
        let conn = db::connect(&self.url, self.options.connection_timeout).map_err(from_db)?;
        Ok(PgIdClaims { conn, open: false })
    }

    /// Joins the unfinished bulk run `key`, or begins it with `now_ms` as its selection time;
    /// returns the run's selection time.
    pub fn bulk_run_begin(&self, key: &str, now_ms: i64) -> Result<i64> {
        let row: Selected = self.run("beginning a bulk run", |c| {
            diesel::sql_query(BEGIN)
                .bind::<Text, _>(key)
                .bind::<BigInt, _>(now_ms)
                .get_result(c)
        })?;
        Ok(row.selected_before)
    }

    /// Ends the bulk run `key` begun at `selected_before` (nothing left to take).
    pub fn bulk_run_finish(&self, key: &str, selected_before: i64) -> Result<()> {
        self.run("finishing a bulk run", |c| {
            diesel::sql_query(FINISH)
                .bind::<Text, _>(key)
                .bind::<BigInt, _>(selected_before)
                .execute(c)
        })?;
        Ok(())
    }
}
