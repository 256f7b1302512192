//! The SQL of the PostgreSQL store. Every statement's first word is followed by `/* wfctl:<operation> */` (so `diag
//! slow-queries` can attribute it) naming one of [`OPERATIONS`]; each write is ONE statement
//! (data-modifying CTEs, multi-row `unnest` inserts), so a persistence point is one round trip and,
//! run in autocommit, one transaction. Static statements live in `sql/*.sql` (as diag's do);
//! the ones whose shape depends on the case (a persistence point, the list filters) are
//! assembled here with every value bound.

use diesel::pg::Pg;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::serialize::ToSql;
use diesel::sql_types::{Array, BigInt, Bool, Double, HasSqlType, Integer, Jsonb, Nullable, Text};
use serde_json::Value;

use super::rows::{DEQUEUED, DefinitionRows, ENQUEUED, InfoRows, MilestoneOps, MilestoneRow};
use crate::model::MilestoneType;
use crate::store::{CaseFilter, CaseStatus};

/// `/* wfctl:<op> */` names of the statements this module assembles; the constant statements
/// spell their tag in their text, and a test checks every tag against [`OPERATIONS`].
pub mod op {
    /// Journey (+ steps, routes, branches) and SLA of a case.
    pub const CREATE_CASE: &str = "create_case";
    /// One persistence point.
    pub const SAVE_POINT: &str = "save_point";
    /// Listing cases.
    pub const CASE_LIST: &str = "case_list";
    /// One page of `case list` (keyset by case id).
    pub const CASE_PAGE: &str = "case_page";
    /// A bulk worker claiming a batch of cases.
    pub const BULK_CLAIM: &str = "bulk_claim";
}

/// Every operation name the store's statements are tagged with (what `diag slow-queries`
/// attributes time to): the assembled ones of [`op`], and `journey`, `process_info`,
/// `audit_log`, `audit_seq`, `milestones` (reading a case), `sla_due`, `case_lock` and
/// `unit_attempt`, spelled in the constant statements below.
#[cfg(test)]
const OPERATIONS: [&str; 13] = [
    op::CREATE_CASE,
    op::SAVE_POINT,
    "journey",
    "process_info",
    "audit_log",
    "audit_seq",
    "milestones",
    op::CASE_LIST,
    "sla_due",
    "case_lock",
    op::CASE_PAGE,
    op::BULK_CLAIM,
    "unit_attempt",
];

/// A statement assembled from parts, with `$n` placeholders numbered as values are bound.
pub struct Statement {
    query: Option<BoxedSqlQuery<'static, Pg, SqlQuery>>,
    next: usize,
    /// The `/* wfctl:<op> */` tag, placed after the first word of the first text.
    tag: Option<String>,
}

impl Statement {
    /// A statement tagged with `op`.
    pub fn new(op: &str) -> Self {
        Self {
            query: Some(diesel::sql_query(String::new()).into_boxed()),
            next: 1,
            tag: Some(format!("/* wfctl:{op} */")),
        }
    }

    fn map(
        &mut self,
        f: impl FnOnce(BoxedSqlQuery<'static, Pg, SqlQuery>) -> BoxedSqlQuery<'static, Pg, SqlQuery>,
    ) {
        let query = self
            .query
            .take()
            .expect("a statement is finished only once");
        self.query = Some(f(query));
    }

    /// Appends SQL text.
    pub fn sql(&mut self, text: &str) -> &mut Self {
        let text = match self.tag.take() {
            Some(tag) => tagged(text, &tag),
            None => text.to_owned(),
        };
        self.map(|q| q.sql(text));
        self
    }

    /// Binds a value and returns its placeholder.
    pub fn bind<T, V>(&mut self, value: V) -> String
    where
        Pg: HasSqlType<T>,
        T: Send + 'static,
        V: ToSql<T, Pg> + Send + 'static,
    {
        self.map(|q| q.bind::<T, V>(value));
        let placeholder = format!("${}", self.next);
        self.next += 1;
        placeholder
    }

    /// The query to run.
    pub fn finish(mut self) -> BoxedSqlQuery<'static, Pg, SqlQuery> {
        self.query
            .take()
            .expect("a statement is finished only once")
    }
}

