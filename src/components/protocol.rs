//! The exec component protocol: one JSON document each way (stdin, stdout).
//!
//! stdin (one object): `case_id`, `journey`, `step`, `component`, `unit_type` (`task`,
//! `s_route`, `p_route`, `p_route_dynamic`), `exec_path`, `user_data` (string or null),
//! `variables` (object: name → value; strings, booleans, integers as JSON scalars, object and
//! list values as JSON), `variable_types` (object: name → type name), `pend_at_same_step`,
//! `last_pend_workbasket`, `last_pend_step`, `idempotency_key` (the same for every run of
//! this unit execution, see [`crate::engine::StepContext::idempotency_key`]) and `attempt`
//! (1, or more when the unit runs again after an interruption).
//!
//! stdout (one object): `{"response": "ok_proceed|ok_pend|ok_pend_eor|error_pend",
//! "workbasket": "...", "ticket": "...", "variables": {...}}`; routes answer
//! `{"response": "ok_proceed", "branches": ["yes"]}`. `error_pend` may carry
//! `"error": {"code": 7, "message": "...", "details": "...", "retryable": true}` and pends in
//! the error work basket unless it names one. Returned variables are merged into the case:
//! a variable the case already has keeps its type (the value must parse as it); a new one
//! takes its type from the JSON value (string, boolean, integer → long, array of strings /
//! booleans / integers → list_of_string / list_of_boolean / list_of_long, any other array →
//! list_of_object, anything else → object). Unknown keys are ignored.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::engine::{RouteResponse, StepContext, TaskResponse};
use crate::model::{PendError, ResponseType, VarType, VarValue, Variable, Variables};

/// What the program gets on stdin.
#[derive(Debug, Serialize)]
pub struct Request<'a> {
    /// Case id.
    pub case_id: &'a str,
    /// Journey name.
    pub journey: &'a str,
    /// The unit being executed.
    pub step: &'a str,
    /// Its component name.
    pub component: &'a str,
    /// `task`, `s_route`, `p_route` or `p_route_dynamic`.
    pub unit_type: &'static str,
    /// The exec path running it.
    pub exec_path: &'a str,
    /// The unit's `user_data`.
    pub user_data: Option<&'a str>,
    /// Variable values by name.
    pub variables: BTreeMap<String, Value>,
    /// Variable types by name.
    pub variable_types: BTreeMap<String, &'static str>,
    /// Pended again at the same step.
    pub pend_at_same_step: bool,
    /// Basket seen by the last resume.
    pub last_pend_workbasket: &'a str,
    /// Step seen by the last resume.
    pub last_pend_step: &'a str,
    /// Stable across re-runs of this unit execution; a component deduplicates by it.
    pub idempotency_key: &'a str,
    /// 1, or more when the unit runs again after an interruption.
    pub attempt: u32,
}

impl<'a> Request<'a> {
    /// The request for a step.
    pub fn new(ctx: &'a StepContext) -> Self {
        let mut variables = BTreeMap::new();
        let mut variable_types = BTreeMap::new();
        for v in ctx.variables.iter() {
            variable_types.insert(v.name.clone(), v.value.var_type().as_str());
            variables.insert(v.name.clone(), native(&v.value));
        }
        Self {
            case_id: &ctx.case_id,
            journey: &ctx.journey,
            step: &ctx.step,
            component: &ctx.component,
            unit_type: ctx.unit_type.as_str(),
            exec_path: &ctx.exec_path,
            user_data: ctx.user_data.as_deref(),
            variables,
            variable_types,
            pend_at_same_step: ctx.pend_at_same_step,
            last_pend_workbasket: &ctx.last_pend_workbasket,
            last_pend_step: &ctx.last_pend_step,
            idempotency_key: &ctx.idempotency_key,
            attempt: ctx.attempt,
        }
    }
}

/// A value as a script would want it: native JSON scalars instead of the document's strings.
pub fn native(value: &VarValue) -> Value {
    match value {
        VarValue::Boolean(b) => Value::Bool(*b),
        VarValue::Long(n) => Value::from(*n),
        VarValue::Integer(n) => Value::from(*n),
        other => other.to_document_value(),
    }
}

