//! `wfctl db backup`: the guide's backup script as a command that cannot fail silently, and
//! what the other backup commands share (`--pg-bindir`, exit codes, retention log lines). The work is in
//! `wfctl::backup`; this file turns flags into requests and results into output.

use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;
use clap::{Args, ValueEnum};
use indicatif::ProgressBar;
use wfctl::backup::{
    self, Deletion, RetentionPolicy, ToolSearch, dump, files, preflight, retention, server,
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
    /// Directory of pg_dump, pg_restore, psql, pg_basebackup, pg_ctl (default: `[tools]
    /// bin_dir` of wfctl.toml, else the server's major under /usr/lib/postgresql, then PATH)
    #[arg(long, env = "WFCTL_PG_BINDIR", value_name = "DIR")]
    pg_bindir: Option<PathBuf>,
}

impl PgBinArgs {
    /// Where to look: the flag (or `WFCTL_PG_BINDIR`), else `[tools] bin_dir`, else everywhere.
    pub(crate) fn search(&self, ctx: &Context) -> ToolSearch {
        ToolSearch {
            bindir: self
                .pg_bindir
                .clone()
                .or_else(|| ctx.config.tools.bin_dir.clone()),
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
    #[arg(long, value_parser = crate::cli::format::parse_range::<u32, 0, 9>)]
    level: Option<u32>,
    /// Delete this database's backups older than this, after a successful backup: 7d, 2weeks;
    /// a bare number is days; whole days only (default: `[backup] keep_days`, else 7d)
    #[arg(long = "keep", visible_alias = "keep-days", value_name = "AGE", value_parser = crate::cli::format::parse_retention_days)]
    keep_days: Option<u32>,
    /// Never delete the newest this many good backups, however old (default: `[backup]
    /// keep_min`, else 3)
    #[arg(long, value_name = "N", value_parser = crate::cli::format::parse_at_least_one::<u64>)]
    keep_min: Option<u64>,
    /// Wait this long for another backup in the directory to finish (default: exit 75 at once)
    #[arg(long, value_parser = crate::cli::format::parse_duration, value_name = "DURATION")]
    wait: Option<Duration>,
    /// Run the preflight and show what retention would delete; write nothing (not even the
    /// directory or its lock file)
    #[arg(long)]
    dry_run: bool,
    /// Store the backup in the repository ([repository] url, or WFCTL_REPOSITORY) as
    /// backups/NAME, encrypted when [repository] encrypt is set, instead of in a directory
    /// (--dir is not used); retention then applies to the repository's backups
    #[arg(long, conflicts_with = "dry_run")]
    repo: bool,
    #[command(flatten)]
    bin: PgBinArgs,
}

/// The backup directory: `--dir` (or WFCTL_BACKUP_DIR), then `[backup] dir`, then the default.
pub(super) fn backup_dir(flag: Option<&PathBuf>, ctx: &Context) -> PathBuf {
    flag.or(ctx.config.backup.dir.as_ref())
        .cloned()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_DIR))
}

