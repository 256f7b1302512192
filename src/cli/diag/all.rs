//! `diag all`: every check with thresholds; `--check` exits 3 on a problem, `--nagios` prints
//! one status line and exits 0/1/2/3 like check_postgres.

use std::time::{Duration, Instant};

use clap::Args;
use wfctl::diag::all::{self as checks, CheckRule, Report, Selection};
use wfctl::diag::{self, Finding, Severity};

use super::{Context, error_basket, open, thresholds_from, warn_limitations};
use crate::cli::Exit;
use crate::cli::exit::PARTIAL;

#[derive(Debug, Args)]
#[command(after_help = super::thresholds_help())]
pub(crate) struct AllArgs {
    /// Exit 3 when any check that runs finds a warning or a critical problem (0 otherwise);
    /// the opt-in checks settings and wal run only with --include
    #[arg(long)]
    check: bool,
    /// Nagios plugin output: one status line with performance data; exit 0 OK, 1 WARNING,
    /// 2 CRITICAL, 3 UNKNOWN (also when the database is unreachable)
    #[arg(long, conflicts_with = "json")]
    nagios: bool,
    /// Warning level, e.g. `long_running=2m` (repeatable; keys below)
    #[arg(long, value_name = "KEY=VALUE")]
    warn: Vec<String>,
    /// Critical level, e.g. `connections=98%` (repeatable)
    #[arg(long, value_name = "KEY=VALUE")]
    crit: Vec<String>,
    /// Leave a check out (repeatable): health, long-running, locks, vacuum, indexes,
    /// slow-queries, bloat, sizes, cases, explain
    #[arg(long, value_name = "CHECK")]
    skip: Vec<String>,
    /// Also run an opt-in check (repeatable): settings (server tuning against the guide),
    /// wal (WAL archiving for point-in-time recovery). Opt-in because an untuned or
    /// non-archiving server is a choice, not an incident
    #[arg(long, value_name = "CHECK", value_parser = ["settings", "wal"])]
    include: Vec<String>,
    /// A running case idle this long without its case lock is stuck
    #[arg(long, default_value = "10m", value_parser = super::duration, value_name = "DURATION")]
    stuck_for: Duration,
    /// The error work basket (default: [engine] error_workbasket, else workflow_error)
    #[arg(long, value_name = "NAME")]
    error_basket: Option<String>,
    /// Index statistics younger than this do not make an unused index a warning
    #[arg(long, default_value = "7d", value_parser = super::duration, value_name = "DURATION")]
    min_stats_age: Duration,
    /// The explain check runs wfctl's statements (EXPLAIN ANALYZE, rolled back) instead of only
    /// planning them: real times and buffers, at the cost of running the heaviest statements
    #[arg(long)]
    analyze: bool,
}

pub(crate) fn run(args: &AllArgs, ctx: &Context) -> anyhow::Result<()> {
    // clap's conflict does not see a global `--json` typed before the subcommand
    if args.nagios && ctx.output.json() {
        return Err(Exit::new(
            crate::cli::exit::USAGE,
            "--nagios prints a Nagios status line and --json a JSON document: give one of them",
        )
        .into());
    }
    let selection = Selection {
        skip: args.skip.clone(),
        include: args.include.clone(),
    };
    selection
        .validate()
        .map_err(|e| Exit::new(crate::cli::exit::USAGE, e.to_string()))?;
    let pool_size = ctx.pool_options().max_size;
    let mut options = checks::Options {
        pool_size,
        // made once the database answered (an unreachable one is Nagios' UNKNOWN)
        pool: None,
        threads: checks::case_threads(pool_size),
        explain: if args.analyze {
            diag::explain::How::Analyze
        } else {
            diag::explain::How::Plan
        },
        thresholds: thresholds_from(&args.warn, &args.crit)?,
        min_stats_age: args.min_stats_age,
        cases: diag::cases::Options {
            stuck_for: args.stuck_for,
            error_basket: error_basket(ctx, args.error_basket.as_deref()),
            limit: 20,
        },
    };
    let report = match collect(ctx, &selection, &mut options) {
        Ok(r) => r,
        Err(e) if args.nagios => {
            ctx.output.print(&format!(
                "WFCTL DIAG UNKNOWN: {}",
                crate::cli::output::error_line(&e).replace(['\n', '|'], " ")
            ))?;
            return Err(Exit::new(Severity::Unknown.nagios_code(), "").into());
        }
        Err(e) => return Err(e),
    };
    let out = &ctx.output;
    if args.nagios {
        out.print(&nagios_line(&report))?;
        let code = report.status.nagios_code();
        return if code == 0 {
            Ok(())
        } else {
            Err(Exit::new(code, "").into())
        };
    }
    if out.json() {
        out.print_json(&report)?;
    } else {
        let mut table = out.table(["severity", "check", "finding", "fix"]);
        let mut findings: Vec<&Finding> = report.findings.iter().collect();
        findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
        for f in findings {
            table.add_row([
                super::report::finding_severity(out, f.severity),
                f.check.clone(),
                f.message.clone(),
                f.fix.clone().unwrap_or_default(),
            ]);
        }
        // findings have no ids: under -q a check says only its exit code and one line
        let no_ids: &[&str] = &[];
        out.print_listing(&table, no_ids, "no check ran")?;
        warn_limitations(out, &report.limitations);
        out.status(&format!(
            "{}: {} checks in {}{}",
            report.status.label(),
            report.checks.len(),
            super::secs(report.elapsed_seconds),
            not_run(&selection)
        ));
    }
    if args.check && CheckRule::Sweep.fails(report.status) {
        // the table said it all; under -q or --json the line is all a person sees
        let line = if out.quiet() || out.json() {
            format!("{}: {}", report.status.label(), summary(&report))
        } else {
            String::new()
        };
        return Err(Exit::new(PARTIAL, line).into());
    }
    Ok(())
}

