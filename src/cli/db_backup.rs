//! `wfctl db backup | backups | verify | restore`: the guide's backup script, restore steps
//! and disaster-recovery test as commands that cannot fail silently. The work is in
//! `wfctl::db::backup`; this file turns flags into requests and results into output.

use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;
use clap::{Args, ValueEnum};
use indicatif::{HumanBytes, ProgressBar};
use serde::Serialize;
use wfctl::db::backup::{
    self, BackupEntry, Deletion, RetentionPolicy, ToolSearch, catalog, dump, files, preflight,
    restore, retention, sample, server, verify,
};

use super::exit::{CONFIG, PARTIAL, TEMPFAIL};
use super::{Context, Exit, Output};

/// Where backups go (shared by `backup`, `backups` and `basebackup`).
const DEFAULT_DIR: &str = "/var/backups/postgresql";

/// `--pg-bindir`: shared by every command that runs a PostgreSQL client program.
#[derive(Debug, Args)]
pub(crate) struct PgBinArgs {
    /// Directory of pg_dump, pg_restore, psql, pg_basebackup (default: the server's major
    /// under /usr/lib/postgresql, then PATH)
    #[arg(long, env = "WFCTL_PG_BINDIR", value_name = "DIR")]
    pg_bindir: Option<PathBuf>,
}

impl PgBinArgs {
    pub(crate) fn search(&self) -> ToolSearch {
        ToolSearch {
            bindir: self.pg_bindir.clone(),
            path: std::env::var_os("PATH"),
            versions_root: None,
        }
    }
}

/// `--format` of `db backup`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DumpFormat {
    /// Plain SQL through gzip (.sql.gz): restorable with gunzip | psql too
    SqlGz,
    /// pg_dump's custom format (.dump)
    Custom,
}

#[derive(Debug, Args)]
pub(crate) struct BackupArgs {
    /// Backup directory (created with mode 0700 if missing)
    #[arg(long, env = "WFCTL_BACKUP_DIR", default_value = DEFAULT_DIR, value_name = "DIR")]
    dir: PathBuf,
    /// File format
    #[arg(long, value_enum, default_value_t = DumpFormat::SqlGz)]
    format: DumpFormat,
    /// Compression level 0-9 (6: the size of gzip -6, in less time)
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(0..=9))]
    level: u32,
    /// Delete this database's backups older than this many days (after a successful backup)
    #[arg(long, default_value_t = 7)]
    keep_days: u32,
    /// Never delete the newest this many good backups, however old
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..))]
    keep_min: u64,
    /// Wait this long for another backup in the directory to finish (default: exit 75 at once)
    #[arg(long, value_parser = humantime::parse_duration, value_name = "DURATION")]
    wait: Option<Duration>,
    /// Run the preflight and show what retention would delete; write nothing
    #[arg(long)]
    dry_run: bool,
    #[command(flatten)]
    bin: PgBinArgs,
}

#[derive(Debug, Args)]
pub(crate) struct BackupsArgs {
    /// Backup directory
    #[arg(long, env = "WFCTL_BACKUP_DIR", default_value = DEFAULT_DIR, value_name = "DIR")]
    dir: PathBuf,
    /// Exit 3 when the newest good backup is older than this (e.g. 26h), for monitoring
    #[arg(long, value_parser = humantime::parse_duration, value_name = "DURATION")]
    check_fresh: Option<Duration>,
}

#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// The backup file (.sql.gz or .dump)
    file: PathBuf,
    /// Also restore it into a throwaway database, compare row counts with the manifest and
    /// check its migrations, then drop it (needs CREATEDB)
    #[arg(long)]
    restore_test: bool,
    #[command(flatten)]
    bin: PgBinArgs,
}

#[derive(Debug, Args)]
pub(crate) struct RestoreArgs {
    /// The backup file (.sql.gz or .dump); verified before anything is touched
    file: PathBuf,
    /// Database to restore into, on the server of --database-url
    #[arg(long, value_name = "NAME")]
    target_db: String,
    /// Create the target database if it does not exist
    #[arg(long)]
    create: bool,
    /// Replace a non-empty target's contents (its schemas are dropped inside the restore's
    /// transaction: a failed restore drops nothing)
    #[arg(long)]
    force: bool,
    /// Skip ANALYZE after the restore (a dump carries no planner statistics)
    #[arg(long)]
    no_analyze: bool,
    #[command(flatten)]
    bin: PgBinArgs,
}

