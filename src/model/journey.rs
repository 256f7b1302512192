//! Journey (process definition) JSON: units, tickets and initial process variables.
//!
//! [`Journey::parse`] reads the text, reports every shape problem and every rule of the
//! validator (`validate.rs`) at once, and only returns a journey the engine can
//! run. [`JourneyRecord`] keeps the text as given next to the parsed form, for stores.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::json::{Fields, parse_with_comments};
use super::problem::{DocumentError, Problem};
use super::validate;
use super::variables::{VarType, VarValue, Variable};

/// The name of the unit every case starts at.
pub const START: &str = "start";
/// The `next` value that ends an execution path (matched exactly, also at run time).
pub const END: &str = "end";

/// The type of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitKind {
    /// Calls a task component.
    Task,
    /// Singular route: a route component picks one branch.
    SRoute,
    /// Parallel route: a route component picks branches that run concurrently.
    PRoute,
    /// Dynamic parallel route: the component names the branches; all start at `next`.
    PRouteDynamic,
    /// Waits for the branches of a parallel route.
    PJoin,
    /// Pends the case in the `workflow_pause` basket.
    Pause,
    /// Raises `ON_PERSIST`.
    Persist,
}

impl UnitKind {
    /// The lower-case name used in journey files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Task => "task",
            Self::SRoute => "s_route",
            Self::PRoute => "p_route",
            Self::PRouteDynamic => "p_route_dynamic",
            Self::PJoin => "p_join",
            Self::Pause => "pause",
            Self::Persist => "persist",
        }
    }

    /// Case-insensitive lookup, as the Java parser does.
    pub fn parse(name: &str) -> Option<Self> {
        [
            Self::Task,
            Self::SRoute,
            Self::PRoute,
            Self::PRouteDynamic,
            Self::PJoin,
            Self::Pause,
            Self::Persist,
        ]
        .into_iter()
        .find(|k| k.as_str().eq_ignore_ascii_case(name))
    }

    /// Whether this is a route of any kind.
    pub fn is_route(self) -> bool {
        matches!(self, Self::SRoute | Self::PRoute | Self::PRouteDynamic)
    }

    /// Whether this is a parallel route (static or dynamic).
    pub fn is_parallel(self) -> bool {
        matches!(self, Self::PRoute | Self::PRouteDynamic)
    }
}

impl fmt::Display for UnitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One branch of a route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Branch {
    /// Branch name (part of exec path names for parallel routes).
    pub name: String,
    /// First unit of the branch.
    pub next: String,
}

/// One element of the journey's `flow`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Unique unit name.
    pub name: String,
    /// Unit type.
    pub kind: UnitKind,
    /// Component name passed to the application (tasks and routes).
    pub component: Option<String>,
    /// Opaque text passed to the component.
    pub user_data: Option<String>,
    /// The unit that follows (for dynamic routes: the first unit of every branch).
    pub next: Option<String>,
    /// Branches of `s_route` / `p_route`; `Some` when the key is present, even if empty.
    pub branches: Option<Vec<Branch>>,
    /// Free text, kept so that a journey written back reads the same.
    pub comment: Option<String>,
}

impl Unit {
    /// The component name the engine reports for this unit: the configured component for tasks
    /// and routes (`""` when absent), and the constants `join`, `pause`, `persist` otherwise.
    pub fn component_name(&self) -> &str {
        match self.kind {
            UnitKind::PJoin => "join",
            UnitKind::Pause => "pause",
            UnitKind::Persist => "persist",
            _ => self.component.as_deref().unwrap_or(""),
        }
    }

    /// A branch of this route by name.
    pub fn branch(&self, name: &str) -> Option<&Branch> {
        self.branches.as_ref()?.iter().find(|b| b.name == name)
    }
}

/// A ticket: a name a task can raise, and the unit where execution continues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ticket {
    /// Ticket name.
    pub name: String,
    /// Target unit.
    pub step: String,
}

