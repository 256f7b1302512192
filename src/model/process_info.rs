//! The process-info document (the Java shape, with a readable pend error and more fields): the
//! persisted state of a case, and the content of every audit record.
//!
//! Shape: `{"process_info": {...}}` with the Java key order, lower-case enums, exec paths sorted
//! by name. Corrections: `pend_error` is `{code, message, details, is_retryable}` with the real
//! details (the Java `is_retyable` spelling is accepted when reading); non-scalar variables are
//! JSON values; `is_pend_at_same_step`, `ticket_urt` and `last_pend_*` are persisted too, and a
//! document without them reads with their defaults.

use std::fmt;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::variables::Variables;

/// A unit's response type ("urt").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseType {
    /// Continue with the next unit.
    OkProceed,
    /// Pend; resume continues after the unit.
    OkPend,
    /// Pend; resume re-runs the unit ("execute on resume").
    OkPendEor,
    /// Pend with an error; resume re-runs the unit.
    ErrorPend,
}

impl ResponseType {
    /// Document spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OkProceed => "ok_proceed",
            Self::OkPend => "ok_pend",
            Self::OkPendEor => "ok_pend_eor",
            Self::ErrorPend => "error_pend",
        }
    }

    /// Parses the document spelling (case-insensitive).
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::OkProceed,
            Self::OkPend,
            Self::OkPendEor,
            Self::ErrorPend,
        ]
        .into_iter()
        .find(|r| r.as_str().eq_ignore_ascii_case(s))
    }
}

impl fmt::Display for ResponseType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a path's thread is running (or was, at a crash) or has stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PathStatus {
    /// Running, or about to run.
    Started,
    /// Pended, joined, left because of a ticket, or reached `end`.
    Completed,
}

/// Error details recorded when a unit error-pends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PendError {
    /// Application error code (0 = none).
    pub code: i64,
    /// One-line message.
    pub message: String,
    /// Longer details (e.g. the tail of a component's stderr).
    pub details: String,
    /// Whether retrying may help.
    pub is_retryable: bool,
}

impl PendError {
    /// An error with a message and details.
    pub fn new(code: i64, message: impl Into<String>, details: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            details: details.into(),
            is_retryable: false,
        }
    }

    /// Whether nothing is recorded.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

#[derive(Serialize)]
struct PendErrorOut<'a> {
    code: String,
    message: &'a str,
    details: &'a str,
    is_retryable: bool,
}

#[derive(Deserialize)]
struct PendErrorIn {
    #[serde(default)]
    code: Value,
    #[serde(default)]
    message: String,
    #[serde(default)]
    details: String,
    #[serde(default, alias = "is_retyable")]
    is_retryable: bool,
}

impl Serialize for PendError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // the code is a string in the Java document ("0")
        PendErrorOut {
            code: self.code.to_string(),
            message: &self.message,
            details: &self.details,
            is_retryable: self.is_retryable,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for PendError {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = PendErrorIn::deserialize(deserializer)?;
        let code = match &raw.code {
            Value::Null => 0,
            Value::Number(n) => n
                .as_i64()
                .ok_or_else(|| D::Error::custom("pend_error.code is not an integer"))?,
            Value::String(s) if s.is_empty() => 0,
            Value::String(s) => s.parse().map_err(|_| {
                D::Error::custom(format!("pend_error.code {s:?} is not an integer"))
            })?,
            other => {
                return Err(D::Error::custom(format!(
                    "pend_error.code: unexpected {other}"
                )));
            }
        };
        Ok(Self {
            code,
            message: raw.message,
            details: raw.details,
            is_retryable: raw.is_retryable,
        })
    }
}

