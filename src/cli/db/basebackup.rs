//! `wfctl db basebackup`: the seed guide's `pg_basebackup -Ft -z -P` for point-in-time
//! recovery, with the preflight, lock, manifest and retention of `db backup`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};
use wfctl::backup::{
    RetentionPolicy, base, catalog, files, preflight, retention, server, wal_archive,
};

use super::backup::{PgBinArgs, exit_for, log_deletion, spinner};
use crate::cli::Context;
use wfctl::repo::layout;

/// `--format` of `db basebackup`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum BaseFormat {
    /// pg_basebackup -Ft -z: base.tar.gz and pg_wal.tar.gz
    Tar,
    /// pg_basebackup -Fp: a copy of the data directory
    Plain,
}

#[derive(Debug, Args)]
pub(crate) struct BasebackupArgs {
    /// Directory for base backups (one base_YYYYmmdd_HHMMSS directory each)
    #[arg(long, value_name = "DIR")]
    dir: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = BaseFormat::Tar)]
    format: BaseFormat,
    /// Never delete the newest this many good base backups (at least 1)
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = crate::cli::format::parse_at_least_one::<u64>)]
    keep_min: u64,
    /// Also keep every base backup younger than this: 7d, 2weeks; a bare number is days;
    /// whole days only (the same flag as `db backup --keep`)
    #[arg(long = "keep", visible_alias = "keep-days", value_name = "AGE", value_parser = crate::cli::format::parse_retention_days)]
    keep_days: Option<u32>,
    /// Start at once with a fast checkpoint (default: wait for a spread checkpoint, which
    /// spares the server but can take minutes)
    #[arg(long)]
    fast_checkpoint: bool,
    /// Limit the transfer rate, e.g. 50M (pg_basebackup --max-rate)
    #[arg(long, value_name = "RATE", value_parser = parse_max_rate, allow_hyphen_values = true)]
    max_rate: Option<String>,
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

/// With a writable repository configured: records this base backup in the repository (and
/// forgets the ones retention deleted), then deletes the archived WAL that no kept base backup
/// of this cluster needs, in this directory or any other that records into the repository
/// (each deletion a JSON line, as for backups).
fn prune_wal(
    ctx: &Context,
    dir: &std::path::Path,
    system_identifier: Option<&str>,
    this_backup: (&std::path::Path, Option<&str>),
    deleted: &[retention::Deletion],
) -> anyhow::Result<Vec<wal_archive::WalDeletion>> {
    if ctx.repository_url().is_none() || ctx.config.repository.read_only {
        return Ok(Vec::new());
    }
    let repo = crate::cli::wal::repository(ctx)?;
    for gone in deleted.iter().filter(|d| !d.dry_run) {
        wal_archive::forget_base(repo.as_ref(), system_identifier, &gone.path)?;
    }
    if let (path, Some(start)) = this_backup {
        wal_archive::record_base(repo.as_ref(), system_identifier, path, start)?;
    }
    let entries = catalog::scan(dir).map_err(exit_for)?;
    let Some(local) = wal_archive::oldest_needed(&entries, system_identifier) else {
        return Ok(Vec::new());
    };
    let recorded = wal_archive::oldest_needed_recorded(repo.as_ref(), system_identifier)?;
    let oldest = match recorded {
        Some(r) if layout::wal_position(&r) < layout::wal_position(&local) => r,
        _ => local,
    };
    let out = &ctx.output;
    Ok(wal_archive::prune(repo.as_ref(), &oldest, false, |d| {
        super::backup::log_retention_event(out, d);
    })?)
}

