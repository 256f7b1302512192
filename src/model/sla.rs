//! SLA milestone JSON: `{"milestones": [...]}`, `//` comments allowed. Parsing
//! validates every milestone and reports all problems at once.
//!
//! The serialised form is the Java engine's `MilestoneMapper.toJDocument` (keys in its order,
//! absent when null, empty `further_milestones` left out).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::json::{Fields, kind_of, parse_with_comments};
use super::problem::{DocumentError, Problem};

/// When a milestone is set up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SetupOn {
    /// At `ON_PROCESS_START`.
    CaseStart,
    /// At `ON_PROCESS_REOPEN`.
    CaseRestart,
    /// When the case pends in `work_basket_name`.
    WorkBasketEntry,
    /// When the case leaves `work_basket_name`.
    WorkBasketExit,
}

impl SetupOn {
    /// Document spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CaseStart => "case_start",
            Self::CaseRestart => "case_restart",
            Self::WorkBasketEntry => "work_basket_entry",
            Self::WorkBasketExit => "work_basket_exit",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [
            Self::CaseStart,
            Self::CaseRestart,
            Self::WorkBasketEntry,
            Self::WorkBasketExit,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }

    /// Whether the milestone is tied to a work basket.
    pub fn is_work_basket(self) -> bool {
        matches!(self, Self::WorkBasketEntry | Self::WorkBasketExit)
    }
}

impl fmt::Display for SetupOn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How long a milestone lives: until the case ends, or until the case leaves the basket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneType {
    /// Cleared only when the case completes.
    CaseLevel,
    /// Cleared when the case leaves `work_basket_name`.
    WorkBasket,
}

impl MilestoneType {
    /// Document spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CaseLevel => "case_level",
            Self::WorkBasket => "work_basket",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Self::CaseLevel, Self::WorkBasket]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// When the milestone clock starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockStarts {
    /// At set-up time.
    Immediately,
    /// At the next midnight (UTC).
    NextDay,
}

impl ClockStarts {
    /// Document spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Immediately => "immediately",
            Self::NextDay => "next_day",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Self::Immediately, Self::NextDay]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// `days:hours:minutes` offset of a further milestone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offset {
    /// Days.
    pub days: i64,
    /// Hours.
    pub hours: i64,
    /// Minutes.
    pub minutes: i64,
}

impl Offset {
    fn parse(s: &str) -> Option<Self> {
        let parts: Vec<i64> = s
            .split(':')
            .map(|p| p.trim().parse().ok())
            .collect::<Option<_>>()?;
        match parts[..] {
            [days, hours, minutes] => Some(Self {
                days,
                hours,
                minutes,
            }),
            _ => None,
        }
    }
}

impl fmt::Display for Offset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.days, self.hours, self.minutes)
    }
}

impl Serialize for Offset {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A repetition block of a milestone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FurtherMilestone {
    /// Absolute time (opaque text in the Java format `yyyy-MMM-dd HH:mm:ss.SSS z`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied_at_ts: Option<String>,
    /// Age such as `60m`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied_at_age: Option<String>,
    /// How many times the block repeats.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repeat: Option<u32>,
    /// `days:hours:minutes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<Offset>,
}

/// One SLA milestone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Milestone {
    /// Milestone name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// When it is set up.
    pub setup_on: SetupOn,
    /// Case-level or work-basket lifetime.
    #[serde(rename = "type")]
    pub kind: MilestoneType,
    /// The basket of `work_basket_*` milestones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub work_basket_name: Option<String>,
    /// Age such as `30m`, `20d`, `1d:2h`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied_at_age: Option<String>,
    /// Absolute time (opaque text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied_at_ts: Option<String>,
    /// When the clock starts.
    pub clock_starts: ClockStarts,
    /// What the application should do when the milestone is due (`CORR`, `CANCEL:X`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Opaque application data (spelled `userdata`, as the Java mapper does).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub userdata: Option<String>,
    /// Repetitions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub further_milestones: Vec<FurtherMilestone>,
}

impl Milestone {
    /// When this milestone is due if set up at `set_up_ms` (epoch ms), from `applied_at_age`
    /// and `clock_starts`; `None` when it has no age.
    pub fn due_at(&self, set_up_ms: i64) -> Option<i64> {
        const DAY_MS: i64 = 86_400_000;
        let age = parse_age_ms(self.applied_at_age.as_deref()?)?;
        let base = match self.clock_starts {
            ClockStarts::Immediately => set_up_ms,
            ClockStarts::NextDay => (set_up_ms.div_euclid(DAY_MS) + 1) * DAY_MS,
        };
        base.checked_add(age)
    }