/// `text` with `tag` after its first word: PostgreSQL 18's pg_stat_statements keeps a
/// statement's text from its first token on, so a leading comment would be lost.
fn tagged(text: &str, tag: &str) -> String {
    let start = text.len() - text.trim_start().len();
    let end = text[start..]
        .find(|c: char| !c.is_ascii_alphabetic())
        .map_or(text.len(), |i| start + i);
    format!("{} {tag}{}", &text[..end], &text[end..])
}

type Texts = Array<Nullable<Text>>;

fn column<R, T: Clone>(rows: &[R], f: impl Fn(&R) -> T) -> Vec<T> {
    rows.iter().map(f).collect()
}

/// `create_case`: upserts the definition and replaces its steps, routes and branches.
pub fn create_case(rows: &DefinitionRows) -> Statement {
    let mut s = Statement::new(op::CREATE_CASE);
    let d = &rows.definition;
    let hibid = s.bind::<Text, _>(d.hibid.clone());
    let values = [
        s.bind::<Text, _>(d.case_id.clone()),
        s.bind::<Nullable<BigInt>, _>(d.ts),
        s.bind::<Nullable<Text>, _>(d.def_name.clone()),
        s.bind::<Nullable<Text>, _>(d.def_version.clone()),
        s.bind::<Nullable<Text>, _>(d.flow_json.clone()),
        s.bind::<Nullable<Text>, _>(d.sla_json.clone()),
    ]
    .join(", ");
    let st = &rows.steps;
    let steps = [
        s.bind::<Array<Text>, _>(column(st, |r| r.name.clone())),
        s.bind::<Array<Text>, _>(column(st, |r| r.kind.clone())),
        s.bind::<Texts, _>(column(st, |r| r.next_step.clone())),
        s.bind::<Texts, _>(column(st, |r| r.component_name.clone())),
        s.bind::<Texts, _>(column(st, |r| r.user_data.clone())),
    ]
    .join(", ");
    let rt = &rows.routes;
    let routes = [
        s.bind::<Array<Text>, _>(column(rt, |r| r.name.clone())),
        s.bind::<Array<Text>, _>(column(rt, |r| r.kind.clone())),
        s.bind::<Texts, _>(column(rt, |r| r.component_name.clone())),
        s.bind::<Texts, _>(column(rt, |r| r.join_name.clone())),
        s.bind::<Texts, _>(column(rt, |r| r.user_data.clone())),
    ]
    .join(", ");
    let branch_of: Vec<(String, String, Option<String>)> = rt
        .iter()
        .flat_map(|r| {
            r.branches
                .iter()
                .map(|b| (r.name.clone(), b.name.clone(), b.next_step.clone()))
        })
        .collect();
    let branches = [
        s.bind::<Array<Text>, _>(column(&branch_of, |b| b.0.clone())),
        s.bind::<Array<Text>, _>(column(&branch_of, |b| b.1.clone())),
        s.bind::<Texts, _>(column(&branch_of, |b| b.2.clone())),
    ]
    .join(", ");
    s.sql(&format!(
        "WITH def AS (
  INSERT INTO workflow_definition AS d (hibid, case_id, ts, def_name, def_version, flow_json, sla_json)
  VALUES ({hibid}, {values})
  ON CONFLICT (hibid) DO UPDATE SET case_id = EXCLUDED.case_id, ts = EXCLUDED.ts,
    def_name = EXCLUDED.def_name, def_version = EXCLUDED.def_version,
    flow_json = EXCLUDED.flow_json, sla_json = EXCLUDED.sla_json
  RETURNING hibid),
old_routes AS (SELECT id FROM route WHERE workflow_definition_hibid = {hibid}),
branches_gone AS (DELETE FROM route_branch WHERE route_id IN (SELECT id FROM old_routes)),
routes_gone AS (DELETE FROM route WHERE id IN (SELECT id FROM old_routes)),
steps_gone AS (DELETE FROM step WHERE workflow_definition_hibid = {hibid}),
steps AS (
  INSERT INTO step (workflow_definition_hibid, name, type, next_step, component_name, user_data)
  SELECT def.hibid, u.* FROM def, unnest({steps}) AS u),
routes AS (
  INSERT INTO route (workflow_definition_hibid, name, type, component_name, join_name, user_data)
  SELECT def.hibid, r.* FROM def, unnest({routes}) AS r
  RETURNING id, name),
branches AS (
  INSERT INTO route_branch (route_id, name, next_step)
  SELECT routes.id, b.name, b.next_step
  FROM unnest({branches}) AS b(route, name, next_step) JOIN routes ON routes.name = b.route)
SELECT 0::int8 AS last_seq"
    ));
    s
}