#[derive(Debug, Deserialize)]
struct RawError {
    #[serde(default)]
    code: i64,
    #[serde(default)]
    message: String,
    #[serde(default)]
    details: String,
    #[serde(default)]
    retryable: bool,
}

#[derive(Debug, Deserialize)]
struct Raw {
    response: String,
    #[serde(default)]
    workbasket: Option<String>,
    #[serde(default)]
    ticket: Option<String>,
    #[serde(default)]
    variables: Option<serde_json::Map<String, Value>>,
    #[serde(default)]
    branches: Option<Vec<String>>,
    #[serde(default)]
    error: Option<RawError>,
}

/// Why an answer cannot be used (the caller adds the component name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    /// Not a JSON object of the protocol's shape.
    Json(String),
    /// A `response` the protocol does not know, or one the unit cannot give.
    Response(String),
    /// Anything else: a missing basket, a variable of the wrong type, ...
    Content(String),
}

fn parse_raw(stdout: &[u8]) -> Result<Raw, Invalid> {
    let text = std::str::from_utf8(stdout).map_err(|e| Invalid::Json(format!("not UTF-8: {e}")))?;
    if text.trim().is_empty() {
        return Err(Invalid::Json("no output on stdout".to_owned()));
    }
    serde_json::from_str(text).map_err(|e| Invalid::Json(e.to_string()))
}

fn response_type(raw: &Raw, allowed: &[ResponseType]) -> Result<ResponseType, Invalid> {
    ResponseType::parse(&raw.response)
        .filter(|r| allowed.contains(r))
        .ok_or_else(|| {
            let names: Vec<&str> = allowed.iter().map(|r| r.as_str()).collect();
            Invalid::Response(format!(
                "unknown response {:?} (expected {})",
                raw.response,
                names.join(", ")
            ))
        })
}

fn pend_error(raw: &Raw) -> PendError {
    match &raw.error {
        Some(e) => PendError {
            code: e.code,
            message: if e.message.is_empty() {
                "component answered error_pend".to_owned()
            } else {
                e.message.clone()
            },
            details: e.details.clone(),
            is_retryable: e.retryable,
        },
        None => PendError::new(0, "component answered error_pend", ""),
    }
}

/// Reads a task's answer. `known` are the case's variables (their types win).
pub fn task_response(
    stdout: &[u8],
    known: &Variables,
    error_basket: &str,
) -> Result<TaskResponse, Invalid> {
    let raw = parse_raw(stdout)?;
    let urt = response_type(
        &raw,
        &[
            ResponseType::OkProceed,
            ResponseType::OkPend,
            ResponseType::OkPendEor,
            ResponseType::ErrorPend,
        ],
    )?;
    let variables = variables(&raw, known)?;
    let basket = raw.workbasket.clone().unwrap_or_default();
    let response = match urt {
        ResponseType::OkProceed => TaskResponse::proceed(),
        ResponseType::OkPend | ResponseType::OkPendEor if basket.is_empty() => {
            return Err(Invalid::Content(format!(
                "response {} needs a \"workbasket\"",
                urt.as_str()
            )));
        }
        ResponseType::OkPend => TaskResponse::pend(&basket),
        ResponseType::OkPendEor => TaskResponse::pend_eor(&basket),
        ResponseType::ErrorPend => {
            let basket = if basket.is_empty() {
                error_basket
            } else {
                &basket
            };
            TaskResponse::error_pend(basket, pend_error(&raw))
        }
    };
    let response = match raw.ticket.as_deref() {
        Some(ticket) if !ticket.is_empty() => response.with_ticket(ticket),
        _ => response,
    };
    Ok(response.with_variables(variables))
}

/// Reads a route's answer.
pub fn route_response(
    stdout: &[u8],
    known: &Variables,
    error_basket: &str,
) -> Result<RouteResponse, Invalid> {
    let raw = parse_raw(stdout)?;
    let urt = response_type(&raw, &[ResponseType::OkProceed, ResponseType::ErrorPend])?;
    let variables = variables(&raw, known)?;
    let mut response = match urt {
        ResponseType::ErrorPend => {
            let basket = raw
                .workbasket
                .clone()
                .filter(|b| !b.is_empty())
                .unwrap_or_else(|| error_basket.to_owned());
            RouteResponse::error_pend(&basket, pend_error(&raw))
        }
        _ => match &raw.branches {
            Some(branches) if !branches.is_empty() => RouteResponse::branches(branches.clone()),
            _ => {
                return Err(Invalid::Content(
                    "a route must answer \"branches\": [\"name\", ...]".to_owned(),
                ));
            }
        },
    };
    response.variables = variables;
    Ok(response)
}

