//! `db restore`: a backup into a database, all or nothing.
//!
//! The backup is verified first. The SQL (the gunzipped file, or `pg_restore -f -` of a custom
//! archive) is fed to `psql -v ON_ERROR_STOP=1` between a `BEGIN` and a `COMMIT` that we write
//! ourselves. The `COMMIT` is sent only after the whole source was read and checked again
//! (gzip CRCs, sha256, pg_dump's closing comment, pg_restore's exit status): `psql -1` would
//! commit whatever it had received when its input ended early, so a truncated stream or a
//! killed wfctl would leave half a database. Here psql sees end of input without `COMMIT`
//! and the server rolls everything back. `--force` empties the target inside the same
//! transaction, so a failed restore drops nothing either, and keeps the target's extensions.
//! The dump's statements the restoring role may not run (creating an extension only a
//! superuser may create, commenting on one it does not own) are left out of the stream, so
//! the role that owns the database restores its own backup.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Stdio};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use flate2::read::MultiGzDecoder;
use serde::Serialize;

use super::dump::{Progress, Tail};
use super::files::{self, Format, HashingReader};
use super::restore_filter::{Filtered, RestoreFilter};
use super::server::RestoreTargetRights;
use super::verify::{self, VerifyReport};
use super::{Error, Need, PgVersion, Tool, ToolSearch, child, server};
use crate::db::{self, DatabaseUrl, Error as DbError};

/// What to restore where.
#[derive(Debug, Clone)]
pub struct RestoreRequest<'a> {
    /// The backup file.
    pub file: &'a Path,
    /// The database to restore into.
    pub target: &'a str,
    /// Create the target if it does not exist.
    pub create: bool,
    /// Replace the target's contents if it has any.
    pub force: bool,
    /// Run ANALYZE afterwards (a dump has no planner statistics).
    pub analyze: bool,
    /// Where the client programs are.
    pub tools: &'a ToolSearch,
    /// How long to wait for the server.
    pub connect_timeout: Duration,
    /// The target is a throwaway database the caller drops: a created one stays marked as
    /// wfctl's scratch (otherwise the mark goes with the restore's COMMIT).
    pub scratch: bool,
}

/// A checked restore, ready to run.
#[derive(Debug)]
pub struct Prepared {
    /// The verification of the backup.
    pub verified: VerifyReport,
    /// The target database.
    pub target: String,
    /// It does not exist yet and will be created.
    pub create: bool,
    /// What `--force` will drop (one line per schema); empty when the target is empty.
    pub will_drop: Vec<String>,
    drop_sql: Vec<String>,
    psql: Tool,
    pg_restore: Option<Tool>,
    verify_time: Duration,
}

/// Row counts of one table, expected (manifest) and found (restored database).
#[derive(Debug, Clone, Serialize)]
pub struct CountCheck {
    /// `schema.table`.
    pub table: String,
    /// From the manifest.
    pub expected: i64,
    /// In the restored database (None: the table is missing).
    pub found: Option<i64>,
}

impl RestoreReport {
    /// Whether the restored schema is this wfctl's newest, so its cases can be read with this
    /// wfctl's queries (an older one, or the guide's own, needs `db migrate` first).
    pub fn at_newest_migration(&self) -> bool {
        self.migration_version.is_some() && self.pending_migrations.is_empty()
    }
}

impl CountCheck {
    /// Whether they agree.
    pub fn ok(&self) -> bool {
        self.found == Some(self.expected)
    }
}