pub(crate) fn run(args: BasebackupArgs, ctx: &Context) -> anyhow::Result<()> {
    let out = &ctx.output;
    let url = ctx.database_url()?;
    let mut conn = ctx.connect()?;
    let info = server::info(&mut conn).map_err(|e| exit_for(e.into()))?;
    base::check_server(&info).map_err(exit_for)?;
    let search = args.bin.search(ctx);
    let tool = search
        .find("pg_basebackup", &info.version)
        .map_err(exit_for)?;
    let verifier = search
        .find_beside("pg_verifybackup", &tool, &info.version)
        .map_err(exit_for)?;
    let system_identifier = server::system_identifier(&mut conn);
    drop(conn);
    let group = format!("base:{}", system_identifier.as_deref().unwrap_or("unknown"));
    let pre = if args.dry_run {
        preflight::dry_run(&args.dir, info, tool, group)
    } else {
        preflight::run(&args.dir, args.wait, info, tool, group)
    }
    .map_err(exit_for)?;
    let policy = RetentionPolicy {
        keep_min: usize::try_from(args.keep_min).unwrap_or(usize::MAX),
        keep_days: args.keep_days,
    };
    if args.dry_run {
        let all = retention::dry_run(&pre.entries, &pre.group, policy, |d| log_deletion(out, d))
            .map_err(exit_for)?;
        if out.json() {
            out.print_json(&serde_json::json!({ "dry_run": true, "would_delete": all }))?;
        } else {
            out.status(&format!(
                "dry run: preflight passed ({} {}, role {}); retention would delete {}",
                pre.tool.name,
                pre.tool.version,
                pre.server.user,
                all.len()
            ));
        }
        return Ok(());
    }
    let mut deleted =
        retention::remove_leftovers(&pre.entries, |d| log_deletion(out, d)).map_err(exit_for)?;
    if !args.fast_checkpoint {
        log::info!("waiting for a spread checkpoint (--fast-checkpoint starts at once)");
    }
    let req = base::BaseRequest {
        format: match args.format {
            BaseFormat::Tar => files::Format::Tar,
            BaseFormat::Plain => files::Format::Plain,
        },
        fast_checkpoint: args.fast_checkpoint,
        max_rate: args.max_rate.clone(),
    };
    let bar = spinner(out);
    let report = base::run(&pre, &url, &req, &verifier, system_identifier, &mut |p| {
        bar.set_message(format!(
            "{} of {}",
            crate::cli::format::size(p.done_kb * 1024),
            crate::cli::format::size(p.total_kb * 1024)
        ));
    });
    bar.finish_and_clear();
    let report = report.map_err(exit_for)?;
    let gone = retention::after_backup(&args.dir, &pre.group, policy, |d| log_deletion(out, d))
        .map_err(exit_for)?;
    deleted.extend(gone);
    let start = report
        .manifest
        .wal
        .as_ref()
        .and_then(|w| w.start_segment.as_deref());
    let wal_deleted = prune_wal(
        ctx,
        &args.dir,
        report.manifest.system_identifier.as_deref(),
        (&report.path, start),
        &deleted,
    )?;
    let m = &report.manifest;
    if out.json() {
        out.print_json(&serde_json::json!({
            "backup": report.path,
            "manifest": m,
            "elapsed_seconds": report.elapsed.as_secs_f64(),
            "deleted": deleted,
            "wal_deleted": wal_deleted,
        }))?;
    } else {
        out.status(&format!(
            "base backup {}: {} in {}, {}{}",
            report.path.display(),
            crate::cli::format::size(m.size),
            crate::cli::format::duration(report.elapsed),
            m.verification
                .as_ref()
                .map_or("not verified", |v| v.detail.as_str()),
            m.wal
                .as_ref()
                .map(|w| format!(
                    "; WAL {} to {} on timeline {}",
                    w.start_lsn, w.end_lsn, w.timeline
                ))
                .unwrap_or_default()
        ));
    }
    drop(pre);
    Ok(())
}

/// `--max-rate` as pg_basebackup takes it (kB/s, or with a `k` or `M` suffix, within the
/// range pg_basebackup accepts), checked before anything runs.
fn parse_max_rate(text: &str) -> Result<String, String> {
    const RANGE: &str = "must be between 32 and 1048576 kB/s (32k and 1024M)";
    let trimmed = text.trim();
    if trimmed.starts_with('-') {
        return Err("must not be negative".to_owned());
    }
    let digits = trimmed.trim_end_matches(['k', 'K', 'M']);
    let suffix = &trimmed[digits.len()..];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || suffix.len() > 1 {
        return Err("expected a transfer rate in kB/s, e.g. 500, 500k or 50M".to_owned());
    }
    let per_unit: u64 = if suffix == "M" { 1024 } else { 1 };
    match digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(per_unit))
    {
        Some(kb) if (32..=1_048_576).contains(&kb) => Ok(trimmed.to_owned()),
        _ => Err(RANGE.to_owned()),
    }
}