fn variables(raw: &Raw, known: &Variables) -> Result<Vec<Variable>, Invalid> {
    let Some(map) = &raw.variables else {
        return Ok(Vec::new());
    };
    map.iter()
        .map(|(name, value)| {
            let ty = known
                .get(name)
                .map(VarValue::var_type)
                .unwrap_or_else(|| infer_type(value));
            VarValue::parse(ty, value)
                .map(|v| Variable::new(name.clone(), v))
                .map_err(|e| Invalid::Content(format!("variable {name}: {e}")))
        })
        .collect()
}

/// The type of a new variable from its JSON value.
pub fn infer_type(value: &Value) -> VarType {
    match value {
        Value::String(_) => VarType::String,
        Value::Bool(_) => VarType::Boolean,
        Value::Number(n) if n.is_i64() => VarType::Long,
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_string) => {
            VarType::ListOfString
        }
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_boolean) => {
            VarType::ListOfBoolean
        }
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_i64) => {
            VarType::ListOfLong
        }
        Value::Array(_) => VarType::ListOfObject,
        _ => VarType::Object,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn vars() -> Variables {
        [Variable::new("count", VarValue::Integer(1))]
            .into_iter()
            .collect()
    }

    #[test]
    fn task_answers_parse() {
        let r = task_response(
            br#"{"response":"ok_pend","workbasket":"wb","ticket":"t","variables":{"count":5,"ok":true,"tags":["a"]}}"#,
            &vars(),
            "err",
        )
        .unwrap();
        assert_eq!(r.response, ResponseType::OkPend);
        assert_eq!(r.workbasket, "wb");
        assert_eq!(r.ticket, "t");
        assert_eq!(
            r.variables,
            vec![
                Variable::new("count", VarValue::Integer(5)),
                Variable::new("ok", VarValue::Boolean(true)),
                Variable::new("tags", VarValue::ListOfString(vec!["a".into()])),
            ]
        );
        let e = task_response(
            br#"{"response":"error_pend","error":{"code":7,"message":"m"}}"#,
            &vars(),
            "err",
        )
        .unwrap();
        assert_eq!(
            (
                e.workbasket.as_str(),
                e.error.code,
                e.error.message.as_str()
            ),
            ("err", 7, "m")
        );
    }

    #[test]
    fn bad_answers_are_classified() {
        assert!(matches!(
            task_response(b"hello", &vars(), "e"),
            Err(Invalid::Json(_))
        ));
        assert!(matches!(
            task_response(b"  \n", &vars(), "e"),
            Err(Invalid::Json(_))
        ));
        assert!(matches!(
            task_response(br#"{"response":"maybe"}"#, &vars(), "e"),
            Err(Invalid::Response(m)) if m.contains("\"maybe\"")
        ));
        assert!(matches!(
            task_response(br#"{"response":"ok_pend"}"#, &vars(), "e"),
            Err(Invalid::Content(_))
        ));
        assert!(matches!(
            task_response(br#"{"response":"ok_proceed","variables":{"count":"x"}}"#, &vars(), "e"),
            Err(Invalid::Content(m)) if m.contains("count")
        ));
        assert!(matches!(
            route_response(br#"{"response":"ok_pend","workbasket":"w"}"#, &vars(), "e"),
            Err(Invalid::Response(_))
        ));
        assert!(matches!(
            route_response(br#"{"response":"ok_proceed"}"#, &vars(), "e"),
            Err(Invalid::Content(_))
        ));
    }

    #[test]
    fn new_variable_types_come_from_json() {
        assert_eq!(infer_type(&json!(1.5)), VarType::Object);
        assert_eq!(infer_type(&json!([1, 2])), VarType::ListOfLong);
        assert_eq!(infer_type(&json!([1, "a"])), VarType::ListOfObject);
        assert_eq!(infer_type(&json!({"a": 1})), VarType::Object);
    }
}
