//! `diag indexes`: unused, duplicate and redundant, invalid indexes; tables read by sequential
//! scans; and whether the indexes the seed guide recommends (plus the ones wfctl's own
//! statements need) exist, with the exact statement that adds a missing one.

use diesel::pg::PgConnection;
use diesel::sql_types::{BigInt, Bool, Text};
use diesel::{QueryableByName, RunQueryDsl};
use serde::Serialize;

use super::facts::{Facts, Since};
use super::{Error, Finding, Outcome, Severity, Thresholds};

/// An index as the catalog describes it.
#[derive(Debug, Clone, Serialize, QueryableByName)]
pub struct IndexRow {
    /// Schema.
    #[diesel(sql_type = Text)]
    pub schema_name: String,
    /// Table.
    #[diesel(sql_type = Text)]
    pub table_name: String,
    /// Index.
    #[diesel(sql_type = Text)]
    pub index_name: String,
    /// UNIQUE.
    #[diesel(sql_type = Bool)]
    pub is_unique: bool,
    /// PRIMARY KEY.
    #[diesel(sql_type = Bool)]
    pub is_primary: bool,
    /// False after a failed CREATE INDEX CONCURRENTLY.
    #[diesel(sql_type = Bool)]
    pub is_valid: bool,
    /// Backs a primary-key, unique or exclusion constraint.
    #[diesel(sql_type = Bool)]
    pub backs_constraint: bool,
    /// Bytes on disk.
    #[diesel(sql_type = BigInt)]
    pub size_bytes: i64,
    /// Index scans since the statistics were reset.
    #[diesel(sql_type = BigInt)]
    pub scans: i64,
    /// Index entries returned by those scans since the reset.
    #[diesel(sql_type = BigInt)]
    pub tuples_read: i64,
    /// Live table rows fetched through the index since the reset.
    #[diesel(sql_type = BigInt)]
    pub tuples_fetched: i64,
    /// btree, gin, ...
    #[diesel(sql_type = Text)]
    pub method: String,
    #[serde(skip)]
    #[diesel(sql_type = Text)]
    key_attnums: String,
    #[serde(skip)]
    #[diesel(sql_type = Text)]
    key_opclasses: String,
    #[serde(skip)]
    #[diesel(sql_type = Text)]
    expressions: String,
    /// Partial-index predicate as the server prints it (JSON `null` for a full index).
    #[diesel(sql_type = Text)]
    #[serde(serialize_with = "crate::conventions::empty_as_null")]
    pub predicate: String,
    /// Key columns, comma-separated (`expr` for an expression).
    #[diesel(sql_type = Text)]
    pub columns: String,
    /// `pg_get_indexdef`.
    #[diesel(sql_type = Text)]
    pub definition: String,
}

impl IndexRow {
    fn qualified(&self) -> String {
        format!("{}.{}", self.schema_name, self.index_name)
    }
    fn keys(&self) -> Vec<&str> {
        self.key_attnums.split_whitespace().collect()
    }
    fn opclasses(&self) -> Vec<&str> {
        self.key_opclasses.split_whitespace().collect()
    }
    fn droppable(&self) -> bool {
        !self.is_unique && !self.is_primary && !self.backs_constraint
    }
}

/// An index that duplicates or is covered by another.
#[derive(Debug, Clone, Serialize)]
pub struct Duplicate {
    /// `duplicate` (same keys) or `redundant` (its keys are a prefix of the other's).
    pub kind: &'static str,
    /// The index that can go.
    pub index: String,
    /// Its table.
    pub table: String,
    /// Its size in bytes.
    pub size_bytes: i64,
    /// The index that covers it.
    pub covered_by: String,
    /// The statement that removes it.
    pub fix: String,
}

