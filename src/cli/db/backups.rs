//! `wfctl db backups`: the backups in a directory, their age and whether they were verified.

use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;
use clap::Args;
use serde::Serialize;
use wfctl::backup::{self, BackupEntry, catalog};

use super::backup::{existing_backup_dir, exit_for};
use crate::cli::exit::PARTIAL;
use crate::cli::{Context, Exit, Output, format};

#[derive(Debug, Args)]
pub(crate) struct BackupsArgs {
    /// Backup directory (default: `[backup] dir` of wfctl.toml, else /var/backups/postgresql)
    #[arg(long, env = "WFCTL_BACKUP_DIR", value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Exit 3 when the newest good backup is older than this (e.g. 26h), for monitoring
    #[arg(long, value_parser = crate::cli::format::parse_duration, value_name = "DURATION")]
    check_fresh: Option<Duration>,
    /// List the backups in the repository ([repository] url, or WFCTL_REPOSITORY) instead of
    /// a directory
    #[arg(long)]
    repo: bool,
}

#[derive(Serialize)]
struct ListedEntry<'a> {
    #[serde(flatten)]
    entry: &'a BackupEntry,
    good: bool,
    age_seconds: i64,
    verification: Option<&'a backup::manifest::Verification>,
}

pub(super) fn run(args: &BackupsArgs, ctx: &Context) -> anyhow::Result<()> {
    let out = &ctx.output;
    let (dir, entries) = if args.repo {
        let repository = super::repo_backups::open(ctx)?;
        let entries = backup::repository::list(repository.as_ref()).map_err(exit_for)?;
        (PathBuf::from(repository.describe()), entries)
    } else {
        let dir = existing_backup_dir(args.dir.as_ref(), ctx)?;
        let entries = catalog::scan(&dir).map_err(exit_for)?;
        (dir, entries)
    };
    let now = Utc::now();
    let newest_good = entries
        .iter()
        .filter(|e| e.is_good())
        .max_by_key(|e| e.time);
    let stale = args.check_fresh.map(|limit| match newest_good {
        None => Some(format!("no good backup in {}", dir.display())),
        Some(e) => {
            let age = (now - e.time).to_std().unwrap_or_default();
            (age > limit).then(|| {
                format!(
                    "the newest good backup {} is {} old (limit {})",
                    e.name,
                    format::age((now - e.time).num_seconds()),
                    format::duration(limit)
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
                age_seconds: (now - e.time).num_seconds(),
                verification: e.verification(),
            })
            .collect();
        out.print_json(&serde_json::json!({
            "dir": dir,
            "backups": listed,
            "newest_good": newest_good.map(|e| &e.name),
            "fresh": stale.as_ref().map(Option::is_none),
        }))?;
    } else {
        let mut table = out.table([
            "backup", "kind", "database", "taken", "age", "size", "verified",
        ]);
        for e in &entries {
            table.add_row([
                e.name.clone(),
                kind_label(e),
                e.database.clone().unwrap_or_default(),
                format::table_time(e.time),
                format::age((now - e.time).num_seconds()),
                format::size(e.size),
                verified_label(out, e, now),
            ]);
        }
        // -q: a listing prints its ids; a freshness check prints nothing (its exit code says it)
        let ids: Vec<&str> = if stale.is_some() {
            Vec::new()
        } else {
            entries.iter().map(|e| e.name.as_str()).collect()
        };
        out.print_listing(&table, &ids, &format!("no backups in {}", dir.display()))?;
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
            format::age((now - v.at).num_seconds())
        ),
        Some(v) => out.paint(&format!("FAILED: {}", v.detail), "31"),
        None if e.kind == catalog::EntryKind::Backup => "not verified".into(),
        None => String::new(),
    }
}
