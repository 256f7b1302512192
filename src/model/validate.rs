//! The journey validator: runs on every start and on `journey validate`,
//! and reports every problem at once, each with its unit and JSON path.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::audit::MAX_UNIT_NAME_BYTES;
use super::journey::{END, Journey, START, Unit, UnitKind};
use super::problem::Problem;
use super::variables::MAX_NAME_CHARS;

/// Where each parsed element came from in the document.
pub(crate) struct Locations<'a> {
    /// JSON path of `journey.units[i]`.
    pub units: &'a [String],
    /// JSON path of `journey.tickets[i]`.
    pub tickets: &'a [String],
    /// Names of units that were present but unreadable (already reported).
    pub unparsed_units: &'a [String],
}

/// Appends every rule violation of `journey` to `problems`.
///
/// A ticket naming no unit is only a warning: the Java engine runs such journeys correctly as
/// long as the ticket is never raised (the conformance journey `test_journey_wms` has one), and
/// a journey the Java engine runs must run here too. Raising it error-pends the case.
pub(crate) fn journey(
    journey: &Journey,
    at: &Locations<'_>,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
) {
    let exists = |name: &str| {
        name == END || journey.unit(name).is_some() || at.unparsed_units.iter().any(|u| u == name)
    };
    unit_names(journey, at, problems);
    lengths(journey, at, problems);
    unit_name_bytes(journey, at, problems);
    if !exists(START) {
        problems.push(Problem::new(
            None,
            "$.journey.flow",
            "no unit named \"start\"",
        ));
    }
    for (unit, path) in journey.units.iter().zip(at.units) {
        unit_fields(unit, path, &exists, problems);
    }
    tickets(journey, at, &exists, warnings);
    endless_cycles(journey, at.units, &|_| false, warnings);
    // the flow of parallel blocks can only be followed when every unit could be read
    if at.unparsed_units.is_empty() {
        parallel_blocks(journey, at, problems);
    }
}

/// Journey, unit, component, branch and ticket names are kept in `VARCHAR(255)` columns like
/// every other name ([`MAX_NAME_CHARS`]): a longer one is refused at start on every store, as
/// is one that does not print as itself.
fn lengths(journey: &Journey, at: &Locations<'_>, problems: &mut Vec<Problem>) {
    let mut check = |unit: Option<&str>, path: String, value: &str| {
        let n = value.chars().count();
        if n > MAX_NAME_CHARS {
            problems.push(Problem::new(
                unit.map(str::to_owned),
                &path,
                format!("longer than {MAX_NAME_CHARS} characters ({n})"),
            ));
        }
        // names are shown in tables and messages: the case-id rule of printing as itself
        if let Some(why) = super::unprintable_problem(value) {
            problems.push(Problem::new(unit.map(str::to_owned), &path, why.to_owned()));
        }
    };
    check(None, "$.journey.name".into(), &journey.name);
    for (unit, path) in journey.units.iter().zip(at.units) {
        let name = Some(unit.name.as_str());
        check(name, format!("{path}.name"), &unit.name);
        if let Some(component) = &unit.component {
            check(name, format!("{path}.component"), component);
        }
        if let Some(next) = &unit.next {
            check(name, format!("{path}.next"), next);
        }
        for (i, branch) in unit.branches.iter().flatten().enumerate() {
            check(name, format!("{path}.branches[{i}].name"), &branch.name);
            check(name, format!("{path}.branches[{i}].next"), &branch.next);
        }
    }
    for (ticket, path) in journey.tickets.iter().zip(at.tickets) {
        let name = Some(ticket.name.as_str());
        check(name, format!("{path}.name"), &ticket.name);
        check(name, format!("{path}.step"), &ticket.step);
    }
}

/// A unit name is part of its audit records' file names: limited in bytes, the same on every
/// store ([`MAX_UNIT_NAME_BYTES`]); one also too long in characters is reported once.
fn unit_name_bytes(journey: &Journey, at: &Locations<'_>, problems: &mut Vec<Problem>) {
    for (unit, path) in journey.units.iter().zip(at.units) {
        let bytes = unit.name.len();
        if bytes > MAX_UNIT_NAME_BYTES && unit.name.chars().count() <= MAX_NAME_CHARS {
            problems.push(Problem::new(
                Some(unit.name.clone()),
                &format!("{path}.name"),
                format!(
                    "longer than {MAX_UNIT_NAME_BYTES} bytes ({bytes}), the most an audit \
                     record's file name leaves a unit name"
                ),
            ));
        }
    }
}

