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

use super::rows::{
    DefinitionRows, ExecPathRow, InfoRow, InfoRows, MilestoneOps, MilestoneRow, VariableRow,
};
use crate::store::{CaseFilter, CaseStatus};

/// `/* wfctl:<op> */` names of the statements this module assembles; the constant statements
/// spell their tag in their text, and a test checks every tag against [`OPERATIONS`].
pub mod op {
    /// Journey (+ steps, routes, branches) and SLA of a case.
    pub const CREATE_CASE: &str = "create_case";
    /// One page of `case list` (keyset by case id).
    pub const CASE_PAGE: &str = "case_page";
    /// A bulk worker claiming a batch of cases.
    pub const BULK_CLAIM: &str = "bulk_claim";
}

/// Every operation name the store's statements are tagged with (what `diag slow-queries`
/// attributes time to): the assembled ones of [`op`], and `save_point`, `case_list`, `journey`,
/// `process_info`, `audit_log`, `audit_seq`, `milestones` (reading a case), `sla_due`,
/// `case_lock` and `unit_attempt` spelled in `sql/*.sql`, and `sla_claim` and `sla_record` of
/// the SLA worker's ledger (`sla::pg`). A test checks every tag of these statements against it.
#[cfg(test)]
const OPERATIONS: [&str; 15] = [
    op::CREATE_CASE,
    "save_point",
    "journey",
    "process_info",
    "audit_log",
    "audit_seq",
    "milestones",
    "case_list",
    "sla_due",
    "case_lock",
    op::CASE_PAGE,
    op::BULK_CLAIM,
    "unit_attempt",
    "sla_claim",
    "sla_record",
];

/// Fails unless `sql` carries a `/* wfctl:<op> */` tag after its first word naming one of
/// [`OPERATIONS`].
#[cfg(test)]
pub(crate) fn assert_tagged(sql: &str) {
    // the tag follows the first word (see `tagged`)
    let tag = sql
        .trim_start()
        .split_once(" /* wfctl:")
        .filter(|(word, _)| word.chars().all(|c| c.is_ascii_alphabetic()))
        .and_then(|(_, rest)| rest.split_once(" */"))
        .map(|(op, _)| op);
    assert!(
        tag.is_some_and(|op| OPERATIONS.contains(&op)),
        "untagged or unknown operation: {sql}"
    );
}

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

/// A statement of `sql/*.sql` whose values are bound in the order of its `$n`.
pub type Bound = BoxedSqlQuery<'static, Pg, SqlQuery>;

/// `save_point` (`sql/save_point.sql`): one statement returning `last_seq` (the case's counter
/// after the point, 0 when no audit record was written). Its text is the same for every
/// point: each part is switched off by its values (no process info: a NULL hibid; no audit
/// record: a count of 0; empty arrays insert nothing), so nothing is assembled.
pub fn save_point(p: &PointParts<'_>) -> Bound {
    let q = diesel::sql_query(SAVE_POINT)
        .into_boxed()
        .bind::<Text, _>(p.case_id.to_owned());
    let q = bind_info(q, p.case_id, p.info);
    let a = &p.audits;
    let q = q
        .bind::<Text, _>(p.counter.clone())
        .bind::<BigInt, _>(i64::try_from(a.len()).unwrap_or(i64::MAX))
        .bind::<Array<Text>, _>(column(a, |a| a.0.clone()))
        .bind::<Array<BigInt>, _>(column(a, |a| a.1))
        .bind::<Array<Jsonb>, _>(column(a, |a| a.2.clone()));
    let q = bind_milestones(q, p.milestones, p.now);
    let c = p.cancel;
    q.bind::<Nullable<BigInt>, _>(c.map(|c| c.at))
        .bind::<Nullable<Text>, _>(c.map(|c| c.by.clone()))
        .bind::<Nullable<Text>, _>(c.map(|c| c.reason.clone()))
}

/// The text of a persistence point.
const SAVE_POINT: &str = include_str!("sql/save_point.sql");

/// The channel every saved persistence point is notified on, with the case id as payload
/// (spelled in `sql/save_point.sql`).
pub const CHANGE_CHANNEL: &str = "wfctl_case";

