//! The PostgreSQL case lock: a session advisory lock on a connection of its own (never one of
//! the pool's, whose sessions are shared by every statement of the process).
//!
//! Every write of a locked case goes over the session that holds its lock ([`LockSessions::on_lock`]):
//! a session the server ended (terminated, connection dropped) has lost the lock, another process
//! may hold it now, and the write fails on the dead session instead of landing beside the new
//! holder's. The lock is thus proven at every save, by the statement that saves.
//!
//! A case created under its lock ([`LockSessions::defer_create`]) is written with the first write
//! of the case on that session, in one transaction: a process that dies in between leaves
//! nothing, never a journey without its case.
//!
//! A released lock session is kept for the next `lock_case` (up to a few idle ones), because a
//! new connection costs more than a whole persistence point. A kept session
//! holds no lock: the release is explicit, and a session whose release failed is closed, which
//! releases whatever it held.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use diesel::pg::PgConnection;
use diesel::sql_types::{Bool, Text};
use diesel::{QueryableByName, RunQueryDsl};

use super::rows::DefinitionRows;
use super::{from_diesel, sql};
use crate::db;
use crate::model::{JourneyRecord, Sla};
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

/// A case created under its lock and not written yet: its journey, SLA and their rows.
pub struct PendingCase {
    pub journey: JourneyRecord,
    pub sla: Option<Sla>,
    pub rows: DefinitionRows,
}

/// A session holding a case lock, and the case created under it, until its first write.
struct LockSession {
    conn: PgConnection,
    pending: Option<PendingCase>,
}

type Session = Arc<Mutex<LockSession>>;

/// The lock sessions of one store: idle ones, and those holding a case's lock by case id.
pub struct LockSessions {
    idle: Arc<Mutex<Vec<PgConnection>>>,
    held: Arc<Mutex<HashMap<String, Session>>>,
    keep: usize,
}

impl LockSessions {
    /// Keeps at most `keep` idle sessions.
    pub fn new(keep: usize) -> Self {
        Self {
            idle: Arc::new(Mutex::new(Vec::new())),
            held: Arc::new(Mutex::new(HashMap::new())),
            keep: keep.max(1),
        }
    }

    fn session(&self, case_id: &str) -> Option<Session> {
        self.held
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(case_id)
            .map(Arc::clone)
    }

    /// Keeps `pending` as the creation of `case_id` when this store holds its lock (it is
    /// written with the case's first write, [`LockSessions::on_lock`]); else gives it back.
    pub fn defer_create(&self, case_id: &str, pending: PendingCase) -> Option<PendingCase> {
        match self.session(case_id) {
            Some(session) => {
                session
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .pending = Some(pending);
                None
            }
            None => Some(pending),
        }
    }

    /// The journey and SLA of `case_id` created under its lock and not written yet.
    pub fn pending(&self, case_id: &str) -> Option<(JourneyRecord, Option<Sla>)> {
        let session = self.session(case_id)?;
        let session = session.lock().unwrap_or_else(PoisonError::into_inner);
        let pending = session.pending.as_ref()?;
        Some((pending.journey.clone(), pending.sla.clone()))
    }

    /// Runs `query` on the session holding the lock of `case_id` when this store holds it,
    /// else returns `None` (the caller uses a pooled connection). A session that is gone is
    /// [`Error::LockLost`]: nothing is written. A creation deferred under the lock is written
    /// first, in the same transaction.
    pub fn on_lock<T>(
        &self,
        case_id: &str,
        what: &str,
        query: impl FnOnce(&mut PgConnection) -> diesel::QueryResult<T>,
    ) -> Option<Result<T>> {
        let session = self.session(case_id)?;
        let mut session = session.lock().unwrap_or_else(PoisonError::into_inner);
        let LockSession { conn, pending } = &mut *session;
        let result = match pending.as_ref() {
            None => query(conn),
            Some(created) => {
                let create = sql::create_case(&created.rows).finish();
                let result = diesel::Connection::transaction(conn, |c| {
                    create.execute(c)?;
                    query(c)
                });
                if result.is_ok() {
                    *pending = None;
                }
                result
            }
        };
        Some(result.map_err(|e| {
            if db::is_connection_lost(&e) {
                Error::LockLost {
                    case: case_id.to_owned(),
                    reason: crate::db::pool::one_line(&e.to_string()),
                }
            } else {
                from_diesel(what, e)
            }
        }))
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
        let session = Arc::new(Mutex::new(LockSession {
            conn,
            pending: None,
        }));
        self.held
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(case_id.to_owned(), Arc::clone(&session));
        Ok(PgLock {
            case_id: case_id.to_owned(),
            conn: Some(session),
            idle: Arc::clone(&self.idle),
            held: Arc::clone(&self.held),
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
    conn: Option<Session>,
    idle: Arc<Mutex<Vec<PgConnection>>>,
    held: Arc<Mutex<HashMap<String, Session>>>,
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
        let Some(session) = self.conn.take() else {
            return;
        };
        self.held
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.case_id);
        // released explicitly so the next taker need not wait for the backend to notice a
        // closed session; a session that cannot say it released the lock is closed instead
        let released = diesel::sql_query(sql::CASE_UNLOCK)
            .bind::<Text, _>(&self.case_id)
            .get_result::<Unlocked>(
                &mut session.lock().unwrap_or_else(PoisonError::into_inner).conn,
            )
            .is_ok_and(|u| u.unlocked);
        // a creation never written goes with the lock: the case was not started
        if released && let Ok(session) = Arc::try_unwrap(session) {
            keep_idle(
                &self.idle,
                self.keep,
                session
                    .into_inner()
                    .unwrap_or_else(PoisonError::into_inner)
                    .conn,
            );
        }
    }
}
