//! What backups and restores ask the server: its version and the role's rights, row counts,
//! the migration version, and the state of a restore target (contents, other sessions).

use std::collections::BTreeMap;

use diesel::pg::PgConnection;
use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Text};
use diesel::{QueryableByName, RunQueryDsl};

use super::PgVersion;
use crate::db::Error as DbError;

/// Facts about the server and the connected role.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ServerInfo {
    /// The server's version.
    pub version: PgVersion,
    /// `server_version` in full.
    pub version_text: String,
    /// The connected database.
    pub database: String,
    /// The connected role.
    pub user: String,
    /// Whether the role is a superuser.
    pub superuser: bool,
    /// Whether the role has REPLICATION.
    pub replication: bool,
    /// `wal_level`.
    pub wal_level: String,
    /// `max_wal_senders`.
    pub max_wal_senders: i32,
    /// The newest applied wfctl migration, if the database has wfctl's schema.
    pub migration_version: Option<String>,
}

#[derive(QueryableByName)]
struct InfoRow {
    #[diesel(sql_type = Integer)]
    version_num: i32,
    #[diesel(sql_type = Text)]
    version: String,
    #[diesel(sql_type = Text)]
    database: String,
    #[diesel(sql_type = Text)]
    username: String,
    #[diesel(sql_type = Bool)]
    superuser: bool,
    #[diesel(sql_type = Bool)]
    replication: bool,
    #[diesel(sql_type = Text)]
    wal_level: String,
    #[diesel(sql_type = Integer)]
    max_wal_senders: i32,
    #[diesel(sql_type = Bool)]
    has_migrations: bool,
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = Nullable<Text>)]
    version: Option<String>,
}

const INFO_SQL: &str = "/* wfctl:backup_server_info */ \
    SELECT current_setting('server_version_num')::int AS version_num, \
           current_setting('server_version') AS version, \
           current_database()::text AS database, current_user::text AS username, \
           r.rolsuper AS superuser, r.rolreplication AS replication, \
           current_setting('wal_level') AS wal_level, \
           current_setting('max_wal_senders')::int AS max_wal_senders, \
           to_regclass('__diesel_schema_migrations') IS NOT NULL AS has_migrations \
    FROM pg_roles r WHERE r.rolname = current_user";

/// Reads the server's and role's facts.
pub fn info(conn: &mut PgConnection) -> Result<ServerInfo, DbError> {
    let row: InfoRow = diesel::sql_query(INFO_SQL)
        .get_result(conn)
        .map_err(DbError::query("reading the server's version"))?;
    let migration_version = if row.has_migrations {
        diesel::sql_query(
            "/* wfctl:backup_server_info */ \
             SELECT max(version)::text AS version FROM __diesel_schema_migrations",
        )
        .get_result::<Version>(conn)
        .map_err(DbError::query("reading the migration version"))?
        .version
    } else {
        None
    };
    Ok(ServerInfo {
        version: PgVersion::from_server(row.version_num, &row.version),
        version_text: row.version,
        database: row.database,
        user: row.username,
        superuser: row.superuser,
        replication: row.replication,
        wal_level: row.wal_level,
        max_wal_senders: row.max_wal_senders,
        migration_version,
    })
}

#[derive(QueryableByName)]
struct SysId {
    #[diesel(sql_type = Text)]
    id: String,
}

/// The cluster's system identifier, when the role may read it.
pub fn system_identifier(conn: &mut PgConnection) -> Option<String> {
    diesel::sql_query(
        "/* wfctl:backup_server_info */ SELECT system_identifier::text AS id FROM pg_control_system()",
    )
    .get_result::<SysId>(conn)
    .ok()
    .map(|r| r.id)
}

