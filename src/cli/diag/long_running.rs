//! `diag long-running`.

use std::time::Duration;

use clap::Args;
use wfctl::diag::long_running;
use wfctl::diag::slow_queries::{one_line, operation_of};

use super::{Context, open, opt_secs, secs, warn_limitations};

#[derive(Debug, Args)]
pub(crate) struct LongRunningArgs {
    /// Show statements running, and transactions idle, longer than this
    #[arg(long, default_value = "5s", value_parser = super::duration, value_name = "DURATION")]
    min: Duration,
}

pub(crate) fn run(args: &LongRunningArgs, ctx: &Context) -> anyhow::Result<()> {
    let (mut conn, facts) = open(ctx)?;
    let report = long_running::report(&mut conn, &facts, args.min)?;
    let out = &ctx.output;
    if out.json() {
        return Ok(out.print_json(&report)?);
    }
    let mut table = out.table([
        "pid",
        "age",
        "state",
        "idle for",
        "xmin age",
        "database",
        "role",
        "application",
        "query",
    ]);
    for s in &report.sessions {
        let op = operation_of(&s.query)
            .map(|o| format!("wfctl:{o} "))
            .unwrap_or_default();
        table.add_row([
            s.pid.to_string(),
            secs(s.age_seconds),
            s.state.clone(),
            if s.state == "active" {
                "-".into()
            } else {
                opt_secs(s.state_seconds)
            },
            s.xmin_age.to_string(),
            s.database.clone(),
            s.role_name.clone(),
            s.application.clone(),
            format!("{op}{}", one_line(&s.query, 100)),
        ]);
    }
    let empty = format!(
        "no statement running or transaction idle longer than {}",
        secs(report.min_seconds)
    );
    let pids: Vec<String> = report.sessions.iter().map(|s| s.pid.to_string()).collect();
    out.print_listing(&table, &pids, &empty)?;
    warn_limitations(out, &report.limitations);
    Ok(())
}
