//! `diag doctor`: which checks can run with this role on this server, and for each that
//! cannot (fully), the exact GRANT, CREATE EXTENSION or shared_preload_libraries step that
//! enables it. Also writes the index advice as migration files that work with diesel.

use std::path::{Path, PathBuf};
use std::time::Duration;

use diesel::pg::PgConnection;
use diesel::sql_types::{Array, Bool, Text};
use diesel::{QueryableByName, RunQueryDsl};
use serde::Serialize;

use super::facts::Facts;
use super::indexes::{RECOMMENDED, Recommendation};
use super::pgss::PgssState;
use super::slow_queries::WORKFLOW_TABLES;
use super::sql::ident;
use super::{Error, Limitation};

/// Whether a check can run; written in the one vocabulary of levels (`ok`, `warning`,
/// `unknown`: what cannot run cannot be checked), not words of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    /// Fully.
    #[serde(rename = "ok")]
    Ok,
    /// With parts missing.
    #[serde(rename = "warning")]
    Partial,
    /// Not at all.
    #[serde(rename = "unknown")]
    Unavailable,
}

impl Status {
    /// The level this status reads as, in tables and JSON alike.
    pub fn severity(self) -> super::Severity {
        match self {
            Self::Ok => super::Severity::Ok,
            Self::Partial => super::Severity::Warning,
            Self::Unavailable => super::Severity::Unknown,
        }
    }
}

/// One check's capability.
#[derive(Debug, Clone, Serialize)]
pub struct Capability {
    /// The check (`slow-queries`, `locks --terminate`, ...).
    pub check: &'static str,
    /// Whether it can run.
    pub status: Status,
    /// What is missing, if anything.
    pub missing: Vec<String>,
    /// The exact steps that enable it.
    pub enable: Vec<String>,
}

/// The report.
#[derive(Debug, Clone, Serialize)]
pub struct Doctor {
    /// Role checked.
    pub role: String,
    /// Server version.
    pub server_version: String,
    /// The managed service the server runs on, if any.
    pub managed: Option<String>,
    /// What no role can do on this server (a managed service).
    pub limitations: Vec<Limitation>,
    /// One entry per check.
    pub capabilities: Vec<Capability>,
}

#[derive(QueryableByName)]
struct TableAccess {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Bool)]
    present: bool,
    #[diesel(sql_type = Bool)]
    readable: bool,
}

#[derive(QueryableByName)]
struct Allowed {
    #[diesel(sql_type = Bool)]
    allowed: bool,
}

fn capability(check: &'static str, problems: Vec<(String, String)>, fatal: bool) -> Capability {
    let status = match (problems.is_empty(), fatal) {
        (true, _) => Status::Ok,
        (false, true) => Status::Unavailable,
        (false, false) => Status::Partial,
    };
    let mut enable: Vec<String> = problems.iter().map(|(_, e)| e.clone()).collect();
    enable.dedup();
    Capability {
        check,
        status,
        missing: problems.into_iter().map(|(m, _)| m).collect(),
        enable,
    }
}

fn from_limitations(ls: Vec<Limitation>) -> Vec<(String, String)> {
    ls.into_iter()
        .map(|l| {
            (
                format!("{}: {}", l.what, l.why),
                l.enable.unwrap_or_default(),
            )
        })
        .collect()
}

