//! The units: tasks, routes, joins, pauses, persist units, and tickets.

use std::panic::{AssertUnwindSafe, catch_unwind};

use super::{Flow, Held, Result, Run, Shared, Stop, Thread, panic_message};
use crate::engine::hooks::{EventType, RouteResponse, StepContext, TaskResponse, Trace};
use crate::engine::paths::{self, ROOT};
use crate::engine::state::{CaseState, PAUSE_WORKBASKET};
use crate::engine::{Error, PersistMode};
use crate::model::{
    END, ExecPath, PathStatus, PendError, ResponseType, Unit, UnitKind, Variable, storable_lossy,
    unstorable_name,
};

impl Run<'_> {
    /// The context of a unit about to run on `th`'s path: its idempotency key names the path's
    /// next visit. The visit is counted only with the unit's result (`count_visit`):
    /// a save by another branch while the unit runs must not store it, or a re-run after an
    /// interruption would name the visit after.
    pub(super) fn step_context(&self, sh: &Shared, th: &Thread, unit: &Unit) -> StepContext {
        let (visit, interrupted_starts) = sh
            .state
            .paths
            .get(&th.path)
            .map_or((0, 0), |p| (p.visit, p.interrupted_starts));
        let state = &sh.state;
        let is_task = unit.kind == UnitKind::Task;
        let idempotency_key =
            super::idempotency_key(self.case_id, &th.path, &unit.name, visit.saturating_add(1));
        let attempt = sh
            .rerun
            .as_ref()
            .filter(|rerun| rerun.key == idempotency_key)
            .map_or(interrupted_starts.saturating_add(1), |rerun| rerun.attempt);
        StepContext {
            case_id: self.case_id.to_owned(),
            journey: self.journey.name.clone(),
            step: unit.name.clone(),
            component: unit.component_name().to_owned(),
            unit_type: unit.kind,
            exec_path: th.path.clone(),
            user_data: unit.user_data.clone(),
            variables: state.variables.clone(),
            // routes never see these (the Java rule)
            pend_at_same_step: is_task && state.pend_at_same_step,
            last_pend_workbasket: if is_task {
                state.last_pend_workbasket.clone()
            } else {
                String::new()
            },
            last_pend_step: if is_task {
                state.last_pend_step.clone()
            } else {
                String::new()
            },
            idempotency_key,
            attempt,
        }
    }

    pub(super) fn failure(&self, unit: &Unit, message: String, details: String) -> PendError {
        self.trace(Trace::ComponentFailed {
            step: &unit.name,
            component: unit.component_name(),
            message: &message,
        });
        // a program's output is recorded whatever it holds, in a form every store keeps
        PendError::new(0, storable_lossy(&message), storable_lossy(&details))
    }

    /// An answer no store can hold (a NUL in a variable, a basket, ticket or branch name with a
    /// NUL or too long, an error code too large) error-pends the unit with the reason instead,
    /// its variables dropped: saved as it is, it would fail every save and every resume that
    /// runs the unit again.
    fn unstorable_answer(&self, unit: &Unit, answer: Answer<'_>) -> Option<PendError> {
        let texts = [
            ("work basket", answer.workbasket),
            ("ticket", answer.ticket),
        ]
        .into_iter()
        .chain(answer.branches.iter().map(|b| ("branch", b.as_str())));
        let reason = Variable::check_all_storable(answer.variables)
            .err()
            .or_else(|| {
                texts
                    .filter_map(|(what, text)| {
                        Some(format!("{what} {text:?} {}", unstorable_name(text)?))
                    })
                    .next()
            })
            .or_else(|| {
                // stores keep error codes as 32-bit integers
                i32::try_from(answer.error_code).is_err().then(|| {
                    format!(
                        "error code {} does not fit a 32-bit integer",
                        answer.error_code
                    )
                })
            })?;
        let message = format!(
            "component {} gave an answer no store can hold: {reason}",
            unit.component_name()
        );
        Some(self.failure(unit, message, String::new()))
    }

    /// The answer of a task, or the error pend of an answer no store can hold; an error
    /// pend's own message is kept in a storable form.
    fn storable_task(&self, mut response: TaskResponse, unit: &Unit) -> TaskResponse {
        let answer = Answer {
            variables: &response.variables,
            workbasket: &response.workbasket,
            ticket: &response.ticket,
            branches: &[],
            error_code: response.error.code,
        };
        if let Some(error) = self.unstorable_answer(unit, answer) {
            return TaskResponse::error_pend(&self.engine.config.error_workbasket, error);
        }
        response.error = storable_error(response.error);
        response
    }

    pub(super) fn call_task(&self, ctx: &StepContext, unit: &Unit) -> TaskResponse {
        let error_basket = &self.engine.config.error_workbasket;
        match catch_unwind(AssertUnwindSafe(|| self.engine.components.task(ctx))) {
            Ok(Ok(response)) => response,
            Ok(Err(e)) => {
                TaskResponse::error_pend(error_basket, self.failure(unit, e.message, e.details))
            }
            Err(panic) => {
                let message = format!("component panicked: {}", panic_message(panic.as_ref()));
                TaskResponse::error_pend(error_basket, self.failure(unit, message, String::new()))
            }
        }
    }

    /// Calls a route component; answers a route cannot give (a pend, no branch, an unknown or
    /// repeated branch) become an error pend with the reason recorded.
    pub(super) fn call_route(&self, ctx: &StepContext, unit: &Unit) -> RouteResponse {
        let error_basket = &self.engine.config.error_workbasket;
        let response = match catch_unwind(AssertUnwindSafe(|| self.engine.components.route(ctx))) {
            Ok(Ok(response)) => response,
            Ok(Err(e)) => {
                return RouteResponse::error_pend(
                    error_basket,
                    self.failure(unit, e.message, e.details),
                );
            }
            Err(panic) => {
                let message = format!("component panicked: {}", panic_message(panic.as_ref()));
                return RouteResponse::error_pend(
                    error_basket,
                    self.failure(unit, message, String::new()),
                );
            }
        };
        let answer = Answer {
            variables: &response.variables,
            workbasket: &response.workbasket,
            ticket: "",
            branches: &response.branches,
            error_code: response.error.code,
        };
        if let Some(error) = self.unstorable_answer(unit, answer) {
            return RouteResponse::error_pend(error_basket, error);
        }
        match route_problem(unit, &response) {
            None => RouteResponse {
                error: storable_error(response.error),
                ..response
            },
            Some(problem) => RouteResponse {
                variables: response.variables,
                ..RouteResponse::error_pend(
                    error_basket,
                    self.failure(unit, problem, String::new()),
                )
            },
        }
    }

    pub(super) fn task(&self, th: &mut Thread, unit: &Unit) -> Result<Held<'_>> {
        let component = unit.component_name();
        self.trace(Trace::ExecTask {
            step: &unit.name,
            component,
            path: &th.path,
        });
        let ctx = self.step_context(&self.lock(), th, unit);
        let response =
            self.storable_task(self.usable_ticket(self.call_task(&ctx, unit), unit), unit);
        let mut guard = self.lock();
        let sh = &mut *guard;
        count_visit(sh, th);
        sh.state.variables.merge(response.variables.iter().cloned());
        let urt = response.response;
        if matches!(urt, ResponseType::OkProceed | ResponseType::OkPend) {
            sh.state.pend_at_same_step = false;
        }
        match urt {
            ResponseType::OkPend | ResponseType::OkPendEor => {
                self.trace(Trace::PendTask {
                    step: &unit.name,
                    component,
                    path: &th.path,
                });
                sh.state.pend_path(
                    &th.path,
                    &unit.name,
                    urt,
                    &response.workbasket,
                    PendError::default(),
                );
                if !sh.state.ticket.is_empty() {
                    let ticket = sh.state.ticket.clone();
                    self.trace(Trace::TicketAbandon {
                        ticket: &ticket,
                        component,
                        path: &th.path,
                    });
                    return Ok((Flow::Stop(Stop::TicketExit), guard));
                }
                if !response.ticket.is_empty() {
                    self.trace(Trace::Ticket {
                        ticket: &response.ticket,
                        component,
                        path: &th.path,
                    });
                    sh.state
                        .path_mut(&th.path)
                        .ticket
                        .clone_from(&response.ticket);
                    sh.state.raise_ticket(&response.ticket, urt);
                }
                sh.state.set_pend_exec_path(&th.path);
                Ok((Flow::Stop(Stop::Pended), guard))
            }
            ResponseType::OkProceed => {
                let path = sh.state.path_mut(&th.path);
                path.step.clone_from(&unit.name);
                path.unit_response_type = Some(urt);
                path.pend_error = PendError::default();
                if !sh.state.ticket.is_empty() {
                    sh.state.path_mut(&th.path).status = PathStatus::Completed;
                    return Ok((Flow::Stop(Stop::TicketExit), guard));
                }
                if response.ticket.is_empty() {
                    let next = unit.next.clone().unwrap_or_else(|| END.to_owned());
                    return Ok((Flow::Next(next), guard));
                }
                self.trace(Trace::Ticket {
                    ticket: &response.ticket,
                    component,
                    path: &th.path,
                });
                sh.state.raise_ticket(&response.ticket, urt);
                if th.is_root {
                    let ctx = self.event_context(sh, EventType::TicketRaised, &th.path);
                    self.notify(sh, &ctx);
                    let flow = self.jump_to_ticket(sh, th);
                    return Ok((flow, guard));
                }
                // a branch leaves; the thread that started the parallel block acts on it
                self.trace(Trace::ChildExit { path: &th.path });
                let path = sh.state.path_mut(&th.path);
                path.status = PathStatus::Completed;
                path.ticket.clone_from(&response.ticket);
                Ok((Flow::Stop(Stop::TicketExit), guard))
            }
            ResponseType::ErrorPend => {
                // a ticket with an error pend is ignored (the Java rule)
                self.trace(Trace::PendTask {
                    step: &unit.name,
                    component,
                    path: &th.path,
                });
                sh.state.pend_path(
                    &th.path,
                    &unit.name,
                    urt,
                    &response.workbasket,
                    response.error,
                );
                sh.state.set_pend_exec_path(&th.path);
                Ok((Flow::Stop(Stop::Pended), guard))
            }
        }
    }

    /// The unit a ticket sends the case to, if the journey declares the ticket and its unit.
    fn ticket_target(&self, ticket: &str) -> Option<String> {
        self.journey
            .ticket(ticket)
            .map(|t| t.step.clone())
            .filter(|step| step == END || self.journey.unit(step).is_some())
    }

    /// A task answer raising a ticket the case cannot act on (undeclared, or naming no unit)
    /// error-pends the task instead: the ticket would otherwise end branches that nothing
    /// continues.
    fn usable_ticket(&self, response: TaskResponse, unit: &Unit) -> TaskResponse {
        let raises = !response.ticket.is_empty() && response.response != ResponseType::ErrorPend;
        if !raises || self.ticket_target(&response.ticket).is_some() {
            return response;
        }
        let message = Error::TicketNotFound {
            ticket: response.ticket.clone(),
            case: self.case_id.to_owned(),
        }
        .to_string();
        let error = self.failure(unit, message, String::new());
        TaskResponse {
            variables: response.variables,
            ..TaskResponse::error_pend(&self.engine.config.error_workbasket, error)
        }
    }

    /// Acts on the case's ticket from the root thread: every exec path is discarded (so an
    /// abandoned branch or a stale ticket cannot come back) and a fresh root path starts at the
    /// ticket's step. A ticket whose step the journey lacks error-pends the current path instead of
    /// crashing.
    pub(super) fn jump_to_ticket(&self, sh: &mut Shared, th: &mut Thread) -> Flow {
        let ticket = sh.state.ticket.clone();
        // tasks only raise usable tickets; this guards states written by other versions
        let Some(step) = self.ticket_target(&ticket) else {
            let message = Error::TicketNotFound {
                ticket,
                case: self.case_id.to_owned(),
            }
            .to_string();
            let current = sh.state.path_mut(&th.path).step.clone();
            let basket = self.engine.config.error_workbasket.clone();
            sh.state.clear_ticket();
            sh.state.pend_path(
                &th.path,
                &current,
                ResponseType::ErrorPend,
                &basket,
                PendError::new(0, message, ""),
            );
            sh.state.set_pend_exec_path(&th.path);
            return Flow::Stop(Stop::Pended);
        };
        if th.path != ROOT {
            self.trace(Trace::AssumeParent { path: &th.path });
        }
        let base = sh.visit_base();
        discard_paths(sh);
        sh.state.paths.insert(
            ROOT.to_owned(),
            ExecPath::started_at(ROOT, step.clone(), base),
        );
        sh.state.pend_exec_path.clear();
        sh.state.clear_ticket();
        th.path = ROOT.to_owned();
        Flow::Next(step)
    }

    pub(super) fn singular_route(&self, th: &mut Thread, unit: &Unit) -> Result<Held<'_>> {
        self.trace(Trace::ExecRoute {
            parallel: false,
            step: &unit.name,
            path: &th.path,
        });
        let ctx = self.step_context(&self.lock(), th, unit);
        let response = self.call_route(&ctx, unit);
        let mut sh = self.lock();
        count_visit(&mut sh, th);
        sh.state.variables.merge(response.variables.iter().cloned());
        th.branches = Some(response.branches.clone());
        if response.response == ResponseType::ErrorPend {
            self.trace(Trace::PendRoute {
                parallel: false,
                step: &unit.name,
                component: unit.component_name(),
                path: &th.path,
            });
            sh.state.pend_path(
                &th.path,
                &unit.name,
                ResponseType::ErrorPend,
                &response.workbasket,
                response.error,
            );
            sh.state.set_pend_exec_path(&th.path);
            return Ok((Flow::Stop(Stop::Pended), sh));
        }
        sh.state.pend_at_same_step = false;
        let next = unit
            .branch(&response.branches[0])
            .map(|b| b.next.clone())
            .expect("call_route checked the branch");
        let path = sh.state.path_mut(&th.path);
        if next == END {
            path.step.clone_from(&unit.name);
            path.unit_response_type = Some(ResponseType::OkProceed);
        } else {
            // recorded as "about to run the chosen branch" so that a crash re-runs that unit,
            // not the route (the branch taken is not part of the process info)
            path.step.clone_from(&next);
            path.unit_response_type = None;
        }
        Ok((Flow::Next(next), sh))
    }

    pub(super) fn parallel_route(&self, th: &mut Thread, unit: &Unit) -> Result<Held<'_>> {
        let each_unit = self.engine.config.persist == PersistMode::EachUnit;
        self.trace(Trace::ExecRoute {
            parallel: true,
            step: &unit.name,
            path: &th.path,
        });
        let ctx = self.step_context(&self.lock(), th, unit);
        let response = self.call_route(&ctx, unit);
        let children = {
            let mut guard = self.lock();
            let sh = &mut *guard;
            count_visit(sh, th);
            let response = self.bounded_branches(&sh.state, th, unit, response);
            sh.state.variables.merge(response.variables.iter().cloned());
            th.branches = Some(response.branches.clone());
            if response.response == ResponseType::ErrorPend {
                self.trace(Trace::PendRoute {
                    parallel: true,
                    step: &unit.name,
                    component: unit.component_name(),
                    path: &th.path,
                });
                sh.state.pend_path(
                    &th.path,
                    &unit.name,
                    ResponseType::ErrorPend,
                    &response.workbasket,
                    response.error,
                );
                sh.state.set_pend_exec_path(&th.path);
                self.write_state(sh, th, &unit.name, each_unit)?;
                th.suppress_audit = true;
                return Ok((Flow::Stop(Stop::Pended), guard));
            }
            sh.state.pend_at_same_step = false;
            let path = sh.state.path_mut(&th.path);
            path.step.clone_from(&unit.name);
            path.unit_response_type = Some(ResponseType::OkProceed);
            // paths of an earlier run of this block are replaced, with their sub-branches
            let prefix = format!("{}{}.", th.path, unit.name);
            let base = sh.visit_base();
            sh.state.paths.retain(|name, _| !name.starts_with(&prefix));
            let children: Vec<(String, String)> = response
                .branches
                .iter()
                .map(|b| {
                    let start = match unit.kind {
                        UnitKind::PRouteDynamic => unit.next.clone(),
                        _ => unit.branch(b).map(|br| br.next.clone()),
                    }
                    .expect("validated journey and checked branches");
                    (paths::child(&th.path, &unit.name, b), start)
                })
                .collect();
            for (name, start) in &children {
                let path = ExecPath::started_at(name.clone(), start.clone(), base);
                sh.state.paths.insert(name.clone(), path);
            }
            self.write_state(sh, th, &unit.name, each_unit)?;
            th.suppress_audit = true;
            children
        };
        let stops = self.run_children(children)?;
        let mut guard = self.lock();
        let sh = &mut *guard;
        if sh.state.is_complete {
            return Ok((Flow::Stop(Stop::Completed), guard));
        }
        if !sh.state.ticket.is_empty() {
            if th.is_root {
                let flow = self.ticket_after_children(sh, th)?;
                return Ok((flow, guard));
            }
            let path = sh.state.path_mut(&th.path);
            path.status = PathStatus::Completed;
            return Ok((Flow::Stop(Stop::TicketExit), guard));
        }
        // continue after the join only if every branch reached it (only this block's own
        // branches count, and the continuation is the join they reached)
        let join = match stops.first() {
            Some(Stop::Joined(join)) if stops.iter().all(|s| *s == Stop::Joined(join.clone())) => {
                Some(join.clone())
            }
            _ => None,
        };
        let path = sh.state.path_mut(&th.path);
        match join.and_then(|j| self.journey.unit(&j)) {
            Some(join) => {
                path.step.clone_from(&join.name);
                path.unit_response_type = Some(ResponseType::OkProceed);
                let next = join.next.clone().unwrap_or_else(|| END.to_owned());
                Ok((Flow::Next(next), guard))
            }
            None => {
                path.status = PathStatus::Completed;
                Ok((Flow::Stop(Stop::Waiting), guard))
            }
        }
    }

    /// A parallel route's answer, or an error pend when its branches would give the case more
    /// exec paths than `max_branches` (those of an earlier run of this block are replaced), or
    /// an exec path name longer than a store keeps ([`paths::MAX_PATH_CHARS`]).
    fn bounded_branches(
        &self,
        state: &CaseState,
        th: &Thread,
        unit: &Unit,
        response: RouteResponse,
    ) -> RouteResponse {
        if response.response == ResponseType::ErrorPend {
            return response;
        }
        let limit = self.engine.config.max_branches;
        let prefix = format!("{}{}.", th.path, unit.name);
        let kept = state
            .paths
            .keys()
            .filter(|name| !name.starts_with(&prefix))
            .count();
        let total = kept + response.branches.len();
        let too_long = response
            .branches
            .iter()
            .map(|b| paths::child(&th.path, &unit.name, b))
            .find(|name| name.chars().count() > paths::MAX_PATH_CHARS);
        let message = if let Some(name) = too_long {
            format!(
                "route {}: exec path {name:?} would be longer than {} characters ({}), more \
                 than a store keeps; shorten the route or branch names, or nest less",
                unit.name,
                paths::MAX_PATH_CHARS,
                name.chars().count()
            )
        } else if total <= limit {
            return response;
        } else {
            format!(
                "route {} asked for {} branches: the case would have {total} exec paths, more \
                 than [engine] max_branches = {limit}",
                unit.name,
                response.branches.len()
            )
        };
        RouteResponse {
            variables: response.variables,
            ..RouteResponse::error_pend(
                &self.engine.config.error_workbasket,
                self.failure(unit, message, String::new()),
            )
        }
    }

    /// The root thread after a parallel block in which a branch raised a ticket.
    pub(super) fn ticket_after_children(&self, sh: &mut Shared, th: &mut Thread) -> Result<Flow> {
        if sh.state.ticket_urt == ResponseType::OkProceed {
            // raised whether or not another branch pended
            let ctx = self.event_context(sh, EventType::TicketRaised, &th.path);
            self.notify(sh, &ctx);
            return Ok(self.jump_to_ticket(sh, th));
        }
        // the ticket came with a pend: the case pends on the root at the raising task, and
        // acts on the ticket when resumed
        let Some(raiser) = sh
            .state
            .paths
            .values()
            .find(|p| !p.ticket.is_empty())
            .cloned()
        else {
            return Err(Error::UnexpectedCondition {
                case: self.case_id.to_owned(),
                cause: format!("ticket {} has no exec path that raised it", sh.state.ticket),
            });
        };
        let base = sh.visit_base();
        let root = ExecPath {
            name: ROOT.to_owned(),
            status: PathStatus::Completed,
            step: raiser.step,
            comp_name: String::new(),
            pend_workbasket: raiser.pend_workbasket,
            ticket: raiser.ticket,
            pend_error: PendError::default(),
            prev_pend_workbasket: raiser.prev_pend_workbasket,
            tbc_sla_workbasket: raiser.tbc_sla_workbasket,
            unit_response_type: Some(sh.state.ticket_urt),
            visit: base,
            interrupted_starts: 0,
        };
        discard_paths(sh);
        sh.state.paths.insert(ROOT.to_owned(), root);
        sh.state.pend_exec_path = ROOT.to_owned();
        th.path = ROOT.to_owned();
        Ok(Flow::Stop(Stop::Pended))
    }

    pub(super) fn join(&self, th: &mut Thread, unit: &Unit) -> Held<'_> {
        self.trace(Trace::Join { path: &th.path });
        let mut guard = self.lock();
        let state = &mut guard.state;
        state.stop_path(&th.path, &unit.name, ResponseType::OkProceed);
        let parent = paths::parent(&th.path).to_owned();
        let Some(block) = paths::block_prefix(&th.path) else {
            // a join on the root path closes nothing (the validator rules this out)
            return (Flow::Stop(Stop::Joined(unit.name.clone())), guard);
        };
        let depth = paths::depth(&th.path);
        // siblings = the other branches of this block (self and cousins excluded)
        let mut all_finished = true;
        let mut pended: Option<String> = None;
        for sibling in state.paths.values().filter(|p| {
            p.name != th.path && p.name.starts_with(block) && paths::depth(&p.name) == depth
        }) {
            let finished = sibling.status == PathStatus::Completed
                && sibling.step == unit.name
                && sibling.pend_workbasket.is_empty();
            if finished {
                continue;
            }
            all_finished = false;
            if pended.is_none() {
                pended = deepest_pended(state, &sibling.name);
            }
        }
        if let Some(pended) = pended {
            state.set_pend_exec_path(&pended);
            return (Flow::Stop(Stop::Joined(unit.name.clone())), guard);
        }
        let parent_gone = state
            .paths
            .get(&parent)
            .is_some_and(|p| p.status == PathStatus::Completed);
        if all_finished && parent_gone {
            // a resumed branch is the last to join: it carries on as its parent
            let p = state.path_mut(&parent);
            p.status = PathStatus::Started;
            p.step.clone_from(&unit.name);
            p.unit_response_type = Some(ResponseType::OkProceed);
            p.pend_workbasket.clear();
            p.pend_error = PendError::default();
            th.path = parent;
            let next = unit.next.clone().unwrap_or_else(|| END.to_owned());
            return (Flow::Next(next), guard);
        }
        (Flow::Stop(Stop::Joined(unit.name.clone())), guard)
    }

    pub(super) fn pause(&self, th: &Thread, unit: &Unit) -> Held<'_> {
        self.trace(Trace::ExecPause {
            step: &unit.name,
            path: &th.path,
        });
        let mut sh = self.lock();
        sh.state.pend_path(
            &th.path,
            &unit.name,
            ResponseType::OkPend,
            PAUSE_WORKBASKET,
            PendError::default(),
        );
        sh.state.set_pend_exec_path(&th.path);
        (Flow::Stop(Stop::Pended), sh)
    }

    pub(super) fn persist(&self, th: &Thread, unit: &Unit) -> Held<'_> {
        self.trace(Trace::ExecPersist {
            step: &unit.name,
            path: &th.path,
        });
        let mut guard = self.lock();
        let sh = &mut *guard;
        sh.state.pend_at_same_step = false;
        let ctx = self.event_context(sh, EventType::Persist, &th.path);
        if let Err(message) = self.raise(&ctx) {
            // a failing ON_PERSIST handler pends the unit properly
            self.trace(Trace::PendPersist {
                step: &unit.name,
                path: &th.path,
            });
            let basket = self.engine.config.error_workbasket.clone();
            sh.state.pend_path(
                &th.path,
                &unit.name,
                ResponseType::ErrorPend,
                &basket,
                PendError::new(0, message, ""),
            );
            sh.state.set_pend_exec_path(&th.path);
            return (Flow::Stop(Stop::Pended), guard);
        }
        let path = sh.state.path_mut(&th.path);
        path.step.clone_from(&unit.name);
        path.unit_response_type = Some(ResponseType::OkProceed);
        let next = unit.next.clone().unwrap_or_else(|| END.to_owned());
        (Flow::Next(next), guard)
    }
}

