//! Per-table autovacuum for the hot workflow tables: the guide calls autovacuum "important for
//! workflow tables"; the global scale factor (20% dead rows) lets a large, busy table carry
//! millions of dead rows before it is vacuumed.
//!
//! A table gets a recommendation when it is big enough to matter (`MIN_ROWS` live rows) and
//! busy: its rows were rewritten at least once on average since the statistics began
//! (`(n_tup_upd + n_tup_del) / n_live_tup >= 1`), or it carries 10% dead rows now. Tables that
//! already have their own `autovacuum_vacuum_scale_factor` are left alone.

use chrono::{DateTime, Utc};
use diesel::pg::PgConnection;
use diesel::sql_types::{Array, BigInt, Nullable, Text, Timestamptz};
use diesel::{QueryableByName, RunQueryDsl};
use serde::Serialize;

use crate::db::Error;
use crate::diag::{Finding, Limitation, Severity};

/// The tables the engine rewrites on every persistence point.
pub const HOT_TABLES: [&str; 3] = ["workflow_info", "exec_path", "audit_log"];
/// Below this many live rows the global settings vacuum often enough.
pub const MIN_ROWS: i64 = 10_000;
/// Rewrites per live row since the statistics began that make a table "busy".
pub const CHURN: f64 = 1.0;
/// Dead share that makes a table "busy" regardless of its history.
pub const DEAD_SHARE: f64 = 0.10;

/// One hot table's churn and autovacuum state.
#[derive(Debug, Clone, Serialize)]
pub struct TableAutovacuum {
    /// The table.
    pub table: String,
    /// `n_live_tup`.
    pub live_rows: i64,
    /// `n_dead_tup`.
    pub dead_rows: i64,
    /// Updates + deletes since `stats_since`.
    pub rewrites: i64,
    /// `rewrites / live_rows`.
    pub churn: f64,
    /// `dead_rows / (live_rows + dead_rows)`.
    pub dead_share: f64,
    /// When autovacuum last finished on it.
    pub last_autovacuum: Option<DateTime<Utc>>,
    /// How often autovacuum ran on it since `stats_since`.
    pub autovacuum_count: i64,
    /// Its storage options (`reloptions`), e.g. `autovacuum_vacuum_scale_factor=0.05`.
    pub options: Vec<String>,
    /// When the database's statistics were last reset (`None`: never).
    pub stats_since: Option<DateTime<Utc>>,
    /// Ok, or warning when it should get its own autovacuum settings.
    pub severity: Severity,
    /// The `ALTER TABLE ... SET (autovacuum_...)` to apply, when recommended.
    pub alter: Option<String>,
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = BigInt)]
    live_rows: i64,
    #[diesel(sql_type = BigInt)]
    dead_rows: i64,
    #[diesel(sql_type = BigInt)]
    updates: i64,
    #[diesel(sql_type = BigInt)]
    deletes: i64,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    last_autovacuum: Option<DateTime<Utc>>,
    #[diesel(sql_type = BigInt)]
    autovacuum_count: i64,
    #[diesel(sql_type = Array<Text>)]
    options: Vec<String>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    stats_since: Option<DateTime<Utc>>,
}

/// Reads the hot tables' statistics and decides which need their own autovacuum settings.
pub fn check(
    conn: &mut PgConnection,
    findings: &mut Vec<Finding>,
    limitations: &mut Vec<Limitation>,
) -> Result<Vec<TableAutovacuum>, Error> {
    let names: Vec<String> = HOT_TABLES.iter().map(|t| t.to_string()).collect();
    let rows: Vec<Row> = diesel::sql_query(include_str!("../sql/settings_tables.sql"))
        .bind::<Array<Text>, _>(&names)
        .load(conn)
        .map_err(Error::query("reading workflow table statistics"))?;
    let missing: Vec<&str> = HOT_TABLES
        .iter()
        .copied()
        .filter(|t| !rows.iter().any(|r| r.table_name == *t))
        .collect();
    if !missing.is_empty() {
        limitations.push(Limitation {
            what: format!("per-table autovacuum advice for {}", missing.join(", ")),
            why: "the tables are not in this database's current schema".into(),
            enable: Some("connect to the workflow database (wfctl db migrate creates them)".into()),
        });
    }
    Ok(rows.into_iter().map(|r| assess(r, findings)).collect())
}