/// Checks what this role can see.
pub fn report(conn: &mut PgConnection, facts: &Facts) -> Result<Doctor, Error> {
    let server = &facts.server;
    let role = ident(&server.role);
    let tables: Vec<String> = WORKFLOW_TABLES
        .iter()
        .map(|t| t.to_string())
        .chain(std::iter::once("__diesel_schema_migrations".to_string()))
        .collect();
    let access: Vec<TableAccess> = diesel::sql_query(include_str!("sql/doctor_tables.sql"))
        .bind::<Array<Text>, _>(&tables)
        .load(conn)
        .map_err(Error::query("checking table privileges"))?;
    let unreadable: Vec<&str> = access
        .iter()
        .filter(|a| a.present && !a.readable && a.table_name != "__diesel_schema_migrations")
        .map(|a| a.table_name.as_str())
        .collect();
    let absent: Vec<&str> = access
        .iter()
        .filter(|a| !a.present && a.table_name != "__diesel_schema_migrations")
        .map(|a| a.table_name.as_str())
        .collect();
    let grant_tables = format!("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role};");
    let mut table_problems = Vec::new();
    if !unreadable.is_empty() {
        table_problems.push((
            format!("no SELECT on {}", unreadable.join(", ")),
            grant_tables.clone(),
        ));
    }
    if !absent.is_empty() {
        table_problems.push((
            format!("tables missing: {}", absent.join(", ")),
            "wfctl db migrate".to_string(),
        ));
    }
    let stats = || {
        if server.read_all_stats {
            Vec::new()
        } else {
            vec![(
                "other roles' sessions: query, state and timings hidden (no pg_read_all_stats)"
                    .to_string(),
                format!("GRANT pg_monitor TO {role};"),
            )]
        }
    };
    let migrations_readable = access
        .iter()
        .find(|a| a.table_name == "__diesel_schema_migrations")
        .is_none_or(|a| !a.present || a.readable);
    let mut health = stats();
    if !migrations_readable {
        health.push((
            "migration state unreadable".into(),
            format!("GRANT SELECT ON __diesel_schema_migrations TO {role};"),
        ));
    }
    let pgss_problems = from_limitations(facts.pgss.limitations("pg_stat_statements", server));
    let pgss_fatal = facts.pgss.ready().is_none();
    let reset = match &facts.pgss {
        PgssState::Ready(p) => {
            let allowed: Allowed = diesel::sql_query(include_str!("sql/doctor_reset.sql"))
                .bind::<Text, _>(&p.schema)
                .get_result(conn)
                .map_err(Error::query("checking pg_stat_statements_reset"))?;
            if allowed.allowed {
                capability("slow-queries --reset", Vec::new(), true)
            } else {
                capability(
                    "slow-queries --reset",
                    vec![(
                        "no EXECUTE on pg_stat_statements_reset".into(),
                        format!(
                            "as a superuser: GRANT EXECUTE ON FUNCTION {}.pg_stat_statements_reset TO {role};",
                            ident(&p.schema)
                        ),
                    )],
                    true,
                )
            }
        }
        _ => capability("slow-queries --reset", pgss_problems.clone(), true),
    };
    let terminate = if server.superuser || server.signal_backend {
        capability("locks --terminate", Vec::new(), true)
    } else {
        capability(
            "locks --terminate",
            vec![(
                "only the role's own sessions can be terminated (no pg_signal_backend)".into(),
                format!("GRANT pg_signal_backend TO {role};"),
            )],
            false,
        )
    };
    let mut locks = stats();
    locks.extend(
        table_problems
            .iter()
            .map(|(m, e)| (format!("case ids: {m}"), e.clone())),
    );
    let mut bloat = table_problems.clone();
    if !unreadable.is_empty() {
        bloat[0].0 = format!(
            "pg_stats hides the columns of unreadable tables: {}",
            unreadable.join(", ")
        );
    }
    let capabilities = vec![
        capability("health", health, false),
        capability("indexes", Vec::new(), false),
        capability("slow-queries", pgss_problems, pgss_fatal),
        reset,
        capability("locks", locks, false),
        terminate,
        capability("long-running", stats(), false),
        capability("sizes", Vec::new(), false),
        capability("bloat", bloat, false),
        capability("vacuum", stats(), false),
        capability(
            "cases",
            table_problems.clone(),
            !unreadable.is_empty() || !absent.is_empty(),
        ),
        capability(
            "explain",
            table_problems.clone(),
            !unreadable.is_empty() || !absent.is_empty(),
        ),
        capability(
            "metrics",
            table_problems,
            !unreadable.is_empty() || !absent.is_empty(),
        ),
    ];
    Ok(Doctor {
        role: server.role.clone(),
        server_version: server.version.clone(),
        managed: server.managed.clone(),
        limitations: facts.managed_limitation().into_iter().collect(),
        capabilities,
    })
}

