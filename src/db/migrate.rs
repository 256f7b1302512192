//! The embedded schema migrations: status, apply, adopt a hand-made database, revert.
//!
//! Migration 1 is the seed guide's DDL verbatim, so a database built by hand from the guide can
//! be adopted: its tables are compared with what migration 1 creates (built in a scratch schema
//! inside a rolled-back transaction), then migration 1 is recorded as applied.

use std::collections::BTreeMap;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sql_types::{Bool, Nullable, Text, Timestamp};
use diesel::{Connection, QueryableByName, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::Error;

/// Every migration, compiled into the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

const SEED_VERSION: &str = "00000000000001";
const SEED_UP_SQL: &str = include_str!("../../migrations/00000000000001_seed_schema/up.sql");
/// Serialises concurrent `db migrate` runs (e.g. several hosts starting at once).
const MIGRATE_LOCK_KEY: i64 = 0x7766_6374_6c6d_6967; // "wfctlmig"

/// One migration and whether it is applied.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MigrationState {
    /// The version, e.g. `00000000000001`.
    pub version: String,
    /// The folder name, e.g. `00000000000001_seed_schema`.
    pub name: String,
    /// Whether the database has it.
    pub applied: bool,
    /// When it was applied (UTC), if known.
    pub run_on: Option<chrono::NaiveDateTime>,
}

/// Names of the embedded migrations, oldest first.
pub fn embedded() -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> =
        diesel::migration::MigrationSource::<diesel::pg::Pg>::migrations(&MIGRATIONS)
            .expect("embedded migrations are valid: they were checked at compile time")
            .iter()
            .map(|m| (m.name().version().to_string(), m.name().to_string()))
            .collect();
    all.sort();
    all
}

/// The newest embedded migration's version.
pub fn latest_version() -> String {
    embedded()
        .last()
        .map(|(v, _)| v.clone())
        .unwrap_or_default()
}

#[derive(QueryableByName)]
struct AppliedRow {
    #[diesel(sql_type = Text)]
    version: String,
    #[diesel(sql_type = Nullable<Timestamp>)]
    run_on: Option<chrono::NaiveDateTime>,
}

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = Bool)]
    exists: bool,
}

/// Every embedded migration with its state, without writing anything (works read-only).
pub fn status(conn: &mut PgConnection) -> Result<Vec<MigrationState>, Error> {
    let applied = applied(conn)?;
    let mut states: Vec<MigrationState> = embedded()
        .into_iter()
        .map(|(version, name)| {
            let run_on = applied.get(&version).copied();
            MigrationState {
                applied: run_on.is_some(),
                run_on: run_on.flatten(),
                version,
                name,
            }
        })
        .collect();
    // Versions in the database that this binary does not know (a newer wfctl ran here).
    for (version, run_on) in &applied {
        if !states.iter().any(|s| &s.version == version) {
            states.push(MigrationState {
                version: version.clone(),
                name: format!("{version} (unknown to this wfctl)"),
                applied: true,
                run_on: *run_on,
            });
        }
    }
    Ok(states)
}

fn applied(
    conn: &mut PgConnection,
) -> Result<BTreeMap<String, Option<chrono::NaiveDateTime>>, Error> {
    let exists: Exists =
        diesel::sql_query("SELECT to_regclass('__diesel_schema_migrations') IS NOT NULL AS exists")
            .get_result(conn)
            .map_err(Error::query("reading the migration table"))?;
    if !exists.exists {
        return Ok(BTreeMap::new());
    }
    let rows: Vec<AppliedRow> = diesel::sql_query(
        "SELECT version::text AS version, run_on FROM __diesel_schema_migrations",
    )
    .load(conn)
    .map_err(Error::query("reading the migration table"))?;
    Ok(rows.into_iter().map(|r| (r.version, r.run_on)).collect())
}

/// The newest applied migration's version (`None` without wfctl's migration table or with
/// nothing applied): the one reader of the migration table besides [`status`].
pub fn applied_version(conn: &mut PgConnection) -> Result<Option<String>, Error> {
    Ok(applied(conn)?.into_keys().next_back())
}