/// A parsed and validated journey.
#[derive(Debug, Clone, PartialEq)]
pub struct Journey {
    /// Journey name.
    pub name: String,
    /// Declared tickets.
    pub tickets: Vec<Ticket>,
    /// Initial variables of every new case.
    pub process_variables: Vec<Variable>,
    /// Units in file order.
    pub units: Vec<Unit>,
    /// Problems that do not stop a case from running (see [`Journey::parse`]).
    pub warnings: Vec<Problem>,
    index: HashMap<String, usize>,
}

impl Journey {
    /// Parses and validates journey JSON (`//` comments allowed). Every problem is reported.
    /// Problems that the Java engine tolerates at run time (a ticket naming no unit) are kept
    /// in [`Journey::warnings`] instead.
    pub fn parse(text: &str) -> Result<Self, DocumentError> {
        let value = parse_with_comments(text).map_err(|e| DocumentError::Syntax(e.to_string()))?;
        Self::from_value(&value)
    }

    /// Parses and validates an already-parsed JSON document.
    pub fn from_value(value: &Value) -> Result<Self, DocumentError> {
        let mut problems = Vec::new();
        let draft = parse_draft(value, &mut problems);
        let journey = Self::assemble(draft.journey_parts);
        let locations = validate::Locations {
            units: &draft.unit_paths,
            tickets: &draft.ticket_paths,
            unparsed_units: &draft.unparsed_units,
        };
        let mut warnings = Vec::new();
        validate::journey(&journey, &locations, &mut problems, &mut warnings);
        if problems.is_empty() {
            Ok(Self {
                warnings,
                ..journey
            })
        } else {
            Err(DocumentError::Invalid(problems))
        }
    }

    fn assemble(parts: (String, Vec<Ticket>, Vec<Variable>, Vec<Unit>)) -> Self {
        let (name, tickets, process_variables, units) = parts;
        let mut index = HashMap::new();
        for (i, unit) in units.iter().enumerate() {
            index.entry(unit.name.clone()).or_insert(i);
        }
        Self {
            name,
            tickets,
            process_variables,
            units,
            warnings: Vec::new(),
            index,
        }
    }

    /// A unit by name.
    pub fn unit(&self, name: &str) -> Option<&Unit> {
        self.index.get(name).map(|&i| &self.units[i])
    }

    /// A ticket by name.
    pub fn ticket(&self, name: &str) -> Option<&Ticket> {
        self.tickets.iter().find(|t| t.name == name)
    }

    /// The component names used by tasks and routes (for checking a component mapping).
    pub fn component_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .units
            .iter()
            .filter(|u| matches!(u.kind, UnitKind::Task) || u.kind.is_route())
            .filter_map(|u| u.component.as_deref())
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The warnings of cycles in which no unit can pend, counting as always proceeding the
    /// components `proceeds` names (those a configuration maps to `builtin = "proceed"`) as
    /// well as `builtin:proceed` ([`Journey::warnings`] has those of `builtin:proceed` only).
    pub fn endless_cycles(&self, proceeds: &dyn Fn(&str) -> bool) -> Vec<Problem> {
        // a parsed journey has every unit: the i-th is the flow's i-th
        let paths: Vec<String> = (0..self.units.len())
            .map(|i| format!("$.journey.flow[{i}]"))
            .collect();
        let mut warnings = Vec::new();
        validate::endless_cycles(self, &paths, proceeds, &mut warnings);
        warnings
    }

    /// Pretty JSON in the journey file format.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a journey always serialises")
    }
}

/// A journey as stored for a case: the text as given and its parsed form.
#[derive(Debug, Clone, PartialEq)]
pub struct JourneyRecord {
    /// The journey JSON exactly as given (a file store writes it back unchanged).
    pub text: String,
    /// The parsed, validated journey.
    pub journey: Journey,
}

impl JourneyRecord {
    /// Parses and validates `text`, keeping it.
    pub fn parse(text: impl Into<String>) -> Result<Self, DocumentError> {
        let text = text.into();
        let journey = Journey::parse(&text)?;
        Ok(Self { text, journey })
    }

