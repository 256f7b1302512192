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
    /// `wal_segment_size` in bytes (names the WAL segment an LSN lies in).
    pub wal_segment_size: i64,
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
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    wal_segment_size: i64,
}

const INFO_SQL: &str = "/* wfctl:backup_server_info */ \
    SELECT current_setting('server_version_num')::int AS version_num, \
           current_setting('server_version') AS version, \
           current_database()::text AS database, current_user::text AS username, \
           r.rolsuper AS superuser, r.rolreplication AS replication, \
           current_setting('wal_level') AS wal_level, \
           current_setting('max_wal_senders')::int AS max_wal_senders, \
           pg_size_bytes(current_setting('wal_segment_size')) AS wal_segment_size \
    FROM pg_roles r WHERE r.rolname = current_user";

/// Reads the server's and role's facts.
pub fn info(conn: &mut PgConnection) -> Result<ServerInfo, DbError> {
    let row: InfoRow = diesel::sql_query(INFO_SQL)
        .get_result(conn)
        .map_err(DbError::query("reading the server's version"))?;
    let migration_version = crate::db::migrate::applied_version(conn)?;
    Ok(ServerInfo {
        version: PgVersion::from_server(row.version_num, &row.version),
        version_text: row.version,
        database: row.database,
        user: row.username,
        superuser: row.superuser,
        replication: row.replication,
        wal_level: row.wal_level,
        max_wal_senders: row.max_wal_senders,
        wal_segment_size: row.wal_segment_size,
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
        "SELECT /* wfctl:backup_server_info */ system_identifier::text AS id FROM pg_control_system()",
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
    // Another role's session shows no backend_type to a role that is not a superuser: it
    // counts all the same.
    let rows: Vec<SessionRow> = diesel::sql_query(
        "/* wfctl:restore_sessions */ \
         SELECT pid, coalesce(usename::text, '') AS username, \
                coalesce(application_name, '') AS application, \
                coalesce(host(client_addr), 'local socket') AS client, \
                coalesce(state, '') AS state \
         FROM pg_stat_activity \
         WHERE datname = $1 AND pid <> pg_backend_pid() \
           AND (backend_type = 'client backend' OR backend_type IS NULL) \
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

/// `NOT an extension's member` for the object `oid` of catalog `catalog`: extensions and
/// what they made are kept by a restore, so they are neither content nor dropped.
fn not_extension_member(catalog: &str, oid: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '{catalog}'::regclass \
         AND d.objid = {oid} AND d.deptype = 'e')"
    )
}

/// Whether the schema `n` (a pg_namespace alias) holds an extension or one of its objects:
/// `restore --force` keeps such a schema and the extension, dropping only the rest.
fn holds_extension(n: &str) -> String {
    format!(
        "(EXISTS (SELECT 1 FROM pg_extension e WHERE e.extnamespace = {n}.oid) \
         OR EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = {n}.oid AND NOT {rel}) \
         OR EXISTS (SELECT 1 FROM pg_proc p WHERE p.pronamespace = {n}.oid AND NOT {proc}) \
         OR EXISTS (SELECT 1 FROM pg_type t WHERE t.typnamespace = {n}.oid AND NOT {typ}))",
        rel = not_extension_member("pg_class", "c.oid"),
        proc = not_extension_member("pg_proc", "p.oid"),
        typ = not_extension_member("pg_type", "t.oid"),
    )
}

/// What a database holds outside the system schemas, per schema, leaving out extensions and
/// their objects (a restore keeps them). Empty (schemas with nothing but extensions, or
/// nothing at all) is an empty list.
pub fn contents(conn: &mut PgConnection) -> Result<Vec<String>, DbError> {
    let rows: Vec<SchemaContents> = diesel::sql_query(format!(
        "/* wfctl:restore_check_target */ \
         SELECT n.nspname::text AS schema, \
           (SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('r','p') AND {rel}) AS tables, \
           (SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('v','m') AND {rel}) AS views, \
           (SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid AND c.relkind = 'S' AND {rel}) AS sequences, \
           (SELECT count(*) FROM pg_proc p WHERE p.pronamespace = n.oid AND {proc}) AS functions, \
           (SELECT count(*) FROM pg_type t WHERE t.typnamespace = n.oid AND {typ} AND (t.typtype IN ('d','e','r') \
              OR (t.typtype = 'c' AND EXISTS \
                  (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c')))) AS types, \
           (SELECT string_agg(e.extname, ', ' ORDER BY e.extname) FROM pg_extension e \
              WHERE e.extnamespace = n.oid) AS extensions \
         FROM pg_namespace n \
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') \
           AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' \
         ORDER BY 1",
        rel = not_extension_member("pg_class", "c.oid"),
        proc = not_extension_member("pg_proc", "p.oid"),
        typ = not_extension_member("pg_type", "t.oid"),
    ))
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
        let kept = match (parts.is_empty(), &r.extensions) {
            (true, Some(_)) => continue,
            (true, None) if r.schema == "public" => continue,
            (true, None) => {
                parts.push("empty".into());
                String::new()
            }
            (false, Some(ext)) => format!(" (its extensions {ext} are kept)"),
            (false, None) => String::new(),
        };
        out.push(format!("schema {}: {}{kept}", r.schema, parts.join(", ")));
    }
    Ok(out)
}

#[derive(QueryableByName)]
struct Statement {
    #[diesel(sql_type = Text)]
    sql: String,
}

/// SQL that empties a database for `restore --force`, keeping its extensions (the role that
/// owns the database often cannot create them again): a schema without extensions is
/// dropped, and `public` recreated with its owner, privileges and comment (dumps assume it
/// exists); in a schema holding an extension's objects, the other tables, views, sequences,
/// routines and types are dropped one by one. Meant to run in the restore's own transaction,
/// so a failed restore drops nothing.
pub(crate) fn emptying_statements(conn: &mut PgConnection) -> Result<Vec<String>, DbError> {
    let rows: Vec<Statement> = diesel::sql_query(format!(
        "/* wfctl:restore_check_target */ \
         WITH s AS ( \
           SELECT n.oid, n.nspname, {keeps} AS keeps \
           FROM pg_namespace n WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') \
             AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%') \
         SELECT sql FROM ( \
           SELECT 1 AS step, nspname::text AS k, format('DROP SCHEMA %I CASCADE;', nspname) AS sql \
             FROM s WHERE NOT keeps \
           UNION ALL \
           SELECT 2, s.nspname || '.' || c.relname, format('DROP %s IF EXISTS %I.%I CASCADE;', \
                  CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' \
                    WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, \
                  s.nspname, c.relname) \
             FROM s JOIN pg_class c ON c.relnamespace = s.oid \
             WHERE s.keeps AND c.relkind IN ('r','p','v','m','S','f') AND {rel} \
           UNION ALL \
           SELECT 3, s.nspname || '.' || p.proname, format('DROP %s IF EXISTS %I.%I(%s) CASCADE;', \
                  CASE p.prokind WHEN 'a' THEN 'AGGREGATE' WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, \
                  s.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) \
             FROM s JOIN pg_proc p ON p.pronamespace = s.oid WHERE s.keeps AND {proc} \
           UNION ALL \
           SELECT 4, s.nspname || '.' || t.typname, format('DROP %s IF EXISTS %I.%I CASCADE;', \
                  CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, s.nspname, t.typname) \
             FROM s JOIN pg_type t ON t.typnamespace = s.oid \
             WHERE s.keeps AND {typ} AND (t.typtype IN ('d','e','r') OR (t.typtype = 'c' AND EXISTS \
                  (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c'))) \
           UNION ALL \
           SELECT 5, '', coalesce((SELECT format('CREATE SCHEMA public AUTHORIZATION %I;', \
                     pg_get_userbyid(nspowner)) FROM pg_namespace WHERE nspname = 'public'), \
                  'CREATE SCHEMA public;') \
             WHERE NOT EXISTS (SELECT 1 FROM s WHERE nspname = 'public' AND keeps) \
           UNION ALL \
           SELECT 6, a.privilege_type, format('GRANT %s ON SCHEMA public TO %s%s;', a.privilege_type, \
                  CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END, \
                  CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END) \
             FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = 'public' \
               AND NOT EXISTS (SELECT 1 FROM s WHERE nspname = 'public' AND keeps) \
           UNION ALL \
           SELECT 7, '', format('COMMENT ON SCHEMA public IS %L;', obj_description(oid, 'pg_namespace')) \
             FROM pg_namespace WHERE nspname = 'public' AND obj_description(oid, 'pg_namespace') IS NOT NULL \
               AND NOT EXISTS (SELECT 1 FROM s WHERE nspname = 'public' AND keeps) \
         ) x ORDER BY step, k",
        keeps = holds_extension("n"),
        rel = not_extension_member("pg_class", "c.oid"),
        proc = not_extension_member("pg_proc", "p.oid"),
        typ = not_extension_member("pg_type", "t.oid"),
    ))
    .load(conn)
    .map_err(DbError::query("planning --force"))?;
    Ok(rows.into_iter().map(|r| r.sql).collect())
}

#[derive(QueryableByName)]
struct ExtensionRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Bool)]
    installed: bool,
    #[diesel(sql_type = Bool)]
    creatable: bool,
}

