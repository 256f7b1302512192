//! `wfctl db backups`: the backups in a directory, their age and whether they were verified.

use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;
use clap::Args;
use serde::Serialize;
use wfctl::backup::{self, BackupEntry, catalog};

use super::backup::{backup_dir, exit_for};
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
    let dir = backup_dir(args.dir.as_ref(), ctx);
    let entries = catalog::scan(&dir).map_err(exit_for)?;
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
        if entries.is_empty() {
            out.status(&format!("no backups in {}", dir.display()));
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
            format::age((now - v.at).num_seconds())
        ),
        Some(v) => out.paint(&format!("FAILED: {}", v.detail), "31"),
        None if e.kind == catalog::EntryKind::Backup => "not verified".into(),
        None => String::new(),
    }
}
