//! The mapping between store records (journey, SLA, process info, audit records, milestones)
//! and rows of the PostgreSQL schema, as pure functions over plain row structs.
//!
//! `PgStore` writes and reads through these functions; migrate-files bulk-loads a file store
//! with [`rows_for_case`] (COPY), so both paths produce the same rows. Conventions:
//! record keys as in the file store, `ts` columns in epoch ms, an empty text is
//! stored as NULL and read back as `""`, enums in their lower-case document spelling.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::{
    AuditRecord, ExecPath, JourneyRecord, MilestoneType, PathStatus, PendError, ProcessInfo,
    ResponseType, Sla, VarType, VarValue, Variable, counter_key, journey_key, process_info_key,
};
use crate::store::{CaseStatus, CaseSummary, Error, MilestoneChange, QueuedMilestone};

/// `milestone.status` of a milestone waiting to fall due.
pub const ENQUEUED: &str = "enqueued";
/// `milestone.status` of a milestone the engine cancelled.
pub const DEQUEUED: &str = "dequeued";

fn text(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

fn untext(s: Option<String>) -> String {
    s.unwrap_or_default()
}

/// A `workflow_definition` row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DefinitionRow {
    pub hibid: String,
    pub case_id: String,
    pub ts: Option<i64>,
    pub def_name: Option<String>,
    pub def_version: Option<String>,
    /// The journey text as given.
    pub flow_json: Option<String>,
    /// The SLA as `{"milestones":[...]}`.
    pub sla_json: Option<String>,
}

/// A `step` row: one per unit of the journey (routes too, as in the Java model).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepRow {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub next_step: Option<String>,
    pub component_name: Option<String>,
    pub user_data: Option<String>,
}

/// A `route` row with its `route_branch` rows (their `route_id` is known only once the route
/// row is inserted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteRow {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub component_name: Option<String>,
    pub join_name: Option<String>,
    pub user_data: Option<String>,
    pub branches: Vec<RouteBranchRow>,
}

/// A `route_branch` row without its `route_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteBranchRow {
    pub name: String,
    pub next_step: Option<String>,
}

/// The rows of a case's journey.
#[derive(Debug, Clone, PartialEq)]
pub struct DefinitionRows {
    pub definition: DefinitionRow,
    pub steps: Vec<StepRow>,
    pub routes: Vec<RouteRow>,
}

/// A `workflow_info` row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InfoRow {
    pub hibid: String,
    pub case_id: String,
    pub ts: Option<i64>,
    pub is_complete: Option<bool>,
    pub pend_exec_path: Option<String>,
    pub last_executed_step: Option<String>,
    pub last_executed_comp_name: Option<String>,
    pub ticket: Option<String>,
    pub journey_name: Option<String>,
    pub ticket_urt: Option<String>,
    #[serde(default)]
    pub is_pend_at_same_step: bool,
    pub last_pend_workbasket: Option<String>,
    pub last_pend_step: Option<String>,
    pub branches: Option<Value>,
    pub started_ts: Option<i64>,
    pub completed_ts: Option<i64>,
}

/// An `exec_path` row (its `workflow_info_hibid` is the case's [`InfoRow::hibid`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExecPathRow {
    pub name: String,
    pub status: Option<String>,
    pub step: Option<String>,
    pub unit_response_type: Option<String>,
    pub pend_workbasket: Option<String>,
    pub prev_pend_workbasket: Option<String>,
    pub error_code: Option<i32>,
    pub error_desc: Option<String>,
    pub comp_name: Option<String>,
    pub ticket: Option<String>,
    pub error_details: Option<String>,
    pub error_retryable: Option<bool>,
    pub tbc_sla_workbasket: Option<String>,
    #[serde(default)]
    pub wfctl_visit: i64,
    #[serde(default)]
    pub wfctl_interrupted_starts: i32,
}

/// A `process_variable_value` row (owned by the case's one `workflow_variables` row).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariableRow {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub value_string: Option<String>,
    pub value_long: Option<i64>,
    pub value_boolean: Option<bool>,
    pub value_double: Option<f64>,
    /// `object` and `list_of_*` values.
    pub value_json: Option<Value>,
}

/// The rows of a process-info document.
#[derive(Debug, Clone, PartialEq)]
pub struct InfoRows {
    pub info: InfoRow,
    pub exec_paths: Vec<ExecPathRow>,
    pub variables: Vec<VariableRow>,
}

/// An `audit_log` row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    pub case_id: String,
    pub sequence: i32,
    pub step_name: Option<String>,
    pub ts: Option<i64>,
    /// The process-info document at that moment.
    pub log_data: Option<Value>,
}

