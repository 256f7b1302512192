//! A parsed case as COPY rows, table by table: the rows the PostgreSQL store writes for it.

use diesel::prelude::*;

use super::copy::{CopyBuffer, copy_rows};
use super::parse::ParsedCase;
use crate::db::schema::{
    audit_log, exec_path, milestone, process_variable_value, route, route_branch, step,
    workflow_counters, workflow_definition, workflow_info, workflow_variables,
};
use crate::model::{UnitKind, VarValue, journey_key, process_info_key};

/// Tables the import writes, in load order (parents first).
pub(super) const TABLES: &[&str] = &[
    "workflow_definition",
    "step",
    "route",
    "route_branch",
    "workflow_info",
    "exec_path",
    "workflow_variables",
    "process_variable_value",
    "milestone",
    "workflow_counters",
    "audit_log",
];

/// Deletes every row of the cases in `$1` (children first).
pub(super) const DELETE_STATEMENTS: &[&str] = &[
    "/* wfctl:import_delete */ DELETE FROM process_variable_value WHERE workflow_variables_id IN \
     (SELECT id FROM workflow_variables WHERE workflow_info_hibid IN \
      (SELECT 'workflow_process_info-' || c FROM unnest($1::text[]) c))",
    "/* wfctl:import_delete */ DELETE FROM workflow_variables WHERE workflow_info_hibid IN \
     (SELECT 'workflow_process_info-' || c FROM unnest($1::text[]) c)",
    "/* wfctl:import_delete */ DELETE FROM exec_path WHERE workflow_info_hibid IN \
     (SELECT 'workflow_process_info-' || c FROM unnest($1::text[]) c)",
    "/* wfctl:import_delete */ DELETE FROM workflow_info WHERE case_id = ANY($1)",
    "/* wfctl:import_delete */ DELETE FROM route_branch WHERE route_id IN (SELECT id FROM route \
     WHERE workflow_definition_hibid IN (SELECT 'journey-' || c FROM unnest($1::text[]) c))",
    "/* wfctl:import_delete */ DELETE FROM route WHERE workflow_definition_hibid IN \
     (SELECT 'journey-' || c FROM unnest($1::text[]) c)",
    "/* wfctl:import_delete */ DELETE FROM step WHERE workflow_definition_hibid IN \
     (SELECT 'journey-' || c FROM unnest($1::text[]) c)",
    "/* wfctl:import_delete */ DELETE FROM workflow_definition WHERE case_id = ANY($1)",
    "/* wfctl:import_delete */ DELETE FROM milestone WHERE case_id = ANY($1)",
    "/* wfctl:import_delete */ DELETE FROM audit_log WHERE case_id = ANY($1)",
    "/* wfctl:import_delete */ DELETE FROM workflow_counters WHERE name IN \
     (SELECT 'workflow_audit_log_counter-' || c FROM unnest($1::text[]) c)",
];

/// Sequences of the rows other rows point to: workflow_variables, route.
pub(super) const SEQUENCES: [&str; 2] = ["workflow_variables_id_seq", "route_id_seq"];

/// How many ids of each sequence a case needs.
#[derive(Debug, Default)]
pub(super) struct IdNeeds(pub [usize; 2]);

/// The ids given to a case.
#[derive(Debug, Default)]
pub(super) struct Ids(pub [Vec<i64>; 2]);

pub(super) fn id_needs(case: &ParsedCase) -> IdNeeds {
    let variables = usize::from(case.process_info.is_some());
    let routes = case.journey.as_ref().map_or(0, |j| {
        j.journey.units.iter().filter(|u| u.kind.is_route()).count()
    });
    IdNeeds([variables, routes])
}

/// COPY buffers of a batch.
#[derive(Debug, Default)]
pub(super) struct Tables {
    definition: CopyBuffer,
    step: CopyBuffer,
    route: CopyBuffer,
    route_branch: CopyBuffer,
    info: CopyBuffer,
    exec_path: CopyBuffer,
    variables: CopyBuffer,
    values: CopyBuffer,
    milestone: CopyBuffer,
    counters: CopyBuffer,
    audit: CopyBuffer,
}

