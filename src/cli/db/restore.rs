//! `wfctl db restore`: a backup into a database, all or nothing.

use std::path::PathBuf;

use clap::Args;
use wfctl::backup::restore;

use super::backup::{PgBinArgs, exit_for, spinner};
use super::verify::{print_counts, warn_extensions};
use crate::cli::exit::PARTIAL;
use crate::cli::{Context, Exit};

#[derive(Debug, Args)]
pub(crate) struct RestoreArgs {
    /// The backup file (.sql.gz or .dump); verified before anything is touched
    file: PathBuf,
    /// Database to restore into, on the server of --database-url
    #[arg(long, value_name = "NAME")]
    target_db: String,
    /// Create the target database (refused when it exists: leave --create out to restore into it)
    #[arg(long)]
    create: bool,
    /// Replace a non-empty target's contents (its schemas are dropped inside the restore's
    /// transaction: a failed restore drops nothing)
    #[arg(long)]
    force: bool,
    /// Skip ANALYZE after the restore (a dump carries no planner statistics)
    #[arg(long)]
    no_analyze: bool,
    /// FILE is the name of a backup in the repository ([repository] url, or
    /// WFCTL_REPOSITORY; see db backups --repo): downloaded and decrypted first
    #[arg(long)]
    repo: bool,
    #[command(flatten)]
    bin: PgBinArgs,
}

pub(super) fn run(mut args: RestoreArgs, ctx: &Context) -> anyhow::Result<()> {
    // before anything is fetched or connected: the server would truncate a longer name and
    // restore into (and check) another database
    if let Some(reason) = wfctl::db::names::identifier_problem("--target-db", &args.target_db) {
        return Err(crate::cli::Exit::new(crate::cli::exit::USAGE, reason).into());
    }
    // --repo: the backup is read from a private download, removed at the end
    let _fetched = super::repo_backups::fetch_if_asked(ctx, args.repo, &mut args.file)?;
    let out = &ctx.output;
    let url = ctx.database_url()?;
    let mut conn = ctx.connect()?;
    let tools = args.bin.search(ctx);
    let req = restore::RestoreRequest {
        file: &args.file,
        target: &args.target_db,
        create: args.create,
        force: args.force,
        analyze: !args.no_analyze,
        tools: &tools,
        connect_timeout: ctx.connect_timeout(),
        scratch: false,
    };
    if args.create {
        super::verify::drop_stale_scratch(out, &mut conn)?;
    }
    let bar = spinner(out);
    let prepared = restore::prepare(&req, &mut conn, &url, &mut |p| {
        bar.set_message(format!(
            "verifying: read {} of SQL",
            crate::cli::format::size(p.read)
        ));
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
        bar.set_message(format!(
            "restored {} of SQL",
            crate::cli::format::size(p.read)
        ));
    });
    bar.finish_and_clear();
    let report = report.map_err(exit_for)?;
    warn_extensions(out, &report);
    if out.json() {
        out.print_json(&report)?;
    } else if !out.quiet() {
        print_counts(out, &report)?;
        out.status(&format!(
            "restored {} into {}{} in {}{}",
            args.file.display(),
            report.target,
            if report.created { " (created)" } else { "" },
            crate::cli::format::duration(report.elapsed),
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
