//! pg_stat_statements as it is on this server: installed or not, in which schema, loaded or
//! not, and which column names its version uses. Decided from the catalog, never from the
//! server version alone (the extension may be older than the server, or in another schema).

use chrono::{DateTime, Utc};
use diesel::pg::PgConnection;
use diesel::sql_types::{Nullable, Text, Timestamptz};
use diesel::{QueryableByName, RunQueryDsl};
use serde::Serialize;

use super::facts::{Server, Since};
use super::sql::{fill, ident};
use super::{Error, Limitation, is_access_problem, reason};

/// What the role can get from pg_stat_statements.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum PgssState {
    /// The server has no such extension (contrib package missing).
    NotAvailable,
    /// Available but not created in this database.
    NotInstalled {
        /// The version `CREATE EXTENSION` would install.
        available: String,
    },
    /// Created, but the library is not in `shared_preload_libraries`.
    NotLoaded {
        /// Where it is installed.
        schema: String,
        /// The server's reason.
        reason: String,
    },
    /// Created and loaded, but this role may not read it.
    NoAccess {
        /// Where it is installed.
        schema: String,
        /// The server's reason.
        reason: String,
    },
    /// Readable.
    Ready(Pgss),
}

/// A readable pg_stat_statements.
#[derive(Debug, Clone, Serialize)]
pub struct Pgss {
    /// Schema it is installed in.
    pub schema: String,
    /// `extversion`, e.g. `1.10`.
    pub version: String,
    /// The column names this version uses.
    pub columns: Columns,
    /// Since when its figures count.
    pub since: Since,
}

/// Column names that differ between extension versions.
#[derive(Debug, Clone, Serialize)]
pub struct Columns {
    /// `total_exec_time` (1.8+) or `total_time`.
    pub total_time: String,
    /// `mean_exec_time` (1.8+) or `mean_time`.
    pub mean_time: String,
    /// `shared_blk_read_time` (1.11+) or `blk_read_time`.
    pub read_time: Option<String>,
    /// Whether `toplevel` exists (1.9+): nested statements are then left out.
    pub toplevel: bool,
}

impl Columns {
    /// Picks the names from the view's actual columns; `None` when it has none we know.
    pub fn detect(names: &[String]) -> Option<Self> {
        let has = |n: &str| names.iter().any(|c| c == n);
        let first = |options: &[&str]| options.iter().find(|n| has(n)).map(|n| n.to_string());
        Some(Self {
            total_time: first(&["total_exec_time", "total_time"])?,
            mean_time: first(&["mean_exec_time", "mean_time"])?,
            read_time: first(&["shared_blk_read_time", "blk_read_time"]),
            toplevel: has("toplevel"),
        })
    }

    /// Whether these are the names from before PostgreSQL 13's extension 1.8.
    pub fn pre_13(&self) -> bool {
        self.total_time == "total_time"
    }
}

impl Pgss {
    /// The schema-qualified view.
    pub fn view(&self) -> String {
        format!("{}.pg_stat_statements", ident(&self.schema))
    }
}

#[derive(QueryableByName)]
struct Located {
    #[diesel(sql_type = Nullable<Text>)]
    schema: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    version: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    available: Option<String>,
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Reset {
    #[diesel(sql_type = Nullable<Timestamptz>)]
    stats_reset: Option<DateTime<Utc>>,
}

/// Finds out what the role can get from pg_stat_statements.
pub fn probe(conn: &mut PgConnection, server: &Server) -> Result<PgssState, Error> {
    let located: Located = diesel::sql_query(include_str!("sql/pgss_locate.sql"))
        .get_result(conn)
        .map_err(Error::query("looking for pg_stat_statements"))?;
    let (Some(schema), Some(version)) = (located.schema, located.version) else {
        return Ok(match located.available {
            Some(available) => PgssState::NotInstalled { available },
            None => PgssState::NotAvailable,
        });
    };
    let names: Vec<Name> = diesel::sql_query(include_str!("sql/pgss_columns.sql"))
        .bind::<Text, _>(&schema)
        .load(conn)
        .map_err(Error::query("reading pg_stat_statements' columns"))?;
    let names: Vec<String> = names.into_iter().map(|n| n.name).collect();
    let Some(columns) = Columns::detect(&names) else {
        return Ok(PgssState::NoAccess {
            schema,
            reason: format!(
                "pg_stat_statements {version} has no column wfctl knows for total time ({})",
                names.join(", ")
            ),
        });
    };
    let view = format!("{}.pg_stat_statements", ident(&schema));
    let readable = diesel::sql_query(format!(
        "SELECT count(*) AS n FROM (SELECT 1 FROM {view} LIMIT 1) s"
    ))
    .execute(conn);
    match readable {
        Ok(_) => {}
        Err(e) if reason(&e).contains("shared_preload_libraries") => {
            return Ok(PgssState::NotLoaded {
                schema,
                reason: reason(&e),
            });
        }
        Err(e) if is_access_problem(&e) => {
            return Ok(PgssState::NoAccess {
                schema,
                reason: reason(&e),
            });
        }
        Err(e) => return Err(Error::query("reading pg_stat_statements")(e)),
    }
    let info = format!("{}.pg_stat_statements_info", ident(&schema));
    let has_info = names_exist(conn, &info)?;
    let reset = if has_info {
        diesel::sql_query(fill(
            include_str!("sql/pgss_info.sql"),
            &[("pgss_info", &info)],
        ))
        .get_result::<Reset>(conn)
        .ok()
        .and_then(|r| r.stats_reset)
    } else {
        None
    };
    Ok(PgssState::Ready(Pgss {
        since: Since::from_reset(reset, server.server_started),
        schema,
        version,
        columns,
    }))
}

fn names_exist(conn: &mut PgConnection, relation: &str) -> Result<bool, Error> {
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        found: bool,
    }
    let found: Found = diesel::sql_query("SELECT to_regclass($1) IS NOT NULL AS found")
        .bind::<Text, _>(relation)
        .get_result(conn)
        .map_err(Error::query("looking for pg_stat_statements_info"))?;
    Ok(found.found)
}