/// A finished restore.
#[derive(Debug, Clone, Serialize)]
pub struct RestoreReport {
    /// The backup file.
    pub file: PathBuf,
    /// The target database.
    pub target: String,
    /// Whether it was created.
    pub created: bool,
    /// What `--force` dropped.
    pub dropped: Vec<String>,
    /// Bytes of SQL sent to the server.
    pub sql_bytes: u64,
    /// Wall time.
    #[serde(
        rename = "elapsed_seconds",
        serialize_with = "crate::conventions::duration_seconds"
    )]
    pub elapsed: Duration,
    /// Row counts against the manifest (empty without one).
    pub counts: Vec<CountCheck>,
    /// Whether every count matched (None: no manifest to compare with).
    pub counts_match: Option<bool>,
    /// The restored database's newest applied migration.
    pub migration_version: Option<String>,
    /// Embedded migrations the restored database does not have yet.
    pub pending_migrations: Vec<String>,
    /// Whether ANALYZE ran.
    pub analyzed: bool,
    /// Extensions of the backup already in the target, kept as they were.
    pub kept_extensions: Vec<String>,
    /// Extensions of the backup the role may not create (only a superuser may): not restored.
    pub extensions_not_created: Vec<String>,
    /// Cases read back as `case show` reads them (`db verify --restore-test` only).
    pub sampled_cases: Vec<super::sample::CaseRead>,
    /// Where the time went.
    pub timings: Timings,
}

/// Seconds per phase of a restore.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Timings {
    /// Checking the backup before starting.
    #[serde(rename = "verify_seconds")]
    pub verify_s: f64,
    /// Streaming the SQL into the server, up to COMMIT.
    #[serde(rename = "load_seconds")]
    pub load_s: f64,
    /// ANALYZE and the row-count check (side by side on two connections).
    #[serde(rename = "analyze_and_count_seconds")]
    pub analyze_and_count_s: f64,
}

/// Verifies the backup and checks the target: it exists (or `create`), nobody else is
/// connected, and it is empty (or `force`). `conn` is any connection to the server.
pub fn prepare(
    req: &RestoreRequest<'_>,
    conn: &mut PgConnection,
    url: &DatabaseUrl,
    progress: &mut dyn FnMut(Progress),
) -> Result<Prepared, Error> {
    let clock = Instant::now();
    let verified = verify::verify_to(req.file, req.tools, verify::Depth::Checksum, progress)?;
    let mut prepared = prepare_verified(verified, req, conn, url)?;
    prepared.verify_time = clock.elapsed();
    Ok(prepared)
}

/// [`prepare`] for a backup already verified by the caller.
pub(crate) fn prepare_verified(
    verified: VerifyReport,
    req: &RestoreRequest<'_>,
    conn: &mut PgConnection,
    url: &DatabaseUrl,
) -> Result<Prepared, Error> {
    if !verified.ok {
        return Err(Error::BadBackup {
            path: req.file.to_path_buf(),
            reason: format!(
                "refusing to restore: {}",
                verified.failure().unwrap_or_default()
            ),
        });
    }
    let info = server::info(conn)?;
    let psql = req.tools.find("psql", &info.version)?;
    let pg_restore = if verified.format == Format::Custom {
        // It must read the archive (as new as the pg_dump that wrote it) and write SQL for
        // this server.
        let archive = super::archive_header::pg_dump_version(&verified.path)
            .or_else(|| {
                verified
                    .manifest
                    .as_ref()
                    .and_then(|m| PgVersion::parse_tool_output(&format!("x {}", m.tool_version)))
            })
            .filter(|v| v.major > info.version.major);
        let need = match &archive {
            Some(archive) => Need::Archive(archive),
            None => Need::Server(&info.version),
        };
        Some(req.tools.find_for("pg_restore", need)?)
    } else {
        None
    };
    let exists = server::database_exists(conn, req.target)?;
    if !exists && !req.create {
        return Err(Error::TargetMissing {
            database: req.target.to_string(),
        });
    }
    if exists && req.create {
        return Err(Error::TargetExists {
            database: req.target.to_string(),
        });
    }
    let mut will_drop = Vec::new();
    let mut drop_sql = Vec::new();
    if exists {
        let sessions = server::sessions(conn, req.target)?;
        if !sessions.is_empty() {
            return Err(Error::ActiveConnections {
                database: req.target.to_string(),
                sessions,
            });
        }
        let target_url = url.with_database(req.target);
        let mut target = db::connect(&target_url, req.connect_timeout)?;
        let contents = server::contents(&mut target)?;
        if !contents.is_empty() {
            if !req.force {
                return Err(Error::TargetNotEmpty {
                    database: req.target.to_string(),
                    contents: contents.join("; "),
                });
            }
            drop_sql = server::emptying_statements(&mut target)?;
            will_drop = contents;
        }
    }
    Ok(Prepared {
        verified,
        target: req.target.to_string(),
        create: !exists,
        will_drop,
        drop_sql,
        psql,
        pg_restore,
        verify_time: Duration::ZERO,
    })
}