    /// Parses one milestone object (with validation).
    pub fn from_value(value: &Value) -> Result<Self, DocumentError> {
        let mut problems = Vec::new();
        match parse_milestone(value, "$", &mut problems) {
            Some(m) if problems.is_empty() => Ok(m),
            _ => Err(DocumentError::Invalid(problems)),
        }
    }
}

impl<'de> Deserialize<'de> for Milestone {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Self::from_value(&value).map_err(serde::de::Error::custom)
    }
}

/// The SLA definition of a case.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Sla {
    /// All milestones, in file order.
    pub milestones: Vec<Milestone>,
}

impl Sla {
    /// Parses and validates SLA JSON (`//` comments allowed). Every problem is reported.
    pub fn parse(text: &str) -> Result<Self, DocumentError> {
        let value = parse_with_comments(text).map_err(|e| DocumentError::Syntax(e.to_string()))?;
        Self::from_value(&value)
    }

    /// Parses and validates an already-parsed document.
    pub fn from_value(value: &Value) -> Result<Self, DocumentError> {
        let mut problems = Vec::new();
        let mut milestones = Vec::new();
        if let Some(root) = Fields::new(value, "$", None, &mut problems) {
            match root.array("milestones", &mut problems) {
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let path = format!("$.milestones[{i}]");
                        milestones.extend(parse_milestone(item, &path, &mut problems));
                    }
                }
                None if root.raw("milestones").is_none() => problems.push(Problem::new(
                    None,
                    "$.milestones",
                    "missing \"milestones\" array",
                )),
                None => {}
            }
        }
        if problems.is_empty() {
            Ok(Self { milestones })
        } else {
            Err(DocumentError::Invalid(problems))
        }
    }

    /// Pretty JSON `{"milestones": [...]}`.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("an SLA always serialises")
    }
}

impl<'de> Deserialize<'de> for Sla {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Self::from_value(&value).map_err(serde::de::Error::custom)
    }
}

fn parse_milestone(item: &Value, path: &str, problems: &mut Vec<Problem>) -> Option<Milestone> {
    let probe = Fields::new(item, path, None, problems)?;
    let name = probe.string("name", &mut Vec::new());
    let f = Fields::new(item, path, name.clone(), problems)?;
    let unit = || name.clone();
    let before = problems.len();
    let setup_on = required_enum(
        &f,
        "setup_on",
        SetupOn::parse,
        "case_start, case_restart, work_basket_entry or work_basket_exit",
        problems,
    );
    let kind = required_enum(
        &f,
        "type",
        MilestoneType::parse,
        "case_level or work_basket",
        problems,
    );
    let clock_starts = required_enum(
        &f,
        "clock_starts",
        ClockStarts::parse,
        "immediately or next_day",
        problems,
    );
    let work_basket_name = f.string("work_basket_name", problems);
    if let Some(setup) = setup_on
        && setup.is_work_basket()
        && work_basket_name.as_deref().is_none_or(str::is_empty)
    {
        problems.push(Problem::new(
            unit(),
            &f.path_of("work_basket_name"),
            format!("{setup} milestone has no \"work_basket_name\""),
        ));
    }
    // kept in `VARCHAR(255)` columns: one rule for names on every store, checked before any
    // case starts
    for (key, text) in [("name", &name), ("work_basket_name", &work_basket_name)] {
        if let Some(why) = text.as_deref().and_then(super::unstorable_name) {
            problems.push(Problem::new(unit(), &f.path_of(key), why.to_owned()));
        }
    }
    let applied_at_age = age(&f, problems);
    let action = f.string("action", problems);
    if let Some(action) = &action
        && !is_valid_action(action)
    {
        problems.push(Problem::new(
            unit(),
            &f.path_of("action"),
            format!("Invalid type value: {action}"),
        ));
    }
    let mut further_milestones = Vec::new();
    for (k, fm) in f
        .array("further_milestones", problems)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let fpath = format!("{}[{k}]", f.path_of("further_milestones"));
        let Some(ff) = Fields::new(fm, &fpath, unit(), problems) else {
            continue;
        };
        let repeat = match ff.raw("repeat") {
            None => None,
            Some(v) => match v.as_u64().and_then(|n| u32::try_from(n).ok()) {
                Some(n) => Some(n),
                None => {
                    problems.push(Problem::new(
                        unit(),
                        &ff.path_of("repeat"),
                        format!(
                            "repeat must be a non-negative integer, found {}",
                            kind_of(v)
                        ),
                    ));
                    None
                }
            },
        };
        let offset = ff
            .string("offset", problems)
            .and_then(|text| match Offset::parse(&text) {
                Some(o) => Some(o),
                None => {
                    problems.push(Problem::new(
                        unit(),
                        &ff.path_of("offset"),
                        format!("bad offset \"{text}\" (expected days:hours:minutes, e.g. 0:2:30)"),
                    ));
                    None
                }
            });
        further_milestones.push(FurtherMilestone {
            applied_at_ts: ff.string("applied_at_ts", problems),
            applied_at_age: age(&ff, problems),
            repeat,
            offset,
        });
    }
    let milestone = Milestone {
        name: name.clone(),
        setup_on: setup_on?,
        kind: kind?,
        work_basket_name,
        applied_at_age,
        applied_at_ts: f.string("applied_at_ts", problems),
        clock_starts: clock_starts?,
        action,
        userdata: f.string("userdata", problems),
        further_milestones,
    };
    (problems.len() == before).then_some(milestone)
}