#[derive(QueryableByName)]
struct SchemaRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Bool)]
    holds_extension: bool,
}

/// What a restore into the connected database may do about extensions and schemas.
#[derive(Debug, Clone, Default)]
pub struct RestoreTargetRights {
    /// Extensions installed in the database now (kept by a restore).
    pub installed: Vec<String>,
    /// Extensions this server has that the connected role may create here (it is a
    /// superuser, or the extension is trusted and the role may create in the database).
    pub creatable: Vec<String>,
    /// The database's schemas now (outside the system ones).
    pub schemas: Vec<String>,
    /// Those of them holding an extension or its objects (`--force` keeps them).
    pub extension_schemas: Vec<String>,
    /// The target server's major version (0: unknown), for settings a newer pg_dump writes.
    pub server_major: u32,
}

#[derive(QueryableByName)]
struct MajorRow {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    major: i32,
}

/// Reads [`RestoreTargetRights`] of the connected database.
pub(crate) fn restore_target_rights(
    conn: &mut PgConnection,
) -> Result<RestoreTargetRights, DbError> {
    // `trusted` exists from PostgreSQL 13; read through jsonb so older servers answer too.
    let rows: Vec<ExtensionRow> = diesel::sql_query(
        "/* wfctl:restore_check_target */ \
         SELECT a.name::text AS name, a.installed_version IS NOT NULL AS installed, \
           coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user) \
             OR (has_database_privilege(current_database(), 'CREATE') AND EXISTS ( \
                 SELECT 1 FROM pg_available_extension_versions v \
                 WHERE v.name = a.name AND v.version = a.default_version \
                   AND (NOT v.superuser OR coalesce((to_jsonb(v) ->> 'trusted')::bool, false)))), \
             false) AS creatable \
         FROM pg_available_extensions a \
         UNION ALL \
         SELECT e.extname::text, true, false FROM pg_extension e \
         WHERE NOT EXISTS (SELECT 1 FROM pg_available_extensions a WHERE a.name = e.extname) \
         ORDER BY 1",
    )
    .load(conn)
    .map_err(DbError::query(
        "reading which extensions the role may create",
    ))?;
    let schemas: Vec<SchemaRow> = diesel::sql_query(format!(
        "/* wfctl:restore_check_target */ \
         SELECT n.nspname::text AS name, {} AS holds_extension FROM pg_namespace n \
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') \
           AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' ORDER BY 1",
        holds_extension("n")
    ))
    .load(conn)
    .map_err(DbError::query("reading the target's schemas"))?;
    let major: MajorRow = diesel::sql_query(
        "/* wfctl:restore_check_target */ \
         SELECT current_setting('server_version_num')::int / 10000 AS major",
    )
    .get_result(conn)
    .map_err(DbError::query("reading the server's version"))?;
    Ok(RestoreTargetRights {
        server_major: u32::try_from(major.major).unwrap_or(0),
        installed: rows
            .iter()
            .filter(|r| r.installed)
            .map(|r| r.name.clone())
            .collect(),
        creatable: rows
            .iter()
            .filter(|r| r.creatable)
            .map(|r| r.name.clone())
            .collect(),
        extension_schemas: schemas
            .iter()
            .filter(|r| r.holds_extension)
            .map(|r| r.name.clone())
            .collect(),
        schemas: schemas.into_iter().map(|r| r.name).collect(),
    })
}

