//! sla: acting on due SLA milestones (`wfctl sla run`).
//!
//! Each due milestone's action runs once and is recorded as fired, however many workers run on
//! however many hosts: a worker claims milestones ([`Ledger::claim`]), takes the case lock,
//! reads the milestone again (another worker may have fired it), records the start, carries
//! out the action under the same lock and records the result. A worker killed after the start
//! and before the record leaves the milestone waiting with its start counted: the next worker
//! runs it again, once, telling the program it is attempt 2 (`WFCTL_SLA_ATTEMPT`), as the
//! engine re-runs a unit interrupted before its persistence point.

pub mod action;
pub mod files;
mod held;
pub mod ledger;
pub mod pg;
pub mod run;
pub mod watch;

pub use action::{Actions, Meaning};
pub use files::FileLedger;
pub use ledger::{DueItem, FireState, Ledger};
pub use pg::PgLedger;
pub use run::{Item, Options, Outcome, Runner};