    /// A record for a journey built in code (its text is its canonical JSON).
    pub fn from_journey(journey: Journey) -> Self {
        Self {
            text: journey.to_json(),
            journey,
        }
    }
}

struct Draft {
    journey_parts: (String, Vec<Ticket>, Vec<Variable>, Vec<Unit>),
    /// Names of units that were present but could not be read (bad type etc.), so that
    /// references to them do not produce a second, misleading problem.
    unparsed_units: Vec<String>,
    /// JSON path of each parsed unit / ticket (entries that failed to parse leave gaps).
    unit_paths: Vec<String>,
    ticket_paths: Vec<String>,
}

fn parse_draft(value: &Value, problems: &mut Vec<Problem>) -> Draft {
    let mut draft = Draft {
        journey_parts: (String::new(), Vec::new(), Vec::new(), Vec::new()),
        unparsed_units: Vec::new(),
        unit_paths: Vec::new(),
        ticket_paths: Vec::new(),
    };
    let Some(root) = Fields::new(value, "$", None, problems) else {
        return draft;
    };
    let Some(journey_value) = root.raw("journey") else {
        problems.push(Problem::new(
            None,
            "$.journey",
            "missing \"journey\" object",
        ));
        return draft;
    };
    let Some(journey) = Fields::new(journey_value, "$.journey", None, problems) else {
        return draft;
    };
    let (name, tickets, variables, units) = &mut draft.journey_parts;
    *name = journey.string("name", problems).unwrap_or_default();
    if let Some(items) = journey.array("tickets", problems) {
        for (i, item) in items.iter().enumerate() {
            let path = format!("$.journey.tickets[{i}]");
            if let Some(ticket) = parse_ticket(item, &path, problems) {
                tickets.push(ticket);
                draft.ticket_paths.push(path);
            }
        }
    }
    if let Some(items) = journey.array("process_variables", problems) {
        for (i, item) in items.iter().enumerate() {
            let path = format!("$.journey.process_variables[{i}]");
            variables.extend(parse_variable(item, &path, problems));
        }
    }
    match journey.array("flow", problems) {
        Some(items) => {
            for (i, item) in items.iter().enumerate() {
                let path = format!("$.journey.flow[{i}]");
                match parse_unit(item, &path, problems) {
                    Ok(unit) => {
                        units.push(unit);
                        draft.unit_paths.push(path);
                    }
                    Err(Some(name)) => draft.unparsed_units.push(name),
                    Err(None) => {}
                }
            }
        }
        None => problems.push(Problem::new(
            None,
            "$.journey.flow",
            "missing \"flow\" array",
        )),
    }
    draft
}

fn parse_ticket(item: &Value, path: &str, problems: &mut Vec<Problem>) -> Option<Ticket> {
    let fields = Fields::new(item, path, None, problems)?;
    let name = fields.string("name", problems);
    let step = fields.string("step", problems);
    match (name, step) {
        (Some(name), Some(step)) => Some(Ticket { name, step }),
        (name, step) => {
            let missing = if name.is_none() { "name" } else { "step" };
            problems.push(Problem::new(
                name.or(step),
                &fields.path_of(missing),
                format!("ticket has no \"{missing}\""),
            ));
            None
        }
    }
}

fn parse_variable(item: &Value, path: &str, problems: &mut Vec<Problem>) -> Option<Variable> {
    let fields = Fields::new(item, path, None, problems)?;
    let Some(name) = fields.string("name", problems) else {
        problems.push(Problem::new(
            None,
            &fields.path_of("name"),
            "variable has no \"name\"",
        ));
        return None;
    };
    let unit = Some(name.clone());
    let Some(type_name) = fields.string("type", problems) else {
        problems.push(Problem::new(
            unit,
            &fields.path_of("type"),
            "variable has no \"type\"",
        ));
        return None;
    };
    let Some(ty) = VarType::parse(&type_name) else {
        problems.push(Problem::new(
            unit,
            &fields.path_of("type"),
            format!("unknown variable type \"{type_name}\""),
        ));
        return None;
    };
    let Some(raw) = fields.raw("value") else {
        problems.push(Problem::new(
            unit,
            &fields.path_of("value"),
            "variable has no \"value\"",
        ));
        return None;
    };
    match VarValue::parse(ty, raw) {
        Ok(value) => Some(Variable { name, value }),
        Err(message) => {
            problems.push(Problem::new(unit, &fields.path_of("value"), message));
            None
        }
    }
}

