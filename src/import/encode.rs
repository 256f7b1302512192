//! A parsed case as COPY rows, table by table: the rows the PostgreSQL store writes for it.

use diesel::prelude::*;

use super::copy::{CopyBuffer, copy_rows};
use super::parse::{CaseRows, ParsedCase};
use crate::db::schema::{
    audit_log, exec_path, milestone, process_variable_value, route, route_branch, step,
    workflow_counters, workflow_definition, workflow_info, workflow_variables,
};
use crate::store::pg::rows;

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

/// Deletes every row of the cases in `$1` (children first); `$2`, `$3` and `$4` hold their
/// journey, process-info and counter keys ([`CaseKeys`]).
pub(crate) const DELETE_STATEMENTS: &[&str] = &[
    "DELETE /* wfctl:import_delete */ FROM process_variable_value WHERE workflow_variables_id IN \
     (SELECT id FROM workflow_variables WHERE workflow_info_hibid = ANY($3))",
    "DELETE /* wfctl:import_delete */ FROM workflow_variables WHERE workflow_info_hibid = ANY($3)",
    "DELETE /* wfctl:import_delete */ FROM exec_path WHERE workflow_info_hibid = ANY($3)",
    "DELETE /* wfctl:import_delete */ FROM workflow_info WHERE case_id = ANY($1)",
    "DELETE /* wfctl:import_delete */ FROM route_branch WHERE route_id IN (SELECT id FROM route \
     WHERE workflow_definition_hibid = ANY($2))",
    "DELETE /* wfctl:import_delete */ FROM route WHERE workflow_definition_hibid = ANY($2)",
    "DELETE /* wfctl:import_delete */ FROM step WHERE workflow_definition_hibid = ANY($2)",
    "DELETE /* wfctl:import_delete */ FROM workflow_definition WHERE case_id = ANY($1)",
    "DELETE /* wfctl:import_delete */ FROM milestone WHERE case_id = ANY($1)",
    "DELETE /* wfctl:import_delete */ FROM audit_log WHERE case_id = ANY($1)",
    "DELETE /* wfctl:import_delete */ FROM workflow_counters WHERE name = ANY($4)",
];

/// Every row of the case `c.id`, table by table, as `FROM` clauses ending in their `WHERE`
/// (the row is `t`; `c.journey`, `c.info` and `c.counter` are the case's keys): what an import
/// replaces, so what must be checked before it does.
pub(super) const CASE_ROWS: &[&str] = &[
    "workflow_definition t WHERE t.case_id = c.id",
    "step t WHERE t.workflow_definition_hibid = c.journey",
    "route t WHERE t.workflow_definition_hibid = c.journey",
    "route_branch t JOIN route r ON r.id = t.route_id \
     WHERE r.workflow_definition_hibid = c.journey",
    "workflow_info t WHERE t.case_id = c.id",
    "exec_path t WHERE t.workflow_info_hibid = c.info",
    "workflow_variables t WHERE t.workflow_info_hibid = c.info",
    "process_variable_value t JOIN workflow_variables v ON v.id = t.workflow_variables_id \
     WHERE v.workflow_info_hibid = c.info",
    "milestone t WHERE t.case_id = c.id",
    "audit_log t WHERE t.case_id = c.id",
    "workflow_counters t WHERE t.name = c.counter",
];

/// The record keys of some cases, spelled by the model, for the statements above.
pub(crate) struct CaseKeys {
    pub journey: Vec<String>,
    pub info: Vec<String>,
    pub counter: Vec<String>,
}

impl CaseKeys {
    pub fn of(case_ids: &[String]) -> Self {
        let keys = |key: fn(&str) -> String| case_ids.iter().map(|c| key(c)).collect();
        CaseKeys {
            journey: keys(crate::model::journey_key),
            info: keys(crate::model::process_info_key),
            counter: keys(crate::model::counter_key),
        }
    }
}

/// Sequences of the rows other rows point to: workflow_variables, route.
pub(super) const SEQUENCES: [&str; 2] = ["workflow_variables_id_seq", "route_id_seq"];

/// How many ids of each sequence a case needs.
#[derive(Debug, Default)]
pub(super) struct IdNeeds(pub [usize; 2]);

/// The ids given to a case.
#[derive(Debug, Default)]
pub(super) struct Ids(pub [Vec<i64>; 2]);