/// A table read mostly by sequential scans.
#[derive(Debug, Clone, Serialize, QueryableByName)]
pub struct SeqScanTable {
    /// Schema.
    #[diesel(sql_type = Text)]
    pub schema_name: String,
    /// Table.
    #[diesel(sql_type = Text)]
    pub table_name: String,
    /// Sequential scans since the stats reset.
    #[diesel(sql_type = BigInt)]
    pub seq_scans: i64,
    /// Rows those scans read.
    #[diesel(sql_type = BigInt)]
    pub seq_rows_read: i64,
    /// Index scans since the stats reset.
    #[diesel(sql_type = BigInt)]
    pub index_scans: i64,
    /// Estimated live rows.
    #[diesel(sql_type = BigInt)]
    pub live_rows: i64,
}

/// An index wfctl recommends, and whether the database has it.
#[derive(Debug, Clone, Serialize)]
pub struct Recommended {
    /// Its conventional name.
    pub name: &'static str,
    /// Its table.
    pub table: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// The index that provides it, if present (same table, columns and predicate).
    pub present_as: Option<String>,
    /// The statement that adds it.
    pub create: String,
}

/// The recommended indexes: the seed guide's three ("Index Optimization") and the one the SLA
/// queue's due scan needs. `predicate` is the form `pg_get_expr` prints.
pub struct Recommendation {
    /// Index name.
    pub name: &'static str,
    /// Table.
    pub table: &'static str,
    /// Key columns, comma-separated.
    pub columns: &'static str,
    /// WHERE clause as written.
    pub where_sql: &'static str,
    /// The same as the server prints it.
    pub predicate: &'static str,
    /// Why.
    pub why: &'static str,
}

/// The list `diag indexes` and `diag doctor --write-migration` work from.
pub(crate) const RECOMMENDED: &[Recommendation] = &[
    Recommendation {
        name: "idx_wf_info_ts_incomplete",
        table: "workflow_info",
        columns: "ts",
        where_sql: "is_complete = FALSE",
        predicate: "(is_complete = false)",
        why: "seed guide: incomplete cases by last write (stuck-case scans, case list)",
    },
    Recommendation {
        name: "idx_exec_path_workbasket",
        table: "exec_path",
        columns: "pend_workbasket",
        where_sql: "pend_workbasket IS NOT NULL",
        predicate: "(pend_workbasket IS NOT NULL)",
        why: "seed guide: cases pended in a work basket",
    },
    Recommendation {
        name: "idx_wf_info_active",
        table: "workflow_info",
        columns: "case_id,ts",
        where_sql: "is_complete = FALSE",
        predicate: "(is_complete = false)",
        why: "seed guide: active cases",
    },
    Recommendation {
        name: "idx_milestone_due",
        table: "milestone",
        columns: "target_ts",
        where_sql: "status = 'enqueued'",
        predicate: "((status)::text = 'enqueued'::text)",
        why: "wfctl: the SLA queue's due/overdue scan (sla due, diag cases) without reading fired milestones",
    },
    Recommendation {
        name: "idx_wf_info_running",
        table: "workflow_info",
        columns: "ts",
        where_sql: "is_complete = FALSE AND coalesce(pend_exec_path, '') = ''",
        predicate: "((is_complete = false) AND ((COALESCE(pend_exec_path, ''::character varying))::text = ''::text))",
        why: "wfctl: running cases (metrics, the stuck-case scan of diag cases/all) without reading pended ones",
    },
    Recommendation {
        name: "idx_milestone_failed",
        table: "milestone",
        columns: "sla_failures",
        where_sql: "sla_failures > 0",
        predicate: "(sla_failures > 0)",
        why: "wfctl: the failed SLA actions counter of metrics without reading every milestone",
    },
    Recommendation {
        name: "idx_milestone_due_basket",
        table: "milestone",
        columns: "target_ts,work_basket_name",
        where_sql: "status = 'enqueued'",
        predicate: "((status)::text = 'enqueued'::text)",
        why: "wfctl: overdue milestones per work basket (metrics) from the index alone",
    },
];

impl Recommendation {
    /// `CREATE INDEX CONCURRENTLY ...` for this index.
    pub fn create_sql(&self) -> String {
        format!(
            "CREATE INDEX CONCURRENTLY {} ON {}({}) WHERE {};",
            self.name,
            self.table,
            self.columns.replace(',', ", "),
            self.where_sql
        )
    }
}