/// One execution path: the position and state of one thread of execution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecPath {
    /// `.` or `<parent><route>.<branch>.`
    pub name: String,
    /// Running or stopped.
    pub status: PathStatus,
    /// The unit about to run (response type absent) or the last unit it executed.
    pub step: String,
    /// Component of `step` (`join`/`pause`/`persist` for those units, `end` for `end`).
    #[serde(default)]
    pub comp_name: String,
    /// Basket the path pended in (`""` when not pended).
    #[serde(default)]
    pub pend_workbasket: String,
    /// Ticket raised by this path.
    #[serde(default)]
    pub ticket: String,
    /// Error details of an `error_pend`.
    #[serde(default)]
    pub pend_error: PendError,
    /// Basket of the previous pend event (SLA bookkeeping).
    #[serde(default)]
    pub prev_pend_workbasket: String,
    /// Basket whose milestones are still to be cleared (SLA bookkeeping).
    #[serde(default)]
    pub tbc_sla_workbasket: String,
    /// Response of the last unit executed; absent when the path is about to run `step`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_response_type: Option<ResponseType>,
    /// How many units this path has started, counted from the audit sequence it was created
    /// at: the next unit's idempotency key names `visit + 1`, which only the path's own
    /// thread changes, so a re-run after an interruption (parallel branches included) repeats
    /// it. A wfctl field, absent (0) in Java documents.
    #[serde(default, rename = "wfctl_visit", skip_serializing_if = "is_zero_u64")]
    pub visit: u64,
    /// Starts of the path's next unit that an interruption cut short (set by recovery): its
    /// re-run is attempt `interrupted_starts + 1`.
    #[serde(
        default,
        rename = "wfctl_interrupted_starts",
        skip_serializing_if = "is_zero_u32"
    )]
    pub interrupted_starts: u32,
}

fn is_zero_u64(n: &u64) -> bool {
    *n == 0
}

fn is_zero_u32(n: &u32) -> bool {
    *n == 0
}

impl ExecPath {
    /// A fresh running path about to run `step`.
    pub fn started(name: impl Into<String>, step: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            status: PathStatus::Started,
            step: step.into(),
            comp_name: String::new(),
            pend_workbasket: String::new(),
            ticket: String::new(),
            pend_error: PendError::default(),
            prev_pend_workbasket: String::new(),
            tbc_sla_workbasket: String::new(),
            unit_response_type: None,
            visit: 0,
            interrupted_starts: 0,
        }
    }

    /// A fresh running path created when the case's audit log reached `audit_seq`: its units'
    /// visits start above every visit an earlier path of the same name had.
    pub fn started_at(name: impl Into<String>, step: impl Into<String>, audit_seq: u64) -> Self {
        Self {
            visit: audit_seq,
            ..Self::started(name, step)
        }
    }
}

/// The persisted state of a case (body of `{"process_info": ...}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcessInfo {
    /// The unit recorded last (`""` if none).
    #[serde(default)]
    pub last_executed_step: String,
    /// Its component.
    #[serde(default)]
    pub last_executed_comp_name: String,
    /// The path the case is pended on; `""` while running or complete.
    #[serde(default)]
    pub pend_exec_path: String,
    /// Epoch milliseconds when the document was rendered.
    #[serde(default)]
    pub ts: i64,
    /// Whether an execution path reached `end`.
    pub is_complete: bool,
    /// Process variables, in name order.
    #[serde(default)]
    pub process_variables: Variables,
    /// Execution paths, sorted by name.
    #[serde(default)]
    pub exec_paths: Vec<ExecPath>,
    /// A raised ticket not yet acted on.
    #[serde(default)]
    pub ticket: String,
    /// Branches a route returned (audit records of routes only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branches: Option<Vec<String>>,
    /// New field: "pended again at the step it pended at before".
    #[serde(default)]
    pub is_pend_at_same_step: bool,
    /// New field: the response type of the task that raised `ticket`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_urt: Option<ResponseType>,
    /// New field: the pend basket seen by the last resume.
    #[serde(default)]
    pub last_pend_workbasket: String,
    /// New field: the pend step seen by the last resume.
    #[serde(default)]
    pub last_pend_step: String,
}

#[derive(Serialize)]
struct WrappedRef<'a> {
    process_info: &'a ProcessInfo,
}

#[derive(Deserialize)]
struct Wrapped {
    process_info: ProcessInfo,
}

