//! `diag cases`.

use std::time::Duration;

use clap::Args;
use wfctl::diag::cases::{self, Options};

use super::{Context, error_basket, open, opt_secs, secs, warn_limitations};

#[derive(Debug, Args)]
pub(crate) struct CasesArgs {
    /// A running case not written for this long and not holding its case lock is stuck
    #[arg(long, default_value = "10m", value_parser = super::duration, value_name = "DURATION")]
    pub(crate) stuck_for: Duration,
    /// The error work basket (default: [engine] error_workbasket, else workflow_error)
    #[arg(long, value_name = "NAME")]
    pub(crate) error_basket: Option<String>,
    /// How many cases to list per section
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = crate::cli::format::parse_count::<i64>)]
    limit: i64,
}

pub(crate) fn options(args: &CasesArgs, ctx: &Context) -> Options {
    Options {
        stuck_for: args.stuck_for,
        error_basket: error_basket(ctx, args.error_basket.as_deref()),
        limit: args.limit.max(1),
    }
}

pub(crate) fn run(args: &CasesArgs, ctx: &Context) -> anyhow::Result<()> {
    let (mut conn, facts) = open(ctx)?;
    let report = cases::report(&mut conn, &facts, &options(args, ctx))?;
    let out = &ctx.output;
    if out.json() {
        return Ok(out.print_json(&report)?);
    }
    // nothing pended, stuck, overdue or in error: nothing on stdout, one line on stderr, as
    // every empty listing
    if report.pended.is_empty()
        && report.stuck.total == 0
        && report.overdue_milestones.total == 0
        && report.in_error_basket.total == 0
        && report.orphans.total() == 0
        && report.limitations.is_empty()
    {
        out.status("no pended, stuck, overdue, failed or orphaned cases");
        return Ok(());
    }
    let mut table = out.table(["work basket", "pended cases", "oldest", "median"]);
    for b in &report.pended {
        table.add_row([
            b.basket.clone(),
            b.cases.to_string(),
            opt_secs(b.oldest_seconds),
            opt_secs(b.median_seconds),
        ]);
    }
    if report.pended.is_empty() {
        out.prose("Pended cases per work basket: none")?;
    } else {
        out.prose("Pended cases per work basket (waiting since their last write):")?;
        out.print_report(&table)?;
    }
    out.prose(&format!(
        "Stuck running (not complete, no pend path, no case lock, idle over {}): {}",
        secs(report.stuck_for_seconds),
        report.stuck.total
    ))?;
    if !report.stuck.rows.is_empty() {
        let mut table = out.table(["case", "journey", "last step", "idle"]);
        for c in &report.stuck.rows {
            table.add_row([
                c.case_id.clone(),
                c.journey.clone(),
                c.last_step.clone(),
                secs(c.idle_seconds),
            ]);
        }
        out.print_report(&table)?;
    }
    out.prose(&format!(
        "Overdue SLA milestones: {}",
        report.overdue_milestones.total
    ))?;
    if !report.overdue_milestones.rows.is_empty() {
        let mut table = out.table(["case", "milestone", "work basket", "overdue by"]);
        for m in &report.overdue_milestones.rows {
            table.add_row([
                m.case_id.clone(),
                m.milestone.clone(),
                m.basket.clone(),
                secs(m.overdue_seconds),
            ]);
        }
        out.print_report(&table)?;
    }
    out.prose(&format!(
        "In error work basket {}: {}",
        report.error_basket, report.in_error_basket.total
    ))?;
    if !report.in_error_basket.rows.is_empty() {
        let mut table = out.table([
            "case",
            "exec path",
            "step",
            "code",
            "error",
            "retryable",
            "pended for",
        ]);
        for e in &report.in_error_basket.rows {
            table.add_row([
                e.case_id.clone(),
                e.exec_path.clone(),
                e.step.clone(),
                e.error_code.map_or("-".into(), |c| c.to_string()),
                e.error.clone(),
                e.retryable.map_or("-".into(), |r| r.to_string()),
                secs(e.pended_seconds),
            ]);
        }
        out.print_report(&table)?;
    }
    let o = &report.orphans;
    out.prose(&format!(
        "Rows without their case: {} exec paths, {} audit rows, {} variables, {} variable values, {} milestones, {} journeys",
        o.exec_paths, o.audit_rows, o.variables, o.variable_values, o.milestones, o.journeys
    ))?;
    warn_limitations(out, &report.limitations);
    Ok(())
}