/// A pool for the case check's statements, with the session settings of [`open`]'s connection.
fn case_pool(ctx: &Context) -> anyhow::Result<wfctl::db::pool::Pool> {
    let options = wfctl::db::pool::PoolOptions {
        statement_timeout: Some(
            ctx.pool_options()
                .statement_timeout
                .unwrap_or(super::DEFAULT_STATEMENT_TIMEOUT),
        ),
        ..ctx.pool_options()
    };
    Ok(wfctl::db::pool::connect_pool_unpinged(
        &ctx.database_url()?,
        &options,
    )?)
}

fn collect(
    ctx: &Context,
    selection: &Selection,
    options: &mut checks::Options,
) -> anyhow::Result<Report> {
    let started = Instant::now();
    let (mut conn, facts) = open(ctx)?;
    if options.threads > 1 && selection.runs("cases") {
        options.pool = Some(case_pool(ctx)?);
    }
    Ok(checks::run(&mut conn, &facts, options, selection, started)?)
}

/// `WFCTL DIAG WARNING: 2 warnings: ...; ... | connections=3%;90;95 ...`, like check_postgres.
fn nagios_line(report: &Report) -> String {
    let hidden = if report.limitations.is_empty() {
        String::new()
    } else {
        format!(
            " ({} things not visible to this role)",
            report.limitations.len()
        )
    };
    let perf: Vec<String> = report
        .measures
        .iter()
        .map(diag::Measure::perfdata)
        .collect();
    format!(
        "WFCTL DIAG {}: {}{hidden} | {} time={:.2}s",
        report.status.label(),
        summary(report),
        perf.join(" "),
        report.elapsed_seconds
    )
}

/// The checks this run left out, so that an OK never reads as every check's: `; not run:
/// settings, wal (opt-in: --include wal)`, or nothing when every check ran.
fn not_run(selection: &Selection) -> String {
    let left: Vec<&checks::Check> = checks::CHECKS
        .iter()
        .filter(|c| !selection.runs(c.name))
        .collect();
    if left.is_empty() {
        return String::new();
    }
    let names: Vec<&str> = left.iter().map(|c| c.name).collect();
    let include: Vec<String> = left
        .iter()
        .filter(|c| c.opt_in)
        .map(|c| format!("--include {}", c.name))
        .collect();
    if include.is_empty() {
        return format!("; not run: {}", names.join(", "));
    }
    format!(
        "; not run: {} (opt-in: {})",
        names.join(", "),
        include.join(" ")
    )
}

/// `2 critical, 1 warning, 0 unknown: locks: ...; ...`, or that every check was OK.
fn summary(report: &Report) -> String {
    let problems = report.problems();
    let count = |s: Severity| problems.iter().filter(|f| f.severity == s).count();
    if problems.is_empty() {
        return format!(
            "{} checks OK on database {}",
            report.checks.len(),
            report.database
        );
    }
    let shown: Vec<String> = problems
        .iter()
        .take(3)
        .map(|f| format!("{}: {}", f.check, f.message.replace('|', "/")))
        .collect();
    let more = problems.len().saturating_sub(3);
    format!(
        "{} critical, {} warning, {} unknown: {}{}",
        count(Severity::Critical),
        count(Severity::Warning),
        count(Severity::Unknown),
        shown.join("; "),
        if more > 0 {
            format!("; +{more} more")
        } else {
            String::new()
        }
    )
}