/// The parts of one persistence point.
pub struct PointParts<'a> {
    /// Case id.
    pub case_id: &'a str,
    /// The new process info's rows.
    pub info: Option<&'a InfoRows>,
    /// `workflow_counters.name` of the case.
    pub counter: String,
    /// Audit records: unit, ts, document (numbered by the statement).
    pub audits: Vec<(String, i64, Value)>,
    /// Milestone changes.
    pub milestones: &'a MilestoneOps,
    /// Now (epoch ms), for `actual_ts` of dequeued milestones.
    pub now: i64,
    /// A cancellation to store with the point (wfctl's own columns of `workflow_info`).
    pub cancel: Option<&'a crate::store::Cancellation>,
}

/// `save_point`: one statement returning `last_seq` (the case's counter after the point, 0
/// when no audit record was written).
pub fn save_point(p: &PointParts<'_>) -> Statement {
    let mut s = Statement::new(op::SAVE_POINT);
    let case = s.bind::<Text, _>(p.case_id.to_owned());
    let mut ctes = Vec::new();
    if let Some(rows) = p.info {
        ctes.extend(info_ctes(&mut s, &case, rows));
    }
    let mut last_seq = "0::int8".to_owned();
    if !p.audits.is_empty() {
        let counter = s.bind::<Text, _>(p.counter.clone());
        let n = s.bind::<BigInt, _>(i64::try_from(p.audits.len()).unwrap_or(i64::MAX));
        let units = s.bind::<Array<Text>, _>(column(&p.audits, |a| a.0.clone()));
        let ts = s.bind::<Array<BigInt>, _>(column(&p.audits, |a| a.1));
        let docs = s.bind::<Array<Jsonb>, _>(column(&p.audits, |a| a.2.clone()));
        ctes.push(format!(
            "ctr AS (
  INSERT INTO workflow_counters AS c (name, value) VALUES ({counter}, {n})
  ON CONFLICT (name) DO UPDATE SET value = c.value + EXCLUDED.value
  RETURNING value)"
        ));
        ctes.push(format!(
            "audit AS (
  INSERT INTO audit_log (case_id, sequence, step_name, ts, log_data)
  SELECT {case}, (ctr.value - {n} + a.ord)::int, a.unit, a.ts, a.doc
  FROM ctr, unnest({units}, {ts}, {docs}) WITH ORDINALITY AS a(unit, ts, doc, ord))"
        ));
        last_seq = "(SELECT value FROM ctr)".to_owned();
    }
    ctes.extend(milestone_ctes(&mut s, &case, p.milestones, p.now));
    if let Some(cancel) = p.cancel {
        let at = s.bind::<BigInt, _>(cancel.at);
        let by = s.bind::<Text, _>(cancel.by.clone());
        let reason = s.bind::<Text, _>(cancel.reason.clone());
        ctes.push(format!(
            "cancel AS (
  UPDATE workflow_info SET wfctl_cancelled_ts = {at}, wfctl_cancelled_by = {by},
    wfctl_cancel_reason = {reason}
  WHERE case_id = {case})"
        ));
    }
    if !ctes.is_empty() {
        s.sql("WITH ");
        s.sql(&ctes.join(",\n"));
        s.sql("\n");
    }
    // waiters (`case wait`, on any host) LISTEN on this channel; delivered at commit
    s.sql(&format!(
        "SELECT {last_seq} AS last_seq FROM (SELECT pg_notify('{CHANGE_CHANNEL}', {case})) n"
    ));
    s
}