/// Runs a prepared restore, then compares row counts with the manifest and runs ANALYZE.
/// On failure the target is as it was (and dropped again if this call created it).
pub fn run(
    prepared: Prepared,
    req: &RestoreRequest<'_>,
    conn: &mut PgConnection,
    url: &DatabaseUrl,
    progress: &mut dyn FnMut(Progress),
) -> Result<RestoreReport, Error> {
    let clock = Instant::now();
    let target = prepared.target.clone();
    // A created target is loaded under a name that says whose it is, and gets its own name
    // only when complete: a wfctl killed at any moment leaves no half-made target, only a
    // scratch database the next run drops.
    let loading = if prepared.create && !req.scratch {
        super::scratch::Owner::this_process().restore_name()
    } else {
        target.clone()
    };
    if prepared.create {
        let (role, may) = server::may_create_database(conn)?;
        if !may {
            return Err(Error::NoCreatedb {
                role,
                database: target,
            });
        }
        let quoted = server::quote_ident(&loading);
        conn.batch_execute(&format!("CREATE DATABASE {quoted}"))
            .map_err(DbError::query(format!("creating database {loading}")))?;
        // The comment travels with the rename: until it is cleared, the target is wfctl's
        // unfinished restore, dropped by the next run if this one is killed.
        if let Err(e) = super::scratch::mark(conn, &loading, &super::scratch::Owner::this_process())
        {
            let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"));
            return Err(e.into());
        }
    }
    let result = load_and_check(&prepared, req, url, &loading, clock, progress);
    let result = result.and_then(|report| {
        if prepared.create && !req.scratch {
            hand_over(conn, &loading, &target)?;
        }
        Ok(report)
    });
    if result.is_err() && prepared.create {
        let _ = server::drop_database(conn, &loading);
    }
    result
}

/// Renames a complete loading database to the target and clears wfctl's mark: the last step
/// of a `--create` restore.
fn hand_over(conn: &mut PgConnection, loading: &str, target: &str) -> Result<(), Error> {
    let renamed = conn.batch_execute(&format!(
        "ALTER DATABASE {} RENAME TO {}",
        server::quote_ident(loading),
        server::quote_ident(target)
    ));
    if let Err(e) = renamed {
        // Someone created the target while this restore ran: theirs is never replaced.
        if server::database_exists(conn, target)? {
            return Err(Error::TargetExists {
                database: target.to_string(),
            });
        }
        return Err(DbError::query(format!("renaming {loading} to {target}"))(e).into());
    }
    if let Err(e) = super::scratch::unmark(conn, target) {
        let _ = server::drop_database(conn, target);
        return Err(e.into());
    }
    Ok(())
}