fn required_enum<T>(
    f: &Fields<'_>,
    key: &str,
    parse: fn(&str) -> Option<T>,
    expected: &str,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    let unit = f.string("name", &mut Vec::new());
    match f.string(key, problems) {
        None => {
            problems.push(Problem::new(
                unit,
                &f.path_of(key),
                format!("milestone has no \"{key}\""),
            ));
            None
        }
        Some(text) => {
            let parsed = parse(&text);
            if parsed.is_none() {
                problems.push(Problem::new(
                    unit,
                    &f.path_of(key),
                    format!("unknown {key} \"{text}\" (expected {expected})"),
                ));
            }
            parsed
        }
    }
}

fn age(f: &Fields<'_>, problems: &mut Vec<Problem>) -> Option<String> {
    let text = f.string("applied_at_age", problems)?;
    if parse_age_ms(&text).is_none() {
        problems.push(Problem::new(
            f.string("name", &mut Vec::new()),
            &f.path_of("applied_at_age"),
            format!("bad applied_at_age \"{text}\" (expected e.g. 30m, 20d or 1d:2h)"),
        ));
    }
    Some(text)
}

/// `30m`, `20d`, `1d:2h` → milliseconds. Units: d, h, m.
fn parse_age_ms(text: &str) -> Option<i64> {
    let mut total: i64 = 0;
    for part in text.split(':') {
        let (digits, unit) = part.split_at(part.len().checked_sub(1)?);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: i64 = digits.parse().ok()?;
        let unit_ms = match unit {
            "d" => 86_400_000,
            "h" => 3_600_000,
            "m" => 60_000,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(unit_ms)?)?;
    }
    Some(total)
}