/// Versions not yet applied, oldest first.
pub fn pending(conn: &mut PgConnection) -> Result<Vec<MigrationState>, Error> {
    Ok(status(conn)?.into_iter().filter(|m| !m.applied).collect())
}

/// Applies every pending migration, each in its own transaction; returns their names.
pub fn run_pending(conn: &mut PgConnection) -> Result<Vec<String>, Error> {
    with_migrate_lock(conn, |conn| {
        let done = conn
            .run_pending_migrations(MIGRATIONS)
            .map_err(|e| Error::Migration(e.to_string()))?;
        Ok(names_of(done.iter().map(ToString::to_string)))
    })
}

/// Reverts the newest applied migration; returns its name.
pub fn revert_last(conn: &mut PgConnection) -> Result<String, Error> {
    with_migrate_lock(conn, |conn| {
        let version = conn
            .revert_last_migration(MIGRATIONS)
            .map_err(|e| Error::Migration(e.to_string()))?;
        Ok(names_of(std::iter::once(version.to_string())).remove(0))
    })
}

/// Whether the database looks built by hand from the seed guide: the guide's tables exist but
/// no migration is recorded (plain `db migrate` would fail on them; `--adopt` takes over).
pub fn built_by_hand(conn: &mut PgConnection) -> Result<bool, Error> {
    if !applied(conn)?.is_empty() {
        return Ok(false);
    }
    let exists: Exists =
        diesel::sql_query("SELECT to_regclass('workflow_info') IS NOT NULL AS exists")
            .get_result(conn)
            .map_err(Error::query("looking for the guide's tables"))?;
    Ok(exists.exists)
}

/// Adopts a database created by hand from the seed guide: checks that its tables match
/// migration 1, records migration 1 as applied, then applies the rest.
pub fn adopt(conn: &mut PgConnection) -> Result<Vec<String>, Error> {
    with_migrate_lock(conn, |conn| {
        if applied(conn)?.contains_key(SEED_VERSION) {
            return Err(Error::Migration(
                "migration 1 is already recorded as applied; use `db migrate` without --adopt"
                    .into(),
            ));
        }
        let differences = seed_schema_differences(conn)?;
        if !differences.is_empty() {
            return Err(Error::SchemaMismatch { differences });
        }
        conn.transaction(|conn| {
            diesel::sql_query(
                "CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (\
                 version VARCHAR(50) PRIMARY KEY NOT NULL, \
                 run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)",
            )
            .execute(conn)?;
            diesel::sql_query("INSERT INTO __diesel_schema_migrations (version) VALUES ($1)")
                .bind::<Text, _>(SEED_VERSION)
                .execute(conn)
        })
        .map_err(Error::query("recording migration 1 as applied"))?;
        let mut names = names_of(std::iter::once(SEED_VERSION.to_string()));
        let rest = conn
            .run_pending_migrations(MIGRATIONS)
            .map_err(|e| Error::Migration(e.to_string()))?;
        names.extend(names_of(rest.iter().map(ToString::to_string)));
        Ok(names)
    })
}

fn names_of(versions: impl Iterator<Item = String>) -> Vec<String> {
    let all = embedded();
    versions
        .map(|v| {
            all.iter()
                .find(|(version, _)| *version == v)
                .map_or(v.clone(), |(_, name)| name.clone())
        })
        .collect()
}

fn with_migrate_lock<T>(
    conn: &mut PgConnection,
    body: impl FnOnce(&mut PgConnection) -> Result<T, Error>,
) -> Result<T, Error> {
    diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATE_LOCK_KEY})"))
        .execute(conn)
        .map_err(Error::query("taking the migration lock"))?;
    let result = body(conn);
    let _ =
        diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATE_LOCK_KEY})")).execute(conn);
    result
}

#[derive(QueryableByName, PartialEq, Eq, Clone, Debug)]
struct ColumnShape {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    shape: String,
}

#[derive(QueryableByName)]
struct IndexShape {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    definition: String,
}

