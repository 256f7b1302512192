//! `db setup`: the seed guide's "Create Database and User" and "Restrict Database User
//! Permissions" steps, idempotent.
//!
//! Passwords are hashed here (SCRAM-SHA-256, as psql's `\password` does) so that the plain
//! password never travels to the server, into its logs, or into `--print-sql` output.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sql_types::{Bool, Text};
use diesel::{QueryableByName, RunQueryDsl};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::Error;

/// What `db setup` creates.
#[derive(Debug, Clone)]
pub struct SetupPlan {
    /// The database (`workflow_db`).
    pub database: String,
    /// The application's login role (`workflow_user`).
    pub user: String,
    /// Its password, if one is to be set.
    pub user_password: Option<String>,
    /// The read-only role (`workflow_readonly`), if wanted.
    pub readonly_user: Option<String>,
    /// Its password, if one is to be set.
    pub readonly_password: Option<String>,
    /// Grant `pg_monitor` to the read-only role so that `wfctl diag` sees everything.
    pub grant_monitor: bool,
}

/// One statement of the plan, and where it runs.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Step {
    /// `server` (maintenance database) or `database` (the workflow database).
    pub on: &'static str,
    /// The SQL; passwords only as SCRAM verifiers.
    pub sql: String,
    /// Whether it ran (false: already in place, or `--print-sql`).
    pub applied: bool,
    /// Why it was skipped, if it was.
    pub skipped: Option<&'static str>,
}

/// Checks a role or database name: plain identifiers only, so quoting can never be escaped,
/// and never longer than PostgreSQL keeps ([`super::names::MAX_IDENTIFIER_BYTES`]).
pub fn check_identifier(kind: &str, name: &str) -> Result<(), Error> {
    if let Some(reason) = super::names::identifier_problem(&format!("{kind} name"), name) {
        return Err(Error::InvalidName { reason });
    }
    let plain = name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        Ok(())
    } else {
        Err(Error::InvalidName {
            reason: format!(
                "{kind} name {} must be lower-case letters, digits and _ (at most {} bytes)",
                crate::conventions::quoted_for_message(name),
                super::names::MAX_IDENTIFIER_BYTES
            ),
        })
    }
}

/// The statements of the plan, in order, none applied yet.
pub fn statements(plan: &SetupPlan) -> Vec<Step> {
    // quoted: a name that is an SQL keyword (`select`) is still just a name
    let q = super::names::quote_ident;
    let (db, user) = (&q(&plan.database), &q(&plan.user));
    let mut steps = vec![
        server(format!("CREATE DATABASE {db}")),
        server(create_role(user, plan.user_password.as_deref())),
        server(format!("GRANT ALL PRIVILEGES ON DATABASE {db} TO {user}")),
        database(format!("GRANT ALL ON SCHEMA public TO {user}")),
        database(format!(
            "GRANT ALL ON ALL TABLES IN SCHEMA public TO {user}"
        )),
        database(format!(
            "GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {user}"
        )),
        database(format!(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO {user}"
        )),
        database(format!(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO {user}"
        )),
    ];
    if let Some(ro) = &plan.readonly_user.as_deref().map(q) {
        steps.extend([
            server(create_role(ro, plan.readonly_password.as_deref())),
            server(format!("GRANT CONNECT ON DATABASE {db} TO {ro}")),
            database(format!("GRANT USAGE ON SCHEMA public TO {ro}")),
            database(format!("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {ro}")),
            database(format!(
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {ro}"
            )),
            // wfctl's migrations run as the application user: its future tables too.
            database(format!(
                "ALTER DEFAULT PRIVILEGES FOR ROLE {user} IN SCHEMA public GRANT SELECT ON TABLES TO {ro}"
            )),
        ]);
        if plan.grant_monitor {
            steps.push(server(format!("GRANT pg_monitor TO {ro}")));
        }
    }
    steps
}

fn server(sql: String) -> Step {
    Step {
        on: "server",
        sql,
        applied: false,
        skipped: None,
    }
}

fn database(sql: String) -> Step {
    Step {
        on: "database",
        ..server(sql)
    }
}

/// The databases `db setup` never grants on: the templates every new database is copied from
/// (a grant or default privilege there reaches every later database) and the maintenance one.
const RESERVED_DATABASES: [&str; 3] = ["template0", "template1", "postgres"];

/// Refuses a plan that would grant where it must not, before connecting: a reserved database,
/// or one role as both the application and the read-only user.
pub fn check_plan(plan: &SetupPlan) -> Result<(), Error> {
    if RESERVED_DATABASES.contains(&plan.database.as_str()) {
        return Err(Error::InvalidName {
            reason: format!(
                "--database {}: a template or the maintenance database is never set up as a \
                 workflow database (its grants would reach other databases); give a new name",
                plan.database
            ),
        });
    }
    if plan.readonly_user.as_deref() == Some(plan.user.as_str()) {
        return Err(Error::InvalidName {
            reason: format!(
                "--readonly-user {} is also --user: the read-only role must be another role",
                plan.user
            ),
        });
    }
    Ok(())
}

#[derive(QueryableByName)]
struct RoleKind {
    #[diesel(sql_type = Bool)]
    superuser: bool,
    #[diesel(sql_type = Bool)]
    connecting: bool,
}

