//! How case results look: key/value tables for one case, painted statuses, times.

use serde::Serialize;
use wfctl::conventions::empty_as_null;
use wfctl::engine::{Outcome, OutcomeStatus};
use wfctl::model::{PendError, ResponseType};
use wfctl::store::{CaseStatus, QueuedMilestone};

use crate::cli::Output;

/// What `case start/resume/reopen/change-workbasket/set-var` print with `--json`: the
/// engine's outcome plus the units this call ran.
#[derive(Debug, Serialize)]
pub(crate) struct CallReport<'a> {
    case_id: &'a str,
    status: &'static str,
    pend: Option<PendView<'a>>,
    units_executed: u64,
    warnings: &'a [String],
    units: &'a [String],
}

/// Where a pended case waits, in the JSON conventions (`work_basket`, `null` for absent).
#[derive(Debug, Serialize)]
struct PendView<'a> {
    exec_path: &'a str,
    step: &'a str,
    component: &'a str,
    work_basket: &'a str,
    response: Option<&'static str>,
    error: Option<ErrorView<'a>>,
    #[serde(serialize_with = "empty_as_null")]
    ticket: &'a str,
}

/// The error of an error pend.
#[derive(Debug, Serialize)]
pub(crate) struct ErrorView<'a> {
    pub(crate) code: i64,
    pub(crate) message: &'a str,
    #[serde(serialize_with = "empty_as_null")]
    pub(crate) details: &'a str,
    pub(crate) is_retryable: bool,
}

impl<'a> ErrorView<'a> {
    /// `None` when there is no error.
    pub(crate) fn of(error: &'a PendError) -> Option<Self> {
        (!error.is_empty()).then_some(Self {
            code: error.code,
            message: &error.message,
            details: &error.details,
            is_retryable: error.is_retryable,
        })
    }
}

impl<'a> CallReport<'a> {
    pub(crate) fn new(outcome: &'a Outcome, units: &'a [String]) -> Self {
        Self {
            case_id: &outcome.case_id,
            status: match outcome.status {
                OutcomeStatus::Completed => "completed",
                OutcomeStatus::Pended => "pended",
            },
            pend: outcome.pend.as_ref().map(|p| PendView {
                exec_path: &p.exec_path,
                step: &p.step,
                component: &p.component,
                work_basket: &p.workbasket,
                response: p.response.map(|r| r.as_str()),
                error: ErrorView::of(&p.error),
                ticket: &p.ticket,
            }),
            units_executed: outcome.units_executed,
            warnings: &outcome.warnings,
            units,
        }
    }
}

/// An epoch-ms time as JSON writes every time (empty for 0).
pub(crate) fn time(ms: i64) -> String {
    if ms == 0 {
        return String::new();
    }
    crate::cli::format::json_time_ms(ms).unwrap_or_else(|| ms.to_string())
}

/// `None` for an empty text: JSON says `null` for absent, never `""`.
pub(crate) fn non_empty(text: &str) -> Option<&str> {
    (!text.is_empty()).then_some(text)
}

/// A status word in its colour.
pub(crate) fn paint_status(out: &Output, status: &str, error: bool) -> String {
    let sgr = match status {
        _ if error => "31",
        "completed" => "32",
        "pended" => "33",
        "cancelled" => "35",
        _ => "36",
    };
    out.paint(status, sgr)
}

pub(crate) fn case_status(status: CaseStatus) -> &'static str {
    match status {
        CaseStatus::NotStarted => "not_started",
        CaseStatus::Running => "running",
        CaseStatus::Pended => "pended",
        CaseStatus::Completed => "completed",
        CaseStatus::Cancelled => "cancelled",
    }
}

/// Prints an engine call's result.
pub(crate) fn print_outcome(
    out: &Output,
    outcome: &Outcome,
    units: &[String],
) -> anyhow::Result<()> {
    if out.json() {
        out.print_json(&CallReport::new(outcome, units))?;
        return Ok(());
    }
    let mut table = out.table(["case", outcome.case_id.as_str()]);
    let status = match outcome.status {
        OutcomeStatus::Completed => "completed",
        OutcomeStatus::Pended => "pended",
    };
    let error_pend = outcome
        .pend
        .as_ref()
        .is_some_and(|p| p.response == Some(ResponseType::ErrorPend));
    table.add_row(vec![
        "status".to_owned(),
        paint_status(out, status, error_pend),
    ]);
    if let Some(pend) = &outcome.pend {
        table.add_row(vec!["work basket", pend.workbasket.as_str()]);
        table.add_row(vec!["step", pend.step.as_str()]);
        table.add_row(vec!["exec path", pend.exec_path.as_str()]);
        if let Some(r) = pend.response {
            table.add_row(vec!["response", r.as_str()]);
        }
        if !pend.error.is_empty() {
            table.add_row(vec![
                "error".to_owned(),
                out.paint(&pend.error.message, "31"),
            ]);
            if !pend.error.details.is_empty() {
                table.add_row(vec!["error details", pend.error.details.as_str()]);
            }
        }
        if !pend.ticket.is_empty() {
            table.add_row(vec!["ticket", pend.ticket.as_str()]);
        }
    }
    let ran = if units.is_empty() {
        "(none)".to_owned()
    } else {
        units.join(" → ")
    };
    table.add_row(vec![format!("units run ({})", outcome.units_executed), ran]);
    out.print_table(&table)?;
    for warning in &outcome.warnings {
        out.warn(warning);
    }
    Ok(())
}

/// A queued milestone as `case show` and `sla due` print it.
#[derive(Debug, Serialize)]
pub(crate) struct MilestoneView<'a> {
    pub(crate) name: &'a str,
    pub(crate) setup_on: &'static str,
    #[serde(rename = "type")]
    pub(crate) kind: &'static str,
    pub(crate) work_basket: Option<&'a str>,
    pub(crate) action: Option<&'a str>,
    pub(crate) userdata: Option<&'a str>,
    pub(crate) applied_at_age: Option<&'a str>,
    pub(crate) enqueued_at: String,
    pub(crate) due_at: Option<String>,
}

impl<'a> MilestoneView<'a> {
    pub(crate) fn new(q: &'a QueuedMilestone) -> Self {
        let m = &q.milestone;
        Self {
            name: m.name.as_deref().unwrap_or(""),
            setup_on: m.setup_on.as_str(),
            kind: m.kind.as_str(),
            work_basket: q.work_basket.as_deref().or(m.work_basket_name.as_deref()),
            action: m.action.as_deref(),
            userdata: m.userdata.as_deref(),
            applied_at_age: m.applied_at_age.as_deref(),
            enqueued_at: time(q.enqueued_at),
            due_at: q.due_at.map(time),
        }
    }
}
