//! `wfctl metrics`: Prometheus text on stdout (for the node exporter's textfile collector from
//! cron), or served on `/metrics` with `--listen ADDR`.

use std::io::Write;
use std::net::SocketAddr;

use clap::Args;
use diesel::PgConnection;
use wfctl::diag::{Facts, metrics};

use super::Context;
use super::diag::{error_basket, open};

#[derive(Debug, Args)]
pub(crate) struct MetricsArgs {
    /// Serve the metrics on http://ADDR/metrics instead of printing them once (e.g.
    /// 127.0.0.1:9187; every scrape reads the database)
    #[arg(long, value_name = "ADDR")]
    listen: Option<SocketAddr>,
    /// The error work basket (default: [engine] error_workbasket, else workflow_error)
    #[arg(long, value_name = "NAME")]
    error_basket: Option<String>,
    /// Stop after serving this many requests (for tests and one-off scrapes)
    #[arg(long, hide = true, value_name = "N")]
    max_requests: Option<u64>,
}

pub(crate) fn run(args: &MetricsArgs, ctx: &Context) -> anyhow::Result<()> {
    let basket = error_basket(ctx, args.error_basket.as_deref());
    let Some(addr) = args.listen else {
        let (mut conn, facts) = open(ctx)?;
        let families = metrics::collect(&mut conn, &facts, &basket)?;
        return Ok(ctx.output.print(&metrics::render(&families))?);
    };
    let server = tiny_http::Server::http(addr)
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
    let bound = server
        .server_addr()
        .to_ip()
        .map_or_else(|| addr.to_string(), |a| a.to_string());
    ctx.output
        .status(&format!("serving metrics on http://{bound}/metrics"));
    let _ = std::io::stderr().flush();
    // One connection, opened on the first scrape and again after a failure.
    let mut session: Option<(PgConnection, Facts)> = None;
    for (served, request) in (1u64..).zip(server.incoming_requests()) {
        let path = request.url().split('?').next().unwrap_or("").to_string();
        let response = if path != "/metrics" {
            tiny_http::Response::from_string("not found: try /metrics\n").with_status_code(404)
        } else {
            let text = scrape(&mut session, ctx, &basket);
            tiny_http::Response::from_string(text).with_header(
                "Content-Type: text/plain; version=0.0.4; charset=utf-8"
                    .parse::<tiny_http::Header>()
                    .expect("a constant, valid header"),
            )
        };
        if let Err(e) = request.respond(response) {
            ctx.output.warn(&format!("answering a scrape: {e}"));
        }
        if args.max_requests.is_some_and(|max| served >= max) {
            break;
        }
    }
    Ok(())
}

/// The metrics text; on a database failure `workflow_database_up 0` (and a warning on stderr),
/// so Prometheus records the outage instead of a failed scrape.
fn scrape(session: &mut Option<(PgConnection, Facts)>, ctx: &Context, basket: &str) -> String {
    if session.is_none() {
        match open(ctx) {
            Ok(s) => *session = Some(s),
            Err(e) => {
                ctx.output.warn(&format!("metrics: {e:#}"));
                return metrics::down();
            }
        }
    }
    let (conn, facts) = session.as_mut().expect("opened just above");
    match metrics::collect(conn, facts, basket) {
        Ok(families) => metrics::render(&families),
        Err(e) => {
            ctx.output.warn(&format!("metrics: {e}"));
            *session = None;
            metrics::down()
        }
    }
}
