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
use wfctl::config::BackupFormat;

use crate::cli::exit::{CONFIG, TEMPFAIL, UNAVAILABLE};
use crate::cli::{Context, Exit, Output};

/// Where backups go (shared by `backup`, `backups` and `basebackup`).
pub(crate) const DEFAULT_DIR: &str = "/var/backups/postgresql";
/// What `db backup` uses when neither a flag nor `[backup]` says (`config show` shows them).
pub(crate) const DEFAULT_LEVEL: u32 = 6;
pub(crate) const DEFAULT_KEEP_DAYS: u32 = 7;
pub(crate) const DEFAULT_KEEP_MIN: usize = 3;

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
    /// Backup directory, created with mode 0700 if missing (default: `[backup] dir` of
    /// wfctl.toml, else /var/backups/postgresql)
    #[arg(long, env = "WFCTL_BACKUP_DIR", value_name = "DIR")]
    dir: Option<PathBuf>,
    /// File format (default: `[backup] format`, else sql-gz)
    #[arg(long, value_enum)]
    format: Option<DumpFormat>,
    /// Compression level 0-9 (default: `[backup] level`, else 6: the size of gzip -6, in
    /// less time)
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=9))]
    level: Option<u32>,
    /// Delete this database's backups older than this, after a successful backup: 7d, 2weeks;
    /// a bare number is days (default: `[backup] keep_days`, else 7d)
    #[arg(long = "keep", visible_alias = "keep-days", value_name = "AGE", value_parser = crate::cli::format::parse_retention_days)]
    keep_days: Option<u32>,
    /// Never delete the newest this many good backups, however old (default: `[backup]
    /// keep_min`, else 3)
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    keep_min: Option<u64>,
    /// Wait this long for another backup in the directory to finish (default: exit 75 at once)
    #[arg(long, value_parser = crate::cli::format::parse_duration, value_name = "DURATION")]
    wait: Option<Duration>,
    /// Run the preflight and show what retention would delete; write nothing (not even the
    /// directory or its lock file)
    #[arg(long)]
    dry_run: bool,
    #[command(flatten)]
    bin: PgBinArgs,
}

/// The backup directory: `--dir` (or WFCTL_BACKUP_DIR), then `[backup] dir`, then the default.
pub(super) fn backup_dir(flag: Option<&PathBuf>, ctx: &Context) -> PathBuf {
    flag.or(ctx.config.backup.dir.as_ref())
        .cloned()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_DIR))
}

/// What `db backup` does, from its flags over `[backup]` over the defaults.
struct Settings {
    dir: PathBuf,
    format: files::Format,
    level: u32,
    policy: RetentionPolicy,
}

impl Settings {
    fn resolve(args: &BackupArgs, ctx: &Context) -> Self {
        let file = &ctx.config.backup;
        let format = match (args.format, file.format) {
            (Some(DumpFormat::Custom), _) | (None, Some(BackupFormat::Custom)) => {
                files::Format::Custom
            }
            _ => files::Format::SqlGz,
        };
        let keep_min = match (args.keep_min, file.keep_min) {
            (Some(n), _) => usize::try_from(n).unwrap_or(usize::MAX),
            (None, Some(n)) => n as usize,
            (None, None) => DEFAULT_KEEP_MIN,
        };
        Self {
            dir: backup_dir(args.dir.as_ref(), ctx),
            format,
            level: args.level.or(file.level).unwrap_or(DEFAULT_LEVEL),
            policy: RetentionPolicy {
                keep_min,
                keep_days: Some(
                    args.keep_days
                        .or(file.keep_days)
                        .unwrap_or(DEFAULT_KEEP_DAYS),
                ),
            },
        }
    }
}

/// Maps the library's errors to the design's exit codes.
pub(crate) fn exit_for(error: backup::Error) -> anyhow::Error {
    use backup::Error as E;
    let code = match &error {
        E::Db(_) => None,
        E::Locked { .. } | E::ActiveConnections { .. } => Some(TEMPFAIL),
        E::ServerLost { .. } => Some(UNAVAILABLE),
        E::ToolMissing { .. }
        | E::ToolTooOld { .. }
        | E::NoReplication { .. }
        | E::ServerNotReady { .. }
        | E::NoCreatedb { .. } => Some(CONFIG),
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
    log::info!(
        "{} {} ({}) for server {}",
        tool.name,
        tool.version,
        tool.path.display(),
        info.version
    );
    let settings = Settings::resolve(&args, ctx);
    let policy = settings.policy;
    let pre = if args.dry_run {
        preflight::dry_run(&settings.dir, info, tool, group)
    } else {
        preflight::run(&settings.dir, args.wait, info, tool, group)
    }
    .map_err(exit_for)?;
    report_space(&pre);
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
                settings.dir.display(),
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
    let started = std::time::Instant::now();
    let report = dump::run(
        &pre,
        &mut conn,
        &url,
        settings.format,
        settings.level,
        &mut |p| {
            let secs = started.elapsed().as_secs_f64().max(0.001);
            bar.set_message(format!(
                "dumped {} ({}/s), written {}",
                HumanBytes(p.read),
                HumanBytes((p.read as f64 / secs) as u64),
                HumanBytes(p.written)
            ));
        },
    );
    bar.finish_and_clear();
    let report = report.map_err(exit_for)?;
    for warning in &report.warnings {
        out.warn(&format!("pg_dump: {warning}"));
    }
    // Retention only after a successful backup, under the same lock.
    let entries = catalog::scan(&settings.dir).map_err(exit_for)?;
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

fn report_space(pre: &preflight::Preflight) {
    match pre.last_size {
        Some(last) => log::info!(
            "free space {} (last backup {}, 1.5x needed)",
            HumanBytes(pre.available),
            HumanBytes(last)
        ),
        None => log::info!(
            "free space {} (no earlier backup to size against)",
            HumanBytes(pre.available)
        ),
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
