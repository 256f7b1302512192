//! `wfctl diag wal`: the WAL archive that point-in-time recovery depends on. Only reads.

use std::time::Duration;

use anyhow::Context as _;
use clap::Args;
use wfctl::diag::wal::{self, WalOptions};

use super::report::{self, finish};
use crate::cli::Context;

const WAL_HELP: &str = "\
--check exits 3 when archiving is off, archive_mode is on with no archive_command or
archive_library, the latest archive attempt failed, or completed WAL segments have waited
longer than --max-archive-age. archive_timeout = 0 and max_wal_size pressure are warnings.
With a role lacking pg_monitor, waiting segments are estimated from segment numbers.";

#[derive(Debug, Args)]
#[command(after_help = WAL_HELP)]
pub(crate) struct WalArgs {
    /// How long a completed WAL segment may wait for the archive
    #[arg(long, value_name = "DURATION", default_value = "15m", value_parser = crate::cli::format::parse_duration)]
    max_archive_age: Duration,
    /// Exit 3 when archiving is off, failing or behind (see below)
    #[arg(long)]
    check: bool,
}

pub(crate) fn run(args: WalArgs, ctx: &Context) -> anyhow::Result<()> {
    let url = ctx.database_url()?;
    let mut conn = ctx.connect()?;
    let options = WalOptions {
        max_archive_age: args.max_archive_age,
    };
    let mut report =
        wal::check(&mut conn, &options).with_context(|| format!("diag wal on {url}"))?;
    let repository = &ctx.config.repository;
    if ctx.repository_url().is_some() || repository.wal_archive.is_some() {
        let sources = crate::cli::wal::wal_sources(ctx)?;
        let refs: Vec<&dyn wfctl::repo::Repository> = sources.iter().map(AsRef::as_ref).collect();
        let contents = wal::archive::inspect(
            &refs,
            report.segment_size,
            report.archiver.last_archived_wal.as_deref(),
        )?;
        report.findings.extend(wal::archive::findings(&contents));
        report
            .findings
            .sort_by_key(|f| std::cmp::Reverse(f.severity));
        report.archive = Some(contents);
    }
    let out = &ctx.output;
    if out.json() {
        out.print_json(&report)?;
    } else {
        report::wal(out, &report)?;
        if let Some(a) = report.archive.as_ref().filter(|_| !out.quiet()) {
            out.print(&format!(
                "archive {}: {} segments, {} to {}, {} missing{}",
                a.repositories.join(" + "),
                a.segments,
                a.first_segment.as_deref().unwrap_or("-"),
                a.last_segment.as_deref().unwrap_or("-"),
                a.missing_count,
                if a.missing.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", a.missing.join(", "))
                }
            ))?;
        }
    }
    finish(out, args.check, &report.findings, &report.limitations)
}