/// The Java action pattern (`Milestone.java`), with `CUSTOM:` names as dotted identifiers (the
/// Java regex's unescaped `.` there was meant as a literal dot).
pub fn is_valid_action(action: &str) -> bool {
    fn ident(s: &str) -> bool {
        let mut chars = s.chars();
        chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    }
    fn all(s: &str, ok: fn(char) -> bool, allow_empty: bool) -> bool {
        (allow_empty || !s.is_empty()) && s.chars().all(ok)
    }
    let alnum = |c: char| c.is_ascii_alphanumeric();
    if matches!(action, "CORR" | "CORR_ALL" | "RESUME" | "RETRY") {
        return true;
    }
    let Some((head, rest)) = action.split_once(':') else {
        return false;
    };
    match head {
        "CORR" => all(rest, |c| c.is_ascii_alphabetic() || c == '_', false),
        "CANCEL" => match rest.split_once(':') {
            None => all(rest, alnum, false),
            Some((code, flag)) => all(code, alnum, false) && matches!(flag, "C" | "D"),
        },
        "DECLINE" => all(rest, alnum, false),
        "CHG_WB" => ident(rest),
        "RAISE_INC" => all(rest, |c| c.is_ascii_alphanumeric() || c == '_', true),
        "CUSTOM" => {
            let (name, code) = match rest.split_once(':') {
                Some((name, code)) => (name, Some(code)),
                None => (rest, None),
            };
            name.split('.').all(ident) && code.is_none_or(|c| all(c, alnum, false))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const COMMENTED: &str = r#"{ "milestones": [
      // a comment
      { "name": "m1", "setup_on": "work_basket_entry", "type": "work_basket",
        "work_basket_name": "wb", "applied_at_age": "1d:2h", "clock_starts": "next_day",
        "action": "CUSTOM:a.b:X1", "userdata": "",
        "further_milestones": [ { "applied_at_age": "60m", "repeat": 3 }, { "offset": "1:02:3" } ] },
      { "setup_on": "case_start", "type": "case_level", "clock_starts": "immediately" }
    ] }"#;

    #[test]
    fn parses_comments_and_round_trips() {
        let sla = Sla::parse(COMMENTED).unwrap();
        assert_eq!(sla.milestones.len(), 2);
        assert_eq!(
            sla.milestones[1].action, None,
            "a milestone without an action is allowed"
        );
        let again = Sla::parse(&sla.to_json()).unwrap();
        assert_eq!(again, sla);
    }

    #[test]
    fn serialises_like_the_java_mapper() {
        let sla = Sla::parse(COMMENTED).unwrap();
        assert_eq!(
            serde_json::to_value(&sla.milestones[0]).unwrap(),
            json!({"name": "m1", "setup_on": "work_basket_entry", "type": "work_basket",
                   "work_basket_name": "wb", "applied_at_age": "1d:2h", "clock_starts": "next_day",
                   "action": "CUSTOM:a.b:X1", "userdata": "",
                   "further_milestones": [{"applied_at_age": "60m", "repeat": 3}, {"offset": "1:2:3"}]})
        );
    }

    #[test]
    fn due_time_follows_age_and_clock() {
        let sla = Sla::parse(COMMENTED).unwrap();
        // next_day: midnight after the set-up time, plus 1d:2h
        assert_eq!(
            sla.milestones[0].due_at(1_000),
            Some(86_400_000 + 86_400_000 + 7_200_000)
        );
        assert_eq!(sla.milestones[1].due_at(1_000), None);
    }

    fn problems(text: &str) -> Vec<String> {
        Sla::parse(text)
            .unwrap_err()
            .problems()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn unknown_setup_on_is_reported() {
        assert_eq!(
            problems(
                r#"{"milestones":[{"name":"m","setup_on":"case_end","type":"case_level","clock_starts":"immediately"}]}"#
            ),
            [
                "$.milestones[0].setup_on (unit m): unknown setup_on \"case_end\" (expected case_start, case_restart, work_basket_entry or work_basket_exit)"
            ]
        );
    }

    #[test]
    fn unknown_type_is_reported() {
        assert_eq!(
            problems(
                r#"{"milestones":[{"name":"m","setup_on":"case_start","type":"global","clock_starts":"immediately"}]}"#
            ),
            [
                "$.milestones[0].type (unit m): unknown type \"global\" (expected case_level or work_basket)"
            ]
        );
    }

    #[test]
    fn work_basket_milestone_without_basket_is_reported() {
        assert_eq!(
            problems(
                r#"{"milestones":[{"name":"m","setup_on":"work_basket_exit","type":"work_basket","clock_starts":"immediately"}]}"#
            ),
            [
                "$.milestones[0].work_basket_name (unit m): work_basket_exit milestone has no \"work_basket_name\""
            ]
        );
    }

    #[test]
    fn bad_age_offset_repeat_and_action_are_all_reported() {
        assert_eq!(
            problems(
                r#"{"milestones":[{"name":"m","setup_on":"case_start","type":"case_level","clock_starts":"immediately",
              "applied_at_age":"30x","action":"CANCEL:","further_milestones":[{"offset":"1:2","repeat":-1}]}]}"#
            ),
            [
                "$.milestones[0].applied_at_age (unit m): bad applied_at_age \"30x\" (expected e.g. 30m, 20d or 1d:2h)",
                "$.milestones[0].action (unit m): Invalid type value: CANCEL:",
                "$.milestones[0].further_milestones[0].repeat (unit m): repeat must be a non-negative integer, found a number",
                "$.milestones[0].further_milestones[0].offset (unit m): bad offset \"1:2\" (expected days:hours:minutes, e.g. 0:2:30)",
            ]
        );
    }

    #[test]
    fn actions_follow_the_java_pattern() {
        for ok in [
            "CORR",
            "CORR:ab_c",
            "CORR_ALL",
            "RESUME",
            "RETRY",
            "CANCEL:CW",
            "CANCEL:x1:D",
            "DECLINE:a1",
            "CHG_WB:wb_2",
            "RAISE_INC:",
            "RAISE_INC:a_1",
            "CUSTOM:a",
            "CUSTOM:a.b_c:Z9",
        ] {
            assert!(is_valid_action(ok), "{ok}");
        }
        for bad in [
            "",
            "corr",
            "CORR:1",
            "CANCEL:a:E",
            "CHG_WB:1x",
            "CUSTOM:",
            "CUSTOM:a.",
            "NOPE:x",
        ] {
            assert!(!is_valid_action(bad), "{bad}");
        }
    }
}
