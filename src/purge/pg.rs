//! Purging on PostgreSQL. A batch is taken without locks: each case's fingerprint (an MD5 of
//! its `workflow_info` row and audit counter) is read before the case is. Its deletion is one
//! transaction that
//!
//! 1. takes the case lock of each case for the transaction (`pg_try_advisory_xact_lock` on
//!    the key the engine locks with): a case being run is left (busy), and no run can begin
//!    on the others until the commit;
//! 2. then, in a new snapshot (so that every save committed before the lock is seen), locks
//!    the journey rows `FOR UPDATE SKIP LOCKED` (a bulk worker's claim is left, busy) and
//!    reads the fingerprints again: a case that changed since it was read (and archived), or
//!    is no longer completed or cancelled, is left (changed);
//! 3. deletes the rows of the rest (the statements migrate-files replaces a case with) and
//!    notifies each case's change, so that `case wait` and `history --follow` see it go.
//!
//! No lock is waited for: nothing of a live case is blocked longer than one batch's deletes.

use std::collections::HashMap;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sql_types::{Array, Text};
use diesel::{QueryableByName, RunQueryDsl};

use super::{Deleted, Held, Target};
use crate::import::encode::{CaseKeys, DELETE_STATEMENTS};
use crate::store::pg::sql::CHANGE_CHANNEL;
use crate::store::{Error, PgStore, Result, Store};

#[derive(QueryableByName)]
struct Print {
    #[diesel(sql_type = Text)]
    case_id: String,
    #[diesel(sql_type = Text)]
    token: String,
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = Text)]
    case_id: String,
}

/// The fingerprint of case `c.id` (`c.info`, `c.counter`: its keys), `!` when it is neither
/// completed nor cancelled.
const PRINT: &str = "CASE WHEN i.is_complete OR i.wfctl_cancelled_ts IS NOT NULL \
     THEN md5(to_jsonb(i)::text || '/' || COALESCE((SELECT w.value::text FROM workflow_counters w \
     WHERE w.name = c.counter), '')) ELSE '!' END";

fn prints_sql(lock: bool) -> String {
    let (join, tail) = if lock {
        (
            "JOIN workflow_definition d ON d.hibid = c.journey ",
            " FOR UPDATE OF d SKIP LOCKED",
        )
    } else {
        ("", "")
    };
    format!(
        "SELECT /* wfctl:purge_check */ c.id AS case_id, {PRINT} AS token \
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS c(id, journey, info, counter) \
         {join}JOIN workflow_info i ON i.hibid = c.info{tail}"
    )
}

const LOCK_CASES: &str = "SELECT /* wfctl:purge_lock */ c.id AS case_id \
     FROM unnest($1::text[]) AS c(id) WHERE pg_try_advisory_xact_lock(wfctl_case_lock_key(c.id))";

fn db_error(what: &str, e: diesel::result::Error) -> Error {
    let reason = format!("{what}: {}", crate::db::pool::one_line(&e.to_string()));
    if crate::db::is_connection_lost(&e) {
        Error::Unavailable { reason }
    } else {
        Error::Database { reason }
    }
}

/// PostgreSQL as a purge target.
pub struct PgTarget<'a> {
    store: &'a PgStore,
}

impl<'a> PgTarget<'a> {
    /// Purges from `store`.
    pub fn new(store: &'a PgStore) -> Self {
        Self { store }
    }

    fn conn(&self) -> Result<crate::db::pool::PooledConnection> {
        crate::db::pool::checkout(self.store.pool()).map_err(|e| Error::Unavailable {
            reason: e.to_string(),
        })
    }
}

fn prints(conn: &mut PgConnection, ids: &[String], lock: bool) -> Result<HashMap<String, String>> {
    let keys = CaseKeys::of(ids);
    let rows: Vec<Print> = diesel::sql_query(prints_sql(lock))
        .bind::<Array<Text>, _>(ids)
        .bind::<Array<Text>, _>(&keys.journey)
        .bind::<Array<Text>, _>(&keys.info)
        .bind::<Array<Text>, _>(&keys.counter)
        .load(conn)
        .map_err(|e| db_error("reading the cases to purge", e))?;
    Ok(rows.into_iter().map(|r| (r.case_id, r.token)).collect())
}

impl Target for PgTarget<'_> {
    fn store(&self) -> &dyn Store {
        self.store
    }

    fn hold(&mut self, ids: &[String]) -> Result<(Vec<Held>, Vec<String>)> {
        let mut conn = self.conn()?;
        let found = prints(&mut conn, ids, false)?;
        Ok((
            ids.iter()
                .filter_map(|id| {
                    found.get(id).map(|token| Held {
                        case_id: id.clone(),
                        token: token.clone(),
                    })
                })
                .collect(),
            Vec::new(),
        ))
    }

    fn delete(&mut self, held: &[Held]) -> Result<Deleted> {
        let mut deleted = Deleted::default();
        if held.is_empty() {
            return Ok(deleted);
        }
        let mut conn = self.conn()?;
        let what = "deleting purged cases";
        conn.batch_execute("BEGIN; SET LOCAL lock_timeout = '5s'")
            .map_err(|e| db_error(what, e))?;
        let result = (|| {
            let ids: Vec<String> = held.iter().map(|h| h.case_id.clone()).collect();
            let locked: Vec<Id> = diesel::sql_query(LOCK_CASES)
                .bind::<Array<Text>, _>(&ids)
                .load(&mut *conn)
                .map_err(|e| db_error(what, e))?;
            let locked: Vec<String> = locked.into_iter().map(|r| r.case_id).collect();
            let now = prints(&mut conn, &locked, true)?;
            for h in held {
                if !locked.contains(&h.case_id) {
                    deleted.busy.push(h.case_id.clone());
                } else {
                    match now.get(&h.case_id) {
                        None => deleted.busy.push(h.case_id.clone()),
                        Some(token) if *token == h.token => deleted.deleted.push(h.case_id.clone()),
                        Some(_) => deleted.changed.push(h.case_id.clone()),
                    }
                }
            }
            let keys = CaseKeys::of(&deleted.deleted);
            for statement in DELETE_STATEMENTS {
                let statement = statement.replace("wfctl:import_delete", "wfctl:purge_delete");
                diesel::sql_query(statement)
                    .bind::<Array<Text>, _>(&deleted.deleted)
                    .bind::<Array<Text>, _>(&keys.journey)
                    .bind::<Array<Text>, _>(&keys.info)
                    .bind::<Array<Text>, _>(&keys.counter)
                    .execute(&mut *conn)
                    .map_err(|e| db_error(what, e))?;
            }
            diesel::sql_query(format!(
                "SELECT /* wfctl:purge_notify */ pg_notify('{CHANGE_CHANNEL}', c.id) \
                 FROM unnest($1::text[]) AS c(id)"
            ))
            .bind::<Array<Text>, _>(&deleted.deleted)
            .execute(&mut *conn)
            .map_err(|e| db_error(what, e))?;
            conn.batch_execute("COMMIT").map_err(|e| db_error(what, e))
        })();
        if let Err(e) = result {
            let _ = conn.batch_execute("ROLLBACK");
            return Err(e);
        }
        Ok(deleted)
    }
}
