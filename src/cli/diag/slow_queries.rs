//! `diag slow-queries`.

use clap::{Args, ValueEnum};
use wfctl::diag::slow_queries::{self, Order, one_line};

use super::{Context, open, warn_limitations};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum OrderArg {
    Total,
    Mean,
    Calls,
}

#[derive(Debug, Args)]
pub(crate) struct SlowQueriesArgs {
    /// Sort by total time (where the time goes), mean time per call, or calls
    #[arg(long, value_enum, default_value = "total")]
    order: OrderArg,
    /// How many statements
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = crate::cli::format::parse_count::<i64>)]
    limit: i64,
    /// Reset pg_stat_statements for this database (needs EXECUTE on pg_stat_statements_reset:
    /// a superuser by default) instead of listing
    #[arg(long)]
    reset: bool,
}

pub(crate) fn run(args: &SlowQueriesArgs, ctx: &Context) -> anyhow::Result<()> {
    let (mut conn, facts) = open(ctx)?;
    let out = &ctx.output;
    if args.reset {
        let done = slow_queries::reset(&mut conn, &facts)?;
        if out.json() {
            out.print_json(&serde_json::json!({ "reset": done.scope }))?;
        } else {
            out.status(&format!("pg_stat_statements reset for {}", done.scope));
        }
        return Ok(());
    }
    let order = match args.order {
        OrderArg::Total => Order::Total,
        OrderArg::Mean => Order::Mean,
        OrderArg::Calls => Order::Calls,
    };
    let limitations = facts.pgss.limitations("slow queries", &facts.server);
    let report = match slow_queries::report(&mut conn, &facts, order, args.limit.max(1))? {
        Ok(r) => r,
        Err(limitations) => {
            if out.json() {
                // every key of the report is there; null where it is unknown
                out.print_json(&serde_json::json!({
                    "since": null,
                    "extension": null,
                    "statements_total": null,
                    "hidden": null,
                    "total_seconds": null,
                    "statements": [],
                    "limitations": limitations,
                }))?;
            } else {
                warn_limitations(out, &limitations);
            }
            return Ok(());
        }
    };
    if out.json() {
        let mut doc = serde_json::to_value(&report)?;
        doc["limitations"] = serde_json::to_value(&limitations)?;
        return Ok(out.print_json(&doc)?);
    }
    out.print(&format!(
        "{} ({}): {} statements, {} in all{}",
        report.extension,
        report.since.text,
        report.statements_total,
        super::secs(report.total_ms / 1000.0),
        if report.hidden > 0 {
            format!(", {} hidden from this role", report.hidden)
        } else {
            String::new()
        }
    ))?;
    let mut table = out.table([
        "operation",
        "calls",
        "total ms",
        "mean ms",
        "share",
        "rows",
        "cache hit",
        "query",
    ]);
    for s in &report.statements {
        let op = match (&s.operation, s.workflow_tables.is_empty()) {
            (Some(op), _) => format!("wfctl:{op}"),
            (None, false) => format!("other app: {}", s.workflow_tables.join(",")),
            (None, true) => "-".into(),
        };
        table.add_row([
            op,
            s.stats.calls.to_string(),
            format!("{:.1}", s.stats.total_ms),
            format!("{:.2}", s.stats.mean_ms),
            format!("{:.1}%", s.stats.share_percent),
            s.stats.rows.to_string(),
            s.stats
                .cache_hit_percent
                .map_or("-".into(), |h| format!("{h:.1}%")),
            one_line(&s.stats.query, 100),
        ]);
    }
    out.print_table(&table)?;
    warn_limitations(out, &limitations);
    Ok(())
}
