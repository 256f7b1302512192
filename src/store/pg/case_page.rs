//! `case list` and bulk claims on PostgreSQL: one page of cases by keyset on the case id,
//! written so that the guide's partial indexes can answer it on millions of cases
//! (`idx_wf_info_active (case_id, ts) WHERE is_complete = FALSE` walks incomplete cases in
//! case-id order; `idx_exec_path_workbasket (pend_workbasket) WHERE pend_workbasket IS NOT
//! NULL` finds the cases of a work basket; `idx_wf_info_ts_incomplete` the stuck ones).
//!
//! Order: the case id in the database's collation, so that the index gives the order (bytewise
//! on a `C` database, like the other stores).
//!
//! Bulk workers claim their cases with [`PgClaims`]: each batch is selected `FOR NO KEY UPDATE
//! OF d SKIP LOCKED` on the cases' `workflow_definition` rows in a transaction held while the
//! batch is worked on, so workers on other hosts skip it. The definition row is never written
//! by a resume or a work-basket change (only by `start`), so the claim cannot block the
//! engine's own writes; the case lock and the worker's check of the case state stay the
//! guarantee (a claim lost with a dropped connection only means two workers may try the case;
//! one of them finds it locked or changed).

use diesel::RunQueryDsl;
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sql_types::{BigInt, Text};

use super::rows::{SummaryRow, summary_from_row};
use super::sql::{Statement, op};
use super::{JsonRow, PgStore, from_db, from_diesel, parse_row};
use crate::db;
use crate::store::{CaseQuery, CaseStatus, CaseSummary, Result};

/// Whether the listing must start from the case state (`workflow_info`) rather than from the
/// definitions (which also lists cases that never ran).
fn needs_info(q: &CaseQuery) -> bool {
    q.filter.status.is_some_and(|s| s != CaseStatus::NotStarted)
        || q.filter.work_basket.is_some()
        || q.filter.updated_before.is_some()
        || q.sla_due_by.is_some()
        || q.incomplete_only
        || q.filter.left_mid_run
}

const COLUMNS_FROM_INFO: &str = "i.case_id, i.journey_name, true AS has_info, i.is_complete,
    i.pend_exec_path, i.last_executed_step, i.ts, e.name AS path_name, e.pend_workbasket,
    e.step AS path_step, i.wfctl_cancelled_ts IS NOT NULL AS cancelled";

/// The listing of every case, started or not: the ids of the journey rows and of the case
/// states, merged (a case imported without its journey file has no journey row). Without a
/// filter that applies after the merge, each side is cut to the page first, so a page reads
/// at most twice its size from the two case-id indexes.
fn from_every_case(s: &mut Statement, q: &CaseQuery) {
    let f = &q.filter;
    let filtered_later = f.journey_name.is_some() || f.step.is_some() || f.status.is_some();
    let side = |s: &mut Statement, select: &str, column: &str, mut cond: Vec<String>| {
        if let Some(after) = &q.after {
            let p = s.bind::<Text, _>(after.clone());
            cond.push(format!("{column} > {p}"));
        }
        let mut sql = format!("({select}");
        if !cond.is_empty() {
            sql.push_str(&format!(" WHERE {}", cond.join(" AND ")));
        }
        if let (Some(limit), false) = (q.limit, filtered_later) {
            let p = s.bind::<BigInt, _>(i64::try_from(limit).unwrap_or(i64::MAX));
            sql.push_str(&format!(" ORDER BY {column} LIMIT {p}"));
        }
        sql.push(')');
        sql
    };
    let journeys = side(
        s,
        "SELECT d.case_id FROM workflow_definition d",
        "d.case_id",
        vec!["d.hibid = 'journey-' || d.case_id".to_owned()],
    );
    let states = side(
        s,
        "SELECT i.case_id FROM workflow_info i",
        "i.case_id",
        Vec::new(),
    );
    s.sql(&format!(
        "  SELECT k.case_id, COALESCE(d.def_name, i.journey_name) AS journey_name,
    i.hibid IS NOT NULL AS has_info, i.is_complete, i.pend_exec_path, i.last_executed_step, i.ts,
    e.name AS path_name, e.pend_workbasket, e.step AS path_step,
    i.wfctl_cancelled_ts IS NOT NULL AS cancelled
  FROM ({journeys} UNION {states}) k
  LEFT JOIN workflow_definition d ON d.hibid = 'journey-' || k.case_id
  LEFT JOIN workflow_info i ON i.case_id = k.case_id
  LEFT JOIN exec_path e ON e.workflow_info_hibid = i.hibid AND e.name = i.pend_exec_path
  WHERE true"
    ));
}