impl ProcessInfo {
    /// The document `{"process_info": {...}}` as a JSON value.
    pub fn to_document(&self) -> Value {
        serde_json::to_value(WrappedRef { process_info: self })
            .expect("process info always serialises")
    }

    /// The document as pretty JSON text.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(&WrappedRef { process_info: self })
            .expect("process info always serialises")
    }

    /// Reads a document `{"process_info": {...}}`.
    pub fn from_document(value: Value) -> Result<Self, serde_json::Error> {
        let mut info = serde_json::from_value::<Wrapped>(value)?.process_info;
        info.exec_paths.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(info)
    }

    /// Reads document text.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        Self::from_document(serde_json::from_str(text)?)
    }

    /// An exec path by name.
    pub fn exec_path(&self, name: &str) -> Option<&ExecPath> {
        self.exec_paths.iter().find(|p| p.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::variables::{VarValue, Variable};
    use serde_json::json;

    fn sample() -> ProcessInfo {
        let mut failed = ExecPath::started(".route_1.2.", "step_2_2");
        failed.status = PathStatus::Completed;
        failed.comp_name = "c22".into();
        failed.pend_workbasket = "wb_err".into();
        failed.prev_pend_workbasket = "wb_err".into();
        failed.pend_error = PendError::new(42, "boom", "stderr tail\nline 2");
        failed.unit_response_type = Some(ResponseType::ErrorPend);
        ProcessInfo {
            last_executed_step: "step_2_2".into(),
            last_executed_comp_name: "c22".into(),
            pend_exec_path: ".route_1.2.".into(),
            ts: 1_795_481_618_378,
            is_complete: false,
            process_variables: [
                Variable::new("cnt", VarValue::Integer(3)),
                Variable::new("obj", VarValue::Object(json!({"k": [1, "x"]}))),
            ]
            .into_iter()
            .collect(),
            exec_paths: vec![ExecPath::started(".", "route_1"), failed],
            ticket: String::new(),
            branches: Some(vec!["1".into(), "2".into()]),
            is_pend_at_same_step: true,
            ticket_urt: Some(ResponseType::OkPend),
            last_pend_workbasket: "wb_1".into(),
            last_pend_step: "step_1".into(),
        }
    }

    #[test]
    fn document_round_trips() {
        let info = sample();
        assert_eq!(
            ProcessInfo::from_json(&info.to_json_pretty()).unwrap(),
            info
        );
        assert_eq!(
            ProcessInfo::from_document(info.to_document()).unwrap(),
            info
        );
    }

    #[test]
    fn pend_error_is_written_with_real_details_and_correct_key() {
        let doc = sample().to_document();
        assert_eq!(
            doc["process_info"]["exec_paths"][1]["pend_error"],
            json!({"code": "42", "message": "boom", "details": "stderr tail\nline 2", "is_retryable": false})
        );
        assert_eq!(
            doc["process_info"]["exec_paths"][1]["unit_response_type"],
            "error_pend"
        );
        assert!(
            doc["process_info"]["exec_paths"][0]
                .get("unit_response_type")
                .is_none()
        );
    }

    #[test]
    fn java_documents_without_new_fields_are_read() {
        let java = json!({"process_info": {
            "last_executed_step": "step2", "last_executed_comp_name": "c2", "pend_exec_path": ".",
            "ts": 1, "is_complete": false,
            "process_variables": [{"name": "cnt", "value": "3", "type": "integer"}],
            "exec_paths": [{"name": ".", "status": "completed", "step": "step2", "comp_name": "c2",
                "pend_workbasket": "wb_1", "ticket": "",
                "pend_error": {"code": "0", "message": "", "details": "", "is_retyable": true},
                "prev_pend_workbasket": "wb_1", "tbc_sla_workbasket": "", "unit_response_type": "error_pend"}],
            "ticket": ""}});
        let info = ProcessInfo::from_document(java).unwrap();
        assert!(info.exec_paths[0].pend_error.is_retryable);
        assert!(!info.is_pend_at_same_step);
        assert_eq!(info.ticket_urt, None);
        assert_eq!(
            info.process_variables.get("cnt"),
            Some(&VarValue::Integer(3))
        );
    }
}