/// The report.
#[derive(Debug, Clone, Serialize)]
pub struct IndexReport {
    /// Since when the scan counts count.
    pub since: Since,
    /// Indexes never scanned since then (constraint indexes left out: they enforce rules).
    pub unused: Vec<IndexRow>,
    /// Duplicates and redundant indexes.
    pub duplicates: Vec<Duplicate>,
    /// Invalid indexes, with the statements that rebuild them.
    pub invalid: Vec<Invalid>,
    /// Tables read mostly by sequential scans.
    pub seq_scans: Vec<SeqScanTable>,
    /// Recommended indexes present or missing.
    pub recommended: Vec<Recommended>,
}

/// An invalid index.
#[derive(Debug, Clone, Serialize)]
pub struct Invalid {
    /// The index.
    pub index: String,
    /// Its table.
    pub table: String,
    /// Bytes on disk (it still costs writes).
    pub size_bytes: i64,
    /// Drop it and build it again.
    pub fix: String,
}

/// wfctl's migrations, oldest first: the indexes its own schema creates serve its statements
/// and are never offered for dropping.
const MIGRATION_SQL: &[&str] = &[
    include_str!("../../migrations/00000000000001_seed_schema/up.sql"),
    include_str!("../../migrations/00000000000002_wfctl_additions/up.sql"),
    include_str!("../../migrations/00000000000003_store_columns/up.sql"),
    include_str!("../../migrations/00000000000004_import_ledger_case_index/up.sql"),
    include_str!("../../migrations/00000000000005_import_ledger_xid/up.sql"),
    include_str!("../../migrations/00000000000006_case_lock_key/up.sql"),
    include_str!("../../migrations/00000000000007_unit_attempt/up.sql"),
    include_str!("../../migrations/00000000000008_case_cancel/up.sql"),
    include_str!("../../migrations/00000000000009_sla_fired/up.sql"),
    include_str!("../../migrations/00000000000010_bulk_runs/up.sql"),
    include_str!("../../migrations/00000000000011_import_ledger_rows/up.sql"),
    include_str!("../../migrations/00000000000012_active_case_indexes/up.sql"),
    include_str!("../../migrations/00000000000013_exec_path_visit/up.sql"),
    include_str!("../../migrations/00000000000014_counter_names/up.sql"),
    include_str!("../../migrations/00000000000015_milestone_due_basket/up.sql"),
];

/// The names of the indexes wfctl's migrations create.
pub(crate) fn own_index_names() -> Vec<String> {
    let mut names = Vec::new();
    for sql in MIGRATION_SQL {
        let words: Vec<&str> = sql.split_whitespace().collect();
        for (i, pair) in words.windows(2).enumerate() {
            let is_create = pair[0].eq_ignore_ascii_case("CREATE")
                && (pair[1].eq_ignore_ascii_case("INDEX")
                    || pair[1].eq_ignore_ascii_case("UNIQUE"));
            if !is_create {
                continue;
            }
            let name = words[i + 1..]
                .iter()
                .skip_while(|w| !w.eq_ignore_ascii_case("INDEX"))
                .skip(1)
                .find(|w| {
                    !["CONCURRENTLY", "IF", "NOT", "EXISTS"]
                        .iter()
                        .any(|k| w.eq_ignore_ascii_case(k))
                });
            if let Some(name) = name {
                names.push(name.split('(').next().unwrap_or(name).to_string());
            }
        }
    }
    names
}

/// Tables smaller than this are not reported for sequential scans.
pub(crate) const SEQ_SCAN_MIN_ROWS: i64 = 10_000;

/// Every index with its usage (PgHero's index page; the guide's index-usage query): scans,
/// tuples read and fetched, size; by table, least scanned first.
pub fn usage(conn: &mut PgConnection) -> Result<Vec<IndexRow>, Error> {
    let mut rows: Vec<IndexRow> = diesel::sql_query(include_str!("sql/indexes_list.sql"))
        .load(conn)
        .map_err(Error::query("listing indexes"))?;
    rows.sort_by(|a, b| {
        (&a.schema_name, &a.table_name, a.scans, &a.index_name).cmp(&(
            &b.schema_name,
            &b.table_name,
            b.scans,
            &b.index_name,
        ))
    });
    Ok(rows)
}