/// Maps the library's errors to the design's exit codes.
pub(crate) fn exit_for(error: backup::Error) -> anyhow::Error {
    use backup::Error as E;
    let code = match &error {
        E::Db(_) => None,
        E::Locked { .. } | E::ActiveConnections { .. } => Some(TEMPFAIL),
        E::ToolMissing { .. }
        | E::ToolTooOld { .. }
        | E::NoReplication { .. }
        | E::ServerNotReady { .. } => Some(CONFIG),
        _ => None,
    };
    match (error, code) {
        // The database error itself, so exit::classify sees "unreachable" (69).
        (E::Db(db), _) => anyhow::Error::new(db),
        (error, Some(code)) => Exit::new(code, error.to_string()).into(),
        (error, None) => anyhow::Error::new(error),
    }
}

pub(crate) fn run_backup(args: BackupArgs, ctx: &Context) -> anyhow::Result<()> {
    let out = &ctx.output;
    let url = ctx.database_url()?;
    let mut conn = ctx.connect()?;
    let info = server::info(&mut conn).map_err(|e| exit_for(e.into()))?;
    let tool = args
        .bin
        .search()
        .find("pg_dump", &info.version)
        .map_err(exit_for)?;
    let group = format!("dump:{}", info.database);
    out.detail(&format!(
        "{} {} ({}) for server {}",
        tool.name,
        tool.version,
        tool.path.display(),
        info.version
    ));
    let pre = preflight::run(&args.dir, args.wait, info, tool, group).map_err(exit_for)?;
    report_space(out, &pre);
    let policy = RetentionPolicy {
        keep_min: usize::try_from(args.keep_min).unwrap_or(usize::MAX),
        keep_days: Some(args.keep_days),
    };
    if args.dry_run {
        let planned = retention::plan_after_next(&pre.entries, &pre.group, policy, Utc::now());
        let leftovers = retention::leftovers(&pre.entries);
        let all: Vec<Deletion> = leftovers.into_iter().chain(planned).collect();
        let all = retention::apply(all, true, |d| log_deletion(out, d)).map_err(exit_for)?;
        if out.json() {
            out.print_json(&serde_json::json!({ "dry_run": true, "would_delete": all }))?;
        } else {
            out.status(&format!(
                "dry run: preflight passed for {} in {}; retention would delete {} entr{}",
                pre.server.database,
                args.dir.display(),
                all.len(),
                if all.len() == 1 { "y" } else { "ies" }
            ));
        }
        return Ok(());
    }
    let mut deleted = retention::apply(retention::leftovers(&pre.entries), false, |d| {
        log_deletion(out, d);
    })
    .map_err(exit_for)?;
    let bar = spinner(out);
    let format = match args.format {
        DumpFormat::SqlGz => files::Format::SqlGz,
        DumpFormat::Custom => files::Format::Custom,
    };
    let started = std::time::Instant::now();
    let report = dump::run(&pre, &mut conn, &url, format, args.level, &mut |p| {
        let secs = started.elapsed().as_secs_f64().max(0.001);
        bar.set_message(format!(
            "dumped {} ({}/s), written {}",
            HumanBytes(p.read),
            HumanBytes((p.read as f64 / secs) as u64),
            HumanBytes(p.written)
        ));
    });
    bar.finish_and_clear();
    let report = report.map_err(exit_for)?;
    for warning in &report.warnings {
        out.warn(&format!("pg_dump: {warning}"));
    }
    // Retention only after a successful backup, under the same lock.
    let entries = catalog::scan(&args.dir).map_err(exit_for)?;
    let planned = retention::plan(&entries, &pre.group, policy, Utc::now());
    deleted.extend(retention::apply(planned, false, |d| log_deletion(out, d)).map_err(exit_for)?);
    let m = &report.manifest;
    if out.json() {
        out.print_json(&serde_json::json!({
            "backup": report.path,
            "manifest": m,
            "elapsed_s": report.elapsed.as_secs_f64(),
            "deleted": deleted,
        }))?;
    } else {
        let secs = report.elapsed.as_secs_f64().max(0.001);
        let sql = m.uncompressed_size.map_or_else(String::new, |raw| {
            format!(
                " ({} of SQL, {:.1}x, {}/s)",
                HumanBytes(raw),
                raw as f64 / m.size.max(1) as f64,
                HumanBytes((raw as f64 / secs) as u64)
            )
        });
        out.status(&format!(
            "backup {}: {}{sql} in {secs:.1} s; {} rows in {} tables",
            report.path.display(),
            HumanBytes(m.size),
            m.row_counts.values().sum::<i64>(),
            m.row_counts.len()
        ));
    }
    drop(pre);
    Ok(())
}

