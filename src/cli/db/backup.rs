//! `wfctl db backup`: the guide's backup script as a command that cannot fail silently, and
//! what the other backup commands share (`--pg-bindir`, exit codes, retention log lines). The work is in
//! `wfctl::backup`; this file turns flags into requests and results into output.

use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;
use clap::{Args, ValueEnum};
use indicatif::{HumanBytes, ProgressBar};
use wfctl::backup::{
    self, Deletion, RetentionPolicy, ToolSearch, catalog, dump, files, preflight, retention, server,
};

use crate::cli::exit::{CONFIG, TEMPFAIL};
use crate::cli::{Context, Exit, Output};

/// Where backups go (shared by `backup`, `backups` and `basebackup`).
pub(super) const DEFAULT_DIR: &str = "/var/backups/postgresql";

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
    /// Delete this database's backups older than this (after a successful backup): 7d, 2weeks;
    /// a bare number is days
    #[arg(long = "keep", visible_alias = "keep-days", default_value = "7d", value_name = "AGE", value_parser = crate::cli::format::parse_retention_days)]
    keep_days: u32,
    /// Never delete the newest this many good backups, however old
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..))]
    keep_min: u64,
    /// Wait this long for another backup in the directory to finish (default: exit 75 at once)
    #[arg(long, value_parser = crate::cli::format::parse_duration, value_name = "DURATION")]
    wait: Option<Duration>,
    /// Run the preflight and show what retention would delete; write nothing
    #[arg(long)]
    dry_run: bool,
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

pub(super) fn run(args: BackupArgs, ctx: &Context) -> anyhow::Result<()> {
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
            "elapsed_seconds": report.elapsed.as_secs_f64(),
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
