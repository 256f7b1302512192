//! `diag explain`.

use std::time::Duration;

use clap::Args;
use wfctl::diag::explain;

use super::{Context, open, warn_limitations};

#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// The stuck-case scan's parameter (cases idle longer than this)
    #[arg(long, default_value = "10m", value_parser = super::duration, value_name = "DURATION")]
    stuck_for: Duration,
    /// statement_timeout for each statement
    #[arg(long, default_value = "30s", value_parser = super::duration, value_name = "DURATION")]
    timeout: Duration,
    /// Print each plan in full
    #[arg(long)]
    plans: bool,
}

pub(crate) fn run(args: &ExplainArgs, ctx: &Context) -> anyhow::Result<()> {
    let (mut conn, _) = open(ctx)?;
    let stuck_ms = i64::try_from(args.stuck_for.as_millis()).unwrap_or(i64::MAX);
    let timeout_ms = u64::try_from(args.timeout.as_millis())
        .unwrap_or(u64::MAX)
        .max(1);
    let report = explain::report(&mut conn, stuck_ms, timeout_ms, explain::How::Analyze)?;
    let out = &ctx.output;
    if out.json() {
        return Ok(out.print_json(&report)?);
    }
    let mut table = out.table([
        "operation",
        "parameter",
        "ms",
        "rows",
        "buffers hit/read",
        "indexes",
        "seq scans",
    ]);
    for s in &report.statements {
        let scans: Vec<String> = s
            .seq_scans
            .iter()
            .map(|scan| {
                let text = format!("{} ({:.0} rows)", scan.table, scan.table_rows);
                if scan.big {
                    out.paint(&format!("{text} BIG"), "31")
                } else {
                    text
                }
            })
            .collect();
        table.add_row([
            format!("wfctl:{}", s.operation),
            match (&s.parameter, s.parameter_from_data) {
                (Some(p), true) => p.clone(),
                (Some(p), false) => format!("{p} (placeholder: no data)"),
                (None, _) => "-".into(),
            },
            format!("{:.2}", s.execution_ms),
            format!("{:.0}", s.rows),
            format!("{}/{}", s.shared_hit, s.shared_read),
            s.indexes.join(", "),
            scans.join(", "),
        ]);
    }
    out.print("EXPLAIN (ANALYZE, BUFFERS) of wfctl's statements, run read-only and rolled back:")?;
    out.print_table(&table)?;
    if args.plans {
        for s in &report.statements {
            out.print(&format!("\nwfctl:{}\n{}", s.operation, s.plan.join("\n")))?;
        }
    }
    warn_limitations(out, &report.limitations);
    Ok(())
}