/// Fills `loading` (the target, or the database a `--create` restore fills before renaming
/// it), runs ANALYZE and compares row counts. The report names the target.
fn load_and_check(
    prepared: &Prepared,
    req: &RestoreRequest<'_>,
    url: &DatabaseUrl,
    loading: &str,
    clock: Instant,
    progress: &mut dyn FnMut(Progress),
) -> Result<RestoreReport, Error> {
    let target_url = url.with_database(loading);
    let (sql_bytes, filtered) = db::connect(&target_url, req.connect_timeout)
        .and_then(|mut c| server::restore_target_rights(&mut c))
        .map_err(Error::Db)
        .and_then(|rights| feed(prepared, req, &target_url, &rights, progress))?;
    let load_s = clock.elapsed().as_secs_f64();
    let checking = Instant::now();
    // ANALYZE (a dump carries no planner statistics) and the row counts on two connections.
    let (analyzed, found) = std::thread::scope(|scope| {
        let analyze = req.analyze.then(|| {
            scope.spawn(|| -> Result<(), Error> {
                db::connect(&target_url, req.connect_timeout)?
                    .batch_execute("ANALYZE /* wfctl:restore_analyze */")
                    .map_err(DbError::query("running ANALYZE"))?;
                Ok(())
            })
        });
        let found = db::connect(&target_url, req.connect_timeout)
            .map_err(Error::Db)
            .and_then(|mut c| server::row_counts(&mut c).map_err(Error::Db));
        let analyzed = analyze.map(|h| {
            h.join().unwrap_or_else(|_| {
                Err(Error::ToolFailed {
                    tool: "ANALYZE",
                    status: "panicked".into(),
                    stderr: String::new(),
                })
            })
        });
        (analyzed, found)
    });
    if let Some(result) = analyzed {
        result?;
    }
    let found = found?;
    let mut restored = db::connect(&target_url, req.connect_timeout)?;
    let manifest = prepared.verified.manifest.as_ref();
    let counts = compare_counts(manifest.map(|m| &m.row_counts), &found);
    let info = server::info(&mut restored)?;
    let pending_migrations = if info.migration_version.is_some() {
        db::migrate::pending(&mut restored)
            .map_err(Error::Db)?
            .into_iter()
            .map(|m| m.name)
            .collect()
    } else {
        Vec::new()
    };
    drop(restored);
    Ok(RestoreReport {
        file: req.file.to_path_buf(),
        target: prepared.target.clone(),
        created: prepared.create,
        dropped: prepared.will_drop.clone(),
        sql_bytes,
        elapsed: clock.elapsed(),
        counts_match: manifest.map(|_| counts.iter().all(CountCheck::ok)),
        counts,
        migration_version: info.migration_version,
        pending_migrations,
        analyzed: req.analyze,
        kept_extensions: filtered.kept,
        extensions_not_created: filtered.not_created,
        sampled_cases: Vec::new(),
        timings: Timings {
            verify_s: prepared.verify_time.as_secs_f64(),
            load_s,
            analyze_and_count_s: checking.elapsed().as_secs_f64(),
        },
    })
}

fn compare_counts(
    expected: Option<&BTreeMap<String, i64>>,
    found: &BTreeMap<String, i64>,
) -> Vec<CountCheck> {
    expected
        .into_iter()
        .flatten()
        .map(|(table, n)| CountCheck {
            table: table.clone(),
            expected: *n,
            found: found.get(table).copied(),
        })
        .collect()
}

/// Streams the SQL into psql inside our own transaction; returns the bytes of SQL sent and
/// what the role could not run and was left out.
fn feed(
    prepared: &Prepared,
    req: &RestoreRequest<'_>,
    target_url: &DatabaseUrl,
    rights: &RestoreTargetRights,
    progress: &mut dyn FnMut(Progress),
) -> Result<(u64, Filtered), Error> {
    // The schemas that exist when the dump's SQL runs: `--force` keeps only those holding
    // extensions, and `public`.
    let kept_schemas = if prepared.drop_sql.is_empty() {
        rights.schemas.clone()
    } else {
        let mut kept = rights.extension_schemas.clone();
        kept.push("public".into());
        kept
    };
    let mut cmd = child::connecting(prepared.psql.command(), target_url);
    cmd.args([
        "-X",
        "-q",
        "--no-password",
        "-v",
        "ON_ERROR_STOP=1",
        "-f",
        "-",
    ])
    .stdin(Stdio::piped())
    .stdout(Stdio::null())
    .stderr(Stdio::piped());
    let mut psql = cmd.spawn().map_err(Error::io(&prepared.psql.path))?;
    let stdin = psql.stdin.take().expect("stdin was piped");
    let stderr = psql.stderr.take().expect("stderr was piped");
    std::thread::scope(|scope| {
        let errors = scope.spawn(|| child::read_stderr(stderr, |_| {}));
        let mut filtered = Filtered::default();
        let sent = send(
            prepared,
            req,
            stdin,
            rights,
            &kept_schemas,
            &mut filtered,
            progress,
        );
        let status = psql.wait().map_err(Error::io(&prepared.psql.path));
        let errors = errors.join().unwrap_or_default();
        let status = status?;
        // A bad backup is the reason whatever psql made of it; otherwise psql's own failure
        // explains a broken pipe on our side.
        if let Err(e @ Error::BadBackup { .. }) = sent {
            return Err(e);
        }
        if !status.success() {
            let not_created = if filtered.not_created.is_empty() {
                String::new()
            } else {
                format!(
                    "; extensions only a superuser may create were left out: {}",
                    filtered.not_created.join(", ")
                )
            };
            return Err(child::failure(
                "psql",
                child::describe(status),
                &errors,
                &format!("(nothing was restored: the transaction was rolled back{not_created})"),
            ));
        }
        sent.map(|n| (n, filtered))
    })
}