fn report_space(out: &Output, pre: &preflight::Preflight) {
    match pre.last_size {
        Some(last) => out.detail(&format!(
            "free space {} (last backup {}, 1.5x needed)",
            HumanBytes(pre.available),
            HumanBytes(last)
        )),
        None => out.detail(&format!(
            "free space {} (no earlier backup to size against)",
            HumanBytes(pre.available)
        )),
    }
}

/// One JSON line per deletion on stderr (suppressed with -q, like every message).
pub(crate) fn log_deletion(out: &Output, deletion: &Deletion) {
    if let Ok(line) = serde_json::to_string(deletion) {
        out.status(&line);
    }
}

/// A spinner on a terminal's stderr, hidden elsewhere.
pub(crate) fn spinner(out: &Output) -> ProgressBar {
    let bar = out.progress_bar(None);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg}") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

#[derive(Serialize)]
struct ListedEntry<'a> {
    #[serde(flatten)]
    entry: &'a BackupEntry,
    good: bool,
    age_s: i64,
    verification: Option<&'a backup::manifest::Verification>,
}

pub(crate) fn run_backups(args: &BackupsArgs, ctx: &Context) -> anyhow::Result<()> {
    let out = &ctx.output;
    let entries = catalog::scan(&args.dir).map_err(exit_for)?;
    let now = Utc::now();
    let newest_good = entries
        .iter()
        .filter(|e| e.is_good())
        .max_by_key(|e| e.time);
    let stale = args.check_fresh.map(|limit| match newest_good {
        None => Some(format!("no good backup in {}", args.dir.display())),
        Some(e) => {
            let age = (now - e.time).to_std().unwrap_or_default();
            (age > limit).then(|| {
                format!(
                    "the newest good backup {} is {} old (limit {})",
                    e.name,
                    short_age(age),
                    humantime::format_duration(limit)
                )
            })
        }
    });
    if out.json() {
        let listed: Vec<ListedEntry<'_>> = entries
            .iter()
            .map(|e| ListedEntry {
                entry: e,
                good: e.is_good(),
                age_s: (now - e.time).num_seconds(),
                verification: e.verification(),
            })
            .collect();
        out.print_json(&serde_json::json!({
            "dir": args.dir,
            "backups": listed,
            "newest_good": newest_good.map(|e| &e.name),
            "fresh": stale.as_ref().map(Option::is_none),
        }))?;
    } else {
        let mut table = out.table([
            "backup",
            "kind",
            "database",
            "taken (UTC)",
            "age",
            "size",
            "verified",
        ]);
        for e in &entries {
            table.add_row([
                e.name.clone(),
                kind_label(e),
                e.database.clone().unwrap_or_default(),
                e.time.format("%Y-%m-%d %H:%M:%S").to_string(),
                short_age((now - e.time).to_std().unwrap_or_default()),
                HumanBytes(e.size).to_string(),
                verified_label(out, e, now),
            ]);
        }
        if entries.is_empty() {
            out.status(&format!("no backups in {}", args.dir.display()));
        } else {
            out.print_table(&table)?;
        }
    }
    match stale {
        Some(Some(problem)) => Err(Exit::new(PARTIAL, problem).into()),
        _ => Ok(()),
    }
}

fn kind_label(e: &BackupEntry) -> String {
    let format = e.format.map_or("?", |f| f.label());
    match e.kind {
        catalog::EntryKind::Backup => format.to_string(),
        catalog::EntryKind::Legacy => format!("{format} (no manifest)"),
        catalog::EntryKind::Incomplete => "incomplete (.partial)".into(),
        catalog::EntryKind::OrphanManifest => "manifest without backup".into(),
    }
}