/// `Err(Some(name))`: the unit has a name but could not be read.
fn parse_unit(
    item: &Value,
    path: &str,
    problems: &mut Vec<Problem>,
) -> Result<Unit, Option<String>> {
    let fields = Fields::new(item, path, None, problems).ok_or(None)?;
    let Some(name) = fields.string("name", problems) else {
        problems.push(Problem::new(
            None,
            &fields.path_of("name"),
            "unit has no \"name\"",
        ));
        return Err(None);
    };
    let unit_name = Some(name.clone());
    let fields = Fields::new(item, path, unit_name.clone(), problems).ok_or(None)?;
    let kind = match fields.string("type", problems) {
        None => UnitKind::Task,
        Some(type_name) => match UnitKind::parse(&type_name) {
            Some(kind) => kind,
            None => {
                problems.push(Problem::new(
                    unit_name,
                    &fields.path_of("type"),
                    format!(
                        "unknown unit type \"{type_name}\" (expected task, s_route, p_route, \
                         p_route_dynamic, p_join, pause or persist)"
                    ),
                ));
                return Err(Some(name));
            }
        },
    };
    let branches = if fields.has("branches") {
        let mut branches = Vec::new();
        for (i, b) in fields
            .array("branches", problems)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let bpath = format!("{}[{i}]", fields.path_of("branches"));
            let Some(bf) = Fields::new(b, &bpath, unit_name.clone(), problems) else {
                continue;
            };
            let bname = bf.string("name", problems);
            let bnext = bf.string("next", problems);
            match (bname, bnext) {
                (Some(name), Some(next)) => branches.push(Branch { name, next }),
                (None, _) => problems.push(Problem::new(
                    unit_name.clone(),
                    &bf.path_of("name"),
                    "branch has no \"name\"",
                )),
                (Some(bname), None) => problems.push(Problem::new(
                    unit_name.clone(),
                    &bf.path_of("next"),
                    format!("branch \"{bname}\" has no \"next\""),
                )),
            }
        }
        Some(branches)
    } else {
        None
    };
    Ok(Unit {
        kind,
        component: fields.string("component", problems),
        user_data: fields.string("user_data", problems),
        next: fields.string("next", problems),
        branches,
        comment: fields.string("comment", problems),
        name,
    })
}

#[derive(Serialize)]
struct UnitDoc<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<&'a str>,
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    component: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_data: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    branches: Option<&'a Vec<Branch>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<&'a str>,
}

#[derive(Serialize)]
struct JourneyBody<'a> {
    name: &'a str,
    tickets: &'a [Ticket],
    process_variables: &'a [Variable],
    flow: Vec<UnitDoc<'a>>,
}