/// Writes BEGIN, the settings, the `--force` drops, the backup's SQL (less what the role may
/// not run, recorded in `filtered`) and, only when all of it was read and checked, COMMIT.
/// Dropping `stdin` without COMMIT makes the server roll back when psql ends.
fn send(
    prepared: &Prepared,
    req: &RestoreRequest<'_>,
    mut stdin: ChildStdin,
    rights: &RestoreTargetRights,
    kept_schemas: &[String],
    filtered: &mut Filtered,
    progress: &mut dyn FnMut(Progress),
) -> Result<u64, Error> {
    let pipe = |e| Error::io(&prepared.psql.path)(e);
    let mut head = String::from("BEGIN;\n");
    for sql in &prepared.drop_sql {
        head.push_str(sql);
        head.push('\n');
    }
    stdin.write_all(head.as_bytes()).map_err(pipe)?;
    let mut sql = RestoreFilter::new(&mut stdin, rights, kept_schemas);
    let sent = match &prepared.pg_restore {
        None => send_gzip(prepared, &mut sql, progress),
        Some(pg_restore) => send_archive(pg_restore, req.file, &mut sql, progress),
    };
    *filtered = sql.filtered().clone();
    // A refused line never reached psql and no COMMIT follows: nothing changes.
    if let Some(reason) = sql.refused() {
        return Err(Error::BadBackup {
            path: req.file.to_path_buf(),
            reason: format!("{reason}; nothing was restored (no COMMIT was sent)"),
        });
    }
    let sent = sent?;
    *filtered = sql.finish().map_err(|e| match e.kind() {
        // The filter refused the unterminated last line.
        std::io::ErrorKind::InvalidData => Error::BadBackup {
            path: req.file.to_path_buf(),
            reason: format!("{e}; nothing was restored (no COMMIT was sent)"),
        },
        _ => pipe(e),
    })?;
    stdin.write_all(b"\nCOMMIT;\n").map_err(pipe)?;
    Ok(sent)
}

fn send_gzip(
    prepared: &Prepared,
    stdin: &mut impl Write,
    progress: &mut dyn FnMut(Progress),
) -> Result<u64, Error> {
    let path = &prepared.verified.path;
    let file = files::open_backup(path).map_err(Error::io(path))?;
    let mut hashing = HashingReader::new(file);
    let mut decoder = MultiGzDecoder::new(&mut hashing);
    let mut tail = Tail::default();
    let bad = |e: std::io::Error| Error::BadBackup {
        path: path.clone(),
        reason: format!(
            "bad gzip data while restoring ({e}); nothing was restored (no COMMIT was sent)"
        ),
    };
    let sent = match copy_sql(&mut decoder, stdin, &mut tail, progress) {
        Ok(n) => n,
        Err(Copy::Read(e)) => return Err(bad(e)),
        Err(Copy::Write(e)) => {
            // psql stopped. Garbage from a corrupt stream can make it stop before the gzip
            // check fails, so read on: a bad backup is the real reason if there is one.
            return Err(match std::io::copy(&mut decoder, &mut std::io::sink()) {
                Err(read) => bad(read),
                Ok(_) => Error::io(&prepared.psql.path)(e),
            });
        }
    };
    drop(decoder);
    let (_, sha256) = hashing.finish();
    let expected = prepared
        .verified
        .manifest
        .as_ref()
        .and_then(|m| m.sha256.clone());
    let problem = if expected.is_some_and(|e| e != sha256) {
        Some("its sha256 changed while restoring")
    } else if !tail.has_trailer() {
        Some("the SQL does not end with pg_dump's \"dump complete\" comment")
    } else {
        None
    };
    if let Some(problem) = problem {
        return Err(Error::BadBackup {
            path: path.clone(),
            reason: format!("{problem}; nothing was restored (no COMMIT was sent)"),
        });
    }
    Ok(sent)
}