const COLUMNS_SQL: &str = "\
    SELECT c.table_name::text AS table_name, c.column_name::text AS column_name, \
           concat_ws(' ', c.data_type, '(' || c.character_maximum_length || ')', \
                     CASE WHEN c.is_nullable = 'NO' THEN 'NOT NULL' END, \
                     'DEFAULT ' || regexp_replace(c.column_default, '[a-z_]+\\.', '', 'g')) AS shape \
    FROM information_schema.columns c \
    WHERE c.table_schema = $1 AND c.table_name = ANY($2) \
    ORDER BY 1, 2";

const INDEXES_SQL: &str = "\
    SELECT tablename::text AS table_name, \
           regexp_replace(regexp_replace(indexdef, ' ON [a-z_]+\\.', ' ON '), 'INDEX [a-z_0-9]+ ', 'INDEX ') AS definition \
    FROM pg_indexes WHERE schemaname = $1 AND tablename = ANY($2)";

pub use super::names::SEED_TABLES;

const SCRATCH_SCHEMA: &str = "wfctl_adopt_reference";

/// Compares the live `public` tables with what migration 1 would create; one line per
/// difference (missing table, missing or extra column, other type, missing index).
pub(crate) fn seed_schema_differences(conn: &mut PgConnection) -> Result<Vec<String>, Error> {
    let mut reference = None;
    // Build migration 1 in a scratch schema and roll it back: the reference is the server's own
    // reading of the guide's DDL, not a list we would have to keep in sync by hand.
    let _ = conn.transaction::<(), diesel::result::Error, _>(|conn| {
        diesel::sql_query(format!("CREATE SCHEMA {SCRATCH_SCHEMA}")).execute(conn)?;
        diesel::sql_query(format!("SET LOCAL search_path = {SCRATCH_SCHEMA}")).execute(conn)?;
        conn.batch_execute(SEED_UP_SQL)?;
        reference = Some(shapes(conn, SCRATCH_SCHEMA)?);
        Err(diesel::result::Error::RollbackTransaction)
    });
    let (ref_columns, ref_indexes) =
        reference.ok_or_else(|| Error::Migration("could not build the reference schema".into()))?;
    let (columns, indexes) = shapes(conn, "public").map_err(Error::query("reading the schema"))?;

    let mut differences = Vec::new();
    let tables: std::collections::BTreeSet<&str> =
        ref_columns.iter().map(|c| c.table_name.as_str()).collect();
    for table in &tables {
        if !columns.iter().any(|c| c.table_name == *table) {
            differences.push(format!("table {table}: missing"));
            continue;
        }
        for want in ref_columns.iter().filter(|c| c.table_name == *table) {
            match columns
                .iter()
                .find(|c| c.table_name == *table && c.column_name == want.column_name)
            {
                None => differences.push(format!(
                    "table {table}: column {} missing",
                    want.column_name
                )),
                Some(have) if have.shape != want.shape => differences.push(format!(
                    "table {table}: column {} is `{}`, the guide has `{}`",
                    want.column_name, have.shape, want.shape
                )),
                Some(_) => {}
            }
        }
        for have in columns.iter().filter(|c| c.table_name == *table) {
            if !ref_columns
                .iter()
                .any(|c| c.table_name == *table && c.column_name == have.column_name)
            {
                differences.push(format!(
                    "table {table}: extra column {} ({}) not in the guide",
                    have.column_name, have.shape
                ));
            }
        }
        for want in ref_indexes.iter().filter(|i| i.table_name == *table) {
            if !indexes.iter().any(|i| i.definition == want.definition) {
                differences.push(format!(
                    "table {table}: missing index `{}`",
                    want.definition
                ));
            }
        }
    }
    Ok(differences)
}

fn shapes(
    conn: &mut PgConnection,
    schema: &str,
) -> Result<(Vec<ColumnShape>, Vec<IndexShape>), diesel::result::Error> {
    use diesel::sql_types::Array;
    let tables = SEED_TABLES.to_vec();
    let columns = diesel::sql_query(COLUMNS_SQL)
        .bind::<Text, _>(schema)
        .bind::<Array<Text>, _>(&tables)
        .load(conn)?;
    let indexes = diesel::sql_query(INDEXES_SQL)
        .bind::<Text, _>(schema)
        .bind::<Array<Text>, _>(&tables)
        .load(conn)?;
    Ok((columns, indexes))
}
