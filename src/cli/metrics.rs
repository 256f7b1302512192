//! `wfctl metrics`: Prometheus text on stdout (for the node exporter's textfile collector from
//! cron), or served on `/metrics` (and `/health`) with `--listen ADDR` (see
//! `wfctl::diag::serve` for the limits that keep the server up).

use std::io::Write;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::Duration;

use clap::Args;
use diesel::PgConnection;
use wfctl::diag::serve::{self, Reply};
use wfctl::diag::{Facts, metrics};

use super::Context;
use super::diag::{error_basket, open};

/// Which figures are estimates, for `--help`.
const ESTIMATES_HELP: &str = "\
Estimates: from 10,000 cases on, workflow_cases_started_total, workflow_cases_completed_total,
workflow_case_execution_time_seconds and workflow_sla_actions_fired_total come from what the
server keeps (table statistics and the distribution ANALYZE keeps: as fresh as the last
autovacuum or ANALYZE), so a scrape never reads the completed history; so do pended cases
per work basket past 1,000 in a basket (exec_path's statistics). Active and running cases,
overdue milestones, failed SLA actions, the lag and the oldest pended case are counted
exactly, through partial indexes; below 10,000 cases every figure is exact.";

#[derive(Debug, Args)]
#[command(after_help = ESTIMATES_HELP)]
pub(crate) struct MetricsArgs {
    /// Serve the metrics on http://ADDR/metrics instead of printing them once (e.g.
    /// 127.0.0.1:9187; every scrape reads the database)
    #[arg(long, value_name = "ADDR")]
    listen: Option<SocketAddr>,
    /// The error work basket (default: [engine] error_workbasket, else workflow_error)
    #[arg(long, value_name = "NAME")]
    error_basket: Option<String>,
    /// Stop after serving this many requests (for tests and one-off scrapes)
    #[arg(long, hide = true, value_name = "N", value_parser = crate::cli::format::parse_count::<u64>)]
    max_requests: Option<u64>,
    /// With --listen: the time a request has to arrive in full (default 10s)
    #[arg(long, value_name = "DURATION", requires = "listen", value_parser = crate::cli::format::parse_duration)]
    request_timeout: Option<Duration>,
}

pub(crate) fn run(args: &MetricsArgs, ctx: &Context) -> anyhow::Result<()> {
    let basket = error_basket(ctx, args.error_basket.as_deref());
    let Some(addr) = args.listen else {
        let (mut conn, facts) = open(ctx)?;
        let families = metrics::collect(&mut conn, &facts, &basket)?;
        return Ok(ctx.output.print(&metrics::render(&families))?);
    };
    let listener = serve::bind(addr)?;
    let bound = listener.local_addr().map_or(addr, |a| a);
    ctx.output
        .status(&format!("serving metrics on http://{bound}/metrics"));
    let _ = std::io::stderr().flush();
    // One connection, opened on the first request and again after a failure.
    let session: Mutex<Option<Session>> = Mutex::new(None);
    let limits = serve::Limits {
        max_requests: args.max_requests,
        request_timeout: args
            .request_timeout
            .unwrap_or(serve::Limits::default().request_timeout),
        ..serve::Limits::default()
    };
    serve::serve(&listener, &limits, |path| {
        let mut session = session.lock().unwrap_or_else(|poisoned| {
            // a panic while the session was in use: start again from a new connection
            let mut session = poisoned.into_inner();
            *session = None;
            session
        });
        match path {
            "/metrics" => Some(scrape(&mut session, ctx, &basket)),
            "/health" => Some(health(&mut session, ctx)),
            _ => None,
        }
    })?;
    Ok(())
}

type Session = (PgConnection, Facts);

const PROMETHEUS_TEXT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The session, opened if needed; else why the database cannot be read.
fn session<'s>(session: &'s mut Option<Session>, ctx: &Context) -> Result<&'s mut Session, String> {
    if session.is_none() {
        *session = Some(open(ctx).map_err(|e| crate::cli::output::error_line(&e))?);
    }
    Ok(session.as_mut().expect("opened just above"))
}

/// The metrics text; when the database cannot be read, `503` with the reason (a comment)
/// and `workflow_database_up 0`, never a part of the metrics.
fn scrape(slot: &mut Option<Session>, ctx: &Context, basket: &str) -> Reply {
    let collected = session(slot, ctx)
        .and_then(|(conn, facts)| metrics::collect(conn, facts, basket).map_err(|e| e.to_string()));
    match collected {
        Ok(families) => Reply {
            status: 200,
            content_type: PROMETHEUS_TEXT,
            body: metrics::render(&families),
        },
        Err(reason) => {
            ctx.output.warn(&format!("metrics: {reason}"));
            *slot = None;
            Reply {
                status: 503,
                content_type: PROMETHEUS_TEXT,
                body: format!("# {}\n{}", one_line(&reason), metrics::down()),
            }
        }
    }
}

/// `/health`: 200 when the database answers, else 503 with the reason.
fn health(slot: &mut Option<Session>, ctx: &Context) -> Reply {
    let answered = session(slot, ctx)
        .and_then(|(conn, _)| metrics::database_answers(conn).map_err(|e| e.to_string()));
    match answered {
        Ok(()) => Reply::text(200, "ok\n"),
        Err(reason) => {
            *slot = None;
            Reply::text(
                503,
                format!("database unavailable: {}\n", one_line(&reason)),
            )
        }
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