/// Encodes the rows of one case.
pub(super) fn case_rows(case: &ParsedCase, ids: Ids, t: &mut Tables) {
    let case_id = case.case_id.as_str();
    let [variable_ids, route_ids] = ids.0;
    let ts = case.process_info.as_ref().map(|i| i.ts);
    if let Some(record) = &case.journey {
        let hibid = journey_key(case_id);
        let sla_json = case.sla.as_ref().map(crate::model::Sla::to_json);
        t.definition
            .row()
            .text(&hibid)
            .text(case_id)
            .opt_int(ts)
            .text(&record.journey.name)
            .null()
            .text(&record.text)
            .opt_text(sla_json.as_deref())
            .end();
        let mut route_ids = route_ids.into_iter();
        for unit in &record.journey.units {
            if unit.kind.is_route() {
                let id = route_ids.next().expect("one id was allocated per route");
                t.route
                    .row()
                    .int(id)
                    .text(&hibid)
                    .text(&unit.name)
                    .text(unit.kind.as_str())
                    .opt_text(unit.component.as_deref())
                    .opt_text(if unit.kind == UnitKind::PRouteDynamic {
                        unit.next.as_deref()
                    } else {
                        None
                    })
                    .opt_text(unit.user_data.as_deref())
                    .end();
                for branch in unit.branches.iter().flatten() {
                    t.route_branch
                        .row()
                        .int(id)
                        .text(&branch.name)
                        .text(&branch.next)
                        .end();
                }
            } else {
                t.step
                    .row()
                    .text(&hibid)
                    .text(&unit.name)
                    .text(unit.kind.as_str())
                    .opt_text(unit.next.as_deref())
                    .text(unit.component_name())
                    .opt_text(unit.user_data.as_deref())
                    .end();
            }
        }
    }
    if let Some(info) = &case.process_info {
        let hibid = process_info_key(case_id);
        let started = case.audits.first().map_or(info.ts, |a| a.document.ts);
        t.info
            .row()
            .text(&hibid)
            .text(case_id)
            .int(info.ts)
            .bool(info.is_complete)
            .text(&info.pend_exec_path)
            .text(&info.last_executed_step)
            .text(&info.last_executed_comp_name)
            .text(&info.ticket)
            .opt_text(case.journey.as_ref().map(|j| j.journey.name.as_str()))
            .opt_text(info.ticket_urt.map(|u| u.as_str()))
            .bool(info.is_pend_at_same_step)
            .text(&info.last_pend_workbasket)
            .text(&info.last_pend_step)
            .int(started)
            .opt_int(info.is_complete.then_some(info.ts))
            .end();
        for path in &info.exec_paths {
            let e = &path.pend_error;
            t.exec_path
                .row()
                .text(&hibid)
                .text(&path.name)
                .text(match path.status {
                    crate::model::PathStatus::Started => "started",
                    crate::model::PathStatus::Completed => "completed",
                })
                .text(&path.step)
                .opt_text(path.unit_response_type.map(|u| u.as_str()))
                .text(&path.pend_workbasket)
                .text(&path.prev_pend_workbasket)
                .int(e.code)
                .text(&e.message)
                .text(&path.comp_name)
                .text(&path.ticket)
                .text(&e.details)
                .bool(e.is_retryable)
                .text(&path.tbc_sla_workbasket)
                .end();
        }
        let vars_id = variable_ids[0];
        t.variables.row().int(vars_id).text(&hibid).end();
        for var in info.process_variables.iter() {
            let row = t.values.row();
            row.int(vars_id)
                .text(&var.name)
                .text(var.value.var_type().as_str());
            match &var.value {
                VarValue::String(s) => row.text(s).null().null().null().null(),
                VarValue::Long(n) => row.null().int(*n).null().null().null(),
                VarValue::Integer(n) => row.null().int(i64::from(*n)).null().null().null(),
                VarValue::Boolean(b) => row.null().null().bool(*b).null().null(),
                other => row
                    .null()
                    .null()
                    .null()
                    .null()
                    .json(&other.to_document_value()),
            };
            row.end();
        }
    }
    for queued in &case.milestones {
        let m = &queued.milestone;
        let details = serde_json::to_value(m).expect("a milestone always serialises");
        t.milestone
            .row()
            .text(case_id)
            .text(m.name.as_deref().unwrap_or(""))
            .opt_int(queued.due_at)
            .int(queued.enqueued_at)
            .text("enqueued")
            .opt_text(
                queued
                    .work_basket
                    .as_deref()
                    .or(m.work_basket_name.as_deref()),
            )
            .text(m.setup_on.as_str())
            .text(m.kind.as_str())
            .opt_text(m.action.as_deref())
            .opt_text(m.userdata.as_deref())
            .json(&details)
            .end();
    }
    if case.counter > 0 {
        t.counters
            .row()
            .text(&format!("{}{case_id}", super::scan::COUNTER_PREFIX))
            .int(i64::try_from(case.counter).unwrap_or(i64::MAX))
            .end();
    }
    for audit in &case.audits {
        t.audit
            .row()
            .text(case_id)
            .int(i64::try_from(audit.seq).unwrap_or(i64::MAX))
            .text(&audit.unit)
            .int(audit.document.ts)
            .json(&audit.document.to_document())
            .end();
    }
}