/// The texts of a component's answer that the case will store.
struct Answer<'a> {
    variables: &'a [Variable],
    workbasket: &'a str,
    ticket: &'a str,
    branches: &'a [String],
    error_code: i64,
}

/// An error pend's details in a form every store keeps.
/// Counts the visit of the unit that just answered on `th`'s path, with its result (saved
/// together); the starts recovery found cut short belonged to that visit.
fn count_visit(sh: &mut Shared, th: &Thread) {
    if let Some(path) = sh.state.paths.get_mut(&th.path) {
        path.visit = path.visit.saturating_add(1);
        path.interrupted_starts = 0;
    }
}

fn storable_error(error: PendError) -> PendError {
    PendError {
        message: storable_lossy(&error.message).into_owned(),
        details: storable_lossy(&error.details).into_owned(),
        ..error
    }
}

/// Discards every exec path (acting on a ticket), remembering that the path a resume left is
/// gone.
fn discard_paths(sh: &mut Shared) {
    sh.state.paths.clear();
    if let Some(leaving) = &mut sh.leaving {
        leaving.discarded = true;
    }
}

/// The deepest pended path in the subtree of `root` (first in name order among equals).
fn deepest_pended(state: &CaseState, root: &str) -> Option<String> {
    state
        .paths
        .values()
        .filter(|p| paths::in_subtree(&p.name, root) && !p.pend_workbasket.is_empty())
        .max_by(|a, b| {
            paths::depth(&a.name)
                .cmp(&paths::depth(&b.name))
                .then_with(|| b.name.cmp(&a.name))
        })
        .map(|p| p.name.clone())
}