fn unit_names(journey: &Journey, at: &Locations<'_>, problems: &mut Vec<Problem>) {
    let mut first_seen: HashMap<&str, &str> = HashMap::new();
    for (unit, path) in journey.units.iter().zip(at.units) {
        let name = Some(unit.name.clone());
        if unit.name == END {
            problems.push(Problem::new(
                name.clone(),
                &format!("{path}.name"),
                "a unit cannot be named \"end\"",
            ));
        }
        if let Some(first) = first_seen.insert(&unit.name, path) {
            problems.push(Problem::new(
                name.clone(),
                &format!("{path}.name"),
                format!(
                    "duplicate unit name \"{}\" (first defined at {first})",
                    unit.name
                ),
            ));
            first_seen.insert(&unit.name, first);
        }
        if unit.kind.is_parallel() && unit.name.contains('.') {
            problems.push(Problem::new(
                name,
                &format!("{path}.name"),
                "a parallel route name cannot contain \".\" (it is part of exec path names)",
            ));
        }
    }
}

fn unit_fields(
    unit: &Unit,
    path: &str,
    exists: &dyn Fn(&str) -> bool,
    problems: &mut Vec<Problem>,
) {
    let name = || Some(unit.name.clone());
    let kind = unit.kind;
    match kind {
        UnitKind::Task
        | UnitKind::PJoin
        | UnitKind::Pause
        | UnitKind::Persist
        | UnitKind::PRouteDynamic => {
            if unit.next.is_none() {
                problems.push(Problem::new(
                    name(),
                    &format!("{path}.next"),
                    format!("{kind} has no \"next\""),
                ));
            }
        }
        UnitKind::SRoute => {
            if unit.next.is_some() {
                problems.push(Problem::new(
                    name(),
                    &format!("{path}.next"),
                    "an s_route cannot have next specified (its branches say where to go)",
                ));
            }
        }
        UnitKind::PRoute => {
            if unit.next.is_some() {
                problems.push(Problem::new(
                    name(),
                    &format!("{path}.next"),
                    "A parallel route cannot have next specified",
                ));
            }
        }
    }
    if let Some(next) = &unit.next
        && !exists(next)
    {
        problems.push(Problem::new(
            name(),
            &format!("{path}.next"),
            format!("next \"{next}\" names no unit"),
        ));
    }
    match (kind, &unit.branches) {
        (UnitKind::PRouteDynamic, Some(_)) => problems.push(Problem::new(
            name(),
            &format!("{path}.branches"),
            "A dynamic parallel route cannot have branches specified",
        )),
        (UnitKind::SRoute | UnitKind::PRoute, None) => problems.push(Problem::new(
            name(),
            &format!("{path}.branches"),
            format!("{kind} has no branches"),
        )),
        (UnitKind::SRoute | UnitKind::PRoute, Some(branches)) if branches.is_empty() => {
            problems.push(Problem::new(
                name(),
                &format!("{path}.branches"),
                format!("{kind} has no branches"),
            ));
        }
        (UnitKind::SRoute | UnitKind::PRoute, Some(branches)) => {
            let mut seen = HashSet::new();
            for (k, branch) in branches.iter().enumerate() {
                let bpath = format!("{path}.branches[{k}]");
                if !seen.insert(&branch.name) {
                    problems.push(Problem::new(
                        name(),
                        &format!("{bpath}.name"),
                        format!("duplicate branch name \"{}\"", branch.name),
                    ));
                }
                if kind == UnitKind::PRoute && branch.name.contains('.') {
                    problems.push(Problem::new(
                        name(),
                        &format!("{bpath}.name"),
                        "a parallel branch name cannot contain \".\" (it is part of exec path names)",
                    ));
                }
                if !exists(&branch.next) {
                    problems.push(Problem::new(
                        name(),
                        &format!("{bpath}.next"),
                        format!(
                            "branch \"{}\" next \"{}\" names no unit",
                            branch.name, branch.next
                        ),
                    ));
                }
            }
        }
        _ => {}
    }
}

