//! `diag sizes`: the database and each table with its indexes and TOAST, largest first.

use diesel::pg::PgConnection;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::{QueryableByName, RunQueryDsl};
use serde::Serialize;

use super::{Error, Finding, Outcome, Severity};

/// One table's sizes.
#[derive(Debug, Clone, Serialize, QueryableByName)]
pub struct TableSize {
    /// Schema.
    #[diesel(sql_type = Text)]
    pub schema_name: String,
    /// Table.
    #[diesel(sql_type = Text)]
    pub table_name: String,
    /// Table + indexes + TOAST, bytes.
    #[diesel(sql_type = BigInt)]
    pub total_bytes: i64,
    /// The table's own pages.
    #[diesel(sql_type = BigInt)]
    pub table_bytes: i64,
    /// Its indexes.
    #[diesel(sql_type = BigInt)]
    pub index_bytes: i64,
    /// Its TOAST table and index.
    #[diesel(sql_type = BigInt)]
    pub toast_bytes: i64,
    /// Estimated rows (pg_class.reltuples, as of the last vacuum/analyze); `None` for a table
    /// never analysed, whose estimate would read as an empty table.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub rows_estimate: Option<i64>,
}

/// The report.
#[derive(Debug, Clone, Serialize)]
pub struct Sizes {
    /// `pg_database_size` of this database.
    pub database_bytes: i64,
    /// Tables, largest first.
    pub tables: Vec<TableSize>,
}

#[derive(QueryableByName)]
struct Bytes {
    #[diesel(sql_type = BigInt)]
    bytes: i64,
}

/// Reads the sizes.
pub fn report(conn: &mut PgConnection) -> Result<Sizes, Error> {
    let database: Bytes = diesel::sql_query(include_str!("sql/sizes_database.sql"))
        .get_result(conn)
        .map_err(Error::query("reading the database size"))?;
    let tables = diesel::sql_query(include_str!("sql/sizes.sql"))
        .load(conn)
        .map_err(Error::query("reading table sizes"))?;
    Ok(Sizes {
        database_bytes: database.bytes,
        tables,
    })
}

/// `bytes` for a person, in the one size format wfctl prints: `1.50 GiB`.
pub fn human(bytes: i64) -> String {
    crate::conventions::size_text(bytes.max(0).unsigned_abs())
}

/// `diag all`'s size check: information only.
pub(crate) fn evaluate(conn: &mut PgConnection) -> Result<Outcome, Error> {
    let sizes = report(conn)?;
    let largest = sizes
        .tables
        .first()
        .map(|t| {
            format!(
                "; largest table {}.{} {}",
                t.schema_name,
                t.table_name,
                human(t.total_bytes)
            )
        })
        .unwrap_or_default();
    Ok(Outcome {
        findings: vec![Finding::new(
            "sizes",
            Severity::Ok,
            format!("database {}{largest}", human(sizes.database_bytes)),
        )],
        ..Outcome::default()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn human_sizes_are_binary_units_labelled_as_such() {
        assert_eq!(super::human(131_072), "128.00 KiB");
        assert_eq!(super::human(8_600_000), "8.20 MiB");
        assert_eq!(super::human(512), "512 B");
    }

    #[test]
    fn human_sizes() {
        assert_eq!(super::human(1536), "1.50 KiB");
        assert_eq!(super::human(3 * 1024 * 1024 * 1024), "3.00 GiB");
    }
}