#[derive(QueryableByName)]
struct TableName {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    quoted: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Rows of every user table (`schema.table`; partitions count in their parent), in the
/// connection's current snapshot.
pub fn row_counts(conn: &mut PgConnection) -> Result<BTreeMap<String, i64>, DbError> {
    let tables: Vec<TableName> = diesel::sql_query(
        "/* wfctl:backup_row_counts */ \
         SELECT n.nspname || '.' || c.relname AS name, \
                quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS quoted \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition \
           AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
           AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' \
         ORDER BY 1",
    )
    .load(conn)
    .map_err(DbError::query("listing tables"))?;
    if tables.is_empty() {
        return Ok(BTreeMap::new());
    }
    let sql = tables
        .iter()
        .map(|t| {
            format!(
                "SELECT '{}'::text AS name, count(*) AS n FROM {}",
                t.name.replace('\'', "''"),
                t.quoted
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let counts: Vec<Count> = diesel::sql_query(format!("/* wfctl:backup_row_counts */ {sql}"))
        .load(conn)
        .map_err(DbError::query("counting rows"))?;
    Ok(counts.into_iter().map(|c| (c.name, c.n)).collect())
}

#[derive(QueryableByName)]
struct Found {
    #[diesel(sql_type = Bool)]
    found: bool,
}

/// Whether a database exists on the server.
pub fn database_exists(conn: &mut PgConnection, name: &str) -> Result<bool, DbError> {
    let row: Found = diesel::sql_query(
        "/* wfctl:restore_check_target */ \
         SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS found",
    )
    .bind::<Text, _>(name)
    .get_result(conn)
    .map_err(DbError::query("looking up the target database"))?;
    Ok(row.found)
}

#[derive(QueryableByName)]
struct SessionRow {
    #[diesel(sql_type = Integer)]
    pid: i32,
    #[diesel(sql_type = Text)]
    username: String,
    #[diesel(sql_type = Text)]
    application: String,
    #[diesel(sql_type = Text)]
    client: String,
    #[diesel(sql_type = Text)]
    state: String,
}

/// Other client sessions connected to `database`, one description each.
pub fn sessions(conn: &mut PgConnection, database: &str) -> Result<Vec<String>, DbError> {
    let rows: Vec<SessionRow> = diesel::sql_query(
        "/* wfctl:restore_sessions */ \
         SELECT pid, coalesce(usename::text, '') AS username, \
                coalesce(application_name, '') AS application, \
                coalesce(host(client_addr), 'local socket') AS client, \
                coalesce(state, '') AS state \
         FROM pg_stat_activity \
         WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend' \
         ORDER BY pid",
    )
    .bind::<Text, _>(database)
    .load(conn)
    .map_err(DbError::query("listing sessions"))?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let app = if r.application.is_empty() {
                String::new()
            } else {
                format!(" ({})", r.application)
            };
            format!(
                "pid {} user {}{app} from {}, {}",
                r.pid, r.username, r.client, r.state
            )
        })
        .collect())
}

#[derive(QueryableByName)]
struct SchemaContents {
    #[diesel(sql_type = Text)]
    schema: String,
    #[diesel(sql_type = BigInt)]
    tables: i64,
    #[diesel(sql_type = BigInt)]
    views: i64,
    #[diesel(sql_type = BigInt)]
    sequences: i64,
    #[diesel(sql_type = BigInt)]
    functions: i64,
    #[diesel(sql_type = BigInt)]
    types: i64,
    #[diesel(sql_type = Nullable<Text>)]
    extensions: Option<String>,
}

/// What a database holds outside the system schemas, per schema. Empty (the `public` schema
/// with nothing in it, or nothing at all) is an empty list.
pub fn contents(conn: &mut PgConnection) -> Result<Vec<String>, DbError> {
    let rows: Vec<SchemaContents> = diesel::sql_query(
        "/* wfctl:restore_check_target */ \
         SELECT n.nspname::text AS schema, \
           (SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('r','p')) AS tables, \
           (SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('v','m')) AS views, \
           (SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid AND c.relkind = 'S') AS sequences, \
           (SELECT count(*) FROM pg_proc p WHERE p.pronamespace = n.oid) AS functions, \
           (SELECT count(*) FROM pg_type t WHERE t.typnamespace = n.oid AND (t.typtype IN ('d','e','r') \
              OR (t.typtype = 'c' AND EXISTS \
                  (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c')))) AS types, \
           (SELECT string_agg(e.extname, ', ' ORDER BY e.extname) FROM pg_extension e \
              WHERE e.extnamespace = n.oid) AS extensions \
         FROM pg_namespace n \
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') \
           AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' \
         ORDER BY 1",
    )
    .load(conn)
    .map_err(DbError::query("reading the target's contents"))?;
    let mut out = Vec::new();
    for r in rows {
        let mut parts = Vec::new();
        for (n, what) in [
            (r.tables, "tables"),
            (r.views, "views"),
            (r.sequences, "sequences"),
            (r.functions, "functions"),
            (r.types, "types"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        }
        if let Some(ext) = r.extensions {
            parts.push(format!("extensions {ext}"));
        }
        if parts.is_empty() && r.schema == "public" {
            continue;
        }
        if parts.is_empty() {
            parts.push("empty".into());
        }
        out.push(format!("schema {}: {}", r.schema, parts.join(", ")));
    }
    Ok(out)
}

#[derive(QueryableByName)]
struct Statement {
    #[diesel(sql_type = Text)]
    sql: String,
}

/// SQL that empties a database for `restore --force`: drops every user schema and recreates
/// `public` with its owner, privileges and comment (dumps assume it exists). Meant to run in
/// the restore's own transaction, so a failed restore drops nothing.
pub fn emptying_statements(conn: &mut PgConnection) -> Result<Vec<String>, DbError> {
    let rows: Vec<Statement> = diesel::sql_query(
        "/* wfctl:restore_check_target */ \
         SELECT sql FROM ( \
           SELECT 1 AS step, nspname::text AS k, format('DROP SCHEMA %I CASCADE;', nspname) AS sql \
             FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema') \
               AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp%' \
           UNION ALL \
           SELECT 2, '', coalesce((SELECT format('CREATE SCHEMA public AUTHORIZATION %I;', \
                     pg_get_userbyid(nspowner)) FROM pg_namespace WHERE nspname = 'public'), \
                  'CREATE SCHEMA public;') \
           UNION ALL \
           SELECT 3, a.privilege_type, format('GRANT %s ON SCHEMA public TO %s%s;', a.privilege_type, \
                  CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END, \
                  CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END) \
             FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = 'public' \
           UNION ALL \
           SELECT 4, '', format('COMMENT ON SCHEMA public IS %L;', obj_description(oid, 'pg_namespace')) \
             FROM pg_namespace WHERE nspname = 'public' AND obj_description(oid, 'pg_namespace') IS NOT NULL \
         ) s ORDER BY step, k",
    )
    .load(conn)
    .map_err(DbError::query("planning --force"))?;
    Ok(rows.into_iter().map(|r| r.sql).collect())
}

pub use crate::db::names::quote_ident;