/// The backup directory of a command that reads it (`db backups`): it must exist, so that a
/// mistyped path is an error and not "no backups" (exit 78 when the path came from wfctl.toml).
pub(super) fn existing_backup_dir(
    flag: Option<&PathBuf>,
    ctx: &Context,
) -> anyhow::Result<PathBuf> {
    let dir = backup_dir(flag, ctx);
    let problem = match std::fs::metadata(&dir) {
        Ok(meta) if meta.is_dir() => return Ok(dir),
        Ok(_) => "is not a directory".to_string(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => "does not exist".to_string(),
        Err(e) => format!("cannot be read: {e}"),
    };
    let from_config = flag.is_none() && ctx.config.backup.dir.is_some();
    let (code, origin) = if from_config {
        (CONFIG, " ([backup] dir in wfctl.toml)")
    } else {
        (1, "")
    };
    Err(Exit::new(
        code,
        format!("backup directory {}{origin} {problem}", dir.display()),
    )
    .into())
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
        E::Db(_) | E::Repo(_) => None,
        E::Locked { .. } | E::ActiveConnections { .. } => Some(TEMPFAIL),
        E::ServerLost { .. } => Some(UNAVAILABLE),
        E::ToolMissing { .. }
        | E::ToolTooOld { .. }
        | E::ToolWrongMajor { .. }
        | E::ToolNotExecutable { .. }
        | E::ToolHangs { .. }
        | E::NoReplication { .. }
        | E::ServerNotReady { .. }
        | E::NoCreatedb { .. } => Some(CONFIG),
        _ => None,
    };
    match (error, code) {
        // The database error itself, so exit::classify sees "unreachable" (69).
        (E::Db(db), _) => anyhow::Error::new(db),
        (E::Repo(e), _) => crate::cli::repo::object_error(e),
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
        .search(ctx)
        .find("pg_dump", &info.version)
        .map_err(exit_for)?;
    let group = format!("dump:{}", info.database);
    let settings = Settings::resolve(&args, ctx);
    // --repo: the dump streams into the repository; nothing is written to local disk
    let repository = args
        .repo
        .then(|| super::repo_backups::open(ctx))
        .transpose()?;
    let policy = settings.policy;
    let pre = if repository.is_some() {
        preflight::Preflight {
            dir: PathBuf::new(),
            server: info,
            tool,
            lock: None,
            entries: Vec::new(),
            group,
            last_size: None,
            available: 0,
        }
    } else if args.dry_run {
        preflight::dry_run(&settings.dir, info, tool, group).map_err(exit_for)?
    } else {
        preflight::run(&settings.dir, args.wait, info, tool, group).map_err(exit_for)?
    };
    if repository.is_none() {
        report_space(&pre);
    }
    if args.dry_run {
        let all = retention::dry_run(&pre.entries, &pre.group, policy, |d| log_deletion(out, d))
            .map_err(exit_for)?;
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
    let mut deleted =
        retention::remove_leftovers(&pre.entries, |d| log_deletion(out, d)).map_err(exit_for)?;
    let bar = spinner(out);
    let started = std::time::Instant::now();
    let report = dump::run(
        &pre,
        &mut conn,
        &url,
        settings.format,
        settings.level,
        match &repository {
            Some(repo) => dump::Destination::Repo(repo.as_ref()),
            None => dump::Destination::Dir,
        },
        &mut |p| {
            let secs = started.elapsed().as_secs_f64().max(0.001);
            bar.set_message(format!(
                "dumped {} ({}/s), written {}",
                crate::cli::format::size(p.read),
                crate::cli::format::size((p.read as f64 / secs) as u64),
                crate::cli::format::size(p.written)
            ));
        },
    );
    bar.finish_and_clear();
    let report = report.map_err(exit_for)?;
    for warning in &report.warnings {
        out.warn(&format!("pg_dump: {warning}"));
    }
    let mut report = report;
    if let Some(repository) = &repository {
        let repository = repository.as_ref();
        let stored = report
            .stored
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("the dump did not say what it stored"))?;
        report.manifest = backup::repository::store_manifest(repository, &report.manifest, stored)
            .map_err(exit_for)?;
        // Retention only after a successful backup, on the repository's backups.
        let gone = backup::repository::apply_retention(repository, &pre.group, policy, Utc::now())
            .map_err(exit_for)?;
        gone.iter().for_each(|d| log_deletion(out, d));
        deleted.extend(gone);
    } else {
        // Retention only after a successful backup, under the same lock.
        let gone = retention::after_backup(&settings.dir, &pre.group, policy, |d| {
            log_deletion(out, d);
        })
        .map_err(exit_for)?;
        deleted.extend(gone);
    }
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
                crate::cli::format::size(raw),
                raw as f64 / m.size.max(1) as f64,
                crate::cli::format::size((raw as f64 / secs) as u64)
            )
        });
        out.status(&format!(
            "backup {}: {}{sql} in {}; {} rows in {} tables",
            report.path.display(),
            crate::cli::format::size(m.size),
            crate::cli::format::duration(report.elapsed),
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
            crate::cli::format::size(pre.available),
            crate::cli::format::size(last)
        ),
        None => log::info!(
            "free space {} (no earlier backup to size against)",
            crate::cli::format::size(pre.available)
        ),
    }
}

/// One JSON line per deletion on stderr (suppressed with -q, like every message).
pub(crate) fn log_deletion(out: &Output, deletion: &Deletion) {
    log_retention_event(out, deletion);
}

/// The one form of a retention event, whatever retention deleted (a dump, a base backup,
/// archived WAL): one JSON line on stderr with `event`, `size_bytes`, `reason` and
/// `dry_run`, the same object the `--json` document lists.
pub(crate) fn log_retention_event<T: serde::Serialize>(out: &Output, event: &T) {
    if let Some(line) = retention_event_line(event) {
        out.status(&line);
    }
}

/// The line of a retention event, its times in the one JSON form (to the second).
fn retention_event_line<T: serde::Serialize>(event: &T) -> Option<String> {
    let mut value = serde_json::to_value(event).ok()?;
    crate::cli::format::json_times(&mut value);
    serde_json::to_string(&value).ok()
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use wfctl::backup::catalog::EntryKind;
    use wfctl::backup::retention::Deletion;
    use wfctl::backup::wal_archive::WalDeletion;

    fn keys<T: serde::Serialize>(event: &T) -> BTreeSet<String> {
        match serde_json::to_value(event).unwrap() {
            serde_json::Value::Object(map) => map.keys().cloned().collect(),
            other => panic!("not an object: {other}"),
        }
    }

    /// A retention event says what it freed, why and whether it was a dry run in the same
    /// keys whether a dump, a base backup or archived WAL went.
    #[test]
    fn retention_events_share_one_form() {
        let dump = Deletion {
            event: "backup_deleted",
            path: "/b/wf_20260101_000000.sql.gz".into(),
            kind: EntryKind::Backup,
            format: None,
            database: Some("wf".into()),
            taken_at: chrono::Utc::now(),
            size: 10,
            reason: "older than 7d".into(),
            dry_run: false,
        };
        let wal = WalDeletion {
            event: "wal_deleted",
            repository: "s3://b/w".into(),
            key: "wal/000000010000000000000001.gz".into(),
            size: 10,
            reason: "before the oldest kept base backup".into(),
            dry_run: false,
        };
        let common: BTreeSet<String> = ["event", "size_bytes", "reason", "dry_run"]
            .map(String::from)
            .into();
        for (name, k) in [("backup", keys(&dump)), ("wal", keys(&wal))] {
            assert!(k.is_superset(&common), "{name}: {k:?}");
        }
        // times as every JSON time: RFC 3339 UTC to the second
        let line = super::retention_event_line(&Deletion {
            taken_at: "2026-12-08T01:24:37.042444427Z".parse().unwrap(),
            ..dump
        })
        .unwrap();
        assert!(
            line.contains(r#""taken_at":"2026-12-08T01:24:37Z""#),
            "{line}"
        );
    }
}