impl Tables {
    /// COPYs every buffer, parents first; returns rows per table.
    pub(super) fn copy_all(
        &self,
        conn: &mut PgConnection,
    ) -> QueryResult<Vec<(&'static str, usize)>> {
        use audit_log as a;
        use exec_path as e;
        use milestone as m;
        use process_variable_value as v;
        use route as r;
        use route_branch as rb;
        use step as s;
        use workflow_definition as d;
        use workflow_info as i;
        let mut rows = Vec::new();
        rows.push((
            "workflow_definition",
            copy_rows::<(
                d::hibid,
                d::case_id,
                d::ts,
                d::def_name,
                d::def_version,
                d::flow_json,
                d::sla_json,
            )>(conn, d::table, &self.definition)?,
        ));
        rows.push((
            "step",
            copy_rows::<(
                s::workflow_definition_hibid,
                s::name,
                s::type_,
                s::next_step,
                s::component_name,
                s::user_data,
            )>(conn, s::table, &self.step)?,
        ));
        rows.push((
            "route",
            copy_rows::<(
                r::id,
                r::workflow_definition_hibid,
                r::name,
                r::type_,
                r::component_name,
                r::join_name,
                r::user_data,
            )>(conn, r::table, &self.route)?,
        ));
        rows.push((
            "route_branch",
            copy_rows::<(rb::route_id, rb::name, rb::next_step)>(
                conn,
                rb::table,
                &self.route_branch,
            )?,
        ));
        rows.push((
            "workflow_info",
            copy_rows::<(
                i::hibid,
                i::case_id,
                i::ts,
                i::is_complete,
                i::pend_exec_path,
                i::last_executed_step,
                i::last_executed_comp_name,
                i::ticket,
                i::journey_name,
                i::ticket_urt,
                i::is_pend_at_same_step,
                i::last_pend_workbasket,
                i::last_pend_step,
                i::started_ts,
                i::completed_ts,
            )>(conn, i::table, &self.info)?,
        ));
        rows.push((
            "exec_path",
            copy_rows::<(
                e::workflow_info_hibid,
                e::name,
                e::status,
                e::step,
                e::unit_response_type,
                e::pend_workbasket,
                e::prev_pend_workbasket,
                e::error_code,
                e::error_desc,
                e::comp_name,
                e::ticket,
                e::error_details,
                e::error_retryable,
                e::tbc_sla_workbasket,
            )>(conn, e::table, &self.exec_path)?,
        ));
        rows.push((
            "workflow_variables",
            copy_rows::<(
                workflow_variables::id,
                workflow_variables::workflow_info_hibid,
            )>(conn, workflow_variables::table, &self.variables)?,
        ));
        rows.push((
            "process_variable_value",
            copy_rows::<(
                v::workflow_variables_id,
                v::name,
                v::type_,
                v::value_string,
                v::value_long,
                v::value_boolean,
                v::value_double,
                v::value_json,
            )>(conn, v::table, &self.values)?,
        ));
        rows.push((
            "milestone",
            copy_rows::<(
                m::case_id,
                m::name,
                m::target_ts,
                m::actual_ts,
                m::status,
                m::work_basket_name,
                m::setup_on,
                m::milestone_type,
                m::action,
                m::user_data,
                m::details,
            )>(conn, m::table, &self.milestone)?,
        ));
        rows.push((
            "workflow_counters",
            copy_rows::<(workflow_counters::name, workflow_counters::value)>(
                conn,
                workflow_counters::table,
                &self.counters,
            )?,
        ));
        rows.push((
            "audit_log",
            copy_rows::<(a::case_id, a::sequence, a::step_name, a::ts, a::log_data)>(
                conn,
                a::table,
                &self.audit,
            )?,
        ));
        Ok(rows)
    }
}