fn tickets(
    journey: &Journey,
    at: &Locations<'_>,
    exists: &dyn Fn(&str) -> bool,
    problems: &mut Vec<Problem>,
) {
    let mut seen = HashSet::new();
    for (ticket, path) in journey.tickets.iter().zip(at.tickets) {
        let name = Some(ticket.name.clone());
        if !seen.insert(&ticket.name) {
            problems.push(Problem::new(
                name.clone(),
                &format!("{path}.name"),
                format!("duplicate ticket name \"{}\"", ticket.name),
            ));
        }
        if !exists(&ticket.step) {
            problems.push(Problem::new(
                name,
                &format!("{path}.step"),
                format!(
                    "ticket \"{}\" step \"{}\" names no unit",
                    ticket.name, ticket.step
                ),
            ));
        }
    }
}

/// What the units reachable from one branch start lead to, inside a parallel block.
#[derive(Default)]
struct Reach {
    joins: BTreeSet<String>,
    reaches_end: bool,
}

/// Follows the flow of parallel blocks: every branch must reach exactly one join (the same for
/// all branches of a route) without reaching `end`, and every join must close some route.
fn parallel_blocks(journey: &Journey, at: &Locations<'_>, problems: &mut Vec<Problem>) {
    let mut walker = Walker {
        journey,
        joins_of: HashMap::new(),
        in_progress: HashSet::new(),
    };
    let mut closed_joins = BTreeSet::new();
    for (unit, path) in journey.units.iter().zip(at.units) {
        // (what the branch is called in messages, its JSON path, its first unit)
        let starts: Vec<(String, String, String)> = match unit.kind {
            UnitKind::PRoute => unit
                .branches
                .iter()
                .flatten()
                .enumerate()
                .map(|(k, b)| {
                    (
                        format!("branch \"{}\"", b.name),
                        format!("{path}.branches[{k}]"),
                        b.next.clone(),
                    )
                })
                .collect(),
            UnitKind::PRouteDynamic => match &unit.next {
                Some(next) => vec![(
                    "dynamic branches".to_owned(),
                    format!("{path}.next"),
                    next.clone(),
                )],
                None => continue,
            },
            _ => continue,
        };
        let mut route_joins = BTreeSet::new();
        for (label, bpath, start) in starts {
            let reach = walker.walk(start);
            if reach.reaches_end {
                problems.push(Problem::new(
                    Some(unit.name.clone()),
                    &bpath,
                    format!("{label} of parallel route \"{}\" reaches \"end\" without passing its p_join", unit.name),
                ));
            } else if reach.joins.is_empty() {
                problems.push(Problem::new(
                    Some(unit.name.clone()),
                    &bpath,
                    format!(
                        "{label} of parallel route \"{}\" reaches no p_join",
                        unit.name
                    ),
                ));
            }
            route_joins.extend(reach.joins);
        }
        if route_joins.len() > 1 {
            let names: Vec<_> = route_joins.iter().map(String::as_str).collect();
            problems.push(Problem::new(
                Some(unit.name.clone()),
                path,
                format!(
                    "the branches of parallel route \"{}\" reach different joins: {}",
                    unit.name,
                    names.join(", ")
                ),
            ));
        }
        closed_joins.extend(route_joins);
    }
    for (unit, path) in journey.units.iter().zip(at.units) {
        if unit.kind == UnitKind::PJoin && !closed_joins.contains(&unit.name) {
            problems.push(Problem::new(
                Some(unit.name.clone()),
                path,
                format!(
                    "p_join \"{}\" is reachable from no parallel route",
                    unit.name
                ),
            ));
        }
    }
}

struct Walker<'j> {
    journey: &'j Journey,
    /// Joins closing each parallel route (memoised).
    joins_of: HashMap<String, BTreeSet<String>>,
    /// Routes being explored, to stop on a route nested in itself.
    in_progress: HashSet<String>,
}

