//! `case show ID`: status, where the case waits, variables, exec paths, queued milestones.

use serde::Serialize;
use wfctl::conventions::empty_as_null;
use wfctl::model::{ExecPath, ProcessInfo, Variables};
use wfctl::store::{self, CaseFilter, CaseQuery, CaseStatus, CaseSummary, LockWait, Store};

use super::cancel::CancelView;
use super::render::{ErrorView, MilestoneView, case_status, paint_status, time};
use super::run::ensure_exists;
use crate::cli::runtime::open_store;
use crate::cli::{Context, Output};

/// `case show --json`.
#[derive(Debug, Serialize)]
struct CaseView<'a> {
    case_id: &'a str,
    journey: &'a str,
    status: &'static str,
    #[serde(rename = "work_basket", serialize_with = "empty_as_null")]
    workbasket: &'a str,
    #[serde(serialize_with = "empty_as_null")]
    step: &'a str,
    #[serde(serialize_with = "empty_as_null")]
    pend_exec_path: &'a str,
    #[serde(serialize_with = "empty_as_null")]
    ticket: &'a str,
    #[serde(serialize_with = "empty_as_null")]
    updated_at: String,
    /// A case left mid-run (`CaseSummary::left_mid_run`) whose case lock nobody holds: its
    /// process died at its last write (this time); `case resume` continues it. Absent:
    /// `null`, like every key.
    interrupted_since: Option<String>,
    /// Who cancelled the case, when and why (`null` unless cancelled).
    cancelled: Option<CancelView<'a>>,
    variables: &'a Variables,
    exec_paths: Vec<PathView<'a>>,
    milestones: Vec<MilestoneView<'a>>,
}

#[derive(Debug, Serialize)]
struct PathView<'a> {
    name: &'a str,
    status: &'static str,
    #[serde(serialize_with = "empty_as_null")]
    step: &'a str,
    #[serde(serialize_with = "empty_as_null")]
    component: &'a str,
    #[serde(rename = "work_basket", serialize_with = "empty_as_null")]
    workbasket: &'a str,
    response: Option<&'static str>,
    #[serde(serialize_with = "empty_as_null")]
    ticket: &'a str,
    error: Option<ErrorView<'a>>,
}

fn path_view(p: &ExecPath) -> PathView<'_> {
    PathView {
        name: &p.name,
        status: match p.status {
            wfctl::model::PathStatus::Started => "started",
            wfctl::model::PathStatus::Completed => "completed",
        },
        step: &p.step,
        component: &p.comp_name,
        workbasket: &p.pend_workbasket,
        response: p.unit_response_type.map(|r| r.as_str()),
        ticket: &p.ticket,
        error: ErrorView::of(&p.pend_error),
    }
}

pub(super) fn run(ctx: &Context, case_id: &str, reveal: bool) -> anyhow::Result<()> {
    let opened = open_store(ctx)?;
    let sensitive = crate::cli::runtime::sensitive(ctx)?;
    let sealed = wfctl::crypto::Sealed::new(
        opened.store(),
        &sensitive,
        crate::cli::runtime::view(reveal, &sensitive)?,
    );
    let store: &dyn Store = &sealed;
    ensure_exists(store, case_id)?;
    print(ctx, store, case_id, ctx.output.json())
}

/// Prints a case as `case show` does: JSON with `json`, else the tables.
pub(super) fn print(
    ctx: &Context,
    store: &dyn Store,
    case_id: &str,
    json: bool,
) -> anyhow::Result<()> {
    let journey = store
        .journey(case_id)?
        .map(|j| j.journey.name)
        .unwrap_or_default();
    let info = store.process_info(case_id)?;
    let milestones = store.milestones(case_id)?;
    let cancellation = store.cancellation(case_id)?;
    let summary =
        CaseSummary::new(case_id, &journey, info.as_ref()).cancelled_if(cancellation.is_some());
    let empty = Variables::new();
    let view = CaseView {
        case_id,
        journey: &journey,
        status: case_status(summary.status),
        workbasket: &summary.pend_workbasket,
        step: &summary.step,
        pend_exec_path: &summary.pend_exec_path,
        ticket: info.as_ref().map_or("", |i| i.ticket.as_str()),
        updated_at: time(summary.updated_at),
        interrupted_since: if is_interrupted(store, &summary)? {
            Some(time(last_write(store, &summary)?)).filter(|t| !t.is_empty())
        } else {
            None
        },
        cancelled: cancellation.as_ref().map(CancelView::new),
        variables: info.as_ref().map_or(&empty, |i| &i.process_variables),
        exec_paths: info
            .as_ref()
            .map(|i: &ProcessInfo| i.exec_paths.iter().map(path_view).collect())
            .unwrap_or_default(),
        milestones: milestones.iter().map(MilestoneView::new).collect(),
    };
    if json {
        ctx.output.print_json(&view)?;
        return Ok(());
    }
    print_human(&ctx.output, &view)
}