#[derive(QueryableByName)]
struct MayCreate {
    #[diesel(sql_type = Text)]
    role: String,
    #[diesel(sql_type = Bool)]
    may: bool,
}

/// The connected role, and whether it may create a database (CREATEDB, or a superuser).
pub(crate) fn may_create_database(conn: &mut PgConnection) -> Result<(String, bool), DbError> {
    let row: MayCreate = diesel::sql_query(
        "SELECT current_user::text AS role, (rolcreatedb OR rolsuper) AS may \
         FROM pg_roles WHERE rolname = current_user",
    )
    .get_result(conn)
    .map_err(DbError::query(
        "reading whether the role may create a database",
    ))?;
    Ok((row.role, row.may))
}

pub use crate::db::names::quote_ident;

/// Drops `name` if it exists, ending its sessions first, on every supported version
/// (`DROP DATABASE ... WITH (FORCE)` needs PostgreSQL 13). Two calls: several statements in
/// one run as one transaction, which DROP DATABASE refuses.
pub fn drop_database(conn: &mut PgConnection, name: &str) -> diesel::QueryResult<()> {
    use diesel::connection::SimpleConnection;
    conn.batch_execute(&format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = '{}' AND pid <> pg_backend_pid()",
        name.replace('\'', "''")
    ))?;
    conn.batch_execute(&format!("DROP DATABASE IF EXISTS {}", quote_ident(name)))
}
