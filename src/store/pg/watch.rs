//! Waiting for a case to change: every persistence point the store saves is notified on
//! [`sql::CHANGE_CHANNEL`] with the case id as payload (in the same statement, so delivered at
//! its commit, to listeners on any host). A waiter listens on a connection of its own and reads
//! the notifications libpq has received; the database does no work until a case is saved.

use std::time::{Duration, Instant};

use diesel::RunQueryDsl;
use diesel::pg::PgConnection;

use super::{PgStore, from_db, from_diesel, sql};
use crate::db;
use crate::store::Result;

/// How often the received notifications are looked at: local reads of the connection's
/// socket, no query.
const LOOK: Duration = Duration::from_millis(50);

/// A connection listening for saved cases.
pub struct Changes {
    conn: PgConnection,
}

impl PgStore {
    /// Starts listening for saved cases. Listen before reading the state you wait to see
    /// change, so that no change falls between the two.
    pub fn listen(&self) -> Result<Changes> {
        let mut conn = db::connect(&self.url, self.options.connection_timeout).map_err(from_db)?;
        diesel::sql_query(format!("LISTEN {}", sql::CHANGE_CHANNEL))
            .execute(&mut conn)
            .map_err(|e| from_diesel("listening for case changes", e))?;
        Ok(Changes { conn })
    }
}

impl Changes {
    /// Returns when `case_id` was saved since the last call (true) or after `max` (false).
    pub fn wait(&mut self, case_id: &str, max: Duration) -> Result<bool> {
        let deadline = Instant::now() + max;
        loop {
            for note in self.conn.notifications_iter() {
                let note = note.map_err(|e| from_diesel("waiting for case changes", e))?;
                if note.payload == case_id {
                    return Ok(true);
                }
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok(false);
            }
            std::thread::sleep(LOOK.min(deadline - now));
        }
    }
}