/// Prints a table under its title, so the tables of one case read apart.
fn print_titled(
    out: &Output,
    title: &str,
    table: &crate::cli::output::Table,
) -> anyhow::Result<()> {
    out.print(title)?;
    out.print_table(table)?;
    Ok(())
}

/// Whether `case` is left mid-run with its case lock free: no process runs it, its run was cut
/// off.
fn is_interrupted(store: &dyn Store, case: &CaseSummary) -> anyhow::Result<bool> {
    if !case.left_mid_run() {
        return Ok(false);
    }
    match store.lock_case(&case.case_id, LockWait::Try) {
        Ok(_released_at_once) => Ok(true),
        Err(store::Error::Locked { .. }) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// When `case` was last written. A case without process info (a start that died before its
/// first write) is as old as its stored journey, as the store's listing says.
fn last_write(store: &dyn Store, case: &CaseSummary) -> anyhow::Result<i64> {
    if case.status != CaseStatus::NotStarted {
        return Ok(case.updated_at);
    }
    let query = CaseQuery {
        filter: CaseFilter {
            status: Some(CaseStatus::NotStarted),
            journey_name: Some(case.journey_name.clone()),
            ..CaseFilter::default()
        },
        ..CaseQuery::default()
    };
    Ok(store
        .list_cases_lenient(&query)?
        .cases
        .iter()
        .find(|c| c.case_id == case.case_id)
        .map_or(case.updated_at, |c| c.updated_at))
}

fn print_human(out: &Output, v: &CaseView<'_>) -> anyhow::Result<()> {
    let error = v
        .exec_paths
        .iter()
        .any(|p| p.name == v.pend_exec_path && p.error.is_some());
    let mut table = out.table(["case", v.case_id]);
    table.add_row(vec!["journey", v.journey]);
    table.add_row(vec![
        "status".to_owned(),
        paint_status(out, v.status, error),
    ]);
    let updated = crate::cli::format::table_time_of(&v.updated_at);
    for (key, value) in [
        ("work basket", v.workbasket),
        ("step", v.step),
        ("pend exec path", v.pend_exec_path),
        ("ticket", v.ticket),
        ("updated", updated.as_str()),
    ] {
        if !value.is_empty() {
            table.add_row(vec![key, value]);
        }
    }
    if let Some(since) = &v.interrupted_since {
        let since = crate::cli::format::table_time_of(since);
        table.add_row(vec![
            "interrupted".to_owned(),
            out.paint(
                &format!(
                    "since {since}: no process holds its case lock (case resume continues it)"
                ),
                "33",
            ),
        ]);
    }
    if let Some(c) = &v.cancelled {
        let at = crate::cli::format::table_time_of(&c.at);
        table.add_row(vec![
            "cancelled".to_owned(),
            out.paint(&format!("{at} by {}: {}", c.by, c.reason), "35"),
        ]);
    }
    print_titled(out, "Case", &table)?;
    if !v.variables.is_empty() {
        let mut vars = out.table(["variable", "type", "value"]);
        for var in v.variables.iter() {
            vars.add_row(vec![
                var.name.clone(),
                var.value.var_type().as_str().to_owned(),
                var.value.as_text(),
            ]);
        }
        print_titled(out, &format!("\nVariables ({})", v.variables.len()), &vars)?;
    }
    if !v.exec_paths.is_empty() {
        let mut paths = out.table([
            "exec path",
            "status",
            "step",
            "work basket",
            "response",
            "error",
        ]);
        for p in &v.exec_paths {
            let error = p.error.as_ref().map_or(String::new(), |e| {
                if e.details.is_empty() {
                    e.message.to_owned()
                } else {
                    format!("{}\n{}", e.message, e.details)
                }
            });
            // an empty cell stays empty: no colour codes around nothing
            let error = if error.is_empty() {
                error
            } else {
                out.paint(&error, "31")
            };
            paths.add_row([
                p.name,
                p.status,
                p.step,
                p.workbasket,
                p.response.unwrap_or(""),
                &error,
            ]);
        }
        print_titled(
            out,
            &format!("\nExec paths ({})", v.exec_paths.len()),
            &paths,
        )?;
    }
    if !v.milestones.is_empty() {
        let mut ms = out.table([
            "milestone",
            "setup on",
            "type",
            "work basket",
            "action",
            "due",
        ]);
        for m in &v.milestones {
            let due = m.due_at.as_deref().map(crate::cli::format::table_time_of);
            ms.add_row(vec![
                m.name,
                m.setup_on,
                m.kind,
                m.work_basket.unwrap_or(""),
                m.action.unwrap_or(""),
                due.as_deref().unwrap_or(""),
            ]);
        }
        print_titled(out, &format!("\nMilestones ({})", v.milestones.len()), &ms)?;
    }
    Ok(())
}