/// The channel every saved persistence point is notified on, with the case id as payload.
pub const CHANGE_CHANNEL: &str = "wfctl_case";

fn info_ctes(s: &mut Statement, case: &str, rows: &InfoRows) -> Vec<String> {
    let i = &rows.info;
    let hibid = s.bind::<Text, _>(i.hibid.clone());
    let ts = s.bind::<Nullable<BigInt>, _>(i.ts);
    let complete = s.bind::<Nullable<Bool>, _>(i.is_complete);
    let fields = [
        s.bind::<Nullable<Text>, _>(i.pend_exec_path.clone()),
        s.bind::<Nullable<Text>, _>(i.last_executed_step.clone()),
        s.bind::<Nullable<Text>, _>(i.last_executed_comp_name.clone()),
        s.bind::<Nullable<Text>, _>(i.ticket.clone()),
    ]
    .join(", ");
    let journey = s.bind::<Nullable<Text>, _>(i.journey_name.clone());
    let definition = s.bind::<Text, _>(crate::model::journey_key(&i.case_id));
    let more = [
        s.bind::<Nullable<Text>, _>(i.ticket_urt.clone()),
        s.bind::<Bool, _>(i.is_pend_at_same_step),
        s.bind::<Nullable<Text>, _>(i.last_pend_workbasket.clone()),
        s.bind::<Nullable<Text>, _>(i.last_pend_step.clone()),
        s.bind::<Nullable<Jsonb>, _>(i.branches.clone()),
    ]
    .join(", ");
    let mut ctes = vec![format!(
        "info AS (
  INSERT INTO workflow_info AS w (hibid, case_id, ts, is_complete, pend_exec_path,
    last_executed_step, last_executed_comp_name, ticket, journey_name, ticket_urt,
    is_pend_at_same_step, last_pend_workbasket, last_pend_step, branches, started_ts, completed_ts)
  VALUES ({hibid}, {case}, {ts}, {complete}, {fields},
    COALESCE({journey}, (SELECT def_name FROM workflow_definition WHERE hibid = {definition})),
    {more}, {ts}, CASE WHEN {complete} THEN {ts} END)
  ON CONFLICT (hibid) DO UPDATE SET ts = EXCLUDED.ts, is_complete = EXCLUDED.is_complete,
    pend_exec_path = EXCLUDED.pend_exec_path, last_executed_step = EXCLUDED.last_executed_step,
    last_executed_comp_name = EXCLUDED.last_executed_comp_name, ticket = EXCLUDED.ticket,
    journey_name = COALESCE(EXCLUDED.journey_name, w.journey_name),
    ticket_urt = EXCLUDED.ticket_urt, is_pend_at_same_step = EXCLUDED.is_pend_at_same_step,
    last_pend_workbasket = EXCLUDED.last_pend_workbasket, last_pend_step = EXCLUDED.last_pend_step,
    branches = EXCLUDED.branches,
    completed_ts = CASE WHEN EXCLUDED.is_complete THEN COALESCE(w.completed_ts, EXCLUDED.ts) END,
    version = w.version + 1
  RETURNING hibid)"
    )];
    let p = &rows.exec_paths;
    let names = s.bind::<Array<Text>, _>(column(p, |r| r.name.clone()));
    let cols = [
        s.bind::<Texts, _>(column(p, |r| r.status.clone())),
        s.bind::<Texts, _>(column(p, |r| r.step.clone())),
        s.bind::<Texts, _>(column(p, |r| r.unit_response_type.clone())),
        s.bind::<Texts, _>(column(p, |r| r.pend_workbasket.clone())),
        s.bind::<Texts, _>(column(p, |r| r.prev_pend_workbasket.clone())),
        s.bind::<Array<Nullable<Integer>>, _>(column(p, |r| r.error_code)),
        s.bind::<Texts, _>(column(p, |r| r.error_desc.clone())),
        s.bind::<Texts, _>(column(p, |r| r.comp_name.clone())),
        s.bind::<Texts, _>(column(p, |r| r.ticket.clone())),
        s.bind::<Texts, _>(column(p, |r| r.error_details.clone())),
        s.bind::<Array<Nullable<Bool>>, _>(column(p, |r| r.error_retryable)),
        s.bind::<Texts, _>(column(p, |r| r.tbc_sla_workbasket.clone())),
        s.bind::<Array<BigInt>, _>(column(p, |r| r.wfctl_visit)),
        s.bind::<Array<Integer>, _>(column(p, |r| r.wfctl_interrupted_starts)),
    ]
    .join(", ");
    const PATH_COLUMNS: &str = "status, step, unit_response_type, pend_workbasket, \
        prev_pend_workbasket, error_code, error_desc, comp_name, ticket, error_details, \
        error_retryable, tbc_sla_workbasket, wfctl_visit, wfctl_interrupted_starts";
    let excluded = PATH_COLUMNS
        .split(", ")
        .map(|c| format!("EXCLUDED.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let current = PATH_COLUMNS
        .split(", ")
        .map(|c| format!("e.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    ctes.push(format!(
        "paths_gone AS (
  DELETE FROM exec_path WHERE workflow_info_hibid = {hibid} AND name <> ALL({names}))"
    ));
    // unchanged paths are not rewritten (no dead tuples for the paths that did not move)
    ctes.push(format!(
        "paths AS (
  INSERT INTO exec_path AS e (workflow_info_hibid, name, {PATH_COLUMNS})
  SELECT info.hibid, p.* FROM info, unnest({names}, {cols}) AS p
  ON CONFLICT (workflow_info_hibid, name) DO UPDATE SET ({PATH_COLUMNS}) = ROW({excluded})
  WHERE ({current}) IS DISTINCT FROM ({excluded}))"
    ));
    let v = &rows.variables;
    let vnames = s.bind::<Array<Text>, _>(column(v, |r| r.name.clone()));
    ctes.push(format!(
        "vars_gone AS (
  DELETE FROM process_variable_value WHERE name <> ALL({vnames}) AND workflow_variables_id =
    (SELECT id FROM workflow_variables WHERE workflow_info_hibid = {hibid}))"
    ));
    if !v.is_empty() {
        let vcols = [
            s.bind::<Texts, _>(column(v, |r| r.kind.clone())),
            s.bind::<Texts, _>(column(v, |r| r.value_string.clone())),
            s.bind::<Array<Nullable<BigInt>>, _>(column(v, |r| r.value_long)),
            s.bind::<Array<Nullable<Bool>>, _>(column(v, |r| r.value_boolean)),
            s.bind::<Array<Nullable<Double>>, _>(column(v, |r| r.value_double)),
            s.bind::<Array<Nullable<Jsonb>>, _>(column(v, |r| r.value_json.clone())),
        ]
        .join(", ");
        const VAR_COLUMNS: &str =
            "type, value_string, value_long, value_boolean, value_double, value_json";
        let vexcluded = VAR_COLUMNS
            .split(", ")
            .map(|c| format!("EXCLUDED.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let vcurrent = VAR_COLUMNS
            .split(", ")
            .map(|c| format!("v.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        ctes.push(
            "owner AS (
  INSERT INTO workflow_variables (workflow_info_hibid) SELECT hibid FROM info
  ON CONFLICT (workflow_info_hibid) DO UPDATE SET workflow_info_hibid = EXCLUDED.workflow_info_hibid
  RETURNING id)"
                .to_owned(),
        );
        ctes.push(format!(
            "vars AS (
  INSERT INTO process_variable_value AS v (workflow_variables_id, name, {VAR_COLUMNS})
  SELECT owner.id, x.* FROM owner, unnest({vnames}, {vcols}) AS x
  ON CONFLICT (workflow_variables_id, name) DO UPDATE SET ({VAR_COLUMNS}) = ROW({vexcluded})
  WHERE ({vcurrent}) IS DISTINCT FROM ({vexcluded}))"
        ));
    }
    ctes
}