/// Refuses a role of the plan that is a superuser or the role `admin` connects as: its password
/// would be replaced and the "application" role would hold every right.
fn check_roles(plan: &SetupPlan, admin: &mut PgConnection) -> Result<(), Error> {
    let roles = [
        ("--user", Some(&plan.user)),
        ("--readonly-user", plan.readonly_user.as_ref()),
    ];
    for (flag, name) in roles {
        let Some(name) = name else { continue };
        let kind: Option<RoleKind> = diesel::sql_query(
            "SELECT rolsuper AS superuser, rolname = current_user AS connecting \
             FROM pg_roles WHERE rolname = $1",
        )
        .bind::<Text, _>(name)
        .get_result(admin)
        .map(Some)
        .or_else(|e| match e {
            diesel::result::Error::NotFound => Ok(None),
            e => Err(e),
        })
        .map_err(Error::query("reading the catalog"))?;
        let why = match kind {
            Some(k) if k.connecting => "is the role --admin-url connects as",
            Some(k) if k.superuser => "is a superuser",
            _ => continue,
        };
        return Err(Error::InvalidName {
            reason: format!(
                "{flag} {name} {why}: db setup never changes its password or grants; give an \
                 application role"
            ),
        });
    }
    Ok(())
}

fn create_role(name: &str, password: Option<&str>) -> String {
    match password {
        Some(p) => format!("CREATE ROLE {name} LOGIN PASSWORD '{}'", scram_verifier(p)),
        None => format!("CREATE ROLE {name} LOGIN"),
    }
}

/// A name of the plan as [`statements`] quoted it (plain names only: no inner quotes).
fn unquoted(name: &str) -> &str {
    name.trim_matches('"')
}

#[derive(QueryableByName)]
struct Found {
    #[diesel(sql_type = Bool)]
    found: bool,
}

fn exists(conn: &mut PgConnection, sql: &str, name: &str) -> Result<bool, Error> {
    let row: Found = diesel::sql_query(sql)
        .bind::<Text, _>(name)
        .get_result(conn)
        .map_err(Error::query("reading the catalog"))?;
    Ok(row.found)
}

/// Runs the plan: `admin` is a connection to the maintenance database, `connect_db` opens one
/// to the new database (as the admin). Existing databases and roles are kept; a role that
/// exists gets its password updated when one was given. Returns every step with its outcome.
pub fn run(
    plan: &SetupPlan,
    admin: &mut PgConnection,
    mut connect_db: impl FnMut(&str) -> Result<PgConnection, Error>,
) -> Result<Vec<Step>, Error> {
    check_plan(plan)?;
    check_roles(plan, admin)?;
    let mut steps = statements(plan);
    let mut db_conn = None;
    for step in &mut steps {
        if let Some(name) = step.sql.strip_prefix("CREATE DATABASE ").map(unquoted)
            && exists(
                admin,
                "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS found",
                name,
            )?
        {
            step.skipped = Some("exists");
            continue;
        }
        if let Some(rest) = step.sql.strip_prefix("CREATE ROLE ") {
            let name = rest.split(' ').next().unwrap_or_default().to_string();
            if exists(
                admin,
                "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS found",
                unquoted(&name),
            )? {
                match rest.split_once(" PASSWORD ") {
                    Some((_, verifier)) => {
                        step.sql = format!("ALTER ROLE {name} LOGIN PASSWORD {verifier}");
                    }
                    None => {
                        step.skipped = Some("exists");
                        continue;
                    }
                }
            }
        }
        let conn = if step.on == "server" {
            &mut *admin
        } else {
            if db_conn.is_none() {
                db_conn = Some(connect_db(&plan.database)?);
            }
            db_conn.as_mut().expect("opened just above")
        };
        conn.batch_execute(&step.sql)
            .map_err(Error::query(format!("running `{}`", step.sql)))?;
        step.applied = true;
    }
    Ok(steps)
}

/// A SCRAM-SHA-256 verifier for `password`, in PostgreSQL's stored format.
pub(crate) fn scram_verifier(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the OS random source is available");
    scram_verifier_with(password, &salt, 4096)
}

fn scram_verifier_with(password: &str, salt: &[u8], iterations: u32) -> String {
    type HmacSha256 = Hmac<Sha256>;
    let mut salted = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), salt, iterations, &mut salted);
    let hmac = |key: &[u8], msg: &[u8]| {
        let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
        mac.update(msg);
        mac.finalize().into_bytes()
    };
    let client_key = hmac(&salted, b"Client Key");
    let stored_key = Sha256::digest(client_key);
    let server_key = hmac(&salted, b"Server Key");
    format!(
        "SCRAM-SHA-256${iterations}:{}${}:{}",
        B64.encode(salt),
        B64.encode(stored_key),
        B64.encode(server_key)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scram_verifier_matches_rfc7677_shape() {
        let v = scram_verifier("pencil");
        assert!(v.starts_with("SCRAM-SHA-256$4096:"), "{v}");
        assert!(!v.contains("pencil"));
        // Same inputs, same verifier; another salt, another verifier.
        assert_eq!(
            scram_verifier_with("pencil", b"0123456789abcdef", 4096),
            scram_verifier_with("pencil", b"0123456789abcdef", 4096)
        );
        assert_ne!(scram_verifier("pencil"), scram_verifier("pencil"));
    }

    #[test]
    fn identifiers_are_plain() {
        assert!(check_identifier("database", "workflow_db").is_ok());
        assert!(check_identifier("database", "x; drop").is_err());
        assert!(check_identifier("role", "Robert").is_err());
    }
}
