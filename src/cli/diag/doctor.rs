//! `diag doctor`.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use wfctl::db::migrate;
use wfctl::diag::doctor::{self, Status};
use wfctl::diag::indexes;

use super::{Context, open};

#[derive(Debug, Args)]
pub(crate) struct DoctorArgs {
    /// Write the missing recommended indexes as diesel migrations into DIR (e.g. ./migrations):
    /// CREATE INDEX CONCURRENTLY, one per migration run outside a transaction, under a lock_timeout
    #[arg(long, value_name = "DIR")]
    write_migration: Option<PathBuf>,
    /// lock_timeout for the generated migrations
    #[arg(long, default_value = "5s", value_parser = super::duration, value_name = "DURATION", requires = "write_migration")]
    lock_timeout: Duration,
}

pub(crate) fn run(args: &DoctorArgs, ctx: &Context) -> anyhow::Result<()> {
    let (mut conn, facts) = open(ctx)?;
    let report = doctor::report(&mut conn, &facts)?;
    let index_report = indexes::report(&mut conn, &facts)?;
    let missing = doctor::missing_indexes(&index_report);
    let written = match &args.write_migration {
        Some(dir) => {
            doctor::write_migration(dir, &missing, args.lock_timeout, &migrate::latest_version())?
        }
        None => Vec::new(),
    };
    let out = &ctx.output;
    if out.json() {
        return Ok(out.print_json(&serde_json::json!({
            "role": report.role,
            "server_version": report.server_version,
            "managed": report.managed,
            "limitations": report.limitations,
            "capabilities": report.capabilities,
            "missing_indexes": missing.iter().map(|r| serde_json::json!({
                "name": r.name, "table": r.table, "why": r.why, "create": r.create_sql()
            })).collect::<Vec<_>>(),
            "migrations_written": written,
        }))?);
    }
    out.prose(&format!(
        "Role {} on PostgreSQL {}{}:",
        report.role,
        report.server_version,
        report
            .managed
            .as_deref()
            .map(|m| format!(" ({m})"))
            .unwrap_or_default()
    ))?;
    super::warn_limitations(out, &report.limitations);
    let mut table = out.table(["check", "status", "missing", "to enable"]);
    for c in &report.capabilities {
        let colour = match c.status {
            Status::Ok => "32",
            Status::Partial => "33",
            Status::Unavailable => "31",
        };
        let status = out.paint(c.status.severity().label(), colour);
        table.add_row([
            c.check.to_string(),
            status,
            c.missing.join("; "),
            out.lines(&c.enable),
        ]);
    }
    out.print_report(&table)?;
    if missing.is_empty() {
        out.prose("Index advice: every recommended index is present.")?;
    } else {
        out.prose("Index advice (missing recommended indexes):")?;
        for r in &missing {
            out.prose(&format!("  {}  -- {}", r.create_sql(), r.why))?;
        }
        if args.write_migration.is_none() {
            out.status("write them as migrations with --write-migration DIR");
        }
    }
    for path in &written {
        out.status(&format!("wrote {}", path.display()));
    }
    if args.write_migration.is_some() && written.is_empty() {
        out.status("no migration written: nothing is missing");
    }
    Ok(())
}