fn verified_label(out: &Output, e: &BackupEntry, now: chrono::DateTime<Utc>) -> String {
    if let Some(problem) = &e.problem
        && e.kind == catalog::EntryKind::Backup
    {
        return out.paint(&format!("BAD: {problem}"), "31");
    }
    match e.verification() {
        Some(v) if v.ok => format!(
            "{} {} ago",
            v.level,
            short_age((now - v.at).to_std().unwrap_or_default())
        ),
        Some(v) => out.paint(&format!("FAILED: {}", v.detail), "31"),
        None if e.kind == catalog::EntryKind::Backup => "not verified".into(),
        None => String::new(),
    }
}

fn short_age(age: Duration) -> String {
    let s = age.as_secs();
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s / 60),
        3600..86_400 => format!("{}h {}m", s / 3600, s % 3600 / 60),
        _ => format!("{}d {}h", s / 86_400, s % 86_400 / 3600),
    }
}

pub(crate) fn run_verify(args: VerifyArgs, ctx: &Context) -> anyhow::Result<()> {
    let out = &ctx.output;
    let tools = args.bin.search();
    let bar = spinner(out);
    let report = verify::verify(&args.file, &tools, &mut |p| {
        bar.set_message(format!("read {} of SQL", HumanBytes(p.read)));
    });
    bar.finish_and_clear();
    let report = report.map_err(exit_for)?;
    let mut restored = None;
    if args.restore_test && report.ok {
        let url = ctx.database_url()?;
        let mut conn = ctx.connect()?;
        let bar = spinner(out);
        let result = restore::restore_test(
            report.clone(),
            &tools,
            &mut conn,
            &url,
            ctx.connect_timeout(),
            &mut |p| bar.set_message(format!("restored {} of SQL", HumanBytes(p.read))),
        );
        bar.finish_and_clear();
        restored = Some(result.map_err(exit_for)?);
    }
    let counts_ok = restored
        .as_ref()
        .is_none_or(|r| r.counts_match != Some(false));
    let unreadable: Vec<&str> = restored
        .iter()
        .flat_map(|r| &r.sampled_cases)
        .filter(|c| !c.ok())
        .map(|c| c.case_id.as_str())
        .collect();
    let ok = report.ok && counts_ok && unreadable.is_empty();
    let level = if restored.is_some() {
        "restore-test"
    } else {
        "checksum"
    };
    let mut recorded = report.clone();
    recorded.ok = ok;
    if !counts_ok {
        recorded.checks.push(verify::Check {
            check: "row counts",
            ok: false,
            detail: "the restored database's row counts differ from the manifest".into(),
        });
    }
    if !unreadable.is_empty() {
        recorded.checks.push(verify::Check {
            check: "cases",
            ok: false,
            detail: format!(
                "restored cases that cannot be read: {}",
                unreadable.join(", ")
            ),
        });
    }
    if let Err(e) = verify::record(&recorded, level) {
        out.warn(&format!("could not record the result in the manifest: {e}"));
    }
    if out.json() {
        out.print_json(&serde_json::json!({
            "file": report.path,
            "ok": ok,
            "checks": report.checks,
            "restore_test": restored,
        }))?;
    } else {
        let mut table = out.table(["check", "result", "detail"]);
        for c in &report.checks {
            table.add_row([
                c.check.to_string(),
                if c.ok {
                    out.paint("ok", "32")
                } else {
                    out.paint("FAILED", "31")
                },
                c.detail.clone(),
            ]);
        }
        out.print_table(&table)?;
        if let Some(r) = &restored {
            print_counts(out, r)?;
            print_sampled_cases(out, r)?;
            out.status(&format!(
                "restore test: restored into a throwaway database in {:.1} s and dropped it; migration {}{}",
                r.elapsed.as_secs_f64(),
                r.migration_version.as_deref().unwrap_or("none"),
                if r.pending_migrations.is_empty() {
                    String::new()
                } else {
                    format!(" ({} newer in this wfctl)", r.pending_migrations.len())
                }
            ));
        }
        if !report.has_manifest && report.ok {
            out.status("no manifest: gzip stream and dump trailer checked; no checksum to compare");
        }
    }
    if ok {
        Ok(())
    } else {
        let why = recorded.failure().unwrap_or_default();
        Err(Exit::new(PARTIAL, format!("{}: {why}", args.file.display())).into())
    }
}

