//! Calls that change a case without running it from its start: reopen, work-basket changes
//! and variable updates.

use super::run::Run;
use super::state;
use super::{Engine, Error, EventType, Outcome, Result, WorkBasketChange};
use crate::engine::paths::ROOT as ROOT_PATH;
use crate::model::{ResponseType, SET_VARIABLES_UNIT, SetupOn, Variable, WORK_BASKET_CHANGE_UNIT};

impl Engine<'_> {
    /// Reopens a completed case at `ticket`'s step. With `pend_in`, the case first
    /// pends in that basket and a resume then acts on the ticket; without, it resumes at once.
    pub fn reopen(
        &self,
        case_id: &str,
        ticket: &str,
        pend_in: Option<&str>,
        variables: Vec<Variable>,
    ) -> Result<Outcome> {
        let case = || case_id.to_owned();
        self.check_storable(case_id, &variables)?;
        self.check_text(case_id, "work basket", pend_in.unwrap_or_default())?;
        if pend_in.is_some_and(str::is_empty) {
            return Err(Error::EmptyWorkbasket { case: case() });
        }
        if ticket.is_empty() {
            return Err(Error::EmptyTicket { case: case() });
        }
        let _lock = self.store.lock_case(case_id, self.config.lock_wait)?;
        let Some((record, sla, mut state, _)) = self.load(case_id)? else {
            return Err(Error::NotCompleted { case: case() });
        };
        state.pend_at_same_step = false;
        state.variables.merge(variables);
        if !state.is_complete {
            return Err(Error::NotCompleted { case: case() });
        }
        if pend_in.is_none() {
            // a reopen that runs at once needs every component, like a resume
            self.check_mapped(case_id, &record.journey)?;
        }
        if record.journey.ticket(ticket).is_none() {
            return Err(Error::TicketNotFound {
                ticket: ticket.to_owned(),
                case: case(),
            });
        }
        state.is_complete = false;
        if pend_in.is_some() {
            state.pend_exec_path = ROOT_PATH.to_owned();
        }
        let root = state.path_mut(ROOT_PATH);
        if let Some(basket) = pend_in {
            root.pend_workbasket = basket.to_owned();
            root.unit_response_type = Some(ResponseType::OkPend);
        } else {
            // saved as running, not pended in no basket: a reopen killed before its run saves
            // is an interrupted case that `case resume --all --stuck-for` takes, and its
            // recovery acts on the ticket
            root.status = crate::model::PathStatus::Started;
        }
        root.ticket = ticket.to_owned();
        state.raise_ticket(
            ticket,
            if pend_in.is_some() {
                ResponseType::OkPend
            } else {
                ResponseType::OkProceed
            },
        );
        let run = Run::new(
            self,
            case_id,
            &record.journey,
            self.sla_book(case_id, sla.as_ref()),
            state,
        );
        {
            let mut sh = run.lock();
            let ctx = run.event_context(&sh, EventType::ProcessReopen, ROOT_PATH);
            run.notify(&mut sh, &ctx);
            let mut changes = std::mem::take(&mut sh.changes);
            run.sla
                .enqueue_case(&mut changes, SetupOn::CaseRestart, self.clock.now_ms());
            sh.changes = changes;
            if pend_in.is_some() {
                run.raise_pend(&mut sh);
            }
            // saved after the events, so the basket bookkeeping they do is kept
            run.write_info(&mut sh)?;
        }
        if pend_in.is_some() {
            return Ok(run.outcome());
        }
        drop(run);
        self.resume_locked(case_id, Vec::new())
    }

    /// Moves a pended case to another work basket. The work manager, if any, is
    /// asked first; its refusal changes nothing.
    pub fn change_workbasket(&self, case_id: &str, workbasket: &str) -> Result<Outcome> {
        let case = || case_id.to_owned();
        if let Some(why) = crate::model::workbasket_problem(workbasket) {
            return Err(Error::Unstorable {
                case: case(),
                reason: format!("work basket {workbasket:?} {why}"),
            });
        }
        let _lock = self.store.lock_case(case_id, self.config.lock_wait)?;
        let Some((record, sla, state, parked)) = self.load(case_id)? else {
            return Err(Error::NoSuchCase { case: case() });
        };
        if state.is_complete {
            return Err(Error::CompletedWorkbasketChange { case: case() });
        }
        self.refuse_if_interrupted(case_id, &state, &parked, "change its work basket")?;
        let name = state.pend_exec_path.clone();
        let path = state
            .paths
            .get(&name)
            .ok_or_else(|| Error::ExecPathNotFound {
                path: name.clone(),
                case: case(),
            })?;
        let old = path.pend_workbasket.clone();
        let mut tbc = path.tbc_sla_workbasket.clone();
        if let Some(manager) = self.work_manager {
            let change = WorkBasketChange {
                case_id: case(),
                exec_path: name.clone(),
                step: path.step.clone(),
                component: state::component_of(&record.journey, &path.step),
                old_workbasket: old.clone(),
                new_workbasket: workbasket.to_owned(),
            };
            manager
                .change_workbasket(&change)
                .map_err(|e| Error::WorkManager {
                    case: case(),
                    reason: e.0,
                })?;
        }
        let run = Run::new(
            self,
            case_id,
            &record.journey,
            self.sla_book(case_id, sla.as_ref()),
            state,
        );
        {
            let mut sh = run.lock();
            let mut changes = std::mem::take(&mut sh.changes);
            run.sla.on_change(
                &mut changes,
                &old,
                workbasket,
                &mut tbc,
                self.clock.now_ms(),
            );
            sh.changes = changes;
            let path = sh.state.path_mut(&name);
            path.pend_workbasket = workbasket.to_owned();
            path.prev_pend_workbasket = workbasket.to_owned();
            path.tbc_sla_workbasket = tbc;
            run.write_with_audit(&mut sh, WORK_BASKET_CHANGE_UNIT)?;
        }
        Ok(run.outcome())
    }

    /// Refuses a change that writes an audit record while a unit waits to run again: the
    /// record would change that unit's idempotency key. The unit waits when loading parked a
    /// path that was running (the run died), or when a resume claimed an attempt of it and
    /// died before any audit record (the case still reads as pended).
    fn refuse_if_interrupted(
        &self,
        case_id: &str,
        state: &state::CaseState,
        parked: &[super::recover::Parked],
        what: &str,
    ) -> Result<()> {
        let rerun = parked
            .iter()
            .find_map(|p| state.paths.get(&p.path).map(|path| path.step.clone()));
        let step = match rerun {
            Some(step) => Some(step),
            None => self
                .store
                .unit_attempt(case_id)?
                .and_then(|a| super::run::unit_of_current_key(&a.key, state)),
        };
        match step {
            Some(step) => Err(Error::Interrupted {
                case: case_id.to_owned(),
                step,
                what: what.to_owned(),
            }),
            None => Ok(()),
        }
    }

    /// Adds or replaces variables of a case without running it.
    pub fn set_variables(&self, case_id: &str, variables: Vec<Variable>) -> Result<Outcome> {
        self.check_storable(case_id, &variables)?;
        let _lock = self.store.lock_case(case_id, self.config.lock_wait)?;
        let Some((record, sla, mut state, parked)) = self.load(case_id)? else {
            return Err(Error::NoSuchCase {
                case: case_id.to_owned(),
            });
        };
        self.refuse_if_interrupted(case_id, &state, &parked, "set its variables")?;
        state.variables.merge(variables);
        let run = Run::new(
            self,
            case_id,
            &record.journey,
            self.sla_book(case_id, sla.as_ref()),
            state,
        );
        {
            let mut sh = run.lock();
            run.write_with_audit(&mut sh, SET_VARIABLES_UNIT)?;
        }
        Ok(run.outcome())
    }
}
