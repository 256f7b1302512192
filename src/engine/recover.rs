//! Crash recovery: Flowret's sanitiser (what the Java engine meant to port), run on every
//! load. After a normal stop no path is `started`, so it only changes cases whose process died
//! mid-run (the case lock guarantees nobody is running the case while we load it).
//!
//! Every interrupted path is parked as a pend so that resuming re-runs at most one unit on it:
//! the unit it was about to run (no response yet) or the route it evaluated; a unit that had
//! proceeded is not re-run. A parallel parent whose branches had all joined continues after the
//! join; one whose branches are unfinished waits for them, as it would have.

use super::paths;
use super::state::{CaseState, TEMP_HOLD_WORKBASKET};
use crate::model::{Journey, PathStatus, ResponseType, UnitKind};

/// A path recovery parked, for the trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Parked {
    pub path: String,
    pub workbasket: String,
}

/// Brings an interrupted state back to a pended one. `Err(())` when the case is incomplete but
/// no path can be pended (the caller reports the case id).
pub(crate) fn sanitise(state: &mut CaseState, journey: &Journey) -> Result<Vec<Parked>, ()> {
    let mut parked = Vec::new();
    if !state.ticket.is_empty() {
        park_ticket(state, &mut parked);
    } else {
        park_started_paths(state, journey, &mut parked);
    }
    // a state without exec paths is a case that never ran: resume starts it
    if !state.is_complete && state.pend_exec_path.is_empty() && !state.paths.is_empty() {
        let deepest = state
            .paths
            .values()
            .filter(|p| !p.pend_workbasket.is_empty())
            .max_by(|a, b| {
                // deepest first, then the first in name order
                paths::depth(&a.name)
                    .cmp(&paths::depth(&b.name))
                    .then_with(|| b.name.cmp(&a.name))
            })
            .map(|p| p.name.clone())
            .ok_or(())?;
        state.pend_exec_path = deepest;
    }
    Ok(parked)
}

/// A ticket was raised but not acted on: pend on the shallowest path so that resuming acts on
/// it.
fn park_ticket(state: &mut CaseState, parked: &mut Vec<Parked>) {
    let ticket = state.ticket.clone();
    for path in state.paths.values_mut() {
        path.ticket.clear();
    }
    if state.pend_exec_path.is_empty() {
        let Some(name) = state
            .paths
            .values()
            .min_by_key(|p| paths::depth(&p.name))
            .map(|p| p.name.clone())
        else {
            return;
        };
        let path = state.path_mut(&name);
        path.status = PathStatus::Completed;
        path.pend_workbasket = TEMP_HOLD_WORKBASKET.to_owned();
        path.unit_response_type = Some(ResponseType::OkPend);
        parked.push(Parked {
            path: name.clone(),
            workbasket: TEMP_HOLD_WORKBASKET.to_owned(),
        });
        state.pend_exec_path = name;
    }
    let pend = state.pend_exec_path.clone();
    state.path_mut(&pend).ticket = ticket;
}