fn milestone_ctes(s: &mut Statement, case: &str, ops: &MilestoneOps, now: i64) -> Vec<String> {
    let mut ctes = Vec::new();
    if ops.dequeue_all || !ops.dequeue_baskets.is_empty() {
        let now = s.bind::<BigInt, _>(now);
        let which = if ops.dequeue_all {
            String::new()
        } else {
            let baskets = s.bind::<Array<Text>, _>(ops.dequeue_baskets.clone());
            format!(
                " AND milestone_type = '{}' AND details->>'work_basket_name' = ANY({baskets})",
                MilestoneType::WorkBasket.as_str()
            )
        };
        ctes.push(format!(
            "ms_out AS (
  UPDATE milestone SET status = '{DEQUEUED}', actual_ts = {now}
  WHERE case_id = {case} AND status = '{ENQUEUED}'{which})"
        ));
    }
    if !ops.insert.is_empty() {
        let m: &[MilestoneRow] = &ops.insert;
        let cols = [
            s.bind::<Array<Text>, _>(column(m, |r| r.name.clone())),
            s.bind::<Array<Nullable<BigInt>>, _>(column(m, |r| r.target_ts)),
            s.bind::<Array<Nullable<BigInt>>, _>(column(m, |r| r.actual_ts)),
            s.bind::<Texts, _>(column(m, |r| r.status.clone())),
            s.bind::<Array<Nullable<Integer>>, _>(column(m, |r| r.sla_minutes)),
            s.bind::<Texts, _>(column(m, |r| r.work_basket_name.clone())),
            s.bind::<Texts, _>(column(m, |r| r.setup_on.clone())),
            s.bind::<Texts, _>(column(m, |r| r.milestone_type.clone())),
            s.bind::<Texts, _>(column(m, |r| r.action.clone())),
            s.bind::<Texts, _>(column(m, |r| r.user_data.clone())),
            s.bind::<Array<Nullable<Jsonb>>, _>(column(m, |r| r.details.clone())),
            s.bind::<Array<Nullable<BigInt>>, _>(column(m, |r| r.enqueued_ts)),
        ]
        .join(", ");
        const COLUMNS: &str = "name, target_ts, actual_ts, status, sla_minutes, \
            work_basket_name, setup_on, milestone_type, action, user_data, details, enqueued_ts";
        // ids follow the queue order, which is the order milestones are read back in
        ctes.push(format!(
            "ms_in AS (
  INSERT INTO milestone (case_id, {COLUMNS})
  SELECT {case}, {COLUMNS} FROM unnest({cols}) WITH ORDINALITY AS m({COLUMNS}, ord)
  ORDER BY ord)"
        ));
    }
    ctes
}