/// Reads the index catalog and statistics.
pub fn report(conn: &mut PgConnection, facts: &Facts) -> Result<IndexReport, Error> {
    let rows: Vec<IndexRow> = diesel::sql_query(include_str!("sql/indexes_list.sql"))
        .load(conn)
        .map_err(Error::query("listing indexes"))?;
    let seq_scans: Vec<SeqScanTable> = diesel::sql_query(include_str!("sql/indexes_seq_scans.sql"))
        .bind::<BigInt, _>(SEQ_SCAN_MIN_ROWS)
        .load(conn)
        .map_err(Error::query("reading table scan statistics"))?;
    let recommended = recommended(&rows);
    let keep: Vec<&str> = recommended
        .iter()
        .filter_map(|r| r.present_as.as_deref())
        .collect();
    // Constraint indexes enforce rules, and recommended ones and wfctl's own serve wfctl's
    // statements: none is offered for dropping, scanned or not.
    let own = own_index_names();
    let unused = rows
        .iter()
        .filter(|r| {
            r.scans == 0
                && r.is_valid
                && r.droppable()
                && !keep.contains(&r.qualified().as_str())
                && !own.contains(&r.index_name)
        })
        .cloned()
        .collect();
    let invalid = rows
        .iter()
        .filter(|r| !r.is_valid)
        .map(|r| Invalid {
            index: r.qualified(),
            table: r.table_name.clone(),
            size_bytes: r.size_bytes,
            fix: format!(
                "DROP INDEX CONCURRENTLY {}; {};",
                r.qualified(),
                r.definition.replacen(" INDEX ", " INDEX CONCURRENTLY ", 1)
            ),
        })
        .collect();
    Ok(IndexReport {
        since: facts.stats_since(),
        unused,
        duplicates: duplicates(&rows, &own),
        invalid,
        seq_scans,
        recommended,
    })
}

fn duplicates(rows: &[IndexRow], own: &[String]) -> Vec<Duplicate> {
    let mut out = Vec::new();
    // wfctl's own indexes are its schema (db migrate checks it): never offered for dropping
    for a in rows
        .iter()
        .filter(|r| r.is_valid && r.droppable() && !own.contains(&r.index_name))
    {
        let covering = rows.iter().filter(|b| {
            b.index_name != a.index_name
                && b.is_valid
                && b.schema_name == a.schema_name
                && b.table_name == a.table_name
                && b.method == a.method
                && b.expressions == a.expressions
                && b.predicate == a.predicate
        });
        for b in covering {
            let (ak, bk) = (a.keys(), b.keys());
            let (ao, bo) = (a.opclasses(), b.opclasses());
            let same = ak == bk && ao == bo;
            // Two identical droppable indexes: report only the second name, keep the first.
            if same && b.droppable() && b.index_name > a.index_name {
                continue;
            }
            let prefix = a.method == "btree"
                && ak.len() < bk.len()
                && bk.starts_with(&ak)
                && bo.starts_with(&ao);
            if same || prefix {
                out.push(Duplicate {
                    kind: if same { "duplicate" } else { "redundant" },
                    index: a.qualified(),
                    table: a.table_name.clone(),
                    size_bytes: a.size_bytes,
                    covered_by: b.qualified(),
                    fix: format!("DROP INDEX CONCURRENTLY {};", a.qualified()),
                });
                break;
            }
        }
    }
    out
}

fn recommended(rows: &[IndexRow]) -> Vec<Recommended> {
    RECOMMENDED
        .iter()
        .map(|rec| Recommended {
            name: rec.name,
            table: rec.table,
            why: rec.why,
            present_as: rows
                .iter()
                .find(|r| {
                    r.is_valid
                        && r.table_name == rec.table
                        && r.columns == rec.columns
                        && r.predicate == rec.predicate
                })
                .map(IndexRow::qualified),
            create: rec.create_sql(),
        })
        .collect()
}