/// No ticket: every path that was running is parked.
fn park_started_paths(state: &mut CaseState, journey: &Journey, parked: &mut Vec<Parked>) {
    // decide on the state as it was stored: whether a parent's branches finished depends on
    // them, not on the parking done here
    let snapshot = state.paths.clone();
    for (name, path) in &snapshot {
        if path.status != PathStatus::Started {
            continue;
        }
        let unit = journey.unit(&path.step);
        let basket = if path.prev_pend_workbasket.is_empty() {
            TEMP_HOLD_WORKBASKET.to_owned()
        } else {
            path.prev_pend_workbasket.clone()
        };
        let target = state.path_mut(name);
        target.status = PathStatus::Completed;
        target.pend_workbasket = basket.clone();
        match (path.unit_response_type, unit.map(|u| u.kind)) {
            // about to run `step`: run it again
            (None, _) => target.unit_response_type = Some(ResponseType::OkPendEor),
            (Some(ResponseType::OkProceed), Some(UnitKind::PRoute | UnitKind::PRouteDynamic)) => {
                let route_prefix = format!("{name}{}.", path.step);
                match joined_at(journey, &snapshot, &route_prefix, paths::depth(name) + 2) {
                    // all branches joined: the parent goes on after the join
                    Some(join) => {
                        target.step = join;
                        target.unit_response_type = Some(ResponseType::OkPend);
                    }
                    // branches still have work: the parent waits for them, it is no pend
                    None => target.pend_workbasket.clear(),
                }
            }
            (Some(ResponseType::OkProceed), Some(UnitKind::SRoute)) => {
                target.unit_response_type = Some(ResponseType::OkPendEor);
            }
            (Some(ResponseType::OkProceed), _) => {
                target.unit_response_type = Some(ResponseType::OkPend)
            }
            // a route that error-pended and was left running by an older writer: keep its pend
            (Some(_), _) => {}
        }
        if !target.pend_workbasket.is_empty() {
            // the unit the resume runs on this path may have been started: its re-run is
            // another attempt of the same visit
            target.interrupted_starts = target.interrupted_starts.max(1);
            parked.push(Parked {
                path: name.clone(),
                workbasket: basket,
            });
        }
    }
}