/// Reads a definition's journey and SLA text.
pub const DEFINITION: &str = include_str!("sql/definition.sql");

/// Reads a process info's rows as JSON (one snapshot, one round trip).
pub const PROCESS_INFO: &str = include_str!("sql/process_info.sql");

/// Reads a case's audit records.
pub const AUDIT_LOG: &str = include_str!("sql/audit_log.sql");

/// Reads a case's audit counter.
pub const AUDIT_SEQ: &str = include_str!("sql/audit_seq.sql");

/// Reads the attempt of the unit an interrupted run of a case left.
pub const UNIT_ATTEMPT: &str = include_str!("sql/unit_attempt.sql");

/// Records it (the process info row exists: an interrupted run wrote it).
pub const RECORD_UNIT_ATTEMPT: &str = include_str!("sql/record_unit_attempt.sql");

/// Reads a case's queued milestones in queue order.
pub const MILESTONES: &str = include_str!("sql/milestones.sql");

/// Queued milestones due by `$1`.
pub const SLA_DUE: &str = include_str!("sql/sla_due.sql");

/// Takes a case's advisory lock if free (the same key in every wfctl process and in diag).
pub const CASE_LOCK: &str = include_str!("sql/case_lock.sql");

/// A case's cancellation (wfctl's own columns of `workflow_info`).
pub const CANCELLATION: &str = include_str!("sql/cancellation.sql");

/// Whether a case's lock is held (by any session), read from `pg_locks` without taking it.
pub const CASE_LOCK_HELD: &str = include_str!("sql/case_lock_held.sql");

/// Releases a case's advisory lock held by this session.
pub const CASE_UNLOCK: &str = include_str!("sql/case_unlock.sql");

