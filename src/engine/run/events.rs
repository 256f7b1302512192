//! Events with their contexts and SLA bookkeeping.

use super::{Leaving, Result, Run, Shared, Stop, Thread};
use crate::engine::Error;
use crate::engine::hooks::{EventContext, EventType, Trace};
use crate::engine::paths::ROOT;
use crate::engine::sla::PendBaskets;
use crate::engine::state::component_of;
use crate::model::{PendError, ResponseType, SetupOn};

impl Run<'_> {
    /// The context of `event` about `path`: its step and component, plus the pend details
    /// for pend and resume events.
    pub fn event_context(&self, sh: &Shared, event: EventType, path: &str) -> EventContext {
        let state = &sh.state;
        let mut ctx = EventContext {
            event,
            case_id: self.case_id.to_owned(),
            journey: self.journey.name.clone(),
            exec_path: path.to_owned(),
            step: String::new(),
            component: String::new(),
            user_data: None,
            workbasket: String::new(),
            pend_error: PendError::default(),
            ticket: String::new(),
            pend_at_same_step: state.pend_at_same_step,
            last_pend_workbasket: state.last_pend_workbasket.clone(),
            last_pend_step: state.last_pend_step.clone(),
            variables: state.variables.clone(),
        };
        if matches!(
            event,
            EventType::ProcessStart | EventType::ProcessComplete | EventType::Persist
        ) {
            return ctx;
        }
        if let Some(p) = state.paths.get(path) {
            ctx.step = p.step.clone();
            ctx.component = component_of(self.journey, &p.step);
            ctx.user_data = self.journey.unit(&p.step).and_then(|u| u.user_data.clone());
            if matches!(event, EventType::ProcessPend | EventType::ProcessResume) {
                ctx.workbasket = p.pend_workbasket.clone();
                ctx.pend_error = p.pend_error.clone();
            }
        }
        if event == EventType::TicketRaised {
            ctx.ticket = state.ticket.clone();
        }
        ctx
    }

    /// Calls the event sink.
    pub(super) fn raise(&self, ctx: &EventContext) -> std::result::Result<(), String> {
        self.engine
            .events
            .event(ctx)
            .map_err(|e| format!("{} handler failed: {e}", ctx.event))
    }

    /// Calls the event sink; a failure does not stop the run and becomes a warning.
    pub fn notify(&self, sh: &mut Shared, ctx: &EventContext) {
        if let Err(message) = self.raise(ctx) {
            sh.warnings.push(message);
        }
    }

    /// `ON_PROCESS_START` and its SLA.
    pub fn raise_start(&self, sh: &mut Shared) {
        self.trace(Trace::CaseCreated);
        let ctx = self.event_context(sh, EventType::ProcessStart, ROOT);
        self.notify(sh, &ctx);
        self.sla
            .enqueue_case(&mut sh.changes, SetupOn::CaseStart, self.now_ms());
    }

    /// `ON_PROCESS_RESUME` (and `ON_TICKET_RAISED` if a ticket waits), with the last-pend
    /// values and the `ok_pend_eor` SLA bookkeeping. Remembers the path the case leaves.
    pub fn raise_resume(&self, sh: &mut Shared) {
        let pend = sh.state.pend_exec_path.clone();
        let ctx = self.event_context(sh, EventType::ProcessResume, &pend);
        self.notify(sh, &ctx);
        sh.state.last_pend_workbasket = ctx.workbasket.clone();
        sh.state.last_pend_step = ctx.step.clone();
        if let Some(p) = sh.state.paths.get_mut(&pend) {
            if p.unit_response_type == Some(ResponseType::OkPendEor) {
                p.tbc_sla_workbasket = p.pend_workbasket.clone();
            }
            sh.leaving = Some(Leaving {
                path: pend.clone(),
                baskets: PendBaskets {
                    prev: p.prev_pend_workbasket.clone(),
                    cur: p.pend_workbasket.clone(),
                    tbc: p.tbc_sla_workbasket.clone(),
                },
                discarded: false,
            });
        }
        if !sh.state.ticket.is_empty() {
            let ctx = self.event_context(sh, EventType::TicketRaised, &pend);
            self.notify(sh, &ctx);
        }
    }

    /// `ON_PROCESS_PEND` on the case's pend path and the SLA pend algorithm, run against
    /// the basket the case actually leaves (not the reported path's, which may differ).
    pub fn raise_pend(&self, sh: &mut Shared) {
        let pend = sh.state.pend_exec_path.clone();
        let ctx = self.event_context(sh, EventType::ProcessPend, &pend);
        self.notify(sh, &ctx);
        let Some(ep) = sh.state.paths.get(&pend).cloned() else {
            return;
        };
        let from_elsewhere = sh
            .leaving
            .as_ref()
            .filter(|l| l.discarded || l.path != pend)
            .cloned();
        let mut baskets = match &from_elsewhere {
            Some(l) => PendBaskets {
                prev: l.baskets.prev.clone(),
                cur: ep.pend_workbasket.clone(),
                tbc: l.baskets.tbc.clone(),
            },
            None => PendBaskets {
                prev: ep.prev_pend_workbasket.clone(),
                cur: ep.pend_workbasket.clone(),
                tbc: ep.tbc_sla_workbasket.clone(),
            },
        };
        let same = sh.state.pend_at_same_step && from_elsewhere.is_none();
        let mut changes = std::mem::take(&mut sh.changes);
        self.sla.on_pend(
            &mut changes,
            &mut baskets,
            same,
            ep.unit_response_type,
            self.now_ms(),
        );
        sh.changes = changes;
        if let Some(l) = &from_elsewhere
            && let Some(left) = sh.state.paths.get_mut(&l.path)
            && left.name != pend
        {
            // its milestones are dealt with: nothing of it remains to be cleared
            left.tbc_sla_workbasket.clear();
            left.prev_pend_workbasket.clear();
        }
        let ep = sh.state.path_mut(&pend);
        ep.tbc_sla_workbasket = baskets.tbc;
        ep.prev_pend_workbasket = ep.pend_workbasket.clone();
    }

    /// The root's closing events: complete, or (ticket and) pend.
    pub(super) fn finish_root(&self, sh: &mut Shared, th: &Thread, stop: &Stop) -> Result<()> {
        if *stop == Stop::Completed || sh.state.is_complete {
            let ctx = self.event_context(sh, EventType::ProcessComplete, &th.path);
            self.notify(sh, &ctx);
            let mut changes = std::mem::take(&mut sh.changes);
            self.sla.dequeue_all(&mut changes);
            sh.changes = changes;
            return Ok(());
        }
        if sh.state.pend_exec_path.is_empty()
            || !sh.state.paths.contains_key(&sh.state.pend_exec_path)
        {
            return Err(Error::NoPendPath {
                case: self.case_id.to_owned(),
            });
        }
        if !sh.state.ticket.is_empty() {
            let ctx = self.event_context(sh, EventType::TicketRaised, &th.path);
            self.notify(sh, &ctx);
        }
        self.raise_pend(sh);
        Ok(())
    }
}