/// `$2`..`$37` of `save_point`: the process info, its exec paths and its variables (a NULL
/// hibid and empty arrays when the point has no process info).
fn bind_info(q: Bound, case_id: &str, rows: Option<&InfoRows>) -> Bound {
    let (i, p, v): (_, &[ExecPathRow], &[VariableRow]) = match rows {
        Some(r) => (Some(&r.info), &r.exec_paths, &r.variables),
        None => (None, &[], &[]),
    };
    let text = |f: fn(&InfoRow) -> Option<String>| i.and_then(f);
    q.bind::<Nullable<Text>, _>(i.map(|i| i.hibid.clone()))
        .bind::<Nullable<BigInt>, _>(i.and_then(|i| i.ts))
        .bind::<Nullable<Bool>, _>(i.and_then(|i| i.is_complete))
        .bind::<Nullable<Text>, _>(text(|i| i.pend_exec_path.clone()))
        .bind::<Nullable<Text>, _>(text(|i| i.last_executed_step.clone()))
        .bind::<Nullable<Text>, _>(text(|i| i.last_executed_comp_name.clone()))
        .bind::<Nullable<Text>, _>(text(|i| i.ticket.clone()))
        .bind::<Nullable<Text>, _>(text(|i| i.journey_name.clone()))
        .bind::<Text, _>(crate::model::journey_key(case_id))
        .bind::<Nullable<Text>, _>(text(|i| i.ticket_urt.clone()))
        .bind::<Bool, _>(i.is_some_and(|i| i.is_pend_at_same_step))
        .bind::<Nullable<Text>, _>(text(|i| i.last_pend_workbasket.clone()))
        .bind::<Nullable<Text>, _>(text(|i| i.last_pend_step.clone()))
        .bind::<Nullable<Jsonb>, _>(i.and_then(|i| i.branches.clone()))
        .bind::<Array<Text>, _>(column(p, |r| r.name.clone()))
        .bind::<Texts, _>(column(p, |r| r.status.clone()))
        .bind::<Texts, _>(column(p, |r| r.step.clone()))
        .bind::<Texts, _>(column(p, |r| r.unit_response_type.clone()))
        .bind::<Texts, _>(column(p, |r| r.pend_workbasket.clone()))
        .bind::<Texts, _>(column(p, |r| r.prev_pend_workbasket.clone()))
        .bind::<Array<Nullable<Integer>>, _>(column(p, |r| r.error_code))
        .bind::<Texts, _>(column(p, |r| r.error_desc.clone()))
        .bind::<Texts, _>(column(p, |r| r.comp_name.clone()))
        .bind::<Texts, _>(column(p, |r| r.ticket.clone()))
        .bind::<Texts, _>(column(p, |r| r.error_details.clone()))
        .bind::<Array<Nullable<Bool>>, _>(column(p, |r| r.error_retryable))
        .bind::<Texts, _>(column(p, |r| r.tbc_sla_workbasket.clone()))
        .bind::<Array<BigInt>, _>(column(p, |r| r.wfctl_visit))
        .bind::<Array<Integer>, _>(column(p, |r| r.wfctl_interrupted_starts))
        .bind::<Array<Text>, _>(column(v, |r| r.name.clone()))
        .bind::<Texts, _>(column(v, |r| r.kind.clone()))
        .bind::<Texts, _>(column(v, |r| r.value_string.clone()))
        .bind::<Array<Nullable<BigInt>>, _>(column(v, |r| r.value_long))
        .bind::<Array<Nullable<Bool>>, _>(column(v, |r| r.value_boolean))
        .bind::<Array<Nullable<Double>>, _>(column(v, |r| r.value_double))
        .bind::<Array<Nullable<Jsonb>>, _>(column(v, |r| r.value_json.clone()))
}

/// `$43`..`$57` of `save_point`: the milestones that leave the queue (every one, or those of
/// some baskets) and the ones that join it.
fn bind_milestones(q: Bound, ops: &MilestoneOps, now: i64) -> Bound {
    let m: &[MilestoneRow] = &ops.insert;
    q.bind::<BigInt, _>(now)
        .bind::<Bool, _>(ops.dequeue_all)
        .bind::<Array<Text>, _>(ops.dequeue_baskets.clone())
        .bind::<Array<Text>, _>(column(m, |r| r.name.clone()))
        .bind::<Array<Nullable<BigInt>>, _>(column(m, |r| r.target_ts))
        .bind::<Array<Nullable<BigInt>>, _>(column(m, |r| r.actual_ts))
        .bind::<Texts, _>(column(m, |r| r.status.clone()))
        .bind::<Array<Nullable<Integer>>, _>(column(m, |r| r.sla_minutes))
        .bind::<Texts, _>(column(m, |r| r.work_basket_name.clone()))
        .bind::<Texts, _>(column(m, |r| r.setup_on.clone()))
        .bind::<Texts, _>(column(m, |r| r.milestone_type.clone()))
        .bind::<Texts, _>(column(m, |r| r.action.clone()))
        .bind::<Texts, _>(column(m, |r| r.user_data.clone()))
        .bind::<Array<Nullable<Jsonb>>, _>(column(m, |r| r.details.clone()))
        .bind::<Array<Nullable<BigInt>>, _>(column(m, |r| r.enqueued_ts))
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

/// `case_list` (`sql/case_list.sql`): the summaries of the cases that pass `filter`, ordered by
/// case id (bytewise, like the other stores); every case, with or without its journey row. A
/// filter not set is bound as NULL, which switches its condition off.
pub fn case_list(filter: &CaseFilter) -> Bound {
    let status = filter.status.map(|s| match s {
        CaseStatus::NotStarted => "not_started",
        CaseStatus::Running => "running",
        CaseStatus::Pended => "pended",
        CaseStatus::Completed => "completed",
        CaseStatus::Cancelled => "cancelled",
    });
    diesel::sql_query(CASE_LIST)
        .into_boxed()
        .bind::<Nullable<Text>, _>(status)
        .bind::<Nullable<Text>, _>(filter.work_basket.clone())
        .bind::<Nullable<Text>, _>(filter.journey_name.clone())
        .bind::<Nullable<Text>, _>(filter.step.clone())
        .bind::<Nullable<BigInt>, _>(filter.updated_before)
}

/// The text of a listing.
const CASE_LIST: &str = include_str!("sql/case_list.sql");

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
            SAVE_POINT,
            CASE_LIST,
        ] {
            assert_tagged(sql);
        }
    }

    #[test]
    fn a_point_notifies_the_channel_waiters_listen_on() {
        assert!(SAVE_POINT.contains(&format!("pg_notify('{CHANGE_CHANNEL}', $1)")));
    }

    #[test]
    fn a_point_spells_the_milestone_words_of_the_rows() {
        use super::super::rows::{DEQUEUED, ENQUEUED};
        use crate::model::MilestoneType;
        for word in [DEQUEUED, ENQUEUED, MilestoneType::WorkBasket.as_str()] {
            assert!(SAVE_POINT.contains(&format!("'{word}'")), "{word}");
        }
    }
}