/// How many rows [`case_rows`] writes for the case: what [`CASE_ROWS`] counts after an import.
pub(super) fn row_count(case: &ParsedCase) -> i64 {
    let e = &case.rows;
    let buffers = [
        &e.definition,
        &e.step,
        &e.info,
        &e.exec_path,
        &e.milestone,
        &e.counters,
        &e.audit,
    ];
    let copied: usize = buffers.iter().map(|b| b.rows()).sum();
    let routes: usize = e.routes.iter().map(|r| 1 + r.branches.len()).sum();
    let variables = e
        .variables
        .as_ref()
        .map_or(0, |(_, values)| 1 + values.len());
    i64::try_from(copied + routes + variables).unwrap_or(i64::MAX)
}

pub(super) fn id_needs(case: &ParsedCase) -> IdNeeds {
    let e = &case.rows;
    IdNeeds([usize::from(e.variables.is_some()), e.routes.len()])
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

/// One case's rows: COPY text for the tables without serial ids, and the rows that need ids
/// from the batch's sequences.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct EncodedCase {
    definition: CopyBuffer,
    step: CopyBuffer,
    info: CopyBuffer,
    exec_path: CopyBuffer,
    milestone: CopyBuffer,
    counters: CopyBuffer,
    audit: CopyBuffer,
    /// `workflow_definition.hibid` of the routes.
    definition_hibid: String,
    routes: Vec<rows::RouteRow>,
    /// `workflow_info.hibid` and the variable rows.
    variables: Option<(String, Vec<rows::VariableRow>)>,
    /// `(status, work basket)`, for the report.
    status: (&'static str, String),
}

impl EncodedCase {
    /// Encodes a case's rows.
    pub(super) fn new(rows: CaseRows) -> Self {
        let status = rows.status();
        let mut e = Self {
            status,
            ..Self::default()
        };
        if let Some(def) = rows.definition {
            let d = &def.definition;
            e.definition
                .row()
                .text(&d.hibid)
                .text(&d.case_id)
                .opt_int(d.ts)
                .opt_text(d.def_name.as_deref())
                .opt_text(d.def_version.as_deref())
                .opt_text(d.flow_json.as_deref())
                .opt_text(d.sla_json.as_deref())
                .end();
            for s in &def.steps {
                e.step
                    .row()
                    .text(&d.hibid)
                    .text(&s.name)
                    .text(&s.kind)
                    .opt_text(s.next_step.as_deref())
                    .opt_text(s.component_name.as_deref())
                    .opt_text(s.user_data.as_deref())
                    .end();
            }
            e.definition_hibid = def.definition.hibid;
            e.routes = def.routes;
        }
        if let Some(info_rows) = rows.info {
            let i = &info_rows.info;
            e.info
                .row()
                .text(&i.hibid)
                .text(&i.case_id)
                .opt_int(i.ts)
                .opt_bool(i.is_complete)
                .opt_text(i.pend_exec_path.as_deref())
                .opt_text(i.last_executed_step.as_deref())
                .opt_text(i.last_executed_comp_name.as_deref())
                .opt_text(i.ticket.as_deref())
                .opt_text(i.journey_name.as_deref())
                .opt_text(i.ticket_urt.as_deref())
                .bool(i.is_pend_at_same_step)
                .opt_text(i.last_pend_workbasket.as_deref())
                .opt_text(i.last_pend_step.as_deref())
                .opt_json(i.branches.as_ref())
                .opt_int(i.started_ts)
                .opt_int(i.completed_ts)
                .opt_int(rows.cancel.as_ref().map(|c| c.at))
                .opt_text(rows.cancel.as_ref().map(|c| c.by.as_str()))
                .opt_text(rows.cancel.as_ref().map(|c| c.reason.as_str()))
                .end();
            for p in &info_rows.exec_paths {
                e.exec_path
                    .row()
                    .text(&i.hibid)
                    .text(&p.name)
                    .opt_text(p.status.as_deref())
                    .opt_text(p.step.as_deref())
                    .opt_text(p.unit_response_type.as_deref())
                    .opt_text(p.pend_workbasket.as_deref())
                    .opt_text(p.prev_pend_workbasket.as_deref())
                    .opt_int(p.error_code.map(i64::from))
                    .opt_text(p.error_desc.as_deref())
                    .opt_text(p.comp_name.as_deref())
                    .opt_text(p.ticket.as_deref())
                    .opt_text(p.error_details.as_deref())
                    .opt_bool(p.error_retryable)
                    .opt_text(p.tbc_sla_workbasket.as_deref())
                    .opt_int(Some(p.wfctl_visit))
                    .opt_int(Some(i64::from(p.wfctl_interrupted_starts)))
                    .end();
            }
            e.variables = Some((info_rows.info.hibid, info_rows.variables));
        }
        let unrecorded = crate::sla::FireState::default();
        for (i, m) in rows.milestones.iter().enumerate() {
            // what `sla run` recorded on the file store: a fired milestone stays fired
            let fire = rows.milestone_fires.get(i).unwrap_or(&unrecorded);
            let status = if fire.fired_at.is_some() {
                Some("fired")
            } else {
                m.status.as_deref()
            };
            e.milestone
                .row()
                .opt_text(m.case_id.as_deref())
                .text(&m.name)
                .opt_int(m.target_ts)
                .opt_int(fire.fired_at.or(m.actual_ts))
                .opt_text(status)
                .opt_int(m.sla_minutes.map(i64::from))
                .opt_text(m.work_basket_name.as_deref())
                .opt_text(m.setup_on.as_deref())
                .opt_text(m.milestone_type.as_deref())
                .opt_text(m.action.as_deref())
                .opt_text(m.user_data.as_deref())
                .opt_json(m.details.as_ref())
                .opt_int(m.enqueued_ts)
                .opt_int(fire.fired_at)
                .int(i64::from(fire.attempts))
                .int(i64::from(fire.failures))
                .opt_int(fire.failed_at)
                .opt_text(fire.error.as_deref())
                .end();
        }
        if let Some(c) = &rows.counter {
            e.counters.row().text(&c.name).int(c.value).end();
        }
        for a in &rows.audits {
            e.audit
                .row()
                .text(&a.case_id)
                .int(i64::from(a.sequence))
                .opt_text(a.step_name.as_deref())
                .opt_int(a.ts)
                .opt_json(a.log_data.as_ref())
                .end();
        }
        e
    }

    /// `(status, work basket)` of the case.
    pub(super) fn status(&self) -> (&'static str, String) {
        self.status.clone()
    }
}

/// Adds one case's rows to the batch, with the ids it was given.
pub(super) fn case_rows(case: &ParsedCase, ids: Ids, t: &mut Tables) {
    let e = &case.rows;
    let [variable_ids, route_ids] = ids.0;
    t.definition.append(&e.definition);
    t.step.append(&e.step);
    t.info.append(&e.info);
    t.exec_path.append(&e.exec_path);
    t.milestone.append(&e.milestone);
    t.counters.append(&e.counters);
    t.audit.append(&e.audit);
    for (r, &id) in e.routes.iter().zip(&route_ids) {
        t.route
            .row()
            .int(id)
            .text(&e.definition_hibid)
            .text(&r.name)
            .text(&r.kind)
            .opt_text(r.component_name.as_deref())
            .opt_text(r.join_name.as_deref())
            .opt_text(r.user_data.as_deref())
            .end();
        for b in &r.branches {
            t.route_branch
                .row()
                .int(id)
                .text(&b.name)
                .opt_text(b.next_step.as_deref())
                .end();
        }
    }
    if let (Some((hibid, variables)), Some(&vars_id)) = (&e.variables, variable_ids.first()) {
        t.variables.row().int(vars_id).text(hibid).end();
        for v in variables {
            t.values
                .row()
                .int(vars_id)
                .text(&v.name)
                .opt_text(v.kind.as_deref())
                .opt_text(v.value_string.as_deref())
                .opt_int(v.value_long)
                .opt_bool(v.value_boolean)
                .opt_float(v.value_double)
                .opt_json(v.value_json.as_ref())
                .end();
        }
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
        let mut rows = vec![(
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
        )];
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
                i::branches,
                i::started_ts,
                i::completed_ts,
                i::wfctl_cancelled_ts,
                i::wfctl_cancelled_by,
                i::wfctl_cancel_reason,
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
                e::wfctl_visit,
                e::wfctl_interrupted_starts,
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
                m::sla_minutes,
                m::work_basket_name,
                m::setup_on,
                m::milestone_type,
                m::action,
                m::user_data,
                m::details,
                m::enqueued_ts,
                m::sla_fired_ts,
                m::sla_attempts,
                m::sla_failures,
                m::sla_failed_ts,
                m::sla_error,
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