fn print_sampled_cases(out: &Output, r: &restore::RestoreReport) -> anyhow::Result<()> {
    let cases: &[sample::CaseRead] = &r.sampled_cases;
    if !r.at_newest_migration() {
        out.status(
            "cases not read back: the backup's schema is not at this wfctl's newest migration \
             (restore it, then wfctl db migrate, then wfctl case show)",
        );
        return Ok(());
    }
    if cases.is_empty() {
        out.status("no workflow cases in the backup: none read back");
        return Ok(());
    }
    let mut table = out.table([
        "case (read as case show does)",
        "status",
        "audit records",
        "",
    ]);
    for c in cases {
        table.add_row([
            c.case_id.clone(),
            c.status.map_or_else(String::new, |s| {
                super::case::render::case_status(s).to_owned()
            }),
            c.audit_records.to_string(),
            match &c.error {
                None => out.paint("ok", "32"),
                Some(e) => out.paint(&format!("FAILED: {e}"), "31"),
            },
        ]);
    }
    out.print_table(&table)?;
    Ok(())
}

fn print_counts(out: &Output, r: &restore::RestoreReport) -> anyhow::Result<()> {
    if r.counts.is_empty() {
        out.status("no manifest: row counts not compared");
        return Ok(());
    }
    let mut table = out.table(["table", "manifest", "restored", ""]);
    for c in &r.counts {
        table.add_row([
            c.table.clone(),
            c.expected.to_string(),
            c.found.map_or_else(|| "missing".into(), |n| n.to_string()),
            if c.ok() {
                out.paint("ok", "32")
            } else {
                out.paint("DIFFERS", "31")
            },
        ]);
    }
    out.print_table(&table)?;
    Ok(())
}

pub(crate) fn run_restore(args: RestoreArgs, ctx: &Context) -> anyhow::Result<()> {
    let out = &ctx.output;
    let url = ctx.database_url()?;
    let mut conn = ctx.connect()?;
    let tools = args.bin.search();
    let req = restore::RestoreRequest {
        file: &args.file,
        target: &args.target_db,
        create: args.create,
        force: args.force,
        analyze: !args.no_analyze,
        tools: &tools,
        connect_timeout: ctx.connect_timeout(),
    };
    let bar = spinner(out);
    let prepared = restore::prepare(&req, &mut conn, &url, &mut |p| {
        bar.set_message(format!("verifying: read {} of SQL", HumanBytes(p.read)));
    });
    bar.finish_and_clear();
    let prepared = prepared.map_err(exit_for)?;
    if !prepared.verified.has_manifest {
        out.warn(&format!(
            "{} has no manifest: checked its gzip stream and end only; row counts cannot be compared",
            args.file.display()
        ));
    }
    for what in &prepared.will_drop {
        out.warn(&format!(
            "--force: dropping {what} in {} (inside the restore's transaction)",
            args.target_db
        ));
    }
    let bar = spinner(out);
    let report = restore::run(prepared, &req, &mut conn, &url, &mut |p| {
        bar.set_message(format!("restored {} of SQL", HumanBytes(p.read)));
    });
    bar.finish_and_clear();
    let report = report.map_err(exit_for)?;
    if out.json() {
        out.print_json(&report)?;
    } else {
        print_counts(out, &report)?;
        out.status(&format!(
            "restored {} into {}{} in {:.1} s{}",
            args.file.display(),
            report.target,
            if report.created { " (created)" } else { "" },
            report.elapsed.as_secs_f64(),
            if report.analyzed { ", analyzed" } else { "" }
        ));
        if !report.pending_migrations.is_empty() {
            out.status(&format!(
                "next: the backup predates {} migration(s) of this wfctl: run `wfctl db migrate` against {}",
                report.pending_migrations.len(),
                report.target
            ));
        }
    }
    match report.counts_match {
        Some(false) => {
            let differ: Vec<String> = report
                .counts
                .iter()
                .filter(|c| !c.ok())
                .map(|c| {
                    format!(
                        "{} {} (manifest {})",
                        c.table,
                        c.found.map_or_else(|| "missing".into(), |n| n.to_string()),
                        c.expected
                    )
                })
                .collect();
            Err(Exit::new(
                PARTIAL,
                format!("row counts differ from the manifest: {}", differ.join(", ")),
            )
            .into())
        }
        _ => Ok(()),
    }
}
