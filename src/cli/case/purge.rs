//! `case purge --completed-before AGE (--archive DIR | --no-archive)`: deletes the cases that
//! completed or were cancelled before AGE, each one archived first (in the file store's layout,
//! which `migrate-files` brings back) unless `--no-archive` says to drop them. The work is
//! `wfctl::purge`'s; this prints its report.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::Args;
use serde::Serialize;
use wfctl::purge::{self, FileTarget, PgTarget, PurgeOptions, PurgeReport, Target};

use crate::cli::Context;
use crate::cli::exit::{Exit, PARTIAL, USAGE};
use crate::cli::format::size;
use crate::cli::runtime::{Opened, open_store};

/// `wfctl case purge`
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("keep").required(true).args(["archive", "no_archive"]))]
#[command(
    after_help = "Exit codes: 0 every selected case purged; 3 cases left (changed, busy or failed, each failed one named); 2 usage (--limit 0, --batch 0, an archive in or around the store); 1 failure; 69 store unavailable"
)]
pub(crate) struct PurgeArgs {
    /// Purge the cases that completed (or were cancelled) longer ago than this: 90d, 12w, or
    /// a number of days; 0 takes every finished case
    #[arg(long, value_name = "AGE", value_parser = crate::cli::format::parse_retention_days)]
    completed_before: u32,
    /// Write each case into this directory (a file store: migrate-files DIR brings cases back)
    /// and make it durable before the case is deleted
    #[arg(long, value_name = "DIR")]
    archive: Option<PathBuf>,
    /// Delete the cases without keeping a copy (nothing brings them back)
    #[arg(long)]
    no_archive: bool,
    /// Count the cases and bytes that would be purged; write and delete nothing
    #[arg(long)]
    dry_run: bool,
    /// At most this many cases (1 or more)
    #[arg(long, value_name = "N", value_parser = crate::cli::format::parse_at_least_one::<usize>)]
    limit: Option<usize>,
    /// Cases per batch (1 to 100000): one archive sync and one transaction each
    #[arg(long, value_name = "N", default_value = "500",
          value_parser = crate::cli::format::parse_range::<usize, 1, 100_000>)]
    batch: usize,
}

/// `case purge --json`.
#[derive(Debug, Serialize)]
struct PurgeView<'a> {
    dry_run: bool,
    completed_before: String,
    archive: Option<String>,
    #[serde(flatten)]
    report: &'a PurgeReport,
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// `path` made absolute and without links: the nearest existing ancestor canonicalized, the
/// rest (not there yet) appended as given.
fn resolved(path: &Path) -> std::io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut rest = Vec::new();
    let mut at = absolute.as_path();
    loop {
        match at.canonicalize() {
            Ok(real) => {
                return Ok(rest.iter().rev().fold(real, |p: PathBuf, c| p.join(c)));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let Some(parent) = at.parent() else {
                    return Err(e);
                };
                if let Some(name) = at.file_name() {
                    rest.push(name.to_owned());
                }
                at = parent;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Refuses an archive directory that is the store directory, inside it or holds it: the
/// archive's files would be the store's own (deleting the case deletes its archive), or the
/// store would read the archive as cases. Returns the archive's absolute path.
fn check_archive(dir: &Path, store: Option<&Path>) -> anyhow::Result<PathBuf> {
    let shown = wfctl::conventions::path_text(dir);
    let usage = |why: String| Exit::new(USAGE, why);
    let archive = resolved(dir).map_err(|e| usage(format!("--archive {shown}: {e}")))?;
    if std::fs::metadata(&archive).is_ok_and(|m| !m.is_dir()) {
        return Err(usage(format!("--archive {shown}: is not a directory")).into());
    }
    if let Some(store) = store {
        let store = resolved(store).map_err(|e| usage(format!("--store: {e}")))?;
        if archive.starts_with(&store) || store.starts_with(&archive) {
            return Err(usage(format!(
                "--archive {shown}: is the store directory, inside it or holds it; give a directory outside the store"
            ))
            .into());
        }
    }
    Ok(archive)
}

pub(super) fn run(ctx: &Context, args: &PurgeArgs) -> anyhow::Result<()> {
    let age = Duration::from_secs(u64::from(args.completed_before) * 86_400);
    let before = now_ms().saturating_sub(i64::try_from(age.as_millis()).unwrap_or(i64::MAX));
    let opened = open_store(ctx)?;
    let store_dir = match &opened {
        Opened::Files(store) => Some(store.dir().to_path_buf()),
        Opened::Postgres(_) => None,
    };
    let archive = match &args.archive {
        Some(dir) => Some(check_archive(dir, store_dir.as_deref())?),
        None => None,
    };
    let opts = PurgeOptions {
        finished_before_ms: before,
        archive: archive.clone(),
        dry_run: args.dry_run,
        limit: args.limit,
        batch: args.batch,
    };
    let mut target: Box<dyn Target + '_> = match &opened {
        Opened::Files(store) => Box::new(FileTarget::new(store)),
        Opened::Postgres(store) => Box::new(PgTarget::new(store)),
    };
    let bar = ctx.output.progress_bar(None);
    let report = purge::purge(target.as_mut(), &opts, &mut |report, total| {
        bar.set_length(total as u64);
        bar.set_position(report.purged + report.changed + report.busy);
    })?;
    bar.finish_and_clear();
    for failure in &report.failures {
        ctx.output.warn(&format!("not purged: {failure}"));
    }
    let at = crate::cli::format::json_time_ms(before).unwrap_or_default();
    if ctx.output.json() {
        ctx.output.print_json(&PurgeView {
            dry_run: args.dry_run,
            completed_before: at,
            archive: archive.as_ref().map(|d| d.display().to_string()),
            report: &report,
        })?;
        return left(&report);
    }
    let mut table = ctx.output.table(["", "cases", "bytes"]);
    let n = |v: u64| v.to_string();
    if args.dry_run {
        table.add_row(["would purge", &n(report.selected), &size(report.case_bytes)]);
    } else {
        table.add_row(["purged", &n(report.purged), &size(report.case_bytes)]);
        if args.archive.is_some() {
            table.add_row(["archived", &n(report.archived), &size(report.archive_bytes)]);
            table.add_row(["archive reused", &n(report.archive_reused), ""]);
        }
        table.add_row(["left: changed", &n(report.changed), ""]);
        table.add_row(["left: busy", &n(report.busy), ""]);
        table.add_row(["left: failed", &n(report.failed), ""]);
        if report.resumed > 0 {
            table.add_row(["finished from a killed run", &n(report.resumed), ""]);
        }
    }
    ctx.output.print_report(&table)?;
    left(&report)
}

/// Exit 3 when cases were left (changed, busy or failed): the purge did not do all it selected.
fn left(report: &PurgeReport) -> anyhow::Result<()> {
    if report.left_any() {
        return Err(Exit::new(
            PARTIAL,
            format!(
                "{} case(s) left: {} changed, {} busy, {} failed",
                report.changed + report.busy + report.failed,
                report.changed,
                report.busy,
                report.failed
            ),
        )
        .into());
    }
    Ok(())
}
