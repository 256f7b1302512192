//! The PostgreSQL case lock: a session advisory lock on a connection of its own (never one of
//! the pool's, whose sessions are shared by every statement of the process).
//!
//! A released lock session is kept for the next `lock_case` (up to a few idle ones), because a
//! new connection costs more than a whole persistence point. A kept session
//! holds no lock: the release is explicit, and a session whose release failed is closed, which
//! releases whatever it held.

use std::sync::{Arc, Mutex, PoisonError};

use diesel::pg::PgConnection;
use diesel::sql_types::{Bool, Text};
use diesel::{QueryableByName, RunQueryDsl};

use super::{from_diesel, sql};
use crate::db;
use crate::store::backoff::poll_with_backoff;
use crate::store::{CaseLock, Error, LockWait, Result};

#[derive(QueryableByName)]
struct Locked {
    #[diesel(sql_type = Bool)]
    locked: bool,
}

#[derive(QueryableByName)]
struct Unlocked {
    #[diesel(sql_type = Bool)]
    unlocked: bool,
}

/// Idle lock sessions of one store.
pub struct LockSessions {
    idle: Arc<Mutex<Vec<PgConnection>>>,
    keep: usize,
}

impl LockSessions {
    /// Keeps at most `keep` idle sessions.
    pub fn new(keep: usize) -> Self {
        Self {
            idle: Arc::new(Mutex::new(Vec::new())),
            keep: keep.max(1),
        }
    }

    fn take_idle(&self) -> Option<PgConnection> {
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
    }

    /// Takes the lock of `case_id`, on an idle session or a new one from `connect`.
    pub fn lock_case(
        &self,
        case_id: &str,
        wait: LockWait,
        connect: impl Fn() -> Result<PgConnection>,
    ) -> Result<PgLock> {
        let what = format!("locking case {case_id}");
        let try_lock = |conn: &mut PgConnection| {
            diesel::sql_query(sql::CASE_LOCK)
                .bind::<Text, _>(case_id)
                .get_result::<Locked>(conn)
                .map(|l| l.locked)
        };
        // an idle session may have died with a server restart: then start a new one
        let (mut conn, mut first) = match self.take_idle() {
            Some(mut conn) => match try_lock(&mut conn) {
                Ok(locked) => (conn, Some(locked)),
                Err(e) if db::is_connection_lost(&e) => (connect()?, None),
                Err(e) => return Err(from_diesel(&what, e)),
            },
            None => (connect()?, None),
        };
        let got = poll_with_backoff(wait, || {
            let locked = match first.take() {
                Some(locked) => locked,
                None => try_lock(&mut conn).map_err(|e| from_diesel(&what, e))?,
            };
            Ok(locked.then_some(()))
        })?;
        if got.is_none() {
            self.put_back(conn);
            return Err(Error::Locked {
                case: case_id.to_owned(),
            });
        }
        Ok(PgLock {
            case_id: case_id.to_owned(),
            conn: Some(conn),
            idle: Arc::clone(&self.idle),
            keep: self.keep,
        })
    }

    fn put_back(&self, conn: PgConnection) {
        keep_idle(&self.idle, self.keep, conn);
    }
}

fn keep_idle(idle: &Mutex<Vec<PgConnection>>, keep: usize, conn: PgConnection) {
    let mut idle = idle.lock().unwrap_or_else(PoisonError::into_inner);
    if idle.len() < keep {
        idle.push(conn);
    }
}

/// A held case lock.
pub struct PgLock {
    case_id: String,
    conn: Option<PgConnection>,
    idle: Arc<Mutex<Vec<PgConnection>>>,
    keep: usize,
}

impl std::fmt::Debug for PgLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgLock")
            .field("case_id", &self.case_id)
            .finish()
    }
}

impl CaseLock for PgLock {
    fn case_id(&self) -> &str {
        &self.case_id
    }
}

impl Drop for PgLock {
    fn drop(&mut self) {
        let Some(mut conn) = self.conn.take() else {
            return;
        };
        // released explicitly so the next taker need not wait for the backend to notice a
        // closed session; a session that cannot say it released the lock is closed instead
        let released = diesel::sql_query(sql::CASE_UNLOCK)
            .bind::<Text, _>(&self.case_id)
            .get_result::<Unlocked>(&mut conn)
            .is_ok_and(|u| u.unlocked);
        if released {
            keep_idle(&self.idle, self.keep, conn);
        }
    }
}
