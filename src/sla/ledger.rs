//! Where `sla run` records what it did with each due milestone, and how a worker claims the
//! milestones it works on. One implementation per store: PostgreSQL keeps it in wfctl's own
//! columns of `milestone` ([`super::pg`]), the file store in a sidecar per case
//! ([`super::files`]).

use std::collections::HashSet;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::watch::Watch;
use crate::store::{QueuedMilestone, Result, Unreadable};

/// What has happened to a due milestone so far.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FireState {
    /// Actions started (runs that failed or were interrupted count too).
    pub attempts: u32,
    /// Actions that failed.
    pub failures: u32,
    /// When the action was recorded as done (epoch ms); `None` while pending.
    pub fired_at: Option<i64>,
    /// When the action last failed (epoch ms).
    pub failed_at: Option<i64>,
    /// The last failure.
    pub error: Option<String>,
}

/// One due milestone and its state.
#[derive(Debug, Clone, PartialEq)]
pub struct DueItem {
    /// Its identity in the ledger (the `milestone` row id; in a file store, a key derived from
    /// the queue entry), handed to the action program as `WFCTL_SLA_KEY`.
    pub key: String,
    /// Case id.
    pub case_id: String,
    /// The milestone as queued.
    pub queued: QueuedMilestone,
    /// What happened to it so far.
    pub state: FireState,
}

/// The ledger of one `sla run` worker.
pub trait Ledger {
    /// The next milestones due at `now` to work on, `batch` at most: not fired, not failed since
    /// `pass_started`, not in `skip`. On PostgreSQL the batch stays claimed (other workers skip
    /// it) until the next call or [`Ledger::release`]. Empty when the pass is done.
    fn claim(
        &mut self,
        now: i64,
        pass_started: i64,
        batch: usize,
        skip: &HashSet<String>,
    ) -> Result<Vec<DueItem>>;

    /// The milestone's state read again, under its case lock; `None` when it is no longer
    /// waiting (fired meanwhile, or dequeued by the engine).
    fn recheck(&self, item: &DueItem) -> Result<Option<FireState>>;

    /// Records that its action starts (before it runs); returns the attempt number (from 1).
    fn started(&self, item: &DueItem) -> Result<u32>;

    /// Records the action as done at `at`.
    fn fired(&self, item: &DueItem, at: i64) -> Result<()>;

    /// Records the action as failed at `at`.
    fn failed(&self, item: &DueItem, at: i64, error: &str) -> Result<()>;

    /// A watchdog of the current claim while an action runs, when the claim can be lost while
    /// the worker lives (a PostgreSQL session the server ended); `None` when it cannot (a file
    /// store's case lock lives and dies with the worker's process, and its programs with it).
    fn watch(&self) -> Option<Watch> {
        None
    }

    /// How long to wait before running again an action another worker started and never
    /// recorded (that worker's watchdog stops its program within this).
    fn rerun_grace(&self) -> Duration {
        Duration::ZERO
    }

    /// Ends the current claim.
    fn release(&mut self) -> Result<()>;

    /// For `sla due`: the waiting milestones due by `at`, and those fired since `fired_since`.
    fn listing(&mut self, at: i64, fired_since: Option<i64>) -> Result<Vec<DueItem>>;

    /// The cases [`Ledger::claim`] and [`Ledger::listing`] left out since the last call because
    /// their records could not be read (one unreadable case never hides the others' milestones).
    /// Stores that read cases as a whole or not at all have none.
    fn take_unreadable(&mut self) -> Vec<Unreadable> {
        Vec::new()
    }
}