/// Writes migrations that add `missing` indexes with CREATE INDEX CONCURRENTLY under a
/// lock_timeout. diesel sends a migration's up.sql as one multi-statement string, which
/// PostgreSQL runs as one implicit transaction, where CONCURRENTLY is refused. So: a first
/// migration sets lock_timeout for the session, then one migration per index holding only its
/// CREATE INDEX CONCURRENTLY (with `run_in_transaction = false` in metadata.toml), then one
/// that resets lock_timeout. Versions continue after the newest in `dir` and `after`.
pub fn write_migration(
    dir: &Path,
    missing: &[&Recommendation],
    lock_timeout: Duration,
    after: &str,
) -> Result<Vec<PathBuf>, Error> {
    if missing.is_empty() {
        return Ok(Vec::new());
    }
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| Error::Write { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut next = next_version(dir, after).map_err(io(dir))?;
    let timeout_ms = lock_timeout.as_millis();
    let header = "-- Written by `wfctl diag doctor --write-migration`.";
    let mut written = Vec::new();
    let mut emit = |name: String,
                    up: String,
                    down: String,
                    outside_tx: bool|
     -> Result<(), Error> {
        let path = dir.join(format!("{next:014}_{name}"));
        std::fs::create_dir_all(&path).map_err(io(&path))?;
        write_file(&path.join("up.sql"), &up).map_err(io(&path))?;
        write_file(&path.join("down.sql"), &down).map_err(io(&path))?;
        if outside_tx {
            write_file(
                &path.join("metadata.toml"),
                "# CREATE/DROP INDEX CONCURRENTLY cannot run inside a transaction.\nrun_in_transaction = false\n",
            )
            .map_err(io(&path))?;
        }
        written.push(path);
        next += 1;
        Ok(())
    };
    emit(
        "diag_lock_timeout".into(),
        format!(
            "{header}\n-- Sets lock_timeout for the rest of this migration run (the connection's session), so the\n\
             -- CREATE INDEX CONCURRENTLY migrations that follow give up instead of queueing behind a\n\
             -- long transaction. (A migration running outside a transaction may hold one statement only.)\n\
             SET lock_timeout = {timeout_ms};\n"
        ),
        "RESET lock_timeout;\n".into(),
        false,
    )?;
    for rec in missing {
        emit(
            format!("diag_{}", rec.name),
            format!(
                "{header}\n-- Why: {}.\n\
                 -- Outside a transaction (metadata.toml), so this file holds this one statement only.\n\
                 -- If it fails midway it can leave an INVALID index named {} behind: `wfctl diag indexes`\n\
                 -- shows it; run DROP INDEX CONCURRENTLY {}; and run the migrations again. A rerun starts\n\
                 -- here, after the lock_timeout migration: give it one with PGOPTIONS='-c lock_timeout={}ms'.\n{}\n",
                rec.why,
                rec.name,
                rec.name,
                timeout_ms,
                rec.create_sql()
            ),
            format!("DROP INDEX CONCURRENTLY IF EXISTS {};\n", rec.name),
            true,
        )?;
    }
    emit(
        "diag_lock_timeout_reset".into(),
        format!(
            "{header}\n-- Restores the server's lock_timeout for the rest of the migration run.\nRESET lock_timeout;\n"
        ),
        format!("SET lock_timeout = {timeout_ms};\n"),
        false,
    )?;
    Ok(written)
}

fn next_version(dir: &Path, after: &str) -> std::io::Result<u64> {
    let mut highest: u64 = after.parse().unwrap_or(0);
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(v) = digits.parse::<u64>() {
            highest = highest.max(v);
        }
    }
    Ok(highest + 1)
}

/// Temp file + fsync + rename: a half-written migration never exists under its real name.
fn write_file(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let tmp = path.with_extension("tmp");
    let mut file = std::fs::File::create(&tmp)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)
}

/// The recommended indexes the database lacks, from an index report.
pub fn missing_indexes(report: &super::indexes::IndexReport) -> Vec<&'static Recommendation> {
    report
        .recommended
        .iter()
        .filter(|r| r.present_as.is_none())
        .filter_map(|r| RECOMMENDED.iter().find(|rec| rec.name == r.name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_number_after_the_newest_and_hold_one_statement() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("00000000000007_other")).unwrap();
        let written = write_migration(
            dir.path(),
            &[&RECOMMENDED[3]],
            Duration::from_secs(5),
            "00000000000002",
        )
        .unwrap();
        let names: Vec<String> = written
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "00000000000008_diag_lock_timeout",
                "00000000000009_diag_idx_milestone_due",
                "00000000000010_diag_lock_timeout_reset"
            ]
        );
        let up = std::fs::read_to_string(written[1].join("up.sql")).unwrap();
        let statements = up
            .lines()
            .filter(|l| !l.starts_with("--") && !l.trim().is_empty())
            .count();
        assert_eq!(statements, 1, "{up}");
        assert!(up.contains("CREATE INDEX CONCURRENTLY idx_milestone_due ON milestone(target_ts) WHERE status = 'enqueued';"));
        let meta = std::fs::read_to_string(written[1].join("metadata.toml")).unwrap();
        assert!(meta.contains("run_in_transaction = false"));
        assert!(!written[0].join("metadata.toml").exists());
        assert!(
            write_migration(dir.path(), &[], Duration::from_secs(5), "1")
                .unwrap()
                .is_empty()
        );
    }
}