/// The join all branches under `prefix` (at `depth`) stopped at, if they all joined there.
fn joined_at(
    journey: &Journey,
    snapshot: &std::collections::BTreeMap<String, crate::model::ExecPath>,
    prefix: &str,
    depth: usize,
) -> Option<String> {
    let mut join: Option<&str> = None;
    for p in snapshot
        .values()
        .filter(|p| p.name.starts_with(prefix) && paths::depth(&p.name) == depth)
    {
        let finished = p.status == PathStatus::Completed
            && p.pend_workbasket.is_empty()
            && journey
                .unit(&p.step)
                .is_some_and(|u| u.kind == UnitKind::PJoin)
            && p.unit_response_type == Some(ResponseType::OkProceed);
        if !finished || join.is_some_and(|j| j != p.step) {
            return None;
        }
        join = Some(&p.step);
    }
    join.map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ExecPath;

    fn journey() -> Journey {
        Journey::parse(
            r#"{"journey": {"name": "r", "flow": [
            {"name": "start", "component": "c", "next": "route"},
            {"name": "route", "type": "p_route", "component": "r",
             "branches": [{"name": "1", "next": "a"}, {"name": "2", "next": "b"}]},
            {"name": "a", "component": "c", "next": "join"},
            {"name": "b", "type": "s_route", "component": "r", "branches": [{"name": "x", "next": "join"}]},
            {"name": "join", "type": "p_join", "next": "end"}]}}"#,
        )
        .unwrap()
    }

    fn path(name: &str, status: PathStatus, step: &str, urt: Option<ResponseType>) -> ExecPath {
        ExecPath {
            status,
            unit_response_type: urt,
            ..ExecPath::started(name, step)
        }
    }

    fn state(paths: Vec<ExecPath>) -> CaseState {
        let mut s = CaseState::fresh(&journey());
        s.paths = paths.into_iter().map(|p| (p.name.clone(), p)).collect();
        s
    }

    fn show(s: &CaseState, name: &str) -> (PathStatus, String, Option<ResponseType>, String) {
        let p = &s.paths[name];
        (
            p.status,
            p.step.clone(),
            p.unit_response_type,
            p.pend_workbasket.clone(),
        )
    }

    const DONE: PathStatus = PathStatus::Completed;
    const RUN: PathStatus = PathStatus::Started;

    #[test]
    fn a_task_that_proceeded_continues_after_it() {
        let mut s = state(vec![path(".", RUN, "start", Some(ResponseType::OkProceed))]);
        let parked = sanitise(&mut s, &journey()).unwrap();
        assert_eq!(
            show(&s, "."),
            (
                DONE,
                "start".into(),
                Some(ResponseType::OkPend),
                TEMP_HOLD_WORKBASKET.into()
            )
        );
        assert_eq!(s.pend_exec_path, ".");
        assert_eq!(
            parked,
            [Parked {
                path: ".".into(),
                workbasket: TEMP_HOLD_WORKBASKET.into()
            }]
        );
    }

    #[test]
    fn a_unit_about_to_run_runs_again_and_an_s_route_is_re_evaluated() {
        let mut s = state(vec![
            path(".", RUN, "route", Some(ResponseType::OkProceed)),
            path(".route.1.", RUN, "a", None),
            path(".route.2.", RUN, "b", Some(ResponseType::OkProceed)),
        ]);
        s.paths.get_mut(".route.1.").unwrap().prev_pend_workbasket = "wb_old".into();
        sanitise(&mut s, &journey()).unwrap();
        assert_eq!(
            show(&s, ".route.1."),
            (
                DONE,
                "a".into(),
                Some(ResponseType::OkPendEor),
                "wb_old".into()
            )
        );
        assert_eq!(show(&s, ".route.2.").2, Some(ResponseType::OkPendEor));
        // the parent waits for unfinished branches: it is no pend itself
        assert_eq!(
            show(&s, "."),
            (
                DONE,
                "route".into(),
                Some(ResponseType::OkProceed),
                String::new()
            )
        );
        assert_eq!(
            s.pend_exec_path, ".route.1.",
            "deepest, then first in name order"
        );
    }

    #[test]
    fn a_parent_whose_branches_all_joined_continues_after_the_join() {
        let mut s = state(vec![
            path(".", RUN, "route", Some(ResponseType::OkProceed)),
            path(".route.1.", DONE, "join", Some(ResponseType::OkProceed)),
            path(".route.2.", DONE, "join", Some(ResponseType::OkProceed)),
        ]);
        sanitise(&mut s, &journey()).unwrap();
        assert_eq!(
            show(&s, "."),
            (
                DONE,
                "join".into(),
                Some(ResponseType::OkPend),
                TEMP_HOLD_WORKBASKET.into()
            )
        );
        assert_eq!(s.pend_exec_path, ".");
    }

    #[test]
    fn a_raised_ticket_pends_on_the_shallowest_path() {
        let mut s = state(vec![
            path(".", RUN, "route", Some(ResponseType::OkProceed)),
            path(".route.1.", DONE, "a", Some(ResponseType::OkProceed)),
        ]);
        s.paths.get_mut(".route.1.").unwrap().ticket = "t".into();
        s.ticket = "t".into();
        sanitise(&mut s, &journey()).unwrap();
        assert_eq!(s.pend_exec_path, ".");
        assert_eq!(s.paths["."].ticket, "t");
        assert!(s.paths[".route.1."].ticket.is_empty());
        assert_eq!(show(&s, ".").3, TEMP_HOLD_WORKBASKET);
    }

    #[test]
    fn a_normally_pended_case_is_left_alone() {
        let mut pended = path(".", DONE, "start", Some(ResponseType::OkPend));
        pended.pend_workbasket = "wb".into();
        let mut s = state(vec![pended]);
        s.pend_exec_path = ".".into();
        let before = s.paths.clone();
        assert!(sanitise(&mut s, &journey()).unwrap().is_empty());
        assert_eq!(s.paths, before);
    }

    #[test]
    fn no_pendable_path_is_an_error_and_no_path_at_all_is_a_new_case() {
        let mut s = state(vec![path(
            ".",
            DONE,
            "start",
            Some(ResponseType::OkProceed),
        )]);
        assert_eq!(sanitise(&mut s, &journey()), Err(()));
        let mut empty = state(vec![]);
        assert_eq!(sanitise(&mut empty, &journey()), Ok(vec![]));
    }
}