/// `case_list`: the summaries of the cases that pass `filter`, ordered by case id (bytewise,
/// like the other stores); every case, with or without its journey row.
pub fn case_list(filter: &CaseFilter) -> Statement {
    let mut s = Statement::new(op::CASE_LIST);
    s.sql(
        "SELECT to_jsonb(x) AS row FROM (
  SELECT k.case_id, COALESCE(d.def_name, i.journey_name) AS journey_name,
    i.hibid IS NOT NULL AS has_info, i.is_complete, i.pend_exec_path, i.last_executed_step, i.ts,
    e.name AS path_name, e.pend_workbasket, e.step AS path_step,
    i.wfctl_cancelled_ts IS NOT NULL AS cancelled
  FROM (SELECT case_id FROM workflow_definition WHERE hibid = 'journey-' || case_id
        UNION SELECT case_id FROM workflow_info) k
  LEFT JOIN workflow_definition d ON d.hibid = 'journey-' || k.case_id
  LEFT JOIN workflow_info i ON i.case_id = k.case_id
  LEFT JOIN exec_path e ON e.workflow_info_hibid = i.hibid AND e.name = i.pend_exec_path
  WHERE true",
    );
    if let Some(status) = filter.status {
        s.sql(match status {
            CaseStatus::NotStarted => " AND i.hibid IS NULL",
            CaseStatus::Completed => " AND i.is_complete AND i.wfctl_cancelled_ts IS NULL",
            CaseStatus::Pended => {
                " AND NOT i.is_complete AND i.pend_exec_path <> '' \
                 AND i.wfctl_cancelled_ts IS NULL"
            }
            CaseStatus::Running => {
                " AND i.hibid IS NOT NULL AND NOT COALESCE(i.is_complete, false) \
                 AND COALESCE(i.pend_exec_path, '') = '' AND i.wfctl_cancelled_ts IS NULL"
            }
            CaseStatus::Cancelled => " AND i.wfctl_cancelled_ts IS NOT NULL",
        });
    }
    if let Some(basket) = &filter.work_basket {
        let p = s.bind::<Text, _>(basket.clone());
        s.sql(&format!(" AND COALESCE(e.pend_workbasket, '') = {p}"));
    }
    if let Some(journey) = &filter.journey_name {
        let p = s.bind::<Text, _>(journey.clone());
        s.sql(&format!(
            " AND COALESCE(d.def_name, i.journey_name, '') = {p}"
        ));
    }
    if let Some(step) = &filter.step {
        let p = s.bind::<Text, _>(step.clone());
        s.sql(&format!(
            " AND CASE WHEN e.name IS NOT NULL THEN COALESCE(e.step, '') \
             ELSE COALESCE(i.last_executed_step, '') END = {p}"
        ));
    }
    if let Some(before) = filter.updated_before {
        let p = s.bind::<BigInt, _>(before);
        s.sql(&format!(" AND COALESCE(i.ts, 0) < {p}"));
    }
    s.sql(") x ORDER BY case_id COLLATE \"C\"");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tag_follows_the_first_word() {
        assert_eq!(
            tagged("\nWITH x AS (SELECT 1)", "/* wfctl:t */"),
            "\nWITH /* wfctl:t */ x AS (SELECT 1)"
        );
        assert_eq!(tagged("SELECT", "/* wfctl:t */"), "SELECT /* wfctl:t */");
    }

    #[test]
    fn every_constant_statement_carries_a_known_tag() {
        for sql in [
            DEFINITION,
            PROCESS_INFO,
            AUDIT_LOG,
            AUDIT_SEQ,
            UNIT_ATTEMPT,
            RECORD_UNIT_ATTEMPT,
            MILESTONES,
            SLA_DUE,
            CASE_LOCK,
            CASE_UNLOCK,
            CANCELLATION,
        ] {
            // the tag follows the first word (see `tagged`)
            let tag = sql
                .split_once(" /* wfctl:")
                .filter(|(word, _)| word.chars().all(|c| c.is_ascii_alphabetic()))
                .and_then(|(_, rest)| rest.split_once(" */"))
                .map(|(op, _)| op);
            assert!(
                tag.is_some_and(|op| OPERATIONS.contains(&op)),
                "untagged: {sql}"
            );
        }
    }
}
