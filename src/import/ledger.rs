//! The import ledger (`wfctl_import_ledger`): one row per source file with its size, checksum,
//! status and error. A re-run skips what is imported and unchanged, retries what failed, and
//! re-imports what changed. Rows are written in the same transaction as the case's data, so a
//! killed run never leaves a file marked imported without its rows, or rows without a mark.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Nullable, Text};

use super::Error;

/// Status of a file in the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerStatus {
    /// Its case's rows are in the database.
    Imported,
    /// Rejected; retried by the next run.
    Failed,
}

impl LedgerStatus {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Imported => "imported",
            Self::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Self {
        if s == "imported" {
            Self::Imported
        } else {
            Self::Failed
        }
    }
}

/// One ledger row as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    /// File name relative to the imported directory.
    pub path: String,
    /// Size at import.
    pub size: u64,
    /// SHA-256 at import.
    pub sha256: String,
    /// Status.
    pub status: LedgerStatus,
    /// The transaction that wrote the case's rows (see [`current_xid`]); kept while later
    /// runs only record failures.
    pub imported_xid: Option<i64>,
    /// How many rows that transaction wrote for the case (None: recorded before the count was).
    pub imported_rows: Option<i64>,
}

/// One ledger row to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerWrite {
    /// File name relative to the imported directory.
    pub path: String,
    /// Size.
    pub size: u64,
    /// SHA-256 (empty when unreadable).
    pub sha256: String,
    /// Status.
    pub status: LedgerStatus,
    /// The file's case.
    pub case_id: Option<String>,
    /// Error class when failed.
    pub error_class: Option<String>,
    /// Error message when failed.
    pub error: Option<String>,
    /// The transaction writing the case's rows; `None` keeps what the row had.
    pub imported_xid: Option<i64>,
    /// How many rows it writes for the case; kept with `imported_xid`.
    pub imported_rows: Option<i64>,
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    case_id: String,
    #[diesel(sql_type = Text)]
    path: String,
    #[diesel(sql_type = BigInt)]
    size: i64,
    #[diesel(sql_type = Text)]
    sha256: String,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    imported_xid: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    imported_rows: Option<i64>,
}

impl Row {
    fn entry(self) -> LedgerEntry {
        LedgerEntry {
            path: self.path,
            size: u64::try_from(self.size).unwrap_or(0),
            sha256: self.sha256.trim_end().to_owned(),
            status: LedgerStatus::parse(&self.status),
            imported_xid: self.imported_xid,
            imported_rows: self.imported_rows,
        }
    }
}

/// The id of the current transaction as a row's `xmin` shows it (the low 32 bits), which
/// every row this transaction writes carries until something else rewrites it.
pub(crate) fn current_xid(conn: &mut PgConnection) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct Xid {
        #[diesel(sql_type = BigInt)]
        xid: i64,
    }
    let row: Xid = diesel::sql_query(
        "SELECT /* wfctl:import_ledger_read */ txid_current() % 4294967296 AS xid",
    )
    .get_result(conn)?;
    Ok(row.xid)
}

/// The ledger rows of these cases, by case.
pub(crate) fn rows_of_cases(
    conn: &mut PgConnection,
    case_ids: &[String],
) -> Result<HashMap<String, Vec<LedgerEntry>>, Error> {
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT /* wfctl:import_ledger_read */ case_id, path, size, sha256::text AS sha256, status, \
         imported_xid, imported_rows FROM wfctl_import_ledger WHERE case_id = ANY($1)",
    )
    .bind::<Array<Text>, _>(case_ids)
    .load(conn)
    .map_err(Error::query("reading the import ledger"))?;
    let mut by_case: HashMap<String, Vec<LedgerEntry>> = HashMap::new();
    for row in rows {
        by_case
            .entry(row.case_id.clone())
            .or_default()
            .push(row.entry());
    }
    Ok(by_case)
}

/// The ledger row of one file (e.g. `counters.json`).
pub fn row_of_path(conn: &mut PgConnection, path: &str) -> Result<Option<LedgerEntry>, Error> {
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT /* wfctl:import_ledger_read */ coalesce(case_id, '') AS case_id, path, size, \
         sha256::text AS sha256, status, imported_xid, imported_rows FROM wfctl_import_ledger \
         WHERE path = $1",
    )
    .bind::<Text, _>(path)
    .load(conn)
    .map_err(Error::query("reading the import ledger"))?;
    Ok(rows.into_iter().next().map(Row::entry))
}