/// The page statement; `claim` makes it a bulk claim (see [`claim_statement`]).
pub fn page_statement(q: &CaseQuery, claim: bool) -> Statement {
    if claim {
        return claim_statement(q);
    }
    let info = needs_info(q);
    let mut s = Statement::new(op::CASE_PAGE);
    let key = if info { "i.case_id" } else { "k.case_id" };
    s.sql("SELECT to_jsonb(x) AS row FROM (\n");
    if info {
        from_case_states(&mut s, q, "");
    } else {
        from_every_case(&mut s, q);
    }
    filters(&mut s, q, info, key);
    order_and_limit(&mut s, q, key);
    s.sql(") x");
    s
}

/// A bulk claim: the page's cases that have a journey row, locked `FOR NO KEY UPDATE OF d
/// SKIP LOCKED` (see the module header), merged with those that have none (a case imported
/// without its journey file): nothing to lock there, and listing them lets the worker say
/// why they cannot run instead of passing over them.
fn claim_statement(q: &CaseQuery) -> Statement {
    let mut s = Statement::new(op::BULK_CLAIM);
    let key = "i.case_id";
    s.sql("WITH claimed AS (\n");
    from_case_states(
        &mut s,
        q,
        "  JOIN workflow_definition d ON d.hibid = 'journey-' || i.case_id\n",
    );
    filters(&mut s, q, true, key);
    order_and_limit(&mut s, q, key);
    s.sql(" FOR NO KEY UPDATE OF d SKIP LOCKED),\njourneyless AS (\n");
    from_case_states(&mut s, q, "");
    s.sql(
        " AND NOT EXISTS (SELECT 1 FROM workflow_definition d \
         WHERE d.hibid = 'journey-' || i.case_id)",
    );
    filters(&mut s, q, true, key);
    order_and_limit(&mut s, q, key);
    s.sql(
        ")\nSELECT to_jsonb(x) AS row FROM \
         (SELECT * FROM claimed UNION ALL SELECT * FROM journeyless) x",
    );
    order_and_limit(&mut s, q, "x.case_id");
    s
}

/// `SELECT ... FROM workflow_info i` with the pended path and `join`, up to `WHERE true`.
fn from_case_states(s: &mut Statement, q: &CaseQuery, join: &str) {
    let path_join = if q.filter.work_basket.is_some() {
        "JOIN"
    } else {
        "LEFT JOIN"
    };
    s.sql(&format!(
        "  SELECT {COLUMNS_FROM_INFO}\n  FROM workflow_info i\n  \
         {path_join} exec_path e ON e.workflow_info_hibid = i.hibid AND e.name = i.pend_exec_path\n\
         {join}  WHERE true"
    ));
}

