//! `diag health`.

use clap::Args;
use wfctl::diag::Severity;
use wfctl::diag::health::{self, HealthError};

use super::{Context, thresholds_from, warn_limitations};
use crate::cli::Exit;
use crate::cli::exit::PARTIAL;

#[derive(Debug, Args)]
pub(crate) struct HealthArgs {
    /// Warning level, e.g. `connections=80%` (see `diag all --help` for the keys)
    #[arg(long, value_name = "KEY=VALUE")]
    warn: Vec<String>,
    /// Critical level
    #[arg(long, value_name = "KEY=VALUE")]
    crit: Vec<String>,
}

pub(crate) fn run(args: &HealthArgs, ctx: &Context) -> anyhow::Result<()> {
    let url = ctx.database_url()?;
    let thresholds = thresholds_from(&args.warn, &args.crit)?;
    let (report, _) = match health::check(&url, &ctx.pool_options(), &thresholds) {
        Ok(r) => r,
        // Unwrapped so the exit code sees db::Error (69 when unreachable).
        Err(HealthError::Db(e)) => return Err(e.into()),
        Err(HealthError::Diag(e)) => return Err(e.into()),
    };
    let out = &ctx.output;
    if out.json() {
        out.print_json(&report)?;
    } else {
        let mut table = out.table(["", ""]);
        let colour = match report.status {
            Severity::Ok => "32",
            Severity::Warning => "33",
            _ => "31",
        };
        let status = out.paint(report.status.label(), colour);
        table.add_row(["status".to_string(), status]);
        for p in &report.problems {
            table.add_row(["problem".to_string(), p.clone()]);
        }
        table.add_row([
            "connect".to_string(),
            super::secs(report.connect_ms / 1000.0),
        ]);
        table.add_row([
            "server".to_string(),
            format!(
                "PostgreSQL {}{}",
                report.server_version,
                if report.replica { " (replica)" } else { "" }
            ),
        ]);
        let migrations = report.migrations.as_ref().map_or_else(
            || "unreadable".to_string(),
            |m| {
                if m.pending.is_empty() {
                    format!("{} applied, none pending", m.applied)
                } else {
                    format!("{} applied, pending: {}", m.applied, m.pending.join(", "))
                }
            },
        );
        table.add_row(["migrations".to_string(), migrations]);
        table.add_row([
            "pg_stat_statements".to_string(),
            report.pg_stat_statements.clone(),
        ]);
        let c = &report.connections;
        let states: Vec<String> = c
            .by_state
            .iter()
            .map(|s| format!("{} {}", s.sessions, s.state))
            .collect();
        table.add_row([
            "connections".to_string(),
            format!(
                "{} of {} ({:.0}%; {} reserved for superusers): {}; {} wfctl",
                c.total,
                c.max_connections,
                c.used_percent,
                c.reserved_for_superusers,
                states.join(", "),
                c.wfctl
            ),
        ]);
        let p = &report.pool;
        table.add_row([
            "client pool".to_string(),
            format!(
                "{} open, {} idle, max {}; checkout {}",
                p.connections,
                p.idle,
                p.max_size,
                super::secs(p.checkout_ms / 1000.0)
            ),
        ]);
        let r = &report.replication;
        let replication = match r.lag_seconds {
            Some(lag) => format!(
                "replay lag {}, {} behind",
                super::secs(lag),
                crate::cli::format::size(r.bytes_behind.unwrap_or(0.0).max(0.0) as u64)
            ),
            None if r.standbys.is_empty() => "primary, no standbys".to_string(),
            None => r
                .standbys
                .iter()
                .map(|s| {
                    format!(
                        "{} {} lag {}",
                        s.name,
                        s.state,
                        super::opt_secs(s.lag_seconds)
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
        };
        table.add_row(["replication".to_string(), replication]);
        out.print_report(&table)?;
        warn_limitations(out, &report.limitations);
    }
    if report.status != Severity::Ok {
        // the table said it all; under -q or --json the line is all a person sees
        let line = if ctx.output.quiet() || ctx.output.json() {
            format!("{}: {}", report.status.label(), report.problems.join("; "))
        } else {
            String::new()
        };
        return Err(Exit::new(PARTIAL, line).into());
    }
    Ok(())
}