impl Walker<'_> {
    fn walk(&mut self, start: String) -> Reach {
        let mut reach = Reach::default();
        let mut visited = HashSet::new();
        let mut stack = vec![start];
        while let Some(name) = stack.pop() {
            if name == END {
                reach.reaches_end = true;
                continue;
            }
            let Some(unit) = self.journey.unit(&name) else {
                continue;
            };
            if !visited.insert(name) {
                continue;
            }
            match unit.kind {
                UnitKind::PJoin => {
                    reach.joins.insert(unit.name.clone());
                }
                UnitKind::Task | UnitKind::Pause | UnitKind::Persist => {
                    stack.extend(unit.next.clone())
                }
                UnitKind::SRoute => {
                    stack.extend(unit.branches.iter().flatten().map(|b| b.next.clone()))
                }
                UnitKind::PRoute | UnitKind::PRouteDynamic => {
                    for join in self.joins_of(unit) {
                        if let Some(next) = self.journey.unit(&join).and_then(|j| j.next.clone()) {
                            stack.push(next);
                        }
                    }
                }
            }
        }
        reach
    }

    fn joins_of(&mut self, route: &Unit) -> BTreeSet<String> {
        if let Some(joins) = self.joins_of.get(&route.name) {
            return joins.clone();
        }
        if !self.in_progress.insert(route.name.clone()) {
            return BTreeSet::new();
        }
        let starts: Vec<String> = match route.kind {
            UnitKind::PRouteDynamic => route.next.iter().cloned().collect(),
            _ => route
                .branches
                .iter()
                .flatten()
                .map(|b| b.next.clone())
                .collect(),
        };
        let mut joins = BTreeSet::new();
        for start in starts {
            joins.extend(self.walk(start).joins);
        }
        self.in_progress.remove(&route.name);
        self.joins_of.insert(route.name.clone(), joins.clone());
        joins
    }
}

/// The task component that always proceeds, named directly in a journey.
const ALWAYS_PROCEEDS: &str = "builtin:proceed";

/// Whether a case can stop at `unit`: tasks may pend (except the builtin that always proceeds,
/// named directly or through a component `proceeds` says maps to it) and pauses do; routes,
/// joins and persist units go on.
fn can_pend(unit: &Unit, proceeds: &dyn Fn(&str) -> bool) -> bool {
    match unit.kind {
        UnitKind::Task => unit
            .component
            .as_deref()
            .is_none_or(|c| c != ALWAYS_PROCEEDS && !proceeds(c)),
        UnitKind::Pause => true,
        UnitKind::SRoute
        | UnitKind::PRoute
        | UnitKind::PRouteDynamic
        | UnitKind::PJoin
        | UnitKind::Persist => false,
    }
}

/// Warns of every cycle of units none of which can pend: a case entering it runs until the
/// engine's unit limit stops it. Each cycle is reported once, at its first unit in the flow
/// (`paths[i]` is the JSON path of `journey.units[i]`). `proceeds` names the components that
/// always proceed besides `builtin:proceed` (those a configuration maps to it).
pub(crate) fn endless_cycles<'j>(
    journey: &'j Journey,
    paths: &[String],
    proceeds: &dyn Fn(&str) -> bool,
    warnings: &mut Vec<Problem>,
) {
    let running: HashMap<&'j str, &'j Unit> = journey
        .units
        .iter()
        .filter(|u| !can_pend(u, proceeds))
        .map(|u| (u.name.as_str(), u))
        .collect();
    // the units each non-pending unit reaches through non-pending units only
    let reach = |from: &'j Unit| -> HashSet<&'j str> {
        let mut seen = HashSet::new();
        let mut todo = running_successors(from, &running);
        while let Some(name) = todo.pop() {
            if seen.insert(name) {
                todo.extend(running_successors(running[name], &running));
            }
        }
        seen
    };
    let reaches: HashMap<&str, HashSet<&str>> = running
        .iter()
        .map(|(name, unit)| (*name, reach(unit)))
        .collect();
    let mut reported: HashSet<&str> = HashSet::new();
    for (unit, path) in journey.units.iter().zip(paths) {
        let name = unit.name.as_str();
        let Some(from) = reaches.get(name) else {
            continue;
        };
        if !from.contains(name) || reported.contains(name) {
            continue;
        }
        // the cycle: every unit reached from here that reaches back, in flow order
        let cycle: Vec<&str> = journey
            .units
            .iter()
            .map(|u| u.name.as_str())
            .filter(|n| from.contains(n) && reaches[n].contains(name))
            .collect();
        reported.extend(cycle.iter().copied());
        warnings.push(Problem::new(
            Some(unit.name.clone()),
            path,
            format!(
                "units {} form a cycle in which no unit can pend: a case that enters it runs \
                 until [engine] max_units_per_run stops it",
                cycle.join(", ")
            ),
        ));
    }
}

/// The units after `unit` (its `next` and its branches) that cannot pend.
fn running_successors<'j>(unit: &'j Unit, running: &HashMap<&'j str, &'j Unit>) -> Vec<&'j str> {
    let branches = unit.branches.iter().flatten().map(|b| b.next.as_str());
    unit.next
        .as_deref()
        .into_iter()
        .chain(branches)
        .filter(|n| running.contains_key(n))
        .collect()
}