impl Serialize for Journey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let flow = self
            .units
            .iter()
            .map(|u| UnitDoc {
                comment: u.comment.as_deref(),
                name: &u.name,
                kind: u.kind.as_str(),
                component: u.component.as_deref(),
                user_data: u.user_data.as_deref(),
                branches: u.branches.as_ref(),
                next: u.next.as_deref(),
            })
            .collect();
        let body = JourneyBody {
            name: &self.name,
            tickets: &self.tickets,
            process_variables: &self.process_variables,
            flow,
        };
        let mut map = std::collections::BTreeMap::new();
        map.insert("journey", body);
        map.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Journey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Self::from_value(&value).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cycle_in_which_no_unit_can_pend_is_a_warning() {
        let journey = Journey::parse(
            r#"{"journey": {"name": "loop", "flow": [
              {"name": "start", "component": "c", "next": "again"},
              {"name": "again", "component": "builtin:proceed", "next": "check"},
              {"name": "check", "type": "s_route", "component": "r",
               "branches": [{"name": "more", "next": "keep"}, {"name": "done", "next": "end"}]},
              {"name": "keep", "type": "persist", "next": "again"},
              {"name": "ask", "component": "c", "next": "ask_route"},
              {"name": "ask_route", "type": "s_route", "component": "r",
               "branches": [{"name": "more", "next": "ask"}]}]}}"#,
        )
        .unwrap();
        let warnings: Vec<String> = journey.warnings.iter().map(ToString::to_string).collect();
        // the loop through `ask` can pend there: only the other one is reported, once
        assert_eq!(
            warnings,
            [
                "$.journey.flow[1] (unit again): units again, check, keep form a cycle in which no \
              unit can pend: a case that enters it runs until [engine] max_units_per_run stops it"
            ],
        );
    }

    const ALL_TYPES: &str = r#"{
      // comments are accepted in journeys too
      "journey": {
        "name": "all_types",
        "tickets": [{"name": "cancel", "step": "step_end"}],
        "process_variables": [
          {"name": "s", "type": "string", "value": "Jack", "comment": "ignored"},
          {"name": "n", "type": "INTEGER", "value": "3"},
          {"name": "o", "type": "object", "value": {"k": [1, 2]}},
          {"name": "l", "type": "list_of_long", "value": [1, 2]}
        ],
        "flow": [
          {"name": "start", "component": "c_start", "user_data": "u", "next": "route_s", "comment": "c"},
          {"name": "route_s", "type": "s_route", "component": "rs",
           "branches": [{"name": "yes", "next": "route_p"}, {"name": "no", "next": "step_end"}]},
          {"name": "route_p", "type": "p_route", "component": "rp",
           "branches": [{"name": "1", "next": "pause_1"}, {"name": "2", "next": "persist_2"}]},
          {"name": "pause_1", "type": "pause", "next": "join_p"},
          {"name": "persist_2", "type": "persist", "next": "join_p"},
          {"name": "join_p", "type": "p_join", "next": "route_d"},
          {"name": "route_d", "type": "p_route_dynamic", "component": "rd", "next": "step_d"},
          {"name": "step_d", "component": "cd", "next": "join_d"},
          {"name": "join_d", "type": "p_join", "next": "step_end"},
          {"name": "step_end", "component": "ce", "next": "end"}
        ]
      }
    }"#;

    #[test]
    fn parses_every_unit_type() {
        let j = Journey::parse(ALL_TYPES).unwrap();
        assert_eq!(j.units.len(), 10);
        assert_eq!(j.unit("route_d").unwrap().kind, UnitKind::PRouteDynamic);
        assert_eq!(j.unit("join_p").unwrap().component_name(), "join");
        assert_eq!(j.unit("start").unwrap().component_name(), "c_start");
        assert_eq!(j.ticket("cancel").unwrap().step, "step_end");
        assert_eq!(j.process_variables[1].value, VarValue::Integer(3));
        assert_eq!(
            j.component_names(),
            vec!["c_start", "cd", "ce", "rd", "rp", "rs"]
        );
    }

    #[test]
    fn journey_round_trips_through_its_json() {
        let j = Journey::parse(ALL_TYPES).unwrap();
        let again = Journey::parse(&j.to_json()).unwrap();
        assert_eq!(again, j);
        let via_serde: Journey = serde_json::from_str(&serde_json::to_string(&j).unwrap()).unwrap();
        assert_eq!(via_serde, j);
    }

    #[test]
    fn record_keeps_the_text_as_given() {
        let r = JourneyRecord::parse(ALL_TYPES).unwrap();
        assert_eq!(r.text, ALL_TYPES);
    }

    #[test]
    fn syntax_errors_are_reported_as_such() {
        let err = Journey::parse("{\"journey\": ").unwrap_err();
        assert!(matches!(err, DocumentError::Syntax(_)), "{err}");
    }
}