impl PgssState {
    /// The readable view, if any.
    pub fn ready(&self) -> Option<&Pgss> {
        match self {
            Self::Ready(p) => Some(p),
            _ => None,
        }
    }

    /// What is missing and the exact step that enables it, for `what` (e.g. "slow queries").
    pub fn limitations(&self, what: &str, server: &Server) -> Vec<Limitation> {
        let role = ident(&server.role);
        let preload = "add pg_stat_statements to shared_preload_libraries (keep the entries \
                       already there, e.g. ALTER SYSTEM SET shared_preload_libraries = \
                       'pg_stat_statements') and restart the server; on a managed service set it \
                       in the parameter group";
        match self {
            Self::NotAvailable => vec![Limitation::new(
                what,
                "the server has no pg_stat_statements extension",
                Some(format!(
                    "install the server's contrib package (Debian: postgresql-contrib), then {preload}, \
                     then CREATE EXTENSION pg_stat_statements;"
                )),
            )],
            Self::NotInstalled { available } => vec![Limitation::new(
                what,
                format!(
                    "pg_stat_statements is not installed in database {} ({available} is available)",
                    server.database
                ),
                Some(format!(
                    "as a superuser: CREATE EXTENSION pg_stat_statements; (and, if not done yet, {preload})"
                )),
            )],
            Self::NotLoaded { reason, .. } => vec![Limitation::new(
                what,
                format!("pg_stat_statements is installed but not loaded: {reason}"),
                Some(preload.to_string()),
            )],
            Self::NoAccess { reason, .. } => vec![Limitation::new(
                what,
                format!("pg_stat_statements cannot be read: {reason}"),
                Some(format!("GRANT pg_read_all_stats TO {role};")),
            )],
            Self::Ready(p) => {
                let mut out = Vec::new();
                if p.columns.pre_13() && server.version_num >= 130_000 {
                    out.push(Limitation::new(
                        format!("{what}: planning time and the current column names"),
                        format!(
                            "pg_stat_statements {} is older than this PostgreSQL {} server's \
                             (figures are read from total_time/mean_time)",
                            p.version, server.version
                        ),
                        Some("ALTER EXTENSION pg_stat_statements UPDATE;".into()),
                    ));
                }
                if !server.read_all_stats {
                    out.push(Limitation::new(
                        format!("{what}: statements run by other roles"),
                        format!(
                            "role {} lacks pg_read_all_stats: their text shows as \
                             <insufficient privilege>",
                            server.role
                        ),
                        Some(format!("GRANT pg_read_all_stats TO {role};")),
                    ));
                }
                out
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn columns_follow_the_extension_version() {
        let v17 = Columns::detect(&names(&[
            "calls",
            "total_exec_time",
            "mean_exec_time",
            "shared_blk_read_time",
            "toplevel",
        ]))
        .unwrap();
        assert_eq!(v17.read_time.as_deref(), Some("shared_blk_read_time"));
        assert!(v17.toplevel && !v17.pre_13());
        let v15 = Columns::detect(&names(&[
            "total_exec_time",
            "mean_exec_time",
            "blk_read_time",
        ]))
        .unwrap();
        assert_eq!(v15.read_time.as_deref(), Some("blk_read_time"));
        let v12 = Columns::detect(&names(&["total_time", "mean_time", "blk_read_time"])).unwrap();
        assert!(v12.pre_13() && !v12.toplevel);
        assert_eq!(v12.mean_time, "mean_time");
        assert!(Columns::detect(&names(&["calls"])).is_none());
    }
}