/// Upserts ledger rows (one statement), inside the caller's transaction.
pub fn write(conn: &mut PgConnection, rows: &[LedgerWrite]) -> Result<(), Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let col = |f: fn(&LedgerWrite) -> Option<String>| rows.iter().map(f).collect::<Vec<_>>();
    let sizes: Vec<i64> = rows
        .iter()
        .map(|r| i64::try_from(r.size).unwrap_or(i64::MAX))
        .collect();
    diesel::sql_query(
        "INSERT /* wfctl:import_ledger_write */ INTO wfctl_import_ledger \
         (path, size, sha256, status, case_id, error_class, error, imported_at, imported_xid, \
          imported_rows) \
         SELECT p, s, h, st, c, ec, e, now(), x, n \
         FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], \
                     $8::bigint[], $9::bigint[]) AS t(p, s, h, st, c, ec, e, x, n) \
         ON CONFLICT (path) DO UPDATE SET size = EXCLUDED.size, sha256 = EXCLUDED.sha256, \
           status = EXCLUDED.status, case_id = EXCLUDED.case_id, error_class = EXCLUDED.error_class, \
           error = EXCLUDED.error, imported_at = EXCLUDED.imported_at, \
           imported_xid = COALESCE(EXCLUDED.imported_xid, wfctl_import_ledger.imported_xid), \
           imported_rows = CASE WHEN EXCLUDED.imported_xid IS NULL \
             THEN wfctl_import_ledger.imported_rows ELSE EXCLUDED.imported_rows END",
    )
    .bind::<Array<Text>, _>(col(|r| Some(r.path.clone())).into_iter().flatten().collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>(sizes)
    .bind::<Array<Text>, _>(rows.iter().map(|r| r.sha256.clone()).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(rows.iter().map(|r| r.status.as_str().to_owned()).collect::<Vec<_>>())
    .bind::<Array<Nullable<Text>>, _>(col(|r| r.case_id.clone()))
    .bind::<Array<Nullable<Text>>, _>(col(|r| r.error_class.clone()))
    .bind::<Array<Nullable<Text>>, _>(col(|r| r.error.clone()))
    .bind::<Array<Nullable<BigInt>>, _>(rows.iter().map(|r| r.imported_xid).collect::<Vec<_>>())
    .bind::<Array<Nullable<BigInt>>, _>(rows.iter().map(|r| r.imported_rows).collect::<Vec<_>>())
    .execute(conn)
    .map_err(Error::query("writing the import ledger"))?;
    Ok(())
}

/// Removes the ledger rows of these cases' files that are not in `keep` (files removed from
/// the source since the last import), inside the caller's transaction.
pub(crate) fn forget_removed(
    conn: &mut PgConnection,
    case_ids: &[String],
    keep: &[String],
) -> Result<(), Error> {
    if case_ids.is_empty() {
        return Ok(());
    }
    diesel::sql_query(
        "DELETE /* wfctl:import_ledger_write */ FROM wfctl_import_ledger \
         WHERE case_id = ANY($1) AND NOT (path = ANY($2))",
    )
    .bind::<Array<Text>, _>(case_ids)
    .bind::<Array<Text>, _>(keep)
    .execute(conn)
    .map_err(Error::query("updating the import ledger"))?;
    Ok(())
}

/// Appends ledger rows of files the ledger has never seen with COPY, inside the caller's
/// transaction (cheaper than the upsert for a first import).
pub fn copy(conn: &mut PgConnection, rows: &[LedgerWrite]) -> QueryResult<()> {
    use crate::db::schema::wfctl_import_ledger as l;
    let mut buf = super::copy::CopyBuffer::default();
    for r in rows {
        buf.row()
            .text(&r.path)
            .int(i64::try_from(r.size).unwrap_or(i64::MAX))
            .text(&r.sha256)
            .text(r.status.as_str())
            .opt_text(r.case_id.as_deref())
            .opt_text(r.error_class.as_deref())
            .opt_text(r.error.as_deref())
            .opt_int(r.imported_xid)
            .opt_int(r.imported_rows)
            .end();
    }
    super::copy::copy_rows::<(
        l::path,
        l::size,
        l::sha256,
        l::status,
        l::case_id,
        l::error_class,
        l::error,
        l::imported_xid,
        l::imported_rows,
    )>(conn, l::table, &buf)?;
    Ok(())
}

/// Whether the ledger has no row at all (a first import: nothing to look up).
pub fn is_empty(conn: &mut PgConnection) -> Result<bool, Error> {
    #[derive(QueryableByName)]
    struct Any {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        any: bool,
    }
    let row: Any = diesel::sql_query(
        "SELECT /* wfctl:import_ledger_read */ EXISTS (SELECT 1 FROM wfctl_import_ledger) AS any",
    )
    .get_result(conn)
    .map_err(Error::query("reading the import ledger"))?;
    Ok(!row.any)
}