/// Why a route's answer cannot be followed, if it cannot.
fn route_problem(unit: &Unit, response: &RouteResponse) -> Option<String> {
    let name = &unit.name;
    match response.response {
        ResponseType::ErrorPend => return None,
        ResponseType::OkPend | ResponseType::OkPendEor => {
            return Some(format!(
                "route {name} answered {}: a route can only proceed or error-pend",
                response.response
            ));
        }
        ResponseType::OkProceed => {}
    }
    if response.branches.is_empty() {
        return Some(format!("route {name} returned no branch"));
    }
    let checked: &[String] = if unit.kind == UnitKind::SRoute {
        &response.branches[..1]
    } else {
        &response.branches
    };
    let mut seen = std::collections::HashSet::new();
    for branch in checked {
        if unit.kind != UnitKind::PRouteDynamic && unit.branch(branch).is_none() {
            return Some(format!("route {name} returned unknown branch \"{branch}\""));
        }
        if unit.kind == UnitKind::PRouteDynamic && (branch.is_empty() || branch.contains('.')) {
            return Some(format!(
                "route {name} returned branch name \"{branch}\" (empty names and \".\" are not allowed)"
            ));
        }
        if !seen.insert(branch) {
            return Some(format!("route {name} returned branch \"{branch}\" twice"));
        }
    }
    None
}