/// Findings for `diag all`. An unused index is a warning only once the statistics are at
/// least `min_stats_age` old (a restored or reset database has no scans anywhere).
pub(crate) fn evaluate_report(
    report: &IndexReport,
    facts: &Facts,
    thresholds: &Thresholds,
    min_stats_age: std::time::Duration,
) -> Outcome {
    let mut out = Outcome::default();
    let m = thresholds.measure("invalid_indexes", report.invalid.len() as f64);
    for i in &report.invalid {
        out.findings.push(
            Finding::new(
                "indexes",
                m.severity,
                format!("invalid index {} on {}", i.index, i.table),
            )
            .with_fix(i.fix.clone()),
        );
    }
    out.measures.push(m);
    // a duplicate or a missing recommended index is a problem with a fix: at least a warning
    let m = thresholds.measure("duplicate_indexes", report.duplicates.len() as f64);
    for d in &report.duplicates {
        out.findings.push(
            Finding::new(
                "indexes",
                m.severity.max(Severity::Warning),
                format!("{} index {} (covered by {})", d.kind, d.index, d.covered_by),
            )
            .with_fix(d.fix.clone()),
        );
    }
    out.measures.push(m);
    let missing: Vec<&Recommended> = report
        .recommended
        .iter()
        .filter(|r| r.present_as.is_none())
        .collect();
    let m = thresholds.measure("missing_indexes", missing.len() as f64);
    for r in &missing {
        out.findings.push(
            Finding::new(
                "indexes",
                m.severity.max(Severity::Warning),
                format!("recommended index {} missing ({})", r.name, r.why),
            )
            .with_fix(r.create.clone()),
        );
    }
    out.measures.push(m);
    let old_enough = report.since.age(facts.server.now) >= min_stats_age;
    if let Some(largest) = report.unused.iter().max_by_key(|r| r.size_bytes) {
        let m = thresholds.measure("unused_index_mb", largest.size_bytes as f64 / 1_048_576.0);
        let total: i64 = report.unused.iter().map(|r| r.size_bytes).sum();
        let names: Vec<String> = report
            .unused
            .iter()
            .take(8)
            .map(IndexRow::qualified)
            .collect();
        out.findings.push(
            Finding::new(
                "indexes",
                if old_enough { m.severity } else { Severity::Ok },
                format!(
                    "{} indexes never scanned ({} in all, largest {} {}): {}{} ({}{})",
                    report.unused.len(),
                    super::sizes::human(total),
                    largest.qualified(),
                    super::sizes::human(largest.size_bytes),
                    names.join(", "),
                    if report.unused.len() > names.len() {
                        ", ..."
                    } else {
                        ""
                    },
                    report.since.text,
                    if old_enough {
                        ""
                    } else {
                        "; too recent to judge"
                    }
                ),
            )
            .with_fix("wfctl diag indexes  (DROP INDEX CONCURRENTLY the ones no statement needs)"),
        );
        if old_enough {
            out.measures.push(m);
        }
    }
    for t in &report.seq_scans {
        out.findings.push(Finding::new(
            "indexes",
            Severity::Ok,
            format!(
                "table {}.{} ({} rows) read by {} sequential scans vs {} index scans ({})",
                t.schema_name,
                t.table_name,
                t.live_rows,
                t.seq_scans,
                t.index_scans,
                report.since.text
            ),
        ));
    }
    out
}

/// `diag all`'s index check.
pub(crate) fn evaluate(
    conn: &mut PgConnection,
    facts: &Facts,
    thresholds: &Thresholds,
    min_stats_age: std::time::Duration,
) -> Result<Outcome, Error> {
    Ok(evaluate_report(
        &report(conn, facts)?,
        facts,
        thresholds,
        min_stats_age,
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_migration_is_read_for_wfctls_own_indexes() {
        assert_eq!(
            super::MIGRATION_SQL.len(),
            crate::db::migrate::embedded().len()
        );
        let own = super::own_index_names();
        for name in [
            "idx_pv_name",
            "idx_wf_info_ts_incomplete",
            "idx_import_ledger_case_id",
        ] {
            assert!(own.iter().any(|n| n == name), "{name} not in {own:?}");
        }
    }
}
