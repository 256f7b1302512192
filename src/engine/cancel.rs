//! Cancelling a case: it never runs again. The cancellation is wfctl's own record beside the
//! guide's ([`crate::store::Cancellation`]); the engine refuses every call on a cancelled case
//! when it loads it.

use super::run::Run;
use super::{Engine, Error, EventType, Result};
use crate::engine::paths::ROOT;
use crate::model::{NewAuditRecord, Variable};
use crate::store::{Cancellation, PersistPoint};

/// The unit name of a cancel's audit record.
pub const CANCEL_UNIT: &str = "wfctl_cancel";
/// The variable that carries the reason in the cancel's audit record and event.
pub const REASON_VARIABLE: &str = "wfctl_cancel_reason";
/// The variable that carries who cancelled in the cancel's audit record and event.
pub const BY_VARIABLE: &str = "wfctl_cancelled_by";

/// The error for a call on a cancelled case, naming who, when and why.
pub(super) fn refusal(case_id: &str, cancel: Cancellation) -> Error {
    let at = chrono::DateTime::from_timestamp_millis(cancel.at)
        .map_or_else(|| cancel.at.to_string(), crate::conventions::time_text);
    Error::Cancelled {
        case: case_id.to_owned(),
        by: cancel.by,
        at,
        reason: cancel.reason,
    }
}

impl Engine<'_> {
    /// Cancels a started case that has not completed: raises `ON_PROCESS_CANCEL`, dequeues its
    /// SLA milestones and stores the cancellation with an audit record (unit
    /// [`CANCEL_UNIT`], the reason and who in its variables) as one persistence point. The
    /// process info is left as it was, so the guide's records keep their meaning.
    pub fn cancel(&self, case_id: &str, reason: &str, by: &str) -> Result<Cancellation> {
        let case = || case_id.to_owned();
        if reason.trim().is_empty() {
            return Err(Error::NotCancellable {
                case: case(),
                why: "the reason is empty".to_owned(),
            });
        }
        let _lock = self.store.lock_case(case_id, self.config.lock_wait)?;
        let Some((record, sla, state, _)) = self.load(case_id)? else {
            return Err(Error::NotCancellable {
                case: case(),
                why: "it has not started".to_owned(),
            });
        };
        if state.is_complete {
            return Err(Error::NotCancellable {
                case: case(),
                why: "it has completed".to_owned(),
            });
        }
        let cancel = Cancellation {
            reason: reason.to_owned(),
            by: by.to_owned(),
            at: self.clock.now_ms(),
        };
        let why = [
            Variable::new(REASON_VARIABLE, reason.to_owned()),
            Variable::new(BY_VARIABLE, by.to_owned()),
        ];
        self.check_storable(case_id, &why)?;
        let sla = self.sla_book(case_id, sla.as_ref());
        let run = Run::new(self, case_id, &record.journey, sla, state);
        let mut sh = run.lock();
        let path = match sh.state.pend_exec_path.as_str() {
            "" => ROOT.to_owned(),
            pended => pended.to_owned(),
        };
        let mut ctx = run.event_context(&sh, EventType::ProcessCancel, &path);
        ctx.variables.merge(why.clone());
        run.notify(&mut sh, &ctx);
        let mut changes = std::mem::take(&mut sh.changes);
        run.sla.dequeue_all(&mut changes);
        let mut audit = Vec::new();
        if self.config.write_audit {
            let mut document =
                sh.state
                    .to_process_info(&record.journey, cancel.at, Some(CANCEL_UNIT), None);
            document.process_variables.merge(why);
            audit.push(NewAuditRecord {
                unit: CANCEL_UNIT.to_owned(),
                document,
            });
        }
        self.store.save_cancel(
            case_id,
            &cancel,
            &PersistPoint {
                process_info: None,
                audit: &audit,
                milestones: &changes,
            },
        )?;
        Ok(cancel)
    }
}