/// A `milestone` row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MilestoneRow {
    pub case_id: Option<String>,
    pub name: String,
    /// Due time (epoch ms).
    pub target_ts: Option<i64>,
    /// When it was dequeued or fired.
    pub actual_ts: Option<i64>,
    pub status: Option<String>,
    pub sla_minutes: Option<i32>,
    /// The basket whose entry/exit set it up (NULL for case-level setups).
    pub work_basket_name: Option<String>,
    pub setup_on: Option<String>,
    pub milestone_type: Option<String>,
    pub action: Option<String>,
    pub user_data: Option<String>,
    /// The milestone JSON as in the SLA.
    pub details: Option<Value>,
    /// When it was set up (epoch ms).
    pub enqueued_ts: Option<i64>,
}

/// A `workflow_counters` row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterRow {
    pub name: String,
    pub value: i64,
}

/// Every row of one case, for a bulk load.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRows {
    pub definition: DefinitionRows,
    pub info: Option<InfoRows>,
    pub audits: Vec<AuditRow>,
    pub milestones: Vec<MilestoneRow>,
    pub counter: Option<CounterRow>,
}

/// The rows of a case's journey and SLA.
pub fn definition_rows(
    case_id: &str,
    journey: &JourneyRecord,
    sla: Option<&Sla>,
    ts: Option<i64>,
) -> DefinitionRows {
    let units = &journey.journey.units;
    DefinitionRows {
        definition: DefinitionRow {
            hibid: journey_key(case_id),
            case_id: case_id.to_owned(),
            ts,
            def_name: Some(journey.journey.name.clone()),
            def_version: None,
            flow_json: Some(journey.text.clone()),
            sla_json: sla.map(Sla::to_json),
        },
        steps: units
            .iter()
            .map(|u| StepRow {
                name: u.name.clone(),
                kind: u.kind.as_str().to_owned(),
                next_step: u.next.clone(),
                component_name: u.component.clone(),
                user_data: u.user_data.clone(),
            })
            .collect(),
        routes: units
            .iter()
            .filter(|u| u.kind.is_route())
            .map(|u| RouteRow {
                name: u.name.clone(),
                kind: u.kind.as_str().to_owned(),
                component_name: u.component.clone(),
                join_name: None,
                user_data: u.user_data.clone(),
                branches: u
                    .branches
                    .iter()
                    .flatten()
                    .map(|b| RouteBranchRow {
                        name: b.name.clone(),
                        next_step: Some(b.next.clone()),
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn unstorable(what: String, reason: impl ToString) -> Error {
    Error::Unstorable {
        what,
        reason: reason.to_string(),
    }
}

/// The rows of a process-info document. `started_ts` is the document's `ts` and
/// `completed_ts` is set when complete; the save statement keeps the first values instead.
pub fn info_rows(
    case_id: &str,
    journey_name: Option<&str>,
    info: &ProcessInfo,
) -> Result<InfoRows, Error> {
    let exec_paths = info
        .exec_paths
        .iter()
        .map(|p| exec_path_row(case_id, p))
        .collect::<Result<_, _>>()?;
    Ok(InfoRows {
        info: InfoRow {
            hibid: process_info_key(case_id),
            case_id: case_id.to_owned(),
            ts: Some(info.ts),
            is_complete: Some(info.is_complete),
            pend_exec_path: text(&info.pend_exec_path),
            last_executed_step: text(&info.last_executed_step),
            last_executed_comp_name: text(&info.last_executed_comp_name),
            ticket: text(&info.ticket),
            journey_name: journey_name.map(str::to_owned),
            ticket_urt: info.ticket_urt.map(|u| u.as_str().to_owned()),
            is_pend_at_same_step: info.is_pend_at_same_step,
            last_pend_workbasket: text(&info.last_pend_workbasket),
            last_pend_step: text(&info.last_pend_step),
            branches: info.branches.as_ref().map(|b| Value::from(b.clone())),
            started_ts: Some(info.ts),
            completed_ts: info.is_complete.then_some(info.ts),
        },
        exec_paths,
        variables: info.process_variables.iter().map(variable_row).collect(),
    })
}

fn exec_path_row(case_id: &str, p: &ExecPath) -> Result<ExecPathRow, Error> {
    let error = &p.pend_error;
    let code = if error.is_empty() {
        None
    } else {
        Some(i32::try_from(error.code).map_err(|_| {
            unstorable(
                format!(
                    "pend error code of exec path {:?} of case {case_id}",
                    p.name
                ),
                format!("{} does not fit exec_path.error_code (integer)", error.code),
            )
        })?)
    };
    let recorded = !error.is_empty();
    Ok(ExecPathRow {
        name: p.name.clone(),
        status: Some(
            match p.status {
                PathStatus::Started => "started",
                PathStatus::Completed => "completed",
            }
            .to_owned(),
        ),
        step: text(&p.step),
        unit_response_type: p.unit_response_type.map(|u| u.as_str().to_owned()),
        pend_workbasket: text(&p.pend_workbasket),
        prev_pend_workbasket: text(&p.prev_pend_workbasket),
        error_code: code,
        error_desc: text(&error.message),
        comp_name: text(&p.comp_name),
        ticket: text(&p.ticket),
        error_details: text(&error.details),
        error_retryable: recorded.then_some(error.is_retryable),
        tbc_sla_workbasket: text(&p.tbc_sla_workbasket),
        wfctl_visit: i64::try_from(p.visit).unwrap_or(i64::MAX),
        wfctl_interrupted_starts: i32::try_from(p.interrupted_starts).unwrap_or(i32::MAX),
    })
}

fn variable_row(v: Variable) -> VariableRow {
    let mut row = VariableRow {
        kind: Some(v.value.var_type().as_str().to_owned()),
        name: v.name,
        value_string: None,
        value_long: None,
        value_boolean: None,
        value_double: None,
        value_json: None,
    };
    match v.value {
        VarValue::String(s) => row.value_string = Some(s),
        VarValue::Boolean(b) => row.value_boolean = Some(b),
        VarValue::Long(n) => row.value_long = Some(n),
        VarValue::Integer(n) => row.value_long = Some(i64::from(n)),
        other => row.value_json = Some(other.to_document_value()),
    }
    row
}

/// The process-info document from its rows (exec paths in any order).
pub fn process_info_from_rows(
    info: InfoRow,
    paths: Vec<ExecPathRow>,
    variables: Vec<VariableRow>,
) -> Result<ProcessInfo, String> {
    let mut exec_paths = paths
        .into_iter()
        .map(exec_path_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    exec_paths.sort_by(|a, b| a.name.cmp(&b.name));
    let process_variables = variables
        .into_iter()
        .map(variable_from_row)
        .collect::<Result<_, _>>()?;
    Ok(ProcessInfo {
        last_executed_step: untext(info.last_executed_step),
        last_executed_comp_name: untext(info.last_executed_comp_name),
        pend_exec_path: untext(info.pend_exec_path),
        ts: info.ts.unwrap_or(0),
        is_complete: info.is_complete.unwrap_or(false),
        process_variables,
        exec_paths,
        ticket: untext(info.ticket),
        branches: info
            .branches
            .map(serde_json::from_value)
            .transpose()
            .map_err(|e| format!("workflow_info.branches: {e}"))?,
        is_pend_at_same_step: info.is_pend_at_same_step,
        ticket_urt: response_type(info.ticket_urt, "workflow_info.ticket_urt")?,
        last_pend_workbasket: untext(info.last_pend_workbasket),
        last_pend_step: untext(info.last_pend_step),
    })
}

fn response_type(value: Option<String>, column: &str) -> Result<Option<ResponseType>, String> {
    value
        .map(|s| ResponseType::parse(&s).ok_or_else(|| format!("{column}: unknown value {s:?}")))
        .transpose()
}

fn exec_path_from_row(row: ExecPathRow) -> Result<ExecPath, String> {
    let status = match row.status.as_deref() {
        Some("started") => PathStatus::Started,
        Some("completed") => PathStatus::Completed,
        other => {
            return Err(format!(
                "exec_path {:?}: unknown status {other:?}",
                row.name
            ));
        }
    };
    let pend_error = if row.error_code.is_none()
        && row.error_desc.is_none()
        && row.error_details.is_none()
        && row.error_retryable.is_none()
    {
        PendError::default()
    } else {
        PendError {
            code: i64::from(row.error_code.unwrap_or(0)),
            message: untext(row.error_desc),
            details: untext(row.error_details),
            is_retryable: row.error_retryable.unwrap_or(false),
        }
    };
    Ok(ExecPath {
        unit_response_type: response_type(
            row.unit_response_type,
            &format!("exec_path {:?} unit_response_type", row.name),
        )?,
        name: row.name,
        status,
        step: untext(row.step),
        comp_name: untext(row.comp_name),
        pend_workbasket: untext(row.pend_workbasket),
        ticket: untext(row.ticket),
        pend_error,
        prev_pend_workbasket: untext(row.prev_pend_workbasket),
        tbc_sla_workbasket: untext(row.tbc_sla_workbasket),
        visit: u64::try_from(row.wfctl_visit).unwrap_or(0),
        interrupted_starts: u32::try_from(row.wfctl_interrupted_starts).unwrap_or(0),
    })
}

fn variable_from_row(row: VariableRow) -> Result<Variable, String> {
    let kind = row.kind.as_deref().unwrap_or_default();
    let ty = VarType::parse(kind)
        .ok_or_else(|| format!("variable {:?}: unknown type {kind:?}", row.name))?;
    let missing = |column: &str| format!("variable {:?}: {column} is NULL", row.name);
    let value = match ty {
        VarType::String => VarValue::String(row.value_string.clone().unwrap_or_default()),
        VarType::Boolean => {
            VarValue::Boolean(row.value_boolean.ok_or_else(|| missing("value_boolean"))?)
        }
        VarType::Long => VarValue::Long(row.value_long.ok_or_else(|| missing("value_long"))?),
        VarType::Integer => {
            let n = row.value_long.ok_or_else(|| missing("value_long"))?;
            VarValue::Integer(
                i32::try_from(n)
                    .map_err(|_| format!("variable {:?}: {n} is not an integer", row.name))?,
            )
        }
        // JSON null is an object value like any other; it may come back as SQL NULL
        VarType::Object => VarValue::Object(row.value_json.clone().unwrap_or(Value::Null)),
        _ => {
            let json = row
                .value_json
                .as_ref()
                .ok_or_else(|| missing("value_json"))?;
            VarValue::parse(ty, json).map_err(|e| format!("variable {:?}: {e}", row.name))?
        }
    };
    Ok(Variable::new(row.name, value))
}

/// The `audit_log` row of a record.
pub fn audit_row(
    case_id: &str,
    seq: u64,
    unit: &str,
    document: &ProcessInfo,
) -> Result<AuditRow, Error> {
    let sequence = i32::try_from(seq).map_err(|_| {
        unstorable(
            format!("audit record {seq} of case {case_id}"),
            "the sequence does not fit audit_log.sequence (integer)",
        )
    })?;
    Ok(AuditRow {
        case_id: case_id.to_owned(),
        sequence,
        step_name: Some(unit.to_owned()),
        ts: Some(document.ts),
        log_data: Some(document.to_document()),
    })
}

/// The record of an `audit_log` row.
pub fn audit_from_row(row: AuditRow) -> Result<AuditRecord, String> {
    let seq = u64::try_from(row.sequence).map_err(|_| format!("sequence {}", row.sequence))?;
    let data = row.log_data.ok_or("log_data is NULL")?;
    Ok(AuditRecord {
        document: ProcessInfo::from_document(data).map_err(|e| format!("log_data: {e}"))?,
        case_id: row.case_id,
        seq,
        unit: untext(row.step_name),
    })
}

/// The `milestone` row of a queued milestone.
pub fn milestone_row(
    case_id: &str,
    queued: &QueuedMilestone,
    status: &str,
    actual_ts: Option<i64>,
) -> MilestoneRow {
    let m = &queued.milestone;
    MilestoneRow {
        case_id: Some(case_id.to_owned()),
        name: m.name.clone().unwrap_or_default(),
        target_ts: queued.due_at,
        actual_ts,
        status: Some(status.to_owned()),
        sla_minutes: queued
            .due_at
            .and_then(|due| i32::try_from((due - queued.enqueued_at) / 60_000).ok()),
        work_basket_name: queued.work_basket.clone(),
        setup_on: Some(m.setup_on.as_str().to_owned()),
        milestone_type: Some(m.kind.as_str().to_owned()),
        action: m.action.clone(),
        user_data: m.userdata.clone(),
        details: Some(serde_json::to_value(m).expect("a milestone always serialises")),
        enqueued_ts: Some(queued.enqueued_at),
    }
}

/// The queued milestone of a `milestone` row.
pub fn queued_from_row(row: MilestoneRow) -> Result<QueuedMilestone, String> {
    let details = row
        .details
        .ok_or_else(|| format!("milestone {:?}: details is NULL", row.name))?;
    Ok(QueuedMilestone {
        milestone: serde_json::from_value(details)
            .map_err(|e| format!("milestone {:?}: details: {e}", row.name))?,
        work_basket: row.work_basket_name,
        enqueued_at: row.enqueued_ts.unwrap_or(0),
        due_at: row.target_ts,
    })
}

/// What one persistence point does to the `milestone` table: rows to insert (with the status
/// the later changes of the same point gave them) and the dequeues of rows already stored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MilestoneOps {
    pub insert: Vec<MilestoneRow>,
    pub dequeue_all: bool,
    pub dequeue_baskets: Vec<String>,
}

/// Turns ordered milestone changes into set operations (one SQL statement sees one snapshot,
/// so a dequeue cannot see rows enqueued by the same statement: it is applied here instead).
pub fn milestone_ops(case_id: &str, changes: &[MilestoneChange], now: i64) -> MilestoneOps {
    let mut ops = MilestoneOps::default();
    let mut new: Vec<(&QueuedMilestone, bool)> = Vec::new();
    for change in changes {
        match change {
            MilestoneChange::Enqueue(items) => new.extend(items.iter().map(|q| (q, true))),
            MilestoneChange::DequeueWorkBasket(basket) => {
                for (q, waiting) in &mut new {
                    if q.milestone.kind == MilestoneType::WorkBasket
                        && q.milestone.work_basket_name.as_deref() == Some(basket.as_str())
                    {
                        *waiting = false;
                    }
                }
                if !ops.dequeue_baskets.contains(basket) {
                    ops.dequeue_baskets.push(basket.clone());
                }
            }
            MilestoneChange::DequeueAll => {
                new.iter_mut().for_each(|(_, waiting)| *waiting = false);
                ops.dequeue_all = true;
            }
        }
    }
    ops.insert = new
        .into_iter()
        .map(|(q, waiting)| {
            let (status, actual) = if waiting {
                (ENQUEUED, None)
            } else {
                (DEQUEUED, Some(now))
            };
            milestone_row(case_id, q, status, actual)
        })
        .collect();
    ops
}

/// One row of the case listing query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryRow {
    pub case_id: String,
    pub journey_name: Option<String>,
    pub has_info: bool,
    pub is_complete: Option<bool>,
    pub pend_exec_path: Option<String>,
    pub last_executed_step: Option<String>,
    pub ts: Option<i64>,
    /// The pend exec path's row, when the case is pended on an existing path.
    pub path_name: Option<String>,
    pub pend_workbasket: Option<String>,
    pub path_step: Option<String>,
    /// Whether wfctl's cancel columns are set.
    #[serde(default)]
    pub cancelled: bool,
}

/// The summary of a listing row, the same as [`CaseSummary::new`] gives for the records.
pub fn summary_from_row(row: SummaryRow) -> CaseSummary {
    let journey_name = untext(row.journey_name);
    if !row.has_info {
        return CaseSummary::new(&row.case_id, &journey_name, None);
    }
    let pend_exec_path = untext(row.pend_exec_path);
    let status = if row.is_complete.unwrap_or(false) {
        CaseStatus::Completed
    } else if pend_exec_path.is_empty() {
        CaseStatus::Running
    } else {
        CaseStatus::Pended
    };
    let mut summary = CaseSummary {
        case_id: row.case_id,
        journey_name,
        status,
        pend_exec_path: String::new(),
        pend_workbasket: String::new(),
        step: untext(row.last_executed_step),
        updated_at: row.ts.unwrap_or(0),
    };
    if let Some(name) = row.path_name {
        summary.pend_exec_path = name;
        summary.pend_workbasket = untext(row.pend_workbasket);
        summary.step = untext(row.path_step);
    }
    summary.cancelled_if(row.cancelled)
}

/// Every row of one case, for a bulk load (migrate-files). The definition's `ts` and the
/// info's `started_ts` are the time of the first audit record (else the process info's).
pub fn rows_for_case(
    case_id: &str,
    journey: &JourneyRecord,
    sla: Option<&Sla>,
    info: Option<&ProcessInfo>,
    audits: &[AuditRecord],
    milestones: &[QueuedMilestone],
) -> Result<CaseRows, Error> {
    let started = audits
        .iter()
        .map(|a| a.document.ts)
        .min()
        .or(info.map(|i| i.ts));
    let info = info
        .map(|info| {
            let mut rows = info_rows(case_id, Some(&journey.journey.name), info)?;
            rows.info.started_ts = started;
            Ok::<_, Error>(rows)
        })
        .transpose()?;
    let audit_rows = audits
        .iter()
        .map(|a| audit_row(case_id, a.seq, &a.unit, &a.document))
        .collect::<Result<Vec<_>, _>>()?;
    let last_seq = audits.iter().map(|a| a.seq).max();
    Ok(CaseRows {
        definition: definition_rows(case_id, journey, sla, started),
        info,
        audits: audit_rows,
        milestones: milestones
            .iter()
            .map(|q| milestone_row(case_id, q, ENQUEUED, None))
            .collect(),
        counter: last_seq.map(|seq| CounterRow {
            name: counter_key(case_id),
            value: i64::try_from(seq).unwrap_or(i64::MAX),
        }),
    })
}

#[cfg(test)]
mod tests;