/// The filter's conditions and the keyset cursor, after `WHERE true`.
fn filters(s: &mut Statement, q: &CaseQuery, info: bool, key: &str) {
    let f = &q.filter;
    // `is_complete = FALSE` literally, so that the partial indexes match.
    // a cancelled case has its own status, whatever the guide's columns say
    let incomplete = " AND i.is_complete = FALSE AND i.wfctl_cancelled_ts IS NULL";
    match f.status {
        None if f.work_basket.is_some() => {
            s.sql(&format!("{incomplete} AND i.pend_exec_path <> ''"))
        }
        None if q.incomplete_only => s.sql(incomplete),
        None => &mut *s,
        Some(CaseStatus::NotStarted) => s.sql(" AND i.hibid IS NULL"),
        Some(CaseStatus::Completed) => s.sql(" AND i.is_complete AND i.wfctl_cancelled_ts IS NULL"),
        Some(CaseStatus::Pended) => s.sql(&format!("{incomplete} AND i.pend_exec_path <> ''")),
        Some(CaseStatus::Running) => s.sql(&format!(
            "{incomplete} AND COALESCE(i.pend_exec_path, '') = ''"
        )),
        Some(CaseStatus::Cancelled) => s.sql(" AND i.wfctl_cancelled_ts IS NOT NULL"),
    };
    if f.left_mid_run {
        // `CaseSummary::left_mid_run`
        let p = s.bind::<Text, _>(crate::engine::TEMP_HOLD_WORKBASKET.to_owned());
        s.sql(&format!(
            "{incomplete} AND (COALESCE(i.pend_exec_path, '') = '' OR e.pend_workbasket = {p})"
        ));
    }
    if let Some(basket) = &f.work_basket {
        let p = s.bind::<Text, _>(basket.clone());
        s.sql(&format!(" AND e.pend_workbasket = {p}"));
    }
    if let Some(journey) = &f.journey_name {
        let p = s.bind::<Text, _>(journey.clone());
        let column = if info {
            "i.journey_name"
        } else {
            "COALESCE(d.def_name, i.journey_name)"
        };
        s.sql(&format!(" AND {column} = {p}"));
    }
    if let Some(step) = &f.step {
        let p = s.bind::<Text, _>(step.clone());
        s.sql(&format!(
            " AND CASE WHEN e.name IS NOT NULL THEN e.step ELSE i.last_executed_step END = {p}"
        ));
    }
    if let Some(before) = f.updated_before {
        let p = s.bind::<BigInt, _>(before);
        s.sql(&format!(" AND i.ts < {p}"));
    }
    if let Some(by) = q.sla_due_by {
        let p = s.bind::<BigInt, _>(by);
        s.sql(&format!(
            " AND EXISTS (SELECT 1 FROM milestone m WHERE m.case_id = i.case_id \
             AND m.status = 'enqueued' AND m.target_ts <= {p})"
        ));
    }
    if let Some(after) = &q.after {
        let p = s.bind::<Text, _>(after.clone());
        s.sql(&format!(" AND {key} > {p}"));
    }
}

fn order_and_limit(s: &mut Statement, q: &CaseQuery, key: &str) {
    s.sql(&format!("\n  ORDER BY {key}"));
    if let Some(limit) = q.limit {
        let p = s.bind::<BigInt, _>(i64::try_from(limit).unwrap_or(i64::MAX));
        s.sql(&format!(" LIMIT {p}"));
    }
}

fn summaries(rows: Vec<JsonRow>) -> Result<Vec<CaseSummary>> {
    rows.into_iter()
        .map(|r| parse_row::<SummaryRow>("case listing", r.row).map(summary_from_row))
        .collect()
}

impl PgStore {
    /// One page of a case listing (see the module header).
    pub(super) fn case_page(&self, query: &CaseQuery) -> Result<Vec<CaseSummary>> {
        let statement = page_statement(query, false).finish();
        summaries(self.run("listing cases", |c| statement.load(c))?)
    }

    /// Starts claiming the cases that pass `query` (pended in a basket), `batch` at a time,
    /// on a connection of its own.
    pub fn claims(&self, query: CaseQuery, batch: usize) -> Result<PgClaims> {
        let conn = db::connect(&self.url, self.options.connection_timeout).map_err(from_db)?;
        Ok(PgClaims {
            conn,
            query,
            batch,
            open: false,
        })
    }
}

/// A bulk worker's claims: the cases of the current batch stay claimed until the next call
/// of [`PgClaims::next_batch`] (or until this value is dropped and its connection closes).
pub struct PgClaims {
    conn: PgConnection,
    query: CaseQuery,
    batch: usize,
    open: bool,
}

impl PgClaims {
    /// Releases the previous batch and claims the next one, after the last case claimed;
    /// empty when no unclaimed case is left.
    pub fn next_batch(&mut self) -> Result<Vec<CaseSummary>> {
        self.release()?;
        self.conn
            .batch_execute("BEGIN")
            .map_err(|e| from_diesel("claiming cases", e))?;
        self.open = true;
        let query = CaseQuery {
            limit: Some(self.batch),
            ..self.query.clone()
        };
        let rows: Vec<JsonRow> = page_statement(&query, true)
            .finish()
            .load(&mut self.conn)
            .map_err(|e| from_diesel("claiming cases", e))?;
        let cases = summaries(rows)?;
        if let Some(last) = cases.last() {
            self.query.after = Some(last.case_id.clone());
        }
        Ok(cases)
    }

    /// Ends the current claim.
    pub fn release(&mut self) -> Result<()> {
        if std::mem::take(&mut self.open) {
            self.conn
                .batch_execute("COMMIT")
                .map_err(|e| from_diesel("releasing claimed cases", e))?;
        }
        Ok(())
    }
}