fn send_archive(
    pg_restore: &Tool,
    archive: &Path,
    stdin: &mut impl Write,
    progress: &mut dyn FnMut(Progress),
) -> Result<u64, Error> {
    let mut cmd = pg_restore.command();
    cmd.arg("--file=-")
        .arg(archive)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut reader: Child = cmd.spawn().map_err(Error::io(&pg_restore.path))?;
    let mut stdout = reader.stdout.take().expect("stdout was piped");
    let stderr = reader.stderr.take().expect("stderr was piped");
    std::thread::scope(|scope| {
        let errors = scope.spawn(|| child::read_stderr(stderr, |_| {}));
        let mut tail = Tail::default();
        let copied = copy_sql(&mut stdout, stdin, &mut tail, progress);
        if copied.is_err() {
            crate::process::kill_group(&reader);
        }
        let status = reader.wait().map_err(Error::io(&pg_restore.path))?;
        let errors = errors.join().unwrap_or_default();
        if !status.success() {
            return Err(child::failure(
                "pg_restore",
                child::describe(status),
                &errors,
                "(nothing was restored)",
            ));
        }
        copied.map_err(|e| match e {
            Copy::Read(e) => Error::io(&pg_restore.path)(e),
            Copy::Write(e) => Error::io("psql")(e),
        })
    })
}

enum Copy {
    Read(std::io::Error),
    Write(std::io::Error),
}

fn copy_sql(
    from: &mut impl Read,
    to: &mut impl Write,
    tail: &mut Tail,
    progress: &mut dyn FnMut(Progress),
) -> Result<u64, Copy> {
    let mut buf = vec![0u8; 256 * 1024];
    let mut sent = 0u64;
    let mut reported = 0u64;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Copy::Read(e)),
        };
        tail.update(&buf[..n]);
        to.write_all(&buf[..n]).map_err(Copy::Write)?;
        sent += n as u64;
        if sent - reported >= 4 << 20 {
            reported = sent;
            progress(Progress {
                read: sent,
                written: sent,
            });
        }
    }
    Ok(sent)
}

/// `db verify --restore-test`: restores into a throwaway database on the same server,
/// compares row counts with the manifest, reads the migration state and a sample of cases
/// (as `case show` does), then drops it, whatever happened.
pub fn restore_test(
    verified: VerifyReport,
    tools: &ToolSearch,
    conn: &mut PgConnection,
    url: &DatabaseUrl,
    connect_timeout: Duration,
    progress: &mut dyn FnMut(Progress),
) -> Result<RestoreReport, Error> {
    // The name says whose it is, so a later run drops it if this one is killed.
    let name = super::scratch::Owner::this_process().verify_name();
    let file = verified.path.clone();
    let req = RestoreRequest {
        file: &file,
        target: &name,
        create: true,
        force: false,
        analyze: false,
        tools,
        connect_timeout,
        scratch: true,
    };
    let result = prepare_verified(verified, &req, conn, url)
        .and_then(|p| run(p, &req, conn, url, progress))
        .and_then(|mut report| {
            if report.at_newest_migration() {
                report.sampled_cases =
                    super::sample::read_sample_cases(&url.with_database(&name), connect_timeout)?;
            }
            Ok(report)
        });
    let _ = server::drop_database(conn, &name);
    result
}