fn assess(row: Row, findings: &mut Vec<Finding>) -> TableAutovacuum {
    let rewrites = row.updates + row.deletes;
    let churn = rewrites as f64 / row.live_rows.max(1) as f64;
    let dead_share = row.dead_rows as f64 / (row.live_rows + row.dead_rows).max(1) as f64;
    let tuned = row
        .options
        .iter()
        .any(|o| o.starts_with("autovacuum_vacuum_scale_factor="));
    let busy = row.live_rows >= MIN_ROWS && (churn >= CHURN || dead_share >= DEAD_SHARE);
    let alter = (busy && !tuned).then(|| {
        // Vacuum after 5% dead rows (1% from a million rows on), analyse twice as often.
        let vacuum = if row.live_rows >= 1_000_000 {
            0.01
        } else {
            0.05
        };
        format!(
            "ALTER TABLE {} SET (autovacuum_vacuum_scale_factor = {vacuum}, \
             autovacuum_analyze_scale_factor = {});",
            row.table_name,
            vacuum / 2.0
        )
    });
    let severity = if alter.is_some() {
        Severity::Warning
    } else {
        Severity::Ok
    };
    if let Some(fix) = &alter {
        findings.push(Finding {
            check: "settings".into(),
            severity,
            message: format!(
                "{}: {} live rows rewritten {churn:.1} times on average, {:.0}% dead; \
                 the global autovacuum_vacuum_scale_factor waits for 20% dead rows",
                row.table_name,
                row.live_rows,
                dead_share * 100.0
            ),
            fix: Some(fix.clone()),
        });
    }
    TableAutovacuum {
        table: row.table_name,
        live_rows: row.live_rows,
        dead_rows: row.dead_rows,
        rewrites,
        churn,
        dead_share,
        last_autovacuum: row.last_autovacuum,
        autovacuum_count: row.autovacuum_count,
        options: row.options,
        stats_since: row.stats_since,
        severity,
        alter,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(live: i64, dead: i64, updates: i64, options: &[&str]) -> Row {
        Row {
            table_name: "workflow_info".into(),
            live_rows: live,
            dead_rows: dead,
            updates,
            deletes: 0,
            last_autovacuum: None,
            autovacuum_count: 0,
            options: options.iter().map(|o| o.to_string()).collect(),
            stats_since: None,
        }
    }

    #[test]
    fn busy_large_untuned_tables_get_their_own_settings() {
        let mut findings = Vec::new();
        let busy = assess(row(50_000, 100, 120_000, &[]), &mut findings);
        assert_eq!(
            busy.alter.as_deref(),
            Some(
                "ALTER TABLE workflow_info SET (autovacuum_vacuum_scale_factor = 0.05, \
                 autovacuum_analyze_scale_factor = 0.025);"
            )
        );
        assert_eq!(findings.len(), 1);
        let dead = assess(row(2_000_000, 400_000, 0, &[]), &mut findings);
        assert!(dead.alter.unwrap().contains("= 0.01,"));
        let small = assess(row(500, 400, 9_000, &[]), &mut findings);
        assert!(small.alter.is_none(), "too small to matter");
        let tuned = assess(
            row(
                50_000,
                100,
                120_000,
                &["autovacuum_vacuum_scale_factor=0.05"],
            ),
            &mut findings,
        );
        assert!(tuned.alter.is_none(), "already tuned");
        let quiet = assess(row(50_000, 100, 2_000, &[]), &mut findings);
        assert_eq!(quiet.severity, Severity::Ok);
        assert_eq!(findings.len(), 2);
    }
}
